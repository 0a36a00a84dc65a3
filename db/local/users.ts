import { prepared, type Db } from '../connection.js';
import type { Role } from '../../preload/domain/index.js';
import type { UserRow } from '../users/index.js';

/**
 * The users table on the local journal's own connection, synchronous: for the SQLite-engine work
 * that runs outside any store transaction and cannot await inside its own — signing in against the
 * key file (the slot's user, the sign-in recorded with the unlock's log rows), a new journal's first
 * admin, a rekey's list of active users, a restore's adoption of the restoring admin. Everything a
 * router call does with users goes through the repository, db/users/, in the call's transaction.
 */

interface RawUser {
  id: string;
  username: string;
  display_name: string;
  active: number;
  must_change_password: number;
  created_at: string;
  last_login_at: string | null;
  roles: string | null;
}

const SELECT_USER = `
  SELECT u.id, u.username, u.display_name, u.active, u.must_change_password, u.created_at, u.last_login_at,
         (SELECT group_concat(role, ',') FROM (SELECT role FROM user_roles r WHERE r.user_id = u.id ORDER BY role)) AS roles
  FROM users u`;

function toUser(row: RawUser): UserRow {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    active: row.active === 1,
    mustChangePassword: row.must_change_password === 1,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
    roles: row.roles ? (row.roles.split(',') as Role[]) : [],
  };
}

export function insertUser(
  db: Db,
  user: { id: string; username: string; displayName: string; roles: Role[]; mustChangePassword: boolean; createdAt: string },
): void {
  prepared(db, 'INSERT INTO users (id, username, display_name, must_change_password, created_at) VALUES (?, ?, ?, ?, ?)').run(
    user.id,
    user.username,
    user.displayName,
    user.mustChangePassword ? 1 : 0,
    user.createdAt,
  );
  const addRole = prepared(db, 'INSERT INTO user_roles (user_id, role) VALUES (?, ?)');
  for (const role of new Set(user.roles)) addRole.run(user.id, role);
}

export function findUserById(db: Db, id: string): UserRow | null {
  const row = prepared(db, `${SELECT_USER} WHERE u.id = ?`).get(id) as RawUser | undefined;
  return row ? toUser(row) : null;
}

export function findUserByUsername(db: Db, username: string): UserRow | null {
  const row = prepared(db, `${SELECT_USER} WHERE u.username = ?`).get(username.trim()) as RawUser | undefined;
  return row ? toUser(row) : null;
}

export function listUsers(db: Db): UserRow[] {
  return (prepared(db, `${SELECT_USER} ORDER BY u.display_name COLLATE NOCASE`).all() as RawUser[]).map(toUser);
}

export function recordLogin(db: Db, userId: string, at: string): void {
  prepared(db, 'UPDATE users SET last_login_at = ? WHERE id = ?').run(at, userId);
}

export function setMustChangePassword(db: Db, userId: string, value: boolean): void {
  prepared(db, 'UPDATE users SET must_change_password = ? WHERE id = ?').run(value ? 1 : 0, userId);
}

/** Only a restore from another installation renames an account (its username is taken by the restoring admin); nothing else changes. */
export function renameUser(db: Db, userId: string, username: string): void {
  prepared(db, 'UPDATE users SET username = ? WHERE id = ?').run(username, userId);
}
