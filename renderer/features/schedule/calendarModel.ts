import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { AppointmentView } from '../../../preload/contract/index';
import { CENTRE_TIME_ZONE } from '../../ui/format';
import { weekdayOf } from './dates';
import type { Therapist } from './resources';

/**
 * The calendar's arithmetic, free of React: minutes of the centre's wall clock, working hours,
 * free gaps and side-by-side lanes. Free time is worked out only from this side's own answer
 * (schedule.range) and the therapists' hours: the grid never guesses at the other side.
 */

export interface Interval {
  start: number; // minutes after local midnight
  end: number;
}

/** Minutes a keyboard step or a drag snaps to. */
export const SNAP_MINUTES = 15;
/** The length of one free slot offered for booking. */
export const SLOT_MINUTES = 30;

export function toMinutes(time: string): number {
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  return hh * 60 + mm;
}

export function toTime(minutes: number): string {
  const clamped = Math.max(0, Math.min(24 * 60 - 1, minutes));
  return `${String(Math.floor(clamped / 60)).padStart(2, '0')}:${String(clamped % 60).padStart(2, '0')}`;
}

/** An appointment's span on its own local day; one running past midnight ends at midnight on the grid. */
export function spanOf(appointment: AppointmentView): Interval {
  const start = toMinutes(appointment.localStart);
  const end = toMinutes(appointment.localEnd);
  return { start, end: end > start ? end : 24 * 60 };
}

/** A therapist's working hours on a date, or null on a day off. */
export function hoursOn(therapist: Pick<Therapist, 'hours'>, date: string): Interval | null {
  const day = therapist.hours.find((hours) => hours.weekday === weekdayOf(date));
  return day ? { start: toMinutes(day.start), end: toMinutes(day.end) } : null;
}

/** The same judgement main makes for its warning, made before asking main: inside the hours, or not. */
export function outsideWorkingHours(therapist: Pick<Therapist, 'hours'> | undefined, date: string, start: string, durationMinutes: number): boolean {
  if (!therapist) return false;
  const hours = hoursOn(therapist, date);
  const from = toMinutes(start);
  return !hours || from < hours.start || from + durationMinutes > hours.end;
}

export interface CentreNow {
  date: string;
  minutes: number;
}

/** The centre's wall clock now: today's date and the minutes since midnight in Stockholm. */
export function nowInCentre(at: number = Date.now()): CentreNow {
  const local = new TZDate(at, CENTRE_TIME_ZONE);
  return { date: format(local, 'yyyy-MM-dd'), minutes: local.getHours() * 60 + local.getMinutes() };
}

/** Whether a local date and time lie before the given moment (both the centre's wall clock). */
export function isPast(date: string, start: string, now: { date: string; minutes: number }): boolean {
  return date < now.date || (date === now.date && toMinutes(start) < now.minutes);
}

/** Removes the busy intervals from the open ones; what is left, in order. */
export function subtract(open: Interval[], busy: Interval[]): Interval[] {
  let result = open.map((interval) => ({ ...interval }));
  for (const taken of busy) {
    result = result.flatMap((interval) => {
      if (taken.end <= interval.start || taken.start >= interval.end) return [interval];
      const parts: Interval[] = [];
      if (taken.start > interval.start) parts.push({ start: interval.start, end: taken.start });
      if (taken.end < interval.end) parts.push({ start: taken.end, end: interval.end });
      return parts;
    });
  }
  return result.filter((interval) => interval.end - interval.start >= SNAP_MINUTES);
}

/** Merges overlapping or touching intervals. */
export function union(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/** Splits free gaps into bookable slots: on the half hour where possible, never longer than SLOT_MINUTES. */
export function slotsOf(gaps: Interval[]): Interval[] {
  const slots: Interval[] = [];
  for (const gap of gaps) {
    let start = gap.start;
    while (gap.end - start >= SNAP_MINUTES) {
      const nextBoundary = (Math.floor(start / SLOT_MINUTES) + 1) * SLOT_MINUTES;
      const end = Math.min(gap.end, nextBoundary);
      slots.push({ start, end });
      start = end;
    }
  }
  return slots;
}

/** Appointments that take time: a cancelled one frees its slot. */
export function blocksTime(appointment: AppointmentView): boolean {
  return appointment.status !== 'cancelled';
}

/** Free gaps of one therapist on one date: working hours minus that therapist's own appointments on this side. */
export function freeGapsOfTherapist(therapist: Therapist, date: string, appointments: AppointmentView[]): Interval[] {
  const hours = hoursOn(therapist, date);
  if (!hours) return [];
  const busy = appointments.filter((a) => a.therapistId === therapist.id && a.localDate === date && blocksTime(a)).map(spanOf);
  return subtract([hours], busy);
}

export interface Placed {
  appointment: AppointmentView;
  lane: number;
  lanes: number;
}

/** Overlapping appointments in one column sit side by side; each cluster shares its number of lanes. */
export function placeInLanes(appointments: AppointmentView[]): Placed[] {
  const sorted = [...appointments].sort((a, b) => spanOf(a).start - spanOf(b).start || spanOf(b).end - spanOf(a).end);
  const placed: Placed[] = [];
  let cluster: Placed[] = [];
  let laneEnds: number[] = [];
  let clusterEnd = -1;
  const close = () => {
    for (const item of cluster) item.lanes = laneEnds.length;
    cluster = [];
    laneEnds = [];
  };
  for (const appointment of sorted) {
    const span = spanOf(appointment);
    if (span.start >= clusterEnd) close();
    let lane = laneEnds.findIndex((end) => end <= span.start);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(span.end);
    } else laneEnds[lane] = span.end;
    const item = { appointment, lane, lanes: 1 };
    cluster.push(item);
    placed.push(item);
    clusterEnd = Math.max(clusterEnd, span.end);
  }
  close();
  return placed;
}

/** The hours the grid shows: the day's working hours and appointments, at least 08–17, in whole hours. */
export function visibleRange(hours: (Interval | null)[], appointments: AppointmentView[]): Interval {
  const spans = [...hours.filter((interval): interval is Interval => interval !== null), ...appointments.map(spanOf)];
  const start = Math.min(8 * 60, ...spans.map((span) => span.start));
  const end = Math.max(17 * 60, ...spans.map((span) => span.end));
  return { start: Math.floor(start / 60) * 60, end: Math.min(24 * 60, Math.ceil(end / 60) * 60) };
}
