import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, contract, type ChannelName } from '../../preload/contract/index.js';
import { intakeInput } from '../fixtures/intake.js';
import { FICTIONAL_RECEPTIONIST } from '../fixtures/people.js';
import { ENGINES, openWithAdmin, useEngines, type Engine, type EngineApp, type Snapshot } from '../helpers/engineApp.js';
import { personnummer } from '../helpers/people.js';
import { WEEKDAYS_8_TO_17 } from '../helpers/reception.js';

/**
 * The attacker at the perpetrators' desk. Two journals, alike in everything a perpetrators' side view
 * can see — the same therapists, rooms, clients, times and clock:
 *
 * - "linked": the perpetrator P is linked to the victim V, whose appointment 10:00–11:00 keeps him out
 *   of the site from 08:00 to 13:00 (the separation buffer of 120 minutes);
 * - "control": P is linked to another victim W, who has no appointment; V is not linked to anyone,
 *   and instead P's only therapist is busy from 08:00 to 13:00 (a consultation).
 *
 * Every channel a perpetrators'-side caller can reach is driven in both, from the contract: the
 * answers must be identical but for ids, and nothing of V (name, number, phone, id, appointment,
 * its instants) may appear in any value, error, warning or line of the troubleshooting log. A new
 * channel fails the first test until it is driven here or excused with a reason.
 */

const NOW = new Date('2031-03-01T08:00:00.000Z');
const DAY = '2031-03-04'; // a Tuesday
const PASSWORD = 'rätt-häst-batteri-häftklammer-2';
const VICTIM = { name: 'Hemlig Skyddsdotter', personalNumber: '19900101-0017', phone: '0700-000 017' };
const PERPETRATOR_NAME = 'Sidvald Utövarsson';
const PERPETRATORS_THERAPIST = 'per.b';
/** Everything of V that must never reach the perpetrators' side; ids and instants are added per journal. */
const VICTIM_TEXT = ['Hemlig', 'Skyddsdotter', '199001010017', '19900101', '9001010017', '0700-000 017', '0700000017', 'Annan Offersdotter'];

type Kind = 'linked' | 'control';

interface Ids {
  victim: string;
  otherVictim: string;
  victimAppointment: string;
  victimInstants: string[];
  perpetrator: string;
  perpetratorAppointment: string;
  group: string;
  /** The group's first session; P is a member of the group. */
  groupSession: string;
  therapists: { victims: string; victims2: string; perpetrators: string };
}

/**
 * Both engines (#14): the local journal, and the Utväg server's own call path over PostgreSQL (its
 * row-level security, exclusion constraint and refusals are part of what must answer alike).
 */
const engines = useEngines();
type Journal = EngineApp;
const clock = { now: () => NOW };

const booking = (extra: Record<string, unknown>) => ({
  groupId: null,
  kind: 'individual',
  siteId: 'skaraborg',
  date: DAY,
  note: '',
  ...extra,
});

