/**
 * The app on either engine, through the router the workstations call, for the suites that guard the
 * Safety invariants (SPEC.md) and must hold on both (#14):
 * - `sqlite`: the local encrypted journal, as makeApp builds it (tests/helpers/app.ts);
 * - `postgres`: the Utväg server's path in process — ServerSessions over a PostgreSQL store as the
 *   server's own login, each call answered by main/server/http.ts answerCall (session lookup, the
 *   server's refusals, SessionHost, the same router): everything but the HTTP framing. One embedded
 *   PostgreSQL per test file (started before its tests: starting is slow), a journal made once by
 *   `server init` (schema, premises, the first admin, the server's login) and copied for every app
 *   (CREATE DATABASE … TEMPLATE), so each app starts as empty as a new local journal.
 *
 * `db` looks behind the app's back (SQLite: the journal's own connection; PostgreSQL: the cluster's
 * superuser, past row-level security, not past triggers) with `?` placeholders on both, values as
 * the stores give them (instants as ISO text, flags 0/1, counts as numbers).
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { continuesChain, GENESIS_HASH, type RawLogRow } from '../../db/accessLog.js';
import { createPostgresStore } from '../../db/engine/postgres.js';
import type { Actor, Store } from '../../db/engine/store.js';
import { runCli } from '../../main/cli/index.js';
import { createLogger } from '../../main/log.js';
import { createHandlers, createRouter } from '../../main/router.js';
import type { Handlers } from '../../main/handlers/context.js';
import { answerCall } from '../../main/server/http.js';
import { ServerSessions } from '../../main/server/sessions.js';
import { JournalApp, type LockReason } from '../../main/services/session/index.js';
import type { Result, SessionUser } from '../../preload/contract/index.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { skippedClock } from './app.js';
import { staffReception } from './reception.js';
import { startPostgres, type TestPostgres } from './postgres.js';

export type Engine = 'sqlite' | 'postgres';
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/** Reads and writes behind the app's back, the same SQL on both engines (`?` placeholders). */
export interface RawDb {
  all<T = Record<string, unknown>>(query: string, ...params: unknown[]): Promise<T[]>;
  get<T = Record<string, unknown>>(query: string, ...params: unknown[]): Promise<T | undefined>;
  run(query: string, ...params: unknown[]): Promise<void>;
}

export interface EngineApp {
  engine: Engine;
  call<T = unknown>(channel: string, input?: unknown): Promise<Result<T>>;
  ok<T = unknown>(channel: string, input?: unknown): Promise<T>;
  /** A call in this session through a router with other handlers (a handler that breaks a rule, to see the router refuse it). */
  callWith(handlers: Handlers, channel: string, input?: unknown): Promise<Result<unknown>>;
  /** Who is signed in (null when locked or signed out). */
  readonly user: SessionUser | null;
  /** Locks the session as the desk's lock, idle or shutdown would. */
  lock(reason?: LockReason): void;
  db: RawDb;
  /** The troubleshooting log's lines (the local app's log; the server's log). */
  logLines: string[];
  /**
   * Statements the app's store has run so far: on PostgreSQL each is a round trip, its transactions'
   * own (BEGIN with the role and settings, COMMIT or ROLLBACK) included; SQLite's begin and commit are not counted.
   */
  readonly statements: number;
  /** The local journal's app; null on PostgreSQL (for what only the local journal has). */
  local: JournalApp | null;
  /**
   * PostgreSQL only (null on SQLite, which has one person signed in at a time): another workstation of
   * the same server, with a session of its own, for what one desk's change does to another's.
   */
  otherDesk: (() => Pick<EngineApp, 'call' | 'ok' | 'callWith'>) | null;
  /**
   * PostgreSQL only (null on SQLite): one statement straight at the tables in a transaction as the
   * actor's app role and user id (as the server's store runs every call), past the router, to see what
   * the database itself lets that role read or write (grants, row-level security, triggers).
   */
  queryAs: (<T = Record<string, unknown>>(actor: Actor, query: string, ...params: unknown[]) => Promise<T[]>) | null;
  close(): Promise<void>;
}

export interface EngineAppOptions {
  now?: () => Date;
  /** Start from a copy of a journal made earlier (snapshot), as the suites copy a built template. */
  from?: Snapshot;
}

