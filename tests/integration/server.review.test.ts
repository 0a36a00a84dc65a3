import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/log.js';
import { startServer, type RunningServer } from '../../main/server/http.js';
import { intakeInput } from '../fixtures/intake.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { WEEKDAYS_8_TO_17 } from '../helpers/reception.js';
import { Desk, FIRST_ADMIN, initServerJournal, serverPerson, makeCertificate, request, until } from '../helpers/utvagServer.js';

/**
 * The attacker at the desk against the Utväg server (real HTTPS, a throwaway PostgreSQL): what a
 * session still receives or may still do after the centre changed what that person may see or
 * who may be them. The people are fictional.
 */
let postgres: TestPostgres;
let server: RunningServer;
let ca: string;
let certDir: string;
let admin: Desk;
let reception: Desk;

const desk = () => new Desk(server.url, ca);

async function person(displayName: string, username: string, roles: string[], tracks: string[] = []) {
  const made = await serverPerson(admin, desk(), displayName, username, roles, tracks);
  await made.own.ok('auth.logout');
  return made;
}

beforeAll(async () => {
  postgres = await startPostgres();
  const { login } = await initServerJournal(postgres, 'utvag_review');
  certDir = mkdtempSync(path.join(os.tmpdir(), 'utvag-cert-'));
  const cert = makeCertificate(certDir);
  ca = cert.cert;
  server = await startServer({
    database: login,
    host: '127.0.0.1',
    port: 0,
    tls: { cert: cert.cert, key: cert.key },
    log: silentLogger,
    version: 'test',
  });
  admin = desk();
  await admin.signIn(FIRST_ADMIN.username, FIRST_ADMIN.password);
  const desker = await person('Rut Receptionsdóttir', 'rut.granskning', ['receptionist']);
  reception = desk();
  await reception.signIn(desker.username, desker.password);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await postgres?.stop();
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

describe('the server after the centre changes who may see what', () => {
  it("stops a therapist's open event stream hearing of the victims' side once she serves only the perpetrators' track", async () => {
    const tova = await person('Tova Tvåsidig', 'tova.t', ['therapist'], ['victim', 'perpetrator']);
    const hers = desk();
    await hers.signIn(tova.username, tova.password);
    const stream = await hers.events();
    try {
      expect(stream.status).toBe(200);
      // While she serves both tracks, a victims'-side intake reaches her stream.
      await reception.ok('intake.register', intakeInput('victim', 'Före Bytesdotter'));
      expect(await until(() => stream.events.some((event) => (event as { side: string }).side === 'victims'), 5000)).toBe(true);
      // The admin moves her to the perpetrators' side only.
      await admin.ok('org.saveTherapist', { userId: tova.id, siteId: 'skaraborg', tracks: ['perpetrator'], hours: WEEKDAYS_8_TO_17 });
      const seen = stream.events.length;
      await reception.ok('intake.register', intakeInput('victim', 'Efter Bytesdotter'));
      // A change of her own side after it: once that has arrived, anything of the victims' side before it would have too.
      await reception.ok('intake.register', intakeInput('perpetrator', 'Markör Bytesson'));
      expect(await until(() => stream.events.slice(seen).some((event) => (event as { side: string }).side === 'perpetrators'), 5000)).toBe(true);
      expect(stream.events.slice(seen).filter((event) => (event as { side: string }).side !== 'perpetrators')).toEqual([]);
      // A stream opened again after the change hears the same.
      stream.close();
      const again = await hers.events();
      try {
        await reception.ok('intake.register', intakeInput('victim', 'Sedan Bytesdotter'));
        await reception.ok('intake.register', intakeInput('perpetrator', 'Markör Andresson'));
        expect(await until(() => again.events.some((event) => (event as { side: string }).side === 'perpetrators'), 5000)).toBe(true);
        expect(again.events.filter((event) => (event as { side: string }).side !== 'perpetrators')).toEqual([]);
      } finally {
        again.close();
      }
    } finally {
      stream.close();
    }
  }, 30_000);

  it('signs a person out at every other desk when they choose a new password (someone who knew the old one is shut out)', async () => {
    const dag = await person('Dag Dubbelsson', 'dag.d', ['receptionist']);
    const own = desk();
    const intruder = desk();
    await own.signIn(dag.username, dag.password);
    await intruder.signIn(dag.username, dag.password);
    const stream = await intruder.events();
    expect(stream.status).toBe(200);
    const chosen = 'dag-byter-till-en-ny-lang-fras';
    await own.ok('auth.changePassword', { currentPassword: dag.password, newPassword: chosen, newPasswordRepeat: chosen });
    // The desk that changed it works on; the other session is over, its stream with it.
    expect((await own.call('clients.search', { side: 'victims', query: 'x' })).ok).toBe(true);
    expect((await intruder.call('clients.search', { side: 'victims', query: 'x' })).error).toEqual({
      code: 'NOT_SIGNED_IN',
      message: 'error.sessionEnded',
    });
    await stream.ended;
  }, 30_000);

  it('signs an admin out at every other desk when she resets her own password; the desk that reset it stays', async () => {
    const ada = await person('Ada Återställsdotter', 'ada.a', ['admin']);
    const own = desk();
    const intruder = desk();
    await own.signIn(ada.username, ada.password);
    await intruder.signIn(ada.username, ada.password);
    const stream = await intruder.events();
    expect(stream.status).toBe(200);
    await own.ok('users.resetPassword', { userId: ada.id });
    expect((await own.call('users.list', {})).ok).toBe(true);
    expect((await intruder.call('users.list', {})).error).toEqual({ code: 'NOT_SIGNED_IN', message: 'error.sessionEnded' });
    await stream.ended;
  }, 30_000);
});

describe('a tampered workstation calling the server directly', () => {
  /** A raw call, as a script with a stolen or own token would send it: the body exactly as written. */
  async function raw(token: string | null, body: string): Promise<{ ok: boolean; error?: { code: string; message: string; fields?: object } }> {
    const answer = await request(server.url, {
      method: 'POST',
      path: '/v1/call',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
      ca,
    });
    expect(answer.status).toBe(200);
    return JSON.parse(answer.body) as { ok: boolean; error?: { code: string; message: string } };
  }

  it("takes no channel from Object's prototype and no input field from a __proto__ key, and pollutes nothing", async () => {
    const { clientId } = await reception.ok<{ clientId: string }>('intake.register', intakeInput('victim', 'Proto Skyddsdotter'));
    for (const channel of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(await raw(reception.token, JSON.stringify({ channel, input: {} }))).toEqual({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: 'No such channel' },
      });
    }
    // JSON.parse makes "__proto__" an own key: a strict input refuses it rather than reading fields through it.
    const smuggled = await raw(reception.token, `{"channel":"clients.get","input":{"__proto__":{"side":"victims","clientId":"${clientId}"}}}`);
    expect(smuggled.ok).toBe(false);
    expect(smuggled.error?.code).toBe('INVALID_INPUT');
    const extra = await raw(reception.token, `{"channel":"clients.search","input":{"side":"victims","query":"Proto","__proto__":{"isAdmin":true}}}`);
    expect(extra.error?.code).toBe('INVALID_INPUT');
    expect((Object.prototype as Record<string, unknown>).isAdmin).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).clientId).toBeUndefined();
    // A protected channel answers nothing of the client without a token, whatever the body claims.
    expect((await raw(null, JSON.stringify({ channel: 'clients.get', input: { side: 'victims', clientId } }))).error?.code).toBe('NOT_SIGNED_IN');
  });

  it('refuses input of the wrong shape or size at the server, as the preload would, with nothing of it echoed', async () => {
    const huge = await raw(reception.token, JSON.stringify({ channel: 'clients.search', input: { side: 'victims', query: Array(300_000).fill(7) } }));
    expect(huge.ok).toBe(false);
    expect(huge.error?.code).toBe('INVALID_INPUT');
    const long = await raw(reception.token, JSON.stringify({ channel: 'clients.search', input: { side: 'victims', query: 'Ö'.repeat(100_000) } }));
    expect(long.error?.code).toBe('INVALID_INPUT');
    const side = await raw(reception.token, JSON.stringify({ channel: 'clients.search', input: { side: "victims' OR 1=1 --", query: 'Proto' } }));
    expect(side.error?.code).toBe('INVALID_INPUT');
    expect(JSON.stringify(side)).not.toContain('OR 1=1');
  });

  it('reads no more than a sign-in needs from a call without an open session: anyone on the network may send one', async () => {
    // Valid JSON of a megabyte: a sign-in or app.status is a few hundred bytes.
    const body = JSON.stringify({ channel: 'auth.login', input: { username: 'nobody', password: 'x', pad: 'y'.repeat(1024 * 1024) } });
    const send = (token: string | null) =>
      request(server.url, {
        method: 'POST',
        path: '/v1/call',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
        ca,
      }).catch(() => ({ status: 413, headers: {}, body: '' }));
    expect((await send(null)).status).toBe(413);
    expect((await send('B'.repeat(43))).status).toBe(413);
    // A signed-in desk's large call is still read (a long journal entry, a long list) and answered by the contract.
    const signedIn = await send(reception.token);
    expect(signedIn.status).toBe(200);
    expect((JSON.parse(signedIn.body) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
  });
});
