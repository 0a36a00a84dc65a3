import { AsyncLocalStorage } from 'node:async_hooks';
import { createQueryId, Kysely, PostgresDialect, RawNode, sql, type Selectable } from 'kysely';
import pg from 'pg';
import { z } from 'zod';
import { SIDES } from '../../preload/domain/enums.js';
import { TransactionGuard } from './guard.js';
import type { AccessLogTable, Database, Side } from './schema.js';
import {
  databaseRole,
  isSeparationConflict,
  NestedTransactionError,
  SeparationConflictError,
  tagTransaction,
  type Store,
  type TransactionOptions,
  type Tx,
} from './store.js';

// PostgreSQL type OIDs whose default JavaScript value differs from what the SQLite journal gives.
const INT8 = 20;
const DATE = 1082;
const TIMESTAMPTZ = 1184;

const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ) as (value: string) => Date;
const instantText = (value: string) => new Date(parseTimestamptz(value)).toISOString();
const dateText = (value: string) => value;
const bigintNumber = (value: string) => {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new RangeError(`A bigint beyond 2^53 was read: ${value}`);
  return number;
};

/**
 * Values as the SQLite journal gives them (see schema.ts): instants as ISO-8601 UTC text, dates
 * as 'YYYY-MM-DD', bigint (count(*), identity columns) as a number. A bigint beyond what a
 * JavaScript number holds exactly is refused, never rounded. The driver asks for a parser for every
 * column of every result: each is made once.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === TIMESTAMPTZ) return instantText;
    if (oid === DATE) return dateText;
    if (oid === INT8) return bigintNumber;
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** deadlock_detected and serialization_failure: PostgreSQL rolled the transaction back whole, and running it again is the documented answer. */
const RETRYABLE = new Set(['40P01', '40001']);
/** How many times a transaction runs before such a failure is given up and passed on. */
const ATTEMPTS = 3;

function isRetryable(error: unknown): boolean {
  return RETRYABLE.has(String((error as { code?: unknown }).code));
}

/**
 * BEGIN, then (with an actor) SET LOCAL ROLE and the user id, and the side: the settings end with
 * the transaction, so a pooled connection never carries one person's rights into the next call.
 */
function transactionStart(options: TransactionOptions): string {
  const statements = [options.readOnly ? 'BEGIN READ ONLY' : 'BEGIN'];
  const settings: string[] = [];
  if (options.actor) {
    statements.push(`SET LOCAL ROLE ${pg.escapeIdentifier(databaseRole(options.actor.role))}`);
    settings.push(`set_config('utvag.user_id', ${pg.escapeLiteral(options.actor.userId)}, true)`);
  }
  if (options.side) settings.push(`set_config('utvag.side', ${pg.escapeLiteral(options.side)}, true)`);
  if (settings.length > 0) statements.push(`SELECT ${settings.join(', ')}`);
  return statements.join('; ');
}

/** A transaction's first statement, and its answer once written on the transaction's connection. */
interface PendingStart {
  text: string;
  answer: Promise<unknown> | null;
  /** The connection it was written on (the transaction's). */
  client: pg.PoolClient | null;
}

/** The access log's head, read and locked by every call that logs. */
const LOCK_HEAD_SQL = 'SELECT seq, hash FROM access_log_chain_head()';

/**
 * The access log's rows appended in one statement when the head is the one they continue: the head
 * locked (access_log_chain_head(), held to commit, as LOCK_HEAD_SQL), the rows inserted only if it is
 * $1/$2, and the head answered as it was before the rows. The rows come as one array per column, so
 * that one text (kept prepared) serves any number of rows; inserted in the order given, each through
 * the chain trigger that checks its link and moves the head, as a row inserted on its own.
 */
