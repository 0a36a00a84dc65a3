import { randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { AccessLogFilter } from '../../db/accessLog.js';
import { clientLogRows, findLogRow, logRowsMatching, markReviewed, searchLog, verifyLogChain } from '../../db/accessLog/queries.js';
import {
  findClient,
  findClientsExactly,
  findClientWithContact,
  tracksOfSide,
  type ClientWithContact,
  type ContactRow,
} from '../../db/clients/index.js';
import { parseIdentityNumber } from '../../preload/personnummer.js';
import type { Tx } from '../../db/engine/store.js';
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
  journalOpeningOf,
  openDraftsOf,
  signEntry,
  updateDraft,
  type EntryKind,
  type JournalAccessRow,
  type JournalEntryRow,
} from '../../db/journalEntries/index.js';
import { listSites, tracksServedBy } from '../../db/org/index.js';
import { hasRole } from '../../db/users/index.js';
import type { JournalView, SessionUser, Side } from '../../preload/contract/index.js';
import { DomainError } from './errors.js';

/** How long an emergency access stays open: one working session, then it must be asked for again. */
export const EMERGENCY_ACCESS_HOURS = 4;

export type JournalAccess = 'care' | 'emergency';

async function clientOrNotFound(tx: Tx, clientId: string) {
  const client = await findClient(tx, clientId);
  if (!client) throw new DomainError('NOT_FOUND', 'error.client.notFound');
  return client;
}

/**
 * A therapist reaches only clients of the tracks they serve now. A client of another track is
 * answered exactly as an unknown id, so no journal channel tells a therapist that it exists.
 */
async function clientOfServedTrack(tx: Tx, clientId: string, user: SessionUser, now: Date): Promise<JournalAccessRow> {
  const row = await journalAccessOf(tx, clientId, user.id, now.toISOString());
  if (!row || !row.served) throw new DomainError('NOT_FOUND', 'error.client.notFound');
  return row;
}

/** How this therapist may open the journal now, or null: a care relation, or a live emergency access (both within served tracks). */
function accessNow(row: JournalAccessRow): JournalAccess | null {
  if (!row.served) return null;
  if (row.care) return 'care';
  if (row.emergency) return 'emergency';
  return null;
}

/** A therapist opens a journal only in a care relation or through a live emergency access. */
export async function journalAccess(tx: Tx, clientId: string, user: SessionUser, now: Date): Promise<JournalAccess> {
  return accessOrRefusal(await clientOfServedTrack(tx, clientId, user, now));
}

/**
 * journalAccess, and the client with their contact details for journalView, in one statement: what
 * opening a journal reads before its log row (the same rows the two reads gave).
 */
export async function journalOpening(
  tx: Tx,
  clientId: string,
  user: SessionUser,
  now: Date,
): Promise<{ access: JournalAccess; client: ClientWithContact }> {
  const opening = await journalOpeningOf(tx, clientId, user.id, now.toISOString());
  if (!opening || !opening.access.served) throw new DomainError('NOT_FOUND', 'error.client.notFound');
  return { access: accessOrRefusal(opening.access), client: opening.client };
}

function accessOrRefusal(row: JournalAccessRow): JournalAccess {
  const access = accessNow(row);
  if (!access) {
    const error = new DomainError('FORBIDDEN', 'error.journal.noCareRelation');
    // The refusal says that this client exists on the therapist's track: it stays in the client's extract.
    error.trace = [{ clientId: row.clientId, record: 'refusal:no-care' }];
    throw error;
  }
  return access;
}

/** The client's own therapist (and admins, elsewhere) may see a protected phone and address; an emergency access may not. */
function contactFor(client: { protectedIdentity: boolean; contact: ContactRow | null }, access: JournalAccess) {
  const contact = client.contact;
  if ((client.protectedIdentity && access !== 'care') || !contact) return { phone: null, safeContact: null, address: null };
  return {
    phone: contact.phone,
    // Where the number is shown, how to use it is shown too.
    safeContact: {
      safeToCall: contact.safeToCall,
      safeToText: contact.safeToText,
      safeVoicemail: contact.safeVoicemail,
      safeTimes: contact.safeTimes ?? '',
      codeWord: contact.codeWord ?? '',
      instructions: contact.instructions ?? '',
    },
    address: contact.address,
  };
}

