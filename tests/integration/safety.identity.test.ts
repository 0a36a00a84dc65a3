/**
 * Issue 11, point 4: protected identity is hidden for reading and for writing. Every search channel
 * matches only fields the caller may see, every save leaves unseen fields untouched, and no answer,
 * error, export or log row holds them; her own therapist and admins see her number with its instructions.
 */
import { describe, expect, it } from 'vitest';
import type { ClientDetail, ClientSummary, JournalView } from '../../preload/contract/index.js';
import { newPerson, personOn, signInAdmin, type Person } from '../helpers/people.js';
import { builtOnce, ENGINES, openReception, useEngines, type Engine, type ReceptionEngineApp } from '../helpers/engineApp.js';
import { intakeInput, newClientOn } from '../helpers/reception.js';

/** On both engines (#14): the local journal and the Utväg server's path over PostgreSQL. */
const engines = useEngines();

/** Numbers in the range set aside for fiction (070-174 06 05 – 070-174 06 99). */
const HIDDEN = {
  phone: '070-174 06 42',
  address: 'Hemlighetsgatan 7, Skövde',
  safeTimes: 'Vardagar 10–12',
  codeWord: 'Blåklocka',
  instructions: 'Säg att du ringer från tandvården',
};
const SECRETS = ['0701740642', '174 06 42', '06 42', 'Hemlighetsgatan', 'Vardagar 10', 'Blåklocka', 'tandvården'];
const CONTROL_PHONE = '070-174 06 77';
const CONTROL_TIMES = 'Kvällar efter 18';

interface World {
  t: ReceptionEngineApp;
  receptionist: Person;
  admin: Person;
  vera: Person;
  other: Person;
  protectedClient: string;
  control: string;
}

const contactRow = (t: ReceptionEngineApp, clientId: string) => t.db.get('SELECT * FROM client_contacts WHERE client_id = ?', clientId);

/** Built once per engine and copied for each test: the four people's sign-ins are most of its cost (builtOnce). */
const built = builtOnce(engines, async (engine) => {
  const t = await openReception(engines, engine);
  const receptionist = await newPerson(t, 'Rut Skyddsdotter', 'rut.skydd', ['receptionist']);
  const admin = await newPerson(t, 'Alva Skyddsdotter', 'alva.skydd', ['admin']);
  const vera = await newPerson(t, 'Vera Skyddsdotter', 'vera.skydd', ['therapist'], ['victim', 'child']);
  const other = await newPerson(t, 'Olle Skyddsson', 'olle.skydd', ['therapist'], ['victim', 'child']);
  const safeContact = {
    phone: HIDDEN.phone,
    safeToCall: true,
    safeToText: false,
    safeVoicemail: false,
    safeTimes: HIDDEN.safeTimes,
    codeWord: HIDDEN.codeWord,
    instructions: HIDDEN.instructions,
  };
  const protectedClient = await t.newClient('victim', 'Skyddad Offersdotter', { safeContact, address: HIDDEN.address, protectedIdentity: true });
  const control = await t.newClient('victim', 'Öppen Offersdotter', {
    // Her own instructions: a list may show them (the waiting list does), so they must not be the protected client's.
    safeContact: { ...safeContact, phone: CONTROL_PHONE, codeWord: 'Prästkrage', safeTimes: CONTROL_TIMES, instructions: 'Fråga efter Kim' },
  });
  await t.ok('care.assign', { side: 'victims', clientId: protectedClient, therapistId: vera.id });
  return { t, facts: { therapists: t.therapists, receptionist, admin, vera, other, protectedClient, control } };
});

async function world(engine: Engine): Promise<World> {
  const { t, facts } = await built(engine);
  const reception: ReceptionEngineApp = Object.assign(t, { therapists: facts.therapists, newClient: newClientOn(t.ok) });
  const on = (person: Person) => personOn(reception, person);
  const { protectedClient, control } = facts;
  return {
    t: reception,
    receptionist: on(facts.receptionist),
    admin: on(facts.admin),
    vera: on(facts.vera),
    other: on(facts.other),
    protectedClient,
    control,
  };
}