const APPEND_SQL = `WITH head AS MATERIALIZED (SELECT seq, hash FROM access_log_chain_head()),
appended AS (
  INSERT INTO access_log (seq, at, user_id, client_id, record, action, channel, emergency, reason, prev_hash, hash)
  SELECT r.seq, r.at, r.user_id, r.client_id, r.record, r.action, r.channel, r.emergency, r.reason, r.prev_hash, r.hash
    FROM unnest($3::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::smallint[], $11::text[], $12::text[], $13::text[])
      WITH ORDINALITY AS r(seq, at, user_id, client_id, record, action, channel, emergency, reason, prev_hash, hash, n)
   WHERE EXISTS (SELECT FROM head WHERE head.seq = $1 AND head.hash = $2)
   ORDER BY r.n
)
SELECT seq, hash FROM head`;

/**
 * The access log's rows appended after the head this store's last append left, sent without waiting
 * for its answer (appendToLogChain): no head is read here. The chain trigger locks the head and
 * refuses (serialization_failure) a row that does not continue it, which fails the transaction whole:
 * so a wrong guess can never commit a write without its log row, only run the transaction again.
 */
const APPEND_AFTER_HINT_SQL = `INSERT INTO access_log (seq, at, user_id, client_id, record, action, channel, emergency, reason, prev_hash, hash)
SELECT r.seq, r.at, r.user_id, r.client_id, r.record, r.action, r.channel, r.emergency, r.reason, r.prev_hash, r.hash
  FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::smallint[], $9::text[], $10::text[], $11::text[])
    WITH ORDINALITY AS r(seq, at, user_id, client_id, record, action, channel, emergency, reason, prev_hash, hash, n)
 ORDER BY r.n`;

/**
 * Statements kept prepared on each connection: the hot queries compiled once (reusableQuery,
 * compiled.ts) and the log head's lock, whose shape never depends on the values. Bounded by the
 * queries the code has (a reusable query keeps at most 64 shapes).
 */
const keptTexts = new Map<string, string>([
  [LOCK_HEAD_SQL, 'utvag_1'],
  [APPEND_SQL, 'utvag_2'],
  [APPEND_AFTER_HINT_SQL, 'utvag_3'],
]);
const KEPT_TEXTS = 4096;

/** Marks a text as one of the statements above (called by compiled.ts for each PostgreSQL template). */
export function keepPrepared(text: string): void {
  if (!keptTexts.has(text) && keptTexts.size < KEPT_TEXTS) keptTexts.set(text, `utvag_${keptTexts.size + 1}`);
}

/**
 * Each connection keeps the statements above prepared under a name (Parse once, then Bind/Execute),
 * and PostgreSQL plans each once per connection (plan_cache_mode = force_generic_plan, set on the
 * pool's connections): its rewriting with the row policies and its planning cost more than running
 * it (a journal opening's backend CPU halved on the bench; a search by personnummer's by a sixth).
 * Left to choose, PostgreSQL plans again for every run once the tables have statistics and a plan
 * for the values looks cheaper: the booking's reads then cost ~8 ms of planning per call on the
 * bench journal, against 0.6 ms to run. A kept plan is made again when a table it reads changes or
 * gets new statistics (ANALYZE, autovacuum). The statements inside the journal's PL/pgSQL functions
 * (its triggers, the row policies' helpers) are kept the same way by PostgreSQL itself. Other
 * statements stay unnamed and are planned for their values each time. The rights stay as they were: a kept statement
 * is rewritten again (its row policies applied afresh) when the transaction's role is not the one it
 * was rewritten for, and the policies read current_setting('utvag.…') when the statement runs,
 * never when it is planned (tested in store.test.ts with every plan kept).
 */
function prepareKept(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (text: unknown, values?: unknown) => unknown;
  client.query = ((text: unknown, values?: unknown) => {
    const name = typeof text === 'string' && Array.isArray(values) ? keptTexts.get(text) : undefined;
    return name ? query({ name, text, values }) : query(text, values);
  }) as typeof client.query;
}

