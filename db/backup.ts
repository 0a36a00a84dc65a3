import { createHash, createHmac, hkdfSync, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3-multiple-ciphers';
import { continuesChain, GENESIS_HASH, type RawLogRow } from './accessLog.js';
import { verifyAccessLogChain } from './local/accessLog.js';
import type { Db } from './connection.js';
import { loadMigrations, migrate } from './migrate.js';

/**
 * Backups are SQLCipher 4 databases with SQLCipher 4's default settings, keyed by a passphrase, so
 * that the stock `sqlcipher` tool opens them with `PRAGMA key = '…'` without this app. They are
 * written through an attached database (`ATTACH … KEY`) on the journal's own connection: the
 * backup API cannot change the encryption, and no unencrypted copy ever touches the disk.
 */

export const BACKUP_SCHEMA = 'backup';
export const MANIFEST_TABLE = 'backup_manifest';
/** Format 2 adds the schema's checksum, the access log's chain head and the installation's seal to the manifest. */
export const BACKUP_FORMAT = 'utvag-backup/2';
/** Backups made before format 2: still restorable (their schema is checked the same way), but never sealed. */
const OLDER_FORMATS = new Set(['utvag-backup/1']);
/**
 * How the content checksum is formed. Method 2 hashes the access log by its chain head and row count
 * instead of row by row: each of its rows is already bound to its hash and that one to the row
 * before, and every check that hashes the content (verify, restore) also walks that chain to the
 * head the manifest names, so hashing its rows a second time proved nothing more and was most of an
 * export's checksum (the log is the largest table). Method 1 backups still verify and restore.
 */
export const CHECKSUM_METHOD = 'utvag-rows-sha256/2';
const CHECKSUM_METHODS: ReadonlySet<string> = new Set(['utvag-rows-sha256/1', CHECKSUM_METHOD]);
/** The one table whose rows are chained (db/accessLog.ts): method 2 hashes its head, see CHECKSUM_METHOD. */
const CHAINED_TABLE = 'access_log';

/** SQLCipher 4's defaults (PBKDF2-HMAC-SHA512 with 256,000 iterations, HMAC-SHA512 per 4096-byte page). */
const SQLCIPHER4_DEFAULTS: Record<string, number | string> = {
  cipher: 'sqlcipher',
  legacy: 4,
  legacy_page_size: 4096,
  kdf_iter: 256000,
  fast_kdf_iter: 2,
  hmac_use: 1,
  hmac_pgno: 1,
  hmac_salt_mask: 0x3a,
  kdf_algorithm: 2,
  hmac_algorithm: 2,
  plaintext_header_size: 0,
};
const PAGE_SIZE = 4096;
/** The most pages a backup check keeps in its cache (512 MiB of pages); ten years of journal are some 270 MB. */
const READ_BACK_CACHE_LIMIT_PAGES = (512 * 1024 * 1024) / PAGE_SIZE;

/**
 * The page cache of the export's page check (startPageCheck): 4000 pages (16 MiB). Its integrity check
 * reads each b-tree in order and looks each row up in its table's indexes near where the last lookup
 * was, so a small cache serves it as well as one of the whole file: measured on the ten-year journal
 * (286 MB), the check took as long with 4000 pages as with every page cached, and the export was some
 * 0.8 s faster, since the memory for a whole file's cache is new to the process at every export and
 * the system makes each of its pages on first use (#13).
 */
const PAGE_CHECK_CACHE_PAGES = 4000;

/**
 * A page cache that holds the whole file (up to the limit), so that a check reading every page and then
 * the rows decrypts and authenticates each page once. Counted in pages, not KiB: SQLite charges each
 * cached page more than its 4096 bytes, and a cache of the file's size in KiB held some 5% fewer pages
 * than the file has, so a scan after the page walk found the cache full of the wrong pages and read
 * everything a second time (#13).
 */
function cacheWholeFile(db: Db, bytes: number): void {
  db.pragma(`cache_size = ${Math.min(READ_BACK_CACHE_LIMIT_PAGES, Math.ceil(bytes / PAGE_SIZE) + 256)}`);
}

type Schema = 'main' | typeof BACKUP_SCHEMA;

export type BackupProblem =
  | 'missing'
  | 'partial'
  | 'notABackup'
  | 'unencrypted'
  | 'wrongPassphrase'
  | 'damaged'
  /** The file's schema (tables, indexes, triggers, views, their SQL text) is not the one this app's migrations make. */
  | 'unexpectedSchema'
  /** Made by a newer version of the app: its schema cannot be checked here. */
  | 'newerSchema'
  /** Names this installation as its maker, but its seal does not match: altered after it was made. */
  | 'sealBroken'
  /** The access log in the file does not verify as a hash chain, or does not end where the manifest says. */
  | 'logChain';

/** Why a file is not a usable backup; the service turns it into a message for the admin. */
export class BackupFileError extends Error {
  constructor(
    readonly problem: BackupProblem,
    detail: string,
  ) {
    super(detail);
    this.name = 'BackupFileError';
  }
}

export interface BackupContent {
  /** Rows per table (every table but the manifest and SQLite's own). */
  counts: Record<string, number>;
  checksum: string;
}

/** The last row of the access log: its sequence number and hash (0 and the genesis hash for an empty log). */
export interface LogHead {
  seq: number;
  hash: string;
}

export interface BackupManifest extends BackupContent {
  format: string;
  createdAt: string;
  appVersion: string;
  schemaVersion: number;
  checksumMethod: string;
  /** SHA-256 of the file's schema (every sqlite_master row); null only in format 1. */
  schemaChecksum: string | null;
  /** Where the backed-up access log ends; null only in format 1. */
  logHead: LogHead | null;
  /** The installation that made it (derived from its journal key, see sealKeyFor), or null when made without one. */
  installation: string | null;
  /** HMAC-SHA256 of every other field, keyed by the maker's seal key; null with installation. */
  seal: string | null;
}

/** Who made a backup, as far as this installation can tell (see backupOrigin). */
export type BackupOrigin = 'thisInstallation' | 'elsewhere';

/** An active admin of the backed-up journal: the restore screen names them before it asks for a confirmation. */
export interface BackupAdmin {
  id: string;
  username: string;
  displayName: string;
}

export interface InspectedBackup {
  manifest: BackupManifest;
  bytes: number;
  origin: BackupOrigin;
  admins: BackupAdmin[];
}

const quoteName = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A passphrase as an SQL string literal: quotes doubled, as `PRAGMA key = '…'` expects it. */
export function sqlString(value: string): string {
  if (value.includes('\0')) throw new Error('A passphrase cannot contain a NUL character');
  return `'${value.replaceAll("'", "''")}'`;
}

/** An interrupted export leaves `<name>.partial-<random>`: never to be taken for a backup. */
export const PARTIAL_MARK = '.partial-';
export function isPartialName(file: string): boolean {
  return path.basename(file).includes(PARTIAL_MARK);
}

// ---- Attaching ------------------------------------------------------------------------------

/**
 * A new backup's key, derived once as SQLCipher 4 derives it from the passphrase (PBKDF2-HMAC-SHA512,
 * 256,000 rounds, 32 bytes) with a fresh 16-byte salt, and given to SQLCipher raw with that salt
 * (`x'<key><salt>'`): SQLCipher writes the salt into the file's first 16 bytes as it writes its own,
 * so the stock tool opens the file with the passphrase alone. The export's copy and its last read-back
 * (confirmSealedFile) both use it, so the slow derivation runs once for the two instead of once per
 * connection; the seal opens the file with the passphrase itself, which proves the two derivations agree
 * before the file gets its name.
 * Synchronous, like the derivation in ATTACH it replaces: the copy must start in the same turn as the
 * export, before the session can lock and close the journal.
 */
export function newBackupKey(passphrase: string): string {
  const salt = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, Number(SQLCIPHER4_DEFAULTS.kdf_iter), 32, 'sha512');
  try {
    return `x'${key.toString('hex')}${salt.toString('hex')}'`;
  } finally {
    key.fill(0);
  }
}

