import { describe, expect, it } from 'vitest';
import { localToUtc } from '../../main/services/time.js';
import { utcToLocal } from '../../preload/domain/index.js';

/** Swedish wall-clock time straight from the time-zone database, without the app's per-hour cache. */
const reference = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Stockholm',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
function referenceLocal(ms: number): { date: string; time: string } {
  const parts = Object.fromEntries(reference.formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

describe('Swedish time from UTC instants', () => {
  it('agrees with the time-zone database at every minute around each clock change, 2016 to 2036', () => {
    const differences: string[] = [];
    for (let year = 2016; year <= 2036; year += 1) {
      for (const month of [2, 9]) {
        // The last Sunday of March and of October lies between the 25th and the 31st.
        for (let t = Date.UTC(year, month, 25); t < Date.UTC(year, month, 31, 23); t += 5 * 60_000) {
          const iso = new Date(t).toISOString();
          const expected = referenceLocal(t);
          const actual = utcToLocal(iso);
          if (actual.date !== expected.date || actual.time !== expected.time) differences.push(iso);
        }
      }
    }
    expect(differences).toEqual([]);
  });

  it('agrees at instants spread over two centuries, seconds and milliseconds included', () => {
    let state = 11;
    const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const from = Date.UTC(1900, 0, 1);
    const span = Date.UTC(2100, 0, 1) - from;
    for (let i = 0; i < 20_000; i += 1) {
      const t = from + Math.floor(next() * span);
      expect(utcToLocal(new Date(t).toISOString())).toEqual(referenceLocal(t));
    }
  });

  it('reads the hours of the clock changes as people see them, and round-trips local times', () => {
    expect(utcToLocal('2026-03-29T00:59:00.000Z')).toEqual({ date: '2026-03-29', time: '01:59' });
    expect(utcToLocal('2026-03-29T01:00:00.000Z')).toEqual({ date: '2026-03-29', time: '03:00' });
    expect(utcToLocal('2026-10-25T00:30:00.000Z')).toEqual({ date: '2026-10-25', time: '02:30' });
    expect(utcToLocal('2026-10-25T01:30:00.000Z')).toEqual({ date: '2026-10-25', time: '02:30' });
    expect(utcToLocal(localToUtc('2026-11-23', '09:30'))).toEqual({ date: '2026-11-23', time: '09:30' });
    expect(() => utcToLocal('not a time')).toThrow(RangeError);
  });
});