/** Builds one of the two journals; the session ends signed out, the journal kept to be copied. */
async function build(engine: Engine, kind: Kind): Promise<{ snapshot: Snapshot; ids: Ids }> {
  const j = await openWithAdmin(engines, engine, clock);
  const staff = async (displayName: string, username: string, roles: string[]) =>
    await j.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', { displayName, username, roles });
  const victims = (await staff('Vera Behandlarsson', 'vera.b', ['therapist'])).user.id;
  const victims2 = (await staff('Vilma Behandlarsson', 'vilma.b', ['therapist'])).user.id;
  const perpetratorsTherapist = await staff('Per Behandlarsson', PERPETRATORS_THERAPIST, ['therapist']);
  const perpetrators = perpetratorsTherapist.user.id;
  const receptionist = await j.ok<{ temporaryPassword: string }>('users.create', { ...FICTIONAL_RECEPTIONIST, roles: ['receptionist'] });
  await j.ok('org.saveTherapist', { userId: victims, siteId: 'skaraborg', tracks: ['victim', 'child'], hours: WEEKDAYS_8_TO_17 });
  await j.ok('org.saveTherapist', { userId: victims2, siteId: 'skaraborg', tracks: ['victim', 'child'], hours: WEEKDAYS_8_TO_17 });
  await j.ok('org.saveTherapist', { userId: perpetrators, siteId: 'skaraborg', tracks: ['perpetrator'], hours: WEEKDAYS_8_TO_17 });
  // The perpetrators' own therapist is a caller from that side too.
  await j.ok('auth.login', { username: PERPETRATORS_THERAPIST, password: perpetratorsTherapist.temporaryPassword });
  await j.ok('auth.changePassword', { currentPassword: perpetratorsTherapist.temporaryPassword, newPassword: PASSWORD, newPasswordRepeat: PASSWORD });
  await j.ok('auth.login', { username: FICTIONAL_RECEPTIONIST.username, password: receptionist.temporaryPassword });
  await j.ok('auth.changePassword', { currentPassword: receptionist.temporaryPassword, newPassword: PASSWORD, newPasswordRepeat: PASSWORD });

  const victim = (
    await j.ok<{ clientId: string }>(
      'intake.register',
      intakeInput('victim', VICTIM.name, {
        personalNumber: VICTIM.personalNumber,
        safeContact: {
          phone: VICTIM.phone,
          safeToCall: true,
          safeToText: false,
          safeVoicemail: false,
          safeTimes: '',
          codeWord: '',
          instructions: '',
        },
      }),
    )
  ).clientId;
  // Both journals know W too; P is linked to one of the two women, so his own record reads the same in both.
  const otherVictim = (await j.ok<{ clientId: string }>('intake.register', intakeInput('victim', 'Annan Offersdotter'))).clientId;
  const perpetrator = (
    await j.ok<{ clientId: string }>(
      'intake.register',
      intakeInput('perpetrator', PERPETRATOR_NAME, { links: [{ clientId: kind === 'linked' ? victim : otherVictim, kind: 'partner' }] }),
    )
  ).clientId;
  const victimAppointment = await j.ok<{ appointment: { id: string; startsAt: string; endsAt: string } }>(
    'appointments.book',
    booking({ side: 'victims', clientId: victim, therapistId: victims, roomId: 'skaraborg-r1', start: '10:00', durationMinutes: 60 }),
  );
  // The victims' side is busy at the site from 08:00 to 13:00 in both journals (its edges give the same warnings in both).
  await j.ok(
    'appointments.book',
    booking({ side: 'victims', clientId: null, kind: 'consultation', therapistId: victims2, roomId: null, start: '08:00', durationMinutes: 300 }),
  );
  if (kind === 'control') {
    // The ordinary busy time: the perpetrators' only therapist is away on a consultation over the same hours.
    await j.ok(
      'appointments.book',
      booking({
        side: 'victims',
        clientId: null,
        kind: 'consultation',
        therapistId: perpetrators,
        roomId: null,
        start: '08:00',
        durationMinutes: 300,
      }),
    );
  }
  const perpetratorAppointment = await j.ok<{ appointment: { id: string } }>(
    'appointments.book',
    booking({ side: 'perpetrators', clientId: perpetrator, therapistId: perpetrators, roomId: 'skaraborg-r2', start: '16:00', durationMinutes: 45 }),
  );
  const group = await j.ok<{ id: string; upcomingSessions: { id: string }[] }>('groups.create', {
    side: 'perpetrators',
    siteId: 'skaraborg',
    track: 'perpetrator',
    name: 'Gruppen Onsdag',
    therapistId: perpetrators,
    roomId: 'skaraborg-g1',
    firstDate: '2031-03-05',
    start: '14:00',
    durationMinutes: 90,
    sessions: 2,
  });
  // P is in his group, so its sessions are judged for him as his own bookings are.
  await j.ok('groups.addMember', { side: 'perpetrators', groupId: group.id, clientId: perpetrator });
  const snapshot = await engines.snapshot(j);
  const ids = {
    victim,
    otherVictim,
    victimAppointment: victimAppointment.appointment.id,
    victimInstants: [victimAppointment.appointment.startsAt, victimAppointment.appointment.endsAt],
    perpetrator,
    perpetratorAppointment: perpetratorAppointment.appointment.id,
    group: group.id,
    groupSession: group.upcomingSessions[0]!.id,
    therapists: { victims, victims2, perpetrators },
  };
  return { snapshot, ids };
}

/** Inputs for one channel on the perpetrators' side; a driver may ask first (a lookup's handle), as the desk would. */
type Driver = (j: Journal, ids: Ids) => Promise<unknown[]>;

const P = 'perpetrators' as const;
const NO_CONTACT = { phone: '', safeToCall: false, safeToText: false, safeVoicemail: false, safeTimes: '', codeWord: '', instructions: '' };
const handleOf = async (j: Journal, query: string) => (await j.ok<{ id: string }[]>('clients.findForLink', { side: P, query }))[0]!.id;

