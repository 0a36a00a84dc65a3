import { randomUUID } from 'node:crypto';
import {
  addGroupMember,
  clientsForScheduling,
  currentMembers,
  endGroupMembership,
  groupsOfTracks,
  groupWithSessions,
  insertAppointments,
  insertGroup,
  sessionsOfGroups,
  type AppointmentWithNames,
  type GroupRow,
} from '../../db/appointments/index.js';
import type { Track } from '../../db/engine/schema.js';
import type { Tx } from '../../db/engine/store.js';
import { sideOfTrack, type GroupView, type Side } from '../../preload/contract/index.js';
import { DomainError, retold } from './errors.js';
import { judgeSlots, toAppointmentView, type Slot, type Subject } from './scheduling.js';
import { addLocalDays, localToUtc, utcToLocal } from './time.js';

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
  },
  by: string,
  now: Date,
): Promise<GroupView> {
  if (sideOfTrack(input.track) !== input.side) throw new DomainError('INVALID_INPUT', 'error.group.trackSide', { track: 'error.group.trackSide' });
  const id = randomUUID();
  const group: GroupRow = { id, siteId: input.siteId, track: input.track, name: input.name, therapistId: input.therapistId, roomId: input.roomId };
  const subject: Subject = { side: input.side, track: input.track, clientId: null, groupId: id, attendees: [] };
  // Insert the group first so sessions can refer to it; the surrounding transaction undoes it on refusal.
  await insertGroup(tx, { ...group, createdAt: now.toISOString() });
  const slots: Slot[] = [];
  for (let week = 0; week < input.sessions; week += 1) {
    slots.push({
      siteId: input.siteId,
      date: addLocalDays(input.firstDate, week * 7),
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
  await addGroupMember(tx, groupId, clientId, now.toISOString());
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
