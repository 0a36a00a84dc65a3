import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appendLogRow,
  appendLogRows,
  GENESIS_HASH,
  hashAccessLogRow,
  LOG_ROWS_PER_INSERT,
  type AccessLogEntry,
  type AccessLogFilter,
} from '../../../db/accessLog.js';
import { clientLogRows, findLogRow, logRowsMatching, markReviewed, searchLog, verifyLogChain } from '../../../db/accessLog/queries.js';
import { sql } from 'kysely';
import type { Role } from '../../../db/engine/schema.js';
import type { Store, Tx } from '../../../db/engine/store.js';
import { actingAs, type ActingStore } from './engines.js';
import { useTempDirs } from '../../helpers/tempDir.js';
import { addClient, addUser, AT, postgresJournals, SITE, sqliteJournal, type OpenStore } from './journalSeed.js';

const tempDir = useTempDirs();

const NO_FILTER: AccessLogFilter = { userId: null, clientId: null, from: null, to: null, action: null, emergencyOnly: false, unreviewedOnly: false };

function logEntry(overrides: Partial<AccessLogEntry> = {}): AccessLogEntry {
  return {
    at: AT,
    userId: null,
    clientId: null,
    record: 'test',
    action: 'journal.open',
    channel: 'journal.open',
    emergency: false,
    reason: null,
    ...overrides,
  };
}

/** A row inserted as it stands, chain or no chain: what a tampering hand could leave. */
async function insertRaw(tx: Tx, seq: number, prevHash: string, hash: string): Promise<void> {
  await tx
    .insertInto('access_log')
    .values({
      seq,
      at: AT,
      user_id: null,
      client_id: null,
      record: 'x',
      action: 'x',
      channel: 'x',
      emergency: 0,
      reason: null,
      prev_hash: prevHash,
      hash,
    })
    .execute();
}

