import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../db/engine/store.js';
import {
  activeCareRelation,
  activeEmergencyUntil,
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
import { addCare, addClient, addUser, AT, sqliteJournal, unique, type OpenStore } from './journalSeed.js';

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

function contract(open: OpenStore): void {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await open());
  });
  afterEach(async () => close());

  it('writes, reads, changes and deletes drafts; a signed entry stays as signed', async () => {
    await store.transaction(async (tx) => {
      const author = await addUser(tx, { roles: ['therapist'], tracks: ['victim'], name: 'Fiktiv Författare' });
      const client = await addClient(tx, author, 'victim');
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

  it("answers a therapist's access to a client's journal in one row: served track, care, emergency", async () => {
    await store.transaction(async (tx) => {
      const admin = await addUser(tx, { roles: ['admin'] });
      const vera = await addUser(tx, { roles: ['therapist'], tracks: ['victim'] });
      const gone = await addUser(tx, { roles: ['therapist'], tracks: ['victim'], active: false });
      const noRole = await addUser(tx, { tracks: ['victim'] });
      const victim = await addClient(tx, admin, 'victim');
      const perpetrator = await addClient(tx, admin, 'perpetrator');

      expect(await journalAccessOf(tx, unique('client'), vera, AT)).toBeNull();
      expect(await journalAccessOf(tx, victim, vera, AT)).toEqual({ clientId: victim, track: 'victim', served: true, care: false, emergency: false });
      expect(await journalAccessOf(tx, perpetrator, vera, AT)).toMatchObject({ served: false });
      expect(await journalAccessOf(tx, victim, gone, AT)).toMatchObject({ served: false });
      expect(await journalAccessOf(tx, victim, noRole, AT)).toMatchObject({ served: false });

      await addCare(tx, victim, vera, admin);
      expect(await journalAccessOf(tx, victim, vera, AT)).toMatchObject({ served: true, care: true });
      await endCareRelation(tx, victim, vera, LATER);
      expect(await journalAccessOf(tx, victim, vera, AT)).toMatchObject({ care: false });

      await insertEmergencyGrant(tx, {
        id: unique('grant'),
        clientId: victim,
        userId: vera,
        grantedAt: AT,
        expiresAt: LATER,
        reason: 'Fiktivt akut behov',
        accessLogSeq: 1,
      });
      expect(await journalAccessOf(tx, victim, vera, AT)).toMatchObject({ emergency: true });
      // Expired at its instant.
      expect(await journalAccessOf(tx, victim, vera, LATER)).toMatchObject({ emergency: false });
      expect(await activeEmergencyUntil(tx, victim, vera)).toBe(LATER);
      expect(await activeEmergencyUntil(tx, perpetrator, vera)).toBeNull();
    });
  });

  it('keeps care relations: effective only while the therapist serves the track, ended per pair', async () => {
    await store.transaction(async (tx) => {
      const admin = await addUser(tx, { roles: ['admin'] });
      const vera = await addUser(tx, { roles: ['therapist'], tracks: ['victim'], name: 'Fiktiv Vera' });
      const per = await addUser(tx, { roles: ['therapist'], tracks: ['perpetrator'], name: 'Fiktiv Per' });
      const bertil = await addClient(tx, admin, 'victim', { name: 'Bertil Fiktiv', birthYear: 1980 });
      const anna = await addClient(tx, admin, 'victim', { name: 'Anna Fiktiv' });
      const relation = unique('care');
      await insertCareRelation(tx, { id: relation, clientId: bertil, therapistId: vera, startedAt: AT, createdBy: admin });
      await addCare(tx, anna, vera, admin, LATER);
      // A relation across tracks (Per does not serve victims) opens nothing.
      await addCare(tx, anna, per, admin);

      expect(await activeCareRelation(tx, bertil, vera)).toBe(true);
      expect(await activeCareRelation(tx, anna, per)).toBe(false);
      expect(await careTeamOf(tx, bertil)).toEqual([{ id: relation, therapistId: vera, therapistName: 'Fiktiv Vera', startedAt: AT, endedAt: null }]);
      expect((await careTeamOf(tx, anna)).map((row) => row.therapistId)).toEqual([vera]);
      // In name order.
      expect(await clientsInCareOf(tx, vera)).toEqual([
        { clientId: anna, name: 'Anna Fiktiv', track: 'victim', since: LATER, birthYear: null },
        { clientId: bertil, name: 'Bertil Fiktiv', track: 'victim', since: AT, birthYear: 1980 },
      ]);
      expect(await clientsInCareOf(tx, per)).toEqual([]);

      // Ending closes every open relation of the pair, effective or not, and says how many.
      expect(await endCareRelation(tx, anna, per, LATER)).toBe(1);
      expect(await endCareRelation(tx, anna, per, LATER)).toBe(0);
      expect(await endCareRelation(tx, bertil, vera, LATER)).toBe(1);
      expect(await careTeamOf(tx, bertil)).toEqual([]);
      expect(await activeCareRelation(tx, bertil, vera)).toBe(false);
    });
  });

  it("lists an author's open drafts of clients she may still open, newest first, of the tracks asked for", async () => {
    await store.transaction(async (tx) => {
      const admin = await addUser(tx, { roles: ['admin'] });
      const vera = await addUser(tx, { roles: ['therapist'], tracks: ['victim', 'child'] });
      const other = await addUser(tx, { roles: ['therapist'], tracks: ['victim'] });
      const inCare = await addClient(tx, admin, 'victim', { name: 'Fiktiv Vård' });
      const child = await addClient(tx, admin, 'child', { name: 'Fiktivt Barn' });
      const ended = await addClient(tx, admin, 'victim');
      const emergency = await addClient(tx, admin, 'victim', { name: 'Fiktiv Nöd' });
      await addCare(tx, inCare, vera, admin);
      await addCare(tx, child, vera, admin);
      await addCare(tx, ended, vera, admin);
      await endCareRelation(tx, ended, vera, AT);
      await insertEmergencyGrant(tx, {
        id: unique('grant'),
        clientId: emergency,
        userId: vera,
        grantedAt: AT,
        expiresAt: LATER,
        reason: 'Fiktivt akut behov',
        accessLogSeq: 1,
      });
      const mine = entry(inCare, vera, { createdAt: '2026-03-01T08:00:00.000Z' });
      const mineLater = entry(child, vera, { createdAt: '2026-03-01T09:00:00.000Z', kind: 'assessment' });
      const viaEmergency = entry(emergency, vera, { createdAt: '2026-03-01T07:00:00.000Z' });
      for (const row of [
        mine,
        mineLater,
        viaEmergency,
        entry(ended, vera),
        entry(inCare, other),
        entry(inCare, vera, { status: 'signed', signedAt: AT }),
      ])
        await insertEntry(tx, row);

      expect(await openDraftsOf(tx, vera, ['victim', 'child'], AT)).toEqual([
        { entryId: mineLater.id, clientId: child, clientName: 'Fiktivt Barn', kind: 'assessment', updatedAt: '2026-03-01T09:00:00.000Z' },
        { entryId: mine.id, clientId: inCare, clientName: 'Fiktiv Vård', kind: 'note', updatedAt: '2026-03-01T08:00:00.000Z' },
        { entryId: viaEmergency.id, clientId: emergency, clientName: 'Fiktiv Nöd', kind: 'note', updatedAt: '2026-03-01T07:00:00.000Z' },
      ]);
      // The emergency access has run out.
      expect((await openDraftsOf(tx, vera, ['victim'], LATER)).map((row) => row.entryId)).toEqual([mine.id]);
      expect(await openDraftsOf(tx, vera, ['perpetrator'], AT)).toEqual([]);
      expect(await openDraftsOf(tx, vera, [], AT)).toEqual([]);
    });
  });

  it('finds the clients whose newest signed entry is older than the cut-off, with their number of signed entries', async () => {
    await store.transaction(async (tx) => {
      const admin = await addUser(tx, { roles: ['admin'] });
      const vera = await addUser(tx, { roles: ['therapist'], tracks: ['victim'] });
      const old = await addClient(tx, admin, 'victim', { name: 'Fiktiv Gammal' });
      const recent = await addClient(tx, admin, 'victim');
      const draftsOnly = await addClient(tx, admin, 'victim');
      const signedAt = (at: string) => ({ status: 'signed' as const, signedAt: at, createdAt: at });
      await insertEntry(tx, entry(old, vera, signedAt('2010-01-01T08:00:00.000Z')));
      await insertEntry(tx, entry(old, vera, signedAt('2012-05-01T08:00:00.000Z')));
      // A draft counts for nothing here: only the signed journal is kept or disposed of.
      await insertEntry(tx, entry(old, vera, { createdAt: '2025-01-01T08:00:00.000Z' }));
      await insertEntry(tx, entry(recent, vera, signedAt('2010-01-01T08:00:00.000Z')));
      await insertEntry(tx, entry(recent, vera, signedAt('2024-01-01T08:00:00.000Z')));
      await insertEntry(tx, entry(draftsOnly, vera, { createdAt: '2010-01-01T08:00:00.000Z' }));
      expect(await clientsWithLastEntryBefore(tx, '2016-01-01T00:00:00.000Z')).toEqual([
        { clientId: old, name: 'Fiktiv Gammal', track: 'victim', lastEntryAt: '2012-05-01T08:00:00.000Z', entries: 2 },
      ]);
      expect(await clientsWithLastEntryBefore(tx, '2000-01-01T00:00:00.000Z')).toEqual([]);
    });
  });
}

describe('journal repository on the encrypted SQLite journal', () => {
  contract(sqliteJournal(tempDir));
});
