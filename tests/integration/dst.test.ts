import { describe, expect, it } from 'vitest';
import type { AppointmentView } from '../../preload/contract/index.js';
import { setUpReception, type ReceptionApp } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const MINUTE = 60_000;

/**
 * Europe/Stockholm changes clocks on the last Sunday of March (02:00 CET → 03:00 CEST, a 23-hour day)
 * and of October (03:00 CEST → 02:00 CET, a 25-hour day). Receptionists type wall-clock times; the
 * journal stores UTC instants; every rule measures real elapsed minutes.
 */
const YEARS = [
  { spring: '2026-03-29', autumn: '2026-10-25' },
  { spring: '2031-03-30', autumn: '2031-10-26' },
];

const day = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface Booker {
  t: ReceptionApp;
  victim: string;
  perpetrator: string;
  book(side: 'victims' | 'perpetrators', date: string, start: string, minutes?: number): ReturnType<ReceptionApp['call']>;
}

async function linkedPair(): Promise<Booker> {
  const t = await setUpReception(tempDir());
  const victim = await t.newClient('victim', 'Fiktiva Klockdotter');
  const perpetrator = await t.newClient('perpetrator', 'Påhittad Sommartidsson', { links: [{ clientId: victim, kind: 'partner' }] });
  return {
    t,
    victim,
    perpetrator,
    book: (side, date, start, minutes = 60) =>
      t.call<{ appointment: AppointmentView }>('appointments.book', {
        side,
        clientId: side === 'victims' ? victim : perpetrator,
        groupId: null,
        kind: 'individual',
        siteId: 'skaraborg',
        therapistId: side === 'victims' ? t.therapists.victims : t.therapists.perpetrators,
        roomId: side === 'victims' ? 'skaraborg-r1' : 'skaraborg-r2',
        date,
        start,
        durationMinutes: minutes,
        note: '',
      }),
  };
}

const appointmentOf = (result: Awaited<ReturnType<Booker['book']>>) => {
  if (!result.ok) throw new Error(`booking refused: ${JSON.stringify(result.error)}`);
  return (result.value as { appointment: AppointmentView }).appointment;
};

