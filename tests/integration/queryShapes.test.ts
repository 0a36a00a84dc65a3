import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { appendLogRow, type AccessLogFilter } from '../../db/accessLog.js';
import { logRowsMatching, markReviewed, searchLog } from '../../db/accessLog/queries.js';
import * as schedulingRepo from '../../db/appointments/index.js';
import { bookingReads } from '../../db/appointments/bookingReads.js';
import { contentDigest } from '../../db/backup.js';
import * as clientsRepo from '../../db/clients/index.js';
import * as intakesRepo from '../../db/intakes/index.js';
import type { Db } from '../../db/connection.js';
import type { Store, Tx } from '../../db/engine/store.js';
import { listTherapists } from '../../db/org/index.js';
import { setUpWithAdmin } from '../helpers/app.js';
import { useTempDirs } from '../helpers/tempDir.js';

/**
 * The queries reshaped so that the ten-year journal is read through its indexes (see `npm run bench`)
 * must answer exactly what they answered before: here against the plain meaning of each filter.
 */
const tempDir = useTempDirs();

async function journal(): Promise<{ db: Db; store: Store; adminId: string; close(): void }> {
  const t = await setUpWithAdmin(tempDir());
  const adminId = t.app.user!.id;
  return { db: t.app.db, store: t.app.store, adminId, close: () => t.app.lock('shutdown') };
}

/** How SQLite plans every SELECT that work runs in one transaction: the SQL the repositories run, caught on the driver's statements with its values. */
async function selectPlans(db: Db, store: Store, work: (tx: Tx) => Promise<unknown>): Promise<{ sql: string; plan: string[] }[]> {
  type Method = 'all' | 'get' | 'run' | 'iterate';
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<Method, (...args: unknown[]) => unknown>;
  const originals = { all: proto.all, get: proto.get, run: proto.run, iterate: proto.iterate };
  const caught: { sql: string; params: unknown[] }[] = [];
  for (const method of Object.keys(originals) as Method[]) {
    proto[method] = function caughtRun(this: { source: string }, ...args: unknown[]) {
      caught.push({ sql: this.source, params: args });
      return originals[method].apply(this, args);
    };
  }
  try {
    await store.transaction(work);
  } finally {
    Object.assign(proto, originals);
  }
  return caught
    .filter((run) => /^select/i.test(run.sql))
    .map((run) => ({
      sql: run.sql,
      plan: (db.prepare(`EXPLAIN QUERY PLAN ${run.sql}`).all(...(run.params as never[])) as { detail: string }[]).map((row) => row.detail),
    }));
}

