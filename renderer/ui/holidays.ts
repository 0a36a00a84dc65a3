import i18next from 'i18next';
import { addLocalDays, closedDaysOn } from '../../preload/domain/index';

/** A date the centre is closed or de facto closed, with its name in the interface's language. */
export interface Holiday {
  date: string;
  name: string;
}

/**
 * The Swedish public holidays among the dates, and midsommarafton, julafton and nyårsafton: the
 * centre's closed days (preload/domain/holidays.ts, which the time finder in main skips as well),
 * each date once, in date order; two holidays on one date are named together ("första maj och
 * Kristi himmelsfärdsdag").
 */
export function holidaysAmong(dates: readonly string[], language: string): Holiday[] {
  const list = new Intl.ListFormat(language, { type: 'conjunction' });
  return [...new Set(dates)].sort().flatMap((date) => {
    const closed = closedDaysOn(date);
    return closed.length > 0 ? [{ date, name: list.format(closed.map((code) => i18next.t(`closedDays.${code}`, { lng: language }))) }] : [];
  });
}

/** The weekly dates of a series from its first date, passing over the skipped ones until it has its sessions (as groups.create does). */
export function weeklySeries(firstDate: string, sessions: number, skip: ReadonlySet<string> = new Set()): string[] {
  const dates: string[] = [];
  for (let week = 0; dates.length < sessions && week < sessions + skip.size; week += 1) {
    const date = addLocalDays(firstDate, week * 7);
    if (!skip.has(date)) dates.push(date);
  }
  return dates;
}