export async function journalView(
  tx: Tx,
  clientId: string,
  access: JournalAccess,
  user: SessionUser,
  read: ClientWithContact | null = null,
): Promise<JournalView> {
  // The client and their contact details in one statement (the details as the transaction may see
  // them), unless the caller read them with its access check (journalOpening).
  const client = read ?? (await findClientWithContact(tx, clientId));
  if (!client) throw new DomainError('NOT_FOUND', 'error.client.notFound');
  const contact = contactFor(client, access);
  const emergencyUntil = access === 'emergency' ? await activeEmergencyUntil(tx, clientId, user.id) : null;
  const { careTeam, entries } = await careTeamAndEntriesOf(tx, clientId);
  return {
    client: {
      id: client.id,
      name: client.name,
      isAlias: client.isAlias,
      personalNumber: client.personalNumber,
      birthYear: client.birthYear,
      track: client.track,
      protectedIdentity: client.protectedIdentity,
      ...contact,
    },
    access,
    emergencyUntil,
    careTeam,
    entries: entries
      // Drafts are the author's own until signed.
      .filter((entry) => entry.status === 'signed' || entry.authorId === user.id)
      .map(toEntryView),
  };
}

function toEntryView(entry: JournalEntryRow) {
  return {
    id: entry.id,
    kind: entry.kind,
    status: entry.status,
    body: entry.body,
    authorId: entry.authorId,
    authorName: entry.authorName,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    signedAt: entry.signedAt,
    amendsId: entry.amendsId,
    amendmentReason: entry.amendmentReason,
  };
}

export async function grantEmergencyAccess(
  tx: Tx,
  clientId: string,
  user: SessionUser,
  reason: string,
  accessLogSeq: number,
  now: Date,
): Promise<void> {
  // Emergency access stays within the tracks a therapist serves: another track's client is an unknown id.
  await clientOfServedTrack(tx, clientId, user, now);
  await insertEmergencyGrant(tx, {
    id: randomUUID(),
    clientId,
    userId: user.id,
    grantedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + EMERGENCY_ACCESS_HOURS * 3_600_000).toISOString(),
    reason,
    accessLogSeq,
  });
}

/** An entry this therapist may reach now; any other (another track's, or a journal not open to them) is an unknown entry. */
async function reachableEntry(tx: Tx, entryId: string, user: SessionUser, now: Date): Promise<JournalEntryRow> {
  const entry = await findEntry(tx, entryId);
  const access = entry ? await journalAccessOf(tx, entry.clientId, user.id, now.toISOString()) : null;
  if (!entry || !access || !accessNow(access)) throw new DomainError('NOT_FOUND', 'error.journal.entryNotFound');
  return entry;
}

async function ownDraft(tx: Tx, entryId: string, user: SessionUser, now: Date): Promise<JournalEntryRow> {
  const entry = await reachableEntry(tx, entryId, user, now);
  if (entry.status === 'signed') throw new DomainError('CONFLICT', 'error.journal.signed');
  if (entry.authorId !== user.id) throw new DomainError('FORBIDDEN', 'error.journal.notAuthor');
  return entry;
}

export async function saveDraft(
  tx: Tx,
  input: { clientId: string; entryId: string | null; kind: EntryKind; body: string },
  user: SessionUser,
  now: Date,
) {
  await journalAccess(tx, input.clientId, user, now);
  const at = now.toISOString();
  if (input.entryId) {
    const entry = await ownDraft(tx, input.entryId, user, now);
    if (entry.clientId !== input.clientId) throw new DomainError('NOT_FOUND', 'error.journal.entryNotFound');
    await updateDraft(tx, { id: entry.id, kind: input.kind, body: input.body, updatedAt: at });
    return toEntryView((await findEntry(tx, entry.id))!);
  }
  const id = randomUUID();
  await insertEntry(tx, {
    id,
    clientId: input.clientId,
    authorId: user.id,
    kind: input.kind,
    status: 'draft',
    body: input.body,
    createdAt: at,
    signedAt: null,
    amendsId: null,
    amendmentReason: null,
  });
  return toEntryView((await findEntry(tx, id))!);
}

