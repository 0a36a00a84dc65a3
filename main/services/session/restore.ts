import type { Db } from '../../../db/connection.js';
import { loadKeyring } from '../../../db/journal.js';
import { keyringPath, replaceSlots, writeKeyring } from '../../../db/keyring.js';
import { appendAccessLog } from '../../../db/local/accessLog.js';
import { checkpointAndTruncateWal } from '../../../db/backup.js';
import { carryOverBackupSettings } from '../../../db/backupSchedule.js';
import { carryOverFixedQuarters } from '../../../db/local/statistics.js';
import { findUserById, listUsers } from '../../../db/local/users.js';
import {
  adoptRestoringUser,
  buildRestoredJournal,
  discardRestoredJournal,
  fileStamp,
  type AdoptedRestorer,
  refusalName,
  switchToRestoredJournal,
  totalRows,
  undoJournalSwitch,
  verifyBackup,
} from '../backup.js';
import type { BackupTask } from '../backupProgress.js';
import { DomainError } from '../errors.js';
import type { SessionCore, Unlocked } from './core.js';
import type { RestoredJournal } from './index.js';

/** Restoring a backup into the running app: see restoreBackup. */
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
export async function restoreBackup(
  core: SessionCore,
  input: { file: string; passphrase: string; confirmedChecksum?: string | undefined },
  hooks: { beforeSwitch(summary: { rows: number }): void; task?: BackupTask | undefined },
): Promise<RestoredJournal> {
  const started = core.requireUnlocked();
  const sealKey = core.backupSealKey();
  const verification = await verifyBackup(input.file, input.passphrase, { sealKey, current: started.db, task: hooks.task }).finally(() =>
    sealKey.fill(0),
  );
  if (!verification.ok) throw verification.error;
  // A backup this installation did not seal (a new computer restoring the old one's, or a file whose maker cannot
  // be proven) is restored only when the admin has seen what verify said of this very file, admins included, and
  // confirmed it; a confirmation given for another file (its checksum) does not count for this one.
  if (input.confirmedChecksum !== undefined && input.confirmedChecksum !== verification.checksum)
    throw new DomainError('CONFLICT', 'error.backup.changedSinceChecked', { path: 'error.backup.changedSinceChecked' });
  if (verification.origin !== 'thisInstallation' && input.confirmedChecksum !== verification.checksum)
    throw new DomainError('CONFLICT', 'error.backup.foreignNotConfirmed', { path: 'error.backup.foreignNotConfirmed' });
  // From here on nothing awaits: the session cannot lock (and drop the key) until the switch is done.
  const session = core.requireUnlocked();
  if (session !== started) throw new DomainError('LOCKED', 'error.locked');
  const stamp = fileStamp(core.now());
  hooks.task?.enter('restoring', totalRows(verification.counts));
  const restoringUserId = session.user.id;
  let adopted: AdoptedRestorer = { added: false, renamed: null };
  const built = buildRestoredJournal({
    dataDir: core.dataDir,
    key: session.key,
    file: input.file,
    passphrase: input.passphrase,
    backup: verification,
    stamp,
    // The restored journal itself records that it was restored, by whom and when.
    record: (db, summary) => {
      // Automatic backups belong to this installation, not to the data: their schedule, passphrase and status carry over.
      db.transaction(() => {
        carryOverBackupSettings(session.db, db, core.now().toISOString());
        // Published statistics stay as published: the restored data must not give a quarter a second version.
        carryOverFixedQuarters(session.db, db);
      })();
      logRestore(core, db, restoringUserId, `backup:restore:rows=${summary.rows}`);
      // Part of the restored journal before it is checked and switched in, with its log rows: all or nothing.
      db.transaction(() => {
        adopted = adoptRestoringUser(db, session.user);
        if (adopted.renamed) logRestore(core, db, restoringUserId, `backup:restore:username-moved:${adopted.renamed.id}`);
        if (adopted.added) logRestore(core, db, restoringUserId, `backup:restore:admin-added:${restoringUserId}`);
      })();
    },
  });
  if (built.danglingReferences > 0) core.log.warn('backup.restore_dangling_references', { count: built.danglingReferences });
  try {
    hooks.beforeSwitch({ rows: built.rows });
    checkpointAndTruncateWal(session.db);
  } catch (error) {
    discardRestoredJournal(built.file);
    throw error;
  }
  hooks.task?.enter('switching');
  const namesBefore = new Map(listUsers(session.db).map((user) => [user.id, user.displayName]));
  session.db.close();
  let keptAs: string;
  try {
    keptAs = switchToRestoredJournal(core.dataDir, built.file, stamp).keptAs;
  } catch (error) {
    discardRestoredJournal(built.file);
    reopenAfterFailedSwitch(core, session);
    // The router logged the restore just before the switch; the journal that stays says that it did not happen.
    logRestore(core, session.db, restoringUserId, `backup:restore:refused:${refusalName(error)}`);
    throw error;
  }
  try {
    session.db = core.openDb(session.key);
  } catch (error) {
    core.log.error('backup.restore_reopen_failed');
    try {
      undoJournalSwitch(core.dataDir, keptAs, stamp);
    } finally {
      reopenAfterFailedSwitch(core, session);
    }
    throw error;
  }
  core.log.info('backup.restored', { from: built.backup.schemaVersion, to: built.migratedTo });
  const access = pruneKeySlotsAfterRestore(core, session.db, restoringUserId, adopted.renamed?.id ?? null, namesBefore);
  // The restored log is the backup's, shorter than the one it replaced: the keyring's head follows it at once.
  core.anchorLog(session.db, session.key);
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
    core.lock('logout');
    return { ...result, signedOut: true };
  }
  session.user = user;
  core.idle.setTimeoutMinutes((await core.settingsOf(session.db)).idleLockMinutes);
  return { ...result, signedOut: false };
}

