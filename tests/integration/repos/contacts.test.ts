/**
 * Repository contract: db/contacts/. The body takes a store and checks only the contact persons,
 * days and intakes it made itself (unique ids, names and addresses), so the same suite can run
 * unchanged against PostgreSQL (issue #14). Only fictional people and the reserved .example domain.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEncrypted } from '../../../db/connection.js';
import {
  contactPersonsWithEmail,
  currentReferrers,
  deleteContactPerson,
  findContactPerson,
  findContactPersons,
  findNetworkDay,
  insertContactPerson,
  listContactPersons,
  listNetworkDays,
  referrerOfIntake,
  replaceAttendance,
  updateContactPerson,
  upsertNetworkDay,
  type ContactPersonRecord,
  type ContactScope,
} from '../../../db/contacts/index.js';
import { createSqliteStore } from '../../../db/engine/sqlite.js';
import type { Tx } from '../../../db/engine/store.js';
import { migrate } from '../../../db/migrate.js';
import { requireCurrentReferrer } from '../../../main/services/contacts.js';
import { useTempDirs } from '../../helpers/tempDir.js';
import { actingAs, postgresJournals, sqliteJournal, type ActingStore, type OpenJournal } from './engines.js';

const tempDir = useTempDirs();
const AT = '2026-03-02T08:00:00.000Z';
const LATER = '2026-03-05T14:45:30.500Z';
const TODAY = '2026-03-02';
/** A site and a municipality every journal has (migrations 002 and 003 write them). */
const SITE = 'skaraborg';
const MUNICIPALITY = { code: '1496', name: 'Skövde' };

/** Reception, for what it does with the network: intakes that name a referrer, the current referrers. */
interface Desk {
  id: string;
  store: ActingStore;
}

