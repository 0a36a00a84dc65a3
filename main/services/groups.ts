import { randomUUID } from 'node:crypto';
import {
  addGroupMember,
  currentMembers,
  endGroupMembership,
  findGroup,
  groupsOfTracks,
  insertGroup,
  insertAppointment,
  sessionsOfGroup,
  type GroupRow,
} from '../../db/appointments.js';
import { tracksOfSide, type Track } from '../../db/clients.js';
import type { Db } from '../../db/connection.js';
import { sideOfTrack, type GroupView, type Side } from '../../preload/contract/index.js';
import { DomainError, retold } from './errors.js';
import { clientOfSideSync as clientOfSide } from './clients.js';
import { judgeSlot, toAppointmentView, type Subject } from './scheduling.js';
import { addLocalDays, localToUtc, utcToLocal } from './time.js';

const MINUTE = 60_000;

function groupOfSide(db: Db, side: Side, groupId: string): GroupRow {
  const group = findGroup(db, groupId);
  if (!group || sideOfTrack(group.track) !== side) throw new DomainError('NOT_FOUND', 'error.group.notFound');
  return group;
}

export function groupView(db: Db, group: GroupRow, now: Date): GroupView {
  return {
    ...group,
    members: currentMembers(db, group.id),
    upcomingSessions: sessionsOfGroup(db, group.id, now.toISOString()).map(toAppointmentView),
  };
}

export function listGroups(db: Db, side: Side, siteId: string, now: Date): GroupView[] {
  return groupsOfTracks(db, siteId, tracksOfSide(side)).map((group) => groupView(db, group, now));
}

/** Creates a group with weekly sessions; every session must be bookable, or nothing is created. */
export function createGroup(
  db: Db,
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
): GroupView {
  if (sideOfTrack(input.track) !== input.side) throw new DomainError('INVALID_INPUT', 'error.group.trackSide', { track: 'error.group.trackSide' });
  const id = randomUUID();
  const group: GroupRow = { id, siteId: input.siteId, track: input.track, name: input.name, therapistId: input.therapistId, roomId: input.roomId };
  const subject: Subject = { side: input.side, track: input.track, clientId: null, groupId: id, attendees: [] };
  // Insert the group first so sessions can refer to it; the surrounding transaction undoes it on refusal.
  insertGroup(db, { ...group, createdAt: now.toISOString() });
  for (let week = 0; week < input.sessions; week += 1) {
    const date = addLocalDays(input.firstDate, week * 7);
    const slot = {
      siteId: input.siteId,
      date,
      start: input.start,
      durationMinutes: input.durationMinutes,
      therapistId: input.therapistId,
      roomId: input.roomId,
    };
    try {
      judgeSlot(db, subject, slot, null);
    } catch (error) {
      // The perpetrators' side keeps the one neutral answer for every refused time; the victims' side learns which date.
      if (error instanceof DomainError && input.side === 'victims')
        throw retold(error, error.code, 'error.group.sessionConflict', { firstDate: 'error.group.sessionConflict' });
      throw error;
    }
    const startsAt = localToUtc(date, input.start);
    insertAppointment(db, {
      id: randomUUID(),
      siteId: input.siteId,
      side: input.side,
      kind: 'group',
      status: 'booked',
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
    });
  }
  return groupView(db, group, now);
}

/** A new member joins every upcoming session: each is re-checked against the separation rule for them. */
export function addMember(db: Db, side: Side, groupId: string, clientId: string, now: Date): GroupView {
  const group = groupOfSide(db, side, groupId);
  const client = clientOfSide(db, side, clientId);
  if (client.track !== group.track) throw new DomainError('INVALID_INPUT', 'error.group.trackMismatch', { clientId: 'error.group.trackMismatch' });
  const subject: Subject = { side, track: group.track, clientId: null, groupId, attendees: [clientId] };
  for (const session of sessionsOfGroup(db, groupId, now.toISOString())) {
    const local = utcToLocal(session.startsAt);
    const durationMinutes = Math.round((Date.parse(session.endsAt) - Date.parse(session.startsAt)) / MINUTE);
    judgeSlot(
      db,
      subject,
      { siteId: session.siteId, date: local.date, start: local.time, durationMinutes, therapistId: session.therapistId, roomId: session.roomId },
      session.id,
    );
  }
  addGroupMember(db, groupId, clientId, now.toISOString());
  return groupView(db, group, now);
}

export function removeMember(db: Db, side: Side, groupId: string, clientId: string, now: Date): GroupView {
  const group = groupOfSide(db, side, groupId);
  endGroupMembership(db, groupId, clientId, now.toISOString());
  return groupView(db, group, now);
}
