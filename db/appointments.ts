import { prepared, type Db } from './connection.js';
// Scheduling's repository is async, in db/appointments/index.ts. What stays here, synchronous, is what
// the bench and the query-shape test write and read on the connection.
import type { Side, Track } from './clients.js';
import type { AppointmentKind, AppointmentStatus } from '../preload/domain/index.js';
export type { AppointmentKind, AppointmentStatus };

export interface AppointmentRow {
  id: string;
  siteId: string;
  side: Side;
  kind: AppointmentKind;
  status: AppointmentStatus;
  startsAt: string;
  endsAt: string;
  therapistId: string;
  roomId: string | null;
  clientId: string | null;
  groupId: string | null;
  note: string | null;
  cancelReason: string | null;
}

export interface AppointmentWithNames extends AppointmentRow {
  clientName: string | null;
  clientTrack: Track | null;
  groupName: string | null;
}

/** No appointment is longer than this (the contract's limit), so one that overlaps [from, …) started after from minus it. */
const LONGEST_APPOINTMENT_MINUTES = 480;

/** A lower bound on starts_at for overlap queries, so the index on starts_at is used from both ends. */
function earliestStart(from: string): string {
  return new Date(Date.parse(from) - LONGEST_APPOINTMENT_MINUTES * 60_000).toISOString();
}

const COLUMNS = `a.id, a.site_id AS siteId, a.side, a.kind, a.status, a.starts_at AS startsAt, a.ends_at AS endsAt, a.therapist_id AS therapistId,
  a.room_id AS roomId, a.client_id AS clientId, a.group_id AS groupId, a.note, a.cancel_reason AS cancelReason`;
const WITH_NAMES = `SELECT ${COLUMNS}, c.name AS clientName, c.track AS clientTrack, g.name AS groupName
  FROM appointments a LEFT JOIN clients c ON c.id = a.client_id LEFT JOIN groups g ON g.id = a.group_id`;

export function insertAppointment(db: Db, row: AppointmentRow & { createdAt: string; createdBy: string }): void {
  prepared(
    db,
    `INSERT INTO appointments (id, site_id, side, kind, status, starts_at, ends_at, therapist_id, room_id, client_id, group_id, note, cancel_reason,
       created_at, created_by, updated_at)
     VALUES (@id, @siteId, @side, @kind, @status, @startsAt, @endsAt, @therapistId, @roomId, @clientId, @groupId, @note, @cancelReason,
       @createdAt, @createdBy, @createdAt)`,
  ).run(row);
}

/** One side's appointments starting in [from, to), optionally for one therapist or room. */
export function appointmentsOfSide(
  db: Db,
  filter: { side: Side; siteId: string; from: string; to: string; therapistId: string | null; roomId: string | null },
): AppointmentWithNames[] {
  return prepared(
    db,
    `${WITH_NAMES} WHERE a.side = @side AND a.site_id = @siteId AND a.starts_at >= @from AND a.starts_at < @to
         AND (@therapistId IS NULL OR a.therapist_id = @therapistId) AND (@roomId IS NULL OR a.room_id = @roomId)
       ORDER BY a.starts_at, a.id`,
  ).all(filter) as AppointmentWithNames[];
}

/**
 * Live (not cancelled) appointments at a site that overlap [from, to) and that the given clients
 * attend, alone or as members of a group (membership counted while it lasts).
 *
 * Two searches joined by UNION (which also drops an appointment found twice): the clients' own
 * appointments through their index, and their groups' sessions through the memberships. Written
 * as one WHERE with OR, SQLite read every appointment of the ten years on every booking.
 */
export function liveAppointmentsOfClients(db: Db, clientIds: string[], siteId: string | null, from: string, to: string): AppointmentRow[] {
  if (clientIds.length === 0) return [];
  const list = clientIds.map(() => '?').join(', ');
  const live = `a.starts_at > @earliest AND a.starts_at < @to AND a.ends_at > @from AND a.status <> 'cancelled' AND (@siteId IS NULL OR a.site_id = @siteId)`;
  return prepared(
    db,
    `SELECT ${COLUMNS} FROM appointments a WHERE a.client_id IN (${list}) AND ${live}
     UNION
     SELECT ${COLUMNS} FROM group_members m JOIN appointments a ON a.group_id = m.group_id
       WHERE m.client_id IN (${list}) AND m.joined_at <= a.starts_at AND (m.left_at IS NULL OR m.left_at > a.starts_at) AND ${live}
     ORDER BY startsAt, id`,
  ).all({ siteId, from, to, earliest: earliestStart(from) }, ...clientIds, ...clientIds) as AppointmentRow[];
}

/** Live appointments at a site within [from, to), of either side: for the warnings about the two sides meeting. */
export function liveAppointmentsAtSite(
  db: Db,
  siteId: string,
  from: string,
  to: string,
): (AppointmentRow & { clientTrack: Track | null; groupTrack: Track | null })[] {
  return prepared(
    db,
    `SELECT ${COLUMNS}, c.track AS clientTrack, g.track AS groupTrack FROM appointments a
       LEFT JOIN clients c ON c.id = a.client_id LEFT JOIN groups g ON g.id = a.group_id
       WHERE a.site_id = ? AND a.status <> 'cancelled' AND a.starts_at < ? AND a.ends_at > ? AND a.starts_at > ?`,
  ).all(siteId, to, from, earliestStart(from)) as (AppointmentRow & { clientTrack: Track | null; groupTrack: Track | null })[];
}

export interface GroupRow {
  id: string;
  siteId: string;
  track: Track;
  name: string;
  therapistId: string;
  roomId: string | null;
}

export function insertGroup(db: Db, group: GroupRow & { createdAt: string }): void {
  prepared(
    db,
    'INSERT INTO groups (id, site_id, track, name, therapist_id, room_id, created_at) VALUES (@id, @siteId, @track, @name, @therapistId, @roomId, @createdAt)',
  ).run(group);
}

/** A new membership period: earlier periods are kept; a current member stays as they are (their open period is not restarted). */
export function addGroupMember(db: Db, groupId: string, clientId: string, at: string): void {
  prepared(
    db,
    `INSERT INTO group_members (group_id, client_id, joined_at)
     SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM group_members WHERE group_id = ? AND client_id = ? AND left_at IS NULL)
     -- Left and back in the same instant: the period that ended then simply goes on.
     ON CONFLICT (group_id, client_id, joined_at) DO UPDATE SET left_at = NULL`,
  ).run(groupId, clientId, at, groupId, clientId);
}

export function endGroupMembership(db: Db, groupId: string, clientId: string, at: string): void {
  prepared(db, 'UPDATE group_members SET left_at = ? WHERE group_id = ? AND client_id = ? AND left_at IS NULL').run(at, groupId, clientId);
}
