import path from 'node:path';
import { chainRows, GENESIS_HASH, entryOfRow, type AccessLogEntry, type ChainedLogRow } from '../../db/accessLog.js';
import { lastAccessLogRow, verifyAccessLogChain } from '../../db/local/accessLog.js';
import {
  BackupFileError,
  checkRestoredLog,
  contentDigest,
  copyBackupInto,
  inspectBackupFile,
  journalTableColumns,
  openBackupForRestore,
  openMemoryJournal,
  sameCounts,
  type BackupManifest,
} from '../../db/backup.js';
import { SCHEDULE_KEY, SCHEDULE_SECRET_KEY, STATUS_KEY } from '../../db/backupSchedule.js';
import type { Db } from '../../db/connection.js';
import {
  BACKUP_TABLES_IN_ORDER,
  beginAs,
  beginRestore,
  endRestore,
  insertServerRows,
  MIGRATIONS_TABLE,
  ownerRowCounts,
  readServerTable,
  ServerNotEmptyError,
  serverUsers,
  type TableColumns,
} from '../../db/engine/postgresBackup.js';
import type { Store, Tx } from '../../db/engine/store.js';
import { normaliseUsername } from '../../db/keyring.js';
import {
  dropMemoryAccount,
  insertMemoryRows,
  markAllMustChangePassword,
  memoryAccounts,
  memoryRows,
  memoryRowTexts,
  memorySettingKeys,
  removeMemorySettings,
  renameMemoryAccount,
} from '../../db/memoryJournal.js';
import { migrate } from '../../db/migrate.js';
import { backupRefusal, exportBackup, freeUsername, normalisePassphrase, type ExportedBackup, type ExportRequest } from './backup.js';
import { DomainError } from './errors.js';

/**
 * Backups of a server journal (issue #14): the same SQLCipher 4 file as a local journal's backup,
 * and a restore of such a file into a server journal, which is also how a single desk's journal
 * moves onto the server. Both go through a journal held in memory (never an unencrypted file):
 * the export reads the server's rows into it and hands it to the local export (exportBackup: attach,
 * copy, checksum, manifest, read-back check), so the file is a local backup in every byte of its
 * format; the restore checks the file with the local checks and copies it into memory
 * (copyBackupInto), then writes its rows into the server in one transaction.
 *
 * Both run on a Store whose login may become utvag_backup and utvag_restore
 * (db/migrations/postgres/008_backup_role.sql): a login of their own, never the one that runs
 * people's calls (see there why).
 *
 * What the file does not hold, and how the server has it again after a restore:
 * - separation_spans: derived from appointments, group members, links and the buffer; written anew
 *   for the whole import by restore_end() (leniently, as for a new link: a clash the journal already
 *   had is left for the app to show, never a reason to refuse the journal);
 * - access_log_head: the last log row's seq and hash; inside a restore the chain trigger stands
 *   aside (moving the head once per row made a restore quadratic in the log's rows) and
 *   restore_end() checks the imported log as one linear chain in a single pass and moves the head
 *   once (migration 015); the read-back below then verifies every row's hash;
 * - user_passwords (and the local journal's key slots, which stay in the local keyring): no
 *   password leaves its journal; every imported account is marked must_change_password and is
 *   listed in usersWithoutPassword for an admin to give a temporary password.
 */

const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The journal's tables (the migrations' list aside) in the order the server's foreign keys allow; refuses a table the order does not know. */
function tablesInOrder(db: Db): TableColumns[] {
  const tables = new Map(journalTableColumns(db).map((table) => [table.name, table]));
  tables.delete(MIGRATIONS_TABLE);
  const known = new Set<string>(BACKUP_TABLES_IN_ORDER);
  const unknown = [...tables.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0 || tables.size !== known.size) throw new Error('The server backup does not know every table of the journal');
  return BACKUP_TABLES_IN_ORDER.map((name) => tables.get(name)!);
}

/** Every row of the server's tables into the memory journal; returns the rows read per table. */
async function readServerJournal(tx: Tx, into: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tablesInOrder(into)) {
    counts[table.name] = await readServerTable(tx, table, (rows) => insertMemoryRows(into, table, rows));
  }
  return counts;
}

// ---- Export --------------------------------------------------------------------------------------

export interface ServerExportHooks {
  /** Called once the server's rows are read and copied, before the file is sealed (as exportBackup's onCopied). */
  onCopied?(summary: { rows: number }): void;
}

/**
 * Writes a backup of the server journal to `request.file`. The server's rows are read in one
 * snapshot (REPEATABLE READ, read-only) as utvag_backup, past row-level security, into a journal in
 * memory at this app's schema version; the counts read must be the owner's counts in that same
 * snapshot (no row hidden from the backup). The file is then made exactly as a local journal's
 * backup is (exportBackup), so the local app's verify and the stock SQLCipher 4 open it. The access
 * log's rows keep their seq and hashes, and the manifest names the server's chain head. `dataDir`
 * is the folder a backup may not be written into (the server's own); `sealKey` null makes a backup
 * that every installation calls "made elsewhere".
 */