/**
 * Attaches (and, when the file is empty, creates) a backup keyed by the passphrase (or by a new
 * backup's key from newBackupKey). The cipher settings are inherited from the connection, so they are
 * checked afterwards: a backup must be plain SQLCipher 4, whatever a future library version chooses as its default.
 */
export function attachBackup(db: Db, file: string, passphrase: string): void {
  db.prepare(`ATTACH DATABASE ? AS ${BACKUP_SCHEMA} KEY ?`).run(file, passphrase);
  try {
    for (const [name, expected] of Object.entries(SQLCIPHER4_DEFAULTS)) {
      const actual = db.pragma(`${BACKUP_SCHEMA}.${name}`, { simple: true });
      if (String(actual) !== String(expected)) throw new Error(`The backup would not use SQLCipher 4 defaults (${name} is ${String(actual)})`);
    }
    // Reading the schema proves the passphrase opens an existing file (or starts a new one).
    db.prepare(`SELECT count(*) FROM ${BACKUP_SCHEMA}.sqlite_master`).get();
  } catch (error) {
    detachBackup(db);
    throw error;
  }
}

export function detachBackup(db: Db): void {
  db.exec(`DETACH DATABASE ${BACKUP_SCHEMA}`);
}

/**
 * While a backup is written, its rollback journal stays in memory: no side file, and the partial file is
 * thrown away on failure anyway. For the same reason the copy's commit does not wait for the disk: the
 * export flushes the file itself while the seal reads it, and again before the file gets its name.
 */
export function keepBackupJournalInMemory(db: Db): void {
  db.pragma(`${BACKUP_SCHEMA}.journal_mode = MEMORY`);
  db.pragma(`${BACKUP_SCHEMA}.synchronous = OFF`);
}

/**
 * Foreign keys are checked while the journal is used; a copy is taken as it is, table by table,
 * so a child table may be filled before its parent. Must be called outside a transaction.
 */
export function setForeignKeys(db: Db, on: boolean): void {
  db.pragma(`foreign_keys = ${on ? 'ON' : 'OFF'}`);
}

// ---- Copying ---------------------------------------------------------------------------------

interface SchemaObject {
  type: 'table' | 'index' | 'trigger' | 'view';
  name: string;
  sql: string;
}

/** Every object that is part of the journal: SQLite's own and the manifest are left out. */
function schemaObjects(db: Db, schema: Schema): SchemaObject[] {
  return db
    .prepare(
      `SELECT type, name, sql FROM ${schema}.sqlite_master
       WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name <> ?
       ORDER BY rowid`,
    )
    .all(MANIFEST_TABLE) as SchemaObject[];
}

/** `CREATE [UNIQUE] TABLE|INDEX|VIEW|TRIGGER name …` as stored by SQLite, made to create the object in another schema. */
function inSchema(sql: string, schema: Schema): string {
  if (/^CREATE\s+VIRTUAL\s+TABLE/i.test(sql)) throw new Error('The backup copier does not handle virtual tables; extend it first');
  const qualified = sql.replace(/^CREATE\s+(UNIQUE\s+)?(TABLE|INDEX|VIEW|TRIGGER)\s+/i, (head) => `${head}${schema}.`);
  if (qualified === sql) throw new Error('A schema statement was not understood by the backup copier');
  return qualified;
}

interface TableShape {
  name: string;
  /** Stored columns, in declared order (generated columns are computed again, never copied). */
  columns: string[];
  withoutRowid: boolean;
  /** A rowid that no column stands for: copied explicitly so that rows keep their identity. */
  hiddenRowid: boolean;
  /** Columns of the primary key, in key order (the row order of a WITHOUT ROWID table). */
  primaryKey: string[];
  /** A STRICT table whose columns cannot hold a REAL: SQLite itself can write its rows in canonical form (see digestSteps). */
  noReals: boolean;
}

/** Declared types of a STRICT table's column that never hold a REAL (STRICT refuses any other storage class). */
const NEVER_REAL = new Set(['INT', 'INTEGER', 'TEXT', 'BLOB']);

