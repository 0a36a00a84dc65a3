import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Db } from '../../db/connection.js';
import { JournalKeyError } from '../../db/connection.js';
import { createJournal, dataDirState, loadKeyring, openJournal } from '../../db/journal.js';
import {
  generateRecoveryCode,
  keyringPath,
  normaliseRecoveryCode,
  replaceSlots,
  unlockWithPassword,
  unlockWithRecoveryCode,
  wrapKey,
  writeKeyring,
} from '../../db/keyring.js';
import { appendAccessLog } from '../../db/accessLog.js';
import { checkpointAndTruncateWal, sealKeyFor } from '../../db/backup.js';
import { carryOverBackupSettings } from '../../db/backupSchedule.js';
import {
  countActiveAdmins,
  findUserById,
  findUserByUsername,
  insertUser,
  listUsers,
  recordLogin,
  setActive,
  setMustChangePassword,
  type UserRow,
} from '../../db/users.js';
import type { AppStatus, Role, SessionUser } from '../../preload/contract.js';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import {
  adoptRestoringUser,
  buildRestoredJournal,
  discardRestoredJournal,
  fileStamp,
  finishInterruptedSwitch,
  type AdoptedRestorer,
  refusalName,
  switchToRestoredJournal,
  undoJournalSwitch,
  verifyBackup,
} from './backup.js';
import { BackupScheduler } from './backupSchedule.js';
import { DomainError } from './errors.js';
import { IdleLock } from './idleLock.js';
import { LoginThrottle } from './throttle.js';
import { readSettings } from './settings.js';

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
}

interface Unlocked {
  db: Db;
  key: Buffer;
  user: UserRow;
}

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
}

/** Refused before anything is touched: the key file is there, the journal file is not (see dataDirState). */
function journalMissing(): DomainError {
  return new DomainError('JOURNAL_MISSING', 'error.journalMissing');
}

/**
 * The journal as the running app holds it: locked (no key in memory, database closed) or
 * unlocked by exactly one signed-in user. Every service reaches the database through here.
 */
export class JournalApp {
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

