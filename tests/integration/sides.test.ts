import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, contract, type Side } from '../../preload/contract/index.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { ENGINES, openReception, useEngines, type Engine, type ReceptionEngineApp } from '../helpers/engineApp.js';
import { intakeInput } from '../helpers/reception.js';

/** On both engines (#14): the local journal and the Utväg server's path over PostgreSQL. */
const engines = useEngines();
const DAY = '2031-03-04';

interface World {
  t: ReceptionEngineApp;
  ids: Record<Side, { client: string; appointment: string; group: string; session: string; routedIntake: string | null; secrets: string[] }>;
}

/** One client, one appointment, one group and a waiting-list entry on each side, with names that must not travel. */
async function world(engine: Engine): Promise<World> {
  const t = await openReception(engines, engine);
  const victim = await t.newClient('victim', 'Sidvisa Offersdotter', { personalNumber: '19900101-0017' });
  const perpetrator = await t.newClient('perpetrator', 'Sidvisa Utövarsson', {
    personalNumber: '19090527+1474',
    links: [{ clientId: victim, kind: 'partner' }],
  });
  const waitingChild = await t.newClient('child', 'Sidvisa Barnsson');
  void waitingChild;
  const book = (side: Side, clientId: string, therapistId: string, start: string, roomId: string) =>
    t.ok<{ appointment: { id: string } }>('appointments.book', {
      side,
      clientId,
      groupId: null,
      kind: 'individual',
      siteId: 'skaraborg',
      therapistId,
      roomId,
      date: DAY,
      start,
      durationMinutes: 60,
      note: '',
    });
  const victimAppointment = await book('victims', victim, t.therapists.victims, '09:00', 'skaraborg-r1');
  const perpetratorAppointment = await book('perpetrators', perpetrator, t.therapists.perpetrators, '14:00', 'skaraborg-r2');
  const group = (side: Side, track: string, therapistId: string, name: string, start: string) =>
    t.ok<{ id: string; upcomingSessions: { id: string }[] }>('groups.create', {
      side,
      siteId: 'skaraborg',
      track,
      name,
      therapistId,
      roomId: 'skaraborg-g1',
      firstDate: '2031-03-05',
      start,
      durationMinutes: 90,
      sessions: 2,
    });
  const victimGroup = await group('victims', 'victim', t.therapists.victims, 'Gruppen Offersidan', '09:00');
  const perpetratorGroup = await group('perpetrators', 'perpetrator', t.therapists.perpetrators, 'Gruppen Utövarsidan', '15:00');
  // A police report about a woman with children in an Etapp 2 municipality: the coordinator's case, on the victims' side.
  const routed = await t.ok<{ intakeId: string }>(
    'intake.register',
    intakeInput('victim', 'Sidvisa Polisdotter', { contactBy: 'outreach', referralSource: 'police', childrenUnder18: 1, municipalityCode: '1494' }),
  );
  // The session also serves both sides as a therapist, with an unsigned draft on each: her own
  // lists (journal.myDrafts) must still answer one side at a time.
  const adminId = t.user!.id;
  await t.db.run(`INSERT INTO user_roles (user_id, role) VALUES (?, 'therapist')`, adminId);
  await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
  await t.ok('org.saveTherapist', { userId: adminId, siteId: 'skaraborg', tracks: ['victim', 'child', 'perpetrator'], hours: [] });
  for (const [side, clientId] of [
    ['victims', victim],
    ['perpetrators', perpetrator],
  ] as const) {
    await t.ok('care.assign', { side, clientId, therapistId: adminId });
    await t.ok('journal.saveDraft', { clientId, entryId: null, kind: 'note', body: 'Fiktivt utkast' });
  }
  return {
    t,
    ids: {
      victims: {
        client: victim,
        appointment: victimAppointment.appointment.id,
        group: victimGroup.id,
        session: victimGroup.upcomingSessions[0]!.id,
        routedIntake: routed.intakeId,
        secrets: [
          victim,
          victimAppointment.appointment.id,
          victimGroup.id,
          routed.intakeId,
          'Offersdotter',
          'Barnsson',
          'Polisdotter',
          '19900101',
          'Gruppen Offersidan',
        ],
      },
      perpetrators: {
        client: perpetrator,
        appointment: perpetratorAppointment.appointment.id,
        group: perpetratorGroup.id,
        session: perpetratorGroup.upcomingSessions[0]!.id,
        routedIntake: null,
        secrets: [perpetrator, perpetratorAppointment.appointment.id, perpetratorGroup.id, 'Utövarsson', '19090527', 'Gruppen Utövarsidan'],
      },
    },
  };
}

