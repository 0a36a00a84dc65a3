import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import {
  attachBackup,
  BACKUP_SCHEMA,
  BackupFileError,
  checkpointAndTruncateWal,
  checkRestoredLog,
  confirmSealedFile,
  contentDigest,
  copyBackupInto,
  copyJournal,
  detachBackup,
  foreignKeyProblems,
  inspectBackupFile,
  integrityProblems,
  isPartialName,
  keepBackupJournalInMemory,
  newBackupKey,
  openBackupForRestore,
  PageCheckStopped,
  PARTIAL_MARK,
  sameCounts,
  schemaVersionOf,
  sealBackup,
  setForeignKeys,
  type BackupAdmin,
  type BackupManifest,
  type BackupOrigin,
  type BackupProblem,
} from '../../db/backup.js';
import { removeStoredSecrets } from '../../db/backupSchedule.js';
import { openEncrypted, type Db } from '../../db/connection.js';
import { journalPath } from '../../db/journal.js';
import { normaliseUsername } from '../../db/keyring.js';
import { findUserById, insertUser, listUsers, renameUser } from '../../db/local/users.js';
import type { UserRow } from '../../db/users/index.js';
import { loadMigrations, migrate, SchemaVersionError } from '../../db/migrate.js';
import type { ErrorCode } from '../../preload/contract/index.js';
import type { BackupTask } from './backupProgress.js';
import { DomainError } from './errors.js';
import { CENTRE_TIME_ZONE } from './time.js';

/**
 * Encrypted backups of the journal: export to a file of the admin's choice, verify a file without
 * restoring it, and build a restored journal beside the active one. The passphrase is used and
 * dropped: it is never stored, logged or written into the backup.
 */

export interface BackupSummary {
  createdAt: string;
  appVersion: string;
  schemaVersion: number;
  counts: Record<string, number>;
  checksum: string;
  bytes: number;
  /** Sealed by this installation, or made elsewhere (another installation, an older format, or its maker's name changed). */
  origin: BackupOrigin;
  /** The backup's active admins, and what each is in the journal open now (by account id). */
  admins: (Omit<BackupAdmin, 'id'> & { here: 'admin' | 'otherRoles' | 'inactive' | 'absent' })[];
}

/** The app's version from its package.json: two folders up both from this file and from the bundle (dist/main/index.js). */
export function appVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name?: string; version?: string };
    return pkg.name === 'utvag-reception' && pkg.version ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The same passphrase typed on another keyboard or system can arrive in another Unicode form; NFC makes it one. */
export function normalisePassphrase(passphrase: string): string {
  return passphrase.normalize('NFC');
}

