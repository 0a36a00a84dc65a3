import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Track } from '../engine/schema.js';
import { CLIENT_COLUMNS, contactColumns, toClientWithContact, type ClientWithContact } from '../clients/index.js';
import { reusableQuery } from '../engine/compiled.js';
import { rowsAsJson, rowsFromJson } from '../engine/jsonRows.js';
import type { Tx } from '../engine/store.js';

/**
 * The journal's tables (entries, care relations, emergency grants) over a transaction handle.
 */

export type EntryKind = 'note' | 'assessment' | 'treatment_plan' | 'closing_summary';

export interface JournalEntryRow {
  id: string;
  clientId: string;
  authorId: string;
  authorName: string;
  kind: EntryKind;
  status: 'draft' | 'signed';
  body: string;
  createdAt: string;
  updatedAt: string;
  signedAt: string | null;
  amendsId: string | null;
  amendmentReason: string | null;
}

function selectEntries(tx: Tx) {
  return tx
    .selectFrom('journal_entries as e')
    .innerJoin('users as u', 'u.id', 'e.author_id')
    .select([
      'e.id',
      'e.client_id as clientId',
      'e.author_id as authorId',
      'u.display_name as authorName',
      'e.kind',
      'e.status',
      'e.body',
      'e.created_at as createdAt',
      'e.updated_at as updatedAt',
      'e.signed_at as signedAt',
      'e.amends_id as amendsId',
      'e.amendment_reason as amendmentReason',
    ]);
}

/** A client's entries, oldest first. */
function entryRowsOf(tx: Tx, clientId: string) {
  return selectEntries(tx).where('e.client_id', '=', clientId).orderBy('e.created_at').orderBy('e.id');
}

const entriesOfClient = reusableQuery(1, entryRowsOf);

/** The instants of an entry row, to read back from JSON as the journal gives them (rowsFromJson). */
const ENTRY_INSTANTS = ['createdAt', 'updatedAt', 'signedAt'] as const;

export async function entriesOf(tx: Tx, clientId: string): Promise<JournalEntryRow[]> {
  return entriesOfClient.all(tx, clientId);
}

export async function findEntry(tx: Tx, id: string): Promise<JournalEntryRow | null> {
  return (await selectEntries(tx).where('e.id', '=', id).executeTakeFirst()) ?? null;
}

export async function insertEntry(tx: Tx, entry: Omit<JournalEntryRow, 'authorName' | 'updatedAt'>): Promise<void> {
  await tx
    .insertInto('journal_entries')
    .values({
      id: entry.id,
      client_id: entry.clientId,
      author_id: entry.authorId,
      kind: entry.kind,
      status: entry.status,
      body: entry.body,
      created_at: entry.createdAt,
      updated_at: entry.createdAt,
      signed_at: entry.signedAt,
      amends_id: entry.amendsId,
      amendment_reason: entry.amendmentReason,
    })
    .execute();
}

/** Changes a draft; the triggers refuse any change to a signed entry, whoever asks. */
export async function updateDraft(tx: Tx, change: { id: string; kind: EntryKind; body: string; updatedAt: string }): Promise<void> {
  await tx
    .updateTable('journal_entries')
    .set({ kind: change.kind, body: change.body, updated_at: change.updatedAt })
    .where('id', '=', change.id)
    .where('status', '=', 'draft')
    .execute();
}