export async function removeDraft(tx: Tx, entryId: string, user: SessionUser, now: Date): Promise<{ clientId: string }> {
  const entry = await ownDraft(tx, entryId, user, now);
  await deleteDraft(tx, entry.id);
  return { clientId: entry.clientId };
}

/** Signing makes the entry permanent; the password was re-entered and checked before this runs. */
export async function signDraft(tx: Tx, entryId: string, user: SessionUser, now: Date) {
  const entry = await ownDraft(tx, entryId, user, now);
  if (!entry.body.trim()) throw new DomainError('INVALID_INPUT', 'error.journal.empty', { body: 'error.journal.empty' });
  await signEntry(tx, entry.id, now.toISOString());
  return toEntryView((await findEntry(tx, entry.id))!);
}

/** A correction of a signed entry: a new signed entry that refers to it; the original stays as it was. */
export async function amendEntry(tx: Tx, input: { entryId: string; reason: string; body: string }, user: SessionUser, now: Date) {
  const original = await reachableEntry(tx, input.entryId, user, now);
  if (original.status !== 'signed') throw new DomainError('CONFLICT', 'error.journal.amendDraft');
  const id = randomUUID();
  const at = now.toISOString();
  await insertEntry(tx, {
    id,
    clientId: original.clientId,
    authorId: user.id,
    kind: original.kind,
    status: 'signed',
    body: input.body,
    createdAt: at,
    signedAt: at,
    amendsId: original.id,
    amendmentReason: input.reason,
  });
  return toEntryView((await findEntry(tx, id))!);
}

/** The therapist's own care list: clients in a care relation that opens their journal (see careTeamOf). */
export async function myClients(tx: Tx, user: SessionUser) {
  return (await clientsInCareOf(tx, user.id)).map(({ clientId, name, track, since }) => ({ clientId, name, track, since }));
}

/** The signed-in therapist's unsigned drafts on one side, for her start page: which client and kind, never the text. */
export async function myDrafts(tx: Tx, side: Side, user: SessionUser, now: Date) {
  return openDraftsOf(tx, user.id, tracksOfSide(side), now.toISOString());
}

// ---- Care relations, for the care.* channels of the client record --------------------------------

/** Care follows the track: only an active therapist who serves the client's track may be given the care. */
export async function assignCare(tx: Tx, clientId: string, therapistId: string, by: string, now: Date) {
  const client = await clientOrNotFound(tx, clientId);
  if (!(await hasRole(tx, therapistId, 'therapist')))
    throw new DomainError('INVALID_INPUT', 'error.therapist.unknown', { therapistId: 'error.therapist.unknown' });
  if (!(await tracksServedBy(tx, therapistId)).includes(client.track))
    throw new DomainError('INVALID_INPUT', 'error.care.otherTrack', { therapistId: 'error.care.otherTrack' });
  if (!(await activeCareRelation(tx, clientId, therapistId))) {
    // A relation left open from before a change of tracks is closed first, so that one pair has one open relation.
    await endCareRelation(tx, clientId, therapistId, now.toISOString());
    await insertCareRelation(tx, { id: randomUUID(), clientId, therapistId, startedAt: now.toISOString(), createdBy: by });
  }
  return careTeamOf(tx, clientId);
}

export async function endCare(tx: Tx, clientId: string, therapistId: string, now: Date) {
  await clientOrNotFound(tx, clientId);
  if ((await endCareRelation(tx, clientId, therapistId, now.toISOString())) === 0) throw new DomainError('NOT_FOUND', 'error.care.notFound');
  return careTeamOf(tx, clientId);
}