/** Queries built from the protected fields, down to the few digits a caller would try one by one. */
const PROBES = [
  HIDDEN.phone,
  '0701740642',
  '1740642',
  '0642',
  '4064',
  '7406',
  HIDDEN.address,
  'Hemlighetsgatan',
  HIDDEN.codeWord,
  HIDDEN.safeTimes,
  HIDDEN.instructions,
];

describe.each(ENGINES)('a search matches only fields the caller may see (%s)', (engine) => {
  it('reception finds a protected client by no search channel through her phone, address or instructions', async () => {
    const w = await world(engine);
    await w.receptionist.signIn();
    for (const query of PROBES) {
      for (const side of ['victims', 'perpetrators'] as const) {
        const found = await w.t.ok<ClientSummary[]>('clients.search', { side, query });
        expect(
          found.map((client) => client.id),
          `clients.search "${query}"`,
        ).not.toContain(w.protectedClient);
      }
      for (const side of ['victims', 'perpetrators'] as const) {
        const forLink = await w.t.ok<{ id: string }[]>('clients.findForLink', { side, query });
        expect(
          forLink.map((client) => client.id),
          `clients.findForLink ${side} "${query}"`,
        ).not.toContain(w.protectedClient);
      }
    }
    // The same search finds a client without protection by her phone: the probes above could have matched.
    for (const query of [CONTROL_PHONE, '0677', '1740677']) {
      expect((await w.t.ok<ClientSummary[]>('clients.search', { side: 'victims', query })).map((client) => client.id)).toContain(w.control);
    }
    // Her name still finds her, without the number.
    const byName = await w.t.ok<ClientSummary[]>('clients.search', { side: 'victims', query: 'Skyddad' });
    expect(byName).toMatchObject([{ id: w.protectedClient, phone: null, safeContact: null, protectedIdentity: true }]);
  });

  it('matches a phone number by the digits typed, also when they read as an identity number; a protected one still only for those who may see it', async () => {
    const w = await world(engine);
    await w.receptionist.signIn();
    // Ten digits without spaces that are also a valid samordningsnummer (20070174-0615, -0623): the
    // search looks for that number, and for the phone numbers containing the digits as typed.
    const contact = { safeToCall: true, safeToText: false, safeVoicemail: false, safeTimes: '', codeWord: '', instructions: '' };
    const open = await w.t.newClient('victim', 'Tia Siffersdotter', { safeContact: { ...contact, phone: '070-174 06 15' } });
    const hidden = await w.t.newClient('victim', 'Tyra Siffersdotter', {
      safeContact: { ...contact, phone: '070-174 06 23' },
      protectedIdentity: true,
    });
    const ids = async (query: string) => (await w.t.ok<ClientSummary[]>('clients.search', { side: 'victims', query })).map((client) => client.id);
    expect(await ids('0701740615')).toContain(open);
    expect(await ids('0701740623')).not.toContain(hidden);
    await w.admin.signIn();
    expect(await ids('0701740623')).toContain(hidden);
    expect(await ids('0701740615')).toContain(open);
  });

  it('a therapist’s journal lookup never matches her contact details, in care or not', async () => {
    const w = await world(engine);
    for (const therapist of [w.vera, w.other]) {
      await therapist.signIn();
      for (const query of PROBES) {
        const found = await w.t.ok<{ id: string }[]>('journal.findClient', { query });
        expect(
          found.map((client) => client.id),
          `journal.findClient "${query}"`,
        ).not.toContain(w.protectedClient);
      }
    }
  });

  it('admins and her own therapist at the desk find her by phone, and see it with its instructions on her record, never in a list', async () => {
    const w = await world(engine);
    const tove = await newPerson(w.t, 'Tove Skyddsdotter', 'tove.skydd', ['receptionist', 'therapist'], ['victim']);
    await w.t.ok('care.assign', { side: 'victims', clientId: w.protectedClient, therapistId: tove.id });
    const lisa = await newPerson(w.t, 'Lisa Skyddsdotter', 'lisa.skydd', ['receptionist', 'therapist'], ['victim']);
    for (const [person, sees] of [
      [w.admin, true],
      [tove, true],
      [lisa, false],
    ] as const) {
      await person.signIn();
      const found = await w.t.ok<ClientSummary[]>('clients.search', { side: 'victims', query: '0642' });
      const match = found.find((client) => client.id === w.protectedClient);
      if (!sees) {
        expect(match, person.username).toBeUndefined();
        continue;
      }
      // Never in a list, whoever looks: the record shows it to those who may see it.
      expect(match, person.username).toMatchObject({ phone: null, safeContact: null, protectedIdentity: true });
      const detail = await w.t.ok<ClientDetail>('clients.get', { side: 'victims', clientId: w.protectedClient });
      expect(detail).toMatchObject({
        phone: HIDDEN.phone,
        address: HIDDEN.address,
        safeContact: { safeTimes: HIDDEN.safeTimes, codeWord: HIDDEN.codeWord, instructions: HIDDEN.instructions, safeToCall: true },
      });
    }
    // Her own therapist at the desk also saves them there (a reception call); the other one at the desk changes nothing.
    const save = (phone: string) =>
      w.t.call<ClientDetail>('clients.updateContact', {
        side: 'victims',
        clientId: w.protectedClient,
        safeContact: { ...HIDDEN, phone, safeToCall: true, safeToText: false, safeVoicemail: false },
        address: HIDDEN.address,
        protectedIdentity: true,
      });
    await lisa.signIn();
    expect(await save('070-174 06 44')).toMatchObject({ ok: true, value: { phone: null, safeContact: null } });
    expect(await contactRow(w.t, w.protectedClient)).toMatchObject({ phone: HIDDEN.phone });
    await tove.signIn();
    expect(await save('070-174 06 45')).toMatchObject({ ok: true, value: { phone: '070-174 06 45', address: HIDDEN.address } });
    expect(await contactRow(w.t, w.protectedClient)).toMatchObject({ phone: '070-174 06 45', code_word: HIDDEN.codeWord });
  });
});

