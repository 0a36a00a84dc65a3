/**
 * `npm run cli -- backup export|verify|restore`: the admin's backup commands for IT staff, through
 * the same router as the app (same sign-in, same roles, same access log). The passphrase comes
 * from UTVAG_BACKUP_PASSPHRASE or a hidden prompt, never from the command line.
 */
import type { AppError, BackupProgressView, Result } from '../../preload/contract/index.js';
import { createLogger, silentLogger } from '../log.js';
import { defaultDataDir } from '../paths.js';
import { createRouter, type Router } from '../router.js';
import { JournalApp } from '../services/session/index.js';
import { formatBackupProgress, TerminalProgress } from './progress.js';
import { promptSecret } from './prompt.js';
import { CLI_COMMAND } from '../commands.js';

export const BACKUP_HELP = `  backup export --as USER --out FILE
        Write an encrypted backup of the whole journal to FILE: a SQLCipher 4 database keyed by a
        passphrase (at least 14 characters) from UTVAG_BACKUP_PASSPHRASE or asked for twice.
        The passphrase is not stored anywhere: without it the backup cannot be opened.
  backup verify --as USER --in FILE
        Check a backup through (passphrase, its schema against this app's, every page, row counts,
        checksums, the access log's chain) without restoring it, and say who made it: this
        installation (its seal matches) or elsewhere (nothing proves who), and its admins.
  backup restore --as USER --in FILE [--confirm CHECKSUM]
        Replace the journal with a verified backup. The current journal is kept beside it as
        journal.db.before-restore-<time>. Close the app (or lock it) first. A backup made elsewhere
        (another computer's, say) is restored only with --confirm and the checksum that
        'backup verify' printed for it, once you have read which admins it brings.`;

/** The options runBackupCommand reads (parseArgs 'string' options, plus 'verbose' as a boolean). */
export interface BackupCommandValues {
  'data-dir'?: string | undefined;
  as?: string | undefined;
  out?: string | undefined;
  in?: string | undefined;
  /** The checksum of a backup made elsewhere, as verify printed it: the admin's confirmation. */
  confirm?: string | undefined;
  verbose?: boolean | undefined;
}

/** A refusal to show as it is (index.ts turns it into its CliError). */
export class BackupCliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupCliError';
  }
}

/** The missing-journal refusal in plain English (the CLI has no i18n); index.ts explains it the same way. */
export const JOURNAL_MISSING_EXPLAINED =
  "The key file (keyring.json) is in the data folder but the journal (journal.db) is not. Nothing has been changed. Put journal.db back, or see README.md, 'When journal.db is missing'.";

// The CLI has no i18n: the backup refusals in plain English, the keys as the app uses them.
const EXPLAINED: Record<string, string> = {
  'error.backup.weakPassphrase': 'The passphrase is too weak: at least 14 characters, not a repeated pattern or a run like 1234…',
  'error.backup.passphraseMismatch': 'The passphrases do not match.',
  'error.backup.wrongPassphrase':
    'The passphrase does not open this file. If it is right, the file is not a backup from this app or its beginning is damaged.',
  'error.backup.notABackup': 'This file is not a backup from Utväg Reception.',
  'error.backup.unencrypted': 'This is an unencrypted database, not a backup from Utväg Reception.',
  'error.backup.damaged': 'The backup is damaged or incomplete and cannot be used. Use another copy.',
  'error.backup.partial': 'This is an unfinished backup from an interrupted export. Use a complete backup.',
  'error.backup.fileMissing': 'There is no file at that path.',
  'error.backup.folderMissing': 'The folder does not exist.',
  'error.backup.insideDataDir': "A backup may not be written into the journal's own folder. Choose another disk or folder.",
  'error.backup.badName': "A backup's name may not contain '.partial-'.",
  'error.backup.notAFile': 'That path is a folder, not a file.',
  'error.backup.writeFailed': 'The backup could not be written (the disk may be full or read-only). No backup file was left behind.',
  'error.backup.restoreFailed': 'The restore could not be completed. The journal is unchanged.',
  'error.backup.newerSchema': 'The backup comes from a newer version of the app. Update the app first.',
  'error.backup.journalInUse': 'The journal is open in another program (the app?). Close or lock it there, then try again.',
  'error.backup.unexpectedSchema':
    "The backup's structure is not the one this app makes (extra or changed tables, triggers or views). It is refused: nothing in it was run or restored.",
  'error.backup.sealBroken':
    'The backup says it was made by this installation, but its seal does not match: it has been changed since. Use another copy.',
  'error.backup.logChain':
    "The backup's access log does not verify, or does not end where its manifest says: rows were removed or changed. Use another copy.",
  'error.backup.foreignNotConfirmed':
    "This backup was not made by this installation, so nothing proves who made it. Run 'backup verify', read which admins it brings, then restore with --confirm <its checksum>.",
  'error.backup.changedSinceChecked':
    'The file is not the one whose checksum was confirmed (it changed, or another file was named). Verify it again.',
  'error.journalMissing': JOURNAL_MISSING_EXPLAINED,
  // Server mode.
  'error.notOnServer': 'The Utväg server does not do this. Nothing was written or restored.',
  'error.backup.notConfigured': `The Utväg server has no backup login: IT must create it (${CLI_COMMAND} server init prints its SQL, or --backup-login) and start the server with UTVAG_BACKUP_DATABASE_URL. Nothing was written or restored.`,
  'error.backup.serverNotEmpty':
    'The server journal already holds work beyond what server init made: a backup is restored only into a freshly initialised server journal. Nothing was restored.',
  'error.backup.serverImportFailed': 'The server could not take the backup as it is (a row was refused). The server journal is unchanged.',
  'error.backup.serverManagedByIt': "The Utväg server makes no automatic backups: IT backs up the server's PostgreSQL database.",
  'error.backup.busy': 'Another backup, verify or restore is running (in the app, or an automatic backup). Wait until it is done, then try again.',
  'error.serverUnreachable':
    'The Utväg server could not be reached (stopped, network down, or its certificate not trusted: see UTVAG_SERVER_CA). Nothing was retried.',
  'error.sessionEnded': 'The session on the server ended (the server restarted, or it was locked). Run the command again.',
};

