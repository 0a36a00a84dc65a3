import { accessSync, constants, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { z } from 'zod';
import {
  readScheduleRecord,
  readScheduleSecret,
  readStatusRecord,
  writeScheduleRecord,
  writeScheduleSecret,
  writeStatusRecord,
} from '../../db/backupSchedule.js';
import { appendAccessLog } from '../../db/local/accessLog.js';
import { PARTIAL_MARK } from '../../db/backup.js';
import type { Db } from '../../db/connection.js';
import { BackupStatusView, type BackupScheduleInput } from '../../preload/contract/index.js';
import type { Logger } from '../log.js';
import { backupFolder, exportBackup, refusalName, totalRows, verifyBackup } from './backup.js';
import { BackupWork, type BackupTask } from './backupProgress.js';
import { DomainError } from './errors.js';
import { CENTRE_TIME_ZONE } from './time.js';

/**
 * Automatic backups: while the journal is open (only then does the main process hold its key), a
 * timer looks every minute whether a backup is due; if so it exports one into the chosen folder as
 * `utvag-backup-<local time>.db`, verifies the finished file, records the outcome, writes the access
 * log, and keeps the newest N of its own backups.
 *
 * The passphrase of the automatic backups must be kept for runs with nobody at the keyboard. It is
 * kept only inside the encrypted journal (db/backupSchedule.ts), is left out of every backup, is
 * never returned by any channel and never logged. A passphrase typed for a manual export is never
 * stored at all.
 */

const HOUR_MS = 3_600_000;
/** After a failed run (a missing USB disk, a full disk) the next try waits this long, so a broken setup does not retry every minute. */
export const RETRY_AFTER_FAILURE_MS = HOUR_MS;
/** With automatic backups off, a last good backup older than this gets a warning. */
export const STALE_WITHOUT_SCHEDULE_HOURS = 8 * 24;
/** An unfinished file of our own older than this is left over from an interrupted run (the app closed or crashed meanwhile). */
const STALE_PARTIAL_MS = 24 * HOUR_MS;
export const DEFAULT_CHECK_EVERY_MS = 60_000;

const PREFIX = 'utvag-backup-';
/** `utvag-backup-2026-11-23_093000+0100.db`, with `-2` … when two runs fall in the same second. */
const FINISHED_NAME = /^utvag-backup-(\d{4})-(\d{2})-(\d{2})_(\d{2})(\d{2})(\d{2})([+-])(\d{2})(\d{2})(?:-(\d{1,2}))?\.db$/;
export const PARTIAL_NAME = new RegExp(`^utvag-backup-.*\\.db${PARTIAL_MARK.replace('.', '\\.')}[0-9a-f]+(?:-journal|-wal|-shm)?$`);

const Schedule = z.object({
  enabled: z.boolean(),
  folder: z.string(),
  intervalHours: z.number().int().min(1).max(168),
  keep: z.number().int().min(1).max(365),
});
type Schedule = z.infer<typeof Schedule>;
export const DEFAULT_SCHEDULE: Schedule = { enabled: false, folder: '', intervalHours: 24, keep: 7 };

const Status = z.object({
  lastAttempt: BackupStatusView.shape.lastAttempt,
  lastAutomatic: BackupStatusView.shape.lastAutomatic,
  lastManualExportAt: z.string().nullable(),
});
type Status = z.infer<typeof Status>;
const EMPTY_STATUS: Status = { lastAttempt: null, lastAutomatic: null, lastManualExportAt: null };

/** Stored records are validated on read: a record this version does not understand counts as none. */
function readSchedule(db: Db): Schedule {
  const parsed = Schedule.safeParse(readScheduleRecord(db));
  return parsed.success ? parsed.data : DEFAULT_SCHEDULE;
}

function readStatus(db: Db): Status {
  const parsed = Status.safeParse(readStatusRecord(db));
  return parsed.success ? parsed.data : EMPTY_STATUS;
}

// ---- File names ----------------------------------------------------------------------------------

/** The name of a backup made at `now`, in Swedish local time with its UTC offset (so names stay ordered across the autumn change). */
export function backupFileName(now: Date, suffix = 0): string {
  const local = format(new TZDate(now.getTime(), CENTRE_TIME_ZONE), 'yyyy-MM-dd_HHmmssxx');
  return `${PREFIX}${local}${suffix > 0 ? `-${suffix}` : ''}.db`;
}

/** When a finished automatic backup was made, from its name; null for every other name (partial files among them). */
export function instantOfBackupName(name: string): number | null {
  const match = FINISHED_NAME.exec(name);
  if (!match) return null;
  const [y, mo, d, h, mi, s, sign, oh, om] = match.slice(1, 10).map((part) => part ?? '') as string[];
  const offsetMinutes = (Number(oh) * 60 + Number(om)) * (sign === '-' ? -1 : 1);
  const instant = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offsetMinutes * 60_000;
  return Number.isFinite(instant) ? instant : null;
}

function freeName(folder: string, now: Date): string {
  for (let suffix = 0; suffix < 100; suffix += 1) {
    const name = backupFileName(now, suffix);
    if (!existsSync(path.join(folder, name))) return name;
  }
  throw new DomainError('CONFLICT', 'error.backup.autoFailed');
}

/** The finished automatic backups in a folder, newest first. Only regular files under our own name pattern; links and other files are never listed. */
export function listAutomaticBackups(folder: string): { name: string; at: number }[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => ({ name: entry.name, at: instantOfBackupName(entry.name) }))
    .filter((entry): entry is { name: string; at: number } => entry.at !== null)
    .sort((a, b) => b.at - a.at || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

/** Keeps the newest `keep` automatic backups and removes the older ones; no other file in the folder is touched. */
export function pruneAutomaticBackups(folder: string, keep: number): { kept: number; removed: number } {
  const finished = listAutomaticBackups(folder);
  const surplus = finished.slice(keep);
  for (const entry of surplus) rmSync(path.join(folder, entry.name), { force: true });
  return { kept: finished.length - surplus.length, removed: surplus.length };
}

/**
 * Removes our own unfinished files that an interrupted run left behind more than a day ago (a younger
 * one may still be written). Their age is read against the wall clock, the same clock that stamped them.
 */
export function removeStalePartials(folder: string, wallClockMs: number = Date.now()): number {
  let removed = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isFile() || !PARTIAL_NAME.test(entry.name)) continue;
    const file = path.join(folder, entry.name);
    if (wallClockMs - statSync(file).mtimeMs > STALE_PARTIAL_MS) {
      rmSync(file, { force: true });
      removed += 1;
    }
  }
  return removed;
}

