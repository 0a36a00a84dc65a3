import { beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { journalPath, loadKeyring } from '../../db/journal.js';
import { keyringPath, unlockWithPassword } from '../../db/keyring.js';
import { openEncrypted } from '../../db/connection.js';
import { hashAccessLogRow, GENESIS_HASH, type AccessLogEntry } from '../../db/accessLog.js';
import { FICTIONAL_ADMIN, FICTIONAL_RECEPTIONIST } from '../fixtures/people.js';
import { JournalApp } from '../../main/services/session/index.js';
import { createRouter } from '../../main/router.js';
import type { Result } from '../../preload/contract/index.js';
import { makeApp, setUpWithAdmin, skippedClock } from '../helpers/app.js';
import { ENGINES, openWithAdmin, useEngines, type Engine } from '../helpers/engineApp.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const ADMIN = { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password };
const RECEPTIONIST_PASSWORD = 'blå-fyrtorn-mot-kvällssol-17';

/**
 * The throttle's clock in these tests stands still unless a test moves it on: a key derivation slowed
 * by a busy machine must not let the wait run out by itself. (The shared skipped clock moves with it.)
 */
let frozen = 0;
beforeEach(() => {
  frozen = skippedClock.now();
});
const clock = {
  now: () => frozen,
  pass: (ms: number) => {
    frozen += ms;
    skippedClock.pass(ms);
  },
};

/**
 * An attacker's process: it does not sit out the delay its wrong answer would wait for (it is killed
 * and started again), so no time passes on the shared test clock.
 */
function attacker(dir: string) {
  const router = createRouter(new JournalApp({ dataDir: dir, sleep: async () => undefined, throttleClock: clock.now }));
  return { call: (channel: string, input: unknown) => router.invoke(channel, input) as Promise<Result<unknown>> };
}

/** A journal with an admin and a receptionist who has chosen her own password, locked. */
async function twoUsers() {
  const dir = tempDir();
  const t = await setUpWithAdmin(dir);
  const created = await t.ok<{ temporaryPassword: string }>('users.create', { ...FICTIONAL_RECEPTIONIST, roles: ['receptionist'] });
  await t.ok('auth.logout');
  await t.ok('auth.login', { username: FICTIONAL_RECEPTIONIST.username, password: created.temporaryPassword });
  await t.ok('auth.changePassword', {
    currentPassword: created.temporaryPassword,
    newPassword: RECEPTIONIST_PASSWORD,
    newPasswordRepeat: RECEPTIONIST_PASSWORD,
  });
  await t.ok('auth.logout');
  return { dir, t };
}

describe('the login delay holds per person, across processes and against tampering', () => {
  it('a new process is refused with TOO_MANY_ATTEMPTS, before any key is derived, with the wait next to the field', async () => {
    const { dir } = await twoUsers();
    await attacker(dir).call('auth.login', { username: ADMIN.username, password: 'första-gissningen-fel' });
    // The next attempt comes from a fresh process at once: it must wait, not start over.
    // Proof that nothing is derived before the refusal: every slot's KDF made impossible (Argon2id
    // refuses zero passes), so a derivation would fail with another error than the refusal.
    const intact = readFileSync(keyringPath(dir), 'utf8');
    const keyring = JSON.parse(intact) as { slots: { kdf: { iterations: number } }[] };
    for (const slot of keyring.slots) slot.kdf.iterations = 0;
    writeFileSync(keyringPath(dir), JSON.stringify(keyring));
    const fresh = attacker(dir);
    const refused = await fresh.call('auth.login', ADMIN);
    expect(refused).toMatchObject({ ok: false, error: { code: 'TOO_MANY_ATTEMPTS', fields: { password: 'error.login.tooMany' } } });
    expect((refused as { error: { retryAfterSeconds: number } }).error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((await fresh.call('app.status', {})) as unknown).toMatchObject({ ok: true, value: { state: 'locked' } });
    writeFileSync(keyringPath(dir), intact);
    clock.pass(1000);
    expect(await attacker(dir).call('auth.login', ADMIN)).toMatchObject({ ok: true });
  });

  it("another person's success does not reset the count", async () => {
    const { dir } = await twoUsers();
    for (let i = 0; i < 5; i += 1) {
      await attacker(dir).call('auth.login', { username: ADMIN.username, password: `gissning-${i}-fel` });
      clock.pass(i < 4 ? 20_000 : 0);
    }
    // The receptionist signs in fine (her own counter is clean) …
    await makeApp(dir).ok('auth.login', { username: FICTIONAL_RECEPTIONIST.username, password: RECEPTIONIST_PASSWORD });
    // … and the admin's guesser is still held back.
    expect(await attacker(dir).call('auth.login', ADMIN)).toMatchObject({ ok: false, error: { code: 'TOO_MANY_ATTEMPTS' } });
  });

  it('deleting or editing the state file counts as a wait, not a fresh start', async () => {
    const { dir } = await twoUsers();
    const stateFile = path.join(dir, 'login-throttle.json');
    await attacker(dir).call('auth.login', { username: ADMIN.username, password: 'en-gissning-som-är-fel' });
    rmSync(stateFile);
    expect(await attacker(dir).call('auth.login', ADMIN)).toMatchObject({ ok: false, error: { code: 'TOO_MANY_ATTEMPTS' } });
    clock.pass(61_000);
    // Forged: a "fresh" state written by hand, without the installation's key.
    writeFileSync(
      stateFile,
      JSON.stringify({ state: { version: 1, people: {}, global: { failures: 0, notBefore: 0, lastFailureAt: 0 }, events: [] }, mac: 'AAAA' }),
    );
    expect(await attacker(dir).call('auth.login', ADMIN)).toMatchObject({ ok: false, error: { code: 'TOO_MANY_ATTEMPTS' } });
    // The throttle key removed from the keyring: damaged, so a wait too.
    clock.pass(61_000);
    const keyring = JSON.parse(readFileSync(keyringPath(dir), 'utf8')) as Record<string, unknown>;
    delete keyring.throttleKey;
    writeFileSync(keyringPath(dir), JSON.stringify(keyring));
    expect(await attacker(dir).call('auth.login', ADMIN)).toMatchObject({ ok: false, error: { code: 'TOO_MANY_ATTEMPTS' } });
    clock.pass(61_000);
    const t = makeApp(dir);
    await t.ok('auth.login', ADMIN);
    // Each of these reached the access log at the next unlock.
    const records = (t.app.db.prepare("SELECT record FROM access_log WHERE action = 'auth.security' ORDER BY seq").all() as { record: string }[]).map(
      (row) => row.record,
    );
    // (The failure recorded in the deleted file went with it; the damage itself is what the log must show.)
    expect(records).toEqual(expect.arrayContaining(['throttle.state-damaged', 'throttle.refused']));
  });

  it('a brand-new installation (no keyring yet) starts fresh', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'login-throttle.json'), 'not json');
    const t = makeApp(dir);
    await t.ok('auth.setup', { ...FICTIONAL_ADMIN, passwordRepeat: FICTIONAL_ADMIN.password });
    await t.ok('auth.logout');
    await t.ok('auth.login', ADMIN);
  });

  it('an unknown username is throttled exactly like a known one', async () => {
    const { dir } = await twoUsers();
    await attacker(dir).call('auth.login', { username: 'finns.inte', password: 'en-gissning-som-är-fel' });
    await attacker(dir).call('auth.login', { username: ADMIN.username, password: 'en-gissning-som-är-fel' });
    const unknown = await attacker(dir).call('auth.login', { username: 'finns.inte', password: 'en-annan-gissning' });
    const known = await attacker(dir).call('auth.login', { username: ADMIN.username, password: 'en-annan-gissning' });
    const shape = (r: unknown) => JSON.stringify(r).replace(/"retryAfterSeconds":\d+/, '');
    expect(shape(unknown)).toBe(shape(known));
  });

  it('the recovery code and the signing password obey a throttle too', async () => {
    const { dir } = await twoUsers();
    await attacker(dir).call('auth.recover', {
      recoveryCode: 'AAAAA-BBBBB-CCCCC-DDDDD-EEEEE',
      username: ADMIN.username,
      newPassword: 'nytt-lösen-för-fyrtornet-9',
      newPasswordRepeat: 'nytt-lösen-för-fyrtornet-9',
    });
    expect(
      await attacker(dir).call('auth.recover', {
        recoveryCode: 'AAAAA-BBBBB-CCCCC-DDDDD-FFFFF',
        username: ADMIN.username,
        newPassword: 'nytt-lösen-för-fyrtornet-9',
        newPasswordRepeat: 'nytt-lösen-för-fyrtornet-9',
      }),
    ).toMatchObject({ ok: false, error: { code: 'TOO_MANY_ATTEMPTS', fields: { recoveryCode: 'error.login.tooMany' } } });
    clock.pass(2000);
    const app = new JournalApp({ dataDir: dir, sleep: async () => undefined, throttleClock: clock.now });
    await app.login(ADMIN);
    expect(await app.verifyPassword('fel-lösenord-vid-signering')).toBe(false);
    // The signing password is the person's own counter: the next guess must wait, and the sign-in too.
    await expect(app.verifyPassword(ADMIN.password)).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    await expect(new JournalApp({ dataDir: dir, throttleClock: clock.now }).login(ADMIN)).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
  });
});