describe('the access-log search reads only the rows its filters name', () => {
  it("reads a client's or a user's rows through their index, never the whole log", async () => {
    const { db, store, close } = await journal();
    const none: AccessLogFilter = { userId: null, clientId: null, from: null, to: null, action: null, emergencyOnly: false, unreviewedOnly: false };
    for (const [filter, index] of [
      [{ ...none, clientId: 'someone' }, 'access_log_client'],
      [{ ...none, userId: 'someone', from: '2026-01-20T00:00:00.000Z' }, 'access_log_user'],
    ] as const) {
      const runs = [
        ...(await selectPlans(db, store, (tx) => searchLog(tx, filter, 50, 0))),
        ...(await selectPlans(db, store, (tx) => logRowsMatching(tx, filter))),
      ];
      // The page, its count and the export.
      expect(runs).toHaveLength(3);
      for (const { sql, plan } of runs) {
        expect({ sql, scans: plan.filter((line) => /^SCAN l\b/.test(line)) }).toEqual({ sql, scans: [] });
        expect(plan.join('\n'), sql).toMatch(new RegExp(`SEARCH l USING (COVERING )?INDEX ${index} `));
      }
    }
    close();
  });

  it('answers every filter, alone and combined, exactly as the filter reads', async () => {
    const { db, store, adminId, close } = await journal();
    const users = [adminId, randomUUID(), randomUUID()];
    const clients = [randomUUID(), randomUUID(), randomUUID(), null];
    const actions = ['journal.open', 'clients.get', 'schedule.range'];
    const rows: { seq: number; at: string; userId: string | null; clientId: string | null; action: string; emergency: boolean; reviewed: boolean }[] =
      [];
    // The rows setting up the journal wrote (the admin's setup and sign-in) are part of what every filter reads.
    for (const row of db
      .prepare('SELECT seq, at, user_id AS userId, client_id AS clientId, action, emergency FROM access_log ORDER BY seq')
      .all() as {
      seq: number;
      at: string;
      userId: string | null;
      clientId: string | null;
      action: string;
      emergency: number;
    }[])
      rows.push({ ...row, emergency: row.emergency === 1, reviewed: false });
    await store.transaction(async (tx) => {
      for (let i = 0; i < 240; i += 1) {
        const row = {
          at: new Date(Date.UTC(2026, 0, 1) + i * 6 * 3_600_000).toISOString(),
          userId: users[i % 3]!,
          clientId: clients[i % 4] ?? null,
          action: actions[i % 5 === 0 ? 0 : ((i % 3) as 0 | 1 | 2)]!,
          emergency: i % 7 === 0,
        };
        const seq = await appendLogRow(tx, {
          ...row,
          record: 'test',
          channel: row.action,
          reason: row.emergency ? 'Akut behov, ordinarie behandlare borta' : null,
        });
        const reviewed = row.emergency && i % 2 === 0;
        if (reviewed) await markReviewed(tx, seq, adminId, row.at, null);
        rows.push({ seq, ...row, reviewed });
      }
    });
    const none: AccessLogFilter = { userId: null, clientId: null, from: null, to: null, action: null, emergencyOnly: false, unreviewedOnly: false };
    const filters: AccessLogFilter[] = [
      none,
      { ...none, userId: users[1]! },
      { ...none, clientId: clients[2]! },
      { ...none, from: '2026-01-20T00:00:00.000Z' },
      { ...none, to: '2026-02-10T00:00:00.000Z' },
      { ...none, from: '2026-01-20T00:00:00.000Z', to: '2026-02-10T00:00:00.000Z', userId: users[0]! },
      { ...none, action: 'journal.open' },
      { ...none, emergencyOnly: true },
      { ...none, unreviewedOnly: true },
      { ...none, clientId: clients[0]!, emergencyOnly: true, action: 'journal.open' },
      { ...none, userId: randomUUID() },
    ];
    for (const filter of filters) {
      const expected = rows
        .filter(
          (row) =>
            (filter.userId === null || row.userId === filter.userId) &&
            (filter.clientId === null || row.clientId === filter.clientId) &&
            (filter.from === null || row.at >= filter.from) &&
            (filter.to === null || row.at < filter.to) &&
            (filter.action === null || row.action === filter.action) &&
            (!filter.emergencyOnly || row.emergency) &&
            (!filter.unreviewedOnly || (row.emergency && !row.reviewed)),
        )
        .map((row) => row.seq);
      const { page, all } = await store.transaction(async (tx) => ({
        page: await searchLog(tx, filter, 50, 0),
        all: await logRowsMatching(tx, filter),
      }));
      expect(page.total).toBe(expected.length);
      expect(page.rows.map((row) => row.seq)).toEqual([...expected].reverse().slice(0, 50));
      expect(all.map((row) => row.seq)).toEqual(expected);
    }
    close();
  });
});

describe("a client's live appointments, their own and their groups'", () => {
  it('finds each appointment once, within the window and the membership, never a cancelled one', async () => {
    const { store, adminId, close } = await journal();
    const at = (day: number, hour: number) => new Date(Date.UTC(2026, 2, day, hour)).toISOString();
    const write = (work: (tx: Tx) => Promise<void>) => store.transaction(work);
    const client = async (name: string) => {
      const id = randomUUID();
      await write((tx) =>
        clientsRepo.insertClient(tx, {
          id,
          track: 'victim',
          name,
          isAlias: false,
          personalNumber: null,
          birthYear: 1990,
          protectedIdentity: false,
          createdAt: at(1, 8),
          createdBy: adminId,
        }),
      );
      return id;
    };
    const [anna, berit, cilla] = [await client('Anna Påhittsson'), await client('Berit Låtsasberg'), await client('Cilla Exempelström')];
    const groupId = randomUUID();
    await write(async (tx) => {
      await schedulingRepo.insertGroup(tx, {
        id: groupId,
        siteId: 'skaraborg',
        track: 'victim',
        name: 'Testgrupp',
        therapistId: adminId,
        roomId: null,
        createdAt: at(1, 8),
      });
      await schedulingRepo.addGroupMember(tx, groupId, anna, at(2, 0));
      await schedulingRepo.addGroupMember(tx, groupId, berit, at(2, 0));
      await schedulingRepo.endGroupMembership(tx, groupId, berit, at(12, 0));
    });
    const book = async (
      start: string,
      who: { clientId?: string; groupId?: string },
      status: 'booked' | 'cancelled' = 'booked',
      siteId = 'skaraborg',
    ) => {
      const id = randomUUID();
      await write((tx) =>
        schedulingRepo.insertAppointments(tx, [
          {
            id,
            siteId,
            side: 'victims',
            kind: who.groupId ? 'group' : 'individual',
            status,
            startsAt: start,
            endsAt: new Date(Date.parse(start) + 3_600_000).toISOString(),
            therapistId: adminId,
            roomId: null,
            clientId: who.clientId ?? null,
            groupId: who.groupId ?? null,
            note: null,
            cancelReason: status === 'cancelled' ? 'Test' : null,
            createdAt: at(1, 8),
            createdBy: adminId,
          },
        ]),
      );
      return id;
    };
    const own = await book(at(5, 9), { clientId: anna });
    const ownOtherSite = await book(at(6, 9), { clientId: anna }, 'booked', 'sodra-alvsborg');
    await book(at(7, 9), { clientId: anna }, 'cancelled');
    const bertsOwn = await book(at(5, 13), { clientId: berit });
    const session1 = await book(at(10, 13), { groupId });
    const session2 = await book(at(17, 13), { groupId });
    await book(at(24, 13), { groupId }, 'cancelled');
    await book(at(5, 9), { clientId: cilla });

    const ids = async (clients: string[], siteId: string | null, from: string, to: string) =>
      (await store.transaction((tx) => schedulingRepo.liveAppointmentsOfClients(tx, clients, siteId, from, to))).map((row) => row.id);
    // Both members of the group: its sessions once each, while each was a member.
    expect((await ids([anna, berit], null, at(1, 0), at(31, 0))).sort()).toEqual([own, ownOtherSite, bertsOwn, session1, session2].sort());
    // Berit left the group before its second session.
    expect((await ids([berit], null, at(1, 0), at(31, 0))).sort()).toEqual([bertsOwn, session1].sort());
    expect((await ids([anna], 'skaraborg', at(1, 0), at(31, 0))).sort()).toEqual([own, session1, session2].sort());
    // Overlap with the window, not just the start: an appointment running into it counts.
    expect(await ids([anna], null, new Date(Date.parse(at(5, 9)) + 1_800_000).toISOString(), at(5, 12))).toEqual([own]);
    expect(await ids([anna], null, at(5, 10), at(5, 12))).toEqual([]);
    expect(await ids([], null, at(1, 0), at(31, 0))).toEqual([]);
    close();
  });
});