/**
 * The Store over the shared journal in server mode: a pool of connections as the server's login
 * role, which holds no table rights of its own. Each transaction with an actor runs as that
 * person's app role (SET LOCAL ROLE) with their user id in the setting utvag.user_id, which
 * row-level security and triggers read; both end with the transaction, so a pooled connection
 * never carries one person's rights into the next call.
 */
/** The Store on PostgreSQL, which also tells its round trips. */
export interface PostgresStore extends Store {
  /** How many round trips the statements took: fewer than them, a transaction's start goes with its first statement, and log rows sent without waiting with the statement or COMMIT after them. */
  readonly roundTrips: number;
}

export function createPostgresStore(config: pg.PoolConfig): PostgresStore {
  // Pipelined: a query is written as soon as it is asked, not after the one before has answered, so
  // that a transaction's start goes out together with its first statement (see starting below), and
  // log rows with what follows them (appendToLogChain). Everything else still awaits each answer
  // before asking the next. Kept statements are planned once per connection (prepareKept).
  const pool = new pg.Pool({
    ...config,
    types,
    pipeline: true,
    options: [config.options, '-c TimeZone=UTC', '-c plan_cache_mode=force_generic_plan'].filter(Boolean).join(' '),
  } as pg.PoolConfig);
  // An idle connection that dies (server restart) must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined);
  pool.on('connect', (client: pg.PoolClient) => {
    // A connection lost while checked out (PostgreSQL restarted, the backend terminated, the network
    // cut) is told to its client as an 'error' event, which the pool listens for only while the
    // connection is idle: unheard, it would end the server's process. The transaction using it learns
    // of the loss from its statements, which fail, and the pool drops the connection when it comes back.
    client.on('error', () => undefined);
    prepareKept(client);
  });
  let statements = 0;
  let roundTrips = 0;
  // The transaction being started in this async context: its first statement (BEGIN, the role and
  // the settings) is written the moment its connection is checked out, and its answer awaited only
  // after the work's first statement has been written behind it: one round trip for both.
  const starting = new AsyncLocalStorage<PendingStart>();
  const checkout: ConstructorParameters<typeof PostgresDialect>[0]['pool'] = {
    async connect() {
      const client = await pool.connect();
      const start = starting.getStore();
      if (start) {
        statements += 1;
        start.client = client;
        start.answer = client.query(start.text);
        // Awaited by the transaction (its error is the one reported); never an unhandled rejection meanwhile.
        start.answer.catch(() => undefined);
      }
      return client;
    },
    end: () => pool.end(),
    options: pool.options,
  };
  const kysely = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: checkout }),
    // Every statement is a round trip to the server: counted for the bench and the per-channel bound.
    // (a failed statement is a round trip too).
    log: () => {
      statements += 1;
      roundTrips += 1;
    },
  });
  const inside = new AsyncLocalStorage<true>();
  // The log head this store's last append left: what its next append most likely continues (appendToLogChain).
  const logHead: LogHeadHint = { head: null, writers: 0, guessAfter: 0 };

  return {
    dialect: 'postgres',

    get statements() {
      return statements;
    },

    get roundTrips() {
      return roundTrips;
    },

    async transaction<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      if (inside.getStore()) throw new NestedTransactionError();
      // Two desks' transactions can deadlock on each other's rows (a booking and a group join of a
      // linked pair): PostgreSQL then rolls one back whole, and it runs again from the start, where
      // it sees the other's commit (and, for a linked pair, gets the separation refusal). The work
      // must therefore be safe to run again: it is, since everything it writes is in the rolled-back transaction.
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await once(attempt);
        } catch (error) {
          if (attempt >= ATTEMPTS || !isRetryable(error)) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
        }
      }

      function once(attempt: number): Promise<T> {
        // The transaction, the person's role and settings (a simple query's statements, so the values
        // are quoted by the driver's own escaping, not bound), written on checkout (see starting).
        const start: PendingStart = { text: transactionStart(options), answer: null, client: null };
        return starting.run(start, () =>
          kysely.connection().execute(async (connection) => {
            const guard = new TransactionGuard();
            const tx = tagTransaction(connection.withPlugin(guard), 'postgres');
            const appends: TransactionAppends = {
              hint: logHead,
              continued: null,
              left: null,
              client: start.client,
              guard,
              // A transaction run again (its guess of the head refused, a deadlock) locks the head before it appends.
              mayGuess: attempt === 1,
              unanswered: [],
              holdsRows: false,
              wrote: () => {
                statements += 1;
              },
            };
            transactionAppends.set(tx, appends);
            try {
              if (!start.answer) throw new Error('The transaction was not started on its connection');
              const answer = start.answer;
              // The work's statements run only in the transaction so started: if the start failed, the
              // first of them fails too (a failed transaction refuses every statement, and outside one
              // the server's login holds no rights), and the start's error is the one reported.
              const result = await starting
                .exit(() => inside.run(true, () => work(tx)))
                .catch(async (error: unknown) => {
                  await answer;
                  throw error;
                });
              await answer;
              guard.close();
              // COMMIT goes right behind log rows still unanswered (one round trip for both). Should one
              // of them have failed, the transaction is aborted and PostgreSQL answers this COMMIT by
              // rolling it back: nothing of it is kept, and that row's error is the one reported.
              const commit = sql.raw('COMMIT').execute(connection);
              const refused = await firstRefusal(appends.unanswered);
              if (refused) {
                await commit.catch(() => undefined);
                throw refused.reason;
              }
              await commit;
              return result;
            } catch (caught) {
              guard.close();
              // A start that failed refused everything behind it: its error is the one reported. Else a
              // statement behind a log row that failed was refused for that row's failure: the row's is.
              const startFailed = start.answer
                ? await start.answer.then(
                    () => null,
                    (error: unknown) => ({ error }),
                  )
                : null;
              const refused = startFailed ? null : await firstRefusal(appends.unanswered);
              const error = startFailed ? startFailed.error : refused ? refused.reason : caught;
              // Its rows are gone with it: the next append most likely continues the head this one continued,
              // unless the chain trigger refused its guess of the head (40001: another writer appended
              // in between; appends then read the head first for a while).
              if (refused && isRetryable(refused.reason)) sawAnotherWriter(logHead);
              else if (appends.left && logHead.head === appends.left) logHead.head = appends.continued;
              await sql
                .raw('ROLLBACK')
                .execute(connection)
                .catch(() => undefined);
              if (isSeparationConflict(error)) throw new SeparationConflictError();
              throw error;
            } finally {
              if (appends.holdsRows) logHead.writers -= 1;
            }
          }),
        );
      }
    },

    async close(): Promise<void> {
      await kysely.destroy();
    },
  };
}

