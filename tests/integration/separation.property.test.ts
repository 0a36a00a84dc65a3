import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentView, GroupView, Result } from '../../preload/contract/index.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { ENGINES, openReception, useEngines, type EngineApp, type Snapshot } from '../helpers/engineApp.js';
import { WEEKDAYS_8_TO_17 } from '../helpers/reception.js';

/**
 * Random sequences of what a reception desk does — book, move, extend, cancel, link two clients,
 * create a group, add and remove members — on random times over two days at one or two sites,
 * through the real router on a real encrypted journal, and on the Utväg server's path over PostgreSQL
 * (#14: its exclusion constraint and locks beside the app's check). After every step, an SQL check written from
 * the schema alone (not from bookingRules.ts) must find no linked pair across the sides within the
 * buffer at the same site; a refused step must have changed nothing but the access log, where it leaves
 * a trace naming the clients it was about (and the linked people whose appointments refused it).
 */

const BUFFER_MINUTES = 120;
const DAYS = ['2031-03-03', '2031-03-04']; // a Monday and a Tuesday, well after "now": a busy two days
const SITES = ['skaraborg', 'sodra-alvsborg'] as const;
const ROOMS: Record<(typeof SITES)[number], string[]> = {
  skaraborg: ['skaraborg-r1', 'skaraborg-r2', 'skaraborg-r3'],
  'sodra-alvsborg': ['sodra-alvsborg-r1', 'sodra-alvsborg-r2'],
};
const GROUP_ROOMS = { skaraborg: 'skaraborg-g1', 'sodra-alvsborg': 'sodra-alvsborg-g1' } as const;
const CLIENTS = [
  { name: 'Vera Egenskapsdotter', track: 'victim' },
  { name: 'Viola Slumpström', track: 'victim' },
  { name: 'Vilma Provberg', track: 'victim' },
  { name: 'Petter Egenskapsson', track: 'perpetrator' },
  { name: 'Pontus Slumpsson', track: 'perpetrator' },
  { name: 'Kim Barnprov', track: 'child' },
  { name: 'Kai Barnslump', track: 'child' },
] as const;
type Track = 'victim' | 'perpetrator' | 'child';
const sideOf = (track: Track) => (track === 'perpetrator' ? 'perpetrators' : 'victims');

/** The invariant, as SQL over the stored rows: pairs that break it (none may exist). */
interface Violation {
  x: string;
  y: string;
  ax: string;
  ay: string;
  sideX: string;
  startX: string;
  startY: string;
}

/** Seconds since the epoch of an instant column, in each engine's own SQL. */
const epoch = (t: EngineApp, column: string) => (t.engine === 'sqlite' ? `unixepoch(${column})` : `extract(epoch from ${column})`);

function separationViolations(t: EngineApp): Promise<Violation[]> {
  return t.db.all<Violation>(
    `WITH attendance AS (
       SELECT a.id AS appointment_id, a.site_id, a.side, a.starts_at, ${epoch(t, 'a.starts_at')} AS s, ${epoch(t, 'a.ends_at')} AS e, a.client_id
       FROM appointments a WHERE a.status <> 'cancelled' AND a.client_id IS NOT NULL
       UNION ALL
       SELECT a.id, a.site_id, a.side, a.starts_at, ${epoch(t, 'a.starts_at')}, ${epoch(t, 'a.ends_at')}, m.client_id
       FROM appointments a JOIN group_members m ON m.group_id = a.group_id
       WHERE a.status <> 'cancelled' AND m.joined_at <= a.starts_at AND (m.left_at IS NULL OR m.left_at > a.starts_at)
     ),
     across AS (
       SELECT l.client_a AS x, l.client_b AS y FROM client_links l
       JOIN clients ca ON ca.id = l.client_a JOIN clients cb ON cb.id = l.client_b
       WHERE (ca.track = 'perpetrator') <> (cb.track = 'perpetrator')
     )
     SELECT p.x, p.y, ax.appointment_id AS ax, ay.appointment_id AS ay, ax.side AS sideX, ax.starts_at AS startX, ay.starts_at AS startY
     FROM across p
     JOIN attendance ax ON ax.client_id = p.x
     JOIN attendance ay ON ay.client_id = p.y AND ay.site_id = ax.site_id
     WHERE ax.s < ay.e + ? AND ay.s < ax.e + ?`,
    BUFFER_MINUTES * 60,
    BUFFER_MINUTES * 60,
  );
}

/**
 * Overlapping live appointments that share a therapist or a room, or a client at the same site (a client
 * at both sites at once is checked by its own test at the end of this file).
 */
