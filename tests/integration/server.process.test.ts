import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../main/log.js';
import { startServer } from '../../main/server/http.js';
import { intakeInput } from '../fixtures/intake.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { Desk, FIRST_ADMIN, initServerJournal, makeCertificate, request, serverPerson, until } from '../helpers/utvagServer.js';

/**
 * `npm run server` as IT runs it: a child process on a `server init`-made journal over HTTPS with a
 * throwaway certificate. Live change events between desks, by side; the separation rule's refusal as
 * the perpetrators' side sees it; a kill mid-way and a restart. The people are fictional.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const DAY = '2031-03-04'; // a Tuesday

let postgres: TestPostgres;
let certDir: string;
let cert: ReturnType<typeof makeCertificate>;
let loginUrl: string;
let port: number;
let child: ChildProcess | null = null;
let childLog = '';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
}

/**
 * Starts main/server/index.ts through tsx (what `npm run server` runs) and waits for its Listening
 * line. Loaded with --import in this one process (the tsx command would run it in a grandchild, which
 * a kill of the child would not reach).
 */
function startChild(
  env: Record<string, string>,
): Promise<{ process: ChildProcess; url: string | null; exit: Promise<number | null>; output: () => string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'main/server/index.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve) => {
    const look = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      childLog += chunk.toString('utf8');
      const match = /^Listening: (\S+)$/m.exec(output);
      if (match) resolve({ process: proc, url: match[1]!, exit, output: () => output });
    };
    proc.stdout!.on('data', look);
    proc.stderr!.on('data', look);
    void exit.then(() => resolve({ process: proc, url: null, exit, output: () => output }));
  });
}

function serverEnv(): Record<string, string> {
  return {
    UTVAG_DATABASE_URL: loginUrl,
    UTVAG_SERVER_PORT: String(port),
    UTVAG_TLS_CERT: cert.certFile,
    UTVAG_TLS_KEY: cert.keyFile,
  };
}

let url: string;
const desk = () => new Desk(url, cert.cert);
let admin: Desk;
const people: Record<string, { id: string; username: string; password: string }> = {};

async function person(key: string, displayName: string, username: string, roles: string[], tracks: string[] = []) {
  const made = await serverPerson(admin, desk(), displayName, username, roles, tracks);
  await made.own.ok('auth.logout');
  people[key] = { id: made.id, username, password: made.password };
}

async function signedIn(key: string): Promise<Desk> {
  const d = desk();
  await d.signIn(people[key]!.username, people[key]!.password);
  return d;
}

const booking = (extra: Record<string, unknown>) => ({ groupId: null, kind: 'individual', siteId: 'skaraborg', date: DAY, note: '', ...extra });