// ---- When ----------------------------------------------------------------------------------------

/** When the next automatic run is due; null while the schedule is off or cannot run (no folder, no passphrase). */
export function nextRunAt(schedule: Schedule, passphraseStored: boolean, status: Status, now: Date): Date | null {
  if (!schedule.enabled || schedule.folder === '' || !passphraseStored) return null;
  const interval = schedule.intervalHours * HOUR_MS;
  const lastGood = status.lastAutomatic ? Date.parse(status.lastAutomatic.at) : null;
  let next = lastGood !== null ? lastGood + interval : now.getTime();
  const failedAt = status.lastAttempt && !status.lastAttempt.ok ? Date.parse(status.lastAttempt.at) : null;
  if (failedAt !== null && (lastGood === null || failedAt > lastGood)) next = Math.max(next, failedAt + RETRY_AFTER_FAILURE_MS);
  // A clock that was set back must not postpone the backups for as long as it was wrong.
  if (next - now.getTime() > Math.max(interval, RETRY_AFTER_FAILURE_MS)) next = now.getTime();
  return new Date(next);
}

function statusView(schedule: Schedule, passphraseStored: boolean, status: Status, running: boolean, now: Date): BackupStatusView {
  const automaticAt = status.lastAutomatic?.verified ? status.lastAutomatic.at : null;
  const candidates = [automaticAt, status.lastManualExportAt].filter((at): at is string => at !== null);
  const lastGoodAt = candidates.length > 0 ? candidates.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b)) : null;
  const staleAfterHours = schedule.enabled ? 2 * schedule.intervalHours : STALE_WITHOUT_SCHEDULE_HOURS;
  const warning = lastGoodAt === null ? 'never' : now.getTime() - Date.parse(lastGoodAt) > staleAfterHours * HOUR_MS ? ('tooOld' as const) : null;
  const next = nextRunAt(schedule, passphraseStored, status, now);
  return {
    schedule: { ...schedule, passphraseStored },
    running,
    lastAttempt: status.lastAttempt,
    lastAutomatic: status.lastAutomatic,
    lastManualExportAt: status.lastManualExportAt,
    lastGoodAt,
    nextRunAt: next ? next.toISOString() : null,
    checkedAt: now.toISOString(),
    warning,
    staleAfterHours,
  };
}

