import { describe, expect, it } from 'vitest';
import { setUpReception, WEEKDAYS_8_TO_17, type ReceptionApp } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

/**
 * Issue #13: every channel of scheduling, groups and the organisation runs a small number of
 * statements, whatever the journal holds; over a network each statement is a round trip. Counted
 * by the store (app.store.statements) around one router call, on a journal with several
 * therapists, linked clients across the sides, groups and appointments; then again after the
 * journal has grown (more therapists with tracks and hours, more linked pairs, more appointments,
 * also in the ranges read): the same count.
 *
 * A list leaves one access-log row per client shown, all in one batched append (the chain's head
 * read once, the rows in one insert), so its whole count, log rows included, must not move.
 */
const tempDir = useTempDirs();
const MONDAY = '2031-03-03';
const TUESDAY = '2031-03-04';
/** The bound for a booking and a slot search; every channel here stays within it. */
const BOUND = 10;

let people = 0;
/** More of everything: therapists with tracks and hours at both sites, clients linked across the sides, their appointments. */
async function grow(t: ReceptionApp, day: string): Promise<void> {
  for (let i = 0; i < 6; i += 1) {
    people += 1;
    const created = await t.ok<{ user: { id: string } }>('users.create', {
      displayName: `Testa Behandlare ${people}`,
      username: `testa.b${people}`,
      roles: ['therapist'],
    });
    await t.ok('org.saveTherapist', {
      userId: created.user.id,
      siteId: i % 3 === 0 ? 'sodra-alvsborg' : 'skaraborg',
      tracks: i % 2 === 0 ? ['victim', 'child'] : ['perpetrator'],
      hours: WEEKDAYS_8_TO_17,
    });
  }
  for (let i = 0; i < 4; i += 1) {
    people += 1;
    const victim = await t.newClient('victim', `Fiktiva Växande ${people}`);
    const perpetrator = await t.newClient('perpetrator', `Påhittad Växande ${people}`, { links: [{ clientId: victim, kind: 'partner' }] });
    await t.ok('appointments.book', booking('victims', victim, t.therapists.victims, day, `${String(8 + i).padStart(2, '0')}:00`, 'skaraborg-r1'));
    await t.ok('appointments.book', {
      ...booking('perpetrators', perpetrator, t.therapists.perpetrators, day, `${String(8 + i).padStart(2, '0')}:00`, 'skaraborg-r3'),
      siteId: 'skaraborg',
      date: day === MONDAY ? '2031-03-12' : '2031-03-13',
    });
  }
}

function booking(side: string, clientId: string | null, therapistId: string, date: string, start: string, roomId: string | null) {
  return { side, clientId, groupId: null, kind: 'individual', siteId: 'skaraborg', therapistId, roomId, date, start, durationMinutes: 60, note: '' };
}

