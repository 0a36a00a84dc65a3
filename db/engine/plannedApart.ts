import { sql, type SelectQueryBuilder } from 'kysely';
import { dialectOf, type Tx } from './store.js';

/**
 * A subquery that PostgreSQL plans apart from the statement around it (OFFSET 0 keeps it from being
 * pulled up), so that its table's row policies are judged for every row it reads at once: a
 * policy's EXISTS is then hashed once, not looked up per row. Without it, a filter PostgreSQL
 * cannot evaluate before the policies (a LIKE: not leakproof) makes the scan look selective, and
 * the policies are looked up row by row for every row the scan passes. SQLite, which has no row
 * policies (and no OFFSET without a LIMIT): the query as it is. The answer is the same on both.
 */
export function plannedApart<DB, TB extends keyof DB, O>(tx: Tx, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return dialectOf(tx) === 'postgres' ? query.offset(sql<number>`0`) : query;
}