function contract(open: OpenJournal): void {
  /**
   * Runs work against a fresh store with an admin of its own, whose calls these are (the contact
   * network is the admins'), and a receptionist.
   */
  async function withStore(work: (store: ActingStore, admin: string, desk: Desk) => Promise<void>): Promise<void> {
    const { store, seed, close } = await open();
    try {
      const [admin, desk] = [`u-${randomUUID()}`, `u-${randomUUID()}`];
      await seed.transaction(async (tx) => {
        for (const [id, role] of [
          [admin, 'admin'],
          [desk, 'receptionist'],
        ] as const) {
          await tx
            .insertInto('users')
            .values({ id, username: id, display_name: `Fiktiv ${role}`, created_at: AT })
            .execute();
          await tx.insertInto('user_roles').values({ user_id: id, role }).execute();
        }
      });
      await work(actingAs(store, { userId: admin, role: 'admin' }), admin, {
        id: desk,
        store: actingAs(store, { userId: desk, role: 'receptionist' }),
      });
    } finally {
      await close();
    }
  }
  function person(extra: Partial<ContactPersonRecord> = {}): ContactPersonRecord {
    const id = randomUUID();
    return {
      id,
      name: `Kim Kontaktsson ${id.slice(0, 8)}`,
      agencyKind: 'police',
      agency: 'Polisen, lokalpolisområde Exempel',
      unit: 'Brottsofferenheten',
      municipalityCode: MUNICIPALITY.code,
      role: 'Brottsoffersamordnare',
      email: `kim.${id}@polis.example`,
      phone: '08-465 004 10',
      assignmentStart: '2024-01-15',
      assignmentEnd: null,
      ...extra,
    };
  }
  async function addIntakeNaming(tx: Tx, by: string, contactId: string | null): Promise<string> {
    const clientId = randomUUID();
    await tx.insertInto('clients').values({ id: clientId, track: 'victim', name: 'Fiktiva Klientdotter', created_at: AT, created_by: by }).execute();
    const id = randomUUID();
    await tx
      .insertInto('intakes')
      .values({
        id,
        client_id: clientId,
        received_at: AT,
        received_by: by,
        contact_by: 'agency',
        referral_source: 'police',
        urgency: 'normal',
        outcome: 'waiting_list',
        routing: 'not_applicable',
        routing_reason: 'fiktivt',
        referrer_contact_id: contactId,
      })
      .execute();
    return id;
  }
  const everyone: ContactScope = { status: 'all', today: TODAY, agencyKind: null, municipalityCode: null };

  it('insertContactPerson and findContactPerson: the person as written, the municipality’s name, no days, not named', async () => {
    await withStore(async (store, admin) => {
      const kim = person();
      const found = await store.transaction(async (tx) => {
        await insertContactPerson(tx, kim, AT, admin);
        return findContactPerson(tx, kim.id);
      });
      expect(found).toEqual({ ...kim, municipalityName: MUNICIPALITY.name, attendedDays: 0, namedOnIntakes: false, updatedAt: AT });
      expect(await store.transaction((tx) => findContactPerson(tx, 'no-such-person'))).toBeNull();
      const row = await store.transaction((tx) => tx.selectFrom('contact_persons').selectAll().where('id', '=', kim.id).executeTakeFirstOrThrow());
      expect(row).toMatchObject({ created_at: AT, created_by: admin, updated_at: AT, updated_by: admin });
    });
  });

  it('findContactPerson: null fields and no municipality come back as null', async () => {
    await withStore(async (store, admin) => {
      const bare = person({ unit: null, municipalityCode: null, role: null, email: null, assignmentEnd: '2025-06-30' });
      const found = await store.transaction(async (tx) => {
        await insertContactPerson(tx, bare, AT, admin);
        return findContactPerson(tx, bare.id);
      });
      expect(found).toMatchObject({
        unit: null,
        municipalityCode: null,
        municipalityName: null,
        role: null,
        email: null,
        assignmentEnd: '2025-06-30',
      });
    });
  });

  it('updateContactPerson: changes the person and the update stamp, keeps the creation; false for an unknown id', async () => {
    await withStore(async (store, admin) => {
      const kim = person();
      const changed = {
        ...kim,
        name: 'Kim Bytt-Namn',
        agencyKind: 'hospital' as const,
        municipalityCode: null,
        email: null,
        assignmentEnd: '2026-12-31',
      };
      const result = await store.transaction(async (tx) => {
        await insertContactPerson(tx, kim, AT, admin);
        return {
          updated: await updateContactPerson(tx, changed, LATER, admin),
          missing: await updateContactPerson(tx, { ...changed, id: 'no-such-person' }, LATER, admin),
          found: await findContactPerson(tx, kim.id),
        };
      });
      expect(result.updated).toBe(true);
      expect(result.missing).toBe(false);
      expect(result.found).toEqual({ ...changed, municipalityName: null, attendedDays: 0, namedOnIntakes: false, updatedAt: LATER });
      const row = await store.transaction((tx) => tx.selectFrom('contact_persons').selectAll().where('id', '=', kim.id).executeTakeFirstOrThrow());
      expect(row).toMatchObject({ created_at: AT, updated_at: LATER });
      expect(await store.transaction((tx) => findContactPerson(tx, 'no-such-person'))).toBeNull();
    });
  });

  it('listContactPersons: current, former and all on a given day (the end date is the last day), by kind and municipality', async () => {
    await withStore(async (store, admin) => {
      const tag = randomUUID().slice(0, 8);
      const open = person({ name: `A ${tag}` });
      const endsToday = person({ name: `B ${tag}`, assignmentEnd: TODAY, agencyKind: 'hospital', municipalityCode: null });
      const ended = person({ name: `C ${tag}`, assignmentEnd: '2026-03-01', municipalityCode: '1495' });
      await store.transaction(async (tx) => {
        for (const each of [ended, open, endsToday]) await insertContactPerson(tx, each, AT, admin);
      });
      const names = async (scope: Partial<ContactScope>) =>
        (await store.transaction((tx) => listContactPersons(tx, { ...everyone, ...scope })))
          .filter((row) => row.name.endsWith(tag))
          .map((row) => row.name);
      expect(await names({})).toEqual([open.name, endsToday.name, ended.name]);
      expect(await names({ status: 'current' })).toEqual([open.name, endsToday.name]);
      expect(await names({ status: 'former' })).toEqual([ended.name]);
      expect(await names({ status: 'former', today: '2026-03-03' })).toEqual([endsToday.name, ended.name]);
      expect(await names({ agencyKind: 'hospital' })).toEqual([endsToday.name]);
      expect(await names({ municipalityCode: MUNICIPALITY.code })).toEqual([open.name]);
      expect(await names({ status: 'current', agencyKind: 'police', municipalityCode: '1495' })).toEqual([]);
    });
  });

  it('listContactPersons and findContactPersons: days attended and whether any intake names them', async () => {
    await withStore(async (store, admin, desk) => {
      const [named, busy, idle] = [person(), person(), person()];
      const dayIds = [randomUUID(), randomUUID(), randomUUID()];
      await store.transaction(async (tx) => {
        for (const each of [named, busy, idle]) await insertContactPerson(tx, each, AT, admin);
        for (const [index, id] of dayIds.entries()) {
          await upsertNetworkDay(tx, { id, date: `2025-0${index + 3}-14`, title: `Fiktiv dag ${index}`, siteId: null }, AT, admin);
          await replaceAttendance(tx, id, index === 0 ? [busy.id, named.id] : [busy.id], AT, admin);
        }
      });
      await desk.store.transaction(async (tx) => {
        // Two intakes name the same person: still one person, named.
        await addIntakeNaming(tx, desk.id, named.id);
        await addIntakeNaming(tx, desk.id, named.id);
        await addIntakeNaming(tx, desk.id, null);
      });
      const mine = new Set([named.id, busy.id, idle.id]);
      const listed = (await store.transaction((tx) => listContactPersons(tx, everyone))).filter((row) => mine.has(row.id));
      const found = await store.transaction((tx) => findContactPersons(tx, [idle.id, named.id, busy.id, 'no-such-person']));
      for (const rows of [listed, found]) {
        const byId = new Map(rows.map((row) => [row.id, row]));
        expect(rows).toHaveLength(3);
        expect(byId.get(named.id)).toMatchObject({ attendedDays: 1, namedOnIntakes: true });
        expect(byId.get(busy.id)).toMatchObject({ attendedDays: 3, namedOnIntakes: false });
        expect(byId.get(idle.id)).toMatchObject({ attendedDays: 0, namedOnIntakes: false });
      }
      expect(await store.transaction((tx) => findContactPersons(tx, []))).toEqual([]);
    });
  });

  it('contactPersonsWithEmail: others with the same address in any case, the person themselves left out', async () => {
    await withStore(async (store, admin) => {
      const mailbox = `gemensam.${randomUUID()}@socialtjansten.example`;
      const [first, second, elsewhere] = [person({ email: mailbox }), person({ email: mailbox.toUpperCase() }), person()];
      await store.transaction(async (tx) => {
        for (const each of [first, second, elsewhere]) await insertContactPerson(tx, each, AT, admin);
      });
      const others = (except: string | null, email = mailbox) => store.transaction((tx) => contactPersonsWithEmail(tx, email, except));
      expect(await others(first.id)).toEqual([{ id: second.id, name: second.name }]);
      expect((await others(null, mailbox.replace('gemensam', 'GEMENSAM'))).map((row) => row.id).sort()).toEqual([first.id, second.id].sort());
      expect(await others(null, `ingen.${randomUUID()}@example.example`)).toEqual([]);
    });
  });

  it('deleteContactPerson: the person and their attendance go, the day and others stay', async () => {
    await withStore(async (store, admin) => {
      const [gone, stays] = [person(), person()];
      const day = randomUUID();
      await store.transaction(async (tx) => {
        await insertContactPerson(tx, gone, AT, admin);
        await insertContactPerson(tx, stays, AT, admin);
        await upsertNetworkDay(tx, { id: day, date: '2025-10-14', title: 'Fiktiv dag', siteId: SITE }, AT, admin);
        await replaceAttendance(tx, day, [gone.id, stays.id], AT, admin);
        await deleteContactPerson(tx, gone.id);
      });
      expect(await store.transaction((tx) => findContactPerson(tx, gone.id))).toBeNull();
      expect((await store.transaction((tx) => findNetworkDay(tx, day)))?.attendeeIds).toEqual([stays.id]);
    });
  });

  it('deleteContactPerson: one named on an intake is refused by the schema, and nothing of it goes', async () => {
    await withStore(async (store, admin, desk) => {
      const named = person();
      const day = randomUUID();
      await store.transaction(async (tx) => {
        await insertContactPerson(tx, named, AT, admin);
        await upsertNetworkDay(tx, { id: day, date: '2025-10-14', title: 'Fiktiv dag', siteId: null }, AT, admin);
        await replaceAttendance(tx, day, [named.id], AT, admin);
      });
      await desk.store.transaction((tx) => addIntakeNaming(tx, desk.id, named.id));
      await expect(store.transaction((tx) => deleteContactPerson(tx, named.id))).rejects.toThrow();
      expect(await store.transaction((tx) => findContactPerson(tx, named.id))).toMatchObject({ attendedDays: 1, namedOnIntakes: true });
    });
  });

  it('currentReferrers: persons not ended by the day, name and agency only', async () => {
    await withStore(async (store, admin, desk) => {
      const tag = randomUUID().slice(0, 8);
      const [open, endsToday, ended] = [
        person({ name: `A ${tag}` }),
        person({ name: `B ${tag}`, assignmentEnd: TODAY, unit: null, municipalityCode: null }),
        person({ name: `C ${tag}`, assignmentEnd: '2026-03-01' }),
      ];
      await store.transaction(async (tx) => {
        for (const each of [ended, endsToday, open]) await insertContactPerson(tx, each, AT, admin);
      });
      // Reception picks a referrer on the intake form.
      const mine = (await desk.store.transaction((tx) => currentReferrers(tx, TODAY))).filter((row) => row.name.endsWith(tag));
      const shape = (each: ContactPersonRecord) => ({
        id: each.id,
        name: each.name,
        agencyKind: each.agencyKind,
        agency: each.agency,
        unit: each.unit,
        municipalityCode: each.municipalityCode,
      });
      expect(mine).toEqual([shape(open), shape(endsToday)]);
    });
  });

  it('referrerOfIntake: the named person’s name, agency and unit; null without one or for an unknown intake', async () => {
    await withStore(async (store, admin, desk) => {
      const kim = person();
      await store.transaction((tx) => insertContactPerson(tx, kim, AT, admin));
      // Reception's intake shows whom it names.
      const result = await desk.store.transaction(async (tx) => {
        const naming = await addIntakeNaming(tx, desk.id, kim.id);
        const notNaming = await addIntakeNaming(tx, desk.id, null);
        return [await referrerOfIntake(tx, naming), await referrerOfIntake(tx, notNaming), await referrerOfIntake(tx, 'no-such-intake')];
      });
      expect(result).toEqual([{ name: kim.name, agency: kim.agency, unit: kim.unit }, null, null]);
    });
  });

  it('upsertNetworkDay and findNetworkDay: written, then changed in place keeping its creation; unknown gives null', async () => {
    await withStore(async (store, admin) => {
      const id = randomUUID();
      const first = await store.transaction(async (tx) => {
        await upsertNetworkDay(tx, { id, date: '2025-03-14', title: 'Fiktiv nätverksdag', siteId: null }, AT, admin);
        return findNetworkDay(tx, id);
      });
      expect(first).toEqual({ id, date: '2025-03-14', title: 'Fiktiv nätverksdag', siteId: null, attendeeIds: [] });
      const second = await store.transaction(async (tx) => {
        await upsertNetworkDay(tx, { id, date: '2025-03-15', title: 'Fiktiv ändrad dag', siteId: SITE }, LATER, admin);
        return findNetworkDay(tx, id);
      });
      expect(second).toEqual({ id, date: '2025-03-15', title: 'Fiktiv ändrad dag', siteId: SITE, attendeeIds: [] });
      const row = await store.transaction((tx) => tx.selectFrom('network_days').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
      expect(row).toMatchObject({ created_at: AT, updated_at: LATER });
      expect(await store.transaction((tx) => findNetworkDay(tx, 'no-such-day'))).toBeNull();
    });
  });

  it('listNetworkDays: newest first, then by title, each with its attendees in code-unit order', async () => {
    await withStore(async (store, admin) => {
      const people = [person(), person(), person()];
      const ids = { older: randomUUID(), newerB: randomUUID(), newerA: randomUUID() };
      await store.transaction(async (tx) => {
        for (const each of people) await insertContactPerson(tx, each, AT, admin);
        await upsertNetworkDay(tx, { id: ids.older, date: '2024-03-14', title: 'Fiktiv A', siteId: null }, AT, admin);
        await upsertNetworkDay(tx, { id: ids.newerB, date: '2025-10-14', title: 'Fiktiv B', siteId: SITE }, AT, admin);
        await upsertNetworkDay(tx, { id: ids.newerA, date: '2025-10-14', title: 'Fiktiv A', siteId: null }, AT, admin);
        await replaceAttendance(
          tx,
          ids.newerB,
          people.map((each) => each.id),
          AT,
          admin,
        );
        await replaceAttendance(tx, ids.older, [people[2]!.id], AT, admin);
      });
      const mine = new Set<string>(Object.values(ids));
      const days = (await store.transaction((tx) => listNetworkDays(tx))).filter((day) => mine.has(day.id));
      expect(days).toEqual([
        { id: ids.newerA, date: '2025-10-14', title: 'Fiktiv A', siteId: null, attendeeIds: [] },
        { id: ids.newerB, date: '2025-10-14', title: 'Fiktiv B', siteId: SITE, attendeeIds: people.map((each) => each.id).sort() },
        { id: ids.older, date: '2024-03-14', title: 'Fiktiv A', siteId: null, attendeeIds: [people[2]!.id] },
      ]);
    });
  });

  it('replaceAttendance: exactly the given people afterwards; those kept keep their recorded time; empty clears the day', async () => {
    await withStore(async (store, admin) => {
      const [a, b, c] = [person(), person(), person()];
      const [day, otherDay]: [string, string] = [randomUUID(), randomUUID()];
      await store.transaction(async (tx) => {
        for (const each of [a, b, c]) await insertContactPerson(tx, each, AT, admin);
        await upsertNetworkDay(tx, { id: day, date: '2025-10-14', title: 'Fiktiv dag', siteId: null }, AT, admin);
        await upsertNetworkDay(tx, { id: otherDay, date: '2025-11-14', title: 'Fiktiv annan dag', siteId: null }, AT, admin);
        await replaceAttendance(tx, day, [a.id, b.id, a.id], AT, admin);
        await replaceAttendance(tx, otherDay, [a.id], AT, admin);
      });
      await store.transaction((tx) => replaceAttendance(tx, day, [b.id, c.id], LATER, admin));
      const rows = await store.transaction((tx) =>
        tx
          .selectFrom('network_day_attendance')
          .select(['network_day_id', 'contact_id', 'recorded_at'])
          .where('network_day_id', 'in', [day, otherDay])
          .execute(),
      );
      const key = (row: { network_day_id: string; contact_id: string }) => `${row.network_day_id}/${row.contact_id}`;
      expect(rows.sort((x, y) => (key(x) < key(y) ? -1 : 1))).toEqual(
        [
          { network_day_id: day, contact_id: b.id, recorded_at: AT },
          { network_day_id: day, contact_id: c.id, recorded_at: LATER },
          { network_day_id: otherDay, contact_id: a.id, recorded_at: AT },
        ].sort((x, y) => (key(x) < key(y) ? -1 : 1)),
      );
      await store.transaction((tx) => replaceAttendance(tx, day, [], LATER, admin));
      expect((await store.transaction((tx) => findNetworkDay(tx, day)))?.attendeeIds).toEqual([]);
      expect((await store.transaction((tx) => findNetworkDay(tx, otherDay)))?.attendeeIds).toEqual([a.id]);
    });
  });

  it('replaceAttendance: a day of the contract’s largest list (500 people) in one go', async () => {
    await withStore(async (store, admin) => {
      const day = randomUUID();
      const people = Array.from({ length: 500 }, () => person());
      await store.transaction(async (tx) => {
        for (const each of people) await insertContactPerson(tx, each, AT, admin);
        await upsertNetworkDay(tx, { id: day, date: '2025-10-14', title: 'Fiktiv stor dag', siteId: null }, AT, admin);
        await replaceAttendance(
          tx,
          day,
          people.map((each) => each.id),
          AT,
          admin,
        );
      });
      expect((await store.transaction((tx) => findNetworkDay(tx, day)))?.attendeeIds).toHaveLength(500);
      const half = people.filter((_each, index) => index % 2 === 1).map((each) => each.id);
      await store.transaction((tx) => replaceAttendance(tx, day, half, LATER, admin));
      expect((await store.transaction((tx) => findNetworkDay(tx, day)))?.attendeeIds).toEqual([...half].sort());
    });
  });

  it('replaceAttendance: an unknown person is refused by the schema and the day keeps its attendance', async () => {
    await withStore(async (store, admin) => {
      const kim = person();
      const day = randomUUID();
      await store.transaction(async (tx) => {
        await insertContactPerson(tx, kim, AT, admin);
        await upsertNetworkDay(tx, { id: day, date: '2025-10-14', title: 'Fiktiv dag', siteId: null }, AT, admin);
        await replaceAttendance(tx, day, [kim.id], AT, admin);
      });
      await expect(store.transaction((tx) => replaceAttendance(tx, day, ['no-such-person'], LATER, admin))).rejects.toThrow();
      expect((await store.transaction((tx) => findNetworkDay(tx, day)))?.attendeeIds).toEqual([kim.id]);
    });
  });
}

describe('contacts repository on the encrypted SQLite journal', () => {
  contract(sqliteJournal(tempDir));
});

describe('contacts repository on PostgreSQL, as the admin (and reception for its intakes)', () => {
  contract(postgresJournals('utvag_repo_contacts'));
});

describe('the referrer check over the repository', () => {
  it('requireCurrentReferrer: a current referrer passes, a former or unknown one is refused', async () => {
    const db = openEncrypted(path.join(tempDir(), 'journal.db'), randomBytes(32), { create: true });
    migrate(db);
    const store = createSqliteStore(db);
    try {
      const admin = `u-${randomUUID()}`;
      const current = { id: randomUUID(), assignmentEnd: '2026-03-02' };
      const former = { id: randomUUID(), assignmentEnd: '2026-03-01' };
      await store.transaction(async (tx) => {
        await tx.insertInto('users').values({ id: admin, username: admin, display_name: 'Fiktiv Admin', created_at: AT }).execute();
        for (const each of [current, former]) {
          await insertContactPerson(
            tx,
            {
              id: each.id,
              name: 'Fiktiv Remittent',
              agencyKind: 'social_services',
              agency: 'Socialtjänsten',
              unit: null,
              municipalityCode: null,
              role: null,
              email: null,
              phone: '08-465 004 11',
              assignmentStart: '2024-01-01',
              assignmentEnd: each.assignmentEnd,
            },
            AT,
            admin,
          );
        }
      });
      // Midday in Sweden on 2 March: the current one's last day.
      const now = new Date('2026-03-02T11:00:00Z');
      const verdicts: Record<string, string> = {};
      for (const [name, id] of [
        ['current', current.id],
        ['former', former.id],
        ['unknown', 'no-such-person'],
      ] as const) {
        const viaTx = await store
          .transaction((tx) => requireCurrentReferrer(tx, id, now))
          .then(
            () => 'ok',
            (error: { message: string }) => error.message,
          );
        verdicts[name] = viaTx;
      }
      expect(verdicts).toEqual({ current: 'ok', former: 'contacts.error.referrerFormer', unknown: 'contacts.error.referrerUnknown' });
    } finally {
      await store.close();
    }
  });
});
