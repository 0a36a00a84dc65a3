import type { Kysely } from 'kysely';
import type { Database, Role, Side } from './schema.js';

/**
 * What a repository function works on: a Kysely instance bound to the one connection that holds
 * the open transaction. Every query through it belongs to that transaction; nothing else runs on
 * that connection until the transaction ends. (It is not Kysely's Transaction type because the
 * Store opens the transaction itself: BEGIN IMMEDIATE on SQLite, SET LOCAL on PostgreSQL.)
 */
export type Tx = Kysely<Database>;

/** Who the transaction runs for. PostgreSQL runs it as that person's role (the second line); SQLite ignores it. */
export interface Actor {
  userId: string;
  role: Role;
}

export interface TransactionOptions {
  /** Refuse every write inside the transaction (SQLite: query_only; PostgreSQL: READ ONLY). */
  readOnly?: boolean;
  actor?: Actor;
  /**
   * The one side this transaction may see (PostgreSQL: rows of the other side are not there for
   * it, by row-level security; SQLite ignores it). Leave it out where the work must read across
   * sides: the separation check, a link, an intake's look for a linked person.
   */
  side?: Side;
}

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  readonly dialect: Dialect;
  /**
   * Runs work in one transaction on one connection: commits when work resolves, rolls back whole
   * when it throws (and rethrows). Calls never interleave inside one SQLite transaction.
   * Calling transaction() again from inside work is refused: it would wait for itself.
   */
  transaction<T>(work: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
  /**
   * How many statements the store's transactions have run since it was made (on SQLite begin and
   * commit not counted; on PostgreSQL every statement sent, the start and COMMIT included): the
   * bench's figures.statements and the test that bounds each channel's work read it.
   */
  readonly statements: number;
}

/** A transaction was opened inside another one of the same store (a deadlock, or a half-nested write). */
export class NestedTransactionError extends Error {
  constructor() {
    super('A transaction was started inside another transaction of the same store');
    this.name = 'NestedTransactionError';
  }
}

/**
 * The database refused a write because it would break the separation rule (PostgreSQL's
 * exclusion constraint). Carries nothing of the constraint's details: which pair, which other
 * appointment and how near it is must never reach a workstation.
 */
export class SeparationConflictError extends Error {
  constructor() {
    super('The time is not available');
    this.name = 'SeparationConflictError';
  }
}

/** The exclusion constraint of db/migrations/postgres/001_server.sql that holds the separation rule. */
const SEPARATION_CONSTRAINT = 'separation_spans_apart';

/**
 * A statement the database refused for the separation rule (PostgreSQL's exclusion_violation on
 * that constraint): what the store turns into SeparationConflictError once the transaction is
 * rolled back, and what a service that judged the write may turn into its own refusal first.
 * Never true on SQLite, which has no such constraint (its one writer judges under its lock).
 */
export function isSeparationConflict(error: unknown): boolean {
  if (error instanceof SeparationConflictError) return true;
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return code === '23P01' && constraint === SEPARATION_CONSTRAINT;
}

/** The role name in PostgreSQL for an app role: one NOLOGIN role per app role, see db/migrations/postgres/. */
export function databaseRole(role: Role): string {
  return `utvag_${role}`;
}

/** Which engine each open transaction handle runs on: set by the store that made it. */
const dialects = new WeakMap<Tx, Dialect>();

/** For the stores: tags a transaction handle with its engine (see dialectOf). */
export function tagTransaction(tx: Tx, dialect: Dialect): Tx {
  dialects.set(tx, dialect);
  return tx;
}

/**
 * The engine a transaction handle runs on, for the engine module's few unavoidable branches (the
 * access log's chain head): repositories stay one text for both. A handle no store made is refused
 * rather than guessed, since guessing SQLite on PostgreSQL would skip the chain head's lock.
 */
export function dialectOf(tx: Tx): Dialect {
  const dialect = dialects.get(tx);
  if (!dialect) throw new Error('This handle is not a transaction of a Store');
  return dialect;
}