describe.each(YEARS)('the daylight-saving changes of $spring and $autumn', ({ spring, autumn }) => {
  it('stores the UTC instants of what the receptionist typed, and shows the same local times back', async () => {
    const { t, book } = await linkedPair();
    const typed = [
      // Saturday before and Monday after each change, and on the Sunday itself on both sides of it.
      { date: day(spring, -1), start: '10:00', utc: `${day(spring, -1)}T09:00:00.000Z` },
      { date: spring, start: '01:30', utc: `${spring}T00:30:00.000Z` },
      { date: spring, start: '03:00', utc: `${spring}T01:00:00.000Z` },
      { date: spring, start: '23:30', utc: `${spring}T21:30:00.000Z` },
      { date: day(spring, 1), start: '10:00', utc: `${day(spring, 1)}T08:00:00.000Z` },
      { date: day(autumn, -1), start: '10:00', utc: `${day(autumn, -1)}T08:00:00.000Z` },
      { date: autumn, start: '00:30', utc: `${day(autumn, -1)}T22:30:00.000Z` },
      { date: autumn, start: '03:00', utc: `${autumn}T02:00:00.000Z` },
      { date: autumn, start: '23:30', utc: `${autumn}T22:30:00.000Z` },
      { date: day(autumn, 1), start: '10:00', utc: `${day(autumn, 1)}T09:00:00.000Z` },
    ];
    for (const slot of typed) {
      const appointment = appointmentOf(await book('victims', slot.date, slot.start, 30));
      expect(appointment).toMatchObject({ startsAt: slot.utc, localDate: slot.date, localStart: slot.start });
      const stored = t.app.db.prepare('SELECT starts_at AS startsAt, ends_at AS endsAt FROM appointments WHERE id = ?').get(appointment.id) as {
        startsAt: string;
        endsAt: string;
      };
      expect(stored.startsAt).toBe(slot.utc);
      expect(Date.parse(stored.endsAt) - Date.parse(stored.startsAt)).toBe(30 * MINUTE);
    }

    // The week view shows each appointment on the local day and at the local time it was typed,
    // including the last half hour of the 23-hour and of the 25-hour Sunday.
    for (const from of [day(spring, -1), day(autumn, -1)]) {
      const shown = await t.ok<AppointmentView[]>('schedule.range', {
        side: 'victims',
        siteId: 'skaraborg',
        from,
        days: 3,
        therapistId: null,
        roomId: null,
      });
      const expected = typed.filter((slot) => slot.date >= from && slot.date <= day(from, 2));
      expect(shown.map((a) => [a.localDate, a.localStart])).toEqual(expected.map((slot) => [slot.date, slot.start]));
    }
    for (const sunday of [spring, autumn]) {
      const oneDay = await t.ok<AppointmentView[]>('schedule.range', {
        side: 'victims',
        siteId: 'skaraborg',
        from: sunday,
        days: 1,
        therapistId: null,
        roomId: null,
      });
      expect(oneDay.map((a) => a.localStart)).toEqual(typed.filter((slot) => slot.date === sunday).map((slot) => slot.start));
    }
  });

  it('refuses 02:30 on the spring morning, a time that does not exist, next to the field', async () => {
    const { t, book, victim } = await linkedPair();
    expect(await book('victims', spring, '02:30')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'error.time.nonexistent', fields: { start: 'error.time.nonexistent' } },
    });
    expect(await book('victims', spring, '02:00')).toMatchObject({ ok: false, error: { fields: { start: 'error.time.nonexistent' } } });
    // Moving into the gap is refused the same way, and the appointment stays where it was.
    const booked = appointmentOf(await book('victims', day(spring, -1), '10:00'));
    expect(
      await t.call('appointments.move', {
        side: 'victims',
        appointmentId: booked.id,
        date: spring,
        start: '02:45',
        durationMinutes: 60,
        therapistId: t.therapists.victims,
        roomId: 'skaraborg-r1',
      }),
    ).toMatchObject({ ok: false, error: { fields: { start: 'error.time.nonexistent' } } });
    const detail = await t.ok<{ appointments: AppointmentView[] }>('clients.get', { side: 'victims', clientId: victim });
    expect(detail.appointments.map((a) => a.startsAt)).toEqual([booked.startsAt]);
  });

  it('reads the repeated autumn hour as its second occurrence, in standard time', async () => {
    const { book } = await linkedPair();
    // 02:30 happens twice on the autumn morning; the journal takes the later one (CET, UTC+1).
    expect(appointmentOf(await book('victims', autumn, '02:30', 30))).toMatchObject({
      startsAt: `${autumn}T01:30:00.000Z`,
      localStart: '02:30',
    });
  });

  it('gives a slot across either change its real duration', async () => {
    const { book } = await linkedPair();
    // Autumn: 01:30 CEST for two hours ends at 02:30 CET: one hour on the wall clock, two real hours.
    const autumnSlot = appointmentOf(await book('victims', autumn, '01:30', 120));
    expect(autumnSlot).toMatchObject({ startsAt: `${day(autumn, -1)}T23:30:00.000Z`, endsAt: `${autumn}T01:30:00.000Z` });
    expect([autumnSlot.localStart, autumnSlot.localEnd]).toEqual(['01:30', '02:30']);
    // Spring: 01:30 CET for two hours ends at 04:30 CEST: three hours on the wall clock, two real hours.
    const springSlot = appointmentOf(await book('victims', spring, '01:30', 120));
    expect(Date.parse(springSlot.endsAt) - Date.parse(springSlot.startsAt)).toBe(120 * MINUTE);
    expect([springSlot.localStart, springSlot.localEnd]).toEqual(['01:30', '04:30']);
  });

  it('measures the separation buffer in real elapsed minutes across the change', async () => {
    const { book } = await linkedPair();
    // Spring: the victim's appointment ends 01:30 CET (00:30 UTC). 04:29 CEST is 119 real minutes later
    // (179 on the wall clock): refused; 04:30 CEST is exactly 120: allowed.
    appointmentOf(await book('victims', spring, '00:30', 60));
    expect(await book('perpetrators', spring, '04:29')).toMatchObject({ ok: false, error: { message: 'error.booking.unavailable' } });
    expect(await book('perpetrators', spring, '04:30')).toMatchObject({ ok: true });

    // Autumn: the victim's appointment ends 01:30 CEST (23:30 UTC). 02:29 CET is 119 real minutes later
    // (59 on the wall clock): refused; 02:30 CET is exactly 120: allowed.
    appointmentOf(await book('victims', autumn, '00:30', 60));
    expect(await book('perpetrators', autumn, '02:29')).toMatchObject({ ok: false, error: { message: 'error.booking.unavailable' } });
    expect(await book('perpetrators', autumn, '02:30')).toMatchObject({ ok: true });
  });

  it('measures a day-long buffer in real hours: 24 wall-clock hours across the spring change are only 23', async () => {
    const { t, book } = await linkedPair();
    await t.ok('settings.update', { separationBufferMinutes: 24 * 60 });
    // The victim's Saturday appointment ends at 11:00 CET; the perpetrator's Sunday 11:00 CEST is 23 real hours later.
    appointmentOf(await book('victims', day(spring, -1), '10:00'));
    expect(await book('perpetrators', spring, '11:00')).toMatchObject({ ok: false, error: { message: 'error.booking.unavailable' } });
    expect(await book('perpetrators', spring, '12:00')).toMatchObject({ ok: true });
    // Autumn: Saturday 11:00 CEST to Sunday 10:00 CET is 24 real hours though only 23 on the wall clock.
    appointmentOf(await book('victims', day(autumn, -1), '10:00'));
    expect(await book('perpetrators', autumn, '09:59')).toMatchObject({ ok: false, error: { message: 'error.booking.unavailable' } });
    expect(await book('perpetrators', autumn, '10:00')).toMatchObject({ ok: true });
  });
});
