import { randomBytes, randomUUID } from 'node:crypto';
import { loadKeyring } from '../../../db/journal.js';
import { keyringPath, replaceSlots, wrapKey, writeKeyring } from '../../../db/keyring.js';
import { countActiveAdmins, findUserById, insertUser, listUsers, setActive, setMustChangePassword, type UserRow } from '../../../db/users.js';
import type { Role, SessionUser } from '../../../preload/contract/index.js';
import { DomainError } from '../errors.js';
import type { SessionCore } from './core.js';

/**
 * The staff's accounts: listing them with whether this installation holds their key slot, adding one
 * with a temporary password, resetting a password and deactivating. A user row and its key slot
 * always change together (the keyring is written inside the transaction that writes the row).
 */
/**
 * The users, each active one marked when this installation's keyring has no key slot for them (they
 * came with a backup from another installation, or their slot was removed after the backup): they
 * cannot sign in until an admin gives them a temporary password, which makes their slot.
 */
export function usersWithSlots(core: SessionCore): (UserRow & { needsNewPassword: boolean })[] {
  const session = core.requireUnlocked();
  const slotted = new Set(loadKeyring(core.dataDir).slots.flatMap((slot) => (slot.kind === 'user' && slot.userId ? [slot.userId] : [])));
  return listUsers(session.db).map((user) => ({ ...user, needsNewPassword: user.active && !slotted.has(user.id) }));
}

/** A new temporary password for a user who forgot theirs: only their key slot is rewrapped, and they must choose their own. */
export async function resetUserPassword(core: SessionCore, userId: string): Promise<{ user: UserRow; temporaryPassword: string }> {
  const session = core.requireUnlocked();
  const user = findUserById(session.db, userId);
  if (!user || !user.active) throw new DomainError('NOT_FOUND', 'error.user.notFound');
  const temporaryPassword = generateTemporaryPassword();
  const keyring = loadKeyring(core.dataDir);
  const slot = await wrapKey(keyring, session.key, temporaryPassword, { kind: 'user', userId, username: user.username });
  session.db.transaction(() => {
    setMustChangePassword(session.db, userId, true);
    core.logSecurity(session.db, session.user.id, 'users.resetPassword', `password:reset:${userId}`);
    writeKeyring(
      keyringPath(core.dataDir),
      replaceSlots(keyring, (s) => s.kind === 'user' && s.userId === userId, [slot]),
    );
  })();
  core.log.info('user.password_reset');
  return { user: findUserById(session.db, userId)!, temporaryPassword };
}

/**
 * Deactivates a user: their key slot is removed, so their password opens nothing any more; their
 * name stays on everything they wrote. The last active admin, and oneself, cannot be deactivated.
 */
export function deactivateUserAccount(core: SessionCore, userId: string): UserRow {
  const session = core.requireUnlocked();
  const user = findUserById(session.db, userId);
  if (!user) throw new DomainError('NOT_FOUND', 'error.user.notFound');
  if (userId === session.user.id) throw new DomainError('CONFLICT', 'error.user.deactivateSelf');
  if (user.roles.includes('admin') && user.active && countActiveAdmins(session.db) <= 1) throw new DomainError('CONFLICT', 'error.user.lastAdmin');
  const keyring = loadKeyring(core.dataDir);
  session.db.transaction(() => {
    setActive(session.db, userId, false);
    core.logSecurity(session.db, session.user.id, 'users.deactivate', `user:deactivated:${userId}`);
    writeKeyring(
      keyringPath(core.dataDir),
      replaceSlots(keyring, (s) => s.kind === 'user' && s.userId === userId, []),
    );
  })();
  core.log.info('user.deactivated');
  return findUserById(session.db, userId)!;
}

/** Adds a staff member with a temporary password that they must replace at first sign-in. */
export async function createUserAccount(
  core: SessionCore,
  input: { displayName: string; username: string; roles: Role[] },
): Promise<{ user: UserRow; temporaryPassword: string }> {
  const session = core.requireUnlocked();
  const existing = listUsers(session.db).find((user) => user.username.toLowerCase() === input.username.trim().toLowerCase());
  if (existing) throw new DomainError('CONFLICT', 'error.username.taken', { username: 'error.username.taken' });
  const id = randomUUID();
  const temporaryPassword = generateTemporaryPassword();
  const keyring = loadKeyring(core.dataDir);
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
      createdAt: core.now().toISOString(),
    });
    core.logSecurity(session.db, session.user.id, 'users.create', `user:created:${id}:roles=${input.roles.join('+')}`);
    writeKeyring(
      keyringPath(core.dataDir),
      replaceSlots(keyring, () => false, [slot]),
    );
  })();
  core.log.info('user.created');
  return { user: findUserById(session.db, id)!, temporaryPassword };
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
