import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendLogRow } from '../../../db/accessLog.js';
import type { Store } from '../../../db/engine/store.js';
import {
  activeCareRelation,
  activeEmergencyUntil,
  careTeamAndEntriesOf,
  careTeamOf,
  clientsInCareOf,
  clientsWithLastEntryBefore,
  deleteDraft,
  endCareRelation,
  entriesOf,
  findEntry,
  insertCareRelation,
  insertEmergencyGrant,
  insertEntry,
  journalAccessOf,
  openDraftsOf,
  signEntry,
  updateDraft,
} from '../../../db/journalEntries/index.js';
import { useTempDirs } from '../../helpers/tempDir.js';
import { actingAs, type ActingStore } from './engines.js';
import { addCare, addClient, addUser, AT, postgresJournals, sqliteJournal, unique, type OpenStore } from './journalSeed.js';

const tempDir = useTempDirs();
const LATER = '2026-03-02T09:00:00.000Z';

function entry(clientId: string, authorId: string, overrides: Partial<Parameters<typeof insertEntry>[1]> = {}) {
  return {
    id: unique('entry'),
    clientId,
    authorId,
    kind: 'note' as const,
    status: 'draft' as const,
    body: 'Fiktiv anteckning',
    createdAt: AT,
    signedAt: null,
    amendsId: null,
    amendmentReason: null,
    ...overrides,
  };
}

const plusHours = (at: string, hours: number) => new Date(Date.parse(at) + hours * 3_600_000).toISOString();