export async function exportServerJournal(store: Store, request: ExportRequest, hooks: ServerExportHooks = {}): Promise<ExportedBackup> {
  if (store.dialect !== 'postgres') throw new Error('exportServerJournal exports a server journal; a local one uses exportBackup');
  const memory = openMemoryJournal({ schema: true });
  try {
    await store.transaction(async (tx) => {
      await beginAs(tx, 'utvag_backup', true);
      const read = await readServerJournal(tx, memory);
      const owner = await ownerRowCounts(tx);
      // A policy that hid rows from the backup role would otherwise make a backup that lacks them, without a word.
      if (!sameCounts(read, owner)) throw new Error('The backup role did not read every row of the server journal');
    });
    return await exportBackup(memory, request, {
      transact: (work) => memory.transaction(work)(),
      onCopied: (summary) => hooks.onCopied?.(summary),
    });
  } finally {
    memory.close();
  }
}

// ---- Restore -------------------------------------------------------------------------------------

export interface ServerRestoreRequest {
  file: string;
  passphrase: string;
  /** The admin who restores (the account `server init` made): the restore's log rows are in their name, and they keep their account. */
  restoredBy: string;
  now: Date;
  /** The server's seal key, if it has one: a backup it sealed reads as its own. */
  sealKey?: Buffer | null;
  /**
   * The checksum verify showed the admin: a file that is not that one any more is refused, and a
   * backup the server did not seal itself is restored only with it (as locally).
   */
  confirmedChecksum?: string;
}

export interface ServerRestoreHooks {
  /** Called before each table is written (a test stops the import half-way here). */
  beforeTable?(table: string): Promise<void> | void;
}

export interface ServerRestored {
  createdAt: string;
  schemaVersion: number;
  migratedTo: number;
  /** Rows per table as the backup holds them. */
  counts: Record<string, number>;
  /** Accounts of the backup, now on the server without a password: an admin gives each a temporary one. */
  usersWithoutPassword: { id: string; username: string; displayName: string }[];
  /** Accounts of the backup whose username a server account held: they keep everything but the username. */
  renamedUsers: { id: string; displayName: string; from: string; to: string }[];
  /** Accounts of the backup that the server already held under the same id: the server's account stays as it is. */
  keptServerAccounts: string[];
  /** Log rows written on the server before the restore (its initialisation, sign-ins), appended again after the backup's log. */
  logRowsCarriedOver: number;
}

const LOG_COLUMNS: (keyof ChainedLogRow)[] = [
  'seq',
  'at',
  'user_id',
  'client_id',
  'record',
  'action',
  'channel',
  'emergency',
  'reason',
  'prev_hash',
  'hash',
];

/** Checks the file through with the local checks (schema, manifest, every page, checksum, chain) and copies it into memory, migrated to this app's schema. */
async function backupInMemory(request: ServerRestoreRequest): Promise<{ memory: Db; manifest: BackupManifest; migratedTo: number }> {
  const file = path.resolve(request.file);
  const passphrase = normalisePassphrase(request.passphrase);
  const inspected = await inspectBackupFile(file, passphrase, pause, { sealKey: request.sealKey ?? null });
  // As a local restore (restoreBackup): a backup this server did not seal (a desk's, or one whose maker cannot be
  // proven) goes in only when the admin has seen what verify said of this very file and confirmed it.
  if (request.confirmedChecksum !== undefined && request.confirmedChecksum !== inspected.manifest.checksum)
    throw new DomainError('CONFLICT', 'error.backup.changedSinceChecked', { path: 'error.backup.changedSinceChecked' });
  if (inspected.origin !== 'thisInstallation' && request.confirmedChecksum !== inspected.manifest.checksum)
    throw new DomainError('CONFLICT', 'error.backup.foreignNotConfirmed', { path: 'error.backup.foreignNotConfirmed' });
  const { db: source, manifest } = openBackupForRestore(file, passphrase);
  const memory = openMemoryJournal({ schema: false });
  try {
    // The file may have changed since it was checked: it must be the backup that was.
    if (manifest.checksum !== inspected.manifest.checksum || !sameCounts(manifest.counts, inspected.manifest.counts))
      throw new BackupFileError('damaged', 'Not the backup that was verified');
    memory.transaction(() => {
      copyBackupInto(source, memory, manifest.schemaVersion);
      const content = contentDigest(memory, 'main', manifest.checksumMethod);
      if (content.checksum !== manifest.checksum || !sameCounts(content.counts, manifest.counts))
        throw new BackupFileError('damaged', 'Copy differs');
      checkRestoredLog(memory, manifest);
    })();
    source.close();
    // A backup from an older version of the app is brought to this app's schema, which is the server's.
    const migratedTo = migrate(memory).to;
    return { memory, manifest, migratedTo };
  } catch (error) {
    if (source.open) source.close();
    memory.close();
    throw error;
  }
}

