/**
 * The admin command-line tool for IT staff: `npm run cli -- <command>`.
 * It drives the same router as the app, so it unlocks with the same passwords, obeys the same
 * roles and writes the same access log. Secrets come from the environment or a hidden prompt,
 * never from the command line (where other users could read them in the process list).
 */
import { realpathSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ROLES, type AppError, type Result } from '../../preload/contract/index.js';
import { createLogger, silentLogger } from '../log.js';
import { defaultDataDir } from '../paths.js';
import { createRemoteRouter, ServerAddressError, type RemoteRouter } from '../remote/index.js';
import { serverChoice } from '../remote/workstation.js';
import { createRouter, type Router } from '../router.js';
import { JournalApp } from '../services/session/index.js';
import { BACKUP_HELP, BackupCliError, JOURNAL_MISSING_EXPLAINED, runBackupCommand } from './backup.js';
import { promptSecret } from './prompt.js';
import { runServerInit, SERVER_INIT_HELP, ServerInitError } from './serverInit.js';
import { runServerMigrate, SERVER_MIGRATE_HELP, ServerMigrateError } from './serverMigrate.js';
import { formatProgress, TerminalProgress } from './progress.js';
import { formatSeedSummary, seedDemo, SeedDemoError } from './seedDemo/index.js';
import { CLI_COMMAND } from '../commands.js';

const HELP = `Utväg Reception — admin command-line tool

Usage: ${CLI_COMMAND} <command> [options]

Commands:
  init --name NAME --username USER
        Create a new encrypted journal and its first admin. The admin's password comes from
        UTVAG_PASSWORD or is asked for twice. Prints the one-time recovery code.
  users list --as USER
        List the staff accounts.
  users add --as USER --name NAME --username NEWUSER --roles ROLE[,ROLE]
        Add a staff member (roles: ${ROLES.join(', ')}). Prints a temporary password that
        they must change at first sign-in.
  users roles --as USER --username OTHER --roles ROLE[,ROLE]
        Replace a staff member's roles. An admin keeps her own admin role, the last active admin
        keeps hers, and a therapist keeps hers while she has appointments or group sessions still
        to keep (the refusal counts them: move or cancel them first).
  seed-demo --years N [--seed S] [--as USER | --admin-username USER --admin-name NAME]
        Fill the journal with a realistic, entirely fictional practice over the last N years
        (about 250 new clients a year, links, appointments, groups, a waiting list, care
        relations and the therapists' journal entries), every step through the same rules as the app. Without a journal in the folder it creates one with a
        demo admin (default demo.admin); with one, the admin given by --as signs in. The password
        comes from UTVAG_PASSWORD (or a prompt); the demo receptionist gets the same password.
        The same seed gives the same practice for the same day.
  stats --as ADMIN --quarter YYYY-QN --format csv        (a whole quarter that has ended, for the whole centre)
        Aggregate statistics for the period as CSV. Counts from 1 to 4 read "<5"; no names or numbers.
  audit verify --as ADMIN
        Check the access log's hash chain: every row unchanged and none removed from the middle, and
        its newest row the one kept in the keyring (none cut off the end, no older copy put back).
  rekey --as ADMIN
        Give the journal a new key and a new recovery code (printed once). Afterwards old copies of
        keyring.json, the old recovery code and deactivated users' passwords open nothing.
  audit export --as ADMIN [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out FILE]
        The access log as CSV (days in Swedish time, both inclusive), to FILE or standard output.
${BACKUP_HELP}
${SERVER_INIT_HELP}
${SERVER_MIGRATE_HELP}
  help  Show this text.

Server mode: with UTVAG_SERVER_URL=https://HOST:PORT (and UTVAG_SERVER_CA=FILE for a private
certificate authority), or in a workstation's data folder that was connected to the Utväg server at
first run, users, stats, audit and backup sign in at the server with --as and UTVAG_PASSWORD and act
on its journal. init, rekey and seed-demo act on a local journal only (the server's first admin is
made by 'server init').

Options:
  --data-dir DIR   The journal's folder (default: UTVAG_DATA_DIR or the per-user folder).
  --as USER        The admin who signs in; the password comes from UTVAG_PASSWORD or a prompt.
  --verbose        Print the troubleshooting log (which never holds personal data) to stderr.
`;

export class CliError extends Error {}

/** Server mode's refusals in plain English (the CLI has no i18n). */
export const SERVER_EXPLAINED: Record<string, string> = {
  'error.serverUnreachable':
    'The Utväg server could not be reached (stopped, network down, or its certificate not trusted: see UTVAG_SERVER_CA). Nothing was retried; run the command again when it answers.',
  'error.sessionEnded': 'The session on the server ended (the server restarted, or it was locked). Run the command again.',
  'error.notOnServer': 'The Utväg server does not do this: it acts on a local journal only.',
};