describe('passwords and passphrases resist guessing', () => {
  const weak = ['Password1234', 'Sommaren2024', 'qwertyuiopasdf'];
  it.each(weak)('refuses %s everywhere a password is chosen, with the reason next to the field', async (password) => {
    const setup = makeApp(tempDir());
    const refused = await setup.call('auth.setup', { ...FICTIONAL_ADMIN, password, passwordRepeat: password });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { password: expect.stringMatching(/^error\.password\.weak\./) } },
    });
    expect(await setup.ok('app.status')).toMatchObject({ state: 'setup' });

    const { t } = await twoUsers();
    const recover = await t.call('auth.recover', {
      recoveryCode: 'AAAAA-BBBBB-CCCCC-DDDDD-EEEEE',
      username: ADMIN.username,
      newPassword: password,
      newPasswordRepeat: password,
    });
    // Judged before the code is even tried.
    expect(recover).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { newPassword: expect.stringMatching(/^error\.password\.weak\./) } },
    });
    await t.ok('auth.login', ADMIN);
    const change = await t.call('auth.changePassword', { currentPassword: ADMIN.password, newPassword: password, newPasswordRepeat: password });
    expect(change).toMatchObject({ ok: false, error: { fields: { newPassword: expect.stringMatching(/^error\.password\.weak\./) } } });
    const passphrase = `${password}${password}`.slice(0, 16);
    const backup = await t.call('backup.export', { path: path.join(tempDir(), 'b.db'), passphrase, passphraseRepeat: passphrase });
    expect(backup).toMatchObject({ ok: false, error: { fields: { passphrase: expect.stringMatching(/^error\.(password\.weak|backup)\./) } } });
    const schedule = await t.call('backup.schedule.update', {
      folder: tempDir(),
      intervalHours: 24,
      keep: 7,
      passphrase: 'Sommaren2024Sommaren',
      passphraseRepeat: 'Sommaren2024Sommaren',
    });
    expect(schedule.ok).toBe(false);
  });
});

