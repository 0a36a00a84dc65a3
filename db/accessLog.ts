import { createHash } from 'node:crypto';
import { reusableQuery } from './engine/compiled.js';
import { appendChained, type ChainedLogRow } from './engine/logChain.js';

export type { ChainedLogRow };
import type { Tx } from './engine/store.js';

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
export function columnValues(seq: number, entry: AccessLogEntry): (string | number | null)[] {
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

/**
 * Appends one row in the call's transaction and returns its sequence number: the row continues the
 * chain from the newest one. The transaction is the only writer of the chain while it runs (SQLite:
 * one write transaction at a time; PostgreSQL: the chain head's lock, held to commit, so append late
 * in the transaction).
 */
export async function appendLogRow(tx: Tx, entry: AccessLogEntry): Promise<number> {
  // One row is a batch of one: the same head read and insert, so the chain is written in one place.
  const [seq] = await appendLogRows(tx, [entry]);
  return seq!;
}

/** How many rows one insert of appendLogRows carries: 11 bound values a row stays far below either engine's limit. */
export const LOG_ROWS_PER_INSERT = 500;

type LogRowValues = [
  seq: number,
  at: string,
  userId: string | null,
  clientId: string | null,
  record: string | null,
  action: string,
  channel: string | null,
  emergency: 0 | 1,
  reason: string | null,
  prevHash: string,
  hash: string,
];

const insertOneRow = reusableQuery<LogRowValues, unknown>(
  11,
  (tx, seq, at, user_id, client_id, record, action, channel, emergency, reason, prev_hash, hash) =>
    tx.insertInto('access_log').values({ seq, at, user_id, client_id, record, action, channel, emergency, reason, prev_hash, hash }),
);

/** The rows that continue the chain after `last` (null: the log is empty), each hashed with the one before. */
export function chainRows(last: { seq: number; hash: string } | null, entries: readonly AccessLogEntry[]): ChainedLogRow[] {
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  return entries.map((entry) => {
    seq += 1;
    const hash = hashAccessLogRow(prevHash, seq, entry);
    const row: ChainedLogRow = {
      seq,
      at: entry.at,
      user_id: entry.userId,
      client_id: entry.clientId,
      record: entry.record,
      action: entry.action,
      channel: entry.channel,
      emergency: entry.emergency ? 1 : 0,
      reason: entry.reason,
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
}

/** SQLite's insert of the rows appendChained made: one compiled statement for one row, else LOG_ROWS_PER_INSERT rows a statement. */
async function insertRows(tx: Tx, rows: ChainedLogRow[]): Promise<void> {
  // Nearly every call appends one row: that insert is compiled once.
  if (rows.length === 1) {
    const row = rows[0]!;
    await insertOneRow.run(
      tx,
      row.seq,
      row.at,
      row.user_id,
      row.client_id,
      row.record,
      row.action,
      row.channel,
      row.emergency,
      row.reason,
      row.prev_hash,
      row.hash,
    );
    return;
  }
  for (let start = 0; start < rows.length; start += LOG_ROWS_PER_INSERT) {
    await tx
      .insertInto('access_log')
      .values(rows.slice(start, start + LOG_ROWS_PER_INSERT))
      .execute();
  }
}

/**
 * Appends several rows in the call's transaction, in the order given, and returns their sequence
 * numbers: the same rows and chain as appendLogRow called once per entry, after one read of the
 * head, so that a list that shows many clients logs each of them in a bounded number of statements
 * (SQLite: one insert per LOG_ROWS_PER_INSERT rows; PostgreSQL: one statement with the head's lock,
 * two when this server's last append is not the head, see appendToLogChain).
 */
export async function appendLogRows(tx: Tx, entries: readonly AccessLogEntry[]): Promise<number[]> {
  if (entries.length === 0) return [];
  // Locked to commit on PostgreSQL (many sessions append at once); after the newest row on SQLite.
  const rows = await appendChained(tx, (last) => chainRows(last, entries), insertRows);
  return rows.map((row) => row.seq);
}

/** A stored row as read back (the flag as the engine gives it). */
export type RawLogRow = Omit<ChainedLogRow, 'emergency'> & { emergency: number };

/** The entry a stored row records, as it was hashed. */
export function entryOfRow(row: RawLogRow): AccessLogEntry {
  return {
    at: row.at,
    userId: row.user_id,
    clientId: row.client_id,
    record: row.record,
    action: row.action,
    channel: row.channel,
    emergency: row.emergency === 1,
    reason: row.reason,
  };
}

/** Whether a stored row continues the chain: its place, its link to the row before, and its own hash. */
export function continuesChain(row: RawLogRow, expectedSeq: number, prevHash: string): boolean {
  return row.seq === expectedSeq && row.prev_hash === prevHash && row.hash === hashAccessLogRow(prevHash, row.seq, entryOfRow(row));
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
