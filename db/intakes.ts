import { prepared, type Db } from './connection.js';
import type { ContactBy, Outcome, RoutingDecision, Urgency } from '../preload/domain/index.js';

export interface IntakeRow {
  id: string;
  clientId: string;
  receivedAt: string;
  receivedBy: string;
  contactBy: ContactBy;
  referralSource: string;
  referralNote: string | null;
  /** The contact person in the network who referred, when the referral names one. */
  referrerContactId: string | null;
  urgency: Urgency;
  reason: string | null;
  outcome: Outcome;
  referredTo: string | null;
  routing: RoutingDecision;
  routingReason: string;
}

export function insertIntake(db: Db, intake: IntakeRow): void {
  prepared(
    db,
    `INSERT INTO intakes (id, client_id, received_at, received_by, contact_by, referral_source, referral_note, referrer_contact_id, urgency,
       reason, outcome, referred_to, routing, routing_reason)
     VALUES (@id, @clientId, @receivedAt, @receivedBy, @contactBy, @referralSource, @referralNote, @referrerContactId, @urgency,
       @reason, @outcome, @referredTo, @routing, @routingReason)`,
  ).run(intake);
}

export function intakesOf(db: Db, clientId: string): IntakeRow[] {
  return prepared(
    db,
    `SELECT id, client_id AS clientId, received_at AS receivedAt, received_by AS receivedBy, contact_by AS contactBy,
              referral_source AS referralSource, referral_note AS referralNote, referrer_contact_id AS referrerContactId, urgency, reason,
              outcome, referred_to AS referredTo, routing, routing_reason AS routingReason
       FROM intakes WHERE client_id = ? ORDER BY received_at DESC`,
  ).all(clientId) as IntakeRow[];
}

export function addToWaitingList(db: Db, entry: { id: string; clientId: string; intakeId: string | null; addedAt: string }): void {
  prepared(db, 'INSERT INTO waiting_list (id, client_id, intake_id, added_at) VALUES (?, ?, ?, ?)').run(
    entry.id,
    entry.clientId,
    entry.intakeId,
    entry.addedAt,
  );
}

/** Closes the client's open waiting-list entry, if there is one (for example when they are booked). */
export function removeFromWaitingList(db: Db, clientId: string, at: string, reason: string): void {
  prepared(db, 'UPDATE waiting_list SET removed_at = ?, removed_reason = ? WHERE client_id = ? AND removed_at IS NULL').run(at, reason, clientId);
}

export function waitingSince(db: Db, clientId: string): string | null {
  const row = prepared(db, 'SELECT added_at AS addedAt FROM waiting_list WHERE client_id = ? AND removed_at IS NULL').get(clientId) as
    { addedAt: string } | undefined;
  return row?.addedAt ?? null;
}

export function openWaitingList(
  db: Db,
  tracks: string[],
): { clientId: string; name: string; track: string; urgency: string; firstContactAt: string; addedAt: string }[] {
  return prepared(
    db,
    `SELECT w.client_id AS clientId, c.name, c.track, coalesce(i.urgency, 'normal') AS urgency,
              coalesce(c.first_contact_at, c.created_at) AS firstContactAt, w.added_at AS addedAt
       FROM waiting_list w JOIN clients c ON c.id = w.client_id LEFT JOIN intakes i ON i.id = w.intake_id
       WHERE w.removed_at IS NULL AND c.track IN (${tracks.map(() => '?').join(', ')})
       ORDER BY CASE coalesce(i.urgency, 'normal') WHEN 'acute' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, firstContactAt`,
  ).all(...tracks) as { clientId: string; name: string; track: string; urgency: string; firstContactAt: string; addedAt: string }[];
}
