import { readFileSync } from 'node:fs';
import os from 'node:os';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { defaultPostgresMigrationsDir } from '../../db/engine/postgresMigrate.js';
import { loadMigrations } from '../../db/migrate.js';
import { createPostgresStore, type PostgresStore } from '../../db/engine/postgres.js';
import { contract, type ChannelName, type Result } from '../../preload/contract/index.js';
import type { Logger } from '../log.js';
import type { Handlers } from '../handlers/context.js';
import { createHandlers, createRouter } from '../router.js';
import { backupRoutes, refuseUnsafeBackupLogin } from './backup.js';
import { ChangeFeed } from './events.js';
import { SessionHost } from './host.js';
import { ServerSessions } from './sessions.js';
import { CLI_COMMAND } from '../commands.js';

/** Wire protocol v1 (db/engine/README.md, "Wire protocol v1"): what a workstation may rely on. */
export const API_VERSION = 1;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Without an open session only a public channel answers (a sign-in, app.status): a few hundred bytes, so anyone on the network is read no further. */
const MAX_ANONYMOUS_BODY_BYTES = 16 * 1024;

/** Channels that make no sense on the server: the local journal's file, key and workstation. */
export function refusedOnServer(channel: string): boolean {
  return (
    channel === 'auth.setup' ||
    channel === 'auth.recover' ||
    channel === 'auth.rekey' ||
    channel.startsWith('workstation.') ||
    // Backups go through POST /v1/backup/export|restore (the file's bytes, not JSON); the workstation answers the rest itself.
    channel.startsWith('backup.')
  );
}

export interface ServerOptions {
  /** The server's own database login (no owner rights): every transaction runs as a person's role. */
  database: pg.PoolConfig;
  host: string;
  port: number;
  /** PEM certificate and key; without them only a loopback host is served (plain HTTP). */
  tls?: { cert: string; key: string } | null;
  log: Logger;
  version: string;
  /** How often each session's idle lock looks at the clock (tests shorten it). */
  idleCheckEveryMs?: number;
  /** The backup login (utvag_backup, utvag_restore; never the login above); without it backups answer error.backup.notConfigured. */
  backupDatabase?: pg.PoolConfig | null;
  /** Where exports and uploads are made for the moment they take (default: the system's temporary folder). */
  tempDir?: string;
}

