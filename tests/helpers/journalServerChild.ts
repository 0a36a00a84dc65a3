/**
 * For the workstation's end-to-end tests only: a stand-in for the Utväg server that speaks the wire
 * protocol (v1) over loopback HTTP and answers from a real encrypted local journal through the real
 * router, for one signed-in person at a time. The real server (main/server/, PostgreSQL, many
 * sessions) is the integrator's end-to-end; this proves the workstation's side in the browser.
 *
 * Run: node --import tsx tests/helpers/journalServerChild.ts <dataDir>. It sets up a journal with a
 * receptionist (RECEPTIONIST in tests/e2e/harness.ts), prints `Listening: http://127.0.0.1:PORT`,
 * and takes commands on stdin, one a line, answering `done <command>`:
 *   stop | start          stop listening (the server is gone) / listen again on the same port
 *   restart               forget the session, as a restarted server does
 *   register NAME         register a first call of NAME on the victims' side in the signed-in
 *                         person's session (another desk's work) and send its change event
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import readline from 'node:readline';
import { silentLogger } from '../../main/log.js';
import { createRouter } from '../../main/router.js';
import { JournalApp } from '../../main/services/session/index.js';
import { intakeInput } from '../fixtures/intake.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('Give the data folder');

export const SERVER_ADMIN = { displayName: 'Astrid Adminsson', username: 'astrid.admin', password: 'korrekt-häst-batteri-häftklammer' };
export const SERVER_RECEPTIONIST = { displayName: 'Rut Receptionsdotter', username: 'rut.reception', password: 'receptionens-egna-långa-fras' };

const app = new JournalApp({ dataDir, log: silentLogger });
const router = createRouter(app);
const must = async (channel: string, input: unknown) => {
  const result = await router.invoke(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as Record<string, unknown>;
};

await must('auth.setup', { ...SERVER_ADMIN, passwordRepeat: SERVER_ADMIN.password });
const created = await must('users.create', {
  displayName: SERVER_RECEPTIONIST.displayName,
  username: SERVER_RECEPTIONIST.username,
  roles: ['receptionist'],
});
await must('auth.login', { username: SERVER_RECEPTIONIST.username, password: created.temporaryPassword });
await must('auth.changePassword', {
  currentPassword: created.temporaryPassword,
  newPassword: SERVER_RECEPTIONIST.password,
  newPasswordRepeat: SERVER_RECEPTIONIST.password,
});
await must('auth.logout', {});

let token: string | null = null;
const streams = new Set<http.ServerResponse>();

const json = (response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  response.end(JSON.stringify(body));
};
const bearer = (request: http.IncomingMessage) => /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? null;
const endStreams = () => {
  for (const stream of streams) stream.end();
  streams.clear();
};

const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://x');
  if (url.pathname === '/v1/health') return json(response, 200, { service: 'utvag-server', api: 1, version: '0.1.0' });
  if (url.pathname === '/v1/events') {
    if (!token || bearer(request) !== token || !app.isUnlocked) return json(response, 401, {});
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    response.write(': ping\n\n');
    streams.add(response);
    response.on('close', () => streams.delete(response));
    return;
  }
  if (url.pathname !== '/v1/call' || request.method !== 'POST') return json(response, 404, {});
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    void (async () => {
      const { channel, input } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { channel: string; input: unknown };
      const given = bearer(request);
      const mine = given !== null && given === token;
      if (channel === 'auth.setup' || channel === 'auth.recover' || channel === 'auth.rekey' || channel.startsWith('workstation.'))
        return json(response, 200, { ok: false, error: { code: 'FORBIDDEN', message: 'error.notOnServer' } });
      if (channel === 'app.status' && !mine)
        return json(response, 200, { ok: true, value: { state: 'locked', user: null, lockedBy: null, idleLockMinutes: null } });
      if (channel === 'auth.login') {
        const result = await router.invoke(channel, input);
        if (!result.ok) return json(response, 200, result);
        token = randomBytes(32).toString('base64url');
        return json(response, 200, result, { 'utvag-session': token });
      }
      if (!mine) return json(response, 200, { ok: false, error: { code: 'NOT_SIGNED_IN', message: 'error.sessionEnded' } });
      const result = await router.invoke(channel, input);
      if (channel === 'auth.lock') endStreams();
      if (channel === 'auth.logout') {
        token = null;
        endStreams();
      }
      json(response, 200, result);
    })();
  });
});

const listen = (port: number) =>
  new Promise<number>((resolve) => {
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
const port = await listen(0);
process.stdout.write(`Listening: http://127.0.0.1:${port}\n`);

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  void (async () => {
    const [command, ...rest] = line.trim().split(' ');
    if (command === 'stop') {
      endStreams();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    } else if (command === 'start') {
      await listen(port);
    } else if (command === 'restart') {
      token = null;
      endStreams();
      app.lock('shutdown');
    } else if (command === 'register') {
      await must('intake.register', intakeInput('victim', rest.join(' ')));
      const change = { kind: 'intakes', site: 'skaraborg', side: 'victims', day: null };
      for (const stream of streams) stream.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
    }
    process.stdout.write(`done ${command}\n`);
  })().catch((error: unknown) => {
    process.stdout.write(`failed ${line}: ${(error as Error).message}\n`);
  });
});
process.on('SIGTERM', () => {
  app.lock('shutdown');
  process.exit(0);
});