describe.each(ENGINES)('a save never changes what the saver cannot see (%s)', (engine) => {
  it('reception’s contact save on a protected client keeps her phone, instructions and address exactly', async () => {
    const w = await world(engine);
    const before = await contactRow(w.t, w.protectedClient);
    await w.receptionist.signIn();
    // What the reception screen holds for her: nothing of the contact (and a caller may send anything).
    for (const safeContact of [
      { phone: '', safeToCall: false, safeToText: false, safeVoicemail: false, safeTimes: '', codeWord: '', instructions: '' },
      { phone: '070-174 06 99', safeToCall: false, safeToText: true, safeVoicemail: true, safeTimes: 'Alltid', codeWord: 'Ny', instructions: 'Ny' },
    ]) {
      const answer = await w.t.ok<ClientDetail>('clients.updateContact', {
        side: 'victims',
        clientId: w.protectedClient,
        safeContact,
        address: 'Ny adress 1',
        protectedIdentity: true,
      });
      expect(answer).toMatchObject({ phone: null, address: null, safeContact: null, protectedIdentity: true });
      expect(await contactRow(w.t, w.protectedClient)).toEqual(before);
    }
    // Lifting the protection is refused, echoes nothing, and changes nothing.
    const lift = await w.t.call('clients.updateContact', {
      side: 'victims',
      clientId: w.protectedClient,
      safeContact: { phone: '', safeToCall: false, safeToText: false, safeVoicemail: false, safeTimes: '', codeWord: '', instructions: '' },
      address: '',
      protectedIdentity: false,
    });
    expect(lift).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'error.protected.lift', fields: { protectedIdentity: 'error.protected.lift' } },
    });
    expect(await contactRow(w.t, w.protectedClient)).toEqual(before);
    expect((await w.t.db.get<{ p: number }>('SELECT protected_identity AS p FROM clients WHERE id = ?', w.protectedClient))!.p).toBe(1);

    // The same save on a client without protection does change her contact: the channel writes when it may.
    await w.t.ok('clients.updateContact', {
      side: 'victims',
      clientId: w.control,
      safeContact: {
        phone: '070-174 06 98',
        safeToCall: true,
        safeToText: true,
        safeVoicemail: false,
        safeTimes: '',
        codeWord: '',
        instructions: '',
      },
      address: '',
      protectedIdentity: false,
    });
    expect(await contactRow(w.t, w.control)).toMatchObject({ phone: '070-174 06 98', code_word: null });

    // An admin, who sees them, may change them.
    await w.admin.signIn();
    await w.t.ok('clients.updateContact', {
      side: 'victims',
      clientId: w.protectedClient,
      safeContact: {
        phone: '070-174 06 43',
        safeToCall: true,
        safeToText: false,
        safeVoicemail: false,
        safeTimes: HIDDEN.safeTimes,
        codeWord: HIDDEN.codeWord,
        instructions: HIDDEN.instructions,
      },
      address: HIDDEN.address,
      protectedIdentity: true,
    });
    expect(await contactRow(w.t, w.protectedClient)).toMatchObject({ phone: '070-174 06 43', code_word: HIDDEN.codeWord });
  });

  it('reception may switch protection on while she sees the fields, and from then on sees and changes none of them', async () => {
    const w = await world(engine);
    await w.receptionist.signIn();
    const safeContact = {
      phone: '070-174 06 55',
      safeToCall: true,
      safeToText: false,
      safeVoicemail: false,
      safeTimes: 'Kvällar',
      codeWord: 'Vitsippa',
      instructions: 'Ring två signaler',
    };
    const answer = await w.t.ok<ClientDetail>('clients.updateContact', {
      side: 'victims',
      clientId: w.control,
      safeContact,
      address: 'Nyvägen 2',
      protectedIdentity: true,
    });
    expect(answer).toMatchObject({ protectedIdentity: true, phone: null, safeContact: null, address: null });
    expect(await contactRow(w.t, w.control)).toMatchObject({ phone: '070-174 06 55', code_word: 'Vitsippa', address: 'Nyvägen 2' });
  });
});