/**
 * The access log's chain head (the last row's seq and hash, null while the log is empty), locked
 * until the transaction ends: call it in the transaction that appends, right before computing the
 * new row's hash. Concurrent appends queue on the lock, so each continues the chain as the one
 * before committed it; the database refuses (serialization_failure) a row that does not continue
 * the head, so a writer that skipped this call fails whole rather than forking the chain.
 * PostgreSQL only: on SQLite the transaction already holds the only write lock.
 */
export async function lockLogChainHead(tx: Tx): Promise<{ seq: number; hash: string } | null> {
  const { rows } = await sql<{ seq: number; hash: string }>`${sql.raw(LOCK_HEAD_SQL)}`.execute(tx);
  const head = rows[0];
  if (!head) throw new Error('The access log has no chain head');
  return head.seq === 0 ? null : head;
}

/** The chain's head: the last row's seq and hash (seq 0 and the genesis hash while the log is empty). */
interface ChainHead {
  seq: number;
  hash: string;
}

/** Per store: the head as its last append left it (null: not known yet). */
interface LogHeadHint {
  head: ChainHead | null;
  /** Transactions of this store that have begun to append rows and not yet ended. */
  writers: number;
  /** Until then (performance.now()), appends lock the head first: another writer (another server) was seen lately. */
  guessAfter: number;
}