function explain(error: AppError): string {
  const fields = Object.entries(error.fields ?? {}).map(([field, message]) => `  ${field}: ${message}`);
  // What a refusal counts (a therapist's appointments still to keep), never names.
  const counts = Object.entries(error.counts ?? {}).map(([name, value]) => `  ${name}: ${value}`);
  const message = error.code === 'JOURNAL_MISSING' ? JOURNAL_MISSING_EXPLAINED : (SERVER_EXPLAINED[error.message] ?? error.message);
  return [`Refused (${error.code}): ${message}`, ...fields, ...counts].join('\n');
}

async function expectOk<T>(result: Promise<Result<unknown>>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new CliError(explain(settled.error));
  return settled.value as T;
}

async function password(env: NodeJS.ProcessEnv, question: string, confirm = false): Promise<string> {
  if (env.UTVAG_PASSWORD) return env.UTVAG_PASSWORD;
  const first = await promptSecret(question);
  if (confirm && (await promptSecret('Repeat the password: ')) !== first) throw new CliError('The passwords do not match');
  return first;
}

async function signIn(router: Router, env: NodeJS.ProcessEnv, username: string | undefined): Promise<void> {
  if (!username) throw new CliError('Say who signs in with --as USER');
  await expectOk(router.invoke('auth.login', { username, password: await password(env, `Password for ${username}: `) }));
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env, print: (text: string) => void = console.log): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      as: { type: 'string' },
      name: { type: 'string' },
      username: { type: 'string' },
      roles: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      in: { type: 'string' },
      confirm: { type: 'string' },
      quarter: { type: 'string' },
      format: { type: 'string' },
      years: { type: 'string' },
      seed: { type: 'string' },
      'admin-username': { type: 'string' },
      'admin-name': { type: 'string' },
      'server-login': { type: 'string' },
      'backup-login': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      verbose: { type: 'boolean', short: 'v' },
    },
  });
  const [command, subcommand] = positionals;
  if (!command || command === 'help' || values.help) {
    print(HELP);
    return;
  }
  const dataDir = values['data-dir'] ?? defaultDataDir(env);
  const log = values.verbose ? createLogger() : silentLogger;
  // Server mode: the commands that the server answers go there; the ones that make or change a local journal refuse.
  let remote: RemoteRouter | null = null;
  try {
    const choice = serverChoice(env, dataDir);
    if (choice) remote = createRemoteRouter({ url: choice.url, ca: choice.ca, log, dataDir });
  } catch (error) {
    if (error instanceof ServerAddressError) throw new CliError(error.message);
    throw new CliError(`The server setting cannot be used: ${(error as Error).message}`);
  }
  if (remote) {
    try {
      return await runAgainstServer(remote, command, subcommand, values, env, print);
    } finally {
      // The session ends with the command: nothing of it outlives the process, on either side.
      if (remote.signedIn) await remote.invoke('auth.logout', {});
      remote.close();
    }
  }
  if (command === 'seed-demo') {
    const years = Number(values.years);
    if (!Number.isInteger(years) || years < 1 || years > 30) throw new CliError('Say how many years with --years N (1 to 30)');
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0) throw new CliError('--seed takes a whole number');
    const probe = new JournalApp({ dataDir, log: silentLogger });
    const fresh = probe.status().state === 'setup';
    const secret = await password(env, fresh ? 'Password for the new demo admin: ' : `Password for ${values.as ?? 'the admin'}: `, fresh);
    // On a terminal, one line on stderr counts the days; piped, nothing (stdout keeps the summary).
    const terminal = new TerminalProgress();
    try {
      const summary = await seedDemo({
        dataDir,
        years,
        seed,
        password: secret,
        ...(values.as ? { signInAs: values.as } : {}),
        admin: { username: values['admin-username'] ?? 'demo.admin', displayName: values['admin-name'] ?? 'Alva Adminsson' },
        log: values.verbose ? createLogger() : silentLogger,
        // A line of its own after the terminal's progress line, never appended to it.
        progress: (line) => {
          terminal.done();
          print(line);
        },
        onDay: (done, total) => terminal.update(formatProgress('Simulating days', done, total)),
      });
      terminal.done();
      for (const line of formatSeedSummary(summary, dataDir)) print(line);
      if (summary.recoveryCode) {
        print('');
        print(`Recovery code of the new demo journal: ${summary.recoveryCode}`);
      }
    } catch (error) {
      terminal.done();
      if (error instanceof SeedDemoError) throw new CliError(error.message);
      throw error;
    }
    return;
  }
  if (command === 'server' && subcommand === 'init') {
    try {
      await runServerInit(values, env, print, () => password(env, 'Password for the new admin: ', true));
    } catch (error) {
      if (error instanceof ServerInitError) throw new CliError(error.message);
      throw error;
    }
    return;
  }
  if (command === 'server' && subcommand === 'migrate') {
    try {
      await runServerMigrate(env, print);
    } catch (error) {
      if (error instanceof ServerMigrateError) throw new CliError(error.message);
      throw error;
    }
    return;
  }
  if (command === 'backup') {
    // The backup commands sign in and keep their own app, as they may close and reopen the journal.
    try {
      await runBackupCommand(subcommand, values, env, print);
    } catch (error) {
      if (error instanceof BackupCliError) throw new CliError(error.message);
      throw error;
    }
    return;
  }
  const app = new JournalApp({ dataDir, log });
  const router = createRouter(app);
  try {
    await runSignedInCommand(router, command, subcommand, values, env, print, () => undefined);
  } finally {
    app.lock('shutdown');
  }
}