function explain(error: AppError): string {
  const lines = [`Refused (${error.code}): ${EXPLAINED[error.message] ?? error.message}`];
  for (const [field, message] of Object.entries(error.fields ?? {})) {
    if (message !== error.message) lines.push(`  ${field}: ${EXPLAINED[message] ?? message}`);
  }
  return lines.join('\n');
}

async function expectOk<T>(result: Promise<Result<unknown>>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new BackupCliError(explain(settled.error));
  return settled.value as T;
}

/**
 * A long call with its progress on the terminal (stderr, only when a terminal): the router is asked
 * backup.progress between the operation's steps. Piped, nothing is polled and nothing written.
 */
async function withProgress<T>(router: Router, call: () => Promise<T>, terminal: TerminalProgress): Promise<T> {
  if (!terminal.active) return call();
  let asking = false;
  const timer = setInterval(() => {
    if (asking) return;
    asking = true;
    void router
      .invoke('backup.progress', {})
      .then((answer) => {
        const line = answer.ok ? formatBackupProgress(answer.value as BackupProgressView) : null;
        if (line) terminal.update(line);
      })
      .catch(() => undefined)
      .finally(() => {
        asking = false;
      });
  }, terminal.everyMs);
  try {
    return await call();
  } finally {
    clearInterval(timer);
    terminal.done();
  }
}

async function secret(env: NodeJS.ProcessEnv, variable: string, question: string): Promise<string> {
  const fromEnv = env[variable];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new BackupCliError(`No terminal to ask on: set ${variable} instead`);
  return promptSecret(question);
}

async function passphrase(env: NodeJS.ProcessEnv, confirm: boolean): Promise<string> {
  const first = await secret(env, 'UTVAG_BACKUP_PASSPHRASE', 'Backup passphrase: ');
  if (confirm && !env.UTVAG_BACKUP_PASSPHRASE && (await promptSecret('Repeat the backup passphrase: ')) !== first) {
    throw new BackupCliError('The passphrases do not match');
  }
  return first;
}

async function signIn(router: Router, env: NodeJS.ProcessEnv, username: string | undefined): Promise<void> {
  if (!username) throw new BackupCliError('Say who signs in with --as USER');
  const password = await secret(env, 'UTVAG_PASSWORD', `Password for ${username}: `);
  await expectOk(router.invoke('auth.login', { username, password }));
}

function counted(counts: Record<string, number>): string {
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  return `${total} rows in ${Object.keys(counts).length} tables`;
}

