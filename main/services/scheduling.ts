import { randomUUID } from 'node:crypto';
import {
  appointmentsOfSide,
  bookedAround,
  clientsForScheduling,
  findAppointment,
  groupWithMembersAt,
  insertBooked,
  linkedAcrossSides,
  linkedOf,
  updateAppointmentStatus,
  updateAppointmentTime,
  type AppointmentKind,
  type AppointmentRow,
  type AppointmentWithNames,
  type BookedRow,
  type Window,
} from '../../db/appointments/index.js';
import { bookingReads } from '../../db/appointments/bookingReads.js';
import type { Track } from '../../db/engine/schema.js';
import { isSeparationConflict, type Tx } from '../../db/engine/store.js';
import { listPremises, listTherapists, sitePremises, type RoomRow, type SitePremises, type TherapistRow } from '../../db/org/index.js';
import { sideOfTrack, type AppointmentView, type BookingWarning, type Side, type SlotProposal } from '../../preload/contract/index.js';
import { judgeBooking, type BookedAppointment, type BookingFacts, type Candidate, type Refusal } from './bookingRules.js';
import { DomainError } from './errors.js';
import { separationBufferOf } from './org.js';
import { DEFAULT_SETTINGS } from './settings.js';
import { isClosedDay } from '../../preload/domain/index.js';
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
  /** For the booked appointment's view: the client's name, or the group's. */
  clientName?: string | null;
  groupName?: string | null;
}

/** A client as the subject of a booking from one side: refused as not found when she is not there, or on the other side. */
function clientSubject(side: Side, client: { id: string; track: Track; name: string } | undefined): Subject {
  // A client of the other side is not found from this side: the view must not learn they exist.
  if (!client || sideOfTrack(client.track) !== side) {
    const error = new DomainError('NOT_FOUND', 'error.client.notFound', { clientId: 'error.client.notFound' });
    // The attempt still leaves a trace in that client's own extract.
    if (client) error.trace = [{ clientId: client.id, record: 'refusal:other-side' }];
    throw error;
  }
  return { side, track: client.track, clientId: client.id, groupId: null, attendees: [client.id], clientName: client.name, groupName: null };
}

export async function resolveSubject(tx: Tx, side: Side, ids: { clientId: string | null; groupId: string | null }, at: string): Promise<Subject> {
  if (ids.clientId && ids.groupId) throw new DomainError('INVALID_INPUT', 'error.booking.clientOrGroup', { clientId: 'error.booking.clientOrGroup' });
  if (ids.clientId) return clientSubject(side, (await clientsForScheduling(tx, [ids.clientId]))[0]);
  if (ids.groupId) {
    const group = await groupWithMembersAt(tx, ids.groupId, at);
    if (!group || sideOfTrack(group.track) !== side) throw new DomainError('NOT_FOUND', 'error.group.notFound', { groupId: 'error.group.notFound' });
    // An ended group takes no further sessions: neither a new one nor one moved (its coming ones were cancelled).
    if (group.endedAt !== null) throw new DomainError('CONFLICT', 'error.group.ended', { groupId: 'error.group.ended' });
    return { side, track: group.track, clientId: null, groupId: group.id, attendees: group.members, clientName: null, groupName: group.name };
  }
  // A consultation for a professional has no client; it still belongs to a side.
  return { side, track: null, clientId: null, groupId: null, attendees: [] };
}

/** What the organisation says about booking at one site. */
interface Context {
  siteId: string;
  bufferMinutes: number;
  waitingRoomOfTrack: (track: Track | null) => string | null;
  waitingRoomCapacity: Map<string, number>;
  rooms: RoomRow[];
}

async function loadContext(tx: Tx, siteId: string): Promise<Context> {
  return contextOf(siteId, await sitePremises(tx, siteId));
}

function contextOf(siteId: string, premises: SitePremises): Context {
  return {
    siteId,
    bufferMinutes: separationBufferOf(premises.storedBuffer),
    waitingRoomOfTrack: (track) => premises.trackRoutes.find((route) => route.track === track)?.waitingRoomId ?? null,
    waitingRoomCapacity: new Map(premises.trackRoutes.map((route) => [route.waitingRoomId, route.capacity])),
    rooms: premises.rooms,
  };
}