/**
 * The backup's accounts as they go onto the server, changed in the memory journal: every one
 * without a password (must_change_password); one whose username a server account holds gets a free
 * suffix, as a local restore does for the restoring admin (adoptRestoringUser); one whose id the
 * server already holds stays the server's (its password and roles), the backup's row of it left out.
 */
function accountsForServer(memory: Db, onServer: { id: string; username: string }[]) {
  const serverIds = new Set(onServer.map((user) => user.id));
  const keptServerAccounts = memoryAccounts(memory)
    .map((user) => user.id)
    .filter((id) => serverIds.has(id));
  for (const id of keptServerAccounts) dropMemoryAccount(memory, id);
  const users = memoryAccounts(memory);
  const held = new Set(onServer.map((user) => normaliseUsername(user.username)));
  const taken = new Set([...held, ...users.map((user) => normaliseUsername(user.username))]);
  const renamedUsers: ServerRestored['renamedUsers'] = [];
  for (const user of users) {
    if (!held.has(normaliseUsername(user.username))) continue;
    const to = freeUsername(taken, user.username);
    taken.add(normaliseUsername(to));
    renameMemoryAccount(memory, user.id, to);
    renamedUsers.push({ id: user.id, displayName: user.displayName, from: user.username, to });
  }
  markAllMustChangePassword(memory);
  const usersWithoutPassword = users
    .filter((user) => user.active === 1)
    .map((user) => ({
      id: user.id,
      username: renamedUsers.find((renamed) => renamed.id === user.id)?.to ?? user.username,
      displayName: user.displayName,
    }));
  return { keptServerAccounts, renamedUsers, usersWithoutPassword, serverIds };
}

/**
 * The automatic backups' schedule, passphrase and status describe the installation that made the
 * backup (a desk's folder, its passphrase), not the journal: they stay out of the server, as a local
 * restore keeps the restoring installation's own (carryOverBackupSettings).
 */
function leaveInstallationSettings(memory: Db): void {
  removeMemorySettings(memory, [SCHEDULE_KEY, SCHEDULE_SECRET_KEY, STATUS_KEY]);
}

/** A table's rows as the server must take them: an amendment after the entry it amends (the foreign key is checked per statement). */
function rowsInWritingOrder(memory: Db, table: TableColumns): unknown[][] {
  const rows = memoryRows(memory, table);
  if (table.name !== 'journal_entries') return rows;
  const id = table.columns.indexOf('id');
  const amends = table.columns.indexOf('amends_id');
  const written = new Set<unknown>();
  const ordered: unknown[][] = [];
  let waiting = rows;
  while (waiting.length > 0) {
    const next = waiting.filter((row) => row[amends] !== null && !written.has(row[amends]));
    const ready = waiting.filter((row) => row[amends] === null || written.has(row[amends]));
    // An amendment of an entry the backup lacks goes last; the server's foreign key then refuses the import.
    if (ready.length === 0) return [...ordered, ...next];
    for (const row of ready) {
      written.add(row[id]);
      ordered.push(row);
    }
    waiting = next;
  }
  return ordered;
}

/**
 * The server's journal, read back in the restore's own transaction, holds every row that was
 * written, value for value (nothing lost between SQLite's text and PostgreSQL's types: an instant
 * not in the app's own form would come back changed, and its log row's hash with it), and besides
 * them only the server's own accounts, settings only the server has, and the log rows appended
 * after the backup's; its access log verifies as one chain.
 */
function checkImport(written: Db, server: Db, kept: { serverIds: Set<string>; logHead: number }): void {
  const settingKeys = memorySettingKeys(written);
  for (const table of tablesInOrder(written)) {
    const remaining = new Map<string, number>();
    for (const text of memoryRowTexts(server, table)) remaining.set(text, (remaining.get(text) ?? 0) + 1);
    for (const text of memoryRowTexts(written, table)) {
      const left = remaining.get(text) ?? 0;
      if (left === 0) throw new ImportDiffersError();
      remaining.set(text, left - 1);
    }
    for (const [text, left] of remaining) {
      if (left === 0) continue;
      const row = JSON.parse(text) as unknown[];
      const value = (column: string) => row[table.columns.indexOf(column)];
      const allowed =
        (table.name === 'users' && kept.serverIds.has(value('id') as string)) ||
        (table.name === 'user_roles' && kept.serverIds.has(value('user_id') as string)) ||
        (table.name === 'settings' && !settingKeys.has(value('key') as string)) ||
        (table.name === 'access_log' && (value('seq') as number) > kept.logHead);
      if (!allowed) throw new ImportDiffersError();
    }
  }
  if (!verifyAccessLogChain(server).ok) throw new ImportDiffersError();
}

