import { TZDate } from '@date-fns/tz';
import { addDays, format, getISODay, parseISO } from 'date-fns';
import { DomainError } from './errors.js';

/**
 * The centre's clock. Instants are stored as UTC ISO-8601; people book and read times in
 * Swedish local time (Europe/Stockholm, 24-hour clock, weeks starting on Monday).
 */
export const CENTRE_TIME_ZONE = 'Europe/Stockholm';

export interface LocalTime {
  date: string; // YYYY-MM-DD
  time: string; // HH:mm
}

/** Converts a local wall-clock time to a UTC instant; a time skipped by the spring change does not exist. */
export function localToUtc(date: string, time: string, field = 'start'): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const instant = new TZDate(y, m - 1, d, hh, mm, 0, 0, CENTRE_TIME_ZONE);
  const iso = new Date(instant.getTime()).toISOString();
  const back = utcToLocal(iso);
  if (back.date !== date || back.time !== time) {
    throw new DomainError('INVALID_INPUT', 'error.time.nonexistent', { [field]: 'error.time.nonexistent' });
  }
  return iso;
}

export function utcToLocal(iso: string): LocalTime {
  const local = new TZDate(iso, CENTRE_TIME_ZONE);
  return { date: format(local, 'yyyy-MM-dd'), time: format(local, 'HH:mm') };
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

/** The UTC span of a whole local day (23, 24 or 25 hours long). */
export function localDayBounds(date: string): { from: string; to: string } {
  return { from: localToUtc(date, '00:00'), to: localToUtc(addLocalDays(date, 1), '00:00') };
}

export function todayLocal(now: Date): string {
  return utcToLocal(now.toISOString()).date;
}
