import { describe, expect, it } from 'vitest';
import { formatBackupProgress, formatProgress, groupDigits, TerminalProgress } from '../../main/cli/progress.js';

function stream(isTTY: boolean, columns = 80) {
  const written: string[] = [];
  return { isTTY, columns, written, write: (text: string) => written.push(text) };
}

describe('progress on a terminal', () => {
  it('formats counts with grouped digits, and a phase without counts by its name', () => {
    expect(groupDigits(558000)).toBe('558 000');
    expect(groupDigits(1234567)).toBe('1 234 567');
    expect(groupDigits(999)).toBe('999');
    expect(formatProgress('Checking rows', 120000, 558000)).toBe('Checking rows: 120 000 of 558 000 (21 %)');
    expect(formatProgress('Checking rows', 600, 500)).toBe('Checking rows: 500 of 500 (100 %)');
    expect(formatProgress('Copying the journal', 0, 0)).toBe('Copying the journal…');
    expect(formatBackupProgress({ running: null })).toBeNull();
    expect(
      formatBackupProgress({ running: { kind: 'export', phase: 'sealing', done: 5000, total: 12000, startedAt: '2026-11-23T08:30:00.000Z' } }),
    ).toBe('Sealing: hashing rows: 5 000 of 12 000 (41 %)');
  });

  it('rewrites one line in place and ends it with a newline, on a terminal', () => {
    const tty = stream(true);
    const progress = new TerminalProgress(tty);
    progress.update('Checking rows: 5 000 of 12 000 (41 %)');
    progress.update('Checking…');
    progress.done();
    progress.done();
    expect(tty.written).toEqual(['\rChecking rows: 5 000 of 12 000 (41 %)', `\rChecking…${' '.repeat(28)}`, '\n']);
  });

  it('cuts a line to the terminal width', () => {
    const narrow = stream(true, 21);
    new TerminalProgress(narrow).update('x'.repeat(50));
    expect(narrow.written).toEqual([`\r${'x'.repeat(19)}…`]);
  });

  it('writes nothing at all when piped or redirected', () => {
    const piped = stream(false);
    const progress = new TerminalProgress(piped);
    progress.update('Checking rows: 5 000 of 12 000 (41 %)');
    progress.done();
    expect(progress.active).toBe(false);
    expect(piped.written).toEqual([]);
  });
});
