import { sql } from 'kysely';
import type { Role } from '../engine/schema.js';
import { lockedForUpdate } from '../engine/rowLocks.js';
import type { Tx } from '../engine/store.js';

export type { Role };

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  active: boolean;
  mustChangePassword: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  /** In code-unit order: admin, receptionist, therapist. */
  roles: Role[];
}

/**
 * Users with their roles in one statement: a user row per role (or one with no role), folded here.
 * Rows arrive grouped by user (the order keeps a user's rows together), so the fold keeps that order.
 */
function usersWithRoles(tx: Tx) {
  return tx
    .selectFrom('users as u')
    .leftJoin('user_roles as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.active', 'u.must_change_password', 'u.created_at', 'u.last_login_at', 'r.role']);
}

type JoinedRow = Awaited<ReturnType<ReturnType<typeof usersWithRoles>['execute']>>[number];

function fold(rows: readonly JoinedRow[]): UserRow[] {
  const users = new Map<string, UserRow>();
  for (const row of rows) {
    let user = users.get(row.id);
    if (!user) {
      user = {
        id: row.id,
        username: row.username,
        displayName: row.display_name,
        active: row.active === 1,
        mustChangePassword: row.must_change_password === 1,
        createdAt: row.created_at,
        lastLoginAt: row.last_login_at,
        roles: [],
      };
      users.set(row.id, user);
    }
    if (row.role !== null) user.roles.push(row.role);
  }
  for (const user of users.values()) user.roles.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...users.values()];
}

export async function insertUser(
  tx: Tx,
  user: { id: string; username: string; displayName: string; roles: Role[]; mustChangePassword: boolean; createdAt: string },
): Promise<void> {
  await tx
    .insertInto('users')
    .values({
      id: user.id,
      username: user.username,
      display_name: user.displayName,
      must_change_password: user.mustChangePassword ? 1 : 0,
      created_at: user.createdAt,
    })
    .execute();
  const roles = [...new Set(user.roles)];
  if (roles.length > 0) {
    await tx
      .insertInto('user_roles')
      .values(roles.map((role) => ({ user_id: user.id, role })))
      .execute();
  }
}

export async function findUserById(tx: Tx, id: string): Promise<UserRow | null> {
  return fold(await usersWithRoles(tx).where('u.id', '=', id).execute())[0] ?? null;
}

export async function findUserByUsername(tx: Tx, username: string): Promise<UserRow | null> {
  return fold(await usersWithRoles(tx).where('u.username', '=', username.trim()).execute())[0] ?? null;
}

/** By display name without regard to (ASCII) case, as the admin's list shows them. */
export async function listUsers(tx: Tx): Promise<UserRow[]> {
  return fold(
    await usersWithRoles(tx)
      .orderBy(sql`lower(u.display_name)`)
      .orderBy('u.id')
      .execute(),
  );
}

export async function countUsers(tx: Tx): Promise<number> {
  const row = await tx
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function recordLogin(tx: Tx, userId: string, at: string): Promise<void> {
  await tx.updateTable('users').set({ last_login_at: at }).where('id', '=', userId).execute();
}

export async function setMustChangePassword(tx: Tx, userId: string, value: boolean): Promise<void> {
  await tx
    .updateTable('users')
    .set({ must_change_password: value ? 1 : 0 })
    .where('id', '=', userId)
    .execute();
}

export async function hasRole(tx: Tx, userId: string, role: Role): Promise<boolean> {
  const row = await tx.selectFrom('user_roles').select('role').where('user_id', '=', userId).where('role', '=', role).executeTakeFirst();
  return row !== undefined;
}

export async function setActive(tx: Tx, userId: string, active: boolean): Promise<void> {
  await tx
    .updateTable('users')
    .set({ active: active ? 1 : 0 })
    .where('id', '=', userId)
    .execute();
}

export async function countActiveAdmins(tx: Tx): Promise<number> {
  const row = await tx
    .selectFrom('users as u')
    .innerJoin('user_roles as r', (join) => join.onRef('r.user_id', '=', 'u.id').on('r.role', '=', 'admin'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('u.active', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The active admins' ids, their rows locked to commit: two admins who take each other's admin role
 * (or deactivate each other) at the same moment must not both see the other left and leave none.
 */
export async function lockActiveAdmins(tx: Tx): Promise<string[]> {
  const rows = await lockedForUpdate(
    tx,
    tx
      .selectFrom('users as u')
      .innerJoin('user_roles as r', (join) => join.onRef('r.user_id', '=', 'u.id').on('r.role', '=', 'admin'))
      .select('u.id')
      .where('u.active', '=', 1)
      .orderBy('u.id'),
  ).execute();
  return rows.map((row) => row.id);
}

/** A user's roles replaced: only the roles taken away are deleted and only the new ones inserted, so a kept role's row stays as it was. */
export async function replaceRoles(tx: Tx, userId: string, before: readonly Role[], after: readonly Role[]): Promise<void> {
  const removed = before.filter((role) => !after.includes(role));
  const added = [...new Set(after)].filter((role) => !before.includes(role));
  if (removed.length > 0) await tx.deleteFrom('user_roles').where('user_id', '=', userId).where('role', 'in', removed).execute();
  if (added.length > 0)
    await tx
      .insertInto('user_roles')
      .values(added.map((role) => ({ user_id: userId, role })))
      .execute();
}

/** Only a restore from another installation renames an account (its username is taken by the restoring admin); nothing else changes. */
export async function renameUser(tx: Tx, userId: string, username: string): Promise<void> {
  await tx.updateTable('users').set({ username }).where('id', '=', userId).execute();
}
