import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { jsonArrayFrom as postgresJsonArray } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArray } from 'kysely/helpers/sqlite';
import { dialectOf, type Tx } from './store.js';

/**
 * A query's rows as one JSON array, a column of the statement around it: so that several reads of
 * one call (a booking's: its client, therapist, premises, what is booked around the time, the linked
 * people) go to the database in one statement, one round trip on the server. Kysely's own helpers,
 * one per engine: PostgreSQL `json_agg` (the driver parses the json), SQLite `json_group_array` of
 * `json_object` (text, parsed by `rowsFromJson`; the query must name each column it selects).
 * Each part keeps its own tables' row policies on PostgreSQL, as it would on its own.
 */
export type JsonRows<O> = O[] | string;

/** The rows of `query` as one JSON array value; null (no rows) for a part not read this time (no ids to read it for). */
export function rowsAsJson<DB, TB extends keyof DB, O>(tx: Tx, query: SelectQueryBuilder<DB, TB, O> | null): RawBuilder<JsonRows<O> | null> {
  if (query === null) return sql<null>`null`;
  // The helpers type each row as it would be without JSON (a Date as a string): the same rows here, whose columns are text and numbers.
  return (dialectOf(tx) === 'postgres' ? postgresJsonArray(query) : sqliteJsonArray(query)) as RawBuilder<unknown> as RawBuilder<JsonRows<O>>;
}

/**
 * The rows of one such column as read, with their instants as the journal gives them: inside JSON,
 * PostgreSQL writes a timestamptz with an offset and its fractional seconds trimmed
 * (`2031-03-03T08:00:00+00:00`), not the `toISOString()` text the pool's parser makes of a column
 * (schema.ts); SQLite's are that text already. Numbers stay numbers (smallint flags, integers).
 */
export function rowsFromJson<O>(value: JsonRows<O> | null, instants: readonly (keyof O)[] = []): O[] {
  if (value === null) return [];
  const rows = (typeof value === 'string' ? JSON.parse(value) : value) as O[];
  if (instants.length > 0) {
    for (const row of rows) {
      for (const key of instants) {
        const instant = row[key];
        if (typeof instant === 'string') (row as Record<keyof O, unknown>)[key] = new Date(instant).toISOString();
      }
    }
  }
  return rows;
}