// ---- The scheduler -------------------------------------------------------------------------------

/** What the scheduler needs of the open journal (the JournalApp). */
export interface BackupHost {
  readonly dataDir: string;
  readonly log: Logger;
  readonly isUnlocked: boolean;
  /** The open journal's connection; a new object after every unlock and restore. */
  readonly db: Db;
  now(): Date;
  /** Seals the automatic backups as this installation's (see db/backup.ts sealKeyFor). */
  backupSealKey(): Buffer;
}

/** How a run writes its access-log rows: as the signed-in admin (run now) or as the app itself (the timer). */
export interface RunLog {
  transact<T>(work: () => T): T;
  audit(record: string): void;
}

type Outcome =
  | { ok: true; file: string; bytes: number; rows: number; kept: number; removed: number; partials: number }
  | { ok: false; error: string; partials: number };

/** A refusal's message key for the status; anything unexpected gets a general one (an error's own text may hold a path). */
function failureKey(error: unknown): string {
  if (error instanceof DomainError && /^error\.[\w.]+$/.test(error.message)) return error.message;
  return 'error.backup.autoFailed';
}

export class BackupScheduler {
  private timer: ReturnType<typeof setInterval> | null = null;
  private current: Promise<void> | null = null;
  /** The one backup operation at a time, of this scheduler's runs and of the admin's export, verify and restore. */
  readonly work = new BackupWork();

  constructor(
    private readonly host: BackupHost,
    /** How often the timer looks whether a run is due; null: no timer (the CLI, tests that drive the checks themselves). */
    private readonly checkEveryMs: number | null = null,
  ) {}

  /** Called when the journal opens. */
  start(): void {
    this.stop();
    if (this.checkEveryMs === null) return;
    this.timer = setInterval(() => void this.runIfDue(), this.checkEveryMs);
    this.timer.unref?.();
  }

  /** Called when the journal locks or closes; a run under way finishes its file, but records nothing in a journal that is gone. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  get timerRunning(): boolean {
    return this.timer !== null;
  }

  get running(): boolean {
    return this.current !== null;
  }

  /** Resolves when the run under way (if any) has finished. */
  async settled(): Promise<void> {
    await this.current;
  }

  status(): BackupStatusView {
    const db = this.host.db;
    return statusView(readSchedule(db), readScheduleSecret(db) !== null, readStatus(db), this.running, this.host.now());
  }

  /** The automatic backups' folder as stored (where their unfinished files may lie), or null when none is set. */
  folder(): string | null {
    const folder = readSchedule(this.host.db).folder;
    return folder === '' ? null : folder;
  }

