import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { dialectOf, type Tx } from './store.js';

/**
 * A read that PostgreSQL plans apart from the statement around it (OFFSET 0 keeps it from being
 * pulled up): its table's row policies are then judged for all the rows it reads at once, hashed.
 * Read with a filter PostgreSQL may not evaluate before the policies (a LIKE is not leakproof), the
 * scan would look selective, and each policy's EXISTS would be looked up for every row it passes.
 * SQLite (no row policies, and no OFFSET without a LIMIT): the query as it is.
 */
export function plannedApart<DB, TB extends keyof DB, O>(tx: Tx, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return dialectOf(tx) === 'postgres' ? query.offset(sql<number>`0`) : query;
}

/**
 * Whether `id` is one of the ids `rows` selects (its one column, `column`); the same answer on both
 * engines, each reading few rows. PostgreSQL: `id IN (rows)`, read once and hashed (as EXISTS, the
 * planner would cost the subquery as run once per outer row and plan the whole statement on that).
 * SQLite: the correlated `EXISTS (rows AND column = id)`, read through the index of `column`.
 */
export function amongRows<DB, TB extends keyof DB, O>(
  tx: Tx,
  id: Expression<unknown>,
  rows: SelectQueryBuilder<DB, TB, O>,
  column: Expression<unknown>,
): Expression<SqlBool> {
  return dialectOf(tx) === 'postgres' ? sql<SqlBool>`${id} in ${rows}` : sql<SqlBool>`exists ${rows.where(sql<SqlBool>`${column} = ${id}`)}`;
}
