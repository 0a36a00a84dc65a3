import { randomUUID } from 'node:crypto';
import {
  addGroupMember,
  allSessionsOfGroup,
  attendanceOf,
  cancelGroupSessionsFrom,
  clientsForScheduling,
  currentMembers,
  endGroupAt,
  endGroupMembership,
  groupsOfTracks,
  groupWithSessions,
  insertAppointments,
  insertGroup,
  membershipPeriods,
  recordAttendance,
  sessionsOfGroups,
  type AppointmentWithNames,
  type GroupRow,
} from '../../db/appointments/index.js';
import type { Track } from '../../db/engine/schema.js';
import type { Tx } from '../../db/engine/store.js';
import { sideOfTrack, type AttendanceStatus, type GroupSession, type GroupView, type Side } from '../../preload/contract/index.js';
import { DomainError, retold } from './errors.js';
import { appointmentOfSide, judgeSlots, toAppointmentView, writeJudged, type Slot, type Subject } from './scheduling.js';
import { addLocalDays, localToUtc, todayLocal, utcToLocal } from './time.js';

const MINUTE = 60_000;
const TRACKS_OF_SIDE: Record<Side, Track[]> = { victims: ['victim', 'child'], perpetrators: ['perpetrator'] };

/** A group of this side with its upcoming sessions; from the other side it does not exist. */
async function groupOfSide(tx: Tx, side: Side, groupId: string, now: Date): Promise<{ group: GroupRow; sessions: AppointmentWithNames[] }> {
  const found = await groupWithSessions(tx, groupId, now.toISOString());
  if (!found || sideOfTrack(found.group.track) !== side) throw new DomainError('NOT_FOUND', 'error.group.notFound');
  return found;
}

/** Groups with their current members and upcoming sessions: two statements for all of them. */
async function groupViews(tx: Tx, groups: GroupRow[], now: Date, known?: Map<string, AppointmentWithNames[]>): Promise<GroupView[]> {
  const ids = groups.map((group) => group.id);
  const members = await currentMembers(tx, ids);
  const sessions = known ?? (await sessionsOfGroups(tx, ids, now.toISOString()));
  return groups.map((group) => ({
    ...group,
    members: members.get(group.id) ?? [],
    upcomingSessions: (sessions.get(group.id) ?? []).map(toAppointmentView),
  }));
}

export async function groupView(tx: Tx, group: GroupRow, now: Date): Promise<GroupView> {
  const [view] = await groupViews(tx, [group], now);
  return view!;
}

export async function listGroups(tx: Tx, side: Side, siteId: string, now: Date): Promise<GroupView[]> {
  return groupViews(tx, await groupsOfTracks(tx, siteId, TRACKS_OF_SIDE[side]), now);
}

