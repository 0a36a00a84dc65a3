import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAccessLogChain } from '../../db/local/accessLog.js';
import type { Db } from '../../db/connection.js';
import { journalPath, loadKeyring, openJournal } from '../../db/journal.js';
import { unlockWithPassword } from '../../db/keyring.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { makeApp } from '../helpers/app.js';
import { buildCrashChild, independentCheck, runChild, seededRandom, type CrashChild } from '../helpers/crashProcess.js';
import { setUpReception } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

/**
 * Crash safety under SIGKILL: a child process books appointments, registers first calls and saves
 * and signs journal entries through the real router in a loop, and is killed at random moments, many
 * times, on the same journal. After every kill the journal must open and be whole, and every write
 * the child reported (it reports only after the router answered ok) must be there, with its
 * access-log row. CRASH_SEED=<n> repeats a run; CRASH_KILLS=<n> changes how many kills.
 */

const tempDir = useTempDirs();
let child: CrashChild;
beforeAll(async () => {
  child = await buildCrashChild();
});
afterAll(() => child?.dispose());

const KILLS = Number(process.env.CRASH_KILLS ?? 40);
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const WRITER = { displayName: 'Kim Krocksson', username: 'kim.krock', password: 'kims-egen-långa-krockfras' };
const EVERY_DAY_7_TO_20 = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '07:00', end: '20:00' }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A journal with a receptionist-therapist (the writer) who is in a care relation with one client. */
async function prepareJournal(dir: string): Promise<{ clientId: string; key: Buffer }> {
  const t = await setUpReception(dir);
  const created = await t.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', {
    displayName: WRITER.displayName,
    username: WRITER.username,
    roles: ['receptionist', 'therapist'],
  });
  await t.ok('org.saveTherapist', { userId: created.user.id, siteId: 'skaraborg', tracks: ['victim', 'child'], hours: EVERY_DAY_7_TO_20 });
  const clientId = await t.newClient('victim', 'Krock Klientsdotter');
  await t.ok('care.assign', { side: 'victims', clientId, therapistId: created.user.id });
  await t.ok('auth.login', { username: WRITER.username, password: created.temporaryPassword });
  await t.ok('auth.changePassword', {
    currentPassword: created.temporaryPassword,
    newPassword: WRITER.password,
    newPasswordRepeat: WRITER.password,
  });
  t.app.lock('shutdown');
  const opened = await unlockWithPassword(loadKeyring(dir), FICTIONAL_ADMIN.username, FICTIONAL_ADMIN.password);
  return { clientId, key: opened!.key };
}

/** What the child said it wrote, over all runs: each of these must survive every later kill as well. */
interface Reported {
  appointments: Set<string>;
  drafts: Map<string, number>;
  signed: Set<string>;
  clients: Set<string>;
}

function record(reported: Reported, lines: string[]): number {
  let writes = 0;
  for (const line of lines) {
    const [kind, id, version] = line.split(' ');
    if (kind === 'A') reported.appointments.add(id!);
    else if (kind === 'D') reported.drafts.set(id!, Math.max(reported.drafts.get(id!) ?? 0, Number(version)));
    else if (kind === 'S') reported.signed.add(id!);
    else if (kind === 'I') reported.clients.add(id!);
    else continue;
    writes += 1;
  }
  return writes;
}

