import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBackupCommand } from '../../main/cli/backup.js';
import { TerminalProgress } from '../../main/cli/progress.js';
import type { BackupProgressView } from '../../preload/contract/index.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { setUpWithAdmin, type TestApp } from '../helpers/app.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const PASSPHRASE = 'Sju fiktiva ord om en grön lampa';
/** Enough rows that hashing them takes several steps (the backup code pauses every 5,000 rows). */
const FILLER_ROWS = 12_000;

type Running = NonNullable<BackupProgressView['running']>;

/** A journal big enough to be seen working: harmless setting rows no screen reads. */
async function bigJournal(): Promise<TestApp> {
  const t = await setUpWithAdmin(tempDir());
  const db = t.app.db;
  const insert = db.prepare("INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, 'x', '2026-01-01T00:00:00.000Z', NULL)");
  db.transaction(() => {
    for (let n = 0; n < FILLER_ROWS; n += 1) insert.run(`test.filler.${n}`);
  })();
  return t;
}

/**
 * Runs one long call and, between its steps, asks what is running and tries to start another
 * operation of every kind: returns what was seen and what the second starts answered.
 */
async function watch(t: TestApp, start: () => Promise<unknown>): Promise<{ seen: Running[]; refusals: string[]; result: unknown }> {
  const seen: Running[] = [];
  const refusals: string[] = [];
  let finished = false;
  const call = start().finally(() => {
    finished = true;
  });
  const out = tempDir();
  let tries = 0;
  while (!finished) {
    const view = await t.ok<BackupProgressView>('backup.progress');
    if (view.running) seen.push(view.running);
    if (view.running && tries < 3) {
      tries += 1;
      for (const second of [
        t.call('backup.export', { path: path.join(out, `second-${tries}.db`), passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE }),
        t.call('backup.verify', { path: path.join(out, 'none.db'), passphrase: PASSPHRASE }),
        t.call('backup.restore', { path: path.join(out, 'none.db'), passphrase: PASSPHRASE }),
      ]) {
        const answer = await second;
        refusals.push(answer.ok ? 'answered' : `${answer.error.code}:${answer.error.message}`);
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { seen, refusals, result: await call };
}

function phases(seen: Running[]): string[] {
  return seen.map((running) => running.phase).filter((phase, index, all) => all.indexOf(phase) === index);
}

describe('long backup work shows its progress, one operation at a time', () => {
  it('export, verify and restore report their phases with counts, refuse a second start, and end with nothing running', async () => {
    const t = await bigJournal();
    const file = path.join(tempDir(), 'progress.db');
    expect(await t.ok<BackupProgressView>('backup.progress')).toEqual({ running: null });

    const exported = await watch(t, () =>
      t.ok<{ counts: Record<string, number> }>('backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE }),
    );
    const rows = Object.values((exported.result as { counts: Record<string, number> }).counts).reduce((a, b) => a + b, 0);
    expect(rows).toBeGreaterThan(FILLER_ROWS);
    expect(exported.seen.every((running) => running.kind === 'export')).toBe(true);
    expect(phases(exported.seen)).toEqual(expect.arrayContaining(['sealing', 'checkingPages']));
    const sealing = exported.seen.filter((running) => running.phase === 'sealing');
    expect(sealing.every((running) => running.total === rows && running.done <= rows)).toBe(true);
    expect(sealing.some((running) => running.done >= 5000 && running.done < rows)).toBe(true);
    // Every second start was refused with the busy message, never queued: no second backup was written.
    expect(exported.refusals.length).toBeGreaterThan(0);
    expect(new Set(exported.refusals)).toEqual(new Set(['CONFLICT:error.backup.busy']));
    expect(await t.ok<BackupProgressView>('backup.progress')).toEqual({ running: null });

    const verified = await watch(t, () => t.ok('backup.verify', { path: file, passphrase: PASSPHRASE }));
    expect(verified.seen.every((running) => running.kind === 'verify')).toBe(true);
    // The log's own stage pauses only every 5,000 log rows: this journal's log is shorter, so it passes unseen.
    expect(phases(verified.seen)).toEqual(expect.arrayContaining(['checkingPages', 'hashing']));
    const hashing = verified.seen.filter((running) => running.phase === 'hashing');
    expect(hashing.every((running) => running.total === rows && running.done <= rows)).toBe(true);
    expect(hashing.some((running) => running.done > 0 && running.done < rows)).toBe(true);
    expect(new Set(verified.refusals)).toEqual(new Set(['CONFLICT:error.backup.busy']));

    const restored = await watch(t, () => t.ok('backup.restore', { path: file, passphrase: PASSPHRASE }));
    expect(restored.seen.every((running) => running.kind === 'restore')).toBe(true);
    expect(phases(restored.seen)).toEqual(expect.arrayContaining(['hashing']));
    expect(new Set(restored.refusals)).toEqual(new Set(['CONFLICT:error.backup.busy']));
    // The restore signed everyone out; signed in again, nothing is running and a new export starts.
    await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    expect(await t.ok<BackupProgressView>('backup.progress')).toEqual({ running: null });
  });

  it('a run started by hand during an export is refused, and the timer leaves its run for the next check', async () => {
    const t = await bigJournal();
    const automatic = tempDir();
    await t.ok('backup.schedule.update', {
      enabled: true,
      folder: automatic,
      intervalHours: 6,
      keep: 3,
      passphrase: PASSPHRASE,
      passphraseRepeat: PASSPHRASE,
    });
    const exporting = t.ok('backup.export', { path: path.join(tempDir(), 'manual.db'), passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    // Past the synchronous copy: the export is between its steps.
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if ((await t.ok<BackupProgressView>('backup.progress')).running?.phase !== 'starting') break;
    }
    const runNow = await t.call('backup.runNow');
    expect(runNow.ok ? 'answered' : `${runNow.error.code}:${runNow.error.message}`).toBe('CONFLICT:error.backup.busy');
    expect(await t.app.backups.runIfDue()).toBe(false);
    await exporting;
    expect(readdirSync(automatic)).toEqual([]);
    // Free again: the due run happens, shown as an automatic run while it goes.
    const due = t.app.backups.runIfDue();
    expect((await t.ok<BackupProgressView>('backup.progress')).running?.kind).toBe('automatic');
    expect(await due).toBe(true);
    expect(readdirSync(automatic).filter((name) => name.endsWith('.db'))).toHaveLength(1);
  });

  it('a refused or failed operation leaves nothing running, so the next one starts', async () => {
    const t = await setUpWithAdmin(tempDir());
    const missing = await t.call('backup.verify', { path: path.join(tempDir(), 'absent.db'), passphrase: PASSPHRASE });
    expect(missing.ok).toBe(false);
    const badFolder = await t.call('backup.export', {
      path: path.join(tempDir(), 'no', 'such.db'),
      passphrase: PASSPHRASE,
      passphraseRepeat: PASSPHRASE,
    });
    expect(badFolder.ok).toBe(false);
    expect(await t.ok<BackupProgressView>('backup.progress')).toEqual({ running: null });
    await t.ok('backup.export', { path: path.join(tempDir(), 'next.db'), passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    expect(await t.ok<BackupProgressView>('backup.progress')).toEqual({ running: null });
  });

  it('is for admins only', async () => {
    const t = await setUpWithAdmin(tempDir());
    await t.ok('auth.logout');
    const answer = await t.call('backup.progress');
    expect(answer.ok).toBe(false);
  });
});

describe('the backup commands on a terminal', () => {
  it('draw one updating progress line on stderr when it is a terminal, and write nothing there when piped', async () => {
    const t = await bigJournal();
    const dir = t.app.dataDir;
    t.app.lock('shutdown');
    const env = { UTVAG_PASSWORD: FICTIONAL_ADMIN.password, UTVAG_BACKUP_PASSPHRASE: PASSPHRASE };
    const file = path.join(tempDir(), 'cli.db');
    const values = { 'data-dir': dir, as: FICTIONAL_ADMIN.username, out: file, in: file };
    const streams = (isTTY: boolean) => {
      const written: string[] = [];
      return { written, stream: { isTTY, columns: 100, write: (text: string) => written.push(text) } };
    };

    const piped = streams(false);
    const pipedOut: string[] = [];
    await runBackupCommand('export', values, env, (line) => pipedOut.push(line), undefined, new TerminalProgress(piped.stream, 1));
    await runBackupCommand('verify', values, env, (line) => pipedOut.push(line), undefined, new TerminalProgress(piped.stream, 1));
    expect(piped.written).toEqual([]);
    expect(pipedOut.join('\n')).toMatch(/Backup written and verified[\s\S]*The backup is whole/);

    const tty = streams(true);
    const ttyOut: string[] = [];
    await runBackupCommand('verify', values, env, (line) => ttyOut.push(line), undefined, new TerminalProgress(tty.stream, 1));
    // The answer on stdout is the same as when piped; the progress went to the other stream only.
    expect(ttyOut.join('\n')).toMatch(/The backup is whole/);
    expect(ttyOut.join('\n')).not.toMatch(/Checking rows/);
    expect(tty.written.length).toBeGreaterThan(1);
    expect(tty.written.at(-1)).toBe('\n');
    expect(tty.written.slice(0, -1).every((text) => text.startsWith('\r') && !text.includes('\n'))).toBe(true);
    expect(tty.written.join('')).toMatch(/Checking rows: [\d ]+ of [\d ]+ \(\d+ %\)/);
    expect(tty.written.join('')).not.toContain(PASSPHRASE);
  });
});
