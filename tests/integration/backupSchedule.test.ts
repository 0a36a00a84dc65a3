/**
 * Issue 6, automatic backups: the schedule, the runs, the status and its warning, pruning to the
 * newest N of the app's own files, and the passphrase that is kept for unattended runs but never
 * leaves the encrypted journal. Real encrypted journals and real backup files in temp folders; the
 * clock is the app's injectable one, so no test waits for time to pass.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { verifyAccessLogChain } from '../../db/local/accessLog.js';
import { createLogger } from '../../main/log.js';
import { createHandlers, createRouter } from '../../main/router.js';
import { verifyBackup } from '../../main/services/backup.js';
import { backupFileName, instantOfBackupName, listAutomaticBackups } from '../../main/services/backupSchedule.js';
import { JournalApp } from '../../main/services/session/index.js';
import type { BackupStatusView, Result } from '../../preload/contract/index.js';
import { intakeInput } from '../fixtures/intake.js';
import { FICTIONAL_ADMIN, FICTIONAL_CLIENTS } from '../fixtures/people.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();

const SCHEDULE_PASSPHRASE = 'Schemalagda fiktiva ord för natten';
const EXPORT_PASSPHRASE = 'Manuell export med helt andra ord';
const HOUR = 3_600_000;
const START = Date.parse('2031-03-03T08:00:00.000Z');

interface LogRow {
  seq: number;
  user_id: string | null;
  action: string;
  channel: string | null;
  record: string | null;
}

/** The real app and router on a real journal, with a clock the test moves by hand and a log whose lines are kept. */
async function clockedJournal(dataDir: string) {
  const clock = { now: START };
  const logLines: string[] = [];
  const app = new JournalApp({ dataDir, sleep: async () => {}, now: () => new Date(clock.now), log: createLogger((line) => logLines.push(line)) });
  const router = createRouter(app);
  const call = <T>(channel: string, input: unknown = {}) => router.invoke(channel, input) as Promise<Result<T>>;
  const ok = async <T>(channel: string, input: unknown = {}) => {
    const result = await call<T>(channel, input);
    if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
    return result.value;
  };
  await ok('auth.setup', { ...FICTIONAL_ADMIN, passwordRepeat: FICTIONAL_ADMIN.password });
  const adminId = app.user!.id;
  // The admin also takes the reception role, so that there is a client in the journal to back up.
  app.db.prepare(`INSERT INTO user_roles (user_id, role) VALUES (?, 'receptionist')`).run(adminId);
  await ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
  await ok('intake.register', intakeInput('victim', FICTIONAL_CLIENTS[0]!.name));
  const backupDir = tempDir();
  return {
    app,
    call,
    ok,
    clock,
    adminId,
    logLines,
    backupDir,
    advanceHours(hours: number) {
      clock.now += hours * HOUR;
    },
    status: () => ok<BackupStatusView>('backup.status'),
    schedule: (changes: Record<string, unknown> = {}) =>
      call<BackupStatusView>('backup.schedule.update', {
        enabled: true,
        folder: backupDir,
        intervalHours: 6,
        keep: 3,
        passphrase: SCHEDULE_PASSPHRASE,
        passphraseRepeat: SCHEDULE_PASSPHRASE,
        ...changes,
      }),
    logRows: (from = 0) =>
      app.db.prepare('SELECT seq, user_id, action, channel, record FROM access_log WHERE seq > ? ORDER BY seq').all(from) as LogRow[],
    lastSeq: () => (app.db.prepare('SELECT coalesce(max(seq), 0) AS n FROM access_log').get() as { n: number }).n,
  };
}

const backupsIn = (folder: string) => listAutomaticBackups(folder).map((entry) => entry.name);

