import { randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { iterateAccessLog, markReviewed, searchAccessLog, findAccessLogRow, verifyAccessLogChain, type AccessLogFilter } from '../../db/accessLog.js';
import { findClient, findClientsExactly, findContact, tracksOfSide, type ClientRow } from '../../db/clients.js';
import { parseIdentityNumber } from '../../preload/personnummer.js';
import type { Db } from '../../db/connection.js';
import {
  activeCareRelation,
  activeEmergencyGrant,
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
  openDraftsOf,
  signEntry,
  updateDraft,
  type EntryKind,
  type JournalEntryRow,
} from '../../db/journalEntries.js';
import { listSites, listTherapists, tracksServedBy } from '../../db/org.js';
import { hasRole } from '../../db/users.js';
import type { JournalView, SessionUser, Side, Track } from '../../preload/contract/index.js';
import { DomainError } from './errors.js';

/** How long an emergency access stays open: one working session, then it must be asked for again. */
export const EMERGENCY_ACCESS_HOURS = 4;

export type JournalAccess = 'care' | 'emergency';

function clientOrNotFound(db: Db, clientId: string) {
  const client = findClient(db, clientId);
  if (!client) throw new DomainError('NOT_FOUND', 'error.client.notFound');
  return client;
}

/**
 * A therapist reaches only clients of the tracks they serve now. A client of another track is
 * answered exactly as an unknown id, so no journal channel tells a therapist that it exists.
 */
function clientOfServedTrack(db: Db, clientId: string, user: SessionUser): ClientRow {
  const client = findClient(db, clientId);
  if (!client || !tracksServedBy(db, user.id).includes(client.track)) throw new DomainError('NOT_FOUND', 'error.client.notFound');
  return client;
}

/** How this therapist may open the journal now, or null: a care relation, or a live emergency access (both within served tracks). */
function accessNow(db: Db, client: ClientRow, user: SessionUser, now: Date): JournalAccess | null {
  if (!tracksServedBy(db, user.id).includes(client.track)) return null;
  if (activeCareRelation(db, client.id, user.id)) return 'care';
  if (activeEmergencyGrant(db, client.id, user.id, now.toISOString())) return 'emergency';
  return null;
}

/** A therapist opens a journal only in a care relation or through a live emergency access. */
export function journalAccess(db: Db, clientId: string, user: SessionUser, now: Date): JournalAccess {
  const client = clientOfServedTrack(db, clientId, user);
  const access = accessNow(db, client, user, now);
  if (!access) {
    const error = new DomainError('FORBIDDEN', 'error.journal.noCareRelation');
    // The refusal says that this client exists on the therapist's track: it stays in the client's extract.
    error.trace = [{ clientId: client.id, record: 'refusal:no-care' }];
    throw error;
  }
  return access;
}

/** The client's own therapist (and admins, elsewhere) may see a protected phone and address; an emergency access may not. */
function contactFor(db: Db, client: ClientRow, access: JournalAccess) {
  const contact = findContact(db, client.id);
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

export function journalView(db: Db, clientId: string, access: JournalAccess, user: SessionUser): JournalView {
  const client = clientOrNotFound(db, clientId);
  return {
    client: {
      id: client.id,
      name: client.name,
      isAlias: client.isAlias,
      personalNumber: client.personalNumber,
      birthYear: client.birthYear,
      track: client.track,
      protectedIdentity: client.protectedIdentity,
      ...contactFor(db, client, access),
    },
    access,
    emergencyUntil: access === 'emergency' ? activeEmergencyUntil(db, clientId, user.id) : null,
    careTeam: careTeamOf(db, clientId),
    entries: entriesOf(db, clientId)
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

export function grantEmergencyAccess(db: Db, clientId: string, user: SessionUser, reason: string, accessLogSeq: number, now: Date): void {
  // Emergency access stays within the tracks a therapist serves: another track's client is an unknown id.
  clientOfServedTrack(db, clientId, user);
  insertEmergencyGrant(db, {
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
function reachableEntry(db: Db, entryId: string, user: SessionUser, now: Date): JournalEntryRow {
  const entry = findEntry(db, entryId);
  const client = entry ? findClient(db, entry.clientId) : null;
  if (!entry || !client || !accessNow(db, client, user, now)) throw new DomainError('NOT_FOUND', 'error.journal.entryNotFound');
  return entry;
}

function ownDraft(db: Db, entryId: string, user: SessionUser, now: Date): JournalEntryRow {
  const entry = reachableEntry(db, entryId, user, now);
  if (entry.status === 'signed') throw new DomainError('CONFLICT', 'error.journal.signed');
  if (entry.authorId !== user.id) throw new DomainError('FORBIDDEN', 'error.journal.notAuthor');
  return entry;
}

export function saveDraft(db: Db, input: { clientId: string; entryId: string | null; kind: EntryKind; body: string }, user: SessionUser, now: Date) {
  journalAccess(db, input.clientId, user, now);
  const at = now.toISOString();
  if (input.entryId) {
    const entry = ownDraft(db, input.entryId, user, now);
    if (entry.clientId !== input.clientId) throw new DomainError('NOT_FOUND', 'error.journal.entryNotFound');
    updateDraft(db, { id: entry.id, kind: input.kind, body: input.body, updatedAt: at });
    return toEntryView(findEntry(db, entry.id)!);
  }
  const id = randomUUID();
  insertEntry(db, {
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
  return toEntryView(findEntry(db, id)!);
}

export function removeDraft(db: Db, entryId: string, user: SessionUser, now: Date): { clientId: string } {
  const entry = ownDraft(db, entryId, user, now);
  deleteDraft(db, entry.id);
  return { clientId: entry.clientId };
}

/** Signing makes the entry permanent; the password was re-entered and checked before this runs. */
export function signDraft(db: Db, entryId: string, user: SessionUser, now: Date) {
  const entry = ownDraft(db, entryId, user, now);
  if (!entry.body.trim()) throw new DomainError('INVALID_INPUT', 'error.journal.empty', { body: 'error.journal.empty' });
  signEntry(db, entry.id, now.toISOString());
  return toEntryView(findEntry(db, entry.id)!);
}

/** A correction of a signed entry: a new signed entry that refers to it; the original stays as it was. */
export function amendEntry(db: Db, input: { entryId: string; reason: string; body: string }, user: SessionUser, now: Date) {
  const original = reachableEntry(db, input.entryId, user, now);
  if (original.status !== 'signed') throw new DomainError('CONFLICT', 'error.journal.amendDraft');
  const id = randomUUID();
  const at = now.toISOString();
  insertEntry(db, {
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
  return toEntryView(findEntry(db, id)!);
}

/** The therapist's own care list: clients in a care relation that opens their journal (see careTeamOf). */
export function myClients(db: Db, user: SessionUser) {
  return clientsInCareOf(db, user.id).map((row) => ({ ...row, track: row.track as Track }));
}

/** The signed-in therapist's unsigned drafts on one side, for her start page: which client and kind, never the text. */
export function myDrafts(db: Db, side: Side, user: SessionUser, now: Date) {
  return openDraftsOf(db, user.id, tracksOfSide(side), now.toISOString());
}

/** Care follows the track: only an active therapist who serves the client's track may be given the care. */
export function assignCare(db: Db, clientId: string, therapistId: string, by: string, now: Date) {
  const client = clientOrNotFound(db, clientId);
  if (!hasRole(db, therapistId, 'therapist'))
    throw new DomainError('INVALID_INPUT', 'error.therapist.unknown', { therapistId: 'error.therapist.unknown' });
  if (!tracksServedBy(db, therapistId).includes(client.track))
    throw new DomainError('INVALID_INPUT', 'error.care.otherTrack', { therapistId: 'error.care.otherTrack' });
  if (!activeCareRelation(db, clientId, therapistId)) {
    // A relation left open from before a change of tracks is closed first, so that one pair has one open relation.
    endCareRelation(db, clientId, therapistId, now.toISOString());
    insertCareRelation(db, { id: randomUUID(), clientId, therapistId, startedAt: now.toISOString(), createdBy: by });
  }
  return careTeamOf(db, clientId);
}

export function endCare(db: Db, clientId: string, therapistId: string, now: Date) {
  clientOrNotFound(db, clientId);
  if (endCareRelation(db, clientId, therapistId, now.toISOString()) === 0) throw new DomainError('NOT_FOUND', 'error.care.notFound');
  return careTeamOf(db, clientId);
}

/** The copy of a journal for the client's right of access: who wrote what and when, amendments beside their originals. */
export function journalExport(db: Db, clientId: string, user: SessionUser, now: Date) {
  const client = clientOrNotFound(db, clientId);
  const site = listSites(db).find((candidate) => candidate.id === client.siteId);
  return {
    unit: site?.name ?? 'Utväg',
    printedAt: now.toISOString(),
    printedBy: user.displayName,
    client: { name: client.name, personalNumber: client.personalNumber, birthYear: client.birthYear },
    entries: entriesOf(db, clientId)
      .filter((entry) => entry.status === 'signed')
      .map(toEntryView),
  };
}

export function retentionReport(db: Db, years: number, now: Date) {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return clientsWithLastEntryBefore(db, cutoff.toISOString()).map((row) => ({ ...row, track: row.track as Track }));
}

// ---- The access log, for admins -------------------------------------------------------------

export function accessLogPage(db: Db, filter: AccessLogFilter, page: number, pageSize = 50) {
  return { ...searchAccessLog(db, filter, pageSize, page * pageSize), page, pageSize };
}

export function reviewEmergencyAccess(db: Db, seq: number, by: string, note: string | null, now: Date) {
  const row = findAccessLogRow(db, seq);
  if (!row || !row.emergency) throw new DomainError('NOT_FOUND', 'error.audit.notEmergency');
  markReviewed(db, seq, by, now.toISOString(), note);
  return findAccessLogRow(db, seq)!;
}

/** CSV of the access log: who, when, which client, which record, what action. Never journal text. */
export function accessLogCsv(db: Db, filter: AccessLogFilter): { rows: number; csv: string } {
  const records: (string | number)[][] = [];
  for (const row of iterateAccessLog(db, filter)) {
    records.push([
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
  }
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
export function clientAccessExtract(db: Db, clientId: string) {
  const client = clientOrNotFound(db, clientId);
  const therapists = new Map(listTherapists(db).map((therapist) => [therapist.id, therapist.siteId]));
  const sites = new Map(listSites(db).map((site) => [site.id, site.name]));
  const rows = [
    ...iterateAccessLog(db, { userId: null, clientId, from: null, to: null, action: null, emergencyOnly: false, unreviewedOnly: false }),
  ].map((row) => ({
    at: row.at,
    userName: row.userName ?? '',
    unit: sites.get((row.userId && therapists.get(row.userId)) || '') ?? 'Utväg',
    action: row.action,
    emergency: row.emergency,
  }));
  return { client: { name: client.name, personalNumber: client.personalNumber }, rows };
}

export function verifyAccessLog(db: Db) {
  const result = verifyAccessLogChain(db);
  return result.ok ? { ok: true as const, rows: result.rows, brokenAt: null } : { ok: false as const, rows: 0, brokenAt: result.brokenAt };
}

/** A therapist looks up a client to open the journal: exact name or identity number, or a prefix among their own clients. */
export function findForJournal(db: Db, query: string, user: SessionUser, now: Date) {
  const identity = parseIdentityNumber(query, now);
  const exact = findClientsExactly(db, { name: query, personalNumber: identity.valid ? identity.normalised : null });
  const mine = clientsInCareOf(db, user.id);
  const key = query.trim().toLowerCase();
  const ownMatches = mine.filter((client) => client.name.toLowerCase().includes(key)).map((client) => findClient(db, client.clientId)!);
  const seen = new Set<string>();
  // A therapist finds only clients of the tracks they serve: no look across sides.
  const tracks = tracksServedBy(db, user.id);
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
