/** Calendar: Swedish working days, and the simulated clock's units. */
import { addLocalDays, localToUtc, utcToLocal, weekdayOf } from '../../services/time.js';

export function easterSunday(year: number): string {
  // The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export const holidayCache = new Map<number, Set<string>>();
export function holidaysOf(year: number): Set<string> {
  let days = holidayCache.get(year);
  if (days) return days;
  const easter = easterSunday(year);
  const midsummerEve = [19, 20, 21, 22, 23, 24, 25].map((day) => `${year}-06-${day}`).find((date) => weekdayOf(date) === 5)!;
  days = new Set([
    `${year}-01-01`,
    `${year}-01-06`,
    addLocalDays(easter, -2),
    addLocalDays(easter, 1),
    `${year}-05-01`,
    addLocalDays(easter, 39),
    `${year}-06-06`,
    midsummerEve,
    `${year}-12-24`,
    `${year}-12-25`,
    `${year}-12-26`,
    `${year}-12-31`,
  ]);
  holidayCache.set(year, days);
  return days;
}

export function isWorkingDay(date: string): boolean {
  return weekdayOf(date) <= 5 && !holidaysOf(Number(date.slice(0, 4))).has(date);
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const instant = (date: string, time: string): number => Date.parse(localToUtc(date, time));
export const localOf = (ms: number) => utcToLocal(new Date(ms).toISOString());
