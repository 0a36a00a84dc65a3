import { addLocalDays, wallClockToUtc } from '../../preload/domain/index.js';
import { DomainError } from './errors.js';

// The centre's clock lives once, in the pure domain module the renderer shares; here only what throws the service's errors.
export {
  CENTRE_TIME_ZONE,
  addLocalDays,
  addMinutes,
  minutesBetween,
  minutesOfDay,
  timeOfMinutes,
  todayLocal,
  utcToLocal,
  weekdayOf,
  type LocalTime,
} from '../../preload/domain/index.js';

/** Converts a local wall-clock time to a UTC instant; a time skipped by the spring change does not exist. */
export function localToUtc(date: string, time: string, field = 'start'): string {
  const iso = wallClockToUtc(date, time);
  if (iso === null) throw new DomainError('INVALID_INPUT', 'error.time.nonexistent', { [field]: 'error.time.nonexistent' });
  return iso;
}

/** The UTC span of a whole local day (23, 24 or 25 hours long). */
export function localDayBounds(date: string): { from: string; to: string } {
  return { from: localToUtc(date, '00:00'), to: localToUtc(addLocalDays(date, 1), '00:00') };
}
