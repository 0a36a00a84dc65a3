import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type pg from 'pg';
import { runCli } from '../../main/cli/index.js';
import type { TestPostgres } from './postgres.js';
import { WEEKDAYS_8_TO_17 } from './reception.js';

/** A throwaway self-signed certificate for 127.0.0.1 (openssl, as IT would make a test one). */
export function makeCertificate(dir: string): { certFile: string; keyFile: string; cert: string; key: string } {
  const certFile = path.join(dir, 'server-cert.pem');
  const keyFile = path.join(dir, 'server-key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=utvag-test',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

export const FIRST_ADMIN = { username: 'admin.server', displayName: 'Ada Serverdóttir', password: 'gurka-trappa-vinter-blomma-42' };

/**
 * A new database set up by `npm run cli -- server init` (in process) as the cluster's superuser,
 * with the server's login made by --server-login. Returns that login's settings.
 */
export async function initServerJournal(
  server: TestPostgres,
  database: string,
): Promise<{ login: pg.PoolConfig; loginUrl: string; output: string[] }> {
  const setup = await server.connectAsAdmin();
  try {
    await setup.query(`CREATE DATABASE ${setup.escapeIdentifier(database)}`);
  } finally {
    await setup.end();
  }
  const loginName = `utvag_server_${database.replace(/[^a-z0-9_]/g, '_')}`.slice(0, 60);
  const password = randomBytes(18).toString('base64url');
  const output: string[] = [];
  await runCli(
    ['server', 'init', '--name', FIRST_ADMIN.displayName, '--username', FIRST_ADMIN.username, '--server-login', loginName],
    {
      UTVAG_DATABASE_URL: `postgres://${server.admin.user}:${encodeURIComponent(server.admin.password)}@${server.host}:${server.port}/${database}`,
      UTVAG_PASSWORD: FIRST_ADMIN.password,
      UTVAG_SERVER_DB_PASSWORD: password,
    },
    (line) => output.push(line),
  );
  return {
    login: { host: server.host, port: server.port, user: loginName, password, database },
    loginUrl: `postgres://${loginName}:${encodeURIComponent(password)}@${server.host}:${server.port}/${database}`,
    output,
  };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP(S) request to the server, trusting the test certificate. */
export function request(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string; ca?: string | undefined },
): Promise<Answer> {
  const target = new URL(options.path, url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      { method: options.method ?? 'GET', headers: options.headers ?? {}, ...(options.ca ? { ca: options.ca } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export interface CallResult<T = unknown> {
  ok: boolean;
  value?: T;
  error?: { code: string; message: string; fields?: Record<string, string>; retryAfterSeconds?: number };
}

/** A workstation as the client helper builds it, reduced to the wire: a token in memory, calls over HTTP(S). */
export class Desk {
  token: string | null = null;
  lastRaw: Answer | null = null;

  constructor(
    readonly url: string,
    readonly ca?: string,
  ) {}

  async call<T = unknown>(channel: string, input: unknown = {}): Promise<CallResult<T>> {
    const answer = await request(this.url, {
      method: 'POST',
      path: '/v1/call',
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ channel, input }),
      ca: this.ca,
    });
    this.lastRaw = answer;
    if (answer.status !== 200) throw new Error(`HTTP ${answer.status} for ${channel}`);
    const issued = answer.headers['utvag-session'];
    if (typeof issued === 'string') this.token = issued;
    return JSON.parse(answer.body) as CallResult<T>;
  }

  async ok<T = unknown>(channel: string, input: unknown = {}): Promise<T> {
    const result = await this.call<T>(channel, input);
    if (!result.ok) throw new Error(`${channel} refused: ${JSON.stringify(result.error)}`);
    return result.value as T;
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.ok('auth.login', { username, password });
  }

  /** Opens the event stream; returns the events as they come and a function that closes it. */
  events(): Promise<{ status: number; events: unknown[]; text: () => string; close: () => void; ended: Promise<void> }> {
    const target = new URL('/v1/events', this.url);
    const client = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(
        target,
        { method: 'GET', headers: this.token ? { authorization: `Bearer ${this.token}` } : {}, ...(this.ca ? { ca: this.ca } : {}) },
        (res) => {
          const events: unknown[] = [];
          let text = '';
          let buffer = '';
          const ended = new Promise<void>((done) => {
            res.on('end', done);
            res.on('close', done);
            res.on('error', () => done());
          });
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString('utf8');
            buffer += chunk.toString('utf8');
            let cut: number;
            while ((cut = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, cut);
              buffer = buffer.slice(cut + 2);
              const data = block.split('\n').find((line) => line.startsWith('data: '));
              if (block.startsWith('event: change') && data) events.push(JSON.parse(data.slice(6)));
            }
          });
          resolve({ status: res.statusCode ?? 0, events, text: () => text, close: () => req.destroy(), ended });
        },
      );
      req.on('error', reject);
      req.end();
    });
  }
}

/** Waits until check() holds, looking every 20 ms, at most `ms`. */
export async function until(check: () => boolean, ms = 2000): Promise<boolean> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/**
 * A person the admin adds (a therapist with her tracks and weekday hours at Skaraborg), who has then
 * chosen her own password at `own`, a desk of her own, still signed in there. The people are fictional.
 */
export async function serverPerson(admin: Desk, own: Desk, displayName: string, username: string, roles: string[], tracks: string[] = []) {
  const created = await admin.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', { displayName, username, roles });
  if (roles.includes('therapist'))
    await admin.ok('org.saveTherapist', { userId: created.user.id, siteId: 'skaraborg', tracks, hours: WEEKDAYS_8_TO_17 });
  const password = `${username}-alldeles-egen-fras`;
  await own.signIn(username, created.temporaryPassword);
  await own.ok('auth.changePassword', { currentPassword: created.temporaryPassword, newPassword: password, newPasswordRepeat: password });
  return { id: created.user.id, username, password, temporaryPassword: created.temporaryPassword, own };
}
