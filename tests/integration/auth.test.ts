import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { keyringPath, type KeyringFile } from '../../db/keyring.js';
import { JournalApp } from '../../main/services/session/index.js';
import { FICTIONAL_ADMIN, FICTIONAL_RECEPTIONIST } from '../fixtures/people.js';
import { makeApp, setUpWithAdmin } from '../helpers/app.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const readKeyringFile = (dir: string) => JSON.parse(readFileSync(keyringPath(dir), 'utf8')) as KeyringFile;

describe('first run, sign-in and lock through the router', () => {
  it('starts in setup, creates the journal once, and returns the recovery code only from setup', async () => {
    const dir = tempDir();
    const t = makeApp(dir);
    expect(await t.ok('app.status')).toMatchObject({ state: 'setup', user: null });
    const setup = await t.ok<{ recoveryCode: string; user: { roles: string[] } }>('auth.setup', {
      ...FICTIONAL_ADMIN,
      passwordRepeat: FICTIONAL_ADMIN.password,
    });
    expect(setup.recoveryCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}$/);
    expect(setup.user.roles).toEqual(['admin']);
    expect(await t.ok('app.status')).toMatchObject({ state: 'unlocked', user: { username: FICTIONAL_ADMIN.username } });
    const again = await t.call('auth.setup', { ...FICTIONAL_ADMIN, passwordRepeat: FICTIONAL_ADMIN.password });
    expect(again).toMatchObject({ ok: false, error: { code: 'ALREADY_SET_UP' } });
    // No channel hands out the recovery code again.
    for (const channel of ['app.status', 'settings.get', 'users.list']) {
      expect(JSON.stringify(await t.call(channel))).not.toContain(setup.recoveryCode);
    }
  });

  it('refuses a setup with mismatched or weak passwords, writing nothing', async () => {
    const dir = tempDir();
    const t = makeApp(dir);
    const mismatch = await t.call('auth.setup', { ...FICTIONAL_ADMIN, passwordRepeat: 'something else entirely' });
    expect(mismatch).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { passwordRepeat: 'error.password.mismatch' } } });
    const weak = await t.call('auth.setup', { ...FICTIONAL_ADMIN, password: 'short', passwordRepeat: 'short' });
    expect(weak).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { password: 'error.password.tooShort' } } });
    expect(await t.ok('app.status')).toMatchObject({ state: 'setup' });
  });

  it('locks (closing the database and dropping the key) and unlocks with the password', async () => {
    const dir = tempDir();
    const t = await setUpWithAdmin(dir);
    const db = t.app.db;
    expect(await t.ok('auth.lock')).toEqual({ locked: true });
    expect(db.open).toBe(false);
    expect(await t.ok('app.status')).toMatchObject({ state: 'locked', lockedBy: { username: FICTIONAL_ADMIN.username } });
    expect(await t.call('users.list')).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await t.call('auth.login', { username: FICTIONAL_ADMIN.username, password: 'wrong password here' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_CREDENTIALS', fields: { password: 'error.login.wrong' } },
    });
    expect(await t.call('auth.login', { username: 'nobody.at.all', password: FICTIONAL_ADMIN.password })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_CREDENTIALS' },
    });
    const user = await t.ok<{ username: string }>('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    expect(user.username).toBe(FICTIONAL_ADMIN.username);
    expect((await t.ok<unknown[]>('users.list')).length).toBe(1);
  });

  it('a new process opens the same journal with the same password', async () => {
    const dir = tempDir();
    const first = await setUpWithAdmin(dir);
    first.app.lock('shutdown');
    const second = makeApp(dir);
    expect(await second.ok('app.status')).toMatchObject({ state: 'locked', lockedBy: null });
    await second.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    expect(await second.ok('app.status')).toMatchObject({ state: 'unlocked' });
  });

  it('answers wrong passwords slowly, and more slowly after repeated failures', async () => {
    const dir = tempDir();
    const t = await setUpWithAdmin(dir);
    t.app.lock('user');
    const waits: number[] = [];
    let clock = Date.now();
    const options = { dataDir: dir, throttleClock: () => clock, sleep: async (ms: number) => void ((clock += ms), waits.push(ms)) };
    const app = new JournalApp(options);
    for (let i = 0; i < 6; i += 1) await app.login({ username: FICTIONAL_ADMIN.username, password: `wrong-${i}` }).catch(() => undefined);
    // Every wrong answer waits up to at least a second in all; from the fourth on, the wait doubles
    // (the waits are what is left after the key derivation's own time, so only the bounds are firm).
    expect(waits).toHaveLength(6);
    expect(waits[2]).toBeLessThanOrEqual(1000);
    expect(waits[5]).toBeGreaterThan(4000);
    // The count survives a restart of the app.
    const restarted = new JournalApp(options);
    await restarted.login({ username: FICTIONAL_ADMIN.username, password: 'still wrong' }).catch(() => undefined);
    expect(waits.at(-1)).toBeGreaterThan(8000);
    await restarted.login({ username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    expect(restarted.isUnlocked).toBe(true);
  });

  it('really waits about a second before answering a wrong password', async () => {
    const dir = tempDir();
    const t = await setUpWithAdmin(dir);
    t.app.lock('user');
    const app = new JournalApp({ dataDir: dir });
    const started = Date.now();
    await expect(app.login({ username: FICTIONAL_ADMIN.username, password: 'a wrong password' })).rejects.toMatchObject({
      code: 'WRONG_CREDENTIALS',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('creates a user with a temporary password that must be changed, rewrapping only that slot', async () => {
    const dir = tempDir();
    const t = await setUpWithAdmin(dir);
    const created = await t.ok<{ temporaryPassword: string; user: { id: string; mustChangePassword: boolean } }>('users.create', {
      ...FICTIONAL_RECEPTIONIST,
      roles: ['receptionist'],
    });
    expect(created.user.mustChangePassword).toBe(true);
    const duplicate = await t.call('users.create', {
      ...FICTIONAL_RECEPTIONIST,
      username: FICTIONAL_RECEPTIONIST.username.toUpperCase(),
      roles: ['receptionist'],
    });
    expect(duplicate).toMatchObject({ ok: false, error: { code: 'CONFLICT', fields: { username: 'error.username.taken' } } });

    await t.ok('auth.logout');
    await t.ok('auth.login', { username: FICTIONAL_RECEPTIONIST.username, password: created.temporaryPassword });
    // Until the temporary password is replaced, only the password change is open.
    expect(await t.call('users.list')).toMatchObject({ ok: false, error: { code: 'PASSWORD_CHANGE_REQUIRED' } });
    const before = readKeyringFile(dir);
    const newPassword = 'en-helt-ny-och-lång-fras';
    expect(await t.call('auth.changePassword', { currentPassword: 'not it at all', newPassword, newPasswordRepeat: newPassword })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_CREDENTIALS', fields: { currentPassword: 'error.password.currentWrong' } },
    });
    const changed = await t.ok<{ mustChangePassword: boolean }>('auth.changePassword', {
      currentPassword: created.temporaryPassword,
      newPassword,
      newPasswordRepeat: newPassword,
    });
    expect(changed.mustChangePassword).toBe(false);
    const after = readKeyringFile(dir);
    const untouched = (k: KeyringFile) => k.slots.filter((slot) => slot.userId !== created.user.id);
    expect(untouched(after)).toEqual(untouched(before));
    expect(after.slots.find((slot) => slot.userId === created.user.id)).not.toEqual(before.slots.find((slot) => slot.userId === created.user.id));

    // A receptionist is not an admin.
    expect(await t.call('users.list')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await t.ok('auth.logout');
    expect(await t.call('auth.login', { username: FICTIONAL_RECEPTIONIST.username, password: created.temporaryPassword })).toMatchObject({
      ok: false,
    });
    await t.ok('auth.login', { username: FICTIONAL_RECEPTIONIST.username, password: newPassword });
    await t.ok('auth.logout');
    await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
  });

  it('keeps the idle-lock setting and locks after that much idle time', async () => {
    const dir = tempDir();
    const t = await setUpWithAdmin(dir);
    expect(await t.ok('settings.get')).toEqual({ idleLockMinutes: 15, separationBufferMinutes: 120 });
    expect(await t.call('settings.update', { idleLockMinutes: 0 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { idleLockMinutes: expect.any(String) } },
    });
    expect(await t.ok('settings.update', { idleLockMinutes: 5 })).toEqual({ idleLockMinutes: 5, separationBufferMinutes: 120 });
    expect(await t.ok('app.status')).toMatchObject({ idleLockMinutes: 5 });
    expect(t.app.idle.running).toBe(true);
    t.app.idle.setTimeoutMinutes(0);
    expect(t.app.idle.check()).toBe(true);
    expect(t.app.isUnlocked).toBe(false);
    expect(await t.ok('app.status')).toMatchObject({ state: 'locked', lockedBy: { username: FICTIONAL_ADMIN.username } });
  });
});

describe('workstation preferences', () => {
  it('keeps the interface language for this computer, readable before anyone signs in', async () => {
    const dir = tempDir();
    const t = makeApp(dir);
    expect(await t.ok('workstation.get')).toEqual({ language: 'sv', discreet: true });
    expect(await t.ok('workstation.update', { language: 'en' })).toEqual({ language: 'en', discreet: true });
    expect(await t.call('workstation.update', { language: 'de' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await makeApp(dir).ok('workstation.get')).toEqual({ language: 'en', discreet: true });
  });
});
