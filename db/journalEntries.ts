import { prepared, type Db } from './connection.js';
import type { EntryKind } from '../preload/domain/index.js';
export type { EntryKind };

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

const SELECT_ENTRY = `SELECT e.id, e.client_id AS clientId, e.author_id AS authorId, u.display_name AS authorName, e.kind, e.status, e.body,
  e.created_at AS createdAt, e.updated_at AS updatedAt, e.signed_at AS signedAt, e.amends_id AS amendsId, e.amendment_reason AS amendmentReason
  FROM journal_entries e JOIN users u ON u.id = e.author_id`;

export function entriesOf(db: Db, clientId: string): JournalEntryRow[] {
  return prepared(db, `${SELECT_ENTRY} WHERE e.client_id = ? ORDER BY e.created_at, e.id`).all(clientId) as JournalEntryRow[];
}

export function findEntry(db: Db, id: string): JournalEntryRow | null {
  return (prepared(db, `${SELECT_ENTRY} WHERE e.id = ?`).get(id) as JournalEntryRow | undefined) ?? null;
}

export function insertEntry(db: Db, entry: Omit<JournalEntryRow, 'authorName' | 'updatedAt'>): void {
  prepared(
    db,
    `INSERT INTO journal_entries (id, client_id, author_id, kind, status, body, created_at, updated_at, signed_at, amends_id, amendment_reason)
     VALUES (@id, @clientId, @authorId, @kind, @status, @body, @createdAt, @createdAt, @signedAt, @amendsId, @amendmentReason)`,
  ).run(entry);
}

/** Changes a draft; the triggers refuse any change to a signed entry, whoever asks. */
export function updateDraft(db: Db, change: { id: string; kind: EntryKind; body: string; updatedAt: string }): void {
  prepared(db, `UPDATE journal_entries SET kind = @kind, body = @body, updated_at = @updatedAt WHERE id = @id AND status = 'draft'`).run(change);
}

export function signEntry(db: Db, id: string, at: string): void {
  prepared(db, `UPDATE journal_entries SET status = 'signed', signed_at = ?, updated_at = ? WHERE id = ? AND status = 'draft'`).run(at, at, id);
}

export function deleteDraft(db: Db, id: string): void {
  prepared(db, `DELETE FROM journal_entries WHERE id = ? AND status = 'draft'`).run(id);
}

export function lastEntryAt(db: Db, clientId: string): string | null {
  return (prepared(db, 'SELECT max(created_at) AS at FROM journal_entries WHERE client_id = ?').get(clientId) as { at: string | null }).at;
}

/** Clients whose newest journal entry is older than the cut-off: candidates for a documented disposal decision. */
export function clientsWithLastEntryBefore(
  db: Db,
  cutoff: string,
): { clientId: string; name: string; track: string; lastEntryAt: string; entries: number }[] {
  return prepared(
    db,
    `SELECT c.id AS clientId, c.name, c.track, max(e.created_at) AS lastEntryAt, count(*) AS entries
       FROM journal_entries e JOIN clients c ON c.id = e.client_id WHERE e.status = 'signed'
       GROUP BY c.id HAVING max(e.created_at) < ? ORDER BY lastEntryAt`,
  ).all(cutoff) as { clientId: string; name: string; track: string; lastEntryAt: string; entries: number }[];
}

/**
 * A care relation opens a journal only while its therapist is active and serves the client's track:
 * when an admin takes a track away from a therapist, the relations across tracks stop opening journals.
 */
const EFFECTIVE_CARE = `care_relations r JOIN clients c ON c.id = r.client_id JOIN users u ON u.id = r.therapist_id AND u.active = 1
  JOIN user_roles ur ON ur.user_id = r.therapist_id AND ur.role = 'therapist'
  JOIN therapist_tracks t ON t.user_id = r.therapist_id AND t.track = c.track`;

export function activeCareRelation(db: Db, clientId: string, therapistId: string): boolean {
  return (
    prepared(db, `SELECT 1 FROM ${EFFECTIVE_CARE} WHERE r.client_id = ? AND r.therapist_id = ? AND r.ended_at IS NULL`).get(clientId, therapistId) !==
    undefined
  );
}

