/**
 * The clients repository's contract (#13): what each function returns and writes, on a real
 * encrypted journal. Written against the Store only, so the same body can run on PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  clientsByPersonalNumber,
  countClients,
  findClient,
  findClientRecord,
  findClientsExactly,
  findContact,
  insertClient,
  insertContact,
  insertLink,
  insertLinks,
  linkedAcrossSides,
  linksOf,
  perpetratorsSideReuseOf,
  searchClients,
  searchKey,
  setProtectedIdentity,
  tracksOfClients,
  tracksOfSide,
  upsertContact,
  type ContactRow,
  type NewClient,
  type Track,
} from '../../../db/clients/index.js';
import type { Actor, Store, Tx } from '../../../db/engine/store.js';
import { useTempDirs } from '../../helpers/tempDir.js';
import {
  addTherapist,
  ADMIN_ACTOR,
  AT,
  DESK,
  DESK_ACTOR,
  postgresJournals,
  seedBasics,
  SITE,
  sqliteJournal,
  unique,
  type OpenJournal,
} from './clientsJournal.js';
import { actingAs, counted, type ActingStore } from './engines.js';

const tempDir = useTempDirs();

const NO_CONTACT: ContactRow = {
  phone: null,
  safeToCall: false,
  safeToText: false,
  safeVoicemail: false,
  safeTimes: null,
  codeWord: null,
  instructions: null,
  address: null,
};

function newClient(track: Track, name: string, extra: Partial<NewClient> = {}): NewClient {
  return {
    id: unique(track),
    track,
    name,
    isAlias: false,
    personalNumber: null,
    birthYear: 1985,
    protectedIdentity: false,
    createdAt: AT,
    createdBy: DESK,
    ...extra,
  };
}

async function add(tx: Tx, track: Track, name: string, extra: Partial<NewClient> = {}): Promise<string> {
  const client = newClient(track, name, extra);
  await insertClient(tx, client);
  return client.id;
}

async function careRelation(tx: Tx, clientId: string, therapistId: string, endedAt: string | null = null): Promise<void> {
  await tx
    .insertInto('care_relations')
    .values({ id: unique('care'), client_id: clientId, therapist_id: therapistId, started_at: AT, ended_at: endedAt, created_by: DESK })
    .execute();
}

const ids = (rows: { id: string }[]) => rows.map((row) => row.id).sort();

function contract(open: OpenJournal): void {
  /** Reception's calls: registering, searching, linking. */
  let store: ActingStore;
  let journal: Store;
  let seed: Store;
  let close: () => Promise<void>;
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => store.transaction(work);
  const as = (actor: Actor) => actingAs(journal, actor);

  beforeEach(async () => {
    ({ store: journal, seed, close } = await open());
    store = as(DESK_ACTOR);
    await seed.transaction(seedBasics);
  });
  afterEach(async () => {
    await close();
  });

  it('insertClient stores every field, with the defaults and the search key; findClient reads them back', async () => {
    const full = newClient('victim', '  Åsa   Påhittsdotter ', {
      isAlias: true,
      personalNumber: '19850412-1234',
      protectedIdentity: true,
      gender: 'female',
      language: 'arabiska',
      interpreterNeeded: true,
      siteId: SITE,
      childrenUnder18: 2,
      firstContactAt: '2026-03-01T10:00:00.000Z',
    });
    const bare = newClient('perpetrator', 'Bo Exempelsson', { birthYear: null });
    await inTx(async (tx) => {
      await insertClient(tx, full);
      await insertClient(tx, bare);
    });
    const [readFull, readBare, unknown, searchName] = await inTx(async (tx) => [
      await findClient(tx, full.id),
      await findClient(tx, bare.id),
      await findClient(tx, unique('nobody')),
      (await tx.selectFrom('clients').select('search_name').where('id', '=', full.id).executeTakeFirstOrThrow()).search_name,
    ]);
    expect(readFull).toEqual({
      id: full.id,
      track: 'victim',
      name: '  Åsa   Påhittsdotter ',
      isAlias: true,
      personalNumber: '19850412-1234',
      birthYear: 1985,
      protectedIdentity: true,
      gender: 'female',
      municipalityCode: null,
      language: 'arabiska',
      interpreterNeeded: true,
      siteId: SITE,
      childrenUnder18: 2,
      firstContactAt: '2026-03-01T10:00:00.000Z',
      createdAt: AT,
    });
    expect(readBare).toMatchObject({
      isAlias: false,
      protectedIdentity: false,
      interpreterNeeded: false,
      gender: 'unknown',
      birthYear: null,
      siteId: null,
      language: null,
      childrenUnder18: 0,
      // The first contact is the registration unless told otherwise.
      firstContactAt: AT,
    });
    expect(unknown).toBeNull();
    expect(searchName).toBe('åsa påhittsdotter');
  });

  it('searchKey folds case and spaces and keeps accents; tracksOfSide names each side’s tracks', () => {
    expect(searchKey('  ÅSA\t Påhitts-Dotter ')).toBe('åsa påhitts-dotter');
    expect(searchKey('Ärla')).not.toBe(searchKey('Arla'));
    expect(tracksOfSide('victims')).toEqual(['victim', 'child']);
    expect(tracksOfSide('perpetrators')).toEqual(['perpetrator']);
  });

  it('tracksOfClients gives the track of each client that exists, and nothing for an empty list', async () => {
    const [victim, perpetrator] = await inTx(async (tx) => [await add(tx, 'victim', 'Anna Fiktiv'), await add(tx, 'perpetrator', 'Bo Fiktiv')]);
    const tracks = await inTx((tx) => tracksOfClients(tx, [victim, perpetrator, victim, 'nobody']));
    expect([...tracks.entries()].sort()).toEqual(
      [
        [victim, 'victim'],
        [perpetrator, 'perpetrator'],
      ].sort(),
    );
    const [none, statements] = await counted(store, (tx) => tracksOfClients(tx, []));
    expect(none.size).toBe(0);
    expect(statements).toBe(0);
  });

  it('findClientRecord reads the client with contact, open waiting-list entry and the later reuse of the number, in one statement', async () => {
    const number = '19800101-1234';
    const { victim, plain } = await inTx(async (tx) => {
      const victim = await add(tx, 'victim', 'Vera Fiktiv', { personalNumber: number, createdAt: '2026-01-10T09:00:00.000Z' });
      const plain = await add(tx, 'child', 'Ville Fiktiv');
      // An earlier perpetrators'-side registration with the number does not count; the later ones do, the earliest told.
      await add(tx, 'perpetrator', 'Per Före', { personalNumber: number, createdAt: '2026-01-01T09:00:00.000Z' });
      await add(tx, 'perpetrator', 'Per Efter', { personalNumber: number, createdAt: '2026-02-20T09:00:00.000Z' });
      await add(tx, 'perpetrator', 'Per Senare', { personalNumber: number, createdAt: '2026-02-25T09:00:00.000Z' });
      await upsertContact(tx, victim, { ...NO_CONTACT, phone: '070-174 06 21', safeToText: true, address: 'Låtsasgatan 2' });
      await tx
        .insertInto('waiting_list')
        .values([
          { id: unique('w'), client_id: victim, intake_id: null, added_at: '2026-01-11T09:00:00.000Z', removed_at: '2026-01-12T09:00:00.000Z' },
          { id: unique('w'), client_id: victim, intake_id: null, added_at: '2026-02-01T09:00:00.000Z' },
        ])
        .execute();
      return { victim, plain };
    });
    const [record, statements] = await counted(store, (tx) => findClientRecord(tx, victim));
    expect(statements).toBe(1);
    expect(record).toMatchObject({
      id: victim,
      track: 'victim',
      personalNumber: number,
      contact: { ...NO_CONTACT, phone: '070-174 06 21', safeToText: true, address: 'Låtsasgatan 2' },
      waitingSince: '2026-02-01T09:00:00.000Z',
      perpetratorsSideReuseAt: '2026-02-20T09:00:00.000Z',
    });
    expect(await inTx((tx) => findClientRecord(tx, plain))).toMatchObject({
      id: plain,
      contact: null,
      waitingSince: null,
      perpetratorsSideReuseAt: null,
    });
    expect(await inTx((tx) => findClientRecord(tx, 'nobody'))).toBeNull();
  });

  it('perpetratorsSideReuseOf tells a victims’-side client of a later perpetrators’-side use of her number, and nobody else anything', async () => {
    const number = '19790202-2345';
    const { victim, perpetrator, otherVictim } = await inTx(async (tx) => ({
      victim: await add(tx, 'victim', 'Vera Fiktiv', { personalNumber: number, createdAt: '2026-01-10T09:00:00.000Z' }),
      perpetrator: await add(tx, 'perpetrator', 'Per Fiktiv', { personalNumber: number, createdAt: '2026-02-01T09:00:00.000Z' }),
      // A later victims'-side registration with the same number is not the perpetrators' side.
      otherVictim: await add(tx, 'child', 'Vilma Fiktiv', { personalNumber: number, createdAt: '2026-03-01T09:00:00.000Z' }),
    }));
    expect(await inTx((tx) => perpetratorsSideReuseOf(tx, victim))).toBe('2026-02-01T09:00:00.000Z');
    expect(await inTx((tx) => perpetratorsSideReuseOf(tx, perpetrator))).toBeNull();
    expect(await inTx((tx) => perpetratorsSideReuseOf(tx, otherVictim))).toBeNull();
    expect(await inTx((tx) => perpetratorsSideReuseOf(tx, 'nobody'))).toBeNull();
  });

  it('searchClients matches a name or a word of it by prefix, the identity number’s last digits and the phone’s digits, on one side only', async () => {
    const c = await inTx(async (tx) => {
      const anna = await add(tx, 'victim', 'Anna Påhittsdotter', { personalNumber: '19850412-1234' });
      const child = await add(tx, 'child', 'Lilla Anna Fiktiv');
      const perpetrator = await add(tx, 'perpetrator', 'Anna-Bo Fiktivsson', { personalNumber: '19700101-4321' });
      const other = await add(tx, 'victim', 'Berit Exempelsson');
      await upsertContact(tx, other, { ...NO_CONTACT, phone: '070-174 06 33', codeWord: 'Lind' });
      return { anna, child, perpetrator, other };
    });
    const search = (side: 'victims' | 'perpetrators', text: string, digits: string | null = null) =>
      inTx((tx) => searchClients(tx, side, { text, digits }, { seesAllProtected: false, therapistId: '' }));
    // A prefix of the name, or of any word of it; never the middle of a word; never the other side.
    expect(ids(await search('victims', 'ann'))).toEqual([c.anna, c.child].sort());
    expect((await search('victims', 'ANNA   PÅ')).map((row) => row.id)).toEqual([c.anna]);
    expect(ids(await search('perpetrators', 'anna'))).toEqual([c.perpetrator]);
    expect(await search('victims', 'nsson')).toEqual([]);
    // LIKE's wildcards in a query are plain characters.
    expect(await search('victims', '%')).toEqual([]);
    expect(await search('victims', 'a_na')).toEqual([]);
    // Digits: the end of an identity number, any part of a phone number.
    expect(ids(await search('victims', '1234', '1234'))).toEqual([c.anna]);
    expect(ids(await search('victims', '198504121234', '198504121234'))).toEqual([c.anna]);
    expect(await search('victims', '4321', '4321')).toEqual([]);
    const byPhone = await search('victims', '1740633', '1740633');
    expect(byPhone).toEqual([
      expect.objectContaining({ id: c.other, name: 'Berit Exempelsson', contact: { ...NO_CONTACT, phone: '070-174 06 33', codeWord: 'Lind' } }),
    ]);
    // Without digits a number is just text, matching no name.
    expect(await search('victims', '1740633')).toEqual([]);
  });

  it('searchClients in a transaction of one side: a short query, and digits matching a name, a number and phones at once, each client once with its contact', async () => {
    const c = await inTx(async (tx) => {
      const ids: Record<string, string> = {};
      // The same digits in a name, at the end of an identity number and inside phones, on both sides.
      ids.named = await add(tx, 'victim', 'Alias 5566 Fiktiv', { isAlias: true });
      ids.numbered = await add(tx, 'victim', 'Ebba Påhittsdotter', { personalNumber: '19850412-5566' });
      ids.phoned = await add(tx, 'child', 'Ebbe Fiktiv');
      ids.both = await add(tx, 'victim', 'Ester Exempel', { personalNumber: '19900101-5566' });
      ids.elsewhere = await add(tx, 'perpetrator', 'Eb Fiktivsson', { personalNumber: '19700101-5566' });
      ids.none = await add(tx, 'victim', 'Eda Påhittad');
      await upsertContact(tx, ids.phoned, { ...NO_CONTACT, phone: '070-155 66 01', codeWord: 'Ek' });
      await upsertContact(tx, ids.both, { ...NO_CONTACT, phone: '+46 70 556 60 02' });
      await upsertContact(tx, ids.elsewhere, { ...NO_CONTACT, phone: '070-155 66 03' });
      await upsertContact(tx, ids.none, { ...NO_CONTACT, phone: '070-100 00 04' });
      return ids as Record<'named' | 'numbered' | 'phoned' | 'both' | 'elsewhere' | 'none', string>;
    });
    const search = (side: 'victims' | 'perpetrators', text: string, digits: string | null = null) =>
      store.transaction((tx) => searchClients(tx, side, { text, digits }, { seesAllProtected: false, therapistId: '' }), { side });
    // Two letters: a prefix of the name or of a word of it, in the order of the search key.
    expect((await search('victims', 'eb')).map((row) => row.name)).toEqual(['Ebba Påhittsdotter', 'Ebbe Fiktiv']);
    expect((await search('perpetrators', 'eb')).map((row) => row.id)).toEqual([c.elsewhere]);
    // Digits: a word of the name, the end of an identity number, inside a phone number; never the other side's.
    const found = await search('victims', '5566', '5566');
    expect(found.map((row) => row.name)).toEqual(['Alias 5566 Fiktiv', 'Ebba Påhittsdotter', 'Ebbe Fiktiv', 'Ester Exempel']);
    expect(found.find((row) => row.id === c.phoned)?.contact).toEqual({ ...NO_CONTACT, phone: '070-155 66 01', codeWord: 'Ek' });
    expect(found.find((row) => row.id === c.both)?.contact).toEqual({ ...NO_CONTACT, phone: '+46 70 556 60 02' });
    expect(found.find((row) => row.id === c.named)?.contact).toBeNull();
    expect(ids(await search('perpetrators', '5566', '5566'))).toEqual([c.elsewhere]);
    // A phone's digits anywhere in it, the identity number's only at its end.
    expect(ids(await search('victims', '1556', '1556'))).toEqual([c.phoned]);
    expect(await search('victims', '19850412', '19850412')).toEqual([]);
    expect(ids(await search('victims', '0004', '0004'))).toEqual([c.none]);
  });

  it('searchClients orders by the search key, stops at its limit, and answers with the contact of each row in the same statement', async () => {
    await inTx(async (tx) => {
      for (const name of ['Cilla Fiktiv', 'Ada Fiktiv', 'Bea Fiktiv', 'Dora Fiktiv']) {
        const id = await add(tx, 'victim', name);
        await upsertContact(tx, id, { ...NO_CONTACT, phone: `070-174 06 ${name.length}0` });
      }
    });
    const [found, statements] = await counted(store, (tx) =>
      searchClients(tx, 'victims', { text: 'fiktiv', digits: null }, { seesAllProtected: false, therapistId: '' }, 3),
    );
    expect(statements).toBe(1);
    expect(found.map((row) => row.name)).toEqual(['Ada Fiktiv', 'Bea Fiktiv', 'Cilla Fiktiv']);
    expect(found.every((row) => row.contact?.phone?.startsWith('070-174 06'))).toBe(true);
  });

  it('searchClients matches a protected client’s phone only for admins and her own active therapist serving her track', async () => {
    const hidden = await inTx((tx) => add(tx, 'victim', 'Skyddad Fiktiv', { protectedIdentity: true }));
    // A protected client's details are kept by admins (reception may write them but not read them back, as an upsert must).
    await as(ADMIN_ACTOR).transaction((tx) => upsertContact(tx, hidden, { ...NO_CONTACT, phone: '070-174 06 44' }));
    const w = await seed.transaction(async (tx) => {
      const own = await addTherapist(tx, ['victim']);
      const ended = await addTherapist(tx, ['victim']);
      const inactive = await addTherapist(tx, ['victim'], 0);
      const otherTrack = await addTherapist(tx, ['child']);
      const stranger = await addTherapist(tx, ['victim']);
      await careRelation(tx, hidden, own);
      await careRelation(tx, hidden, ended, '2026-03-01T00:00:00.000Z');
      await careRelation(tx, hidden, inactive);
      await careRelation(tx, hidden, otherTrack);
      return { hidden, own, ended, inactive, otherTrack, stranger };
    });
    // Each viewer searches as herself: admins see every protected client, a therapist as herself, else reception.
    const byPhone = (viewer: { seesAllProtected: boolean; therapistId: string }) =>
      as(viewer.seesAllProtected ? ADMIN_ACTOR : viewer.therapistId ? { userId: viewer.therapistId, role: 'therapist' } : DESK_ACTOR).transaction(
        async (tx) => ids(await searchClients(tx, 'victims', { text: '0644', digits: '0644' }, viewer)),
      );
    expect(await byPhone({ seesAllProtected: true, therapistId: '' })).toEqual([w.hidden]);
    expect(await byPhone({ seesAllProtected: false, therapistId: w.own })).toEqual([w.hidden]);
    for (const therapistId of ['', w.ended, w.inactive, w.otherTrack, w.stranger]) {
      expect(await byPhone({ seesAllProtected: false, therapistId }), therapistId).toEqual([]);
    }
    // Her name still finds her for anyone: only the number is held back.
    expect(
      await inTx(async (tx) =>
        ids(await searchClients(tx, 'victims', { text: 'skyddad', digits: null }, { seesAllProtected: false, therapistId: '' })),
      ),
    ).toEqual([w.hidden]);
  });

  it('findClientsExactly finds an exact name (case and spaces folded) or an exact identity number, on either side', async () => {
    const c = await inTx(async (tx) => ({
      anna: await add(tx, 'victim', 'Anna Påhittsdotter'),
      annika: await add(tx, 'victim', 'Anna Påhittsdotterson'),
      bo: await add(tx, 'perpetrator', 'Bo Exempelsson', { personalNumber: '19700101-4321' }),
    }));
    const find = (name: string, personalNumber: string | null = null, limit?: number) =>
      inTx(async (tx) => ids(await findClientsExactly(tx, { name, personalNumber }, limit)));
    expect(await find(' anna  PÅHITTSDOTTER')).toEqual([c.anna]);
    expect(await find('Anna')).toEqual([]);
    expect(await find('19700101-4321', '19700101-4321')).toEqual([c.bo]);
    expect(await find('Anna Påhittsdotter', '19700101-4321')).toEqual([c.anna, c.bo].sort());
    expect(await find('19700101-4321')).toEqual([]);
    expect(await find('Anna Påhittsdotter', '19700101-4321', 1)).toHaveLength(1);
  });

  it('upsertContact writes and then replaces the contact, with the phone’s digits for search; findContact reads it', async () => {
    const id = await inTx((tx) => add(tx, 'victim', 'Anna Fiktiv'));
    expect(await inTx((tx) => findContact(tx, id))).toBeNull();
    const first: ContactRow = {
      phone: '070-174 06 55',
      safeToCall: true,
      safeToText: false,
      safeVoicemail: true,
      safeTimes: 'Förmiddag',
      codeWord: 'Vitsippa',
      instructions: 'Säg att det gäller tandvården',
      address: 'Låtsasvägen 3',
    };
    await inTx((tx) => upsertContact(tx, id, first));
    expect(await inTx((tx) => findContact(tx, id))).toEqual(first);
    const second: ContactRow = { ...NO_CONTACT, safeToText: true };
    await inTx((tx) => upsertContact(tx, id, second));
    const [read, raw] = await inTx(async (tx) => [
      await findContact(tx, id),
      await tx.selectFrom('client_contacts').select(['phone_digits']).where('client_id', '=', id).execute(),
    ]);
    expect(read).toEqual(second);
    expect(raw).toEqual([{ phone_digits: null }]);
    await inTx((tx) => upsertContact(tx, id, first));
    expect(await inTx((tx) => tx.selectFrom('client_contacts').select('phone_digits').where('client_id', '=', id).execute())).toEqual([
      { phone_digits: '0701740655' },
    ]);
  });

  it('insertContact writes a new client’s details in a plain insert, a protected client’s too, and refuses a second', async () => {
    const details: ContactRow = { ...NO_CONTACT, phone: '070-174 06 77', safeToText: true, codeWord: 'Blåklint', address: 'Låtsasgränd 7' };
    // The intake: reception registers a protected client with her details in one call.
    const id = await inTx(async (tx) => {
      const id = await add(tx, 'victim', 'Skyddad Fiktiv', { protectedIdentity: true });
      await insertContact(tx, id, details);
      return id;
    });
    const admin = as(ADMIN_ACTOR);
    expect(await admin.transaction((tx) => findContact(tx, id))).toEqual(details);
    expect(await admin.transaction((tx) => tx.selectFrom('client_contacts').select('phone_digits').where('client_id', '=', id).execute())).toEqual([
      { phone_digits: '0701740677' },
    ]);
    await expect(admin.transaction((tx) => insertContact(tx, id, NO_CONTACT))).rejects.toThrow();
    expect(await admin.transaction((tx) => findContact(tx, id))).toEqual(details);
  });

  it('setProtectedIdentity switches the protection on and off', async () => {
    const id = await inTx((tx) => add(tx, 'victim', 'Anna Fiktiv'));
    // Anyone who learns of it switches it on (clients.updateContact, reception too); only an admin lifts it.
    await inTx((tx) => setProtectedIdentity(tx, id, true));
    expect((await inTx((tx) => findClient(tx, id)))?.protectedIdentity).toBe(true);
    await as(ADMIN_ACTOR).transaction((tx) => setProtectedIdentity(tx, id, false));
    expect((await inTx((tx) => findClient(tx, id)))?.protectedIdentity).toBe(false);
  });

  it('insertLink stores a pair once, the smaller id first; a second link of the pair changes its kind; linksOf reads it from both ends', async () => {
    const c = await inTx(async (tx) => ({
      anna: await add(tx, 'victim', 'Anna Fiktiv'),
      bo: await add(tx, 'perpetrator', 'Bo Fiktiv'),
      child: await add(tx, 'child', 'Ada Fiktiv'),
    }));
    const first = unique('link');
    await inTx(async (tx) => {
      await insertLink(tx, { id: first, clientA: c.bo, clientB: c.anna, kind: 'partner', createdAt: AT, createdBy: DESK });
      await insertLink(tx, { id: unique('link'), clientA: c.anna, clientB: c.bo, kind: 'former_partner', createdAt: AT, createdBy: DESK });
      await insertLink(tx, { id: unique('link'), clientA: c.child, clientB: c.anna, kind: 'parent_child', createdAt: AT, createdBy: DESK });
    });
    const rows = await inTx((tx) =>
      tx.selectFrom('client_links').select(['id', 'client_a', 'client_b', 'kind']).where('kind', '<>', 'parent_child').execute(),
    );
    expect(rows).toEqual([{ id: first, client_a: [c.anna, c.bo].sort()[0], client_b: [c.anna, c.bo].sort()[1], kind: 'former_partner' }]);
    const ofAnna = await inTx((tx) => linksOf(tx, c.anna));
    expect(ofAnna.sort((x, y) => x.otherName.localeCompare(y.otherName))).toEqual([
      { id: expect.any(String), otherClientId: c.child, kind: 'parent_child', otherTrack: 'child', otherName: 'Ada Fiktiv' },
      { id: first, otherClientId: c.bo, kind: 'former_partner', otherTrack: 'perpetrator', otherName: 'Bo Fiktiv' },
    ]);
    expect(await inTx((tx) => linksOf(tx, c.bo))).toEqual([
      { id: first, otherClientId: c.anna, kind: 'former_partner', otherTrack: 'victim', otherName: 'Anna Fiktiv' },
    ]);
  });

  it('insertLinks writes many links in one statement, a pair named twice once with the kind named last, and nothing for none', async () => {
    const c = await inTx(async (tx) => ({
      anna: await add(tx, 'victim', 'Anna Fiktiv'),
      bo: await add(tx, 'perpetrator', 'Bo Fiktiv'),
      bert: await add(tx, 'perpetrator', 'Bert Fiktiv'),
    }));
    const link = (other: string, kind: 'partner' | 'former_partner' | 'other') => ({
      id: unique('link'),
      clientA: c.anna,
      clientB: other,
      kind,
      createdAt: AT,
      createdBy: DESK,
    });
    expect((await counted(store, (tx) => insertLinks(tx, [link(c.bo, 'partner'), link(c.bert, 'other'), link(c.bo, 'former_partner')])))[1]).toBe(1);
    const kinds = Object.fromEntries((await inTx((tx) => linksOf(tx, c.anna))).map((row) => [row.otherClientId, row.kind]));
    expect(kinds).toEqual({ [c.bo]: 'former_partner', [c.bert]: 'other' });
    expect((await counted(store, (tx) => insertLinks(tx, [])))[1]).toBe(0);
  });

  it('linkedAcrossSides names the linked people of the other side and the other side’s clients with the same identity number', async () => {
    const number = '19850412-1234';
    const c = await inTx(async (tx) => {
      const anna = await add(tx, 'victim', 'Anna Fiktiv', { personalNumber: number });
      const child = await add(tx, 'child', 'Ada Fiktiv');
      const bo = await add(tx, 'perpetrator', 'Bo Fiktiv');
      const sameNumber = await add(tx, 'perpetrator', 'Per Fiktiv', { personalNumber: number });
      const sameSideNumber = await add(tx, 'child', 'Ulla Fiktiv', { personalNumber: number });
      await add(tx, 'perpetrator', 'Bert Fiktiv');
      await insertLinks(tx, [
        { id: unique('link'), clientA: anna, clientB: bo, kind: 'partner', createdAt: AT, createdBy: DESK },
        { id: unique('link'), clientA: anna, clientB: child, kind: 'parent_child', createdAt: AT, createdBy: DESK },
        { id: unique('link'), clientA: bo, clientB: child, kind: 'parent_child', createdAt: AT, createdBy: DESK },
      ]);
      return { anna, child, bo, sameNumber, sameSideNumber };
    });
    expect((await inTx((tx) => linkedAcrossSides(tx, c.anna, 'victim'))).sort()).toEqual([c.bo, c.sameNumber].sort());
    expect((await inTx((tx) => linkedAcrossSides(tx, c.bo, 'perpetrator'))).sort()).toEqual([c.anna, c.child].sort());
    expect(await inTx((tx) => linkedAcrossSides(tx, c.sameNumber, 'perpetrator'))).toEqual([c.anna, c.sameSideNumber].sort());
    expect(await inTx((tx) => linkedAcrossSides(tx, c.child, 'child'))).toEqual([c.bo]);
  });

  it('countClients counts every client; clientsByPersonalNumber lists each client with the number, on both sides', async () => {
    const number = '19850412-1234';
    const c = await inTx(async (tx) => ({
      anna: await add(tx, 'victim', 'Anna Fiktiv', { personalNumber: number }),
      per: await add(tx, 'perpetrator', 'Per Fiktiv', { personalNumber: number, createdAt: '2026-03-03T08:00:00.000Z' }),
      other: await add(tx, 'victim', 'Berit Fiktiv', { personalNumber: '19900101-0000' }),
    }));
    expect(await inTx((tx) => countClients(tx))).toBe(3);
    const same = await inTx((tx) => clientsByPersonalNumber(tx, number));
    expect(same.sort((x, y) => x.id.localeCompare(y.id))).toEqual(
      [
        { id: c.anna, track: 'victim', createdAt: AT },
        { id: c.per, track: 'perpetrator', createdAt: '2026-03-03T08:00:00.000Z' },
      ].sort((x, y) => x.id.localeCompare(y.id)),
    );
    expect(await inTx((tx) => clientsByPersonalNumber(tx, '20000101-0000'))).toEqual([]);
  });
}

describe('sqlite', () => {
  contract(sqliteJournal(tempDir));
});

describe('postgres, as the role of each call', () => {
  contract(postgresJournals('utvag_repo_clients'));
});
