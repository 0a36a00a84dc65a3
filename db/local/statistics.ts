import { prepared, type Db } from '../connection.js';

// The report's queries are async, in db/statistics/. What is here is SQLite-engine work: the copy of
// fixed quarters between two open journal files on a restore, which the restore runs synchronously.

/**
 * Quarters this journal has already published go into a journal restored from a backup, where the
 * backup has none for them: produced again from the restored (older) data, a quarter could otherwise
 * get a second version whose difference from the first shows who was corrected in between.
 */
export function carryOverFixedQuarters(from: Db, to: Db): number {
  const rows = prepared(from, 'SELECT year, quarter, report, fixed_at AS fixedAt FROM stats_quarters').all() as {
    year: number;
    quarter: number;
    report: string;
    fixedAt: string;
  }[];
  let carried = 0;
  for (const row of rows)
    carried += prepared(to, 'INSERT INTO stats_quarters (year, quarter, report, fixed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
      row.year,
      row.quarter,
      row.report,
      row.fixedAt,
    ).changes;
  return carried;
}
