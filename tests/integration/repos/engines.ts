/**
 * The two engines a repository contract runs on. A contract gets `open()`, and each call gives a
 * fresh, empty journal of one engine:
 * - `store`: where the contract runs the repository's calls, each with the actor the router would
 *   use (`{ actor: { userId, role } }`). On PostgreSQL that is the server's login role, which can
 *   read nothing until the transaction sets the person's role: so the contract also proves that
 *   the grants and row-level security let the app's own calls through.
 * - `seed`: where the contract writes the fixtures a call needs (users, roles, rows of other
 *   domains). On SQLite the same store; on PostgreSQL the cluster's superuser (no actor, past
 *   row-level security, not past the triggers), as region IT or a restore would write them.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openEncrypted } from '../../../db/connection.js';
import { createPostgresStore } from '../../../db/engine/postgres.js';
import { STARTING_PREMISES_SQL } from '../../../db/engine/serverPremises.js';
import { createSqliteStore } from '../../../db/engine/sqlite.js';
import type { Actor, Store, TransactionOptions, Tx } from '../../../db/engine/store.js';
import { migrate } from '../../../db/migrate.js';
import { createServerJournal, startPostgres, type TestPostgres } from '../../helpers/postgres.js';

export interface Journal {
  store: Store;
  seed: Store;
  close(): Promise<void>;
}

export type OpenJournal = () => Promise<Journal>;

/** A store whose every transaction runs as one person (the role the router would use for the calls). */
export type ActingStore = Pick<Store, 'statements'> & {
  transaction<T>(work: (tx: Tx) => Promise<T>, options?: Omit<TransactionOptions, 'actor'>): Promise<T>;
};

export function actingAs(store: Store, actor: Actor): ActingStore {
  return {
    get statements() {
      return store.statements;
    },
    transaction: (work, options = {}) => store.transaction(work, { ...options, actor }),
  };
}

/**
 * Runs work in one transaction of the store and says how many statements the work itself ran: not
 * the engine's own (PostgreSQL's BEGIN, role and user id, COMMIT are statements too).
 */
export async function counted<T>(store: ActingStore, work: (tx: Tx) => Promise<T>): Promise<[T, number]> {
  return store.transaction(async (tx) => {
    const before = store.statements;
    const result = await work(tx);
    return [result, store.statements - before];
  });
}

/** The encrypted SQLite journal as the app opens it: keyed, migrated, behind the Store. */
export function sqliteJournal(tempDir: () => string): OpenJournal {
  return async () => {
    const db = openEncrypted(path.join(tempDir(), 'journal.db'), randomBytes(32), { create: true });
    migrate(db);
    const store = createSqliteStore(db);
    return { store, seed: store, close: () => store.close() };
  };
}

/**
 * One throwaway PostgreSQL for the test file (started in beforeAll, stopped in afterAll), and a
 * fresh database per journal: a copy of one migrated (and given the starting premises) once (CREATE DATABASE … TEMPLATE), so each
 * test starts as empty as a new SQLite journal, in a fraction of the migrations' time.
 */
export function postgresJournals(name: string): OpenJournal {
  let server: TestPostgres | undefined;
  let login: pg.PoolConfig | undefined;
  let count = 0;
  const template = `${name}_template`;
  beforeAll(async () => {
    server = await startPostgres();
    login = await createServerJournal(server, template);
    const owner = await server.connectAsAdmin(template);
    try {
      // The premises `server init` writes (the same rows as the SQLite journal's migrations: the org contract asserts them on both engines).
      await owner.query(STARTING_PREMISES_SQL);
    } finally {
      await owner.end();
    }
  });
  afterAll(async () => {
    await server?.stop();
  });
  return async () => {
    if (!server || !login) throw new Error('The test PostgreSQL is not started');
    const database = `${name}_${(count += 1)}`;
    const setup = await server.connectAsAdmin();
    try {
      await setup.query(`CREATE DATABASE ${setup.escapeIdentifier(database)} TEMPLATE ${setup.escapeIdentifier(template)}`);
      await setup.query(`GRANT CONNECT ON DATABASE ${setup.escapeIdentifier(database)} TO utvag_server`);
    } finally {
      await setup.end();
    }
    const store = createPostgresStore({ ...login, database });
    const seed = createPostgresStore({ host: server.host, port: server.port, user: server.admin.user, password: server.admin.password, database });
    const running = server;
    return {
      store,
      seed,
      async close() {
        await store.close();
        await seed.close();
        const drop = await running.connectAsAdmin();
        try {
          await drop.query(`DROP DATABASE ${drop.escapeIdentifier(database)} WITH (FORCE)`);
        } finally {
          await drop.end();
        }
      },
    };
  };
}