  /** What the timer does: one run if one is due and none is going. Returns whether a run happened. */
  async runIfDue(): Promise<boolean> {
    // An export, verify or restore under way: the next check runs it.
    if (!this.host.isUnlocked || this.current || this.work.busy) return false;
    try {
      const db = this.host.db;
      const next = nextRunAt(readSchedule(db), readScheduleSecret(db) !== null, readStatus(db), this.host.now());
      if (!next || next.getTime() > this.host.now().getTime()) return false;
      await this.beginRun(systemLog(db, this.host), 'automatic');
      return true;
    } catch (error) {
      this.host.log.error('backup.auto_check_failed', { errorName: (error as Error)?.name ?? 'unknown' });
      return false;
    }
  }

  /**
   * An admin's "back up now" to the automatic folder. A run already going is joined, never started
   * twice; the admin's request is logged either way.
   */
  async runNow(log: RunLog): Promise<BackupStatusView> {
    if (this.current) {
      await this.current;
      log.transact(() => log.audit('backup:auto:joined'));
      return this.status();
    }
    const db = this.host.db;
    const schedule = readSchedule(db);
    if (schedule.folder === '' || readScheduleSecret(db) === null) throw new DomainError('CONFLICT', 'error.backup.scheduleNotSet');
    await this.beginRun(log, 'runNow');
    return this.status();
  }

  /** Saves the schedule; a new passphrase replaces the stored one, an empty one keeps it. */
  updateSchedule(input: z.output<typeof BackupScheduleInput>, by: string): BackupStatusView {
    const db = this.host.db;
    let folder = input.folder;
    if (input.enabled) {
      folder = backupFolder(input.folder, this.host.dataDir, 'folder');
      try {
        accessSync(folder, constants.W_OK);
      } catch {
        throw new DomainError('INVALID_INPUT', 'error.backup.folderNotWritable', { folder: 'error.backup.folderNotWritable' });
      }
      if (input.passphrase === '' && readScheduleSecret(db) === null)
        throw new DomainError('INVALID_INPUT', 'error.backup.schedulePassphraseRequired', { passphrase: 'error.backup.schedulePassphraseRequired' });
    }
    const at = this.host.now().toISOString();
    const schedule: Schedule = { enabled: input.enabled, folder, intervalHours: input.intervalHours, keep: input.keep };
    const before = readSchedule(db);
    db.transaction(() => {
      writeScheduleRecord(db, schedule, by, at);
      if (input.passphrase !== '') writeScheduleSecret(db, input.passphrase.normalize('NFC'), by, at);
      // A change of where and how often the journal is copied is a security event: logged with the change, never the folder or passphrase.
      appendAccessLog(db, {
        at,
        userId: by,
        clientId: null,
        record: [
          `backup:schedule:${schedule.enabled ? 'on' : 'off'}`,
          `every=${schedule.intervalHours}h`,
          `keep=${schedule.keep}`,
          `folder=${schedule.folder === before.folder ? 'same' : 'changed'}`,
          `passphrase=${input.passphrase === '' ? 'kept' : 'changed'}`,
        ].join(':'),
        action: 'backup.schedule.update',
        channel: 'backup.schedule.update',
        emergency: false,
        reason: null,
      });
    })();
    this.host.log.info('backup.schedule_saved', { count: schedule.enabled ? schedule.intervalHours : 0 });
    return this.status();
  }

  /** A manual export counts as a good backup for the warning; a journal locked meanwhile simply does not learn of it. */
  recordManualExport(at: Date): void {
    if (!this.host.isUnlocked) return;
    try {
      const db = this.host.db;
      db.transaction(() => writeStatusRecord(db, { ...readStatus(db), lastManualExportAt: at.toISOString() }, at.toISOString()))();
    } catch (error) {
      this.host.log.warn('backup.status_not_recorded', { errorName: (error as Error)?.name ?? 'unknown' });
    }
  }

  private beginRun(log: RunLog, kind: 'automatic' | 'runNow'): Promise<void> {
    // Refused (error.backup.busy) while an export, verify or restore runs; a run of its own is joined above instead.
    const task = this.work.begin(kind, this.host.now());
    const run = this.run(log, task).finally(() => {
      task.end();
      this.current = null;
    });
    this.current = run;
    return run;
  }