function hoursOf(therapist: TherapistRow | undefined): BookingFacts['workingHours'] {
  return new Map((therapist?.hours ?? []).map((day) => [day.weekday, { startMinute: day.startMinute, endMinute: day.endMinute }]));
}

/**
 * Every live appointment at the site in the windows, the therapists' anywhere and the attendees'
 * anywhere, with who attends: one statement, whatever the number of therapists or appointments.
 */
async function bookedAroundFor(tx: Tx, ctx: Context, therapistIds: string[], attendees: string[], windows: Window[]): Promise<BookedAppointment[]> {
  return asBookedAt(ctx, await bookedAround(tx, { siteId: ctx.siteId, therapistIds, clientIds: attendees, windows }));
}

function asBookedAt(ctx: Context, rows: BookedRow[]): BookedAppointment[] {
  return rows.map((row) => ({
    id: row.id,
    siteId: row.siteId,
    side: row.side,
    start: Date.parse(row.startsAt),
    end: Date.parse(row.endsAt),
    therapistId: row.therapistId,
    roomId: row.roomId,
    attendees: row.attendees,
    // Waiting rooms are the site's own: an appointment at another site waits in none of them.
    waitingRoomId: row.siteId === ctx.siteId ? ctx.waitingRoomOfTrack(row.clientTrack ?? row.groupTrack ?? null) : null,
  }));
}

/** The other side's tracks, whose linked people the separation rule keeps away from this subject. */
function acrossTracksOf(track: Track): Track[] {
  return track === 'perpetrator' ? ['victim', 'child'] : ['perpetrator'];
}

