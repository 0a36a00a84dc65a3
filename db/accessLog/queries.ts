import type { SelectQueryBuilder } from 'kysely';
import { continuesChain, GENESIS_HASH, type AccessLogFilter, type AccessLogRow, type RawLogRow } from '../accessLog.js';
import type { Database } from '../engine/schema.js';
import type { Tx } from '../engine/store.js';

/**
 * What the admins' screens ask of the access log, over a transaction handle: the search page, the
 * CSV, a client's extract, the review of emergency accesses, the chain walk. Writing the chain
 * (appendLogRow) and the single-step continuesChain are in db/accessLog.ts, one hash rule for every
 * writer; the synchronous appends and checks of the SQLite-engine code (sign-in, backup, the
 * keyring's head) are in db/local/accessLog.ts.
 */

type LogQuery = SelectQueryBuilder<
  Database & {
    l: Database['access_log'];
    u: Database['users'];
    c: Database['clients'];
    r: Database['access_reviews'];
    ru: Database['users'];
  },
  'l' | 'u' | 'c' | 'r' | 'ru',
  object
>;

function logRows(tx: Tx) {
  return tx
    .selectFrom('access_log as l')
    .leftJoin('users as u', 'u.id', 'l.user_id')
    .leftJoin('clients as c', 'c.id', 'l.client_id')
    .leftJoin('access_reviews as r', 'r.access_log_seq', 'l.seq')
    .leftJoin('users as ru', 'ru.id', 'r.reviewed_by');
}

const LOG_COLUMNS = [
  'l.seq',
  'l.at',
  'l.user_id as userId',
  'l.client_id as clientId',
  'l.record',
  'l.action',
  'l.channel',
  'l.emergency',
  'l.reason',
  'u.display_name as userName',
  'c.name as clientName',
  'r.reviewed_at as reviewedAt',
  'ru.display_name as reviewedBy',
  'r.note as reviewNote',
] as const;

/**
 * Only the terms of the filters that are set, each with its bound value: a fixed clause of the form
 * `(? IS NULL OR l.client_id = ?)` would let SQLite use no index and read the whole log (hundreds of
 * thousands of rows after some years) for every page; with only the terms in use, a client's or a
 * user's rows come from their index.
 */
function filtered<Q extends LogQuery>(query: Q, filter: AccessLogFilter): Q {
  let next = query as LogQuery;
  if (filter.userId !== null) next = next.where('l.user_id', '=', filter.userId);
  if (filter.clientId !== null) next = next.where('l.client_id', '=', filter.clientId);
  if (filter.action !== null) next = next.where('l.action', '=', filter.action);
  if (filter.from !== null) next = next.where('l.at', '>=', filter.from);
  if (filter.to !== null) next = next.where('l.at', '<', filter.to);
  if (filter.emergencyOnly || filter.unreviewedOnly) next = next.where('l.emergency', '=', 1);
  if (filter.unreviewedOnly) next = next.where('r.access_log_seq', 'is', null);
  return next as Q;
}

type RawRow = Omit<AccessLogRow, 'emergency'> & { emergency: number };

function toLogRow(row: RawRow): AccessLogRow {
  return { ...row, emergency: row.emergency === 1 };
}

/** The newest rows first, a page at a time, and how many match: two statements. */
export async function searchLog(tx: Tx, filter: AccessLogFilter, limit: number, offset: number): Promise<{ rows: AccessLogRow[]; total: number }> {
  const rows = await filtered(logRows(tx), filter).select(LOG_COLUMNS).orderBy('l.seq', 'desc').limit(limit).offset(offset).execute();
  // The count joins only what a filter can name (the review, for "unreviewed"), not the names.
  const counted = await filtered(
    tx.selectFrom('access_log as l').leftJoin('access_reviews as r', 'r.access_log_seq', 'l.seq') as unknown as LogQuery,
    filter,
  )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows: (rows as RawRow[]).map(toLogRow), total: Number((counted as { n: number | string }).n) };
}

