import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Tx } from '../../db/engine/store.js';
import { appendLogRow } from '../../db/accessLog.js';
import { addClient, AT, book, logEntry, outcome, PEOPLE, plusMinutes, unique, useServerJournal } from '../helpers/serverJournal.js';

/**
 * The database's second line, tested on its own: transactions as each app role, straight at the
 * tables, as a router bug would send them. What they may not reach they must not get.
 */
const journal = useServerJournal('utvag_second_line_test');

const SECRET = 'Fiktiv journaltext som bara vården får läsa';
const DRAFT = 'Fiktivt utkast, bara författarens';

async function entry(tx: Tx, clientId: string, by: Actor, status: 'draft' | 'signed', body: string): Promise<string> {
  const id = unique('entry');
  const now = new Date().toISOString();
  await tx
    .insertInto('journal_entries')
    .values({
      id,
      client_id: clientId,
      author_id: by.userId,
      kind: 'note',
      status,
      body,
      created_at: now,
      updated_at: now,
      signed_at: status === 'signed' ? now : null,
      amends_id: null,
      amendment_reason: null,
    })
    .execute();
  return id;
}

/** Every row of journal_entries the actor's transaction can see, with its text. */
async function textsSeenBy(actor: Actor, clientId: string): Promise<string[]> {
  return journal()
    .store.transaction((tx) => tx.selectFrom('journal_entries').select('body').where('client_id', '=', clientId).orderBy('body').execute(), {
      actor,
      readOnly: true,
    })
    .then((rows) => rows.map((row) => row.body));
}

async function careRelation(clientId: string, therapist: Actor, by: Actor = PEOPLE.desk): Promise<string> {
  const id = unique('care');
  await journal().store.transaction(
    (tx) =>
      tx
        .insertInto('care_relations')
        .values({ id, client_id: clientId, therapist_id: therapist.userId, started_at: new Date().toISOString(), created_by: by.userId })
        .execute(),
    { actor: by },
  );
  return id;
}

