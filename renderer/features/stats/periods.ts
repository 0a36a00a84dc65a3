import {
  endOfMonth,
  endOfQuarter,
  endOfYear,
  format,
  parse,
  startOfMonth,
  startOfQuarter,
  startOfYear,
  subMonths,
  subQuarters,
  subYears,
} from 'date-fns';
import { todayInCentre } from '../../ui/format';

const DATE = 'yyyy-MM-dd';

export const QUICK_PERIODS = ['thisYear', 'lastYear', 'thisQuarter', 'lastQuarter', 'lastMonth'] as const;
export type QuickPeriod = (typeof QUICK_PERIODS)[number];

/** Whole calendar periods counted from today in Swedish time; both dates inclusive, as the report takes them. */
export function quickPeriod(choice: QuickPeriod, today: string = todayInCentre()): { from: string; to: string } {
  // A calendar date without a time zone: date-fns works on it as a local date and formats it back unchanged.
  const day = parse(today, DATE, new Date(2000, 0, 1));
  const range = (start: Date, end: Date) => ({ from: format(start, DATE), to: format(end, DATE) });
  switch (choice) {
    case 'thisYear':
      return range(startOfYear(day), endOfYear(day));
    case 'lastYear':
      return range(startOfYear(subYears(day, 1)), endOfYear(subYears(day, 1)));
    case 'thisQuarter':
      return range(startOfQuarter(day), endOfQuarter(day));
    case 'lastQuarter':
      return range(startOfQuarter(subQuarters(day, 1)), endOfQuarter(subQuarters(day, 1)));
    case 'lastMonth':
      return range(startOfMonth(subMonths(day, 1)), endOfMonth(subMonths(day, 1)));
  }
}