const count = (db: Db, sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;

/** The journal after a kill, opened the way the app opens it: whole, and holding every reported write with its trace. */
function checkJournal(db: Db, reported: Reported): void {
  // A kill keeps what the operating system was given; a power cut keeps only what was flushed: FULL (2) flushes every commit.
  expect(db.pragma('synchronous', { simple: true })).toBe(2);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
  expect(verifyAccessLogChain(db)).toMatchObject({ ok: true });

  for (const id of reported.appointments) expect(count(db, 'SELECT count(*) AS n FROM appointments WHERE id = ?', id), `appointment ${id}`).toBe(1);
  for (const [id, version] of reported.drafts) {
    const entry = db.prepare('SELECT body FROM journal_entries WHERE id = ?').get(id) as { body: string } | undefined;
    expect(entry, `entry ${id}`).toBeDefined();
    // A later version may have been committed and the child killed before it said so; never an earlier one.
    expect(Number(/version (\d+)\.$/.exec(entry!.body)?.[1])).toBeGreaterThanOrEqual(version);
  }
  for (const id of reported.signed) {
    expect(db.prepare('SELECT status FROM journal_entries WHERE id = ?').get(id), `signed ${id}`).toEqual({ status: 'signed' });
  }
  for (const id of reported.clients) expect(count(db, 'SELECT count(*) AS n FROM clients WHERE id = ?', id), `client ${id}`).toBe(1);

  // No write without its trace, reported or not: each record and its access-log row landed together or not at all.
  expect(
    count(db, `SELECT count(*) AS n FROM appointments a WHERE NOT EXISTS (SELECT 1 FROM access_log l WHERE l.record = 'appointment:' || a.id)`),
  ).toBe(0);
  expect(
    count(
      db,
      `SELECT count(*) AS n FROM journal_entries e WHERE NOT EXISTS (SELECT 1 FROM access_log l WHERE l.record = 'entry:' || e.id AND l.action = 'journal.saveDraft')`,
    ),
  ).toBe(0);
  expect(
    count(
      db,
      `SELECT count(*) AS n FROM journal_entries e WHERE e.status = 'signed' AND NOT EXISTS (SELECT 1 FROM access_log l WHERE l.record = 'entry:' || e.id AND l.action = 'journal.sign')`,
    ),
  ).toBe(0);
  // A first call is a client, its intake and its waiting-list place: all of them, with the log row, or none.
  expect(count(db, `SELECT count(*) AS n FROM clients c WHERE NOT EXISTS (SELECT 1 FROM intakes i WHERE i.client_id = c.id)`)).toBe(0);
  expect(count(db, `SELECT count(*) AS n FROM intakes i WHERE NOT EXISTS (SELECT 1 FROM access_log l WHERE l.record = 'intake:' || i.id)`)).toBe(0);
}

describe('crash safety: killed while writing', () => {
  it(`keeps every committed write and a whole journal through ${KILLS} kills at random moments (seed ${SEED})`, { timeout: 240_000 }, async () => {
    const dir = tempDir();
    const { clientId, key } = await prepareJournal(dir);
    const random = seededRandom(SEED);
    const reported: Reported = { appointments: new Set(), drafts: new Map(), signed: new Set(), clients: new Set() };
    let nextSlot = 0;
    let runsWithWrites = 0;

    for (let run = 1; run <= KILLS; run += 1) {
      const writer = runChild(child.script, {
        CRASH_MODE: 'writer',
        DATA_DIR: dir,
        USERNAME: WRITER.username,
        PASSWORD: WRITER.password,
        CLIENT_ID: clientId,
        START_SLOT: String(nextSlot),
        RUN: String(run),
      });
      // Every fifth kill comes at any moment from the start (opening, signing in); the rest while it writes.
      if (run % 5 === 0) await sleep(random() * 400);
      else {
        await writer.waitFor(/^READY$/);
        await sleep(20 + random() * 500);
      }
      await writer.kill();
      expect(
        writer.lines.filter((line) => line.startsWith('FAILED')),
        writer.stderr(),
      ).toEqual([]);
      expect((await writer.exited).signal).toBe('SIGKILL');
      if (record(reported, writer.lines) > 0) runsWithWrites += 1;

      // The file as the kill left it, write-ahead log and all, read by SQLCipher's own build.
      const crashed = await independentCheck(journalPath(dir), key);
      expect(crashed.cipherProblems, `run ${run}`).toEqual([]);
      expect(crashed.integrity, `run ${run}`).toEqual(['ok']);

      const db = openJournal(dir, key);
      try {
        checkJournal(db, reported);
        nextSlot = count(db, 'SELECT count(*) AS n FROM appointments');
      } finally {
        db.close();
      }
      // Closed, the log is checkpointed into the file: every page of it authentic.
      expect(existsSync(`${journalPath(dir)}-wal`)).toBe(false);
      expect((await independentCheck(journalPath(dir), key)).cipherProblems, `run ${run}`).toEqual([]);
    }

    // The kills landed while the child was writing, and every kind of write was reported many times.
    expect(runsWithWrites).toBeGreaterThanOrEqual(Math.ceil(KILLS / 2));
    expect(reported.appointments.size).toBeGreaterThan(KILLS);
    expect(reported.drafts.size).toBeGreaterThan(0);
    expect(reported.signed.size).toBeGreaterThan(0);
    expect(reported.clients.size).toBeGreaterThan(0);

    // The keyring is intact: the app signs in (the writer signed in at every start) and its own check passes.
    const t = makeApp(dir);
    await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    expect(await t.ok('audit.verify')).toMatchObject({ ok: true });
    t.app.lock('shutdown');
  });
});
