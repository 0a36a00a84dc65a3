/**
 * The booking rules as pure functions over what is already booked. No database here: the same
 * judgement serves a booking, a move, a group session and the slot finder, and is tested directly.
 */
import type { BookingWarning, Side } from '../../preload/contract/index.js';

export interface Span {
  start: number; // epoch ms
  end: number;
}

export interface BookedAppointment extends Span {
  id: string;
  siteId: string;
  side: Side;
  therapistId: string;
  roomId: string | null;
  /** Clients attending: the client, or the group's members at that time. */
  attendees: string[];
  waitingRoomId: string | null;
}

export interface Candidate extends BookedAppointment {
  /** Local wall-clock day and minutes, for working hours. */
  weekday: number;
  startMinute: number;
  endMinute: number;
}

export interface BookingFacts {
  appointments: BookedAppointment[];
  /** Clients on the other side linked to any attendee of the candidate. */
  linkedAcrossSides: ReadonlySet<string>;
  bufferMinutes: number;
  waitingRoomCapacity: ReadonlyMap<string, number>;
  /** The therapist's working hours by ISO weekday; a day without hours is not a working day. */
  workingHours: ReadonlyMap<number, { startMinute: number; endMinute: number }>;
}

export type Refusal = 'separation' | 'client_busy' | 'therapist_busy' | 'room_busy';

export interface Judgement {
  refusal: Refusal | null;
  warnings: BookingWarning[];
  /** For a separation refusal: the linked clients whose appointments caused it (they are named in the access log). */
  linkedShaping?: string[];
}

const MINUTE = 60_000;
/** Appointments of the two sides starting or ending this close trigger a warning (SPEC). */
export const SIDES_CLOSE_MINUTES = 15;
/** People who arrive this long before or after each other share the waiting room. */
export const WAITING_ROOM_WINDOW_MINUTES = 15;

export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * The separation rule: two appointments are too close unless the gap between one's end and the
 * other's start is at least the buffer. A gap of exactly the buffer is allowed.
 */
export function withinSeparationBuffer(a: Span, b: Span, bufferMinutes: number): boolean {
  const buffer = bufferMinutes * MINUTE;
  return a.start < b.end + buffer && b.start < a.end + buffer;
}

/** The smallest distance in minutes between any start or end of one and any start or end of the other. */
export function nearestEdgeMinutes(a: Span, b: Span): number {
  const distances = [a.start - b.start, a.start - b.end, a.end - b.start, a.end - b.end].map((d) => Math.abs(d) / MINUTE);
  return Math.min(...distances);
}

export function judgeBooking(candidate: Candidate, facts: BookingFacts): Judgement {
  const others = facts.appointments.filter((appointment) => appointment.id !== candidate.id);
  const shares = (a: string[], b: ReadonlySet<string> | string[]) => {
    const set = b instanceof Set ? b : new Set(b as string[]);
    return a.some((id) => set.has(id));
  };

  // Safety first: a linked person on the other side never within the buffer at the same site.
  const separated = others.filter(
    (other) =>
      other.siteId === candidate.siteId &&
      shares(other.attendees, facts.linkedAcrossSides) &&
      withinSeparationBuffer(candidate, other, facts.bufferMinutes),
  );
  if (separated.length > 0) {
    const linkedShaping = [...new Set(separated.flatMap((other) => other.attendees.filter((id) => facts.linkedAcrossSides.has(id))))];
    return { refusal: 'separation', warnings: [], linkedShaping };
  }

  const overlapping = others.filter((other) => overlaps(candidate, other));
  if (overlapping.some((other) => shares(other.attendees, candidate.attendees))) return { refusal: 'client_busy', warnings: [] };
  if (overlapping.some((other) => other.therapistId === candidate.therapistId)) return { refusal: 'therapist_busy', warnings: [] };
  if (candidate.roomId && overlapping.some((other) => other.roomId === candidate.roomId)) return { refusal: 'room_busy', warnings: [] };

  const warnings: BookingWarning[] = [];
  const otherSide = others.filter((other) => other.siteId === candidate.siteId && other.side !== candidate.side);
  const nearest = Math.min(Infinity, ...otherSide.map((other) => nearestEdgeMinutes(candidate, other)));
  if (nearest < SIDES_CLOSE_MINUTES) warnings.push({ code: 'other_side_close', minutes: Math.round(nearest) });

  if (candidate.waitingRoomId) {
    const capacity = facts.waitingRoomCapacity.get(candidate.waitingRoomId);
    const window = WAITING_ROOM_WINDOW_MINUTES * MINUTE;
    const waiting = others
      .filter((other) => other.waitingRoomId === candidate.waitingRoomId && Math.abs(other.start - candidate.start) <= window)
      .reduce((sum, other) => sum + other.attendees.length, 0);
    if (capacity !== undefined && waiting + candidate.attendees.length > capacity) warnings.push({ code: 'waiting_room_full' });
  }

  const hours = facts.workingHours.get(candidate.weekday);
  if (!hours || candidate.startMinute < hours.startMinute || candidate.endMinute > hours.endMinute) warnings.push({ code: 'outside_working_hours' });

  return { refusal: null, warnings };
}