async function doubleBookings(t: EngineApp): Promise<string[]> {
  const overlap = (column: string, sameSite: boolean) =>
    `SELECT '${column}: ' || a.kind || ' ' || a.starts_at || '–' || a.ends_at || ' / ' || b.kind || ' ' || b.starts_at || '–' || b.ends_at AS clash
     FROM appointments a JOIN appointments b
       ON b.${column} = a.${column} AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at ${sameSite ? 'AND b.site_id = a.site_id' : ''}
     WHERE a.${column} IS NOT NULL AND a.status <> 'cancelled' AND b.status <> 'cancelled'`;
  return (
    await t.db.all<{ clash: string }>([overlap('therapist_id', false), overlap('room_id', false), overlap('client_id', true)].join(' UNION ALL '))
  ).map((row) => row.clash);
}

/** Every row of every table but the access log: equal fingerprints mean nothing but the log was written. */
async function fingerprintBesidesLog(t: EngineApp): Promise<string> {
  const hash = createHash('sha256');
  if (t.local) {
    const db = t.local.db;
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'access_log' ORDER BY name`)
      .all() as { name: string }[];
    for (const { name } of tables) {
      hash.update(name);
      for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).iterate()) hash.update(JSON.stringify(row));
    }
    return hash.digest('hex');
  }
  // PostgreSQL: every table of the journal but the log and its chain head, each row as text, in one round trip.
  const tables = await t.db.all<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('access_log', 'access_log_head') ORDER BY tablename`,
  );
  const rows = await t.db.all<{ name: string; rows: string | null }>(
    tables.map(({ name }) => `SELECT '${name}' AS name, string_agg(r::text, '|' ORDER BY r::text) AS rows FROM "${name}" r`).join(' UNION ALL '),
  );
  for (const row of rows) hash.update(`${row.name}:${row.rows ?? ''}`);
  return hash.digest('hex');
}

const lastLogSeq = async (t: EngineApp) => (await t.db.get<{ seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM access_log'))!.seq;

/** Local wall-clock date and time in Stockholm, by the platform's own zone data (not the app's). */
const stockholm = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const localOf = (iso: string) => {
  const [date, time] = stockholm.format(new Date(iso)).split(' ') as [string, string];
  return { date, time };
};

// ---- The operations ----------------------------------------------------------------------------

const day = fc.nat(DAYS.length - 1);
const slot = fc.integer({ min: 0, max: 32 }); // 08:00 … 16:00 in quarter hours
const duration = fc.constantFrom(30, 45, 60, 90, 120, 180);
// Mostly the one site, so that linked people meet the rule often; sometimes the other.
const site = fc.constantFrom(0, 0, 0, 1);
const client = fc.nat(CLIENTS.length - 1);
const Op = fc.oneof(
  { weight: 9, arbitrary: fc.record({ op: fc.constant('book' as const), client, site, day, slot, duration, room: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('move' as const), appointment: fc.nat(), day, slot, duration }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('extend' as const), appointment: fc.nat(), extra: fc.constantFrom(15, 30, 60, 150) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('cancel' as const), appointment: fc.nat() }) },
  // Links mostly across the sides, where the rule bites; sometimes any pair (same side, or a client with itself).
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('link' as const),
      a: fc.constantFrom(0, 1, 2, 5, 6),
      b: fc.constantFrom(3, 4),
      kind: fc.constantFrom('partner', 'former_partner', 'parent_child'),
      // Linked from either side of the house: each side is told only of its own appointments.
      fromB: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('link' as const), a: client, b: client, kind: fc.constantFrom('partner', 'other'), fromB: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('createGroup' as const),
      track: fc.constantFrom<Track>('victim', 'perpetrator', 'child'),
      site,
      day,
      slot,
      sessions: fc.integer({ min: 1, max: 2 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('addMember' as const), group: fc.nat(), client }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('removeMember' as const), group: fc.nat(), client }) },
);
type Op = typeof Op extends fc.Arbitrary<infer T> ? T : never;

