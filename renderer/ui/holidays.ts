import type HolidaysClass from 'date-holidays';
import { addLocalDays } from '../../preload/domain/index';

/** A date the centre is closed or de facto closed, with its name in the interface's language. */
export interface Holiday {
  date: string;
  name: string;
}

// The holiday library carries every country's rules (most of a megabyte): loaded on first use, in a chunk of its own.
let library: Promise<typeof HolidaysClass> | null = null;
let Holidays: typeof HolidaysClass | null = null;
const calendars = new Map<string, HolidaysClass>();

/** Loads the holiday library once; holidaysAmong answers only after this has resolved. */
export function loadHolidays(): Promise<void> {
  library ??= import('date-holidays').then((module) => {
    Holidays = module.default;
    return module.default;
  });
  return library.then(() => undefined);
}

/** Whether holidaysAmong can answer yet. */
export function holidaysLoaded(): boolean {
  return Holidays !== null;
}

function swedishCalendar(language: string): HolidaysClass {
  if (!Holidays) throw new Error('loadHolidays() first');
  let calendar = calendars.get(language);
  if (!calendar) {
    calendar = new Holidays('SE', { languages: [language === 'en' ? 'en' : 'sv'] });
    calendars.set(language, calendar);
  }
  return calendar;
}

/**
 * The Swedish public holidays among the dates, and midsommarafton, julafton and nyårsafton: not
 * public holidays by law ("bank" days in the holiday library), but days nobody comes to a group.
 * Eves and observances that are ordinary working days (påskafton falls on a Saturday anyway,
 * valborgsmässoafton is a half day) are not flagged.
 */
export function holidaysAmong(dates: readonly string[], language: string): Holiday[] {
  const calendar = swedishCalendar(language);
  const byDate = new Map<string, string>();
  for (const year of new Set(dates.map((date) => Number(date.slice(0, 4))))) {
    for (const holiday of calendar.getHolidays(year, language === 'en' ? 'en' : 'sv')) {
      if (holiday.type === 'public' || holiday.type === 'bank') {
        const date = holiday.date.slice(0, 10);
        if (!byDate.has(date)) byDate.set(date, holiday.name);
      }
    }
  }
  return [...new Set(dates)].sort().flatMap((date) => (byDate.has(date) ? [{ date, name: byDate.get(date)! }] : []));
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