/** Creates a group with weekly sessions; every session must be bookable, or nothing is created. */
export async function createGroup(
  tx: Tx,
  input: {
    side: Side;
    siteId: string;
    track: Track;
    name: string;
    therapistId: string;
    roomId: string;
    firstDate: string;
    start: string;
    durationMinutes: number;
    sessions: number;
    /** Weekly dates passed over; the series goes on week by week until it has its sessions. */
    skipDates?: string[];
  },
  by: string,
  now: Date,
): Promise<GroupView> {
  if (sideOfTrack(input.track) !== input.side) throw new DomainError('INVALID_INPUT', 'error.group.trackSide', { track: 'error.group.trackSide' });
  const id = randomUUID();
  const group: GroupRow = {
    id,
    siteId: input.siteId,
    track: input.track,
    name: input.name,
    therapistId: input.therapistId,
    roomId: input.roomId,
    endedAt: null,
  };
  const subject: Subject = { side: input.side, track: input.track, clientId: null, groupId: id, attendees: [] };
  // Insert the group first so sessions can refer to it; the surrounding transaction undoes it on refusal.
  await insertGroup(tx, { ...group, createdAt: now.toISOString() });
  const skipped = new Set(input.skipDates ?? []);
  const dates: string[] = [];
  // Each skipped date adds a week at most: the walk ends however the dates are given.
  for (let week = 0; dates.length < input.sessions && week < input.sessions + skipped.size; week += 1) {
    const date = addLocalDays(input.firstDate, week * 7);
    if (!skipped.has(date)) dates.push(date);
  }
  const slots: Slot[] = [];
  for (const date of dates) {
    slots.push({
      siteId: input.siteId,
      date,
      start: input.start,
      durationMinutes: input.durationMinutes,
      therapistId: input.therapistId,
      roomId: input.roomId,
    });
  }
  const sessionIds = slots.map(() => randomUUID());
  try {
    // All sessions judged in order against one read of the schedule, each counting as booked for the next.
    await judgeSlots(
      tx,
      subject,
      slots.map((slot) => ({ slot, excludeId: null })),
      (slot, index) => ({ id: sessionIds[index]!, therapistId: slot.therapistId, roomId: slot.roomId, attendees: [] }),
    );
  } catch (error) {
    // The perpetrators' side keeps the one neutral answer for every refused time; the victims' side learns which date.
    if (error instanceof DomainError && input.side === 'victims')
      throw retold(error, error.code, 'error.group.sessionConflict', { firstDate: 'error.group.sessionConflict' });
    throw error;
  }
  await insertAppointments(
    tx,
    slots.map((slot, index) => {
      const startsAt = localToUtc(slot.date, input.start);
      return {
        id: sessionIds[index]!,
        siteId: input.siteId,
        side: input.side,
        kind: 'group' as const,
        status: 'booked' as const,
        startsAt,
        endsAt: new Date(Date.parse(startsAt) + input.durationMinutes * MINUTE).toISOString(),
        therapistId: input.therapistId,
        roomId: input.roomId,
        clientId: null,
        groupId: id,
        note: null,
        cancelReason: null,
        createdAt: now.toISOString(),
        createdBy: by,
      };
    }),
  );
  return groupView(tx, group, now);
}

/** A new member joins every upcoming session: each is re-checked against the separation rule for them. */
export async function addMember(tx: Tx, side: Side, groupId: string, clientId: string, now: Date): Promise<GroupView> {
  const { group, sessions } = await groupOfSide(tx, side, groupId, now);
  if (group.endedAt !== null) throw new DomainError('CONFLICT', 'error.group.ended', { clientId: 'error.group.ended' });
  const [client] = await clientsForScheduling(tx, [clientId]);
  if (!client || sideOfTrack(client.track) !== side) throw new DomainError('NOT_FOUND', 'error.client.notFound');
  if (client.track !== group.track) throw new DomainError('INVALID_INPUT', 'error.group.trackMismatch', { clientId: 'error.group.trackMismatch' });
  const subject: Subject = { side, track: group.track, clientId: null, groupId, attendees: [clientId] };
  await judgeSlots(
    tx,
    subject,
    sessions.map((session) => {
      const local = utcToLocal(session.startsAt);
      const durationMinutes = Math.round((Date.parse(session.endsAt) - Date.parse(session.startsAt)) / MINUTE);
      return {
        slot: {
          siteId: session.siteId,
          date: local.date,
          start: local.time,
          durationMinutes,
          therapistId: session.therapistId,
          roomId: session.roomId,
        },
        excludeId: session.id,
      };
    }),
  );
  await writeJudged(subject, () => addGroupMember(tx, groupId, clientId, now.toISOString()));
  // Joining changes no session: the ones read above are the answer's.
  const [view] = await groupViews(tx, [group], now, new Map([[group.id, sessions]]));
  return view!;
}

export async function removeMember(tx: Tx, side: Side, groupId: string, clientId: string, now: Date): Promise<GroupView> {
  const { group, sessions } = await groupOfSide(tx, side, groupId, now);
  await endGroupMembership(tx, groupId, clientId, now.toISOString());
  const [view] = await groupViews(tx, [group], now, new Map([[group.id, sessions]]));
  return view!;
}

/**
 * Ends a group: its coming sessions are cancelled with the reason given, and it takes no further
 * ones. The members stay as they were (their periods are the group's history); the answer lists
 * them with no coming session.
 */
