import { describe, expect, it } from 'vitest';
import type { AppointmentView } from '../../../preload/contract/index';
import { concernsAbout } from './askFirst';
import { freeGapsOfTherapist, isPast, nowInCentre, outsideWorkingHours, placeInLanes, slotsOf, subtract, union, visibleRange } from './calendarModel';

const TUESDAY = '2031-11-18';
const vera = {
  id: 't1',
  displayName: 'Vera Behandlarsson',
  siteId: 's',
  tracks: ['victim' as const],
  hours: [{ weekday: 2, start: '08:00', end: '16:00' }],
};

function appointment(id: string, start: string, end: string, extra: Partial<AppointmentView> = {}): AppointmentView {
  return {
    id,
    side: 'victims',
    siteId: 's',
    kind: 'individual',
    status: 'booked',
    startsAt: '',
    endsAt: '',
    localDate: TUESDAY,
    localStart: start,
    localEnd: end,
    therapistId: 't1',
    roomId: 'r1',
    clientId: 'c',
    clientName: 'Fiktiv Person',
    clientTrack: 'victim',
    groupId: null,
    groupName: null,
    note: null,
    cancelReason: null,
    ...extra,
  };
}

describe('free gaps come from this side’s appointments and the therapist’s hours only', () => {
  it('takes booked time out of the working day; a cancelled appointment frees its time', () => {
    const gaps = freeGapsOfTherapist(vera, TUESDAY, [
      appointment('a', '09:00', '10:00'),
      appointment('b', '12:15', '13:00'),
      appointment('c', '14:00', '15:00', { status: 'cancelled' }),
      appointment('d', '10:00', '11:00', { therapistId: 'someone-else' }),
    ]);
    expect(gaps).toEqual([
      { start: 8 * 60, end: 9 * 60 },
      { start: 10 * 60, end: 12 * 60 + 15 },
      { start: 13 * 60, end: 16 * 60 },
    ]);
  });

  it('has no free time on a day off', () => {
    expect(freeGapsOfTherapist(vera, '2031-11-19', [])).toEqual([]);
  });

  it('offers slots on the half hour, a shorter one to reach the next boundary', () => {
    expect(slotsOf([{ start: 10 * 60 + 15, end: 11 * 60 + 30 }])).toEqual([
      { start: 615, end: 630 },
      { start: 630, end: 660 },
      { start: 660, end: 690 },
    ]);
  });

  it('drops slivers shorter than a quarter of an hour and merges what touches', () => {
    expect(subtract([{ start: 0, end: 100 }], [{ start: 10, end: 95 }])).toEqual([]);
    expect(
      union([
        { start: 60, end: 120 },
        { start: 0, end: 60 },
        { start: 200, end: 300 },
      ]),
    ).toEqual([
      { start: 0, end: 120 },
      { start: 200, end: 300 },
    ]);
  });
});

describe('lanes and the visible hours', () => {
  it('puts overlapping appointments side by side and lone ones full width', () => {
    const placed = placeInLanes([appointment('a', '09:00', '10:00'), appointment('b', '09:30', '10:30'), appointment('c', '11:00', '12:00')]);
    expect(placed.map((item) => [item.appointment.id, item.lane, item.lanes])).toEqual([
      ['a', 0, 2],
      ['b', 1, 2],
      ['c', 0, 1],
    ]);
  });

  it('shows at least 08–17 and stretches to early hours and late appointments', () => {
    expect(visibleRange([{ start: 9 * 60, end: 15 * 60 }], [])).toEqual({ start: 480, end: 1020 });
    expect(visibleRange([{ start: 7 * 60 + 30, end: 15 * 60 }], [appointment('a', '18:00', '19:15')])).toEqual({ start: 420, end: 1200 });
  });
});

describe('asking first', () => {
  const now = { date: TUESDAY, minutes: 10 * 60 };

  it('knows the past on the centre’s clock, to the minute', () => {
    expect(isPast(TUESDAY, '09:59', now)).toBe(true);
    expect(isPast(TUESDAY, '10:00', now)).toBe(false);
    expect(isPast('2031-11-17', '23:00', now)).toBe(true);
    // 2026-03-29 08:30 UTC is 10:30 in Stockholm, summer time having begun that night.
    expect(nowInCentre(Date.parse('2026-03-29T08:30:00Z'))).toEqual({ date: '2026-03-29', minutes: 10 * 60 + 30 });
  });

  it('judges working hours as main does: the whole appointment inside them', () => {
    expect(outsideWorkingHours(vera, TUESDAY, '15:00', 60)).toBe(false);
    expect(outsideWorkingHours(vera, TUESDAY, '15:30', 60)).toBe(true);
    expect(outsideWorkingHours(vera, TUESDAY, '07:45', 30)).toBe(true);
    expect(outsideWorkingHours(vera, '2031-11-19', '10:00', 60)).toBe(true);
  });

  it('names every concern, and none for an ordinary time', () => {
    const planned = { date: TUESDAY, start: '09:00', durationMinutes: 60, therapistId: 't1' };
    expect(concernsAbout({ ...planned, start: '11:00' }, [vera], now)).toEqual([]);
    expect(concernsAbout(planned, [vera], now)).toEqual([{ code: 'past' }]);
    expect(concernsAbout({ ...planned, start: '07:00' }, [vera], now)).toEqual([
      { code: 'past' },
      { code: 'offHours', therapist: 'Vera Behandlarsson' },
    ]);
  });
});
