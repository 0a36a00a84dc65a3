import { prepared, type Db } from './connection.js';

// The journal's repository is async, in db/journalEntries/index.ts. What stays here, synchronous, is
// the bench's writing and reading of entries on the connection.

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
