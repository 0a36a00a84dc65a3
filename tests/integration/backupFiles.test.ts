import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHandlers, createRouter } from '../../main/router.js';
import type { Result } from '../../preload/contract/index.js';
import { FICTIONAL_CLIENTS } from '../fixtures/people.js';
import { setUpReception } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

/**
 * Issue #12, point 6 (backups): the files backups and restores leave behind get an admin clean-up,
 * every backup-related file is private to its owner (0600), and in the desktop app backup paths
 * come only from the main process's own file dialog.
 */

const tempDir = useTempDirs();
const PASSPHRASE = 'Nio påhittade ord om filer och mappar';
const [VICTIM] = FICTIONAL_CLIENTS as [(typeof FICTIONAL_CLIENTS)[0]];
const mode = (file: string) => statSync(file).mode & 0o777;
const onPosix = process.platform !== 'win32';

interface Leftover {
  id: string;
  kind: string;
  name: string;
  bytes: number;
  modifiedAt: string;
}

describe('files of backups and restores', () => {
  it.runIf(onPosix)(
    'are private (0600): exports, automatic backups, the restored journal and the kept one',
    async () => {
      const dataDir = tempDir();
      const out = tempDir();
      const t = await setUpReception(dataDir);
      await t.newClient('victim', VICTIM.name);
      const file = path.join(out, 'backup.db');
      await t.ok('backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
      expect(mode(file)).toBe(0o600);
      // Overwriting an existing file of looser mode: the new backup replaces it, private.
      writeFileSync(path.join(out, 'again.db'), 'old');
      await t.ok('backup.export', { path: path.join(out, 'again.db'), passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
      expect(mode(path.join(out, 'again.db'))).toBe(0o600);

      const auto = tempDir();
      await t.ok('backup.schedule.update', {
        enabled: true,
        folder: auto,
        intervalHours: 24,
        keep: 3,
        passphrase: PASSPHRASE,
        passphraseRepeat: PASSPHRASE,
      });
      await t.ok('backup.runNow');
      const made = readdirSync(auto);
      expect(made).toHaveLength(1);
      expect(mode(path.join(auto, made[0]!))).toBe(0o600);

      const restored = await t.ok<{ keptAs: string }>('backup.restore', { path: file, passphrase: PASSPHRASE });
      expect(mode(path.join(dataDir, 'journal.db'))).toBe(0o600);
      expect(mode(path.join(dataDir, restored.keptAs))).toBe(0o600);
    },
    60_000,
  );

  it('lists kept journals and unfinished backups with sizes and times, and removes only the chosen ones, logged', async () => {
    const dataDir = tempDir();
    const out = tempDir();
    const auto = tempDir();
    const t = await setUpReception(dataDir);
    await t.newClient('victim', VICTIM.name);
    const file = path.join(out, 'backup.db');
    await t.ok('backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    await t.ok('backup.schedule.update', {
      enabled: true,
      folder: auto,
      intervalHours: 24,
      keep: 3,
      passphrase: PASSPHRASE,
      passphraseRepeat: PASSPHRASE,
    });
    expect(await t.ok<{ items: Leftover[] }>('backup.leftovers.list')).toEqual({ items: [] });

    // Two restores keep two journals; an interrupted restore and an interrupted run leave their files; others are never listed.
    const first = await t.ok<{ keptAs: string }>('backup.restore', { path: file, passphrase: PASSPHRASE });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await t.ok<{ keptAs: string }>('backup.restore', { path: file, passphrase: PASSPHRASE });
    writeFileSync(path.join(dataDir, 'journal.db.restoring-2031-01-01T00-00-00-000Z'), Buffer.alloc(8192));
    const partial = 'utvag-backup-2031-01-01_000000+0100.db.partial-0a1b2c';
    writeFileSync(path.join(auto, partial), Buffer.alloc(4096));
    utimesSync(path.join(auto, partial), new Date('2031-01-01T00:00:00Z'), new Date('2031-01-01T00:00:00Z'));
    writeFileSync(path.join(auto, 'anteckningar.txt'), 'not ours');
    writeFileSync(path.join(dataDir, 'journal.db.kopia'), 'not ours either');

    const listed = (await t.ok<{ items: Leftover[] }>('backup.leftovers.list')).items;
    expect(listed.map((item) => [item.kind, item.name]).sort()).toEqual(
      [
        ['beforeRestore', first.keptAs],
        ['beforeRestore', second.keptAs],
        ['partial', partial],
        ['restoring', 'journal.db.restoring-2031-01-01T00-00-00-000Z'],
      ].sort(),
    );
    for (const item of listed) {
      expect(item.bytes).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(item.modifiedAt))).toBe(false);
      // An id names a file among the listed ones; it is never a path.
      expect(item.id).not.toContain(dataDir);
      expect(item.id).not.toContain(auto);
    }
    expect(listed.find((item) => item.kind === 'partial')!.modifiedAt).toBe('2031-01-01T00:00:00.000Z');

    // Anything not listed is refused, and then nothing at all is removed: the active journal, another file, a path.
    const logBefore = (t.app.db.prepare('SELECT count(*) AS n FROM access_log').get() as { n: number }).n;
    const firstId = listed.find((item) => item.name === first.keptAs)!.id;
    for (const stranger of [
      'data:journal.db',
      'data:journal.db.kopia',
      'auto:anteckningar.txt',
      path.join(dataDir, first.keptAs),
      `data:../${first.keptAs}`,
    ]) {
      expect(await t.call('backup.leftovers.remove', { ids: [firstId, stranger] }), stranger).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND', message: 'error.backup.cleanupGone' },
      });
    }
    expect((await t.ok<{ items: Leftover[] }>('backup.leftovers.list')).items).toHaveLength(4);
    expect((t.app.db.prepare('SELECT count(*) AS n FROM access_log').get() as { n: number }).n).toBe(logBefore);

    // The chosen ones go, with their companions; the rest stay; one log row says what went.
    const chosen = listed.filter((item) => item.name === first.keptAs || item.kind === 'partial');
    const after = await t.ok<{ items: Leftover[] }>('backup.leftovers.remove', { ids: chosen.map((item) => item.id) });
    expect(after.items.map((item) => item.name).sort()).toEqual([second.keptAs, 'journal.db.restoring-2031-01-01T00-00-00-000Z'].sort());
    expect(readdirSync(dataDir)).not.toContain(first.keptAs);
    expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(['journal.db', 'journal.db.kopia', second.keptAs]));
    expect(readdirSync(auto)).toEqual(expect.arrayContaining(['anteckningar.txt']));
    expect(readdirSync(auto)).not.toContain(partial);
    const bytes = chosen.reduce((sum, item) => sum + item.bytes, 0);
    const last = t.app.db.prepare('SELECT action, record, user_id FROM access_log ORDER BY seq DESC LIMIT 1').get();
    expect(last).toEqual({
      action: 'backup.leftovers.remove',
      record: `backup:cleanup:removed=2:beforeRestore=1,partial=1:bytes=${bytes}`,
      user_id: t.app.user!.id,
    });
    // Removing what is already gone is refused, not repeated.
    expect(await t.call('backup.leftovers.remove', { ids: [chosen[0]!.id] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  }, 90_000);

  it('writes a log row for every schedule change, naming what changed but never the folder or the passphrase', async () => {
    const dataDir = tempDir();
    const auto = tempDir();
    const t = await setUpReception(dataDir);
    await t.ok('backup.schedule.update', {
      enabled: true,
      folder: auto,
      intervalHours: 24,
      keep: 3,
      passphrase: PASSPHRASE,
      passphraseRepeat: PASSPHRASE,
    });
    await t.ok('backup.schedule.update', { enabled: true, folder: auto, intervalHours: 12, keep: 5, passphrase: '', passphraseRepeat: '' });
    await t.ok('backup.schedule.update', { enabled: false, folder: auto, intervalHours: 12, keep: 5, passphrase: '', passphraseRepeat: '' });
    const rows = t.app.db.prepare(`SELECT action, record, user_id FROM access_log WHERE action = 'backup.schedule.update' ORDER BY seq`).all();
    expect(rows).toEqual([
      { action: 'backup.schedule.update', record: 'backup:schedule:on:every=24h:keep=3:folder=changed:passphrase=changed', user_id: t.app.user!.id },
      { action: 'backup.schedule.update', record: 'backup:schedule:on:every=12h:keep=5:folder=same:passphrase=kept', user_id: t.app.user!.id },
      { action: 'backup.schedule.update', record: 'backup:schedule:off:every=12h:keep=5:folder=same:passphrase=kept', user_id: t.app.user!.id },
    ]);
    const everything = JSON.stringify(t.app.db.prepare('SELECT * FROM access_log').all());
    expect(everything).not.toContain(auto);
    expect(everything).not.toContain(PASSPHRASE);
  });
});

