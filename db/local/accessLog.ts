import { prepared, type Db } from '../connection.js';
import { columnValues, continuesChain, GENESIS_HASH, hashAccessLogRow, type AccessLogEntry, type RawLogRow } from '../accessLog.js';

/**
 * The access log's chain on the local journal's own connection, synchronous: for SQLite-engine work
 * that runs outside any store transaction and cannot await inside its own — the security rows of a
 * sign-in, lock, rekey or restore, the scheduled backup's row, a backup's ATTACH copy and its checks,
 * and the comparison with the head kept in the keyring. Router calls append through appendLogRow(s)
 * (db/accessLog.ts) and read through db/accessLog/queries.ts in the call's transaction.
 */

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