export function totalRows(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

const REFUSALS: Record<BackupProblem, { code: ErrorCode; message: string; field: 'path' | 'passphrase' }> = {
  missing: { code: 'NOT_FOUND', message: 'error.backup.fileMissing', field: 'path' },
  partial: { code: 'INVALID_INPUT', message: 'error.backup.partial', field: 'path' },
  notABackup: { code: 'INVALID_INPUT', message: 'error.backup.notABackup', field: 'path' },
  unencrypted: { code: 'INVALID_INPUT', message: 'error.backup.unencrypted', field: 'path' },
  wrongPassphrase: { code: 'WRONG_CREDENTIALS', message: 'error.backup.wrongPassphrase', field: 'passphrase' },
  damaged: { code: 'INVALID_INPUT', message: 'error.backup.damaged', field: 'path' },
  unexpectedSchema: { code: 'INVALID_INPUT', message: 'error.backup.unexpectedSchema', field: 'path' },
  newerSchema: { code: 'CONFLICT', message: 'error.backup.newerSchema', field: 'path' },
  sealBroken: { code: 'INVALID_INPUT', message: 'error.backup.sealBroken', field: 'path' },
  logChain: { code: 'INVALID_INPUT', message: 'error.backup.logChain', field: 'path' },
};

export function backupRefusal(problem: BackupProblem): DomainError {
  const refusal = REFUSALS[problem];
  return new DomainError(refusal.code, refusal.message, { [refusal.field]: refusal.message });
}

/** A refusal as the access log names it ('wrongPassphrase', 'damaged', 'journalInUse'): a message key's last part, never data. */
export function refusalName(error: unknown): string {
  if (!(error instanceof DomainError)) return 'failed';
  return error.message
    .replace(/^error\.(backup\.)?/, '')
    .replace(/[^\w.]/g, '_')
    .slice(0, 40);
}

export type BackupVerification = ({ ok: true } & BackupSummary) | { ok: false; problem: BackupProblem; error: DomainError };

function summaryOf(manifest: BackupManifest, bytes: number, origin: BackupOrigin, admins: BackupAdmin[], current: Db | null): BackupSummary {
  return {
    createdAt: manifest.createdAt,
    appVersion: manifest.appVersion,
    schemaVersion: manifest.schemaVersion,
    counts: manifest.counts,
    checksum: manifest.checksum,
    bytes,
    origin,
    admins: admins.map((admin) => {
      const here = current ? findUserById(current, admin.id) : undefined;
      const status = !here ? 'absent' : !here.active ? 'inactive' : here.roles.includes('admin') ? 'admin' : 'otherRoles';
      return { username: admin.username, displayName: admin.displayName, here: status };
    }),
  };
}

/** What a check of a backup compares it with: this installation's seal key, and the journal open now (for the admins). */
export interface VerifyContext {
  sealKey: Buffer | null;
  current: Db | null;
  /** The operation's progress (BackupWork), told each stage and its counts. */
  task?: BackupTask | undefined;
}

/**
 * Long checks run on a connection of their own and pause between steps (every few thousand rows),
 * so that the main process keeps answering the screens while a large backup is hashed.
 */
const pauseForTheApp = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Checks a backup file through without restoring it: a typed answer, or the reason it cannot be used. */
export async function verifyBackup(
  file: string,
  passphrase: string,
  context: VerifyContext = { sealKey: null, current: null },
): Promise<BackupVerification> {
  try {
    const task = context.task;
    const inspected = await inspectBackupFile(path.resolve(file), normalisePassphrase(passphrase), task?.pause ?? pauseForTheApp, {
      sealKey: context.sealKey,
      stage: task?.stage,
    });
    // The journal may have locked during the check: then nothing is compared with it.
    const current = context.current?.open ? context.current : null;
    return { ok: true, ...summaryOf(inspected.manifest, inspected.bytes, inspected.origin, inspected.admins, current) };
  } catch (error) {
    if (error instanceof BackupFileError) return { ok: false, problem: error.problem, error: backupRefusal(error.problem) };
    throw error;
  }
}

// ---- Files ---------------------------------------------------------------------------------------

function fsyncPath(file: string, flags: 'r' | 'r+'): void {
  const fd = openSync(file, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync on the thread pool: the disk writes while the main thread goes on. */
async function flushInBackground(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function fsyncFolder(folder: string): void {
  try {
    fsyncPath(folder, 'r');
  } catch {
    // Folders cannot be opened for fsync on Windows; the rename is still atomic there.
  }
}

/** Owner read and write only; a no-op where the file system has no such modes. */
function chmodPrivate(file: string): void {
  try {
    chmodSync(file, 0o600);
  } catch {
    // Windows keeps its own access lists; the data folder's are the user's.
  }
}

function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}

/** Storage errors while writing a backup: the disk is full, read-only or the folder is not ours. */
function isStorageFailure(error: unknown): boolean {
  const code = String((error as { code?: unknown }).code ?? '');
  return (
    ['ENOSPC', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EDQUOT', 'SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_PERM'].includes(code) ||
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_READONLY')
  );
}

function isInside(folder: string, candidate: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * A folder that may hold backups: it exists, and it is outside the journal's own folder. Returns its
 * real path; a refusal names `field` (the export's path, the schedule's folder).
 */
export function backupFolder(folder: string, dataDir: string, field: string): string {
  let realFolder: string;
  try {
    realFolder = realpathSync(path.resolve(folder));
    if (!statSync(realFolder).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new DomainError('NOT_FOUND', 'error.backup.folderMissing', { [field]: 'error.backup.folderMissing' });
  }
  // A backup beside the journal neither survives the loss of that disk nor may ever overwrite the journal or its keyring.
  const realDataDir = existsSync(dataDir) ? realpathSync(dataDir) : path.resolve(dataDir);
  if (isInside(realDataDir, realFolder))
    throw new DomainError('INVALID_INPUT', 'error.backup.insideDataDir', { [field]: 'error.backup.insideDataDir' });
  return realFolder;
}

/** Where a backup may go: an existing folder outside the journal's own, under a name that is not an unfinished export's. */
export function exportTarget(file: string, dataDir: string): string {
  const target = path.resolve(file);
  const realFolder = backupFolder(path.dirname(target), dataDir, 'path');
  if (isPartialName(target)) throw new DomainError('INVALID_INPUT', 'error.backup.badName', { path: 'error.backup.badName' });
  if (existsSync(target) && !statSync(target).isFile())
    throw new DomainError('INVALID_INPUT', 'error.backup.notAFile', { path: 'error.backup.notAFile' });
  return path.join(realFolder, path.basename(target));
}

// ---- Export --------------------------------------------------------------------------------------

export interface ExportRequest {
  file: string;
  passphrase: string;
  dataDir: string;
  now: Date;
  /** This installation's seal key (sealKeyFor the journal key); null makes an unsealed backup ("made elsewhere" everywhere). */
  sealKey: Buffer | null;
}

export interface ExportHooks {
  /** Runs the copy in one transaction (the router's, so that its access-log row lands with it). */
  transact<T>(work: () => T): T;
  /** Called inside that transaction once the rows are copied. */
  onCopied(summary: { rows: number }): void;
  /** The operation's progress (BackupWork), told each phase and its counts. */
  task?: BackupTask | undefined;
}

export interface ExportedBackup {
  path: string;
  bytes: number;
  counts: Record<string, number>;
  checksum: string;
}

/**
 * Writes a backup of the open journal. The copy goes into `<name>.partial-<random>` (created
 * private, 0600), is read back and checked through a connection of its own, sealed with its manifest,
 * flushed, and only then renamed to its name: an interrupted export never leaves a file that
 * looks like a backup, and an existing backup of the same name stays whole until the new one is complete.
 *
 * Only the copy itself holds the journal's connection, in one transaction with its access-log row
 * (better-sqlite3 is synchronous; SQLite copies the rows in C). The key is derived from the passphrase
 * once for the copy (newBackupKey); the seal reads every page back with SQLite's full integrity check on a
 * worker thread while, on a connection opened with the passphrase as the stock tool opens it, the rows are
 * hashed in steps between which the app answers other calls, and writes the manifest once both are done;
 * a last fresh connection reads back what the manifest's commit wrote (sealBackup, confirmSealedFile).
 */
export async function exportBackup(db: Db, request: ExportRequest, hooks: ExportHooks): Promise<ExportedBackup> {
  const target = exportTarget(request.file, request.dataDir);
  const passphrase = normalisePassphrase(request.passphrase);
  const key = newBackupKey(passphrase);
  const partial = `${target}${PARTIAL_MARK}${randomBytes(6).toString('hex')}`;
  const writeFailed = () => new DomainError('STORAGE', 'error.backup.writeFailed', { path: 'error.backup.writeFailed' });
  try {
    // Created here, empty and private: the journal's connection may attach a file but not create one.
    closeSync(openSync(partial, 'wx', 0o600));
  } catch (error) {
    throw isStorageFailure(error) ? writeFailed() : error;
  }
  const task = hooks.task;
  let flushing: Promise<void> | null = null;
  try {
    // The copy is one synchronous statement per table: its phase has no count, and no poll is answered until it ends.
    task?.enter('copying');
    let copiedRows = 0;
    const schemaVersion = copyJournalInto(db, partial, key, {
      ...hooks,
      onCopied: (summary) => {
        copiedRows = summary.rows;
        hooks.onCopied(summary);
      },
    });
    // The copy's pages go to the disk on another thread while the seal reads them back from the system's cache.
    flushing = flushInBackground(partial);
    // Awaited after the seal; handled from now on, so that a failure while the seal runs is no unhandled rejection.
    void flushing.catch(() => undefined);
    const manifest = await sealBackup(
      partial,
      passphrase,
      key,
      { createdAt: request.now.toISOString(), appVersion: appVersion(), schemaVersion },
      task?.pause ?? pauseForTheApp,
      request.sealKey,
      (stage) => task?.enter(stage, stage === 'sealing' ? copiedRows : 0),
    );
    await flushing;
    // Whatever the seal wrote after that flush began.
    fsyncPath(partial, 'r+');
    const bytes = confirmSealedFile(partial, key, manifest);
    renameSync(partial, target);
    fsyncFolder(path.dirname(target));
    return { path: target, bytes, counts: manifest.counts, checksum: manifest.checksum };
  } catch (error) {
    // The flush holds the file open: it ends before the file is removed (Windows removes no open file).
    await flushing?.catch(() => undefined);
    removeDatabaseFiles(partial);
    throw error instanceof BackupFileError || error instanceof PageCheckStopped || isStorageFailure(error) ? writeFailed() : error;
  }
}

/**
 * A backup made elsewhere (the Utväg server's export) taken onto this computer as an export writes
 * its own: the bytes go into `<name>.partial-<random>` (private, 0600) beside the target, are
 * checked through with the passphrase as verify does (every page, manifest, checksum, the log's
 * chain) and must be the backup the sender named (`expectedChecksum`); only then is the file
 * renamed to its name. Anything less leaves no file behind.
 */
export async function receiveBackup(
  request: { file: string; passphrase: string; dataDir: string; expectedChecksum: string },
  write: (partial: string) => Promise<void>,
  task?: BackupTask,
): Promise<ExportedBackup> {
  const target = exportTarget(request.file, request.dataDir);
  const passphrase = normalisePassphrase(request.passphrase);
  const partial = `${target}${PARTIAL_MARK}${randomBytes(6).toString('hex')}`;
  const writeFailed = () => new DomainError('STORAGE', 'error.backup.writeFailed', { path: 'error.backup.writeFailed' });
  try {
    closeSync(openSync(partial, 'wx', 0o600));
  } catch (error) {
    throw isStorageFailure(error) ? writeFailed() : error;
  }
  try {
    task?.enter('copying');
    await write(partial);
    fsyncPath(partial, 'r+');
    const received = await inspectBackupFile(partial, passphrase, task?.pause ?? pauseForTheApp, { allowPartialName: true, stage: task?.stage });
    if (received.manifest.checksum !== request.expectedChecksum) throw new BackupFileError('damaged', 'Not the backup the server made');
    renameSync(partial, target);
    fsyncFolder(path.dirname(target));
    return { path: target, bytes: received.bytes, counts: received.manifest.counts, checksum: received.manifest.checksum };
  } catch (error) {
    removeDatabaseFiles(partial);
    if (error instanceof BackupFileError) throw backupRefusal(error.problem);
    throw isStorageFailure(error) ? writeFailed() : error;
  }
}

/** The copy, in one transaction of the journal's connection, keyed with the backup's key (newBackupKey); returns the schema version copied. */
function copyJournalInto(db: Db, file: string, key: string, hooks: ExportHooks): number {
  // Foreign keys are switched off for the copy (a child table may come before its parent) and back on after it, whatever happens.
  setForeignKeys(db, false);
  try {
    attachBackup(db, file, key);
    try {
      keepBackupJournalInMemory(db);
      return hooks.transact(() => {
        const copied = copyJournal(db, 'main', BACKUP_SCHEMA);
        // The automatic backups' passphrase stays in the journal: no backup, opened with its own passphrase, may reveal it.
        const rows = copied.rows - removeStoredSecrets(db, BACKUP_SCHEMA);
        hooks.onCopied({ rows });
        return schemaVersionOf(db, 'main');
      });
    } finally {
      detachBackup(db);
    }
  } finally {
    setForeignKeys(db, true);
  }
}

// ---- Restore -------------------------------------------------------------------------------------

/**
 * A file-name-safe instant for the names of kept and restored journals, in the centre's time with its
 * offset like the backups' names (`2026-11-23_093000.123+0100`): what the screens show is what the folder shows.
 * The milliseconds keep two restores in one second apart.
 */
export function fileStamp(now: Date): string {
  return format(new TZDate(now.getTime(), CENTRE_TIME_ZONE), 'yyyy-MM-dd_HHmmss.SSSxx');
}

/** A stamp of fileStamp's, or of the UTC form earlier versions wrote (`2026-05-12T10-15-00-123Z`). */
export const FILE_STAMP = String.raw`\d{4}-\d\d-\d\d(?:_\d{6}\.\d{3}[+-]\d{4}|T[\d-]+Z)`;

/** The instant a stamp names (either form), or null. Compared as instants: local names do not sort across the autumn change. */
export function instantOfFileStamp(stamp: string): number | null {
  const local = /^(\d{4})-(\d\d)-(\d\d)_(\d\d)(\d\d)(\d\d)\.(\d{3})([+-])(\d\d)(\d\d)$/.exec(stamp);
  if (local) {
    const [y, mo, d, h, mi, s, ms, sign, oh, om] = local.slice(1) as string[];
    const offset = (Number(oh) * 60 + Number(om)) * (sign === '-' ? -1 : 1);
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms)) - offset * 60_000;
  }
  const utc = /^(\d{4})-(\d\d)-(\d\d)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/.exec(stamp);
  if (utc) {
    const [y, mo, d, h, mi, s, ms] = utc.slice(1).map(Number) as number[];
    return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms!);
  }
  return null;
}

export interface RestoreRequest {
  dataDir: string;
  /** The current journal key: the restored journal is keyed with it, so every key slot keeps working. */
  key: Buffer;
  file: string;
  passphrase: string;
  /** What verifyBackup found in the file just before. */
  backup: BackupSummary;
  stamp: string;
  /** Writes the restore's own access-log row into the new journal, before its final checks. */
  record(db: Db, summary: { rows: number }): void;
}

export interface BuiltJournal {
  file: string;
  backup: BackupSummary;
  rows: number;
  migratedTo: number;
  danglingReferences: number;
}

/**
 * Builds a complete journal from a verified backup beside the active one
 * (`journal.db.restoring-<stamp>`, created private), under the current key. A backup is data, never
 * code: the backup is opened read-only on a connection of its own with `trusted_schema = OFF`, its
 * schema must be exactly the one this app's migrations make for its version (checkSchema), and the new
 * journal's tables, indexes, triggers and views are made from those migrations, not from the file; only
 * the rows of known tables are copied, by named columns (copyBackupInto). The copy is then checked
 * against the manifest that was verified (the file may have changed since), its access log must verify
 * as a chain ending at the manifest's head, and it is migrated to this app's schema and checked again.
 * Synchronous from start to end, so the session cannot lock (and drop the key) half-way. The active
 * journal is not touched; on any failure the new file is removed.
 */
export function buildRestoredJournal(request: RestoreRequest): BuiltJournal {
  const passphrase = normalisePassphrase(request.passphrase);
  const source = path.resolve(request.file);
  const backup = request.backup;
  if (backup.schemaVersion > loadMigrations().length)
    throw new DomainError('CONFLICT', 'error.backup.newerSchema', { path: 'error.backup.newerSchema' });

  const file = `${journalPath(request.dataDir)}.restoring-${request.stamp}`;
  let db: Db | null = null;
  let from: Db | null = null;
  try {
    // Opened (and its schema checked) before anything is created, so a refused file leaves nothing behind.
    const opened = openBackupForRestore(source, passphrase);
    from = opened.db;
    const manifest = opened.manifest;
    // The file may have changed since it was verified: it must be the backup that was checked (and confirmed).
    if (manifest.checksum !== backup.checksum || !sameCounts(manifest.counts, backup.counts) || manifest.schemaVersion !== backup.schemaVersion)
      throw new BackupFileError('damaged', 'Not the backup that was verified');
    closeSync(openSync(file, 'wx', 0o600));
    db = openEncrypted(file, request.key, { create: true });
    const built = db;
    const reader = from;
    setForeignKeys(built, false);
    let rows: number;
    try {
      rows = built.transaction(() => {
        const copied = copyBackupInto(reader, built, manifest.schemaVersion);
        const content = contentDigest(built, 'main', manifest.checksumMethod);
        if (content.checksum !== manifest.checksum || !sameCounts(content.counts, manifest.counts))
          throw new BackupFileError('damaged', 'Copy differs');
        // The backed-up access log must be whole and end where the manifest says: no row of it dropped or changed.
        checkRestoredLog(built, manifest);
        return copied.rows;
      })();
    } finally {
      setForeignKeys(built, true);
    }
    from.close();
    from = null;
    // A backup from an older version of the app is brought up to this app's schema here, before the switch.
    const migrated = migrate(built);
    request.record(built, { rows });
    if (integrityProblems(built, 'main').length > 0) throw new BackupFileError('damaged', 'The restored journal fails its integrity check');
    // Foreign-key problems are copied as they were in the journal that was backed up: counted for the log, not refused.
    const danglingReferences = foreignKeyProblems(built, 'main');
    checkpointAndTruncateWal(built);
    built.close();
    db = null;
    // Closed, the new journal is one file: every page is in it, none left in a write-ahead log to be lost in the switch.
    if (existsSync(`${file}-wal`)) throw new Error('The restored journal kept a write-ahead log after closing');
    return { file, backup, rows, migratedTo: migrated.to, danglingReferences };
  } catch (error) {
    from?.close();
    db?.close();
    removeDatabaseFiles(file);
    if (error instanceof BackupFileError) throw backupRefusal(error.problem);
    if (error instanceof SchemaVersionError) throw new DomainError('CONFLICT', 'error.backup.newerSchema', { path: 'error.backup.newerSchema' });
    if (isStorageFailure(error)) throw new DomainError('STORAGE', 'error.backup.restoreFailed');
    throw error;
  }
}

export function discardRestoredJournal(file: string): void {
  removeDatabaseFiles(file);
}

/**
 * With the active journal closed: keeps it as `journal.db.before-restore-<stamp>` and puts the
 * restored one in its place. SQLite removes the write-ahead log when the last connection closes,
 * so a log still there means that another program (the app while the CLI restores, or the other
 * way round) has the journal open: then nothing is moved, since its writes would land in the kept file.
 */
export function switchToRestoredJournal(dataDir: string, built: string, stamp: string): { keptAs: string } {
  const active = journalPath(dataDir);
  if (existsSync(`${active}-wal`)) throw new DomainError('CONFLICT', 'error.backup.journalInUse');
  const kept = `${active}.before-restore-${stamp}`;
  renameSync(active, kept);
  // The kept journal is a full copy of the journal that lies about until an admin clears it away: private to its owner.
  chmodPrivate(kept);
  // A shared-memory index left behind belongs to the kept journal, never to the new one.
  const movedShm = existsSync(`${active}-shm`);
  if (movedShm) renameSync(`${active}-shm`, `${kept}-shm`);
  try {
    renameSync(built, active);
  } catch (error) {
    // Half a switch is no switch: the active journal goes back under its name.
    if (movedShm) renameSync(`${kept}-shm`, `${active}-shm`);
    renameSync(kept, active);
    throw error;
  }
  fsyncFolder(dataDir);
  return { keptAs: path.basename(kept) };
}

/** Puts the kept journal back when the restored one, against every check, does not open. */
export function undoJournalSwitch(dataDir: string, keptAs: string, stamp: string): void {
  const active = journalPath(dataDir);
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(active + suffix)) renameSync(active + suffix, `${active}.failed-restore-${stamp}${suffix}`);
  }
  renameSync(path.join(dataDir, keptAs), active);
  fsyncFolder(dataDir);
}

/**
 * A switch of journals cut off between its renames (the app killed, the power lost) leaves no
 * `journal.db`, and the folder would look like one without a journal. Run before anything looks at
 * the folder, this finishes the switch the way it was going; nothing is guessed and nothing deleted:
 * - `journal.db.restoring-<stamp>` is still there: the restored journal was complete, checked and
 *   closed before the first rename, so it takes its place, as an uninterrupted restore would have
 *   left it, and the replaced journal stays kept as `journal.db.before-restore-<stamp>`;
 * - `journal.db.failed-restore-<stamp>` is there: a restored journal that did not open was being put
 *   aside, so the kept journal goes back, and a log or index of the failed one follows it aside first;
 * - anything else (no journal and no switch under way) is left for a person to look at.
 */
export function finishInterruptedSwitch(dataDir: string): 'none' | 'completed' | 'undone' {
  const active = journalPath(dataDir);
  let names: string[];
  try {
    if (existsSync(active)) return 'none';
    names = readdirSync(dataDir);
  } catch {
    return 'none';
  }
  // Both the local stamps and the UTC ones of earlier versions (a folder left by an update mid-restore); the latest instant wins.
  const keptName = new RegExp(`^journal\\.db\\.before-restore-(${FILE_STAMP})$`);
  const stamp = names
    .map((name) => keptName.exec(name)?.[1])
    .filter((found): found is string => found !== undefined)
    .sort((a, b) => (instantOfFileStamp(a) ?? 0) - (instantOfFileStamp(b) ?? 0))
    .at(-1);
  if (!stamp) return 'none';
  const kept = `${active}.before-restore-${stamp}`;
  const failed = `${active}.failed-restore-${stamp}`;
  const restoring = `${active}.restoring-${stamp}`;
  // A log or index left under the active name belongs to the journal that is leaving, never to the one that comes.
  const moveAside = (to: string) => {
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(active + suffix) && !existsSync(to + suffix)) renameSync(active + suffix, to + suffix);
    }
  };
  if (existsSync(failed)) {
    moveAside(failed);
    renameSync(kept, active);
    fsyncFolder(dataDir);
    return 'undone';
  }
  if (existsSync(restoring)) {
    moveAside(kept);
    renameSync(restoring, active);
    fsyncFolder(dataDir);
    return 'completed';
  }
  return 'none';
}

