import { dialectOf, type Tx } from './store.js';

/**
 * Whether a statement may carry a second write in a WITH (`WITH … AS (UPDATE …) INSERT …`), so
 * that two writes of one call are one round trip: PostgreSQL's data-modifying WITH runs each write
 * once and to completion, with its triggers and row policies, whether or not the statement reads its
 * rows, and the statement fails whole if either write fails. SQLite has none: the writes go one
 * after the other (on the local journal a statement is no round trip).
 */
export function writesInWith(tx: Tx): boolean {
  return dialectOf(tx) === 'postgres';
}