function contract(open: OpenStore): void {
  let store: Store;
  let seed: Store;
  let close: () => Promise<void>;
  /** Reception assigns and ends care (care.* channels: reception and admins); an admin registered the clients. */
  let desk: ActingStore;
  let deskUser: string;
  let admin: string;
  beforeEach(async () => {
    ({ store, seed, close } = await open());
    const ids = await seed.transaction(async (tx) => ({
      desk: await addUser(tx, { roles: ['receptionist'] }),
      admin: await addUser(tx, { roles: ['admin'] }),
    }));
    deskUser = ids.desk;
    desk = actingAs(store, { userId: deskUser, role: 'receptionist' });
    admin = ids.admin;
  });
  afterEach(async () => close());
  /** A therapist's own call: the journal, her access, her care list, her drafts. */
  const asTherapist = (userId: string) => actingAs(store, { userId, role: 'therapist' });

  /** An emergency access as the app records it: the access-log row first, then the grant naming it. */
  async function emergency(clientId: string, userId: string, grantedAt: string, expiresAt: string): Promise<void> {
    await asTherapist(userId).transaction(async (tx) => {
      const accessLogSeq = await appendLogRow(tx, {
        at: grantedAt,
        userId,
        clientId,
        record: `journal:${clientId}`,
        action: 'journal.emergencyOpen',
        channel: 'journal.emergencyOpen',
        emergency: true,
        reason: 'Fiktivt akut behov',
      });
      await insertEmergencyGrant(tx, { id: unique('grant'), clientId, userId, grantedAt, expiresAt, reason: 'Fiktivt akut behov', accessLogSeq });
    });
  }

  it('writes, reads, changes and deletes drafts; a signed entry stays as signed', async () => {
    const { author, client } = await seed.transaction(async (tx) => {
      const author = await addUser(tx, { roles: ['therapist'], tracks: ['victim'], name: 'Fiktiv Författare' });
      const client = await addClient(tx, admin, 'victim');
      // Her client: the journal is open to her.
      await addCare(tx, client, author, admin);
      return { author, client };
    });
    await asTherapist(author).transaction(async (tx) => {
      const draft = entry(client, author, { createdAt: LATER });
      const signed = entry(client, author, { status: 'signed', signedAt: AT, body: 'Fiktiv signerad' });
      await insertEntry(tx, draft);
      await insertEntry(tx, signed);
      expect(await findEntry(tx, draft.id)).toEqual({ ...draft, authorName: 'Fiktiv Författare', updatedAt: LATER });
      expect(await findEntry(tx, unique('entry'))).toBeNull();
      // Oldest first.
      expect((await entriesOf(tx, client)).map((row) => row.id)).toEqual([signed.id, draft.id]);

      await updateDraft(tx, { id: draft.id, kind: 'assessment', body: 'Fiktiv ändrad', updatedAt: '2026-03-02T10:00:00.000Z' });
      expect(await findEntry(tx, draft.id)).toMatchObject({ kind: 'assessment', body: 'Fiktiv ändrad', updatedAt: '2026-03-02T10:00:00.000Z' });
      // Drafts only: a signed entry is not touched (nor refused: it is simply no draft).
      await updateDraft(tx, { id: signed.id, kind: 'note', body: 'Försök', updatedAt: LATER });
      await deleteDraft(tx, signed.id);
      expect(await findEntry(tx, signed.id)).toMatchObject({ body: 'Fiktiv signerad', status: 'signed' });

      await signEntry(tx, draft.id, '2026-03-02T11:00:00.000Z');
      expect(await findEntry(tx, draft.id)).toMatchObject({
        status: 'signed',
        signedAt: '2026-03-02T11:00:00.000Z',
        updatedAt: '2026-03-02T11:00:00.000Z',
      });
      const other = entry(client, author);
      await insertEntry(tx, other);
      await deleteDraft(tx, other.id);
      expect(await findEntry(tx, other.id)).toBeNull();
      // An amendment refers to its original.
      const amendment = entry(client, author, { status: 'signed', signedAt: LATER, amendsId: signed.id, amendmentReason: 'Fiktiv rättelse' });
      await insertEntry(tx, amendment);
      expect(await findEntry(tx, amendment.id)).toMatchObject({ amendsId: signed.id, amendmentReason: 'Fiktiv rättelse' });
    });
  });

  it('reads an opened journal’s care team and entries in one statement, as careTeamOf and entriesOf answer them', async () => {
    const w = await seed.transaction(async (tx) => {
      const vera = await addUser(tx, { roles: ['therapist'], tracks: ['victim'], name: 'Fiktiv Vera' });
      const ulla = await addUser(tx, { roles: ['therapist'], tracks: ['victim'], name: 'Fiktiv Ulla' });
      const client = await addClient(tx, admin, 'victim');
      const stranger = await addClient(tx, admin, 'victim');
      await addCare(tx, client, vera, admin);
      return { vera, ulla, client, stranger };
    });
    await desk.transaction((tx) =>
      insertCareRelation(tx, {
        id: unique('care'),
        clientId: w.client,
        therapistId: w.ulla,
        startedAt: '2026-03-02T08:30:00.123Z',
        createdBy: deskUser,
      }),
    );
    await asTherapist(w.vera).transaction(async (tx) => {
      const first = entry(w.client, w.vera, {
        status: 'signed',
        signedAt: '2026-03-02T10:15:30.500Z',
        body: 'Fiktiv "citerad" rad\nmed radbrytning, å ä ö och \\ snedstreck',
      });
      await insertEntry(tx, first);
      await insertEntry(tx, entry(w.client, w.vera, { createdAt: LATER, kind: 'assessment' }));
      await insertEntry(tx, entry(w.client, w.vera, { createdAt: LATER, kind: 'treatment_plan' }));
      await insertEntry(
        tx,
        entry(w.client, w.vera, { status: 'signed', signedAt: LATER, createdAt: LATER, amendsId: first.id, amendmentReason: 'Fiktiv rättelse' }),
      );

      const before = store.statements;
      const read = await careTeamAndEntriesOf(tx, w.client);
      expect(store.statements - before).toBe(1);
      expect(read).toEqual({ careTeam: await careTeamOf(tx, w.client), entries: await entriesOf(tx, w.client) });
      expect(read.careTeam.map((row) => row.therapistName)).toEqual(['Fiktiv Vera', 'Fiktiv Ulla']);
      // Instants as the journal gives them, not as PostgreSQL writes them inside JSON; the body as written.
      expect(read.careTeam[1]!.startedAt).toBe('2026-03-02T08:30:00.123Z');
      expect(read.entries).toHaveLength(4);
      expect(read.entries[0]).toMatchObject({ signedAt: '2026-03-02T10:15:30.500Z', body: first.body, amendsId: null, authorName: 'Fiktiv Vera' });
      expect(read.entries.map((row) => row.createdAt)).toEqual([AT, LATER, LATER, LATER]);
      // A client without care relations or entries: two empty lists, still one statement.
      const empty = store.statements;
      expect(await careTeamAndEntriesOf(tx, w.stranger)).toEqual({ careTeam: [], entries: [] });
      expect(store.statements - empty).toBe(1);
    });
  });

  it("answers a therapist's access to a client's journal in one row: served track, care, emergency", async () => {
    const w = await seed.transaction(async (tx) => ({
      vera: await addUser(tx, { roles: ['therapist'], tracks: ['victim'] }),
      gone: await addUser(tx, { roles: ['therapist'], tracks: ['victim'], active: false }),
      noRole: await addUser(tx, { tracks: ['victim'] }),
      victim: await addClient(tx, admin, 'victim'),
      perpetrator: await addClient(tx, admin, 'perpetrator'),
    }));
    // Each asks about herself, as the journal's channels do (a session whose role was since taken away asks as a therapist still).
    const accessOf = (clientId: string, userId: string, now = AT) =>
      asTherapist(userId).transaction((tx) => journalAccessOf(tx, clientId, userId, now));

    expect(await accessOf(unique('client'), w.vera)).toBeNull();
    expect(await accessOf(w.victim, w.vera)).toEqual({ clientId: w.victim, track: 'victim', served: true, care: false, emergency: false });
    expect(await accessOf(w.perpetrator, w.vera)).toMatchObject({ served: false });
    expect(await accessOf(w.victim, w.gone)).toMatchObject({ served: false });
    expect(await accessOf(w.victim, w.noRole)).toMatchObject({ served: false });

    await seed.transaction((tx) => addCare(tx, w.victim, w.vera, admin));
    expect(await accessOf(w.victim, w.vera)).toMatchObject({ served: true, care: true });
    await desk.transaction((tx) => endCareRelation(tx, w.victim, w.vera, LATER));
    expect(await accessOf(w.victim, w.vera)).toMatchObject({ care: false });

    await emergency(w.victim, w.vera, AT, LATER);
    expect(await accessOf(w.victim, w.vera)).toMatchObject({ emergency: true });
    // Expired at its instant.
    expect(await accessOf(w.victim, w.vera, LATER)).toMatchObject({ emergency: false });
    await asTherapist(w.vera).transaction(async (tx) => {
      expect(await activeEmergencyUntil(tx, w.victim, w.vera)).toBe(LATER);
      expect(await activeEmergencyUntil(tx, w.perpetrator, w.vera)).toBeNull();
    });
  });

  it('keeps care relations: effective only while the therapist serves the track, ended per pair', async () => {
    const w = await seed.transaction(async (tx) => {
      const vera = await addUser(tx, { roles: ['therapist'], tracks: ['victim'], name: 'Fiktiv Vera' });
      const per = await addUser(tx, { roles: ['therapist'], tracks: ['perpetrator'], name: 'Fiktiv Per' });
      const bertil = await addClient(tx, admin, 'victim', { name: 'Bertil Fiktiv', birthYear: 1980 });
      const anna = await addClient(tx, admin, 'victim', { name: 'Anna Fiktiv' });
      // A relation across tracks (Per does not serve victims; left from before a change of tracks) opens nothing.
      await addCare(tx, anna, per, admin);
      return { vera, per, bertil, anna };
    });
    const relation = unique('care');
    await desk.transaction(async (tx) => {
      await insertCareRelation(tx, { id: relation, clientId: w.bertil, therapistId: w.vera, startedAt: AT, createdBy: deskUser });
      await insertCareRelation(tx, { id: unique('care'), clientId: w.anna, therapistId: w.vera, startedAt: LATER, createdBy: deskUser });
    });

    await desk.transaction(async (tx) => {
      expect(await activeCareRelation(tx, w.bertil, w.vera)).toBe(true);
      expect(await activeCareRelation(tx, w.anna, w.per)).toBe(false);
      expect(await careTeamOf(tx, w.bertil)).toEqual([
        { id: relation, therapistId: w.vera, therapistName: 'Fiktiv Vera', startedAt: AT, endedAt: null },
      ]);
      expect((await careTeamOf(tx, w.anna)).map((row) => row.therapistId)).toEqual([w.vera]);
    });
    // In name order.
    expect(await asTherapist(w.vera).transaction((tx) => clientsInCareOf(tx, w.vera))).toEqual([
      { clientId: w.anna, name: 'Anna Fiktiv', track: 'victim', since: LATER, birthYear: null },
      { clientId: w.bertil, name: 'Bertil Fiktiv', track: 'victim', since: AT, birthYear: 1980 },
    ]);
    expect(await asTherapist(w.per).transaction((tx) => clientsInCareOf(tx, w.per))).toEqual([]);

    await desk.transaction(async (tx) => {
      // Ending closes every open relation of the pair, effective or not, and says how many.
      expect(await endCareRelation(tx, w.anna, w.per, LATER)).toBe(1);
      expect(await endCareRelation(tx, w.anna, w.per, LATER)).toBe(0);
      expect(await endCareRelation(tx, w.bertil, w.vera, LATER)).toBe(1);
      expect(await careTeamOf(tx, w.bertil)).toEqual([]);
      expect(await activeCareRelation(tx, w.bertil, w.vera)).toBe(false);
    });
  });

  it("lists an author's open drafts of clients she may still open, newest first, of the tracks asked for", async () => {
    // The emergency access in real time: PostgreSQL opens the journal by its own clock.
    const now = new Date().toISOString();
    const w = await seed.transaction(async (tx) => {
      const vera = await addUser(tx, { roles: ['therapist'], tracks: ['victim', 'child'] });
      const other = await addUser(tx, { roles: ['therapist'], tracks: ['victim'] });
      const inCare = await addClient(tx, admin, 'victim', { name: 'Fiktiv Vård' });
      const child = await addClient(tx, admin, 'child', { name: 'Fiktivt Barn' });
      const ended = await addClient(tx, admin, 'victim');
      const emergencyClient = await addClient(tx, admin, 'victim', { name: 'Fiktiv Nöd' });
      await addCare(tx, inCare, vera, admin);
      await addCare(tx, inCare, other, admin);
      await addCare(tx, child, vera, admin);
      await addCare(tx, ended, vera, admin);
      return { vera, other, inCare, child, ended, emergencyClient };
    });
    await emergency(w.emergencyClient, w.vera, now, plusHours(now, 1));
    const mine = entry(w.inCare, w.vera, { createdAt: '2026-03-01T08:00:00.000Z' });
    const mineLater = entry(w.child, w.vera, { createdAt: '2026-03-01T09:00:00.000Z', kind: 'assessment' });
    const viaEmergency = entry(w.emergencyClient, w.vera, { createdAt: '2026-03-01T07:00:00.000Z' });
    const endedDraft = entry(w.ended, w.vera);
    await asTherapist(w.vera).transaction(async (tx) => {
      for (const row of [mine, mineLater, viaEmergency, endedDraft, entry(w.inCare, w.vera, { status: 'signed', signedAt: AT })])
        await insertEntry(tx, row);
    });
    await asTherapist(w.other).transaction((tx) => insertEntry(tx, entry(w.inCare, w.other)));
    // Her care of one client ends after she wrote a draft there.
    await desk.transaction((tx) => endCareRelation(tx, w.ended, w.vera, AT));

    await asTherapist(w.vera).transaction(async (tx) => {
      expect(await openDraftsOf(tx, w.vera, ['victim', 'child'], now)).toEqual([
        { entryId: mineLater.id, clientId: w.child, clientName: 'Fiktivt Barn', kind: 'assessment', updatedAt: '2026-03-01T09:00:00.000Z' },
        { entryId: mine.id, clientId: w.inCare, clientName: 'Fiktiv Vård', kind: 'note', updatedAt: '2026-03-01T08:00:00.000Z' },
        { entryId: viaEmergency.id, clientId: w.emergencyClient, clientName: 'Fiktiv Nöd', kind: 'note', updatedAt: '2026-03-01T07:00:00.000Z' },
      ]);
      // The emergency access has run out.
      expect((await openDraftsOf(tx, w.vera, ['victim'], plusHours(now, 2))).map((row) => row.entryId)).toEqual([mine.id]);
      expect(await openDraftsOf(tx, w.vera, ['perpetrator'], now)).toEqual([]);
      expect(await openDraftsOf(tx, w.vera, [], now)).toEqual([]);
    });
  });

  it('finds the clients whose newest signed entry is older than the cut-off, with their number of signed entries', async () => {
    const w = await seed.transaction(async (tx) => {
      const vera = await addUser(tx, { roles: ['therapist'], tracks: ['victim'] });
      const old = await addClient(tx, admin, 'victim', { name: 'Fiktiv Gammal' });
      const recent = await addClient(tx, admin, 'victim');
      const draftsOnly = await addClient(tx, admin, 'victim');
      const signedAt = (at: string) => ({ status: 'signed' as const, signedAt: at, createdAt: at });
      // Written years ago: fixtures, not today's calls.
      await insertEntry(tx, entry(old, vera, signedAt('2010-01-01T08:00:00.000Z')));
      await insertEntry(tx, entry(old, vera, signedAt('2012-05-01T08:00:00.000Z')));
      // A draft counts for nothing here: only the signed journal is kept or disposed of.
      await insertEntry(tx, entry(old, vera, { createdAt: '2025-01-01T08:00:00.000Z' }));
      await insertEntry(tx, entry(recent, vera, signedAt('2010-01-01T08:00:00.000Z')));
      await insertEntry(tx, entry(recent, vera, signedAt('2024-01-01T08:00:00.000Z')));
      await insertEntry(tx, entry(draftsOnly, vera, { createdAt: '2010-01-01T08:00:00.000Z' }));
      return { old };
    });
    // The retention report is the admins' (dates and counts, never the text).
    await actingAs(store, { userId: admin, role: 'admin' }).transaction(async (tx) => {
      expect(await clientsWithLastEntryBefore(tx, '2016-01-01T00:00:00.000Z')).toEqual([
        { clientId: w.old, name: 'Fiktiv Gammal', track: 'victim', lastEntryAt: '2012-05-01T08:00:00.000Z', entries: 2 },
      ]);
      expect(await clientsWithLastEntryBefore(tx, '2000-01-01T00:00:00.000Z')).toEqual([]);
    });
  });
}

describe('journal repository on the encrypted SQLite journal', () => {
  contract(sqliteJournal(tempDir));
});

describe('journal repository on PostgreSQL, each call as the therapist, reception or admin who makes it', () => {
  contract(postgresJournals('utvag_repo_journal'));
});
