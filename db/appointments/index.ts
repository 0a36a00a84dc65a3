/**
 * Appointments, groups and their members, for scheduling: async over the store's transaction (#13).
 *
 * Every function runs one statement, whatever the journal holds: a booking or a slot search reads
 * the appointments around the time it judges, who attends them, and the linked people of its
 * clients each in one query (sets with `in (…)`, grouped here), never one query per row.
 */
import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';
import type { AppointmentKind, AppointmentStatus, Database, Side, Track } from '../engine/schema.js';
import { reusableQuery, reusableQueryOf } from '../engine/compiled.js';
import { writesInWith } from '../engine/writesInWith.js';
import type { Tx } from '../engine/store.js';

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

/** An appointment near a time being judged, with who attends it and the tracks that route it to a waiting room. */
export interface BookedRow extends AppointmentRow {
  clientTrack: Track | null;
  groupTrack: Track | null;
  /** The client, or the group's members at the appointment's start. */
  attendees: string[];
}

export interface GroupRow {
  id: string;
  siteId: string;
  track: Track;
  name: string;
  therapistId: string;
  roomId: string | null;
  /** When the group ended; null while it runs. */
  endedAt: string | null;
}

/** An instant window [from, to) of ISO instants. */
export interface Window {
  from: string;
  to: string;
}

/** No appointment is longer than this (the contract's limit), so one that overlaps [from, …) started after from minus it. */
const LONGEST_APPOINTMENT_MINUTES = 480;

/** A lower bound on starts_at for overlap queries, so the index on starts_at is used from both ends. */
function earliestStart(from: string): string {
  return new Date(Date.parse(from) - LONGEST_APPOINTMENT_MINUTES * 60_000).toISOString();
}

type AppointmentsScope = ExpressionBuilder<Database & { a: Database['appointments'] }, 'a'>;

const COLUMNS = [
  'a.id',
  'a.site_id as siteId',
  'a.side',
  'a.kind',
  'a.status',
  'a.starts_at as startsAt',
  'a.ends_at as endsAt',
  'a.therapist_id as therapistId',
  'a.room_id as roomId',
  'a.client_id as clientId',
  'a.group_id as groupId',
  'a.note',
  'a.cancel_reason as cancelReason',
] as const;

function withNames(tx: Tx) {
  return tx
    .selectFrom('appointments as a')
    .leftJoin('clients as c', 'c.id', 'a.client_id')
    .leftJoin('groups as g', 'g.id', 'a.group_id')
    .select([...COLUMNS, 'c.name as clientName', 'c.track as clientTrack', 'g.name as groupName']);
}

/** The windows as the values liveIn binds: worked out before the query, whose shape then depends only on how many windows there are. */
export interface WindowValues {
  earliest: string;
  latest: string;
  starts: string[];
  tos: string[];
  froms: string[];
}

export function windowValues(windows: Window[]): WindowValues {
  const starts = windows.map((window) => earliestStart(window.from));
  const tos = windows.map((window) => window.to);
  return { earliest: [...starts].sort()[0]!, latest: [...tos].sort()[tos.length - 1]!, starts, tos, froms: windows.map((window) => window.from) };
}

/** Live (not cancelled) and overlapping one of the windows; the starts_at range keeps each search on its index. */
function liveIn(windows: WindowValues) {
  return (eb: AppointmentsScope) =>
    eb.and([
      eb('a.status', '<>', 'cancelled'),
      eb('a.starts_at', '>', windows.earliest),
      eb('a.starts_at', '<', windows.latest),
      eb.or(
        windows.starts.map((start, index) =>
          eb.and([eb('a.starts_at', '>', start), eb('a.starts_at', '<', windows.tos[index]!), eb('a.ends_at', '>', windows.froms[index]!)]),
        ),
      ),
    ]);
}

type AppointmentInsert = AppointmentRow & { createdAt: string; createdBy: string };

function insertValues(row: AppointmentInsert) {
  return {
    id: row.id,
    site_id: row.siteId,
    side: row.side,
    kind: row.kind,
    status: row.status,
    starts_at: row.startsAt,
    ends_at: row.endsAt,
    therapist_id: row.therapistId,
    room_id: row.roomId,
    client_id: row.clientId,
    group_id: row.groupId,
    note: row.note,
    cancel_reason: row.cancelReason,
    created_at: row.createdAt,
    created_by: row.createdBy,
    updated_at: row.createdAt,
  };
}

