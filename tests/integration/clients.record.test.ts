/**
 * Issue 15, the desk: a waiting list that acts (the first call's reason, safe times and instructions;
 * booked from it, the entry leaves and the intake says booked) and a fuller client record (its facts
 * corrected by reception under the first call's rules, each change in the access log).
 */
import { describe, expect, it } from 'vitest';
import type { ClientDetail, ClientSummary } from '../../preload/contract/index.js';
import { newPerson, personnummer } from '../helpers/people.js';
import { ENGINES, openReception, useEngines, type ReceptionEngineApp } from '../helpers/engineApp.js';

/** On both engines (#14): the local journal and the Utväg server's path over PostgreSQL. */
const engines = useEngines();
const MONDAY = '2031-03-03';

type WaitingEntry = {
  clientId: string;
  reason: string | null;
  protectedIdentity: boolean;
  safeTimes: string | null;
  instructions: string | null;
};

const contact = (safeTimes: string, instructions: string) => ({
  phone: '070-174 06 21',
  safeToCall: true,
  safeToText: false,
  safeVoicemail: false,
  safeTimes,
  codeWord: '',
  instructions,
});

const recordOf = (client: ClientDetail, change: Record<string, unknown> = {}) => ({
  side: 'victims',
  clientId: client.id,
  anonymous: client.isAlias,
  name: client.name,
  personalNumber: client.personalNumber ?? '',
  municipalityCode: client.municipalityCode ?? '1496',
  childrenUnder18: client.childrenUnder18,
  language: client.language ?? '',
  interpreterNeeded: client.interpreterNeeded,
  ...change,
});

const logRows = (t: ReceptionEngineApp, clientId: string) =>
  t.db.all<{ action: string; record: string; channel: string }>(
    'SELECT action, record, channel FROM access_log WHERE client_id = ? ORDER BY seq',
    clientId,
  );

describe.each(ENGINES)('the waiting list acts (%s)', (engine) => {
  it('shows each first call’s reason, safe times and instructions, and for a protected client only that they are protected', async () => {
    const t = await openReception(engines, engine);
    const open = await t.newClient('victim', 'Väntande Fiktivsdotter', {
      reason: 'Vill ha stödsamtal efter uppbrott',
      safeContact: contact('Tisdagar efter 15', 'Säg att du ringer från biblioteket'),
    });
    const hidden = await t.newClient('victim', 'Dold Fiktivsdotter', {
      reason: 'Hot via sms',
      protectedIdentity: true,
      safeContact: contact('Förmiddagar', 'Fråga efter Kim'),
    });
    const list = await t.ok<WaitingEntry[]>('waitingList.list', { side: 'victims' });
    expect(list.find((entry) => entry.clientId === open)).toMatchObject({
      reason: 'Vill ha stödsamtal efter uppbrott',
      protectedIdentity: false,
      safeTimes: 'Tisdagar efter 15',
      instructions: 'Säg att du ringer från biblioteket',
    });
    expect(list.find((entry) => entry.clientId === hidden)).toMatchObject({
      reason: 'Hot via sms',
      protectedIdentity: true,
      safeTimes: null,
      instructions: null,
    });
    expect(JSON.stringify(list)).not.toMatch(/Förmiddagar|Kim|070-174/);
    // The other side's list holds none of them.
    expect(await t.ok<WaitingEntry[]>('waitingList.list', { side: 'perpetrators' })).toEqual([]);
  });

  it('a booking takes the client off the list, the first call then says booked, and the record shows its reason', async () => {
    const t = await openReception(engines, engine);
    const client = await t.newClient('victim', 'Bokad Fiktivsdotter', { reason: 'Behöver samtal om barnen', urgency: 'high' });
    const before = await t.ok<ClientDetail>('clients.get', { side: 'victims', clientId: client });
    expect(before.intakes[0]).toMatchObject({ reason: 'Behöver samtal om barnen', outcome: 'waiting_list' });
    expect(before.onWaitingListSince).not.toBeNull();
    await t.ok('appointments.book', {
      side: 'victims',
      clientId: client,
      groupId: null,
      kind: 'first_visit',
      siteId: 'skaraborg',
      therapistId: t.therapists.victims,
      roomId: 'skaraborg-r1',
      date: MONDAY,
      start: '10:00',
      durationMinutes: 60,
      note: '',
    });
    expect((await t.ok<WaitingEntry[]>('waitingList.list', { side: 'victims' })).map((entry) => entry.clientId)).not.toContain(client);
    const after = await t.ok<ClientDetail>('clients.get', { side: 'victims', clientId: client });
    expect(after.intakes[0]).toMatchObject({ reason: 'Behöver samtal om barnen', outcome: 'booked' });
    expect(after.onWaitingListSince).toBeNull();
    // A first call referred elsewhere stays what it was.
    const referred = await t.newClient('victim', 'Hänvisad Fiktivsdotter', { outcome: 'referred', referredTo: 'Kvinnojouren' });
    expect((await t.ok<ClientDetail>('clients.get', { side: 'victims', clientId: referred })).intakes[0]).toMatchObject({ outcome: 'referred' });
  });
});