const DRIVERS: Partial<Record<ChannelName, Driver>> = {
  'org.get': async () => [{}],
  'contacts.referrers': async () => [{}],
  'clients.search': async () => [VICTIM.name, VICTIM.personalNumber, 'Skydd', PERPETRATOR_NAME].map((query) => ({ side: P, query })),
  'clients.get': async (_j, ids) => [{ side: P, clientId: ids.perpetrator }],
  'clients.updateContact': async (_j, ids) => [
    { side: P, clientId: ids.perpetrator, safeContact: NO_CONTACT, address: '', protectedIdentity: false },
  ],
  // His record corrected with a new number, then without one (a number held by her: its own test below).
  'clients.update': async (_j, ids) =>
    [personnummer('19850312', '123'), ''].map((personalNumber) => ({
      side: P,
      clientId: ids.perpetrator,
      anonymous: false,
      name: PERPETRATOR_NAME,
      personalNumber,
      municipalityCode: '1496',
      childrenUnder18: 0,
      language: '',
      interpreterNeeded: false,
    })),
  'clients.findForLink': async () => [VICTIM.name, VICTIM.personalNumber].map((query) => ({ side: P, query })),
  'clients.link': async (j, ids) => [
    { side: P, clientId: ids.perpetrator, otherClientId: await handleOf(j, VICTIM.personalNumber), kind: 'partner' },
  ],
  'schedule.range': async (_j, ids) => [
    { side: P, siteId: 'skaraborg', from: DAY, days: 7, therapistId: null, roomId: null },
    { side: P, siteId: 'skaraborg', from: DAY, days: 1, therapistId: ids.therapists.perpetrators, roomId: null },
    { side: P, siteId: 'skaraborg', from: DAY, days: 1, therapistId: null, roomId: 'skaraborg-r1' },
  ],
  'schedule.today': async () => [{ side: P, siteId: 'skaraborg', date: DAY }],
  'appointments.book': async (_j, ids) => [
    ...['07:00', '07:15', '09:00', '10:30', '12:45', '13:00', '14:00'].map((start) =>
      booking({ side: P, clientId: ids.perpetrator, therapistId: ids.therapists.perpetrators, roomId: 'skaraborg-r1', start, durationMinutes: 60 }),
    ),
    // A single session added to his group: the same rule and the same neutral answer as his own bookings.
    ...['09:00', '12:45', '14:00'].map((start) =>
      booking({
        side: P,
        kind: 'group',
        clientId: null,
        groupId: ids.group,
        therapistId: ids.therapists.perpetrators,
        roomId: 'skaraborg-g1',
        start,
        durationMinutes: 60,
      }),
    ),
  ],
  // One of his group's sessions moved into the hours the linked victim (or the busy therapist) keeps him out.
  'appointments.move': async (_j, ids) => {
    const session = ids.groupSession;
    return [
      ...['09:30', '11:45', '13:15'].map((start) => ({
        side: P,
        appointmentId: ids.perpetratorAppointment,
        date: DAY,
        start,
        durationMinutes: 45,
        therapistId: ids.therapists.perpetrators,
        roomId: 'skaraborg-r2',
      })),
      ...['09:30', '12:00', '15:00'].map((start) => ({
        side: P,
        appointmentId: session,
        date: DAY,
        start,
        durationMinutes: 90,
        therapistId: ids.therapists.perpetrators,
        roomId: 'skaraborg-g1',
      })),
    ];
  },
  'appointments.setStatus': async (_j, ids) => [{ side: P, appointmentId: ids.perpetratorAppointment, status: 'arrived' }],
  'appointments.cancel': async (_j, ids) => [{ side: P, appointmentId: ids.perpetratorAppointment, reason: 'Klienten avbokade' }],
  'slots.find': async (j, ids) => [
    {
      side: P,
      siteId: 'skaraborg',
      clientId: ids.perpetrator,
      groupId: null,
      therapistId: null,
      kind: 'individual',
      durationMinutes: 60,
      needsRoom: true,
      fromDate: DAY,
      days: 2,
    },
    // A first call not yet saved, naming V through the lookup's handle.
    {
      side: P,
      siteId: 'skaraborg',
      clientId: null,
      groupId: null,
      newClient: { track: 'perpetrator', linkedClientIds: [await handleOf(j, VICTIM.name)] },
      therapistId: null,
      kind: 'first_visit',
      durationMinutes: 60,
      needsRoom: true,
      fromDate: DAY,
      days: 1,
    },
  ],
  'waitingList.list': async () => [{ side: P }],
  'groups.list': async () => [{ side: P, siteId: 'skaraborg' }],
  'groups.create': async (_j, ids) => [
    {
      side: P,
      siteId: 'skaraborg',
      track: 'perpetrator',
      name: 'Gruppen Torsdag',
      therapistId: ids.therapists.perpetrators,
      roomId: 'skaraborg-g1',
      firstDate: '2031-03-06',
      start: '09:00',
      durationMinutes: 90,
      sessions: 2,
    },
  ],
  'groups.addMember': async (_j, ids) => [{ side: P, groupId: ids.group, clientId: ids.perpetrator }],
  'groups.removeMember': async (_j, ids) => [{ side: P, groupId: ids.group, clientId: ids.perpetrator }],
  'groups.sessions': async (_j, ids) => [{ side: P, groupId: ids.group }],
  'groups.setAttendance': async (_j, ids) => [
    { side: P, appointmentId: ids.groupSession, attendance: [{ clientId: ids.perpetrator, status: 'cancelled' }] },
  ],
  'groups.end': async (_j, ids) => [{ side: P, groupId: ids.group, reason: 'Gruppen avslutas' }],
  'etapp2.followUps': async () => [
    { side: P, track: 'victim', from: '2031-01-01' },
    { side: P, track: 'child', from: '2031-01-01' },
  ],
  'etapp2.setFollowUp': async () => [{ side: P, intakeId: 'intake-none', status: 'contacted' }],
  'care.assign': async (_j, ids) => [{ side: P, clientId: ids.perpetrator, therapistId: ids.therapists.perpetrators }],
  'care.end': async (_j, ids) => [{ side: P, clientId: ids.perpetrator, therapistId: ids.therapists.perpetrators }],
  // A first call that names V (by the lookup's handle) and asks for a time inside her buffer: refused alike in both.
  'intake.register': async (j, ids) => [
    intakeInput('perpetrator', 'Nyanmäld Utövarsson', {
      links: [{ clientId: await handleOf(j, VICTIM.personalNumber), kind: 'former_partner' }],
      outcome: 'booked',
      booking: {
        kind: 'first_visit',
        siteId: 'skaraborg',
        therapistId: ids.therapists.perpetrators,
        roomId: 'skaraborg-r3',
        date: DAY,
        start: '09:00',
        durationMinutes: 60,
      },
    }),
  ],
};

