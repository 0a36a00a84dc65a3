import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../../db/connection.js';
import { JournalKeyError } from '../../../db/connection.js';
import { secureDataDir } from '../../../db/dataDirModes.js';
import { buildRekeyedCopy, checkpointForRekey, clearUnfinishedRekey, JournalInUseError, switchToRekeyed } from '../../../db/rekey.js';
import { createSqliteStore, type SqliteStore } from '../../../db/engine/sqlite.js';
import type { Tx } from '../../../db/engine/store.js';
import { createJournal, dataDirState, loadKeyring, openJournal } from '../../../db/journal.js';
import {
  generateRecoveryCode,
  keyringPath,
  normaliseRecoveryCode,
  readLogHead,
  replaceSlots,
  signLogHead,
  usernameLookup,
  type KeyringFile,
  type LogHead,
  unlockWithPassword,
  unlockWithRecoveryCodeKeys,
  sealToSlot,
  type UnwrappedKeys,
  wrapKey,
  writeKeyring,
} from '../../../db/keyring.js';
import { appendAccessLog, checkLogHead, lastAccessLogRow } from '../../../db/local/accessLog.js';
import { sealKeyFor } from '../../../db/backup.js';
import { readSetting, writeSetting } from '../../../db/local/settings.js';
import { findUserById, findUserByUsername, listUsers, recordLogin, setMustChangePassword } from '../../../db/local/users.js';
import type { UserRow } from '../../../db/users/index.js';
import type { AppStatus, Role, SessionUser, Settings } from '../../../preload/contract/index.js';
import type { Logger } from '../../log.js';
import { silentLogger } from '../../log.js';
import { finishInterruptedSwitch } from '../backup.js';
import type { BackupTask } from '../backupProgress.js';
import { BackupScheduler } from '../backupSchedule.js';
import { DomainError } from '../errors.js';
import { IdleLock } from '../idleLock.js';
import { LoginThrottle } from '../throttle.js';
import { readSettings } from '../settings.js';
import { assertStrongPassword } from '../passwordStrength.js';
import type { AppHost } from '../../handlers/context.js';
import type { SessionCore, Unlocked } from './core.js';
import { reopenAfterFailedSwitch, restoreBackup } from './restore.js';
import {
  createUserAccount,
  deactivateUserAccount,
  resetUserPassword,
  setUserRolesAccount,
  toSessionUser,
  usersWithSlots,
  type Transact,
} from './users.js';

export { generateTemporaryPassword, toSessionUser } from './users.js';

export interface JournalAppOptions {
  dataDir: string;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  log?: Logger;
  /** How often the idle lock looks at the clock. */
  idleCheckEveryMs?: number;
  /**
   * How often automatic backups look whether one is due while the journal is open (the app and the
   * browser harness: every minute). Left out, no timer runs (the CLI; tests drive the checks themselves).
   */
  backupCheckEveryMs?: number;
  /** The login throttle's clock (tests move it on instead of waiting). */
  throttleClock?: () => number;
}

type HeadMismatch = NonNullable<LogHead['mismatch']>;

export type LockReason = 'user' | 'idle' | 'system' | 'logout' | 'shutdown';

export interface RestoredJournal {
  createdAt: string;
  schemaVersion: number;
  migratedTo: number;
  counts: Record<string, number>;
  /** The file name under which the replaced journal is kept in the data folder. */
  keptAs: string;
  /** The restoring user has no account in the restored journal and has been signed out. */
  signedOut: boolean;
  /** The restoring admin was not in the backup (another installation's) and was added to it. */
  addedRestoringAdmin: boolean;
  /** The backup's account that had the restoring admin's username, now under another username. */
  renamedUser: { displayName: string; from: string; to: string } | null;
  /** Active users of the restored journal without a key slot on this installation. */
  usersWithoutPassword: number;
  /** Key slots of people who are not active users of the restored journal, removed from the keyring. */
  keySlotsRemoved: number;
  removedPeople: string[];
}

const storesByDb = new WeakMap<Db, SqliteStore>();

/** The one store of a journal connection (a restore or a rekey opens a new connection, and so gets a new store). */
function storeOf(db: Db): SqliteStore {
  let store = storesByDb.get(db);
  if (!store) {
    store = createSqliteStore(db);
    storesByDb.set(db, store);
  }
  return store;
}

/** Refused before anything is touched: the key file is there, the journal file is not (see dataDirState). */
function journalMissing(): DomainError {
  return new DomainError('JOURNAL_MISSING', 'error.journalMissing');
}

/**
 * The journal as the running app holds it: locked (no key in memory, database closed) or
 * unlocked by exactly one signed-in user. Every service reaches the database through here.
 */
