/**
 * `seed-demo`: fills a journal with a realistic, entirely fictional practice over the last N years.
 *
 * It plays the reception desk day by day on a simulated clock: first calls come in, clients are
 * booked, checked in, seen, moved, cancelled, put on the waiting list and taken from it, linked,
 * and put in groups — every step through the real router, signed in as a receptionist, so the
 * separation rule, the double-booking rules and the access log hold exactly as in the app. A
 * refused booking is tried again at another time, as a receptionist would.
 *
 * The therapists work too, each at a desk of their own (see colleagueDesk): they look at their
 * week, open the journals of the clients in their care (care relations are assigned and ended by
 * the receptionist through the router), write drafts, sign them, amend a few, and now and then use
 * emergency access, which the admin reviews every month. Ten years give some 2,500 clients, 15,000
 * appointments, 20,000 journal entries and an access log of a few hundred thousand rows.
 *
 * The clock: one JournalApp whose `now` reads a simulated instant that only moves forward, so the
 * access log stays in time order and each status is set at the moment it happened. Everything
 * random comes from one small seeded generator, so a seed and an end date give the same practice.
 */
import { performance } from 'node:perf_hooks';
import { seedContactNetwork } from '../services/contacts.js';
import {
  sideOfTrack,
  type AppError,
  type AppointmentView,
  type OrgView,
  type Result,
  type SessionUser,
  type Side,
  type Track,
} from '../../preload/contract/index.js';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { createRouter, type Router } from '../router.js';
import { JournalApp } from '../services/session.js';
import { addLocalDays, localToUtc, minutesOfDay, timeOfMinutes, utcToLocal, weekdayOf } from '../services/time.js';
import * as words from './demoNames.js';

// ---- A small seeded generator (sfc32, seeded through splitmix32): no dependency, same numbers everywhere.

export class DemoRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let state = seed >>> 0;
    const splitmix = () => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i += 1) this.next();
  }

  /** A number in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k += 1;
      p *= this.next();
    }
    return k;
  }
}

// ---- Calendar: Swedish working days ----------------------------------------------------------

function easterSunday(year: number): string {
  // The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const holidayCache = new Map<number, Set<string>>();
function holidaysOf(year: number): Set<string> {
  let days = holidayCache.get(year);
  if (days) return days;
  const easter = easterSunday(year);
  const midsummerEve = [19, 20, 21, 22, 23, 24, 25].map((day) => `${year}-06-${day}`).find((date) => weekdayOf(date) === 5)!;
  days = new Set([
    `${year}-01-01`,
    `${year}-01-06`,
    addLocalDays(easter, -2),
    addLocalDays(easter, 1),
    `${year}-05-01`,
    addLocalDays(easter, 39),
    `${year}-06-06`,
    midsummerEve,
    `${year}-12-24`,
    `${year}-12-25`,
    `${year}-12-26`,
    `${year}-12-31`,
  ]);
  holidayCache.set(year, days);
  return days;
}

export function isWorkingDay(date: string): boolean {
  return weekdayOf(date) <= 5 && !holidaysOf(Number(date.slice(0, 4))).has(date);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const instant = (date: string, time: string): number => Date.parse(localToUtc(date, time));
const localOf = (ms: number) => utcToLocal(new Date(ms).toISOString());

// ---- What the simulation keeps track of --------------------------------------------------------

interface Therapist {
  id: string;
  username: string;
  displayName: string;
  siteId: string;
  tracks: Track[];
  hours: Map<number, { start: number; end: number }>;
  temporaryPassword: string;
  /** Clients currently in this therapist's care. */
  load: number;
  /** Their own workstation (see colleagueDesk). */
  desk: Router;
}

type Path = 'individual' | 'group' | 'close';

interface SimClient {
  id: string;
  track: Track;
  side: Side;
  siteId: string;
  name: string;
  surname: string;
  female: boolean;
  childrenUnder18: number;
  anonymous: boolean;
  registeredAt: number;
  therapist: Therapist | null;
  /** Linked clients on the other side of the house. */
  linkedAcross: Set<string>;
  /** Linked to a parent on the victims' side (children), or to children (victims). */
  hasPerpetratorLink: boolean;
  sessionsLeft: number;
  intervalDays: number;
  preferredStart: string | null;
  missedInARow: number;
  inGroup: boolean;
  everInGroup: boolean;
  finished: boolean;
  appointments: SimAppointment[];
  /** Therapists with an active care relation: only they write in the journal. */
  careWith: Set<string>;
  /** Visits attended: a closing summary is written only after some. */
  visits: number;
}

type Fate = 'done' | 'no_show' | 'cancel' | 'move';

interface SimAppointment {
  id: string;
  client: SimClient | null;
  group: SimGroup | null;
  side: Side;
  siteId: string;
  kind: 'first_call' | 'first_visit' | 'individual' | 'group' | 'consultation';
  therapistId: string;
  roomId: string | null;
  start: number;
  end: number;
  status: 'booked' | 'arrived' | 'in_session' | 'done' | 'no_show' | 'cancelled';
  /** Bumped on every move: lifecycle events of an older version are stale. */
  version: number;
}

interface SimGroup {
  id: string;
  name: string;
  siteId: string;
  track: Track;
  therapistId: string;
  capacity: number;
  firstSession: number;
  lastSessionEnd: number;
  members: Set<SimClient>;
  sessions: SimAppointment[];
}

interface Event {
  at: number;
  seq: number;
  run: () => Promise<void>;
}

/** A binary min-heap of events by time, ties in the order they were scheduled. */
class Agenda {
  private heap: Event[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, run: () => Promise<void>): void {
    const event = { at, seq: (this.seq += 1), run };
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!Agenda.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  peek(): Event | undefined {
    return this.heap[0];
  }

  pop(): Event | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && Agenda.before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && Agenda.before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }

  private static before(a: Event, b: Event): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}

// ---- Colleagues at their own desks ---------------------------------------------------------------

/**
 * A colleague's workstation: the real router over the same open journal, with the colleague as the
 * signed-in user. A JournalApp holds one session, and each sign-in and each signature costs an
 * Argon2id derivation of 64 MiB; ten years of therapists signing in and signing 20,000 entries that
 * way would take hours. So only the session is simulated here: the router still validates every
 * input and output, checks the roles, runs the services (care relations, emergency access, signed
 * entries that never change) and writes the access log in the same transaction as the work, and a
 * signature still has to give the colleague's own password, compared as typed instead of through
 * the key slot. Everything else runs as it does in the app.
 */
function colleagueDesk(app: JournalApp, user: SessionUser, password: string): Router {
  const desk = {
    get db() {
      return app.db;
    },
    dataDir: app.dataDir,
    now: app.now,
    log: app.log,
    user,
    idle: { touch: () => {} },
    status: () => app.status(),
    verifyPassword: (given: string) => Promise.resolve(given === password),
  };
  // The router reaches the app only through these members (the class has private state, hence the cast).
  return createRouter(desk as unknown as JournalApp);
}

// ---- Options and summary -----------------------------------------------------------------------

/**
 * The version of the practice seed-demo plays: raise it whenever a change makes the same seed give
 * another journal, so that journals cached for `npm run bench` are seeded again.
 */
export const SEED_DEMO_VERSION = 4;

export interface SeedDemoOptions {
  dataDir: string;
  /** How many years back from `until` the practice starts (fractions allowed). */
  years: number;
  seed?: number;
  /** The admin's password (new journal) or the password of `signInAs` (existing journal); the demo receptionist gets it too. */
  password: string;
  /** Existing journal: the admin who signs in. */
  signInAs?: string;
  /** New journal: its first admin. */
  admin?: { username: string; displayName: string };
  /** The end of the simulated period, "today" (default: now). */
  until?: Date;
  log?: Logger;
  progress?: (line: string) => void;
}

export interface SeedDemoSummary {
  createdJournal: boolean;
  recoveryCode: string | null;
  seed: number;
  from: string;
  until: string;
  seconds: number;
  routerCalls: number;
  refusals: { separation: number; other: number };
  /** Bookings given up after every time tried was refused. */
  gaveUp: number;
  counts: Record<string, number>;
  appointmentsByStatus: Record<string, number>;
  clientsByTrack: Record<string, number>;
  intakeRouting: Record<string, number>;
  /** Journal entries: signed, draft, and amendment (signed corrections of signed entries). */
  journalEntries: Record<string, number>;
  receptionist: { username: string; displayName: string };
  therapists: { username: string; displayName: string; siteId: string; tracks: Track[]; temporaryPassword: string }[];
}

export class SeedDemoError extends Error {}

const DEFAULT_ADMIN = { username: 'demo.admin', displayName: 'Alva Adminsson' };
const NEW_CLIENTS_PER_YEAR = 250;
const COUNTED_TABLES = [
  'users',
  'clients',
  'client_contacts',
  'client_links',
  'intakes',
  'waiting_list',
  'groups',
  'group_members',
  'appointments',
  'care_relations',
  'journal_entries',
  'emergency_grants',
  'access_reviews',
  'access_log',
  'contact_persons',
  'network_days',
] as const;

