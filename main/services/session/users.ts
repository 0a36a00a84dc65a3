import { randomBytes, randomUUID } from 'node:crypto';
import { appendLogRow } from '../../../db/accessLog.js';
import type { Tx } from '../../../db/engine/store.js';
import { loadKeyring } from '../../../db/journal.js';
import { keyringPath, replaceSlots, wrapKey, writeKeyring } from '../../../db/keyring.js';
import { appointmentsToKeepOf } from '../../../db/appointments/index.js';
import { unsignedDraftsOf } from '../../../db/engine/pastRowSecurity.js';
import {
  findUserById,
  insertUser,
  listUsers,
  lockActiveAdmins,
  replaceRoles,
  setActive,
  setMustChangePassword,
  type UserRow,
} from '../../../db/users/index.js';
import type { Role, SessionUser } from '../../../preload/contract/index.js';
import { DomainError } from '../errors.js';
import type { SessionCore, Unlocked } from './core.js';

/**
 * The staff's accounts: listing them with whether this installation holds their key slot, adding one
 * with a temporary password, resetting a password and deactivating. The rows go through db/users/ in
 * the call's transaction; the key slots are this installation's key file. A user row and its key
 * slot always change together: the keyring is written inside the transaction that writes the row,
 * as its last step, so a failed write rolls the user back.
 */

/** Runs work in one transaction of its own (the router's ctx.transact), for calls that must first await an Argon2id derivation. */
export type Transact = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

/** A security event in the access log, in the caller's transaction, in the signed-in admin's name. */
function logSecurity(core: SessionCore, tx: Tx, session: Unlocked, action: string, record: string): Promise<number> {
  return appendLogRow(tx, {
    at: core.now().toISOString(),
    userId: session.user.id,
    clientId: null,
    record,
    action,
    channel: null,
    emergency: false,
    reason: null,
  });
}

/**
 * After an Argon2id derivation: the same session must still be open. If it was locked, or another
 * person signed in meanwhile, the change is not made in the name of the one who asked.
 */
function sameSession(core: SessionCore, session: Unlocked): void {
  if (core.requireUnlocked() !== session) throw new DomainError('LOCKED', 'error.locked');
}

/**
 * The users, each active one marked when this installation's keyring has no key slot for them (they
 * came with a backup from another installation, or their slot was removed after the backup): they
 * cannot sign in until an admin gives them a temporary password, which makes their slot.
 */
export async function usersWithSlots(core: SessionCore, tx: Tx): Promise<(UserRow & { needsNewPassword: boolean })[]> {
  core.requireUnlocked();
  const slotted = new Set(loadKeyring(core.dataDir).slots.flatMap((slot) => (slot.kind === 'user' && slot.userId ? [slot.userId] : [])));
  return (await listUsers(tx)).map((user) => ({ ...user, needsNewPassword: user.active && !slotted.has(user.id) }));
}

/** A new temporary password for a user who forgot theirs: only their key slot is rewrapped, and they must choose their own. */
export async function resetUserPassword(
  core: SessionCore,
  userId: string,
  transact: Transact,
): Promise<{ user: UserRow; temporaryPassword: string }> {
  const session = core.requireUnlocked();
  const user = await transact((tx) => findUserById(tx, userId));
  if (!user || !user.active) throw new DomainError('NOT_FOUND', 'error.user.notFound');
  const temporaryPassword = generateTemporaryPassword();
  const slot = await wrapKey(loadKeyring(core.dataDir), session.key, temporaryPassword, { kind: 'user', userId, username: user.username });
  sameSession(core, session);
  const updated = await transact(async (tx) => {
    // Asked again in the transaction that writes: deactivated meanwhile, the user gets no new slot.
    if (!(await findUserById(tx, userId))?.active) throw new DomainError('NOT_FOUND', 'error.user.notFound');
    await setMustChangePassword(tx, userId, true);
    await logSecurity(core, tx, session, 'users.resetPassword', `password:reset:${userId}`);
    // Read again after the derivation: another process may have changed the keyring meanwhile.
    writeKeyring(
      keyringPath(core.dataDir),
      replaceSlots(loadKeyring(core.dataDir), (s) => s.kind === 'user' && s.userId === userId, [slot]),
    );
    return (await findUserById(tx, userId))!;
  });
  core.log.info('user.password_reset');
  return { user: updated, temporaryPassword };
}

/**
 * Deactivates a user in the call's transaction: their key slot is removed, so their password opens
 * nothing any more; their name stays on everything they wrote. The last active admin, and oneself,
 * cannot be deactivated.
 */
export async function deactivateUserAccount(core: SessionCore, tx: Tx, userId: string): Promise<UserRow> {
  const session = core.requireUnlocked();
  const user = await findUserById(tx, userId);
  if (!user) throw new DomainError('NOT_FOUND', 'error.user.notFound');
  if (userId === session.user.id) throw new DomainError('CONFLICT', 'error.user.deactivateSelf');
  if (user.roles.includes('admin') && user.active && (await lockActiveAdmins(tx)).length <= 1)
    throw new DomainError('CONFLICT', 'error.user.lastAdmin');
  await setActive(tx, userId, false);
  await logSecurity(core, tx, session, 'users.deactivate', `user:deactivated:${userId}`);
  writeKeyring(
    keyringPath(core.dataDir),
    replaceSlots(loadKeyring(core.dataDir), (s) => s.kind === 'user' && s.userId === userId, []),
  );
  core.log.info('user.deactivated');
  return (await findUserById(tx, userId))!;
}

