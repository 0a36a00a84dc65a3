/** Calendar: Swedish working days, and the simulated clock's units. */
import { isClosedDay } from '../../../preload/domain/index.js';
import { localToUtc, utcToLocal, weekdayOf } from '../../services/time.js';

export function isWorkingDay(date: string): boolean {
  return weekdayOf(date) <= 5 && !isClosedDay(date);
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const instant = (date: string, time: string): number => Date.parse(localToUtc(date, time));
export const localOf = (ms: number) => utcToLocal(new Date(ms).toISOString());