/** A journal frozen as it stood, to copy for many tests (SQLite: its folder; PostgreSQL: its database, as a template). */
export interface Snapshot {
  readonly engine: Engine;
  readonly source: string;
}

/** The instance of the test file: the local journals' folders and the one PostgreSQL. */
export interface Engines {
  /** A new, empty journal on the engine: locally not yet set up; on PostgreSQL with FICTIONAL_ADMIN (server init). */
  open(engine: Engine, options?: EngineAppOptions): Promise<EngineApp>;
  /** Ends the app's session and connections and keeps its journal as it stands, to be copied by open({ from }). */
  snapshot(app: EngineApp): Promise<Snapshot>;
}

/** How each app is frozen into a snapshot (kept beside it, not on the test's object). */
const freezers = new WeakMap<EngineApp, () => Promise<Snapshot>>();

function sqliteDb(app: JournalApp): RawDb {
  return {
    all: async <T>(query: string, ...params: unknown[]) => app.db.prepare(query).all(...params) as T[],
    get: async <T>(query: string, ...params: unknown[]) => app.db.prepare(query).get(...params) as T | undefined,
    run: async (query: string, ...params: unknown[]) => void app.db.prepare(query).run(...params),
  };
}

/** `?` placeholders into Kysely's raw sql (so PostgreSQL gets $1, $2, … and the store's value parsers). */
function raw(query: string, params: unknown[]) {
  // SQLite keeps an alias's case, PostgreSQL folds an unquoted one: quoted, `AS clientId` reads alike on both.
  const parts = query.replace(/\bAS ([a-z]+[A-Z]\w*)\b/g, 'AS "$1"').split('?');
  if (parts.length !== params.length + 1) throw new Error(`${params.length} values for ${parts.length - 1} placeholders in: ${query}`);
  return sql(Object.assign([...parts], { raw: [...parts] }) as unknown as TemplateStringsArray, ...params);
}

function postgresDb(store: Store): RawDb {
  const all = <T>(query: string, params: unknown[]) => store.transaction(async (tx) => (await raw(query, params).execute(tx)).rows as T[]);
  return {
    all: <T>(query: string, ...params: unknown[]) => all<T>(query, params),
    get: async <T>(query: string, ...params: unknown[]) => (await all<T>(query, params))[0],
    run: async (query: string, ...params: unknown[]) => void (await all(query, params)),
  };
}

function openSqlite(dirs: string[], options: EngineAppOptions): EngineApp {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'utvag-engine-'));
  dirs.push(dataDir);
  if (options.from) cpSync(options.from.source, dataDir, { recursive: true });
  const logLines: string[] = [];
  const app = new JournalApp({
    dataDir,
    sleep: skippedClock.sleep,
    throttleClock: skippedClock.now,
    log: createLogger((line) => logLines.push(line)),
    ...(options.now ? { now: options.now } : {}),
  });
  const router = createRouter(app);
  const call = <T>(channel: string, input: unknown = {}) => router.invoke(channel, input) as Promise<Result<T>>;
  const t: EngineApp = {
    engine: 'sqlite',
    call,
    callWith: (handlers, channel, input = {}) => createRouter(app, handlers).invoke(channel, input) as Promise<Result<unknown>>,
    ok: async <T>(channel: string, input: unknown = {}) => unwrap(channel, await call<T>(channel, input)),
    get user() {
      return app.user;
    },
    lock: (reason = 'user') => app.lock(reason),
    db: sqliteDb(app),
    get statements() {
      return app.store.statements;
    },
    logLines,
    local: app,
    otherDesk: null,
    queryAs: null,
    async close() {
      app.lock('shutdown');
    },
  };
  freezers.set(t, async () => {
    app.lock('shutdown');
    return { engine: 'sqlite', source: dataDir };
  });
  return t;
}