/** Adds a staff member with a temporary password that they must replace at first sign-in. */
export async function createUserAccount(
  core: SessionCore,
  input: { displayName: string; username: string; roles: Role[] },
  transact: Transact,
): Promise<{ user: UserRow; temporaryPassword: string }> {
  const session = core.requireUnlocked();
  const username = input.username.trim();
  // Without regard to case, so that two accounts never differ only in it.
  const taken = async (tx: Tx) => (await listUsers(tx)).some((user) => user.username.toLowerCase() === username.toLowerCase());
  const refuse = () => new DomainError('CONFLICT', 'error.username.taken', { username: 'error.username.taken' });
  // Asked before the derivation, so a taken name is told at once, and again in the transaction that writes.
  if (await transact(taken)) throw refuse();
  const id = randomUUID();
  const temporaryPassword = generateTemporaryPassword();
  const slot = await wrapKey(loadKeyring(core.dataDir), session.key, temporaryPassword, { kind: 'user', userId: id, username: input.username });
  sameSession(core, session);
  const user = await transact(async (tx) => {
    if (await taken(tx)) throw refuse();
    await insertUser(tx, {
      id,
      username,
      displayName: input.displayName.trim(),
      roles: input.roles,
      mustChangePassword: true,
      createdAt: core.now().toISOString(),
    });
    await logSecurity(core, tx, session, 'users.create', `user:created:${id}:roles=${input.roles.join('+')}`);
    writeKeyring(
      keyringPath(core.dataDir),
      replaceSlots(loadKeyring(core.dataDir), () => false, [slot]),
    );
    return (await findUserById(tx, id))!;
  });
  core.log.info('user.created');
  return { user, temporaryPassword };
}

/**
 * An active user's roles replaced, with the same rules on both engines, in the transaction that
 * writes them: an admin keeps her own admin role, the last active admin keeps hers, and a therapist
 * keeps hers while appointments or group sessions of hers are still to be kept or drafts of hers
 * are unsigned (the refusal counts them, so the admin knows what must be done first; it names no
 * client). Her profile (site, tracks, hours) and care relations stay: her name stays on what she
 * kept, and without the role the relations open no journal (the rule of effectiveCare, and of
 * journal_access on PostgreSQL). Returns the user as she was and as she is.
 */
export async function changeUserRoles(
  tx: Tx,
  byUserId: string,
  userId: string,
  roles: Role[],
  now: Date,
): Promise<{ before: UserRow; after: UserRow }> {
  const user = await findUserById(tx, userId);
  if (!user || !user.active) throw new DomainError('NOT_FOUND', 'error.user.notFound');
  // Locked first, so that two admins taking each other's admin role at once cannot both pass.
  const admins = await lockActiveAdmins(tx);
  if (user.roles.includes('admin') && !roles.includes('admin')) {
    if (userId === byUserId) throw new DomainError('CONFLICT', 'error.user.ownAdmin', { roles: 'error.user.ownAdmin' });
    if (!admins.some((id) => id !== userId)) throw new DomainError('CONFLICT', 'error.user.lastAdminRole', { roles: 'error.user.lastAdminRole' });
  }
  if (user.roles.includes('therapist') && !roles.includes('therapist')) {
    const toKeep = await appointmentsToKeepOf(tx, userId, now.toISOString());
    if (toKeep.appointments + toKeep.groupSessions > 0) {
      const refusal = new DomainError('CONFLICT', 'error.user.therapistBooked', { roles: 'error.user.therapistBooked' });
      refusal.counts = { ...toKeep, count: toKeep.appointments + toKeep.groupSessions };
      throw refusal;
    }
    // Without the role nobody could sign her drafts (they are hers alone): she signs or deletes them first.
    const drafts = await unsignedDraftsOf(tx, userId);
    if (drafts > 0) {
      const refusal = new DomainError('CONFLICT', 'error.user.therapistDrafts', { roles: 'error.user.therapistDrafts' });
      refusal.counts = { drafts, count: drafts };
      throw refusal;
    }
  }
  await replaceRoles(tx, userId, user.roles, roles);
  return { before: user, after: (await findUserById(tx, userId))! };
}

/** The access log's record of a change of roles: who, and the roles she holds now. */
export function rolesRecord(user: UserRow): string {
  return `user:roles:${user.id}:roles=${user.roles.join('+')}`;
}

/**
 * Replaces a user's roles (changeUserRoles) in the call's own transaction. The local journal has one
 * person signed in: when that is the admin herself, her session takes the new roles once they are
 * committed, so her next call runs with them.
 */
export async function setUserRolesAccount(core: SessionCore, input: { userId: string; roles: Role[] }, transact: Transact): Promise<UserRow> {
  const session = core.requireUnlocked();
  const { after } = await transact(async (tx) => {
    // The desk may have changed hands while the call waited for the journal: nothing in the name of one who has gone.
    sameSession(core, session);
    const changed = await changeUserRoles(tx, session.user.id, input.userId, input.roles, core.now());
    await logSecurity(core, tx, session, 'users.setRoles', rolesRecord(changed.after));
    return changed;
  });
  // The session object of this sign-in: if it was locked meanwhile, nothing reads it any more.
  if (after.id === session.user.id) session.user = after;
  core.log.info('user.roles_changed');
  return after;
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