describe('journal text under row-level security', () => {
  let victim: string;
  let signedId: string;

  beforeAll(async () => {
    const { store } = journal();
    victim = await store.transaction((tx) => addClient(tx, 'victim'), { actor: PEOPLE.desk });
    await careRelation(victim, PEOPLE.therapist);
    signedId = await store.transaction(
      async (tx) => {
        await entry(tx, victim, PEOPLE.therapist, 'draft', DRAFT);
        return entry(tx, victim, PEOPLE.therapist, 'signed', SECRET);
      },
      { actor: PEOPLE.therapist },
    );
  });

  it('gives a receptionist’s transaction no journal text, whatever it asks', async () => {
    const { store } = journal();
    for (const query of [
      sql`SELECT body FROM journal_entries`,
      sql`SELECT * FROM journal_entries WHERE client_id = ${victim}`,
      sql`SELECT count(*) FROM journal_entries`,
      sql`SELECT amendment_reason FROM journal_entries`,
      sql`SELECT reason FROM emergency_grants`,
    ]) {
      await expect(store.transaction((tx) => query.execute(tx), { actor: PEOPLE.desk })).rejects.toThrow(/permission denied/);
    }
  });

  it('gives a therapist the text only in a care relation, her drafts only to her', async () => {
    expect(await textsSeenBy(PEOPLE.therapist, victim)).toEqual([DRAFT, SECRET].sort());
    // A colleague on the same track, with no care relation: no row, not even an error saying there is one.
    expect(await textsSeenBy(PEOPLE.colleague, victim)).toEqual([]);
    await careRelation(victim, PEOPLE.colleague);
    expect(await textsSeenBy(PEOPLE.colleague, victim)).toEqual([SECRET]);
    // The relation ends: the journal closes again.
    await journal().store.transaction(
      (tx) =>
        tx
          .updateTable('care_relations')
          .set({ ended_at: new Date().toISOString() })
          .where('client_id', '=', victim)
          .where('therapist_id', '=', PEOPLE.colleague.userId)
          .execute(),
      { actor: PEOPLE.desk },
    );
    expect(await textsSeenBy(PEOPLE.colleague, victim)).toEqual([]);
    // An ended relation stays ended: setting its end back to null touches no row.
    const reopened = await journal().store.transaction(
      (tx) =>
        tx
          .updateTable('care_relations')
          .set({ ended_at: null })
          .where('client_id', '=', victim)
          .where('therapist_id', '=', PEOPLE.colleague.userId)
          .executeTakeFirst(),
      { actor: PEOPLE.desk },
    );
    expect(Number(reopened.numUpdatedRows)).toBe(0);
    expect(await textsSeenBy(PEOPLE.colleague, victim)).toEqual([]);
  });

  it('closes the journal when the therapist no longer serves the track or is deactivated', async () => {
    const { admin } = journal();
    await admin.query(`DELETE FROM therapist_tracks WHERE user_id = $1 AND track = 'victim'`, [PEOPLE.therapist.userId]);
    try {
      expect(await textsSeenBy(PEOPLE.therapist, victim)).toEqual([]);
    } finally {
      await admin.query(`INSERT INTO therapist_tracks (user_id, track) VALUES ($1, 'victim')`, [PEOPLE.therapist.userId]);
    }
    await admin.query('UPDATE users SET active = 0 WHERE id = $1', [PEOPLE.therapist.userId]);
    try {
      expect(await textsSeenBy(PEOPLE.therapist, victim)).toEqual([]);
    } finally {
      await admin.query('UPDATE users SET active = 1 WHERE id = $1', [PEOPLE.therapist.userId]);
    }
    expect(await textsSeenBy(PEOPLE.therapist, victim)).toEqual([DRAFT, SECRET].sort());
  });

  it('refuses a care relation across tracks, and one written in another person’s name', async () => {
    await expect(careRelation(victim, PEOPLE.otherTrack)).rejects.toThrow(/row-level security/);
    const id = unique('care');
    await expect(
      journal().store.transaction(
        (tx) =>
          tx
            .insertInto('care_relations')
            .values({ id, client_id: victim, therapist_id: PEOPLE.colleague.userId, started_at: AT, created_by: PEOPLE.otherDesk.userId })
            .execute(),
        { actor: PEOPLE.desk },
      ),
    ).rejects.toThrow(/row-level security/);
    // Even one slipped in behind the app's back opens nothing across tracks.
    await journal().admin.query('INSERT INTO care_relations (id, client_id, therapist_id, started_at, created_by) VALUES ($1, $2, $3, $4, $5)', [
      id,
      victim,
      PEOPLE.otherTrack.userId,
      AT,
      PEOPLE.desk.userId,
    ]);
    expect(await textsSeenBy(PEOPLE.otherTrack, victim)).toEqual([]);
  });

  it('opens the journal through an emergency access only when the access log records it', async () => {
    const { store, admin } = journal();
    const client = await store.transaction((tx) => addClient(tx, 'victim'), { actor: PEOPLE.desk });
    // Written behind the app's back: the therapist has no care relation for this client.
    await admin.query(
      `INSERT INTO journal_entries (id, client_id, author_id, kind, status, body, created_at, updated_at, signed_at)
       VALUES ($1, $2, $3, 'note', 'signed', $4, now(), now(), now())`,
      [unique('entry'), client, PEOPLE.therapist.userId, SECRET],
    );
    const grant = (tx: Tx, seq: number, expiresAt = plusMinutes(new Date().toISOString(), 240)) =>
      tx
        .insertInto('emergency_grants')
        .values({
          id: unique('grant'),
          client_id: client,
          user_id: PEOPLE.colleague.userId,
          granted_at: new Date().toISOString(),
          expires_at: expiresAt,
          reason: 'Fiktivt akut skäl',
          access_log_seq: seq,
        })
        .execute();
    // A grant pointing at a log row that is no emergency access of hers opens nothing.
    await store.transaction(
      async (tx) => {
        const seq = await appendLogRow(tx, logEntry(PEOPLE.colleague, { clientId: client }));
        await grant(tx, seq);
      },
      { actor: PEOPLE.colleague },
    );
    expect(await textsSeenBy(PEOPLE.colleague, client)).toEqual([]);
    // Longer than the app's four hours is refused.
    await expect(
      store.transaction(
        async (tx) => {
          const seq = await appendLogRow(tx, logEntry(PEOPLE.colleague, { clientId: client, emergency: true, reason: 'akut' }));
          await grant(tx, seq, plusMinutes(new Date().toISOString(), 24 * 60));
        },
        { actor: PEOPLE.colleague },
      ),
    ).rejects.toThrow(/row-level security/);
    // Nor for a therapist of another track, however it is logged (care follows the track).
    await expect(
      store.transaction(
        async (tx) => {
          const seq = await appendLogRow(tx, logEntry(PEOPLE.otherTrack, { clientId: client, emergency: true, reason: 'akut' }));
          await tx
            .insertInto('emergency_grants')
            .values({
              id: unique('grant'),
              client_id: client,
              user_id: PEOPLE.otherTrack.userId,
              granted_at: new Date().toISOString(),
              expires_at: plusMinutes(new Date().toISOString(), 60),
              reason: 'Fiktivt akut skäl',
              access_log_seq: seq,
            })
            .execute();
        },
        { actor: PEOPLE.otherTrack },
      ),
    ).rejects.toThrow(/row-level security/);
    // Logged as an emergency access by her, for this client: open.
    await store.transaction(
      async (tx) => {
        const seq = await appendLogRow(tx, logEntry(PEOPLE.colleague, { clientId: client, emergency: true, reason: 'akut' }));
        await grant(tx, seq);
      },
      { actor: PEOPLE.colleague },
    );
    expect(await textsSeenBy(PEOPLE.colleague, client)).toEqual([SECRET]);
    // Her grants are hers: another therapist sees neither them nor the text.
    expect(await store.transaction((tx) => tx.selectFrom('emergency_grants').selectAll().execute(), { actor: PEOPLE.therapist })).toEqual([]);
    expect(await textsSeenBy(PEOPLE.therapist, client)).toEqual([]);
    // Expired: closed again.
    await admin.query(`UPDATE emergency_grants SET expires_at = now() - interval '1 minute' WHERE client_id = $1`, [client]);
    expect(await textsSeenBy(PEOPLE.colleague, client)).toEqual([]);
  });

  it('lets a therapist write only where the journal is open, and only in her own name', async () => {
    const { store } = journal();
    const other = await store.transaction((tx) => addClient(tx, 'victim'), { actor: PEOPLE.desk });
    await expect(store.transaction((tx) => entry(tx, other, PEOPLE.therapist, 'draft', 'x'), { actor: PEOPLE.therapist })).rejects.toThrow(
      /row-level security/,
    );
    await expect(store.transaction((tx) => entry(tx, victim, PEOPLE.colleague, 'draft', 'x'), { actor: PEOPLE.therapist })).rejects.toThrow(
      /row-level security/,
    );
  });

  it('gives admins the dates of signed entries for the retention report, never their text', async () => {
    const { store } = journal();
    const rows = await store.transaction(
      (tx) => tx.selectFrom('journal_entries').select(['id', 'status', 'created_at']).where('client_id', '=', victim).execute(),
      { actor: PEOPLE.admin },
    );
    expect(rows.map((row) => [row.id, row.status])).toEqual([[signedId, 'signed']]);
    for (const query of [
      sql`SELECT body FROM journal_entries`,
      sql`SELECT * FROM journal_entries`,
      sql`SELECT amendment_reason FROM journal_entries`,
    ]) {
      await expect(store.transaction((tx) => query.execute(tx), { actor: PEOPLE.admin })).rejects.toThrow(/permission denied/);
    }
  });

  it('never lets a signed entry be changed or deleted, by its author or anyone', async () => {
    const { store, admin } = journal();
    // The author, with the journal open: her update and delete find no row to touch.
    const touched = await store.transaction(
      async (tx) => {
        const updated = await tx.updateTable('journal_entries').set({ body: 'ändrad' }).where('id', '=', signedId).executeTakeFirst();
        const deleted = await tx.deleteFrom('journal_entries').where('id', '=', signedId).executeTakeFirst();
        return [Number(updated.numUpdatedRows), Number(deleted.numDeletedRows)];
      },
      { actor: PEOPLE.therapist },
    );
    expect(touched).toEqual([0, 0]);
    for (const actor of [PEOPLE.desk, PEOPLE.admin]) {
      for (const statement of [sql`UPDATE journal_entries SET body = 'ändrad'`, sql`DELETE FROM journal_entries`, sql`TRUNCATE journal_entries`]) {
        await expect(store.transaction((tx) => statement.execute(tx), { actor })).rejects.toThrow(/permission denied/);
      }
    }
    // Behind every policy (the superuser), the trigger still refuses.
    await expect(admin.query(`UPDATE journal_entries SET body = 'ändrad' WHERE id = $1`, [signedId])).rejects.toThrow(/signed journal entry/);
    await expect(admin.query('DELETE FROM journal_entries WHERE id = $1', [signedId])).rejects.toThrow(/signed journal entry/);
    expect(await textsSeenBy(PEOPLE.therapist, victim)).toContain(SECRET);
    // A draft is still the author's to sign.
    const draft = await store.transaction((tx) => entry(tx, victim, PEOPLE.therapist, 'draft', 'Fiktivt att signera'), { actor: PEOPLE.therapist });
    await store.transaction(
      (tx) => {
        const at = new Date().toISOString();
        return tx.updateTable('journal_entries').set({ status: 'signed', signed_at: at, updated_at: at }).where('id', '=', draft).execute();
      },
      { actor: PEOPLE.therapist },
    );
    await expect(admin.query(`UPDATE journal_entries SET body = 'ändrad' WHERE id = $1`, [draft])).rejects.toThrow(/signed journal entry/);
  });
});

