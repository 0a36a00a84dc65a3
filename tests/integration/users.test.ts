import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyringPath, type KeyringFile } from '../../db/keyring.js';
import type { Transact } from '../../main/services/session/users.js';
import { FICTIONAL_ADMIN, FICTIONAL_RECEPTIONIST } from '../fixtures/people.js';
import { makeApp, setUpWithAdmin } from '../helpers/app.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const keyring = (dir: string) => JSON.parse(readFileSync(keyringPath(dir), 'utf8')) as KeyringFile;

describe('managing users', () => {
  it('resets a forgotten password with a new temporary one, and deactivating removes the key slot', async () => {
    const dir = tempDir();
    const t = await setUpWithAdmin(dir);
    const created = await t.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', {
      ...FICTIONAL_RECEPTIONIST,
      roles: ['receptionist'],
    });
    const reset = await t.ok<{ temporaryPassword: string; user: { mustChangePassword: boolean } }>('users.resetPassword', {
      userId: created.user.id,
    });
    expect(reset.user.mustChangePassword).toBe(true);
    expect(reset.temporaryPassword).not.toBe(created.temporaryPassword);
    await t.ok('auth.logout');
    expect(await t.call('auth.login', { username: FICTIONAL_RECEPTIONIST.username, password: created.temporaryPassword })).toMatchObject({
      ok: false,
    });
    await t.ok('auth.login', { username: FICTIONAL_RECEPTIONIST.username, password: reset.temporaryPassword });
    await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });

    const slotsBefore = keyring(dir).slots.length;
    const deactivated = await t.ok<{ active: boolean }>('users.deactivate', { userId: created.user.id });
    expect(deactivated.active).toBe(false);
    expect(keyring(dir).slots).toHaveLength(slotsBefore - 1);
    expect(keyring(dir).slots.some((slot) => slot.userId === created.user.id)).toBe(false);
    // Their name stays in the user list (and on everything they wrote); they cannot sign in.
    expect(await t.ok<{ displayName: string; active: boolean }[]>('users.list')).toContainEqual(
      expect.objectContaining({ displayName: FICTIONAL_RECEPTIONIST.displayName, active: false }),
    );
    await t.ok('auth.logout');
    expect(await t.call('auth.login', { username: FICTIONAL_RECEPTIONIST.username, password: reset.temporaryPassword })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_CREDENTIALS' },
    });
  });

  it('refuses to deactivate oneself; another admin can be deactivated', async () => {
    const t = await setUpWithAdmin(tempDir());
    const me = t.app.user!.id;
    expect(await t.call('users.deactivate', { userId: me })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'error.user.deactivateSelf' },
    });
    const other = await t.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', {
      displayName: 'Bodil Backupadmin',
      username: 'bodil.admin',
      roles: ['admin'],
    });
    await t.ok('users.deactivate', { userId: other.user.id });
    await t.ok('auth.logout');
  });

  it('no user is created and no password reset in the name of an admin whose session ended during the key derivation', async () => {
    const dir = tempDir();
    const t = await setUpWithAdmin(dir);
    const receptionist = await t.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', {
      ...FICTIONAL_RECEPTIONIST,
      roles: ['receptionist'],
    });
    const other = await t.ok<{ user: { id: string } }>('users.create', {
      displayName: 'Olle Övrigsson',
      username: 'olle.ovrig',
      roles: ['therapist'],
    });
    const slotsBefore = keyring(dir).slots;
    // The desk changes hands between the first look and the write: the receptionist signs in meanwhile.
    let transactions = 0;
    const deskChangesHands: Transact = async (work) => {
      const result = await t.app.store.transaction(work);
      transactions += 1;
      if (transactions === 1) await t.app.login({ username: FICTIONAL_RECEPTIONIST.username, password: receptionist.temporaryPassword });
      return result;
    };
    await expect(t.app.createUser({ displayName: 'Lina Låstsson', username: 'lina.last', roles: ['admin'] }, deskChangesHands)).rejects.toMatchObject(
      {
        code: 'LOCKED',
      },
    );
    expect(transactions).toBe(1);
    await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    transactions = 0;
    await expect(t.app.resetPassword(other.user.id, deskChangesHands)).rejects.toMatchObject({ code: 'LOCKED' });
    expect(transactions).toBe(1);
    // Nothing was written: no slot, no user, no flag, no log row of either.
    expect(keyring(dir).slots).toEqual(slotsBefore);
    await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    const users = await t.ok<{ username: string; mustChangePassword: boolean }[]>('users.list');
    expect(users.map((user) => user.username)).not.toContain('lina.last');
    const log = await t.ok<{ rows: { action: string }[] }>('audit.search', {
      filter: { userId: null, clientId: null, from: null, to: null, action: null, emergencyOnly: false, unreviewedOnly: false },
      page: 0,
    });
    expect(log.rows.filter((row) => row.action === 'users.create')).toHaveLength(2);
    expect(log.rows.filter((row) => row.action === 'users.resetPassword')).toHaveLength(0);
  });

  it('the recovery code lets an admin choose a new password, and is replaced by a new code', async () => {
    const dir = tempDir();
    const t = await setUpWithAdmin(dir);
    const firstCode = t.recoveryCode;
    t.app.lock('shutdown');
    const later = makeApp(dir);
    const input = {
      recoveryCode: firstCode,
      username: FICTIONAL_ADMIN.username,
      newPassword: 'ett-helt-nytt-admin-lösen',
      newPasswordRepeat: 'ett-helt-nytt-admin-lösen',
    };
    expect(await later.call('auth.recover', { ...input, recoveryCode: 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_CREDENTIALS' },
    });
    expect(await later.call('auth.recover', { ...input, username: 'nobody.here' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_CREDENTIALS' },
    });
    const recovered = await later.ok<{ recoveryCode: string; user: { username: string } }>('auth.recover', input);
    expect(recovered.user.username).toBe(FICTIONAL_ADMIN.username);
    expect(recovered.recoveryCode).not.toBe(firstCode);
    expect(await later.ok('app.status')).toMatchObject({ state: 'unlocked' });
    await later.ok('auth.logout');
    // The old password and the old code open nothing; the new ones do.
    expect(await later.call('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password })).toMatchObject({ ok: false });
    expect(await later.call('auth.recover', input)).toMatchObject({ ok: false });
    await later.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: input.newPassword });
    await later.ok('auth.logout');
    await later.ok('auth.recover', {
      ...input,
      recoveryCode: recovered.recoveryCode.toLowerCase(),
      newPassword: 'och-ännu-ett-nytt-lösen',
      newPasswordRepeat: 'och-ännu-ett-nytt-lösen',
    });
  });
});
