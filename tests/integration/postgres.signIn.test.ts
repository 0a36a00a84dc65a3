import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../db/engine/store.js';
import { AT, PEOPLE, useServerJournal } from '../helpers/serverJournal.js';

/**
 * The server's sign-in on its own (006): password hashes reach only the sign-in's role, a person
 * changes only their own, and the sign-in's log rows are security events only. Straight at the
 * tables, as a router bug or a stolen app role would send them.
 */
const journal = useServerJournal('utvag_sign_in_test');
const HASH = '$argon2id$v=19$m=65536,t=3,p=1$ZmlrdGl2c2FsdA$ZmlrdGl2aGFzaGZpa3Rpdmhhc2hmaWt0aXZoYXNo';

/** A transaction as utvag_signin, for `userId` when given (as main/server/sessions.ts runs it). */
function asSignIn<T>(userId: string | null, work: (tx: Tx) => Promise<T>): Promise<T> {
  return journal().store.transaction(async (tx) => {
    await sql`SET LOCAL ROLE utvag_signin`.execute(tx);
    if (userId) await sql`SELECT set_config('utvag.user_id', ${userId}, true)`.execute(tx);
    return work(tx);
  });
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: Error) => error.message,
  );

beforeAll(async () => {
  for (const person of Object.values(PEOPLE)) {
    await journal().admin.query('INSERT INTO user_passwords (user_id, hash, updated_at) VALUES ($1, $2, $3)', [person.userId, HASH, AT]);
  }
});

describe('sign-in on PostgreSQL: who reads a password hash', () => {
  it('gives no person role the hashes: receptionists and therapists nothing at all, admins only whether one exists', async () => {
    for (const actor of [PEOPLE.desk, PEOPLE.therapist, PEOPLE.otherTrack]) {
      expect(await failure(journal().store.transaction((tx) => sql`SELECT hash FROM user_passwords`.execute(tx), { actor }))).toMatch(
        /permission denied/,
      );
      expect(await failure(journal().store.transaction((tx) => sql`SELECT user_id FROM user_passwords`.execute(tx), { actor }))).toMatch(
        /permission denied/,
      );
    }
    const admin = PEOPLE.admin;
    expect(await failure(journal().store.transaction((tx) => sql`SELECT hash FROM user_passwords`.execute(tx), { actor: admin }))).toMatch(
      /permission denied/,
    );
    const ids = await journal().store.transaction((tx) => sql<{ user_id: string }>`SELECT user_id FROM user_passwords`.execute(tx), { actor: admin });
    expect(ids.rows.length).toBe(Object.keys(PEOPLE).length);
  });

  it('lets the sign-in read a hash, and a person change only their own', async () => {
    const read = await asSignIn(null, (tx) =>
      sql<{ hash: string }>`SELECT hash FROM user_passwords WHERE user_id = ${PEOPLE.desk.userId}`.execute(tx),
    );
    expect(read.rows[0]?.hash).toBe(HASH);
    const own = await asSignIn(PEOPLE.desk.userId, (tx) =>
      sql`UPDATE user_passwords SET hash = ${HASH}, updated_at = now() WHERE user_id = ${PEOPLE.desk.userId}`.execute(tx),
    );
    expect(Number(own.numAffectedRows)).toBe(1);
    // Someone else's row is not there for the update (row-level security), whoever asks.
    const other = await asSignIn(PEOPLE.desk.userId, (tx) =>
      sql`UPDATE user_passwords SET hash = 'x' WHERE user_id = ${PEOPLE.admin.userId}`.execute(tx),
    );
    expect(Number(other.numAffectedRows)).toBe(0);
    const none = await asSignIn(null, (tx) => sql`UPDATE user_passwords SET hash = 'x' WHERE user_id = ${PEOPLE.admin.userId}`.execute(tx));
    expect(Number(none.numAffectedRows)).toBe(0);
    // The sign-in adds no password, removes none, and changes no other column of a user.
    expect(
      await failure(asSignIn(null, (tx) => sql`INSERT INTO user_passwords (user_id, hash, updated_at) VALUES ('u-x', 'x', now())`.execute(tx))),
    ).toMatch(/permission denied/);
    expect(await failure(asSignIn(null, (tx) => sql`DELETE FROM user_passwords`.execute(tx)))).toMatch(/permission denied/);
    expect(
      await failure(asSignIn(PEOPLE.desk.userId, (tx) => sql`UPDATE users SET active = 1 WHERE id = ${PEOPLE.desk.userId}`.execute(tx))),
    ).toMatch(/permission denied/);
    expect(
      await failure(asSignIn(null, (tx) => sql`INSERT INTO user_roles (user_id, role) VALUES (${PEOPLE.desk.userId}, 'admin')`.execute(tx))),
    ).toMatch(/permission denied/);
  });

  it("writes only security events into the log, in the person's name or none, and reads nothing of it or of clients", async () => {
    const row = (userId: string | null, action: string, clientId: string | null = null) =>
      sql`INSERT INTO access_log (seq, at, user_id, client_id, record, action, channel, emergency, reason, prev_hash, hash)
          SELECT h.seq + 1, now(), ${userId}, ${clientId}, 'login:ok', ${action}, NULL, 0, NULL, h.hash, repeat('a', 64) FROM access_log_chain_head() h`;
    expect(await failure(asSignIn(PEOPLE.desk.userId, (tx) => row(PEOPLE.admin.userId, 'auth.login').execute(tx)))).toMatch(/row-level security/);
    expect(await failure(asSignIn(null, (tx) => row(null, 'clients.get', 'c-1').execute(tx)))).toMatch(/row-level security|foreign key/);
    // Not even in the signing-in person's own name: no read of a client, no other channel's row.
    await journal().admin.query(
      `INSERT INTO clients (id, track, name, site_id, created_at, created_by) VALUES ('c-signin', 'victim', 'Fiktiv Klient', 'site-norr', $1, 'u-desk') ON CONFLICT DO NOTHING`,
      [AT],
    );
    expect(await failure(asSignIn(PEOPLE.desk.userId, (tx) => row(PEOPLE.desk.userId, 'clients.get', 'c-signin').execute(tx)))).toMatch(
      /row-level security/,
    );
    expect(await failure(asSignIn(PEOPLE.desk.userId, (tx) => row(PEOPLE.desk.userId, 'journal.open').execute(tx)))).toMatch(/row-level security/);
    expect(await failure(asSignIn(PEOPLE.desk.userId, (tx) => row(PEOPLE.desk.userId, 'auth.login').execute(tx)))).toBeNull();
    expect(await failure(asSignIn(null, (tx) => sql`SELECT * FROM access_log`.execute(tx)))).toMatch(/permission denied/);
    expect(await failure(asSignIn(null, (tx) => sql`SELECT * FROM clients`.execute(tx)))).toMatch(/permission denied/);
    expect(await failure(asSignIn(null, (tx) => sql`SELECT * FROM journal_entries`.execute(tx)))).toMatch(/permission denied/);
  });
});
