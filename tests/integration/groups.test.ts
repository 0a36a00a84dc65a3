import { describe, expect, it } from 'vitest';
import { ENGINES, openReception, useEngines } from '../helpers/engineApp.js';

/** On both engines (#14): the local journal and the Utväg server's path over PostgreSQL. */
const engines = useEngines();

describe.each(ENGINES)('group membership (%s)', (engine) => {
  it('a client who leaves a group and comes back keeps both periods; adding a current member changes nothing', async () => {
    const t = await openReception(engines, engine);
    const client = await t.newClient('victim', 'Greta Gruppsdotter');
    const group = await t.ok<{ id: string }>('groups.create', {
      side: 'victims',
      siteId: 'skaraborg',
      track: 'victim',
      name: 'Torsdagsgruppen',
      therapistId: t.therapists.victims,
      roomId: 'skaraborg-g1',
      firstDate: '2031-03-06',
      start: '13:00',
      durationMinutes: 90,
      sessions: 3,
    });
    const member = { side: 'victims', groupId: group.id, clientId: client };
    const periods = () =>
      t.db.all<{ joinedAt: string; leftAt: string | null }>(
        'SELECT joined_at AS joinedAt, left_at AS leftAt FROM group_members WHERE group_id = ? AND client_id = ? ORDER BY joined_at, left_at IS NULL',
        group.id,
        client,
      );

    await t.ok('groups.addMember', member);
    await t.ok('groups.addMember', member);
    expect(await periods()).toHaveLength(1);
    await t.ok('groups.removeMember', member);
    await t.ok('groups.addMember', member);
    const [first, second] = await periods();
    expect(await periods()).toHaveLength(2);
    expect(first!.leftAt).not.toBeNull();
    expect(second!.leftAt).toBeNull();
    expect(second!.joinedAt >= first!.leftAt!).toBe(true);
  });
});

interface Session {
  session: { id: string; localDate: string; localStart: string; status: string; cancelReason: string | null };
  attendance: { clientId: string; name: string; status: string | null }[];
}