describe('statements per channel of scheduling, groups and the organisation', () => {
  it('stay within the bound and do not grow with the journal', async () => {
    const t = await setUpReception(tempDir());
    const victim = await t.newClient('victim', 'Fiktiva Räknesdotter');
    const perpetrator = await t.newClient('perpetrator', 'Påhittad Räknesson', { links: [{ clientId: victim, kind: 'partner' }] });
    const member = await t.newClient('victim', 'Låtsas Gruppdeltagare');
    await grow(t, MONDAY);

    const logRows = () => (t.app.db.prepare('SELECT count(*) AS n FROM access_log').get() as { n: number }).n;
    /** One pass over every channel: statements per channel, and those besides the access-log rows beyond the first. */
    const pass = async (round: number) => {
      const counts: Record<string, { statements: number; logRows: number; work: number }> = {};
      const count = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
        const statements = t.app.store.statements;
        const rows = logRows();
        const value = await run();
        const counted = { statements: t.app.store.statements - statements, logRows: logRows() - rows };
        counts[name] = { ...counted, work: counted.statements };
        return value;
      };
      const measure = <T>(name: string, channel: string, input: unknown): Promise<T> => count(name, () => t.ok<T>(channel, input));
      const day = round === 0 ? '2031-03-05' : '2031-03-06';
      const start = round === 0 ? '10:00' : '14:00';
      const booked = await measure<{ appointment: { id: string } }>(
        'appointments.book',
        'appointments.book',
        booking('victims', victim, t.therapists.victims, day, start, 'skaraborg-r2'),
      );
      // Refused (the linked victim's appointment is within the buffer): its trace rows are written after the rollback.
      const refused = await count('appointments.book (refused)', () =>
        t.call('appointments.book', booking('perpetrators', perpetrator, t.therapists.perpetrators, day, start, 'skaraborg-r3')),
      );
      expect(refused).toMatchObject({ ok: false, error: { message: 'error.booking.unavailable' } });
      await measure('appointments.move', 'appointments.move', {
        side: 'victims',
        appointmentId: booked.appointment.id,
        date: day,
        start: round === 0 ? '10:30' : '14:30',
        durationMinutes: 60,
        therapistId: t.therapists.victims,
        roomId: 'skaraborg-r2',
      });
      await measure('appointments.setStatus', 'appointments.setStatus', { side: 'victims', appointmentId: booked.appointment.id, status: 'arrived' });
      await measure('appointments.cancel', 'appointments.cancel', { side: 'victims', appointmentId: booked.appointment.id, reason: 'Testskäl' });
      const slots = {
        side: 'perpetrators',
        siteId: 'skaraborg',
        clientId: perpetrator,
        groupId: null,
        therapistId: null,
        kind: 'individual',
        durationMinutes: 60,
        needsRoom: true,
        fromDate: MONDAY,
        days: 7,
      };
      await measure('slots.find', 'slots.find', slots);
      await measure('slots.find (new client)', 'slots.find', {
        ...slots,
        clientId: null,
        newClient: { track: 'perpetrator', linkedClientIds: [victim] },
      });
      await measure('schedule.range', 'schedule.range', {
        side: 'victims',
        siteId: 'skaraborg',
        from: MONDAY,
        days: 7,
        therapistId: null,
        roomId: null,
      });
      await measure('schedule.today', 'schedule.today', { side: 'victims', siteId: 'skaraborg', date: round === 0 ? MONDAY : TUESDAY });
      await measure('waitingList.list', 'waitingList.list', { side: 'victims' });
      const group = await measure<{ id: string; upcomingSessions: { id: string }[] }>('groups.create', 'groups.create', {
        side: 'victims',
        siteId: 'skaraborg',
        track: 'victim',
        name: `Testgruppen ${round}`,
        therapistId: t.therapists.victims,
        roomId: 'skaraborg-g1',
        firstDate: round === 0 ? '2031-04-01' : '2031-04-02',
        start: '15:00',
        durationMinutes: 90,
        sessions: 8,
      });
      await measure('groups.addMember', 'groups.addMember', { side: 'victims', groupId: group.id, clientId: member });
      await measure('groups.list', 'groups.list', { side: 'victims', siteId: 'skaraborg' });
      await measure('appointments.book (group session)', 'appointments.book', {
        ...booking('victims', null, t.therapists.victims, round === 0 ? '2031-05-27' : '2031-05-28', '15:00', 'skaraborg-g1'),
        kind: 'group',
        groupId: group.id,
      });
      await measure('groups.sessions', 'groups.sessions', { side: 'victims', groupId: group.id });
      await measure('groups.setAttendance', 'groups.setAttendance', {
        side: 'victims',
        appointmentId: group.upcomingSessions[0]!.id,
        attendance: [{ clientId: member, status: 'cancelled' }],
      });
      await measure('groups.removeMember', 'groups.removeMember', { side: 'victims', groupId: group.id, clientId: member });
      await measure('groups.end', 'groups.end', { side: 'victims', groupId: group.id, reason: 'Testskäl' });
      await measure('org.get', 'org.get', {});
      await measure('org.saveWaitingRoom', 'org.saveWaitingRoom', {
        id: null,
        siteId: 'skaraborg',
        entranceId: 'skaraborg-main',
        name: `Väntrum test ${round}`,
        capacity: 3,
      });
      await measure('org.saveRoom', 'org.saveRoom', { id: null, siteId: 'skaraborg', name: `Testrummet ${round}`, active: true });
      await measure('org.saveEntrance', 'org.saveEntrance', { id: null, siteId: 'skaraborg', name: `Testentrén ${round}` });
      await measure('org.setTrackRoute', 'org.setTrackRoute', {
        siteId: 'skaraborg',
        track: 'child',
        entranceId: 'skaraborg-main',
        waitingRoomId: 'skaraborg-wr-children',
      });
      await measure('org.setMunicipality', 'org.setMunicipality', {
        code: '1496',
        name: 'Skövde',
        region: 'skaraborg',
        etapp2: false,
        etapp2Children: true,
      });
      await measure('org.saveTherapist', 'org.saveTherapist', {
        userId: t.therapists.perpetrators,
        siteId: 'skaraborg',
        tracks: ['perpetrator'],
        hours: WEEKDAYS_8_TO_17,
      });
      return counts;
    };

    const before = await pass(0);
    await grow(t, TUESDAY);
    const after = await pass(1);
    for (const [name, counted] of Object.entries(before)) {
      const grown = after[name]!;
      // What each channel does besides its access-log rows is the same on the grown journal ...
      expect({ name, work: grown.work }).toEqual({ name, work: counted.work });
      // ... and within the bound; a channel that writes one row (a booking, a slot search) is within it in all.
      expect(counted.work, name).toBeLessThanOrEqual(BOUND);
      if (counted.logRows <= 1) expect(counted.statements, name).toBeLessThanOrEqual(BOUND);
    }
    // The bound is the for these two, whatever they show.
    for (const name of ['appointments.book', 'appointments.book (refused)', 'appointments.move', 'slots.find', 'slots.find (new client)'])
      expect(after[name]!.statements, name).toBeLessThanOrEqual(BOUND);
    // A booking, a move and a group session read what they are judged against in one statement
    // (db/appointments/bookingReads.ts), then write, then log (the head and the row); a refusal reads and logs.
    for (const [name, bound] of [
      ['appointments.book', 5],
      ['appointments.book (refused)', 3],
      ['appointments.move', 5],
      ['appointments.book (group session)', 5],
    ] as const)
      expect(after[name]!.statements, name).toBeLessThanOrEqual(bound);
    // The lists grew with the journal (more rows shown), so the test above did compare grown reads.
    expect(after['schedule.range']!.logRows).toBeGreaterThan(before['schedule.range']!.logRows);
  }, 120_000);
});
