import { addLocalDays, weekdayOf } from './time.js';

/**
 * The days the centre is closed, once for main (the time finder) and the renderer (asking before a
 * booking, a group's series): Sweden's public holidays by law (lag 1989:253 om allmänna helgdagar, as
 * in force since 2005, when nationaldagen took annandag pingst's place), and midsommarafton, julafton
 * and nyårsafton, which the law does not name but on which nobody comes to a group or a session.
 * Eves and observances that are ordinary working days here (påskafton falls on a Saturday anyway,
 * valborgsmässoafton is a half day) are not among them. Sundays are holidays by law too; working
 * hours already leave out the weekend. Their names are in the renderer's i18n (closedDays.<code>).
 */
export const CLOSED_DAYS = [
  'new_years_day',
  'epiphany',
  'good_friday',
  'easter_sunday',
  'easter_monday',
  'may_day',
  'ascension_day',
  'whit_sunday',
  'national_day',
  'midsummer_eve',
  'midsummer_day',
  'all_saints_day',
  'christmas_eve',
  'christmas_day',
  'boxing_day',
  'new_years_eve',
] as const;
export type ClosedDay = (typeof CLOSED_DAYS)[number];

const twoDigits = (value: number) => String(value).padStart(2, '0');

/** Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm of Meeus, Jones and Butcher). */
export function easterSunday(year: number): string {
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
  return `${year}-${twoDigits(month)}-${twoDigits(day)}`;
}

/** The first date on or after `date` (within the week from it) that falls on the ISO weekday. */
function weekdayFrom(date: string, weekday: number): string {
  return addLocalDays(date, (weekday - weekdayOf(date) + 7) % 7);
}

const byYear = new Map<number, ReadonlyMap<string, readonly ClosedDay[]>>();

/**
 * The closed days of one year, by date. Two may fall on one date: Kristi himmelsfärdsdag on första
 * maj (2008), pingstdagen on nationaldagen (when Easter is on 18 April, as in 2049).
 */
export function closedDaysOf(year: number): ReadonlyMap<string, readonly ClosedDay[]> {
  const known = byYear.get(year);
  if (known) return known;
  const easter = easterSunday(year);
  const on = (month: number, day: number) => `${year}-${twoDigits(month)}-${twoDigits(day)}`;
  const days = new Map<string, ClosedDay[]>();
  for (const [date, code] of [
    [on(1, 1), 'new_years_day'],
    [on(1, 6), 'epiphany'],
    [addLocalDays(easter, -2), 'good_friday'],
    [easter, 'easter_sunday'],
    [addLocalDays(easter, 1), 'easter_monday'],
    [on(5, 1), 'may_day'],
    [addLocalDays(easter, 39), 'ascension_day'],
    [addLocalDays(easter, 49), 'whit_sunday'],
    [on(6, 6), 'national_day'],
    // Midsommardagen is the Saturday from 20 to 26 June, alla helgons dag the Saturday from 31 October to 6 November.
    [weekdayFrom(on(6, 19), 5), 'midsummer_eve'],
    [weekdayFrom(on(6, 20), 6), 'midsummer_day'],
    [weekdayFrom(on(10, 31), 6), 'all_saints_day'],
    [on(12, 24), 'christmas_eve'],
    [on(12, 25), 'christmas_day'],
    [on(12, 26), 'boxing_day'],
    [on(12, 31), 'new_years_eve'],
  ] as const) {
    const codes = days.get(date);
    if (codes) codes.push(code);
    else days.set(date, [code]);
  }
  // Bounded: a long-running server is asked about a handful of years.
  if (byYear.size >= 200) byYear.clear();
  byYear.set(year, days);
  return days;
}

/** The closed days a local date (YYYY-MM-DD) is (none on an ordinary day; rarely two). */
export function closedDaysOn(date: string): readonly ClosedDay[] {
  // A date half typed into a form, or not a date at all, is no closed day (and never an error).
  // So is a year still being typed ('0002' on the way to 2031): the law's rules are for the years the centre books in.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return [];
  const year = Number(date.slice(0, 4));
  if (year < 1900 || year > 2200) return [];
  return closedDaysOf(year).get(date) ?? [];
}

/** Whether the centre is closed on a local date (YYYY-MM-DD). */
export function isClosedDay(date: string): boolean {
  return closedDaysOn(date).length > 0;
}
