import { sql } from 'kysely';
import type { RawLogRow } from '../accessLog.js';
import type { Tx } from './store.js';

/**
 * The PostgreSQL side of server backups (db/migrations/postgres/006_backup_role.sql): reading the
 * journal's tables in one snapshot as utvag_backup, and writing a backup's rows as utvag_restore
 * inside a restore that restore_begin() opened. main/services/serverBackup.ts moves the rows between
 * these and an in-memory SQLite journal, which the local backup code turns into the file.
 */

/**
 * Every table a backup file holds besides the migrations' own, in an order their foreign keys allow
 * them to be written (PostgreSQL checks each statement's references at once). A table of the app's
 * schema missing here is refused by tablesInOrder, never left out of a file.
 */
export const BACKUP_TABLES_IN_ORDER = [
  'users',
  'user_roles',
  'settings',
  'sites',
  'entrances',
  'waiting_rooms',
  'rooms',
  'track_routes',
  'municipalities',
  'therapist_profiles',
  'therapist_tracks',
  'therapist_hours',
  'clients',
  'client_contacts',
  'client_links',
  'contact_persons',
  'network_days',
  'network_day_attendance',
  'intakes',
  'waiting_list',
  'groups',
  'group_members',
  'appointments',
  'access_log',
  'care_relations',
  'emergency_grants',
  'journal_entries',
  'access_reviews',
  'stats_quarters',
  'group_attendance',
  'etapp2_follow_ups',
] as const;

/** The SQLite migrations' bookkeeping: written by the app's own migrations, never read from the server (which keeps its own). */
export const MIGRATIONS_TABLE = 'schema_migrations';

export interface TableColumns {
  name: string;
  columns: string[];
  /** Read in this order, page after page (keyset), so that no page is read twice or skipped. */
  primaryKey: string[];
}

/** How many rows one read or one insert carries: a few hundred kilobytes of JSON at most per round trip. */
const ROWS_PER_STATEMENT = 1000;

export type BackupRole = 'utvag_backup' | 'utvag_restore';

/**
 * Makes the transaction a backup's: a snapshot of the whole journal (REPEATABLE READ, read-only)
 * when reading, and in any case the backup or restore role, with no side set (every row of both
 * sides). Must be the first statement of the transaction.
 */
export async function beginAs(tx: Tx, role: BackupRole, snapshot: boolean): Promise<void> {
  if (snapshot) await sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`.execute(tx);
  await sql`SET LOCAL ROLE ${sql.id(role)}`.execute(tx);
  await sql`SELECT set_config('utvag.side', '', true), set_config('utvag.user_id', '', true)`.execute(tx);
}

/** Every row of a table, page by page in primary-key order, each page as arrays of the named columns. */
export async function readServerTable(
  tx: Tx,
  table: TableColumns,
  onPage: (rows: unknown[][]) => void,
  pageSize = ROWS_PER_STATEMENT,
): Promise<number> {
  const columns = sql.join(table.columns.map((column) => sql.ref(column)));
  const key = sql.join(table.primaryKey.map((column) => sql.ref(column)));
  let last: Record<string, unknown> | undefined;
  let read = 0;
  for (;;) {
    const after = last ? sql`WHERE (${key}) > (${sql.join(table.primaryKey.map((column) => sql`${last![column]}`))})` : sql``;
    const { rows } = await sql<Record<string, unknown>>`SELECT ${columns} FROM ${sql.table(table.name)} ${after}
      ORDER BY ${key} LIMIT ${pageSize}`.execute(tx);
    if (rows.length > 0) onPage(rows.map((row) => table.columns.map((column) => row[column])));
    read += rows.length;
    if (rows.length < pageSize || table.primaryKey.length === 0) return read;
    last = rows.at(-1);
  }
}

/** Rows per table as the schema owner counts them, in the transaction's snapshot (backup_row_counts(), past row-level security). */
export async function ownerRowCounts(tx: Tx): Promise<Record<string, number>> {
  const { rows } = await sql<{ table_name: string; row_count: number }>`SELECT table_name, row_count FROM backup_row_counts()`.execute(tx);
  return Object.fromEntries(rows.map((row) => [row.table_name, Number(row.row_count)]));
}

/**
 * Opens the restore (restore_begin()): refused with RestoreRefusedError unless the journal holds only
 * what `server init` made. Returns the clientless log rows it took out of the way, in their order.
 */
export async function beginRestore(tx: Tx): Promise<RawLogRow[]> {
  try {
    const { rows } = await sql<RawLogRow>`SELECT * FROM restore_begin()`.execute(tx);
    return [...rows].sort((a, b) => a.seq - b.seq);
  } catch (error) {
    if ((error as { code?: string }).code === NOT_IN_PREREQUISITE_STATE) throw new ServerNotEmptyError();
    throw error;
  }
}

/** Ends the restore (restore_end()): the separation spans written for what was imported. */
export async function endRestore(tx: Tx): Promise<void> {
  await sql`SELECT restore_end()`.execute(tx);
}

const NOT_IN_PREREQUISITE_STATE = '55000';

/** restore_begin() found more than `server init` makes: the shared journal is in use. */
export class ServerNotEmptyError extends Error {
  constructor() {
    super('The server journal is not empty');
    this.name = 'ServerNotEmptyError';
  }
}

/**
 * Writes rows into a table, a page per statement, in the order given (the access log's chain
 * trigger checks each row against the one before). The rows travel as one JSON array per
 * statement, which PostgreSQL turns into the table's own column types (timestamptz from the ISO
 * text, smallint flags, dates). `upsert` names the key whose existing row the new one replaces.
 */
export async function insertServerRows(tx: Tx, table: string, columns: string[], rows: unknown[][], upsert?: string): Promise<void> {
  const names = sql.join(columns.map((column) => sql.ref(column)));
  const values = sql.join(columns.map((column) => sql.ref(`r.${column}`)));
  const conflict = upsert
    ? sql`ON CONFLICT (${sql.ref(upsert)}) DO UPDATE SET ${sql.join(
        columns.filter((column) => column !== upsert).map((column) => sql`${sql.ref(column)} = EXCLUDED.${sql.ref(column)}`),
      )}`
    : sql``;
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const page = rows.slice(start, start + ROWS_PER_STATEMENT).map((row) => Object.fromEntries(columns.map((column, index) => [column, row[index]])));
    await sql`INSERT INTO ${sql.table(table)} (${names})
      SELECT ${values} FROM json_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(page)}::json) WITH ORDINALITY AS r
      ORDER BY r.ordinality ${conflict}`.execute(tx);
  }
}

/** The accounts on the server before a restore: they keep their ids, names and passwords. */
export async function serverUsers(tx: Tx): Promise<{ id: string; username: string }[]> {
  const { rows } = await sql<{ id: string; username: string }>`SELECT id, username FROM users ORDER BY id`.execute(tx);
  return rows;
}
