import type { SelectQueryBuilder } from 'kysely';
import { dialectOf, type Tx } from './store.js';

/**
 * The rows a query reads, locked to the end of the transaction: the engine module's branch for a
 * check that must still hold at commit with many sessions writing. PostgreSQL: FOR UPDATE (a
 * concurrent writer waits, and the query then skips rows it deleted or changed past its conditions).
 * SQLite: the query as it is, since the transaction already holds the journal's only write lock.
 */
export function lockedForUpdate<DB, TB extends keyof DB, O>(tx: Tx, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return dialectOf(tx) === 'postgres' ? query.forUpdate() : query;
}
