/** Encrypted backups: export, verify, restore, leftovers and the automatic schedule. */
import { z } from 'zod';
import { Empty, channel } from './common.js';

/**
 * A backup passphrase guards a full copy of the journal wherever the file ends up: at least 14
 * characters, not a repeated pattern or a run (aaaa…, abab…, 1234…), at least 6 different characters.
 * A NUL or the raw-key form x'…' would be read differently by SQLCipher, so they are refused too.
 */
export function isStrongPassphrase(value: string): boolean {
  const chars = [...value];
  if (chars.length < 14 || value.includes('\0') || /^x'.*'$/is.test(value)) return false;
  if (new Set(chars.map((char) => char.toLowerCase())).size < 6) return false;
  for (let unit = 1; unit <= chars.length / 2; unit += 1) {
    if (chars.every((char, index) => char === chars[index % unit])) return false;
  }
  const steps = chars.slice(1).map((char, index) => char.codePointAt(0)! - chars[index]!.codePointAt(0)!);
  const runSteps = steps.filter((step) => Math.abs(step) <= 1).length;
  return runSteps < steps.length - 2;
}

export const BackupPath = z.string().trim().min(1, { message: 'error.backup.pathRequired' }).max(4096);

export const BackupPassphrase = z
  .string()
  .min(14, { message: 'error.backup.weakPassphrase' })
  .max(1024)
  .refine(isStrongPassphrase, { message: 'error.backup.weakPassphrase' });

export const BackupExportInput = z
  .object({ path: BackupPath, passphrase: BackupPassphrase, passphraseRepeat: z.string().max(1024) })
  .strict()
  .refine((value) => value.passphrase === value.passphraseRepeat, { message: 'error.backup.passphraseMismatch', path: ['passphraseRepeat'] });

/** Opening an existing backup: its passphrase was checked when it was made. */
export const BackupOpenInput = z
  .object({
    path: BackupPath,
    passphrase: z
      .string()
      .min(1)
      .max(1024)
      .refine((value) => !value.includes('\0'), { message: 'error.backup.wrongPassphrase' }),
  })
  .strict();

const RowCounts = z.record(z.string(), z.number().int().min(0));

export const BackupExportResult = z.object({ path: z.string(), bytes: z.number().int(), counts: RowCounts, checksum: z.string() });

/** Restoring: a backup this installation did not seal is restored only with the checksum of the verify the admin saw and confirmed. */
export const BackupRestoreInput = z
  .object({
    path: BackupPath,
    passphrase: BackupOpenInput.shape.passphrase,
    confirmedChecksum: z.string().max(100).optional(),
  })
  .strict();

export const BackupVerifyResult = z.object({
  ok: z.literal(true),
  createdAt: z.string(),
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  counts: RowCounts,
  checksum: z.string(),
  bytes: z.number().int(),
  /** 'thisInstallation': sealed with this installation's key; 'elsewhere': nothing proves who made it (see README). */
  origin: z.enum(['thisInstallation', 'elsewhere']),
  /** The backup's active admins and what each account is here: a restore makes them the admins. */
  admins: z.array(z.object({ displayName: z.string(), username: z.string(), here: z.enum(['admin', 'otherRoles', 'inactive', 'absent']) })),
});

/** Files that backups and restores leave behind: kept and half-made journals in the data folder, unfinished automatic backups. */
export const BACKUP_LEFTOVER_KINDS = ['beforeRestore', 'restoring', 'failedRestore', 'partial'] as const;
export const BackupLeftover = z.object({
  /** Opaque to the screen: names the file among the listed ones, never a path. */
  id: z.string(),
  kind: z.enum(BACKUP_LEFTOVER_KINDS),
  name: z.string(),
  bytes: z.number().int(),
  modifiedAt: z.string(),
});
export const BackupLeftoverList = z.object({ items: z.array(BackupLeftover) });
export const BackupLeftoverRemoveInput = z
  .object({ ids: z.array(z.string().min(1).max(300)).min(1, { message: 'error.backup.cleanupNoneChosen' }).max(200) })
  .strict();

export const BackupRestoreResult = z.object({
  createdAt: z.string(),
  schemaVersion: z.number().int(),
  migratedTo: z.number().int(),
  counts: RowCounts,
  keptAs: z.string(),
  signedOut: z.boolean(),
  /** The restoring admin was not in the backup (a new installation) and was added to it as an admin, to stay signed in. */
  addedRestoringAdmin: z.boolean(),
  /** A user in the backup had the restoring admin's username: that account keeps everything but its username, which is this. */
  renamedUser: z.object({ displayName: z.string(), from: z.string(), to: z.string() }).nullable(),
  /** Active users of the restored journal without a key slot here: each needs a new temporary password (Users page). */
  usersWithoutPassword: z.number().int(),
  /** Key slots of people who are not active users of the restored journal, removed from the keyring. */
  keySlotsRemoved: z.number().int(),
  /** Their names as this installation knew them, so the admin knows whom to add again (never logged). */
  removedPeople: z.array(z.string()),
});

/**
 * A native file dialog for the backup screen's paths. Only the desktop app has one: elsewhere (the
 * browser harness) the answer is { available: false } and the screen keeps its typed paths. 'probe'
 * asks whether a dialog exists without opening one.
 */
export const FILE_CHOICES = ['probe', 'backupFile', 'existingBackup', 'backupFolder'] as const;
export type FileChoice = (typeof FILE_CHOICES)[number];