/** An appointment's columns as a reusable insert binds them. */
const INSERT_KEYS = [
  'id',
  'siteId',
  'side',
  'kind',
  'status',
  'startsAt',
  'endsAt',
  'therapistId',
  'roomId',
  'clientId',
  'groupId',
  'note',
  'cancelReason',
  'createdAt',
  'createdBy',
] as const satisfies readonly (keyof AppointmentInsert)[];

// A booking inserts one row: that insert is compiled once.
const insertOneAppointment = reusableQueryOf<AppointmentInsert>(INSERT_KEYS, (tx, row) => tx.insertInto('appointments').values(insertValues(row)));

export async function insertAppointments(tx: Tx, rows: AppointmentInsert[]): Promise<void> {
  if (rows.length === 0) return;
  if (rows.length === 1) {
    await insertOneAppointment.run(tx, rows[0]!);
    return;
  }
  await tx.insertInto('appointments').values(rows.map(insertValues)).execute();
}

// A booking of a client: its insert with the client taken off the waiting list, in one statement (the update as a WITH).
const insertBookedQuery = reusableQueryOf<AppointmentInsert & { leftAt: string; leftReason: string }>(
  [...INSERT_KEYS, 'leftAt', 'leftReason'],
  (tx, row) =>
    tx
      .with('left_waiting_list', (db) =>
        db
          .updateTable('waiting_list')
          .set({ removed_at: row.leftAt, removed_reason: row.leftReason })
          .where('client_id', '=', row.clientId)
          .where('removed_at', 'is', null),
      )
      .insertInto('appointments')
      .values(insertValues(row)),
);

/**
 * A booked appointment, and its client taken off the waiting list (as leaveWaitingList) when it has
 * one: one statement where the engine writes in a WITH (PostgreSQL: one round trip instead of two;
 * both writes run with their triggers and row policies, and fail or commit together), else two.
 */
export async function insertBooked(tx: Tx, row: AppointmentInsert, leave: { at: string; reason: string } | null): Promise<void> {
  if (!leave || row.clientId === null) return insertAppointments(tx, [row]);
  if (!writesInWith(tx)) {
    await insertAppointments(tx, [row]);
    return leaveWaitingList(tx, row.clientId, leave.at, leave.reason);
  }
  await insertBookedQuery.run(tx, { ...row, leftAt: leave.at, leftReason: leave.reason });
}

export async function updateAppointmentTime(
  tx: Tx,
  change: { id: string; startsAt: string; endsAt: string; therapistId: string; roomId: string | null; updatedAt: string },
): Promise<void> {
  await tx
    .updateTable('appointments')
    .set({
      starts_at: change.startsAt,
      ends_at: change.endsAt,
      therapist_id: change.therapistId,
      room_id: change.roomId,
      updated_at: change.updatedAt,
    })
    .where('id', '=', change.id)
    .execute();
}

export async function updateAppointmentStatus(
  tx: Tx,
  change: { id: string; status: AppointmentStatus; cancelReason: string | null; updatedAt: string },
): Promise<void> {
  await tx
    .updateTable('appointments')
    .set({ status: change.status, cancel_reason: change.cancelReason, updated_at: change.updatedAt })
    .where('id', '=', change.id)
    .execute();
}

export async function findAppointment(tx: Tx, id: string): Promise<AppointmentWithNames | null> {
  return (await withNames(tx).where('a.id', '=', id).executeTakeFirst()) ?? null;
}

/** One side's appointments starting in [from, to) at a site, in time order; the filters below narrow it. */
function sideRange(tx: Tx, side: Side, siteId: string, from: string, to: string) {
  return withNames(tx)
    .select(['g.track as groupTrack', 'g.site_id as groupSiteId'])
    .where('a.side', '=', side)
    .where('a.site_id', '=', siteId)
    .where('a.starts_at', '>=', from)
    .where('a.starts_at', '<', to)
    .orderBy('a.starts_at')
    .orderBy('a.id');
}

