import { AsyncLocalStorage } from 'node:async_hooks';
import { Kysely, SqliteDialect } from 'kysely';
import { prepared, type Db } from '../connection.js';
import { TransactionGuard } from './guard.js';
import { Mutex } from './mutex.js';
import type { Database } from './schema.js';
import { NestedTransactionError, tagTransaction, type Store, type TransactionOptions, type Tx } from './store.js';

/**
 * The Store over the local journal: one better-sqlite3-multiple-ciphers connection, already
 * opened, keyed and set up by openEncrypted (SQLCipher keying and pragmas stay there). From here
 * on the store owns the connection: close() closes it.
 *
 * SQLite has one connection and one transaction at a time, but async work awaits between its
 * statements. Without the mutex a second call would run its statements inside the first one's
 * open transaction (and commit or roll back with it). Writers BEGIN IMMEDIATE: the write lock is
 * taken at the start, so a transaction never fails half-way on a lock upgrade (another process,
 * such as a backup reading the file, cannot make it SQLITE_BUSY mid-work).
 */
export interface SqliteStore extends Store {
  /**
   * For the demo seeder only, which commits a simulated day at a time: from now on a transaction
   * started while the connection is inside one its owner opened becomes a savepoint of it (rolled
   * back alone when it fails). The app never calls this: there, such an open transaction is a bug and refused.
   */
  nestInOuterTransactions(): void;
}

/**
 * The write-ahead log is copied into the journal file (a checkpoint) once the journal has been idle
 * this long after a write, instead of inside the call whose commit crossed SQLite's threshold: that
 * copy decrypts and re-encrypts every page it moves, some 35 ms of CPU for SQLite's default 1000
 * pages, and it landed on every tenth or so client search (whose access-log rows fill the log
 * fastest) and was most of those calls' time (#13). Each commit still waits for its log frames to
 * reach the disk (synchronous = FULL); a checkpoint only moves committed pages, so when it runs
 * changes nothing a crash or power cut could lose.
 */
export const CHECKPOINT_WHEN_IDLE_MS = 200;
/**
 * Without an idle moment (calls back to back) SQLite's own checkpoint still bounds the log, at this
 * many pages (16 MiB): rarely enough that it stays out of nearly every call.
 */
export const CHECKPOINT_FALLBACK_PAGES = 4000;

export function createSqliteStore(db: Db): SqliteStore {
  db.pragma(`wal_autocheckpoint = ${CHECKPOINT_FALLBACK_PAGES}`);
  const mutex = new Mutex();
  let checkpointTimer: NodeJS.Timeout | undefined;
  // Debounced: each write moves it on, so it runs once the desk has paused, queued behind any call that came first.
  const checkpointWhenIdle = () => {
    clearTimeout(checkpointTimer);
    checkpointTimer = setTimeout(() => {
      void mutex
        .run(async () => {
          // The demo seeder's own transaction, or a closed journal: the next idle moment will do.
          if (closed || !db.open || db.inTransaction) return;
          db.pragma('wal_checkpoint(PASSIVE)');
        })
        .catch(() => undefined);
    }, CHECKPOINT_WHEN_IDLE_MS);
    checkpointTimer.unref();
  };
  const inside = new AsyncLocalStorage<true>();
  let closed = false;
  let nestInOuter = false;
  let statements = 0;
  // Kysely prepares every query it runs; the journal's statement cache compiles each SQL text once.
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({
      database: {
        // Kysely prepares once per execution: counting here counts every statement a call runs.
        prepare: (text: string) => {
          statements += 1;
          return prepared(db, text);
        },
        // The store closes the connection itself, after the last queued transaction.
        close: () => undefined,
      },
    }),
  });

  return {
    dialect: 'sqlite',

    nestInOuterTransactions() {
      nestInOuter = true;
    },

    get statements() {
      return statements;
    },

    async transaction<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      if (inside.getStore()) throw new NestedTransactionError();
      return mutex.run(async () => {
        if (closed) throw new Error('The journal is closed');
        // Something outside the store left a transaction open: joining it would commit or lose its work.
        const nested = db.inTransaction;
        if (nested && !nestInOuter) throw new Error('A transaction is already open on the journal connection');
        const guard = new TransactionGuard();
        const tx = tagTransaction(kysely.withPlugin(guard), 'sqlite');
        if (options.readOnly) db.pragma('query_only = ON');
        try {
          db.exec(nested ? 'SAVEPOINT store_call' : options.readOnly ? 'BEGIN DEFERRED' : 'BEGIN IMMEDIATE');
          const result = await inside.run(true, () => work(tx));
          guard.close();
          db.exec(nested ? 'RELEASE store_call' : 'COMMIT');
          if (!options.readOnly) checkpointWhenIdle();
          return result;
        } catch (error) {
          guard.close();
          // SQLite rolls some failures back by itself (a full disk, an interrupted statement).
          if (nested && db.inTransaction) db.exec('ROLLBACK TO store_call; RELEASE store_call');
          else if (!nested && db.inTransaction) db.exec('ROLLBACK');
          throw error;
        } finally {
          if (options.readOnly) db.pragma('query_only = OFF');
        }
      });
    },

    async close(): Promise<void> {
      if (inside.getStore()) throw new NestedTransactionError();
      clearTimeout(checkpointTimer);
      await mutex.run(async () => {
        if (closed) return;
        closed = true;
        await kysely.destroy();
        if (db.open) db.close();
      });
    },
  };
}
