import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type pg from 'pg';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openEncrypted, type Db } from '../../db/connection.js';
import { reusableQuery } from '../../db/engine/compiled.js';
import { createPostgresStore } from '../../db/engine/postgres.js';
import type { Side, Track } from '../../db/engine/schema.js';
import { createSqliteStore } from '../../db/engine/sqlite.js';
import { dialectOf, NestedTransactionError, SeparationConflictError, type Actor, type Store, type Tx } from '../../db/engine/store.js';
import { migrate } from '../../db/migrate.js';
import { createServerJournal, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();

const ADMIN: Actor = { userId: 'u-admin', role: 'admin' };
const DESK: Actor = { userId: 'u-desk', role: 'receptionist' };
const OTHER_DESK: Actor = { userId: 'u-desk-2', role: 'receptionist' };
const THERAPIST = 'u-therapist';
const SITE = 'site-test';
const OTHER_SITE = 'site-other';
const AT = '2026-03-02T08:00:00.000Z';

function unique(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** A few event-loop turns: room for any other transaction's code to run, if anything lets it. */
async function turns(count = 5): Promise<void> {
  for (let i = 0; i < count; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

async function seedBasics(store: Store): Promise<void> {
  await store.transaction(
    async (tx) => {
      await tx
        .insertInto('users')
        .values(
          [ADMIN.userId, DESK.userId, OTHER_DESK.userId, THERAPIST].map((id) => ({ id, username: id, display_name: `Test ${id}`, created_at: AT })),
        )
        .execute();
      await tx
        .insertInto('sites')
        .values([
          { id: SITE, name: 'Testenheten' },
          { id: OTHER_SITE, name: 'Andra testenheten' },
        ])
        .execute();
    },
    { actor: ADMIN },
  );
}

async function addClient(tx: Tx, track: Track, id = unique(track), createdBy = DESK.userId): Promise<string> {
  await tx
    .insertInto('clients')
    .values({ id, track, name: `Fiktiv ${track}`, created_at: AT, created_by: createdBy })
    .execute();
  return id;
}

async function link(tx: Tx, one: string, other: string): Promise<string> {
  const [a, b] = [one, other].sort() as [string, string];
  const id = unique('link');
  await tx.insertInto('client_links').values({ id, client_a: a, client_b: b, kind: 'partner', created_at: AT, created_by: DESK.userId }).execute();
  return id;
}

function sideOf(track: Track): Side {
  return track === 'perpetrator' ? 'perpetrators' : 'victims';
}

async function book(
  tx: Tx,
  booking: { clientId: string; track: Track; startsAt: string; minutes?: number; siteId?: string; createdBy?: string },
): Promise<string> {
  const id = unique('appt');
  const endsAt = new Date(Date.parse(booking.startsAt) + (booking.minutes ?? 60) * 60_000).toISOString();
  await tx
    .insertInto('appointments')
    .values({
      id,
      site_id: booking.siteId ?? SITE,
      side: sideOf(booking.track),
      kind: 'individual',
      starts_at: booking.startsAt,
      ends_at: endsAt,
      therapist_id: THERAPIST,
      client_id: booking.clientId,
      created_at: AT,
      created_by: booking.createdBy ?? DESK.userId,
      updated_at: AT,
    })
    .execute();
  return id;
}

async function clientsPresent(store: Store, ids: string[]): Promise<string[]> {
  return store.transaction(
    async (tx) => (await tx.selectFrom('clients').select('id').where('id', 'in', ids).orderBy('id').execute()).map((row) => row.id),
    { actor: DESK, readOnly: true },
  );
}

/**
 * The repository contract every engine must keep: the same body, run against the encrypted SQLite
 * journal and against PostgreSQL.
 */
function storeContract(current: () => Store): void {
  it('tells its engine through the transaction handle, and refuses to guess for a handle it did not make', async () => {
    const store = current();
    await store.transaction(
      async (tx) => {
        expect(dialectOf(tx)).toBe(store.dialect);
        // A handle derived from it is not the store's: the access log's head lock must not be skipped by a guess.
        expect(() => dialectOf(tx.withSchema('public'))).toThrow(/not a transaction of a Store/);
      },
      { actor: DESK },
    );
  });

  it('commits a transaction whole and gives back its value', async () => {
    const store = current();
    const ids = { victim: unique('victim'), perpetrator: unique('perpetrator') };
    const linkId = await store.transaction(
      async (tx) => {
        await addClient(tx, 'victim', ids.victim);
        await addClient(tx, 'perpetrator', ids.perpetrator);
        return link(tx, ids.victim, ids.perpetrator);
      },
      { actor: DESK },
    );
    expect(await clientsPresent(store, Object.values(ids))).toEqual(Object.values(ids).sort());
    const links = await store.transaction((tx) => tx.selectFrom('client_links').selectAll().where('id', '=', linkId).execute(), { actor: DESK });
    expect(links).toHaveLength(1);
  });

  it('rolls back whole when the work throws, and rethrows that very error', async () => {
    const store = current();
    const ids = [unique('victim'), unique('victim')];
    const failure = new Error('the caller gave up half-way');
    await expect(
      store.transaction(
        async (tx) => {
          await addClient(tx, 'victim', ids[0]);
          await turns();
          await addClient(tx, 'victim', ids[1]);
          throw failure;
        },
        { actor: DESK },
      ),
    ).rejects.toBe(failure);
    expect(await clientsPresent(store, ids)).toEqual([]);
  });

  it('rolls back whole when a statement fails half-way', async () => {
    const store = current();
    const ids = [unique('victim'), unique('perpetrator')];
    const [low, high] = [...ids].sort() as [string, string];
    await expect(
      store.transaction(
        async (tx) => {
          await addClient(tx, 'victim', ids[0]);
          await addClient(tx, 'perpetrator', ids[1]);
          // Stored once per pair, the smaller id first: the reverse order breaks a CHECK.
          await tx
            .insertInto('client_links')
            .values({ id: unique('link'), client_a: high, client_b: low, kind: 'partner', created_at: AT, created_by: DESK.userId })
            .execute();
        },
        { actor: DESK },
      ),
    ).rejects.toThrow(/check/i);
    expect(await clientsPresent(store, ids)).toEqual([]);
  });

  it('gives the same values on both engines: ISO instants, 0/1 flags, numbers for counts', async () => {
    const store = current();
    const id = unique('child');
    const startsAt = '2026-03-02T09:15:00.000Z';
    const row = await store.transaction(
      async (tx) => {
        await tx
          .insertInto('clients')
          .values({
            id,
            track: 'child',
            name: 'Fiktivt barn',
            created_at: AT,
            created_by: DESK.userId,
            children_under_18: 0,
            first_contact_at: startsAt,
          })
          .execute();
        await book(tx, { clientId: id, track: 'child', startsAt });
        const client = await tx
          .selectFrom('clients')
          .select(['created_at', 'first_contact_at', 'is_alias', 'protected_identity', 'children_under_18', 'personal_number', 'gender'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        const { n } = await tx
          .selectFrom('appointments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('client_id', '=', id)
          .where('starts_at', '>=', '2026-03-02T09:00:00.000Z')
          .where('starts_at', '<', '2026-03-02T10:00:00.000Z')
          .executeTakeFirstOrThrow();
        return { ...client, n };
      },
      { actor: DESK },
    );
    expect(row).toEqual({
      created_at: AT,
      first_contact_at: startsAt,
      is_alias: 0,
      protected_identity: 0,
      children_under_18: 0,
      personal_number: null,
      gender: 'unknown',
      n: 1,
    });
  });

  it('refuses writes in a read-only transaction and keeps nothing of it', async () => {
    const store = current();
    const id = unique('victim');
    await expect(store.transaction((tx) => addClient(tx, 'victim', id), { actor: DESK, readOnly: true })).rejects.toThrow(/read.?only/i);
    expect(await clientsPresent(store, [id])).toEqual([]);
    // The next transaction writes again.
    await store.transaction((tx) => addClient(tx, 'victim', id), { actor: DESK });
    expect(await clientsPresent(store, [id])).toEqual([id]);
  });

  it('refuses a transaction opened inside another, and the outer one still commits', async () => {
    const store = current();
    const [outer, inner] = [unique('victim'), unique('victim')];
    await store.transaction(
      async (tx) => {
        await addClient(tx, 'victim', outer);
        await expect(store.transaction((nested) => addClient(nested, 'victim', inner), { actor: DESK })).rejects.toBeInstanceOf(
          NestedTransactionError,
        );
      },
      { actor: DESK },
    );
    expect(await clientsPresent(store, [outer, inner])).toEqual([outer]);
  });

  it('refuses a handle used after its transaction ended', async () => {
    const store = current();
    let kept: Tx | undefined;
    await store.transaction(
      async (tx) => {
        kept = tx;
      },
      { actor: DESK },
    );
    const id = unique('victim');
    await expect(addClient(kept!, 'victim', id)).rejects.toThrow(/transaction has ended/);
    expect(await clientsPresent(store, [id])).toEqual([]);
  });

  it('keeps concurrent transactions apart: one rolling back takes nothing of the other', async () => {
    const store = current();
    const mine = [unique('victim'), unique('victim')];
    const theirs = [unique('victim'), unique('victim')];
    const failure = new Error('this one gives up');
    const [first, second] = await Promise.allSettled([
      store.transaction(
        async (tx) => {
          await addClient(tx, 'victim', mine[0]);
          await turns();
          await addClient(tx, 'victim', mine[1]);
          await turns();
          throw failure;
        },
        { actor: DESK },
      ),
      store.transaction(
        async (tx) => {
          // In their own name: PostgreSQL refuses a client recorded as written by someone else.
          await addClient(tx, 'victim', theirs[0], OTHER_DESK.userId);
          await turns();
          await addClient(tx, 'victim', theirs[1], OTHER_DESK.userId);
        },
        { actor: OTHER_DESK },
      ),
    ]);
    expect(first).toEqual({ status: 'rejected', reason: failure });
    expect(second.status).toBe('fulfilled');
    expect(await clientsPresent(store, [...mine, ...theirs])).toEqual([...theirs].sort());
  });
}

describe('Store on the encrypted SQLite journal', () => {
  let db: Db;
  let store: Store;

  beforeEach(async () => {
    db = openEncrypted(path.join(tempDir(), 'journal.db'), randomBytes(32), { create: true });
    migrate(db);
    store = createSqliteStore(db);
    await seedBasics(store);
  });
  afterEach(async () => {
    await store.close();
  });

  storeContract(() => store);

  it('serialises transactions: two that await between statements never interleave', async () => {
    const events: string[] = [];
    const run = (name: string) =>
      store.transaction(
        async (tx) => {
          for (let step = 1; step <= 3; step += 1) {
            events.push(`${name}${step}`);
            await addClient(tx, 'victim');
            await turns();
          }
          // What this transaction sees is its own work and what committed before it, nothing half-done.
          return tx
            .selectFrom('clients')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow();
        },
        { actor: DESK },
      );
    const [a, b] = await Promise.all([run('A'), run('B')]);
    expect(events).toEqual(['A1', 'A2', 'A3', 'B1', 'B2', 'B3']);
    expect(b.n - a.n).toBe(3);
  });

  it('closes after the transactions already queued, and refuses later ones', async () => {
    const id = unique('victim');
    const queued = store.transaction(
      async (tx) => {
        await turns();
        await addClient(tx, 'victim', id);
      },
      { actor: DESK },
    );
    const closing = store.close();
    await queued;
    await closing;
    expect(db.open).toBe(false);
    await expect(store.transaction(async () => undefined)).rejects.toThrow(/closed/);
  });

  it('refuses to start while a transaction opened outside the store is still open', async () => {
    db.exec('BEGIN');
    await expect(store.transaction((tx) => addClient(tx, 'victim'), { actor: DESK })).rejects.toThrow(/already open/);
    db.exec('ROLLBACK');
  });
});

describe('Store on PostgreSQL', () => {
  let server: TestPostgres;
  let login: pg.PoolConfig;
  let store: Store;
  let admin: pg.Client;

  beforeAll(async () => {
    server = await startPostgres();
    login = await createServerJournal(server, 'utvag_store_test');
    store = createPostgresStore(login);
    admin = await server.connectAsAdmin('utvag_store_test');
    await seedBasics(store);
  });
  afterAll(async () => {
    await admin?.end();
    await store?.close();
    await server?.stop();
  });

  storeContract(() => store);

  it('runs each transaction as the actor’s role and user id, and neither outlives it', async () => {
    // One connection: every transaction below runs on the very same session.
    const single = createPostgresStore({ ...login, max: 1 });
    const who = (tx: Tx) =>
      sql<{ role: string; userId: string | null }>`SELECT current_user AS role, current_setting('utvag.user_id', true) AS "userId"`
        .execute(tx)
        .then((result) => result.rows[0]!);
    try {
      expect(await single.transaction(who, { actor: DESK })).toEqual({ role: 'utvag_receptionist', userId: DESK.userId });
      const after = await single.transaction(who);
      expect(after.role).toBe('utvag_server');
      expect(after.userId ?? '').toBe('');
      // Nor after a transaction that failed.
      await expect(
        single.transaction(
          async () => {
            throw new Error('gave up');
          },
          { actor: { userId: 'u-admin', role: 'admin' } },
        ),
      ).rejects.toThrow('gave up');
      const afterFailure = await single.transaction(who);
      expect(afterFailure.role).toBe('utvag_server');
      expect(afterFailure.userId ?? '').toBe('');
      // The login role alone has no rights on the journal.
      await expect(single.transaction((tx) => tx.selectFrom('clients').select('id').execute())).rejects.toThrow(/permission denied/);
    } finally {
      await single.close();
    }
  });

  it('writes a transaction’s start with its first statement, and runs none of its work when the start fails', async () => {
    const single = createPostgresStore({ ...login, max: 1 });
    const countOf = async (id: string) => Number((await admin.query('SELECT count(*) AS n FROM clients WHERE id = $1', [id])).rows[0].n);
    try {
      // BEGIN with the role and settings, the insert, COMMIT: three statements in two round trips.
      const statements = single.statements;
      const roundTrips = single.roundTrips;
      const written = await single.transaction((tx) => addClient(tx, 'victim'), { actor: DESK });
      expect([single.statements - statements, single.roundTrips - roundTrips]).toEqual([3, 2]);
      expect(await countOf(written)).toBe(1);
      // Work that asks nothing still starts and ends its transaction.
      expect(await single.transaction(async () => 'nothing asked', { actor: DESK })).toBe('nothing asked');

      // The login may no longer take the receptionist's role: the start fails where SET LOCAL ROLE
      // runs, the insert written behind it is refused by the failed transaction, and the start's
      // error is the one reported.
      await admin.query(`REVOKE utvag_receptionist FROM ${login.user}`);
      const refused = unique('victim');
      await expect(single.transaction((tx) => addClient(tx, 'victim', refused), { actor: DESK })).rejects.toThrow(/permission denied to set role/);
      expect(await countOf(refused)).toBe(0);
      // The connection is usable again, outside any transaction and with no one's rights.
      await admin.query(`GRANT utvag_receptionist TO ${login.user}`);
      const again = await single.transaction((tx) => addClient(tx, 'victim'), { actor: DESK });
      expect(await countOf(again)).toBe(1);
    } finally {
      await admin.query(`GRANT utvag_receptionist TO ${login.user}`);
      await single.close();
    }
  });

  it('keeps the hot statements prepared per connection, and a kept plan never carries one person’s rows to another', async () => {
    // One connection, whose kept statements the store has planned once for any values (the generic
    // plan, which PostgreSQL would otherwise choose only when it looks no dearer than planning each
    // time): the same prepared statement then runs for different roles, people and sides on the very same session.
    const single = createPostgresStore({ ...login, max: 1 });
    const carer = unique('u-carer');
    const stranger = unique('u-stranger');
    const victim = unique('victim');
    const perpetrator = unique('perpetrator');
    const [signed, draft] = [unique('entry-signed'), unique('entry-draft')];
    // Seeded past the second line (the test's superuser): a therapist in care of the victim, one not.
    await admin.query(
      `INSERT INTO users (id, username, display_name, created_at) VALUES ($1, $1, 'Fiktiv Vårdare', $3), ($2, $2, 'Fiktiv Främling', $3)`,
      [carer, stranger, AT],
    );
    await admin.query(`INSERT INTO user_roles (user_id, role) VALUES ($1, 'therapist'), ($2, 'therapist')`, [carer, stranger]);
    await admin.query(`INSERT INTO therapist_tracks (user_id, track) VALUES ($1, 'victim'), ($2, 'victim')`, [carer, stranger]);
    await admin.query(
      `INSERT INTO clients (id, track, name, created_at, created_by) VALUES ($1, 'victim', 'Fiktiv Ett', $3, $4), ($2, 'perpetrator', 'Fiktiv Två', $3, $4)`,
      [victim, perpetrator, AT, DESK.userId],
    );
    await admin.query(`INSERT INTO care_relations (id, client_id, therapist_id, started_at, created_by) VALUES ($1, $2, $3, $4, $5)`, [
      unique('care'),
      victim,
      carer,
      AT,
      DESK.userId,
    ]);
    await admin.query(
      `INSERT INTO journal_entries (id, client_id, author_id, kind, status, body, created_at, updated_at, signed_at)
       VALUES ($1, $3, $4, 'note', 'signed', 'Påhittad signerad', $5, $5, $5), ($2, $3, $4, 'note', 'draft', 'Påhittat utkast', $5, $5, NULL)`,
      [signed, draft, victim, carer, AT],
    );
    // Hot queries compiled once (reusableQuery) are the statements kept prepared on PostgreSQL.
    const entriesOf = reusableQuery<[string], { id: string }>(1, (tx, client) =>
      tx.selectFrom('journal_entries').select('id').where('client_id', '=', client).orderBy('id'),
    );
    const clientsOf = reusableQuery<[string[]], { id: string }>(1, (tx, ids) =>
      tx.selectFrom('clients').select('id').where('id', 'in', ids).orderBy('id'),
    );
    const entries = async (tx: Tx) => (await entriesOf.all(tx, victim)).map((row) => row.id);
    const clients = async (tx: Tx) => (await clientsOf.all(tx, [victim, perpetrator])).map((row) => row.id);
    const asCarer: Actor = { userId: carer, role: 'therapist' };
    const asStranger: Actor = { userId: stranger, role: 'therapist' };
    try {
      for (let round = 0; round < 3; round += 1) {
        expect(await single.transaction(entries, { actor: asCarer })).toEqual([draft, signed].sort());
        // Another therapist, same role: the policies read who she is at each execution.
        expect(await single.transaction(entries, { actor: asStranger })).toEqual([]);
        // Another role: its own policies (signed entries only), not the therapist's plan.
        expect(await single.transaction(entries, { actor: ADMIN })).toEqual([signed]);
        expect(await single.transaction(clients, { actor: DESK, side: 'victims' })).toEqual([victim]);
        expect(await single.transaction(clients, { actor: DESK, side: 'perpetrators' })).toEqual([perpetrator]);
        expect(await single.transaction(clients, { actor: DESK })).toEqual([victim, perpetrator].sort());
      }
      // Both statements really were kept and run from one generic plan on this connection.
      const kept = await single.transaction(
        (tx) =>
          sql<{
            statement: string;
            generic: number;
          }>`SELECT statement, generic_plans::int AS generic FROM pg_prepared_statements WHERE statement LIKE ${'%"journal_entries"%'} OR statement LIKE ${'%from "clients"%'}`
            .execute(tx)
            .then((result) => result.rows),
        { actor: DESK },
      );
      expect(kept.length).toBeGreaterThanOrEqual(2);
      for (const statement of kept) expect(statement.generic).toBeGreaterThanOrEqual(9);
      // Planned once for the statement's life on the connection, whatever the tables' statistics say.
      const mode = await single.transaction((tx) => sql<{ plan_cache_mode: string }>`SHOW plan_cache_mode`.execute(tx), { actor: DESK });
      expect(mode.rows).toEqual([{ plan_cache_mode: 'force_generic_plan' }]);
    } finally {
      await single.close();
    }
  });

  it('lets a role do only what its grants allow', async () => {
    const therapist: Actor = { userId: THERAPIST, role: 'therapist' };
    await expect(store.transaction((tx) => addClient(tx, 'victim'), { actor: therapist })).rejects.toThrow(/permission denied/);
    await expect(
      store.transaction(
        (tx) =>
          tx
            .insertInto('users')
            .values({ id: unique('u'), username: unique('u'), display_name: 'X', created_at: AT })
            .execute(),
        {
          actor: DESK,
        },
      ),
    ).rejects.toThrow(/permission denied/);
  });

  it('refuses a booking written in another person’s name (row-level security)', async () => {
    const victim = await store.transaction((tx) => addClient(tx, 'victim'), { actor: DESK });
    await expect(
      store.transaction((tx) => book(tx, { clientId: victim, track: 'victim', startsAt: '2026-04-01T08:00:00.000Z', createdBy: OTHER_DESK.userId }), {
        actor: DESK,
      }),
    ).rejects.toThrow(/row-level security/);
  });

  describe('the separation rule as an exclusion constraint', () => {
    async function pair(): Promise<{ victim: string; perpetrator: string; linkId: string }> {
      return store.transaction(
        async (tx) => {
          const victim = await addClient(tx, 'victim');
          const perpetrator = await addClient(tx, 'perpetrator');
          return { victim, perpetrator, linkId: await link(tx, victim, perpetrator) };
        },
        { actor: DESK },
      );
    }
    const bookAs = (actor: Actor, booking: Parameters<typeof book>[1]) =>
      store.transaction((tx) => book(tx, { createdBy: actor.userId, ...booking }), { actor });

    it('refuses a linked pair across sides closer than the buffer at one site, and says nothing of why', async () => {
      const { victim, perpetrator, linkId } = await pair();
      // The victim 08:00–09:00 UTC; the perpetrator 10:30, 90 minutes after. The default buffer is 120 minutes.
      const victimAppointment = await bookAs(DESK, { clientId: victim, track: 'victim', startsAt: '2026-05-04T08:00:00.000Z' });
      const refusal = await bookAs(DESK, { clientId: perpetrator, track: 'perpetrator', startsAt: '2026-05-04T10:30:00.000Z' }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(SeparationConflictError);
      const told = `${String(refusal)} ${JSON.stringify(refusal)} ${(refusal as Error).stack ?? ''}`;
      for (const secret of [victim, linkId, victimAppointment, 'separation_spans', '2026-05-04', SITE]) expect(told).not.toContain(secret);
      // Before it, too: 05:01–06:01 ends 119 minutes before the victim's start.
      await expect(bookAs(DESK, { clientId: perpetrator, track: 'perpetrator', startsAt: '2026-05-04T05:01:00.000Z' })).rejects.toBeInstanceOf(
        SeparationConflictError,
      );
    });

    it('allows a gap of exactly the buffer, another site, the same side, and a cancelled appointment', async () => {
      const { victim, perpetrator } = await pair();
      const victimAppointment = await bookAs(DESK, { clientId: victim, track: 'victim', startsAt: '2026-05-05T08:00:00.000Z' });
      // The victim's ends 09:00; 09:00 + 120 minutes = 11:00.
      await bookAs(DESK, { clientId: perpetrator, track: 'perpetrator', startsAt: '2026-05-05T11:00:00.000Z' });
      await bookAs(DESK, { clientId: perpetrator, track: 'perpetrator', startsAt: '2026-05-05T08:30:00.000Z', siteId: OTHER_SITE });
      // A child linked to the victim is on the same side: no buffer between them.
      const child = await store.transaction(
        async (tx) => {
          const id = await addClient(tx, 'child');
          await link(tx, id, victim);
          return id;
        },
        { actor: DESK },
      );
      await bookAs(DESK, { clientId: child, track: 'child', startsAt: '2026-05-05T08:00:00.000Z' });
      // Moving the victim's appointment next to the perpetrator's is refused; cancelling it frees the time.
      const move = { starts_at: '2026-05-05T10:00:00.000Z', ends_at: '2026-05-05T10:30:00.000Z' };
      await expect(
        store.transaction((tx) => tx.updateTable('appointments').set(move).where('id', '=', victimAppointment).execute(), { actor: DESK }),
      ).rejects.toBeInstanceOf(SeparationConflictError);
      await store.transaction((tx) => tx.updateTable('appointments').set({ status: 'cancelled' }).where('id', '=', victimAppointment).execute(), {
        actor: DESK,
      });
      await bookAs(DESK, { clientId: perpetrator, track: 'perpetrator', startsAt: '2026-05-05T07:00:00.000Z' });
    });

    /**
     * Opens the first transaction and does its work, then starts the second and lets the first
     * commit only once the second is seen waiting on a lock: both are open at the same time.
     * Gives back what the second transaction came to (its value or its error).
     */
    async function secondWaitsForFirst(first: (tx: Tx) => Promise<unknown>, second: (tx: Tx) => Promise<unknown>): Promise<unknown> {
      let worked!: () => void;
      const firstWorked = new Promise<void>((resolve) => (worked = resolve));
      let commit!: () => void;
      const mayCommit = new Promise<void>((resolve) => (commit = resolve));
      const firstDone = store.transaction(
        async (tx) => {
          await first(tx);
          worked();
          await mayCommit;
        },
        { actor: DESK },
      );
      await firstWorked;
      const secondOutcome = store.transaction(second, { actor: OTHER_DESK }).then(
        (value) => value,
        (error: unknown) => error,
      );
      try {
        for (let waited = 0; ; waited += 1) {
          const { rows } = await admin.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          if (rows[0]!.n === 1) break;
          if (waited > 500) throw new Error('the second transaction never waited for the first');
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      } finally {
        commit();
      }
      await firstDone;
      return secondOutcome;
    }

    it('holds when two desks book the pair at the same moment: the second waits, then is refused', async () => {
      const { victim, perpetrator } = await pair();
      const startsAt = '2026-05-06T08:00:00.000Z';
      const outcome = await secondWaitsForFirst(
        (tx) => book(tx, { clientId: victim, track: 'victim', startsAt }),
        (tx) => book(tx, { clientId: perpetrator, track: 'perpetrator', startsAt, createdBy: OTHER_DESK.userId }),
      );
      expect(outcome).toBeInstanceOf(SeparationConflictError);
      const { rows } = await admin.query('SELECT client_id FROM appointments WHERE client_id = ANY($1)', [[victim, perpetrator]]);
      expect(rows).toEqual([{ client_id: victim }]);
    });

    it('holds when a link is being written while the other side books: the booking waits for the link', async () => {
      const ids = await store.transaction(
        async (tx) => ({ victim: await addClient(tx, 'victim'), perpetrator: await addClient(tx, 'perpetrator') }),
        {
          actor: DESK,
        },
      );
      const startsAt = '2026-05-09T08:00:00.000Z';
      await bookAs(DESK, { clientId: ids.victim, track: 'victim', startsAt });
      // Without the row locks the booking would not see the uncommitted link, nor the link the booking.
      const outcome = await secondWaitsForFirst(
        (tx) => link(tx, ids.victim, ids.perpetrator),
        (tx) => book(tx, { clientId: ids.perpetrator, track: 'perpetrator', startsAt, createdBy: OTHER_DESK.userId }),
      );
      expect(outcome).toBeInstanceOf(SeparationConflictError);
    });

    it('never lets both of a racing pair through', async () => {
      for (let round = 0; round < 5; round += 1) {
        const { victim, perpetrator } = await pair();
        const startsAt = `2026-06-0${round + 1}T08:00:00.000Z`;
        const results = await Promise.allSettled([
          bookAs(DESK, { clientId: victim, track: 'victim', startsAt }),
          bookAs(OTHER_DESK, { clientId: perpetrator, track: 'perpetrator', startsAt }),
        ]);
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        const refused = results.find((result) => result.status === 'rejected');
        expect(refused?.reason).toBeInstanceOf(SeparationConflictError);
      }
    });

    it('covers appointments booked before the link, without refusing the link over an existing clash', async () => {
      const ids = await store.transaction(
        async (tx) => ({ victim: await addClient(tx, 'victim'), perpetrator: await addClient(tx, 'perpetrator') }),
        {
          actor: DESK,
        },
      );
      await bookAs(DESK, { clientId: ids.victim, track: 'victim', startsAt: '2026-05-07T08:00:00.000Z' });
      // Not yet linked: the app knew of no reason to keep them apart.
      await bookAs(DESK, { clientId: ids.perpetrator, track: 'perpetrator', startsAt: '2026-05-07T08:00:00.000Z' });
      await bookAs(DESK, { clientId: ids.victim, track: 'victim', startsAt: '2026-05-08T08:00:00.000Z' });
      await store.transaction((tx) => link(tx, ids.victim, ids.perpetrator), { actor: DESK });
      await expect(bookAs(DESK, { clientId: ids.perpetrator, track: 'perpetrator', startsAt: '2026-05-08T08:30:00.000Z' })).rejects.toBeInstanceOf(
        SeparationConflictError,
      );
    });

    it('keeps its spans from every app role', async () => {
      for (const role of ['receptionist', 'therapist', 'admin'] as const) {
        await expect(store.transaction((tx) => sql`SELECT * FROM separation_spans`.execute(tx), { actor: { userId: 'u-x', role } })).rejects.toThrow(
          /permission denied/,
        );
      }
    });
  });

  it('has every table of the SQLite journal, with its columns', async () => {
    const db = openEncrypted(path.join(tempDir(), 'journal.db'), randomBytes(32), { create: true });
    migrate(db);
    // The server's own bookkeeping, which the SQLite journal has no use for (see db/engine/README.md).
    const serverOnly = ['separation_spans', 'access_log_head', 'user_passwords', 'restore_marker'];
    const { rows } = await admin.query<{ table_name: string; column_name: string; is_nullable: string; data_type: string }>(
      `SELECT c.table_name, c.column_name, c.is_nullable, c.data_type FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
       WHERE c.table_schema = 'public' AND c.table_name <> ALL ($1) ORDER BY c.table_name, c.ordinal_position`,
      [serverOnly],
    );
    const tables = [...new Set(rows.map((row) => row.table_name))].sort();
    const sqliteTables = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]
    ).map((row) => row.name);
    expect(tables).toEqual([...sqliteTables].sort());
    for (const table of tables) {
      const sqlite = sqliteColumns(db, table).map(({ name, nullable, integer }) => ({ name, nullable, integer }));
      const postgres = rows
        .filter((row) => row.table_name === table)
        .map((row) => ({
          name: row.column_name,
          nullable: row.is_nullable === 'YES',
          integer: ['smallint', 'integer', 'bigint'].includes(row.data_type),
        }));
      expect({ table, columns: sortByName(postgres) }).toEqual({ table, columns: sortByName(sqlite) });
    }
    // Instants are timestamptz everywhere (read back as ISO text); none is left as text.
    const instants = rows.filter((row) => row.column_name.endsWith('_at'));
    expect(instants.length).toBeGreaterThan(20);
    expect(instants.filter((row) => row.data_type !== 'timestamp with time zone')).toEqual([]);
    db.close();
  });
});

interface Column {
  name: string;
  nullable: boolean;
  integer: boolean;
}

function sortByName<T extends { name: string }>(columns: T[]): T[] {
  return [...columns].sort((a, b) => a.name.localeCompare(b.name));
}

function sqliteColumns(db: Db, table: string): Column[] {
  return (
    db.prepare(`SELECT name, type, "notnull", pk FROM pragma_table_info(?)`).all(table) as {
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }[]
  ).map((column) => ({ name: column.name, nullable: column.notnull === 0 && column.pk === 0, integer: column.type === 'INTEGER' }));
}

/** The interfaces of db/engine/schema.ts, read from the source: table → its columns. */
function declaredSchema(): Map<string, Column[]> {
  const file = path.join(import.meta.dirname, '../../db/engine/schema.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  });
  const tables = new Map<string, Column[]>();
  for (const member of interfaces.get('Database')!.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const declaration = interfaces.get(member.type.getText())!;
    tables.set(
      member.name.getText(),
      declaration.members.filter(ts.isPropertySignature).map((column) => {
        const type = column.type!.getText();
        return { name: column.name.getText(), nullable: /\bnull\b/.test(type), integer: /\b(number|Flag)\b/.test(type) };
      }),
    );
  }
  return tables;
}

describe('the Kysely table types', () => {
  it('name every table and column of the migrated journal, with its nullability and kind', () => {
    const db = openEncrypted(path.join(tempDir(), 'journal.db'), randomBytes(32), { create: true });
    migrate(db);
    const declared = declaredSchema();
    const tables = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]
    ).map((row) => row.name);
    expect([...declared.keys()].sort()).toEqual(tables);
    for (const table of tables) {
      expect({ table, columns: sortByName(declared.get(table)!) }).toEqual({ table, columns: sortByName(sqliteColumns(db, table)) });
    }
    db.close();
  });
});
