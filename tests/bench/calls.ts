/**
 * Timings of the calls people make all day, through the real router on a real session, as the app
 * makes them: each call validates its input, checks the session and role, runs the service and
 * writes its access-log row in the same transaction, and validates its output.
 *
 * The inputs (which weeks, which names, which clients) are picked from the seeded journal with
 * plain SQL before the timing starts; only the router calls are timed.
 */
import { copyFileSync, closeSync, fsyncSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import type { Db } from '../../db/connection.js';
import { journalPath } from '../../db/journal.js';
import { DemoRandom } from '../../main/cli/seedDemo/index.js';
import { silentLogger } from '../../main/log.js';
import { createRouter, type Router } from '../../main/router.js';
import { JournalApp } from '../../main/services/session/index.js';
import { addLocalDays, utcToLocal, weekdayOf } from '../../main/services/time.js';
import type { Result } from '../../preload/contract/index.js';
import { percentile, timeIt, type Figure, type Section } from './figures.js';
import { StatementTally } from './statements.js';

export class BenchError extends Error {}

/** What makes the measured calls: the local desk below, or a workstation of the Utväg server (server.ts). */
export interface Caller {
  readonly statements: StatementTally;
  call<T>(channel: string, input: unknown): Promise<Result<T>>;
  ok<T>(channel: string, input?: unknown): Promise<T>;
  timed(channel: string, input: unknown, name?: string): Promise<number>;
}

/** The app and its router on the working copy of the journal, with the real clock. */
export class Desk implements Caller {
  readonly app: JournalApp;
  readonly router: Router;
  /** The most statements one call of each measured kind ran (see statements.ts). */
  readonly statements = new StatementTally();

  constructor(dataDir: string) {
    this.app = new JournalApp({ dataDir, log: silentLogger });
    this.router = createRouter(this.app);
  }

  async call<T>(channel: string, input: unknown): Promise<Result<T>> {
    return (await this.router.invoke(channel, input)) as Result<T>;
  }

  async ok<T>(channel: string, input: unknown = {}): Promise<T> {
    const result = await this.call<T>(channel, input);
    if (!result.ok) throw new BenchError(`${channel} refused: ${result.error.code} ${result.error.message}`);
    return result.value;
  }

  /** The milliseconds of one call that must succeed; its statements counted under the bench's name for it. */
  async timed(channel: string, input: unknown, name: string = channel): Promise<number> {
    const { ms, value } = await timeIt(() => this.statements.around(name, () => this.call(channel, input)));
    if (!value.ok) throw new BenchError(`${channel} refused: ${value.error.code} ${value.error.message}`);
    return ms;
  }

  get db(): Db {
    return this.app.db;
  }
}

/** Samples of a series of calls, after a few untimed ones that compile the statements and warm the cache, as in a running app. */
export async function series(desk: Caller, channel: string, name: string, inputs: unknown[], warmUp = 10): Promise<number[]> {
  for (const input of inputs.slice(0, warmUp)) await desk.ok(channel, input);
  const samples: number[] = [];
  for (const input of inputs) samples.push(await desk.timed(channel, input, name));
  return samples;
}

export function latency(key: string, label: string, samples: number[], goalP95: number | undefined, note?: string): Figure[] {
  return [
    { key: `${key}.p50Ms`, label: `${label}, p50`, value: percentile(samples, 50), unit: 'ms', ...(note ? { note } : {}) },
    { key: `${key}.p95Ms`, label: `${label}, p95`, value: percentile(samples, 95), unit: 'ms', ...(goalP95 === undefined ? {} : { goal: goalP95 }) },
  ];
}

/**
 * The disk under the journal, for context: every call above commits one access-log row, and a
 * commit waits for the disk to confirm the write (synchronous = FULL, so that the log survives a
 * power cut). No call can be faster than this; a slow or busy disk shows here first.
 */
export function measureDisk(dir: string, times: number): Section {
  const file = path.join(dir, 'bench-disk-probe');
  const page = Buffer.alloc(4096, 0x5a);
  const samples: number[] = [];
  const fd = openSync(file, 'w', 0o600);
  try {
    for (let i = 0; i < times; i += 1) {
      writeSync(fd, page, 0, page.length, (i % 64) * page.length);
      const started = performance.now();
      fsyncSync(fd);
      samples.push(performance.now() - started);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return {
    title: 'Disk under the journal (each call above waits for one such sync)',
    figures: [
      { key: 'disk.syncP50Ms', label: 'Write and sync of one 4 KiB page, p50', value: percentile(samples, 50), unit: 'ms' },
      { key: 'disk.syncP95Ms', label: 'Write and sync of one 4 KiB page, p95', value: percentile(samples, 95), unit: 'ms' },
    ],
  };
}

const UNLOCK_GOAL_MS = 1000;

/**
 * Password to usable journal: the sign-in (Argon2id unwraps the key slot, SQLCipher opens the file,
 * the schema is checked) and the first query the screen makes after it.
 */
export async function measureUnlock(desk: Desk, username: string, password: string, times: number): Promise<Section> {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    if (desk.app.isUnlocked) await desk.ok('auth.lock');
    const { ms } = await timeIt(() =>
      desk.statements.around('unlock', async () => {
        await desk.ok('auth.login', { username, password });
        await desk.ok('app.status');
      }),
    );
    samples.push(ms);
  }
  return {
    title: 'Unlock (password → usable journal)',
    figures: [
      { key: 'unlock.medianMs', label: 'Argon2id + open + first query, median', value: percentile(samples, 50), unit: 'ms', goal: UNLOCK_GOAL_MS },
      { key: 'unlock.p95Ms', label: 'Argon2id + open + first query, p95', value: percentile(samples, 95), unit: 'ms', goal: UNLOCK_GOAL_MS },
    ],
  };
}

function mondayOf(date: string): string {
  let day = date;
  while (weekdayOf(day) !== 1) day = addLocalDays(day, -1);
  return day;
}

export interface ReceptionInputs {
  week: unknown[];
  byName: unknown[];
  byNumber: unknown[];
}

/** Week views of one side (every therapist), searches by name prefix and by personnummer, picked from the journal. */
export function receptionInputs(db: Db, rng: DemoRandom, calls: number): ReceptionInputs {
  const span = db.prepare('SELECT min(starts_at) AS first, max(starts_at) AS last FROM appointments').get() as { first: string; last: string };
  const first = mondayOf(utcToLocal(span.first).date);
  const weeks = Math.floor((Date.parse(utcToLocal(span.last).date) - Date.parse(first)) / (7 * 86_400_000));
  const sites = (db.prepare('SELECT DISTINCT site_id AS id FROM appointments ORDER BY id').all() as { id: string }[]).map((row) => row.id);
  const week = Array.from({ length: calls }, () => ({
    side: rng.chance(0.7) ? 'victims' : 'perpetrators',
    siteId: rng.pick(sites),
    from: addLocalDays(first, 7 * rng.int(0, weeks)),
    days: 7,
    therapistId: null,
    roomId: null,
  }));

  const people = db.prepare(`SELECT name, track, personal_number AS pn FROM clients WHERE is_alias = 0 ORDER BY created_at`).all() as {
    name: string;
    track: string;
    pn: string | null;
  }[];
  const sideOf = (track: string) => (track === 'perpetrator' ? 'perpetrators' : 'victims');
  const byName = Array.from({ length: calls }, () => {
    const person = rng.pick(people);
    const word = rng.pick(person.name.split(' '));
    // What a receptionist types: the first three to five letters of a first name or a surname.
    return { side: sideOf(person.track), query: word.slice(0, rng.int(3, 5)).toLowerCase() };
  });
  const numbered = people.filter((person) => person.pn);
  if (numbered.length === 0) throw new BenchError('The seeded journal has no personnummer to search for');
  const byNumber = Array.from({ length: calls }, () => {
    const person = rng.pick(numbered);
    return { side: sideOf(person.track), query: person.pn };
  });
  return { week, byName, byNumber };
}

/**
 * The least any call costs, for context: `session.activity` reads one setting and writes no log row,
 * so what it takes is the way to the data and back (in process here, over HTTPS to the server there)
 * with the contract's checks at each end, and one short transaction.
 */
export const SESSION_ONLY_LABEL = "A call that reads only the session's settings (no client data, no log row)";

/** As many calls as the week views (each `session.activity` takes no input). */
export function sessionOnlyInputs(inputs: ReceptionInputs): unknown[] {
  return inputs.week.map(() => ({}));
}

/** The reception desk: the inputs above through the router, in this order. */
export async function measureReception(desk: Caller, inputs: ReceptionInputs): Promise<Section> {
  const week = await series(desk, 'schedule.range', 'weekView', inputs.week);
  const byName = await series(desk, 'clients.search', 'searchName', inputs.byName);
  const byNumber = await series(desk, 'clients.search', 'searchPersonnummer', inputs.byNumber);
  const sessionOnly = await series(desk, 'session.activity', 'sessionOnly', sessionOnlyInputs(inputs));
  return {
    title: 'Reception desk (through the router, with access-log write)',
    figures: [
      ...latency('weekView', 'Week view, one side, all therapists', week, 10),
      ...latency('searchName', 'Client search by name prefix', byName, 10),
      ...latency('searchPersonnummer', 'Client search by personnummer', byNumber, 10),
      ...latency('sessionOnly', SESSION_ONLY_LABEL, sessionOnly, undefined),
    ],
  };
}

/**
 * Bookings with the separation check, many for clients linked across the sides (the check then has
 * someone to keep apart). A free time comes from the slot finder (untimed); the booking is timed and
 * then cancelled again (untimed), so the schedule does not fill up.
 */
export interface BookingPlan {
  client: { id: string; track: string; siteId: string; therapistId: string; linked: number };
  /** Days from today where the slot finder starts looking. */
  fromDays: number;
}

/** Who is booked and from when the slot finder looks, picked before any call so that another desk can make the same calls. */
export function bookingPlans(db: Db, rng: DemoRandom, calls: number): BookingPlan[] {
  const candidates = db
    .prepare(
      `SELECT c.id, c.track, c.site_id AS siteId, r.therapist_id AS therapistId,
              EXISTS (SELECT 1 FROM client_links l JOIN clients o ON o.id = CASE WHEN l.client_a = c.id THEN l.client_b ELSE l.client_a END
                      WHERE (l.client_a = c.id OR l.client_b = c.id) AND (o.track = 'perpetrator') <> (c.track = 'perpetrator')) AS linked
         FROM clients c JOIN care_relations r ON r.client_id = c.id AND r.ended_at IS NULL
         JOIN therapist_profiles p ON p.user_id = r.therapist_id AND p.site_id = c.site_id
         ORDER BY c.created_at`,
    )
    .all() as BookingPlan['client'][];
  const linked = candidates.filter((candidate) => candidate.linked === 1);
  if (candidates.length === 0) throw new BenchError('The seeded journal has no clients in care to book');
  return Array.from({ length: calls * 4 }, () => ({
    client: linked.length > 0 && rng.chance(0.5) ? rng.pick(linked) : rng.pick(candidates),
    fromDays: rng.int(7, 120),
  }));
}

/** The booking's timings of `calls` plans that found a free time (after five untimed ones), each booking cancelled again. */
export async function bookingSamples(desk: Caller, plans: readonly BookingPlan[], calls: number): Promise<{ samples: number[]; linked: number }> {
  const today = utcToLocal(new Date().toISOString()).date;
  const samples: number[] = [];
  let linkedBookings = 0;
  let attempts = 0;
  for (const { client, fromDays } of plans) {
    if (samples.length >= calls + 5) break;
    attempts += 1;
    const side = client.track === 'perpetrator' ? 'perpetrators' : 'victims';
    const minutes = client.track === 'child' ? 45 : 60;
    const proposals = await desk.statements.around('slotSearch', () =>
      desk.ok<{ date: string; start: string; roomId: string | null }[]>('slots.find', {
        side,
        siteId: client.siteId,
        clientId: client.id,
        groupId: null,
        therapistId: client.therapistId,
        kind: 'individual',
        durationMinutes: minutes,
        needsRoom: true,
        fromDate: addLocalDays(today, fromDays),
        days: 14,
      }),
    );
    const slot = proposals[0];
    if (!slot) continue;
    const { ms, value } = await timeIt(() =>
      desk.statements.around('booking', () =>
        desk.call<{ appointment: { id: string } }>('appointments.book', {
          side,
          clientId: client.id,
          groupId: null,
          kind: 'individual',
          siteId: client.siteId,
          therapistId: client.therapistId,
          roomId: slot.roomId,
          date: slot.date,
          start: slot.start,
          durationMinutes: minutes,
          note: '',
        }),
      ),
    );
    if (!value.ok) throw new BenchError(`A time from the slot finder was refused: ${value.error.code} ${value.error.message}`);
    // The first few are the warm-up of a running app (statements compiled, pages cached).
    if (attempts > 5) {
      samples.push(ms);
      if (client.linked === 1) linkedBookings += 1;
    }
    await desk.statements.around('cancel', () =>
      desk.ok('appointments.cancel', { side, appointmentId: value.value.appointment.id, reason: 'Benchmark' }),
    );
  }
  if (samples.length < 20) throw new BenchError(`Only ${samples.length} bookings found a free time`);
  return { samples, linked: linkedBookings };
}

export async function measureBooking(desk: Caller, plans: readonly BookingPlan[], calls: number): Promise<Section> {
  const { samples, linked } = await bookingSamples(desk, plans, calls);
  return {
    title: 'Booking (separation, double-booking and capacity rules)',
    figures: latency('booking', 'Booking with the separation check', samples, 20, `${linked} of ${samples.length} linked across the sides`),
  };
}

/** The journals of clients in the therapist's care, to open (the ones with most entries weigh as much as the others). */
export function journalInputs(db: Db, therapistId: string, rng: DemoRandom, calls: number): { clientId: string; entries: number }[] {
  const clients = db
    .prepare(
      `SELECT r.client_id AS clientId, (SELECT count(*) FROM journal_entries e WHERE e.client_id = r.client_id) AS entries
         FROM care_relations r WHERE r.therapist_id = ? AND r.ended_at IS NULL ORDER BY entries DESC`,
    )
    .all(therapistId) as { clientId: string; entries: number }[];
  if (clients.length === 0) throw new BenchError('The therapist has no clients in care');
  return Array.from({ length: calls }, () => rng.pick(clients));
}

/** A therapist opens the journals of clients in their care, each opening written to the access log. */
export async function measureJournalOpen(desk: Caller, chosen: readonly { clientId: string; entries: number }[]): Promise<Section> {
  const samples = await series(
    desk,
    'journal.open',
    'journalOpen',
    chosen.map((client) => ({ clientId: client.clientId })),
  );
  const meanEntries = chosen.reduce((sum, client) => sum + client.entries, 0) / chosen.length;
  return {
    title: 'Journal (therapist)',
    figures: latency(
      'journalOpen',
      'Opening one journal, with its access-log row',
      samples,
      15,
      `${meanEntries.toFixed(1)} entries per journal on average`,
    ),
  };
}

const MB = 1024 * 1024;

/** Export and verify of the whole journal through the router, against a plain copy of the same file. */
export async function measureBackup(desk: Desk, dataDir: string, outDir: string): Promise<Section> {
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const file = path.join(outDir, 'bench-backup.db');
  const copy = path.join(outDir, 'plain-copy.db');
  rmSync(file, { force: true });
  const passphrase = 'Bänkens säkerhetskopia, helt påhittad 2026';
  // The journal as it stands on disk, with everything written so far folded into the main file.
  desk.db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = statSync(journalPath(dataDir)).size;
  const exported = await timeIt(() =>
    desk.statements.around('backupExport', () => desk.ok('backup.export', { path: file, passphrase, passphraseRepeat: passphrase })),
  );
  const verified = await timeIt(() => desk.statements.around('backupVerify', () => desk.ok('backup.verify', { path: file, passphrase })));
  const copied = await timeIt(() => {
    copyFileSync(journalPath(dataDir), copy);
    // The export syncs its file to disk; so does the copy, for a fair comparison.
    const fd = openSync(copy, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  });
  const backupBytes = statSync(file).size;
  rmSync(file, { force: true });
  rmSync(copy, { force: true });
  const seconds = (ms: number) => ms / 1000;
  return {
    title: `Backup of the whole journal (${(bytes / MB).toFixed(1)} MB; backup file ${(backupBytes / MB).toFixed(1)} MB)`,
    figures: [
      { key: 'backup.exportSeconds', label: 'Export (copy, checksum, read back and check)', value: seconds(exported.ms), unit: 's', goal: 5 },
      { key: 'backup.exportMBps', label: 'Export throughput', value: bytes / MB / seconds(exported.ms), unit: 'MB/s' },
      { key: 'backup.verifySeconds', label: 'Verify (every page, counts, checksum)', value: seconds(verified.ms), unit: 's' },
      { key: 'backup.verifyMBps', label: 'Verify throughput', value: backupBytes / MB / seconds(verified.ms), unit: 'MB/s' },
      { key: 'backup.plainCopySeconds', label: 'Plain file copy of the same journal (with fsync)', value: seconds(copied.ms), unit: 's' },
      { key: 'backup.plainCopyMBps', label: 'Plain file copy throughput', value: bytes / MB / seconds(copied.ms), unit: 'MB/s' },
      { key: 'backup.exportToCopyRatio', label: 'Export time ÷ plain copy time', value: exported.ms / copied.ms, unit: '×' },
    ],
  };
}