function unwrap<T>(channel: string, result: Result<T>): T {
  if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

interface Cluster {
  server: TestPostgres;
  template: string;
  login: { user: string; password: string };
}

const LOGIN = 'utvag_server_suite';

/** The cluster and the journal `server init` made, once per test file. */
async function startCluster(): Promise<Cluster> {
  const server = await startPostgres();
  const template = 'utvag_template';
  const setup = await server.connectAsAdmin();
  try {
    await setup.query(`CREATE DATABASE ${template}`);
  } finally {
    await setup.end();
  }
  const password = randomBytes(18).toString('base64url');
  const output: string[] = [];
  await runCli(
    ['server', 'init', '--name', FICTIONAL_ADMIN.displayName, '--username', FICTIONAL_ADMIN.username, '--server-login', LOGIN],
    {
      UTVAG_DATABASE_URL: `postgres://${server.admin.user}:${encodeURIComponent(server.admin.password)}@${server.host}:${server.port}/${template}`,
      UTVAG_PASSWORD: FICTIONAL_ADMIN.password,
      UTVAG_SERVER_DB_PASSWORD: password,
    },
    (line) => output.push(line),
  );
  if (!output.some((line) => line.startsWith('Set up the shared journal'))) throw new Error(`server init failed:\n${output.join('\n')}`);
  return { server, template, login: { user: LOGIN, password } };
}

async function openPostgres(cluster: Cluster, database: string, options: EngineAppOptions): Promise<EngineApp> {
  const { server } = cluster;
  const setup = await server.connectAsAdmin();
  try {
    // FILE_COPY: for a small journal, far quicker than copying block by block through the WAL (the default).
    await setup.query(`CREATE DATABASE ${database} TEMPLATE ${options.from?.source ?? cluster.template} STRATEGY FILE_COPY`);
    await setup.query(`GRANT CONNECT ON DATABASE ${database} TO ${LOGIN}`);
  } finally {
    await setup.end();
  }
  const store = createPostgresStore({ host: server.host, port: server.port, database, ...cluster.login });
  const behind = createPostgresStore({ host: server.host, port: server.port, database, user: server.admin.user, password: server.admin.password });
  const logLines: string[] = [];
  const sessions = new ServerSessions({
    store,
    log: createLogger((line) => logLines.push(line)),
    sleep: skippedClock.sleep,
    throttleClock: skippedClock.now,
    ...(options.now ? { now: options.now } : {}),
  });
  const handlers = createHandlers();
  // The workstation's token, as the client helper keeps it in memory.
  let token: string | null = null;
  const call = async <T>(channel: string, input: unknown = {}) => {
    const answer = await answerCall(sessions, handlers, channel, input, token);
    if (answer.token) token = answer.token;
    return answer.envelope as Result<T>;
  };
  const release = async () => {
    sessions.endAll();
    await store.close();
    await behind.close();
  };
  const t: EngineApp = {
    engine: 'postgres',
    call,
    callWith: async (other, channel, input = {}) => (await answerCall(sessions, other, channel, input, token)).envelope,
    ok: async <T>(channel: string, input: unknown = {}) => unwrap(channel, await call<T>(channel, input)),
    get user() {
      const session = sessions.find(token);
      return session?.state === 'unlocked' ? session.user : null;
    },
    lock(reason = 'user') {
      const session = sessions.find(token);
      if (session) sessions.lock(session, reason);
    },
    db: postgresDb(behind),
    get statements() {
      return store.statements;
    },
    logLines,
    local: null,
    otherDesk() {
      let own: string | null = null;
      const callWith = async <T>(through: Handlers, channel: string, input: unknown = {}) => {
        const answer = await answerCall(sessions, through, channel, input, own);
        if (answer.token) own = answer.token;
        return answer.envelope as Result<T>;
      };
      const call = <T>(channel: string, input: unknown = {}) => callWith<T>(handlers, channel, input);
      return { call, callWith, ok: async <T>(channel: string, input: unknown = {}) => unwrap(channel, await call<T>(channel, input)) };
    },
    queryAs: <T>(actor: Actor, query: string, ...params: unknown[]) =>
      behind.transaction(async (tx) => (await raw(query, params).execute(tx)).rows as T[], { actor }),
    async close() {
      await release();
      const drop = await server.connectAsAdmin();
      try {
        await drop.query(`DROP DATABASE ${database} WITH (FORCE)`);
      } finally {
        await drop.end();
      }
    },
  };
  freezers.set(t, async () => {
    await release();
    return { engine: 'postgres', source: database };
  });
  return t;
}

/**
 * Call at the top of a test file: apps on either engine for its tests, each closed after the file
 * (or earlier by the test); the PostgreSQL cluster is started before the file's tests and stopped after them.
 */
export function useEngines(): Engines {
  const dirs: string[] = [];
  const apps: EngineApp[] = [];
  let cluster: Promise<Cluster> | null = null;
  let count = 0;
  // Started before the tests, on its own time (a slow start must not eat the first test's).
  beforeAll(async () => {
    cluster ??= startCluster();
    await cluster;
  }, 180_000);
  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    if (cluster) await (await cluster).server.stop();
  }, 60_000);
  return {
    async open(engine, options = {}) {
      let app: EngineApp;
      if (engine === 'sqlite') app = openSqlite(dirs, options);
      else {
        cluster ??= startCluster();
        app = await openPostgres(await cluster, `utvag_app_${(count += 1)}`, options);
      }
      let closed = false;
      const close = app.close;
      const once = Object.assign(app, { close: () => (closed ? Promise.resolve() : ((closed = true), close())) });
      apps.push(once);
      return once;
    },
    async snapshot(app) {
      const freeze = freezers.get(app);
      if (!freeze) throw new Error('Not an app of these engines');
      // A frozen journal is a template from now on: closing the app must not drop it.
      apps.splice(apps.indexOf(app), 1);
      return freeze();
    },
  };
}

