import { prepared, type Db } from './connection.js';

/** Aggregates only: these queries return counts by category, never a name, number or free text. */
export interface StatsScope {
  from: string; // UTC instant, inclusive
  to: string; // UTC instant, exclusive
}
// Statistics cover the whole centre: a unit's own figures would be the centre's less the other unit's.

type Counted = { key: string; n: number };

const INTAKES_IN_SCOPE = `FROM intakes i JOIN clients c ON c.id = i.client_id
  WHERE i.received_at >= @from AND i.received_at < @to`;

const APPOINTMENTS_IN_SCOPE = `FROM appointments a
  WHERE a.starts_at >= @from AND a.starts_at < @to`;

/** Clients seen in the period: a first contact in it, or an appointment in it (alone or in a group). */
const ACTIVE_CLIENTS = `WITH active AS (
    SELECT c.id, c.track, c.municipality_code, c.first_contact_at FROM clients c
    WHERE c.first_contact_at >= @from AND c.first_contact_at < @to
    UNION
    SELECT c.id, c.track, c.municipality_code, c.first_contact_at FROM appointments a
      LEFT JOIN group_members m ON m.group_id = a.group_id AND m.joined_at <= a.starts_at AND (m.left_at IS NULL OR m.left_at > a.starts_at)
      JOIN clients c ON c.id = coalesce(a.client_id, m.client_id)
    WHERE a.status IN ('arrived', 'in_session', 'done') AND a.starts_at >= @from AND a.starts_at < @to
  )`;

export function clientsByTrack(db: Db, scope: StatsScope): { track: string; isNew: number; n: number }[] {
  return prepared(
    db,
    // A client without a recorded first contact counts as continuing, never as neither: the tracks must add up to the municipalities.
    `${ACTIVE_CLIENTS} SELECT track, (coalesce(first_contact_at, '') >= @from) AS isNew, count(*) AS n FROM active GROUP BY track, isNew ORDER BY track, isNew`,
  ).all(scope) as { track: string; isNew: number; n: number }[];
}

export function clientsByMunicipality(db: Db, scope: StatsScope): Counted[] {
  return prepared(
    db,
    `${ACTIVE_CLIENTS} SELECT coalesce(municipality_code, 'other') AS key, count(*) AS n FROM active GROUP BY key ORDER BY key`,
  ).all(scope) as Counted[];
}

export function intakesBy(db: Db, scope: StatsScope, column: 'referral_source' | 'routing' | 'outcome'): Counted[] {
  return prepared(db, `SELECT i.${column} AS key, count(*) AS n ${INTAKES_IN_SCOPE} GROUP BY key ORDER BY key`).all(scope) as Counted[];
}

export function appointmentsBy(db: Db, scope: StatsScope): { kind: string; status: string; n: number }[] {
  return prepared(db, `SELECT a.kind, a.status, count(*) AS n ${APPOINTMENTS_IN_SCOPE} GROUP BY a.kind, a.status ORDER BY a.kind, a.status`).all(
    scope,
  ) as {
    kind: string;
    status: string;
    n: number;
  }[];
}

/** Days from first contact to the first appointment in person, for clients whose first contact lies in the period. */
export function daysToFirstAppointment(db: Db, scope: StatsScope): number[] {
  return (
    prepared(
      db,
      `SELECT (julianday(min(a.starts_at)) - julianday(c.first_contact_at)) AS days
       FROM clients c JOIN appointments a ON a.client_id = c.id
       WHERE c.first_contact_at >= @from AND c.first_contact_at < @to
         AND a.status <> 'cancelled' AND a.kind <> 'first_call'
       GROUP BY c.id`,
    ).all(scope) as { days: number }[]
  ).map((row) => row.days);
}

/** A quarter's published report as first produced (JSON of protected figures only), or undefined. */
export function fixedQuarter(db: Db, year: number, quarter: number): { report: string; fixedAt: string } | undefined {
  return prepared(db, 'SELECT report, fixed_at AS fixedAt FROM stats_quarters WHERE year = ? AND quarter = ?').get(year, quarter) as
    { report: string; fixedAt: string } | undefined;
}

/** Fixes a quarter's published report; the first one stays (triggers refuse changes). */
export function fixQuarter(db: Db, year: number, quarter: number, report: string, fixedAt: string): void {
  prepared(db, 'INSERT INTO stats_quarters (year, quarter, report, fixed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
    year,
    quarter,
    report,
    fixedAt,
  );
}

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
