import { prepared, type Db } from './connection.js';
import type { Role } from '../preload/domain/index.js';
export type { Role };

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  active: boolean;
  mustChangePassword: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  roles: Role[];
}

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

export function countUsers(db: Db): number {
  return (prepared(db, 'SELECT count(*) AS n FROM users').get() as { n: number }).n;
}

export function recordLogin(db: Db, userId: string, at: string): void {
  prepared(db, 'UPDATE users SET last_login_at = ? WHERE id = ?').run(at, userId);
}

export function setMustChangePassword(db: Db, userId: string, value: boolean): void {
  prepared(db, 'UPDATE users SET must_change_password = ? WHERE id = ?').run(value ? 1 : 0, userId);
}

export function hasRole(db: Db, userId: string, role: Role): boolean {
  return prepared(db, 'SELECT 1 FROM user_roles WHERE user_id = ? AND role = ?').get(userId, role) !== undefined;
}

export function setActive(db: Db, userId: string, active: boolean): void {
  prepared(db, 'UPDATE users SET active = ? WHERE id = ?').run(active ? 1 : 0, userId);
}

export function countActiveAdmins(db: Db): number {
  return (
    prepared(db, `SELECT count(*) AS n FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'admin' WHERE u.active = 1`).get() as {
      n: number;
    }
  ).n;
}

/** Only a restore from another installation renames an account (its username is taken by the restoring admin); nothing else changes. */
export function renameUser(db: Db, userId: string, username: string): void {
  prepared(db, 'UPDATE users SET username = ? WHERE id = ?').run(username, userId);
}
