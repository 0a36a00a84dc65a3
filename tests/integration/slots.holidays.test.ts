import { describe, expect, it } from 'vitest';
import { addLocalDays, isClosedDay, weekdayOf } from '../../preload/domain/index.js';
import { ENGINES, openReception, useEngines } from '../helpers/engineApp.js';

/** On both engines (#14): the local journal and the Utväg server's path over PostgreSQL. */
const engines = useEngines();

interface Proposal {
  date: string;
  start: string;
  end: string;
  therapistId: string;
  roomId: string | null;
}

/** The days from `from` on that the proposals cover, in order. */
const datesOf = (proposals: Proposal[]) => [...new Set(proposals.map((proposal) => proposal.date))];

describe.each(ENGINES)("the time finder passes over the centre's closed days (%s)", (engine) => {
  it('asked from the day before julafton, it proposes nothing from julafton to annandag jul, nor on nyårsafton, nyårsdagen or trettondedag jul', async () => {
    const t = await openReception(engines, engine, { now: () => new Date('2031-12-01T08:00:00.000Z') });
    const victim = await t.newClient('victim', 'Tova Tidsdotter');
    const ask = (input: Record<string, unknown>) =>
      t.ok<Proposal[]>('slots.find', {
        side: 'victims',
        siteId: 'skaraborg',
        groupId: null,
        therapistId: null,
        kind: 'individual',
        durationMinutes: 60,
        needsRoom: true,
        fromDate: '2031-12-23',
        days: 28,
        ...input,
      });
    // Three a day at most: so that every open weekday in the weeks asked about shows, the answer is read a week at a time.
    const weekly = async (input: Record<string, unknown>) => {
      const dates: string[] = [];
      for (const fromDate of ['2031-12-23', '2031-12-30', '2032-01-06']) dates.push(...datesOf(await ask({ ...input, fromDate, days: 7 })));
      return dates;
    };
    const open = ['2031-12-23', '2031-12-29', '2031-12-30', '2032-01-02', '2032-01-05', '2032-01-07', '2032-01-08', '2032-01-09', '2032-01-12'];
    expect(await weekly({ clientId: victim })).toEqual(open);
    // A first call not yet saved (the first-call form) and the perpetrators' side are answered alike.
    expect(
      await weekly({
        clientId: null,
        newClient: { track: 'perpetrator', linkedClientIds: [] },
        side: 'perpetrators',
        needsRoom: false,
        kind: 'first_call',
      }),
    ).toEqual(open);

    // The first answer over four weeks: the day before julafton, then straight to the Monday after annandag jul.
    const all = await ask({ clientId: victim });
    expect(all.length).toBeGreaterThan(0);
    expect(all[0]).toMatchObject({ date: '2031-12-23', start: '08:00' });
    expect(datesOf(all).slice(0, 2)).toEqual(['2031-12-23', '2031-12-29']);
    for (const proposal of all) expect(isClosedDay(proposal.date), proposal.date).toBe(false);

    // Booking a closed day stays the receptionist's choice (the desk asks first): the rule is the finder's, not the booking's.
    const booked = await t.ok<{ appointment: { localDate: string } }>('appointments.book', {
      side: 'victims',
      siteId: 'skaraborg',
      clientId: victim,
      groupId: null,
      kind: 'individual',
      therapistId: t.therapists.victims,
      roomId: 'skaraborg-r1',
      date: '2031-12-24',
      start: '09:00',
      durationMinutes: 60,
      note: '',
    });
    expect(booked.appointment.localDate).toBe('2031-12-24');
  });

  it('asked on a closed day with working hours every day of the week, it offers the next open day', async () => {
    const t = await openReception(engines, engine, { now: () => new Date('2032-05-01T06:00:00.000Z') });
    // A therapist who works every day, weekends too: only the closed days keep proposals away.
    await t.ok('org.saveTherapist', {
      userId: t.therapists.victims,
      siteId: 'skaraborg',
      tracks: ['victim', 'child'],
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '17:00' })),
    });
    const child = await t.newClient('child', 'Vilgot Veckosson');
    const dates: string[] = [];
    // Första maj 2032 is a Saturday; Kristi himmelsfärdsdag is Thursday 6 May, pingstdagen Sunday 16 May.
    for (let week = 0; week < 3; week += 1) {
      const fromDate = addLocalDays('2032-05-01', week * 7);
      const proposals = await t.ok<Proposal[]>('slots.find', {
        side: 'victims',
        siteId: 'skaraborg',
        clientId: child,
        groupId: null,
        therapistId: t.therapists.victims,
        kind: 'individual',
        durationMinutes: 60,
        needsRoom: true,
        fromDate,
        days: 7,
      });
      dates.push(...datesOf(proposals));
    }
    const expected = Array.from({ length: 21 }, (_, day) => addLocalDays('2032-05-01', day)).filter((date) => !isClosedDay(date));
    expect(dates).toEqual(expected);
    expect(expected).not.toContain('2032-05-01');
    expect(expected).not.toContain('2032-05-06');
    expect(expected).not.toContain('2032-05-16');
    expect(expected.some((date) => weekdayOf(date) === 6)).toBe(true);
  });
});
