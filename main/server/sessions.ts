import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { appendLogRows, type AccessLogEntry } from '../../db/accessLog.js';
import type { Store, Tx } from '../../db/engine/store.js';
import { tracksServedBy } from '../../db/org/index.js';
import { readPasswordHash, updatePasswordHash } from '../../db/users/passwords.js';
import { findUserById, findUserByUsername, recordLogin, setMustChangePassword } from '../../db/users/index.js';
import { sideOfTrack, type SessionUser, type Side, type Track } from '../../preload/contract/index.js';
import type { Logger } from '../log.js';
import { DomainError } from '../services/errors.js';
import { IdleLock } from '../services/idleLock.js';
import { assertStrongPassword } from '../services/passwordStrength.js';
import type { LockReason } from '../services/session/index.js';
import { toSessionUser } from '../services/session/users.js';
import { readSettings } from '../services/settings.js';
import { LoginThrottle } from '../services/throttle.js';
import { checkPassword, hashPassword } from './passwords.js';

/** One signed-in person at one workstation. The token lives only in this process's memory. */
export interface ServerSession {
  readonly token: string;
  user: SessionUser;
  state: 'unlocked' | 'locked';
  /** When it locked (Date.now()), while locked: a locked session waits for its person only so long (see lockedSessionHours). */
  lockedAt: number | null;
  /** The sides whose change events this person may receive (receptionists and admins: both; a therapist: her tracks'). */
  sides: ReadonlySet<Side>;
  readonly idle: IdleLock;
  /** Keys the session's state in memory (the link lookup's handles): never shared between sessions. */
  readonly scope: object;
  /** Called when the session locks or ends (its event streams close). */
  readonly onEnd: Set<() => void>;
}

export interface ServerSessionsOptions {
  store: Store;
  log: Logger;
  now?: () => Date;
  /** How often each session's idle lock looks at the clock. */
  idleCheckEveryMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The login delay's clock (tests move it on instead of waiting). */
  throttleClock?: () => number;
}

/** How many usernames the login delay remembers; beyond it the oldest without a pending wait is forgotten. */
const MAX_THROTTLED = 2000;
const DEFAULT_IDLE_MINUTES = 15;
/**
 * How long a locked session waits at its lock screen for its person: a working day and a half. A desk
 * switched off or taken away while locked never signs out, and its session would otherwise stay in the
 * server's memory, its token good for an unlock with the password, until the server restarts. After
 * this the token is as unknown, and the person signs in again as after a restart (what was typed stays).
 */
const DEFAULT_LOCKED_HOURS = 12;

