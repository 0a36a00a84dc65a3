import { sql } from 'kysely';
import type { Track } from '../engine/schema.js';
import type { Tx } from '../engine/store.js';

/** First calls (intakes) and the waiting list (#13: async over the Store's transaction, one statement each). */

export interface IntakeRow {
  id: string;
  clientId: string;
  receivedAt: string;
  receivedBy: string;
  contactBy: 'self' | 'agency' | 'outreach';
  referralSource: string;
  referralNote: string | null;
  /** The contact person in the network who referred, when the referral names one. */
  referrerContactId: string | null;
  urgency: 'acute' | 'high' | 'normal';
  reason: string | null;
  outcome: 'booked' | 'waiting_list' | 'referred' | 'no_further_contact';
  referredTo: string | null;
  routing: 'etapp2_social_secretary' | 'utvag_coordinator' | 'not_applicable';
  routingReason: string;
}

/** An intake with the contact person who referred, as the network register names them (null when none is named). */
export interface IntakeWithReferrer extends IntakeRow {
  referrer: { name: string; agency: string; unit: string | null } | null;
}

export interface WaitingListRow {
  clientId: string;
  /** The first call that put the client on the list (null for an entry made without one). */
  intakeId: string | null;
  name: string;
  track: Track;
  urgency: 'acute' | 'high' | 'normal';
  /** The intake's short reason. */
  reason: string | null;
  protectedIdentity: boolean;
  /** The client's safe-contact times and instructions (the caller decides whether a list may show them). */
  safeTimes: string | null;
  instructions: string | null;
  firstContactAt: string;
  addedAt: string;
}

export async function insertIntake(tx: Tx, intake: IntakeRow): Promise<void> {
  await tx
    .insertInto('intakes')
    .values({
      id: intake.id,
      client_id: intake.clientId,
      received_at: intake.receivedAt,
      received_by: intake.receivedBy,
      contact_by: intake.contactBy,
      referral_source: intake.referralSource,
      referral_note: intake.referralNote,
      referrer_contact_id: intake.referrerContactId,
      urgency: intake.urgency,
      reason: intake.reason,
      outcome: intake.outcome,
      referred_to: intake.referredTo,
      routing: intake.routing,
      routing_reason: intake.routingReason,
    })
    .execute();
}

/** The client's intakes, newest first, each with its named referrer: one statement however many there are. */
export async function intakesOf(tx: Tx, clientId: string): Promise<IntakeWithReferrer[]> {
  const rows = await tx
    .selectFrom('intakes as i')
    .leftJoin('contact_persons as p', 'p.id', 'i.referrer_contact_id')
    .select([
      'i.id',
      'i.client_id as clientId',
      'i.received_at as receivedAt',
      'i.received_by as receivedBy',
      'i.contact_by as contactBy',
      'i.referral_source as referralSource',
      'i.referral_note as referralNote',
      'i.referrer_contact_id as referrerContactId',
      'i.urgency',
      'i.reason',
      'i.outcome',
      'i.referred_to as referredTo',
      'i.routing',
      'i.routing_reason as routingReason',
      // A first call that put the client on the waiting list, and the booking that took them off it.
      (eb) =>
        eb
          .exists(eb.selectFrom('waiting_list as w').select('w.id').whereRef('w.intake_id', '=', 'i.id').where('w.removed_reason', '=', 'booked'))
          .as('bookedFromWaitingList'),
      'p.id as referrerId',
      'p.name as referrerName',
      'p.agency as referrerAgency',
      'p.unit as referrerUnit',
    ])
    .where('i.client_id', '=', clientId)
    .orderBy('i.received_at', 'desc')
    .execute();
  return rows.map(({ referrerId, referrerName, referrerAgency, referrerUnit, bookedFromWaitingList, ...intake }) => ({
    ...intake,
    // The intake's outcome as it stands: a call put on the waiting list and booked from it says booked.
    outcome: intake.outcome === 'waiting_list' && Boolean(bookedFromWaitingList) ? 'booked' : intake.outcome,
    referrer: referrerId === null ? null : { name: referrerName!, agency: referrerAgency!, unit: referrerUnit },
  }));
}

export async function addToWaitingList(tx: Tx, entry: { id: string; clientId: string; intakeId: string | null; addedAt: string }): Promise<void> {
  await tx
    .insertInto('waiting_list')
    .values({ id: entry.id, client_id: entry.clientId, intake_id: entry.intakeId, added_at: entry.addedAt })
    .execute();
}

/** Closes the client's open waiting-list entry, if there is one (for example when they are booked). */
export async function removeFromWaitingList(tx: Tx, clientId: string, at: string, reason: string): Promise<void> {
  await tx
    .updateTable('waiting_list')
    .set({ removed_at: at, removed_reason: reason })
    .where('client_id', '=', clientId)
    .where('removed_at', 'is', null)
    .execute();
}

export async function waitingSince(tx: Tx, clientId: string): Promise<string | null> {
  const row = await tx
    .selectFrom('waiting_list')
    .select('added_at')
    .where('client_id', '=', clientId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return row?.added_at ?? null;
}

/** The open waiting list of the tracks given: the most urgent first, then who called first. */
export async function openWaitingList(tx: Tx, tracks: readonly Track[]): Promise<WaitingListRow[]> {
  const urgency = sql<'acute' | 'high' | 'normal'>`coalesce(i.urgency, 'normal')`;
  const rows = await tx
    .selectFrom('waiting_list as w')
    .innerJoin('clients as c', 'c.id', 'w.client_id')
    .leftJoin('intakes as i', 'i.id', 'w.intake_id')
    .leftJoin('client_contacts as k', 'k.client_id', 'c.id')
    .select([
      'w.client_id as clientId',
      'w.intake_id as intakeId',
      'c.name',
      'c.track',
      urgency.as('urgency'),
      'i.reason',
      'c.protected_identity as protectedIdentity',
      'k.safe_times as safeTimes',
      'k.instructions',
      sql<string>`coalesce(c.first_contact_at, c.created_at)`.as('firstContactAt'),
      'w.added_at as addedAt',
    ])
    .where('w.removed_at', 'is', null)
    .where('c.track', 'in', [...tracks])
    .orderBy(sql`CASE ${urgency} WHEN 'acute' THEN 0 WHEN 'high' THEN 1 ELSE 2 END`)
    .orderBy('firstContactAt')
    .execute();
  return rows.map((row) => ({ ...row, reason: row.reason ?? null, protectedIdentity: row.protectedIdentity === 1 }));
}