describe("a client's record, links and lookups read through their indexes", () => {
  it('reads no table whole, and the later use of a number goes through the identity-number index', async () => {
    const t = await setUpWithAdmin(tempDir());
    const db = t.app.db;
    // The SQL each repository function runs, with its values, caught on the driver's statements.
    const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<'all' | 'get' | 'run', (...args: unknown[]) => unknown>;
    const originals = { all: proto.all, get: proto.get, run: proto.run };
    let caught: { sql: string; params: unknown[] }[] = [];
    for (const method of ['all', 'get', 'run'] as const) {
      proto[method] = function caughtRun(this: { source: string }, ...args: unknown[]) {
        caught.push({ sql: this.source, params: args });
        return originals[method].apply(this, args);
      };
    }
    const plansOf = async (work: (tx: Tx) => Promise<unknown>) => {
      caught = [];
      await t.app.store.transaction(work);
      const runs = caught.filter((run) => /^select/i.test(run.sql));
      caught = [];
      return runs.map((run) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${run.sql}`).all(...(run.params as never[])) as { detail: string }[]).map((row) => row.detail),
      );
    };
    try {
      const plans = {
        record: await plansOf((tx) => clientsRepo.findClientRecord(tx, 'someone')),
        links: await plansOf((tx) => clientsRepo.linksOf(tx, 'someone')),
        across: await plansOf((tx) => clientsRepo.linkedAcrossSides(tx, 'someone', 'victim')),
        exactly: await plansOf((tx) => clientsRepo.findClientsExactly(tx, { name: 'Anna Fiktiv', personalNumber: '19850412-1234' })),
        tracks: await plansOf((tx) => clientsRepo.tracksOfClients(tx, ['a', 'b'])),
        reuse: await plansOf((tx) => clientsRepo.perpetratorsSideReuseOf(tx, 'someone')),
        intakes: await plansOf((tx) => intakesRepo.intakesOf(tx, 'someone')),
        waiting: await plansOf((tx) => intakesRepo.openWaitingList(tx, ['victim', 'child'])),
        search: await plansOf((tx) =>
          clientsRepo.searchClients(tx, 'victims', { text: 'ann', digits: '1234' }, { seesAllProtected: false, therapistId: 'someone' }),
        ),
      };
      for (const [name, runs] of Object.entries(plans)) {
        expect(runs, name).toHaveLength(1);
        expect(
          runs[0]!.filter((line) => /^SCAN /.test(line)),
          name,
        ).toEqual([]);
      }
      for (const name of ['record', 'reuse'] as const)
        expect(plans[name][0], name).toContain('SEARCH o USING INDEX clients_personal_number (personal_number=?)');
      expect(plans.links[0]).toEqual(expect.arrayContaining(['MULTI-INDEX OR', 'SEARCH l USING INDEX client_links_b (client_b=?)']));
    } finally {
      Object.assign(proto, originals);
      t.app.lock('shutdown');
    }
  });
});

describe("scheduling's reads go through their indexes", () => {
  /** Records every statement the connection runs from now on, with its values, to ask SQLite how it plans each. */
  function recordStatements(db: Db): { seen: { sql: string; params: unknown[] }[]; stop(): void } {
    const seen: { sql: string; params: unknown[] }[] = [];
    const prepare = db.prepare.bind(db);
    const stop = () => void (db.prepare = prepare);
    db.prepare = ((source: string) => {
      const statement = prepare(source) as unknown as Record<string, (...args: unknown[]) => unknown>;
      for (const method of ['all', 'get', 'run', 'iterate']) {
        const original = statement[method]!.bind(statement);
        statement[method] = (...params: unknown[]) => {
          seen.push({ sql: source, params });
          return original(...params);
        };
      }
      return statement;
    }) as unknown as Db['prepare'];
    return { seen, stop };
  }

  it('a booking, a slot search and a group read appointments, members, links and clients by index, never by scanning them', async () => {
    const t = await setUpWithAdmin(tempDir());
    const db = t.app.db;
    const adminId = t.app.user!.id;
    const recording = recordStatements(db);
    const from = '2031-03-03T06:00:00.000Z';
    const to = '2031-03-03T16:00:00.000Z';
    const clientIds = [randomUUID(), randomUUID()];
    await t.app.store.transaction(async (tx) => {
      await schedulingRepo.bookedAround(tx, { siteId: 'skaraborg', therapistIds: [adminId, randomUUID()], clientIds, windows: [{ from, to }] });
      await schedulingRepo.bookedAround(tx, {
        siteId: 'skaraborg',
        therapistIds: [adminId],
        clientIds,
        windows: [
          { from, to },
          { from: '2031-03-10T06:00:00.000Z', to: '2031-03-10T16:00:00.000Z' },
        ],
      });
      await schedulingRepo.linkedAcrossSides(tx, clientIds, ['perpetrator']);
      await schedulingRepo.clientsForScheduling(tx, clientIds);
      await schedulingRepo.appointmentsOfSide(tx, { side: 'victims', siteId: 'skaraborg', from, to, therapistId: null, roomId: null });
      await schedulingRepo.groupWithMembersAt(tx, randomUUID(), from);
      await schedulingRepo.groupWithSessions(tx, randomUUID(), from);
      await schedulingRepo.currentMembers(tx, [randomUUID()]);
      await schedulingRepo.sessionsOfGroups(tx, [randomUUID()], from);
      await listTherapists(tx, { ids: [adminId] });
      // All of a booking's reads in one statement: each part through its index as on its own.
      await bookingReads(tx, { siteId: 'skaraborg', clientIds, therapistIds: [adminId], attendees: clientIds, windows: [{ from, to }] });
    });
    recording.stop();
    const seen = recording.seen.filter(({ sql }) => /^select/i.test(sql));
    expect(seen.length).toBeGreaterThanOrEqual(11);
    // A search by track reads every client of the track: as good as a scan.
    const scanned = /^SCAN (a|m|l|o|c|g|appointments|group_members|client_links|clients|groups)\b|INDEX clients_track\b/;
    for (const { sql, params } of seen) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail);
      expect({ sql, scans: plan.filter((detail) => scanned.test(detail)) }).toEqual({ sql, scans: [] });
    }
    t.app.lock('shutdown');
  });
});

describe('the backup checksum', () => {
  it('is the same whether SQLite writes the canonical lines (STRICT tables) or JavaScript does (other tables)', () => {
    // The same rows in a STRICT table and in a plain one: the first goes the SQL way, the second value by value.
    const digestOf = (strict: boolean) => {
      const db = new Database(':memory:');
      db.exec(`CREATE TABLE t (a INTEGER, b TEXT, c BLOB, d INT)${strict ? ' STRICT' : ''}`);
      const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?)').safeIntegers(true);
      insert.run(null, null, null, null);
      insert.run(-5n, '', Buffer.alloc(0), 0n);
      insert.run(
        9_223_372_036_854_775_807n,
        'Åsa Påhittsson 😀 — tab\there, NUL \u0000 and more',
        Buffer.from([0, 255, 16]),
        -9_223_372_036_854_775_808n,
      );
      insert.run(42n, 'x'.repeat(20_000), Buffer.from('hej'), 1n);
      const digest = contentDigest(db, 'main', 'utvag-rows-sha256/1');
      db.close();
      return digest;
    };
    const sql = digestOf(true);
    expect(sql).toEqual(digestOf(false));
    expect(sql.counts).toEqual({ t: 4 });
  });
});