async function linkedTo(tx: Tx, subject: Subject): Promise<Set<string>> {
  if (!subject.track) return new Set();
  return new Set(await linkedAcrossSides(tx, subject.attendees, acrossTracksOf(subject.track)));
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
    waitingRoomId: ctx.waitingRoomOfTrack(subject.track),
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

function checkResources(therapists: Map<string, TherapistRow>, ctx: Context, slot: Slot, subject: Subject): void {
  const therapist = therapists.get(slot.therapistId);
  if (!therapist) throw new DomainError('INVALID_INPUT', 'error.therapist.unknown', { therapistId: 'error.therapist.unknown' });
  if (subject.track && therapist.tracks.length > 0 && !therapist.tracks.includes(subject.track)) {
    throw new DomainError('INVALID_INPUT', 'error.therapist.track', { therapistId: 'error.therapist.track' });
  }
  if (slot.roomId) {
    const room = ctx.rooms.find((candidate) => candidate.id === slot.roomId);
    if (!room || room.siteId !== slot.siteId || !room.active)
      throw new DomainError('INVALID_INPUT', 'error.room.unknown', { roomId: 'error.room.unknown' });
  }
}

/** One time to judge, and the appointment it replaces (a move), if any. */
export interface SlotToJudge {
  slot: Slot;
  excludeId: string | null;
}

/**
 * Judges several slots at one site for one subject against everything booked, in order, and
 * throws the side-appropriate refusal of the first refused one. What they are judged against is
 * read once for all of them (a handful of statements, however many slots). With `asBooked`, each
 * accepted slot counts as booked for the ones after it, as when they are booked one by one.
 */
export async function judgeSlots(
  tx: Tx,
  subject: Subject,
  slots: SlotToJudge[],
  asBooked?: (slot: Slot, index: number) => Omit<BookedAppointment, 'start' | 'end' | 'waitingRoomId' | 'siteId' | 'side'>,
): Promise<BookingWarning[][]> {
  if (slots.length === 0) return [];
  const siteId = slots[0]!.slot.siteId;
  // Slots at several sites (not asked today) are judged site by site, in order.
  if (slots.some(({ slot }) => slot.siteId !== siteId)) {
    const answers: BookingWarning[][] = [];
    for (const one of slots) answers.push(...(await judgeSlots(tx, subject, [one], asBooked)));
    return answers;
  }
  return judgeRead(subject, slots, await readForJudging(tx, siteId, subject.attendees, [], slots), asBooked);
}

/**
 * The separation buffer the last judgement read: the margin of the next one's single read, which reads
 * the buffer with the appointments around the times. Only a hint: a buffer read wider than it sends
 * for the appointments the wider margin adds (readForJudging), and one narrower judges with fewer of
 * those read than it was given, which changes no answer (judgeBooking looks at none beyond the margin).
 */
let bufferOfLastRead = DEFAULT_SETTINGS.separationBufferMinutes;

/** What judging slots at one site reads, with the clients looked up in the same statement. */
interface JudgementRead {
  clients: { id: string; track: Track; name: string }[];
  therapists: Map<string, TherapistRow>;
  ctx: Context;
  /** Each slot's instants, or the error of a local time the clock change skips. */
  spans: ({ start: number; end: number } | { error: unknown })[];
  booked: BookedAppointment[];
  /** Everyone linked to the attendees, with their track (filtered by the subject's track in judgeRead). */
  linked: { id: string; track: Track }[];
}

/**
 * Everything judging the slots (all at one site) for these attendees reads, in one statement
 * (bookingReads): the therapists, the premises and the buffer, what is booked around the times, the
 * people linked to the attendees, and the clients `lookUp` names (a booking's client, so that the
 * subject is read with the rest). Only when the buffer was widened since the last read is a second
 * statement needed, for the appointments around the wider margin.
 */
async function readForJudging(tx: Tx, siteId: string, attendees: string[], lookUp: string[], slots: SlotToJudge[]): Promise<JudgementRead> {
  const therapistIds = [...new Set(slots.map(({ slot }) => slot.therapistId))];
  // A local time the clock change skips is refused when its turn comes, as when judged one by one.
  const spans = slots.map(({ slot }) => {
    try {
      const start = Date.parse(localToUtc(slot.date, slot.start));
      return { start, end: start + slot.durationMinutes * MINUTE };
    } catch (error) {
      return { error };
    }
  });
  const windowsFor = (bufferMinutes: number): Window[] => {
    const margin = (bufferMinutes + 60) * MINUTE;
    return spans.flatMap((span) =>
      'error' in span ? [] : [{ from: new Date(span.start - margin).toISOString(), to: new Date(span.end + margin).toISOString() }],
    );
  };
  const assumed = bufferOfLastRead;
  const read = await bookingReads(tx, { siteId, clientIds: lookUp, therapistIds, attendees, windows: windowsFor(assumed) });
  const ctx = contextOf(siteId, read.premises);
  bufferOfLastRead = ctx.bufferMinutes;
  const booked =
    ctx.bufferMinutes > assumed
      ? await bookedAround(tx, { siteId, therapistIds, clientIds: attendees, windows: windowsFor(ctx.bufferMinutes) })
      : read.booked;
  return {
    clients: read.clients,
    therapists: new Map(read.therapists.map((therapist) => [therapist.id, therapist])),
    ctx,
    spans,
    booked: asBookedAt(ctx, booked),
    linked: read.linked,
  };
}

/** Judges slots (all at one site) for the subject against what readForJudging read; throws the first refusal. */
function judgeRead(
  subject: Subject,
  slots: SlotToJudge[],
  read: JudgementRead,
  asBooked?: (slot: Slot, index: number) => Omit<BookedAppointment, 'start' | 'end' | 'waitingRoomId' | 'siteId' | 'side'>,
): BookingWarning[][] {
  const { therapists, ctx, spans, booked } = read;
  const linked = new Set(subject.track ? linkedOf(read.linked, acrossTracksOf(subject.track)) : []);
  judgedLinks.set(subject, linked);
  const answers: BookingWarning[][] = [];
  for (const [index, { slot, excludeId }] of slots.entries()) {
    checkResources(therapists, ctx, slot, subject);
    const span = spans[index]!;
    if ('error' in span) throw span.error;
    const candidate = candidateFor(ctx, subject, slot, excludeId ?? '');
    const judgement = judgeBooking(candidate, {
      appointments: booked,
      linkedAcrossSides: linked,
      bufferMinutes: ctx.bufferMinutes,
      waitingRoomCapacity: ctx.waitingRoomCapacity,
      workingHours: hoursOf(therapists.get(slot.therapistId)),
    });
    if (judgement.refusal) {
      const error = refusalError(judgement.refusal, subject.side);
      error.trace = refusalTrace(subject, judgement.linkedShaping ?? []);
      throw error;
    }
    answers.push(warningsFor(subject.side, judgement.warnings));
    if (asBooked)
      booked.push({
        ...asBooked(slot, index),
        siteId: ctx.siteId,
        side: subject.side,
        start: candidate.start,
        end: candidate.end,
        waitingRoomId: candidate.waitingRoomId,
      });
  }
  return answers;
}

/**
 * Resolves the subject of a booking or a move and judges its one slot. A client's booking reads the
 * client in the judgement's one statement (she is the only attendee, if she is on this side at all:
 * else she is refused as not found before anything is judged); a group or nobody is resolved first.
 * `check` runs between the two, on the subject, as the caller's own checks of the request.
 */
async function resolveAndJudge(
  tx: Tx,
  side: Side,
  ids: { clientId: string | null; groupId: string | null },
  at: string,
  toJudge: SlotToJudge,
  check: (subject: Subject) => void,
): Promise<{ subject: Subject; warnings: BookingWarning[] }> {
  if (ids.clientId && !ids.groupId) {
    const read = await readForJudging(tx, toJudge.slot.siteId, [ids.clientId], [ids.clientId], [toJudge]);
    const subject = clientSubject(side, read.clients[0]);
    check(subject);
    return { subject, warnings: judgeRead(subject, [toJudge], read)[0]! };
  }
  const subject = await resolveSubject(tx, side, ids, at);
  check(subject);
  const [warnings] = await judgeSlots(tx, subject, [toJudge]);
  return { subject, warnings: warnings! };
}

/** The people linked across sides to a subject, as its last judgement read them (writeJudged's trace). */
const judgedLinks = new WeakMap<Subject, ReadonlySet<string>>();

/**
 * Writes what judgeSlots has just allowed for the subject. Where another desk's booking of a linked
 * person committed after the judgement read the schedule, the database's own separation rule
 * (PostgreSQL) refuses the write: the answer is then the app's own separation refusal for this side,
 * and, as every refusal shaped by a client, it leaves a trace naming the subject's people and the
 * people linked to them (which of them the database found is not told, so all of them).
 */
export async function writeJudged<T>(subject: Subject, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isSeparationConflict(error)) throw error;
    const refusal = refusalError('separation', subject.side);
    refusal.trace = refusalTrace(subject, [...(judgedLinks.get(subject) ?? [])]);
    throw refusal;
  }
}