describe('backup paths in the desktop app come only from its own file dialog', () => {
  it('refuses a raw path on every backup channel, and accepts the token its dialog gave; the harness keeps typed paths', async () => {
    const dataDir = tempDir();
    const out = tempDir();
    const t = await setUpReception(dataDir);
    await t.newClient('victim', VICTIM.name);
    // The router as main/electron/index.ts configures it: with the system's file dialog (stood in for here).
    let answer: string | null = null;
    const desktop = createRouter(t.app, createHandlers({ chooseFile: async () => answer }));
    const call = <T>(channel: string, input: unknown) => desktop.invoke(channel, input) as Promise<Result<T>>;
    const choose = async (purpose: string, chosen: string) => {
      answer = chosen;
      const result = await call<{ path: string; label: string }>('backup.chooseFile', { purpose });
      if (!result.ok) throw new Error('no answer');
      expect(result.value.label).toBe(chosen);
      return result.value.path;
    };
    const file = path.join(out, 'desktop.db');
    const refused = { ok: false, error: { code: 'INVALID_INPUT', fields: { path: 'error.backup.pathFromDialogOnly' } } };
    const logBefore = (t.app.db.prepare('SELECT count(*) AS n FROM access_log').get() as { n: number }).n;

    // A path typed (or sent by a subverted page) is refused before anything is read or written.
    expect(await call('backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE })).toMatchObject(refused);
    expect(readdirSync(out)).toEqual([]);
    // A token that this dialog never gave, or one for a folder used as a file, is no better.
    expect(await call('backup.export', { path: `dialog:${'0'.repeat(32)}`, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE })).toMatchObject(
      refused,
    );
    const folderToken = await choose('backupFolder', out);
    expect(await call('backup.export', { path: folderToken, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE })).toMatchObject(refused);
    expect(readdirSync(out)).toEqual([]);

    const fileToken = await choose('backupFile', file);
    expect(await call('backup.export', { path: fileToken, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE })).toMatchObject({ ok: true });
    expect(readdirSync(out)).toEqual(['desktop.db']);
    expect(await call('backup.verify', { path: file, passphrase: PASSPHRASE })).toMatchObject(refused);
    expect(await call('backup.restore', { path: file, passphrase: PASSPHRASE })).toMatchObject(refused);
    const openToken = await choose('existingBackup', file);
    expect(await call('backup.verify', { path: openToken, passphrase: PASSPHRASE })).toMatchObject({
      ok: true,
      value: { origin: 'thisInstallation' },
    });

    // The schedule's folder: a raw folder is refused; the dialog's token is taken, and the stored folder may be sent back unchanged.
    const schedule = { enabled: true, intervalHours: 24, keep: 3, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE };
    const auto = tempDir();
    expect(await call('backup.schedule.update', { ...schedule, folder: auto })).toMatchObject({
      ok: false,
      error: { fields: { folder: 'error.backup.pathFromDialogOnly' } },
    });
    const other = path.join(out, 'other');
    mkdirSync(other);
    expect(await call('backup.schedule.update', { ...schedule, folder: other })).toMatchObject({ ok: false });
    const autoToken = await choose('backupFolder', auto);
    const saved = await call<{ schedule: { folder: string } }>('backup.schedule.update', { ...schedule, folder: autoToken });
    expect(saved).toMatchObject({ ok: true, value: { schedule: { folder: expect.stringContaining(path.basename(auto)) } } });
    const stored = saved.ok ? saved.value.schedule.folder : '';
    expect(await call('backup.schedule.update', { ...schedule, passphrase: '', passphraseRepeat: '', folder: stored, keep: 4 })).toMatchObject({
      ok: true,
    });

    // Refusals left nothing behind: only the export, the verify and the two schedule saves were logged.
    const records = (t.app.db.prepare('SELECT record FROM access_log WHERE seq > ? ORDER BY seq').all(logBefore) as { record: string }[]).map(
      (row) => row.record,
    );
    expect(
      records.filter(
        (record) =>
          !record.startsWith('backup:export:refused') && !record.startsWith('backup:verify:refused') && !record.startsWith('backup:restore:refused'),
      ),
    ).toEqual([
      expect.stringMatching(/^backup:export:rows=\d+$/),
      expect.stringMatching(/^backup:verify:rows=\d+:sealed-here$/),
      expect.stringMatching(/^backup:schedule:on:/),
      expect.stringMatching(/^backup:schedule:on:/),
    ]);

    // The browser harness and the CLI have no dialog: typed paths are the way there.
    expect(await t.ok('backup.verify', { path: file, passphrase: PASSPHRASE })).toMatchObject({ origin: 'thisInstallation' });
  }, 60_000);
});