describe('contact details under protected identity', () => {
  const PHONE = '070-123 45 67';
  const DIGITS = '0701234567';

  async function clientWithContact(protectedIdentity: 0 | 1): Promise<string> {
    const id = unique('victim');
    // As at intake: the client and the details in one transaction. A plain insert: an upsert
    // (ON CONFLICT DO UPDATE) must be able to read the row back, which reception may not.
    const contact = { client_id: id, phone: PHONE, phone_digits: DIGITS, address: 'Fiktiv väg 1', code_word: 'Fiktivt kodord' };
    await journal().store.transaction(
      async (tx) => {
        await tx
          .insertInto('clients')
          .values({
            id,
            track: 'victim',
            name: 'Fiktiv skyddad',
            protected_identity: protectedIdentity,
            created_at: AT,
            created_by: PEOPLE.desk.userId,
          })
          .execute();
        await tx.insertInto('client_contacts').values(contact).execute();
      },
      { actor: PEOPLE.desk },
    );
    if (protectedIdentity === 1) {
      await expect(
        journal().store.transaction(
          (tx) =>
            tx
              .insertInto('client_contacts')
              .values(contact)
              .onConflict((conflict) => conflict.column('client_id').doUpdateSet({ address: 'Ändrad' }))
              .execute(),
          { actor: PEOPLE.desk },
        ),
      ).rejects.toThrow(/row-level security/);
    }
    return id;
  }

  const contactsSeenBy = (actor: Actor, clientId: string) =>
    journal().store.transaction(
      async (tx) => ({
        byId: (await tx.selectFrom('client_contacts').select('address').where('client_id', '=', clientId).execute()).length,
        byPhone: (
          await tx.selectFrom('client_contacts').select('client_id').where('phone_digits', '=', DIGITS).where('client_id', '=', clientId).execute()
        ).length,
      }),
      { actor, readOnly: true },
    );

  it('shows a protected client’s details only to admins and her own therapist, and lets no search match them', async () => {
    const client = await clientWithContact(1);
    expect(await contactsSeenBy(PEOPLE.desk, client)).toEqual({ byId: 0, byPhone: 0 });
    expect(await contactsSeenBy(PEOPLE.admin, client)).toEqual({ byId: 1, byPhone: 1 });
    expect(await contactsSeenBy(PEOPLE.therapist, client)).toEqual({ byId: 0, byPhone: 0 });
    await careRelation(client, PEOPLE.therapist);
    expect(await contactsSeenBy(PEOPLE.therapist, client)).toEqual({ byId: 1, byPhone: 1 });
    // An emergency access opens the journal, not a protected client's whereabouts.
    await journal().store.transaction(
      async (tx) => {
        const seq = await appendLogRow(tx, logEntry(PEOPLE.colleague, { clientId: client, emergency: true, reason: 'akut' }));
        const now = new Date().toISOString();
        await tx
          .insertInto('emergency_grants')
          .values({
            id: unique('grant'),
            client_id: client,
            user_id: PEOPLE.colleague.userId,
            granted_at: now,
            expires_at: plusMinutes(now, 60),
            reason: 'akut',
            access_log_seq: seq,
          })
          .execute();
      },
      { actor: PEOPLE.colleague },
    );
    expect(await contactsSeenBy(PEOPLE.colleague, client)).toEqual({ byId: 0, byPhone: 0 });
    // Reception's save cannot change what it cannot see.
    const changed = await journal().store.transaction(
      (tx) => tx.updateTable('client_contacts').set({ address: 'Ändrad' }).where('client_id', '=', client).executeTakeFirst(),
      { actor: PEOPLE.desk },
    );
    expect(Number(changed.numUpdatedRows)).toBe(0);
  });

  it('lets reception switch a client’s protection on but never off; an admin lifts it', async () => {
    const client = await clientWithContact(0);
    const protect = (actor: Actor, value: 0 | 1) =>
      journal().store.transaction((tx) => tx.updateTable('clients').set({ protected_identity: value }).where('id', '=', client).execute(), { actor });
    await protect(PEOPLE.desk, 1);
    expect(await contactsSeenBy(PEOPLE.desk, client)).toEqual({ byId: 0, byPhone: 0 });
    await expect(protect(PEOPLE.desk, 0)).rejects.toMatchObject({ code: '42501' });
    expect(await contactsSeenBy(PEOPLE.desk, client)).toEqual({ byId: 0, byPhone: 0 });
    // Nor in one statement with another change.
    await expect(
      journal().store.transaction(
        (tx) => tx.updateTable('clients').set({ protected_identity: 0, name: 'Fiktiv ändrad' }).where('id', '=', client).execute(),
        { actor: PEOPLE.desk },
      ),
    ).rejects.toMatchObject({ code: '42501' });
    await protect(PEOPLE.admin, 0);
    expect(await contactsSeenBy(PEOPLE.desk, client)).toEqual({ byId: 1, byPhone: 1 });
  });

  it('shows an unprotected client’s details to reception, and to a therapist only with the journal open', async () => {
    const client = await clientWithContact(0);
    expect(await contactsSeenBy(PEOPLE.desk, client)).toEqual({ byId: 1, byPhone: 1 });
    expect(await contactsSeenBy(PEOPLE.colleague, client)).toEqual({ byId: 0, byPhone: 0 });
    await careRelation(client, PEOPLE.colleague);
    expect(await contactsSeenBy(PEOPLE.colleague, client)).toEqual({ byId: 1, byPhone: 1 });
  });
});