describe.each(ENGINES)('those who must call her see her number with its instructions; nobody else does (%s)', (engine) => {
  it('her own therapist sees it in the journal; an emergency access does not', async () => {
    const w = await world(engine);
    await w.vera.signIn();
    const own = await w.t.ok<JournalView>('journal.open', { clientId: w.protectedClient });
    expect(own.client).toMatchObject({
      protectedIdentity: true,
      phone: HIDDEN.phone,
      address: HIDDEN.address,
      safeContact: { safeToCall: true, safeToText: false, safeTimes: HIDDEN.safeTimes, codeWord: HIDDEN.codeWord, instructions: HIDDEN.instructions },
    });
    await w.other.signIn();
    const emergency = await w.t.ok<JournalView>('journal.emergencyOpen', { clientId: w.protectedClient, reason: 'Ordinarie behandlare sjuk i dag' });
    expect(emergency.client).toMatchObject({ phone: null, address: null, safeContact: null });
    for (const secret of SECRETS) expect(JSON.stringify(emergency)).not.toContain(secret);
    // A client without protection: the therapist sees the number with its instructions either way.
    const open = await w.t.ok<JournalView>('journal.emergencyOpen', { clientId: w.control, reason: 'Ordinarie behandlare sjuk i dag' });
    expect(open.client).toMatchObject({ phone: CONTROL_PHONE, safeContact: { codeWord: 'Prästkrage' } });
  });

  it('no answer to reception, no export and no access-log row holds her contact details', async () => {
    const w = await world(engine);
    await w.receptionist.signIn();
    const answers = [
      await w.t.call('clients.search', { side: 'victims', query: 'Skyddad' }),
      await w.t.call('clients.get', { side: 'victims', clientId: w.protectedClient }),
      await w.t.call('waitingList.list', { side: 'victims' }),
      await w.t.call('clients.findForLink', { side: 'victims', query: 'Skyddad Offersdotter' }),
    ];
    for (const answer of answers) {
      expect(answer).toMatchObject({ ok: true });
      for (const secret of SECRETS) expect(JSON.stringify(answer)).not.toContain(secret);
    }
    // The waiting list tells when and how to call back, only where that may be shown: for her, that it is protected.
    const waiting = (
      answers[2] as { value: { clientId: string; protectedIdentity: boolean; safeTimes: string | null; instructions: string | null }[] }
    ).value;
    expect(waiting.find((entry) => entry.clientId === w.protectedClient)).toMatchObject({
      protectedIdentity: true,
      safeTimes: null,
      instructions: null,
    });
    expect(waiting.find((entry) => entry.clientId === w.control)).toMatchObject({ protectedIdentity: false, safeTimes: CONTROL_TIMES });
    await w.vera.signIn();
    const copy = await w.t.ok('journal.export', { clientId: w.protectedClient });
    for (const secret of SECRETS) expect(JSON.stringify(copy)).not.toContain(secret);
    await signInAdmin(w.t);
    const filter = { userId: null, clientId: null, from: null, to: null, action: null, emergencyOnly: false, unreviewedOnly: false };
    const exports = [
      await w.t.ok('audit.exportCsv', { filter }),
      await w.t.ok('audit.clientExtract', { clientId: w.protectedClient }),
      await w.t.ok('stats.exportCsv', { year: 2026, quarter: 3 }),
    ];
    const log = JSON.stringify(await w.t.db.all('SELECT * FROM access_log'));
    for (const text of [...exports.map((value) => JSON.stringify(value)), log]) for (const secret of SECRETS) expect(text).not.toContain(secret);
  });
});

