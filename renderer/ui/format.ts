import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/** The centre's clock: instants are stored in UTC and always shown in Swedish time, 24-hour. */
export const CENTRE_TIME_ZONE = 'Europe/Stockholm';

export function formatDateTime(iso: string): string {
  return format(new TZDate(iso, CENTRE_TIME_ZONE), 'yyyy-MM-dd HH:mm');
}

/** Today's date in the centre's time zone, as the screens type and show dates (2026-11-23). */
export function todayInCentre(): string {
  return format(new TZDate(Date.now(), CENTRE_TIME_ZONE), 'yyyy-MM-dd');
}