describe.each(ENGINES)('the client record is corrected by reception (%s)', (engine) => {
  it('changes name, number, municipality, children, language and interpreter, logs the change, and finds her by the new name', async () => {
    const t = await openReception(engines, engine);
    const id = await t.newClient('victim', 'Alias Nyckelpiga', { anonymous: true, birthYear: null });
    const client = await t.ok<ClientDetail>('clients.get', { side: 'victims', clientId: id });
    const number = personnummer('19880512', '234');
    const updated = await t.ok<ClientDetail>(
      'clients.update',
      recordOf(client, {
        anonymous: false,
        name: 'Rättad Fiktivsdotter',
        personalNumber: number.replace('-', ''),
        municipalityCode: '1494',
        childrenUnder18: 2,
        language: 'arabiska',
        interpreterNeeded: true,
      }),
    );
    expect(updated).toMatchObject({
      name: 'Rättad Fiktivsdotter',
      isAlias: false,
      personalNumber: number,
      birthYear: 1988,
      municipalityCode: '1494',
      childrenUnder18: 2,
      language: 'arabiska',
      interpreterNeeded: true,
    });
    const found = await t.ok<ClientSummary[]>('clients.search', { side: 'victims', query: 'Rättad' });
    expect(found.map((candidate) => candidate.id)).toEqual([id]);
    expect(await t.ok<ClientSummary[]>('clients.search', { side: 'victims', query: 'Nyckelpiga' })).toEqual([]);
    expect(await logRows(t, id)).toContainEqual({ action: 'clients.update', record: 'client:record', channel: 'clients.update' });
  });

  it('bad input is refused next to its field and changes nothing', async () => {
    const t = await openReception(engines, engine);
    const id = await t.newClient('victim', 'Orörd Fiktivsdotter');
    const client = await t.ok<ClientDetail>('clients.get', { side: 'victims', clientId: id });
    const refusals: [Record<string, unknown>, string, string][] = [
      [{ personalNumber: '19880512-2340' }, 'personalNumber', 'error.personalNumber.invalid'],
      [{ name: '  ' }, 'name', 'error.name.required'],
      [{ anonymous: true, personalNumber: personnummer('19880512', '234') }, 'personalNumber', 'error.personalNumber.anonymous'],
      [{ municipalityCode: '9999' }, 'municipalityCode', 'error.municipality.required'],
    ];
    for (const [change, field, message] of refusals) {
      const answer = await t.call('clients.update', recordOf(client, change));
      expect(answer, JSON.stringify(change)).toMatchObject({ ok: false, error: { fields: { [field]: message } } });
    }
    expect(await t.ok<ClientDetail>('clients.get', { side: 'victims', clientId: id })).toEqual(client);
  });

  it('a number held by another client of this side is refused as at intake; one held on the other side is never told', async () => {
    const t = await openReception(engines, engine);
    const taken = personnummer('19790101', '456');
    await t.newClient('victim', 'Första Fiktivsdotter', { personalNumber: taken });
    const acrossNumber = personnummer('19700606', '789');
    const across = await t.newClient('perpetrator', 'Annan Fiktivsson', { personalNumber: acrossNumber });
    const id = await t.newClient('victim', 'Andra Fiktivsdotter');
    const client = await t.ok<ClientDetail>('clients.get', { side: 'victims', clientId: id });
    expect(await t.call('clients.update', recordOf(client, { personalNumber: taken }))).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', fields: { personalNumber: 'error.personalNumber.exists' } },
    });
    const answer = await t.call('clients.update', recordOf(client, { personalNumber: acrossNumber }));
    expect(answer).toMatchObject({ ok: true, value: { personalNumber: acrossNumber } });
    expect(JSON.stringify(answer)).not.toContain('Fiktivsson');
    // The other side's record is named in the log, never in the answer.
    expect(await logRows(t, across)).toContainEqual({ action: 'clients.update', record: `same-identity-number:${id}`, channel: 'clients.update' });
  });

  it('a client of the other side is not found, and only reception corrects a record', async () => {
    const t = await openReception(engines, engine);
    const perpetrator = await t.newClient('perpetrator', 'Sidlös Fiktivsson');
    const record = await t.ok<ClientDetail>('clients.get', { side: 'perpetrators', clientId: perpetrator });
    expect(await t.call('clients.update', { ...recordOf(record), side: 'victims' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const therapist = await newPerson(t, 'Tova Fiktiv', 'tova.fiktiv', ['therapist'], ['perpetrator']);
    await therapist.signIn();
    expect(await t.call('clients.update', { ...recordOf(record), side: 'perpetrators' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
