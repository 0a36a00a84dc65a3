import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor, Store, Tx } from '../../../db/engine/store.js';
import {
  findMunicipality,
  listMunicipalities,
  listPremises,
  listSites,
  listTherapists,
  saveTherapistProfile,
  setTrackRoute,
  siteAndTherapistRole,
  sitePremises,
  storedSeparationBuffer,
  tracksServedBy,
  upsertEntrance,
  upsertMunicipality,
  upsertRoom,
  upsertWaitingRoom,
} from '../../../db/org/index.js';
import { useTempDirs } from '../../helpers/tempDir.js';
import { postgresJournals, sqliteJournal, type OpenJournal } from './engines.js';

/**
 * The organisation's repository (db/org/) against a real journal with the premises the migrations
 * set up, written so that the same body can later run unchanged against PostgreSQL.
 */
const tempDir = useTempDirs();
const AT = '2031-03-01T08:00:00.000Z';
const WEEK = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 480, endMinute: 1020 }));

const ADMIN: Actor = { userId: 'u-org-admin', role: 'admin' };
const DESK: Actor = { userId: 'u-org-desk', role: 'receptionist' };

function contract(open: OpenJournal) {
  let store: Store;
  let seed: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, seed, close } = await open());
    await seed.transaction(async (tx) => {
      for (const actor of [ADMIN, DESK]) {
        await tx.insertInto('users').values({ id: actor.userId, username: actor.userId, display_name: actor.userId, created_at: AT }).execute();
        await tx.insertInto('user_roles').values({ user_id: actor.userId, role: actor.role }).execute();
      }
    });
  });
  afterEach(async () => close());
  /** Premises, municipalities and profiles are written by admins (and read by everyone). */
  const run = <T>(work: (tx: Tx) => Promise<T>, actor: Actor = ADMIN) => store.transaction(work, { actor });

  async function user(tx: Tx, id: string, displayName: string, roles: ('therapist' | 'receptionist')[], active: 0 | 1 = 1): Promise<void> {
    await tx.insertInto('users').values({ id, username: id, display_name: displayName, active, created_at: AT }).execute();
    for (const role of roles) await tx.insertInto('user_roles').values({ user_id: id, role }).execute();
  }

  it('reads the premises in one go, each list in its order, and writes each kind of place', async () => {
    await run(async (tx) => {
      await upsertEntrance(tx, { id: 'e-test', siteId: 'skaraborg', name: 'Bakdörren' });
      await upsertWaitingRoom(tx, { id: 'w-test', siteId: 'skaraborg', entranceId: 'e-test', name: 'Väntrum C', capacity: 2 });
      await upsertRoom(tx, { id: 'r-test', siteId: 'skaraborg', name: 'Samtalsrum 4', active: false, purpose: null });
      await setTrackRoute(tx, { siteId: 'skaraborg', track: 'child', entranceId: 'e-test', waitingRoomId: 'w-test' });
      const premises = await listPremises(tx);
      expect(premises.sites).toEqual([
        { id: 'skaraborg', name: 'Utväg Skaraborg' },
        { id: 'sodra-alvsborg', name: 'Utväg Södra Älvsborg' },
      ]);
      expect(premises.entrances.filter((entrance) => entrance.siteId === 'skaraborg').map((entrance) => entrance.name)).toEqual([
        'Bakdörren',
        'Huvudentrén',
        'Separat entré',
      ]);
      expect(premises.waitingRooms).toContainEqual({ id: 'w-test', siteId: 'skaraborg', entranceId: 'e-test', name: 'Väntrum C', capacity: 2 });
      expect(premises.rooms).toContainEqual({ id: 'r-test', siteId: 'skaraborg', name: 'Samtalsrum 4', active: false, purpose: 'individual' });
      expect(premises.rooms.map((room) => room.siteId)).toEqual([...premises.rooms.map((room) => room.siteId)].sort());
      expect(premises.trackRoutes.filter((route) => route.siteId === 'skaraborg')).toEqual([
        { siteId: 'skaraborg', track: 'child', entranceId: 'e-test', waitingRoomId: 'w-test' },
        { siteId: 'skaraborg', track: 'perpetrator', entranceId: 'skaraborg-separate', waitingRoomId: 'skaraborg-wr-perpetrators' },
        { siteId: 'skaraborg', track: 'victim', entranceId: 'skaraborg-main', waitingRoomId: 'skaraborg-wr-victims' },
      ]);

      // Saving again changes a place; a room saved without a purpose keeps its own.
      await upsertEntrance(tx, { id: 'e-test', siteId: 'skaraborg', name: 'Gårdsentrén' });
      await upsertWaitingRoom(tx, { id: 'w-test', siteId: 'skaraborg', entranceId: 'skaraborg-main', name: 'Väntrum D', capacity: 5 });
      await upsertRoom(tx, { id: 'r-test', siteId: 'skaraborg', name: 'Grupprum 2', active: true, purpose: 'group' });
      await upsertRoom(tx, { id: 'r-test', siteId: 'skaraborg', name: 'Grupprum 2', active: true, purpose: null });
      const again = await listPremises(tx);
      expect(again.entrances).toContainEqual({ id: 'e-test', siteId: 'skaraborg', name: 'Gårdsentrén' });
      expect(again.waitingRooms).toContainEqual({ id: 'w-test', siteId: 'skaraborg', entranceId: 'skaraborg-main', name: 'Väntrum D', capacity: 5 });
      expect(again.rooms).toContainEqual({ id: 'r-test', siteId: 'skaraborg', name: 'Grupprum 2', active: true, purpose: 'group' });
    });
  });

  it("reads a site's routes with capacities, its rooms and the stored buffer in one go", async () => {
    // Reception reads them when it books.
    await run(async (tx) => {
      const site = await sitePremises(tx, 'sodra-alvsborg');
      expect(site.trackRoutes).toContainEqual({
        siteId: 'sodra-alvsborg',
        track: 'victim',
        entranceId: 'sodra-alvsborg-main',
        waitingRoomId: 'sodra-alvsborg-wr-victims',
        capacity: 6,
      });
      expect(site.trackRoutes).toHaveLength(3);
      expect(site.rooms.map((room) => room.id)).toEqual(['sodra-alvsborg-g1', 'sodra-alvsborg-r1', 'sodra-alvsborg-r2']);
      expect(site.storedBuffer).toBeUndefined();
      expect(await storedSeparationBuffer(tx)).toBeUndefined();
    }, DESK);
    await seed.transaction((tx) =>
      tx.insertInto('settings').values({ key: 'separationBufferMinutes', value: '90', updated_at: AT, updated_by: null }).execute(),
    );
    await run(async (tx) => {
      expect((await sitePremises(tx, 'sodra-alvsborg')).storedBuffer).toBe(90);
      expect(await storedSeparationBuffer(tx)).toBe(90);
      expect(await sitePremises(tx, 'no-such-site')).toEqual({ trackRoutes: [], rooms: [], storedBuffer: 90 });
    }, DESK);
  });

  it('lists the sites in their order', async () => {
    expect(await run((tx) => listSites(tx), DESK)).toEqual([
      { id: 'skaraborg', name: 'Utväg Skaraborg' },
      { id: 'sodra-alvsborg', name: 'Utväg Södra Älvsborg' },
    ]);
  });

  it('reads and writes municipalities, "other" last, with their participation in each track\'s Etapp 2', async () => {
    await run(async (tx) => {
      await upsertMunicipality(tx, { code: '9999', name: 'Aaby', region: 'other', etapp2: false, etapp2Children: false });
      const all = await listMunicipalities(tx);
      expect(all[0]).toEqual({ code: '9999', name: 'Aaby', region: 'other', etapp2: false, etapp2Children: false });
      expect(all.at(-1)?.code).toBe('other');
      // The migrations' starting participation: the women's Etapp 2 and the children's (SPEC "Etapp 2 routing").
      expect(all.filter((one) => one.etapp2).map((one) => one.name)).toEqual(['Falköping', 'Lidköping', 'Mariestad', 'Skara', 'Vara']);
      expect(all.filter((one) => one.etapp2Children).map((one) => one.name)).toEqual(['Falköping', 'Götene', 'Skövde', 'Töreboda']);
      expect(await findMunicipality(tx, '1499')).toEqual({
        code: '1499',
        name: 'Falköping',
        region: 'skaraborg',
        etapp2: true,
        etapp2Children: true,
      });
      // Each track's participation is saved on its own: the women's left, the children's changed, and back.
      await upsertMunicipality(tx, { code: '1499', name: 'Falköping', region: 'skaraborg', etapp2: true, etapp2Children: false });
      expect(await findMunicipality(tx, '1499')).toMatchObject({ etapp2: true, etapp2Children: false });
      await upsertMunicipality(tx, { code: '1499', name: 'Falköping', region: 'skaraborg', etapp2: false, etapp2Children: true });
      expect(await findMunicipality(tx, '1499')).toMatchObject({ etapp2: false, etapp2Children: true });
      await upsertMunicipality(tx, { code: '1470', name: 'Vara', region: 'skaraborg', etapp2: true, etapp2Children: true });
      expect((await listMunicipalities(tx)).filter((one) => one.etapp2Children).map((one) => one.code)).toEqual([
        '1499',
        '1471',
        '1496',
        '1473',
        '1470',
      ]);
      expect(await findMunicipality(tx, '0000')).toBeNull();
    });
    // Reception reads the participation (the routing at intake, the coordinator's list); on the server it cannot change it (the router's roles say so on both).
    expect(await run((tx) => findMunicipality(tx, '1470'), DESK)).toMatchObject({ etapp2: true, etapp2Children: true });
    if (store.dialect === 'postgres') {
      await expect(
        run((tx) => upsertMunicipality(tx, { code: '1470', name: 'Vara', region: 'skaraborg', etapp2: false, etapp2Children: false }), DESK),
      ).rejects.toThrow(/permission denied/);
    }
  });

  it('reads active therapists with their tracks and hours, all, of a site or by id, and replaces a profile whole', async () => {
    await seed.transaction(async (tx) => {
      await user(tx, 'u-vera', 'vera Behandlare', ['therapist']);
      await user(tx, 'u-per', 'Per Behandlare', ['therapist', 'receptionist']);
      await user(tx, 'u-olle', 'Olle Slutat', ['therapist'], 0);
      await user(tx, 'u-rut', 'Rut Reception', ['receptionist']);
    });
    await run(async (tx) => {
      await saveTherapistProfile(tx, { userId: 'u-vera', siteId: 'skaraborg', tracks: ['victim', 'child', 'victim'], hours: WEEK });
      await saveTherapistProfile(tx, { userId: 'u-olle', siteId: 'skaraborg', tracks: ['victim'], hours: WEEK });
      // NOCASE order: "Per" before "vera".
      const all = await listTherapists(tx);
      expect(all).toEqual([
        { id: 'u-per', displayName: 'Per Behandlare', siteId: null, tracks: [], hours: [] },
        { id: 'u-vera', displayName: 'vera Behandlare', siteId: 'skaraborg', tracks: ['child', 'victim'], hours: WEEK },
      ]);
      expect((await listTherapists(tx, { siteId: 'skaraborg' })).map((therapist) => therapist.id)).toEqual(['u-vera']);
      expect((await listTherapists(tx, { ids: ['u-per', 'u-olle', 'u-rut'] })).map((therapist) => therapist.id)).toEqual(['u-per']);
      expect(await listTherapists(tx, { ids: [] })).toEqual([]);
      // The tracks a therapist serves: only an active user with the therapist role serves any.
      expect(await tracksServedBy(tx, 'u-vera')).toEqual(['child', 'victim']);
      expect(await tracksServedBy(tx, 'u-olle')).toEqual([]);
      expect(await tracksServedBy(tx, 'u-rut')).toEqual([]);
      expect(await tracksServedBy(tx, 'no-such-user')).toEqual([]);

      await saveTherapistProfile(tx, { userId: 'u-vera', siteId: 'sodra-alvsborg', tracks: ['perpetrator'], hours: [] });
      expect(await listTherapists(tx, { ids: ['u-vera'] })).toEqual([
        { id: 'u-vera', displayName: 'vera Behandlare', siteId: 'sodra-alvsborg', tracks: ['perpetrator'], hours: [] },
      ]);

      expect(await siteAndTherapistRole(tx, 'skaraborg', 'u-olle')).toEqual({ site: true, therapist: true });
      expect(await siteAndTherapistRole(tx, 'skaraborg', 'u-rut')).toEqual({ site: true, therapist: false });
      expect(await siteAndTherapistRole(tx, 'no-such-site', 'u-per')).toEqual({ site: false, therapist: true });
    });
  });
}

describe('sqlite', () => {
  contract(sqliteJournal(tempDir));
});

describe('postgres, as the role of each call', () => {
  contract(postgresJournals('utvag_repo_org'));
});
