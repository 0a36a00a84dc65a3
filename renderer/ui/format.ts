import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/** The centre's clock: instants are stored in UTC and always shown in Swedish time, 24-hour. */
export const CENTRE_TIME_ZONE = 'Europe/Stockholm';

/** The message key of a booking warning: the perpetrators' side is not told how near the other side is, so has no minutes. */
export function warningKey(warning: { code: string; minutes?: number }): string {
  return warning.code === 'other_side_close' && warning.minutes === undefined ? 'warnings.other_side_near' : `warnings.${warning.code}`;
}

export function formatDateTime(iso: string): string {
  return format(new TZDate(iso, CENTRE_TIME_ZONE), 'yyyy-MM-dd HH:mm');
}

/** Today's date in the centre's time zone, as the screens type and show dates (2026-11-23). */
export function todayInCentre(): string {
  return format(new TZDate(Date.now(), CENTRE_TIME_ZONE), 'yyyy-MM-dd');
}
