import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAccessLogChain } from '../../db/local/accessLog.js';
import { openEncrypted, type Db } from '../../db/connection.js';
import { journalPath, loadKeyring } from '../../db/journal.js';
import { unlockWithPassword, unlockWithRecoveryCode, usernameLookup, type KeyringFile } from '../../db/keyring.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { makeApp, setUpWithAdmin, type TestApp } from '../helpers/app.js';
import { buildCrashChild, copyDataDir, independentCheck, runChild, seededRandom, type CrashChild } from '../helpers/crashProcess.js';
import { setUpReception } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

/**
 * A backup export, a restore and a password change killed (SIGKILL) at every one of their own
 * file-system steps, found by a traced run of the same operation, and at random moments in between
 * (SQLite's writes): afterwards the journal and the keyring are whole and hold the old state or the
 * new, exactly as far as the operation had come, never a mix and never neither.
 * CRASH_SEED=<n> repeats the random moments.
 */

const tempDir = useTempDirs();
let child: CrashChild;
const templates: string[] = [];
beforeAll(async () => {
  child = await buildCrashChild();
});
afterAll(() => {
  child?.dispose();
  for (const dir of templates.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder that lives as long as this file's tests: the journals every kill starts from. */
function templateDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'utvag-crash-template-'));
  templates.push(dir);
  return dir;
}

const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RANDOM_KILLS = 3;
const PASSPHRASE = 'Krocktestets fiktiva lösenfras, nummer sju';
const LATER_CLIENT = 'Efter Backupsdotter';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Tables = Record<string, unknown[]>;