export async function signEntry(tx: Tx, id: string, at: string): Promise<void> {
  await tx
    .updateTable('journal_entries')
    .set({ status: 'signed', signed_at: at, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute();
}

export async function deleteDraft(tx: Tx, id: string): Promise<void> {
  await tx.deleteFrom('journal_entries').where('id', '=', id).where('status', '=', 'draft').execute();
}

/** Clients whose newest signed journal entry is older than the cut-off: candidates for a documented disposal decision. */
export async function clientsWithLastEntryBefore(
  tx: Tx,
  cutoff: string,
): Promise<{ clientId: string; name: string; track: Track; lastEntryAt: string; entries: number }[]> {
  const rows = await tx
    .selectFrom('journal_entries as e')
    .innerJoin('clients as c', 'c.id', 'e.client_id')
    .where('e.status', '=', 'signed')
    .groupBy(['c.id', 'c.name', 'c.track'])
    .having((eb) => eb.fn.max('e.created_at'), '<', cutoff)
    .select((eb) => ['c.id as clientId', 'c.name', 'c.track', eb.fn.max('e.created_at').as('lastEntryAt'), eb.fn.countAll<number>().as('entries')])
    .orderBy('lastEntryAt')
    .execute();
  return rows.map((row) => ({ ...row, entries: Number(row.entries) }));
}

/** 1 or 0 on both engines (PostgreSQL's EXISTS is a boolean, SQLite's an integer). */
function flag<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, condition: Expression<SqlBool>) {
  return eb.case().when(condition).then(sql.lit<0 | 1>(1)).else(sql.lit<0 | 1>(0)).end();
}

export interface JournalAccessRow {
  clientId: string;
  track: Track;
  /** The therapist serves the client's track now (active, a therapist, the track hers). */
  served: boolean;
  /** An open care relation of the pair. */
  care: boolean;
  /** A live emergency access of the pair. */
  emergency: boolean;
}

/**
 * Everything the journal's access rule asks about one client and one therapist, in one statement: null
 * when the client does not exist. The service turns it into care, emergency, or an unknown id.
 */
function journalAccessSelect(tx: Tx, clientId: string, userId: string, at: string) {
  return tx
    .selectFrom('clients as c')
    .where('c.id', '=', clientId)
    .select((eb) => [
      'c.id as clientId',
      'c.track',
      // The therapist serves the track: active, a therapist, and the track among hers (as tracksServedBy).
      flag(
        eb,
        eb.exists(
          eb
            .selectFrom('therapist_tracks as t')
            .innerJoin('users as u', (join) => join.onRef('u.id', '=', 't.user_id').on('u.active', '=', 1))
            .innerJoin('user_roles as ur', (join) => join.onRef('ur.user_id', '=', 't.user_id').on('ur.role', '=', 'therapist'))
            .select(sql.lit(1).as('one'))
            .where('t.user_id', '=', userId)
            .whereRef('t.track', '=', 'c.track'),
        ),
      ).as('served'),
      flag(
        eb,
        eb.exists(
          eb
            .selectFrom('care_relations as r')
            .select(sql.lit(1).as('one'))
            .whereRef('r.client_id', '=', 'c.id')
            .where('r.therapist_id', '=', userId)
            .where('r.ended_at', 'is', null),
        ),
      ).as('care'),
      flag(
        eb,
        eb.exists(
          eb
            .selectFrom('emergency_grants as g')
            .select(sql.lit(1).as('one'))
            .whereRef('g.client_id', '=', 'c.id')
            .where('g.user_id', '=', userId)
            .where('g.expires_at', '>', at),
        ),
      ).as('emergency'),
    ]);
}

const journalAccessQuery = reusableQuery(3, journalAccessSelect);

/**
 * journalAccessQuery and the client's row with their contact details (as this transaction may see
 * them), in one statement: what opening a journal reads before its log row.
 */
const journalOpeningQuery = reusableQuery(3, (tx: Tx, clientId: string, userId: string, at: string) =>
  journalAccessSelect(tx, clientId, userId, at)
    .leftJoin('client_contacts as k', 'k.client_id', 'c.id')
    // The client's columns but the track, which the access rule's part has read already.
    .select(CLIENT_COLUMNS.filter((column) => column !== 'c.track'))
    .select((eb) => contactColumns(eb)),
);

function toAccessRow(row: { clientId: string; track: Track; served: 0 | 1; care: 0 | 1; emergency: 0 | 1 }): JournalAccessRow {
  return { clientId: row.clientId, track: row.track, served: row.served === 1, care: row.care === 1, emergency: row.emergency === 1 };
}

/** See journalOpeningQuery: null when the client does not exist. */
export async function journalOpeningOf(
  tx: Tx,
  clientId: string,
  userId: string,
  at: string,
): Promise<{ access: JournalAccessRow; client: ClientWithContact } | null> {
  const row = await journalOpeningQuery.first(tx, clientId, userId, at);
  if (!row) return null;
  return { access: toAccessRow(row), client: toClientWithContact(row) };
}

export async function journalAccessOf(tx: Tx, clientId: string, userId: string, at: string): Promise<JournalAccessRow | null> {
  const row = await journalAccessQuery.first(tx, clientId, userId, at);
  return row ? toAccessRow(row) : null;
}

/**
 * The care relations that open the journal: open, and their therapist active, a therapist, and serving
 * the client's track. When an admin takes a track away from a therapist, the relations across tracks
 * stop opening journals. Each relation joins at most one row of each table (their keys), so no row doubles.
 */
function effectiveCare(tx: Tx) {
  return tx
    .selectFrom('care_relations as r')
    .innerJoin('clients as c', 'c.id', 'r.client_id')
    .innerJoin('users as u', (join) => join.onRef('u.id', '=', 'r.therapist_id').on('u.active', '=', 1))
    .innerJoin('user_roles as ur', (join) => join.onRef('ur.user_id', '=', 'r.therapist_id').on('ur.role', '=', 'therapist'))
    .innerJoin('therapist_tracks as t', (join) => join.onRef('t.user_id', '=', 'r.therapist_id').onRef('t.track', '=', 'c.track'))
    .where('r.ended_at', 'is', null);
}

export async function activeCareRelation(tx: Tx, clientId: string, therapistId: string): Promise<boolean> {
  const row = await effectiveCare(tx).where('r.client_id', '=', clientId).where('r.therapist_id', '=', therapistId).select('r.id').executeTakeFirst();
  return row !== undefined;
}

export interface CareRelationRow {
  id: string;
  therapistId: string;
  therapistName: string;
  startedAt: string;
  endedAt: string | null;
}

/** The client's care team now: the relations that open the journal. */
function careTeamRowsOf(tx: Tx, clientId: string) {
  return effectiveCare(tx)
    .where('r.client_id', '=', clientId)
    .select(['r.id', 'r.therapist_id as therapistId', 'u.display_name as therapistName', 'r.started_at as startedAt', 'r.ended_at as endedAt'])
    .orderBy('r.started_at')
    .orderBy('r.id');
}

const careTeamQuery = reusableQuery(1, careTeamRowsOf);

export async function careTeamOf(tx: Tx, clientId: string): Promise<CareRelationRow[]> {
  return careTeamQuery.all(tx, clientId);
}

/**
 * careTeamOf's and entriesOf's queries as two JSON array columns of one statement (db/engine/jsonRows.ts):
 * what an opened journal shows below the client, in one round trip on the server. Each part keeps its
 * tables' row policies, and its order (the JSON arrays are aggregated from the ordered queries).
 */
const careTeamAndEntriesQuery = reusableQuery(1, (tx: Tx, clientId: string) =>
  tx.selectNoFrom([rowsAsJson(tx, careTeamRowsOf(tx, clientId)).as('careTeam'), rowsAsJson(tx, entryRowsOf(tx, clientId)).as('entries')]),
);

export async function careTeamAndEntriesOf(tx: Tx, clientId: string): Promise<{ careTeam: CareRelationRow[]; entries: JournalEntryRow[] }> {
  const row = await careTeamAndEntriesQuery.first(tx, clientId);
  return {
    careTeam: rowsFromJson<CareRelationRow>(row?.careTeam ?? null, ['startedAt', 'endedAt']),
    entries: rowsFromJson<JournalEntryRow>(row?.entries ?? null, ENTRY_INSTANTS),
  };
}

export async function insertCareRelation(
  tx: Tx,
  relation: { id: string; clientId: string; therapistId: string; startedAt: string; createdBy: string },
): Promise<void> {
  await tx
    .insertInto('care_relations')
    .values({
      id: relation.id,
      client_id: relation.clientId,
      therapist_id: relation.therapistId,
      started_at: relation.startedAt,
      created_by: relation.createdBy,
    })
    .execute();
}

/** Ends any open relation of the pair, effective or not (one left open would come back if the track were given back). */
export async function endCareRelation(tx: Tx, clientId: string, therapistId: string, at: string): Promise<number> {
  const result = await tx
    .updateTable('care_relations')
    .set({ ended_at: at })
    .where('client_id', '=', clientId)
    .where('therapist_id', '=', therapistId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The therapist's care list, in name order; birthYear for the journal lookup, which shows it. */
export async function clientsInCareOf(
  tx: Tx,
  therapistId: string,
): Promise<{ clientId: string; name: string; track: Track; since: string; birthYear: number | null }[]> {
  return effectiveCare(tx)
    .where('r.therapist_id', '=', therapistId)
    .select(['c.id as clientId', 'c.name', 'c.track', 'r.started_at as since', 'c.birth_year as birthYear'])
    .orderBy('c.search_name')
    .execute();
}

/**
 * One author's drafts of clients she may still open (a live care relation or emergency access),
 * newest first, in one statement; a draft of a client whose care has ended is not listed.
 */
export async function openDraftsOf(
  tx: Tx,
  authorId: string,
  tracks: readonly Track[],
  at: string,
): Promise<{ entryId: string; clientId: string; clientName: string; kind: EntryKind; updatedAt: string }[]> {
  if (tracks.length === 0) return [];
  return tx
    .selectFrom('journal_entries as e')
    .innerJoin('clients as c', 'c.id', 'e.client_id')
    .where('e.author_id', '=', authorId)
    .where('e.status', '=', 'draft')
    .where('c.track', 'in', tracks)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('care_relations as r')
            .select(sql.lit(1).as('one'))
            .whereRef('r.client_id', '=', 'e.client_id')
            .whereRef('r.therapist_id', '=', 'e.author_id')
            .where('r.ended_at', 'is', null),
        ),
        eb.exists(
          eb
            .selectFrom('emergency_grants as g')
            .select(sql.lit(1).as('one'))
            .whereRef('g.client_id', '=', 'e.client_id')
            .whereRef('g.user_id', '=', 'e.author_id')
            .where('g.expires_at', '>', at),
        ),
      ]),
    )
    .select(['e.id as entryId', 'e.client_id as clientId', 'c.name as clientName', 'e.kind', 'e.updated_at as updatedAt'])
    .orderBy('e.updated_at', 'desc')
    .orderBy('e.id')
    .limit(200)
    .execute();
}

export async function insertEmergencyGrant(
  tx: Tx,
  grant: { id: string; clientId: string; userId: string; grantedAt: string; expiresAt: string; reason: string; accessLogSeq: number },
): Promise<void> {
  await tx
    .insertInto('emergency_grants')
    .values({
      id: grant.id,
      client_id: grant.clientId,
      user_id: grant.userId,
      granted_at: grant.grantedAt,
      expires_at: grant.expiresAt,
      reason: grant.reason,
      access_log_seq: grant.accessLogSeq,
    })
    .execute();
}

/** Until when the newest emergency access of the pair runs (null without one). */
export async function activeEmergencyUntil(tx: Tx, clientId: string, userId: string): Promise<string | null> {
  const row = await tx
    .selectFrom('emergency_grants')
    .where('client_id', '=', clientId)
    .where('user_id', '=', userId)
    .select((eb) => eb.fn.max('expires_at').as('until'))
    .executeTakeFirst();
  return row?.until ?? null;
}