/**
 * After a restore has switched journals: removes the key slots of everyone who is not an active user
 * of the restored journal (and the slot of an account whose username was moved, which the keyring
 * would still find under the old name), in one atomic keyring write, logged with the count of users
 * left without a slot. Run only after the switch: removed before it, a failed switch would leave
 * the journal that stays without those people's slots. If the keyring cannot be written (a full disk)
 * the restore still stands: a slot without an active user row opens nothing (sign-in refuses it).
 */
function pruneKeySlotsAfterRestore(
  core: SessionCore,
  db: Db,
  restoringUserId: string,
  renamedId: string | null,
  namesBefore: ReadonlyMap<string, string>,
): { usersWithoutPassword: number; keySlotsRemoved: number; removedPeople: string[] } {
  const active = listUsers(db).filter((user) => user.active);
  const keep = new Set(active.map((user) => user.id).filter((id) => id !== renamedId));
  let usersWithoutPassword = 0;
  try {
    const keyring = loadKeyring(core.dataDir);
    const pruned = replaceSlots(keyring, (slot) => slot.kind === 'user' && !keep.has(slot.userId ?? ''), []);
    const slotted = new Set(pruned.slots.map((slot) => slot.userId));
    usersWithoutPassword = active.filter((user) => !slotted.has(user.id)).length;
    const keySlotsRemoved = keyring.slots.length - pruned.slots.length;
    // Named as the journal before the restore knew them: the restored journal may not know them at all.
    const removedPeople = keyring.slots
      .filter((slot) => slot.kind === 'user' && !keep.has(slot.userId ?? ''))
      .map((slot) => namesBefore.get(slot.userId ?? '') ?? '?')
      .sort((a, b) => a.localeCompare(b, 'sv'));
    if (keySlotsRemoved === 0 && usersWithoutPassword === 0) return { usersWithoutPassword, keySlotsRemoved, removedPeople };
    // The log row and the keyring land together: a failed keyring write rolls the row back.
    db.transaction(() => {
      logRestore(core, db, restoringUserId, `backup:restore:keyslots:removed=${keySlotsRemoved},without=${usersWithoutPassword}`);
      if (keySlotsRemoved > 0) writeKeyring(keyringPath(core.dataDir), pruned);
    })();
    return { usersWithoutPassword, keySlotsRemoved, removedPeople };
  } catch {
    // The journals are already switched: this is reported in the log, never as a failed restore.
    core.log.error('backup.restore_keyslots_kept');
    return { usersWithoutPassword, keySlotsRemoved: 0, removedPeople: [] };
  }
}

export function logRestore(core: SessionCore, db: Db, userId: string, record: string): void {
  appendAccessLog(db, {
    at: core.now().toISOString(),
    userId,
    clientId: null,
    record,
    action: 'backup.restore',
    channel: 'backup.restore',
    emergency: false,
    reason: null,
  });
}

export function reopenAfterFailedSwitch(core: SessionCore, session: Unlocked): void {
  try {
    session.db = core.openDb(session.key);
  } catch (error) {
    core.lock('system');
    throw error;
  }
}
