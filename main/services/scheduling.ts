import { randomUUID } from 'node:crypto';
import {
  appointmentsOfSide,
  attendeesOf,
  findAppointment,
  findGroup,
  groupsOfTracks,
  insertAppointment,
  liveAppointmentsAtSite,
  liveAppointmentsOfClients,
  overlappingForResources,
  updateAppointmentStatus,
  updateAppointmentTime,
  type AppointmentKind,
  type AppointmentRow,
  type AppointmentWithNames,
} from '../../db/appointments.js';
import { findClient, linkedAcrossSides, type Track } from '../../db/clients.js';
import type { Db } from '../../db/connection.js';
import { removeFromWaitingList } from '../../db/intakes.js';
import { listRooms, listTherapists, listTrackRoutes, listWaitingRooms } from '../../db/org.js';
import { sideOfTrack, type AppointmentView, type BookingWarning, type Side, type SlotProposal } from '../../preload/contract/index.js';
import { judgeBooking, type BookedAppointment, type BookingFacts, type Candidate, type Refusal } from './bookingRules.js';
import { DomainError } from './errors.js';
import { resolveLinkTargetSync as resolveLinkTarget } from './clients.js';
import { readSettings } from './settings.js';
import { addLocalDays, localToUtc, minutesOfDay, timeOfMinutes, utcToLocal, weekdayOf } from './time.js';

const MINUTE = 60_000;

export function toAppointmentView(row: AppointmentWithNames): AppointmentView {
  const start = utcToLocal(row.startsAt);
  const end = utcToLocal(row.endsAt);
  return {
    id: row.id,
    side: row.side,
    siteId: row.siteId,
    kind: row.kind,
    status: row.status,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    localDate: start.date,
    localStart: start.time,
    localEnd: end.time,
    therapistId: row.therapistId,
    roomId: row.roomId,
    clientId: row.clientId,
    clientName: row.clientName,
    clientTrack: row.clientTrack,
    groupId: row.groupId,
    groupName: row.groupName,
    note: row.note,
    cancelReason: row.cancelReason,
  };
}

/** What a booking is about: one client, or a group's members, on one side and one track. */
export interface Subject {
  side: Side;
  track: Track | null;
  clientId: string | null;
  groupId: string | null;
  attendees: string[];
}

