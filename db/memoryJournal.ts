import type { Db } from './connection.js';

/**
 * Statements on a journal held in memory (openMemoryJournal in db/backup.ts) while a server
 * journal's rows pass through it to or from a backup file (main/services/serverBackup.ts). Table and
 * column names come from the app's own schema (journalTableColumns), never from a file.
 */

export interface MemoryTable {
  name: string;
  columns: string[];
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const columnList = (table: MemoryTable): string => table.columns.map(quote).join(', ');

/** Writes rows (values in the table's column order), in one transaction. */
export function insertMemoryRows(db: Db, table: MemoryTable, rows: unknown[][]): void {
  const insert = db.prepare(`INSERT INTO main.${quote(table.name)} (${columnList(table)}) VALUES (${table.columns.map(() => '?').join(', ')})`);
  db.transaction(() => {
    for (const row of rows) insert.run(...row);
  })();
}

/** Every row of a table, values in column order, in rowid order (the order they were written in). */
export function memoryRows(db: Db, table: MemoryTable): unknown[][] {
  return db
    .prepare(`SELECT ${columnList(table)} FROM main.${quote(table.name)} ORDER BY rowid`)
    .raw(true)
    .all() as unknown[][];
}

/** Each row of a table as one JSON array text, for comparing two journals as multisets of rows. */
export function memoryRowTexts(db: Db, table: MemoryTable): string[] {
  return db
    .prepare(`SELECT json_array(${columnList(table)}) FROM main.${quote(table.name)}`)
    .pluck()
    .all() as string[];
}

export interface MemoryAccount {
  id: string;
  username: string;
  displayName: string;
  active: number;
}

export function memoryAccounts(db: Db): MemoryAccount[] {
  return db.prepare('SELECT id, username, display_name AS displayName, active FROM users ORDER BY id').all() as MemoryAccount[];
}

/** Leaves an account and its roles out (what refers to its id then refers to the account of that id where the rows go). */
export function dropMemoryAccount(db: Db, id: string): void {
  db.prepare('DELETE FROM user_roles WHERE user_id = ?').run(id);
  db.prepare('DELETE FROM users WHERE id = ?').run(id);
}

export function renameMemoryAccount(db: Db, id: string, username: string): void {
  db.prepare('UPDATE users SET username = ? WHERE id = ?').run(username, id);
}

/** Every account must choose a new password at its next sign-in (the backup carries none). */
export function markAllMustChangePassword(db: Db): void {
  db.prepare('UPDATE users SET must_change_password = 1').run();
}

export function memorySettingKeys(db: Db): Set<string> {
  return new Set(db.prepare('SELECT key FROM settings').pluck().all() as string[]);
}

export function removeMemorySettings(db: Db, keys: readonly string[]): void {
  const remove = db.prepare('DELETE FROM settings WHERE key = ?');
  for (const key of keys) remove.run(key);
}