export async function bookAppointment(
  tx: Tx,
  request: Slot & { side: Side; kind: AppointmentKind; clientId: string | null; groupId: string | null; note: string | null },
  by: string,
  now: Date,
): Promise<{ appointment: AppointmentView; warnings: BookingWarning[] }> {
  const startsAt = localToUtc(request.date, request.start);
  const { subject, warnings } = await resolveAndJudge(tx, request.side, request, startsAt, { slot: request, excludeId: null }, (subject) => {
    // Who the appointment is for decides what it needs: a client (or a group for a group session); a room unless by phone.
    if (request.kind === 'group' && !subject.groupId)
      throw new DomainError('INVALID_INPUT', 'error.booking.groupKind', { groupId: 'error.booking.groupKind' });
    if (request.kind !== 'group' && request.kind !== 'consultation' && !subject.clientId) {
      throw new DomainError('INVALID_INPUT', 'error.booking.clientRequired', { clientId: 'error.booking.clientRequired' });
    }
    if (!request.roomId && request.kind !== 'first_call' && request.kind !== 'consultation') {
      throw new DomainError('INVALID_INPUT', 'error.booking.roomRequired', { roomId: 'error.booking.roomRequired' });
    }
  });
  const row: AppointmentRow = {
    id: randomUUID(),
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
  };
  // A client's booking takes her off the waiting list, in the same statement where the engine can.
  await writeJudged(subject, () =>
    insertBooked(tx, { ...row, createdAt: now.toISOString(), createdBy: by }, subject.clientId ? { at: now.toISOString(), reason: 'booked' } : null),
  );
  // The answer is what was just written: read back, it would say the same.
  const appointment = toAppointmentView({
    ...row,
    clientName: subject.clientName ?? null,
    clientTrack: subject.clientId ? subject.track : null,
    groupName: subject.groupName ?? null,
  });
  return { appointment, warnings };
}