export interface RunningServer {
  url: string;
  sessions: ServerSessions;
  store: PostgresStore;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

class TooLarge extends Error {}

/** A call's body must arrive within this (the server's own request timeout is long, for a restore's upload). */
const CALL_BODY_MS = 60_000;

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new TooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  const slow = setTimeout(() => request.destroy(Object.assign(new Error('body too slow'), { name: 'TimeoutError' })), CALL_BODY_MS);
  try {
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > limit) throw new TooLarge();
      chunks.push(chunk as Buffer);
    }
  } finally {
    clearTimeout(slow);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function bearer(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * One contract call as the server answers it, for the session the token names: the envelope, and the
 * token of a session a sign-in opened. Exported so that the safety suites drive the very same path
 * in process (tests/helpers/engineApp.ts).
 */
export async function answerCall(
  sessions: ServerSessions,
  handlers: Handlers,
  channel: string,
  input: unknown,
  token: string | null,
): Promise<{ envelope: Result<unknown>; token?: string }> {
  const known = Object.hasOwn(contract, channel);
  if (known && refusedOnServer(channel)) return { envelope: { ok: false, error: { code: 'FORBIDDEN', message: 'error.notOnServer' } } };
  const session = sessions.find(token);
  if (known && contract[channel as ChannelName].access !== 'public' && session?.state !== 'unlocked') {
    // A locked session answers only public channels; an unknown token (a restart, a logout) is told its session ended.
    return {
      envelope: {
        ok: false,
        error: session ? { code: 'LOCKED', message: 'error.locked' } : { code: 'NOT_SIGNED_IN', message: 'error.sessionEnded' },
      },
    };
  }
  const host = new SessionHost(sessions, session);
  const envelope = await createRouter(host, handlers).invoke(channel, input);
  // Her open event streams follow a therapist's new tracks at once (the input was valid: the call succeeded).
  if (envelope.ok && channel === 'org.saveTherapist') {
    const saved = contract['org.saveTherapist'].input.parse(input);
    sessions.tracksChanged(saved.userId, saved.tracks);
  }
  return host.issuedToken && envelope.ok ? { envelope, token: host.issuedToken } : { envelope };
}

/**
 * The Utväg server: the same router and services as the desktop app, over the shared PostgreSQL
 * journal, for many people signed in at once (one session each). Every call goes through the
 * router (validation, roles, one transaction as the person's database role, the access log); the
 * answers are the contract's Result envelopes, with nothing of SQL in them.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  if (!options.tls && !isLoopback(options.host)) {
    throw new Error('A certificate is needed to serve anything but this computer: set UTVAG_TLS_CERT and UTVAG_TLS_KEY');
  }
  const { log } = options;
  await refuseOwnerLogin(options.database);
  if (options.backupDatabase) await refuseUnsafeBackupLogin(options.backupDatabase, options.database);
  const store = createPostgresStore(options.database);
  const backupStore = options.backupDatabase ? createPostgresStore(options.backupDatabase) : null;
  const sessions = new ServerSessions({ store, log, ...(options.idleCheckEveryMs ? { idleCheckEveryMs: options.idleCheckEveryMs } : {}) });
  const feed = new ChangeFeed(options.database as pg.ClientConfig, log);
  try {
    await feed.start();
  } catch (error) {
    await store.close();
    await backupStore?.close();
    throw error;
  }
  const handlers = createHandlers();
  const backups = backupRoutes({ sessions, backupStore, tempDir: options.tempDir ?? os.tmpdir(), log, send });

  async function call(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const type = String(request.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (type !== 'application/json') {
      request.resume();
      return send(response, 415, { error: 'content-type must be application/json' });
    }
    let parsed: unknown;
    const limit = sessions.find(bearer(request))?.state === 'unlocked' ? MAX_BODY_BYTES : MAX_ANONYMOUS_BODY_BYTES;
    try {
      parsed = JSON.parse(await readBody(request, limit));
    } catch (error) {
      if (error instanceof TooLarge) {
        response.setHeader('connection', 'close');
        return send(response, 413, { error: 'request too large' });
      }
      return send(response, 400, { error: 'body must be JSON' });
    }
    const { channel, input } = (parsed ?? {}) as { channel?: unknown; input?: unknown };
    if (typeof channel !== 'string') return send(response, 400, { error: 'channel must be a string' });
    const result = await answer(channel, input, bearer(request));
    send(response, 200, result.envelope, result.token ? { 'utvag-session': result.token } : {});
  }

  const answer = (channel: string, input: unknown, token: string | null) => answerCall(sessions, handlers, channel, input, token);

  function events(request: IncomingMessage, response: ServerResponse): void {
    const session = sessions.find(bearer(request));
    // A temporary password opens nothing but its own change: no stream either.
    if (!session || session.state !== 'unlocked' || session.user.mustChangePassword) return send(response, 401, { error: 'not signed in' });
    feed.attach(session, response);
  }

  const listener = (request: IncomingMessage, response: ServerResponse) => {
    // On every answer, the event stream's included; no CORS header ever (no browser page may call this).
    response.setHeader('cache-control', 'no-store');
    response.setHeader('x-content-type-options', 'nosniff');
    const url = (request.url ?? '').split('?')[0];
    const route = `${request.method} ${url}`;
    const work =
      route === 'GET /v1/health'
        ? Promise.resolve(send(response, 200, { service: 'utvag-server', api: API_VERSION, version: options.version }))
        : route === 'POST /v1/call'
          ? call(request, response)
          : route === 'GET /v1/events'
            ? Promise.resolve(events(request, response))
            : route === 'POST /v1/backup/export'
              ? backups.exportRoute(request, response, bearer(request))
              : route === 'POST /v1/backup/restore'
                ? backups.restoreRoute(request, response, bearer(request))
                : Promise.resolve(send(response, 404, { error: 'not found' }));
    work.catch((error: unknown) => {
      log.error('server.request_failed', { errorName: (error as Error)?.name ?? 'unknown' });
      if (!response.headersSent) send(response, 500, { error: 'internal' });
      else response.end();
    });
  };

  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, listener) : http.createServer(listener);
  server.headersTimeout = 20_000;
  // Long enough for an admin's upload of a whole journal (POST /v1/backup/restore, read only after the
  // admin's token is checked); a call's body has its own minute (readBody).
  server.requestTimeout = 2 * 60 * 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `${options.tls ? 'https' : 'http'}://${hostInUrl}:${port}`;
  log.info('server.listening', { port });

  let closing: Promise<void> | null = null;
  return {
    url,
    sessions,
    store,
    close() {
      closing ??= (async () => {
        // Stop accepting, end the event streams and every session, then the pool.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await feed.close();
        sessions.endAll();
        server.closeIdleConnections();
        // A call still running gets a few seconds to answer; then its connection is cut (its transaction rolls back).
        const cut = setTimeout(() => server.closeAllConnections(), 5000);
        cut.unref();
        await closed;
        clearTimeout(cut);
        await store.close();
        await backupStore?.close();
      })();
      return closing;
    },
  };
}

/** The server was given a login that would get past the database's second line. */
export class UnsafeDatabaseLoginError extends Error {
  constructor(reason: string) {
    super(`UTVAG_DATABASE_URL must be the server's own login, not the owner's: ${reason} (see ${CLI_COMMAND} server init)`);
    this.name = 'UnsafeDatabaseLoginError';
  }
}

/**
 * Refuses to serve with a login that row-level security would not hold: a superuser, a role that
 * bypasses RLS, the owner of the journal's tables, or one that inherits the app roles' rights
 * (then a transaction would keep every role's rights whatever SET ROLE says).
 */
async function refuseOwnerLogin(config: pg.PoolConfig): Promise<void> {
  const client = new pg.Client(config as pg.ClientConfig);
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ rolsuper: boolean; rolbypassrls: boolean; rolinherit: boolean; owned: string }>(
      `SELECT r.rolsuper, r.rolbypassrls, r.rolinherit,
              (SELECT count(*) FROM pg_tables t WHERE t.schemaname = 'public' AND t.tableowner = current_user) AS owned
       FROM pg_roles r WHERE r.rolname = current_user`,
    );
    const role = rows[0];
    if (!role) throw new UnsafeDatabaseLoginError('the login has no role');
    if (role.rolsuper) throw new UnsafeDatabaseLoginError('it is a superuser');
    if (role.rolbypassrls) throw new UnsafeDatabaseLoginError('it bypasses row-level security');
    if (Number(role.owned) > 0) throw new UnsafeDatabaseLoginError("it owns the journal's tables");
    if (role.rolinherit) throw new UnsafeDatabaseLoginError('it inherits the app roles’ rights (create it NOINHERIT)');
    await refuseOtherSchema(client);
  } finally {
    await client.end();
  }
}

