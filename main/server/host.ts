import { randomUUID } from 'node:crypto';
import { appendLogRows, type AccessLogEntry } from '../../db/accessLog.js';
import type { Db } from '../../db/connection.js';
import type { Store, Tx } from '../../db/engine/store.js';
import { deletePasswordHash, insertPasswordHash, updatePasswordHash, usersWithPassword } from '../../db/users/passwords.js';
import { findUserById, insertUser, listUsers, lockActiveAdmins, setActive, setMustChangePassword, type UserRow } from '../../db/users/index.js';
import type { AppStatus, Role, SessionUser } from '../../preload/contract/index.js';
import type { AppHost } from '../handlers/context.js';
import type { Logger } from '../log.js';
import type { BackupScheduler } from '../services/backupSchedule.js';
import { DomainError } from '../services/errors.js';
import type { LockReason, RestoredJournal } from '../services/session/index.js';
import { changeUserRoles, generateTemporaryPassword, rolesRecord, toSessionUser, type Transact } from '../services/session/users.js';
import { hashPassword } from './passwords.js';
import type { ServerSession, ServerSessions } from './sessions.js';

/** What only the local journal does (its file, key, recovery code, backups until server backups land). */
export function notOnServer(): DomainError {
  return new DomainError('FORBIDDEN', 'error.notOnServer');
}

/**
 * One request's view of the server for the router: the session its token names (or none) over the
 * shared PostgreSQL store. Made per call; the session and the store outlive it. `issuedToken` is set
 * when a sign-in opened a session, for the response's utvag-session header.
 */
export class SessionHost implements AppHost {
  readonly dataDir = '';
  readonly log: Logger;
  readonly now: () => Date;
  readonly store: Store;
  issuedToken: string | null = null;
  private readonly noScope = {};

  constructor(
    private readonly sessions: ServerSessions,
    private session: ServerSession | null,
  ) {
    this.log = sessions.log;
    this.now = sessions.now;
    this.store = sessions.store;
  }

  get user(): SessionUser | null {
    return this.session?.state === 'unlocked' ? this.session.user : null;
  }

  get isUnlocked(): boolean {
    return this.session?.state === 'unlocked';
  }

  get db(): Db {
    throw notOnServer();
  }

  get backups(): BackupScheduler {
    throw notOnServer();
  }

  get scope(): object {
    return this.session?.scope ?? this.noScope;
  }

  get idle(): AppHost['idle'] {
    return {
      touch: () => this.session?.idle.touch(),
      setTimeoutMinutes: (minutes) => this.sessions.setIdleLockMinutes(minutes),
    };
  }

  status(): AppStatus {
    const session = this.session;
    if (session?.state === 'unlocked') {
      return { state: 'unlocked', user: session.user, lockedBy: null, idleLockMinutes: this.sessions.idleLockMinutes };
    }
    const lockedBy = session ? { username: session.user.username, displayName: session.user.displayName } : null;
    // Never 'setup' or 'missing' on a server: the first admin is made by `server init`.
    return { state: 'locked', user: null, lockedBy, idleLockMinutes: null };
  }

  /** The local journal anchors the log's head in its keyring; on the server the database checks the chain's links itself. */
  anchorLog(): void {}

  logHeadState(): { problem: string | null } {
    return { problem: null };
  }

  setup(): Promise<never> {
    return Promise.reject(notOnServer());
  }

  recover(): Promise<never> {
    return Promise.reject(notOnServer());
  }

  rekey(): Promise<never> {
    return Promise.reject(notOnServer());
  }

  restoreBackup(): Promise<RestoredJournal> {
    return Promise.reject(notOnServer());
  }

  backupSealKey(): Buffer {
    throw notOnServer();
  }

  async login(input: { username: string; password: string }): Promise<SessionUser> {
    const session = await this.sessions.signIn(input, this.session);
    this.session = session;
    this.issuedToken = session.token;
    return session.user;
  }

  lock(reason: LockReason): void {
    if (this.session) this.sessions.lock(this.session, reason);
  }

  private requireSession(): ServerSession {
    if (this.session?.state !== 'unlocked') throw new DomainError('NOT_SIGNED_IN', 'error.sessionEnded');
    return this.session;
  }

  changePassword(input: { currentPassword: string; newPassword: string }): Promise<SessionUser> {
    return this.sessions.changePassword(this.requireSession(), input);
  }

  verifyPassword(password: string, field?: string): Promise<boolean> {
    return this.sessions.verifyPassword(this.requireSession(), password, field);
  }

  private securityRow(action: string, record: string): AccessLogEntry {
    const by = this.requireSession().user.id;
    return { at: this.now().toISOString(), userId: by, clientId: null, record, action, channel: null, emergency: false, reason: null };
  }