/**
 * The security events on both engines (#14): the server writes them through its own sign-in
 * (ServerSessions). The rest of this file is the local journal's own and stays local: the login
 * delay's state file and key slots, the log head anchored in the keyring, the data folder's modes
 * (the server's delay and sign-in: server.sessions and postgres.signIn).
 */
const engines = useEngines();

describe.each(ENGINES)('every security event is in the access log (%s)', (engine) => {
  it('sign-ins, failures, password changes and resets, users created and deactivated, settings and recovery', async () => {
    const t = await setUpWithAdminAndFail(engine);
    const rows = await t.db.all<{ userId: string | null; action: string; record: string }>(
      'SELECT user_id AS userId, action, record FROM access_log ORDER BY seq',
    );
    const records = rows.map((row) => `${row.action} ${row.record}`);
    for (const expected of [
      /^auth\.setup journal:created/,
      /^users\.create user:created:.*:roles=receptionist$/,
      /^auth\.login login:ok$/,
      /^auth\.changePassword password:changed$/,
      /^auth\.security login\.failed$/,
      /^auth\.security login\.failed:unknown-username$/,
      /^users\.resetPassword password:reset:/,
      /^users\.deactivate user:deactivated:/,
      /^settings\.update settings:idleLockMinutes=7$/,
    ]) {
      expect(
        records.some((record) => expected.test(record)),
        `${expected} in ${records.join(' | ')}`,
      ).toBe(true);
    }
    // A failed sign-in names the person whose account was tried, not the one who signed in later.
    const adminId = t.user!.id;
    const failure = rows.find((row) => row.record === 'login.failed')!;
    expect(failure.userId).not.toBe(adminId);
    expect(JSON.stringify(rows)).not.toContain('gissning');
    expect(t.logLines.join('\n')).not.toContain('gissning');
  });
});

