import { exportBackup, refusalName, totalRows, verifyBackup } from '../services/backup.js';
import { listLeftovers, removeLeftovers } from '../services/backupLeftovers.js';
import type { BackupTask, BackupWork, BackupWorkKind } from '../services/backupProgress.js';
import { DomainError } from '../services/errors.js';
import { assertStrongPassword } from '../services/passwordStrength.js';
import { DialogChoices } from '../services/backupPaths.js';
import { type DomainHandlers, type ShellServices, outsideTransaction, signedIn } from './context.js';

/** Begins a backup operation, or refuses while one runs, with the seal key wiped then. */
function beginOrWipe(work: BackupWork, kind: BackupWorkKind, now: Date, sealKey: Buffer): BackupTask {
  try {
    return work.begin(kind, now);
  } catch (error) {
    sealKey.fill(0);
    throw error;
  }
}

/**
 * Backups: export, verify, restore, the automatic schedule and leftovers. Export, verify, restore and
 * a run started by hand work on files for seconds and copy with ATTACH on the journal's own connection
 * (SQLite only): they run outside the call's transaction and log through ctx.sqlite. The log records
 * what happened and how many rows, never the path or the passphrase.
 */
export function backupHandlers(
  shell: ShellServices,
): DomainHandlers<
  | 'backup.export'
  | 'backup.verify'
  | 'backup.restore'
  | 'backup.leftovers.list'
  | 'backup.leftovers.remove'
  | 'backup.status'
  | 'backup.schedule.update'
  | 'backup.chooseFile'
  | 'backup.runNow'
  | 'backup.progress'