  /** An admin's own transaction (for the channels that hash a password outside the call's). */
  private asAdmin<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const admin = this.requireSession().user;
    if (!admin.roles.includes('admin')) throw new DomainError('FORBIDDEN', 'error.forbidden');
    return this.store.transaction(work, { actor: { userId: admin.id, role: 'admin' } });
  }

  /** Whether each active user can sign in: one without a password (none set yet) needs a temporary one. */
  async listUsers(tx: Tx): Promise<(UserRow & { needsNewPassword: boolean })[]> {
    const withPassword = await usersWithPassword(tx);
    return (await listUsers(tx)).map((user) => ({ ...user, needsNewPassword: user.active && !withPassword.has(user.id) }));
  }

  async createUser(input: { displayName: string; username: string; roles: Role[] }): Promise<{ user: UserRow; temporaryPassword: string }> {
    const temporaryPassword = generateTemporaryPassword();
    const hash = await hashPassword(temporaryPassword);
    const id = randomUUID();
    const user = await this.asAdmin(async (tx) => {
      const taken = (await listUsers(tx)).some((user) => user.username.toLowerCase() === input.username.trim().toLowerCase());
      if (taken) throw new DomainError('CONFLICT', 'error.username.taken', { username: 'error.username.taken' });
      const at = this.now().toISOString();
      await insertUser(tx, {
        id,
        username: input.username.trim(),
        displayName: input.displayName.trim(),
        roles: input.roles,
        mustChangePassword: true,
        createdAt: at,
      });
      await insertPasswordHash(tx, id, hash, at);
      await appendLogRows(tx, [this.securityRow('users.create', `user:created:${id}:roles=${input.roles.join('+')}`)]);
      return (await findUserById(tx, id))!;
    });
    this.log.info('user.created');
    return { user, temporaryPassword };
  }

  async resetPassword(userId: string): Promise<{ user: UserRow; temporaryPassword: string }> {
    const temporaryPassword = generateTemporaryPassword();
    const hash = await hashPassword(temporaryPassword);
    const user = await this.asAdmin(async (tx) => {
      const user = await findUserById(tx, userId);
      if (!user || !user.active) throw new DomainError('NOT_FOUND', 'error.user.notFound');
      const at = this.now().toISOString();
      if (!(await updatePasswordHash(tx, userId, hash, at))) await insertPasswordHash(tx, userId, hash, at);
      await setMustChangePassword(tx, userId, true);
      await appendLogRows(tx, [this.securityRow('users.resetPassword', `password:reset:${userId}`)]);
      return (await findUserById(tx, userId))!;
    });
    // Whoever was signed in as that person (perhaps someone who knew the old password) is signed out;
    // an admin resetting her own password keeps this desk only.
    this.sessions.endPerson(userId, this.session ?? undefined);
    this.log.info('user.password_reset');
    return { user, temporaryPassword };
  }

  /** In the call's transaction: the user stays (their name on what they wrote), their password and sessions go. */
  async deactivateUser(tx: Tx, userId: string): Promise<UserRow> {
    const me = this.requireSession().user;
    const user = await findUserById(tx, userId);
    if (!user) throw new DomainError('NOT_FOUND', 'error.user.notFound');
    if (userId === me.id) throw new DomainError('CONFLICT', 'error.user.deactivateSelf');
    if (user.roles.includes('admin') && user.active && (await lockActiveAdmins(tx)).length <= 1)
      throw new DomainError('CONFLICT', 'error.user.lastAdmin');
    await setActive(tx, userId, false);
    await deletePasswordHash(tx, userId);
    await appendLogRows(tx, [this.securityRow('users.deactivate', `user:deactivated:${userId}`)]);
    this.sessions.endPerson(userId);
    this.log.info('user.deactivated');
    return (await findUserById(tx, userId))!;
  }

  /**
   * Replaces a user's roles (changeUserRoles, the same rules as the local journal). The sessions keep
   * a person's roles from her sign-in, so every other session of hers ends in the transaction that
   * writes them: her next call signs in again and runs with the new roles. The admin's own session
   * (she keeps the admin role, and with it both sides) takes her new roles once they are committed.
   */
  async setUserRoles(input: { userId: string; roles: Role[] }, transact: Transact): Promise<UserRow> {
    const session = this.requireSession();
    const me = session.user;
    const user = await transact(async (tx) => {
      const { after } = await changeUserRoles(tx, me.id, input.userId, input.roles, this.now());
      await appendLogRows(tx, [this.securityRow('users.setRoles', rolesRecord(after))]);
      this.sessions.endPerson(input.userId, session);
      return after;
    });
    if (user.id === me.id) session.user = toSessionUser(user);
    this.log.info('user.roles_changed');
    return user;
  }
}