/** How long appends lock the head first after another writer's row was seen where this store's was expected. */
const GUESS_PAUSE_MS = 60_000;

/** Another writer moved the head behind this store's back: read it before appending, for a while. */
function sawAnotherWriter(hint: LogHeadHint): void {
  hint.head = null;
  hint.guessAfter = performance.now() + GUESS_PAUSE_MS;
}

/** Per transaction: its store's hint, and the head its appends continued and left (to put the hint back at a rollback). */
interface TransactionAppends {
  hint: LogHeadHint;
  continued: ChainHead | null;
  left: ChainHead | null;
  /** The transaction's connection, and its guard (closed once its work has ended). */
  client: pg.PoolClient | null;
  guard: TransactionGuard;
  /** Whether its appends may be sent after the hint without waiting (the transaction's first run only). */
  mayGuess: boolean;
  /** Log rows written and not yet answered: awaited before (or with) COMMIT. */
  unanswered: Promise<unknown>[];
  /** Counted in hint.writers. */
  holdsRows: boolean;
  /** Counts a statement written on the connection directly. */
  wrote: () => void;
}

/** The first of the statements that failed, once all have answered. */
async function firstRefusal(sent: readonly Promise<unknown>[]): Promise<PromiseRejectedResult | null> {
  if (sent.length === 0) return null;
  const answers = await Promise.allSettled(sent);
  return answers.find((answer): answer is PromiseRejectedResult => answer.status === 'rejected') ?? null;
}

const transactionAppends = new WeakMap<Tx, TransactionAppends>();

/** An access-log row as appended (the columns of access_log, in its order). */
export type ChainedLogRow = Selectable<AccessLogTable>;

/** The head the rows continued and the one they leave, kept for the store's next append. */
function moved(appends: TransactionAppends, continued: ChainHead, rows: readonly ChainedLogRow[]): void {
  const last = rows[rows.length - 1]!;
  appends.continued ??= continued;
  appends.left = { seq: last.seq, hash: last.hash };
  appends.hint.head = appends.left;
}

/**
 * Writes the rows on the transaction's connection at once (pipelined behind what was written
 * before, ahead of anything written after), its answer left for later: the transaction's next
 * statement runs after these rows were inserted, or refused, and nothing commits without them.
 */
function appendWithoutWaiting(appends: TransactionAppends, columns: unknown[][]): Promise<unknown> {
  appends.wrote();
  return appends.client!.query(APPEND_AFTER_HINT_SQL, columns);
}

/**
 * Text, finite numbers and nulls only, checked before the rows are sent: the driver turns those into
 * a statement's values without fail. One it could not turn (an object whose conversion throws) makes
 * it skip the statement without aborting the transaction — a COMMIT written behind it would then keep
 * the work without its log row — and leaves the connection believing a statement is prepared that
 * PostgreSQL closed. Refused here instead, before anything is written.
 */
function sendableColumns(rows: readonly ChainedLogRow[]): unknown[][] {
  const columns = rowColumns(rows);
  for (const column of columns) {
    for (const value of column) {
      if (!(value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))))
        throw new TypeError('An access-log row holds a value that is not text, a number or null');
    }
  }
  return columns;
}

/** The rows as one array per column of access_log, in its order: the appends' parameters after the head's. */
function rowColumns(rows: readonly ChainedLogRow[]): unknown[][] {
  return [
    rows.map((row) => row.seq),
    rows.map((row) => row.at),
    rows.map((row) => row.user_id),
    rows.map((row) => row.client_id),
    rows.map((row) => row.record),
    rows.map((row) => row.action),
    rows.map((row) => row.channel),
    rows.map((row) => row.emergency),
    rows.map((row) => row.reason),
    rows.map((row) => row.prev_hash),
    rows.map((row) => row.hash),
  ];
}

