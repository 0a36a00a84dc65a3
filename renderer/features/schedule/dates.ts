import { addDays, differenceInCalendarDays, format, getISODay, getISOWeek, parseISO } from 'date-fns';

/**
 * Calendar arithmetic on the centre's local dates ('2026-11-22'), free of the workstation's time
 * zone: the schedule is always the Stockholm wall clock, weeks start on Monday.
 */
export function addLocalDays(date: string, days: number): string {
  return format(addDays(parseISO(date), days), 'yyyy-MM-dd');
}

/** ISO weekday: Monday 1 … Sunday 7. */
export function weekdayOf(date: string): number {
  return getISODay(parseISO(date));
}

export function mondayOf(date: string): string {
  return addLocalDays(date, 1 - weekdayOf(date));
}

export function isoWeekOf(date: string): number {
  return getISOWeek(parseISO(date));
}

export function daysBetween(from: string, to: string): number {
  return differenceInCalendarDays(parseISO(to), parseISO(from));
}

export function isLocalDate(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(value) && format(parseISO(value), 'yyyy-MM-dd') === value;
}

/** Minutes between two instants (an appointment's length, right across a clock change). */
export function minutesBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000);
}