/** Therapists per site: the tracks each serves. Skaraborg is the bigger unit. */
const STAFFING: Record<string, Track[][]> = {
  skaraborg: [['victim'], ['victim'], ['victim', 'child'], ['child'], ['victim'], ['perpetrator'], ['perpetrator'], ['perpetrator']],
  'sodra-alvsborg': [['victim'], ['victim'], ['victim', 'child'], ['child'], ['perpetrator'], ['perpetrator']],
};
const SITE_SHARE: readonly (readonly [string, number])[] = [
  ['skaraborg', 55],
  ['sodra-alvsborg', 45],
];

const DURATIONS = {
  first_call: 30,
  first_visit: { victim: 90, perpetrator: 90, child: 60 },
  individual: { victim: 60, perpetrator: 60, child: 45 },
  consultation: 60,
} as const;
const DAY_STARTS = ['09:00', '10:00', '13:00', '14:00', '08:30', '11:00', '15:00'];
const CHILD_STARTS = ['14:00', '15:00', '13:00', '10:00', '15:30'];

const GROUP_PLAN: Record<Track, { weekday: number; start: string; minutes: number; sessions: number; capacity: number }> = {
  victim: { weekday: 3, start: '13:00', minutes: 120, sessions: 12, capacity: 8 },
  perpetrator: { weekday: 2, start: '17:00', minutes: 120, sessions: 15, capacity: 7 },
  child: { weekday: 4, start: '15:30', minutes: 90, sessions: 10, capacity: 6 },
};

const PATHS: Record<Track, { group: number; close: number; sessions: [number, number]; intervals: number[] }> = {
  victim: { group: 0.25, close: 0.1, sessions: [3, 14], intervals: [7, 7, 14] },
  perpetrator: { group: 0.45, close: 0.1, sessions: [8, 24], intervals: [7] },
  child: { group: 0.3, close: 0.08, sessions: [4, 10], intervals: [7, 14] },
};

// ---- The seeder ----------------------------------------------------------------------------------