/** Channels a perpetrators'-side caller can reach that the generator does not drive, each with the reason. */
const EXCUSED: Partial<Record<ChannelName, string>> = {
  'app.status': 'public: the session state only, no client data',
  'workstation.get': 'public: this computer’s language and discreet mode',
  'workstation.update': 'public: this computer’s language and discreet mode',
  'workstation.connectServer': 'public, first run only: answered by the workstation itself with the server’s address check, never by a journal',
  'auth.setup': 'public: refused once a journal exists',
  'auth.login': 'public: answers the signed-in user only',
  'auth.recover': 'public: the recovery code, no client data',
  'auth.lock': 'ends the session; no client data',
  'auth.logout': 'ends the session; no client data',
  'auth.changePassword': 'the caller’s own password; no client data',
  'session.activity': 'the idle-lock setting only',
  'journal.myDrafts': 'a therapist’s own drafts of one side’s tracks, under her care relations (sides and myDrafts tests)',
  'journal.myClients': 'a therapist’s own care relations: they follow the therapist’s tracks, not a desk side (journal tests)',
  'journal.open': 'opens only under a care relation or a logged emergency access (journal tests)',
  'journal.emergencyOpen': 'limited to the therapist’s tracks and reviewed by admins (journal tests)',
  'journal.findClient': 'a therapist’s lookup, limited to their tracks (journal tests)',
  'journal.saveDraft': 'only under a care relation (journal tests)',
  'journal.deleteDraft': 'the therapist’s own draft (journal tests)',
  'journal.sign': 'the therapist’s own draft (journal tests)',
  'journal.amend': 'the therapist’s own signed entry (journal tests)',
  'journal.export': 'only under a care relation (journal tests)',
};

const reachable = CHANNEL_NAMES.filter((name) => {
  const access = contract[name].access;
  return access === 'public' || access === 'session' || access.includes('receptionist') || access.includes('therapist');
});

/** An answer with its ids replaced by their order of appearance: two journals' ids differ, nothing else may. */
function withoutIds(value: unknown): string {
  const seen = new Map<string, string>();
  return JSON.stringify(value).replace(/(link-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
    if (!seen.has(id)) seen.set(id, `<id${seen.size}>`);
    return seen.get(id)!;
  });
}

