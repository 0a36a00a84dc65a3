import { differenceInCalendarDays, format, getISOWeek, parseISO } from 'date-fns';
import { addLocalDays, weekdayOf } from '../../../preload/domain/index';

/**
 * Calendar arithmetic on the centre's local dates ('2026-11-22'), free of the workstation's time
 * zone: the schedule is always the Stockholm wall clock, weeks start on Monday. The helpers the main
 * process uses too live once in preload/domain.
 */
export { addLocalDays, minutesBetween, weekdayOf } from '../../../preload/domain/index';

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
