import { createHash } from 'node:crypto';
import { prepared, type Db } from './connection.js';
import type { Tx } from './engine/store.js';
import { isPostgresTx, lockLogChainHead } from './engine/postgres.js';

export interface AccessLogEntry {
  at: string;
  userId: string | null;
  clientId: string | null;
  record: string | null;
  action: string;
  channel: string | null;
  emergency: boolean;
  reason: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The stored columns of a row in table order, from seq to reason: what is written and what is hashed. */
function columnValues(seq: number, entry: AccessLogEntry): (string | number | null)[] {
  return [seq, entry.at, entry.userId, entry.clientId, entry.record, entry.action, entry.channel, entry.emergency ? 1 : 0, entry.reason];
}

/** The hash covers every field and the previous row's hash, so editing or removing a row breaks the chain. */
export function hashAccessLogRow(prevHash: string, seq: number, entry: AccessLogEntry): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(JSON.stringify(columnValues(seq, entry)))
    .digest('hex');
}

/** Appends one row and returns its sequence number; call inside the transaction of the read or write it records. */
export function appendAccessLog(db: Db, entry: AccessLogEntry): number {
  const last = prepared(db, 'SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  prepared(
    db,
    `INSERT INTO access_log (seq, at, user_id, client_id, record, action, channel, emergency, reason, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(...columnValues(seq, entry), prevHash, hashAccessLogRow(prevHash, seq, entry));
  return seq;
}

/**
 * Appends one row in the call's transaction and returns its sequence number: the row continues the
 * chain from the newest one. The transaction is the only writer of the chain while it runs (SQLite:
 * one write transaction at a time).
 */
export async function appendLogRow(tx: Tx, entry: AccessLogEntry): Promise<number> {
  // One row is a batch of one: the same head read and insert, so the chain is written in one place.
  const [seq] = await appendLogRows(tx, [entry]);
  return seq!;
}

/** How many rows one insert of appendLogRows carries: 11 bound values a row stays far below either engine's limit. */
export const LOG_ROWS_PER_INSERT = 500;

/**
 * Appends several rows in the call's transaction, in the order given, and returns their sequence
 * numbers: the same rows and chain as appendLogRow called once per entry, in one read of the head and
 * one insert per LOG_ROWS_PER_INSERT rows, so that a list that shows many clients logs each of them
 * in a bounded number of statements.
 */
export async function appendLogRows(tx: Tx, entries: readonly AccessLogEntry[]): Promise<number[]> {
  if (entries.length === 0) return [];
  // On PostgreSQL many sessions append at once: the chain head is read under its lock (held to commit).
  const last = isPostgresTx(tx)
    ? await lockLogChainHead(tx)
    : await tx.selectFrom('access_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const rows = entries.map((entry) => {
    seq += 1;
    const hash = hashAccessLogRow(prevHash, seq, entry);
    const row = {
      seq,
      at: entry.at,
      user_id: entry.userId,
      client_id: entry.clientId,
      record: entry.record,
      action: entry.action,
      channel: entry.channel,
      emergency: entry.emergency ? (1 as const) : (0 as const),
      reason: entry.reason,
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  for (let start = 0; start < rows.length; start += LOG_ROWS_PER_INSERT) {
    await tx
      .insertInto('access_log')
      .values(rows.slice(start, start + LOG_ROWS_PER_INSERT))
      .execute();
  }
  return rows.map((row) => row.seq);
}

export interface RawLogRow {
  seq: number;
  at: string;
  user_id: string | null;
  client_id: string | null;
  record: string | null;
  action: string;
  channel: string | null;
  emergency: number;
  reason: string | null;
  prev_hash: string;
  hash: string;
}

/** Whether a stored row continues the chain: its place, its link to the row before, and its own hash. */
export function continuesChain(row: RawLogRow, expectedSeq: number, prevHash: string): boolean {
  const entry: AccessLogEntry = {
    at: row.at,
    userId: row.user_id,
    clientId: row.client_id,
    record: row.record,
    action: row.action,
    channel: row.channel,
    emergency: row.emergency === 1,
    reason: row.reason,
  };
  return row.seq === expectedSeq && row.prev_hash === prevHash && row.hash === hashAccessLogRow(prevHash, row.seq, entry);
}

/** Walks the whole chain; returns the first sequence number that does not verify, or null when all do. */
export function verifyAccessLogChain(db: Db): { ok: true; rows: number } | { ok: false; brokenAt: number } {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of prepared(db, 'SELECT * FROM access_log ORDER BY seq').iterate() as IterableIterator<RawLogRow>) {
    if (!continuesChain(row, expectedSeq, prevHash)) return { ok: false, brokenAt: expectedSeq };
    prevHash = row.hash;
    expectedSeq += 1;
  }
  return { ok: true, rows: expectedSeq - 1 };
}

export function lastAccessLogRow(db: Db): { seq: number; hash: string } | null {
  return (prepared(db, 'SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined) ?? null;
}

/**
 * Compares the log with a head kept outside the journal: the row at the head's sequence must still be
 * there with the same hash (later rows may follow). 'behind': the log ends before the head (rows removed
 * from its end, or an older copy of the journal put back); 'rewritten': the row is there with another
 * hash (the chain recomputed).
 */
export function checkLogHead(db: Db, head: { seq: number; hash: string }): 'ok' | 'behind' | 'rewritten' {
  const row = prepared(db, 'SELECT hash FROM access_log WHERE seq = ?').get(head.seq) as { hash: string } | undefined;
  if (!row) return 'behind';
  return row.hash === head.hash ? 'ok' : 'rewritten';
}

export function countAccessLog(db: Db): number {
  return (prepared(db, 'SELECT count(*) AS n FROM access_log').get() as { n: number }).n;
}

export interface AccessLogRow extends AccessLogEntry {
  seq: number;
  userName: string | null;
  clientName: string | null;
  reviewedAt: string | null;
  reviewedBy: string | null;
  reviewNote: string | null;
}

export interface AccessLogFilter {
  userId: string | null;
  clientId: string | null;
  from: string | null;
  to: string | null;
  action: string | null;
  emergencyOnly: boolean;
  unreviewedOnly: boolean;
}

const LOG_SELECT = `SELECT l.seq, l.at, l.user_id AS userId, l.client_id AS clientId, l.record, l.action, l.channel, l.emergency, l.reason,
    u.display_name AS userName, c.name AS clientName, r.reviewed_at AS reviewedAt, ru.display_name AS reviewedBy, r.note AS reviewNote
  FROM access_log l LEFT JOIN users u ON u.id = l.user_id LEFT JOIN clients c ON c.id = l.client_id
  LEFT JOIN access_reviews r ON r.access_log_seq = l.seq LEFT JOIN users ru ON ru.id = r.reviewed_by`;

/**
 * The conditions of the filters that are set, and only those, with their bound values. Written as
 * one fixed clause, `(@clientId IS NULL OR l.client_id = @clientId) AND …`, SQLite can use no index
 * and reads the whole log (hundreds of thousands of rows after some years) for every page of the
 * screen; with only the terms in use, a client's or a user's rows come from their index.
 */
function logWhere(filter: AccessLogFilter): { where: string; bound: Record<string, string> } {
  const terms: string[] = [];
  const bound: Record<string, string> = {};
  const equal = (column: string, name: 'userId' | 'clientId' | 'action') => {
    const value = filter[name];
    if (value === null) return;
    terms.push(`${column} = @${name}`);
    bound[name] = value;
  };
  equal('l.user_id', 'userId');
  equal('l.client_id', 'clientId');
  equal('l.action', 'action');
  if (filter.from !== null) {
    terms.push('l.at >= @from');
    bound.from = filter.from;
  }
  if (filter.to !== null) {
    terms.push('l.at < @to');
    bound.to = filter.to;
  }
  if (filter.emergencyOnly || filter.unreviewedOnly) terms.push('l.emergency = 1');
  if (filter.unreviewedOnly) terms.push('r.access_log_seq IS NULL');
  return { where: terms.length > 0 ? `WHERE ${terms.join(' AND ')}` : '', bound };
}

function toLogRow(row: Omit<AccessLogRow, 'emergency'> & { emergency: number }): AccessLogRow {
  return { ...row, emergency: row.emergency === 1 };
}

/** The newest rows first, a page at a time. */
export function searchAccessLog(db: Db, filter: AccessLogFilter, limit: number, offset: number): { rows: AccessLogRow[]; total: number } {
  const { where, bound } = logWhere(filter);
  const rows = (
    prepared(db, `${LOG_SELECT} ${where} ORDER BY l.seq DESC LIMIT @limit OFFSET @offset`).all({ ...bound, limit, offset }) as (Omit<
      AccessLogRow,
      'emergency'
    > & { emergency: number })[]
  ).map(toLogRow);
  const total = (
    prepared(db, `SELECT count(*) AS n FROM access_log l LEFT JOIN access_reviews r ON r.access_log_seq = l.seq ${where}`).get(bound) as {
      n: number;
    }
  ).n;
  return { rows, total };
}

/** Every matching row, oldest first, for an export. */
export function iterateAccessLog(db: Db, filter: AccessLogFilter): IterableIterator<AccessLogRow> {
  const { where, bound } = logWhere(filter);
  const iterator = prepared(db, `${LOG_SELECT} ${where} ORDER BY l.seq`).iterate(bound) as IterableIterator<
    Omit<AccessLogRow, 'emergency'> & { emergency: number }
  >;
  return (function* () {
    for (const row of iterator) yield toLogRow(row);
  })();
}

export function markReviewed(db: Db, seq: number, by: string, at: string, note: string | null): void {
  prepared(db, 'INSERT INTO access_reviews (access_log_seq, reviewed_at, reviewed_by, note) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
    seq,
    at,
    by,
    note,
  );
}

export function findAccessLogRow(db: Db, seq: number): AccessLogRow | null {
  const row = prepared(db, `${LOG_SELECT} WHERE l.seq = ?`).get(seq) as (Omit<AccessLogRow, 'emergency'> & { emergency: number }) | undefined;
  return row ? toLogRow(row) : null;
}
