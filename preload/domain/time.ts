import { TZDate, tzOffset } from '@date-fns/tz';
import { addDays, format, getISODay, parseISO } from 'date-fns';

/**
 * The centre's clock. Instants are stored as UTC ISO-8601; people book and read times in
 * Swedish local time (Europe/Stockholm, 24-hour clock, weeks starting on Monday).
 */
export const CENTRE_TIME_ZONE = 'Europe/Stockholm';

export interface LocalTime {
  date: string; // YYYY-MM-DD
  time: string; // HH:mm
}

/**
 * Converts a local wall-clock time to a UTC instant; null for a time that does not exist (skipped by
 * the spring change, or a date that is not in the calendar). main/services/time.ts turns the null into
 * the field's message.
 */
export function wallClockToUtc(date: string, time: string): string | null {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const instant = new TZDate(y, m - 1, d, hh, mm, 0, 0, CENTRE_TIME_ZONE);
  const iso = new Date(instant.getTime()).toISOString();
  const back = utcToLocal(iso);
  return back.date === date && back.time === time ? iso : null;
}

const HOUR_MS = 3_600_000;
/** Swedish time's offset from UTC in minutes, by UTC hour (see centreOffsetMinutes). */
const offsetByHour = new Map<number, number>();

/**
 * Swedish time's offset from UTC at an instant. Asking the time-zone database formats a whole date
 * each time, and the week view converts two instants per appointment; so the answer is kept per
 * UTC hour. An hour is kept only when its first and last millisecond have the same offset: today's
 * clock changes fall on whole hours, historical ones need not.
 */
function centreOffsetMinutes(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  const known = offsetByHour.get(hour);
  if (known !== undefined) return known;
  const first = tzOffset(CENTRE_TIME_ZONE, new Date(hour * HOUR_MS));
  if (first !== tzOffset(CENTRE_TIME_ZONE, new Date(hour * HOUR_MS + HOUR_MS - 1))) return tzOffset(CENTRE_TIME_ZONE, new Date(ms));
  // Bounded: a quarter of a million hours is some thirty years of distinct hours.
  if (offsetByHour.size >= 250_000) offsetByHour.clear();
  offsetByHour.set(hour, first);
  return first;
}

const twoDigits = (value: number) => String(value).padStart(2, '0');

export function utcToLocal(iso: string): LocalTime {
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid time value');
  // The wall clock in Sweden, read through the UTC getters so the process's own time zone plays no part.
  const wall = new Date(ms + centreOffsetMinutes(ms) * 60_000);
  return {
    date: `${String(wall.getUTCFullYear()).padStart(4, '0')}-${twoDigits(wall.getUTCMonth() + 1)}-${twoDigits(wall.getUTCDate())}`,
    time: `${twoDigits(wall.getUTCHours())}:${twoDigits(wall.getUTCMinutes())}`,
  };
}

export function addMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}

export function minutesBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000);
}

/** Calendar arithmetic on local dates, free of time zones. */
export function addLocalDays(date: string, days: number): string {
  return format(addDays(parseISO(date), days), 'yyyy-MM-dd');
}

/** ISO weekday of a local date: Monday 1 … Sunday 7. */
export function weekdayOf(date: string): number {
  return getISODay(parseISO(date));
}

export function minutesOfDay(time: string): number {
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  return hh * 60 + mm;
}

export function timeOfMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function todayLocal(now: Date): string {
  return utcToLocal(now.toISOString()).date;
}
