import { sql } from 'kysely';
import type { Track } from '../engine/schema.js';
import type { Tx } from '../engine/store.js';

/**
 * Aggregates only: these queries return counts by category, never a name, number or free text. Each
 * table is one GROUP BY, so a report runs the same few statements whatever the number of categories,
 * municipalities or clients. carryOverFixedQuarters, which copies between two open journal files on
 * a restore, is SQLite-engine work: db/local/statistics.ts.
 */
export interface StatsScope {
  from: string; // UTC instant, inclusive
  to: string; // UTC instant, exclusive
}
// Statistics cover the whole centre: a unit's own figures would be the centre's less the other unit's.

const SEEN = ['arrived', 'in_session', 'done'] as const;

/**
 * Clients seen in the period (a first contact in it, or an appointment in it, alone or in a group),
 * counted by track, new or continuing, and home municipality at once: the tracks and the
 * municipalities are both sums over these cells, so they add up to the same active clients.
 */
export async function activeClients(tx: Tx, scope: StatsScope): Promise<{ track: Track; isNew: 0 | 1; municipality: string; n: number }[]> {
  const rows = await tx
    .with('active', (db) =>
      db
        .selectFrom('clients as c')
        .select(['c.id', 'c.track', 'c.municipality_code', 'c.first_contact_at'])
        .where('c.first_contact_at', '>=', scope.from)
        .where('c.first_contact_at', '<', scope.to)
        .union(
          db
            .selectFrom('appointments as a')
            .leftJoin('group_members as m', (join) =>
              join
                .onRef('m.group_id', '=', 'a.group_id')
                .onRef('m.joined_at', '<=', 'a.starts_at')
                .on((eb) => eb.or([eb('m.left_at', 'is', null), eb('m.left_at', '>', eb.ref('a.starts_at'))])),
            )
            .innerJoin('clients as c', (join) => join.on((eb) => eb('c.id', '=', eb.fn.coalesce('a.client_id', 'm.client_id'))))
            .select(['c.id', 'c.track', 'c.municipality_code', 'c.first_contact_at'])
            .where('a.status', 'in', SEEN)
            .where('a.starts_at', '>=', scope.from)
            .where('a.starts_at', '<', scope.to),
        ),
    )
    .selectFrom('active')
    .select((eb) => {
      // A client without a recorded first contact counts as continuing, never as neither: the tracks must add up to the municipalities.
      const isNew = eb
        .case()
        .when(eb.and([eb('first_contact_at', 'is not', null), eb('first_contact_at', '>=', scope.from)]))
        .then(sql.lit<0 | 1>(1))
        .else(sql.lit<0 | 1>(0))
        .end();
      return ['track', isNew.as('isNew'), eb.fn.coalesce('municipality_code', sql.lit('other')).as('municipality'), eb.fn.countAll<number>().as('n')];
    })
    .groupBy(['track', 'isNew', 'municipality'])
    .orderBy('track')
    .orderBy('isNew')
    .orderBy('municipality')
    .execute();
  return rows.map((row) => ({ track: row.track, isNew: Number(row.isNew) as 0 | 1, municipality: row.municipality, n: Number(row.n) }));
}

/** First contacts of the period by referral source and routing (each intake is one first contact). */
export async function intakesByReferralAndRouting(tx: Tx, scope: StatsScope): Promise<{ referralSource: string; routing: string; n: number }[]> {
  const rows = await tx
    .selectFrom('intakes as i')
    .innerJoin('clients as c', 'c.id', 'i.client_id')
    .where('i.received_at', '>=', scope.from)
    .where('i.received_at', '<', scope.to)
    .select((eb) => ['i.referral_source as referralSource', 'i.routing', eb.fn.countAll<number>().as('n')])
    .groupBy(['i.referral_source', 'i.routing'])
    .orderBy('i.referral_source')
    .orderBy('i.routing')
    .execute();
  return rows.map((row) => ({ ...row, n: Number(row.n) }));
}

export async function appointmentsBy(tx: Tx, scope: StatsScope): Promise<{ kind: string; status: string; n: number }[]> {
  const rows = await tx
    .selectFrom('appointments as a')
    .where('a.starts_at', '>=', scope.from)
    .where('a.starts_at', '<', scope.to)
    .select((eb) => ['a.kind', 'a.status', eb.fn.countAll<number>().as('n')])
    .groupBy(['a.kind', 'a.status'])
    .orderBy('a.kind')
    .orderBy('a.status')
    .execute();
  return rows.map((row) => ({ ...row, n: Number(row.n) }));
}

const DAY_MS = 86_400_000;

/**
 * Days from first contact to the first appointment in person, for clients whose first contact lies in
 * the period: one row per such client, the difference taken here from the two instants (the engines'
 * date arithmetic differs; the instants are the same ISO text on both).
 */
export async function daysToFirstAppointment(tx: Tx, scope: StatsScope): Promise<number[]> {
  const rows = await tx
    .selectFrom('clients as c')
    .innerJoin('appointments as a', 'a.client_id', 'c.id')
    .where('c.first_contact_at', '>=', scope.from)
    .where('c.first_contact_at', '<', scope.to)
    .where('a.status', '<>', 'cancelled')
    .where('a.kind', '<>', 'first_call')
    .select((eb) => ['c.first_contact_at as firstContactAt', eb.fn.min('a.starts_at').as('firstAppointmentAt')])
    .groupBy(['c.id', 'c.first_contact_at'])
    .execute();
  return rows.map((row) => (Date.parse(row.firstAppointmentAt) - Date.parse(row.firstContactAt!)) / DAY_MS);
}

/** A quarter's published report as first produced (JSON of protected figures only), or undefined. */
export async function fixedQuarter(tx: Tx, year: number, quarter: number): Promise<{ report: string; fixedAt: string } | undefined> {
  return tx
    .selectFrom('stats_quarters')
    .select(['report', 'fixed_at as fixedAt'])
    .where('year', '=', year)
    .where('quarter', '=', quarter)
    .executeTakeFirst();
}

/** Fixes a quarter's published report; the first one stays (triggers refuse changes). */
export async function fixQuarter(tx: Tx, year: number, quarter: number, report: string, fixedAt: string): Promise<void> {
  await tx
    .insertInto('stats_quarters')
    .values({ year, quarter, report, fixed_at: fixedAt })
    .onConflict((conflict) => conflict.columns(['year', 'quarter']).doNothing())
    .execute();
}