// ---- A restore onto another installation -----------------------------------------------------

export interface AdoptedRestorer {
  /** The restoring user was not in the backup and has been added to it. */
  added: boolean;
  /** The account in the backup whose username the restoring user holds; it keeps everything but that username. */
  renamed: { id: string; displayName: string; from: string; to: string } | null;
}

/** `base-2`, `base-3` …: the first that no user has (as the keyring compares usernames), within the 40 characters a username may have. */
export function freeUsername(taken: Set<string>, base: string): string {
  for (let n = 2; ; n += 1) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, 40 - suffix.length)}${suffix}`;
    if (!taken.has(normaliseUsername(candidate))) return candidate;
  }
}

/**
 * Makes sure the admin who restores can still sign in to the restored journal. A backup from
 * another installation (the old computer was lost and this one was set up anew) does not hold the
 * new installation's users, and this installation's keyring has slots only for them: without this
 * step nobody could sign in afterwards but through the recovery code.
 *
 * The restoring user is added under their own id, name, username and roles; nothing else changes.
 * If an account in the backup has the same username (as the keyring compares them: trimmed, NFC,
 * lower case), it is most likely the same person's old account, but nothing proves that: it keeps
 * its id, name, roles and everything it wrote or signed, and only its username gets a free suffix
 * (`astrid.admin-2`), so that the person at the keyboard keeps the username and password just set
 * up, and an admin decides about the old account (a new temporary password, or deactivating it).
 * Taking over the old account instead would put the new installation's actions under the old
 * account's name in the access log, and its key slot could not be made without its password.
 */
export function adoptRestoringUser(db: Db, restorer: UserRow): AdoptedRestorer {
  if (findUserById(db, restorer.id)) return { added: false, renamed: null };
  const users = listUsers(db);
  const wanted = normaliseUsername(restorer.username);
  const holder = users.find((user) => normaliseUsername(user.username) === wanted);
  let renamed: AdoptedRestorer['renamed'] = null;
  if (holder) {
    const to = freeUsername(new Set([wanted, ...users.map((user) => normaliseUsername(user.username))]), holder.username);
    renameUser(db, holder.id, to);
    renamed = { id: holder.id, displayName: holder.displayName, from: holder.username, to };
  }
  insertUser(db, {
    id: restorer.id,
    username: restorer.username,
    displayName: restorer.displayName,
    roles: restorer.roles,
    mustChangePassword: false,
    createdAt: restorer.createdAt,
  });
  return { added: true, renamed };
}