  constructor(options: JournalAppOptions) {
    this.dataDir = options.dataDir;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? silentLogger;
    this.throttle = new LoginThrottle({
      file: path.join(options.dataDir, 'login-throttle.json'),
      ...(options.sleep ? { sleep: options.sleep } : {}),
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

  get user(): SessionUser | null {
    return this.unlocked ? toSessionUser(this.unlocked.user) : null;
  }

  status(): AppStatus {
    const state = this.unlocked ? 'ready' : dataDirState(this.dataDir);
    if (state === 'empty') return { state: 'setup', user: null, lockedBy: null, idleLockMinutes: null };
    // The screen names the folder, so that IT knows where journal.db belongs.
    if (state === 'missing') return { state: 'missing', user: null, lockedBy: null, idleLockMinutes: null, dataDir: this.dataDir };
    if (!this.unlocked) return { state: 'locked', user: null, lockedBy: this.lockedBy, idleLockMinutes: null };
    return { state: 'unlocked', user: this.user, lockedBy: null, idleLockMinutes: readSettings(this.unlocked.db).idleLockMinutes };
  }

  /** First run: creates the journal and its first admin, and returns the one-time recovery code. */
  async setup(input: { displayName: string; username: string; password: string }): Promise<{ recoveryCode: string; user: SessionUser }> {
    const state = dataDirState(this.dataDir);
    // A new journal over the old key file would leave the missing journal unopenable if it turns up again.
    if (state === 'missing') throw journalMissing();
    if (this.settingUp || state === 'ready') {
      throw new DomainError('ALREADY_SET_UP', 'A journal already exists here; sign in instead');
    }
    this.settingUp = true;
    try {
      const created = await createJournal(this.dataDir, input, this.now());
      const user = findUserById(created.db, created.adminId)!;
      recordLogin(created.db, user.id, this.now().toISOString());
      this.becomeUnlocked({ db: created.db, key: created.key, user });
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
    const outcome = await this.throttle.run(async () => {
      const opened = await unlockWithPassword(loadKeyring(this.dataDir), input.username, input.password);
      if (!opened) return { ok: false, value: null };
      const db = this.openDb(opened.key);
      const user = findUserById(db, opened.slot.userId!);
      if (!user || !user.active) {
        db.close();
        opened.key.fill(0);
        return { ok: false, value: null };
      }
      return { ok: true, value: { db, key: opened.key, user } };
    });
    if (!outcome.ok || !outcome.value) {
      this.log.warn('login.failed', { count: this.throttle.consecutiveFailures });
      throw new DomainError('WRONG_CREDENTIALS', 'error.login.wrong', { password: 'error.login.wrong' });
    }
    const { db, key, user } = outcome.value;
    if (this.unlocked) {
      // Two sign-ins raced; keep the one that finished first and close this connection.
      db.close();
      key.fill(0);
      throw new DomainError('CONFLICT', 'error.login.busy');
    }
    let refreshed: UserRow;
    try {
      recordLogin(db, user.id, this.now().toISOString());
      refreshed = findUserById(db, user.id)!;
    } catch (error) {
      // A journal that cannot record the sign-in (a full disk, a read-only folder) is closed again: no half-open session, no key left behind.
      db.close();
      key.fill(0);
      throw error;
    }
    this.becomeUnlocked({ db, key, user: refreshed });
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
      current.db.close();
    } finally {
      current.key.fill(0);
    }
    this.log.info('journal.locked', { reason });
    for (const listener of this.lockListeners) listener(reason);
  }

  async changePassword(input: { currentPassword: string; newPassword: string }): Promise<SessionUser> {
    const session = this.requireUnlocked();
    if (!(await this.verifyPassword(input.currentPassword)))
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
    if (session.user.mustChangePassword) {
      try {
        setMustChangePassword(session.db, session.user.id, false);
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
    }
    session.user = findUserById(session.db, session.user.id)!;
    this.log.info('password.changed');
    return toSessionUser(session.user);
  }

  /** Re-entering the password (to sign a journal entry): checked against the user's own key slot, throttled like a login. */
  async verifyPassword(password: string): Promise<boolean> {
    const session = this.requireUnlocked();
    const keyring = loadKeyring(this.dataDir);
    const outcome = await this.throttle.run(async () => {
      const opened = await unlockWithPassword(keyring, session.user.username, password);
      opened?.key.fill(0);
      return { ok: opened !== null && opened.slot.userId === session.user.id, value: null };
    });
    return outcome.ok;
  }

  /**
   * The users, each active one marked when this installation's keyring has no key slot for them (they
   * came with a backup from another installation, or their slot was removed after the backup): they
   * cannot sign in until an admin gives them a temporary password, which makes their slot.
   */
  listUsers(): (UserRow & { needsNewPassword: boolean })[] {
    const session = this.requireUnlocked();
    const slotted = new Set(loadKeyring(this.dataDir).slots.flatMap((slot) => (slot.kind === 'user' && slot.userId ? [slot.userId] : [])));
    return listUsers(session.db).map((user) => ({ ...user, needsNewPassword: user.active && !slotted.has(user.id) }));
  }

  /** A new temporary password for a user who forgot theirs: only their key slot is rewrapped, and they must choose their own. */
  async resetPassword(userId: string): Promise<{ user: UserRow; temporaryPassword: string }> {
    const session = this.requireUnlocked();
    const user = findUserById(session.db, userId);
    if (!user || !user.active) throw new DomainError('NOT_FOUND', 'error.user.notFound');
    const temporaryPassword = generateTemporaryPassword();
    const keyring = loadKeyring(this.dataDir);
    const slot = await wrapKey(keyring, session.key, temporaryPassword, { kind: 'user', userId, username: user.username });
    session.db.transaction(() => {
      setMustChangePassword(session.db, userId, true);
      writeKeyring(
        keyringPath(this.dataDir),
        replaceSlots(keyring, (s) => s.kind === 'user' && s.userId === userId, [slot]),
      );
    })();
    this.log.info('user.password_reset');
    return { user: findUserById(session.db, userId)!, temporaryPassword };
  }

  /**
   * Deactivates a user: their key slot is removed, so their password opens nothing any more; their
   * name stays on everything they wrote. The last active admin, and oneself, cannot be deactivated.
   */
  deactivateUser(userId: string): UserRow {
    const session = this.requireUnlocked();
    const user = findUserById(session.db, userId);
    if (!user) throw new DomainError('NOT_FOUND', 'error.user.notFound');
    if (userId === session.user.id) throw new DomainError('CONFLICT', 'error.user.deactivateSelf');
    if (user.roles.includes('admin') && user.active && countActiveAdmins(session.db) <= 1) throw new DomainError('CONFLICT', 'error.user.lastAdmin');
    const keyring = loadKeyring(this.dataDir);
    session.db.transaction(() => {
      setActive(session.db, userId, false);
      writeKeyring(
        keyringPath(this.dataDir),
        replaceSlots(keyring, (s) => s.kind === 'user' && s.userId === userId, []),
      );
    })();
    this.log.info('user.deactivated');
    return findUserById(session.db, userId)!;
  }

  /**
   * When no admin can sign in: the recovery code opens the journal, an active admin chooses a new
   * password, and a new recovery code replaces the used one (shown once, like the first).
   */
  async recover(input: { recoveryCode: string; username: string; newPassword: string }): Promise<{ recoveryCode: string; user: SessionUser }> {
    const state = dataDirState(this.dataDir);
    if (state === 'missing') throw journalMissing();
    if (state === 'empty') throw new DomainError('NOT_SIGNED_IN', 'No journal has been set up yet');
    this.lock('user');
    const outcome = await this.throttle.run(async () => {
      const keyring = loadKeyring(this.dataDir);
      const key = await unlockWithRecoveryCode(keyring, input.recoveryCode);
      if (!key) return { ok: false, value: null };
      const db = this.openDb(key);
      const user = findUserByUsername(db, input.username);
      if (!user || !user.active || !user.roles.includes('admin')) {
        db.close();
        key.fill(0);
        return { ok: false, value: null };
      }
      return { ok: true, value: { db, key, user, keyring } };
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
      const refreshed = findUserById(db, user.id)!;
      this.becomeUnlocked({ db, key, user: refreshed });
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

  /** Adds a staff member with a temporary password that they must replace at first sign-in. */
  async createUser(input: { displayName: string; username: string; roles: Role[] }): Promise<{ user: UserRow; temporaryPassword: string }> {
    const session = this.requireUnlocked();
    const existing = listUsers(session.db).find((user) => user.username.toLowerCase() === input.username.trim().toLowerCase());
    if (existing) throw new DomainError('CONFLICT', 'error.username.taken', { username: 'error.username.taken' });
    const id = randomUUID();
    const temporaryPassword = generateTemporaryPassword();
    const keyring = loadKeyring(this.dataDir);
    const slot = await wrapKey(keyring, session.key, temporaryPassword, { kind: 'user', userId: id, username: input.username });
    // The user row and the key slot land together: the keyring is written inside the transaction,
    // so a failed write rolls the user back.
    session.db.transaction(() => {
      insertUser(session.db, {
        id,
        username: input.username.trim(),
        displayName: input.displayName.trim(),
        roles: input.roles,
        mustChangePassword: true,
        createdAt: this.now().toISOString(),
      });
      writeKeyring(
        keyringPath(this.dataDir),
        replaceSlots(keyring, () => false, [slot]),
      );
    })();
    this.log.info('user.created');
    return { user: findUserById(session.db, id)!, temporaryPassword };
  }

  /**
   * Replaces the journal with a backup. The backup is verified, a complete new journal is built
   * from it beside the active one under the current key (so every key slot keeps opening it), it is
   * checked and migrated, and only then is the active journal closed, kept as
   * `journal.db.before-restore-<stamp>` and replaced. Until that switch the active journal is untouched.
   *
   * Users are rows in the journal, key slots are in the keyring, and the keyring is not restored:
   * - the restoring admin, if the backup does not hold them (a backup from another installation), is
   *   added to it as they are here (see adoptRestoringUser), so that they can sign in afterwards;
   * - after the switch, key slots of everyone who is not an active user of the restored journal are
   *   removed in one atomic keyring write (someone added after the backup, the other installation's
   *   users): nothing in the backup vouches for them; an admin adds them again if they belong;
   * - users of the backup without a slot here (another installation's, or removed after the backup)
   *   are shown on the Users page as needing a new password; an admin's reset makes their slot;
   * - a password changed after the backup keeps working (the slot is the current one), and so does
   *   this installation's recovery code (the restored journal is keyed with this installation's key).
   * Access-log rows written after the backup stay in the kept journal, not in the restored one.
   * `beforeSwitch` runs once the new journal is ready and the old one still open (the router logs there).
   */
  async restoreBackup(
    input: { file: string; passphrase: string; confirmedChecksum?: string | undefined },
    hooks: { beforeSwitch(summary: { rows: number }): void },
  ): Promise<RestoredJournal> {
    const started = this.requireUnlocked();
    const verification = await verifyBackup(input.file, input.passphrase, { sealKey: this.backupSealKey(), current: started.db });
    if (!verification.ok) throw verification.error;
    // A backup this installation did not seal (a new computer restoring the old one's, or a file whose maker cannot
    // be proven) is restored only when the admin has seen what verify said of this very file, admins included, and
    // confirmed it; a confirmation given for another file (its checksum) does not count for this one.
    if (input.confirmedChecksum !== undefined && input.confirmedChecksum !== verification.checksum)
      throw new DomainError('CONFLICT', 'error.backup.changedSinceChecked', { path: 'error.backup.changedSinceChecked' });
    if (verification.origin !== 'thisInstallation' && input.confirmedChecksum !== verification.checksum)
      throw new DomainError('CONFLICT', 'error.backup.foreignNotConfirmed', { path: 'error.backup.foreignNotConfirmed' });
    // From here on nothing awaits: the session cannot lock (and drop the key) until the switch is done.
    const session = this.requireUnlocked();
    if (session !== started) throw new DomainError('LOCKED', 'error.locked');
    const stamp = fileStamp(this.now());
    const restoringUserId = session.user.id;
    let adopted: AdoptedRestorer = { added: false, renamed: null };
    const built = buildRestoredJournal({
      dataDir: this.dataDir,
      key: session.key,
      file: input.file,
      passphrase: input.passphrase,
      backup: verification,
      stamp,
      // The restored journal itself records that it was restored, by whom and when.
      record: (db, summary) => {
        // Automatic backups belong to this installation, not to the data: their schedule, passphrase and status carry over.
        db.transaction(() => carryOverBackupSettings(session.db, db, this.now().toISOString()))();
        this.logRestore(db, restoringUserId, `backup:restore:rows=${summary.rows}`);
        // Part of the restored journal before it is checked and switched in, with its log rows: all or nothing.
        db.transaction(() => {
          adopted = adoptRestoringUser(db, session.user);
          if (adopted.renamed) this.logRestore(db, restoringUserId, `backup:restore:username-moved:${adopted.renamed.id}`);
          if (adopted.added) this.logRestore(db, restoringUserId, `backup:restore:admin-added:${restoringUserId}`);
        })();
      },
    });
    if (built.danglingReferences > 0) this.log.warn('backup.restore_dangling_references', { count: built.danglingReferences });
    try {
      hooks.beforeSwitch({ rows: built.rows });
      checkpointAndTruncateWal(session.db);
    } catch (error) {
      discardRestoredJournal(built.file);
      throw error;
    }
    session.db.close();
    let keptAs: string;
    try {
      keptAs = switchToRestoredJournal(this.dataDir, built.file, stamp).keptAs;
    } catch (error) {
      discardRestoredJournal(built.file);
      this.reopenAfterFailedSwitch(session);
      // The router logged the restore just before the switch; the journal that stays says that it did not happen.
      this.logRestore(session.db, restoringUserId, `backup:restore:refused:${refusalName(error)}`);
      throw error;
    }
    try {
      session.db = this.openDb(session.key);
    } catch (error) {
      this.log.error('backup.restore_reopen_failed');
      try {
        undoJournalSwitch(this.dataDir, keptAs, stamp);
      } finally {
        this.reopenAfterFailedSwitch(session);
      }
      throw error;
    }
    this.log.info('backup.restored', { from: built.backup.schemaVersion, to: built.migratedTo });
    const access = this.pruneKeySlotsAfterRestore(session.db, restoringUserId, adopted.renamed?.id ?? null);
    const result = {
      createdAt: built.backup.createdAt,
      schemaVersion: built.backup.schemaVersion,
      migratedTo: built.migratedTo,
      counts: built.backup.counts,
      keptAs,
      addedRestoringAdmin: adopted.added,
      renamedUser: adopted.renamed ? { displayName: adopted.renamed.displayName, from: adopted.renamed.from, to: adopted.renamed.to } : null,
      ...access,
    };
    const user = findUserById(session.db, restoringUserId);
    if (!user || !user.active) {
      this.lock('logout');
      return { ...result, signedOut: true };
    }
    session.user = user;
    this.idle.setTimeoutMinutes(readSettings(session.db).idleLockMinutes);
    return { ...result, signedOut: false };
  }

  /** The key that seals this installation's backups (derived from the journal key, never stored); see db/backup.ts. */
  backupSealKey(): Buffer {
    return sealKeyFor(this.requireUnlocked().key);
  }

  /**
   * After a restore has switched journals: removes the key slots of everyone who is not an active user
   * of the restored journal (and the slot of an account whose username was moved, which the keyring
   * would still find under the old name), in one atomic keyring write, logged with the count of users
   * left without a slot. Run only after the switch: removed before it, a failed switch would leave
   * the journal that stays without those people's slots. If the keyring cannot be written (a full disk)
   * the restore still stands: a slot without an active user row opens nothing (sign-in refuses it).
   */
  private pruneKeySlotsAfterRestore(
    db: Db,
    restoringUserId: string,
    renamedId: string | null,
  ): { usersWithoutPassword: number; keySlotsRemoved: number } {
    const active = listUsers(db).filter((user) => user.active);
    const keep = new Set(active.map((user) => user.id).filter((id) => id !== renamedId));
    let usersWithoutPassword = 0;
    try {
      const keyring = loadKeyring(this.dataDir);
      const pruned = replaceSlots(keyring, (slot) => slot.kind === 'user' && !keep.has(slot.userId ?? ''), []);
      const slotted = new Set(pruned.slots.map((slot) => slot.userId));
      usersWithoutPassword = active.filter((user) => !slotted.has(user.id)).length;
      const keySlotsRemoved = keyring.slots.length - pruned.slots.length;
      if (keySlotsRemoved === 0 && usersWithoutPassword === 0) return { usersWithoutPassword, keySlotsRemoved };
      // The log row and the keyring land together: a failed keyring write rolls the row back.
      db.transaction(() => {
        this.logRestore(db, restoringUserId, `backup:restore:keyslots:removed=${keySlotsRemoved},without=${usersWithoutPassword}`);
        if (keySlotsRemoved > 0) writeKeyring(keyringPath(this.dataDir), pruned);
      })();
      return { usersWithoutPassword, keySlotsRemoved };
    } catch {
      // The journals are already switched: this is reported in the log, never as a failed restore.
      this.log.error('backup.restore_keyslots_kept');
      return { usersWithoutPassword, keySlotsRemoved: 0 };
    }
  }

  private logRestore(db: Db, userId: string, record: string): void {
    appendAccessLog(db, {
      at: this.now().toISOString(),
      userId,
      clientId: null,
      record,
      action: 'backup.restore',
      channel: 'backup.restore',
      emergency: false,
      reason: null,
    });
  }

  /** Opens the (untouched or put back) journal again; if even that fails, the app locks rather than keep a closed connection. */
  private reopenAfterFailedSwitch(session: Unlocked): void {
    try {
      session.db = this.openDb(session.key);
    } catch (error) {
      this.lock('system');
      throw error;
    }
  }

  private requireUnlocked(): Unlocked {
    if (!this.unlocked) throw new DomainError('LOCKED', 'The journal is locked');
    return this.unlocked;
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

  private becomeUnlocked(unlocked: Unlocked): void {
    this.unlocked = unlocked;
    this.lockedBy = null;
    this.idle.setTimeoutMinutes(readSettings(unlocked.db).idleLockMinutes);
    this.idle.start();
    this.backups.start();
  }
}

export function toSessionUser(user: UserRow): SessionUser {
  return { id: user.id, username: user.username, displayName: user.displayName, roles: user.roles, mustChangePassword: user.mustChangePassword };
}

// Unambiguous characters only, so a temporary password read over the phone is typed right the first time.
const TEMPORARY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';

export function generateTemporaryPassword(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((byte) => TEMPORARY_ALPHABET[byte % TEMPORARY_ALPHABET.length]).join('');
  return chars.match(/.{4}/g)!.join('-');
}
