/**
 * Issue 11, points 2 and 6: care follows the track. A therapist is given the care of, opens, finds or
 * reaches by emergency access only clients of the tracks they serve; every journal channel answers an
 * id of another track exactly as an unknown id; an intake never tells one side of the other's numbers.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../preload/contract/index.js';
import { newPerson, personnummer, signInAdmin, type Person } from '../helpers/people.js';
import { ENGINES, openReception, useEngines, type Engine, type ReceptionEngineApp } from '../helpers/engineApp.js';
import { intakeInput, WEEKDAYS_8_TO_17 } from '../helpers/reception.js';

/** On both engines (#14): the local journal and the Utväg server's path over PostgreSQL. */
const engines = useEngines();
const REASON = 'Ordinarie behandlare sjuk, akut bedömning behövs';

interface World {
  t: ReceptionEngineApp;
  vera: Person;
  per: Person;
  victim: string;
  perpetrator: string;
  /** Per's signed entry and draft in the perpetrator's journal. */
  perEntries: { signed: string; draft: string };
}

/** A victims'-side therapist (Vera) and a perpetrators'-side one (Per), each with one client and a journal in it. */
async function world(engine: Engine): Promise<World> {
  const t = await openReception(engines, engine);
  const vera = await newPerson(t, 'Vera Spårsdotter', 'vera.spar', ['therapist'], ['victim', 'child']);
  const per = await newPerson(t, 'Per Spårsson', 'per.spar', ['therapist'], ['perpetrator']);
  const victim = await t.newClient('victim', 'Spårvisa Offersdotter', { personalNumber: personnummer('19850312', '024') });
  const perpetrator = await t.newClient('perpetrator', 'Spårvisa Utövarsson', { personalNumber: personnummer('19800704', '113') });
  await t.ok('care.assign', { side: 'victims', clientId: victim, therapistId: vera.id });
  await t.ok('care.assign', { side: 'perpetrators', clientId: perpetrator, therapistId: per.id });
  await per.signIn();
  const signed = await t.ok<{ id: string }>('journal.saveDraft', { clientId: perpetrator, entryId: null, kind: 'note', body: 'Fiktiv anteckning' });
  await t.ok('journal.sign', { entryId: signed.id, password: per.password });
  const draft = await t.ok<{ id: string }>('journal.saveDraft', { clientId: perpetrator, entryId: null, kind: 'note', body: 'Fiktivt utkast' });
  await signInAdmin(t);
  return { t, vera, per, victim, perpetrator, perEntries: { signed: signed.id, draft: draft.id } };
}

/** Every journal channel that names a client or an entry, with the id put where the channel takes it. */
function journalCalls(clientId: string, entryId: string, password: string): [string, unknown][] {
  return [
    ['journal.open', { clientId }],
    ['journal.emergencyOpen', { clientId, reason: REASON }],
    ['journal.export', { clientId }],
    ['journal.saveDraft', { clientId, entryId: null, kind: 'note', body: 'Försök' }],
    ['journal.saveDraft', { clientId: clientId, entryId, kind: 'note', body: 'Försök' }],
    ['journal.deleteDraft', { entryId }],
    ['journal.sign', { entryId, password }],
    ['journal.amend', { entryId, reason: 'Försök att rätta', body: 'Försök', password }],
  ];
}

