/**
 * The admin command-line tool for IT staff: `npm run cli -- <command>`.
 * It drives the same router as the app, so it unlocks with the same passwords, obeys the same
 * roles and writes the same access log. Secrets come from the environment or a hidden prompt,
 * never from the command line (where other users could read them in the process list).
 */
import { parseArgs } from 'node:util';
import { ROLES, type AppError, type Result } from '../../preload/contract.js';
import { createLogger, silentLogger } from '../log.js';
import { defaultDataDir } from '../paths.js';
import { createRouter, type Router } from '../router.js';
import { JournalApp } from '../services/session.js';
import { promptSecret } from './prompt.js';

const HELP = `Utväg Reception — admin command-line tool

Usage: npm run cli -- <command> [options]

Commands:
  init --name NAME --username USER
        Create a new encrypted journal and its first admin. The admin's password comes from
        UTVAG_PASSWORD or is asked for twice. Prints the one-time recovery code.
  users list --as USER
        List the staff accounts.
  users add --as USER --name NAME --username NEWUSER --roles ROLE[,ROLE]
        Add a staff member (roles: ${ROLES.join(', ')}). Prints a temporary password that
        they must change at first sign-in.
  help  Show this text.

Options:
  --data-dir DIR   The journal's folder (default: UTVAG_DATA_DIR or the per-user folder).
  --as USER        The admin who signs in; the password comes from UTVAG_PASSWORD or a prompt.
  --verbose        Print the troubleshooting log (which never holds personal data) to stderr.
`;

export class CliError extends Error {}

function explain(error: AppError): string {
  const fields = Object.entries(error.fields ?? {}).map(([field, message]) => `  ${field}: ${message}`);
  return [`Refused (${error.code}): ${error.message}`, ...fields].join('\n');
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
  const app = new JournalApp({ dataDir, log: values.verbose ? createLogger() : silentLogger });
  const router = createRouter(app);
  try {
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
    throw new CliError(`Unknown command: ${positionals.join(' ')}\n\n${HELP}`);
  } finally {
    app.lock('shutdown');
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) {
  runCli(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof CliError ? error.message : `Failed: ${(error as Error).name}`);
    process.exitCode = 1;
  });
}