function tableShape(db: Db, schema: Schema, name: string): TableShape {
  const info = db.prepare(`SELECT name, type, pk, hidden FROM pragma_table_xinfo(?, ?) ORDER BY cid`).all(name, schema) as {
    name: string;
    type: string;
    pk: number;
    hidden: number;
  }[];
  const listed = db.prepare(`SELECT wr, strict FROM pragma_table_list(?) WHERE schema = ?`).get(name, schema) as
    { wr: number; strict: number } | undefined;
  const withoutRowid = listed?.wr === 1;
  const primaryKey = info
    .filter((column) => column.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((column) => column.name);
  const rowidAlias = !withoutRowid && primaryKey.length === 1 && info.find((column) => column.pk === 1)?.type.toUpperCase() === 'INTEGER';
  const names = new Set(info.map((column) => column.name.toLowerCase()));
  const rowidShadowed = ['rowid', '_rowid_', 'oid'].every((alias) => names.has(alias));
  return {
    name,
    columns: info.filter((column) => column.hidden === 0).map((column) => column.name),
    withoutRowid,
    hiddenRowid: !withoutRowid && !rowidAlias && !rowidShadowed,
    primaryKey,
    noReals: listed?.strict === 1 && info.filter((column) => column.hidden === 0).every((column) => NEVER_REAL.has(column.type.toUpperCase())),
  };
}

function rowidName(shape: TableShape): string {
  return ['rowid', '_rowid_', 'oid'].find((alias) => !shape.columns.some((column) => column.toLowerCase() === alias))!;
}

function rowOrder(shape: TableShape): string {
  return shape.withoutRowid ? shape.primaryKey.map(quoteName).join(', ') : rowidName(shape);
}

function journalTables(db: Db, schema: Schema): TableShape[] {
  return schemaObjects(db, schema)
    .filter((object) => object.type === 'table')
    .map((object) => tableShape(db, schema, object.name));
}

/**
 * Copies every table, row, index, trigger and view of the journal from one schema of the
 * connection to another, and the schema version with them. Tables and their indexes are created
 * first and each table is filled by one `INSERT INTO to.t SELECT * FROM from.t`: with identical
 * definitions, foreign keys off and no triggers yet, SQLite copies the b-trees record by record in
 * C (its transfer optimisation), rowids included. A table whose rowid no index or column keeps
 * gets an explicit column list with the rowid, so no row changes identity. Triggers and views come
 * last, so none fires on the copy. Run inside one transaction, with foreign keys off, on an empty target.
 */
export function copyJournal(db: Db, from: Schema, to: Schema): { rows: number } {
  const objects = schemaObjects(db, from);
  const existing = schemaObjects(db, to);
  if (existing.length > 0) throw new Error(`The target of a copy must be empty (found ${existing.length} objects)`);
  const tables = objects.filter((object) => object.type === 'table');
  for (const table of tables) db.exec(inSchema(table.sql, to));
  for (const index of objects.filter((object) => object.type === 'index')) db.exec(inSchema(index.sql, to));
  let rows = 0;
  for (const table of tables) {
    const shape = tableShape(db, from, table.name);
    const indexed = (db.prepare(`SELECT count(*) AS n FROM pragma_index_list(?, ?)`).get(table.name, from) as { n: number }).n > 0;
    const generated =
      (db.prepare(`SELECT count(*) AS n FROM pragma_table_xinfo(?, ?) WHERE hidden <> 0`).get(table.name, from) as { n: number }).n > 0;
    const name = quoteName(shape.name);
    let insert = `INSERT INTO ${to}.${name} SELECT * FROM ${from}.${name}`;
    if ((shape.hiddenRowid && !indexed) || generated) {
      const columns = [...(shape.hiddenRowid ? [rowidName(shape)] : []), ...shape.columns.map(quoteName)].join(', ');
      insert = `INSERT INTO ${to}.${name} (${columns}) SELECT ${columns} FROM ${from}.${name} ORDER BY ${rowOrder(shape)}`;
    }
    rows += db.prepare(insert).run().changes;
  }
  for (const type of ['trigger', 'view'] as const) {
    for (const object of objects.filter((candidate) => candidate.type === type)) db.exec(inSchema(object.sql, to));
  }
  // AUTOINCREMENT counters live in SQLite's own table; they go over as they are.
  const hasSequence = db.prepare(`SELECT 1 FROM ${from}.sqlite_master WHERE name = 'sqlite_sequence'`).get();
  if (hasSequence) {
    db.exec(`DELETE FROM ${to}.sqlite_sequence`);
    db.exec(`INSERT INTO ${to}.sqlite_sequence (name, seq) SELECT name, seq FROM ${from}.sqlite_sequence`);
  }
  const version = db.pragma(`${from}.user_version`, { simple: true }) as number;
  db.pragma(`${to}.user_version = ${Number(version)}`);
  return { rows };
}

// ---- The expected schema: a backup is data, never code ----------------------------------------

/** One row of sqlite_master as compared: everything SQLite would ever parse or run from a file. */
interface MasterRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/** The manifest's own table, created the same way on export and in the expected schema. */
function manifestDdl(schema: Schema | 'main'): string {
  return `CREATE TABLE ${schema}.${MANIFEST_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT`;
}

interface ExpectedSchema {
  /** Every sqlite_master row a backup of this schema version holds, the manifest's included, as sorted JSON lines. */
  rows: string[];
  /** The same rows without the manifest's: a copy before it is sealed. */
  copiedRows: string[];
  /** The statements that make the journal's objects, in creation order: this app's own text, never a file's. */
  tables: string[];
  indexes: string[];
  triggersAndViews: string[];
  /** The shape of each journal table, for copying by named columns. */
  shapes: TableShape[];
  hasSequence: boolean;
  /** The migrations' names, as schema_migrations must list them. */
  migrations: string[];
}

const expectedSchemas = new Map<number, ExpectedSchema>();

/**
 * What a journal at a schema version looks like, made by running this app's own migrations 1…version
 * on an empty in-memory database (nothing of it reaches the disk). A backup's schema is compared with
 * this, and a restored journal is built from these statements, never from SQL text found in a file.
 */
export function expectedSchema(version: number): ExpectedSchema {
  const cached = expectedSchemas.get(version);
  if (cached) return cached;
  const migrations = loadMigrations();
  if (!Number.isInteger(version) || version < 1 || version > migrations.length) throw new Error('No such schema version');
  const memory = new Database(':memory:');
  try {
    migrate(memory, migrations.slice(0, version));
    memory.exec(manifestDdl('main'));
    const master = memory.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid').all() as MasterRow[];
    const journal = master.filter((row) => row.tbl_name !== MANIFEST_TABLE && row.sql !== null && !row.name.startsWith('sqlite_'));
    const statements = (type: string) => journal.filter((row) => row.type === type).map((row) => row.sql!);
    const expected: ExpectedSchema = {
      rows: master.map((row) => JSON.stringify([row.type, row.name, row.tbl_name, row.sql])).sort(),
      copiedRows: master
        .filter((row) => row.tbl_name !== MANIFEST_TABLE)
        .map((row) => JSON.stringify([row.type, row.name, row.tbl_name, row.sql]))
        .sort(),
      tables: statements('table'),
      indexes: statements('index'),
      triggersAndViews: [...statements('trigger'), ...statements('view')],
      shapes: journal.filter((row) => row.type === 'table').map((row) => tableShape(memory, 'main', row.name)),
      hasSequence: master.some((row) => row.name === 'sqlite_sequence'),
      migrations: migrations.slice(0, version).map((migration) => migration.name),
    };
    expectedSchemas.set(version, expected);
    return expected;
  } finally {
    memory.close();
  }
}

function masterRows(db: Db, schema: Schema, withManifest = true): string[] {
  const rows = db.prepare(`SELECT type, name, tbl_name, sql FROM ${schema}.sqlite_master`).all() as MasterRow[];
  return rows
    .filter((row) => withManifest || row.tbl_name !== MANIFEST_TABLE)
    .map((row) => JSON.stringify([row.type, row.name, row.tbl_name, row.sql]))
    .sort();
}

/**
 * SHA-256 of the journal's schema: its sqlite_master rows (sorted JSON lines of type, name, table and
 * SQL text), the manifest's own table left out (it is made after the checksum, and checkSchema checks it).
 */
export function schemaChecksum(db: Db, schema: Schema): string {
  const rows = masterRows(db, schema, false);
  return `sha256:${createHash('sha256').update(rows.join('\n')).digest('hex')}`;
}

/**
 * Checks, before anything else is read from a file, that its schema is exactly the one this app's
 * migrations make for the file's schema version (its header's user_version): the same tables,
 * indexes, triggers and views, each with the same SQL text, and nothing else. Only then may a query
 * touch its tables, since reading a view, or a table's generated column, runs SQL stored in the file.
 * Returns the schema version. `manifest: false` checks an export's copy before it is sealed: the same,
 * without the manifest's table.
 */
export function checkSchema(db: Db, schema: Schema, options: { manifest: boolean } = { manifest: true }): number {
  const version = Number(db.pragma(`${schema}.user_version`, { simple: true }));
  const shipped = loadMigrations().length;
  if (version > shipped) throw new BackupFileError('newerSchema', 'A schema version newer than this app');
  const rows = masterRows(db, schema);
  if (options.manifest && !rows.some((row) => row.startsWith(`["table","${MANIFEST_TABLE}",`)))
    throw new BackupFileError('notABackup', 'No backup manifest in the file');
  if (version < 1) throw new BackupFileError('unexpectedSchema', 'No schema version');
  const expected = options.manifest ? expectedSchema(version).rows : expectedSchema(version).copiedRows;
  if (rows.length !== expected.length || rows.some((row, index) => row !== expected[index])) {
    throw new BackupFileError('unexpectedSchema', 'The schema is not the one the migrations make');
  }
  if (String(db.pragma(`${schema}.encoding`, { simple: true })).toUpperCase() !== 'UTF-8') {
    throw new BackupFileError('unexpectedSchema', 'Not UTF-8');
  }
  return version;
}

/** The migrations the file says were applied must be exactly 1…version, by name: migrate() trusts that list. */
function checkAppliedMigrations(db: Db, schema: Schema, version: number): void {
  const applied = db.prepare(`SELECT id, name FROM ${schema}.schema_migrations ORDER BY id`).all() as { id: unknown; name: unknown }[];
  const names = expectedSchema(version).migrations;
  if (applied.length !== names.length || applied.some((row, index) => row.id !== index + 1 || row.name !== names[index])) {
    throw new BackupFileError('unexpectedSchema', 'The applied migrations do not match the schema version');
  }
}

// ---- The seal: made by this installation ------------------------------------------------------

/**
 * The key that seals this installation's backups, derived from the journal key (HKDF-SHA256): only
 * an installation holding that key can seal a manifest, and the key itself is never stored or written
 * into a backup. A backup from another installation carries that one's seal, which cannot be checked here.
 */
export function sealKeyFor(journalKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', journalKey, Buffer.alloc(0), 'utvag-backup-seal/1', 32));
}

/** A public name for the installation in the manifest: lets verify tell "altered" from "made elsewhere". */
export function installationId(sealKey: Buffer): string {
  return createHmac('sha256', sealKey).update('utvag-installation-id/1').digest('hex').slice(0, 32);
}

/** Every manifest field but the seal, in a fixed order: what the seal covers. */
function sealedText(manifest: BackupManifest): string {
  const counts = Object.entries(manifest.counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([
    manifest.format,
    manifest.createdAt,
    manifest.appVersion,
    manifest.schemaVersion,
    counts,
    manifest.checksum,
    manifest.checksumMethod,
    manifest.schemaChecksum,
    manifest.logHead,
    manifest.installation,
  ]);
}

function sealOf(manifest: BackupManifest, sealKey: Buffer): string {
  return createHmac('sha256', sealKey).update(sealedText(manifest)).digest('hex');
}

/**
 * "This installation" only when the manifest names this installation and its seal matches; a manifest
 * that names this installation with a seal that does not match has been altered and is refused. Any
 * other backup (another installation's, an older format's, or one whose maker's name was changed) is
 * "elsewhere": its content is checked against the schema all the same, but nothing proves who made it.
 */
export function backupOrigin(manifest: BackupManifest, sealKey: Buffer | null): BackupOrigin {
  if (!sealKey || manifest.installation !== installationId(sealKey)) return 'elsewhere';
  const expected = Buffer.from(sealOf(manifest, sealKey), 'hex');
  const found = Buffer.from(manifest.seal ?? '', 'hex');
  if (found.length !== expected.length || !timingSafeEqual(found, expected)) throw new BackupFileError('sealBroken', 'The seal does not match');
  return 'thisInstallation';
}

function logHeadOf(db: Db, schema: Schema): LogHead {
  const last = db.prepare(`SELECT seq, hash FROM ${schema}.access_log ORDER BY seq DESC LIMIT 1`).get() as LogHead | undefined;
  return last ?? { seq: 0, hash: '0'.repeat(64) };
}

function checkLogHeadMatches(db: Db, manifest: BackupManifest): void {
  if (!manifest.logHead) return;
  const head = logHeadOf(db, 'main');
  if (head.seq !== manifest.logHead.seq || head.hash !== manifest.logHead.hash)
    throw new BackupFileError('logChain', 'The access log does not end at the head the manifest names');
}

/** The access log verifies as a chain and ends at the manifest's head (format 2); in one go, inside a restore's transaction. */
function checkLogChain(db: Db, manifest: BackupManifest): void {
  const chain = verifyAccessLogChain(db);
  if (!chain.ok) throw new BackupFileError('logChain', 'The access log does not verify');
  checkLogHeadMatches(db, manifest);
}

/**
 * The same check as checkLogChain (each row by the access log's own continuesChain), in steps
 * between which the app answers: ten years of log are some 300,000 rows, hashed on a verify of its own connection.
 */
async function checkLogChainInSteps(db: Db, manifest: BackupManifest, pause: Pause): Promise<void> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of db.prepare('SELECT * FROM main.access_log ORDER BY seq').iterate() as IterableIterator<RawLogRow>) {
    if (!continuesChain(row, expectedSeq, prevHash)) throw new BackupFileError('logChain', 'The access log does not verify');
    prevHash = row.hash;
    expectedSeq += 1;
    if (expectedSeq % ROWS_PER_STEP === 0) await pause(expectedSeq - 1);
  }
  checkLogHeadMatches(db, manifest);
}

