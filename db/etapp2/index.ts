/**
 * Etapp 2 follow-up: the intakes routed to a municipality's social secretary, with the coordinator's
 * follow-up status. Each function runs one statement, whatever the journal holds.
 */
import type { Etapp2FollowUpsTable, Track } from '../engine/schema.js';
import type { Tx } from '../engine/store.js';

export type FollowUpStatus = Etapp2FollowUpsTable['status'];

export interface RoutedIntakeRow {
  intakeId: string;
  clientId: string;
  name: string;
  track: Track;
  receivedAt: string;
  municipalityCode: string | null;
  municipalityName: string | null;
  status: FollowUpStatus | null;
  updatedAt: string | null;
}

/** At most this many routed intakes in one list (a year's are a few dozen). */
export const ROUTED_INTAKES_SHOWN = 500;

/**
 * Intakes of one track routed to a municipality's social secretary from an instant on (or one of
 * them), by municipality and date, with their follow-up.
 */
export async function routedIntakes(tx: Tx, filter: { from: string; track: Track } | { intakeId: string }): Promise<RoutedIntakeRow[]> {
  let query = tx
    .selectFrom('intakes as i')
    .innerJoin('clients as c', 'c.id', 'i.client_id')
    .leftJoin('municipalities as m', 'm.code', 'c.municipality_code')
    .leftJoin('etapp2_follow_ups as f', 'f.intake_id', 'i.id')
    .select([
      'i.id as intakeId',
      'i.client_id as clientId',
      'c.name',
      'c.track',
      'i.received_at as receivedAt',
      'c.municipality_code as municipalityCode',
      'm.name as municipalityName',
      'f.status',
      'f.updated_at as updatedAt',
    ])
    .where('i.routing', '=', 'etapp2_social_secretary');
  query =
    'from' in filter
      ? query.where('i.received_at', '>=', filter.from).where('c.track', '=', filter.track)
      : query.where('i.id', '=', filter.intakeId);
  return query.orderBy('m.name').orderBy('i.received_at').orderBy('i.id').limit(ROUTED_INTAKES_SHOWN).execute();
}

/** One intake's routing and its client's track, for a change of its follow-up. */
export async function routedIntake(tx: Tx, intakeId: string): Promise<{ clientId: string; track: Track; routing: string } | null> {
  return (
    (await tx
      .selectFrom('intakes as i')
      .innerJoin('clients as c', 'c.id', 'i.client_id')
      .select(['i.client_id as clientId', 'c.track', 'i.routing'])
      .where('i.id', '=', intakeId)
      .executeTakeFirst()) ?? null
  );
}

/** Sets an intake's follow-up status, replacing the earlier one: one statement. */
export async function setFollowUpStatus(
  tx: Tx,
  row: { intakeId: string; status: FollowUpStatus; updatedAt: string; updatedBy: string },
): Promise<void> {
  await tx
    .insertInto('etapp2_follow_ups')
    .values({ intake_id: row.intakeId, status: row.status, updated_at: row.updatedAt, updated_by: row.updatedBy })
    .onConflict((conflict) =>
      conflict.column('intake_id').doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        updated_at: eb.ref('excluded.updated_at'),
        updated_by: eb.ref('excluded.updated_by'),
      })),
    )
    .execute();
}