/** An appointment as seen from one side; from the other side it does not exist. */
export async function appointmentOfSide(tx: Tx, side: Side, id: string): Promise<AppointmentWithNames> {
  const appointment = await findAppointment(tx, id);
  if (!appointment || appointment.side !== side) throw new DomainError('NOT_FOUND', 'error.appointment.notFound');
  return appointment;
}

/** Moving or extending re-checks every rule, with the appointment itself left out of the comparison. */
export async function moveAppointment(
  tx: Tx,
  change: { side: Side; appointmentId: string; date: string; start: string; durationMinutes: number; therapistId: string; roomId: string | null },
  now: Date,
): Promise<{ appointment: AppointmentView; warnings: BookingWarning[] }> {
  const current = await appointmentOfSide(tx, change.side, change.appointmentId);
  if (current.status === 'cancelled' || current.status === 'done') throw new DomainError('CONFLICT', 'error.appointment.closed');
  const startsAt = localToUtc(change.date, change.start);
  const { subject, warnings } = await resolveAndJudge(
    tx,
    change.side,
    current,
    startsAt,
    { slot: { ...change, siteId: current.siteId }, excludeId: current.id },
    () => undefined,
  );
  const moved = {
    id: current.id,
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + change.durationMinutes * MINUTE).toISOString(),
    therapistId: change.therapistId,
    roomId: change.roomId,
  };
  await writeJudged(subject, () => updateAppointmentTime(tx, { ...moved, updatedAt: now.toISOString() }));
  return { appointment: toAppointmentView({ ...current, ...moved }), warnings };
}

const STATUS_FLOW: Record<string, string[]> = {
  booked: ['arrived', 'no_show'],
  arrived: ['in_session', 'booked', 'no_show'],
  in_session: ['done', 'arrived'],
  done: ['in_session'],
  no_show: ['booked'],
};

export async function setAppointmentStatus(
  tx: Tx,
  side: Side,
  id: string,
  status: 'booked' | 'arrived' | 'in_session' | 'done' | 'no_show',
  now: Date,
): Promise<AppointmentView> {
  const current = await appointmentOfSide(tx, side, id);
  if (current.status !== status && !STATUS_FLOW[current.status]?.includes(status)) {
    throw new DomainError('CONFLICT', 'error.appointment.statusFlow', { status: 'error.appointment.statusFlow' });
  }
  await updateAppointmentStatus(tx, { id, status, cancelReason: null, updatedAt: now.toISOString() });
  return toAppointmentView({ ...current, status, cancelReason: null });
}

export async function cancelAppointment(tx: Tx, side: Side, id: string, reason: string, now: Date): Promise<AppointmentView> {
  const current = await appointmentOfSide(tx, side, id);
  if (current.status === 'done') throw new DomainError('CONFLICT', 'error.appointment.closed');
  await updateAppointmentStatus(tx, { id, status: 'cancelled', cancelReason: reason, updatedAt: now.toISOString() });
  return toAppointmentView({ ...current, status: 'cancelled', cancelReason: reason });
}

/**
 * Proposes free times that satisfy every rule and raise no warning: within the therapist's
 * working hours, the therapist, the room and the client free, and linked people on the other
 * side kept outside the buffer; never on a day the centre is closed (a public holiday,
 * midsommarafton, julafton, nyårsafton: preload/domain/holidays.ts). Steps of 15 minutes, at most three a day, at most 20 in all.
 * Reads the site, its therapists with their hours, the appointments of the whole range and the
 * linked people once each: a handful of statements, however many therapists, days or appointments.
 */