describe('one side per transaction (utvag.side)', () => {
  it('hides the other side’s clients, appointments and what hangs off them, and refuses writing there', async () => {
    const { store } = journal();
    const ids = await store.transaction(
      async (tx) => {
        const victim = await addClient(tx, 'victim');
        const child = await addClient(tx, 'child');
        const perpetrator = await addClient(tx, 'perpetrator');
        for (const id of [victim, perpetrator]) {
          await tx.insertInto('client_contacts').values({ client_id: id, phone: '070-000 00 00' }).execute();
        }
        await book(tx, { clientId: victim, track: 'victim', startsAt: '2026-09-01T08:00:00.000Z' });
        await book(tx, { clientId: perpetrator, track: 'perpetrator', startsAt: '2026-09-02T08:00:00.000Z' });
        return { victim, child, perpetrator };
      },
      { actor: PEOPLE.desk },
    );
    const all = [ids.victim, ids.child, ids.perpetrator];
    const seen = (side?: 'victims' | 'perpetrators') =>
      store.transaction(
        async (tx) => ({
          clients: (await tx.selectFrom('clients').select('id').where('id', 'in', all).orderBy('id').execute()).map((row) => row.id),
          appointments: (await tx.selectFrom('appointments').select('client_id').where('client_id', 'in', all).execute()).map((row) => row.client_id),
          contacts: (await tx.selectFrom('client_contacts').select('client_id').where('client_id', 'in', all).execute()).map((row) => row.client_id),
        }),
        { actor: PEOPLE.desk, side, readOnly: true },
      );
    expect(await seen('perpetrators')).toEqual({ clients: [ids.perpetrator], appointments: [ids.perpetrator], contacts: [ids.perpetrator] });
    expect(await seen('victims')).toEqual({ clients: [ids.victim, ids.child].sort(), appointments: [ids.victim], contacts: [ids.victim] });
    // No side named: the work that must look across sides (the separation check) sees both.
    expect((await seen()).clients).toEqual([...all].sort());
    // A value that names no side shows nothing of either; an empty one is no side (the policies read the setting once per statement, 021).
    const seenWith = (value: string) =>
      store.transaction(
        async (tx) => {
          await sql`SELECT set_config('utvag.side', ${value}, true)`.execute(tx);
          return {
            clients: (await tx.selectFrom('clients').select('id').where('id', 'in', all).execute()).length,
            appointments: (await tx.selectFrom('appointments').select('client_id').where('client_id', 'in', all).execute()).length,
            contacts: (await tx.selectFrom('client_contacts').select('client_id').where('client_id', 'in', all).execute()).length,
          };
        },
        { actor: PEOPLE.desk, readOnly: true },
      );
    expect(await seenWith('perpetrator')).toEqual({ clients: 0, appointments: 0, contacts: 0 });
    expect(await seenWith('')).toEqual({ clients: 3, appointments: 2, contacts: 2 });
    // Writing into the other side from a side's transaction is refused, and updates find nothing there.
    await expect(store.transaction((tx) => addClient(tx, 'victim'), { actor: PEOPLE.desk, side: 'perpetrators' })).rejects.toThrow(
      /row-level security/,
    );
    const renamed = await store.transaction(
      (tx) => tx.updateTable('clients').set({ name: 'Ändrad' }).where('id', '=', ids.victim).executeTakeFirst(),
      { actor: PEOPLE.desk, side: 'perpetrators' },
    );
    expect(Number(renamed.numUpdatedRows)).toBe(0);
  });
});