export class JournalApp implements AppHost {
  readonly dataDir: string;
  readonly now: () => Date;
  readonly log: Logger;
  private unlocked: Unlocked | null = null;
  private lockedBy: { username: string; displayName: string } | null = null;
  private settingUp = false;
  private readonly throttle: LoginThrottle;
  readonly idle: IdleLock;
  /** Automatic backups: their timer runs only while the journal is open, since only then is the key in memory. */
  readonly backups: BackupScheduler;
  private readonly lockListeners = new Set<(reason: LockReason) => void>();
  /**
   * Where anchorLog last put the head for each open connection (a rekey or restore opens a new one); a
   * connection listed here has also seen the journal's mark that it is anchored.
   */
  private readonly anchored = new WeakMap<Db, { seq: number; hash: string }>();
  private anchorTimer: ReturnType<typeof setTimeout> | undefined;
  /** What users.ts and restore.ts may use of the app (see SessionCore). */
  private readonly core: SessionCore = {
    dataDir: '',
    now: () => this.now(),
    log: silentLogger,
    idle: null as unknown as IdleLock,
    requireUnlocked: () => this.requireUnlocked(),
    logSecurity: (db, userId, action, record) => this.logSecurity(db, userId, action, record),
    lock: (reason) => this.lock(reason),
    anchorLog: (db, key) => this.anchorNow(db, key),
    openDb: (key) => this.openDb(key),
    settingsOf: (db) => this.settingsOf(db),
    backupSealKey: () => this.backupSealKey(),
  };