function sidesServing(user: SessionUser, tracks: readonly Track[]): Set<Side> {
  if (user.roles.includes('receptionist') || user.roles.includes('admin')) return new Set<Side>(['victims', 'perpetrators']);
  return user.roles.includes('therapist') ? new Set(tracks.map(sideOfTrack)) : new Set();
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The server's sessions: one per signed-in person, keyed by a random token. Sign-in checks the
 * person's Argon2id hash in a transaction as utvag_signin (the only role that reads hashes), with
 * the login delay per username kept in memory, and writes the same access-log rows as the local
 * journal's sign-in. A restart ends every session (the workstations ask to sign in again).
 */
export class ServerSessions {
  private readonly sessions = new Map<string, ServerSession>();
  private readonly throttles = new Map<string, LoginThrottle>();
  readonly store: Store;
  readonly log: Logger;
  readonly now: () => Date;
  private idleMinutes = DEFAULT_IDLE_MINUTES;
  private lockedMs = DEFAULT_LOCKED_HOURS * 3_600_000;

  constructor(private readonly options: ServerSessionsOptions) {
    this.store = options.store;
    this.log = options.log;
    this.now = options.now ?? (() => new Date());
  }

  get idleLockMinutes(): number {
    return this.idleMinutes;
  }

  /** The centre's idle lock changed (settings.update): every session follows it at once. */
  setIdleLockMinutes(minutes: number): void {
    this.idleMinutes = minutes;
    for (const session of this.sessions.values()) session.idle.setTimeoutMinutes(minutes);
  }

  /** How long a locked session is kept (tests shorten it; the centre has no setting for it). */
  set lockedSessionHours(hours: number) {
    this.lockedMs = hours * 3_600_000;
  }

  find(token: string | null): ServerSession | null {
    const session = token ? this.sessions.get(token) : undefined;
    if (!session) return null;
    if (this.lockedTooLong(session)) {
      this.end(session);
      return null;
    }
    return session;
  }

  private lockedTooLong(session: ServerSession): boolean {
    return session.state === 'locked' && session.lockedAt !== null && Date.now() - session.lockedAt >= this.lockedMs;
  }

  /** Sessions locked too long end (looked for at every sign-in, so the locked ones kept never outgrow a day's sign-ins). */
  private endLockedTooLong(): void {
    for (const session of [...this.sessions.values()]) if (this.lockedTooLong(session)) this.end(session);
  }

  /** A transaction as utvag_signin, in the name of `userId` when given (its log rows and own-password rule). */
  private signInTransaction<T>(userId: string | null, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.transaction(async (tx) => {
      await sql`SET LOCAL ROLE utvag_signin`.execute(tx);
      if (userId) await sql`SELECT set_config('utvag.user_id', ${userId}, true)`.execute(tx);
      return work(tx);
    });
  }

  private securityRow(userId: string | null, action: string, record: string, at = this.now().toISOString()): AccessLogEntry {
    return { at, userId, clientId: null, record, action, channel: null, emergency: false, reason: null };
  }

  private throttleFor(username: string): LoginThrottle {
    const key = username.trim().toLowerCase();
    let throttle = this.throttles.get(key);
    if (throttle) {
      // Most recently used last, so that the oldest is forgotten first.
      this.throttles.delete(key);
      this.throttles.set(key, throttle);
      return throttle;
    }
    if (this.throttles.size >= MAX_THROTTLED) {
      for (const [name, old] of this.throttles) {
        if (old.consecutiveFailures(name) === 0) {
          this.throttles.delete(name);
          break;
        }
      }
      if (this.throttles.size >= MAX_THROTTLED) this.throttles.delete(this.throttles.keys().next().value!);
    }
    throttle = new LoginThrottle({
      ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      ...(this.options.throttleClock ? { now: this.options.throttleClock } : {}),
    });
    this.throttles.set(key, throttle);
    return throttle;
  }

  /**
   * Checks a person's password under their login delay (a wrong answer waits, an attempt while a wait
   * is due is refused with TOO_MANY_ATTEMPTS before any hash is computed); the delay's security
   * events go into the access log at once, as the local journal writes them at its next unlock.
   */
  private async throttledCheck(
    username: string,
    kind: string,
    field: string,
    check: () => Promise<{ ok: boolean; userId: string | null }>,
  ): Promise<{ ok: boolean; userId: string | null }> {
    const throttle = this.throttleFor(username);
    const subject = username.trim().toLowerCase();
    let found: string | null = null;
    try {
      const outcome = await throttle.run({ subject, kind, field }, async () => {
        const result = await check();
        found = result.userId;
        return { ok: result.ok, value: result.userId };
      });
      return { ok: outcome.ok, userId: outcome.value };
    } finally {
      const pending = throttle.pendingEvents();
      if (pending.events.length > 0) {
        const who: string | null = found;
        try {
          await this.signInTransaction(who, (tx) =>
            appendLogRows(
              tx,
              pending.events.map((event) => this.securityRow(who, 'auth.security', `${event.kind}${who ? '' : ':unknown-username'}`, event.at)),
            ),
          );
          pending.clear();
        } catch (error) {
          this.log.error('security.events_not_written', { errorName: (error as Error)?.name ?? 'unknown' });
        }
      }
    }
  }

  /**
   * Signs a person in and opens their session. `replacing` is the session the workstation held (a
   * locked one at the lock screen, or one still open at a desk where someone else signs in): it ends
   * once the sign-in succeeds; an open one is locked first, as at the local journal.
   */
  async signIn(input: { username: string; password: string }, replacing: ServerSession | null): Promise<ServerSession> {
    if (replacing?.state === 'unlocked') this.lock(replacing, 'user');
    const username = input.username.trim();
    const outcome = await this.throttledCheck(username, 'login.failed', 'password', async () => {
      const found = await this.signInTransaction(null, async (tx) => {
        const user = await findUserByUsername(tx, username);
        return user ? { user, hash: await readPasswordHash(tx, user.id) } : null;
      });
      const matches = await checkPassword(found?.hash ?? null, input.password);
      // An inactive person's password opens nothing, and is told the same as a wrong one.
      return { ok: matches && found !== null && found.user.active, userId: found?.user.id ?? null };
    });
    if (!outcome.ok || !outcome.userId) {
      this.log.warn('login.failed');
      throw new DomainError('WRONG_CREDENTIALS', 'error.login.wrong', { password: 'error.login.wrong' });
    }
    const userId = outcome.userId;
    const { user, idleLockMinutes } = await this.signInTransaction(userId, async (tx) => {
      await recordLogin(tx, userId, this.now().toISOString());
      await appendLogRows(tx, [this.securityRow(userId, 'auth.login', 'login:ok')]);
      return { user: (await findUserById(tx, userId))!, idleLockMinutes: (await readSettings(tx)).idleLockMinutes };
    });
    const sides = await this.sidesOf(toSessionUser(user));
    // The centre's setting as the database has it now (another server process may have changed it).
    if (idleLockMinutes !== this.idleMinutes) this.setIdleLockMinutes(idleLockMinutes);
    if (replacing) this.end(replacing);
    const session = this.open(toSessionUser(user), sides);
    this.log.info('login.ok');
    return session;
  }

  /** The sides whose change events a person may see: both for reception and admins, a therapist's tracks' sides. */
  private async sidesOf(user: SessionUser): Promise<Set<Side>> {
    if (user.roles.includes('receptionist') || user.roles.includes('admin') || !user.roles.includes('therapist')) return sidesServing(user, []);
    return sidesServing(user, await this.store.transaction((tx) => tracksServedBy(tx, user.id), { actor: { userId: user.id, role: 'therapist' } }));
  }

  /**
   * A therapist's tracks changed (org.saveTherapist, committed): her open event streams follow at
   * once, not at her next sign-in, so one moved to the perpetrators' side hears nothing more of the victims'.
   */
  tracksChanged(userId: string, tracks: readonly Track[]): void {
    for (const session of this.sessions.values()) if (session.user.id === userId) session.sides = sidesServing(session.user, tracks);
  }

  private open(user: SessionUser, sides: Set<Side>): ServerSession {
    this.endLockedTooLong();
    let token = newToken();
    while (this.sessions.has(token)) token = newToken();
    const session: ServerSession = {
      token,
      user,
      state: 'unlocked',
      lockedAt: null,
      sides,
      scope: {},
      onEnd: new Set(),
      idle: new IdleLock(() => this.lock(session, 'idle'), this.idleMinutes * 60_000, Date.now, this.options.idleCheckEveryMs),
    };
    this.sessions.set(token, session);
    session.idle.start();
    return session;
  }

  private closeStreams(session: ServerSession): void {
    for (const listener of [...session.onEnd]) {
      try {
        listener();
      } catch {
        // A stream already gone.
      }
    }
    session.onEnd.clear();
  }

  /** The lock screen: the token then answers only public channels, and app.status names who locked. */
  lock(session: ServerSession, reason: LockReason): void {
    if (reason === 'logout' || reason === 'shutdown') {
      this.end(session);
      this.log.info('journal.locked', { reason });
      return;
    }
    if (session.state === 'locked') return;
    session.state = 'locked';
    session.lockedAt = Date.now();
    session.idle.stop();
    this.closeStreams(session);
    this.log.info('journal.locked', { reason });
  }

  /** The token ends: later calls with it are as with none. */
  end(session: ServerSession): void {
    session.idle.stop();
    session.state = 'locked';
    this.sessions.delete(session.token);
    this.closeStreams(session);
  }

  /** Every session of a person ends (deactivated, a new password, new roles), but for `keep`: the desk that made the change. */
  endPerson(userId: string, keep?: ServerSession): void {
    for (const session of [...this.sessions.values()]) if (session.user.id === userId && session !== keep) this.end(session);
  }

  endAll(): void {
    for (const session of [...this.sessions.values()]) this.end(session);
  }

  /** Re-entering one's password (a signature, a password change): the person's own login delay, as a sign-in. */
  async verifyPassword(session: ServerSession, password: string, field = 'password'): Promise<boolean> {
    const userId = session.user.id;
    const outcome = await this.throttledCheck(session.user.username, 'password.failed', field, async () => {
      const stored = await this.signInTransaction(userId, (tx) => readPasswordHash(tx, userId));
      return { ok: await checkPassword(stored, password), userId };
    });
    return outcome.ok;
  }

  async changePassword(session: ServerSession, input: { currentPassword: string; newPassword: string }): Promise<SessionUser> {
    const { user } = session;
    // Judged first: a guessable new password costs no attempt of the person's login delay.
    assertStrongPassword(input.newPassword, 'newPassword', [user.username, user.displayName]);
    if (!(await this.verifyPassword(session, input.currentPassword, 'currentPassword')))
      throw new DomainError('WRONG_CREDENTIALS', 'error.password.currentWrong', { currentPassword: 'error.password.currentWrong' });
    const hash = await hashPassword(input.newPassword);
    const refreshed = await this.signInTransaction(user.id, async (tx) => {
      const at = this.now().toISOString();
      if (!(await updatePasswordHash(tx, user.id, hash, at))) throw new DomainError('NOT_FOUND', 'error.user.notFound');
      if (user.mustChangePassword) await setMustChangePassword(tx, user.id, false);
      await appendLogRows(tx, [this.securityRow(user.id, 'auth.changePassword', 'password:changed', at)]);
      return (await findUserById(tx, user.id))!;
    });
    session.user = toSessionUser(refreshed);
    // Whoever else is signed in as this person (perhaps with the old password someone learned) is signed out; this desk stays.
    this.endPerson(user.id, session);
    this.log.info('password.changed');
    return session.user;
  }
}