describe('rights per role', () => {
  it('refuses what no channel of the role needs', async () => {
    const { store } = journal();
    const denied: [Actor, string][] = [
      [PEOPLE.desk, `INSERT INTO settings (key, value, updated_at) VALUES ('x', '1', now())`],
      [PEOPLE.desk, `UPDATE rooms SET active = 0`],
      [PEOPLE.desk, `DELETE FROM appointments`],
      [PEOPLE.desk, `DELETE FROM clients`],
      [PEOPLE.desk, `INSERT INTO stats_quarters (year, quarter, report, fixed_at) VALUES (2026, 1, '{}', now())`],
      [PEOPLE.desk, `SELECT * FROM network_days`],
      [PEOPLE.therapist, `INSERT INTO clients (id, track, name, created_at, created_by) VALUES ('x', 'victim', 'x', now(), 'u-ther')`],
      [PEOPLE.therapist, `UPDATE appointments SET starts_at = now()`],
      [PEOPLE.therapist, `SELECT * FROM intakes`],
      [PEOPLE.therapist, `SELECT * FROM contact_persons`],
      [PEOPLE.admin, `INSERT INTO appointments (id) VALUES ('x')`],
      [PEOPLE.admin, `UPDATE clients SET name = 'x'`],
      [PEOPLE.admin, `SELECT * FROM emergency_grants`],
      [PEOPLE.admin, `UPDATE stats_quarters SET report = '{}'`],
      ...Object.values(PEOPLE).map((actor): [Actor, string] => [actor, `CREATE TABLE ${actor.role}_own (id text)`]),
      ...Object.values(PEOPLE).map((actor): [Actor, string] => [actor, `SELECT * FROM separation_spans`]),
    ];
    for (const [actor, statement] of denied) {
      const result = await outcome(store.transaction((tx) => sql.raw(statement).execute(tx), { actor }));
      expect({ actor: actor.role, statement, result: String(result) }).toMatchObject({ result: expect.stringMatching(/permission denied/) });
    }
  });

  it('keeps published statistics fixed', async () => {
    const { store, admin } = journal();
    await store.transaction(
      (tx) => tx.insertInto('stats_quarters').values({ year: 2025, quarter: 4, report: '{"x":"<5"}', fixed_at: AT }).execute(),
      { actor: PEOPLE.admin },
    );
    await expect(admin.query(`UPDATE stats_quarters SET report = '{}'`)).rejects.toThrow(/fixed/);
    await expect(admin.query('DELETE FROM stats_quarters')).rejects.toThrow(/fixed/);
  });

  it('lets a therapist set an appointment’s status, and nothing else of it', async () => {
    const { store } = journal();
    const appointment = await store.transaction(
      async (tx) => book(tx, { clientId: await addClient(tx, 'victim'), track: 'victim', startsAt: '2026-09-03T08:00:00.000Z' }),
      { actor: PEOPLE.desk },
    );
    await store.transaction(
      (tx) => tx.updateTable('appointments').set({ status: 'arrived', updated_at: new Date().toISOString() }).where('id', '=', appointment).execute(),
      { actor: PEOPLE.therapist },
    );
    await expect(
      store.transaction((tx) => tx.updateTable('appointments').set({ room_id: null }).where('id', '=', appointment).execute(), {
        actor: PEOPLE.therapist,
      }),
    ).rejects.toThrow(/permission denied/);
  });
});