/** Matches no head: the first statement only locks and reads it. */
const NO_HEAD: ChainHead = { seq: -1, hash: '' };

async function appendIfHeadIs(tx: Tx, expected: ChainHead, columns: unknown[][]): Promise<ChainHead> {
  const parameters = [expected.seq, expected.hash, ...columns];
  const queryId = createQueryId();
  // Through the handle's plugins as a built query: the transaction guard refuses a handle kept past its transaction.
  const query = tx.getExecutor().transformQuery(RawNode.createWithSql(APPEND_SQL), queryId);
  const { rows: answer } = await tx.executeQuery<ChainHead>({ sql: APPEND_SQL, parameters, query, queryId });
  const head = answer[0];
  if (!head) throw new Error('The access log has no chain head');
  return head;
}

/**
 * Appends rows to the access log's chain in one statement when the head is the one this store's last
 * append left (the usual case: appends queue on the head's lock, so each continues the one before),
 * else in two: the first locks and reads the head, the second appends after it. `rowsAfter` makes the
 * rows that continue a head (null: the log is empty) — their hashes are the app's, computed here in
 * JavaScript as before (hashAccessLogRow). Either way the head is locked to commit before any row is
 * written, and the chain trigger checks every row against it: a wrong guess only costs the second statement.
 */
export async function appendToLogChain(tx: Tx, rowsAfter: (head: ChainHead | null) => ChainedLogRow[]): Promise<ChainedLogRow[]> {
  const appends = transactionAppends.get(tx);
  if (!appends) throw new Error('This handle is not a transaction of a PostgreSQL store');
  // Its rows may go on the connection directly, past Kysely's plugins: the guard is asked here.
  appends.guard.check();
  // Whether another transaction of this store is appending too (its rows may not be committed, or may
  // roll back); from here on this one counts, until it ends.
  const settled = appends.hint.writers === (appends.holdsRows ? 1 : 0);
  if (!appends.holdsRows) {
    appends.holdsRows = true;
    appends.hint.writers += 1;
  }
  const known = appends.hint.head;
  if (known && settled && appends.mayGuess && performance.now() >= appends.hint.guessAfter && appends.client) {
    // No other transaction of this store holds rows not yet committed: the head is, all but
    // certainly, the one its last append left. The rows go out now and their answer is awaited with
    // the transaction's next statement or its COMMIT, one round trip less.
    const rows = rowsAfter(known.seq === 0 ? null : known);
    const columns = sendableColumns(rows);
    if (rows.length > 0) {
      const sent = appendWithoutWaiting(appends, columns);
      sent.catch(() => undefined);
      appends.unanswered.push(sent);
      moved(appends, known, rows);
      return rows;
    }
  }
  let expected = appends.hint.head ?? NO_HEAD;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const rows = expected === NO_HEAD ? [] : rowsAfter(expected.seq === 0 ? null : expected);
    const head = await appendIfHeadIs(tx, expected, sendableColumns(rows));
    if (rows.length > 0 && head.seq === expected.seq && head.hash === expected.hash) {
      moved(appends, head, rows);
      return rows;
    }
    // Locked by this transaction now: the second statement continues it. A head other than the one
    // this store's own appends left was moved by another writer (not a first read, nor a rollback's).
    if (expected !== NO_HEAD && rows.length > 0 && appends.hint.writers === 1) sawAnotherWriter(appends.hint);
    expected = head;
  }
  throw new Error("The access log's head moved while locked, or no rows were given");
}