const rows = async (t: ReceptionEngineApp, table: string) => (await t.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;

describe.each(ENGINES)('care follows the track (%s)', (engine) => {
  it('care.assign refuses a therapist who does not serve the client’s track, and writes nothing', async () => {
    const w = await world(engine);
    const before = await rows(w.t, 'care_relations');
    for (const [side, clientId, therapist] of [
      ['victims', w.victim, w.per],
      ['perpetrators', w.perpetrator, w.vera],
    ] as const) {
      expect(await w.t.call('care.assign', { side, clientId, therapistId: therapist.id })).toEqual({
        ok: false,
        error: { code: 'INVALID_INPUT', message: 'error.care.otherTrack', fields: { therapistId: 'error.care.otherTrack' } },
      });
    }
    expect(await rows(w.t, 'care_relations')).toBe(before);
    // A therapist serving the track is taken, and the team shows them.
    const team = await w.t.ok<{ therapistId: string }[]>('care.assign', { side: 'victims', clientId: w.victim, therapistId: w.vera.id });
    expect(team.map((relation) => relation.therapistId)).toEqual([w.vera.id]);
  });

  it('every journal channel answers another track’s client or entry exactly as an unknown id', async () => {
    const w = await world(engine);
    await w.vera.signIn();
    const other = journalCalls(w.perpetrator, w.perEntries.draft, w.vera.password);
    const unknown = journalCalls(randomUUID(), randomUUID(), w.vera.password);
    const signedOther = journalCalls(w.perpetrator, w.perEntries.signed, w.vera.password);
    const grantsBefore = await rows(w.t, 'emergency_grants');
    for (let i = 0; i < other.length; i += 1) {
      const [channel, input] = other[i]!;
      const answer = await w.t.call(channel, input);
      expect(answer, channel).toMatchObject({ ok: false });
      expect(answer, channel).toEqual(await w.t.call(unknown[i]![0], unknown[i]![1]));
      // A signed entry of the other track is just as unknown.
      expect(await w.t.call(signedOther[i]![0], signedOther[i]![1]), channel).toEqual(answer);
    }
    expect(await rows(w.t, 'emergency_grants')).toBe(grantsBefore);
    // The lookup by exact name or identity number finds nothing of the other track, as for a name nobody has.
    expect(await w.t.ok('journal.findClient', { query: 'Spårvisa Utövarsson' })).toEqual([]);
    expect(await w.t.ok('journal.findClient', { query: personnummer('19800704', '113') })).toEqual([]);
    expect(await w.t.ok('journal.findClient', { query: 'Spårvisa Offersdotter' })).toMatchObject([{ id: w.victim, inMyCare: true }]);
    // Per, on his own track, is not refused by any of this.
    await w.per.signIn();
    expect(await w.t.ok('journal.open', { clientId: w.perpetrator })).toMatchObject({ access: 'care' });
  });

  it('emergency access opens only within the tracks served', async () => {
    const w = await world(engine);
    const child = await w.t.newClient('child', 'Spårvisa Barnsson');
    await w.vera.signIn();
    expect(await w.t.ok('journal.emergencyOpen', { clientId: child, reason: REASON })).toMatchObject({ access: 'emergency' });
    await w.per.signIn();
    const refused = await w.t.call('journal.emergencyOpen', { clientId: child, reason: REASON });
    expect(refused).toEqual(await w.t.call('journal.emergencyOpen', { clientId: randomUUID(), reason: REASON }));
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'error.client.notFound' } });
  });

  it('when an admin takes a track from a therapist, the care relations across tracks stop opening journals', async () => {
    const w = await world(engine);
    await w.vera.signIn();
    expect(await w.t.ok('journal.open', { clientId: w.victim })).toMatchObject({ access: 'care' });
    const child = await (async () => {
      await signInAdmin(w.t);
      return w.t.newClient('child', 'Spårvisa Dottersdotter');
    })();
    await w.vera.signIn();
    await w.t.ok('journal.emergencyOpen', { clientId: child, reason: REASON });

    await signInAdmin(w.t);
    // Vera now serves the perpetrators' track only.
    await w.t.ok('org.saveTherapist', { userId: w.vera.id, siteId: 'skaraborg', tracks: ['perpetrator'], hours: WEEKDAYS_8_TO_17 });
    const record = await w.t.ok<{ careTeam: unknown[] }>('clients.get', { side: 'victims', clientId: w.victim });
    expect(record.careTeam).toEqual([]);

    await w.vera.signIn();
    for (const clientId of [w.victim, child]) {
      const answer = await w.t.call('journal.open', { clientId });
      expect(answer).toEqual(await w.t.call('journal.open', { clientId: randomUUID() }));
    }
    expect(await w.t.ok('journal.myClients')).toEqual([]);
    expect(await w.t.ok('journal.findClient', { query: 'Spårvisa Offersdotter' })).toEqual([]);
    // Nor can she be given the care again while she does not serve the track.
    await signInAdmin(w.t);
    expect(await w.t.call('care.assign', { side: 'victims', clientId: w.victim, therapistId: w.vera.id })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('reception assigns and ends a care relation; the team and the therapist’s care list follow', async () => {
    const w = await world(engine);
    const second = await newPerson(w.t, 'Vanja Spårsdotter', 'vanja.spar', ['therapist'], ['victim']);
    const team = await w.t.ok<{ therapistName: string }[]>('care.assign', { side: 'victims', clientId: w.victim, therapistId: second.id });
    expect(team.map((relation) => relation.therapistName)).toEqual(['Vera Spårsdotter', 'Vanja Spårsdotter']);
    expect((await w.t.ok<{ careTeam: unknown[] }>('clients.get', { side: 'victims', clientId: w.victim })).careTeam).toHaveLength(2);
    await second.signIn();
    expect(await w.t.ok('journal.myClients')).toMatchObject([{ clientId: w.victim, name: 'Spårvisa Offersdotter', track: 'victim' }]);
    expect(await w.t.ok('journal.open', { clientId: w.victim })).toMatchObject({ access: 'care' });

    await signInAdmin(w.t);
    const after = await w.t.ok<{ therapistId: string }[]>('care.end', { side: 'victims', clientId: w.victim, therapistId: second.id });
    expect(after.map((relation) => relation.therapistId)).toEqual([w.vera.id]);
    await second.signIn();
    expect(await w.t.ok('journal.myClients')).toEqual([]);
    expect(await w.t.call('journal.open', { clientId: w.victim })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'error.journal.noCareRelation' },
    });
  });
});

