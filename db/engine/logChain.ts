import { lockLogChainHead } from './postgres.js';
import { dialectOf, type Tx } from './store.js';

/**
 * The head an append continues, one statement on either engine: the engine module's one branch for
 * the access log, so that appendLogRows stays one text for both. PostgreSQL: lockLogChainHead, the
 * head locked to commit, since many sessions append at once. SQLite: the newest row; the
 * transaction already holds the journal's only write lock (BEGIN IMMEDIATE), so nothing can append
 * in between.
 */
export async function logChainHead(tx: Tx): Promise<{ seq: number; hash: string } | null> {
  if (dialectOf(tx) === 'postgres') return lockLogChainHead(tx);
  return (await tx.selectFrom('access_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst()) ?? null;
}
