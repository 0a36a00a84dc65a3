import { sql } from 'kysely';
import { reusableQuery } from './compiled.js';
import { appendToLogChain, type ChainedLogRow } from './postgres.js';
import { dialectOf, type Tx } from './store.js';

// LIMIT as a literal: SQLite reads the newest row straight from the end of the table, where a bound limit costs it a few times more.
const newestRow = reusableQuery(0, (tx: Tx) => tx.selectFrom('access_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(sql.lit(1)));

export type { ChainedLogRow };

/**
 * Appends the rows that continue the access log's chain: the engine module's one branch for the
 * access log, so that appendLogRows stays one text for both. `rowsAfter` makes the rows (their
 * hashes) that continue a head (null: the log is empty); `insert` writes them on SQLite.
 * PostgreSQL: appendToLogChain, the head locked to commit, since many sessions append at once (one
 * statement when the head is the one this server's last append left, else two). SQLite: after the
 * newest row; the transaction already holds the journal's only write lock (BEGIN IMMEDIATE), so
 * nothing can append in between.
 */
export async function appendChained(
  tx: Tx,
  rowsAfter: (head: { seq: number; hash: string } | null) => ChainedLogRow[],
  insert: (tx: Tx, rows: ChainedLogRow[]) => Promise<void>,
): Promise<ChainedLogRow[]> {
  if (dialectOf(tx) === 'postgres') return appendToLogChain(tx, rowsAfter);
  const rows = rowsAfter((await newestRow.first(tx)) ?? null);
  await insert(tx, rows);
  return rows;
}