function activeAdmins(db: Db): BackupAdmin[] {
  return db
    .prepare(
      `SELECT u.id, u.username, u.display_name AS displayName FROM users u
       WHERE u.active = 1 AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'admin')
       ORDER BY u.display_name, u.username`,
    )
    .all() as BackupAdmin[];
}

// ---- Restoring: rows from a checked file into a journal built from the migrations --------------

/**
 * Fills an empty journal (`target`, keyed with the journal key) from a backup opened read-only on a
 * connection of its own (`source`, see openBackupForRestore), whose schema checkSchema has passed.
 * The schema is made from this app's migrations for the backup's version, never from the file; the
 * rows of each known table are copied by named columns (and the rowid where no column keeps it), so
 * that nothing stored in the file is ever run. Triggers and views come after the rows, so none fires
 * on the copy. Run inside one transaction of the target, with its foreign keys off.
 */
export function copyBackupInto(source: Db, target: Db, version: number): { rows: number } {
  const expected = expectedSchema(version);
  for (const sql of [...expected.tables, ...expected.indexes]) target.exec(sql);
  let rows = 0;
  for (const shape of expected.shapes) {
    const columns = [...(shape.hiddenRowid ? [rowidName(shape)] : []), ...shape.columns.map(quoteName)].join(', ');
    const placeholders = [...(shape.hiddenRowid ? ['?'] : []), ...shape.columns.map(() => '?')].join(', ');
    const read = source
      .prepare(`SELECT ${columns} FROM main.${quoteName(shape.name)} ORDER BY ${rowOrder(shape)}`)
      .raw(true)
      .safeIntegers(true);
    const write = target.prepare(`INSERT INTO main.${quoteName(shape.name)} (${columns}) VALUES (${placeholders})`);
    for (const row of read.iterate() as IterableIterator<unknown[]>) {
      write.run(...row);
      rows += 1;
    }
  }
  if (expected.hasSequence) {
    const known = new Set(expected.shapes.map((shape) => shape.name));
    const write = target.prepare('INSERT INTO main.sqlite_sequence (name, seq) VALUES (?, ?)');
    target.exec('DELETE FROM main.sqlite_sequence');
    for (const row of source.prepare('SELECT name, seq FROM main.sqlite_sequence').raw(true).safeIntegers(true).iterate() as IterableIterator<
      [unknown, unknown]
    >) {
      if (typeof row[0] === 'string' && known.has(row[0])) write.run(row[0], row[1]);
    }
  }
  for (const sql of expected.triggersAndViews) target.exec(sql);
  target.pragma(`user_version = ${version}`);
  return { rows };
}

// ---- A journal in memory: the server's rows on their way into or out of a backup file ------------

/**
 * A journal that lives only in memory (`:memory:`, temporary storage in memory too: nothing of it
 * reaches the disk), for a server journal's rows on their way to or from a backup file. The
 * connection is set to SQLCipher 4 as the journal's own is, so that a backup attached to it
 * (attachBackup) is keyed as every backup is. With `schema`, it holds this app's schema at the
 * current version, made by the migrations (their list in schema_migrations, as in any journal), and
 * none of the rows the migrations seed; without, it is empty (copyBackupInto fills it). Foreign keys
 * are off: tables are filled one after the other.
 */