// The week view's and the desk board's query, built once for each filter it can have (reusableQuery).
const sideRangeQuery = reusableQuery(4, sideRange);
const sideRangeOfTherapistQuery = reusableQuery(5, (tx: Tx, side: Side, siteId: string, from: string, to: string, therapistId: string) =>
  sideRange(tx, side, siteId, from, to).where('a.therapist_id', '=', therapistId),
);
const sideRangeOfRoomQuery = reusableQuery(5, (tx: Tx, side: Side, siteId: string, from: string, to: string, roomId: string) =>
  sideRange(tx, side, siteId, from, to).where('a.room_id', '=', roomId),
);
const sideRangeOfBothQuery = reusableQuery(6, (tx: Tx, side: Side, siteId: string, from: string, to: string, therapistId: string, roomId: string) =>
  sideRange(tx, side, siteId, from, to).where('a.therapist_id', '=', therapistId).where('a.room_id', '=', roomId),
);

/** One side's appointments starting in [from, to), optionally for one therapist or room, with their group's track. */
export async function appointmentsOfSide(
  tx: Tx,
  filter: { side: Side; siteId: string; from: string; to: string; therapistId: string | null; roomId: string | null },
): Promise<(AppointmentWithNames & { groupTrack: Track | null; groupSiteId: string | null })[]> {
  const { side, siteId, from, to, therapistId, roomId } = filter;
  if (therapistId !== null && roomId !== null) return sideRangeOfBothQuery.all(tx, side, siteId, from, to, therapistId, roomId);
  if (therapistId !== null) return sideRangeOfTherapistQuery.all(tx, side, siteId, from, to, therapistId);
  if (roomId !== null) return sideRangeOfRoomQuery.all(tx, side, siteId, from, to, roomId);
  return sideRangeQuery.all(tx, side, siteId, from, to);
}

/** The group sessions these clients were members of when each began (ids), for the caller to narrow to a time. */
function sessionsAttendedBy(tx: Tx, clientIds: string[]) {
  return tx
    .selectFrom('group_members as m')
    .innerJoin('appointments as a', 'a.group_id', 'm.group_id')
    .select('a.id')
    .where('m.client_id', 'in', clientIds)
    .whereRef('m.joined_at', '<=', 'a.starts_at')
    .where((eb) => eb.or([eb('m.left_at', 'is', null), eb('m.left_at', '>', eb.ref('a.starts_at'))]));
}

/** The rows of bookedAround's statement, one per appointment and member (also read inside a booking's one statement, bookingReads.ts). */
export function bookedAroundRows(
  tx: Tx,
  siteId: string,
  therapistIds: string[],
  clientIds: string[],
  earliest: string,
  latest: string,
  starts: string[],
  tos: string[],
  froms: string[],
) {
  const live = liveIn({ earliest, latest, starts, tos, froms });
  type Ids = SelectQueryBuilder<Database & { a: Database['appointments'] }, 'a', { id: string }>;
  let ids: Ids = tx.selectFrom('appointments as a').select('a.id').where('a.site_id', '=', siteId).where(live);
  if (therapistIds.length > 0) {
    ids = ids.union(tx.selectFrom('appointments as a').select('a.id').where('a.therapist_id', 'in', therapistIds).where(live));
  }
  if (clientIds.length > 0) {
    ids = ids
      .union(tx.selectFrom('appointments as a').select('a.id').where('a.client_id', 'in', clientIds).where(live))
      .union(sessionsAttendedBy(tx, clientIds).where(live));
  }
  return tx
    .selectFrom('appointments as a')
    .leftJoin('clients as c', 'c.id', 'a.client_id')
    .leftJoin('groups as g', 'g.id', 'a.group_id')
    .leftJoin('group_members as m', (join) =>
      join
        .onRef('m.group_id', '=', 'a.group_id')
        .onRef('m.joined_at', '<=', 'a.starts_at')
        .on((eb) => eb.or([eb('m.left_at', 'is', null), eb('m.left_at', '>', eb.ref('a.starts_at'))])),
    )
    .select([...COLUMNS, 'c.track as clientTrack', 'g.track as groupTrack', 'm.client_id as memberId'])
    .where('a.id', 'in', ids)
    .orderBy('a.starts_at')
    .orderBy('a.id');
}

// Built once per number of therapists, clients and windows (reusableQuery): a booking and a slot search run it with new values.
const bookedAroundQuery = reusableQuery(8, bookedAroundRows);