> {
  // With a file dialog (the desktop app), backup paths come only from it: see DialogChoices.
  const dialogChoices = shell.chooseFile ? new DialogChoices() : null;
  const backupPath = (value: string, kind: 'file' | 'folder', field: string) => (dialogChoices ? dialogChoices.resolve(value, kind, field) : value);
  return {
    'backup.export': outsideTransaction(async (input, ctx) => {
      assertStrongPassword(input.passphrase, 'passphrase', [], 'passphrase');
      const now = ctx.app.now();
      const file = backupPath(input.path, 'file', 'path');
      let copied = false;
      // Derived from the journal key: wiped once the export is over, like the key itself at lock.
      const sealKey = ctx.app.backupSealKey();
      // One backup operation at a time: a second start is refused (error.backup.busy), never queued.
      const task = beginOrWipe(ctx.app.backups.work, 'export', now, sealKey);
      try {
        const exported = await exportBackup(
          ctx.app.db,
          { file, passphrase: input.passphrase, dataDir: ctx.app.dataDir, now, sealKey },
          {
            transact: ctx.sqlite.transact,
            onCopied: ({ rows }) => {
              copied = true;
              ctx.sqlite.audit({ clientId: null, record: `backup:export:rows=${rows}` });
            },
            task,
          },
        );
        ctx.app.backups.recordManualExport(now);
        return exported;
      } catch (error) {
        // An export refused or failed after its copy was logged says so too; one refused before the copy still leaves its row.
        try {
          await ctx.transact(() => ctx.audit({ clientId: null, record: `backup:export:${copied ? 'failed' : 'refused'}:${refusalName(error)}` }));
        } catch {
          // Locked meanwhile: there is no journal to log into.
        }
        throw error;
      } finally {
        sealKey.fill(0);
        task.end();
      }
    }),
    'backup.verify': outsideTransaction(async (input, ctx) => {
      let file: string;
      try {
        file = backupPath(input.path, 'file', 'path');
      } catch (error) {
        await ctx.transact(() => ctx.audit({ clientId: null, record: `backup:verify:refused:${refusalName(error)}` }));
        throw error;
      }
      const sealKey = ctx.app.backupSealKey();
      const task = beginOrWipe(ctx.app.backups.work, 'verify', ctx.app.now(), sealKey);
      const verified = await verifyBackup(file, input.passphrase, { sealKey, current: ctx.app.db, task }).finally(() => {
        sealKey.fill(0);
        task.end();
      });
      await ctx.transact(() =>
        ctx.audit({
          clientId: null,
          record: verified.ok
            ? `backup:verify:rows=${totalRows(verified.counts)}:${verified.origin === 'thisInstallation' ? 'sealed-here' : 'made-elsewhere'}`
            : `backup:verify:refused:${refusalName(verified.error)}`,
        }),
      );
      if (!verified.ok) throw verified.error;
      return verified;
    }),
    'backup.restore': outsideTransaction(async (input, ctx) => {
      let switching = false;
      // Begun before the try: a restore refused as busy is not one that was tried (the other operation is logged).
      const task = ctx.app.backups.work.begin('restore', ctx.app.now());
      try {
        const file = backupPath(input.path, 'file', 'path');
        return await ctx.app.restoreBackup(
          { file, passphrase: input.passphrase, confirmedChecksum: input.confirmedChecksum },
          {
            beforeSwitch: ({ rows }) => {
              switching = true;
              ctx.sqlite.transact(() => ctx.sqlite.audit({ clientId: null, record: `backup:restore:rows=${rows}` }));
            },
            task,
          },
        );
      } catch (error) {
        // A refused restore is logged in the journal that stays active (which is still open before the switch).
        if (!switching && error instanceof DomainError) {
          try {
            await ctx.transact(() => ctx.audit({ clientId: null, record: `backup:restore:refused:${refusalName(error)}` }));
          } catch {
            // The journal was locked (and closed) while the backup was being checked: there is nothing to log into.
          }
        }
        throw error;
      } finally {
        task.end();
      }
    }),
    'backup.leftovers.list': (_input, { app }) => ({ items: listLeftovers(app.dataDir, app.backups.folder()) }),
    'backup.leftovers.remove': async (input, ctx) => {
      const done = removeLeftovers(ctx.app.dataDir, ctx.app.backups.folder(), input.ids, ctx.app.backups.running);
      const kinds = Object.entries(done.kinds)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([kind, count]) => `${kind}=${count}`)
        .join(',');
      await ctx.audit({ clientId: null, record: `backup:cleanup:removed=${done.removed}:${kinds}:bytes=${done.bytes}` });
      return { items: listLeftovers(ctx.app.dataDir, ctx.app.backups.folder()) };
    },
    // The schedule's passphrase goes in and never comes out: the status says only whether one is stored.
    'backup.status': (_input, { app }) => app.backups.status(),
    'backup.progress': (_input, { app }) => app.backups.work.view(),
    'backup.schedule.update': (input, ctx) => {
      if (input.passphrase !== '') assertStrongPassword(input.passphrase, 'passphrase', [], 'passphrase');
      // A folder already stored came from a dialog (or was typed where typing is the way); a new one must come from the dialog.
      const stored = ctx.app.backups.folder() ?? '';
      const folder = input.folder === '' || input.folder === stored ? input.folder : backupPath(input.folder, 'folder', 'folder');
      return ctx.app.backups.updateSchedule({ ...input, folder }, signedIn(ctx).id);
    },
    // The dialog waits on a person: never inside a transaction.
    'backup.chooseFile': outsideTransaction(async ({ purpose }) => {
      if (!shell.chooseFile || !dialogChoices) return { available: false, path: null, label: null };
      if (purpose === 'probe') return { available: true, path: null, label: null };
      const chosen = await shell.chooseFile(purpose);
      if (chosen === null) return { available: true, path: null, label: null };
      return { available: true, path: dialogChoices.issue(chosen, purpose === 'backupFolder' ? 'folder' : 'file'), label: chosen };
    }),
    'backup.runNow': outsideTransaction(async (_input, ctx) =>
      ctx.app.backups.runNow({
        transact: ctx.sqlite.transact,
        audit: (record) => {
          ctx.sqlite.audit({ clientId: null, record });
        },
      }),
    ),
  };
}
