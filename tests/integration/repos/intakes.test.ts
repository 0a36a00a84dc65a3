/**
 * The intakes repository's contract (#13): first calls and the waiting list, on a real encrypted
 * journal. Written against the Store only, so the same body can run on PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertClient, type Track } from '../../../db/clients/index.js';
import type { Store, Tx } from '../../../db/engine/store.js';
import {
  addToWaitingList,
  insertIntake,
  intakesOf,
  openWaitingList,
  removeFromWaitingList,
  waitingSince,
  type IntakeRow,
} from '../../../db/intakes/index.js';
import { useTempDirs } from '../../helpers/tempDir.js';
import { AT, DESK, DESK_ACTOR, postgresJournals, seedBasics, sqliteJournal, unique, type OpenJournal } from './clientsJournal.js';
import { actingAs, counted, type ActingStore } from './engines.js';

const tempDir = useTempDirs();

async function addClient(tx: Tx, track: Track, name: string, firstContactAt: string | null = AT): Promise<string> {
  const id = unique(track);
  await insertClient(tx, {
    id,
    track,
    name,
    isAlias: false,
    personalNumber: null,
    birthYear: 1985,
    protectedIdentity: false,
    createdAt: AT,
    createdBy: DESK,
    firstContactAt,
  });
  return id;
}

function intake(clientId: string, extra: Partial<IntakeRow> = {}): IntakeRow {
  return {
    id: unique('intake'),
    clientId,
    receivedAt: AT,
    receivedBy: DESK,
    contactBy: 'self',
    referralSource: 'self',
    referralNote: null,
    referrerContactId: null,
    urgency: 'normal',
    reason: null,
    outcome: 'waiting_list',
    referredTo: null,
    routing: 'not_applicable',
    routingReason: 'routing.reason.notPolice',
    ...extra,
  };
}

function contract(open: OpenJournal): void {
  /** Intakes and the waiting list are reception's: every call as the desk. */
  let store: ActingStore;
  let seed: Store;
  let close: () => Promise<void>;
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => store.transaction(work);

  beforeEach(async () => {
    let journal: Store;
    ({ store: journal, seed, close } = await open());
    store = actingAs(journal, DESK_ACTOR);
    await seed.transaction(seedBasics);
  });
  afterEach(async () => {
    await close();
  });

  it('insertIntake stores every field; intakesOf reads the client’s intakes newest first, each with its referrer, in one statement', async () => {
    // The contact network is the admins': a referrer is there before reception names it.
    const referrer = unique('contact');
    await seed.transaction((tx) =>
      tx
        .insertInto('contact_persons')
        .values({
          id: referrer,
          name: 'Kim Kontaktsson',
          agency_kind: 'police',
          agency: 'Polisen',
          unit: 'Relationsvåldsgruppen',
          email: 'kim@example.invalid',
          assignment_start: '2025-01-01',
          created_at: AT,
          created_by: DESK,
          updated_at: AT,
          updated_by: DESK,
        })
        .execute(),
    );
    const { clientId, older, newer, other } = await inTx(async (tx) => {
      const clientId = await addClient(tx, 'victim', 'Anna Fiktiv');
      const otherClient = await addClient(tx, 'victim', 'Berit Fiktiv');
      const older = intake(clientId, {
        receivedAt: '2026-01-05T09:00:00.000Z',
        referralNote: 'Ringde själv',
        reason: 'Rädd',
        outcome: 'referred',
        referredTo: 'Kvinnojouren',
      });
      const newer = intake(clientId, {
        receivedAt: '2026-02-05T09:00:00.000Z',
        contactBy: 'agency',
        referralSource: 'police',
        referrerContactId: referrer,
        urgency: 'acute',
        outcome: 'booked',
        routing: 'etapp2_social_secretary',
        routingReason: 'routing.reason.etapp2',
      });
      const other = intake(otherClient);
      for (const row of [older, newer, other]) await insertIntake(tx, row);
      return { clientId, older, newer, other };
    });
    const [read, statements] = await counted(store, (tx) => intakesOf(tx, clientId));
    expect(statements).toBe(1);
    expect(read).toEqual([
      { ...newer, referrer: { name: 'Kim Kontaktsson', agency: 'Polisen', unit: 'Relationsvåldsgruppen' } },
      { ...older, referrer: null },
    ]);
    expect((await inTx((tx) => intakesOf(tx, other.clientId))).map((row) => row.id)).toEqual([other.id]);
    expect(await inTx((tx) => intakesOf(tx, 'nobody'))).toEqual([]);
  });

  it('addToWaitingList opens an entry; waitingSince tells since when; removeFromWaitingList closes only the open one, with its reason', async () => {
    const { clientId, intakeId } = await inTx(async (tx) => {
      const clientId = await addClient(tx, 'perpetrator', 'Bo Fiktiv');
      const row = intake(clientId);
      await insertIntake(tx, row);
      await tx
        .insertInto('waiting_list')
        .values({
          id: unique('w'),
          client_id: clientId,
          intake_id: null,
          added_at: '2025-12-01T09:00:00.000Z',
          removed_at: '2025-12-02T09:00:00.000Z',
          removed_reason: 'Tidigare',
        })
        .execute();
      return { clientId, intakeId: row.id };
    });
    expect(await inTx((tx) => waitingSince(tx, clientId))).toBeNull();
    await inTx((tx) => addToWaitingList(tx, { id: unique('w'), clientId, intakeId, addedAt: '2026-01-05T09:00:00.000Z' }));
    expect(await inTx((tx) => waitingSince(tx, clientId))).toBe('2026-01-05T09:00:00.000Z');
    await inTx((tx) => removeFromWaitingList(tx, clientId, '2026-01-09T09:00:00.000Z', 'booked'));
    expect(await inTx((tx) => waitingSince(tx, clientId))).toBeNull();
    const rows = await inTx((tx) =>
      tx
        .selectFrom('waiting_list')
        .select(['intake_id', 'added_at', 'removed_at', 'removed_reason'])
        .where('client_id', '=', clientId)
        .orderBy('added_at')
        .execute(),
    );
    expect(rows).toEqual([
      { intake_id: null, added_at: '2025-12-01T09:00:00.000Z', removed_at: '2025-12-02T09:00:00.000Z', removed_reason: 'Tidigare' },
      { intake_id: intakeId, added_at: '2026-01-05T09:00:00.000Z', removed_at: '2026-01-09T09:00:00.000Z', removed_reason: 'booked' },
    ]);
    // Closing when nothing is open changes nothing.
    await inTx((tx) => removeFromWaitingList(tx, clientId, '2026-02-01T09:00:00.000Z', 'again'));
    expect(
      await inTx((tx) => tx.selectFrom('waiting_list').select('removed_reason').where('client_id', '=', clientId).orderBy('added_at').execute()),
    ).toEqual([{ removed_reason: 'Tidigare' }, { removed_reason: 'booked' }]);
  });

  it('openWaitingList lists the open entries of the tracks given, most urgent first, then who called first', async () => {
    const ids = await inTx(async (tx) => {
      const wait = async (track: Track, name: string, firstContactAt: string | null, urgency: IntakeRow['urgency'] | null, removed = false) => {
        const clientId = await addClient(tx, track, name, firstContactAt);
        let intakeId: string | null = null;
        if (urgency) {
          const row = intake(clientId, { urgency });
          await insertIntake(tx, row);
          intakeId = row.id;
        }
        await addToWaitingList(tx, { id: unique('w'), clientId, intakeId, addedAt: '2026-03-01T10:00:00.000Z' });
        if (removed) await removeFromWaitingList(tx, clientId, '2026-03-01T11:00:00.000Z', 'booked');
        return clientId;
      };
      return {
        lateAcute: await wait('victim', 'Sen Akut', '2026-02-20T09:00:00.000Z', 'acute'),
        earlyNormal: await wait('child', 'Tidig Normal', '2026-01-01T09:00:00.000Z', 'normal'),
        // Without an intake the urgency is normal; without a first contact, the registration counts.
        noIntake: await wait('victim', 'Utan Intag', null, null),
        high: await wait('victim', 'Hög', '2026-02-25T09:00:00.000Z', 'high'),
        earlyAcute: await wait('victim', 'Tidig Akut', '2026-02-01T09:00:00.000Z', 'acute'),
        removed: await wait('victim', 'Borttagen', '2025-01-01T09:00:00.000Z', 'acute', true),
        perpetrator: await wait('perpetrator', 'Bo Fiktiv', '2026-01-01T09:00:00.000Z', 'acute'),
      };
    });
    const victims = await inTx((tx) => openWaitingList(tx, ['victim', 'child']));
    expect(victims.map((row) => row.clientId)).toEqual([ids.earlyAcute, ids.lateAcute, ids.high, ids.earlyNormal, ids.noIntake]);
    expect(victims.find((row) => row.clientId === ids.noIntake)).toEqual({
      clientId: ids.noIntake,
      name: 'Utan Intag',
      track: 'victim',
      urgency: 'normal',
      firstContactAt: AT,
      addedAt: '2026-03-01T10:00:00.000Z',
      // No first call behind this entry: nothing of one to show on the waiting list.
      intakeId: null,
      reason: null,
      safeTimes: null,
      instructions: null,
      protectedIdentity: false,
    });
    expect((await inTx((tx) => openWaitingList(tx, ['perpetrator']))).map((row) => row.clientId)).toEqual([ids.perpetrator]);
  });
}

describe('sqlite', () => {
  contract(sqliteJournal(tempDir));
});

describe('postgres, as reception', () => {
  contract(postgresJournals('utvag_repo_intakes'));
});