describe('automatic backups', () => {
  it('names its files by Swedish local time with the offset, and reads the instant back from the name only', () => {
    const winter = new Date('2031-03-03T08:00:00.000Z');
    expect(backupFileName(winter)).toBe('utvag-backup-2031-03-03_090000+0100.db');
    expect(backupFileName(new Date('2031-07-01T08:00:00.000Z'))).toBe('utvag-backup-2031-07-01_100000+0200.db');
    expect(backupFileName(winter, 2)).toBe('utvag-backup-2031-03-03_090000+0100-2.db');
    expect(instantOfBackupName('utvag-backup-2031-03-03_090000+0100.db')).toBe(winter.getTime());
    // The autumn hour that happens twice: the two names differ by their offset and sort by their real instant.
    const first = instantOfBackupName(backupFileName(new Date('2031-10-26T00:30:00.000Z')))!;
    const second = instantOfBackupName(backupFileName(new Date('2031-10-26T01:10:00.000Z')))!;
    expect(second - first).toBe(40 * 60_000);
    for (const other of [
      'utvag-backup-2031-03-03_090000+0100.db.partial-0a1b2c',
      'utvag-backup-2031-03-03_090000+0100.db-journal',
      'utvag-backup-2031-03-03_090000+0100.db.bak',
      'kopia-utvag-backup-2031-03-03_090000+0100.db',
      'utvag-backup-notes.db',
    ]) {
      expect(instantOfBackupName(other), other).toBeNull();
    }
  });

  it('is due at once when switched on, and then once per interval; each run leaves a verified backup in the folder', async () => {
    const j = await clockedJournal(tempDir());
    expect((await j.status()).warning).toBe('never');
    const saved = (await j.schedule()).ok ? await j.status() : null;
    // The folder is stored as its real path (a link or a relative path resolved once, when it is checked).
    expect(saved?.schedule).toEqual({ enabled: true, folder: realpathSync(j.backupDir), intervalHours: 6, keep: 3, passphraseStored: true });
    expect(saved?.nextRunAt).toBe(new Date(START).toISOString());

    expect(await j.app.backups.runIfDue()).toBe(true);
    expect(backupsIn(j.backupDir)).toEqual(['utvag-backup-2031-03-03_090000+0100.db']);
    const status = await j.status();
    expect(status.lastAttempt).toEqual({ at: new Date(START).toISOString(), ok: true, error: null });
    expect(status.lastAutomatic).toMatchObject({ at: new Date(START).toISOString(), file: 'utvag-backup-2031-03-03_090000+0100.db', verified: true });
    expect(status.lastAutomatic!.bytes).toBeGreaterThan(0);
    expect(status.warning).toBeNull();
    expect(status.lastGoodAt).toBe(new Date(START).toISOString());
    expect(status.nextRunAt).toBe(new Date(START + 6 * HOUR).toISOString());

    // The file is a complete backup that opens with the schedule's passphrase and holds the client.
    const verified = await verifyBackup(path.join(j.backupDir, 'utvag-backup-2031-03-03_090000+0100.db'), SCHEDULE_PASSPHRASE);
    expect(verified.ok).toBe(true);
    if (verified.ok) {
      expect(verified.counts.clients).toBe(1);
      expect(verified.createdAt).toBe(new Date(START).toISOString());
    }

    // Not due again until the interval has passed.
    expect(await j.app.backups.runIfDue()).toBe(false);
    j.advanceHours(5.9);
    expect(await j.app.backups.runIfDue()).toBe(false);
    j.advanceHours(0.1);
    expect(await j.app.backups.runIfDue()).toBe(true);
    expect(backupsIn(j.backupDir)).toEqual(['utvag-backup-2031-03-03_150000+0100.db', 'utvag-backup-2031-03-03_090000+0100.db']);

    // Switched off: nothing is due, however long it has been.
    await j.ok('backup.schedule.update', { enabled: false, folder: j.backupDir, intervalHours: 6, keep: 3, passphrase: '', passphraseRepeat: '' });
    j.advanceHours(100);
    expect(await j.app.backups.runIfDue()).toBe(false);
    expect((await j.status()).nextRunAt).toBeNull();
  });

  it('keeps the newest N of its own backups and never touches another file; partial files never count', async () => {
    const j = await clockedJournal(tempDir());
    const folder = j.backupDir;
    // Files that are not the schedule's finished backups, each of which must survive every run.
    const foreign = {
      notes: path.join(folder, 'anteckningar.txt'),
      otherDb: path.join(folder, 'annan-databas.db'),
      lookalike: path.join(folder, 'utvag-backup-2020-01-01_000000+0100.db.bak'),
      manual: path.join(folder, 'utvag-2031-03-01.db'),
      youngPartial: path.join(folder, 'utvag-backup-2031-03-03_100000+0100.db.partial-0a1b2c'),
    };
    for (const file of Object.values(foreign)) writeFileSync(file, 'inte en säkerhetskopia');
    // A link named like an old backup: not a file of ours, so neither counted nor removed (nor what it points to).
    const target = path.join(tempDir(), 'mal.db');
    writeFileSync(target, 'länkens mål');
    const link = path.join(folder, 'utvag-backup-2019-01-01_000000+0100.db');
    symlinkSync(target, link);
    // An unfinished file of ours from a run interrupted two days ago is cleared away (file ages go by the file system's clock).
    const stalePartial = path.join(folder, 'utvag-backup-2031-03-01_090000+0100.db.partial-deadbeef');
    writeFileSync(stalePartial, 'avbruten');
    const twoDaysAgo = new Date(Date.now() - 48 * HOUR);
    utimesSync(stalePartial, twoDaysAgo, twoDaysAgo);

    expect((await j.schedule({ keep: 3 })).ok).toBe(true);
    for (let run = 0; run < 5; run += 1) {
      expect(await j.app.backups.runIfDue()).toBe(true);
      j.advanceHours(6);
    }
    expect(backupsIn(folder)).toEqual([
      'utvag-backup-2031-03-04_090000+0100.db',
      'utvag-backup-2031-03-04_030000+0100.db',
      'utvag-backup-2031-03-03_210000+0100.db',
    ]);
    for (const file of [...Object.values(foreign), link, target]) expect(existsSync(file), file).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('länkens mål');
    expect(existsSync(stalePartial)).toBe(false);
    expect(readdirSync(folder).filter((name) => name.includes('.partial-'))).toEqual([path.basename(foreign.youngPartial)]);
    expect((await j.status()).lastAutomatic?.file).toBe('utvag-backup-2031-03-04_090000+0100.db');

    // Keeping fewer takes effect at the next run: only the newest one stays.
    await j.schedule({ keep: 1, passphrase: '', passphraseRepeat: '' });
    expect(await j.app.backups.runIfDue()).toBe(true);
    expect(backupsIn(folder)).toEqual(['utvag-backup-2031-03-04_150000+0100.db']);
  });

  it('records a failure with a clear message key, warns, retries after an hour rather than every minute, and recovers', async () => {
    const j = await clockedJournal(tempDir());
    const folder = path.join(j.backupDir, 'usb');
    mkdirSync(folder);
    expect((await j.schedule({ folder })).ok).toBe(true);
    // The disk is gone before the first run.
    rmSync(folder, { recursive: true });
    const before = j.lastSeq();
    expect(await j.app.backups.runIfDue()).toBe(true);
    let status = await j.status();
    expect(status.lastAttempt).toEqual({ at: new Date(START).toISOString(), ok: false, error: 'error.backup.folderMissing' });
    expect(status.lastAutomatic).toBeNull();
    expect(status.warning).toBe('never');
    // The failure is in the access log, as the app's own action, naming no path.
    expect(j.logRows(before)).toEqual([
      expect.objectContaining({ user_id: null, action: 'backup.export', record: 'backup:auto:failed:folderMissing' }),
    ]);
    expect(JSON.stringify(j.logRows(before))).not.toContain(j.backupDir);
    expect(j.logLines.join('\n')).not.toContain(j.backupDir);

    // Not retried every minute…
    j.advanceHours(0.5);
    expect(await j.app.backups.runIfDue()).toBe(false);
    expect((await j.status()).nextRunAt).toBe(new Date(START + HOUR).toISOString());
    // …but after an hour; the disk is back, so this one works.
    j.advanceHours(0.5);
    mkdirSync(folder);
    expect(await j.app.backups.runIfDue()).toBe(true);
    status = await j.status();
    expect(status.lastAttempt).toMatchObject({ ok: true, error: null });
    expect(status.warning).toBeNull();
    expect(backupsIn(folder)).toHaveLength(1);

    // Later runs that fail keep the last good backup in the status, and the warning comes once it is older than twice the interval.
    rmSync(folder, { recursive: true });
    j.advanceHours(6);
    expect(await j.app.backups.runIfDue()).toBe(true);
    status = await j.status();
    expect(status.lastAttempt?.ok).toBe(false);
    expect(status.lastAutomatic?.at).toBe(new Date(START + HOUR).toISOString());
    expect(status.warning).toBeNull();
    j.advanceHours(6.1);
    status = await j.status();
    expect(status.staleAfterHours).toBe(12);
    expect(status.warning).toBe('tooOld');
  });

  it('warns after eight days when the schedule is off, and counts a manual export as a good backup', async () => {
    const j = await clockedJournal(tempDir());
    expect(await j.status()).toMatchObject({ warning: 'never', lastGoodAt: null, staleAfterHours: 192, nextRunAt: null });
    await j.ok('backup.export', {
      path: path.join(j.backupDir, 'manuell.db'),
      passphrase: EXPORT_PASSPHRASE,
      passphraseRepeat: EXPORT_PASSPHRASE,
    });
    expect(await j.status()).toMatchObject({
      warning: null,
      lastManualExportAt: new Date(START).toISOString(),
      lastGoodAt: new Date(START).toISOString(),
    });
    j.advanceHours(8 * 24);
    expect((await j.status()).warning).toBeNull();
    j.advanceHours(1);
    expect((await j.status()).warning).toBe('tooOld');
    // A manual export is not one of the schedule's files: pruning never removes it.
    expect(await j.schedule({ keep: 1 }).then((result) => result.ok)).toBe(true);
    await j.app.backups.runIfDue();
    j.advanceHours(6);
    await j.app.backups.runIfDue();
    expect(existsSync(path.join(j.backupDir, 'manuell.db'))).toBe(true);
    expect(backupsIn(j.backupDir)).toHaveLength(1);
  });

  it('refuses a schedule that could not run, next to the field, and keeps the stored passphrase when none is typed', async () => {
    const j = await clockedJournal(tempDir());
    const refusal = async (changes: Record<string, unknown>) => {
      const result = await j.schedule(changes);
      return result.ok ? null : result.error.fields;
    };
    expect(await refusal({ folder: '' })).toEqual({ folder: 'error.backup.folderRequired' });
    expect(await refusal({ folder: path.join(j.backupDir, 'finns-inte') })).toEqual({ folder: 'error.backup.folderMissing' });
    expect(await refusal({ folder: path.join(j.app.dataDir) })).toEqual({ folder: 'error.backup.insideDataDir' });
    expect(await refusal({ passphrase: 'kort', passphraseRepeat: 'kort' })).toEqual({ passphrase: 'error.backup.weakPassphrase' });
    expect(await refusal({ passphraseRepeat: `${SCHEDULE_PASSPHRASE}!` })).toEqual({ passphraseRepeat: 'error.backup.passphraseMismatch' });
    // Switching on without any stored passphrase needs one.
    expect(await refusal({ passphrase: '', passphraseRepeat: '' })).toEqual({ passphrase: 'error.backup.schedulePassphraseRequired' });
    expect((await j.status()).schedule).toEqual({ enabled: false, folder: '', intervalHours: 24, keep: 7, passphraseStored: false });

    expect((await j.schedule()).ok).toBe(true);
    // Saved again without a passphrase: the stored one stays, and the runs still use it.
    expect((await j.schedule({ intervalHours: 12, passphrase: '', passphraseRepeat: '' })).ok).toBe(true);
    expect((await j.status()).schedule).toMatchObject({ intervalHours: 12, passphraseStored: true });
    expect(await j.app.backups.runIfDue()).toBe(true);
    const file = path.join(j.backupDir, (await j.status()).lastAutomatic!.file);
    expect((await verifyBackup(file, SCHEDULE_PASSPHRASE)).ok).toBe(true);

    // Run-now needs a schedule to run to.
    const empty = await clockedJournal(tempDir());
    expect(await empty.call('backup.runNow')).toEqual({ ok: false, error: { code: 'CONFLICT', message: 'error.backup.scheduleNotSet' } });
  });

  it('never returns the passphrase, never logs it, and leaves it out of every backup; a restore keeps the schedule', async () => {
    const j = await clockedJournal(tempDir());
    expect((await j.schedule()).ok).toBe(true);
    const answers = [
      await j.schedule({ passphrase: '', passphraseRepeat: '' }),
      await j.call('backup.status'),
      await j.call('backup.runNow'),
      await j.call('settings.get'),
      await j.call('app.status'),
    ];
    for (const answer of answers) expect(answer.ok).toBe(true);
    expect(JSON.stringify(answers)).not.toContain(SCHEDULE_PASSPHRASE);
    expect(j.logLines.length).toBeGreaterThan(0);
    expect(j.logLines.join('\n')).not.toContain(SCHEDULE_PASSPHRASE);
    const logText = JSON.stringify(j.app.db.prepare('SELECT * FROM access_log').all());
    expect(logText).not.toContain(SCHEDULE_PASSPHRASE);
    expect(logText).not.toContain(j.backupDir);

    // A manual backup, opened with its own passphrase (the way the stock tool would), holds the schedule but not its passphrase.
    const manual = path.join(j.backupDir, 'manuell.db');
    await j.ok('backup.export', { path: manual, passphrase: EXPORT_PASSPHRASE, passphraseRepeat: EXPORT_PASSPHRASE });
    const automatic = path.join(j.backupDir, (await j.status()).lastAutomatic!.file);
    for (const [file, passphrase] of [
      [manual, EXPORT_PASSPHRASE],
      [automatic, SCHEDULE_PASSPHRASE],
    ] as const) {
      const db = new Database(file, { readonly: true });
      try {
        db.pragma(`cipher = 'sqlcipher'`);
        db.pragma('legacy = 4');
        db.pragma(`key = '${passphrase}'`);
        const keys = (db.prepare('SELECT key FROM settings ORDER BY key').all() as { key: string }[]).map((row) => row.key);
        expect(keys, file).toContain('backup.schedule');
        expect(keys, file).not.toContain('backup.schedule.passphrase');
        expect(JSON.stringify(db.prepare('SELECT * FROM settings').all())).not.toContain(SCHEDULE_PASSPHRASE);
      } finally {
        db.close();
      }
    }

    // Restoring an older backup keeps this installation's schedule, passphrase and status.
    await j.schedule({ intervalHours: 12, keep: 5, passphrase: '', passphraseRepeat: '' });
    const beforeRestore = await j.status();
    j.advanceHours(1);
    const restored = await j.ok<{ signedOut: boolean }>('backup.restore', { path: manual, passphrase: EXPORT_PASSPHRASE });
    expect(restored.signedOut).toBe(false);
    const after = await j.status();
    expect(after.schedule).toEqual({ ...beforeRestore.schedule, intervalHours: 12, keep: 5, passphraseStored: true });
    expect(after.lastAutomatic).toEqual(beforeRestore.lastAutomatic);
    j.advanceHours(12);
    expect(await j.app.backups.runIfDue()).toBe(true);
    expect((await verifyBackup(path.join(j.backupDir, (await j.status()).lastAutomatic!.file), SCHEDULE_PASSPHRASE)).ok).toBe(true);
  });

  it('writes the access log: the timer as the app itself, run-now as the admin, and the chain still verifies', async () => {
    const j = await clockedJournal(tempDir());
    expect((await j.schedule()).ok).toBe(true);
    const before = j.lastSeq();
    await j.app.backups.runIfDue();
    const timerRows = j.logRows(before);
    expect(timerRows.map((row) => [row.user_id, row.action, row.channel])).toEqual([
      [null, 'backup.export', null],
      [null, 'backup.export', null],
    ]);
    expect(timerRows[0]!.record).toMatch(/^backup:auto:rows=\d+$/);
    expect(timerRows[1]!.record).toMatch(/^backup:auto:verified:rows=\d+:kept=1:removed=0$/);

    const beforeNow = j.lastSeq();
    j.advanceHours(1);
    const answer = await j.ok<BackupStatusView>('backup.runNow');
    expect(answer.lastAttempt).toMatchObject({ at: new Date(START + HOUR).toISOString(), ok: true });
    const nowRows = j.logRows(beforeNow);
    expect(nowRows.map((row) => [row.user_id, row.action, row.channel])).toEqual([
      [j.adminId, 'backup.runNow', 'backup.runNow'],
      [j.adminId, 'backup.runNow', 'backup.runNow'],
    ]);
    expect(nowRows[1]!.record).toMatch(/^backup:auto:verified:rows=\d+:kept=2:removed=0$/);
    expect(verifyAccessLogChain(j.app.db)).toEqual({ ok: true, rows: j.lastSeq() });
  });

  it('runs only while the journal is open, never twice at once, and records nothing in a journal that locked meanwhile', async () => {
    const dataDir = tempDir();
    const j = await clockedJournal(dataDir);
    expect((await j.schedule()).ok).toBe(true);

    // A run under way is joined by run-now, not started a second time.
    const timerRun = j.app.backups.runIfDue();
    expect(j.app.backups.running).toBe(true);
    expect(await j.app.backups.runIfDue()).toBe(false);
    const before = j.lastSeq();
    const joined = await j.ok<BackupStatusView>('backup.runNow');
    expect(await timerRun).toBe(true);
    expect(joined.running).toBe(false);
    expect(joined.lastAttempt?.ok).toBe(true);
    expect(backupsIn(j.backupDir)).toHaveLength(1);
    expect(j.logRows(before).map((row) => row.record)).toContain('backup:auto:joined');

    // Locked, the journal is closed and the key is gone: nothing runs, however overdue.
    j.app.lock('user');
    j.advanceHours(24);
    expect(await j.app.backups.runIfDue()).toBe(false);
    await j.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });

    // A run whose journal locks after the copy finishes its file, but records nothing in the next session's journal.
    const interrupted = j.app.backups.runIfDue();
    j.app.lock('user');
    expect(await interrupted).toBe(true);
    expect(backupsIn(j.backupDir)).toHaveLength(2);
    const newest = path.join(j.backupDir, backupsIn(j.backupDir)[0]!);
    expect((await verifyBackup(newest, SCHEDULE_PASSPHRASE)).ok).toBe(true);
    await j.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    expect((await j.status()).lastAutomatic?.at).toBe(new Date(START).toISOString());
    expect(j.logRows(0).filter((row) => row.record?.startsWith('backup:auto:rows='))).toHaveLength(2);
  });

  it('answers the file dialog channel as unavailable without a desktop shell, and never opens a dialog for a probe', async () => {
    const dataDir = tempDir();
    const j = await clockedJournal(dataDir);
    // The harness and the CLI have no system dialog: the screen keeps to typed paths.
    expect(await j.ok('backup.chooseFile', { purpose: 'probe' })).toEqual({ available: false, path: null, label: null });
    expect(await j.ok('backup.chooseFile', { purpose: 'backupFile' })).toEqual({ available: false, path: null, label: null });
    // With the desktop shell's dialog (stood in for here: Electron cannot run in tests), a probe opens nothing.
    const opened: string[] = [];
    const desktop = createRouter(
      j.app,
      createHandlers({
        chooseFile: async (purpose) => {
          opened.push(purpose);
          return purpose === 'backupFolder' ? j.backupDir : null;
        },
      }),
    );
    expect(await desktop.invoke('backup.chooseFile', { purpose: 'probe' })).toEqual({
      ok: true,
      value: { available: true, path: null, label: null },
    });
    expect(opened).toEqual([]);
    // The renderer gets the chosen path to show, and an opaque token to send back in its place (see backupDesktopPaths.test.ts).
    expect(await desktop.invoke('backup.chooseFile', { purpose: 'backupFolder' })).toEqual({
      ok: true,
      value: { available: true, path: expect.stringMatching(/^dialog:[0-9a-f]{32}$/), label: j.backupDir },
    });
    expect(await desktop.invoke('backup.chooseFile', { purpose: 'existingBackup' })).toEqual({
      ok: true,
      value: { available: true, path: null, label: null },
    });
    expect(opened).toEqual(['backupFolder', 'existingBackup']);
    // Only admins may open it.
    j.app.lock('user');
    expect(await desktop.invoke('backup.chooseFile', { purpose: 'backupFile' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(opened).toHaveLength(2);
  });

  it('starts its timer when the journal opens and stops it when the journal locks', async () => {
    const dataDir = tempDir();
    const app = new JournalApp({ dataDir, sleep: async () => {}, backupCheckEveryMs: 60_000 });
    const router = createRouter(app);
    expect(app.backups.timerRunning).toBe(false);
    await router.invoke('auth.setup', { ...FICTIONAL_ADMIN, passwordRepeat: FICTIONAL_ADMIN.password });
    expect(app.backups.timerRunning).toBe(true);
    app.lock('user');
    expect(app.backups.timerRunning).toBe(false);
    await router.invoke('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    expect(app.backups.timerRunning).toBe(true);
    app.lock('shutdown');
    expect(app.backups.timerRunning).toBe(false);
    // The command line's journal has no timer at all.
    const cli = new JournalApp({ dataDir, sleep: async () => {} });
    await createRouter(cli).invoke('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    expect(cli.isUnlocked).toBe(true);
    expect(cli.backups.timerRunning).toBe(false);
    cli.lock('shutdown');
  });
});
