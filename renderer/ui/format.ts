import { todayLocal, utcToLocal } from '../../preload/domain/index';

// The centre's clock (preload/domain, shared with the main process): instants are stored in UTC and always shown in Swedish time, 24-hour.
export { CENTRE_TIME_ZONE } from '../../preload/domain/index';

/** The message key of a booking warning: the perpetrators' side is not told how near the other side is, so has no minutes. */
export function warningKey(warning: { code: string; minutes?: number }): string {
  return warning.code === 'other_side_close' && warning.minutes === undefined ? 'warnings.other_side_near' : `warnings.${warning.code}`;
}

export function formatDateTime(iso: string): string {
  const { date, time } = utcToLocal(iso);
  return `${date} ${time}`;
}

/** Today's date in the centre's time zone, as the screens type and show dates (2026-11-23). */
export function todayInCentre(): string {
  return todayLocal(new Date());
}