beforeAll(async () => {
  postgres = await startPostgres();
  ({ loginUrl } = await initServerJournal(postgres, 'utvag_process'));
  certDir = mkdtempSync(path.join(os.tmpdir(), 'utvag-cert-'));
  cert = makeCertificate(certDir);
  port = await freePort();
  const started = await startChild(serverEnv());
  if (!started.url) throw new Error(`The server did not start:\n${started.output()}`);
  child = started.process;
  url = started.url;
  admin = desk();
  await admin.signIn(FIRST_ADMIN.username, FIRST_ADMIN.password);
  await person('deskA', 'Agnes Receptionsdóttir', 'agnes.r', ['receptionist']);
  await person('deskB', 'Berit Receptionsdóttir', 'berit.r', ['receptionist']);
  await person('victims', 'Vera Behandlarsson', 'vera.b', ['therapist'], ['victim', 'child']);
  await person('perpetrators', 'Per Behandlarsson', 'per.b', ['therapist'], ['perpetrator']);
}, 180_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  await postgres?.stop();
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

describe('npm run server', () => {
  it('prints exactly the Listening line with the https address', () => {
    expect(url).toBe(`https://127.0.0.1:${port}`);
  });

  it("pushes desk A's booking to desk B's open stream within 2 s, and nothing of the victims' side to a perpetrators' therapist", async () => {
    const deskA = await signedIn('deskA');
    const deskB = await signedIn('deskB');
    const theirs = await signedIn('perpetrators');
    const streamB = await deskB.events();
    const streamP = await theirs.events();
    expect(streamB.status).toBe(200);
    const victim = (await deskA.ok<{ clientId: string }>('intake.register', intakeInput('victim', 'Levande Offersdotter'))).clientId;
    await until(() => streamB.events.length > 0);
    streamB.events.length = 0;
    streamP.events.length = 0;
    const booked = Date.now();
    await deskA.ok(
      'appointments.book',
      booking({ side: 'victims', clientId: victim, therapistId: people.victims!.id, roomId: 'skaraborg-r1', start: '09:00', durationMinutes: 60 }),
    );
    expect(await until(() => streamB.events.some((event) => (event as { kind: string }).kind === 'appointments'), 2000)).toBe(true);
    expect(Date.now() - booked).toBeLessThan(2000);
    expect(streamB.events).toContainEqual({ kind: 'appointments', site: 'skaraborg', side: 'victims', day: DAY });
    // Nothing but kind, site, side and day: no id, name or time.
    expect(JSON.stringify(streamB.events)).not.toMatch(/Levande|Offersdotter|09:00|appt|client/);
    // The perpetrators' therapist got nothing of it (her stream stays open and receives her side's).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(streamP.events).toEqual([]);
    await deskA.ok('intake.register', intakeInput('perpetrator', 'Levande Utövarsson'));
    expect(await until(() => streamP.events.length > 0, 2000)).toBe(true);
    expect(streamP.events.every((event) => (event as { side: string }).side === 'perpetrators')).toBe(true);
    // Locking ends the stream; a stream without a signed-in session is refused.
    await deskB.ok('auth.lock');
    await streamB.ended;
    expect((await deskB.events()).status).toBe(401);
    streamP.close();
  });

  it("tells the perpetrators' side only the neutral refusal when the linked victim is booked at that time, and logs no constraint", async () => {
    const deskA = await signedIn('deskA');
    const victim = (await deskA.ok<{ clientId: string }>('intake.register', intakeInput('victim', 'Skyddad Offersdotter'))).clientId;
    const perpetrator = (
      await deskA.ok<{ clientId: string }>(
        'intake.register',
        intakeInput('perpetrator', 'Kopplad Utövarsson', { links: [{ clientId: victim, kind: 'partner' }] }),
      )
    ).clientId;
    await deskA.ok(
      'appointments.book',
      booking({ side: 'victims', clientId: victim, therapistId: people.victims!.id, roomId: 'skaraborg-r2', start: '13:00', durationMinutes: 60 }),
    );
    const refused = await deskA.call(
      'appointments.book',
      booking({
        side: 'perpetrators',
        clientId: perpetrator,
        therapistId: people.perpetrators!.id,
        roomId: 'skaraborg-r3',
        start: '13:30',
        durationMinutes: 60,
      }),
    );
    expect(refused.error).toMatchObject({ code: 'CONFLICT', message: 'error.booking.unavailable' });
    const told = JSON.stringify(refused);
    expect(told).not.toMatch(/separation|constraint|spans|13:00|Skyddad|victim|detail/i);
    expect(told).not.toContain(victim);
    expect(childLog).not.toMatch(/separation_spans|constraint|violat|SELECT|INSERT/i);
  });

  it('loses no committed data when killed mid-way; after the restart the old tokens are told their session ended', async () => {
    const deskA = await signedIn('deskA');
    const client = (await deskA.ok<{ clientId: string }>('intake.register', intakeInput('victim', 'Kvarstående Offersdotter'))).clientId;
    // Work in flight when the process dies: some calls may or may not have committed, none half.
    const inFlight = Array.from({ length: 4 }, (_, i) =>
      deskA
        .call(
          'appointments.book',
          booking({
            side: 'victims',
            clientId: client,
            therapistId: people.victims!.id,
            roomId: 'skaraborg-r1',
            start: `${10 + i}:00`,
            durationMinutes: 30,
          }),
        )
        .catch(() => null),
    );
    child!.kill('SIGKILL');
    await Promise.all(inFlight);
    const restarted = await startChild(serverEnv());
    if (!restarted.url) throw new Error(`The server did not restart:\n${restarted.output()}`);
    child = restarted.process;
    expect((await deskA.call('clients.get', { side: 'victims', clientId: client })).error).toEqual({
      code: 'NOT_SIGNED_IN',
      message: 'error.sessionEnded',
    });
    const again = await signedIn('deskA');
    const record = await again.ok<{ id: string }>('clients.get', { side: 'victims', clientId: client });
    expect(record.id).toBe(client);
    // The chain of the access log verifies whole after the kill.
    const verified = await admin.call<{ ok: boolean }>('audit.verify');
    expect(verified.error).toEqual({ code: 'NOT_SIGNED_IN', message: 'error.sessionEnded' });
    const newAdmin = desk();
    await newAdmin.signIn(FIRST_ADMIN.username, FIRST_ADMIN.password);
    expect((await newAdmin.ok<{ ok: boolean }>('audit.verify')).ok).toBe(true);
  }, 60_000);

  it('stops on SIGTERM: its event streams end, and it exits cleanly', async () => {
    const deskA = await signedIn('deskA');
    const stream = await deskA.events();
    expect(stream.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child!.kill('SIGTERM');
    await stream.ended;
    expect(await exited).toBe(0);
    child = null;
    await expect(request(url, { path: '/v1/health', ca: cert.cert })).rejects.toThrow();
  });

  it('refuses to serve another host without a certificate, with a clear message', async () => {
    const started = await startChild({ UTVAG_DATABASE_URL: loginUrl, UTVAG_SERVER_HOST: '0.0.0.0', UTVAG_SERVER_PORT: String(await freePort()) });
    expect(started.url).toBeNull();
    expect(await started.exit).toBe(1);
    expect(started.output()).toMatch(/UTVAG_TLS_CERT/);
    expect(started.output()).not.toContain(loginUrl);
  });

  it("refuses to run as the database's owner or a superuser, whose transactions row-level security would not hold", async () => {
    const owner = `postgres://${postgres.admin.user}:${encodeURIComponent(postgres.admin.password)}@${postgres.host}:${postgres.port}/utvag_process`;
    const started = await startChild({ ...serverEnv(), UTVAG_DATABASE_URL: owner, UTVAG_SERVER_PORT: String(await freePort()) });
    expect(started.url).toBeNull();
    expect(await started.exit).toBe(1);
    expect(started.output()).toMatch(/not the owner's: it is a superuser/);
    expect(started.output()).not.toContain(postgres.admin.password);
  });

  it('serves plain HTTP on loopback without a certificate', async () => {
    const local = await startServer({
      database: { connectionString: loginUrl },
      host: '127.0.0.1',
      port: 0,
      tls: null,
      log: createLogger(() => undefined),
      version: 'test',
    });
    try {
      expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await request(local.url, { path: '/v1/health' })).status).toBe(200);
      const plain = new Desk(local.url);
      await plain.signIn(FIRST_ADMIN.username, FIRST_ADMIN.password);
      expect((await plain.ok<{ state: string }>('app.status')).state).toBe('unlocked');
    } finally {
      await local.close();
    }
  });
});
