import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  appendLogRow,
  appendLogRows,
  chainRows,
  continuesChain,
  entryOfRow,
  GENESIS_HASH,
  hashAccessLogRow,
  type RawLogRow,
} from '../../db/accessLog.js';
import { appendToLogChain, createPostgresStore, lockLogChainHead } from '../../db/engine/postgres.js';
import type { Actor, Store } from '../../db/engine/store.js';
import { addClient, logEntry, outcome, PEOPLE, turns, unique, useServerJournal } from '../helpers/serverJournal.js';

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
  it('stays one linear chain with eight desks appending at once through appendLogRows, and loses no reported write, race after race', async () => {
    const { login, admin } = journal();
    // Eight connections: every desk has its own, as on the server.
    const store = createPostgresStore({ ...login, max: 8 });
    const desks: Actor[] = Array.from({ length: 8 }, (_, index) => [PEOPLE.desk, PEOPLE.otherDesk, PEOPLE.therapist, PEOPLE.admin][index % 4]!);
    try {
      for (let race = 0; race < 4; race += 1) {
        const before = (await readLog(store)).length;
        let sawWaiting = false;
        let racing = true;
        const watch = (async () => {
          // Proof that the appends really met: some transaction was seen waiting on the head's lock.
          while (racing && !sawWaiting) {
            const { rows } = await admin.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            );
            if (rows[0]!.n > 0) sawWaiting = true;
            else await new Promise((resolve) => setTimeout(resolve, 2));
          }
        })();
        const reported: { seqs: number[]; records: string[] }[] = [];
        const rolledBack: string[] = [];
        const failures: unknown[] = [];
        try {
          await Promise.all(
            desks.map(async (actor, desk) => {
              for (let round = 0; round < 12; round += 1) {
                // One to three rows per call, as a list that logs each client it shows.
                const records = Array.from({ length: 1 + ((desk + round) % 3) }, (_, row) =>
                  unique(`race-${race}-desk-${desk}-round-${round}-row-${row}`),
                );
                // Every fourth transaction of a desk appends and then fails: its rows must leave no gap.
                const fails = round % 4 === 3;
                const result = await outcome(
                  store.transaction(
                    async (tx) => {
                      await turns((desk + race) % 3);
                      // Reception's transactions write a client, and the log rows record that write.
                      if (actor.role === 'receptionist') await addClient(tx, 'victim', actor, records[0]);
                      const seqs = await appendLogRows(
                        tx,
                        records.map((record) => logEntry(actor, { record })),
                      );
                      // Hold the head a little while before committing: the others queue behind it.
                      await turns(3);
                      if (fails) throw new Error('gave up after logging');
                      return seqs;
                    },
                    { actor },
                  ),
                );
                if (Array.isArray(result)) reported.push({ seqs: result as number[], records });
                else {
                  rolledBack.push(...records);
                  failures.push(result);
                }
              }
            }),
          );
        } finally {
          racing = false;
          await watch;
        }
        expect(sawWaiting, `race ${race}`).toBe(true);
        // Only the calls that gave up failed: none was refused for not continuing the chain (40001).
        expect(failures).toHaveLength(8 * 3);
        for (const failure of failures) expect(failure).toMatchObject({ message: 'gave up after logging' });
        const rows = await readLog(store);
        const written = reported.flatMap(({ seqs }) => seqs);
        expect(verify(rows)).toEqual({ ok: true, rows: before + written.length });
        // Every reported seq is there and holds the row its transaction wrote, in the order given; nothing rolled back is.
        expect([...written].sort((x, y) => x - y)).toEqual(rows.slice(before).map((row) => row.seq));
        const bySeq = new Map(rows.map((row) => [row.seq, row.record]));
        for (const { seqs, records } of reported) {
          expect(seqs.map((seq) => bySeq.get(seq))).toEqual(records);
          // One call's rows are consecutive: nobody else's row in between.
          expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
        }
        const logged = new Set(rows.map((row) => row.record));
        for (const record of rolledBack) expect(logged.has(record)).toBe(false);
        // And each write is there with its log rows, or neither is.
        const firsts = [...reported.map(({ records }) => records[0]!), ...rolledBack];
        const clients = (await admin.query<{ id: string }>('SELECT id FROM clients WHERE id = ANY ($1)', [firsts])).rows.map((row) => row.id).sort();
        const byReception = (record: string) => desks[Number(/-desk-(\d+)-/.exec(record)![1])]!.role === 'receptionist';
        const expected = reported
          .map(({ records }) => records[0]!)
          .filter(byReception)
          .sort();
        expect(clients).toEqual(expected);
        expect(expected.length).toBeGreaterThan(0);
      }
    } finally {
      await store.close();
    }
  });

  it('appends in one statement after its own last append, in two after a rolled-back one, and runs again after another server’s: always one chain', async () => {
    const { store, login } = journal();
    // A second server process on the same journal: its appends move the head behind this store's back.
    const other = createPostgresStore(login);
    try {
      // The statements of the work's last run; and how many times it ran.
      let runs = 0;
      const statementsOf = async (of: Store, work: Parameters<Store['transaction']>[0]) => {
        let inside = 0;
        runs = 0;
        await of.transaction(
          async (tx) => {
            runs += 1;
            const before = of.statements;
            await work(tx);
            inside = of.statements - before;
          },
          { actor: PEOPLE.desk },
        );
        return inside;
      };
      const append =
        (record: string, rows = 1) =>
        (tx: Parameters<Parameters<Store['transaction']>[0]>[0]) =>
          appendLogRows(
            tx,
            Array.from({ length: rows }, (_, i) => logEntry(PEOPLE.desk, { record: `${record}-${i}` })),
          );
      // Nothing appended by this store yet: the head is read (and locked) first, then the rows follow it.
      expect(await statementsOf(store, append('first'))).toBe(2);
      // The head is the one this store left: one statement, for one row or many.
      expect(await statementsOf(store, append('again'))).toBe(1);
      expect(await statementsOf(store, append('many', 7))).toBe(1);
      expect(runs).toBe(1);
      // Another server appended in between: the rows sent after this store's own head do not continue
      // the chain, the trigger refuses them and the transaction runs again, reading the head first.
      await statementsOf(other, append('elsewhere'));
      expect(await statementsOf(store, append('after-elsewhere', 3))).toBe(2);
      expect(runs).toBe(2);
      expect(await statementsOf(store, append('after-elsewhere-again'))).toBe(1);
      expect(runs).toBe(1);
      // A rolled-back append leaves the head as it was, and so does the hint: one statement again.
      await expect(
        store.transaction(
          async (tx) => {
            await append('rolled-back')(tx);
            throw new Error('changed my mind');
          },
          { actor: PEOPLE.desk },
        ),
      ).rejects.toThrow('changed my mind');
      expect(await statementsOf(store, append('after-rollback'))).toBe(1);
      // Two rolled back in a row, the second after the first's: the hint still goes back to the committed head.
      for (let i = 0; i < 2; i += 1) {
        await expect(
          store.transaction(
            async (tx) => {
              await append(`rolled-back-${i}`, 2)(tx);
              await append(`rolled-back-${i}-more`)(tx);
              throw new Error('no');
            },
            { actor: PEOPLE.desk },
          ),
        ).rejects.toThrow('no');
      }
      expect(await statementsOf(store, append('last'))).toBe(1);
      const rows = await readLog(store);
      expect(verify(rows)).toEqual({ ok: true, rows: rows.length });
      const records = rows.map((row) => row.record);
      expect(records.filter((record) => record?.startsWith('rolled-back'))).toEqual([]);
      expect(records.slice(-1)).toEqual(['last-0']);
    } finally {
      await other.close();
    }
  });

  it('sends the log rows with the statement after them, and commits nothing of a transaction whose rows were refused', async () => {
    const { admin, login } = journal();
    // A store of its own: another test's store has seen another server append, and locks the head first for a while.
    const store = createPostgresStore(login);
    try {
      await store.transaction((tx) => appendLogRow(tx, logEntry(PEOPLE.desk, { record: 'known head' })), { actor: PEOPLE.desk });
      // A read, the log row, COMMIT: the row goes with the COMMIT, so two round trips for four statements.
      const counts = { statements: store.statements, roundTrips: store.roundTrips };
      const client = unique('one-trip');
      await store.transaction(
        async (tx) => {
          await addClient(tx, 'victim', PEOPLE.desk, client);
          await appendLogRow(tx, logEntry(PEOPLE.desk, { clientId: client, record: 'with the commit' }));
        },
        { actor: PEOPLE.desk },
      );
      expect([store.statements - counts.statements, store.roundTrips - counts.roundTrips]).toEqual([4, 2]);

      // A row in another person's name, refused by row-level security only when it is answered: the
      // client written before it is not kept, whether the COMMIT or another statement came behind it.
      const refusedClients = [unique('refused'), unique('refused')];
      for (const [index, id] of refusedClients.entries()) {
        const refused = await outcome(
          store.transaction(
            async (tx) => {
              await addClient(tx, 'victim', PEOPLE.desk, id);
              await appendLogRow(tx, logEntry(PEOPLE.otherDesk, { clientId: id, record: `not hers ${index}` }));
              // The statement behind the refused row fails for its sake ("transaction is aborted"): the row's error is the one told.
              if (index === 1) await tx.selectFrom('clients').select('id').where('id', '=', id).execute();
            },
            { actor: PEOPLE.desk },
          ),
        );
        expect(String((refused as Error).message)).toMatch(/row-level security/);
      }
      // A row value the driver could not send would make it skip the statement without aborting the
      // transaction (the COMMIT behind it would keep the client without its row) and leave the
      // connection thinking a closed statement prepared: refused before anything is written, whether
      // the rows go without waiting (this store's head known again) or after the head's lock (a new store).
      await store.transaction((tx) => appendLogRow(tx, logEntry(PEOPLE.desk, { record: 'head known again' })), { actor: PEOPLE.desk });
      const fresh = createPostgresStore({ ...login, max: 1 });
      try {
        for (const through of [store, fresh]) {
          const unsendable = unique('unsendable');
          refusedClients.push(unsendable);
          const refusedValue = await outcome(
            through.transaction(
              async (tx) => {
                await addClient(tx, 'victim', PEOPLE.desk, unsendable);
                await appendToLogChain(tx, (head) =>
                  chainRows(head, [logEntry(PEOPLE.desk, { clientId: unsendable })]).map((row) => ({
                    ...row,
                    reason: {
                      toPostgres() {
                        throw new Error('cannot be sent');
                      },
                    } as unknown as string,
                  })),
                );
              },
              { actor: PEOPLE.desk },
            ),
          );
          expect(refusedValue).toBeInstanceOf(TypeError);
        }
        // The fresh store's one connection still appends (its prepared statements as PostgreSQL has them).
        await fresh.transaction((tx) => appendLogRow(tx, logEntry(PEOPLE.desk, { record: 'fresh store appends' })), { actor: PEOPLE.desk });
      } finally {
        await fresh.close();
      }
      const kept = await admin.query<{ id: string }>('SELECT id FROM clients WHERE id = ANY ($1)', [[client, ...refusedClients]]);
      expect(kept.rows.map((row) => row.id)).toEqual([client]);
      // The next append continues the chain as committed, and the log holds no row of the refused transactions.
      await store.transaction((tx) => appendLogRow(tx, logEntry(PEOPLE.desk, { record: 'after the refusals' })), { actor: PEOPLE.desk });
      const rows = await readLog(store);
      expect(verify(rows)).toEqual({ ok: true, rows: rows.length });
      expect(rows.map((row) => row.record).slice(-4)).toEqual(['with the commit', 'head known again', 'fresh store appends', 'after the refusals']);
    } finally {
      await store.close();
    }
  });

  it('refuses a log row through a handle kept past its transaction, and the store still sends its rows without waiting', async () => {
    const { login } = journal();
    const store = createPostgresStore({ ...login, max: 1 });
    try {
      await store.transaction((tx) => appendLogRow(tx, logEntry(PEOPLE.desk, { record: 'head known' })), { actor: PEOPLE.desk });
      // With the head known, rows go on the connection directly, past Kysely's plugins: the guard is asked there too.
      let kept: Parameters<Parameters<Store['transaction']>[0]>[0] | null = null;
      await store.transaction(
        async (tx) => {
          kept = tx;
          await tx.selectFrom('clients').select('id').limit(1).execute();
        },
        { actor: PEOPLE.desk },
      );
      await expect(appendLogRow(kept!, logEntry(PEOPLE.desk, { record: 'through a kept handle' }))).rejects.toThrow(/transaction has ended/);
      // Nothing of it stays counted as a transaction appending: a write and its row still take two round trips.
      const roundTrips = store.roundTrips;
      const client = unique('after-kept');
      await store.transaction(
        async (tx) => {
          await addClient(tx, 'victim', PEOPLE.desk, client);
          await appendLogRow(tx, logEntry(PEOPLE.desk, { clientId: client, record: 'after the kept handle' }));
        },
        { actor: PEOPLE.desk },
      );
      expect(store.roundTrips - roundTrips).toBe(2);
      const rows = await readLog(store);
      expect(verify(rows)).toEqual({ ok: true, rows: rows.length });
      expect(rows.map((row) => row.record)).not.toContain('through a kept handle');
    } finally {
      await store.close();
    }
  });

  it('reports the failed start of a transaction whose first statement is a log row sent without waiting', async () => {
    const { login, admin } = journal();
    const store = createPostgresStore({ ...login, max: 1 });
    try {
      await store.transaction((tx) => appendLogRow(tx, logEntry(PEOPLE.desk, { record: 'head known' })), { actor: PEOPLE.desk });
      // The login may no longer take the receptionist's role: the row behind the start is refused
      // for the start's sake ("transaction is aborted"); the start's error is the one told.
      await admin.query(`REVOKE utvag_receptionist FROM ${login.user}`);
      await expect(store.transaction((tx) => appendLogRow(tx, logEntry(PEOPLE.desk, { record: 'never' })), { actor: PEOPLE.desk })).rejects.toThrow(
        /permission denied to set role/,
      );
      await admin.query(`GRANT utvag_receptionist TO ${login.user}`);
      // The head as this store left it: the next row continues it.
      await store.transaction((tx) => appendLogRow(tx, logEntry(PEOPLE.desk, { record: 'after the refused start' })), { actor: PEOPLE.desk });
      const rows = await readLog(store);
      expect(verify(rows)).toEqual({ ok: true, rows: rows.length });
      expect(rows.map((row) => row.record)).not.toContain('never');
    } finally {
      await admin.query(`GRANT utvag_receptionist TO ${login.user}`);
      await store.close();
    }
  });

  it('fails no call for another server appending all the while: a refused guess runs again after the head, and later appends lock it first', async () => {
    const { login, admin } = journal();
    // This server's desks share one connection, so its own appends never overlap; a second server
    // process appends to the same journal all the while.
    const here = createPostgresStore({ ...login, max: 1 });
    const elsewhere = createPostgresStore({ ...login, max: 2 });
    let running = true;
    const failures: unknown[] = [];
    const written: string[] = [];
    try {
      const other = Array.from({ length: 2 }, async () => {
        while (running) {
          await elsewhere.transaction((tx) => appendLogRow(tx, logEntry(PEOPLE.otherDesk, { record: 'elsewhere' })), { actor: PEOPLE.otherDesk });
        }
      });
      let runs = 0;
      const desks = Array.from({ length: 4 }, async (_, desk) => {
        for (let round = 0; round < 25; round += 1) {
          const id = unique(`fiktiv-${desk}-${round}`);
          const result = await outcome(
            here.transaction(
              async (tx) => {
                runs += 1;
                await addClient(tx, 'victim', PEOPLE.desk, id);
                await appendLogRow(tx, logEntry(PEOPLE.desk, { clientId: id, record: 'here' }));
              },
              { actor: PEOPLE.desk },
            ),
          );
          if (result instanceof Error) failures.push(result);
          else written.push(id);
        }
      });
      await Promise.all(desks);
      running = false;
      await Promise.all(other);
      expect(failures).toEqual([]);
      // At most the first guess was refused: from then on the head is locked before the rows.
      expect(runs).toBeLessThanOrEqual(101);
    } finally {
      running = false;
      await here.close();
      await elsewhere.close();
    }
    // Every reported write is there with its log row, and the chain verifies.
    const kept = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM clients WHERE id = ANY ($1)', [written]);
    const logged = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM access_log WHERE client_id = ANY ($1)', [written]);
    expect([kept.rows[0]!.n, logged.rows[0]!.n]).toEqual([100, 100]);
    const { store } = journal();
    const rows = await readLog(store);
    expect(verify(rows)).toEqual({ ok: true, rows: rows.length });
  });

  it('fails only the call whose connection is lost in its transaction, and the process goes on', async () => {
    const { login, admin } = journal();
    const store = createPostgresStore({ ...login, max: 1 });
    try {
      const lost = unique('fiktiv-cut');
      const result = await outcome(
        store.transaction(
          async (tx) => {
            await addClient(tx, 'victim', PEOPLE.desk, lost);
            // IT ends this backend (pg_terminate_backend), or PostgreSQL restarts, mid-transaction: its
            // client is told by an 'error' event, which unheard would end the server's process.
            await admin.query(
              `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND usename = $1 AND state = 'idle in transaction'`,
              [login.user],
            );
            await new Promise((resolve) => setTimeout(resolve, 200));
            await tx.selectFrom('clients').select('id').execute();
          },
          { actor: PEOPLE.desk },
        ),
      );
      expect(result).toBeInstanceOf(Error);
      expect((await admin.query('SELECT id FROM clients WHERE id = $1', [lost])).rows).toEqual([]);
      // The pool drops the lost connection: the next call gets a new one.
      const next = await store.transaction((tx) => addClient(tx, 'victim', PEOPLE.desk), { actor: PEOPLE.desk });
      expect((await admin.query('SELECT id FROM clients WHERE id = $1', [next])).rows).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('stores every value of the rows as given, whatever characters they hold, with the hash of the app', async () => {
    const { store } = journal();
    const awkward = ['NULL', '', '"quoted", {braced}, back\\slash\\', "it's \n new\tline", 'åäö ÅÄÖ ü 😀 \u2028', '{', '}', ',', ' space '];
    const entries = awkward.map((text, i) =>
      logEntry(PEOPLE.therapist, {
        clientId: i % 2 === 0 ? text : null,
        record: text,
        action: `test.${i}`,
        channel: i % 3 === 0 ? null : text,
        emergency: i % 2 === 1,
        reason: i % 2 === 1 ? text : null,
      }),
    );
    // Twice: once after reading the head, once after this store's own last append.
    for (const batch of [entries, entries.slice().reverse()]) {
      const seqs = await store.transaction((tx) => appendLogRows(tx, batch), { actor: PEOPLE.therapist });
      const rows = await readLog(store);
      expect(verify(rows).ok).toBe(true);
      const bySeq = new Map(rows.map((row) => [row.seq, row]));
      expect(seqs.map((seq) => entryOfRow(bySeq.get(seq)!))).toEqual(batch);
    }
  });

  it('refuses a row that does not continue the head, so a writer that skipped the lock cannot fork the chain', async () => {
    const { store } = journal();
    const stale = await store.transaction((tx) => lockLogChainHead(tx), { actor: PEOPLE.desk });
    await store.transaction((tx) => appendLogRow(tx, logEntry(PEOPLE.desk)), { actor: PEOPLE.desk });
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
    await expect(store.transaction((tx) => appendLogRow(tx, logEntry(PEOPLE.otherDesk)), { actor: PEOPLE.desk })).rejects.toThrow(
      /row-level security/,
    );
    for (const actor of [PEOPLE.desk, PEOPLE.therapist]) {
      await expect(store.transaction((tx) => tx.selectFrom('access_log').select('seq').execute(), { actor })).rejects.toThrow(/permission denied/);
      // Nor the head's table: only the locking function reaches it.
      await expect(store.transaction((tx) => sql`SELECT * FROM access_log_head`.execute(tx), { actor })).rejects.toThrow(/permission denied/);
    }
  });

  it('cannot be changed, removed or emptied by any app role, nor by the schema owner’s statements', async () => {
    const { store, admin } = journal();
    const seq = await store.transaction((tx) => appendLogRow(tx, logEntry(PEOPLE.admin, { emergency: true, reason: 'test' })), {
      actor: PEOPLE.admin,
    });
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
      (tx) => appendLogRow(tx, logEntry(PEOPLE.therapist, { emergency: true, reason: 'akut', action: 'journal.emergencyOpen' })),
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
