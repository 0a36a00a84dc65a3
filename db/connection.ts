import Database from 'better-sqlite3-multiple-ciphers';

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
  const db = new Database(file, { fileMustExist: !options.create });
  try {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    // Raw key (x'…'): no KDF at open; the key itself comes from a memory-hard KDF in the keyring.
    db.pragma(`key = "x'${key.toString('hex')}'"`);
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
