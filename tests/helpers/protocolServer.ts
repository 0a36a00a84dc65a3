/**
 * A small real HTTP(S) server that speaks the Utväg server's wire protocol (v1) for the workstation
 * side's transport tests: health, calls with the session token, sessions that lock, end and vanish at
 * a restart, and the live change stream. It holds no journal: the real server (main/server/) is the
 * integrator's end-to-end. Certificates are made with openssl in a temporary folder.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface TestPki {
  caFile: string;
  ca: string;
  key: string;
  cert: string;
  /** Another authority, which did not sign the server's certificate. */
  otherCaFile: string;
}

/** A private CA and a server certificate for 127.0.0.1 and localhost signed by it, plus an unrelated CA. */
export function makeTestPki(dir: string): TestPki {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ca = (name: string) => {
    run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`);
  };
  ca('utvag-test-ca');
  ca('other-test-ca');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'utvag-test-ca.pem',
    '-CAkey',
    'utvag-test-ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  );
  return {
    caFile: path.join(dir, 'utvag-test-ca.pem'),
    ca: readFileSync(path.join(dir, 'utvag-test-ca.pem'), 'utf8'),
    key: readFileSync(path.join(dir, 'server.key'), 'utf8'),
    cert: readFileSync(path.join(dir, 'server.pem'), 'utf8'),
    otherCaFile: path.join(dir, 'other-test-ca.pem'),
  };
}

export interface SeenCall {
  channel: string;
  input: unknown;
  authorization: string | null;
}

interface Session {
  username: string;
  locked: boolean;
}

export const TEST_USER = {
  id: 'u-rut',
  username: 'rut.reception',
  displayName: 'Rut Receptionsson',
  roles: ['receptionist'],
  mustChangePassword: false,
};
export const TEST_PASSWORD = 'ett-långt-testlösenord';

export interface ProtocolServer {
  url: string;
  port: number;
  calls: SeenCall[];
  /** Tokens issued, in order. */
  issued: string[];
  /** Opened event streams, in order (their bearer tokens). */
  streams: string[];
  /** Sends a change to every open stream; `extra` fields imitate a server bug that leaks more. */
  push(event: Record<string, unknown>): void;
  /** Cuts every open event stream (the network blinks): clients reconnect. */
  dropStreams(): void;
  /** Forgets every session, as a restarted server does. */
  forgetSessions(): void;
  /** The next /v1/call answers with this status instead (a proxy's error page, say), or with this body and 200. */
  failNextWith(status: number, body?: string): void;
  /** Calls are held unanswered (a hung server). */
  hang: boolean;
  openStreamCount(): number;
  close(): Promise<void>;
}

export async function startProtocolServer(options: { tls?: { key: string; cert: string }; port?: number } = {}): Promise<ProtocolServer> {
  const sessions = new Map<string, Session>();
  const calls: SeenCall[] = [];
  const issued: string[] = [];
  const streamTokens: string[] = [];
  const open = new Set<http.ServerResponse>();
  let failNext: { status: number; body: string } | null = null;

  const json = (response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
    response.end(JSON.stringify(body));
  };
  const bearer = (request: http.IncomingMessage) => {
    const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    return match ? match[1]! : null;
  };

  const state: { hang: boolean } = { hang: false };
  const handler = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/v1/health' && request.method === 'GET') return json(response, 200, { service: 'utvag-server', api: 1, version: '0.1.0' });
    if (url.pathname === '/v1/events' && request.method === 'GET') {
      const token = bearer(request);
      const session = token ? sessions.get(token) : undefined;
      if (!token || !session || session.locked) return json(response, 401, { error: 'not signed in' });
      streamTokens.push(token);
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      response.write(': ping\n\n');
      open.add(response);
      response.on('close', () => open.delete(response));
      return;
    }
    if (url.pathname !== '/v1/call' || request.method !== 'POST') return json(response, 404, { error: 'not found' });
    if (request.headers['content-type'] !== 'application/json') return json(response, 415, { error: 'json only' });
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { channel: string; input: unknown };
      const token = bearer(request);
      calls.push({ channel: body.channel, input: body.input, authorization: request.headers.authorization ?? null });
      if (state.hang) return; // never answered
      if (failNext !== null) {
        const { status, body: text } = failNext;
        failNext = null;
        response.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'text/html' });
        return response.end(text);
      }
      const session = token ? sessions.get(token) : undefined;
      const ok = (value: unknown, headers: Record<string, string> = {}) => json(response, 200, { ok: true, value }, headers);
      const refuse = (code: string, message: string) => json(response, 200, { ok: false, error: { code, message } });
      switch (body.channel) {
        case 'app.status':
          if (!session) return ok({ state: 'locked', user: null, lockedBy: null, idleLockMinutes: null });
          return ok(
            session.locked
              ? { state: 'locked', user: null, lockedBy: { username: TEST_USER.username, displayName: TEST_USER.displayName }, idleLockMinutes: null }
              : { state: 'unlocked', user: TEST_USER, lockedBy: null, idleLockMinutes: 15 },
          );
        case 'auth.login': {
          const input = body.input as { username: string; password: string };
          if (input.username !== TEST_USER.username || input.password !== TEST_PASSWORD) return refuse('WRONG_CREDENTIALS', 'error.wrongCredentials');
          if (token && session?.locked) sessions.delete(token);
          const fresh = randomBytes(32).toString('base64url');
          sessions.set(fresh, { username: TEST_USER.username, locked: false });
          issued.push(fresh);
          return ok(TEST_USER, { 'utvag-session': fresh });
        }
        case 'auth.setup':
        case 'auth.recover':
        case 'auth.rekey':
          return refuse('FORBIDDEN', 'error.notOnServer');
        default:
          if (body.channel.startsWith('workstation.')) return refuse('FORBIDDEN', 'error.notOnServer');
          if (!session) return refuse('NOT_SIGNED_IN', 'error.sessionEnded');
          if (session.locked) return refuse('LOCKED', 'error.locked');
          if (body.channel === 'auth.lock') {
            session.locked = true;
            for (const stream of open) stream.end();
            return ok({ locked: true });
          }
          if (body.channel === 'auth.logout') {
            sessions.delete(token!);
            for (const stream of open) stream.end();
            return ok({ locked: true });
          }
          if (body.channel === 'settings.get') return ok({ idleLockMinutes: 15, separationBufferMinutes: 120 });
          if (body.channel.startsWith('backup.')) return refuse('FORBIDDEN', 'error.notOnServer');
          if (body.channel === 'users.create') {
            const input = body.input as { username: string; displayName: string; roles: string[] };
            const user = { ...input, id: 'u-new', active: true, mustChangePassword: true, createdAt: '2026-12-03T10:00:00.000Z', lastLoginAt: null };
            return ok({ user, temporaryPassword: 'tillfälligt-lösen-123' });
          }
          return ok({ echoed: body.channel });
      }
    });
  };

  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    calls,
    issued,
    streams: streamTokens,
    push(event) {
      for (const stream of open) stream.write(`event: change\ndata: ${JSON.stringify(event)}\n\n`);
    },
    dropStreams() {
      for (const stream of open) stream.destroy();
    },
    forgetSessions() {
      sessions.clear();
    },
    failNextWith(status, body = '<html>Bad gateway</html>') {
      failNext = { status, body };
    },
    get hang() {
      return state.hang;
    },
    set hang(value: boolean) {
      state.hang = value;
    },
    openStreamCount: () => open.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of open) stream.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
