import { prepared, type Db } from '../connection.js';

/**
 * Settings on the local journal's own connection, synchronous: the keyring's log-head anchor flag and
 * the backup schedule, written by the session and the backup scheduler outside any store transaction.
 * Router calls read and write settings through db/settings/ in the call's transaction.
 */

export function readSetting(db: Db, key: string): unknown {
  const row = prepared(db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as unknown) : undefined;
}

export function writeSetting(db: Db, key: string, value: unknown, by: string | null, at: string): void {
  prepared(
    db,
    `INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).run(key, JSON.stringify(value), at, by);
}