class ImportDiffersError extends Error {
  constructor() {
    super('The server journal does not hold the backup as it is');
    this.name = 'ImportDiffersError';
  }
}

/**
 * Restores a backup into a server journal that holds nothing but what `server init` made: moving a
 * single desk's journal onto the server, or disaster recovery onto a freshly initialised database.
 * A journal other desks work in is never replaced: that is refused (error.backup.serverNotEmpty;
 * PostgreSQL's point-in-time recovery or a fresh database is the way there).
 *
 * The file is checked through with the local checks first (inspectBackupFile: schema, manifest,
 * every page, checksum, the log's chain), copied into memory and checked again there, then written
 * into the server in ONE transaction as utvag_restore, inside a restore that restore_begin() opens
 * only on such a journal (and that keeps every other writer waiting until it ends). The log rows the
 * server already had (its initialisation, sign-ins: none names a client) make way for the backup's
 * log, which keeps its seq and hashes, and follow it, after a row that records the restore. The
 * import is read back and compared with what was written before the commit; any failure leaves the
 * server journal as it was.
 */
export async function restoreIntoServer(store: Store, request: ServerRestoreRequest, hooks: ServerRestoreHooks = {}): Promise<ServerRestored> {
  if (store.dialect !== 'postgres') throw new Error('restoreIntoServer restores into a server journal; a local one uses restoreBackup');
  let prepared: Awaited<ReturnType<typeof backupInMemory>>;
  try {
    prepared = await backupInMemory(request);
  } catch (error) {
    if (error instanceof BackupFileError) throw backupRefusal(error.problem);
    throw error;
  }
  const { memory, manifest, migratedTo } = prepared;
  try {
    const head = lastAccessLogRow(memory) ?? { seq: 0, hash: GENESIS_HASH };
    const result = await store.transaction(async (tx) => {
      await beginAs(tx, 'utvag_restore', false);
      const carried = await beginRestore(tx);
      const accounts = accountsForServer(memory, await serverUsers(tx));
      leaveInstallationSettings(memory);
      for (const table of tablesInOrder(memory)) {
        await hooks.beforeTable?.(table.name);
        // The backup's settings are the centre's rules (the separation buffer among them): they replace a server's of the same key.
        await insertServerRows(tx, table.name, table.columns, rowsInWritingOrder(memory, table), table.name === 'settings' ? 'key' : undefined);
      }
      const at = request.now.toISOString();
      const restoreRow = (record: string): AccessLogEntry => ({
        at,
        userId: request.restoredBy,
        clientId: null,
        record,
        action: 'backup.restore',
        channel: 'backup.restore',
        emergency: false,
        reason: null,
      });
      const rows = Object.values(manifest.counts).reduce((sum, count) => sum + count, 0);
      await insertServerRows(
        tx,
        'access_log',
        LOG_COLUMNS,
        chainRows(head, [
          restoreRow(`backup:restore:rows=${rows},carried=${carried.length}`),
          ...accounts.renamedUsers.map((renamed) => restoreRow(`backup:restore:username-moved:${renamed.id}`)),
          ...carried.map(entryOfRow),
        ]).map((row) => LOG_COLUMNS.map((column) => row[column])),
      );
      await endRestore(tx);
      const server = openMemoryJournal({ schema: true });
      try {
        await readServerJournal(tx, server);
        checkImport(memory, server, { serverIds: accounts.serverIds, logHead: head.seq });
      } finally {
        server.close();
      }
      return { ...accounts, carried: carried.length };
    });
    return {
      createdAt: manifest.createdAt,
      schemaVersion: manifest.schemaVersion,
      migratedTo,
      counts: manifest.counts,
      usersWithoutPassword: result.usersWithoutPassword,
      renamedUsers: result.renamedUsers,
      keptServerAccounts: result.keptServerAccounts,
      logRowsCarriedOver: result.carried,
    };
  } catch (error) {
    if (error instanceof ServerNotEmptyError) throw new DomainError('CONFLICT', 'error.backup.serverNotEmpty');
    if (error instanceof ImportDiffersError || isConstraintViolation(error))
      throw new DomainError('INVALID_INPUT', 'error.backup.serverImportFailed', { path: 'error.backup.serverImportFailed' });
    throw error;
  } finally {
    memory.close();
  }
}

/** PostgreSQL refused a row of the backup (class 23: a key, a reference, a check): its details name rows and stay here. */
function isConstraintViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('23');
}