describe.each(ENGINES)("a group's lifecycle (%s)", (engine) => {
  /** The reception journal on a clock the test moves: sessions come, attendance is recorded on their day. */
  const setUp = async () => {
    let clock = new Date('2031-03-01T08:00:00.000Z');
    const t = await openReception(engines, engine, { now: () => clock });
    const group = (name: string, extra: Record<string, unknown> = {}) =>
      t.ok<{ id: string; endedAt: string | null; upcomingSessions: { id: string; localDate: string }[] }>('groups.create', {
        side: 'victims',
        siteId: 'skaraborg',
        track: 'victim',
        name,
        therapistId: t.therapists.victims,
        roomId: 'skaraborg-g1',
        firstDate: '2031-03-04',
        start: '13:00',
        durationMinutes: 90,
        sessions: 3,
        ...extra,
      });
    const sessions = (groupId: string, side = 'victims') => t.ok<Session[]>('groups.sessions', { side, groupId });
    const logRows = (after: number) =>
      t.db.all<{ clientId: string | null; record: string; action: string }>(
        'SELECT client_id AS clientId, record, action FROM access_log WHERE seq > ? ORDER BY seq',
        after,
      );
    const lastSeq = async () => (await t.db.get<{ seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM access_log'))!.seq;
    return { t, group, sessions, logRows, lastSeq, setClock: (iso: string) => void (clock = new Date(iso)) };
  };

  it('a series passes over the dates chosen to skip and still has its sessions', async () => {
    const { group } = await setUp();
    const created = await group('Julgruppen', { firstDate: '2031-12-10', sessions: 4, skipDates: ['2031-12-24', '2031-12-31'] });
    expect(created.upcomingSessions.map((session) => session.localDate)).toEqual(['2031-12-10', '2031-12-17', '2032-01-07', '2032-01-14']);
    // Without skipped dates the series is weekly, as before.
    const weekly = await group('Vårgruppen', { firstDate: '2031-04-02', sessions: 2, start: '09:00' });
    expect(weekly.upcomingSessions.map((session) => session.localDate)).toEqual(['2031-04-02', '2031-04-09']);
  });

  it('single sessions are added, moved and cancelled under the booking rules, the separation rule included', async () => {
    const { t, group, sessions } = await setUp();
    const anna = await t.newClient('victim', 'Anna Gruppdotter');
    const perpetrator = await t.newClient('perpetrator', 'Bengt Påhittsson', { links: [{ clientId: anna, kind: 'former_partner' }] });
    const victims = await group('Tisdagsgruppen');
    await t.ok('groups.addMember', { side: 'victims', groupId: victims.id, clientId: anna });
    // He has an appointment on 2031-03-25 at 10:00; her group may not meet within two hours of it.
    await t.ok('appointments.book', {
      side: 'perpetrators',
      kind: 'individual',
      siteId: 'skaraborg',
      clientId: perpetrator,
      groupId: null,
      therapistId: t.therapists.perpetrators,
      roomId: 'skaraborg-r2',
      date: '2031-03-25',
      start: '10:00',
      durationMinutes: 60,
      note: '',
    });
    const session = (date: string, start: string, side = 'victims', groupId = victims.id, therapistId = t.therapists.victims) => ({
      side,
      kind: 'group',
      siteId: 'skaraborg',
      clientId: null,
      groupId,
      therapistId,
      roomId: 'skaraborg-g1',
      date,
      start,
      durationMinutes: 90,
      note: '',
    });
    expect(await t.call('appointments.book', session('2031-03-25', '12:00'))).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'error.booking.separation', fields: { start: 'error.booking.separation' } },
    });
    const added = await t.ok<{ appointment: { id: string } }>('appointments.book', session('2031-03-25', '14:00'));
    expect((await sessions(victims.id)).map((one) => `${one.session.localDate} ${one.session.localStart}`)).toEqual([
      '2031-03-04 13:00',
      '2031-03-11 13:00',
      '2031-03-18 13:00',
      '2031-03-25 14:00',
    ]);
    // Moving re-checks the rule for the members at the new time.
    const move = (start: string) => ({
      side: 'victims',
      appointmentId: added.appointment.id,
      date: '2031-03-25',
      start,
      durationMinutes: 90,
      therapistId: t.therapists.victims,
      roomId: 'skaraborg-g1',
    });
    expect(await t.call('appointments.move', move('08:00'))).toMatchObject({ ok: false, error: { message: 'error.booking.separation' } });
    await t.ok('appointments.move', move('15:00'));
    await t.ok('appointments.cancel', { side: 'victims', appointmentId: victims.upcomingSessions[1]!.id, reason: 'Gruppledaren är sjuk' });
    const after = await sessions(victims.id);
    expect(after.map((one) => [one.session.localDate, one.session.localStart, one.session.status, one.session.cancelReason])).toEqual([
      ['2031-03-04', '13:00', 'booked', null],
      ['2031-03-11', '13:00', 'cancelled', 'Gruppledaren är sjuk'],
      ['2031-03-18', '13:00', 'booked', null],
      ['2031-03-25', '15:00', 'booked', null],
    ]);

    // His own group's session near her appointment gets the one neutral answer: nothing says why.
    const hers = await t.ok<{ appointment: { id: string } }>('appointments.book', {
      ...session('2031-04-01', '10:00'),
      kind: 'individual',
      clientId: anna,
      groupId: null,
      roomId: 'skaraborg-r1',
    });
    expect(hers.appointment.id).toBeTruthy();
    const theirs = await group('Onsdagsgruppen', {
      side: 'perpetrators',
      track: 'perpetrator',
      therapistId: t.therapists.perpetrators,
      firstDate: '2031-04-02',
      start: '09:00',
      sessions: 1,
    });
    await t.ok('groups.addMember', { side: 'perpetrators', groupId: theirs.id, clientId: perpetrator });
    expect(await t.call('appointments.book', session('2031-04-01', '12:00', 'perpetrators', theirs.id, t.therapists.perpetrators))).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'error.booking.unavailable', fields: { start: 'error.booking.unavailable' } },
    });
    // A session of the other side's group is not found from this side.
    expect(await t.call('groups.sessions', { side: 'perpetrators', groupId: victims.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('attendance per member and session: present or absent from its day on, each shown member named in the access log', async () => {
    const { t, group, sessions, logRows, lastSeq, setClock } = await setUp();
    const anna = await t.newClient('victim', 'Anna Gruppdotter');
    const berit = await t.newClient('victim', 'Berit Gruppdotter');
    const cecilia = await t.newClient('victim', 'Cecilia Utanfördotter');
    const created = await group('Tisdagsgruppen');
    for (const clientId of [anna, berit]) await t.ok('groups.addMember', { side: 'victims', groupId: created.id, clientId });
    const [first, second] = created.upcomingSessions.map((session) => session.id);
    const record = (appointmentId: string, attendance: { clientId: string; status: string }[]) =>
      t.call<Session>('groups.setAttendance', { side: 'victims', appointmentId, attendance });

    // Before the day: only a call-off can be noted.
    expect(await record(first!, [{ clientId: anna, status: 'present' }])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'error.group.attendanceEarly' },
    });
    expect(await record(second!, [{ clientId: berit, status: 'cancelled' }])).toMatchObject({ ok: true });

    setClock('2031-03-04T12:30:00.000Z');
    const seq = await lastSeq();
    const answer = await record(first!, [
      { clientId: anna, status: 'present' },
      { clientId: berit, status: 'absent' },
    ]);
    expect(answer.ok && answer.value.attendance).toEqual([
      { clientId: anna, name: 'Anna Gruppdotter', status: 'present' },
      { clientId: berit, name: 'Berit Gruppdotter', status: 'absent' },
    ]);
    expect((await logRows(seq)).map((row) => [row.clientId, row.record, row.action])).toEqual([
      [anna, `attendance:${first}`, 'groups.setAttendance'],
      [berit, `attendance:${first}`, 'groups.setAttendance'],
    ]);
    // A correction replaces the earlier mark; one who was not a member then cannot be marked.
    await record(first!, [{ clientId: berit, status: 'present' }]);
    expect(await record(first!, [{ clientId: cecilia, status: 'present' }])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'error.group.notAttendee' },
    });
    const readSeq = await lastSeq();
    const shown = await sessions(created.id);
    expect(shown.map((one) => one.attendance.map((member) => member.status))).toEqual([
      ['present', 'present'],
      [null, 'cancelled'],
      [null, null],
    ]);
    expect((await logRows(readSeq)).map((row) => [row.clientId, row.record])).toEqual([
      [anna, `group-sessions:${created.id}`],
      [berit, `group-sessions:${created.id}`],
    ]);
    // Someone who joins later attends only the sessions from then on.
    await t.ok('groups.addMember', { side: 'victims', groupId: created.id, clientId: cecilia });
    expect((await sessions(created.id)).map((one) => one.attendance.length)).toEqual([2, 3, 3]);
    // A cancelled session has no attendance to record.
    await t.ok('appointments.cancel', { side: 'victims', appointmentId: second!, reason: 'Lokalen är otillgänglig' });
    expect(await record(second!, [{ clientId: anna, status: 'cancelled' }])).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'error.group.sessionCancelled' },
    });
  });

  it('ending a group cancels its coming sessions with the reason, keeps the past ones, and takes nothing further', async () => {
    const { t, group, sessions, logRows, lastSeq, setClock } = await setUp();
    const anna = await t.newClient('victim', 'Anna Gruppdotter');
    const berit = await t.newClient('victim', 'Berit Gruppdotter');
    const created = await group('Tisdagsgruppen');
    for (const clientId of [anna, berit]) await t.ok('groups.addMember', { side: 'victims', groupId: created.id, clientId });
    setClock('2031-03-05T09:00:00.000Z');
    const seq = await lastSeq();
    const ended = await t.ok<{ endedAt: string | null; upcomingSessions: unknown[]; members: { clientId: string }[] }>('groups.end', {
      side: 'victims',
      groupId: created.id,
      reason: 'För få deltagare',
    });
    expect(ended.endedAt).toBe('2031-03-05T09:00:00.000Z');
    expect(ended.upcomingSessions).toEqual([]);
    expect(ended.members.map((member) => member.clientId).sort()).toEqual([anna, berit].sort());
    expect((await logRows(seq)).map((row) => [row.clientId, row.record]).sort()).toEqual(
      [
        [anna, `group-end:${created.id}`],
        [berit, `group-end:${created.id}`],
      ].sort(),
    );
    expect((await sessions(created.id)).map((one) => [one.session.localDate, one.session.status, one.session.cancelReason])).toEqual([
      ['2031-03-04', 'booked', null],
      ['2031-03-11', 'cancelled', 'För få deltagare'],
      ['2031-03-18', 'cancelled', 'För få deltagare'],
    ]);
    const listed = await t.ok<{ id: string; endedAt: string | null }[]>('groups.list', { side: 'victims', siteId: 'skaraborg' });
    expect(listed.find((one) => one.id === created.id)?.endedAt).toBe('2031-03-05T09:00:00.000Z');

    // No further session, member, move back or second ending.
    const refusedAs = { ok: false, error: { code: 'CONFLICT', message: 'error.group.ended' } };
    expect(
      await t.call('appointments.book', {
        side: 'victims',
        kind: 'group',
        siteId: 'skaraborg',
        clientId: null,
        groupId: created.id,
        therapistId: t.therapists.victims,
        roomId: 'skaraborg-g1',
        date: '2031-04-01',
        start: '13:00',
        durationMinutes: 90,
        note: '',
      }),
    ).toMatchObject(refusedAs);
    const carla = await t.newClient('victim', 'Carla Senkomdotter');
    expect(await t.call('groups.addMember', { side: 'victims', groupId: created.id, clientId: carla })).toMatchObject(refusedAs);
    expect(await t.call('groups.end', { side: 'victims', groupId: created.id, reason: 'Igen' })).toMatchObject(refusedAs);
    // The past session can still get its attendance.
    expect(
      await t.call('groups.setAttendance', {
        side: 'victims',
        appointmentId: created.upcomingSessions[0]!.id,
        attendance: [{ clientId: anna, status: 'present' }],
      }),
    ).toMatchObject({ ok: true });
    // Nothing of the other side's: the perpetrators' side cannot end it.
    expect(await t.call('groups.end', { side: 'perpetrators', groupId: created.id, reason: 'Försök' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
