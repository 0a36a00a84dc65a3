/**
 * The Etapp 2 repository's contract (db/etapp2/): the intakes routed to a municipality's social
 * secretary, one track's list at a time, and the coordinator's follow-up. The same body runs on the
 * encrypted SQLite journal and on PostgreSQL as the desk's own role, on the victims' side.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertClient, type Track } from '../../../db/clients/index.js';
import type { Store, Tx } from '../../../db/engine/store.js';
import { routedIntake, routedIntakes, setFollowUpStatus } from '../../../db/etapp2/index.js';
import { insertIntake } from '../../../db/intakes/index.js';
import { useTempDirs } from '../../helpers/tempDir.js';
import { AT, DESK, DESK_ACTOR, postgresJournals, seedBasics, sqliteJournal, unique, type OpenJournal } from './clientsJournal.js';
import { counted, type ActingStore } from './engines.js';

const tempDir = useTempDirs();

async function routed(
  tx: Tx,
  track: Track,
  name: string,
  municipalityCode: string,
  receivedAt: string,
  routing: 'etapp2_social_secretary' | 'utvag_coordinator' = 'etapp2_social_secretary',
) {
  const clientId = unique(track);
  await insertClient(tx, {
    id: clientId,
    track,
    name,
    isAlias: false,
    personalNumber: null,
    birthYear: track === 'child' ? 2019 : 1985,
    protectedIdentity: false,
    municipalityCode,
    createdAt: AT,
    createdBy: DESK,
    firstContactAt: receivedAt,
  });
  const intakeId = unique('intake');
  await insertIntake(tx, {
    id: intakeId,
    clientId,
    receivedAt,
    receivedBy: DESK,
    contactBy: 'outreach',
    referralSource: 'police',
    referralNote: null,
    referrerContactId: null,
    urgency: 'normal',
    reason: null,
    outcome: 'waiting_list',
    referredTo: null,
    routing,
    routingReason: track === 'child' ? 'routing.reason.etapp2Children' : 'routing.reason.etapp2',
  });
  return { clientId, intakeId };
}

function contract(open: OpenJournal): void {
  let store: ActingStore;
  let seed: Store;
  let close: () => Promise<void>;
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => store.transaction(work);

  beforeEach(async () => {
    let journal: Store;
    ({ store: journal, seed, close } = await open());
    // The coordinator's list is the victims' side's: the transaction sees that side only (PostgreSQL).
    const desk = journal;
    store = {
      get statements() {
        return desk.statements;
      },
      transaction: (work, options = {}) => desk.transaction(work, { ...options, actor: DESK_ACTOR, side: 'victims' }),
    };
    await seed.transaction(seedBasics);
  });
  afterEach(async () => {
    await close();
  });

  it("lists one track's routed intakes from an instant on, by municipality and date, with their follow-up, in one statement", async () => {
    const ids = await inTx(async (tx) => ({
      woman: await routed(tx, 'victim', 'Dagny Exempelsson', '1494', '2031-02-03T09:00:00.000Z'),
      earlier: await routed(tx, 'victim', 'Elsa Påhittad', '1494', '2030-12-30T09:00:00.000Z'),
      child: await routed(tx, 'child', 'Hugo Påhittadsson', '1471', '2031-02-04T09:00:00.000Z'),
      otherChild: await routed(tx, 'child', 'Ida Låtsasdotter', '1496', '2031-02-01T09:00:00.000Z'),
      coordinator: await routed(tx, 'child', 'Kim Fiktiv', '1473', '2031-02-05T09:00:00.000Z', 'utvag_coordinator'),
    }));
    const [children, statements] = await counted(store, (tx) => routedIntakes(tx, { from: '2031-01-01T00:00:00.000Z', track: 'child' }));
    expect(statements).toBe(1);
    // Götene before Skövde; the intake Utväg's own coordinator follows is on no list.
    expect(children).toEqual([
      {
        intakeId: ids.child.intakeId,
        clientId: ids.child.clientId,
        name: 'Hugo Påhittadsson',
        track: 'child',
        receivedAt: '2031-02-04T09:00:00.000Z',
        municipalityCode: '1471',
        municipalityName: 'Götene',
        status: null,
        updatedAt: null,
      },
      expect.objectContaining({ intakeId: ids.otherChild.intakeId, municipalityName: 'Skövde', track: 'child' }),
    ]);
    // The women's list holds the women's only, from the instant on.
    const women = await inTx((tx) => routedIntakes(tx, { from: '2031-01-01T00:00:00.000Z', track: 'victim' }));
    expect(women.map((row) => row.intakeId)).toEqual([ids.woman.intakeId]);
    expect((await inTx((tx) => routedIntakes(tx, { from: '2030-01-01T00:00:00.000Z', track: 'victim' }))).map((row) => row.intakeId)).toEqual([
      ids.earlier.intakeId,
      ids.woman.intakeId,
    ]);

    // The follow-up, set and replaced in the desk's own name; one intake read back by its id.
    await inTx((tx) =>
      setFollowUpStatus(tx, { intakeId: ids.child.intakeId, status: 'contacted', updatedAt: '2031-02-10T10:00:00.000Z', updatedBy: DESK }),
    );
    await inTx((tx) =>
      setFollowUpStatus(tx, { intakeId: ids.child.intakeId, status: 'joined', updatedAt: '2031-03-10T10:00:00.000Z', updatedBy: DESK }),
    );
    expect(await inTx((tx) => routedIntakes(tx, { intakeId: ids.child.intakeId }))).toEqual([
      expect.objectContaining({ status: 'joined', updatedAt: '2031-03-10T10:00:00.000Z' }),
    ]);
    expect(await inTx((tx) => routedIntake(tx, ids.coordinator.intakeId))).toEqual({
      clientId: ids.coordinator.clientId,
      track: 'child',
      routing: 'utvag_coordinator',
    });
    expect(await inTx((tx) => routedIntake(tx, 'no-such-intake'))).toBeNull();
  });
}

describe('sqlite', () => {
  contract(sqliteJournal(tempDir));
});

describe('postgres, as the desk on the victims side', () => {
  contract(postgresJournals('utvag_repo_etapp2'));
});
