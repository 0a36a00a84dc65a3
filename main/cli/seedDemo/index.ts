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
 *
 * The parts: this file signs in and staffs the units, then hands one shared state (context.ts) to
 * journal.ts (care and the journal), schedule.ts (booking and an appointment's life), groups.ts,
 * intake.ts (first calls, the waiting list, late links) and days.ts (the day-by-day loop).
 */
import { performance } from 'node:perf_hooks';
import { sql, type RawBuilder } from 'kysely';
import type { AppError, OrgView, Result, SessionUser, Track } from '../../../preload/contract/index.js';
import { silentLogger } from '../../log.js';
import { type Router, createRouter } from '../../router.js';
import { seedContactNetwork } from '../../services/contacts.js';
import { JournalApp } from '../../services/session/index.js';
import { addLocalDays, timeOfMinutes, weekdayOf } from '../../services/time.js';
import * as words from '../demoNames.js';
import { MINUTE, instant, localOf } from './calendar.js';
import type { SeedBase } from './context.js';
import { playDays } from './days.js';
import { colleagueDesk } from './desk.js';
import { groupWork } from './groups.js';
import { type Sim, intakeWork } from './intake.js';
import { journalWork } from './journal.js';
import { Agenda, type SimClient, type SimGroup, type Therapist } from './model.js';
import { SeedDemoError, type SeedDemoOptions, type SeedDemoSummary } from './options.js';
import { COUNTED_TABLES, DEFAULT_ADMIN, STAFFING } from './plan.js';
import { DemoRandom } from './random.js';
import { type GroupsLater, scheduleWork } from './schedule.js';

export { DemoRandom } from './random.js';
export { isWorkingDay } from './calendar.js';
export { SEED_DEMO_VERSION, SeedDemoError, type SeedDemoOptions, type SeedDemoSummary } from './options.js';
export { formatSeedSummary } from './summary.js';

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
    const etapp2Children = new Set(org.municipalities.filter((municipality) => municipality.etapp2Children).map((municipality) => municipality.code));

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

    // The simulation's state as the parts see it; the clock and the counters stay here, read and moved through it.
    const base: SeedBase = {
      get clock() {
        return clock;
      },
      set clock(value: number) {
        clock = value;
      },
      get gaveUp() {
        return gaveUp;
      },
      set gaveUp(value: number) {
        gaveUp = value;
      },
      get linkConflictMismatches() {
        return linkConflictMismatches;
      },
      set linkConflictMismatches(value: number) {
        linkConflictMismatches = value;
      },
      options,
      seed,
      rng,
      until,
      untilDate,
      fromDate,
      app,
      router,
      progress,
      refusals,
      call,
      explain,
      ok,
      isRefusal,
      countRefusal,
      adminUser,
      adminDesk,
      therapists,
      sites,
      roomsOf,
      municipalities,
      etapp2,
      etapp2Children,
      buffer,
      agenda,
      at,
      clients,
      usedPersonalNumbers,
      groups,
      groupQueue,
      queueKey,
      therapistsFor,
      assignTherapist,
    };
    // Object.assign keeps the accessors above: each part sees the same clock.
    const withJournal = Object.assign(base, journalWork(base));
    const groupsLater = {} as GroupsLater;
    const withSchedule = Object.assign(withJournal, scheduleWork(withJournal, groupsLater));
    const withGroups = Object.assign(withSchedule, groupWork(withSchedule));
    groupsLater.joinGroupOrQueue = withGroups.joinGroupOrQueue;
    const sim: Sim = Object.assign(withGroups, intakeWork(withGroups));
    await playDays(sim);

    // ---- The contact-person network: the agencies' contact persons and the network days they came to.
    // Drawn last, so that it leaves the simulated practice above exactly as it was for the same seed.
    await app.store.transaction((tx) =>
      seedContactNetwork(tx, { count: 55, random: () => rng.next(), by: adminUser.id, now: new Date(clock), years: Math.min(options.years, 5) }),
    );

    // ---- Summary (counts only: no names, no numbers) -----------------------------------------------
    const tally = await app.store.transaction(
      async (tx) => {
        const count = async (query: RawBuilder<{ n: number }>) => (await query.execute(tx)).rows[0]!.n;
        const grouped = async (query: RawBuilder<{ key: string; n: number }>) =>
          Object.fromEntries((await query.execute(tx)).rows.map((row) => [row.key, row.n]));
        const counts: Record<string, number> = {};
        for (const table of COUNTED_TABLES) counts[table] = await count(sql`SELECT count(*) AS n FROM ${sql.table(table)}`);
        counts.waiting_list_open = await count(sql`SELECT count(*) AS n FROM waiting_list WHERE removed_at IS NULL`);
        return {
          counts,
          appointmentsByStatus: await grouped(sql`SELECT status AS key, count(*) AS n FROM appointments GROUP BY status ORDER BY status`),
          clientsByTrack: await grouped(sql`SELECT track AS key, count(*) AS n FROM clients GROUP BY track ORDER BY track`),
          intakeRouting: await grouped(sql`SELECT routing AS key, count(*) AS n FROM intakes GROUP BY routing ORDER BY routing`),
          journalEntries: await grouped(
            sql`SELECT CASE WHEN amends_id IS NOT NULL THEN 'amendment' ELSE status END AS key, count(*) AS n FROM journal_entries GROUP BY key ORDER BY key`,
          ),
        };
      },
      { readOnly: true },
    );
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
      ...tally,
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