/** The intervals the backup screen offers, in hours; the main process accepts any whole number in range. */
export const BACKUP_INTERVALS_HOURS = [1, 2, 4, 6, 12, 24, 48, 168] as const;

/**
 * Automatic backups: a folder, how often, how many to keep, and their passphrase. An empty passphrase
 * keeps the one already stored; a new one is checked like an export's and typed twice.
 */
export const BackupScheduleInput = z
  .object({
    enabled: z.boolean(),
    folder: z.string().trim().max(4096),
    intervalHours: z.number().int().min(1).max(168),
    keep: z.number().int().min(1).max(365),
    passphrase: z.string().max(1024),
    passphraseRepeat: z.string().max(1024),
  })
  .strict()
  .refine((value) => !value.enabled || value.folder !== '', { message: 'error.backup.folderRequired', path: ['folder'] })
  .refine((value) => value.passphrase === '' || isStrongPassphrase(value.passphrase), {
    message: 'error.backup.weakPassphrase',
    path: ['passphrase'],
  })
  .refine((value) => value.passphrase === value.passphraseRepeat, { message: 'error.backup.passphraseMismatch', path: ['passphraseRepeat'] });

/** What the screens learn about automatic backups: never the passphrase, only whether one is stored. */
export const BackupStatusView = z.object({
  schedule: z.object({
    enabled: z.boolean(),
    folder: z.string(),
    intervalHours: z.number().int(),
    keep: z.number().int(),
    passphraseStored: z.boolean(),
  }),
  running: z.boolean(),
  /** The last automatic run (or run-now): when, whether it worked, and why not as a message key. */
  lastAttempt: z.object({ at: z.string(), ok: z.boolean(), error: z.string().nullable() }).nullable(),
  /** The last automatic backup that was written and verified: its file name (in the chosen folder), never a path. */
  lastAutomatic: z.object({ at: z.string(), file: z.string(), bytes: z.number().int(), verified: z.boolean() }).nullable(),
  lastManualExportAt: z.string().nullable(),
  /** The newer of the two above: the last known good backup. */
  lastGoodAt: z.string().nullable(),
  nextRunAt: z.string().nullable(),
  /** The main process's clock when it answered: a nextRunAt at or before it is due now. */
  checkedAt: z.string(),
  /** 'never': no backup has been made; 'tooOld': the last good one is older than staleAfterHours. */
  warning: z.enum(['never', 'tooOld']).nullable(),
  staleAfterHours: z.number().int(),
  /** A workstation of the Utväg server: no automatic backups here; IT backs the server's database up (the screen says so). */
  managedByServer: z.boolean().optional(),
});
export type BackupStatusView = z.infer<typeof BackupStatusView>;

/** What a long backup operation is, and the phase it is in (copying rows, hashing them, checking pages …). */
export const BACKUP_WORK_KINDS = ['export', 'verify', 'restore', 'runNow', 'automatic'] as const;
export const BACKUP_PHASES = ['starting', 'copying', 'sealing', 'checkingPages', 'hashing', 'checkingLog', 'restoring', 'switching'] as const;

/** The one backup operation running (at most one at a time), with counts where the phase has them (total 0: not counted). */
export const BackupProgressView = z.object({
  running: z
    .object({
      kind: z.enum(BACKUP_WORK_KINDS),
      phase: z.enum(BACKUP_PHASES),
      done: z.number().int().min(0),
      total: z.number().int().min(0),
      startedAt: z.string(),
    })
    .nullable(),
});
export type BackupProgressView = z.infer<typeof BackupProgressView>;

export const backupChannels = {
  // Backups read every client's data (export, verify) or replace it (restore): each is written to the access log.
  'backup.export': channel({ input: BackupExportInput, output: BackupExportResult, access: ['admin'], clientData: 'read' }),
  'backup.verify': channel({ input: BackupOpenInput, output: BackupVerifyResult, access: ['admin'], clientData: 'read' }),
  'backup.restore': channel({ input: BackupRestoreInput, output: BackupRestoreResult, access: ['admin'], clientData: 'write' }),
  // Left-over journal copies and unfinished backups: the list holds names, sizes and times; removing copies of the journal is logged.
  'backup.leftovers.list': channel({ input: Empty, output: BackupLeftoverList, access: ['admin'], clientData: 'none' }),
  'backup.leftovers.remove': channel({ input: BackupLeftoverRemoveInput, output: BackupLeftoverList, access: ['admin'], clientData: 'write' }),
  // Automatic backups: their status and schedule hold no client data; a run reads all of it and is logged.
  'backup.status': channel({ input: Empty, output: BackupStatusView, access: ['admin'], clientData: 'none', passive: true }),
  'backup.schedule.update': channel({ input: BackupScheduleInput, output: BackupStatusView, access: ['admin'], clientData: 'none' }),
  'backup.runNow': channel({ input: Empty, output: BackupStatusView, access: ['admin'], clientData: 'read' }),
  // Polled by the screen while an operation runs: its kind, phase and row counts, no client data and no path.
  'backup.progress': channel({ input: Empty, output: BackupProgressView, access: ['admin'], clientData: 'none', passive: true }),
  'backup.chooseFile': channel({
    input: z.object({ purpose: z.enum(FILE_CHOICES) }).strict(),
    // `path` is what the screen sends back (in the desktop app an opaque token for the dialog's answer); `label` is what it shows.
    output: z.object({ available: z.boolean(), path: z.string().nullable(), label: z.string().nullable().optional() }),
    access: ['admin'],
    clientData: 'none',
  }),
} as const;