export interface CareRelationRow {
  id: string;
  therapistId: string;
  therapistName: string;
  startedAt: string;
  endedAt: string | null;
}

/** The client's care team now: the relations that open the journal (see EFFECTIVE_CARE). */
export function careTeamOf(db: Db, clientId: string): CareRelationRow[] {
  return prepared(
    db,
    `SELECT r.id, r.therapist_id AS therapistId, u.display_name AS therapistName, r.started_at AS startedAt, r.ended_at AS endedAt
       FROM ${EFFECTIVE_CARE} WHERE r.client_id = ? AND r.ended_at IS NULL ORDER BY r.started_at`,
  ).all(clientId) as CareRelationRow[];
}

export function insertCareRelation(
  db: Db,
  relation: { id: string; clientId: string; therapistId: string; startedAt: string; createdBy: string },
): void {
  prepared(
    db,
    'INSERT INTO care_relations (id, client_id, therapist_id, started_at, created_by) VALUES (@id, @clientId, @therapistId, @startedAt, @createdBy)',
  ).run(relation);
}

/** Ends any open relation of the pair, effective or not (one left open would come back if the track were given back). */
export function endCareRelation(db: Db, clientId: string, therapistId: string, at: string): number {
  return prepared(db, 'UPDATE care_relations SET ended_at = ? WHERE client_id = ? AND therapist_id = ? AND ended_at IS NULL').run(
    at,
    clientId,
    therapistId,
  ).changes;
}

export function clientsInCareOf(db: Db, therapistId: string): { clientId: string; name: string; track: string; since: string }[] {
  return prepared(
    db,
    `SELECT c.id AS clientId, c.name, c.track, r.started_at AS since FROM ${EFFECTIVE_CARE}
       WHERE r.therapist_id = ? AND r.ended_at IS NULL ORDER BY c.search_name`,
  ).all(therapistId) as { clientId: string; name: string; track: string; since: string }[];
}

/**
 * One author's drafts of clients she may still open (a live care relation or emergency access),
 * newest first, in one statement; a draft of a client whose care has ended is not listed.
 */
export function openDraftsOf(
  db: Db,
  authorId: string,
  tracks: readonly string[],
  at: string,
): { entryId: string; clientId: string; clientName: string; kind: EntryKind; updatedAt: string }[] {
  return prepared(
    db,
    `SELECT e.id AS entryId, e.client_id AS clientId, c.name AS clientName, e.kind, e.updated_at AS updatedAt
       FROM journal_entries e JOIN clients c ON c.id = e.client_id
      WHERE e.author_id = ? AND e.status = 'draft' AND c.track IN (${tracks.map(() => '?').join(', ')})
        AND (EXISTS (SELECT 1 FROM care_relations r WHERE r.client_id = e.client_id AND r.therapist_id = e.author_id AND r.ended_at IS NULL)
          OR EXISTS (SELECT 1 FROM emergency_grants g WHERE g.client_id = e.client_id AND g.user_id = e.author_id AND g.expires_at > ?))
      ORDER BY e.updated_at DESC, e.id LIMIT 200`,
  ).all(authorId, ...tracks, at) as { entryId: string; clientId: string; clientName: string; kind: EntryKind; updatedAt: string }[];
}

export function insertEmergencyGrant(
  db: Db,
  grant: { id: string; clientId: string; userId: string; grantedAt: string; expiresAt: string; reason: string; accessLogSeq: number },
): void {
  prepared(
    db,
    `INSERT INTO emergency_grants (id, client_id, user_id, granted_at, expires_at, reason, access_log_seq)
     VALUES (@id, @clientId, @userId, @grantedAt, @expiresAt, @reason, @accessLogSeq)`,
  ).run(grant);
}

export function activeEmergencyUntil(db: Db, clientId: string, userId: string): string | null {
  return (
    prepared(db, 'SELECT max(expires_at) AS until FROM emergency_grants WHERE client_id = ? AND user_id = ?').get(clientId, userId) as {
      until: string | null;
    }
  ).until;
}

export function activeEmergencyGrant(db: Db, clientId: string, userId: string, at: string): boolean {
  return (
    prepared(db, 'SELECT 1 FROM emergency_grants WHERE client_id = ? AND user_id = ? AND expires_at > ?').get(clientId, userId, at) !== undefined
  );
}
