import { sql } from 'kysely';
import { reusableQuery } from './compiled.js';
import { lockLogChainHead } from './postgres.js';
import { dialectOf, type Tx } from './store.js';

// LIMIT as a literal: SQLite reads the newest row straight from the end of the table, where a bound limit costs it a few times more.
const newestRow = reusableQuery(0, (tx: Tx) => tx.selectFrom('access_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(sql.lit(1)));

/**
 * The head an append continues, one statement on either engine: the engine module's one branch for
 * the access log, so that appendLogRows stays one text for both. PostgreSQL: lockLogChainHead, the
 * head locked to commit, since many sessions append at once. SQLite: the newest row; the
 * transaction already holds the journal's only write lock (BEGIN IMMEDIATE), so nothing can append
 * in between.
 */
export async function logChainHead(tx: Tx): Promise<{ seq: number; hash: string } | null> {
  if (dialectOf(tx) === 'postgres') return lockLogChainHead(tx);
  return (await newestRow.first(tx)) ?? null;
}
