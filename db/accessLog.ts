import { createHash } from 'node:crypto';
import type { Db } from './connection.js';

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

/** Appends one row; call inside the transaction of the read or write it records. */
export function appendAccessLog(db: Db, entry: AccessLogEntry): void {
  const last = db.prepare('SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  db.prepare(
    `INSERT INTO access_log (seq, at, user_id, client_id, record, action, channel, emergency, reason, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(...columnValues(seq, entry), prevHash, hashAccessLogRow(prevHash, seq, entry));
}

interface RawLogRow {
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

/** Walks the whole chain; returns the first sequence number that does not verify, or null when all do. */
export function verifyAccessLogChain(db: Db): { ok: true; rows: number } | { ok: false; brokenAt: number } {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of db.prepare('SELECT * FROM access_log ORDER BY seq').iterate() as IterableIterator<RawLogRow>) {
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
    if (row.seq !== expectedSeq || row.prev_hash !== prevHash || row.hash !== hashAccessLogRow(prevHash, row.seq, entry)) {
      return { ok: false, brokenAt: expectedSeq };
    }
    prevHash = row.hash;
    expectedSeq += 1;
  }
  return { ok: true, rows: expectedSeq - 1 };
}

export function countAccessLog(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM access_log').get() as { n: number }).n;
}