async function setUpWithAdminAndFail(engine: Engine) {
  const t = await openWithAdmin(engines, engine);
  const created = await t.ok<{ temporaryPassword: string }>('users.create', { ...FICTIONAL_RECEPTIONIST, roles: ['receptionist'] });
  await t.ok('auth.logout');
  await t.ok('auth.login', { username: FICTIONAL_RECEPTIONIST.username, password: created.temporaryPassword });
  await t.ok('auth.changePassword', {
    currentPassword: created.temporaryPassword,
    newPassword: RECEPTIONIST_PASSWORD,
    newPasswordRepeat: RECEPTIONIST_PASSWORD,
  });
  await t.ok('auth.logout');
  await t.call('auth.login', { username: FICTIONAL_RECEPTIONIST.username, password: 'en-gissning-som-är-fel' });
  await t.call('auth.login', { username: 'ingen.sådan', password: 'en-gissning-som-är-fel' });
  clock.pass(2000);
  await t.ok('auth.login', ADMIN);
  const users = await t.ok<{ id: string; username: string }[]>('users.list');
  const receptionist = users.find((user) => user.username === FICTIONAL_RECEPTIONIST.username)!;
  await t.ok('users.resetPassword', { userId: receptionist.id });
  await t.ok('users.deactivate', { userId: receptionist.id });
  await t.ok('settings.update', { idleLockMinutes: 7 });
  return t;
}