describe.each(ENGINES)('every save of client fields (%s)', (engine) => {
  it('no write channel open to reception changes a protected client’s contact details', async () => {
    const w = await world(engine);
    const before = await contactRow(w.t, w.protectedClient);
    const client = w.protectedClient;
    const empty = { phone: '', safeToCall: false, safeToText: false, safeVoicemail: false, safeTimes: '', codeWord: '', instructions: '' };
    const booking = {
      side: 'victims',
      groupId: null,
      kind: 'individual',
      siteId: 'skaraborg',
      roomId: 'skaraborg-r1',
      date: '2031-03-04',
      durationMinutes: 60,
      note: '',
    };
    await w.receptionist.signIn();
    const calls: [string, () => unknown][] = [
      ['clients.updateContact', () => ({ side: 'victims', clientId: client, safeContact: empty, address: '', protectedIdentity: true })],
      ['clients.link', () => ({ side: 'victims', clientId: client, otherClientId: w.control, kind: 'other' })],
      ['appointments.book', () => ({ ...booking, clientId: client, therapistId: w.vera.id, start: '09:00' })],
      ['care.assign', () => ({ side: 'victims', clientId: client, therapistId: w.other.id })],
      ['care.end', () => ({ side: 'victims', clientId: client, therapistId: w.other.id })],
      ['intake.register', () => intakeInput('victim', 'Skyddad Offersdotter', { safeContact: empty, protectedIdentity: true })],
    ];
    for (const [channel, input] of calls) {
      expect(await w.t.call(channel, input()), channel).toMatchObject({ ok: true });
      expect(await contactRow(w.t, w.protectedClient), channel).toEqual(before);
    }
  });
});
