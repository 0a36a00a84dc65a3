import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileStamp, finishInterruptedSwitch, instantOfFileStamp } from '../../main/services/backup.js';
import { listLeftovers } from '../../main/services/backupLeftovers.js';

const folders: string[] = [];
function dataDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'utvag-stamp-'));
  folders.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the stamp of kept and restored journals', () => {
  it('is Swedish local time with its offset, winter and summer, like the backup files', () => {
    expect(fileStamp(new Date('2026-11-23T08:30:00.123Z'))).toBe('2026-11-23_093000.123+0100');
    expect(fileStamp(new Date('2026-07-01T22:15:09.004Z'))).toBe('2026-07-02_001509.004+0200');
  });

  it('names the same instant back, in both the local and the older UTC form, across the autumn change', () => {
    // 02:30 happens twice on 25 October 2026: once in summer time, once in winter time.
    const first = new Date('2026-10-25T00:30:00.000Z');
    const second = new Date('2026-10-25T01:30:00.000Z');
    expect(fileStamp(first)).toBe('2026-10-25_023000.000+0200');
    expect(fileStamp(second)).toBe('2026-10-25_023000.000+0100');
    expect(instantOfFileStamp(fileStamp(first))).toBe(first.getTime());
    expect(instantOfFileStamp(fileStamp(second))).toBe(second.getTime());
    expect(instantOfFileStamp('2026-05-12T10-15-00-123Z')).toBe(Date.parse('2026-05-12T10:15:00.123Z'));
    expect(instantOfFileStamp('2026-05-12 10:15')).toBeNull();
  });
});

describe('finishing a switch of journals that was cut off', () => {
  for (const [form, stamp] of [
    ['a local stamp', fileStamp(new Date('2026-11-23T08:30:00.123Z'))],
    ['an older UTC stamp', '2026-05-12T10-15-00-123Z'],
  ] as const) {
    it(`completes it from the restored journal, under ${form}`, () => {
      const dir = dataDir({ [`journal.db.before-restore-${stamp}`]: 'old', [`journal.db.restoring-${stamp}`]: 'new' });
      expect(finishInterruptedSwitch(dir)).toBe('completed');
      expect(readdirSync(dir).sort()).toEqual(['journal.db', `journal.db.before-restore-${stamp}`]);
    });

    it(`puts the kept journal back when the restored one failed, under ${form}`, () => {
      const dir = dataDir({ [`journal.db.before-restore-${stamp}`]: 'old', [`journal.db.failed-restore-${stamp}`]: 'bad' });
      expect(finishInterruptedSwitch(dir)).toBe('undone');
      expect(readdirSync(dir).sort()).toEqual(['journal.db', `journal.db.failed-restore-${stamp}`]);
    });

    it(`lists the kept journal for clearing away, under ${form}`, () => {
      const dir = dataDir({ 'journal.db': 'active', [`journal.db.before-restore-${stamp}`]: 'old' });
      expect(listLeftovers(dir, null).map((item) => [item.kind, item.name])).toEqual([['beforeRestore', `journal.db.before-restore-${stamp}`]]);
    });
  }

  it('takes the latest instant when both forms lie about, not the latest name', () => {
    // The UTC name sorts after the local one as text, but was written half a year earlier.
    const older = '2026-05-12T10-15-00-123Z';
    const newer = fileStamp(new Date('2026-11-23T08:30:00.123Z'));
    const dir = dataDir({
      [`journal.db.before-restore-${older}`]: 'older',
      [`journal.db.before-restore-${newer}`]: 'newer',
      [`journal.db.restoring-${newer}`]: 'restored',
    });
    expect(finishInterruptedSwitch(dir)).toBe('completed');
    expect(existsSync(path.join(dir, `journal.db.before-restore-${older}`))).toBe(true);
    expect(existsSync(path.join(dir, `journal.db.restoring-${newer}`))).toBe(false);
  });

  it('leaves a folder alone whose names are neither form', () => {
    const dir = dataDir({ 'journal.db.before-restore-yesterday': 'old', 'journal.db.restoring-yesterday': 'new' });
    expect(finishInterruptedSwitch(dir)).toBe('none');
    expect(readdirSync(dir).sort()).toEqual(['journal.db.before-restore-yesterday', 'journal.db.restoring-yesterday']);
  });
});