describe('the access log is anchored outside the journal', () => {
  async function journalWithRows() {
    const dir = tempDir();
    const t = await setUpWithAdmin(dir);
    await t.ok('settings.update', { idleLockMinutes: 9 });
    await t.ok('settings.update', { idleLockMinutes: 8 });
    await t.ok('auth.logout');
    return { dir };
  }

  /** Tampering as someone with the key in hand: the triggers dropped, rows changed directly. */
  async function withKey(dir: string, change: (db: Database.Database) => void) {
    const opened = (await unlockWithPassword(loadKeyring(dir), ADMIN.username, ADMIN.password))!;
    const db = openEncrypted(journalPath(dir), opened.key, { create: false });
    try {
      db.exec('DROP TRIGGER access_log_no_delete; DROP TRIGGER access_log_no_update;');
      change(db);
    } finally {
      db.close();
      opened.key.fill(0);
    }
  }

  it('removing the newest rows is detected at unlock and by audit verify', async () => {
    const { dir } = await journalWithRows();
    await withKey(dir, (db) => db.exec('DELETE FROM access_log WHERE seq >= (SELECT max(seq) - 1 FROM access_log)'));
    const t = makeApp(dir);
    await t.ok('auth.login', ADMIN);
    const verify = await t.ok<{ ok: boolean; headProblem: string | null }>('audit.verify');
    expect(verify.ok).toBe(false);
    expect(verify.headProblem).toMatch(/behind|earlier/);
    const flagged = t.app.db.prepare("SELECT record FROM access_log WHERE action = 'audit.head'").all() as { record: string }[];
    expect(flagged.map((row) => row.record)).toEqual([expect.stringMatching(/^log-head:behind:/)]);
    expect(await t.ok('app.status')).toMatchObject({ logHeadProblem: true });
  });

  it('a head taken out of the keyring is detected at unlock and by audit verify', async () => {
    const { dir } = await journalWithRows();
    const file = path.join(dir, 'keyring.json');
    const keyring = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(keyring.logHead).toBeDefined();
    delete keyring.logHead;
    writeFileSync(file, JSON.stringify(keyring));
    const t = makeApp(dir);
    await t.ok('auth.login', ADMIN);
    const verify = await t.ok<{ ok: boolean; headProblem: string | null }>('audit.verify');
    expect(verify.ok).toBe(false);
    expect(verify.headProblem).toMatch(/missing|earlier/);
    const flagged = t.app.db.prepare("SELECT record FROM access_log WHERE action = 'audit.head'").all() as { record: string }[];
    expect(flagged.map((row) => row.record)).toEqual([expect.stringMatching(/^log-head:missing:/)]);
    expect(await t.ok('app.status')).toMatchObject({ logHeadProblem: true });
  });

  it('a chain rewritten with recomputed hashes is detected at unlock and by audit verify', async () => {
    const { dir } = await journalWithRows();
    await withKey(dir, (db) => {
      const rows = db.prepare('SELECT * FROM access_log ORDER BY seq').all() as Record<string, unknown>[];
      db.exec('DELETE FROM access_log');
      let prev = GENESIS_HASH;
      const insert = db.prepare(
        'INSERT INTO access_log (seq, at, user_id, client_id, record, action, channel, emergency, reason, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)',
      );
      for (const row of rows) {
        // The settings change the admin made is rewritten into something else.
        const entry: AccessLogEntry = {
          at: row.at as string,
          userId: row.user_id as string | null,
          clientId: row.client_id as string | null,
          record: String(row.record).replace('idleLockMinutes=9', 'idleLockMinutes=15'),
          action: row.action as string,
          channel: row.channel as string | null,
          emergency: row.emergency === 1,
          reason: row.reason as string | null,
        };
        const hash = hashAccessLogRow(prev, row.seq as number, entry);
        insert.run(
          row.seq,
          entry.at,
          entry.userId,
          entry.clientId,
          entry.record,
          entry.action,
          entry.channel,
          row.emergency,
          entry.reason,
          prev,
          hash,
        );
        prev = hash;
      }
    });
    const t = makeApp(dir);
    await t.ok('auth.login', ADMIN);
    const verify = await t.ok<{ ok: boolean; brokenAt: number | null; headProblem: string | null }>('audit.verify');
    // The chain itself verifies (every hash recomputed); only the head outside the journal tells.
    expect(verify.brokenAt).toBeNull();
    expect(verify.ok).toBe(false);
    expect(verify.headProblem).toMatch(/rewritten|earlier/);
  });

  it('an untouched journal verifies, and a new process agrees', async () => {
    const { dir } = await journalWithRows();
    const t = makeApp(dir);
    await t.ok('auth.login', ADMIN);
    expect(await t.ok('audit.verify')).toMatchObject({ ok: true, headProblem: null });
  });
});

describe.runIf(process.platform !== 'win32')('file modes of the data folder', () => {
  it('creates journal.db, its -wal and -shm 0600 in a 0700 folder, and fixes a world-readable one at start', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const t = await setUpWithAdmin(dir);
    await t.ok('settings.update', { idleLockMinutes: 9 });
    const mode = (file: string) => statSync(file).mode & 0o777;
    for (const suffix of ['', '-wal', '-shm']) expect(mode(journalPath(dir) + suffix), suffix).toBe(0o600);
    expect(mode(keyringPath(dir))).toBe(0o600);
    expect(mode(path.join(dir, 'login-throttle.json'))).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    await t.ok('auth.logout');
    chmodSync(journalPath(dir), 0o644);
    chmodSync(dir, 0o755);
    const again = makeApp(dir);
    expect(mode(journalPath(dir))).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    await again.ok('auth.login', ADMIN);
    const fixed = again.app.db.prepare("SELECT record FROM access_log WHERE record LIKE 'files.mode-fixed:%'").all() as { record: string }[];
    expect(fixed.map((row) => row.record).sort()).toEqual(['files.mode-fixed:.:755', 'files.mode-fixed:journal.db:644']);
  });
});