/** The options the signed-in commands read (parseArgs's values). */
interface CliValues {
  'data-dir'?: string | undefined;
  as?: string | undefined;
  name?: string | undefined;
  username?: string | undefined;
  roles?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  out?: string | undefined;
  in?: string | undefined;
  confirm?: string | undefined;
  quarter?: string | undefined;
  format?: string | undefined;
  verbose?: boolean | undefined;
}

/** Server mode: the commands that act on the server's journal through it; the local-journal ones refuse and say why. */
async function runAgainstServer(
  router: RemoteRouter,
  command: string,
  subcommand: string | undefined,
  values: CliValues,
  env: NodeJS.ProcessEnv,
  print: (text: string) => void,
): Promise<void> {
  const where = router.serverUrl;
  if (command === 'init')
    throw new CliError(
      `This workstation uses the Utväg server at ${where}: no local journal is created here. The server's first admin is made by 'server init' on the server.`,
    );
  if (command === 'rekey')
    throw new CliError(`rekey gives a local journal a new key; the server's journal (at ${where}) is PostgreSQL's, not keyed here.`);
  if (command === 'seed-demo')
    throw new CliError(`seed-demo fills a local journal only; it does not write demo data into the server's journal at ${where}.`);
  if (command === 'backup') {
    try {
      await runBackupCommand(subcommand, values, env, print, router);
    } catch (error) {
      if (error instanceof BackupCliError) throw new CliError(error.message);
      throw error;
    }
    return;
  }
  await runSignedInCommand(router, command, subcommand, values, env, print, () => {
    throw new CliError(`Unknown command: ${[command, subcommand].filter(Boolean).join(' ')}\n\n${HELP}`);
  });
}

