/**
 * The booking as it ran before #13, synchronous over the journal's connection, kept only for the
 * first call's booking (main/services/intake.ts, converted separately): it runs inside the router's
 * transaction on the same connection. Goes when intake awaits bookAppointment on the call's Tx.
 */
import { randomUUID } from 'node:crypto';
import {
  attendeesOf,
  findAppointment,
  findGroup,
  insertAppointment,
  liveAppointmentsAtSite,
  liveAppointmentsOfClients,
  overlappingForResources,
  type AppointmentKind,
  type AppointmentRow,
} from '../../db/appointments.js';
import { findClient, linkedAcrossSides, type Track } from '../../db/clients.js';
import type { Db } from '../../db/connection.js';
import { removeFromWaitingList } from '../../db/intakes.js';
import { listRooms, listTherapists, listTrackRoutes, listWaitingRooms } from '../../db/org.js';
import { sideOfTrack, type AppointmentView, type BookingWarning, type Side } from '../../preload/contract.js';
import { judgeBooking, type BookedAppointment, type BookingFacts, type Candidate } from './bookingRules.js';
import { DomainError } from './errors.js';
import { refusalError, toAppointmentView, warningsFor } from './scheduling.js';
import { readSettings } from './settings.js';
import { localToUtc, minutesOfDay, weekdayOf } from './time.js';

const MINUTE = 60_000;

/** What a booking is about: one client, or a group's members, on one side and one track. */
interface Subject {
  side: Side;
  track: Track | null;
  clientId: string | null;
  groupId: string | null;
  attendees: string[];
}

function resolveSubject(db: Db, side: Side, ids: { clientId: string | null; groupId: string | null }, at: string): Subject {
  if (ids.clientId && ids.groupId) throw new DomainError('INVALID_INPUT', 'error.booking.clientOrGroup', { clientId: 'error.booking.clientOrGroup' });
  if (ids.clientId) {
    const client = findClient(db, ids.clientId);
    // A client of the other side is not found from this side: the view must not learn they exist.
    if (!client || sideOfTrack(client.track) !== side) {
      const error = new DomainError('NOT_FOUND', 'error.client.notFound', { clientId: 'error.client.notFound' });
      // The attempt still leaves a trace in that client's own extract.
      if (client) error.trace = [{ clientId: client.id, record: 'refusal:other-side' }];
      throw error;
    }
    return { side, track: client.track, clientId: client.id, groupId: null, attendees: [client.id] };
  }
  if (ids.groupId) {
    const group = findGroup(db, ids.groupId);
    if (!group || sideOfTrack(group.track) !== side) throw new DomainError('NOT_FOUND', 'error.group.notFound', { groupId: 'error.group.notFound' });
    return {
      side,
      track: group.track,
      clientId: null,
      groupId: group.id,
      attendees: attendeesOf(db, { clientId: null, groupId: group.id, startsAt: at }),
    };
  }
  // A consultation for a professional has no client; it still belongs to a side.
  return { side, track: null, clientId: null, groupId: null, attendees: [] };
}

interface Context {
  bufferMinutes: number;
  waitingRoomOfTrack: (siteId: string, track: Track | null) => string | null;
  waitingRoomCapacity: Map<string, number>;
  hoursOf: (therapistId: string) => BookingFacts['workingHours'];
}

function loadContext(db: Db): Context {
  const routes = listTrackRoutes(db);
  const therapists = new Map(listTherapists(db).map((therapist) => [therapist.id, therapist]));
  return {
    bufferMinutes: readSettings(db).separationBufferMinutes,
    waitingRoomOfTrack: (siteId, track) => routes.find((route) => route.siteId === siteId && route.track === track)?.waitingRoomId ?? null,
    waitingRoomCapacity: new Map(listWaitingRooms(db).map((room) => [room.id, room.capacity])),
    hoursOf: (therapistId) =>
      new Map((therapists.get(therapistId)?.hours ?? []).map((day) => [day.weekday, { startMinute: day.startMinute, endMinute: day.endMinute }])),
  };
}

/** Every live appointment at the site in the window, and the therapist's anywhere, with who attends. */
function bookedAround(
  db: Db,
  ctx: Context,
  siteId: string,
  therapistIds: string[],
  attendees: string[],
  from: string,
  to: string,
): BookedAppointment[] {
  const rows = new Map<string, AppointmentRow & { clientTrack?: Track | null; groupTrack?: Track | null }>();
  for (const row of liveAppointmentsAtSite(db, siteId, from, to)) rows.set(row.id, row);
  for (const therapistId of therapistIds) {
    for (const row of overlappingForResources(db, { therapistId, roomId: null }, from, to)) if (!rows.has(row.id)) rows.set(row.id, row);
  }
  // The client's own appointments at the other site count too: nobody is booked in two places at once.
  for (const row of liveAppointmentsOfClients(db, attendees, null, from, to)) if (!rows.has(row.id)) rows.set(row.id, row);
  return [...rows.values()].map((row) => ({
    id: row.id,
    siteId: row.siteId,
    side: row.side,
    start: Date.parse(row.startsAt),
    end: Date.parse(row.endsAt),
    therapistId: row.therapistId,
    roomId: row.roomId,
    attendees: attendeesOf(db, row),
    waitingRoomId: ctx.waitingRoomOfTrack(row.siteId, row.clientTrack ?? row.groupTrack ?? null),
  }));
}