function contract(open: OpenStore): void {
  let store: Store;
  let seed: Store;
  let close: () => Promise<void>;
  /** Reads the log as admins do (access-log channels); an admin writes rows in her own name. */
  let admin: string;
  let asAdmin: ActingStore;
  /** The role each seeded user's calls run as. */
  const roles = new Map<string, Role>();
  beforeEach(async () => {
    ({ store, seed, close } = await open());
    roles.clear();
    admin = await seed.transaction((tx) => addUser(tx, { roles: ['admin'], name: 'Fiktiv Admin' }));
    roles.set(admin, 'admin');
    asAdmin = actingAs(store, { userId: admin, role: 'admin' });
  });
  afterEach(async () => close());

  async function user(options: Parameters<typeof addUser>[1] & { roles: [Role] }): Promise<string> {
    const id = await seed.transaction((tx) => addUser(tx, options));
    roles.set(id, options.roles[0]);
    return id;
  }

  /**
   * Appends the entries in order, each run of one person's rows in a call as that person (a row is
   * written in its reader's own name); rows without a person (a restore, a scheduled backup) are
   * written outside the person roles.
   */
  async function append(entries: AccessLogEntry[]): Promise<number[]> {
    const seqs: number[] = [];
    for (let start = 0; start < entries.length;) {
      let end = start + 1;
      while (end < entries.length && entries[end]!.userId === entries[start]!.userId) end += 1;
      const run = entries.slice(start, end);
      const userId = run[0]!.userId;
      seqs.push(
        ...(await (userId === null
          ? seed.transaction((tx) => appendLogRows(tx, run))
          : store.transaction((tx) => appendLogRows(tx, run), { actor: { userId, role: roles.get(userId)! } }))),
      );
      start = end;
    }
    return seqs;
  }

  /**
   * Rows written past the chain, as a hand with the database's owner rights could: on PostgreSQL
   * only with the chain's trigger disabled (it refuses such rows otherwise), for this one statement.
   */
  async function tamper(work: (tx: Tx) => Promise<void>): Promise<void> {
    await seed.transaction(async (tx) => {
      if (seed.dialect === 'postgres') await sql`ALTER TABLE access_log DISABLE TRIGGER access_log_chain`.execute(tx);
      await work(tx);
      if (seed.dialect === 'postgres') await sql`ALTER TABLE access_log ENABLE TRIGGER access_log_chain`.execute(tx);
    });
  }

  it('appends several rows in order as one chain, the same as one at a time', async () => {
    await asAdmin.transaction(async (tx) => {
      expect(await appendLogRows(tx, [])).toEqual([]);
      expect(await appendLogRow(tx, logEntry({ userId: admin, record: 'first' }))).toBe(1);
      // More than one insert's worth, so that the chain runs on across the inserts.
      const entries = Array.from({ length: LOG_ROWS_PER_INSERT + 3 }, (_, i) => logEntry({ userId: admin, record: `r${i}`, clientId: `c${i % 4}` }));
      const seqs = await appendLogRows(tx, entries);
      expect(seqs).toEqual(entries.map((_, i) => i + 2));
      expect(await appendLogRow(tx, logEntry({ userId: admin, record: 'last' }))).toBe(entries.length + 2);
      const rows = await tx.selectFrom('access_log').selectAll().orderBy('seq').execute();
      let prev = GENESIS_HASH;
      for (const row of rows) {
        const entry = logEntry({ userId: admin, record: row.record, clientId: row.client_id });
        expect(row.prev_hash).toBe(prev);
        expect(row.hash).toBe(hashAccessLogRow(prev, row.seq, entry));
        prev = row.hash;
      }
      expect(rows.slice(1, 4).map((row) => row.record)).toEqual(['r0', 'r1', 'r2']);
      expect(await verifyLogChain(tx)).toEqual({ ok: true, rows: entries.length + 2 });
    });
    // The next call continues the committed chain.
    expect(await asAdmin.transaction((tx) => appendLogRow(tx, logEntry({ userId: admin })))).toBe(LOG_ROWS_PER_INSERT + 6);
  });

  it('walks the chain page by page and finds the first row that breaks it', async () => {
    await asAdmin.transaction(async (tx) => {
      expect(await verifyLogChain(tx)).toEqual({ ok: true, rows: 0 });
      await appendLogRows(
        tx,
        Array.from({ length: 7 }, (_, i) => logEntry({ userId: admin, record: `r${i}` })),
      );
      // Pages of 3 (7 rows: pages of 3, 3, 1) and pages of exactly the rows' number (a last, empty page).
      expect(await verifyLogChain(tx, 3)).toEqual({ ok: true, rows: 7 });
      expect(await verifyLogChain(tx, 7)).toEqual({ ok: true, rows: 7 });
    });
    await tamper(async (tx) => {
      const last = await tx.selectFrom('access_log').select('hash').where('seq', '=', 7).executeTakeFirstOrThrow();
      await insertRaw(tx, 8, last.hash, 'f'.repeat(64));
    });
    expect(await asAdmin.transaction((tx) => verifyLogChain(tx, 3))).toEqual({ ok: false, brokenAt: 8 });
  });

  it('finds a gap in the chain, and a row slipped in before the first', async () => {
    // A gap: the row after it does not continue the row before.
    await asAdmin.transaction((tx) => appendLogRow(tx, logEntry({ userId: admin })));
    await tamper(async (tx) => {
      const last = await tx.selectFrom('access_log').select('hash').where('seq', '=', 1).executeTakeFirstOrThrow();
      await insertRaw(tx, 3, last.hash, 'e'.repeat(64));
    });
    expect(await asAdmin.transaction((tx) => verifyLogChain(tx, 2))).toEqual({ ok: false, brokenAt: 2 });
    // A row slipped in before the first is found on the first page, not skipped. (PostgreSQL's
    // CHECK (seq >= 1) refuses such a row even with the trigger off.)
    if (seed.dialect === 'sqlite') {
      await tamper((tx) => insertRaw(tx, 0, GENESIS_HASH, 'd'.repeat(64)));
      expect(await asAdmin.transaction((tx) => verifyLogChain(tx, 2))).toEqual({ ok: false, brokenAt: 1 });
    }
  });

  it('searches with every filter, alone and combined, newest first, a page at a time, with the total', async () => {
    const vera = await user({ roles: ['therapist'], tracks: ['victim'], name: 'Fiktiv Vera' });
    const clients = await seed.transaction(async (tx) => [
      await addClient(tx, admin, 'victim', { name: 'Fiktiv Ett' }),
      await addClient(tx, admin, 'victim'),
      null,
    ]);
    {
      const users = [admin, vera, null];
      const actions = ['journal.open', 'clients.get'];
      const entries = Array.from({ length: 36 }, (_, i) =>
        logEntry({
          at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
          userId: users[i % 3]!,
          clientId: clients[i % 3 === 0 ? 0 : (i % 2) + 1 === 1 ? 1 : 2]!,
          action: actions[i % 2]!,
          emergency: i % 3 === 0,
          reason: i % 3 === 0 ? 'Fiktivt akut behov' : null,
        }),
      );
      const seqs = await append(entries);
      await asAdmin.transaction(async (tx) => {
        for (const seq of seqs.filter((_, i) => i % 10 === 0)) await markReviewed(tx, seq, admin, AT, null);
      });
      const reviewed = new Set(seqs.filter((_, i) => i % 10 === 0));

      const filters: AccessLogFilter[] = [
        NO_FILTER,
        { ...NO_FILTER, userId: vera },
        { ...NO_FILTER, clientId: clients[0]! },
        { ...NO_FILTER, action: 'clients.get' },
        { ...NO_FILTER, from: '2026-01-01T05:00:00.000Z', to: '2026-01-01T20:00:00.000Z' },
        { ...NO_FILTER, emergencyOnly: true },
        { ...NO_FILTER, unreviewedOnly: true },
        { ...NO_FILTER, userId: admin, clientId: clients[0]!, action: 'journal.open', emergencyOnly: true },
      ];
      for (const filter of filters)
        await asAdmin.transaction(async (tx) => {
          const expected = entries
            .map((row, i) => ({ ...row, seq: seqs[i]! }))
            .filter(
              (row) =>
                (filter.userId === null || row.userId === filter.userId) &&
                (filter.clientId === null || row.clientId === filter.clientId) &&
                (filter.action === null || row.action === filter.action) &&
                (filter.from === null || row.at >= filter.from) &&
                (filter.to === null || row.at < filter.to) &&
                (!(filter.emergencyOnly || filter.unreviewedOnly) || row.emergency) &&
                (!filter.unreviewedOnly || !reviewed.has(row.seq)),
            )
            .map((row) => row.seq);
          // Each filter but the combined one leaves more than a page's offset, so that paging is tested too.
          if (filter !== filters.at(-1)) expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(5);
          else expect(expected.length).toBeGreaterThan(0);
          const all = await logRowsMatching(tx, filter);
          expect(all.map((row) => row.seq)).toEqual(expected);
          const page = await searchLog(tx, filter, 5, 5);
          expect(page.total).toBe(expected.length);
          expect(page.rows.map((row) => row.seq)).toEqual([...expected].reverse().slice(5, 10));
        });
      const first = (await asAdmin.transaction((tx) => searchLog(tx, { ...NO_FILTER, clientId: clients[0]!, userId: admin }, 1, 0))).rows[0]!;
      expect(first).toMatchObject({ userName: 'Fiktiv Admin', clientName: 'Fiktiv Ett', emergency: expect.any(Boolean) });
    }
  });

  it('finds a row with its review, and keeps the first review of a row', async () => {
    const other = await user({ roles: ['admin'], name: 'Fiktiv Granskare' });
    await asAdmin
      .transaction(async (tx) => {
        const seq = await appendLogRow(tx, logEntry({ userId: admin, emergency: true, reason: 'Fiktivt akut behov' }));
        expect(await findLogRow(tx, seq)).toMatchObject({ seq, emergency: true, reason: 'Fiktivt akut behov', reviewedAt: null, reviewedBy: null });
        expect(await findLogRow(tx, seq + 1)).toBeNull();
        await markReviewed(tx, seq, admin, '2026-03-03T08:00:00.000Z', 'Fiktiv anteckning');
        return seq;
      })
      .then(async (seq) => {
        // Another admin's later review is no review: the first one stays.
        await store.transaction((tx) => markReviewed(tx, seq, other, '2026-03-04T08:00:00.000Z', 'En andra'), {
          actor: { userId: other, role: 'admin' },
        });
        expect(await asAdmin.transaction((tx) => findLogRow(tx, seq))).toMatchObject({
          reviewedAt: '2026-03-03T08:00:00.000Z',
          reviewedBy: 'Fiktiv Admin',
          reviewNote: 'Fiktiv anteckning',
        });
      });
  });

  it("gives a client's own rows with the unit of whoever read them: an active therapist's site, else the centre", async () => {
    const vera = await user({ roles: ['therapist'], tracks: ['victim'], siteId: SITE, name: 'Fiktiv Vera' });
    const gone = await user({ roles: ['therapist'], tracks: ['victim'], siteId: SITE, active: false, name: 'Fiktiv Slutat' });
    const profileOnly = await user({ roles: ['receptionist'], siteId: SITE, name: 'Fiktiv Reception' });
    const [client, otherClient] = await seed.transaction(async (tx) => [await addClient(tx, admin, 'victim'), await addClient(tx, admin, 'victim')]);
    {
      await append([
        logEntry({ userId: vera, clientId: client, action: 'journal.open', emergency: true, reason: 'Fiktivt' }),
        logEntry({ userId: admin, clientId: client, action: 'clients.get' }),
        logEntry({ userId: vera, clientId: otherClient }),
        logEntry({ userId: gone, clientId: client }),
        logEntry({ userId: profileOnly, clientId: client }),
        logEntry({ userId: null, clientId: client, action: 'backup.restore' }),
      ]);
      expect(await asAdmin.transaction((tx) => clientLogRows(tx, client))).toEqual([
        { at: AT, userName: 'Fiktiv Vera', unit: 'Utväg Skaraborg', action: 'journal.open', emergency: true },
        { at: AT, userName: 'Fiktiv Admin', unit: 'Utväg', action: 'clients.get', emergency: false },
        { at: AT, userName: 'Fiktiv Slutat', unit: 'Utväg', action: 'journal.open', emergency: false },
        { at: AT, userName: 'Fiktiv Reception', unit: 'Utväg', action: 'journal.open', emergency: false },
        { at: AT, userName: '', unit: 'Utväg', action: 'backup.restore', emergency: false },
      ]);
    }
  });
}

describe('access-log repository on the encrypted SQLite journal', () => {
  contract(sqliteJournal(tempDir));
});

describe('access-log repository on PostgreSQL, each row written in its reader’s name, read as an admin', () => {
  contract(postgresJournals('utvag_repo_access_log'));
});