/** The commands that sign in and call the router, the same on a local journal and on the server. */
async function runSignedInCommand(
  router: Router,
  command: string,
  subcommand: string | undefined,
  values: CliValues,
  env: NodeJS.ProcessEnv,
  print: (text: string) => void,
  notHere: () => void,
): Promise<void> {
  const dataDir = values['data-dir'] ?? defaultDataDir(env);
  {
    if (command === 'init') {
      const secret = await password(env, 'Password for the new admin: ', true);
      const created = await expectOk<{ recoveryCode: string }>(
        router.invoke('auth.setup', { displayName: values.name ?? '', username: values.username ?? '', password: secret, passwordRepeat: secret }),
      );
      print(`Created an encrypted journal in ${dataDir}`);
      print('');
      print(`Recovery code: ${created.recoveryCode}`);
      print('Write it down on paper now and keep it locked away. It is shown only this once.');
      return;
    }
    if (command === 'rekey') {
      if (!values.as) throw new CliError('Say who signs in with --as USER');
      // The password is asked once and used twice: to sign in, and to confirm the rekey.
      const secret = await password(env, `Password for ${values.as}: `);
      await expectOk(router.invoke('auth.login', { username: values.as, password: secret }));
      const rekeyed = await expectOk<{ recoveryCode: string; usersWithoutPassword: number }>(router.invoke('auth.rekey', { password: secret }));
      print('The journal has a new key. Old copies of keyring.json and the old recovery code open nothing any more.');
      if (rekeyed.usersWithoutPassword > 0)
        print(`${rekeyed.usersWithoutPassword} user(s) need a new temporary password before they can sign in (users list shows who).`);
      print('');
      print(`Recovery code: ${rekeyed.recoveryCode}`);
      print('Write it down on paper now and keep it locked away. It is shown only this once.');
      return;
    }
    if (command === 'users' && subcommand === 'list') {
      await signIn(router, env, values.as);
      const users = await expectOk<{ username: string; displayName: string; roles: string[]; active: boolean; lastLoginAt: string | null }[]>(
        router.invoke('users.list', {}),
      );
      for (const user of users)
        print(
          `${user.username}\t${user.displayName}\t${user.roles.join(',')}\t${user.active ? 'active' : 'inactive'}\t${user.lastLoginAt ?? 'never'}`,
        );
      return;
    }
    if (command === 'users' && subcommand === 'add') {
      await signIn(router, env, values.as);
      const roles = (values.roles ?? '')
        .split(',')
        .map((role) => role.trim())
        .filter(Boolean);
      const created = await expectOk<{ temporaryPassword: string; user: { username: string } }>(
        router.invoke('users.create', { displayName: values.name ?? '', username: values.username ?? '', roles }),
      );
      print(`Added ${created.user.username}. Temporary password (must be changed at first sign-in): ${created.temporaryPassword}`);
      return;
    }
    if (command === 'users' && subcommand === 'roles') {
      await signIn(router, env, values.as);
      const wanted = (values.username ?? '').trim().toLowerCase();
      const users = await expectOk<{ id: string; username: string }[]>(router.invoke('users.list', {}));
      const user = users.find((candidate) => candidate.username.toLowerCase() === wanted);
      if (!user) throw new CliError(`No user is called ${values.username ?? ''}: users list shows the usernames`);
      const roles = (values.roles ?? '')
        .split(',')
        .map((role) => role.trim())
        .filter(Boolean);
      const changed = await expectOk<{ username: string; roles: string[] }>(router.invoke('users.setRoles', { userId: user.id, roles }));
      print(`The roles of ${changed.username} are now: ${changed.roles.join(', ')}`);
      return;
    }
    if (command === 'stats') {
      if (values.format && values.format !== 'csv') throw new CliError('--format takes csv');
      // Whole ended quarters only, as on the screen: see main/services/statistics.ts for why.
      const quarter = /^(\d{4})-[QqKk]([1-4])$/.exec(values.quarter ?? '');
      if (!quarter) throw new CliError('--quarter takes a calendar quarter that has ended, such as 2026-Q3');
      await signIn(router, env, values.as);
      const exported = await expectOk<{ csv: string }>(router.invoke('stats.exportCsv', { year: Number(quarter[1]), quarter: Number(quarter[2]) }));
      print(exported.csv);
      return;
    }
    if (command === 'audit' && subcommand === 'verify') {
      await signIn(router, env, values.as);
      const result = await expectOk<{ ok: boolean; rows: number; brokenAt: number | null; headProblem?: string | null }>(
        router.invoke('audit.verify', {}),
      );
      if (!result.ok && result.brokenAt !== null)
        throw new CliError(`The access log's chain is broken at row ${result.brokenAt}: a row was changed or removed.`);
      if (!result.ok)
        throw new CliError(
          `The access log's chain holds, but it does not reach the newest row kept in the keyring (${result.headProblem}): rows were removed from its end, the chain was recomputed, or an older copy of the journal was put back.`,
        );
      print(`The access log verifies: ${result.rows} rows, every hash chained to the one before, the newest one the keyring's.`);
      return;
    }
    if (command === 'audit' && subcommand === 'export') {
      await signIn(router, env, values.as);
      const filter = {
        userId: null,
        clientId: null,
        from: values.from ?? null,
        to: values.to ?? null,
        action: null,
        emergencyOnly: false,
        unreviewedOnly: false,
      };
      const exported = await expectOk<{ rows: number; csv: string }>(router.invoke('audit.exportCsv', { filter }));
      if (values.out) {
        // Written with owner-only permissions: the log names who looked at which client.
        writeFileSync(values.out, exported.csv, { mode: 0o600 });
        print(`Wrote ${exported.rows} access-log rows to ${values.out}`);
      } else print(exported.csv);
      return;
    }
    notHere();
    throw new CliError(`Unknown command: ${[command, subcommand].filter(Boolean).join(' ')}\n\n${HELP}`);
  }
}

/** Run as a program (tsx main/cli/index.ts, node dist/main/cli.js), not imported: compared as file URLs, so Windows paths and symlinked folders match too. */
function invokedDirectly(): boolean {
  if (!process.argv[1]) return false;
  try {
    return pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
  } catch {
    return false;
  }
}
if (invokedDirectly()) {
  runCli(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof CliError ? error.message : `Failed: ${(error as Error).name}`);
    process.exitCode = 1;
  });
}
