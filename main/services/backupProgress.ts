import type { InspectStage, Pause } from '../../db/backup.js';
import type { BACKUP_PHASES, BACKUP_WORK_KINDS, BackupProgressView } from '../../preload/contract/index.js';
import { DomainError } from './errors.js';

export type BackupWorkKind = (typeof BACKUP_WORK_KINDS)[number];
export type BackupPhase = (typeof BACKUP_PHASES)[number];

/** Lets the app answer other calls between steps of a long check: the screens' polls among them. */
const pauseForTheApp = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * One running backup operation's progress: the phase and, where it has them, rows done of rows in all.
 * Its pause is the one the backup code already takes between steps; the count comes with it.
 */
export class BackupTask {
  phase: BackupPhase = 'starting';
  done = 0;
  total = 0;

  constructor(
    readonly kind: BackupWorkKind,
    readonly startedAt: string,
    private readonly finish: (task: BackupTask) => void,
  ) {}

  enter(phase: BackupPhase, total = 0): void {
    this.phase = phase;
    this.done = 0;
    this.total = Math.max(0, Math.floor(total));
  }

  /** The pause for the current phase: records how far it has come, then lets the app answer. */
  readonly pause: Pause = (done) => {
    // Never more than the phase's total (the log's rows are counted once more in the hash).
    if (done !== undefined) this.done = this.total > 0 ? Math.min(done, this.total) : 0;
    return pauseForTheApp();
  };

  /** For inspectBackupFile's stages. */
  readonly stage = (stage: InspectStage, total: number): void => this.enter(stage, total);

  end(): void {
    this.finish(this);
  }
}

/**
 * At most one backup operation at a time (export, verify, restore, a run started by hand, an automatic
 * run): two would copy, hash and rename the same files against each other and halve the speed of both. A
 * second start is refused with a message, never queued silently behind the first.
 */
export class BackupWork {
  private current: BackupTask | null = null;

  get busy(): boolean {
    return this.current !== null;
  }

  /** Starts an operation, or refuses (CONFLICT error.backup.busy) while another runs; the caller ends it in a finally. */
  begin(kind: BackupWorkKind, now: Date): BackupTask {
    if (this.current) throw new DomainError('CONFLICT', 'error.backup.busy');
    const task = new BackupTask(kind, now.toISOString(), (ended) => {
      if (this.current === ended) this.current = null;
    });
    this.current = task;
    return task;
  }

  /** Runs `work` as one operation, ended whatever happens. */
  async run<T>(kind: BackupWorkKind, now: Date, work: (task: BackupTask) => Promise<T>): Promise<T> {
    const task = this.begin(kind, now);
    try {
      return await work(task);
    } finally {
      task.end();
    }
  }

  view(): BackupProgressView {
    const task = this.current;
    return { running: task ? { kind: task.kind, phase: task.phase, done: task.done, total: task.total, startedAt: task.startedAt } : null };
  }
}