/** bookedAround's answer from its rows (in time order): each appointment once, with who attends it. */
export function bookedRowsOf(
  rows: readonly (AppointmentRow & { clientTrack: Track | null; groupTrack: Track | null; memberId: string | null })[],
): BookedRow[] {
  const booked = new Map<string, BookedRow>();
  for (const { memberId, ...row } of rows) {
    let appointment = booked.get(row.id);
    if (!appointment) {
      appointment = { ...row, attendees: row.clientId ? [row.clientId] : [] };
      booked.set(row.id, appointment);
    }
    if (!row.clientId && memberId !== null) appointment.attendees.push(memberId);
  }
  return [...booked.values()];
}

/**
 * Every live appointment overlapping the windows that a booking must be judged against: all at the
 * site, the therapists' anywhere, and the clients' own and their groups' sessions (while a member)
 * anywhere, each once, with who attends it. One statement: four indexed searches joined by UNION,
 * then the rows with their members.
 */
export async function bookedAround(
  tx: Tx,
  around: { siteId: string; therapistIds: string[]; clientIds: string[]; windows: Window[] },
): Promise<BookedRow[]> {
  if (around.windows.length === 0) return [];
  const w = windowValues(around.windows);
  return bookedRowsOf(
    await bookedAroundQuery.all(tx, around.siteId, around.therapistIds, around.clientIds, w.earliest, w.latest, w.starts, w.tos, w.froms),
  );
}