  constructor(options: JournalAppOptions) {
    this.dataDir = options.dataDir;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? silentLogger;
    this.throttle = new LoginThrottle({
      file: path.join(options.dataDir, 'login-throttle.json'),
      macKey: () => this.throttleKey(),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.throttleClock ? { now: options.throttleClock } : {}),
    });
    this.idle = new IdleLock(() => this.lock('idle'), 15 * 60_000, Date.now, options.idleCheckEveryMs);
    // A restore cut off between its renames is finished before anything looks at the folder.
    try {
      const finished = finishInterruptedSwitch(this.dataDir);
      if (finished !== 'none') this.log.warn('backup.restore_switch_finished', { reason: finished });
    } catch (error) {
      this.log.error('backup.restore_switch_unfinished', { code: String((error as { code?: unknown }).code ?? 'unknown') });
    }
    this.backups = new BackupScheduler(this, options.backupCheckEveryMs ?? null);
    Object.assign(this.core, { dataDir: this.dataDir, log: this.log, idle: this.idle });
    this.secureFiles();
  }

  /**
   * The data folder 0700, every file in it 0600, checked at every start and after a journal is
   * created (a copied-in or restored file may arrive world-readable). Fixed, not refused: see secureDataDir.
   */
  private secureFiles(): void {
    try {
      for (const fix of secureDataDir(this.dataDir)) {
        const mode = fix.from.toString(8);
        // The file's name within the data folder (journal.db, keyring.json …), never a path: it names no person.
        if (fix.fixed) this.log.warn('data_dir.mode_fixed', { reason: fix.name, code: mode });
        else this.log.error('data_dir.mode_not_fixed', { reason: fix.name, code: mode });
        // Also for the access log at the next unlock: the file may have been read while it was open to others.
        if (existsSync(keyringPath(this.dataDir))) this.throttle.record(`files.mode-${fix.fixed ? 'fixed' : 'not-fixed'}:${fix.name}:${mode}`);
      }
    } catch (error) {
      this.log.error('data_dir.mode_check_failed', { code: String((error as { code?: unknown }).code ?? 'unknown') });
    }
  }

  /**
   * The key that MACs the login-throttle state, from the keyring. No keyring: a new installation (null,
   * the state is fresh). A version 1 keyring gets one now. A version 2 keyring without one was tampered
   * with: a new key is written, under which the saved state fails its MAC and so counts as a wait.
   */
  private throttleKey(): Buffer | null {
    const file = keyringPath(this.dataDir);
    if (!existsSync(file)) return null;
    let keyring: KeyringFile;
    try {
      keyring = loadKeyring(this.dataDir);
    } catch {
      // A damaged keyring opens nothing anyway; a key nobody has makes the state count as a wait.
      return randomBytes(32);
    }
    if (keyring.throttleKey) return Buffer.from(keyring.throttleKey, 'base64');
    const throttleKey = randomBytes(32);
    try {
      writeKeyring(file, { ...keyring, version: 2, throttleKey: throttleKey.toString('base64') });
      this.log.warn(keyring.version === 1 ? 'throttle.key_created' : 'throttle.key_missing');
    } catch {
      this.log.error('throttle.key_not_written');
    }
    return throttleKey;
  }

  /** The throttle subject of a username: its keyring lookup, MACed, the same for users who exist and who do not. */
  private subjectOf(keyring: KeyringFile, username: string): string {
    return this.throttle.subjectOf(usernameLookup(keyring, username));
  }

  /** A row of the access log for a security event, in the caller's transaction. */
  private logSecurity(db: Db, userId: string | null, action: string, record: string, at = this.now().toISOString()): void {
    appendAccessLog(db, { at, userId, clientId: null, record, action, channel: null, emergency: false, reason: null });
  }

  /**
   * At every unlock, in one transaction with the sign-in's own row: the security events queued while
   * the journal was locked (failed sign-ins, refusals, a damaged throttle state, file modes fixed), and
   * the check of the access log against the head kept in the keyring.
   */
  private recordUnlock(db: Db, key: Buffer, userId: string, action: string, record: string): void {
    const keyring = loadKeyring(this.dataDir);
    const bySubject = new Map<string, string>();
    for (const slot of keyring.slots) {
      if (slot.kind === 'user' && slot.lookup && slot.userId) bySubject.set(this.throttle.subjectOf(slot.lookup), slot.userId);
    }
    const pending = this.throttle.pendingEvents();
    const head = this.checkHead(db, key, keyring);
    db.transaction(() => {
      for (const event of pending.events) {
        const who = event.subject ? (bySubject.get(event.subject) ?? null) : null;
        const unknown = event.subject && !who ? ':unknown-username' : '';
        this.logSecurity(db, who, 'auth.security', `${event.kind}${unknown}`, event.at);
      }
      if (head.problem) this.logSecurity(db, userId, 'audit.head', `log-head:${head.problem}`);
      this.logSecurity(db, userId, action, record);
    })();
    pending.clear();
    this.anchorNow(db, key, head.mismatch);
  }

  /** Compares the journal's log with the head in the keyring. A mismatch is reported, and kept (see LogHead.mismatch). */
  private checkHead(db: Db, key: Buffer, keyring: KeyringFile): { problem: string | null; mismatch: HeadMismatch | undefined } {
    const head = readLogHead(key, keyring);
    const found = lastAccessLogRow(db)?.seq ?? 0;
    // No head at all is fine only for a journal never anchored; once anchored, a head taken out of the keyring is tampering.
    if (head === null) {
      if (readSetting(db, HEAD_ANCHORED) === undefined) return { problem: null, mismatch: undefined };
      this.log.error('audit.log_head_missing');
      return { problem: `missing:found=${found}`, mismatch: { detectedAt: this.now().toISOString(), expectedSeq: -1, foundSeq: found } };
    }
    if (head === 'forged') {
      this.log.error('audit.log_head_forged');
      return { problem: 'forged', mismatch: { detectedAt: this.now().toISOString(), expectedSeq: -1, foundSeq: found } };
    }
    const check = checkLogHead(db, head);
    if (check === 'ok') return { problem: null, mismatch: head.mismatch };
    this.log.error('audit.log_head_mismatch', { from: head.seq, to: found });
    return {
      problem: `${check}:expected=${head.seq},found=${found}`,
      mismatch: head.mismatch ?? { detectedAt: this.now().toISOString(), expectedSeq: head.seq, foundSeq: found },
    };
  }

  /**
   * After a call (the router): the head follows the log once the desk pauses, ANCHOR_WHEN_IDLE_MS after
   * the last call, and at once at lock, sign-out and close. Writing the keyring (two flushes to the disk)
   * after every call cost a logged call more than its own work. Never while a call's transaction is
   * open on the connection: its rows are not committed yet, and a head put on them would stand ahead of
   * the log if the call rolled back.
   */
  anchorLog(): void {
    clearTimeout(this.anchorTimer);
    this.anchorTimer = setTimeout(() => {
      const current = this.unlocked;
      if (!current || !current.db.open) return;
      if (current.db.inTransaction) this.anchorLog();
      else this.anchorNow(current.db, current.key);
    }, ANCHOR_WHEN_IDLE_MS);
    this.anchorTimer.unref();
  }

  /**
   * Moves the head in the keyring to the journal's newest log row (once the desk pauses after a call, at
   * unlock and at lock). Written only after the rows are committed, so a crash leaves the head behind the
   * log, never ahead of it. A keyring that cannot be written (a full disk) leaves the old head: behind, not wrong.
   */
  private anchorNow(db: Db, key: Buffer, mismatch?: HeadMismatch): void {
    try {
      const last = lastAccessLogRow(db);
      if (!last) return;
      // Most calls wrote no row, or the head already stands where this connection last put it: one
      // read of the log's end, and neither the keyring file nor the journal's settings are read again.
      const anchored = this.anchored.get(db);
      if (!mismatch && anchored && anchored.seq === last.seq && anchored.hash === last.hash) return;
      const keyring = loadKeyring(this.dataDir);
      const current = readLogHead(key, keyring);
      const keep = mismatch ?? (current && current !== 'forged' ? current.mismatch : undefined);
      if (current && current !== 'forged' && current.seq === last.seq && current.hash === last.hash && current.mismatch === keep) {
        this.anchored.set(db, last);
        return;
      }
      const head = signLogHead(key, keyring, { seq: last.seq, hash: last.hash, ...(keep ? { mismatch: keep } : {}) });
      writeKeyring(keyringPath(this.dataDir), { ...keyring, logHead: head });
      // The journal remembers that it has been anchored, so that a head later removed from the keyring is noticed.
      if (!this.anchored.has(db) && readSetting(db, HEAD_ANCHORED) === undefined)
        writeSetting(db, HEAD_ANCHORED, true, null, this.now().toISOString());
      this.anchored.set(db, last);
    } catch {
      this.log.error('audit.log_head_not_written');
    }
  }

  /** For audit verify: the chain's head against the keyring's. */
  logHeadState(): { problem: string | null } {
    const session = this.requireUnlocked();
    const keyring = loadKeyring(this.dataDir);
    const head = readLogHead(session.key, keyring);
    if (head === null) return { problem: readSetting(session.db, HEAD_ANCHORED) === undefined ? null : 'missing' };
    if (head === 'forged') return { problem: 'forged' };
    const check = checkLogHead(session.db, head);
    if (check !== 'ok') return { problem: check };
    return { problem: head.mismatch ? `earlier:expected=${head.mismatch.expectedSeq},found=${head.mismatch.foundSeq}` : null };
  }

  onLock(listener: (reason: LockReason) => void): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  get isUnlocked(): boolean {
    return this.unlocked !== null;
  }

  /** The database of the unlocked journal; a locked journal answers LOCKED. */
  get db(): Db {
    if (!this.unlocked) throw new DomainError('LOCKED', 'The journal is locked');
    return this.unlocked.db;
  }

  /**
   * The unlocked journal as a Store: every call's transaction goes through it, queued so that two
   * calls never interleave inside one SQLite transaction. One per connection (a restore switches
   * connections, and so stores).
   */
  get store(): SqliteStore {
    return storeOf(this.db);
  }

  /** The centre's settings from a journal being opened (before it is the app's), through its store. */
  private settingsOf(db: Db): Promise<Settings> {
    return storeOf(db).transaction((tx) => readSettings(tx), { readOnly: true });
  }

  /** The open connection keys the session's state in memory: a lock closes it, and the next sign-in opens another. */
  get scope(): object {
    return this.db;
  }

  get user(): SessionUser | null {
    return this.unlocked ? toSessionUser(this.unlocked.user) : null;
  }

  status(): AppStatus {
    const state = this.unlocked ? 'ready' : dataDirState(this.dataDir);
    if (state === 'empty') return { state: 'setup', user: null, lockedBy: null, idleLockMinutes: null };
    // The screen names the folder, so that IT knows where journal.db belongs.
    if (state === 'missing') return { state: 'missing', user: null, lockedBy: null, idleLockMinutes: null, dataDir: this.dataDir };
    if (!this.unlocked) return { state: 'locked', user: null, lockedBy: this.lockedBy, idleLockMinutes: null };
    // The timeout in force: read from the settings at unlock, changed with them (settings.update, a restore).
    const status: AppStatus = { state: 'unlocked', user: this.user, lockedBy: null, idleLockMinutes: this.idle.timeoutMinutes };
    // Admins are told on every screen until a rekey sets a new anchor (see LogHead.mismatch).
    return this.unlocked.user.roles.includes('admin') && this.logHeadMismatch() ? { ...status, logHeadProblem: true } : status;
  }

  private logHeadMismatch(): boolean {
    try {
      const head = readLogHead(this.requireUnlocked().key, loadKeyring(this.dataDir));
      return head === 'forged' || (head !== null && head.mismatch !== undefined);
    } catch {
      return false;
    }
  }

  /** First run: creates the journal and its first admin, and returns the one-time recovery code. */
  async setup(input: { displayName: string; username: string; password: string }): Promise<{ recoveryCode: string; user: SessionUser }> {
    const state = dataDirState(this.dataDir);
    // A new journal over the old key file would leave the missing journal unopenable if it turns up again.
    if (state === 'missing') throw journalMissing();
    if (this.settingUp || state === 'ready') {
      throw new DomainError('ALREADY_SET_UP', 'A journal already exists here; sign in instead');
    }
    assertStrongPassword(input.password, 'password', [input.username, input.displayName]);
    this.settingUp = true;
    try {
      const created = await createJournal(this.dataDir, input, this.now());
      const user = findUserById(created.db, created.adminId)!;
      recordLogin(created.db, user.id, this.now().toISOString());
      // The new keyring brings the throttle key: the state starts fresh, MACed, before anyone can fail.
      this.throttle.initialise();
      this.logSecurity(created.db, user.id, 'auth.setup', `journal:created:admin=${user.id}`);
      this.anchorNow(created.db, created.key);
      this.secureFiles();
      this.becomeUnlocked({ db: created.db, key: created.key, user }, await this.settingsOf(created.db));
      this.log.info('journal.created');
      return { recoveryCode: created.recoveryCode, user: toSessionUser(user) };
    } finally {
      this.settingUp = false;
    }
  }

  async login(input: { username: string; password: string }): Promise<SessionUser> {
    const state = dataDirState(this.dataDir);
    if (state === 'missing') throw journalMissing();
    if (state === 'empty') throw new DomainError('NOT_SIGNED_IN', 'No journal has been set up yet');
    // Signing in on an open journal (another person at the same desk) first locks the current session.
    this.lock('user');
    const keyring = loadKeyring(this.dataDir);
    const subject = this.subjectOf(keyring, input.username);
    const outcome = await this.throttle.run({ subject, kind: 'login.failed', field: 'password' }, async () => {
      const opened = await unlockWithPassword(keyring, input.username, input.password);
      if (!opened) return { ok: false, value: null };
      const { db, key } = this.openWithKeys(opened);
      const user = findUserById(db, opened.slot.userId!);
      if (!user || !user.active) {
        db.close();
        key.fill(0);
        return { ok: false, value: null };
      }
      return { ok: true, value: { db, key, user, legacySlot: !opened.slot.publicKey } };
    });
    if (!outcome.ok || !outcome.value) {
      this.log.warn('login.failed');
      throw new DomainError('WRONG_CREDENTIALS', 'error.login.wrong', { password: 'error.login.wrong' });
    }
    const { db, key, user, legacySlot } = outcome.value;
    // A slot made before key pairs wraps the journal key itself, so a rekey could not reseal it: with the
    // password in hand it is remade now, once (one more Argon2id derivation).
    if (legacySlot) await this.upgradeSlot(key, user, input.password);
    let settings: Settings;
    try {
      settings = await this.settingsOf(db);
    } catch (error) {
      db.close();
      key.fill(0);
      throw error;
    }
    // Nothing awaits from here to becomeUnlocked: the check below stays true until the session is this one.
    if (this.unlocked) {
      // Two sign-ins raced; keep the one that finished first and close this connection.
      db.close();
      key.fill(0);
      throw new DomainError('CONFLICT', 'error.login.busy');
    }
    let refreshed: UserRow;
    try {
      recordLogin(db, user.id, this.now().toISOString());
      this.recordUnlock(db, key, user.id, 'auth.login', 'login:ok');
      refreshed = findUserById(db, user.id)!;
    } catch (error) {
      // A journal that cannot record the sign-in (a full disk, a read-only folder) is closed again: no half-open session, no key left behind.
      db.close();
      key.fill(0);
      throw error;
    }
    this.becomeUnlocked({ db, key, user: refreshed }, settings);
    this.log.info('login.ok');
    return toSessionUser(refreshed);
  }

  /** Closes the database and drops the key. Unlocking needs a password again. */
  lock(reason: LockReason): void {
    const current = this.unlocked;
    if (!current) return;
    this.unlocked = null;
    this.idle.stop();
    this.backups.stop();
    this.lockedBy = reason === 'logout' || reason === 'shutdown' ? null : { username: current.user.username, displayName: current.user.displayName };
    try {
      clearTimeout(this.anchorTimer);
      if (current.db.open) this.anchorNow(current.db, current.key);
      current.db.close();
    } finally {
      current.key.fill(0);
    }
    this.log.info('journal.locked', { reason });
    for (const listener of this.lockListeners) listener(reason);
  }

  async changePassword(input: { currentPassword: string; newPassword: string }): Promise<SessionUser> {
    const session = this.requireUnlocked();
    // Judged first: a guessable new password costs no attempt of the person's login delay.
    assertStrongPassword(input.newPassword, 'newPassword', [session.user.username, session.user.displayName]);
    if (!(await this.verifyPassword(input.currentPassword, 'currentPassword')))
      throw new DomainError('WRONG_CREDENTIALS', 'error.password.currentWrong', { currentPassword: 'error.password.currentWrong' });
    const keyring = loadKeyring(this.dataDir);
    const slot = await wrapKey(keyring, session.key, input.newPassword, { kind: 'user', userId: session.user.id, username: session.user.username });
    // Only this user's slot is rewrapped; every other slot and the database key stay as they are. The
    // keyring's atomic rename is the moment the new password takes over: killed before it, the old one
    // opens the journal; after it, the new one.
    writeKeyring(
      keyringPath(this.dataDir),
      replaceSlots(keyring, (s) => s.kind === 'user' && s.userId === session.user.id, [slot]),
    );
    try {
      session.db.transaction(() => {
        if (session.user.mustChangePassword) setMustChangePassword(session.db, session.user.id, false);
        this.logSecurity(session.db, session.user.id, 'auth.changePassword', 'password:changed');
      })();
    } catch (error) {
      // The journal could not record it (a full disk): the old keyring goes back, so that the answer
      // "not changed" is true and the password the person knows still opens the journal.
      try {
        writeKeyring(keyringPath(this.dataDir), keyring);
      } catch {
        this.log.error('password.change_not_undone');
      }
      throw error;
    }
    session.user = findUserById(session.db, session.user.id)!;
    this.log.info('password.changed');
    return toSessionUser(session.user);
  }

  private async upgradeSlot(key: Buffer, user: UserRow, password: string): Promise<void> {
    try {
      const slot = await wrapKey(loadKeyring(this.dataDir), key, password, { kind: 'user', userId: user.id, username: user.username });
      // Read again after the derivation: another process may have changed the keyring meanwhile.
      const keyring = loadKeyring(this.dataDir);
      writeKeyring(
        keyringPath(this.dataDir),
        replaceSlots(keyring, (s) => s.kind === 'user' && s.userId === user.id, [slot]),
      );
      this.log.info('keyring.slot_upgraded');
    } catch {
      // The old slot still opens the journal; the next sign-in tries again.
      this.log.error('keyring.slot_not_upgraded');
    }
  }

  /** Re-entering the password (to sign a journal entry): checked against the user's own key slot, throttled like a login. */
  async verifyPassword(password: string, field = 'password'): Promise<boolean> {
    const session = this.requireUnlocked();
    const keyring = loadKeyring(this.dataDir);
    // The person's own counter: a wrong signing password counts like a wrong sign-in, and a refusal is the same.
    const subject = this.subjectOf(keyring, session.user.username);
    let outcome: { ok: boolean };
    try {
      outcome = await this.throttle.run({ subject, kind: 'password.failed', field }, async () => {
        const opened = await unlockWithPassword(keyring, session.user.username, password);
        opened?.key.fill(0);
        opened?.next?.fill(0);
        return { ok: opened !== null && opened.slot.userId === session.user.id, value: null };
      });
    } finally {
      this.flushSecurityEvents();
    }
    return outcome.ok;
  }

  /** While the journal is open, queued security events go straight into the access log. */
  private flushSecurityEvents(): void {
    if (!this.unlocked) return;
    const { db, key, user } = this.unlocked;
    const pending = this.throttle.pendingEvents();
    if (pending.events.length === 0) return;
    try {
      db.transaction(() => {
        for (const event of pending.events) this.logSecurity(db, user.id, 'auth.security', event.kind, event.at);
      })();
      pending.clear();
      this.anchorNow(db, key);
    } catch {
      // Kept in the throttle state: the next unlock writes them.
      this.log.error('security.events_not_written');
    }
  }

  /**
   * The users, each active one marked when this installation's keyring has no key slot for them: see users.ts.
   */
  listUsers(tx: Tx): Promise<(UserRow & { needsNewPassword: boolean })[]> {
    return usersWithSlots(this.core, tx);
  }

  /** A new temporary password for a user who forgot theirs (users.ts). */
  resetPassword(userId: string, transact: Transact): Promise<{ user: UserRow; temporaryPassword: string }> {
    return resetUserPassword(this.core, userId, transact);
  }

  /** Deactivates a user: their key slot goes, their name stays on what they wrote (users.ts). */
  deactivateUser(tx: Tx, userId: string): Promise<UserRow> {
    return deactivateUserAccount(this.core, tx, userId);
  }

  /** Replaces a user's roles; the signed-in admin's own take effect at once (users.ts). */
  setUserRoles(input: { userId: string; roles: Role[] }, transact: Transact): Promise<UserRow> {
    return setUserRolesAccount(this.core, input, transact);
  }

  /**
   * When no admin can sign in: the recovery code opens the journal, an active admin chooses a new
   * password, and a new recovery code replaces the used one (shown once, like the first).
   */
  async recover(input: { recoveryCode: string; username: string; newPassword: string }): Promise<{ recoveryCode: string; user: SessionUser }> {
    const state = dataDirState(this.dataDir);
    if (state === 'missing') throw journalMissing();
    if (state === 'empty') throw new DomainError('NOT_SIGNED_IN', 'No journal has been set up yet');
    // Judged before the code is tried: a guessable new password costs no attempt.
    assertStrongPassword(input.newPassword, 'newPassword', [input.username]);
    this.lock('user');
    // One counter for the recovery code, whoever types it: it opens the whole journal.
    const subject = this.throttle.subjectOf('recovery-code');
    const outcome = await this.throttle.run({ subject, kind: 'recovery.failed', field: 'recoveryCode' }, async () => {
      const opened = await unlockWithRecoveryCodeKeys(loadKeyring(this.dataDir), input.recoveryCode);
      if (!opened) return { ok: false, value: null };
      const { db, key } = this.openWithKeys(opened);
      const user = findUserByUsername(db, input.username);
      if (!user || !user.active || !user.roles.includes('admin')) {
        db.close();
        key.fill(0);
        return { ok: false, value: null };
      }
      // Read again: opening may have finished or dropped an interrupted rekey in the keyring.
      return { ok: true, value: { db, key, user, keyring: loadKeyring(this.dataDir) } };
    });
    if (!outcome.ok || !outcome.value) throw new DomainError('WRONG_CREDENTIALS', 'error.recovery.wrong', { recoveryCode: 'error.recovery.wrong' });
    const { db, key, user, keyring } = outcome.value;
    try {
      const recoveryCode = generateRecoveryCode();
      const [userSlot, recoverySlot] = await Promise.all([
        wrapKey(keyring, key, input.newPassword, { kind: 'user', userId: user.id, username: user.username }),
        wrapKey(keyring, key, normaliseRecoveryCode(recoveryCode), { kind: 'recovery' }),
      ]);
      // The admin's slot and the recovery slot are replaced together, in one atomic keyring write.
      writeKeyring(
        keyringPath(this.dataDir),
        replaceSlots(keyring, (s) => s.kind === 'recovery' || (s.kind === 'user' && s.userId === user.id), [userSlot, recoverySlot]),
      );
      setMustChangePassword(db, user.id, false);
      recordLogin(db, user.id, this.now().toISOString());
      this.recordUnlock(db, key, user.id, 'auth.recover', `recovery:used:admin=${user.id}`);
      const refreshed = findUserById(db, user.id)!;
      this.becomeUnlocked({ db, key, user: refreshed }, await this.settingsOf(db));
      this.log.info('journal.recovered');
      return { recoveryCode, user: toSessionUser(refreshed) };
    } catch (error) {
      if (!this.unlocked) {
        db.close();
        key.fill(0);
      }
      throw error;
    }
  }

  /** Adds a staff member with a temporary password that they must replace at first sign-in (users.ts). */
  createUser(
    input: { displayName: string; username: string; roles: Role[] },
    transact: Transact,
  ): Promise<{ user: UserRow; temporaryPassword: string }> {
    return createUserAccount(this.core, input, transact);
  }

  /** Replaces the journal with a backup, checked and built beside the active one before the switch (restore.ts). */
  restoreBackup(
    input: { file: string; passphrase: string; confirmedChecksum?: string | undefined },
    hooks: { beforeSwitch(summary: { rows: number }): void; task?: BackupTask | undefined },
  ): Promise<RestoredJournal> {
    return restoreBackup(this.core, input, hooks);
  }

  /** The key that seals this installation's backups (derived from the journal key, never stored); see db/backup.ts. */
  backupSealKey(): Buffer {
    return sealKeyFor(this.requireUnlocked().key);
  }

  private requireUnlocked(): Unlocked {
    if (!this.unlocked) throw new DomainError('LOCKED', 'The journal is locked');
    return this.unlocked;
  }

  /**
   * Opens the journal with what a secret unwrapped. During an unfinished rekey a slot holds two keys:
   * if the journal was already switched to the new key, that one opens it and the keyring's switch is
   * finished now; if it was not, the old key opens it and the unfinished rekey is dropped.
   */
  private openWithKeys(keys: UnwrappedKeys): { db: Db; key: Buffer } {
    let db: Db;
    try {
      db = this.openDb(keys.key);
    } catch (error) {
      const mismatch = error instanceof DomainError && error.message === 'error.storage.keyMismatch';
      if (!keys.next || !mismatch) {
        keys.key.fill(0);
        keys.next?.fill(0);
        throw error;
      }
      try {
        db = this.openDb(keys.next);
      } catch (second) {
        keys.key.fill(0);
        keys.next.fill(0);
        throw second;
      }
      keys.key.fill(0);
      this.finishRekeyInKeyring();
      this.log.warn('rekey.finished_at_unlock');
      return { db, key: keys.next };
    }
    keys.next?.fill(0);
    const keyring = loadKeyring(this.dataDir);
    if (keyring.logHeadNext || keyring.slots.some((slot) => slot.next || slot.pending)) {
      this.dropUnfinishedRekey();
      this.log.warn('rekey.dropped_unfinished');
    }
    return { db, key: keys.key };
  }

  /** The keyring after the journal was switched to the new key: every slot opens only the new key, the old recovery slot is gone. */
  private finishRekeyInKeyring(): void {
    const keyring = loadKeyring(this.dataDir);
    const slots = keyring.slots.flatMap((slot) => {
      if (slot.pending) {
        const { pending: _pending, ...rest } = slot;
        return [rest];
      }
      // A slot without the new key (an older slot, a removed user's, the old recovery slot) opens nothing any more.
      if (!slot.next) return [];
      const { next, ...rest } = slot;
      return [{ ...rest, sealed: next }];
    });
    const { logHeadNext, ...rest } = keyring;
    writeKeyring(keyringPath(this.dataDir), { ...rest, slots, ...(logHeadNext ? { logHead: logHeadNext } : {}) });
  }

  /** A rekey that never switched journals: its new seals and recovery slot are removed, with its partial copy. */
  private dropUnfinishedRekey(): void {
    clearUnfinishedRekey(this.dataDir);
    const keyring = loadKeyring(this.dataDir);
    const { logHeadNext: _dropped, ...rest } = keyring;
    writeKeyring(keyringPath(this.dataDir), {
      ...rest,
      slots: keyring.slots.filter((slot) => !slot.pending).map(({ next: _next, ...slot }) => slot),
    });
  }

  /**
   * A new journal key: every key slot that can be (the active users' version 2 slots) gets the new key
   * sealed to it without anyone's password, a new recovery code replaces the old, and the journal is
   * rebuilt under the new key and switched in one rename. Afterwards an old copy of the keyring, the old
   * recovery code and a deactivated user's old slot open nothing. Users whose slot predates key pairs
   * (made before this version and not used since) are left without a slot and need a new temporary
   * password, like after a restore.
   *
   * Crash-safe by order: (1) the keyring gains the new seals beside the old (either key can be unwrapped);
   * (2) a rekeyed copy is built and checked beside journal.db; (3) one rename switches; (4) the keyring
   * drops the old seals. A kill before (3) leaves the old journal and the old keys working (the next
   * unlock drops the rest); after it, the new key opens the journal and the next unlock finishes (4).
   */
  async rekey(input: { password: string }): Promise<{ recoveryCode: string; usersWithoutPassword: number }> {
    const started = this.requireUnlocked();
    // Asked again: a new recovery code opens the whole journal and must not go to whoever stands at an open screen.
    if (!(await this.verifyPassword(input.password)))
      throw new DomainError('WRONG_CREDENTIALS', 'error.password.currentWrong', { password: 'error.password.currentWrong' });
    const newKey = randomBytes(32);
    const recoveryCode = generateRecoveryCode();
    const recoverySlot = await wrapKey(loadKeyring(this.dataDir), newKey, normaliseRecoveryCode(recoveryCode), { kind: 'recovery', pending: true });
    // From here on nothing awaits: the session cannot lock (and drop the key) in the middle.
    const session = this.requireUnlocked();
    if (session !== started) {
      newKey.fill(0);
      throw new DomainError('LOCKED', 'error.locked');
    }
    const keyring = loadKeyring(this.dataDir);
    const active = new Set(
      listUsers(session.db)
        .filter((user) => user.active)
        .map((user) => user.id),
    );
    const slots = keyring.slots.map((slot) =>
      slot.kind === 'user' && slot.publicKey && slot.sealed && active.has(slot.userId ?? '')
        ? { ...slot, next: sealToSlot(keyring, slot, newKey, 'next') }
        : slot,
    );
    const resealed = new Set(slots.filter((slot) => slot.next).map((slot) => slot.userId));
    const usersWithoutPassword = [...active].filter((id) => !resealed.has(id)).length;
    try {
      session.db.transaction(() =>
        this.logSecurity(session.db, session.user.id, 'auth.rekey', `rekey:slots=${resealed.size},without=${usersWithoutPassword}`),
      )();
      const last = lastAccessLogRow(session.db)!;
      // The new key starts a new anchor: the head is signed with it, and an earlier mismatch is not carried over.
      const logHeadNext = signLogHead(newKey, keyring, { seq: last.seq, hash: last.hash });
      writeKeyring(keyringPath(this.dataDir), { ...keyring, slots: [...slots, recoverySlot], logHeadNext });
      checkpointForRekey(session.db);
    } catch (error) {
      newKey.fill(0);
      this.undoRekey(session);
      throw error instanceof JournalInUseError ? new DomainError('CONFLICT', 'error.rekey.busy', { password: 'error.rekey.busy' }) : error;
    }
    session.db.close();
    try {
      switchToRekeyed(this.dataDir, buildRekeyedCopy(this.dataDir, session.key, newKey));
    } catch (error) {
      newKey.fill(0);
      this.log.error('rekey.not_switched');
      this.undoRekey(session);
      throw error instanceof JournalInUseError ? new DomainError('CONFLICT', 'error.rekey.busy', { password: 'error.rekey.busy' }) : error;
    }
    try {
      this.finishRekeyInKeyring();
    } catch {
      // The journal is under the new key and the keyring holds it for every slot: the next unlock finishes this.
      this.log.error('rekey.keyring_not_finished');
    }
    session.key.fill(0);
    session.key = newKey;
    try {
      session.db = this.openDb(newKey);
    } catch (error) {
      this.lock('system');
      throw error;
    }
    this.log.info('rekey.done');
    return { recoveryCode, usersWithoutPassword };
  }

  /** After a refused rekey: the old journal open again, and the keyring without the unfinished rekey. */
  private undoRekey(session: Unlocked): void {
    try {
      this.dropUnfinishedRekey();
    } catch {
      this.log.error('rekey.undo_keyring_failed');
    }
    if (!session.db.open) reopenAfterFailedSwitch(this.core, session);
    try {
      session.db.transaction(() => this.logSecurity(session.db, session.user.id, 'auth.rekey', 'rekey:refused'))();
    } catch {
      // Nothing to write into (a full disk): the main log has it.
    }
  }

  private openDb(key: Buffer): Db {
    try {
      return openJournal(this.dataDir, key);
    } catch (error) {
      if (error instanceof JournalKeyError) {
        // The keyring opened but the database did not: the two do not belong together. Never recreate.
        throw new DomainError('STORAGE', 'error.storage.keyMismatch');
      }
      throw error;
    }
  }

  private becomeUnlocked(unlocked: Unlocked, settings: Settings): void {
    this.unlocked = unlocked;
    this.lockedBy = null;
    this.idle.setTimeoutMinutes(settings.idleLockMinutes);
    this.idle.start();
    this.backups.start();
  }
}

/** A setting the journal gets the first time its log head is kept in the keyring. */
const HEAD_ANCHORED = 'audit.headAnchored';
/** How long the desk pauses after a call before the log's head is written to the keyring. */
export const ANCHOR_WHEN_IDLE_MS = 200;