/** A valid call of every sided channel, for the side given, using that side's own records. */
function sidedCalls(w: World, side: Side): Record<string, unknown> {
  const own = w.ids[side];
  const other = w.ids[side === 'victims' ? 'perpetrators' : 'victims'];
  return {
    'intake.register': intakeInput(side === 'victims' ? 'child' : 'perpetrator', 'Sidvis Nykomling', { side }),
    'clients.search': { side, query: 'Sidvisa' },
    // The lookup and the link across sides: the other side's person is named by the caller, never named back.
    'clients.findForLink': { side, query: side === 'victims' ? 'Sidvisa Utövarsson' : 'Sidvisa Offersdotter' },
    'clients.link': { side, clientId: own.client, otherClientId: other.client, kind: 'partner' },
    'clients.get': { side, clientId: own.client },
    'clients.updateContact': {
      side,
      clientId: own.client,
      safeContact: { phone: '', safeToCall: false, safeToText: false, safeVoicemail: false, safeTimes: '', codeWord: '', instructions: '' },
      address: '',
      protectedIdentity: false,
    },
    // The record corrected as it stands (name and number unchanged, so the calls after it find the same people).
    'clients.update': {
      side,
      clientId: own.client,
      anonymous: false,
      name: side === 'victims' ? 'Sidvisa Offersdotter' : 'Sidvisa Utövarsson',
      personalNumber: side === 'victims' ? '19900101-0017' : '19090527+1474',
      municipalityCode: '1496',
      childrenUnder18: 1,
      language: '',
      interpreterNeeded: false,
    },
    'schedule.range': { side, siteId: 'skaraborg', from: DAY, days: 7, therapistId: null, roomId: null },
    'schedule.today': { side, siteId: 'skaraborg', date: DAY },
    'appointments.book': {
      side,
      clientId: own.client,
      groupId: null,
      kind: 'individual',
      siteId: 'skaraborg',
      therapistId: side === 'victims' ? w.t.therapists.victims : w.t.therapists.perpetrators,
      roomId: 'skaraborg-r3',
      date: '2031-03-10',
      start: side === 'victims' ? '08:00' : '16:00',
      durationMinutes: 30,
      note: '',
    },
    'appointments.move': {
      side,
      appointmentId: own.appointment,
      date: DAY,
      start: side === 'victims' ? '08:30' : '14:30',
      durationMinutes: 60,
      therapistId: side === 'victims' ? w.t.therapists.victims : w.t.therapists.perpetrators,
      roomId: side === 'victims' ? 'skaraborg-r1' : 'skaraborg-r2',
    },
    'appointments.setStatus': { side, appointmentId: own.appointment, status: 'booked' },
    'appointments.cancel': { side, appointmentId: own.appointment, reason: 'Klienten avbokade' },
    'slots.find': {
      side,
      siteId: 'skaraborg',
      clientId: own.client,
      groupId: null,
      therapistId: null,
      kind: 'individual',
      durationMinutes: 60,
      needsRoom: true,
      fromDate: DAY,
      days: 2,
    },
    'waitingList.list': { side },
    'groups.list': { side, siteId: 'skaraborg' },
    'groups.create': {
      side,
      siteId: 'skaraborg',
      track: side === 'victims' ? 'child' : 'perpetrator',
      name: 'Ny grupp',
      therapistId: side === 'victims' ? w.t.therapists.victims : w.t.therapists.perpetrators,
      roomId: 'skaraborg-g1',
      firstDate: '2031-04-01',
      start: side === 'victims' ? '09:00' : '17:00',
      durationMinutes: 60,
      sessions: 1,
    },
    'groups.addMember': { side, groupId: own.group, clientId: own.client },
    'groups.sessions': { side, groupId: own.group },
    'groups.setAttendance': { side, appointmentId: own.session, attendance: [{ clientId: own.client, status: 'cancelled' }] },
    'groups.removeMember': { side, groupId: own.group, clientId: own.client },
    'groups.end': { side, groupId: own.group, reason: 'Gruppen avslutas' },
    'etapp2.followUps': { side, track: 'victim', from: '2020-01-01' },
    // Only the victims' side has Etapp 2 cases; the perpetrators' side asks for one of the victims' and is refused (below).
    'etapp2.setFollowUp': { side, intakeId: own.routedIntake ?? other.routedIntake, status: 'contacted' },
    'care.assign': { side, clientId: own.client, therapistId: side === 'victims' ? w.t.therapists.victims : w.t.therapists.perpetrators },
    'care.end': { side, clientId: own.client, therapistId: side === 'victims' ? w.t.therapists.victims : w.t.therapists.perpetrators },
    'journal.myDrafts': { side },
  };
}

