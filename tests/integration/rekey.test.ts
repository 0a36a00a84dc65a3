import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEncrypted, JournalKeyError, type Db } from '../../db/connection.js';
import { journalPath, loadKeyring } from '../../db/journal.js';
import { createCipheriv, randomBytes } from 'node:crypto';
import { hashRaw } from '@node-rs/argon2';
import {
  keyringPath,
  readKeyring,
  unlockWithPassword,
  unlockWithRecoveryCode,
  usernameLookup,
  writeKeyring,
  type KeySlot,
} from '../../db/keyring.js';
import { verifyAccessLogChain } from '../../db/local/accessLog.js';
import { FICTIONAL_ADMIN, FICTIONAL_RECEPTIONIST, FICTIONAL_THERAPIST } from '../fixtures/people.js';
import { makeApp, setUpWithAdmin, skippedClock } from '../helpers/app.js';
import { buildCrashChild, copyDataDir, runChild, type CrashChild } from '../helpers/crashProcess.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const ADMIN = { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password };
const THERAPIST_PASSWORD = 'terapeutens-gröna-fyrtorn-41';
const RECEPTIONIST_PASSWORD = 'receptionens-blå-kvarnsten-62';

/** Does this key open the journal file? */
function opens(dir: string, key: Buffer | null): boolean {
  if (!key) return false;
  try {
    openEncrypted(journalPath(dir), key, { create: false }).close();
    return true;
  } catch (error) {
    if (error instanceof JournalKeyError) return false;
    throw error;
  }
}

async function keyOf(keyringFile: string, username: string, password: string): Promise<Buffer | null> {
  const opened = await unlockWithPassword(readKeyring(keyringFile)!, username, password);
  return opened?.key ?? null;
}

/** An admin, a therapist and a receptionist who chose their own passwords; the admin signed in. */
async function staffedJournal(dir: string) {
  const t = await setUpWithAdmin(dir);
  const people = [
    [FICTIONAL_THERAPIST, 'therapist', THERAPIST_PASSWORD],
    [FICTIONAL_RECEPTIONIST, 'receptionist', RECEPTIONIST_PASSWORD],
  ] as const;
  const temporary: string[] = [];
  for (const [person, role] of people) {
    temporary.push((await t.ok<{ temporaryPassword: string }>('users.create', { ...person, roles: [role] })).temporaryPassword);
  }
  await t.ok('auth.logout');
  for (const [index, [person, , password]] of people.entries()) {
    await t.ok('auth.login', { username: person.username, password: temporary[index] });
    await t.ok('auth.changePassword', { currentPassword: temporary[index], newPassword: password, newPasswordRepeat: password });
    await t.ok('auth.logout');
  }
  await t.ok('auth.login', ADMIN);
  return t;
}