function expectNothingOfVictim(text: string, ids: Ids, context: string) {
  for (const secret of [...VICTIM_TEXT, ids.victim, ids.otherVictim, ids.victimAppointment, ...ids.victimInstants]) {
    expect(text, `${context} holds "${secret}"`).not.toContain(secret);
  }
}

describe.each(ENGINES)("the perpetrators' side cannot tell a linked victim's appointment from an ordinary busy time (%s)", (engine) => {
  const templates = {} as Record<Kind, { snapshot: Snapshot; ids: Ids }>;
  const copy = async (kind: Kind, username = FICTIONAL_RECEPTIONIST.username) => {
    const j = await engines.open(engine, { ...clock, from: templates[kind].snapshot });
    await j.ok('auth.login', { username, password: PASSWORD });
    return j;
  };

  beforeAll(async () => {
    for (const kind of ['linked', 'control'] as const) templates[kind] = await build(engine, kind);
  }, 120_000);

  it('every channel a perpetrators-side caller can reach is driven here, or excused with a reason', () => {
    const driven = Object.keys(DRIVERS);
    const excused = Object.keys(EXCUSED);
    expect(driven.filter((name) => excused.includes(name))).toEqual([]);
    expect([...driven, ...excused].sort()).toEqual([...reachable].sort());
    for (const reason of Object.values(EXCUSED)) expect(reason!.length).toBeGreaterThan(10);
  });

  const callers = (Object.keys(DRIVERS) as ChannelName[]).flatMap((channel) => {
    const access = contract[channel].access;
    const therapist = access === 'session' || (Array.isArray(access) && access.includes('therapist'));
    return [[channel, FICTIONAL_RECEPTIONIST.username], ...(therapist ? [[channel, PERPETRATORS_THERAPIST]] : [])] as [ChannelName, string][];
  });

  it.each(callers)('%s answers %s alike with and without the linked victim', async (channel, username) => {
    const linked = await copy('linked', username);
    const control = await copy('control', username);
    try {
      const inputsLinked = await DRIVERS[channel]!(linked, templates.linked.ids);
      const inputsControl = await DRIVERS[channel]!(control, templates.control.ids);
      expect(inputsLinked.length).toBeGreaterThan(0);
      for (const [index, input] of inputsLinked.entries()) {
        const answer = await linked.call(channel, input);
        const controlAnswer = await control.call(channel, inputsControl[index]);
        const context = `${channel} #${index}: ${withoutIds(answer)}`;
        expect(answer.ok || !['INTERNAL', 'INVALID_INPUT'].includes(answer.error.code), context).toBe(true);
        expect(withoutIds(answer), context).toBe(withoutIds(controlAnswer));
        expectNothingOfVictim(JSON.stringify(answer), templates.linked.ids, context);
        // No warning tells the perpetrators' side how near the other side is.
        expect(JSON.stringify(answer), context).not.toContain('"minutes"');
      }
      expectNothingOfVictim(linked.logLines.join('\n'), templates.linked.ids, `${channel}: the troubleshooting log`);
    } finally {
      await linked.close();
      await control.close();
    }
  });

  it('a perpetrator’s number corrected to the one she holds is answered as any new number; the log names her', async () => {
    const linked = await copy('linked');
    const control = await copy('control');
    try {
      const input = (ids: Ids) => ({
        side: P,
        clientId: ids.perpetrator,
        anonymous: false,
        name: PERPETRATOR_NAME,
        personalNumber: VICTIM.personalNumber,
        municipalityCode: '1496',
        childrenUnder18: 0,
        language: '',
        interpreterNeeded: false,
      });
      const answer = await linked.call('clients.update', input(templates.linked.ids));
      const controlAnswer = await control.call('clients.update', input(templates.control.ids));
      expect(answer).toMatchObject({ ok: true });
      expect(withoutIds(answer)).toBe(withoutIds(controlAnswer));
      // The number he typed comes back as his; nothing else of hers does.
      const typed = JSON.stringify(answer).replaceAll(VICTIM.personalNumber, '<typed>');
      expectNothingOfVictim(typed, templates.linked.ids, 'clients.update with her number');
      expectNothingOfVictim(linked.logLines.join('\n'), templates.linked.ids, 'clients.update: the troubleshooting log');
      // The access log names her: an admin reviewing her extract sees that her number was given on the other side.
      const rows = await linked.db.all(
        "SELECT record FROM access_log WHERE client_id = ? AND record LIKE 'same-identity-number:%'",
        templates.linked.ids.victim,
      );
      expect(rows).toEqual([{ record: `same-identity-number:${templates.linked.ids.perpetrator}` }]);
    } finally {
      await linked.close();
      await control.close();
    }
  });

  it('refused bookings and moves at any time are the one neutral answer, the same as for a busy therapist', async () => {
    const linked = await copy('linked');
    const control = await copy('control');
    const quarter = fc.integer({ min: 0, max: 40 }); // 07:00 … 17:00
    const time = (q: number) => `${String(7 + Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`;
    let refusals = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            op: fc.constantFrom('book', 'move'),
            start: quarter,
            duration: fc.constantFrom(15, 30, 60, 90, 150),
            room: fc.constantFrom('skaraborg-r1', 'skaraborg-r2', 'skaraborg-r3', null),
          }),
          async ({ op, start, duration, room }) => {
            const input = (ids: Ids) =>
              op === 'book'
                ? booking({
                    side: P,
                    clientId: ids.perpetrator,
                    kind: room ? 'individual' : 'first_call',
                    therapistId: ids.therapists.perpetrators,
                    roomId: room,
                    start: time(start),
                    durationMinutes: duration,
                  })
                : {
                    side: P,
                    appointmentId: ids.perpetratorAppointment,
                    date: DAY,
                    start: time(start),
                    durationMinutes: duration,
                    therapistId: ids.therapists.perpetrators,
                    roomId: room ?? 'skaraborg-r2',
                  };
            const channel = op === 'book' ? 'appointments.book' : 'appointments.move';
            const answer = await linked.call(channel, input(templates.linked.ids));
            const controlAnswer = await control.call(channel, input(templates.control.ids));
            expect(withoutIds(answer)).toBe(withoutIds(controlAnswer));
            expectNothingOfVictim(JSON.stringify(answer), templates.linked.ids, channel);
            if (!answer.ok) {
              refusals += 1;
              expect(answer.error).toEqual({
                code: 'CONFLICT',
                message: 'error.booking.unavailable',
                fields: { start: 'error.booking.unavailable' },
              });
            }
          },
        ),
        { numRuns: 60 },
      );
      expect(refusals).toBeGreaterThan(5);
    } finally {
      await linked.close();
      await control.close();
    }
  }, 120_000);
});

