import type { BackupProgressView } from '../../preload/contract/index.js';

/**
 * Progress of the CLI's long commands on a terminal: one line, rewritten in place (\r), ended with a
 * newline. Written to stderr and only when that is a terminal: piped or redirected (scripts, tests, a
 * log file) nothing is written at all, and stdout keeps only the command's answer.
 */
export interface ProgressStream {
  isTTY?: boolean | undefined;
  columns?: number | undefined;
  write(text: string): unknown;
}

/** 558000 → "558 000": the grouping the centre reads (and no locale's narrow no-break space on a terminal). */
export function groupDigits(value: number): string {
  return String(Math.max(0, Math.floor(value))).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** "Hashing rows: 120 000 of 558 000 (21 %)", or only the label where nothing is counted. */
export function formatProgress(label: string, done: number, total: number): string {
  if (total <= 0) return `${label}…`;
  const shown = Math.min(done, total);
  return `${label}: ${groupDigits(shown)} of ${groupDigits(total)} (${Math.floor((shown / total) * 100)} %)`;
}

const BACKUP_PHASE_LABELS: Record<NonNullable<BackupProgressView['running']>['phase'], string> = {
  starting: 'Starting',
  copying: 'Copying the journal',
  sealing: 'Sealing: hashing rows',
  checkingPages: 'Reading back: checking every page',
  hashing: 'Checking rows',
  checkingLog: 'Checking the access log',
  restoring: 'Building the restored journal',
  switching: 'Switching journals',
};

export function formatBackupProgress(view: BackupProgressView): string | null {
  const running = view.running;
  if (!running) return null;
  return formatProgress(BACKUP_PHASE_LABELS[running.phase], running.done, running.total);
}

export class TerminalProgress {
  private shown = 0;

  constructor(
    private readonly stream: ProgressStream = process.stderr,
    /** How often a long call is asked how far it has come. */
    readonly everyMs = 250,
  ) {}

  get active(): boolean {
    return this.stream.isTTY === true;
  }

  /** Rewrites the line; shorter text than before is padded, so nothing of the old line stays. */
  update(text: string): void {
    if (!this.active) return;
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    this.stream.write(`\r${line}${' '.repeat(Math.max(0, this.shown - line.length))}`);
    this.shown = line.length;
  }

  /** Ends the line (once), so what follows starts on a line of its own. */
  done(): void {
    if (!this.active || this.shown === 0) return;
    this.stream.write('\n');
    this.shown = 0;
  }
}