/** The copy of a journal for the client's right of access: who wrote what and when, amendments beside their originals. */
export async function journalExport(tx: Tx, clientId: string, user: SessionUser, now: Date) {
  const client = await clientOrNotFound(tx, clientId);
  const site = (await listSites(tx)).find((candidate) => candidate.id === client.siteId);
  const entries = await entriesOf(tx, clientId);
  return {
    unit: site?.name ?? 'Utväg',
    printedAt: now.toISOString(),
    printedBy: user.displayName,
    client: { name: client.name, personalNumber: client.personalNumber, birthYear: client.birthYear },
    entries: entries.filter((entry) => entry.status === 'signed').map(toEntryView),
  };
}

export async function retentionReport(tx: Tx, years: number, now: Date) {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return clientsWithLastEntryBefore(tx, cutoff.toISOString());
}

// ---- The access log, for admins -------------------------------------------------------------

export async function accessLogPage(tx: Tx, filter: AccessLogFilter, page: number, pageSize = 50) {
  return { ...(await searchLog(tx, filter, pageSize, page * pageSize)), page, pageSize };
}

export async function reviewEmergencyAccess(tx: Tx, seq: number, by: string, note: string | null, now: Date) {
  const row = await findLogRow(tx, seq);
  if (!row || !row.emergency) throw new DomainError('NOT_FOUND', 'error.audit.notEmergency');
  await markReviewed(tx, seq, by, now.toISOString(), note);
  return (await findLogRow(tx, seq))!;
}

/** CSV of the access log: who, when, which client, which record, what action. Never journal text. */
export async function accessLogCsv(tx: Tx, filter: AccessLogFilter): Promise<{ rows: number; csv: string }> {
  const records = (await logRowsMatching(tx, filter)).map((row) => [
    row.seq,
    row.at,
    row.userName ?? '',
    row.userId ?? '',
    row.clientId ?? '',
    row.record ?? '',
    row.action,
    row.emergency ? 'ja' : 'nej',
    row.reason ?? '',
    row.reviewedAt ?? '',
  ]);
  const csv = stringify(records, {
    header: true,
    columns: ['seq', 'tidpunkt_utc', 'anvandare', 'anvandar_id', 'klient_id', 'post', 'handling', 'nodatkomst', 'skal', 'granskad'],
    bom: true,
    // A written reason or a user's name starting with = + - @ would run as a formula in a spreadsheet.
    escape_formulas: true,
  });
  return { rows: records.length, csv };
}

/** For the client: which unit looked at their record, who, when and how. */
export async function clientAccessExtract(tx: Tx, clientId: string) {
  const client = await clientOrNotFound(tx, clientId);
  const rows = await clientLogRows(tx, clientId);
  return { client: { name: client.name, personalNumber: client.personalNumber }, rows };
}

/** The whole chain, walked in pages (see verifyLogChain): the one channel whose statements grow with the log. */
export async function verifyAccessLog(tx: Tx) {
  const result = await verifyLogChain(tx);
  return result.ok ? { ok: true as const, rows: result.rows, brokenAt: null } : { ok: false as const, rows: 0, brokenAt: result.brokenAt };
}

/** A therapist looks up a client to open the journal: exact name or identity number, or a prefix among their own clients. */
export async function findForJournal(tx: Tx, query: string, user: SessionUser, now: Date) {
  const identity = parseIdentityNumber(query, now);
  const exact = await findClientsExactly(tx, { name: query, personalNumber: identity.valid ? identity.normalised : null });
  const mine = await clientsInCareOf(tx, user.id);
  const key = query.trim().toLowerCase();
  const ownMatches = mine
    .filter((client) => client.name.toLowerCase().includes(key))
    .map((client) => ({ id: client.clientId, name: client.name, track: client.track, birthYear: client.birthYear }));
  const seen = new Set<string>();
  // A therapist finds only clients of the tracks they serve: no look across sides.
  const tracks = await tracksServedBy(tx, user.id);
  return [...ownMatches, ...exact]
    .filter((client) => tracks.includes(client.track))
    .filter((client) => (seen.has(client.id) ? false : (seen.add(client.id), true)))
    .map((client) => ({
      id: client.id,
      name: client.name,
      track: client.track,
      birthYear: client.birthYear,
      inMyCare: mine.some((own) => own.clientId === client.id),
    }));
}