function linkedTo(db: Db, subject: Subject): Set<string> {
  const linked = new Set<string>();
  if (!subject.track) return linked;
  for (const attendee of subject.attendees) for (const other of linkedAcrossSides(db, attendee, subject.track)) linked.add(other);
  return linked;
}

interface Slot {
  siteId: string;
  date: string;
  start: string;
  durationMinutes: number;
  therapistId: string;
  roomId: string | null;
}

function candidateFor(ctx: Context, subject: Subject, slot: Slot, id: string): Candidate {
  const startsAt = localToUtc(slot.date, slot.start);
  const start = Date.parse(startsAt);
  const startMinute = minutesOfDay(slot.start);
  return {
    id,
    siteId: slot.siteId,
    side: subject.side,
    start,
    end: start + slot.durationMinutes * MINUTE,
    therapistId: slot.therapistId,
    roomId: slot.roomId,
    attendees: subject.attendees,
    waitingRoomId: ctx.waitingRoomOfTrack(slot.siteId, subject.track),
    weekday: weekdayOf(slot.date),
    startMinute,
    endMinute: startMinute + slot.durationMinutes,
  };
}

/** The rows a refused time leaves: the clients asked about, and the linked people whose appointments refused it. */
function refusalTrace(subject: Subject, linkedShaping: readonly string[]) {
  return [
    ...subject.attendees.map((clientId) => ({ clientId, record: 'refusal:asked' })),
    ...linkedShaping.filter((id) => !subject.attendees.includes(id)).map((clientId) => ({ clientId, record: 'refusal:linked' })),
  ];
}

function checkResources(db: Db, slot: Slot, subject: Subject): void {
  const therapist = listTherapists(db).find((candidate) => candidate.id === slot.therapistId);
  if (!therapist) throw new DomainError('INVALID_INPUT', 'error.therapist.unknown', { therapistId: 'error.therapist.unknown' });
  if (subject.track && therapist.tracks.length > 0 && !therapist.tracks.includes(subject.track)) {
    throw new DomainError('INVALID_INPUT', 'error.therapist.track', { therapistId: 'error.therapist.track' });
  }
  if (slot.roomId) {
    const room = listRooms(db).find((candidate) => candidate.id === slot.roomId);
    if (!room || room.siteId !== slot.siteId || !room.active)
      throw new DomainError('INVALID_INPUT', 'error.room.unknown', { roomId: 'error.room.unknown' });
  }
}

/** Judges one slot for one subject against everything booked; throws the side-appropriate refusal. */
function judgeSlot(db: Db, subject: Subject, slot: Slot, excludeId: string | null): BookingWarning[] {
  checkResources(db, slot, subject);
  const ctx = loadContext(db);
  const candidate = candidateFor(ctx, subject, slot, excludeId ?? '');
  const margin = (ctx.bufferMinutes + 60) * MINUTE;
  const from = new Date(candidate.start - margin).toISOString();
  const to = new Date(candidate.end + margin).toISOString();
  const facts: BookingFacts = {
    appointments: bookedAround(db, ctx, slot.siteId, [slot.therapistId], subject.attendees, from, to),
    linkedAcrossSides: linkedTo(db, subject),
    bufferMinutes: ctx.bufferMinutes,
    waitingRoomCapacity: ctx.waitingRoomCapacity,
    workingHours: ctx.hoursOf(slot.therapistId),
  };
  const judgement = judgeBooking(candidate, facts);
  if (judgement.refusal) {
    const error = refusalError(judgement.refusal, subject.side);
    error.trace = refusalTrace(subject, judgement.linkedShaping ?? []);
    throw error;
  }
  return warningsFor(subject.side, judgement.warnings);
}

export function bookAppointmentSync(
  db: Db,
  request: Slot & { side: Side; kind: AppointmentKind; clientId: string | null; groupId: string | null; note: string | null },
  by: string,
  now: Date,
): { appointment: AppointmentView; warnings: BookingWarning[] } {
  const startsAt = localToUtc(request.date, request.start);
  const subject = resolveSubject(db, request.side, request, startsAt);
  // Who the appointment is for decides what it needs: a client (or a group for a group session); a room unless by phone.
  if (request.kind === 'group' && !subject.groupId)
    throw new DomainError('INVALID_INPUT', 'error.booking.groupKind', { groupId: 'error.booking.groupKind' });
  if (request.kind !== 'group' && request.kind !== 'consultation' && !subject.clientId) {
    throw new DomainError('INVALID_INPUT', 'error.booking.clientRequired', { clientId: 'error.booking.clientRequired' });
  }
  if (!request.roomId && request.kind !== 'first_call' && request.kind !== 'consultation') {
    throw new DomainError('INVALID_INPUT', 'error.booking.roomRequired', { roomId: 'error.booking.roomRequired' });
  }
  const warnings = judgeSlot(db, subject, request, null);
  const id = randomUUID();
  insertAppointment(db, {
    id,
    siteId: request.siteId,
    side: request.side,
    kind: request.kind,
    status: 'booked',
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + request.durationMinutes * MINUTE).toISOString(),
    therapistId: request.therapistId,
    roomId: request.roomId,
    clientId: subject.clientId,
    groupId: subject.groupId,
    note: request.note,
    cancelReason: null,
    createdAt: now.toISOString(),
    createdBy: by,
  });
  if (subject.clientId) removeFromWaitingList(db, subject.clientId, now.toISOString(), 'booked');
  return { appointment: toAppointmentView(findAppointment(db, id)!), warnings };
}