export async function findSlots(
  tx: Tx,
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
  /** A new client's named person (an id, or the lookup's handle for the other side) to their id, if they exist. */
  resolveLinkTarget: (ref: string) => string | null = () => null,
): Promise<SlotProposal[]> {
  const newClient = !request.clientId && !request.groupId ? (request.newClient ?? null) : null;
  if (newClient && sideOfTrack(newClient.track) !== request.side)
    throw new DomainError('INVALID_INPUT', 'error.group.trackSide', { track: 'error.group.trackSide' });
  const subject: Subject = newClient
    ? { side: request.side, track: newClient.track, clientId: null, groupId: null, attendees: [] }
    : await resolveSubject(tx, request.side, request, now.toISOString());
  const ctx = await loadContext(tx, request.siteId);
  const therapists = (await listTherapists(tx, request.therapistId ? { ids: [request.therapistId] } : { siteId: request.siteId })).filter(
    (therapist) => !subject.track || therapist.tracks.includes(subject.track),
  );
  // Group rooms are offered for group sessions and kept for last otherwise.
  const wanted = request.kind === 'group' ? 'group' : 'individual';
  const rooms = ctx.rooms.filter((room) => room.active).sort((a, b) => Number(a.purpose !== wanted) - Number(b.purpose !== wanted));
  const margin = (ctx.bufferMinutes + 60) * MINUTE;
  const from = new Date(Date.parse(localToUtc(request.fromDate, '00:00')) - margin).toISOString();
  const to = new Date(Date.parse(localToUtc(addLocalDays(request.fromDate, request.days), '00:00')) + margin).toISOString();
  const booked = await bookedAroundFor(
    tx,
    ctx,
    therapists.map((therapist) => therapist.id),
    subject.attendees,
    [{ from, to }],
  );
  const linked = await linkedTo(tx, subject);
  // A new client's links are not stored yet: the people they name on the other side count already.
  const named = (newClient?.linkedClientIds ?? []).map(resolveLinkTarget).filter((id): id is string => id !== null);
  for (const other of await clientsForScheduling(tx, named)) if (sideOfTrack(other.track) !== request.side) linked.add(other.id);
  const proposals: SlotProposal[] = [];
  for (let day = 0; day < request.days && proposals.length < 20; day += 1) {
    const date = addLocalDays(request.fromDate, day);
    // Booking on a closed day stays possible, after a question in the renderer; proposing one is not.
    if (isClosedDay(date)) continue;
    let today = 0;
    for (let minute = 7 * 60; minute + request.durationMinutes <= 20 * 60 && today < 3 && proposals.length < 20; minute += 15) {
      for (const therapist of therapists) {
        const hours = hoursOf(therapist);
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
export async function scheduleRange(
  tx: Tx,
  filter: { side: Side; siteId: string; from: string; days: number; therapistId: string | null; roomId: string | null },
): Promise<AppointmentView[]> {
  const from = localToUtc(filter.from, '00:00');
  const to = localToUtc(addLocalDays(filter.from, filter.days), '00:00');
  const rows = await appointmentsOfSide(tx, {
    side: filter.side,
    siteId: filter.siteId,
    from,
    to,
    therapistId: filter.therapistId,
    roomId: filter.roomId,
  });
  return rows.map(toAppointmentView);
}

/** The reception desk's board: today's appointments of one side, grouped by the waiting room they arrive in. */
export async function todayBoard(tx: Tx, side: Side, siteId: string, date: string) {
  const premises = await listPremises(tx);
  const routes = premises.trackRoutes.filter((route) => route.siteId === siteId && sideOfTrack(route.track) === side);
  const rooms = premises.waitingRooms.filter((room) => routes.some((route) => route.waitingRoomId === room.id));
  const from = localToUtc(date, '00:00');
  const to = localToUtc(addLocalDays(date, 1), '00:00');
  const rows = (await appointmentsOfSide(tx, { side, siteId, from, to, therapistId: null, roomId: null })).filter(
    (row) => row.status !== 'cancelled' && row.kind !== 'first_call',
  );
  // A group session arrives by its group's track (a group of this site and side).
  const sideTracks: Track[] = side === 'victims' ? ['victim', 'child'] : ['perpetrator'];
  const groupTrackOf = (row: (typeof rows)[number]) =>
    row.groupTrack && row.groupSiteId === siteId && sideTracks.includes(row.groupTrack) ? row.groupTrack : null;
  return rooms.map((room) => {
    const tracks = routes.filter((route) => route.waitingRoomId === room.id).map((route) => route.track);
    return {
      waitingRoomId: room.id,
      name: room.name,
      capacity: room.capacity,
      tracks,
      appointments: rows
        .filter((row) => {
          const track = row.clientTrack ?? (row.groupId ? groupTrackOf(row) : null);
          return track ? tracks.includes(track) : tracks.includes(side === 'victims' ? 'victim' : 'perpetrator');
        })
        .map(toAppointmentView),
    };
  });
}