/** Every row of every table but the access log, and the users without their last sign-in: the journal's content. */
function content(db: Db): Tables {
  const names = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'access_log' ORDER BY name`)
    .all() as {
    name: string;
  }[];
  const tables: Tables = Object.fromEntries(names.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
  tables.users = (tables.users as Record<string, unknown>[]).map(({ last_login_at: _signedIn, ...user }) => user);
  // The backup feature's own bookkeeping (when the last backup ran) is carried across a restore by design.
  tables.settings = (tables.settings as { key: string }[]).filter((row) => !row.key.startsWith('backup.'));
  return tables;
}

/** The database itself is whole: SQLite's check, SQLCipher's own page check, foreign keys and the log's hash chain. */
async function expectWhole(db: Db, file: string, key: Buffer): Promise<void> {
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
  expect(verifyAccessLogChain(db)).toMatchObject({ ok: true });
  expect(await independentCheck(file, key)).toEqual({ cipherProblems: [], integrity: ['ok'] });
}

type KillPoint = { pauseAt: number } | { afterMs: number } | 'done';

/**
 * Runs the operation in a child on `dir` and kills it: paused just before its n-th file-system step,
 * a number of milliseconds after it signed in, or once it answered. Returns whether it had answered.
 */
async function killDuring(mode: string, dir: string, env: Record<string, string>, point: KillPoint): Promise<{ answered: boolean; lines: string[] }> {
  const run = runChild(child.script, {
    CRASH_MODE: mode,
    DATA_DIR: dir,
    ...env,
    CRASH_PAUSE_AT: typeof point === 'object' && 'pauseAt' in point ? String(point.pauseAt) : '',
  });
  if (point === 'done') await run.waitFor(/^DONE /);
  else if ('pauseAt' in point) await run.waitFor(new RegExp(`^PAUSED ${point.pauseAt} `));
  else {
    await run.waitFor(/^READY$/);
    await sleep(point.afterMs);
  }
  await run.kill();
  expect(
    run.lines.filter((line) => line.startsWith('FAILED')),
    run.stderr(),
  ).toEqual([]);
  return { answered: run.lines.some((line) => line.startsWith('DONE ')), lines: run.lines };
}

/** The operation's file-system steps, in order, from a run on a throwaway copy; and how long it took after sign-in. */
async function traceSteps(mode: string, template: string, env: Record<string, string>): Promise<{ steps: string[]; ms: number }> {
  const dir = copyDataDir(template, tempDir());
  const run = runChild(child.script, { CRASH_MODE: mode, DATA_DIR: dir, ...env, CRASH_PAUSE_AT: 'trace' });
  await run.waitFor(/^READY$/);
  const started = performance.now();
  await run.waitFor(/^DONE /);
  const ms = performance.now() - started;
  await run.exited;
  expect(
    run.lines.filter((line) => line.startsWith('FAILED')),
    run.stderr(),
  ).toEqual([]);
  return { steps: run.lines.filter((line) => line.startsWith('STEP ')).map((line) => line.slice('STEP '.length)), ms };
}

/** The 1-based number of the first step matching, which the trace must contain. */
function stepNumber(steps: string[], pattern: RegExp): number {
  const index = steps.findIndex((step) => pattern.test(step));
  expect(index, `a step like ${pattern} in ${steps.join(', ')}`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

async function signIn(dir: string, username: string, password: string): Promise<TestApp> {
  const t = makeApp(dir);
  await t.ok('auth.login', { username, password });
  return t;
}

describe('crash safety: a password change killed at every step', () => {
  const NEW_PASSWORD = 'ett-helt-nytt-fiktivt-lösenord';
  let template: string;
  let recoveryCode: string;
  let temporary: string;

  beforeAll(async () => {
    template = templateDir();
    const t = await setUpWithAdmin(template);
    recoveryCode = t.recoveryCode;
    const created = await t.ok<{ temporaryPassword: string }>('users.create', {
      displayName: 'Tova Terapeutsdotter',
      username: 'tova.t',
      roles: ['therapist'],
    });
    temporary = created.temporaryPassword;
    t.app.lock('shutdown');
  });

  const cases = [
    { name: 'a first sign-in replacing a temporary password', username: 'tova.t', old: () => temporary, mustChangeFirst: true },
    { name: 'an admin choosing a new password', username: FICTIONAL_ADMIN.username, old: () => FICTIONAL_ADMIN.password, mustChangeFirst: false },
  ];

  for (const testCase of cases) {
    // Each call now also anchors the log's head in the keyring (more file-system steps, so more kills).
    it(`leaves the old password or the new one working, never neither: ${testCase.name}`, { timeout: 240_000 }, async () => {
      const env = { USERNAME: testCase.username, PASSWORD: testCase.old(), NEW_PASSWORD };
      const { steps } = await traceSteps('password', template, env);
      // The new key slot takes over with the keyring's rename; nothing before it may change which password opens.
      const rename = stepNumber(steps, /^\d+ rename keyring\.json\.\d+\.tmp$/);
      // After the change is committed, the log's newest row is anchored in the keyring (a second keyring
      // write): a kill from there on finds the change recorded, although the answer never went out.
      const anchored = steps.findIndex((step, index) => index >= rename && /^\d+ open keyring\.json\.\d+\.tmp$/.test(step)) + 1;
      expect(steps.filter((step) => / keyring\.json$/.test(step) && !/^\d+ fsync /.test(step))).toEqual([]);
      // The colleague's slot and the recovery slot, as they were: they must come through every kill unchanged.
      const before = loadKeyring(template);
      const others = (keyring: KeyringFile) => keyring.slots.filter((slot) => slot.lookup !== usernameLookup(keyring, testCase.username));
      expect(others(before)).toHaveLength(2);
      expect(await unlockWithRecoveryCode(before, recoveryCode)).not.toBeNull();

      const points: KillPoint[] = [...steps.map((_step, index) => ({ pauseAt: index + 1 })), 'done'];
      for (const point of points) {
        const dir = copyDataDir(template, tempDir());
        const { answered } = await killDuring('password', dir, env, point);
        const changed = point === 'done' || ('pauseAt' in point && point.pauseAt > rename);
        const where = JSON.stringify(point);

        const keyring = loadKeyring(dir);
        const byOld = await unlockWithPassword(keyring, testCase.username, testCase.old());
        const byNew = await unlockWithPassword(keyring, testCase.username, NEW_PASSWORD);
        expect({ where, old: byOld !== null, new: byNew !== null }).toEqual({ where, old: !changed, new: changed });
        // Every other slot is untouched, byte for byte: the colleague's password and the recovery code open the journal as before.
        expect(keyring.journalId, where).toBe(before.journalId);
        expect(others(keyring), where).toEqual(others(before));

        // The app signs the person in with the password that works; a temporary one must still be replaced
        // until the change was recorded in the journal, which happens after the keyring's rename.
        const t = makeApp(dir);
        const user = await t.ok<{ mustChangePassword: boolean }>('auth.login', {
          username: testCase.username,
          password: changed ? NEW_PASSWORD : testCase.old(),
        });
        const recorded = answered || (anchored > 0 && typeof point === 'object' && 'pauseAt' in point && point.pauseAt >= anchored);
        expect(user.mustChangePassword, where).toBe(testCase.mustChangeFirst && !recorded);
        const key = (byNew ?? byOld)!.key;
        await expectWhole(t.app.db, journalPath(dir), key);
        t.app.lock('shutdown');
      }
    });
  }
});

describe('crash safety: a backup export killed at every step', () => {
  let template: string;
  let out: string;
  let oldBackup: { checksum: string; counts: Record<string, number> };
  let journalBefore: Tables;
  let key: Buffer;

  beforeAll(async () => {
    template = templateDir();
    out = templateDir();
    const t = await setUpReception(template);
    for (const name of ['Export Klientsdotter', 'Export Testsson', 'Export Barnsson']) await t.newClient('victim', name);
    // Yesterday's backup under the same name: it must stay whole until the new one is complete.
    oldBackup = await t.ok('backup.export', { path: path.join(out, 'backup.db'), passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    await t.newClient('victim', LATER_CLIENT);
    journalBefore = content(t.app.db);
    t.app.lock('shutdown');
    // Every copy of the template is keyed with the same journal key.
    key = (await unlockWithPassword(loadKeyring(template), FICTIONAL_ADMIN.username, FICTIONAL_ADMIN.password))!.key;
  });

  /** A fresh data folder and backup folder, with or without an older backup under the name the export will use. */
  function fresh(withOld: boolean): { dir: string; target: string; env: Record<string, string> } {
    const dir = copyDataDir(template, tempDir());
    const target = path.join(tempDir(), 'backup.db');
    if (withOld) copyFileSync(path.join(out, 'backup.db'), target);
    return { dir, target, env: { USERNAME: FICTIONAL_ADMIN.username, PASSWORD: FICTIONAL_ADMIN.password, BACKUP_FILE: target, PASSPHRASE } };
  }

  it('never leaves a file that looks like a backup but is not one, and the journal as it was', { timeout: 300_000 }, async () => {
    const trace = fresh(false);
    const { steps, ms } = await traceSteps('export', trace.dir, trace.env);
    const rename = stepNumber(steps, /^\d+ rename backup\.db\.partial-[0-9a-f]{12}$/);
    const random = seededRandom(SEED);
    const deterministic: KillPoint[] = [...steps.map((_step, index) => ({ pauseAt: index + 1 })), 'done'];
    const runs = [
      ...deterministic.map((point) => ({ point, withOld: true })),
      ...deterministic.map((point) => ({ point, withOld: false })),
      ...Array.from({ length: RANDOM_KILLS }, () => ({ point: { afterMs: random() * ms } as KillPoint, withOld: false })),
    ];

    for (const { point, withOld } of runs) {
      const { dir, target, env } = fresh(withOld);
      const { answered } = await killDuring('export', dir, env, point);
      const where = JSON.stringify({ point, withOld });
      const t = await signIn(dir, FICTIONAL_ADMIN.username, FICTIONAL_ADMIN.password);
      try {
        // The new backup takes the name with the rename, after it was written, flushed and checked; not before.
        const renamed = answered || (typeof point === 'object' && 'pauseAt' in point && point.pauseAt > rename);
        const known = typeof point !== 'object' || 'pauseAt' in point;
        if (existsSync(target)) {
          // Under the backup's name: the older backup, whole, or the new one, whole — nothing else.
          const verified = await t.ok<{ checksum: string; counts: Record<string, number> }>('backup.verify', {
            path: target,
            passphrase: PASSPHRASE,
          });
          const isOld = withOld && verified.checksum === oldBackup.checksum;
          if (!isOld) expect(verified.counts.clients, where).toBe(oldBackup.counts.clients! + 1);
          if (known) expect(isOld, where).toBe(!renamed);
        } else {
          // No file under the name: there was none before, and the export had not come as far as its rename.
          expect(withOld, where).toBe(false);
          if (known) expect(renamed, where).toBe(false);
        }
        // An unfinished export is named as one, and refused as a backup.
        for (const name of readdirSync(path.dirname(target)).filter((file) => file !== 'backup.db')) {
          expect(name, where).toMatch(/^backup\.db\.partial-[0-9a-f]{12}(-journal)?$/);
          expect(await t.call('backup.verify', { path: path.join(path.dirname(target), name), passphrase: PASSPHRASE }), where).toMatchObject({
            ok: false,
            error: { message: 'error.backup.partial' },
          });
        }
        // The journal is as it was (an export only reads it, and logs that it did).
        expect(content(t.app.db), where).toEqual(journalBefore);
        await expectWhole(t.app.db, journalPath(dir), key);
      } finally {
        t.app.lock('shutdown');
      }
    }
  });
});

describe('crash safety: a restore killed at every step', () => {
  let template: string;
  let backupFile: string;
  let backedUp: Tables;
  let journalBefore: Tables;
  let key: Buffer;

  beforeAll(async () => {
    template = templateDir();
    const t = await setUpReception(template);
    for (const name of ['Återställ Klientsdotter', 'Återställ Testsson']) await t.newClient('victim', name);
    backupFile = path.join(templateDir(), 'backup.db');
    await t.ok('backup.export', { path: backupFile, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    backedUp = content(t.app.db);
    // Life goes on after the backup: the journal that is replaced differs from the backup.
    await t.newClient('victim', LATER_CLIENT);
    journalBefore = content(t.app.db);
    t.app.lock('shutdown');
    // The restored journal is keyed with the current key: one key opens every journal these tests leave.
    key = (await unlockWithPassword(loadKeyring(template), FICTIONAL_ADMIN.username, FICTIONAL_ADMIN.password))!.key;
  });

  const env = () => ({ USERNAME: FICTIONAL_ADMIN.username, PASSWORD: FICTIONAL_ADMIN.password, BACKUP_FILE: backupFile, PASSPHRASE });

  it('leaves the old journal or the restored one, whole, and the replaced one kept', { timeout: 300_000 }, async () => {
    const { steps, ms } = await traceSteps('restore', template, env());
    // The switch: the active journal is kept aside, then the restored one takes its name.
    const keep = stepNumber(steps, /^\d+ rename journal\.db$/);
    const put = stepNumber(steps, /^\d+ rename journal\.db\.restoring-\d{4}-\d\d-\d\d_\d{6}\.\d{3}\+0[12]00$/);
    expect(put).toBeGreaterThan(keep);
    const random = seededRandom(SEED + 1);
    const points: KillPoint[] = [
      ...steps.map((_step, index) => ({ pauseAt: index + 1 })),
      'done',
      ...Array.from({ length: RANDOM_KILLS }, () => ({ afterMs: random() * ms })),
    ];

    for (const point of points) {
      const dir = copyDataDir(template, tempDir());
      const { answered } = await killDuring('restore', dir, env(), point);
      const where = JSON.stringify(point);
      // A new start of the app on the folder: it finishes a switch the kill cut short, and signs in.
      const t = await signIn(dir, FICTIONAL_ADMIN.username, FICTIONAL_ADMIN.password);
      try {
        const now = content(t.app.db);
        const restored = now.clients!.length === backedUp.clients!.length;
        expect(now, where).toEqual(restored ? backedUp : journalBefore);
        // Once the active journal was moved aside, the restore is carried through; before that, nothing changed.
        if (typeof point !== 'object' || 'pauseAt' in point)
          expect(restored, where).toBe(answered || (typeof point === 'object' && point.pauseAt > keep));
        await expectWhole(t.app.db, journalPath(dir), key);

        const kept = readdirSync(dir).filter((name) => /^journal\.db\.before-restore-\d{4}-\d\d-\d\d_\d{6}\.\d{3}\+0[12]00$/.test(name));
        if (restored) {
          // The replaced journal is kept, whole, with everything it held.
          expect(kept, where).toHaveLength(1);
          const old = openEncrypted(path.join(dir, kept[0]!), key, { create: false });
          try {
            expect(content(old), where).toEqual(journalBefore);
            await expectWhole(old, path.join(dir, kept[0]!), key);
          } finally {
            old.close();
          }
        } else expect(kept, where).toEqual([]);

        // Whatever the kill left behind, the admin can restore again.
        await t.ok('backup.restore', { path: backupFile, passphrase: PASSPHRASE });
        expect(content(t.app.db), where).toEqual(backedUp);
        expect(existsSync(journalPath(dir))).toBe(true);
      } finally {
        t.app.lock('shutdown');
      }
    }
  });
});
