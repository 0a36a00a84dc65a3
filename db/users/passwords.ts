import { sql } from 'kysely';
import type { Tx } from '../engine/store.js';

/**
 * The server's password hashes (db/migrations/postgres/006_server_sign_in.sql; PostgreSQL only: the
 * local journal keeps a key slot per person instead). Not in schema.ts's Database, which mirrors the
 * SQLite journal table for table, hence plain SQL with bound values.
 */

/** The sign-in reads a hash as utvag_signin; no person's role can. */
export async function readPasswordHash(tx: Tx, userId: string): Promise<string | null> {
  const { rows } = await sql<{ hash: string }>`SELECT hash FROM user_passwords WHERE user_id = ${userId}`.execute(tx);
  return rows[0]?.hash ?? null;
}

/** The ids of the users who have a password (admins see that one exists, never the hash). */
export async function usersWithPassword(tx: Tx): Promise<Set<string>> {
  const { rows } = await sql<{ user_id: string }>`SELECT user_id FROM user_passwords`.execute(tx);
  return new Set(rows.map((row) => row.user_id));
}

export async function insertPasswordHash(tx: Tx, userId: string, hash: string, at: string): Promise<void> {
  await sql`INSERT INTO user_passwords (user_id, hash, updated_at) VALUES (${userId}, ${hash}, ${at})`.execute(tx);
}

/** Replaces a hash; false when the user had none (RLS lets a person change only their own). */
export async function updatePasswordHash(tx: Tx, userId: string, hash: string, at: string): Promise<boolean> {
  const result = await sql`UPDATE user_passwords SET hash = ${hash}, updated_at = ${at} WHERE user_id = ${userId}`.execute(tx);
  return Number(result.numAffectedRows ?? 0) > 0;
}

export async function deletePasswordHash(tx: Tx, userId: string): Promise<void> {
  await sql`DELETE FROM user_passwords WHERE user_id = ${userId}`.execute(tx);
}