export function openMemoryJournal(options: { schema: boolean }): Db {
  const db = new Database(':memory:');
  try {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.pragma('temp_store = MEMORY');
    setForeignKeys(db, false);
    if (options.schema) {
      migrate(db);
      db.transaction(() => {
        for (const table of journalTables(db, 'main')) {
          if (table.name !== 'schema_migrations') db.exec(`DELETE FROM main.${quoteName(table.name)}`);
        }
      })();
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The journal's tables with their stored columns and primary key, as the server's must match them. */
export function journalTableColumns(db: Db): { name: string; columns: string[]; primaryKey: string[] }[] {
  return journalTables(db, 'main').map((table) => ({ name: table.name, columns: table.columns, primaryKey: table.primaryKey }));
}

// ---- The checksum ----------------------------------------------------------------------------

const realBytes = Buffer.alloc(8);

/** One value in the canonical form described at contentDigest. */
function encodeValue(value: unknown): string {
  if (value === null) return 'N';
  if (typeof value === 'bigint') return `I${value.toString()};`;
  if (typeof value === 'number') {
    realBytes.writeDoubleBE(value);
    return `F${realBytes.toString('hex')}`;
  }
  if (typeof value === 'string') return `S${Buffer.byteLength(value, 'utf8')}:${value}`;
  if (Buffer.isBuffer(value)) return `B${value.length}:${value.toString('hex')}`;
  throw new Error('A value of an unexpected type was found while computing the checksum');
}

/** How many rows are hashed between two pauses of an asynchronous digest. */
const ROWS_PER_STEP = 5000;

/**
 * Counts and a SHA-256 checksum of the journal's content in a schema, computed the same way on
 * export, on verify and on restore. Canonical form, UTF-8: for each table in ascending name order,
 * `T<name>\n` and `C<column>,<column>…\n` (stored columns in declared order), then one line per row
 * in rowid order (primary-key order for WITHOUT ROWID tables) of its values, each one of
 * `N` (null), `I<decimal>;` (integer), `F<16 hex digits>` (IEEE-754 double, big-endian),
 * `S<byte length>:<text>` or `B<byte length>:<hex>`, the line ending in `\n`. With method 2 the
 * access log's rows are one line instead, `H<rows>:<last seq>:<last hash>\n`: whoever relies on
 * such a checksum also walks the chain (checkLogChain), which binds every row to that head.
 * A generator, so that a connection of its own can be hashed in steps between which the app answers.
 */
function* digestSteps(db: Db, schema: Schema, method: string): Generator<number, BackupContent> {
  if (!CHECKSUM_METHODS.has(method)) throw new BackupFileError('notABackup', 'An unknown checksum method');
  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  const tables = journalTables(db, schema).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const utf8 = String(db.pragma(`${schema}.encoding`, { simple: true })).toUpperCase() === 'UTF-8';
  // Rows hashed so far over all tables: each step yields it (a progress display's count).
  let hashed = 0;
  for (const table of tables) {
    hash.update(`T${table.name}\nC${table.columns.join(',')}\n`);
    if (table.name === CHAINED_TABLE && method === CHECKSUM_METHOD) {
      const rows = Number(
        db
          .prepare(`SELECT count(*) FROM ${schema}.${quoteName(table.name)}`)
          .pluck(true)
          .get(),
      );
      const head = logHeadOf(db, schema);
      hash.update(`H${rows}:${head.seq}:${head.hash}\n`);
      counts[table.name] = rows;
      hashed += rows;
      continue;
    }
    const from = `FROM ${schema}.${quoteName(table.name)} ORDER BY ${rowOrder(table)}`;
    // Each row's line as SQLite writes it (see canonicalInSql), or value by value here.
    const lines =
      utf8 && table.noReals
        ? (db
            .prepare(`SELECT ${table.columns.map(canonicalInSql).join(' || ')} ${from}`)
            .pluck(true)
            .iterate() as IterableIterator<string | null>)
        : canonicalLines(
            db
              .prepare(`SELECT ${table.columns.map(quoteName).join(', ')} ${from}`)
              .raw(true)
              .safeIntegers(true)
              .iterate(),
          );
    let count = 0;
    let chunk = '';
    for (const line of lines) {
      if (line === null) throw new Error('A value SQLite could not put in canonical form was found while computing the checksum');
      chunk += line;
      chunk += '\n';
      count += 1;
      if (count % ROWS_PER_STEP === 0) {
        hash.update(chunk);
        chunk = '';
        yield hashed + count;
      }
    }
    hash.update(chunk);
    counts[table.name] = count;
    hashed += count;
  }
  return { counts, checksum: `sha256:${hash.digest('hex')}` };
}

function* canonicalLines(rows: IterableIterator<unknown>): Generator<string> {
  for (const row of rows as IterableIterator<unknown[]>) {
    let line = '';
    for (const value of row) line += encodeValue(value);
    yield line;
  }
}

/**
 * One column's value in the canonical form, computed by SQLite: the same characters encodeValue
 * writes, for every storage class but REAL (SQL cannot show a double's bits), which a STRICT table
 * of INTEGER, TEXT and BLOB columns never holds; a REAL makes the line NULL, and digestSteps refuses it.
 * In a UTF-8 database octet_length is a text's byte length (without copying it, as a CAST to BLOB
 * would), and concat builds each value in one allocation where `||` makes a string per operator; the
 * columns are still joined with `||` so that one NULL makes the whole line NULL. Text comes first, as
 * most values are text. Building the line in SQLite rather than value by value in JavaScript (BigInts
 * and string joins) takes about a fifth off the checksum of a ten-year journal, and concat with
 * octet_length about a third of SQLite's share of what is left; every export, verify and restore computes it.
 */
function canonicalInSql(column: string): string {
  const value = quoteName(column);
  return `CASE typeof(${value}) WHEN 'text' THEN concat('S', octet_length(${value}), ':', ${value})
    WHEN 'integer' THEN concat('I', ${value}, ';') WHEN 'null' THEN 'N'
    WHEN 'blob' THEN concat('B', octet_length(${value}), ':', lower(hex(${value}))) END`;
}

/** The digest in one go (inside a transaction of the journal's connection). */
export function contentDigest(db: Db, schema: Schema, method: string): BackupContent {
  const steps = digestSteps(db, schema, method);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Lets the app answer other calls between steps of a long check (the caller's choice of how); `done`: rows handled so far in this stage. */
export type Pause = (done?: number) => Promise<void>;

/** The stages of a check of a backup file, for a progress display; `total` is rows, or 0 where nothing is counted. */
export type InspectStage = 'checkingPages' | 'hashing' | 'checkingLog';

/** The digest in steps, on a connection of its own (nothing else may use it meanwhile: its statement stays open). */
async function contentDigestInSteps(db: Db, schema: Schema, pause: Pause, method: string): Promise<BackupContent> {
  const steps = digestSteps(db, schema, method);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause(step.value);
  }
}

// ---- The manifest ----------------------------------------------------------------------------

/** A key–value table, readable with the stock tool: `SELECT * FROM backup_manifest;`. */
export function writeManifest(db: Db, schema: Schema, manifest: BackupManifest): void {
  db.exec(manifestDdl(schema));
  const insert = db.prepare(`INSERT INTO ${schema}.${MANIFEST_TABLE} (key, value) VALUES (?, ?)`);
  const entries: [string, string][] = [
    ['format', manifest.format],
    ['created_at', manifest.createdAt],
    ['app_version', manifest.appVersion],
    ['schema_version', String(manifest.schemaVersion)],
    ['row_counts', JSON.stringify(manifest.counts)],
    ['checksum', manifest.checksum],
    ['checksum_method', manifest.checksumMethod],
    ['schema_checksum', manifest.schemaChecksum ?? ''],
    ['log_head', manifest.logHead ? `${manifest.logHead.seq}:${manifest.logHead.hash}` : ''],
    ['installation', manifest.installation ?? ''],
    ['seal', manifest.seal ?? ''],
  ];
  for (const [key, value] of entries) insert.run(key, value);
}

/** Reads the manifest of a file whose schema checkSchema has passed (so backup_manifest is the plain table it should be). */
export function readManifest(db: Db, schema: Schema): BackupManifest | null {
  const present = db.prepare(`SELECT 1 FROM ${schema}.sqlite_master WHERE type = 'table' AND name = ?`).get(MANIFEST_TABLE);
  if (!present) return null;
  const rows = db.prepare(`SELECT key, value FROM ${schema}.${MANIFEST_TABLE}`).all() as { key: string; value: string }[];
  const values = new Map(rows.map((row) => [row.key, row.value]));
  const format = values.get('format');
  const createdAt = values.get('created_at');
  const schemaVersion = Number(values.get('schema_version'));
  const checksum = values.get('checksum');
  let counts: unknown;
  try {
    counts = JSON.parse(values.get('row_counts') ?? 'null');
  } catch {
    return null;
  }
  if (!format || (format !== BACKUP_FORMAT && !OLDER_FORMATS.has(format))) return null;
  if (!createdAt || !Number.isInteger(schemaVersion) || !checksum || typeof counts !== 'object' || counts === null || Array.isArray(counts)) {
    return null;
  }
  if (!Object.values(counts).every((count) => Number.isInteger(count) && count >= 0)) return null;
  const current = format === BACKUP_FORMAT;
  const schemaSum = values.get('schema_checksum') ?? '';
  const head = /^(\d{1,15}):([0-9a-f]{64})$/.exec(values.get('log_head') ?? '');
  const installation = values.get('installation') ?? '';
  const seal = values.get('seal') ?? '';
  // Format 2 always names its schema checksum and log head; the seal comes with an installation, or neither is there.
  if (current && (!/^sha256:[0-9a-f]{64}$/.test(schemaSum) || !head)) return null;
  if (current && (installation === '') !== (seal === '')) return null;
  return {
    format,
    createdAt,
    appVersion: values.get('app_version') ?? 'unknown',
    schemaVersion,
    counts: counts as Record<string, number>,
    checksum,
    checksumMethod: values.get('checksum_method') ?? '',
    schemaChecksum: current ? schemaSum : null,
    logHead: current && head ? { seq: Number(head[1]), hash: head[2]! } : null,
    installation: current && installation !== '' ? installation : null,
    seal: current && seal !== '' ? seal : null,
  };
}

// ---- Checks ----------------------------------------------------------------------------------

/** Problems found by SQLite's own structure check (each b-tree page read, and so authenticated). */
export function integrityProblems(db: Db, schema: Schema): string[] {
  const rows = db.pragma(`${schema}.integrity_check`) as { integrity_check: string }[];
  return rows.map((row) => row.integrity_check).filter((result) => result !== 'ok');
}

export function schemaVersionOf(db: Db, schema: Schema): number {
  return Number(db.pragma(`${schema}.user_version`, { simple: true }));
}

export function foreignKeyProblems(db: Db, schema: Schema): number {
  return (db.pragma(`${schema}.foreign_key_check`) as unknown[]).length;
}

export function checkpointAndTruncateWal(db: Db): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}

const PLAIN_SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function fileHead(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const read = readSync(fd, head, 0, 16, 0);
    return head.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function sqliteCode(error: unknown): string {
  return String((error as { code?: unknown }).code ?? '');
}

/** What a damaged or tampered file makes SQLite answer (an HMAC that fails reads as corruption). */
function isDamage(error: unknown): boolean {
  const code = sqliteCode(error);
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CORRUPT_');
}

/** Opens a backup file on a connection of its own, exactly as the stock tool would: SQLCipher 4 defaults and `PRAGMA key = '…'`. */
function openBackupConnection(file: string, passphrase: string, mode: 'read' | 'write'): Db {
  let db: Db;
  try {
    db = new Database(file, { readonly: mode === 'read', fileMustExist: true });
  } catch {
    throw new BackupFileError('missing', 'The file could not be opened');
  }
  try {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.pragma(`key = ${sqlString(passphrase)}`);
    // Nothing the file's schema names may run a function with side effects (checkSchema refuses any schema but ours anyway).
    db.pragma('trusted_schema = OFF');
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (error) {
      // A wrong key and a damaged first page look the same to SQLCipher: both fail page 1's HMAC.
      if (sqliteCode(error) === 'SQLITE_NOTADB') throw new BackupFileError('wrongPassphrase', 'The passphrase does not open the file');
      if (isDamage(error)) throw new BackupFileError('damaged', 'The first page could not be read');
      // A schema SQLite cannot even parse (SQLITE_ERROR: malformed schema) is no backup of ours.
      if (sqliteCode(error) === 'SQLITE_ERROR') throw new BackupFileError('unexpectedSchema', 'The schema could not be read');
      throw error;
    }
    db.pragma('temp_store = MEMORY');
    if (mode === 'write') db.pragma('journal_mode = MEMORY');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The export's stages before its file is sealed, for a progress display. */
export type SealStage = 'checkingPages' | 'sealing';

/**
 * The page check of a backup file (SQLite's full integrity check, then page count, page size and free
 * pages) on a worker thread with a connection of its own, so that it runs beside the row hashing on the
 * other core and the app answers calls meanwhile. Plain JavaScript run by the worker as it is (no
 * bundling, no loader): it loads the same driver the app's connections use, by the path given. Before
 * any table is read it checks that the file's schema is exactly the one the caller expects (every
 * sqlite_master row, the schema version, UTF-8), since the integrity check evaluates the schema's CHECK
 * constraints. It sends back counts and SQLite's error code only, never anything the file holds.
 */
const PAGE_CHECK_WORKER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
function check() {
  const Database = require(workerData.driver);
  const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  try {
    db.pragma("cipher = 'sqlcipher'");
    db.pragma('legacy = 4');
    db.pragma('key = ' + workerData.key);
    db.pragma('trusted_schema = OFF');
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = ' + workerData.cachePages);
    const rows = db
      .prepare('SELECT type, name, tbl_name, sql FROM main.sqlite_master')
      .all()
      .map((row) => JSON.stringify([row.type, row.name, row.tbl_name, row.sql]))
      .sort();
    const expected = workerData.expected;
    const sameSchema =
      Number(db.pragma('main.user_version', { simple: true })) === workerData.version &&
      String(db.pragma('main.encoding', { simple: true })).toUpperCase() === 'UTF-8' &&
      rows.length === expected.length &&
      rows.every((row, index) => row === expected[index]);
    if (!sameSchema) return { schema: false };
    const problems = db.pragma('main.integrity_check').filter((row) => row.integrity_check !== 'ok').length;
    return {
      schema: true,
      problems,
      pages: Number(db.pragma('main.page_count', { simple: true })),
      pageSize: Number(db.pragma('main.page_size', { simple: true })),
      free: Number(db.pragma('main.freelist_count', { simple: true })),
    };
  } finally {
    db.close();
  }
}
let answer;
try {
  answer = check();
} catch (error) {
  answer = { failed: String((error && error.code) || 'ERROR') };
}
parentPort.postMessage(answer);
`;

type PageCheckAnswer = { schema: false } | { schema: true; problems: number; pages: number; pageSize: number; free: number } | { failed: string };

/** The page check did not come to an end (its worker could not start, or stopped): nothing is known of the file. */
export class PageCheckStopped extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'PageCheckStopped';
  }
}

/** Tests watch (and stop) the page check's worker through this; nothing else in the app sets it. */
export const pageCheckWorkers: { started: ((worker: Worker) => void) | null } = { started: null };

let driverPath: string | null = null;

interface PageCheck {
  /** Resolves when every page checked out, the file is exactly its pages and none is free; rejects otherwise. */
  done: Promise<void>;
  /** Ends the worker (if it still runs) and waits until its connection is closed: then the file may be removed. */
  stop(): Promise<void>;
}

/**
 * Starts the page check of a backup file on a worker thread (PAGE_CHECK_WORKER), keyed with `keyLiteral`
 * (an SQL literal for `PRAGMA key`), whose schema must be exactly `expected` at schema version `version`.
 */
function startPageCheck(file: string, keyLiteral: string, version: number, expected: string[], bytes: number): PageCheck {
  driverPath ??= createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');
  const worker = new Worker(PAGE_CHECK_WORKER, {
    eval: true,
    workerData: {
      driver: driverPath,
      file,
      key: keyLiteral,
      version,
      expected,
      cachePages: PAGE_CHECK_CACHE_PAGES,
    },
    // Nothing of the app's environment or arguments is needed there.
    env: {},
    execArgv: [],
    stdout: true,
    stderr: true,
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const done = new Promise<void>((resolve, reject) => {
    worker.once('message', (answer: PageCheckAnswer) => {
      if ('failed' in answer) {
        const code = answer.failed;
        const damage = code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_') || code.startsWith('SQLITE_IOERR');
        reject(damage ? new BackupFileError('damaged', 'A page could not be read') : new PageCheckStopped(`The page check failed (${code})`));
      } else if (!answer.schema) reject(new BackupFileError('unexpectedSchema', 'The schema is not the one the migrations make'));
      else if (answer.problems > 0) reject(new BackupFileError('damaged', 'The integrity check found problems'));
      else if (answer.pages * answer.pageSize !== bytes || answer.free !== 0)
        reject(new BackupFileError('damaged', 'The file holds pages that the backup does not account for'));
      else resolve();
    });
    worker.once('error', () => reject(new PageCheckStopped('The page check stopped')));
    void exited.then(() => reject(new PageCheckStopped('The page check ended without an answer')));
  });
  // Handled here too: the caller may be busy elsewhere (hashing) when it fails, and awaits it later.
  done.catch(() => undefined);
  pageCheckWorkers.started?.(worker);
  return {
    done,
    stop: async () => {
      await worker.terminate();
      await exited;
    },
  };
}

/** The manifest of the copy `db` holds: its rows hashed in steps (the app answers between them), the log's head, the schema's checksum, and the seal. */
async function manifestOf(
  db: Db,
  about: Pick<BackupManifest, 'createdAt' | 'appVersion' | 'schemaVersion'>,
  pause: Pause,
  sealKey: Buffer | null,
): Promise<BackupManifest> {
  const content = await contentDigestInSteps(db, 'main', pause, CHECKSUM_METHOD);
  const unsealed: BackupManifest = {
    format: BACKUP_FORMAT,
    checksumMethod: CHECKSUM_METHOD,
    ...about,
    ...content,
    logHead: logHeadOf(db, 'main'),
    installation: sealKey ? installationId(sealKey) : null,
    schemaChecksum: schemaChecksum(db, 'main'),
    seal: null,
  };
  return { ...unsealed, seal: sealKey ? sealOf(unsealed, sealKey) : null };
}

/**
 * Checks a freshly copied backup through and completes it with its manifest. Two connections of its own
 * read the file, side by side:
 * - on a worker thread (startPageCheck), keyed with the backup's key: the schema must be exactly the
 *   one this app's migrations make for its version (no manifest yet) before any table is read; then
 *   SQLite's full integrity check reads every page from the file, each authenticated by its HMAC, and
 *   checks every b-tree, every index against its table and that no page is left unused; the file must
 *   be exactly its pages, none of them free;
 * - here, opened with the passphrase as the stock tool opens it (the copy was keyed with newBackupKey's
 *   key: a file that reads here proves the two derivations agree): the same schema check, the applied
 *   migrations, then the content hashed in steps (the app answers between them), the schema's checksum
 *   and the access log's last row.
 * The page check is the longer of the two and the main thread is free meanwhile. Only when both are
 * done, and the page check found nothing, is the manifest written: it also names, with a seal key
 * (sealKeyFor), this installation and its seal over all of it. Returns the manifest. The manifest's
 * commit writes only the schema's table, the manifest's table and index and the header:
 * confirmSealedFile reads those back, so every page of the finished file has been read from it since it
 * was last written. Whatever happens, the worker has ended and closed its connection when this returns
 * or throws, so the caller may remove the file.
 */
export async function sealBackup(
  file: string,
  passphrase: string,
  key: string,
  about: Pick<BackupManifest, 'createdAt' | 'appVersion' | 'schemaVersion'>,
  pause: Pause,
  sealKey: Buffer | null,
  stage?: (stage: SealStage) => void,
): Promise<BackupManifest> {
  const bytes = wholePages(file);
  const expected = expectedSchema(about.schemaVersion).copiedRows;
  // Told before either connection reads the file: what is seen from here on is what the checks read.
  stage?.('sealing');
  const pages = startPageCheck(file, sqlString(key), about.schemaVersion, expected, bytes);
  let db: Db | null = null;
  try {
    db = openBackupConnection(file, passphrase, 'write');
    const version = checkSchema(db, 'main', { manifest: false });
    if (version !== about.schemaVersion) throw new BackupFileError('unexpectedSchema', 'The copy holds another schema version');
    checkAppliedMigrations(db, 'main', version);
    await pause();
    const manifest = await manifestOf(db, about, pause, sealKey);
    // The rows are hashed; what may still run is the page check (the longer of the two on a large journal).
    stage?.('checkingPages');
    await pause();
    await pages.done;
    const sealing = db;
    sealing.transaction(() => writeManifest(sealing, 'main', manifest))();
    return manifest;
  } catch (error) {
    if (isDamage(error)) throw new BackupFileError('damaged', 'A page could not be read');
    throw error;
  } finally {
    db?.close();
    await pages.stop();
  }
}

/**
 * The export's last look at its sealed (and flushed) file, on a fresh connection keyed with the backup's
 * key (sealBackup has just shown that the passphrase derives it): the schema is exactly the migrations'
 * with the manifest, the manifest read back is the one written, field by field, the manifest's table and
 * index pass the integrity check, and the file is exactly its pages, none free. Those are the pages the
 * manifest's commit wrote; sealBackup read and authenticated every other page after the copy wrote it,
 * and nothing has written them since. Returns the file's size.
 */
export function confirmSealedFile(file: string, key: string, sealed: BackupManifest): number {
  const bytes = wholePages(file);
  const db = openBackupConnection(file, key, 'read');
  try {
    const version = checkSchema(db, 'main');
    const manifest = readManifest(db, 'main');
    if (!manifest || manifest.schemaVersion !== version || !sameManifest(manifest, sealed))
      throw new BackupFileError('damaged', 'The manifest read back is not the one written');
    const problems = (db.pragma(`main.integrity_check(${MANIFEST_TABLE})`) as { integrity_check: string }[]).filter(
      (row) => row.integrity_check !== 'ok',
    );
    if (problems.length > 0) throw new BackupFileError('damaged', 'The manifest fails its integrity check');
    checkPageCount(db, bytes);
    return bytes;
  } catch (error) {
    if (isDamage(error)) throw new BackupFileError('damaged', 'A page could not be read');
    throw error;
  } finally {
    db.close();
  }
}

/** The size of a backup file that is a whole number of pages, or the refusal. */
function wholePages(file: string): number {
  let bytes: number;
  try {
    bytes = statSync(file).size;
  } catch {
    throw new BackupFileError('missing', 'No file at that path');
  }
  if (bytes === 0 || bytes % PAGE_SIZE !== 0) throw new BackupFileError('damaged', 'The file is not a whole number of pages');
  return bytes;
}

/** The file is exactly the pages SQLite counts, and none of them is free: a backup has no page that no b-tree holds. */
function checkPageCount(db: Db, bytes: number): void {
  const pages = Number(db.pragma('page_count', { simple: true }));
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  const free = Number(db.pragma('freelist_count', { simple: true }));
  if (pages * pageSize !== bytes || free !== 0) throw new BackupFileError('damaged', 'The file holds pages that the backup does not account for');
}

/**
 * SQLite's full integrity check reads every b-tree page (and SQLCipher authenticates each page it reads
 * with its HMAC), checks each index against its table and reports any page no b-tree uses; with the file
 * exactly its pages and none free (checkPageCount), no page goes unread.
 */
function checkEveryPage(db: Db, bytes: number): void {
  if (integrityProblems(db, 'main').length > 0) throw new BackupFileError('damaged', 'The integrity check found problems');
  checkPageCount(db, bytes);
}

/**
 * Opens a backup read-only on a connection of its own (the restore's source) and checks its schema
 * and manifest before anything else reads it. The caller closes it.
 */
export function openBackupForRestore(file: string, passphrase: string): { db: Db; manifest: BackupManifest } {
  const db = openBackupConnection(file, passphrase, 'read');
  try {
    const version = checkSchema(db, 'main');
    const manifest = readManifest(db, 'main');
    if (!manifest || manifest.schemaVersion !== version) throw new BackupFileError('notABackup', 'No usable manifest');
    checkAppliedMigrations(db, 'main', version);
    return { db, manifest };
  } catch (error) {
    db.close();
    if (isDamage(error)) throw new BackupFileError('damaged', 'A page could not be read');
    throw error;
  }
}

/** After a restore's copy: the access log verifies and ends where the manifest says (the journal's own connection). */
export function checkRestoredLog(db: Db, manifest: BackupManifest): void {
  checkLogChain(db, manifest);
}

/**
 * Opens a backup on a connection of its own, read-only, exactly as the stock tool would
 * (`PRAGMA cipher = 'sqlcipher'; PRAGMA legacy = 4; PRAGMA key = '…'`), and checks it through:
 * first its schema (checkSchema: exactly what this app's migrations make, so nothing read afterwards
 * runs SQL from the file), then the manifest, every page (SQLite's integrity check reads every b-tree
 * page, and SQLCipher authenticates each page it reads with its HMAC; a backup has no free pages, and
 * the file must be exactly its pages, so no page goes unread), the row counts and checksums against
 * the manifest, the access log's chain up to the manifest's head, and the seal (backupOrigin).
 * Only a received backup, checked in its unfinished file, passes allowPartialName (the export checks its
 * own copy with sealBackup and confirmSealedFile).
 *
 * SQLite3MultipleCiphers answers `PRAGMA cipher_integrity_check` with nothing at all (it does not
 * know it), so that pragma cannot be relied on here; the page walk above stands in for it.
 */
export async function inspectBackupFile(
  file: string,
  passphrase: string,
  pause: Pause,
  options: {
    allowPartialName?: boolean;
    sealKey?: Buffer | null;
    /** Told when each stage begins (a progress display); never given anything from the file but counts. */
    stage?: (stage: InspectStage, total: number) => void;
  } = {},
): Promise<InspectedBackup> {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    throw new BackupFileError('missing', 'No file at that path');
  }
  if (!stat.isFile()) throw new BackupFileError('missing', 'Not a file');
  if (isPartialName(file) && !options.allowPartialName) throw new BackupFileError('partial', 'An unfinished export');
  if (stat.size === 0) throw new BackupFileError('notABackup', 'An empty file');
  if (fileHead(file).equals(PLAIN_SQLITE_HEADER)) throw new BackupFileError('unencrypted', 'An unencrypted SQLite file');
  if (stat.size % PAGE_SIZE !== 0) throw new BackupFileError('damaged', 'The file is not a whole number of pages');

  // Opening derives the key (PBKDF2, 256,000 rounds): let the app answer before the checks that follow.
  const db = openBackupConnection(file, passphrase, 'read');
  try {
    // The integrity check reads every page, then the checksum (or the row count) reads them again: with a page cache
    // that holds the whole file (up to a limit), each page is decrypted and authenticated once, not twice.
    cacheWholeFile(db, stat.size);
    await pause();
    let manifest: BackupManifest | null;
    let version: number;
    try {
      // The schema first: until it is known to be ours, no table of the file is read.
      version = checkSchema(db, 'main');
      manifest = readManifest(db, 'main');
    } catch (error) {
      if (isDamage(error)) throw new BackupFileError('damaged', 'The manifest could not be read');
      throw error;
    }
    if (!manifest) throw new BackupFileError('notABackup', 'No backup manifest in the file');
    if (manifest.schemaVersion !== version) throw new BackupFileError('unexpectedSchema', 'The manifest names another schema version');
    try {
      options.stage?.('checkingPages', 0);
      checkEveryPage(db, stat.size);
      if (manifest.schemaChecksum !== null && schemaChecksum(db, 'main') !== manifest.schemaChecksum)
        throw new BackupFileError('damaged', 'The schema does not match the manifest');
      checkAppliedMigrations(db, 'main', version);
      await pause();
      // The content as the manifest's method hashes it; the chain walk below is part of method 2's proof.
      options.stage?.(
        'hashing',
        Object.values(manifest.counts).reduce((sum, count) => sum + count, 0),
      );
      const content = await contentDigestInSteps(db, 'main', pause, manifest.checksumMethod);
      if (content.checksum !== manifest.checksum || !sameCounts(content.counts, manifest.counts)) {
        throw new BackupFileError('damaged', 'The content does not match the manifest');
      }
      await pause();
      options.stage?.('checkingLog', manifest.counts[CHAINED_TABLE] ?? 0);
      await checkLogChainInSteps(db, manifest, pause);
      const origin = backupOrigin(manifest, options.sealKey ?? null);
      return { manifest, bytes: stat.size, origin, admins: activeAdmins(db) };
    } catch (error) {
      // SQLITE_CORRUPT from a page whose HMAC fails (a flipped byte, a truncated file).
      if (isDamage(error)) throw new BackupFileError('damaged', 'A page could not be read');
      throw error;
    }
  } finally {
    db.close();
  }
}

export function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function sameManifest(a: BackupManifest, b: BackupManifest): boolean {
  return (
    a.format === b.format &&
    a.createdAt === b.createdAt &&
    a.appVersion === b.appVersion &&
    a.schemaVersion === b.schemaVersion &&
    a.checksum === b.checksum &&
    a.checksumMethod === b.checksumMethod &&
    a.schemaChecksum === b.schemaChecksum &&
    a.logHead?.seq === b.logHead?.seq &&
    a.logHead?.hash === b.logHead?.hash &&
    a.installation === b.installation &&
    a.seal === b.seal &&
    sameCounts(a.counts, b.counts)
  );
}