export function resolveSubject(db: Db, side: Side, ids: { clientId: string | null; groupId: string | null }, at: string): Subject {
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

export interface Slot {
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

/** The one answer the perpetrators' side gets for every refused time, whatever the cause. */
export function unavailableError(): DomainError {
  return new DomainError('CONFLICT', 'error.booking.unavailable', { start: 'error.booking.unavailable' });
}

/**
 * Turns a refusal into what the person at this side may be told. The perpetrators' side gets one
 * neutral answer for every cause: were a busy therapist told apart from a refused time, the neutral
 * answer itself would say that a linked person has an appointment then. The victims' side is told why.
 */
export function refusalError(refusal: Refusal, side: Side): DomainError {
  if (side === 'perpetrators') return unavailableError();
  switch (refusal) {
    case 'separation':
      return new DomainError('CONFLICT', 'error.booking.separation', { start: 'error.booking.separation' });
    case 'client_busy':
      return new DomainError('CONFLICT', 'error.booking.clientBusy', { start: 'error.booking.clientBusy' });
    case 'therapist_busy':
      return new DomainError('CONFLICT', 'error.booking.therapistBusy', { therapistId: 'error.booking.therapistBusy' });
    case 'room_busy':
      return new DomainError('CONFLICT', 'error.booking.roomBusy', { roomId: 'error.booking.roomBusy' });
  }
}

/** Warnings as this side may read them: the perpetrators' side is never told how near the other side is. */
export function warningsFor(side: Side, warnings: BookingWarning[]): BookingWarning[] {
  return side === 'perpetrators' ? warnings.map(({ code }) => ({ code })) : warnings;
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
export function judgeSlot(db: Db, subject: Subject, slot: Slot, excludeId: string | null): BookingWarning[] {
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

export function bookAppointment(
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

/** An appointment as seen from one side; from the other side it does not exist. */
export function appointmentOfSide(db: Db, side: Side, id: string): AppointmentWithNames {
  const appointment = findAppointment(db, id);
  if (!appointment || appointment.side !== side) throw new DomainError('NOT_FOUND', 'error.appointment.notFound');
  return appointment;
}

/** Moving or extending re-checks every rule, with the appointment itself left out of the comparison. */
export function moveAppointment(
  db: Db,
  change: { side: Side; appointmentId: string; date: string; start: string; durationMinutes: number; therapistId: string; roomId: string | null },
  now: Date,
): { appointment: AppointmentView; warnings: BookingWarning[] } {
  const current = appointmentOfSide(db, change.side, change.appointmentId);
  if (current.status === 'cancelled' || current.status === 'done') throw new DomainError('CONFLICT', 'error.appointment.closed');
  const startsAt = localToUtc(change.date, change.start);
  const subject = resolveSubject(db, change.side, current, startsAt);
  const warnings = judgeSlot(db, subject, { ...change, siteId: current.siteId }, current.id);
  updateAppointmentTime(db, {
    id: current.id,
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + change.durationMinutes * MINUTE).toISOString(),
    therapistId: change.therapistId,
    roomId: change.roomId,
    updatedAt: now.toISOString(),
  });
  return { appointment: toAppointmentView(findAppointment(db, current.id)!), warnings };
}

const STATUS_FLOW: Record<string, string[]> = {
  booked: ['arrived', 'no_show'],
  arrived: ['in_session', 'booked', 'no_show'],
  in_session: ['done', 'arrived'],
  done: ['in_session'],
  no_show: ['booked'],
};

export function setAppointmentStatus(
  db: Db,
  side: Side,
  id: string,
  status: 'booked' | 'arrived' | 'in_session' | 'done' | 'no_show',
  now: Date,
): AppointmentView {
  const current = appointmentOfSide(db, side, id);
  if (current.status !== status && !STATUS_FLOW[current.status]?.includes(status)) {
    throw new DomainError('CONFLICT', 'error.appointment.statusFlow', { status: 'error.appointment.statusFlow' });
  }
  updateAppointmentStatus(db, { id, status, cancelReason: null, updatedAt: now.toISOString() });
  return toAppointmentView(findAppointment(db, id)!);
}

export function cancelAppointment(db: Db, side: Side, id: string, reason: string, now: Date): AppointmentView {
  const current = appointmentOfSide(db, side, id);
  if (current.status === 'done') throw new DomainError('CONFLICT', 'error.appointment.closed');
  updateAppointmentStatus(db, { id, status: 'cancelled', cancelReason: reason, updatedAt: now.toISOString() });
  return toAppointmentView(findAppointment(db, id)!);
}

/**
 * Proposes free times that satisfy every rule and raise no warning: within the therapist's
 * working hours, the therapist, the room and the client free, and linked people on the other
 * side kept outside the buffer. Steps of 15 minutes, at most three a day, at most 20 in all.
 */
export function findSlots(
  db: Db,
  request: {
    side: Side;
    siteId: string;
    clientId: string | null;
    groupId: string | null;
    newClient?: { track: Track; linkedClientIds: string[] } | null;
    kind: AppointmentKind;
    therapistId: string | null;
    durationMinutes: number;
    needsRoom: boolean;
    fromDate: string;
    days: number;
  },
  now: Date,
  /** Filled with the linked people whose appointments kept a time out of the answer (they are named in the access log). */
  linkedShaping: Set<string> = new Set(),
): SlotProposal[] {
  const newClient = !request.clientId && !request.groupId ? (request.newClient ?? null) : null;
  if (newClient && sideOfTrack(newClient.track) !== request.side)
    throw new DomainError('INVALID_INPUT', 'error.group.trackSide', { track: 'error.group.trackSide' });
  const subject: Subject = newClient
    ? { side: request.side, track: newClient.track, clientId: null, groupId: null, attendees: [] }
    : resolveSubject(db, request.side, request, now.toISOString());
  const ctx = loadContext(db);
  const therapists = listTherapists(db).filter(
    (therapist) =>
      (request.therapistId ? therapist.id === request.therapistId : therapist.siteId === request.siteId) &&
      (!subject.track || therapist.tracks.includes(subject.track)),
  );
  // Group rooms are offered for group sessions and kept for last otherwise.
  const wanted = request.kind === 'group' ? 'group' : 'individual';
  const rooms = listRooms(db)
    .filter((room) => room.siteId === request.siteId && room.active)
    .sort((a, b) => Number(a.purpose !== wanted) - Number(b.purpose !== wanted));
  const margin = (ctx.bufferMinutes + 60) * MINUTE;
  const from = new Date(Date.parse(localToUtc(request.fromDate, '00:00')) - margin).toISOString();
  const to = new Date(Date.parse(localToUtc(addLocalDays(request.fromDate, request.days), '00:00')) + margin).toISOString();
  const booked = bookedAround(
    db,
    ctx,
    request.siteId,
    therapists.map((therapist) => therapist.id),
    subject.attendees,
    from,
    to,
  );
  const linked = linkedTo(db, subject);
  // A new client's links are not stored yet: the people they name on the other side count already.
  for (const ref of newClient?.linkedClientIds ?? []) {
    const id = resolveLinkTarget(db, ref);
    const other = id ? findClient(db, id) : null;
    if (other && sideOfTrack(other.track) !== request.side) linked.add(other.id);
  }
  const proposals: SlotProposal[] = [];
  for (let day = 0; day < request.days && proposals.length < 20; day += 1) {
    const date = addLocalDays(request.fromDate, day);
    let today = 0;
    for (let minute = 7 * 60; minute + request.durationMinutes <= 20 * 60 && today < 3 && proposals.length < 20; minute += 15) {
      for (const therapist of therapists) {
        const hours = ctx.hoursOf(therapist.id);
        const workday = hours.get(weekdayOf(date));
        if (!workday || minute < workday.startMinute || minute + request.durationMinutes > workday.endMinute) continue;
        const roomChoices: (string | null)[] = request.needsRoom ? rooms.map((room) => room.id) : [null];
        let found: SlotProposal | null = null;
        for (const roomId of roomChoices) {
          let candidate: Candidate;
          try {
            candidate = candidateFor(
              ctx,
              subject,
              {
                siteId: request.siteId,
                date,
                start: timeOfMinutes(minute),
                durationMinutes: request.durationMinutes,
                therapistId: therapist.id,
                roomId,
              },
              '',
            );
          } catch {
            break; // a local time skipped by the clock change
          }
          if (candidate.start < now.getTime()) break;
          const judgement = judgeBooking(candidate, {
            appointments: booked,
            linkedAcrossSides: linked,
            bufferMinutes: ctx.bufferMinutes,
            waitingRoomCapacity: ctx.waitingRoomCapacity,
            workingHours: hours,
          });
          for (const id of judgement.linkedShaping ?? []) linkedShaping.add(id);
          if (!judgement.refusal && judgement.warnings.length === 0) {
            found = { date, start: timeOfMinutes(minute), end: timeOfMinutes(minute + request.durationMinutes), therapistId: therapist.id, roomId };
            break;
          }
        }
        if (found) {
          proposals.push(found);
          today += 1;
          minute += request.durationMinutes - 15; // the next proposal starts after this one ends
          break;
        }
      }
    }
  }
  return proposals;
}

/** One side's appointments over one or more local days; the other side's never leave the database. */
export function scheduleRange(
  db: Db,
  filter: { side: Side; siteId: string; from: string; days: number; therapistId: string | null; roomId: string | null },
): AppointmentView[] {
  const from = localToUtc(filter.from, '00:00');
  const to = localToUtc(addLocalDays(filter.from, filter.days), '00:00');
  return appointmentsOfSide(db, { side: filter.side, siteId: filter.siteId, from, to, therapistId: filter.therapistId, roomId: filter.roomId }).map(
    toAppointmentView,
  );
}

/** The reception desk's board: today's appointments of one side, grouped by the waiting room they arrive in. */
export function todayBoard(db: Db, side: Side, siteId: string, date: string) {
  const routes = listTrackRoutes(db).filter((route) => route.siteId === siteId && sideOfTrack(route.track) === side);
  const rooms = listWaitingRooms(db).filter((room) => routes.some((route) => route.waitingRoomId === room.id));
  const appointments = scheduleRange(db, { side, siteId, from: date, days: 1, therapistId: null, roomId: null }).filter(
    (appointment) => appointment.status !== 'cancelled' && appointment.kind !== 'first_call',
  );
  const groupTracks = new Map(
    groupsOfTracks(db, siteId, side === 'victims' ? ['victim', 'child'] : ['perpetrator']).map((group) => [group.id, group.track]),
  );
  return rooms.map((room) => {
    const tracks = routes.filter((route) => route.waitingRoomId === room.id).map((route) => route.track);
    return {
      waitingRoomId: room.id,
      name: room.name,
      capacity: room.capacity,
      tracks,
      appointments: appointments.filter((appointment) => {
        const track = appointment.clientTrack ?? (appointment.groupId ? groupTracks.get(appointment.groupId) : null);
        return track ? tracks.includes(track) : tracks.includes(side === 'victims' ? 'victim' : 'perpetrator');
      }),
    };
  });
}
