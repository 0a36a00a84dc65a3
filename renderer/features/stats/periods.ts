import { todayInCentre } from '../../ui/format';

/** A calendar quarter, as the statistics channels take it. */
export interface Quarter {
  year: number;
  quarter: number;
}

/** How many ended quarters the screen offers, newest first: ten years. */
const OFFERED = 40;

/**
 * The calendar quarters that have ended by today in Swedish time, newest first. The quarter running
 * today is not among them: its figures change from day to day, and two readings of it subtracted
 * would show who came in between (main/services/statistics.ts refuses it as well).
 */
export function endedQuarters(today: string = todayInCentre(), count = OFFERED): Quarter[] {
  const year = Number(today.slice(0, 4));
  const current = Math.ceil(Number(today.slice(5, 7)) / 3);
  return Array.from({ length: count }, (_, index) => {
    const back = current - 1 - index;
    const y = year + Math.floor((back - 1) / 4);
    return { year: y, quarter: ((((back - 1) % 4) + 4) % 4) + 1 };
  });
}

/** The select's value for a quarter, and back. */
export const quarterValue = (quarter: Quarter) => `${quarter.year}-${quarter.quarter}`;
export function parseQuarterValue(value: string): Quarter {
  const [year, quarter] = value.split('-').map(Number);
  return { year: year!, quarter: quarter! };
}