/** Every matching row, oldest first, for an export: one statement. */
export async function logRowsMatching(tx: Tx, filter: AccessLogFilter): Promise<AccessLogRow[]> {
  const rows = await filtered(logRows(tx), filter).select(LOG_COLUMNS).orderBy('l.seq').execute();
  return (rows as RawRow[]).map(toLogRow);
}

/**
 * A client's rows, oldest first, each with the unit of whoever read: the site of an active therapist's
 * profile, else the centre as a whole ('Utväg'), for the client's right of access. One statement.
 */
export async function clientLogRows(
  tx: Tx,
  clientId: string,
): Promise<{ at: string; userName: string; unit: string; action: string; emergency: boolean }[]> {
  const rows = await tx
    .selectFrom('access_log as l')
    .leftJoin('users as u', 'u.id', 'l.user_id')
    .leftJoin('therapist_profiles as p', (join) =>
      join
        .onRef('p.user_id', '=', 'l.user_id')
        .on('u.active', '=', 1)
        .on((eb) =>
          eb.exists(
            eb.selectFrom('user_roles as ur').select('ur.user_id').whereRef('ur.user_id', '=', 'l.user_id').where('ur.role', '=', 'therapist'),
          ),
        ),
    )
    .leftJoin('sites as s', 's.id', 'p.site_id')
    .where('l.client_id', '=', clientId)
    .select(['l.at', 'u.display_name as userName', 's.name as unit', 'l.action', 'l.emergency'])
    .orderBy('l.seq')
    .execute();
  return rows.map((row) => ({
    at: row.at,
    userName: row.userName ?? '',
    unit: row.unit ?? 'Utväg',
    action: row.action,
    emergency: row.emergency === 1,
  }));
}

export async function findLogRow(tx: Tx, seq: number): Promise<AccessLogRow | null> {
  const row = await logRows(tx).select(LOG_COLUMNS).where('l.seq', '=', seq).executeTakeFirst();
  return row ? toLogRow(row as RawRow) : null;
}

/** Records an admin's review of a row; a row reviewed already keeps its first review. */
export async function markReviewed(tx: Tx, seq: number, by: string, at: string, note: string | null): Promise<void> {
  await tx
    .insertInto('access_reviews')
    .values({ access_log_seq: seq, reviewed_at: at, reviewed_by: by, note })
    .onConflict((conflict) => conflict.column('access_log_seq').doNothing())
    .execute();
}

/** How many rows one statement of the chain walk reads: memory stays bounded whatever the log's size. */
export const CHAIN_PAGE_ROWS = 5_000;

/**
 * Walks the whole chain, oldest first, and returns the first sequence number that does not verify.
 * Inherently as long as the log: it reads pages of CHAIN_PAGE_ROWS rows by sequence number (keyset,
 * each page from its index), so it runs ceil(rows / CHAIN_PAGE_ROWS) + 1 statements and holds one
 * page at a time. Pages rather than one iterated statement because PostgreSQL's pool streams only
 * through a cursor package the app does not carry; inside the transaction every page sees the same log.
 */
export async function verifyLogChain(tx: Tx, pageRows = CHAIN_PAGE_ROWS): Promise<{ ok: true; rows: number } | { ok: false; brokenAt: number }> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  // The first page has no lower bound: a row slipped in below 1 must break the chain, not be skipped.
  let after: number | null = null;
  for (;;) {
    let query = tx.selectFrom('access_log').selectAll().orderBy('seq').limit(pageRows);
    if (after !== null) query = query.where('seq', '>', after);
    const page: RawLogRow[] = await query.execute();
    for (const row of page) {
      if (!continuesChain(row, expectedSeq, prevHash)) return { ok: false, brokenAt: expectedSeq };
      prevHash = row.hash;
      expectedSeq += 1;
    }
    if (page.length < pageRows) return { ok: true, rows: expectedSeq - 1 };
    after = page[page.length - 1]!.seq;
  }
}