/** The journal's schema is not the one this server was built for: `server migrate` first (or a newer server). */
export class SchemaMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaMismatchError';
  }
}

async function refuseOtherSchema(client: pg.Client): Promise<void> {
  const shipped = loadMigrations(defaultPostgresMigrationsDir());
  const applied = (await client.query<{ id: number; name: string }>('SELECT id, name FROM schema_migrations ORDER BY id')).rows;
  const same = applied.length === shipped.length && applied.every((row, index) => row.id === shipped[index]!.id && row.name === shipped[index]!.name);
  if (same) return;
  if (applied.length < shipped.length && applied.every((row, index) => row.id === shipped[index]!.id && row.name === shipped[index]!.name))
    throw new SchemaMismatchError(
      `The journal's schema is at version ${applied.length}, this server needs ${shipped.length}: run ${CLI_COMMAND} server migrate as the database's owner first.`,
    );
  throw new SchemaMismatchError(
    `The journal's schema (version ${applied.length}) is not one this server knows (${shipped.length}): install the matching server version.`,
  );
}

/** PEM files named by the environment, read at start (a missing file refuses to start). */
export function readTls(certFile: string | undefined, keyFile: string | undefined): { cert: string; key: string } | null {
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) throw new Error('Set both UTVAG_TLS_CERT and UTVAG_TLS_KEY (PEM files), or neither on a loopback host');
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}