  private async run(log: RunLog, task: BackupTask): Promise<void> {
    // Everything up to the copy runs without a pause, so the journal cannot lock between reading the schedule and copying.
    const db = this.host.db;
    const schedule = readSchedule(db);
    const passphrase = readScheduleSecret(db);
    const sealKey = this.host.backupSealKey();
    const startedAt = this.host.now();
    let outcome: Outcome;
    let partials = 0;
    try {
      if (passphrase === null) throw new DomainError('CONFLICT', 'error.backup.schedulePassphraseMissing');
      const folder = backupFolder(schedule.folder, this.host.dataDir, 'folder');
      partials = removeStalePartials(folder);
      const exported = await exportBackup(
        db,
        { file: path.join(folder, freeName(folder, startedAt)), passphrase, dataDir: this.host.dataDir, now: startedAt, sealKey },
        { transact: log.transact, onCopied: ({ rows }) => log.audit(`backup:auto:rows=${rows}`), task },
      );
      // The export checked its file before the rename; this reads the finished file once more, under its final name.
      const verified = await verifyBackup(exported.path, passphrase, { sealKey, current: null, task }).finally(() => sealKey.fill(0));
      if (!verified.ok || verified.checksum !== exported.checksum || verified.origin !== 'thisInstallation') {
        rmSync(exported.path, { force: true });
        throw new DomainError('STORAGE', 'error.backup.autoVerifyFailed');
      }
      // Older backups are removed only once the new one is known to be good.
      const pruned = pruneAutomaticBackups(folder, schedule.keep);
      outcome = { ok: true, file: path.basename(exported.path), bytes: exported.bytes, rows: totalRows(verified.counts), ...pruned, partials };
    } catch (error) {
      sealKey.fill(0);
      outcome = { ok: false, error: failureKey(error), partials };
      if (!(error instanceof DomainError)) this.host.log.error('backup.auto_failed', { errorName: (error as Error)?.name ?? 'unknown' });
      else this.host.log.warn('backup.auto_refused', { reason: refusalName(error) });
    }
    // The journal may have locked (or been replaced by a restore) while the file was written and checked: record nothing in another one.
    if (!this.host.isUnlocked || this.host.db !== db) {
      this.host.log.info('backup.auto_finished_after_lock', { code: outcome.ok ? 'ok' : 'failed' });
      return;
    }
    const at = startedAt.toISOString();
    log.transact(() => {
      const previous = readStatus(db);
      const status: Status = outcome.ok
        ? {
            ...previous,
            lastAttempt: { at, ok: true, error: null },
            lastAutomatic: { at, file: outcome.file, bytes: outcome.bytes, verified: true },
          }
        : { ...previous, lastAttempt: { at, ok: false, error: outcome.error } };
      writeStatusRecord(db, status, this.host.now().toISOString());
      // Unfinished files of interrupted runs that this run cleared away are named too (their number only).
      const cleared = outcome.partials > 0 ? `:partials-removed=${outcome.partials}` : '';
      log.audit(
        outcome.ok
          ? `backup:auto:verified:rows=${outcome.rows}:kept=${outcome.kept}:removed=${outcome.removed}${cleared}`
          : `backup:auto:failed:${outcome.error.replace(/^error\.(backup\.)?/, '')}${cleared}`,
      );
    });
    if (outcome.ok) this.host.log.info('backup.auto_done', { count: outcome.kept });
  }
}

/** The timer's runs are the app's own: logged without a user (the access log shows "the system") under the export's action. */
function systemLog(db: Db, host: BackupHost): RunLog {
  return {
    transact: (work) => db.transaction(work)(),
    audit: (record) => {
      appendAccessLog(db, {
        at: host.now().toISOString(),
        userId: null,
        clientId: null,
        record,
        action: 'backup.export',
        channel: null,
        emergency: false,
        reason: null,
      });
    },
  };
}