/** A client's appointments, alone or in a group, the latest 200 first. */
export async function appointmentsOfClient(tx: Tx, clientId: string): Promise<AppointmentWithNames[]> {
  return withNames(tx)
    .where((eb) =>
      eb.or([
        eb('a.client_id', '=', clientId),
        eb('a.group_id', 'in', eb.selectFrom('group_members').select('group_id').where('client_id', '=', clientId)),
      ]),
    )
    .orderBy('a.starts_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(200)
    .execute();
}

/**
 * Live (not cancelled) appointments, at one site or any (siteId null), that overlap [from, to) and
 * that the given clients attend, alone or as members of a group (membership counted while it lasts).
 * One statement: the clients' own appointments and their groups' sessions joined by UNION (which
 * drops one found twice), each through its index.
 */
export async function liveAppointmentsOfClients(
  tx: Tx,
  clientIds: string[],
  siteId: string | null,
  from: string,
  to: string,
): Promise<AppointmentRow[]> {
  if (clientIds.length === 0) return [];
  const live = liveIn(windowValues([{ from, to }]));
  const atSite = (eb: AppointmentsScope) => (siteId === null ? eb.lit(true) : eb('a.site_id', '=', siteId));
  const ids = tx
    .selectFrom('appointments as a')
    .select('a.id')
    .where('a.client_id', 'in', clientIds)
    .where(live)
    .where(atSite)
    .union(sessionsAttendedBy(tx, clientIds).where(live).where(atSite));
  return tx.selectFrom('appointments as a').select(COLUMNS).where('a.id', 'in', ids).orderBy('a.starts_at').orderBy('a.id').execute();
}

/**
 * Clients of the given tracks kept apart from any of these clients by the separation rule: those
 * linked to one of them, and those registered with the same identity number as one of them.
 */
export function linkedRows(tx: Tx, clientIds: string[]) {
  return tx
    .selectFrom('client_links as l')
    .innerJoin('clients as o', 'o.id', 'l.client_b')
    .select(['o.id', 'o.track'])
    .where('l.client_a', 'in', clientIds)
    .union(
      tx
        .selectFrom('client_links as l')
        .innerJoin('clients as o', 'o.id', 'l.client_a')
        .select(['o.id', 'o.track'])
        .where('l.client_b', 'in', clientIds),
    )
    .union(
      tx
        .selectFrom('clients as c')
        .innerJoin('clients as o', 'o.personal_number', 'c.personal_number')
        .select(['o.id', 'o.track'])
        .where('c.id', 'in', clientIds)
        .whereRef('o.id', '<>', 'c.id')
        .where('c.personal_number', 'is not', null),
    );
}

const linkedQuery = reusableQuery(1, linkedRows);

/** linkedAcrossSides' answer from linkedRows' rows: those of the given tracks, each once. */
export function linkedOf(rows: readonly { id: string; track: Track }[], acrossTracks: readonly Track[]): string[] {
  // The tracks are filtered here, not in SQL: a track condition would tempt SQLite to read every client of the track.
  return [...new Set(rows.filter((row) => acrossTracks.includes(row.track)).map((row) => row.id))];
}

export async function linkedAcrossSides(tx: Tx, clientIds: string[], acrossTracks: Track[]): Promise<string[]> {
  if (clientIds.length === 0 || acrossTracks.length === 0) return [];
  return linkedOf(await linkedQuery.all(tx, clientIds), acrossTracks);
}

/** What scheduling needs of clients: their track and name (for the answer's view). */
export function clientsForSchedulingRows(tx: Tx, ids: string[]) {
  return tx.selectFrom('clients').select(['id', 'track', 'name']).where('id', 'in', ids);
}

const clientsForSchedulingQuery = reusableQuery(1, clientsForSchedulingRows);

export async function clientsForScheduling(tx: Tx, ids: string[]): Promise<{ id: string; track: Track; name: string }[]> {
  if (ids.length === 0) return [];
  return clientsForSchedulingQuery.all(tx, ids);
}

/** A booking takes the client off the waiting list. */
const leaveWaitingListQuery = reusableQuery(3, (tx: Tx, clientId: string, at: string, reason: string) =>
  tx.updateTable('waiting_list').set({ removed_at: at, removed_reason: reason }).where('client_id', '=', clientId).where('removed_at', 'is', null),
);

export async function leaveWaitingList(tx: Tx, clientId: string, at: string, reason: string): Promise<void> {
  await leaveWaitingListQuery.run(tx, clientId, at, reason);
}

const GROUP_COLUMNS = [
  'g.id',
  'g.site_id as siteId',
  'g.track',
  'g.name',
  'g.therapist_id as therapistId',
  'g.room_id as roomId',
  'g.ended_at as endedAt',
] as const;

export async function insertGroup(tx: Tx, group: Omit<GroupRow, 'endedAt'> & { createdAt: string }): Promise<void> {
  await tx
    .insertInto('groups')
    .values({
      id: group.id,
      site_id: group.siteId,
      track: group.track,
      name: group.name,
      therapist_id: group.therapistId,
      room_id: group.roomId,
      created_at: group.createdAt,
    })
    .execute();
}

export async function findGroup(tx: Tx, id: string): Promise<GroupRow | null> {
  return (await tx.selectFrom('groups as g').select(GROUP_COLUMNS).where('g.id', '=', id).executeTakeFirst()) ?? null;
}

/** A group with its members at an instant (who attends a session then). */
export async function groupWithMembersAt(tx: Tx, id: string, at: string): Promise<(GroupRow & { members: string[] }) | null> {
  const rows = await tx
    .selectFrom('groups as g')
    .leftJoin('group_members as m', (join) =>
      join
        .onRef('m.group_id', '=', 'g.id')
        .on('m.joined_at', '<=', at)
        .on((eb) => eb.or([eb('m.left_at', 'is', null), eb('m.left_at', '>', at)])),
    )
    .select([...GROUP_COLUMNS, 'm.client_id as memberId'])
    .where('g.id', '=', id)
    .execute();
  if (rows.length === 0) return null;
  const { memberId: _first, ...group } = rows[0]!;
  return { ...group, members: rows.flatMap((row) => (row.memberId === null ? [] : [row.memberId])) };
}

export async function groupsOfTracks(tx: Tx, siteId: string, tracks: Track[]): Promise<GroupRow[]> {
  if (tracks.length === 0) return [];
  return tx
    .selectFrom('groups as g')
    .select(GROUP_COLUMNS)
    .where('g.site_id', '=', siteId)
    .where('g.track', 'in', tracks)
    .orderBy('g.name')
    .execute();
}

/** The current members of each group, by the name's search key. */
export async function currentMembers(tx: Tx, groupIds: string[]): Promise<Map<string, { clientId: string; name: string }[]>> {
  const members = new Map<string, { clientId: string; name: string }[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return members;
  const rows = await tx
    .selectFrom('group_members as m')
    .innerJoin('clients as c', 'c.id', 'm.client_id')
    .select(['m.group_id as groupId', 'm.client_id as clientId', 'c.name'])
    .where('m.group_id', 'in', groupIds)
    .where('m.left_at', 'is', null)
    .orderBy('c.search_name')
    .orderBy('m.client_id')
    .execute();
  for (const { groupId, ...member } of rows) members.get(groupId)?.push(member);
  return members;
}

/** A new membership period: earlier periods are kept; a current member stays as they are (their open period is not restarted). */
export async function addGroupMember(tx: Tx, groupId: string, clientId: string, at: string): Promise<void> {
  await tx
    .insertInto('group_members')
    .columns(['group_id', 'client_id', 'joined_at'])
    .expression(
      tx
        .selectNoFrom((eb) => [eb.val(groupId).as('group_id'), eb.val(clientId).as('client_id'), eb.val(at).as('joined_at')])
        .where((eb) =>
          eb.not(
            eb.exists(
              tx
                .selectFrom('group_members')
                .select('group_id')
                .where('group_id', '=', groupId)
                .where('client_id', '=', clientId)
                .where('left_at', 'is', null),
            ),
          ),
        ),
    )
    // Left and back in the same instant: the period that ended then simply goes on.
    .onConflict((conflict) => conflict.columns(['group_id', 'client_id', 'joined_at']).doUpdateSet({ left_at: null }))
    .execute();
}

export async function endGroupMembership(tx: Tx, groupId: string, clientId: string, at: string): Promise<void> {
  await tx
    .updateTable('group_members')
    .set({ left_at: at })
    .where('group_id', '=', groupId)
    .where('client_id', '=', clientId)
    .where('left_at', 'is', null)
    .execute();
}

/** The live sessions of each group from an instant on, in time order. */
export async function sessionsOfGroups(tx: Tx, groupIds: string[], from: string): Promise<Map<string, AppointmentWithNames[]>> {
  const sessions = new Map<string, AppointmentWithNames[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return sessions;
  const rows = await withNames(tx)
    .where('a.group_id', 'in', groupIds)
    .where('a.starts_at', '>=', from)
    .where('a.status', '<>', 'cancelled')
    .orderBy('a.starts_at')
    .orderBy('a.id')
    .execute();
  for (const row of rows) sessions.get(row.groupId!)?.push(row);
  return sessions;
}

/** A group with its live sessions from an instant on, in one statement. */
export async function groupWithSessions(tx: Tx, id: string, from: string): Promise<{ group: GroupRow; sessions: AppointmentWithNames[] } | null> {
  const rows = await tx
    .selectFrom('groups as g')
    .leftJoin('appointments as a', (join) => join.onRef('a.group_id', '=', 'g.id').on('a.starts_at', '>=', from).on('a.status', '<>', 'cancelled'))
    .select([
      'g.id as groupId',
      'g.site_id as groupSiteId',
      'g.track as groupTrack',
      'g.name as groupName',
      'g.therapist_id as groupTherapistId',
      'g.room_id as groupRoomId',
      'g.ended_at as groupEndedAt',
      'a.id',
      'a.site_id as siteId',
      'a.side',
      'a.kind',
      'a.status',
      'a.starts_at as startsAt',
      'a.ends_at as endsAt',
      'a.therapist_id as therapistId',
      'a.room_id as roomId',
      'a.note',
      'a.cancel_reason as cancelReason',
    ])
    .where('g.id', '=', id)
    .orderBy('a.starts_at')
    .orderBy('a.id')
    .execute();
  const first = rows[0];
  if (!first) return null;
  const group: GroupRow = {
    id: first.groupId,
    siteId: first.groupSiteId,
    track: first.groupTrack,
    name: first.groupName,
    therapistId: first.groupTherapistId,
    roomId: first.groupRoomId,
    endedAt: first.groupEndedAt,
  };
  const sessions = rows.flatMap((row) =>
    row.id === null
      ? []
      : [
          {
            id: row.id,
            siteId: row.siteId!,
            side: row.side!,
            kind: row.kind!,
            status: row.status!,
            startsAt: row.startsAt!,
            endsAt: row.endsAt!,
            therapistId: row.therapistId!,
            roomId: row.roomId,
            // A group's session never has a client of its own (the table's CHECK).
            clientId: null,
            groupId: group.id,
            note: row.note,
            cancelReason: row.cancelReason,
            clientName: null,
            clientTrack: null,
            groupName: group.name,
          },
        ],
  );
  return { group, sessions };
}

/**
 * A therapist's appointments that someone must still keep — not over yet (ends after `at`) and booked,
 * arrived or in session — her own and the group sessions she leads, counted apart. One statement.
 */
export async function appointmentsToKeepOf(tx: Tx, therapistId: string, at: string): Promise<{ appointments: number; groupSessions: number }> {
  const row = await tx
    .selectFrom('appointments as a')
    .select((eb) => [
      eb.fn.sum<number | string | null>(eb.case().when('a.group_id', 'is', null).then(1).else(0).end()).as('appointments'),
      eb.fn.sum<number | string | null>(eb.case().when('a.group_id', 'is', null).then(0).else(1).end()).as('groupSessions'),
    ])
    .where('a.therapist_id', '=', therapistId)
    .where('a.ends_at', '>', at)
    .where('a.status', 'in', ['booked', 'arrived', 'in_session'])
    .executeTakeFirstOrThrow();
  // A sum over no rows is null; PostgreSQL's sum is a bigint.
  return { appointments: Number(row.appointments ?? 0), groupSessions: Number(row.groupSessions ?? 0) };
}

/** Ends a group: it takes no further sessions. */
export async function endGroupAt(tx: Tx, groupId: string, at: string): Promise<void> {
  await tx.updateTable('groups').set({ ended_at: at }).where('id', '=', groupId).where('ended_at', 'is', null).execute();
}

/** Cancels a group's live sessions that start from an instant on, with one reason, in one statement. */
export async function cancelGroupSessionsFrom(tx: Tx, groupId: string, from: string, reason: string, at: string): Promise<void> {
  await tx
    .updateTable('appointments')
    .set({ status: 'cancelled', cancel_reason: reason, updated_at: at })
    .where('group_id', '=', groupId)
    .where('starts_at', '>=', from)
    .where('status', 'not in', ['cancelled', 'done'])
    .execute();
}

/** No group runs longer than this many sessions in its history shown (a year of weekly sessions, and then some). */
export const GROUP_SESSIONS_SHOWN = 200;

/** Every session of a group, cancelled ones too, in time order (the first GROUP_SESSIONS_SHOWN). */
export async function allSessionsOfGroup(tx: Tx, groupId: string): Promise<AppointmentWithNames[]> {
  return withNames(tx).where('a.group_id', '=', groupId).orderBy('a.starts_at').orderBy('a.id').limit(GROUP_SESSIONS_SHOWN).execute();
}

/** Every membership period of a group, with the member's name. */
export async function membershipPeriods(
  tx: Tx,
  groupId: string,
): Promise<{ clientId: string; name: string; joinedAt: string; leftAt: string | null }[]> {
  return tx
    .selectFrom('group_members as m')
    .innerJoin('clients as c', 'c.id', 'm.client_id')
    .select(['m.client_id as clientId', 'c.name', 'm.joined_at as joinedAt', 'm.left_at as leftAt'])
    .where('m.group_id', '=', groupId)
    .orderBy('c.search_name')
    .orderBy('m.client_id')
    .orderBy('m.joined_at')
    .execute();
}

export type AttendanceStatus = 'present' | 'absent' | 'cancelled';

/** The attendance recorded for these sessions. */
export async function attendanceOf(
  tx: Tx,
  appointmentIds: string[],
): Promise<{ appointmentId: string; clientId: string; status: AttendanceStatus }[]> {
  if (appointmentIds.length === 0) return [];
  return tx
    .selectFrom('group_attendance')
    .select(['appointment_id as appointmentId', 'client_id as clientId', 'status'])
    .where('appointment_id', 'in', appointmentIds)
    .execute();
}

/** Records attendance, replacing what was recorded before for the same member and session: one statement. */
export async function recordAttendance(
  tx: Tx,
  rows: { appointmentId: string; clientId: string; status: AttendanceStatus; recordedAt: string; recordedBy: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insertInto('group_attendance')
    .values(
      rows.map((row) => ({
        appointment_id: row.appointmentId,
        client_id: row.clientId,
        status: row.status,
        recorded_at: row.recordedAt,
        recorded_by: row.recordedBy,
      })),
    )
    .onConflict((conflict) =>
      conflict.columns(['appointment_id', 'client_id']).doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        recorded_at: eb.ref('excluded.recorded_at'),
        recorded_by: eb.ref('excluded.recorded_by'),
      })),
    )
    .execute();
}