describe('a rekey: new journal key, every slot resealed, a new recovery code', () => {
  it('after it, an old keyring copy, the old recovery code and a deactivated user’s old slot open nothing', async () => {
    const dir = tempDir();
    const t = await staffedJournal(dir);
    const users = await t.ok<{ id: string; username: string }[]>('users.list');
    const receptionist = users.find((user) => user.username === FICTIONAL_RECEPTIONIST.username)!;
    // Someone keeps a copy of the keyring, and the receptionist leaves.
    const oldKeyring = path.join(tempDir(), 'keyring.json');
    copyFileSync(keyringPath(dir), oldKeyring);
    await t.ok('users.deactivate', { userId: receptionist.id });
    const oldRecoveryCode = (t as unknown as { recoveryCode: string }).recoveryCode;

    // Before the rekey (as things were): the copy, the old code and the departed colleague's slot all still open the journal.
    expect(opens(dir, await keyOf(oldKeyring, FICTIONAL_RECEPTIONIST.username, RECEPTIONIST_PASSWORD))).toBe(true);
    expect(opens(dir, await unlockWithRecoveryCode(readKeyring(oldKeyring)!, oldRecoveryCode))).toBe(true);

    expect(await t.call('auth.rekey', { password: 'inte-adminens-lösenord' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_CREDENTIALS', fields: { password: 'error.password.currentWrong' } },
    });
    skippedClock.pass(2000);
    const rekeyed = await t.ok<{ recoveryCode: string; usersWithoutPassword: number }>('auth.rekey', { password: ADMIN.password });
    expect(rekeyed.usersWithoutPassword).toBe(0);
    expect(rekeyed.recoveryCode).not.toBe(oldRecoveryCode);
    // The session goes on with the new key.
    expect((await t.ok<unknown[]>('users.list')).length).toBe(3);

    expect(opens(dir, await keyOf(oldKeyring, FICTIONAL_RECEPTIONIST.username, RECEPTIONIST_PASSWORD))).toBe(false);
    expect(opens(dir, await keyOf(oldKeyring, ADMIN.username, ADMIN.password))).toBe(false);
    expect(opens(dir, await unlockWithRecoveryCode(readKeyring(oldKeyring)!, oldRecoveryCode))).toBe(false);
    expect(await unlockWithRecoveryCode(loadKeyring(dir), oldRecoveryCode)).toBeNull();
    expect(loadKeyring(dir).slots.filter((slot) => slot.kind === 'recovery')).toHaveLength(1);
    expect(loadKeyring(dir).slots.some((slot) => slot.next || slot.pending)).toBe(false);

    // Everyone active signs in with the password they know; the new recovery code works.
    await t.ok('auth.logout');
    await t.ok('auth.login', { username: FICTIONAL_THERAPIST.username, password: THERAPIST_PASSWORD });
    await t.ok('auth.logout');
    await t.ok('auth.login', ADMIN);
    expect(await t.ok('audit.verify')).toMatchObject({ ok: true, headProblem: null });
    const rows = t.app.db.prepare("SELECT record FROM access_log WHERE action = 'auth.rekey'").all() as { record: string }[];
    expect(rows.map((row) => row.record)).toEqual(['rekey:slots=2,without=0']);
    await t.ok('auth.logout');
    const recovered = await makeApp(dir).call('auth.recover', {
      recoveryCode: rekeyed.recoveryCode,
      username: ADMIN.username,
      newPassword: 'adminens-nya-långa-kvällsfras',
      newPasswordRepeat: 'adminens-nya-långa-kvällsfras',
    });
    expect(recovered.ok).toBe(true);
    expect(readdirSync(dir).filter((name) => name.includes('rekey'))).toEqual([]);
  });
});

/** A key slot as the previous version wrote it: the password's Argon2id key wraps the journal key itself. */
async function legacySlot(dir: string, journalKey: Buffer, slot: KeySlot, password: string): Promise<KeySlot> {
  const keyring = loadKeyring(dir);
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const wrapping = await hashRaw(password.normalize('NFC'), { algorithm: 2, salt, memoryCost: 65536, timeCost: 3, parallelism: 1, outputLen: 32 });
  const cipher = createCipheriv('aes-256-gcm', wrapping, nonce);
  cipher.setAAD(Buffer.from(`utvag-keyring/1|${keyring.journalId}|${slot.id}|${slot.kind}|${slot.userId ?? ''}`));
  const ciphertext = Buffer.concat([cipher.update(journalKey), cipher.final()]);
  const { publicKey: _p, sealed: _s, next: _n, ...rest } = slot;
  return {
    ...rest,
    salt: salt.toString('base64'),
    nonce: nonce.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

describe('a rekey while another program has the journal open', () => {
  it('is refused with nothing changed, and works once the other program has closed it', async () => {
    const dir = tempDir();
    const t = await setUpWithAdmin(dir);
    const before = readFileSync(keyringPath(dir), 'utf8');
    const key = (await keyOf(keyringPath(dir), ADMIN.username, ADMIN.password))!;
    // The command line, say, with the journal open (and reading it).
    const other = openEncrypted(journalPath(dir), key, { create: false });
    other.prepare('SELECT count(*) FROM access_log').get();
    expect(await t.call('auth.rekey', { password: ADMIN.password })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'error.rekey.busy' },
    });
    other.close();
    expect(opens(dir, key)).toBe(true);
    const after = JSON.parse(readFileSync(keyringPath(dir), 'utf8')) as { slots: unknown[] };
    expect(after.slots).toEqual((JSON.parse(before) as { slots: unknown[] }).slots);
    expect((await t.ok<unknown[]>('users.list')).length).toBe(1);
    await t.ok('auth.rekey', { password: ADMIN.password });
    expect(opens(dir, key)).toBe(false);
  });
});

describe('key slots from the previous version', () => {
  it('are remade at sign-in, so that a rekey reseals them; one not used since needs a new temporary password', async () => {
    const dir = tempDir();
    const t = await staffedJournal(dir);
    t.app.lock('shutdown');
    const adminKey = (await keyOf(keyringPath(dir), ADMIN.username, ADMIN.password))!;
    const keyring = loadKeyring(dir);
    const byUser = async (slot: KeySlot) => {
      if (slot.kind !== 'user') return slot;
      const users = { [FICTIONAL_THERAPIST.username]: THERAPIST_PASSWORD, [FICTIONAL_RECEPTIONIST.username]: RECEPTIONIST_PASSWORD };
      const name = Object.keys(users).find((username) => usernameLookup(keyring, username) === slot.lookup);
      return legacySlot(dir, adminKey, slot, name ? users[name]! : ADMIN.password);
    };
    writeKeyring(keyringPath(dir), { ...keyring, slots: await Promise.all(keyring.slots.map(byUser)) });
    expect(loadKeyring(dir).slots.filter((slot) => slot.kind === 'user' && !slot.publicKey)).toHaveLength(3);

    // The old slots still open the journal, and the admin's and the therapist's are remade as they sign in.
    const app = makeApp(dir);
    await app.ok('auth.login', { username: FICTIONAL_THERAPIST.username, password: THERAPIST_PASSWORD });
    await app.ok('auth.logout');
    await app.ok('auth.login', ADMIN);
    expect(loadKeyring(dir).slots.filter((slot) => slot.kind === 'user' && !slot.publicKey)).toHaveLength(1);
    const rekeyed = await app.ok<{ usersWithoutPassword: number }>('auth.rekey', { password: ADMIN.password });
    expect(rekeyed.usersWithoutPassword).toBe(1);
    await app.ok('auth.logout');
    await app.ok('auth.login', { username: FICTIONAL_THERAPIST.username, password: THERAPIST_PASSWORD });
    await app.ok('auth.logout');
    expect(await app.call('auth.login', { username: FICTIONAL_RECEPTIONIST.username, password: RECEPTIONIST_PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_CREDENTIALS' },
    });
    skippedClock.pass(2000);
    await app.ok('auth.login', ADMIN);
    const listed = await app.ok<{ username: string; needsNewPassword: boolean }[]>('users.list');
    expect(listed.find((user) => user.username === FICTIONAL_RECEPTIONIST.username)?.needsNewPassword).toBe(true);
  });
});

// ---- Killed at every step ---------------------------------------------------------------------

let child: CrashChild;
const templates: string[] = [];
beforeAll(async () => {
  child = await buildCrashChild();
});
afterAll(() => {
  child?.dispose();
  for (const dir of templates.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function content(db: Db): Record<string, unknown[]> {
  const names = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'access_log' ORDER BY name`)
    .all() as {
    name: string;
  }[];
  const tables = Object.fromEntries(names.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
  tables.users = (tables.users as Record<string, unknown>[]).map(({ last_login_at: _signedIn, ...user }) => user);
  return tables;
}

describe('crash safety: a rekey killed at every step', () => {
  it('leaves a journal that opens, with a keyring that matches it, and the same content', { timeout: 300_000 }, async () => {
    const template = mkdtempSync(path.join(os.tmpdir(), 'utvag-rekey-template-'));
    templates.push(template);
    const t = await staffedJournal(template);
    const before = content(t.app.db);
    const recoveryCode = (t as unknown as { recoveryCode: string }).recoveryCode;
    t.app.lock('shutdown');
    const oldKey = (await keyOf(keyringPath(template), ADMIN.username, ADMIN.password))!;
    const env = { USERNAME: ADMIN.username, PASSWORD: ADMIN.password };

    const traceDir = copyDataDir(template, tempDir());
    const trace = runChild(child.script, { CRASH_MODE: 'rekey', DATA_DIR: traceDir, ...env, CRASH_PAUSE_AT: 'trace' });
    await trace.waitFor(/^DONE /);
    await trace.exited;
    const steps = trace.lines.filter((line) => line.startsWith('STEP ')).map((line) => line.slice(5));
    const switchStep = steps.findIndex((step) => /^\d+ rename journal\.db\.rekey-partial$/.test(step)) + 1;
    expect(switchStep, steps.join(', ')).toBeGreaterThan(0);

    for (let pauseAt = 1; pauseAt <= steps.length + 1; pauseAt += 1) {
      const dir = copyDataDir(template, tempDir());
      const done = pauseAt > steps.length;
      const run = runChild(child.script, { CRASH_MODE: 'rekey', DATA_DIR: dir, ...env, CRASH_PAUSE_AT: done ? '' : String(pauseAt) });
      const line = await run.waitFor(done ? /^DONE / : new RegExp(`^PAUSED ${pauseAt} `));
      await run.kill();
      const where = `kill before step ${pauseAt} (${steps[pauseAt - 1] ?? 'after the answer'})`;
      const switched = done || pauseAt > switchStep;
      // The old key opens the journal until the switch, never after it.
      expect(opens(dir, oldKey), where).toBe(!switched);

      // Everyone signs in as before; the app finishes or drops what the kill left.
      const app = makeApp(dir);
      await app.ok('auth.login', { username: FICTIONAL_THERAPIST.username, password: THERAPIST_PASSWORD });
      await app.ok('auth.logout');
      await app.ok('auth.login', ADMIN);
      expect(content(app.app.db), where).toEqual(before);
      expect(app.app.db.pragma('integrity_check', { simple: true }), where).toBe('ok');
      expect(verifyAccessLogChain(app.app.db), where).toMatchObject({ ok: true });
      expect(await app.ok('audit.verify'), where).toMatchObject({ ok: true });
      const keyring = loadKeyring(dir);
      expect(
        keyring.slots.some((slot) => slot.next || slot.pending),
        where,
      ).toBe(false);
      expect(existsSync(`${journalPath(dir)}.rekey-partial`), where).toBe(false);
      // Exactly one recovery code works: the old one before the switch, the new one after it.
      const newCode = done ? (JSON.parse(line.slice('DONE '.length)) as { recoveryCode: string }).recoveryCode : null;
      expect(opens(dir, await unlockWithRecoveryCode(keyring, recoveryCode)), where).toBe(!switched);
      if (newCode) expect(opens(dir, await unlockWithRecoveryCode(keyring, newCode)), where).toBe(true);
      app.app.lock('shutdown');
    }
  });
});