/** Channels whose records exist on the victims' side only (an Etapp 2 case is a woman's). */
const VICTIMS_ONLY = new Set<string>(['etapp2.setFollowUp']);

const SIDED_CHANNELS = CHANNEL_NAMES.filter((name) => {
  const shape = (contract[name].input as unknown as { shape?: Record<string, unknown> }).shape;
  return shape !== undefined && 'side' in shape;
});

describe.each(ENGINES)('a view of one side never receives data of the other side (%s)', (engine) => {
  it('every channel that takes a side is covered here', async () => {
    const w = await world(engine);
    expect(Object.keys(sidedCalls(w, 'victims')).sort()).toEqual([...SIDED_CHANNELS].sort());
  });

  it.each(['victims', 'perpetrators'] as const)('answers to the %s side hold none of the other side', async (side) => {
    const w = await world(engine);
    const other: Side = side === 'victims' ? 'perpetrators' : 'victims';
    const logRows = async () => (await w.t.db.get<{ n: number }>('SELECT count(*) AS n FROM access_log'))!.n;
    for (const [channel, input] of Object.entries(sidedCalls(w, side))) {
      // A case of the other side is refused (the next test); this side has none of its own.
      if (side === 'perpetrators' && VICTIMS_ONLY.has(channel)) continue;
      const before = await logRows();
      const result = await w.t.call(channel, input);
      expect(result, channel).toMatchObject({ ok: true });
      // Every read or write of client data leaves its trace in the same transaction.
      expect(await logRows(), `${channel} wrote no access-log row`).toBeGreaterThan(before);
      const text = JSON.stringify(result);
      for (const secret of w.ids[other].secrets) expect(text, `${channel} leaked "${secret}"`).not.toContain(secret);
    }
  });

  it.each(['victims', 'perpetrators'] as const)("the %s side cannot reach the other side's records by id", async (side) => {
    const w = await world(engine);
    const other = w.ids[side === 'victims' ? 'perpetrators' : 'victims'];
    const attempts: [string, unknown][] = [
      ['clients.get', { side, clientId: other.client }],
      [
        'clients.update',
        {
          side,
          clientId: other.client,
          anonymous: false,
          name: 'Sidbytt Namn',
          personalNumber: '',
          municipalityCode: '1496',
          childrenUnder18: 0,
          language: '',
          interpreterNeeded: false,
        },
      ],
      ['appointments.setStatus', { side, appointmentId: other.appointment, status: 'arrived' }],
      ['appointments.cancel', { side, appointmentId: other.appointment, reason: 'Försök' }],
      ['groups.addMember', { side, groupId: other.group, clientId: w.ids[side].client }],
      ['groups.sessions', { side, groupId: other.group }],
      ['groups.end', { side, groupId: other.group, reason: 'Försök' }],
      ['groups.setAttendance', { side, appointmentId: other.session, attendance: [{ clientId: w.ids[side].client, status: 'cancelled' }] }],
      ...(other.routedIntake ? [['etapp2.setFollowUp', { side, intakeId: other.routedIntake, status: 'declined' }] as [string, unknown]] : []),
    ];
    for (const [channel, input] of attempts) {
      const result = await w.t.call(channel, input);
      expect(result, channel).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      for (const secret of other.secrets) expect(JSON.stringify(result)).not.toContain(secret);
    }
  });
});

describe.each(ENGINES)('a first call is registered from one side, for a track of that side (%s)', (engine) => {
  it.each([
    ['perpetrators', 'victim'],
    ['perpetrators', 'child'],
    ['victims', 'perpetrator'],
  ] as const)('the %s side cannot register a %s', async (side, track) => {
    const t = await openReception(engines, engine);
    const result = await t.call('intake.register', intakeInput(track, 'Fel Sidasson', { side }));
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { track: 'error.tracks.otherSide' } } });
    expect(await t.db.get('SELECT count(*) AS n FROM clients')).toEqual({ n: 0 });
  });
});