describe.each(ENGINES)('every answer shaped by a client leaves a trace naming that client (%s)', (engine) => {
  let template: { snapshot: Snapshot; ids: Ids };
  let j: Journal;
  let ids: Ids;

  beforeAll(async () => {
    template = await build(engine, 'linked');
  }, 60_000);

  const fresh = async () => {
    j = await engines.open(engine, { ...clock, from: template.snapshot });
    ids = template.ids;
    await j.ok('auth.login', { username: FICTIONAL_RECEPTIONIST.username, password: PASSWORD });
  };

  /** Runs a call and returns the access-log rows it left (after any rollback). */
  const rowsOf = async (channel: string, input: unknown) => {
    const last = (await j.db.get<{ seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM access_log'))!.seq;
    const answer = await j.call(channel, input);
    const rows = await j.db.all<{ clientId: string | null; record: string; action: string }>(
      'SELECT client_id AS "clientId", record, action FROM access_log WHERE seq > ? ORDER BY seq',
      last,
    );
    // Records hold ids, counts and kinds: never a name or free text.
    for (const row of rows) expect(row.record).not.toMatch(/Hemlig|Skyddsdotter|Utövarsson|Offersdotter|avbokade/);
    return { answer, rows };
  };

  it("a refused time on the perpetrators' side names him and the linked victim whose appointment refused it", async () => {
    await fresh();
    try {
      const { answer, rows } = await rowsOf(
        'appointments.book',
        booking({
          side: P,
          clientId: ids.perpetrator,
          therapistId: ids.therapists.perpetrators,
          roomId: 'skaraborg-r3',
          start: '12:00',
          durationMinutes: 30,
        }),
      );
      expect(answer).toMatchObject({ ok: false, error: { message: 'error.booking.unavailable' } });
      expect(rows.map(({ clientId, record }) => ({ clientId, record }))).toEqual([
        { clientId: ids.perpetrator, record: 'refusal:asked' },
        { clientId: ids.victim, record: 'refusal:linked' },
      ]);
      // Nothing else of the refused booking was kept.
      expect(await j.db.get("SELECT count(*) AS n FROM appointments WHERE side = 'perpetrators' AND status = 'booked'")).toEqual({ n: 3 });
    } finally {
      await j.close();
    }
  });

  it("the victims' side keeps its precise reason, and the refusal names the linked perpetrator too", async () => {
    await fresh();
    try {
      const { answer, rows } = await rowsOf(
        'appointments.book',
        booking({
          side: 'victims',
          clientId: ids.victim,
          therapistId: ids.therapists.victims,
          roomId: 'skaraborg-r3',
          start: '14:30',
          durationMinutes: 30,
        }),
      );
      expect(answer).toEqual({
        ok: false,
        error: { code: 'CONFLICT', message: 'error.booking.separation', fields: { start: 'error.booking.separation' } },
      });
      expect(rows.map(({ clientId, record }) => ({ clientId, record }))).toEqual([
        { clientId: ids.victim, record: 'refusal:asked' },
        { clientId: ids.perpetrator, record: 'refusal:linked' },
      ]);
    } finally {
      await j.close();
    }
  });

  it('a refusal for an ordinary busy time names only the client asked about', async () => {
    await fresh();
    try {
      const { rows } = await rowsOf(
        'appointments.book',
        booking({
          side: P,
          clientId: ids.perpetrator,
          therapistId: ids.therapists.perpetrators,
          roomId: 'skaraborg-r3',
          start: '16:15',
          durationMinutes: 30,
        }),
      );
      expect(rows.map(({ clientId, record }) => ({ clientId, record }))).toEqual([{ clientId: ids.perpetrator, record: 'refusal:asked' }]);
    } finally {
      await j.close();
    }
  });

  it('a slot search names the linked victim whose appointment kept times out of the answer, on either side', async () => {
    await fresh();
    try {
      const search = (side: 'victims' | 'perpetrators', clientId: string, durationMinutes = 60) => ({
        side,
        siteId: 'skaraborg',
        clientId,
        groupId: null,
        therapistId: null,
        kind: 'individual',
        durationMinutes,
        needsRoom: true,
        fromDate: DAY,
        days: 1,
      });
      const perpetrators = await rowsOf('slots.find', search(P, ids.perpetrator));
      expect(perpetrators.rows.map(({ clientId, record }) => ({ clientId, record }))).toEqual([
        { clientId: ids.perpetrator, record: 'slots' },
        { clientId: ids.victim, record: 'slots:linked' },
      ]);
      // Four hours: only afternoon times remain for her, and his 16:00 appointment refuses them.
      const victims = await rowsOf('slots.find', search('victims', ids.victim, 240));
      expect(victims.rows.map(({ clientId, record }) => ({ clientId, record }))).toEqual([
        { clientId: ids.victim, record: 'slots' },
        { clientId: ids.perpetrator, record: 'slots:linked' },
      ]);
    } finally {
      await j.close();
    }
  });

  it('a link that reveals a clash tells the perpetrators’ side nothing; the victims’ side sees her own times to move', async () => {
    await fresh();
    try {
      const newcomer = (await j.ok<{ clientId: string }>('intake.register', intakeInput('perpetrator', 'Sentida Utövarsson'))).clientId;
      const his = await j.ok<{ appointment: { id: string } }>(
        'appointments.book',
        booking({
          side: P,
          clientId: newcomer,
          therapistId: ids.therapists.perpetrators,
          roomId: 'skaraborg-r3',
          start: '12:30',
          durationMinutes: 30,
        }),
      );
      const handle = await handleOf(j, VICTIM.name);
      const fromPerpetrators = await rowsOf('clients.link', { side: P, clientId: newcomer, otherClientId: handle, kind: 'former_partner' });
      expect(fromPerpetrators.answer).toMatchObject({
        ok: true,
        value: { conflicts: [] },
      });
      // Which of his times clash would tell when she comes: nothing of it reaches his side, on the link or on his record.
      expect((await j.ok<{ separationClashes: unknown[] }>('clients.get', { side: P, clientId: newcomer })).separationClashes).toEqual([]);
      // Her record on the victims' side lists her own time that must move.
      expect((await j.ok<{ separationClashes: unknown[] }>('clients.get', { side: 'victims', clientId: ids.victim })).separationClashes).toEqual([
        { appointmentId: ids.victimAppointment, date: DAY, start: '10:00' },
      ]);
      expectNothingOfVictim(JSON.stringify(fromPerpetrators.answer), ids, 'clients.link');
      expect(fromPerpetrators.rows.map((row) => [row.clientId, row.record.replace(/^link:[^:]+:/, 'link:…:')])).toEqual([
        [newcomer, 'link:…:perpetrators:clashes=1'],
        [ids.victim, 'link:…:perpetrators:clashes=1'],
      ]);
      // The same clash seen from the victims' side: her own appointment, never his time.
      const fromVictims = await j.ok<{ conflicts: { appointmentId: string; start: string }[] }>('clients.link', {
        side: 'victims',
        clientId: ids.victim,
        otherClientId: (await j.ok<{ id: string }[]>('clients.findForLink', { side: 'victims', query: 'Sentida Utövarsson' }))[0]!.id,
        kind: 'former_partner',
      });
      expect(fromVictims.conflicts).toEqual([{ appointmentId: ids.victimAppointment, date: DAY, start: '10:00' }]);
      expect(JSON.stringify(fromVictims)).not.toContain(his.appointment.id);
      expect(JSON.stringify(fromVictims)).not.toContain('12:30');
    } finally {
      await j.close();
    }
  });

  it('a client of the other side is not found from this side, and the attempt is in their extract', async () => {
    await fresh();
    try {
      const { answer, rows } = await rowsOf('clients.link', { side: P, clientId: ids.victim, otherClientId: ids.perpetrator, kind: 'other' });
      expect(answer).toEqual({
        ok: false,
        error: { code: 'NOT_FOUND', message: 'error.client.notFound', fields: { clientId: 'error.client.notFound' } },
      });
      expect(rows.map(({ clientId, record }) => ({ clientId, record }))).toEqual([{ clientId: ids.victim, record: 'refusal:other-side' }]);
    } finally {
      await j.close();
    }
  });

  it("a client's record names the linked people it shows, across sides only as a link", async () => {
    await fresh();
    try {
      const { answer, rows } = await rowsOf('clients.get', { side: P, clientId: ids.perpetrator });
      expectNothingOfVictim(JSON.stringify(answer), ids, 'clients.get');
      expect(rows.map(({ clientId, record }) => ({ clientId, record }))).toEqual([
        { clientId: ids.perpetrator, record: 'client' },
        { clientId: ids.victim, record: `client-link:${ids.perpetrator}` },
      ]);
    } finally {
      await j.close();
    }
  });

  it('list reads write one row per client shown, and one row for an empty list', async () => {
    await fresh();
    try {
      await j.ok('groups.addMember', { side: P, groupId: ids.group, clientId: ids.perpetrator });
      const shownBy: [string, unknown, (value: never) => (string | null)[]][] = [
        ['clients.search', { side: 'victims', query: 'dotter' }, (value: { id: string }[]) => value.map((client) => client.id)],
        ['clients.search', { side: P, query: 'Ingen Sådan' }, (value: { id: string }[]) => value.map((client) => client.id)],
        [
          'schedule.range',
          { side: 'victims', siteId: 'skaraborg', from: DAY, days: 7, therapistId: null, roomId: null },
          (value: { clientId: string | null }[]) => value.map((appointment) => appointment.clientId),
        ],
        [
          'schedule.range',
          { side: P, siteId: 'skaraborg', from: DAY, days: 7, therapistId: null, roomId: null },
          (value: { clientId: string | null }[]) => value.map((appointment) => appointment.clientId),
        ],
        [
          'schedule.today',
          { side: P, siteId: 'skaraborg', date: DAY },
          (value: { appointments: { clientId: string | null }[] }[]) => value.flatMap((room) => room.appointments.map((a) => a.clientId)),
        ],
        ['waitingList.list', { side: 'victims' }, (value: { clientId: string }[]) => value.map((entry) => entry.clientId)],
        [
          'groups.list',
          { side: P, siteId: 'skaraborg' },
          (value: { members: { clientId: string }[] }[]) => value.flatMap((group) => group.members.map((member) => member.clientId)),
        ],
        [
          'clients.findForLink',
          { side: P, query: VICTIM.personalNumber },
          // The other side's person is shown behind a handle, and named in the log all the same.
          () => [ids.victim],
        ],
      ];
      for (const [channel, input, shown] of shownBy) {
        const { answer, rows } = await rowsOf(channel, input);
        expect(answer.ok, channel).toBe(true);
        const expected = [...new Set(shown((answer as unknown as { value: never }).value).filter((id) => id !== null))].sort();
        const named = rows.map((row) => row.clientId);
        if (expected.length === 0) {
          expect(named, channel).toEqual([null]);
          expect(rows[0]!.record, channel).toMatch(/results=0$/);
        } else expect([...named].sort(), channel).toEqual(expected);
        for (const row of rows) expect(row.action).toBe(channel);
      }
    } finally {
      await j.close();
    }
  });
});