/** A journal with its first admin signed in (locally set up here; on PostgreSQL made by server init). */
export async function openWithAdmin(engines: Engines, engine: Engine, options: EngineAppOptions = {}): Promise<EngineApp> {
  const t = await engines.open(engine, options);
  if (engine === 'sqlite') await t.ok('auth.setup', { ...FICTIONAL_ADMIN, passwordRepeat: FICTIONAL_ADMIN.password });
  else await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
  return t;
}

export type ReceptionEngineApp = EngineApp & Awaited<ReturnType<typeof staffReception>>;

/**
 * A journal built once per engine for a test file, and a copy of it for each test, signed in as
 * FICTIONAL_ADMIN. Building one costs an Argon2id derivation (64 MiB) for every slot made and every
 * sign-in — about five for each person who chose their own password — and a copy costs one sign-in;
 * what each test starts from is the same. `build` leaves the app as it stands and returns the facts
 * the tests need (ids, people; a person's sign-in is bound again to the copy with personOn).
 */
export function builtOnce<Facts>(
  engines: Engines,
  build: (engine: Engine) => Promise<{ t: EngineApp; facts: Facts }>,
): (engine: Engine, options?: Omit<EngineAppOptions, 'from'>) => Promise<{ t: EngineApp; facts: Facts }> {
  const built = new Map<Engine, Promise<{ snapshot: Snapshot; facts: Facts }>>();
  return async (engine, options = {}) => {
    let once = built.get(engine);
    if (!once) {
      once = build(engine).then(async ({ t, facts }) => ({ snapshot: await engines.snapshot(t), facts }));
      built.set(engine, once);
    }
    const { snapshot, facts } = await once;
    const t = await engines.open(engine, { ...options, from: snapshot });
    await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    return { t, facts };
  };
}

/** setUpReception (tests/helpers/reception.ts) on either engine: the admin also a receptionist, two therapists at Skaraborg. */
export async function openReception(engines: Engines, engine: Engine, options: EngineAppOptions = {}): Promise<ReceptionEngineApp> {
  const t = await openWithAdmin(engines, engine, options);
  // The admin also takes the reception role, so one session can do both in tests.
  await t.db.run(`INSERT INTO user_roles (user_id, role) VALUES (?, 'receptionist')`, t.user!.id);
  await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
  return Object.assign(t, await staffReception(t.ok));
}

/** The access log's hash chain walked from behind the app's back, as db/local/accessLog.ts verifyAccessLogChain walks it. */
export async function verifyChain(t: EngineApp): Promise<{ ok: true; rows: number } | { ok: false; brokenAt: number }> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of await t.db.all<RawLogRow>('SELECT * FROM access_log ORDER BY seq')) {
    if (!continuesChain(row, expectedSeq, prevHash)) return { ok: false, brokenAt: expectedSeq };
    prevHash = row.hash;
    expectedSeq += 1;
  }
  return { ok: true, rows: expectedSeq - 1 };
}
