import type { z } from 'zod';
import type { Tx } from '../../db/engine/store.js';
import type {
  AccessLogFilter as AccessLogFilterInput,
  ChannelInput,
  ChannelName,
  ChannelOutput,
  Contract,
  FileChoice,
  SessionUser,
} from '../../preload/contract/index.js';
import type { AccessLogFilter } from '../../db/accessLog.js';
import { linksOf } from '../../db/clients/index.js';
import type { Db } from '../../db/connection.js';
import type { Store } from '../../db/engine/store.js';
import type { UserRow } from '../../db/users/index.js';
import type { AppStatus, Role } from '../../preload/contract/index.js';
import type { Logger } from '../log.js';
import type { BackupTask } from '../services/backupProgress.js';
import type { BackupScheduler } from '../services/backupSchedule.js';
import { DomainError } from '../services/errors.js';
import type { LockReason, RestoredJournal } from '../services/session/index.js';
import { addLocalDays, localToUtc } from '../services/time.js';

export interface AuditNote {
  clientId: string | null;
  /** Which record was read or written ('appointment:…', 'search:results=3'); never names or free text. */
  record: string | null;
  /** An emergency access, with the therapist's written reason (flagged for admin review). */
  emergency?: { reason: string };
}

type MaybePromise<T> = T | Promise<T>;

/**
 * What the router and the handlers use of the running app: one signed-in person's view of the
 * journal. The local journal (JournalApp, one person at a time) and the Utväg server (one host per
 * session over the shared PostgreSQL store, main/server/host.ts) both implement it.
 */
export interface AppHost {
  readonly dataDir: string;
  readonly now: () => Date;
  readonly log: Logger;
  /** The signed-in person; null while locked or before anyone signs in. */
  readonly user: SessionUser | null;
  readonly isUnlocked: boolean;
  /** Every call's transaction goes through it. */
  readonly store: Store;
  /** The local journal's own connection (SQLite only: backups, the switch of journals); the server refuses it. */
  readonly db: Db;
  /**
   * What per-session state in memory is kept under (the link lookup's handles): a new object at every
   * lock and sign-in, so that nothing of one session reaches the next.
   */
  readonly scope: object;
  readonly idle: { touch(): void; setTimeoutMinutes(minutes: number): void };
  readonly backups: BackupScheduler;
  status(): AppStatus;
  /** Keeps the newest log row outside the journal once committed (local journal; nothing on the server). */
  anchorLog(): void;
  logHeadState(): { problem: string | null };
  setup(input: { displayName: string; username: string; password: string }): Promise<{ recoveryCode: string; user: SessionUser }>;
  login(input: { username: string; password: string }): Promise<SessionUser>;
  recover(input: { recoveryCode: string; username: string; newPassword: string }): Promise<{ recoveryCode: string; user: SessionUser }>;
  lock(reason: LockReason): void;
  changePassword(input: { currentPassword: string; newPassword: string }): Promise<SessionUser>;
  verifyPassword(password: string, field?: string): Promise<boolean>;
  rekey(input: { password: string }): Promise<{ recoveryCode: string; usersWithoutPassword: number }>;
  /** In the call's transaction (the local journal reads its own connection and ignores it). */
  listUsers(tx: Tx): MaybePromise<(UserRow & { needsNewPassword: boolean })[]>;
  /** transact: the call's own transaction opener (the handler runs outside one while a password is hashed). */
  createUser(
    input: { displayName: string; username: string; roles: Role[] },
    transact: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>,
  ): Promise<{ user: UserRow; temporaryPassword: string }>;
  resetPassword(userId: string, transact: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>): Promise<{ user: UserRow; temporaryPassword: string }>;
  deactivateUser(tx: Tx, userId: string): MaybePromise<UserRow>;
  /** transact: the call's own transaction; the session's roles change only once it has committed. */
  setUserRoles(input: { userId: string; roles: Role[] }, transact: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>): Promise<UserRow>;
  restoreBackup(
    input: { file: string; passphrase: string; confirmedChecksum?: string | undefined },
    hooks: { beforeSwitch(summary: { rows: number }): void; task?: BackupTask | undefined },
  ): Promise<RestoredJournal>;
  backupSealKey(): Buffer;
}

