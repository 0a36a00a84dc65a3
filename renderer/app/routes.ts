import type { Role } from '../../preload/contract/index';

export type RouteId =
  | 'home'
  | 'intake'
  | 'clients'
  | 'today'
  | 'schedule'
  | 'journal'
  | 'waiting'
  | 'groups'
  | 'etapp2'
  | 'account'
  | 'users'
  | 'organisation'
  | 'contacts'
  | 'accesslog'
  | 'stats'
  | 'backups'
  | 'settings';

export interface RouteSpec {
  id: RouteId;
  path: string;
  /** Roles that see this item; empty means everyone signed in. The main process enforces the same on every channel. */
  roles: readonly Role[];
  /** Screens that show one side of the house at a time. */
  sided?: boolean;
}

export const ROUTES: readonly RouteSpec[] = [
  { id: 'home', path: '#/', roles: [] },
  { id: 'intake', path: '#/reception/intake', roles: ['receptionist'], sided: true },
  // Admins too: with a client's own therapist, they are who may see a protected client's number.
  { id: 'clients', path: '#/reception/clients', roles: ['receptionist', 'admin'], sided: true },
  { id: 'today', path: '#/reception/today', roles: ['receptionist'], sided: true },
  { id: 'schedule', path: '#/schedule', roles: ['receptionist', 'therapist'], sided: true },
  { id: 'journal', path: '#/journal', roles: ['therapist'] },
  { id: 'waiting', path: '#/reception/waiting', roles: ['receptionist'], sided: true },
  { id: 'groups', path: '#/reception/groups', roles: ['receptionist'], sided: true },
  { id: 'etapp2', path: '#/reception/etapp2', roles: ['receptionist'], sided: true },
  { id: 'users', path: '#/admin/users', roles: ['admin'] },
  { id: 'organisation', path: '#/admin/organisation', roles: ['admin'] },
  { id: 'contacts', path: '#/admin/contacts', roles: ['admin'] },
  { id: 'accesslog', path: '#/admin/accesslog', roles: ['admin'] },
  { id: 'stats', path: '#/admin/stats', roles: ['admin'] },
  { id: 'backups', path: '#/admin/backups', roles: ['admin'] },
  { id: 'settings', path: '#/admin/settings', roles: ['admin'] },
  { id: 'account', path: '#/account', roles: [] },
];

export function routesFor(roles: readonly Role[]): RouteSpec[] {
  return ROUTES.filter((route) => route.roles.length === 0 || route.roles.some((role) => roles.includes(role)));
}

/** The route for a location hash; the part after '?' carries a screen's own state (e.g. a client id). */
export function routeFromHash(hash: string, roles: readonly Role[]): RouteId {
  const path = (hash || '#/').split('?')[0];
  return routesFor(roles).find((route) => route.path === path)?.id ?? 'home';
}

export function isSided(route: RouteId): boolean {
  return ROUTES.some((candidate) => candidate.id === route && candidate.sided);
}