describe.each(ENGINES)('an identity number at intake tells neither side of the other (%s)', (engine) => {
  const answerShape = (result: Result<unknown>) =>
    JSON.stringify(result, (key, value: unknown) => (['clientId', 'intakeId'].includes(key) ? 'id' : value));

  it('a first call on the perpetrators’ side with a victims’-side number is registered as any new number, and the victims’ side is told', async () => {
    const w = await world(engine);
    const victimNumber = personnummer('19850312', '024');
    const fresh = await w.t.call('intake.register', intakeInput('perpetrator', 'Ny Utövarsson', { personalNumber: personnummer('19790101', '338') }));
    const reused = await w.t.call('intake.register', intakeInput('perpetrator', 'Annan Utövarsson', { personalNumber: victimNumber }));
    expect(reused).toMatchObject({ ok: true });
    expect(answerShape(reused)).toBe(answerShape(fresh));
    const reusedId = (reused as { value: { clientId: string } }).value.clientId;

    // The perpetrators' side record says nothing of the victims' side.
    const perpetratorsRecord = await w.t.ok<Record<string, unknown>>('clients.get', { side: 'perpetrators', clientId: reusedId });
    expect(perpetratorsRecord.identityNumberReusedAt).toBeNull();
    expect(perpetratorsRecord.links).toEqual([]);
    expect(JSON.stringify(perpetratorsRecord)).not.toContain(w.victim);
    // The victims' side record of the client whose number it is tells reception when, never who.
    const victimsRecord = await w.t.ok<Record<string, unknown>>('clients.get', { side: 'victims', clientId: w.victim });
    expect(victimsRecord.identityNumberReusedAt).toEqual(expect.any(String));
    expect(JSON.stringify(victimsRecord)).not.toContain(reusedId);
    expect(JSON.stringify(victimsRecord)).not.toContain('Annan Utövarsson');
    // The access log keeps the trace on the victim's record, for the admins' review.
    const traces = await w.t.db.all(`SELECT record FROM access_log WHERE client_id = ? AND record LIKE 'same-identity-number:%'`, w.victim);
    expect(traces).toEqual([{ record: `same-identity-number:${reusedId}` }]);

    // The two records are kept apart by the separation rule, and the perpetrators' side is told only "not available".
    const book = (side: 'victims' | 'perpetrators', clientId: string, therapistId: string, start: string, roomId: string) =>
      w.t.call('appointments.book', {
        side,
        clientId,
        groupId: null,
        kind: 'individual',
        siteId: 'skaraborg',
        therapistId,
        roomId,
        date: '2031-03-04',
        start,
        durationMinutes: 60,
        note: '',
      });
    expect(await book('victims', w.victim, w.vera.id, '09:00', 'skaraborg-r1')).toMatchObject({ ok: true });
    const refused = await book('perpetrators', reusedId, w.per.id, '10:30', 'skaraborg-r2');
    expect(refused).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'error.booking.unavailable', fields: { start: 'error.booking.unavailable' } },
    });
    // The same time is free for any other client of that side.
    const freshId = (fresh as { value: { clientId: string } }).value.clientId;
    expect(await book('perpetrators', freshId, w.per.id, '10:30', 'skaraborg-r2')).toMatchObject({ ok: true });
  });

  it('a first call on the victims’ side with a perpetrators’-side number is registered as any new number, and the record says nothing', async () => {
    const w = await world(engine);
    const perpetratorNumber = personnummer('19800704', '113');
    const fresh = await w.t.call('intake.register', intakeInput('victim', 'Ny Offersdotter', { personalNumber: personnummer('19910202', '442') }));
    const reused = await w.t.call('intake.register', intakeInput('victim', 'Annan Offersdotter', { personalNumber: perpetratorNumber }));
    expect(answerShape(reused)).toBe(answerShape(fresh));
    const reusedId = (reused as { value: { clientId: string } }).value.clientId;
    const record = await w.t.ok<Record<string, unknown>>('clients.get', { side: 'victims', clientId: reusedId });
    expect(record.identityNumberReusedAt).toBeNull();
    expect(record).toEqual({
      ...(await w.t.ok<Record<string, unknown>>('clients.get', {
        side: 'victims',
        clientId: (fresh as { value: { clientId: string } }).value.clientId,
      })),
      id: reusedId,
      name: 'Annan Offersdotter',
      personalNumber: perpetratorNumber,
      birthYear: 1980,
      firstContactAt: record.firstContactAt,
      onWaitingListSince: record.onWaitingListSince,
      intakes: record.intakes,
    });
    // The perpetrators' side is not told either.
    const perpetratorsRecord = await w.t.ok<Record<string, unknown>>('clients.get', { side: 'perpetrators', clientId: w.perpetrator });
    expect(perpetratorsRecord.identityNumberReusedAt).toBeNull();
    expect(JSON.stringify(perpetratorsRecord)).not.toContain(reusedId);
  });

  it('a number already registered on the same side is refused next to the field', async () => {
    const w = await world(engine);
    expect(
      await w.t.call('intake.register', intakeInput('child', 'Samma Nummersdotter', { personalNumber: personnummer('19850312', '024') })),
    ).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'error.personalNumber.exists', fields: { personalNumber: 'error.personalNumber.exists' } },
    });
    expect(
      await w.t.call('intake.register', intakeInput('perpetrator', 'Samma Nummersson', { personalNumber: personnummer('19800704', '113') })),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT', fields: { personalNumber: 'error.personalNumber.exists' } } });
  });
});
