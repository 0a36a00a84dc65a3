import { sql } from 'kysely';
import { dialectOf, type Tx } from './store.js';

/**
 * The access log's chain head on PostgreSQL (the last row's seq and hash, null while the log is
 * empty), locked until the transaction ends: call it in the transaction that appends, right before
 * computing the new row's hash. Concurrent appends queue on the lock, so each continues the chain
 * as the one before committed it; the database refuses (serialization_failure) a row that does not
 * continue the head, so a writer that skipped this call fails whole rather than forking the chain.
 * Here rather than in postgres.ts so that the desktop app's access log can reach it without the pg driver.
 */
export async function lockLogChainHead(tx: Tx): Promise<{ seq: number; hash: string } | null> {
  const { rows } = await sql<{ seq: number; hash: string }>`SELECT seq, hash FROM access_log_chain_head()`.execute(tx);
  const head = rows[0];
  if (!head) throw new Error('The access log has no chain head');
  return head.seq === 0 ? null : head;
}

/**
 * The head an append continues, one statement on either engine. PostgreSQL: locked to commit, as
 * above, since many sessions append at once. SQLite: the newest row; the transaction already holds
 * the journal's only write lock (BEGIN IMMEDIATE), so nothing can append in between.
 */
export async function logChainHead(tx: Tx): Promise<{ seq: number; hash: string } | null> {
  if (dialectOf(tx) === 'postgres') return lockLogChainHead(tx);
  return (await tx.selectFrom('access_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst()) ?? null;
}
