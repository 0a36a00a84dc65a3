import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { continuesChain, GENESIS_HASH, hashAccessLogRow, type RawLogRow } from '../../db/accessLog.js';
import { createPostgresStore, lockLogChainHead } from '../../db/engine/postgres.js';
import type { Actor, Store } from '../../db/engine/store.js';
import { addClient, appendLog, logEntry, outcome, PEOPLE, turns, unique, useServerJournal } from '../helpers/serverJournal.js';

const journal = useServerJournal('utvag_access_log_test');

async function readLog(store: Store): Promise<RawLogRow[]> {
  return store.transaction((tx) => tx.selectFrom('access_log').selectAll().orderBy('seq').execute() as Promise<RawLogRow[]>, {
    actor: PEOPLE.admin,
    readOnly: true,
  });
}

/** The chain walked as db/accessLog.ts verifyAccessLogChain walks it. */
function verify(rows: RawLogRow[]): { ok: true; rows: number } | { ok: false; brokenAt: number } {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of rows) {
    if (!continuesChain(row, expectedSeq, prevHash)) return { ok: false, brokenAt: expectedSeq };
    prevHash = row.hash;
    expectedSeq += 1;
  }
  return { ok: true, rows: expectedSeq - 1 };
}

describe('the access log on PostgreSQL', () => {
  it('stays one linear chain with eight desks appending at once, and loses no reported write', async () => {
    const { login, admin } = journal();
    // Eight connections: every desk has its own, as on the server.
    const store = createPostgresStore({ ...login, max: 8 });
    const desks: Actor[] = Array.from({ length: 8 }, (_, index) => [PEOPLE.desk, PEOPLE.otherDesk, PEOPLE.therapist, PEOPLE.admin][index % 4]!);
    const before = (await readLog(store)).length;
    let sawWaiting = false;
    const watch = (async () => {
      // Proof that the appends really met: some transaction was seen waiting on the head's lock.
      for (let i = 0; i < 2000 && !sawWaiting; i += 1) {
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (rows[0]!.n > 0) sawWaiting = true;
        else await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const reported: { seq: number; record: string }[] = [];
    const rolledBack: string[] = [];
    try {
      await Promise.all(
        desks.map(async (actor, desk) => {
          for (let round = 0; round < 12; round += 1) {
            const record = unique(`desk-${desk}-round-${round}`);
            // Every fourth transaction of a desk appends and then fails: its row must leave no gap.
            const fails = round % 4 === 3;
            const result = await outcome(
              store.transaction(
                async (tx) => {
                  await turns(desk % 3);
                  // Reception's transactions write a client, and the log row records that write.
                  if (actor.role === 'receptionist') await addClient(tx, 'victim', actor, record);
                  // Hold the head a little while: the others queue behind it.
                  const seq = await appendLog(tx, logEntry(actor, { record }), () => turns(3));
                  await turns(2);
                  if (fails) throw new Error('gave up after logging');
                  return seq;
                },
                { actor },
              ),
            );
            if (typeof result === 'number') reported.push({ seq: result, record });
            else rolledBack.push(record);
          }
        }),
      );
    } finally {
      await watch;
      await store.close();
    }
    expect(sawWaiting).toBe(true);
    expect(rolledBack).toHaveLength(8 * 3);
    const rows = await readLog(journal().store);
    expect(verify(rows)).toEqual({ ok: true, rows: before + 8 * 9 });
    // Every reported seq is there and holds the row its transaction wrote; nothing rolled back is.
    expect(reported.map(({ seq }) => seq).sort((a, b) => a - b)).toEqual(rows.slice(before).map((row) => row.seq));
    const bySeq = new Map(rows.map((row) => [row.seq, row.record]));
    for (const { seq, record } of reported) expect(bySeq.get(seq)).toBe(record);
    const records = rows.map((row) => row.record);
    for (const record of rolledBack) expect(records).not.toContain(record);
    // And each write is there with its log row, or neither is.
    const tried = [...reported.map(({ record }) => record), ...rolledBack];
    const written = (await admin.query<{ id: string }>('SELECT id FROM clients WHERE id = ANY ($1)', [tried])).rows.map((row) => row.id).sort();
    const byReception = (record: string) => desks[Number(/^desk-(\d+)-/.exec(record)![1])]!.role === 'receptionist';
    const expected = reported
      .map(({ record }) => record)
      .filter(byReception)
      .sort();
    expect(written).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  it('refuses a row that does not continue the head, so a writer that skipped the lock cannot fork the chain', async () => {
    const { store } = journal();
    const stale = await store.transaction((tx) => lockLogChainHead(tx), { actor: PEOPLE.desk });
    await store.transaction((tx) => appendLog(tx, logEntry(PEOPLE.desk)), { actor: PEOPLE.desk });
    const entry = logEntry(PEOPLE.desk, { record: 'from a stale head' });
    const seq = (stale?.seq ?? 0) + 1;
    const prevHash = stale?.hash ?? GENESIS_HASH;
    const refused = await outcome(
      store.transaction(
        (tx) =>
          tx
            .insertInto('access_log')
            .values({
              seq,
              at: entry.at,
              user_id: entry.userId,
              action: entry.action,
              prev_hash: prevHash,
              hash: hashAccessLogRow(prevHash, seq, entry),
            })
            .execute(),
        { actor: PEOPLE.desk },
      ),
    );
    expect(refused).toMatchObject({ code: '40001' });
    const rows = await readLog(store);
    expect(verify(rows).ok).toBe(true);
    expect(rows.map((row) => row.record)).not.toContain('from a stale head');
  });

  it('lets a person write log rows in her own name only, and read them only as admin', async () => {
    const { store } = journal();
    await expect(store.transaction((tx) => appendLog(tx, logEntry(PEOPLE.otherDesk)), { actor: PEOPLE.desk })).rejects.toThrow(/row-level security/);
    for (const actor of [PEOPLE.desk, PEOPLE.therapist]) {
      await expect(store.transaction((tx) => tx.selectFrom('access_log').select('seq').execute(), { actor })).rejects.toThrow(/permission denied/);
      // Nor the head's table: only the locking function reaches it.
      await expect(store.transaction((tx) => sql`SELECT * FROM access_log_head`.execute(tx), { actor })).rejects.toThrow(/permission denied/);
    }
  });

  it('cannot be changed, removed or emptied by any app role, nor by the schema owner’s statements', async () => {
    const { store, admin } = journal();
    const seq = await store.transaction((tx) => appendLog(tx, logEntry(PEOPLE.admin, { emergency: true, reason: 'test' })), { actor: PEOPLE.admin });
    for (const actor of Object.values(PEOPLE)) {
      for (const statement of [
        sql`UPDATE access_log SET reason = 'changed' WHERE seq = ${seq}`,
        sql`DELETE FROM access_log WHERE seq = ${seq}`,
        sql`TRUNCATE access_log`,
      ]) {
        await expect(store.transaction((tx) => statement.execute(tx), { actor })).rejects.toThrow(/permission denied/);
      }
    }
    await expect(admin.query(`UPDATE access_log SET reason = 'changed' WHERE seq = $1`, [seq])).rejects.toThrow(/append-only/);
    await expect(admin.query('DELETE FROM access_log WHERE seq = $1', [seq])).rejects.toThrow(/append-only/);
    await expect(admin.query('TRUNCATE access_log CASCADE')).rejects.toThrow(/append-only|cannot be changed/);
    expect(verify(await readLog(store)).ok).toBe(true);
  });

  it('marks an emergency access reviewed in a row of its own, which then stays as written', async () => {
    const { store, admin } = journal();
    const seq = await store.transaction(
      (tx) => appendLog(tx, logEntry(PEOPLE.therapist, { emergency: true, reason: 'akut', action: 'journal.emergencyOpen' })),
      { actor: PEOPLE.therapist },
    );
    const review = (note: string, by = PEOPLE.admin.userId) =>
      store.transaction(
        (tx) =>
          tx
            .insertInto('access_reviews')
            .values({ access_log_seq: seq, reviewed_at: new Date().toISOString(), reviewed_by: by, note })
            .onConflict((conflict) => conflict.doNothing())
            .execute(),
        { actor: PEOPLE.admin },
      );
    await expect(review('granskad', PEOPLE.desk.userId)).rejects.toThrow(/row-level security/);
    await review('granskad');
    // A second review is a no-op, as in SQLite.
    await review('ändrad');
    const notes = await store.transaction((tx) => tx.selectFrom('access_reviews').select('note').where('access_log_seq', '=', seq).execute(), {
      actor: PEOPLE.admin,
    });
    expect(notes).toEqual([{ note: 'granskad' }]);
    for (const statement of [sql`UPDATE access_reviews SET note = 'x'`, sql`DELETE FROM access_reviews`]) {
      await expect(store.transaction((tx) => statement.execute(tx), { actor: PEOPLE.admin })).rejects.toThrow(/permission denied/);
    }
    await expect(admin.query(`UPDATE access_reviews SET note = 'x'`)).rejects.toThrow(/cannot be changed/);
    // Receptionists do not see the reviews at all.
    await expect(store.transaction((tx) => tx.selectFrom('access_reviews').selectAll().execute(), { actor: PEOPLE.desk })).rejects.toThrow(
      /permission denied/,
    );
  });
});