export async function seedDemo(options: SeedDemoOptions): Promise<SeedDemoSummary> {
  if (!(options.years > 0 && options.years <= 30)) throw new SeedDemoError('The number of years must be more than 0 and at most 30');
  const started = performance.now();
  const seed = options.seed ?? 1;
  const rng = new DemoRandom(seed);
  const until = (options.until ?? new Date()).getTime();
  const untilDate = localOf(until).date;
  // Start on the Monday on or before the day N years back, at a quarter to eight.
  let fromDate = addLocalDays(untilDate, -Math.round(options.years * 365.25));
  while (weekdayOf(fromDate) !== 1) fromDate = addLocalDays(fromDate, -1);

  let clock = instant(fromDate, '07:30');
  const app = new JournalApp({ dataDir: options.dataDir, now: () => new Date(clock), log: options.log ?? silentLogger });
  const router = createRouter(app);
  const progress = options.progress ?? (() => {});

  let routerCalls = 0;
  const refusals = { separation: 0, other: 0 };
  let gaveUp = 0;
  let linkConflictMismatches = 0;

  const call = async <T>(channel: string, input: unknown, at: Router = router): Promise<Result<T>> => {
    routerCalls += 1;
    return (await at.invoke(channel, input)) as Result<T>;
  };
  const explain = (channel: string, error: AppError) =>
    new SeedDemoError(`${channel} refused (${error.code}): ${error.message} ${JSON.stringify(error.fields ?? {})}`);
  /** A call that must succeed, at the reception desk unless another desk is given. */
  const ok = async <T>(channel: string, input: unknown, at: Router = router): Promise<T> => {
    const result = await call<T>(channel, input, at);
    if (!result.ok) throw explain(channel, result.error);
    return result.value;
  };
  /** A booking refusal is part of a day at the desk; anything else means the seeder asked for something wrong. */
  const isRefusal = (error: AppError) => error.code === 'CONFLICT';
  const countRefusal = (error: AppError) => {
    if (error.message === 'error.booking.separation' || error.message === 'error.booking.unavailable') refusals.separation += 1;
    else refusals.other += 1;
  };

  try {
    // ---- Sign in, staff the two units ----------------------------------------------------------
    const status = await ok<{ state: string }>('app.status', {});
    let recoveryCode: string | null = null;
    let adminUser: SessionUser;
    if (status.state === 'setup') {
      const admin = options.admin ?? DEFAULT_ADMIN;
      const created = await ok<{ recoveryCode: string; user: SessionUser }>('auth.setup', {
        displayName: admin.displayName,
        username: admin.username,
        password: options.password,
        passwordRepeat: options.password,
      });
      recoveryCode = created.recoveryCode;
      adminUser = created.user;
    } else {
      if (!options.signInAs) throw new SeedDemoError('A journal already exists here: say which admin signs in with --as USER');
      adminUser = await ok<SessionUser>('auth.login', { username: options.signInAs, password: options.password });
    }
    // The admin keeps working after the receptionist signs in at the desk: from a desk of their own.
    const adminDesk = colleagueDesk(app, adminUser, options.password);

    const takenUsernames = new Set((await ok<{ username: string }[]>('users.list', {})).map((user) => user.username.toLowerCase()));
    const uniqueUsername = (base: string) => {
      let candidate = base;
      for (let n = 2; takenUsernames.has(candidate); n += 1) candidate = `${base}${n}`;
      takenUsernames.add(candidate);
      return candidate;
    };
    const asciiName = (text: string) =>
      text
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z]+/g, '.');

    const therapists: Therapist[] = [];
    const staffNames = new Set<string>();
    for (const [siteId, plans] of Object.entries(STAFFING)) {
      for (const [index, tracks] of plans.entries()) {
        let displayName: string;
        do displayName = `${rng.pick(words.STAFF_FIRST_NAMES)} ${rng.pick(words.STAFF_SURNAMES)}`;
        while (staffNames.has(displayName));
        staffNames.add(displayName);
        const username = uniqueUsername(asciiName(displayName));
        const created = await ok<{ user: { id: string }; temporaryPassword: string }>('users.create', {
          displayName,
          username,
          roles: ['therapist'],
        });
        const hours = new Map<number, { start: number; end: number }>();
        const partTime = index === 1; // one therapist per unit works Monday to Thursday
        for (let weekday = 1; weekday <= (partTime ? 4 : 5); weekday += 1) hours.set(weekday, { start: 8 * 60, end: 16 * 60 + 30 });
        // Perpetrators' groups meet on Tuesday evenings, children's groups after school on Thursdays.
        if (tracks.includes('perpetrator')) hours.set(2, { start: 11 * 60, end: 19 * 60 + 30 });
        if (tracks.includes('child')) hours.set(4, { start: 9 * 60, end: 18 * 60 });
        await ok('org.saveTherapist', {
          userId: created.user.id,
          siteId,
          tracks,
          hours: [...hours].map(([weekday, day]) => ({ weekday, start: timeOfMinutes(day.start), end: timeOfMinutes(day.end) })),
        });
        therapists.push({
          id: created.user.id,
          username,
          displayName,
          siteId,
          tracks,
          hours,
          temporaryPassword: created.temporaryPassword,
          load: 0,
          desk: colleagueDesk(
            app,
            { id: created.user.id, username, displayName, roles: ['therapist'], mustChangePassword: false },
            created.temporaryPassword,
          ),
        });
      }
    }
    const receptionistName = rng.pick(words.RECEPTIONIST_NAMES);
    const receptionistUsername = uniqueUsername(asciiName(receptionistName));
    const receptionist = await ok<{ temporaryPassword: string }>('users.create', {
      displayName: receptionistName,
      username: receptionistUsername,
      roles: ['receptionist'],
    });
    const org = await ok<OrgView>('org.get', {});

    // The rest of the work is the reception desk's: sign in as the receptionist, who sets the demo password.
    await ok('auth.login', { username: receptionistUsername, password: receptionist.temporaryPassword });
    await ok('auth.changePassword', {
      currentPassword: receptionist.temporaryPassword,
      newPassword: options.password,
      newPasswordRepeat: options.password,
    });
    const buffer = org.separationBufferMinutes * MINUTE;

    const sites = org.sites.map((site) => site.id).filter((id) => STAFFING[id]);
    const roomsOf = new Map<string, { talk: string[]; group: string }>();
    for (const siteId of sites) {
      const rooms = org.rooms.filter((room) => room.siteId === siteId && room.active);
      // Group sessions take the room kept for groups; everything else the talk rooms.
      const group = rooms.find((room) => room.purpose === 'group') ?? rooms[rooms.length - 1]!;
      roomsOf.set(siteId, { talk: rooms.filter((room) => room.id !== group.id).map((room) => room.id), group: group.id });
    }
    const municipalities = new Map<string, (readonly [string, number])[]>();
    for (const municipality of org.municipalities) {
      const region = municipality.region === 'sodra_alvsborg' ? 'sodra-alvsborg' : municipality.region === 'skaraborg' ? 'skaraborg' : 'other';
      const list = municipalities.get(region) ?? [];
      list.push([municipality.code, words.MUNICIPALITY_WEIGHTS[municipality.code] ?? 3]);
      municipalities.set(region, list);
    }
    const etapp2 = new Set(org.municipalities.filter((municipality) => municipality.etapp2).map((municipality) => municipality.code));

    // ---- The simulation's state and its clock ---------------------------------------------------
    const agenda = new Agenda();
    const at = (when: number, run: () => Promise<void>) => agenda.push(Math.max(when, clock), run);
    const clients: SimClient[] = [];
    const usedPersonalNumbers = new Set<string>();
    const groups: SimGroup[] = [];
    const groupQueue = new Map<string, { client: SimClient; since: number }[]>();
    const queueKey = (siteId: string, track: Track) => `${siteId}:${track}`;

    const therapistsFor = (siteId: string, track: Track) => therapists.filter((t) => t.siteId === siteId && t.tracks.includes(track));
    const assignTherapist = (client: SimClient): Therapist => {
      if (client.therapist) return client.therapist;
      const candidates = therapistsFor(client.siteId, client.track);
      const least = Math.min(...candidates.map((t) => t.load));
      const chosen = rng.pick(candidates.filter((t) => t.load === least));
      chosen.load += 1;
      client.therapist = chosen;
      return chosen;
    };
    const finish = (client: SimClient) => {
      if (client.finished) return;
      client.finished = true;
      if (client.therapist) client.therapist.load -= 1;
      // The therapist writes the closing summary within a fortnight; then the care relations end.
      if (client.careWith.size > 0) at(clock + rng.int(2, 12) * DAY, () => closeCare(client));
    };

    // ---- Care relations and the journal -----------------------------------------------------------

    const therapistById = new Map(therapists.map((t) => [t.id, t]));
    const sideOfTherapist = (t: Therapist): Side => (t.tracks.includes('perpetrator') ? 'perpetrators' : 'victims');
    /** Time passes while someone works (never beyond the end of the simulated period). */
    const later = (minutes: number) => {
      clock = Math.min(until, clock + minutes * MINUTE);
    };
    /** A few different sentences from a list, in random order. */
    const some = (list: readonly string[], count: number): string[] => {
      const pool = [...list];
      const chosen: string[] = [];
      while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]!);
      return chosen;
    };

    /** The receptionist records who is in the client's care: from then on that therapist may open the journal. */
    const ensureCare = async (client: SimClient, therapist: Therapist) => {
      if (client.careWith.has(therapist.id)) return;
      await ok('care.assign', { side: client.side, clientId: client.id, therapistId: therapist.id });
      client.careWith.add(therapist.id);
    };
    const endCare = async (client: SimClient, therapist: Therapist) => {
      if (!client.careWith.has(therapist.id)) return;
      await ok('care.end', { side: client.side, clientId: client.id, therapistId: therapist.id });
      client.careWith.delete(therapist.id);
    };

    type EntryKind = 'note' | 'assessment' | 'treatment_plan' | 'closing_summary';

    /**
     * A therapist writes in a journal the way the screen does: opens it, saves a draft (a third of
     * the time in two sittings), and signs it with the password. Notes of the last fortnight are
     * partly still unsigned, older ones very rarely; a few signed entries are amended days later.
     * Under emergency access the journal is already open and no care relation is needed.
     */
    const writeEntry = async (client: SimClient, therapist: Therapist, kind: EntryKind, parts: string[], access: 'care' | 'emergency' = 'care') => {
      if (access === 'care') {
        // Care ended meanwhile (the client finished): the note is not written.
        if (!client.careWith.has(therapist.id)) return;
        await ok('journal.open', { clientId: client.id }, therapist.desk);
      }
      const body = parts.join(' ');
      const twoSittings = parts.length > 2 && rng.chance(0.35);
      const firstDraft = twoSittings ? parts.slice(0, Math.ceil(parts.length / 2)).join(' ') : body;
      let entry = await ok<{ id: string }>('journal.saveDraft', { clientId: client.id, entryId: null, kind, body: firstDraft }, therapist.desk);
      if (twoSittings) {
        later(rng.int(5, 45));
        entry = await ok<{ id: string }>('journal.saveDraft', { clientId: client.id, entryId: entry.id, kind, body }, therapist.desk);
      }
      // A closing summary is signed before the care ends; other notes may wait.
      if (kind !== 'closing_summary' && rng.chance(until - clock < 14 * DAY ? 0.4 : 0.003)) return;
      later(rng.int(1, 10));
      await ok('journal.sign', { entryId: entry.id, password: therapist.temporaryPassword }, therapist.desk);
      if (access === 'care' && rng.chance(0.02)) {
        const signedId = entry.id;
        at(clock + rng.int(1, 14) * DAY, async () => {
          if (!client.careWith.has(therapist.id)) return;
          const [reason, correction] = rng.pick(words.AMENDMENTS);
          await ok('journal.open', { clientId: client.id }, therapist.desk);
          await ok(
            'journal.amend',
            { entryId: signedId, reason, body: `${body}\n\n${correction}`, password: therapist.temporaryPassword },
            therapist.desk,
          );
        });
      }
    };

    const visitNote = (client: SimClient, kind: SimAppointment['kind']): [EntryKind, string[]] => {
      const track = client.track;
      if (kind === 'first_call') {
        const [opening, ...rest] = words.FIRST_CALL_NOTES[track];
        return ['note', [opening!, ...some(rest, rng.int(2, 3))]];
      }
      if (kind === 'first_visit') {
        return [
          'assessment',
          [
            ...words.ASSESSMENT_OPENINGS[track],
            ...some(words.ASSESSMENT_NOTES[track], rng.int(2, 3)),
            words.riskSentence(track, rng.pick(words.RISK_LEVELS)),
            ...words.ASSESSMENT_CONCLUSIONS[track],
          ],
        ];
      }
      return ['note', [rng.pick(words.NOTE_OPENINGS[track]), ...some(words.NOTE_CONTENT[track], rng.int(2, 3)), rng.pick(words.NOTE_CLOSINGS)]];
    };

    /** After a visit (or a missed one) the therapist documents it, within a few hours. */
    const documentVisit = (appointment: SimAppointment, attended: boolean) => {
      const client = appointment.client;
      const therapist = therapistById.get(appointment.therapistId);
      if (!client || !therapist || appointment.kind === 'group' || appointment.kind === 'consultation') return;
      if (attended) client.visits += 1;
      else if (rng.chance(0.5)) return;
      at(appointment.end + rng.int(10, 150) * MINUTE, async () => {
        if (attended) {
          const [kind, parts] = visitNote(client, appointment.kind);
          await writeEntry(client, therapist, kind, parts);
        } else {
          await writeEntry(client, therapist, 'note', [words.NO_SHOW_NOTES[0], rng.pick(words.NO_SHOW_NOTES.slice(1, 3)), words.NO_SHOW_NOTES[3]]);
        }
      });
    };

    const planTreatment = (client: SimClient, path: Path) => {
      const therapist = client.therapist;
      if (!therapist) return;
      at(clock + rng.int(1, 5) * DAY, () =>
        writeEntry(client, therapist, 'treatment_plan', [
          ...words.PLAN_OPENINGS[client.track],
          rng.pick(words.TREATMENT_GOALS[client.track]),
          path === 'group' ? words.PLAN_EFFORTS.group : client.intervalDays === 14 ? words.PLAN_EFFORTS.fortnightly : words.PLAN_EFFORTS.weekly,
          words.PLAN_FOLLOW_UP,
        ]),
      );
    };

    /** The group's leader writes a short note in most members' journals after a session. */
    const documentGroupSession = (session: SimAppointment) => {
      const group = session.group;
      const leader = group && therapistById.get(group.therapistId);
      if (!group || !leader) return;
      const members = [...group.members];
      at(session.end + rng.int(15, 120) * MINUTE, async () => {
        const theme = rng.pick(words.GROUP_THEMES[group.track]);
        for (const member of members) {
          if (rng.chance(0.7))
            await writeEntry(member, leader, 'note', [words.groupSessionSentence(group.name, theme), rng.pick(words.GROUP_PARTICIPATION)]);
        }
      });
    };

    const closeCare = async (client: SimClient) => {
      const own = client.therapist;
      if (own && client.visits > 0) {
        const reason = client.missedInARow >= 2 ? words.CLOSING_REASONS[2] : rng.chance(0.15) ? words.CLOSING_REASONS[1] : words.CLOSING_REASONS[0];
        await writeEntry(client, own, 'closing_summary', [words.CLOSING_OPENING, reason, ...some(words.CLOSING_SUMMARIES[client.track], 2)]);
      }
      later(rng.int(5, 60));
      for (const therapistId of [...client.careWith]) await endCare(client, therapistById.get(therapistId)!);
    };

    /**
     * Now and then a colleague opens a journal through emergency access (the client's own therapist is
     * away), writes a short note under it, and the access is flagged for the admin's monthly review.
     */
    const emergencyAccess = async () => {
      const weekday = weekdayOf(localOf(clock).date);
      const inCare = clients.filter((client) => !client.finished && client.careWith.size > 0);
      if (inCare.length === 0) return;
      const client = rng.pick(inCare);
      const colleagues = therapistsFor(client.siteId, client.track).filter((t) => !client.careWith.has(t.id) && t.hours.has(weekday));
      if (colleagues.length === 0) return;
      const colleague = rng.pick(colleagues);
      await ok('journal.emergencyOpen', { clientId: client.id, reason: rng.pick(words.EMERGENCY_REASONS) }, colleague.desk);
      later(rng.int(10, 40));
      await writeEntry(client, colleague, 'note', [...words.EMERGENCY_NOTES], 'emergency');
    };

    /** A therapist's day at the screen: the week in the morning, today after lunch, tomorrow before leaving. */
    const therapistDay = (therapist: Therapist, date: string) => {
      const hours = therapist.hours.get(weekdayOf(date));
      if (!hours) return;
      const side = sideOfTherapist(therapist);
      let monday = date;
      while (weekdayOf(monday) !== 1) monday = addLocalDays(monday, -1);
      const look = async (from: string, days: number) => {
        await ok('schedule.range', { side, siteId: therapist.siteId, from, days, therapistId: therapist.id, roomId: null }, therapist.desk);
      };
      at(instant(date, timeOfMinutes(hours.start + rng.int(0, 30))), async () => {
        await look(monday, 7);
        await ok('journal.myClients', {}, therapist.desk);
      });
      at(instant(date, timeOfMinutes(Math.max(hours.start + 60, 12 * 60 + rng.int(15, 75)))), () => look(date, 1));
      at(instant(date, timeOfMinutes(hours.end - rng.int(5, 40))), () => look(addLocalDays(date, 1), 1));
    };

    /** The admin's monthly round: review the emergency accesses; each quarter the statistics, each year the retention list. */
    const adminMonth = async (date: string) => {
      const page = await ok<{ rows: { seq: number }[] }>(
        'audit.search',
        {
          filter: { userId: null, clientId: null, from: null, to: null, action: null, emergencyOnly: true, unreviewedOnly: true },
          page: 0,
        },
        adminDesk,
      );
      for (const row of page.rows) {
        later(rng.int(1, 5));
        await ok('audit.markReviewed', { seq: row.seq, note: rng.pick(words.REVIEW_NOTES) }, adminDesk);
      }
      const month = Number(date.slice(5, 7));
      if (month % 3 === 1) {
        // The quarter that has just ended: statistics are published for whole, ended quarters only.
        const lastDay = addLocalDays(`${date.slice(0, 8)}01`, -1);
        await ok('stats.report', { year: Number(lastDay.slice(0, 4)), quarter: Math.ceil(Number(lastDay.slice(5, 7)) / 3) }, adminDesk);
      }
      if (month === 1) await ok('retention.report', { years: 10 }, adminDesk);
    };

    // ---- Booking with retries ---------------------------------------------------------------------
    interface SlotTry {
      date: string;
      start: string;
      roomId: string | null;
    }
    type Attempt = (slot: SlotTry) => Promise<Result<{ appointment: AppointmentView }>>;

    /**
     * Tries times the way a receptionist does: the preferred day and time first, then other times that
     * day, then the days around it, each room in turn when only the room is taken. Stops at the first
     * booking the router accepts; refusals are counted.
     */
    const tryTimes = async (
      therapist: Therapist,
      fromDate: string,
      dayOffsets: number[],
      starts: string[],
      minutes: number,
      needsRoom: boolean,
      attempt: Attempt,
      maxAttempts = 14,
    ): Promise<AppointmentView | null> => {
      const rooms = needsRoom ? roomsOf.get(therapist.siteId)!.talk : [null];
      const firstRoom = rng.int(0, rooms.length - 1);
      let attempts = 0;
      for (const offset of dayOffsets) {
        const date = addLocalDays(fromDate, offset);
        if (!isWorkingDay(date)) continue;
        const hours = therapist.hours.get(weekdayOf(date));
        if (!hours) continue;
        for (const start of starts) {
          const minute = minutesOfDay(start);
          if (minute < hours.start || minute + minutes > hours.end) continue;
          if (instant(date, start) < clock + 30 * MINUTE) continue;
          for (let r = 0; r < rooms.length; r += 1) {
            if (attempts >= maxAttempts) return null;
            attempts += 1;
            const result = await attempt({ date, start, roomId: rooms[(firstRoom + r) % rooms.length] ?? null });
            if (result.ok) return result.value.appointment;
            if (!isRefusal(result.error)) throw explain('booking', result.error);
            countRefusal(result.error);
            // Only a busy room is solved by another room; any other refusal needs another time.
            const fields = Object.keys(result.error.fields ?? {});
            if (!fields.some((field) => field.endsWith('roomId'))) break;
          }
        }
      }
      return null;
    };

    const bookingInput = (
      client: SimClient | null,
      side: Side,
      kind: SimAppointment['kind'],
      therapist: Therapist,
      minutes: number,
      slot: SlotTry,
      note = '',
    ) => ({
      side,
      clientId: client?.id ?? null,
      groupId: null,
      kind,
      siteId: therapist.siteId,
      therapistId: therapist.id,
      roomId: slot.roomId,
      date: slot.date,
      start: slot.start,
      durationMinutes: minutes,
      note,
    });

    const remember = (view: AppointmentView, client: SimClient | null, group: SimGroup | null): SimAppointment => {
      const appointment: SimAppointment = {
        id: view.id,
        client,
        group,
        side: view.side,
        siteId: view.siteId,
        kind: view.kind,
        therapistId: view.therapistId,
        roomId: view.roomId,
        start: Date.parse(view.startsAt),
        end: Date.parse(view.endsAt),
        status: 'booked',
        version: 0,
      };
      client?.appointments.push(appointment);
      return appointment;
    };

    const dayOffsetsAround = (target: number, spread: number) => {
      const offsets = [target];
      for (let d = 1; d <= spread; d += 1) offsets.push(target + d, target - d);
      return offsets.filter((offset) => offset >= 0);
    };

    /** Books a client's next appointment; falls back to the slot finder when the usual times are all refused. */
    const bookClient = async (
      client: SimClient,
      kind: 'first_call' | 'first_visit' | 'individual',
      afterDays: number,
      spread = 4,
    ): Promise<SimAppointment | null> => {
      const therapist = assignTherapist(client);
      const minutes = kind === 'first_call' ? DURATIONS.first_call : DURATIONS[kind][client.track];
      const needsRoom = kind !== 'first_call';
      const usual = client.track === 'child' ? CHILD_STARTS : DAY_STARTS;
      const starts = client.preferredStart ? [client.preferredStart, ...usual.filter((s) => s !== client.preferredStart)] : [...usual];
      if (!client.preferredStart) starts.push(...starts.splice(0, rng.int(0, starts.length - 1)));
      const today = localOf(clock).date;
      const view = await tryTimes(therapist, today, dayOffsetsAround(afterDays, spread), starts, minutes, needsRoom, (slot) =>
        call('appointments.book', bookingInput(client, client.side, kind, therapist, minutes, slot)),
      );
      if (view) {
        await ensureCare(client, therapist);
        return lifecycle(remember(view, client, null));
      }
      // The slot finder proposes only times that satisfy every rule.
      const proposals = await call<{ date: string; start: string; therapistId: string; roomId: string | null }[]>('slots.find', {
        side: client.side,
        siteId: client.siteId,
        clientId: client.id,
        groupId: null,
        therapistId: therapist.id,
        kind,
        durationMinutes: minutes,
        needsRoom,
        fromDate: addLocalDays(today, Math.max(1, afterDays - spread)),
        days: 21,
      });
      if (proposals.ok) {
        // The slot finder knows working hours but not public holidays: those the receptionist skips.
        for (const proposal of proposals.value.filter((p) => isWorkingDay(p.date)).slice(0, 3)) {
          const booked = await call<{ appointment: AppointmentView }>(
            'appointments.book',
            bookingInput(client, client.side, kind, therapist, minutes, { date: proposal.date, start: proposal.start, roomId: proposal.roomId }),
          );
          if (booked.ok) {
            await ensureCare(client, therapist);
            return lifecycle(remember(booked.value.appointment, client, null));
          }
          if (!isRefusal(booked.error)) throw explain('appointments.book', booked.error);
          countRefusal(booked.error);
        }
      }
      gaveUp += 1;
      return null;
    };

    // ---- An appointment's life: moved, cancelled, checked in, seen or missed ----------------------

    const FATES: Record<SimAppointment['kind'], readonly (readonly [Fate, number])[]> = {
      first_call: [
        ['done', 88],
        ['no_show', 7],
        ['cancel', 5],
      ],
      first_visit: [
        ['done', 82],
        ['no_show', 8],
        ['cancel', 7],
        ['move', 3],
      ],
      individual: [
        ['done', 80],
        ['no_show', 7],
        ['cancel', 9],
        ['move', 4],
      ],
      consultation: [
        ['done', 93],
        ['cancel', 5],
        ['move', 2],
      ],
      group: [
        ['done', 97],
        ['cancel', 3],
      ],
    };

    const setStatus = async (appointment: SimAppointment, status: 'arrived' | 'in_session' | 'done' | 'no_show') => {
      await ok('appointments.setStatus', { side: appointment.side, appointmentId: appointment.id, status });
      appointment.status = status;
    };

    function lifecycle(appointment: SimAppointment, allowMove = true): SimAppointment {
      const version = appointment.version;
      const current = () => appointment.version === version && appointment.status !== 'cancelled';
      let fate = rng.weighted(FATES[appointment.kind]);
      if (fate === 'move' && !allowMove) fate = 'done';
      if (fate === 'cancel' || fate === 'move') {
        const ahead = fate === 'cancel' ? rng.int(3, 96) * HOUR : rng.int(1, 6) * DAY;
        const when = Math.max(clock + HOUR, appointment.start - ahead);
        if (when < appointment.start - 30 * MINUTE) {
          at(when, async () => {
            if (!current()) return;
            if (fate === 'cancel') await cancelAndRebook(appointment, rng.pick(words.CANCEL_REASONS));
            else await move(appointment);
          });
          return appointment;
        }
        fate = 'done';
      }
      if (fate === 'no_show') {
        at(appointment.start + 20 * MINUTE, async () => {
          if (!current()) return;
          await setStatus(appointment, 'no_show');
          await afterAppointment(appointment, false);
        });
        return appointment;
      }
      // The therapist often reads up in the journal before a session.
      const client = appointment.client;
      const therapist = therapistById.get(appointment.therapistId);
      if (client && therapist && appointment.kind === 'individual' && rng.chance(0.4)) {
        at(appointment.start - rng.int(10, 60) * MINUTE, async () => {
          if (current() && client.careWith.has(therapist.id)) await ok('journal.open', { clientId: client.id }, therapist.desk);
        });
      }
      // Visitors check in a few minutes early; a phone call has no waiting room and "arrives" as it connects.
      const arrival = appointment.kind === 'first_call' ? MINUTE : rng.int(2, 15) * MINUTE;
      const lookUp = client !== null && appointment.kind !== 'first_call' && rng.chance(0.5);
      at(appointment.start - arrival, async () => {
        if (!current()) return;
        // At check-in the receptionist often opens the client's card (safe contact, waiting room).
        if (lookUp) await ok('clients.get', { side: appointment.side, clientId: client.id });
        await setStatus(appointment, 'arrived');
      });
      at(appointment.start + rng.int(0, 4) * MINUTE, async () => {
        if (current() && appointment.status === 'arrived') await setStatus(appointment, 'in_session');
      });
      at(appointment.end + rng.int(0, 5) * MINUTE, async () => {
        if (!current() || appointment.status !== 'in_session') return;
        await setStatus(appointment, 'done');
        if (appointment.group) documentGroupSession(appointment);
        await afterAppointment(appointment, true);
      });
      return appointment;
    }

    const cancelAndRebook = async (appointment: SimAppointment, reason: string) => {
      await ok('appointments.cancel', { side: appointment.side, appointmentId: appointment.id, reason });
      appointment.status = 'cancelled';
      const client = appointment.client;
      if (!client || client.finished) return;
      if (appointment.kind === 'first_call' || appointment.kind === 'first_visit' || appointment.kind === 'individual') {
        const rebooked = await bookClient(client, appointment.kind, rng.int(2, 8));
        if (!rebooked) finish(client);
      }
    };

    /** Moves an appointment to a day or two later, sometimes extending it: the rules are checked again. */
    const move = async (appointment: SimAppointment) => {
      const therapist = therapists.find((t) => t.id === appointment.therapistId)!;
      const minutes = (appointment.end - appointment.start) / MINUTE;
      const extended = appointment.kind === 'individual' && minutes === 60 && rng.chance(0.3) ? 90 : minutes;
      const fromDate = localOf(appointment.start).date;
      const local = localOf(appointment.start);
      const starts = [local.time, ...DAY_STARTS.filter((start) => start !== local.time)];
      const view = await tryTimes(
        therapist,
        fromDate,
        [1, 2, 3, -1, 4],
        starts,
        extended,
        appointment.roomId !== null,
        (slot) =>
          call('appointments.move', {
            side: appointment.side,
            appointmentId: appointment.id,
            date: slot.date,
            start: slot.start,
            durationMinutes: extended,
            therapistId: therapist.id,
            roomId: slot.roomId,
          }),
        8,
      );
      if (view) {
        appointment.start = Date.parse(view.startsAt);
        appointment.end = Date.parse(view.endsAt);
        appointment.roomId = view.roomId;
      }
      // Moved or not, the appointment now runs its course once more (and is not moved twice).
      appointment.version += 1;
      lifecycle(appointment, false);
    };

    /** What follows an appointment: the next step of the client's contact with the centre. */
    const afterAppointment = async (appointment: SimAppointment, attended: boolean) => {
      documentVisit(appointment, attended);
      const client = appointment.client;
      if (appointment.kind === 'group' || appointment.kind === 'consultation' || !client || client.finished) return;
      // The receptionist books the next time a few minutes after the visit, at the desk or by phone.
      clock = Math.min(until, clock + rng.int(2, 20) * MINUTE);
      if (!attended) {
        client.missedInARow += 1;
        if (client.missedInARow >= 2 || rng.chance(0.35)) return finish(client);
        if (!(await bookClient(client, appointment.kind, rng.int(2, 7)))) finish(client);
        return;
      }
      client.missedInARow = 0;
      if (appointment.kind === 'first_call') {
        if (!(await bookClient(client, 'first_visit', rng.int(3, 10)))) finish(client);
        return;
      }
      if (appointment.kind === 'first_visit') {
        const plan = PATHS[client.track];
        const path: Path = rng.weighted([
          ['close', plan.close],
          ['group', plan.group],
          ['individual', 1 - plan.close - plan.group],
        ]);
        if (path === 'close') return finish(client);
        client.sessionsLeft = rng.int(plan.sessions[0], plan.sessions[1]);
        client.intervalDays = rng.pick(plan.intervals);
        client.preferredStart = localOf(appointment.start).time;
        planTreatment(client, path);
        if (path === 'group' && (await joinGroupOrQueue(client))) return;
        await nextSession(client);
        return;
      }
      client.sessionsLeft -= 1;
      // Some stop on their own along the way.
      if (client.sessionsLeft <= 0 || rng.chance(0.03)) return finish(client);
      await nextSession(client);
    };

    const nextSession = async (client: SimClient) => {
      if (client.sessionsLeft <= 0) return finish(client);
      if (!(await bookClient(client, 'individual', client.intervalDays, 3))) finish(client);
    };

    // ---- Groups ------------------------------------------------------------------------------------

    const joinGroup = async (client: SimClient, group: SimGroup): Promise<boolean> => {
      const result = await call('groups.addMember', { side: client.side, groupId: group.id, clientId: client.id });
      if (!result.ok) {
        if (!isRefusal(result.error)) throw explain('groups.addMember', result.error);
        countRefusal(result.error);
        return false;
      }
      group.members.add(client);
      client.inGroup = true;
      client.everInGroup = true;
      // The group's leader writes in the members' journals while they take part.
      const leader = therapistById.get(group.therapistId)!;
      await ensureCare(client, leader);
      // Most stay to the end; some leave half-way.
      const leaveAt = rng.chance(0.12) ? group.sessions[rng.int(1, Math.max(1, group.sessions.length - 2))]!.end + DAY : group.lastSessionEnd + DAY;
      at(leaveAt, async () => {
        if (!group.members.has(client)) return;
        await ok('groups.removeMember', { side: client.side, groupId: group.id, clientId: client.id });
        group.members.delete(client);
        client.inGroup = false;
        // A few continue with individual follow-up sessions after the group.
        if (rng.chance(0.2)) {
          if (leader !== client.therapist) await endCare(client, leader);
          client.sessionsLeft = rng.int(2, 5);
          await nextSession(client);
        } else finish(client);
      });
      return true;
    };

    /** Joins a group that has not started (or only just has), or waits for the next one. */
    const joinGroupOrQueue = async (client: SimClient): Promise<boolean> => {
      const open = groups.find(
        (group) =>
          group.siteId === client.siteId &&
          group.track === client.track &&
          group.members.size < group.capacity &&
          group.firstSession > clock - 10 * DAY &&
          group.lastSessionEnd > clock + 21 * DAY,
      );
      if (open) return joinGroup(client, open);
      const key = queueKey(client.siteId, client.track);
      const queue = groupQueue.get(key) ?? [];
      queue.push({ client, since: clock });
      groupQueue.set(key, queue);
      return true;
    };

    const startGroup = async (siteId: string, track: Track, firstDate: string) => {
      const key = queueKey(siteId, track);
      const queue = groupQueue.get(key) ?? [];
      // Anyone who has waited more than four months gets individual sessions instead.
      for (const waiting of queue.filter((entry) => clock - entry.since > 120 * DAY)) {
        queue.splice(queue.indexOf(waiting), 1);
        if (!waiting.client.finished) await nextSession(waiting.client);
      }
      const ready = queue.filter((entry) => !entry.client.finished);
      groupQueue.set(key, ready);
      if (ready.length < 3) return;
      const plan = GROUP_PLAN[track];
      const leaders = therapistsFor(siteId, track).filter((t) => t.hours.has(plan.weekday));
      const sessions = track === 'perpetrator' && Number(firstDate.slice(5, 7)) >= 8 ? plan.sessions - 2 : plan.sessions;
      let created: { id: string; upcomingSessions: AppointmentView[] } | null = null;
      let leader: Therapist | null = null;
      const name = `${words.GROUP_NAMES[track]} ${firstDate.slice(0, 4)} ${Number(firstDate.slice(5, 7)) >= 8 ? 'HT' : 'VT'}`;
      // Try the usual weekday, then the week after, with each possible leader.
      for (const offset of [0, 7, 1, 8]) {
        for (const candidate of leaders) {
          const result = await call<{ id: string; upcomingSessions: AppointmentView[] }>('groups.create', {
            side: sideOfTrack(track),
            siteId,
            track,
            name,
            therapistId: candidate.id,
            roomId: roomsOf.get(siteId)!.group,
            firstDate: addLocalDays(firstDate, offset),
            start: plan.start,
            durationMinutes: plan.minutes,
            sessions,
          });
          if (result.ok) {
            created = result.value;
            leader = candidate;
            break;
          }
          if (!isRefusal(result.error)) throw explain('groups.create', result.error);
          countRefusal(result.error);
        }
        if (created) break;
      }
      if (!created || !leader) return;
      const group: SimGroup = {
        id: created.id,
        name,
        siteId,
        track,
        therapistId: leader.id,
        capacity: plan.capacity,
        firstSession: Date.parse(created.upcomingSessions[0]!.startsAt),
        lastSessionEnd: Date.parse(created.upcomingSessions[created.upcomingSessions.length - 1]!.endsAt),
        members: new Set(),
        sessions: [],
      };
      groups.push(group);
      for (const view of created.upcomingSessions) {
        const session = remember(view, null, group);
        group.sessions.push(session);
        // No group meets on a public holiday: those sessions are cancelled at once.
        if (!isWorkingDay(localOf(session.start).date)) {
          await ok('appointments.cancel', { side: session.side, appointmentId: session.id, reason: 'Helgdag' });
          session.status = 'cancelled';
        } else lifecycle(session);
      }
      const taken = ready.slice(0, plan.capacity);
      groupQueue.set(key, ready.slice(plan.capacity));
      for (const entry of taken) {
        clock = Math.min(until, clock + rng.int(1, 5) * MINUTE);
        if (!(await joinGroup(entry.client, group))) await nextSession(entry.client);
      }
    };

    // ---- First calls ---------------------------------------------------------------------------

    const REFERRALS: Record<Track, readonly (readonly [string, number])[]> = {
      victim: [
        ['self', 35],
        ['social_services', 18],
        ['police', 20],
        ['primary_care', 7],
        ['hospital', 5],
        ['womens_shelter', 6],
        ['victim_support', 3],
        ['rfsl', 1],
        ['other', 5],
      ],
      perpetrator: [
        ['self', 38],
        ['probation', 20],
        ['social_services', 22],
        ['police', 5],
        ['prosecution', 3],
        ['primary_care', 5],
        ['other', 7],
      ],
      child: [
        ['social_services', 45],
        ['self', 22],
        ['school', 20],
        ['primary_care', 4],
        ['hospital', 3],
        ['police', 6],
      ],
    };
    const OUTCOMES: Record<Track, readonly (readonly [string, number])[]> = {
      victim: [
        ['booked', 55],
        ['waiting_list', 25],
        ['referred', 12],
        ['no_further_contact', 8],
      ],
      perpetrator: [
        ['booked', 50],
        ['waiting_list', 30],
        ['referred', 10],
        ['no_further_contact', 10],
      ],
      child: [
        ['booked', 45],
        ['waiting_list', 40],
        ['referred', 10],
        ['no_further_contact', 5],
      ],
    };

    const luhnCheckDigit = (digits: string) => {
      let sum = 0;
      for (let i = 0; i < digits.length; i += 1) {
        const product = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
        sum += product > 9 ? product - 9 : product;
      }
      return (10 - (sum % 10)) % 10;
    };
    /**
     * A valid personnummer for an invented person. Birth numbers are taken from 980–999 only, the
     * range used for test identities, to stay clear of the numbers people carry.
     */
    const fictionalPersonalNumber = (birthYear: number, female: boolean): string => {
      for (;;) {
        const month = rng.int(1, 12);
        const day = rng.int(1, 28);
        const sexDigit = female ? rng.pick([0, 2, 4, 6, 8]) : rng.pick([1, 3, 5, 7, 9]);
        const birthNumber = `9${rng.int(8, 9)}${sexDigit}`;
        const datePart = `${String(birthYear % 100).padStart(2, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
        const number = `${birthYear}${datePart.slice(2)}-${birthNumber}${luhnCheckDigit(datePart + birthNumber)}`;
        if (!usedPersonalNumbers.has(number)) {
          usedPersonalNumbers.add(number);
          return number;
        }
      }
    };
    const fictionalPhone = () => {
      const [prefix, first, last] = rng.pick(words.FICTION_PHONE_SERIES);
      return `${prefix}${rng.int(first, last)}`;
    };

    const findForLink = async (other: SimClient, side: Side) => {
      // The receptionist looks the named person up: exact name; this side's people come back by initials, the other side's as a handle.
      const found = await ok<{ id: string; otherSide: boolean }[]>('clients.findForLink', { side, query: other.name });
      const across = sideOfTrack(other.track) !== side;
      return found.some((candidate) => (across ? candidate.otherSide : candidate.id === other.id));
    };

    const recentUnlinked = (siteId: string, track: Track, within: number, wantsPerpetratorLink: boolean) =>
      clients.filter(
        (candidate) =>
          candidate.siteId === siteId &&
          candidate.track === track &&
          !candidate.anonymous &&
          clock - candidate.registeredAt < within &&
          (wantsPerpetratorLink ? !candidate.hasPerpetratorLink : candidate.linkedAcross.size === 0),
      );

    const firstCall = async () => {
      const track: Track = rng.weighted([
        ['victim', 67],
        ['perpetrator', 18],
        ['child', 15],
      ]);
      const side = sideOfTrack(track);
      const siteId = rng.weighted(SITE_SHARE);
      const female = track === 'victim' ? rng.chance(0.88) : track === 'perpetrator' ? rng.chance(0.1) : rng.chance(0.5);
      const gender = track !== 'child' && rng.chance(0.02) ? 'other' : female ? 'female' : 'male';
      const year = Number(localOf(clock).date.slice(0, 4));
      // Adults from 18 to about 60, most around 40; children from 4 to 17.
      const birthYear = track === 'child' ? year - rng.int(4, 17) : year - (18 + Math.round((rng.next() + rng.next() + rng.next()) * 14));

      // Who the caller is related to among the clients already known.
      const links: { client: SimClient; kind: 'partner' | 'former_partner' | 'parent_child' }[] = [];
      let parent: SimClient | null = null;
      if (track === 'perpetrator' && rng.chance(0.4)) {
        const partner = rng.pick([null, ...recentUnlinked(siteId, 'victim', 540 * DAY, true)]);
        if (partner) links.push({ client: partner, kind: rng.chance(0.5) ? 'partner' : 'former_partner' });
      } else if (track === 'victim' && rng.chance(0.1)) {
        const partner = rng.pick([null, ...recentUnlinked(siteId, 'perpetrator', 365 * DAY, false)]);
        if (partner) links.push({ client: partner, kind: rng.chance(0.4) ? 'partner' : 'former_partner' });
      } else if (track === 'child' && rng.chance(0.7)) {
        const parents = clients.filter(
          (candidate) =>
            candidate.siteId === siteId &&
            candidate.track === 'victim' &&
            candidate.childrenUnder18 > 0 &&
            !candidate.anonymous &&
            clock - candidate.registeredAt < 400 * DAY,
        );
        parent = parents.length > 0 ? rng.pick(parents) : null;
        if (parent) {
          links.push({ client: parent, kind: 'parent_child' });
          // The other parent, on the perpetrators' side, when known: the separation rule then covers the child too.
          for (const otherId of parent.linkedAcross) {
            const other = clients.find((candidate) => candidate.id === otherId);
            if (other && rng.chance(0.6)) links.push({ client: other, kind: 'parent_child' });
          }
        }
      }
      for (const link of links) {
        if (!(await findForLink(link.client, side))) throw new SeedDemoError('clients.findForLink did not find a client by its exact name');
      }

      const anonymous = track !== 'child' && links.length === 0 && rng.chance(track === 'victim' ? 0.1 : 0.08);
      const first =
        track === 'child'
          ? rng.pick(female ? words.GIRLS_FIRST_NAMES : words.BOYS_FIRST_NAMES)
          : rng.pick(female ? words.WOMEN_FIRST_NAMES : words.MEN_FIRST_NAMES);
      const surname = parent ? parent.surname : rng.pick(words.SURNAMES);
      const name = anonymous ? `Anonym ${first}` : `${first} ${surname}`;
      if (!anonymous && rng.chance(0.6)) {
        // Is the caller known already? A search by name before registering.
        await ok('clients.search', { side, query: `${first} ${surname}`.slice(0, rng.int(4, 8)) });
      }

      const referralSource = rng.weighted(REFERRALS[track]);
      const contactBy = referralSource === 'self' ? 'self' : referralSource === 'police' && rng.chance(0.7) ? 'outreach' : 'agency';
      const municipalityCode = rng.chance(0.03) ? 'other' : rng.weighted(municipalities.get(siteId) ?? [['other', 1]]);
      const childrenUnder18 = track === 'child' ? 0 : rng.chance(track === 'victim' ? 0.55 : 0.5) ? rng.int(1, 4) : 0;
      const swedish = rng.chance(0.82);
      const language = swedish ? 'svenska' : rng.weighted(words.LANGUAGES_OTHER_THAN_SWEDISH);
      const hasPhone = rng.chance(0.85);
      const routedToEtapp2 =
        referralSource === 'police' && track === 'victim' && gender === 'female' && childrenUnder18 > 0 && etapp2.has(municipalityCode);
      let outcome = rng.weighted(OUTCOMES[track]);
      // Etapp 2: the municipality's social secretary does the outreach; Utväg often sees her later.
      if (routedToEtapp2 && rng.chance(0.5)) outcome = 'referred';
      const referredTo = outcome === 'referred' ? (routedToEtapp2 ? 'Etapp 2-socialsekreterare i kommunen' : rng.pick(words.REFERRED_TO)) : '';
      const notes = words.REFERRAL_NOTES[referralSource];
      const input = {
        side,
        track,
        siteId,
        contactBy,
        referralSource,
        referralNote: notes && rng.chance(0.7) ? rng.pick(notes) : '',
        anonymous,
        name,
        personalNumber: !anonymous && rng.chance(track === 'child' ? 0.5 : 0.45) ? fictionalPersonalNumber(birthYear, female) : '',
        birthYear: anonymous && rng.chance(0.5) ? null : birthYear,
        gender,
        municipalityCode,
        language,
        interpreterNeeded: !swedish && language !== 'engelska' && rng.chance(0.6),
        safeContact: {
          phone: hasPhone ? fictionalPhone() : '',
          safeToCall: hasPhone && rng.chance(0.7),
          safeToText: hasPhone && rng.chance(0.5),
          safeVoicemail: hasPhone && rng.chance(0.2),
          safeTimes: track !== 'perpetrator' && rng.chance(0.4) ? rng.pick(words.SAFE_TIMES) : '',
          codeWord: track === 'victim' && rng.chance(0.2) ? rng.pick(words.CODE_WORDS) : '',
          instructions: track === 'victim' && rng.chance(0.3) ? rng.pick(words.CONTACT_INSTRUCTIONS) : '',
        },
        address: !anonymous && rng.chance(0.5) ? `${rng.pick(words.STREETS)} ${rng.int(1, 60)}` : '',
        protectedIdentity: track !== 'perpetrator' && rng.chance(0.04),
        childrenUnder18,
        links: links.map((link) => ({ clientId: link.client.id, kind: link.kind })),
        urgency: rng.weighted([
          ['acute', 8],
          ['high', 25],
          ['normal', 67],
        ]),
        reason: rng.pick(words.INTAKE_REASONS[track]),
        outcome,
        referredTo,
        booking: null as null | ReturnType<typeof bookingRequest>,
      };

      const client: SimClient = {
        id: '',
        track,
        side,
        siteId,
        name,
        surname,
        female,
        childrenUnder18,
        anonymous,
        registeredAt: clock,
        therapist: null,
        linkedAcross: new Set(links.filter((link) => sideOfTrack(link.client.track) !== side).map((link) => link.client.id)),
        hasPerpetratorLink: links.some((link) => link.client.track === 'perpetrator'),
        sessionsLeft: 0,
        intervalDays: 7,
        preferredStart: null,
        missedInARow: 0,
        inGroup: false,
        everInGroup: false,
        finished: false,
        appointments: [],
        careWith: new Set(),
        visits: 0,
      };

      // Filled in by whichever registration the router accepts.
      const registered: { value: { clientId: string; appointment: AppointmentView | null } | null } = { value: null };
      if (outcome === 'booked') {
        // A first call back by phone within days, or a first visit within a week or two.
        const kind = anonymous || contactBy === 'outreach' || rng.chance(0.4) ? 'first_call' : 'first_visit';
        const therapist = assignTherapist(client);
        const minutes = kind === 'first_call' ? DURATIONS.first_call : DURATIONS.first_visit[track];
        const soon = input.urgency === 'acute' ? 1 : kind === 'first_call' ? rng.int(1, 5) : rng.int(4, 14);
        const starts = [...(track === 'child' ? CHILD_STARTS : DAY_STARTS)];
        starts.push(...starts.splice(0, rng.int(0, starts.length - 1)));
        const view = await tryTimes(
          therapist,
          localOf(clock).date,
          dayOffsetsAround(soon, 4),
          starts,
          minutes,
          kind !== 'first_call',
          async (slot) => {
            input.booking = bookingRequest(kind, therapist, slot, minutes);
            const result = await call<{ clientId: string; appointment: AppointmentView }>('intake.register', input);
            if (result.ok) registered.value = result.value;
            return result;
          },
        );
        if (!view) {
          // No time fits now: the caller goes on the waiting list instead.
          input.outcome = 'waiting_list';
          input.booking = null;
        }
      }
      const saved = registered.value ?? (await ok<{ clientId: string; appointment: AppointmentView | null }>('intake.register', input));
      client.id = saved.clientId;
      clients.push(client);
      for (const link of links) {
        if (sideOfTrack(link.client.track) !== side) link.client.linkedAcross.add(client.id);
        if (track === 'perpetrator') link.client.hasPerpetratorLink = true;
      }
      if (saved.appointment) {
        await ensureCare(client, client.therapist!);
        lifecycle(remember(saved.appointment, client, null));
      } else if (input.outcome === 'waiting_list') {
        const wait = input.urgency === 'acute' ? rng.int(1, 4) : input.urgency === 'high' ? rng.int(7, 28) : rng.int(21, 112);
        at(clock + wait * DAY + rng.int(1, 6) * HOUR, () => fromWaitingList(client));
      } else finish(client);
      if (track === 'perpetrator' && links.length === 0 && !anonymous && rng.chance(0.12)) {
        at(clock + rng.int(14, 56) * DAY, () => lateLink(client));
      }
    };

    const bookingRequest = (kind: 'first_call' | 'first_visit', therapist: Therapist, slot: SlotTry, minutes: number) => ({
      kind,
      siteId: therapist.siteId,
      therapistId: therapist.id,
      roomId: slot.roomId,
      date: slot.date,
      start: slot.start,
      durationMinutes: minutes,
    });

    const fromWaitingList = async (client: SimClient) => {
      if (client.finished) return;
      // During office hours only: the receptionist calls the next person on the list.
      const local = localOf(clock);
      if (!isWorkingDay(local.date) || minutesOfDay(local.time) < 8 * 60 || minutesOfDay(local.time) > 16 * 60) {
        at(nextOfficeHour(clock), () => fromWaitingList(client));
        return;
      }
      await ok('clients.get', { side: client.side, clientId: client.id });
      const booked = await bookClient(client, rng.chance(0.3) ? 'first_call' : 'first_visit', rng.int(2, 10));
      if (!booked) at(clock + 7 * DAY, () => fromWaitingList(client));
    };

    const nextOfficeHour = (from: number) => {
      let date = localOf(from).date;
      if (localOf(from).time >= '08:00') date = addLocalDays(date, 1);
      while (!isWorkingDay(date)) date = addLocalDays(date, 1);
      return instant(date, timeOfMinutes(8 * 60 + rng.int(0, 420)));
    };

    /** Appointments of two clients at the same site within the buffer of each other, from `from` on. */
    const clashes = (a: SimClient, b: SimClient, from: number) => {
      const live = (client: SimClient) => client.appointments.filter((x) => x.status !== 'cancelled' && x.end > from);
      const found: [SimAppointment, SimAppointment][] = [];
      for (const x of live(a))
        for (const y of live(b)) if (x.siteId === y.siteId && x.start < y.end + buffer && y.start < x.end + buffer) found.push([x, y]);
      return found;
    };

    /**
     * A link learnt later (a probation officer names the partner): recorded with clients.link; any
     * clash it reveals with booked times is reported, and the receptionist moves the man's appointment.
     */
    const lateLink = async (perpetrator: SimClient) => {
      if (perpetrator.everInGroup || perpetrator.linkedAcross.size > 0) return;
      const candidates = recentUnlinked(perpetrator.siteId, 'victim', 365 * DAY, true).filter((victim) => !victim.everInGroup);
      if (candidates.length === 0) return;
      const victim = rng.pick(candidates);
      // The past cannot be rebooked: only a pair without earlier clashes is linked in the demo.
      if (clashes(perpetrator, victim, 0).some(([x, y]) => Math.max(x.start, y.start) < clock)) return;
      if (!(await findForLink(victim, 'perpetrators'))) throw new SeedDemoError('clients.findForLink did not find a client by its exact name');
      const linked = await ok<{ conflicts: unknown[] }>('clients.link', {
        side: 'perpetrators',
        clientId: perpetrator.id,
        otherClientId: victim.id,
        kind: 'former_partner',
      });
      perpetrator.linkedAcross.add(victim.id);
      victim.linkedAcross.add(perpetrator.id);
      victim.hasPerpetratorLink = true;
      const found = clashes(perpetrator, victim, clock);
      // The desk is told only the man's appointments that must move, each once.
      if (new Set(found.map(([his]) => his)).size !== linked.conflicts.length) linkConflictMismatches += 1;
      for (const [x, y] of found) {
        const his = x.client === perpetrator ? x : y;
        if (his.status !== 'cancelled') await cancelAndRebook(his, 'Krock med annan tid');
      }
    };

    /** A professional from a collaborating agency books a consultation about a case (no client). */
    const consultation = async (siteId: string) => {
      const therapist = rng.pick(therapists.filter((t) => t.siteId === siteId));
      const side = therapist.tracks.includes('perpetrator') ? 'perpetrators' : 'victims';
      const starts = [...DAY_STARTS];
      starts.push(...starts.splice(0, rng.int(0, starts.length - 1)));
      const view = await tryTimes(therapist, localOf(clock).date, dayOffsetsAround(rng.int(2, 8), 3), starts, DURATIONS.consultation, true, (slot) =>
        call('appointments.book', bookingInput(null, side, 'consultation', therapist, DURATIONS.consultation, slot, 'Konsultation')),
      );
      if (view) lifecycle(remember(view, null, null));
    };

    // ---- Day by day -------------------------------------------------------------------------------

    // New clients arrive at about the same rate all year except in summer and at Christmas.
    const seasonal = (date: string) => {
      const month = Number(date.slice(5, 7));
      return month === 7 ? 0.35 : month === 12 || month === 8 ? 0.8 : month === 1 || month === 9 ? 1.15 : 1;
    };
    let weights = 0;
    for (let date = fromDate; date <= untilDate; date = addLocalDays(date, 1)) if (isWorkingDay(date)) weights += seasonal(date);
    const days = Math.round((Date.parse(untilDate) - Date.parse(fromDate)) / DAY) + 1;
    const perWeight = (NEW_CLIENTS_PER_YEAR * (days / 365.25)) / weights;

    const terms = (year: number) => {
      // Groups start in the second week of February and of September.
      const mondayOfWeek = (date: string) => {
        let day = date;
        while (weekdayOf(day) !== 1) day = addLocalDays(day, 1);
        return addLocalDays(day, 7);
      };
      return [mondayOfWeek(`${year}-02-01`), mondayOfWeek(`${year}-09-01`)];
    };

    let adminReviewedMonth = '';
    const day = async (date: string) => {
      if (date.slice(5) === '01-02') progress(`  ${date.slice(0, 4)}…`);
      if (isWorkingDay(date)) {
        // Morning at the desk: today's board and the week for each side at each unit, and on Mondays the waiting lists.
        let monday = date;
        while (weekdayOf(monday) !== 1) monday = addLocalDays(monday, -1);
        for (const siteId of sites) {
          for (const side of ['victims', 'perpetrators'] as const) {
            await ok('schedule.today', { side, siteId, date });
            await ok('schedule.range', { side, siteId, from: monday, days: 7, therapistId: null, roomId: null });
          }
        }
        for (const therapist of therapists) therapistDay(therapist, date);
        if (adminReviewedMonth !== date.slice(0, 7)) {
          adminReviewedMonth = date.slice(0, 7);
          at(instant(date, timeOfMinutes(9 * 60 + rng.int(0, 120))), () => adminMonth(date));
        }
        if (rng.chance(0.06)) at(instant(date, timeOfMinutes(9 * 60 + rng.int(0, 360))), emergencyAccess);
        if (weekdayOf(date) === 1) {
          for (const side of ['victims', 'perpetrators'] as const) await ok('waitingList.list', { side });
          for (const siteId of sites) at(instant(date, timeOfMinutes(8 * 60 + rng.int(30, 420))), () => consultation(siteId));
        }
        const arrivals = rng.poisson(perWeight * seasonal(date));
        for (let i = 0; i < arrivals; i += 1) at(instant(date, timeOfMinutes(8 * 60 + rng.int(0, 8 * 60))), firstCall);
      }
      // Groups are put together four weeks before they start.
      const year = Number(date.slice(0, 4));
      for (const [index, termStart] of terms(year).entries()) {
        if (addLocalDays(termStart, -28) !== date) continue;
        for (const siteId of sites) {
          for (const track of ['victim', 'perpetrator', 'child'] as const) {
            // One children's group a year at each unit, in alternate terms.
            if (track === 'child' && index !== (siteId === 'skaraborg' ? 1 : 0)) continue;
            const weekday = GROUP_PLAN[track].weekday;
            let firstDate = termStart;
            while (weekdayOf(firstDate) !== weekday) firstDate = addLocalDays(firstDate, 1);
            at(instant(date, '10:00'), () => startGroup(siteId, track, firstDate));
          }
        }
      }
    };

    progress(`Seeding ${options.years} year(s) of fictional practice, ${fromDate} to ${untilDate}, seed ${seed}`);
    for (let date = fromDate; date <= untilDate; date = addLocalDays(date, 1)) {
      const dayStart = instant(date, '07:45');
      const when = date;
      agenda.push(dayStart, () => day(when));
    }
    // One simulated day is one commit: each router call still runs in its own transaction, which
    // better-sqlite3 nests as a savepoint inside the day's (a refused call is rolled back alone, its
    // access-log rows with it); only the disk write waits for the end of the day. Committing 80,000
    // calls one by one with synchronous = FULL would spend most of the seed waiting for the disk.
    const db = app.db;
    let dayEnds = -Infinity;
    try {
      while (agenda.size > 0 && agenda.peek()!.at <= until) {
        const event = agenda.pop()!;
        if (event.at >= dayEnds) {
          if (db.inTransaction) db.exec('COMMIT');
          db.exec('BEGIN IMMEDIATE');
          dayEnds = instant(addLocalDays(localOf(event.at).date, 1), '00:00');
        }
        clock = Math.max(clock, event.at);
        await event.run();
      }
      if (db.inTransaction) db.exec('COMMIT');
    } finally {
      // A failure mid-day loses that day only; every earlier day is committed.
      if (db.open && db.inTransaction) db.exec('ROLLBACK');
    }
    clock = Math.max(clock, until);

    // ---- The contact-person network: the agencies' contact persons and the network days they came to.
    // Drawn last, so that it leaves the simulated practice above exactly as it was for the same seed.
    seedContactNetwork(db, { count: 55, random: () => rng.next(), by: adminUser.id, now: new Date(clock), years: Math.min(options.years, 5) });

    // ---- Summary (counts only: no names, no numbers) -----------------------------------------------
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const grouped = (sql: string) => Object.fromEntries((db.prepare(sql).all() as { key: string; n: number }[]).map((row) => [row.key, row.n]));
    const counts = Object.fromEntries(COUNTED_TABLES.map((table) => [table, count(`SELECT count(*) AS n FROM ${table}`)]));
    counts.waiting_list_open = count('SELECT count(*) AS n FROM waiting_list WHERE removed_at IS NULL');
    if (linkConflictMismatches > 0) app.log.warn('seed.link_conflict_mismatch', { count: linkConflictMismatches });
    return {
      createdJournal: recoveryCode !== null,
      recoveryCode,
      seed,
      from: fromDate,
      until: new Date(until).toISOString(),
      seconds: Math.round((performance.now() - started) / 100) / 10,
      routerCalls,
      refusals,
      gaveUp,
      counts,
      appointmentsByStatus: grouped('SELECT status AS key, count(*) AS n FROM appointments GROUP BY status ORDER BY status'),
      clientsByTrack: grouped('SELECT track AS key, count(*) AS n FROM clients GROUP BY track ORDER BY track'),
      intakeRouting: grouped('SELECT routing AS key, count(*) AS n FROM intakes GROUP BY routing ORDER BY routing'),
      journalEntries: grouped(
        `SELECT CASE WHEN amends_id IS NOT NULL THEN 'amendment' ELSE status END AS key, count(*) AS n FROM journal_entries GROUP BY key ORDER BY key`,
      ),
      receptionist: { username: receptionistUsername, displayName: receptionistName },
      therapists: therapists.map((t) => ({
        username: t.username,
        displayName: t.displayName,
        siteId: t.siteId,
        tracks: t.tracks,
        temporaryPassword: t.temporaryPassword,
      })),
    };
  } finally {
    app.lock('shutdown');
  }
}

/** The summary as the CLI prints it: counts and time, the demo accounts' usernames, never a password. */
export function formatSeedSummary(summary: SeedDemoSummary, dataDir: string): string[] {
  const lines = [
    `Seeded a fictional practice in ${dataDir}: ${summary.from} to ${summary.until.slice(0, 10)} (seed ${summary.seed}) in ${summary.seconds} s`,
    `  ${summary.routerCalls} calls through the router; bookings refused and tried again: ${summary.refusals.separation} by the separation rule (on the perpetrators' side: any refused time, whose cause is not told), ${summary.refusals.other} for other conflicts; given up: ${summary.gaveUp}`,
    '',
    'Rows per table:',
    ...Object.entries(summary.counts).map(([table, n]) => `  ${table.padEnd(20)} ${String(n).padStart(8)}`),
    '',
    `Clients by track:        ${Object.entries(summary.clientsByTrack)
      .map(([key, n]) => `${key} ${n}`)
      .join(', ')}`,
    `Appointments by status:  ${Object.entries(summary.appointmentsByStatus)
      .map(([key, n]) => `${key} ${n}`)
      .join(', ')}`,
    `Intake routing:          ${Object.entries(summary.intakeRouting)
      .map(([key, n]) => `${key} ${n}`)
      .join(', ')}`,
    `Journal entries:         ${Object.entries(summary.journalEntries)
      .map(([key, n]) => `${key} ${n}`)
      .join(', ')}`,
    '',
    `Demo receptionist: ${summary.receptionist.username} (signs in with the same password as the admin).`,
    `Demo therapists (temporary passwords, not shown): ${summary.therapists.map((t) => t.username).join(', ')}`,
  ];
  return lines;
}
