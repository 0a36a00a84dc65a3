import { prepared, type Db } from './connection.js';
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

export function updateAppointmentTime(
  db: Db,
  change: { id: string; startsAt: string; endsAt: string; therapistId: string; roomId: string | null; updatedAt: string },
): void {
  prepared(
    db,
    'UPDATE appointments SET starts_at = @startsAt, ends_at = @endsAt, therapist_id = @therapistId, room_id = @roomId, updated_at = @updatedAt WHERE id = @id',
  ).run(change);
}

export function updateAppointmentStatus(
  db: Db,
  change: { id: string; status: AppointmentStatus; cancelReason: string | null; updatedAt: string },
): void {
  prepared(db, 'UPDATE appointments SET status = @status, cancel_reason = @cancelReason, updated_at = @updatedAt WHERE id = @id').run(change);
}

export function findAppointment(db: Db, id: string): AppointmentWithNames | null {
  return (prepared(db, `${WITH_NAMES} WHERE a.id = ?`).get(id) as AppointmentWithNames | undefined) ?? null;
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

export function appointmentsOfClient(db: Db, clientId: string): AppointmentWithNames[] {
  return prepared(
    db,
    `${WITH_NAMES} WHERE a.client_id = ? OR a.group_id IN (SELECT group_id FROM group_members WHERE client_id = ?)
       ORDER BY a.starts_at DESC LIMIT 200`,
  ).all(clientId, clientId) as AppointmentWithNames[];
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

/** Live appointments overlapping [from, to) that hold this therapist or this room (any side, any site for therapists). */
export function overlappingForResources(
  db: Db,
  resources: { therapistId: string; roomId: string | null },
  from: string,
  to: string,
): AppointmentRow[] {
  return prepared(
    db,
    `SELECT ${COLUMNS} FROM appointments a
       WHERE a.status <> 'cancelled' AND a.starts_at < @to AND a.ends_at > @from AND a.starts_at > @earliest AND (a.therapist_id = @therapistId OR (@roomId IS NOT NULL AND a.room_id = @roomId))`,
  ).all({ ...resources, from, to, earliest: earliestStart(from) }) as AppointmentRow[];
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

export function findGroup(db: Db, id: string): GroupRow | null {
  return (
    (prepared(db, 'SELECT id, site_id AS siteId, track, name, therapist_id AS therapistId, room_id AS roomId FROM groups WHERE id = ?').get(id) as
      GroupRow | undefined) ?? null
  );
}

export function groupsOfTracks(db: Db, siteId: string, tracks: Track[]): GroupRow[] {
  return prepared(
    db,
    `SELECT id, site_id AS siteId, track, name, therapist_id AS therapistId, room_id AS roomId FROM groups
       WHERE site_id = ? AND track IN (${tracks.map(() => '?').join(', ')}) ORDER BY name`,
  ).all(siteId, ...tracks) as GroupRow[];
}

export function currentMembers(db: Db, groupId: string): { clientId: string; name: string }[] {
  return prepared(
    db,
    `SELECT m.client_id AS clientId, c.name FROM group_members m JOIN clients c ON c.id = m.client_id
       WHERE m.group_id = ? AND m.left_at IS NULL ORDER BY c.search_name`,
  ).all(groupId) as { clientId: string; name: string }[];
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

export function sessionsOfGroup(db: Db, groupId: string, from: string): AppointmentWithNames[] {
  return prepared(db, `${WITH_NAMES} WHERE a.group_id = ? AND a.starts_at >= ? AND a.status <> 'cancelled' ORDER BY a.starts_at`).all(
    groupId,
    from,
  ) as AppointmentWithNames[];
}

/** Who attends an appointment: its client, or its group's members at that time. */
export function attendeesOf(db: Db, appointment: Pick<AppointmentRow, 'clientId' | 'groupId' | 'startsAt'>): string[] {
  if (appointment.clientId) return [appointment.clientId];
  if (!appointment.groupId) return [];
  // Compiled once per connection: a booking asks this for every appointment near the time it judges.
  return (
    prepared(db, 'SELECT client_id AS clientId FROM group_members WHERE group_id = ? AND joined_at <= ? AND (left_at IS NULL OR left_at > ?)').all(
      appointment.groupId,
      appointment.startsAt,
      appointment.startsAt,
    ) as { clientId: string }[]
  ).map((row) => row.clientId);
}