export async function runBackupCommand(
  subcommand: string | undefined,
  values: BackupCommandValues,
  env: NodeJS.ProcessEnv = process.env,
  print: (text: string) => void = console.log,
  /** Server mode: the workstation's remote router; the server answers (or refuses) instead of a local journal. */
  remote?: Router,
  terminal: TerminalProgress = new TerminalProgress(),
): Promise<void> {
  if (subcommand !== 'export' && subcommand !== 'verify' && subcommand !== 'restore') {
    throw new BackupCliError(`Say what to do: backup export, backup verify or backup restore\n\n${BACKUP_HELP}`);
  }
  const file = subcommand === 'export' ? values.out : values.in;
  if (!file) throw new BackupCliError(subcommand === 'export' ? 'Say where the backup goes with --out FILE' : 'Say which backup with --in FILE');
  const dataDir = values['data-dir'] ?? defaultDataDir(env);
  const app = remote ? null : new JournalApp({ dataDir, log: values.verbose ? createLogger() : silentLogger });
  const router = remote ?? createRouter(app!);
  try {
    await signIn(router, env, values.as);
    if (subcommand === 'export') {
      const phrase = await passphrase(env, true);
      const started = performance.now();
      const done = await withProgress(
        router,
        () =>
          expectOk<{ path: string; bytes: number; counts: Record<string, number>; checksum: string }>(
            router.invoke('backup.export', { path: file, passphrase: phrase, passphraseRepeat: phrase }),
          ),
        terminal,
      );
      print(`Backup written and verified: ${done.path}`);
      print(`${counted(done.counts)}, ${done.bytes} bytes, ${Math.round(performance.now() - started)} ms`);
      print(`Checksum: ${done.checksum}`);
      print('Keep the passphrase apart from the file: without it the backup cannot be opened.');
      return;
    }
    const phrase = await passphrase(env, false);
    if (subcommand === 'verify') {
      const verified = await withProgress(
        router,
        () =>
          expectOk<{
            createdAt: string;
            appVersion: string;
            schemaVersion: number;
            counts: Record<string, number>;
            checksum: string;
            origin: 'thisInstallation' | 'elsewhere';
            admins: { displayName: string; username: string; here: string }[];
          }>(router.invoke('backup.verify', { path: file, passphrase: phrase })),
        terminal,
      );
      print(`The backup is whole: made ${verified.createdAt} by version ${verified.appVersion}, schema version ${verified.schemaVersion}`);
      print(`${counted(verified.counts)}; checksum ${verified.checksum} matches`);
      print(
        verified.origin === 'thisInstallation'
          ? 'Made by this installation: its seal matches.'
          : 'Made elsewhere (another installation, or its maker cannot be proven): its content was checked against the schema only.',
      );
      const here: Record<string, string> = {
        admin: 'an admin here too',
        otherRoles: 'NOT an admin here',
        inactive: 'deactivated here',
        absent: 'not a user here',
      };
      print('Admins in the backup (a restore makes them the admins):');
      for (const admin of verified.admins) print(`  ${admin.displayName} (${admin.username}): ${here[admin.here] ?? admin.here}`);
      if (verified.origin !== 'thisInstallation') print(`To restore it: backup restore --in FILE --confirm ${verified.checksum}`);
      return;
    }
    const restored = await withProgress(
      router,
      () =>
        expectOk<{
          createdAt: string;
          schemaVersion: number;
          migratedTo: number;
          counts: Record<string, number>;
          keptAs: string;
          addedRestoringAdmin: boolean;
          renamedUser: { displayName: string; from: string; to: string } | null;
          usersWithoutPassword: number;
          keySlotsRemoved: number;
        }>(router.invoke('backup.restore', { path: file, passphrase: phrase, ...(values.confirm ? { confirmedChecksum: values.confirm } : {}) })),
      terminal,
    );
    print(`Restored the backup made ${restored.createdAt} (${counted(restored.counts)}).`);
    if (restored.migratedTo !== restored.schemaVersion)
      print(`Its schema was brought from version ${restored.schemaVersion} to ${restored.migratedTo}.`);
    // A server takes a restore only while it holds nothing but what `server init` made: nothing is kept aside there.
    if (restored.keptAs) print(`The journal it replaced is kept in the data folder as ${restored.keptAs}.`);
    if (restored.addedRestoringAdmin) print(`${values.as} was not in the backup and has been added to it as an admin.`);
    if (restored.renamedUser)
      print(`The backup's account ${restored.renamedUser.from} (${restored.renamedUser.displayName}) is now named ${restored.renamedUser.to}.`);
    if (restored.keySlotsRemoved > 0) print(`${restored.keySlotsRemoved} sign-in(s) of people not in the backup were removed from the key file.`);
    if (restored.usersWithoutPassword > 0)
      print(
        remote
          ? `${restored.usersWithoutPassword} user(s) have no password on the server yet: give each a temporary password under Användare (Users) in the app, or with 'users' here.`
          : `${restored.usersWithoutPassword} user(s) have no password on this computer: give each a new temporary password under Användare (Users) in the app.`,
      );
  } finally {
    app?.lock('shutdown');
  }
}
