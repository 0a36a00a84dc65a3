import Database from 'better-sqlite3-multiple-ciphers';
import { createPrivateFile } from './dataDirModes.js';

export type Db = Database.Database;

export const DB_KEY_BYTES = 32;

/** Thrown when the file exists but the key does not open it (wrong key or not a journal). */
export class JournalKeyError extends Error {
  constructor() {
    super('The journal could not be opened with this key');
    this.name = 'JournalKeyError';
  }
}

/**
 * Opens (or creates) the journal file with SQLCipher 4 settings and a raw 256-bit key.
 * The cipher scheme must be chosen before the key and before any other statement,
 * otherwise SQLite3MultipleCiphers falls back to its own default cipher.
 */
export function openEncrypted(file: string, key: Buffer, options: { create: boolean }): Db {
  if (key.length !== DB_KEY_BYTES) throw new Error('The journal key must be 32 bytes');
  if (options.create) createPrivateFile(file);
  const db = new Database(file, { fileMustExist: !options.create });
  try {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    keyConnection(db, key);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_NOTADB') throw new JournalKeyError();
      throw error;
    }
    // Temporary tables and sort spills stay in memory: nothing unencrypted reaches disk.
    db.pragma('temp_store = MEMORY');
    db.pragma('journal_mode = WAL');
    // FULL: the write-ahead log is flushed at every commit, so a committed booking or journal entry
    // survives a power cut, not just a crash of the app. (NORMAL flushes only at checkpoints: after a
    // power cut the last commits could be gone although the screen said they were saved.)
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Gives the connection its raw key (no KDF at open; the key itself comes from a memory-hard KDF in the
 * keyring) as bytes in a Buffer that is zeroed at once: a `PRAGMA key = "x'…'"` string would leave the
 * key in V8's heap, where no code can wipe it, long after the journal is locked. SQLite3MultipleCiphers
 * reads `raw:` followed by exactly 32 bytes as the binary key, the same key as `x'<hex>'`.
 */
export function keyConnection(db: Db, key: Buffer): void {
  const material = Buffer.alloc(4 + DB_KEY_BYTES);
  try {
    material.write('raw:', 0, 'latin1');
    key.copy(material, 4);
    db.key(material);
  } finally {
    material.fill(0);
  }
}

/** The same for a new key (`PRAGMA rekey`): the journal must not be in WAL mode. */
export function rekeyConnection(db: Db, key: Buffer): void {
  const material = Buffer.alloc(4 + DB_KEY_BYTES);
  try {
    material.write('raw:', 0, 'latin1');
    key.copy(material, 4);
    db.rekey(material);
  } finally {
    material.fill(0);
  }
}

const statementCache = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, compiled once per connection: the hot paths run the same few queries over and over. */
export function prepared(db: Db, sql: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) {
    cache = new Map();
    statementCache.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