export async function endGroup(tx: Tx, side: Side, groupId: string, reason: string, now: Date): Promise<GroupView> {
  const { group } = await groupOfSide(tx, side, groupId, now);
  if (group.endedAt !== null) throw new DomainError('CONFLICT', 'error.group.ended', { reason: 'error.group.ended' });
  const at = now.toISOString();
  await cancelGroupSessionsFrom(tx, groupId, at, reason, at);
  await endGroupAt(tx, groupId, at);
  const [view] = await groupViews(tx, [{ ...group, endedAt: at }], now, new Map([[group.id, []]]));
  return view!;
}

/** A group of this side, for one who may see it: reception, or the therapist who leads it. */
export async function groupForCaller(tx: Tx, side: Side, groupId: string, now: Date, therapistOnly: string | null): Promise<GroupRow> {
  const { group } = await groupOfSide(tx, side, groupId, now);
  if (therapistOnly !== null && group.therapistId !== therapistOnly) throw new DomainError('NOT_FOUND', 'error.group.notFound');
  return group;
}

type Period = { clientId: string; name: string; joinedAt: string; leftAt: string | null };

/** Who attends a session: the members whose period covers its start (as the separation rule counts them). */
function attendeesAt(periods: Period[], startsAt: string): { clientId: string; name: string }[] {
  const seen = new Set<string>();
  const attendees: { clientId: string; name: string }[] = [];
  for (const period of periods) {
    if (period.joinedAt <= startsAt && (period.leftAt === null || period.leftAt > startsAt) && !seen.has(period.clientId)) {
      seen.add(period.clientId);
      attendees.push({ clientId: period.clientId, name: period.name });
    }
  }
  return attendees;
}

function withAttendance(
  sessions: AppointmentWithNames[],
  periods: Period[],
  recorded: { appointmentId: string; clientId: string; status: AttendanceStatus }[],
): GroupSession[] {
  const status = new Map(recorded.map((row) => [`${row.appointmentId} ${row.clientId}`, row.status]));
  return sessions.map((session) => ({
    session: toAppointmentView(session),
    attendance: attendeesAt(periods, session.startsAt).map((member) => ({
      ...member,
      status: status.get(`${session.id} ${member.clientId}`) ?? null,
    })),
  }));
}

/** Every session of a group with its attendance: four statements, however many sessions and members. */
export async function groupSessions(tx: Tx, group: GroupRow): Promise<GroupSession[]> {
  const sessions = await allSessionsOfGroup(tx, group.id);
  const periods = await membershipPeriods(tx, group.id);
  const recorded = await attendanceOf(
    tx,
    sessions.map((session) => session.id),
  );
  return withAttendance(sessions, periods, recorded);
}

/**
 * Records attendance at one session. Only members whose period covers the session's start can be
 * recorded; present or absent only from the session's day on (cancelled, a member calling off, also
 * before); nothing on a cancelled session.
 */
export async function setAttendance(
  tx: Tx,
  side: Side,
  appointmentId: string,
  attendance: { clientId: string; status: AttendanceStatus }[],
  by: string,
  now: Date,
  therapistOnly: string | null,
): Promise<GroupSession> {
  const session = await appointmentOfSide(tx, side, appointmentId);
  if (session.groupId === null) throw new DomainError('NOT_FOUND', 'error.appointment.notFound');
  const group = await groupForCaller(tx, side, session.groupId, now, therapistOnly);
  if (session.status === 'cancelled') throw new DomainError('CONFLICT', 'error.group.sessionCancelled');
  const periods = await membershipPeriods(tx, group.id);
  const attendees = new Set(attendeesAt(periods, session.startsAt).map((member) => member.clientId));
  for (const entry of attendance) {
    if (!attendees.has(entry.clientId)) throw new DomainError('INVALID_INPUT', 'error.group.notAttendee', { attendance: 'error.group.notAttendee' });
  }
  if (utcToLocal(session.startsAt).date > todayLocal(now) && attendance.some((entry) => entry.status !== 'cancelled'))
    throw new DomainError('INVALID_INPUT', 'error.group.attendanceEarly', { attendance: 'error.group.attendanceEarly' });
  const at = now.toISOString();
  await recordAttendance(
    tx,
    attendance.map((entry) => ({ appointmentId, clientId: entry.clientId, status: entry.status, recordedAt: at, recordedBy: by })),
  );
  const recorded = await attendanceOf(tx, [appointmentId]);
  return withAttendance([session], periods, recorded)[0]!;
}
