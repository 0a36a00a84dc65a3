/**
 * The workstation as a client of the Utväg server: the remote router against a real HTTPS server
 * in this process that speaks the wire protocol (tests/helpers/protocolServer.ts), with a private CA
 * made by openssl. The end-to-end against the real server is the integrator's.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../preload/contract/index.js';
import { runCli } from '../../main/cli/index.js';
import { startHarness } from '../../main/harness/server.js';
import { silentLogger } from '../../main/log.js';
import { createRemoteRouter, ServerAddressError, type RemoteRouter } from '../../main/remote/index.js';
import { SseParser } from '../../main/remote/sse.js';
import { startWorkstation, type Workstation } from '../../main/remote/workstation.js';
import { makeTestPki, startProtocolServer, TEST_PASSWORD, TEST_USER, type ProtocolServer, type TestPki } from '../helpers/protocolServer.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { request } from '../helpers/utvagServer.js';

const tempDir = useTempDirs();
let pki: TestPki;
let pkiDir: string;

beforeAll(() => {
  // Made once for the file: RSA keys take a moment.
  pkiDir = mkdtempSync(path.join(os.tmpdir(), 'utvag-pki-'));
  pki = makeTestPki(pkiDir);
});
afterAll(() => rmSync(pkiDir, { recursive: true, force: true }));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tlsServer(): Promise<ProtocolServer> {
  const server = await startProtocolServer({ tls: { key: pki.key, cert: pki.cert } });
  cleanups.push(() => server.close());
  return server;
}

function remote(
  server: { url: string },
  options: { ca?: string; dataDir?: string; timeoutMs?: number } = {},
): { router: RemoteRouter; dataDir: string } {
  const dataDir = options.dataDir ?? tempDir();
  const router = createRemoteRouter({
    url: server.url,
    ca: 'ca' in options ? options.ca : pki.ca,
    log: silentLogger,
    dataDir,
    backoffStartMs: 50,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  cleanups.push(() => router.close());
  return { router, dataDir };
}

const signIn = (router: RemoteRouter) => router.invoke('auth.login', { username: TEST_USER.username, password: TEST_PASSWORD });

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the remote router over TLS', () => {
  it('trusts the server through the private CA, keeps the session token in memory and sends it with every call', async () => {
    const server = await tlsServer();
    const { router, dataDir } = remote(server);
    expect(await router.invoke('app.status', {})).toEqual({
      ok: true,
      value: { state: 'locked', user: null, lockedBy: null, idleLockMinutes: null },
    });
    expect(await signIn(router)).toEqual({ ok: true, value: TEST_USER });
    expect(server.issued).toHaveLength(1);
    const token = server.issued[0]!;
    expect(await router.invoke('settings.get', {})).toEqual({ ok: true, value: { idleLockMinutes: 15, separationBufferMinutes: 120 } });
    expect(server.calls.at(-1)).toEqual({ channel: 'settings.get', input: {}, authorization: `Bearer ${token}` });
    // Before signing in, no token went out.
    expect(server.calls[0]!.authorization).toBeNull();
    // Nothing of the session reached the data folder.
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('refuses a server whose certificate another authority signed, and one with no private CA given', async () => {
    const server = await tlsServer();
    const wrong = remote(server, { ca: readFileSync(pki.otherCaFile, 'utf8') }).router;
    expect(await wrong.invoke('app.status', {})).toEqual({ ok: false, error: { code: 'UNREACHABLE', message: 'error.serverUnreachable' } });
    const none = remote(server, { ca: undefined }).router;
    expect(await none.invoke('auth.login', { username: TEST_USER.username, password: TEST_PASSWORD })).toEqual({
      ok: false,
      error: { code: 'UNREACHABLE', message: 'error.serverUnreachable' },
    });
    // The password never reached a server it could not verify.
    expect(server.calls).toEqual([]);
  });

  it('refuses http:// to another computer with a clear message, and allows it to this one', async () => {
    for (const url of ['http://192.0.2.10:8443', 'http://utvag-server.invalid:8443', 'http://[2001:db8::1]:8443']) {
      expect(() => createRemoteRouter({ url, log: silentLogger, dataDir: tempDir() })).toThrow(ServerAddressError);
      expect(() => createRemoteRouter({ url, log: silentLogger, dataDir: tempDir() })).toThrow(/https:\/\/ \(TLS\)/);
    }
    expect(() => createRemoteRouter({ url: 'ftp://127.0.0.1', log: silentLogger, dataDir: tempDir() })).toThrow(ServerAddressError);
    const plain = await startProtocolServer();
    cleanups.push(() => plain.close());
    for (const host of ['127.0.0.1', 'localhost']) {
      const { router } = remote({ url: plain.url.replace('127.0.0.1', host) }, { ca: undefined });
      expect(await router.invoke('app.status', {})).toMatchObject({ ok: true, value: { state: 'locked' } });
    }
  });

  it('drops the token when the server says the session ended (a restart), and after a sign-out', async () => {
    const server = await tlsServer();
    const { router } = remote(server);
    await signIn(router);
    server.forgetSessions();
    expect(await router.invoke('settings.get', {})).toEqual({ ok: false, error: { code: 'NOT_SIGNED_IN', message: 'error.sessionEnded' } });
    // The login screen is told why, until the next sign-in.
    expect(await router.invoke('app.status', {})).toEqual({
      ok: true,
      value: { state: 'locked', user: null, lockedBy: null, idleLockMinutes: null, sessionEnded: true },
    });
    expect(server.calls.at(-1)!.authorization).toBeNull();
    await signIn(router);
    expect(await router.invoke('app.status', {})).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    expect((await router.invoke('app.status', {})) as { value: object }).not.toHaveProperty('value.sessionEnded');

    // A restart noticed first by the status poll: the token the server no longer knows is dropped too.
    server.forgetSessions();
    expect(await router.invoke('app.status', {})).toMatchObject({ ok: true, value: { state: 'locked', sessionEnded: true } });
    await router.invoke('settings.get', {});
    expect(server.calls.at(-1)!.authorization).toBeNull();

    await signIn(router);
    expect(await router.invoke('auth.logout', {})).toEqual({ ok: true, value: { locked: true } });
    await router.invoke('app.status', {});
    expect(server.calls.at(-1)!.authorization).toBeNull();
  });

  it('keeps a locked session for the unlock: the lock screen signs in with it and the server replaces it', async () => {
    const server = await tlsServer();
    const { router } = remote(server);
    await signIn(router);
    await router.invoke('auth.lock', {});
    expect(await router.invoke('app.status', {})).toMatchObject({ ok: true, value: { state: 'locked', lockedBy: { username: TEST_USER.username } } });
    await signIn(router);
    expect(server.calls.filter((call) => call.channel === 'auth.login').at(-1)!.authorization).toBe(`Bearer ${server.issued[0]}`);
    await router.invoke('settings.get', {});
    expect(server.calls.at(-1)!.authorization).toBe(`Bearer ${server.issued[1]}`);
  });

  it("never undoes a lock the server did not hear (unreachable): nothing is sent in the open session's name, and the lock goes first once it answers", async () => {
    const server = await tlsServer();
    const { router } = remote(server);
    await signIn(router);
    const open = server.issued[0]!;
    server.failNextWith(502);
    expect(await router.invoke('auth.lock', {})).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } });
    // Still unreachable: this desk shows its lock screen, whatever the server's session still is.
    server.failNextWith(502);
    expect(await router.invoke('app.status', {})).toEqual({
      ok: true,
      value: { state: 'locked', user: null, lockedBy: null, idleLockMinutes: null },
    });
    server.failNextWith(502);
    expect(await router.invoke('settings.get', {})).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } });
    expect(
      server.calls.filter((call) => call.authorization === `Bearer ${open}` && call.channel !== 'auth.lock').map((call) => call.channel),
    ).toEqual([]);
    // The network is back: the lock is sent before anything else, and the session is not resumed.
    const before = server.calls.length;
    expect(await router.invoke('app.status', {})).toMatchObject({ ok: true, value: { state: 'locked', lockedBy: { username: TEST_USER.username } } });
    expect(server.calls[before]).toMatchObject({ channel: 'auth.lock', authorization: `Bearer ${open}` });
    expect((await router.invoke('settings.get', {})).ok).toBe(false);
    expect(router.signedIn).toBe(false);
    // The lock screen's unlock replaces it, as after any lock.
    await signIn(router);
    expect(server.calls.filter((call) => call.channel === 'auth.login').at(-1)!.authorization).toBe(`Bearer ${open}`);
    expect((await router.invoke('settings.get', {})).ok).toBe(true);
  });

  it('ends at the server a sign-out it did not hear (unreachable) before anything else once it answers', async () => {
    const server = await tlsServer();
    const { router } = remote(server);
    await signIn(router);
    const open = server.issued[0]!;
    server.failNextWith(502);
    expect(await router.invoke('auth.logout', {})).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } });
    const before = server.calls.length;
    expect(await router.invoke('app.status', {})).toMatchObject({ ok: true, value: { state: 'locked', lockedBy: null } });
    expect(server.calls[before]).toMatchObject({ channel: 'auth.logout', authorization: `Bearer ${open}` });
    // Ended there: the token opens nothing, whoever finds it.
    const after = await request(server.url, {
      method: 'POST',
      path: '/v1/call',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${open}` },
      body: JSON.stringify({ channel: 'settings.get', input: {} }),
      ca: pki.ca,
    });
    expect(JSON.parse(after.body)).toEqual({ ok: false, error: { code: 'NOT_SIGNED_IN', message: 'error.sessionEnded' } });
    expect(router.signedIn).toBe(false);
  });

  it('locks a desk left alone as long as the centre allows even while the server cannot be reached to lock it, and owes the server that lock', async () => {
    const server = await tlsServer();
    let clock = 1_000_000;
    const router = createRemoteRouter({ url: server.url, ca: pki.ca, log: silentLogger, dataDir: tempDir(), now: () => clock });
    cleanups.push(() => router.close());
    await signIn(router);
    const open = server.issued[0]!;
    expect(await router.invoke('app.status', {})).toMatchObject({ ok: true, value: { state: 'unlocked', idleLockMinutes: 15 } });
    // Work keeps it open: a call a minute before the limit starts the count again.
    clock += 14 * 60_000;
    expect((await router.invoke('settings.get', {})).ok).toBe(true);
    clock += 14 * 60_000;
    expect(await router.invoke('app.status', {})).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    // Then the network goes, and nobody touches the desk for the centre's 15 minutes.
    clock += 60_000;
    server.failNextWith(502);
    expect(await router.invoke('app.status', {})).toEqual({
      ok: true,
      value: { state: 'locked', user: null, lockedBy: null, idleLockMinutes: null },
    });
    expect(router.signedIn).toBe(false);
    // Back: the lock reaches the server first, and the lock screen names who locked.
    const before = server.calls.length;
    expect(await router.invoke('app.status', {})).toMatchObject({ ok: true, value: { state: 'locked', lockedBy: { username: TEST_USER.username } } });
    expect(server.calls[before]).toMatchObject({ channel: 'auth.lock', authorization: `Bearer ${open}` });
  });

  it('answers the workstation preferences from the data folder, never from the server', async () => {
    const server = await tlsServer();
    const { router, dataDir } = remote(server);
    expect(await router.invoke('workstation.update', { language: 'en' })).toEqual({ ok: true, value: { language: 'en', discreet: true } });
    expect(await router.invoke('workstation.get', {})).toEqual({ ok: true, value: { language: 'en', discreet: true } });
    expect(server.calls).toEqual([]);
    expect(readdirSync(dataDir)).toEqual(['workstation.json']);
    // A connected workstation does not take a first-run choice again.
    expect(await router.invoke('workstation.connectServer', { url: server.url, chooseCa: false })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_SET_UP' },
    });
  });

  it('takes only a well-formed answer: not JSON, not an envelope, or an output outside the contract is refused, never passed on', async () => {
    const server = await tlsServer();
    const { router } = remote(server);
    await signIn(router);
    const unreachable = { ok: false, error: { code: 'UNREACHABLE', message: 'error.serverUnreachable' } };
    for (const body of ['null', '"text"', 'not json', '{"value":1}']) {
      server.failNextWith(200, body);
      expect(await router.invoke('settings.get', {}), body).toEqual(unreachable);
    }
    server.failNextWith(200, JSON.stringify({ ok: true, value: { idleLockMinutes: 'many' } }));
    expect(await router.invoke('settings.get', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'error.internal' } });
    // Extra fields are dropped as the contract's schema drops them; an unknown error code becomes INTERNAL.
    server.failNextWith(200, JSON.stringify({ ok: true, value: { idleLockMinutes: 15, separationBufferMinutes: 120, secret: 'x' } }));
    expect(await router.invoke('settings.get', {})).toEqual({ ok: true, value: { idleLockMinutes: 15, separationBufferMinutes: 120 } });
    server.failNextWith(200, JSON.stringify({ ok: false, error: { code: 'SQL_ERROR', message: 'error.internal' } }));
    expect(await router.invoke('settings.get', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'error.internal' } });
    // Only message keys pass: a sentence that might quote a database's detail (naming another appointment) never reaches the screen.
    const detail = 'conflicting key value violates exclusion constraint: Key (appointment)=(a-41) conflicts';
    server.failNextWith(
      200,
      JSON.stringify({ ok: false, error: { code: 'CONFLICT', message: detail, fields: { start: detail, date: 'error.booking.separation' } } }),
    );
    expect(await router.invoke('settings.get', {})).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'error.internal', fields: { date: 'error.booking.separation' } },
    });
    server.failNextWith(
      200,
      JSON.stringify({ ok: false, error: { code: 'TOO_MANY_ATTEMPTS', message: 'error.login.tooMany', retryAfterSeconds: 4 } }),
    );
    expect(await router.invoke('settings.get', {})).toEqual({
      ok: false,
      error: { code: 'TOO_MANY_ATTEMPTS', message: 'error.login.tooMany', retryAfterSeconds: 4 },
    });
    // A refusal's counts pass as whole numbers under short names only: no text rides along in them.
    server.failNextWith(
      200,
      JSON.stringify({
        ok: false,
        error: {
          code: 'CONFLICT',
          message: 'error.user.therapistBooked',
          counts: { appointments: 2, groupSessions: 0, name: 'Tilda Påhittsdotter', 'a-41': 1, fraction: 1.5 },
        },
      }),
    );
    expect(await router.invoke('settings.get', {})).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'error.user.therapistBooked', counts: { appointments: 2, groupSessions: 0 } },
    });
  });

  it('checks input before sending: a form gets its field errors without a round trip, unknown channels go nowhere', async () => {
    const server = await tlsServer();
    const { router } = remote(server);
    expect(await router.invoke('auth.login', { username: 'x', password: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await router.invoke('debug.dump', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(server.calls).toEqual([]);
  });
});

describe('when the server cannot be reached', () => {
  it('a stopped server, a proxy error page and a hung server all answer UNREACHABLE; a write is sent once, and nothing is written in the data folder', async () => {
    const server = await tlsServer();
    const { router, dataDir } = remote(server, { timeoutMs: 400 });
    await signIn(router);

    server.failNextWith(502);
    const before = server.calls.length;
    expect(await router.invoke('settings.update', { idleLockMinutes: 20 })).toEqual({
      ok: false,
      error: { code: 'UNREACHABLE', message: 'error.serverUnreachable' },
    });
    expect(server.calls.length - before).toBe(1);

    server.hang = true;
    const started = Date.now();
    expect(await router.invoke('settings.update', { idleLockMinutes: 25 })).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(server.calls.filter((call) => call.channel === 'settings.update')).toHaveLength(2);
    server.hang = false;

    await server.close();
    cleanups.pop();
    expect(await router.invoke('settings.get', {})).toEqual({ ok: false, error: { code: 'UNREACHABLE', message: 'error.serverUnreachable' } });
    expect(await router.invoke('auth.logout', {})).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } });
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe('the live change stream', () => {
  it('opens after a sign-in, passes only the named fields, reconnects after a cut, and closes at a lock', async () => {
    const server = await tlsServer();
    const { router } = remote(server);
    const seen: LiveEvent[] = [];
    const off = router.subscribe((change) => seen.push(change));
    // Not signed in: no stream asked for.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.streams).toEqual([]);

    await signIn(router);
    await until(() => server.openStreamCount() === 1, 'the stream');
    expect(server.streams).toEqual([server.issued[0]]);
    server.push({ kind: 'appointments', site: 'skaraborg', side: 'victims', day: '2026-12-07', clientName: 'Leaked Person' });
    server.push({ kind: 'no-such-kind', site: 'x', side: 'victims', day: null });
    server.push({ kind: 'clients', site: null, side: 'perpetrators', day: null });
    await until(() => seen.length === 2, 'two events');
    expect(seen).toEqual([
      { kind: 'appointments', site: 'skaraborg', side: 'victims', day: '2026-12-07' },
      { kind: 'clients', site: null, side: 'perpetrators', day: null },
    ]);

    // A cut: what the server sent meanwhile is lost, so the reopened stream first says to read everything again, once.
    server.dropStreams();
    await until(() => server.openStreamCount() === 1 && server.streams.length === 2, 'the reconnect');
    server.push({ kind: 'groups', site: 'skaraborg', side: 'victims', day: null });
    await until(() => seen.length === 4, 'the event after the reconnect');
    expect(seen.slice(2)).toEqual([{ kind: 'resync' }, { kind: 'groups', site: 'skaraborg', side: 'victims', day: null }]);

    await router.invoke('auth.lock', {});
    await until(() => server.openStreamCount() === 0, 'the stream to close');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.streams).toHaveLength(2);

    // Unlocking opens it again; signing out closes it for good.
    await signIn(router);
    await until(() => server.openStreamCount() === 1, 'the stream after the unlock');
    await router.invoke('auth.logout', {});
    await until(() => server.openStreamCount() === 0, 'the stream to close at sign-out');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.streams).toHaveLength(3);
    off();
  });

  it('asks ever more slowly for a stream the server ends at once every time, so the screens are not made to read everything again and again', async () => {
    const server = await tlsServer();
    const { router } = remote(server);
    const seen: LiveEvent[] = [];
    router.subscribe((event) => seen.push(event));
    await signIn(router);
    await until(() => server.openStreamCount() === 1, 'the stream');
    const started = Date.now();
    while (Date.now() - started < 1500) {
      if (server.openStreamCount() > 0) server.dropStreams();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // 50, 100, 200, 400, 800 ms apart: at most six streams in 1.5 s (starting again from 50 ms at each
    // opening would make some twenty), and one resync for each opening again.
    expect(server.streams.length).toBeGreaterThanOrEqual(3);
    expect(server.streams.length).toBeLessThanOrEqual(6);
    expect(seen.every((event) => event.kind === 'resync')).toBe(true);
    expect(seen.length).toBeLessThanOrEqual(server.streams.length - 1);
  });

  it('parses the event-stream format: CRLF, CR, split chunks, comments, multi-line data', () => {
    const messages: { event: string; data: string }[] = [];
    const parser = new SseParser((message) => messages.push(message));
    parser.push(': ping\r\n\r\nevent: change\r');
    parser.push('\ndata: {"a":');
    parser.push('1}\r\n\r\nevent: change\ndata: line1\ndata: line2\n\ndata:x\r\r');
    expect(messages).toEqual([
      { event: 'change', data: '{"a":1}' },
      { event: 'change', data: 'line1\nline2' },
      { event: 'message', data: 'x' },
    ]);
  });
});

describe('the workstation in server mode', () => {
  const files = (dir: string) => readdirSync(dir).sort();
  let workstation: Workstation | null = null;
  afterEach(async () => {
    await workstation?.close();
    workstation = null;
  });

  it('with UTVAG_SERVER_URL starts none of the local journal: no journal, keyring, backups or throttle file', async () => {
    const server = await tlsServer();
    const dataDir = tempDir();
    workstation = startWorkstation({ dataDir, log: silentLogger, env: { UTVAG_SERVER_URL: server.url, UTVAG_SERVER_CA: pki.caFile } });
    expect(workstation.mode).toBe('server');
    expect(workstation.journal).toBeNull();
    expect(await workstation.router.invoke('auth.login', { username: TEST_USER.username, password: 'fel-lösenord-här' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_CREDENTIALS' },
    });
    await workstation.router.invoke('auth.login', { username: TEST_USER.username, password: TEST_PASSWORD });
    await workstation.router.invoke('settings.get', {});
    await workstation.router.invoke('workstation.update', { discreet: false });
    expect(files(dataDir)).toEqual(['workstation.json']);
  });

  it('refuses to start with http:// to another computer', () => {
    expect(() => startWorkstation({ dataDir: tempDir(), log: silentLogger, env: { UTVAG_SERVER_URL: 'http://192.0.2.10:8443' } })).toThrow(
      ServerAddressError,
    );
  });

  it('at first run, connects to the server an admin names, keeps only its address, and answers from it from then on', async () => {
    const server = await tlsServer();
    const dataDir = tempDir();
    workstation = startWorkstation({ dataDir, log: silentLogger, env: { UTVAG_SERVER_CA: pki.caFile } });
    expect(workstation.mode).toBe('local');
    expect(await workstation.router.invoke('app.status', {})).toMatchObject({ ok: true, value: { state: 'setup' } });

    // An address that is no server of ours is refused next to the field, and nothing changes.
    expect(await workstation.router.invoke('workstation.connectServer', { url: 'http://192.0.2.10:8443', chooseCa: false })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { url: 'error.server.httpsRequired' } },
    });
    const closed = await startProtocolServer();
    await closed.close();
    expect(await workstation.router.invoke('workstation.connectServer', { url: closed.url, chooseCa: false })).toMatchObject({
      ok: false,
      error: { code: 'UNREACHABLE', fields: { url: 'error.server.notReached' } },
    });
    // The harness has no file dialog: the CA comes from UTVAG_SERVER_CA there.
    expect(await workstation.router.invoke('workstation.connectServer', { url: server.url, chooseCa: true })).toMatchObject({
      ok: false,
      error: { fields: { url: 'error.server.caOnlyDesktop' } },
    });
    expect(workstation.mode).toBe('local');

    expect(await workstation.router.invoke('workstation.connectServer', { url: `${server.url}/some/path`, chooseCa: false })).toEqual({
      ok: true,
      value: { connected: true, version: '0.1.0' },
    });
    expect(workstation.mode).toBe('server');
    expect(workstation.journal).toBeNull();
    expect(await workstation.router.invoke('app.status', {})).toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(server.calls.map((call) => call.channel)).toEqual(['app.status']);
    expect(files(dataDir)).toEqual(['server.json']);
    expect(JSON.parse(readFileSync(`${dataDir}/server.json`, 'utf8'))).toEqual({ url: server.url });

    // The next start is a client without being told.
    await workstation.close();
    workstation = startWorkstation({ dataDir, log: silentLogger, env: { UTVAG_SERVER_CA: pki.caFile } });
    expect(workstation.mode).toBe('server');
    await workstation.router.invoke('auth.login', { username: TEST_USER.username, password: TEST_PASSWORD });
    const seen: LiveEvent[] = [];
    workstation.onChange((change) => seen.push(change));
    await until(() => server.openStreamCount() === 1, 'the stream');
    server.push({ kind: 'waiting_list', site: 'skaraborg', side: 'victims', day: null });
    await until(() => seen.length === 1, 'the change');
    expect(files(dataDir)).toEqual(['server.json']);
  });

  it('a workstation with a journal refuses the first-run choice', async () => {
    const server = await tlsServer();
    const dataDir = tempDir();
    workstation = startWorkstation({ dataDir, log: silentLogger, env: { UTVAG_SERVER_CA: pki.caFile } });
    const created = await workstation.router.invoke('auth.setup', {
      displayName: 'Alva Adminsson',
      username: 'alva.admin',
      password: 'korrekt-häst-batteri-häftklammer',
      passwordRepeat: 'korrekt-häst-batteri-häftklammer',
    });
    expect(created.ok).toBe(true);
    expect(await workstation.router.invoke('workstation.connectServer', { url: server.url, chooseCa: false })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_SET_UP' },
    });
    expect(workstation.mode).toBe('local');
    expect(server.calls).toEqual([]);
  });
});

describe('the browser harness as a workstation of the server', () => {
  it('forwards calls, passes changes to the page over its token-guarded event stream, and offers no storage faults', async () => {
    const server = await tlsServer();
    const rendererDir = tempDir();
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
    const dataDir = tempDir();
    const harness = await startHarness({
      dataDir,
      rendererDir,
      log: silentLogger,
      storageFaults: true,
      env: { UTVAG_SERVER_URL: server.url, UTVAG_SERVER_CA: pki.caFile },
    });
    cleanups.push(() => harness.close());
    expect(harness.app).toBeNull();
    const invoke = (channel: string, input: unknown) =>
      fetch(`http://127.0.0.1:${harness.port}/__harness/invoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-utvag-token': harness.token },
        body: JSON.stringify({ channel, input }),
      }).then((response) => response.json());
    expect(await invoke('auth.login', { username: TEST_USER.username, password: TEST_PASSWORD })).toEqual({ ok: true, value: TEST_USER });

    expect((await fetch(`http://127.0.0.1:${harness.port}/__harness/events`)).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${harness.port}/__harness/events?token=guess`)).status).toBe(403);
    const controller = new AbortController();
    cleanups.push(() => controller.abort());
    const events = await fetch(`http://127.0.0.1:${harness.port}/__harness/events?token=${harness.token}`, { signal: controller.signal });
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
    await until(() => server.openStreamCount() === 1, 'the server stream');
    server.push({ kind: 'appointments', site: 'skaraborg', side: 'victims', day: '2026-12-07', note: 'dropped' });
    let text = '';
    while (!text.includes('event: change')) text += (await reader.read()).value ?? '';
    expect(text).toContain('data: {"kind":"appointments","site":"skaraborg","side":"victims","day":"2026-12-07"}\n\n');

    const fault = await fetch(`http://127.0.0.1:${harness.port}/__harness/storage-fault?fault=full`, {
      method: 'POST',
      headers: { 'x-utvag-token': harness.token },
    });
    expect(fault.status).toBe(409);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe('the command line against the server', () => {
  const run = async (args: string[], env: Record<string, string>) => {
    const lines: string[] = [];
    await runCli(args, env, (line) => lines.push(line));
    return lines.join('\n');
  };

  it('signs in with --as and UTVAG_PASSWORD for users add, refuses local-journal commands and writes no backup the server did not make', async () => {
    const server = await tlsServer();
    const dataDir = tempDir();
    const env = { UTVAG_SERVER_URL: server.url, UTVAG_SERVER_CA: pki.caFile, UTVAG_PASSWORD: TEST_PASSWORD, UTVAG_DATA_DIR: dataDir };
    const added = await run(
      ['users', 'add', '--as', TEST_USER.username, '--name', 'Nils Nyanställd', '--username', 'nils.ny', '--roles', 'therapist'],
      env,
    );
    expect(added).toContain('Added nils.ny.');
    expect(server.calls.map((call) => call.channel)).toEqual(['auth.login', 'users.create', 'auth.logout']);
    expect(server.calls[1]!.authorization).toBe(`Bearer ${server.issued[0]}`);

    await expect(run(['init', '--name', 'Ivar Itsson', '--username', 'ivar.it'], env)).rejects.toThrow(/server init/);
    await expect(run(['seed-demo', '--years', '1', '--as', TEST_USER.username], env)).rejects.toThrow(/local journal only/);
    // Backups go to the server's own backup route (issue #14), which this stand-in does not serve: nothing is written here.
    const out = tempDir();
    await expect(
      run(['backup', 'export', '--as', TEST_USER.username, '--out', path.join(out, 'b.db')], {
        ...env,
        UTVAG_BACKUP_PASSPHRASE: 'lång-och-säker-fras-för-test',
      }),
    ).rejects.toThrow(/could not be reached/);
    expect(readdirSync(out)).toEqual([]);
    await expect(run(['users', 'list', '--as', TEST_USER.username], { ...env, UTVAG_PASSWORD: 'fel-lösenord-här' })).rejects.toThrow(
      /WRONG_CREDENTIALS/,
    );
    expect(readdirSync(dataDir)).toEqual([]);

    await server.close();
    cleanups.pop();
    await expect(run(['users', 'list', '--as', TEST_USER.username], env)).rejects.toThrow(/could not be reached/);
    await expect(run(['users', 'list', '--as', TEST_USER.username], { ...env, UTVAG_SERVER_URL: 'http://192.0.2.10:8443' })).rejects.toThrow(
      /https:\/\/ \(TLS\)/,
    );
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