const timeOf = (quarter: number) => `${String(8 + Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;

interface World {
  t: EngineApp;
  clients: { id: string; track: Track }[];
  therapists: Record<string, { victims: string; perpetrators: string }>;
  appointments: AppointmentView[];
  groups: GroupView[];
}

/** Runs one operation as the receptionist would; returns the router's answer (null when there is nothing to do). */
async function apply(world: World, op: Op): Promise<Result<unknown> | null> {
  const { t } = world;
  const pickAppointment = (index: number) => (world.appointments.length > 0 ? world.appointments[index % world.appointments.length]! : null);
  switch (op.op) {
    case 'book': {
      const who = world.clients[op.client]!;
      const siteId = SITES[op.site]!;
      const side = sideOf(who.track);
      const rooms = ROOMS[siteId];
      return t.call('appointments.book', {
        side,
        clientId: who.id,
        groupId: null,
        kind: 'individual',
        siteId,
        therapistId: world.therapists[siteId]![side],
        roomId: rooms[op.room % rooms.length]!,
        date: DAYS[op.day]!,
        start: timeOf(op.slot),
        durationMinutes: op.duration,
        note: '',
      });
    }
    case 'move':
    case 'extend': {
      const appointment = pickAppointment(op.appointment);
      if (!appointment) return null;
      const current = localOf(appointment.startsAt);
      const minutes = Math.round((Date.parse(appointment.endsAt) - Date.parse(appointment.startsAt)) / 60_000);
      return t.call('appointments.move', {
        side: appointment.side,
        appointmentId: appointment.id,
        date: op.op === 'move' ? DAYS[op.day]! : current.date,
        start: op.op === 'move' ? timeOf(op.slot) : current.time,
        durationMinutes: op.op === 'move' ? op.duration : Math.min(480, minutes + op.extra),
        therapistId: appointment.therapistId,
        roomId: appointment.roomId,
      });
    }
    case 'cancel': {
      const appointment = pickAppointment(op.appointment);
      if (!appointment) return null;
      return t.call('appointments.cancel', { side: appointment.side, appointmentId: appointment.id, reason: 'Klienten lämnade återbud' });
    }
    case 'link': {
      const [from, to] = op.fromB ? [world.clients[op.b]!, world.clients[op.a]!] : [world.clients[op.a]!, world.clients[op.b]!];
      return t.call('clients.link', { side: sideOf(from.track), clientId: from.id, otherClientId: to.id, kind: op.kind });
    }
    case 'createGroup': {
      const siteId = SITES[op.site]!;
      const side = sideOf(op.track);
      return t.call('groups.create', {
        side,
        siteId,
        track: op.track,
        name: `Grupp ${world.groups.length + 1}`,
        therapistId: world.therapists[siteId]![side],
        roomId: GROUP_ROOMS[siteId],
        firstDate: DAYS[op.day]!,
        start: timeOf(op.slot),
        durationMinutes: 90,
        sessions: op.sessions,
      });
    }
    case 'addMember':
    case 'removeMember': {
      if (world.groups.length === 0) return null;
      const group = world.groups[op.group % world.groups.length]!;
      const who = world.clients[op.client]!;
      return t.call(op.op === 'addMember' ? 'groups.addMember' : 'groups.removeMember', {
        side: sideOf(group.track),
        groupId: group.id,
        clientId: who.id,
      });
    }
  }
}

/** Keeps the test's picture of appointments and groups in step with what the router accepted. */
function record(world: World, op: Op, value: unknown): void {
  const replace = (view: AppointmentView) => {
    const index = world.appointments.findIndex((a) => a.id === view.id);
    if (index >= 0) world.appointments[index] = view;
    else world.appointments.push(view);
  };
  if (op.op === 'book' || op.op === 'move' || op.op === 'extend') replace((value as { appointment: AppointmentView }).appointment);
  if (op.op === 'cancel') replace(value as AppointmentView);
  if (op.op === 'createGroup') {
    const group = value as GroupView;
    world.groups.push(group);
    group.upcomingSessions.forEach(replace);
  }
}

/**
 * A new link may reveal clashes among times already booked: the link is kept (it is a safety fact)
 * and the clashes are reported. The report must name exactly the linking side's own appointments in
 * clashing pairs, with their own times and nothing of the other side's; the receptionist then cancels
 * the perpetrators' side appointment, or takes the member out of the group.
 */
async function resolveReportedConflicts(world: World, linkedFrom: string, reported: { appointmentId: string; date: string; start: string }[]) {
  const { t } = world;
  const own = new Map<string, string>();
  for (const row of await separationViolations(t)) {
    if (row.x === linkedFrom) own.set(row.ax, row.startX);
    if (row.y === linkedFrom) own.set(row.ay, row.startY);
  }
  const found = [...own].map(([appointmentId, startsAt]) => ({ appointmentId, ...localOf(startsAt) }));
  const key = (c: { appointmentId: string; date: string; start?: string; time?: string }) => `${c.appointmentId} ${c.date} ${c.start ?? c.time}`;
  // Linked from the perpetrators' side, nothing is told there (which of his times clash would say when she comes).
  const fromPerpetrators = world.clients.find((c) => c.id === linkedFrom)?.track === 'perpetrator';
  expect(reported.map(key).sort()).toEqual(fromPerpetrators ? [] : found.map(key).sort());
  for (let round = 0; round < 50; round += 1) {
    const [clash] = await separationViolations(t);
    if (!clash) return;
    const rows = await t.db.all<{ id: string; side: 'victims' | 'perpetrators'; clientId: string | null; groupId: string | null }>(
      'SELECT id, side, client_id AS clientId, group_id AS groupId FROM appointments WHERE id IN (?, ?)',
      clash.ax,
      clash.ay,
    );
    const individual = rows.find((row) => row.side === 'perpetrators' && row.clientId) ?? rows.find((row) => row.clientId);
    if (individual) {
      record(
        world,
        { op: 'cancel', appointment: 0 },
        await t.ok('appointments.cancel', { side: individual.side, appointmentId: individual.id, reason: 'Krock' }),
      );
    } else {
      const session = rows.find((row) => row.side === 'perpetrators')!;
      const member = [clash.x, clash.y].find((id) => world.clients.find((c) => c.id === id)?.track === 'perpetrator')!;
      await t.ok('groups.removeMember', { side: 'perpetrators', groupId: session.groupId, clientId: member });
    }
  }
  throw new Error('conflicts did not resolve');
}

/** On both engines; fewer runs on PostgreSQL (each step's checks are round trips there), thresholds scaled with them. */
const RUNS = { sqlite: 100, postgres: 20 } as const;
/**
 * The sequences come from one seed, so that the check that the runs exercised the rule (the counts at
 * the end) holds or fails the same way on every machine: drawn afresh each time, a run of PostgreSQL's
 * twenty sometimes made no link that revealed a clash. UTVAG_PROPERTY_SEED draws other sequences.
 */
const SEED = Number(process.env.UTVAG_PROPERTY_SEED ?? 20261204);
const engines = useEngines();

describe.each(ENGINES)('the separation rule under random sequences of reception work (%s)', (engine) => {
  let template: Snapshot;
  let therapists: World['therapists'];
  let clientIds: World['clients'];
  const runs = RUNS[engine];
  const atLeast = (perHundredRuns: number) => Math.floor((perHundredRuns * runs) / 100);
  const copy = async () => {
    const t = await engines.open(engine, { from: template });
    await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    return t;
  };

  beforeAll(async () => {
    // One journal set up once (staff, two units, clients without links); each run works on a copy.
    const t = await openReception(engines, engine);
    const extra: Record<string, string> = {};
    for (const [username, tracks] of [
      ['sa.victims', ['victim', 'child']],
      ['sa.perpetrators', ['perpetrator']],
    ] as const) {
      const created = await t.ok<{ user: { id: string } }>('users.create', { displayName: `Södra ${username}`, username, roles: ['therapist'] });
      await t.ok('org.saveTherapist', { userId: created.user.id, siteId: 'sodra-alvsborg', tracks, hours: WEEKDAYS_8_TO_17 });
      extra[username] = created.user.id;
    }
    therapists = {
      skaraborg: t.therapists,
      'sodra-alvsborg': { victims: extra['sa.victims']!, perpetrators: extra['sa.perpetrators']! },
    };
    clientIds = [];
    for (const person of CLIENTS) clientIds.push({ id: await t.newClient(person.track, person.name), track: person.track });
    template = await engines.snapshot(t);
  }, 60_000);

  it('no sequence of book / move / extend / cancel / link / group operations leaves a linked pair within the buffer', async () => {
    let steps = 0;
    let refused = 0;
    let linkConflicts = 0;
    let separationRefusals = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(Op, { minLength: 15, maxLength: 50, size: 'max' }), async (ops) => {
        const t = await copy();
        const world: World = { t, clients: clientIds, therapists, appointments: [], groups: [] };
        try {
          for (const op of ops) {
            const before = await fingerprintBesidesLog(t);
            const logBefore = await lastLogSeq(t);
            const result = await apply(world, op);
            if (!result) continue;
            steps += 1;
            if (!result.ok) {
              refused += 1;
              if (['error.booking.separation', 'error.booking.unavailable'].includes(result.error.message)) separationRefusals += 1;
              // A refusal is an answer, never a crash, and changes nothing but the access log.
              expect(['CONFLICT', 'INVALID_INPUT', 'NOT_FOUND']).toContain(result.error.code);
              expect(await fingerprintBesidesLog(t)).toBe(before);
              // There a refused time leaves a trace naming the clients asked about, and each linked person whose
              // appointments refused it, written after the rollback (probing leaves a mark).
              const trace = await t.db.all<{ clientId: string | null; record: string }>(
                'SELECT client_id AS clientId, record FROM access_log WHERE seq > ?',
                logBefore,
              );
              for (const row of trace) {
                expect(row.record).toMatch(/^refusal:(asked|linked|other-side)$/);
                expect(world.clients.map((c) => c.id)).toContain(row.clientId);
              }
              if (result.error.code === 'CONFLICT' && op.op === 'book') {
                expect(trace.some((row) => row.record === 'refusal:asked')).toBe(true);
              }
              if (result.error.message === 'error.booking.separation') expect(trace.some((row) => row.record === 'refusal:linked')).toBe(true);
              continue;
            }
            if (op.op === 'link') {
              const { conflicts } = result.value as { conflicts: { appointmentId: string; date: string; start: string }[] };
              if (conflicts.length > 0) linkConflicts += 1;
              await resolveReportedConflicts(world, world.clients[op.fromB ? op.b : op.a]!.id, conflicts);
            } else record(world, op, result.value);
            expect(await separationViolations(t)).toEqual([]);
            expect(await doubleBookings(t)).toEqual([]);
          }
        } finally {
          await t.close();
        }
      }),
      { numRuns: runs, seed: SEED },
    );
    // The runs did exercise the rule: bookings it refused, and links that revealed clashes to resolve.
    expect(steps).toBeGreaterThan(atLeast(1500));
    expect(refused).toBeGreaterThan(atLeast(300));
    expect(separationRefusals).toBeGreaterThan(atLeast(20));
    expect(linkConflicts).toBeGreaterThan(atLeast(3));
  }, 300_000);
  // The facts for a booking include the client's own appointments at every site, so one client is never
  // booked in Skaraborg and Södra Älvsborg at the same hour.
  it('refuses to book one client at both sites at the same time', async () => {
    const t = await copy();
    try {
      const victim = clientIds[0]!.id;
      const book = (siteId: (typeof SITES)[number]) =>
        t.call('appointments.book', {
          side: 'victims',
          clientId: victim,
          groupId: null,
          kind: 'individual',
          siteId,
          therapistId: therapists[siteId]!.victims,
          roomId: ROOMS[siteId][0],
          date: DAYS[0],
          start: '10:00',
          durationMinutes: 60,
          note: '',
        });
      expect(await book('skaraborg')).toMatchObject({ ok: true });
      expect(await book('sodra-alvsborg')).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'error.booking.clientBusy' } });
    } finally {
      await t.close();
    }
  });

  it('judges against the buffer as stored when it was widened or narrowed since the last booking', async () => {
    const t = await copy();
    try {
      const [victim, perpetrator] = [clientIds[0]!.id, clientIds[3]!.id];
      await t.ok('clients.link', { side: 'victims', clientId: victim, otherClientId: perpetrator, kind: 'partner' });
      const book = (side: 'victims' | 'perpetrators', clientId: string, start: string, roomId: string) =>
        t.call<{ appointment: { id: string } }>('appointments.book', {
          side,
          clientId,
          groupId: null,
          kind: 'individual',
          siteId: 'skaraborg',
          therapistId: therapists.skaraborg![side],
          roomId,
          date: DAYS[0],
          start,
          durationMinutes: 60,
          note: '',
        });
      // Booked under the usual two hours: that is the buffer the next booking's one read is sized for.
      expect(await book('victims', victim, '07:00', 'skaraborg-r1')).toMatchObject({ ok: true });
      // Ten hours now: 14:00 is six hours after the victim's appointment ends, far beyond what that read
      // covers, and still refused (on the local journal only the app's check stands in the way).
      await t.ok('settings.update', { separationBufferMinutes: 600 });
      expect(await book('perpetrators', perpetrator, '14:00', 'skaraborg-r3')).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', message: 'error.booking.unavailable' },
      });
      expect(await book('perpetrators', perpetrator, '18:00', 'skaraborg-r3')).toMatchObject({ ok: true });
      // Back to half an hour: a read sized for ten hours judges with half an hour.
      await t.ok('settings.update', { separationBufferMinutes: 30 });
      expect(await book('victims', victim, '17:00', 'skaraborg-r1')).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', message: 'error.booking.separation' },
      });
      expect(await book('victims', victim, '09:00', 'skaraborg-r1')).toMatchObject({ ok: true });
      expect(await separationViolations(t)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
