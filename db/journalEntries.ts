import { prepared, type Db } from './connection.js';

// The journal's repository is async, in db/journalEntries/index.ts. What stays here, synchronous, is
// what code outside the journal still calls on the connection: the care relations of the care.*
// channels and the client record, and the bench's writing and reading of entries.

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

export function insertEntry(db: Db, entry: Omit<JournalEntryRow, 'authorName' | 'updatedAt'>): void {
  prepared(
    db,
    `INSERT INTO journal_entries (id, client_id, author_id, kind, status, body, created_at, updated_at, signed_at, amends_id, amendment_reason)
     VALUES (@id, @clientId, @authorId, @kind, @status, @body, @createdAt, @createdAt, @signedAt, @amendsId, @amendmentReason)`,
  ).run(entry);
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