export interface CallContext {
  app: AppHost;
  /** The signed-in user; null only on public channels. */
  user: SessionUser | null;
  /**
   * The call's transaction: every query of the call and its access-log rows commit together or not
   * at all. Using it in a handler marked outsideTransaction throws: such a handler opens its own with transact.
   */
  readonly tx: Tx;
  /** Writes an access-log row in the call's transaction; returns its sequence number. */
  audit(note: AuditNote): Promise<number>;
  /** Writes several access-log rows, in order, in a bounded number of statements (see appendLogRows); returns their sequence numbers. */
  auditAll(notes: readonly AuditNote[]): Promise<number[]>;
  /**
   * For handlers that run outside a transaction (they must await a password check or a file first):
   * runs work in one transaction of its own, in which audit writes its rows.
   */
  transact<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * The local journal's own connection, for what only SQLite does and cannot await inside: a backup's
   * ATTACH copy and the switch of journals. transact refuses to start inside another open transaction.
   */
  sqlite: {
    transact<T>(work: () => T): T;
    audit(note: AuditNote): number;
  };
}

export type Handler<C extends ChannelName> = (
  input: z.output<Contract[C]['input']>,
  ctx: CallContext,
) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
export type Handlers = { [C in ChannelName]: Handler<C> };
/** The handlers of one domain: main/handlers/<domain>.ts, merged by the router. */
export type DomainHandlers<C extends ChannelName> = { [K in C]: Handler<K> };

const OUTSIDE = Symbol('outsideTransaction');

/**
 * Marks a handler that must not hold the journal's transaction while it awaits something slow (a
 * password's Argon2id, a file written and read back, the lock that closes the journal): the router
 * calls it without one, and it does its database work in ctx.transact.
 */
export function outsideTransaction<H extends (...args: never[]) => unknown>(handler: H): H {
  return Object.assign(handler, { [OUTSIDE]: true });
}

export function runsOutsideTransaction(handler: unknown): boolean {
  return typeof handler === 'function' && (handler as unknown as Record<symbol, unknown>)[OUTSIDE] === true;
}

export function signedIn(ctx: CallContext): SessionUser {
  if (!ctx.user) throw new DomainError('NOT_SIGNED_IN', 'Sign in first');
  return ctx.user;
}

/** The access-log filter from the screen's local dates to UTC instants (whole Swedish days). */
export function toLogFilter(filter: AccessLogFilterInput): AccessLogFilter {
  return {
    ...filter,
    from: filter.from ? localToUtc(filter.from, '00:00', 'from') : null,
    to: filter.to ? localToUtc(addLocalDays(filter.to, 1), '00:00', 'to') : null,
  };
}

/**
 * A list read leaves one row per client shown, so that each client's own extract shows every time
 * their data was on a screen; an empty list leaves one row without a client.
 */
export async function auditShown(ctx: CallContext, clientIds: Iterable<string | null>, record: string): Promise<void> {
  const shown = new Set([...clientIds].filter((id): id is string => id !== null));
  if (shown.size > 0) await ctx.auditAll([...shown].map((clientId) => ({ clientId, record })));
  else await ctx.audit({ clientId: null, record: `${record}:results=0` });
}

/** A client's record shows their links (across sides only that one exists): each linked person shaped it. */
export async function auditLinksShown(ctx: CallContext, clientId: string): Promise<void> {
  const links = await linksOf(ctx.tx, clientId);
  if (links.length > 0) await ctx.auditAll(links.map((link) => ({ clientId: link.otherClientId, record: `client-link:${clientId}` })));
}

/** What only the desktop shell can offer the handlers; the browser harness and the CLI offer none of it. */
export interface ShellServices {
  /** Opens the operating system's file dialog; resolves to the chosen path, or null when cancelled. */
  chooseFile?: (purpose: Exclude<FileChoice, 'probe'>) => Promise<string | null>;
  /** First run: makes this workstation a client of the Utväg server (main/remote/workstation.ts). */
  connectServer?: (input: ChannelInput<'workstation.connectServer'>) => Promise<ChannelOutput<'workstation.connectServer'>>;
}
