import { sql } from 'kysely';
import { dialectOf, type Tx } from './store.js';

/**
 * Counts that a role may know as a number although its own row security hides the rows: the engine
 * module's branch, so that the repositories stay one text for both.
 */

/**
 * A therapist's unsigned drafts, counted (an admin asks before taking her therapist role, since
 * without it nobody could sign them). PostgreSQL: unsigned_drafts_of(), with the owner's rights (an
 * admin's own policy shows signed entries only, and no text); SQLite: the rows themselves.
 */
export async function unsignedDraftsOf(tx: Tx, authorId: string): Promise<number> {
  if (dialectOf(tx) === 'postgres') {
    const { rows } = await sql<{ n: number | string }>`SELECT unsigned_drafts_of(${authorId}) AS n`.execute(tx);
    return Number(rows[0]?.n ?? 0);
  }
  const row = await tx
    .selectFrom('journal_entries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('author_id', '=', authorId)
    .where('status', '=', 'draft')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
