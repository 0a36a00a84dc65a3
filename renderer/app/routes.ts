import type { Role } from '../../preload/contract';

export type RouteId = 'home' | 'account' | 'users' | 'settings';

export interface RouteSpec {
  id: RouteId;
  path: string;
  /** Roles that see this item; empty means everyone signed in. The main process enforces the same on every channel. */
  roles: readonly Role[];
}

export const ROUTES: readonly RouteSpec[] = [
  { id: 'home', path: '#/', roles: [] },
  { id: 'users', path: '#/admin/users', roles: ['admin'] },
  { id: 'settings', path: '#/admin/settings', roles: ['admin'] },
  { id: 'account', path: '#/account', roles: [] },
];

export function routesFor(roles: readonly Role[]): RouteSpec[] {
  return ROUTES.filter((route) => route.roles.length === 0 || route.roles.some((role) => roles.includes(role)));
}

export function routeFromHash(hash: string, roles: readonly Role[]): RouteId {
  const allowed = routesFor(roles);
  return allowed.find((route) => route.path === (hash || '#/'))?.id ?? 'home';
}