/** What db/migrations/postgres/005_change_events.sql announces: what changed, never whose. */
export interface ChangeEvent {
  kind: 'appointments' | 'clients' | 'intakes' | 'waiting_list' | 'groups';
  site: string | null;
  side: Side;
  /** Local calendar day (Europe/Stockholm), 'YYYY-MM-DD'; null where the change has no day. */
  day: string | null;
}

export const CHANGE_CHANNEL = 'utvag_changes';

/**
 * What a notification on CHANGE_CHANNEL must be to be passed on. Any login to the database may
 * NOTIFY (PostgreSQL has no privilege for it): a payload of another shape, or with a field more, is
 * dropped, so that it can neither end the server nor carry anything to the workstations. A
 * well-formed one from elsewhere makes screens read again through their own sessions, nothing more.
 */
const ChangeEventPayload = z
  .object({
    kind: z.enum(['appointments', 'clients', 'intakes', 'waiting_list', 'groups']),
    site: z.string().min(1).max(64).nullable(),
    side: z.enum(SIDES),
    day: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable(),
  })
  .strict();

function changeEventOf(payload: string): ChangeEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return null;
  }
  const checked = ChangeEventPayload.safeParse(parsed);
  return checked.success ? checked.data : null;
}

export interface ListenOptions {
  /** How the connection shows in pg_stat_activity (for IT, and for the tests that cut it). */
  applicationName?: string;
  /** A notification that is not a change event (changeEventOf) was dropped; told without its payload. */
  onDropped?: () => void;
  /**
   * Asks the connection this often whether it still answers (SELECT 1, at most 10 s): a connection
   * that died without a word (a network cut, a host gone) is otherwise never noticed, since a
   * listener only waits.
   */
  checkEveryMs?: number;
}

const LISTEN_TIMEOUT_MS = 10_000;

/**
 * Listens for committed changes on a connection of its own (LISTEN holds a session, so never a
 * pooled one). Events arrive after the writing transaction commits. Returns a function that stops.
 * When the connection fails or ends (a PostgreSQL restart, pg_terminate_backend, a network cut, a
 * check unanswered), onError is called once and no event comes any more: listen again, and have
 * every open screen read again, since changes in between were not announced.
 */
export async function listenForChanges(
  config: pg.ClientConfig,
  onChange: (event: ChangeEvent) => void,
  onError: (error: Error) => void = () => undefined,
  options: ListenOptions = {},
): Promise<() => Promise<void>> {
  const client = new pg.Client({
    ...config,
    types,
    keepAlive: true,
    connectionTimeoutMillis: LISTEN_TIMEOUT_MS,
    query_timeout: LISTEN_TIMEOUT_MS,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
  });
  let listening = false;
  let over = false;
  let check: ReturnType<typeof setInterval> | null = null;
  const fail = (error: Error) => {
    if (over) return;
    over = true;
    if (check) clearInterval(check);
    client.end().catch(() => undefined);
    if (listening) onError(error);
  };
  client.on('error', fail);
  client.on('end', () => fail(Object.assign(new Error('The listening connection ended'), { name: 'ConnectionEnded' })));
  client.on('notification', (message) => {
    if (over || message.channel !== CHANGE_CHANNEL || !message.payload) return;
    const event = changeEventOf(message.payload);
    if (event) onChange(event);
    else options.onDropped?.();
  });
  try {
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
  } catch (error) {
    over = true;
    await client.end().catch(() => undefined);
    throw error;
  }
  if (over) throw Object.assign(new Error('The listening connection ended'), { name: 'ConnectionEnded' });
  listening = true;
  if (options.checkEveryMs) {
    let checking = false;
    check = setInterval(() => {
      if (checking) return;
      checking = true;
      client
        .query('SELECT 1')
        .catch((error: unknown) => fail(error instanceof Error ? error : new Error('check failed')))
        .finally(() => (checking = false));
    }, options.checkEveryMs);
    check.unref();
  }
  return async () => {
    if (over) return;
    over = true;
    if (check) clearInterval(check);
    await client.end();
  };
}
