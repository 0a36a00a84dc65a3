/**
 * The program the crash tests kill. crashProcess.ts bundles it once per test file and runs it with
 * this Node; the test sends SIGKILL. It opens a prepared journal through the real JournalApp and
 * router and then, by CRASH_MODE, writes in a loop ('writer') or runs one operation ('password',
 * 'export', 'restore').
 *
 * It reports on stdout, one line each, written synchronously and only after the router answered ok,
 * so that a line on the pipe means the write before it is committed:
 *   READY                     signed in
 *   A <appointmentId>         a booking
 *   D <entryId> <version>     version <version> of a draft's text saved
 *   S <entryId>               a draft signed
 *   I <clientId>              a first call registered
 *   STEP <n> <op> <file>      (CRASH_PAUSE_AT=trace) the n-th file-system change the operation made
 *   PAUSED <n> <op> <file>    (CRASH_PAUSE_AT=<n>) stopped just before that change, waiting to be killed
 *   DONE <json>               the operation answered ok; the child then waits to be killed
 *   FAILED <json>             the router refused something it should have accepted
 *
 * The pause points are the operation's own file-system changes (open for writing, write, fsync,
 * rename, remove), counted through wrappers around node:fs installed before the app is loaded, so
 * that a test can kill the operation between any two of them, deterministically, with no hook in
 * the app's code. SQLite's writes happen inside its C code and are reached by killing at random times.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { intakeInput } from '../fixtures/intake.js';

const env = process.env;
const writeOut = fs.writeSync;

function say(line: string): void {
  const bytes = Buffer.from(`${line}\n`);
  for (let done = 0; done < bytes.length;) {
    try {
      done += writeOut(1, bytes, done, bytes.length - done);
    } catch (error) {
      // A full pipe answers EAGAIN if it was made non-blocking: wait for the parent to read.
      if ((error as { code?: unknown }).code !== 'EAGAIN') throw error;
    }
  }
}

/** Blocks this process for good: the test kills it here. */
function waitToBeKilled(): never {
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

// ---- Pause points: the operation's file-system changes -------------------------------------------

const pauseAt = env.CRASH_PAUSE_AT ?? '';
let armed = false;
let inside = false;
let step = 0;
const openFiles = new Map<number, string>();

function fileName(target: unknown): string {
  if (typeof target === 'number') return openFiles.get(target) ?? `fd${target}`;
  return String(target).split(/[\\/]/).pop() || String(target);
}

function writes(flags: unknown): boolean {
  if (typeof flags === 'string') return /[wax+]/.test(flags);
  if (typeof flags === 'number') {
    const { O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND } = fs.constants;
    return (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)) !== 0;
  }
  return false;
}

/** Wraps one fs function so that each change it makes is a numbered step, and the chosen one pauses. */
function countSteps<F extends (...args: never[]) => unknown>(name: string, original: F, counts: (args: Parameters<F>) => boolean): F {
  return ((...args: Parameters<F>) => {
    if (!armed || inside || !counts(args)) return original(...args);
    step += 1;
    const where = `${step} ${name} ${fileName(args[0])}`;
    if (pauseAt === 'trace') say(`STEP ${where}`);
    else if (pauseAt === String(step)) {
      say(`PAUSED ${where}`);
      waitToBeKilled();
    }
    inside = true;
    try {
      return original(...args);
    } finally {
      inside = false;
    }
  }) as F;
}

const always = () => true;
const originalOpen = fs.openSync;
fs.openSync = countSteps(
  'open',
  ((file: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
    const fd = originalOpen(file, flags ?? 'r', mode);
    openFiles.set(fd, fileName(file));
    return fd;
  }) as typeof fs.openSync,
  (args) => writes(args[1]),
);
fs.writeSync = countSteps('write', fs.writeSync, always);
fs.writeFileSync = countSteps('writeFile', fs.writeFileSync, always);
fs.fsyncSync = countSteps('fsync', fs.fsyncSync, always);
fs.renameSync = countSteps('rename', fs.renameSync, always);
fs.rmSync = countSteps('rm', fs.rmSync, always);
fs.unlinkSync = countSteps('unlink', fs.unlinkSync, always);
// `import { renameSync } from 'node:fs'` in the app reads these live bindings: point them at the wrappers.
syncBuiltinESMExports();

// ---- The app -------------------------------------------------------------------------------------

const { JournalApp } = await import('../../main/services/session/index.js');
const { createRouter } = await import('../../main/router.js');

const app = new JournalApp({ dataDir: env.DATA_DIR!, sleep: async () => {} });
const router = createRouter(app);

async function must<T>(channel: string, input: unknown): Promise<T> {
  const result = await router.invoke(channel, input);
  if (!result.ok) {
    say(`FAILED ${JSON.stringify({ channel, error: result.error })}`);
    process.exit(2);
  }
  return result.value as T;
}

await must('auth.login', { username: env.USERNAME, password: env.PASSWORD });
say('READY');

/** Slot n of the writer: 15 minutes, 52 a day between 07:00 and 20:00, from Monday 6 January 2031 on. */
function slot(n: number): { date: string; start: string } {
  const day = new Date(Date.UTC(2031, 0, 6 + Math.floor(n / 52)));
  const minutes = 7 * 60 + (n % 52) * 15;
  const pad = (value: number) => String(value).padStart(2, '0');
  return { date: day.toISOString().slice(0, 10), start: `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}` };
}

/** The parent reads the version back out of the stored text. */
const draftText = (version: number) => `Fiktiv anteckning från krocktestet, version ${version}.`;

async function writeForever(): Promise<never> {
  const me = app.user!.id;
  const clientId = env.CLIENT_ID!;
  let next = Number(env.START_SLOT);
  let draft: { id: string; version: number } | null = null;
  for (let round = 0; ; round += 1) {
    const kind = round % 6;
    if (kind === 0 || kind === 3) {
      const { appointment } = await must<{ appointment: { id: string } }>('appointments.book', {
        side: 'victims',
        clientId,
        groupId: null,
        kind: 'individual',
        siteId: 'skaraborg',
        therapistId: me,
        roomId: 'skaraborg-r1',
        ...slot(next),
        durationMinutes: 15,
        note: '',
      });
      next += 1;
      say(`A ${appointment.id}`);
    } else if (kind === 1 || kind === 4) {
      const version: number = draft ? draft.version + 1 : 1;
      const saved: { id: string } = await must<{ id: string }>('journal.saveDraft', {
        clientId,
        entryId: draft?.id ?? null,
        kind: 'note',
        body: draftText(version),
      });
      draft = { id: saved.id, version };
      say(`D ${saved.id} ${version}`);
    } else if (kind === 2) {
      const { clientId: registered } = await must<{ clientId: string }>(
        'intake.register',
        intakeInput('victim', `Krock Testsdotter ${env.RUN}-${round}`, { birthYear: 1980 + (round % 30) }),
      );
      say(`I ${registered}`);
    } else if (draft) {
      await must('journal.sign', { entryId: draft.id, password: env.PASSWORD });
      say(`S ${draft.id}`);
      draft = null;
    }
  }
}

async function operation(): Promise<unknown> {
  switch (env.CRASH_MODE) {
    case 'password':
      return must('auth.changePassword', { currentPassword: env.PASSWORD, newPassword: env.NEW_PASSWORD, newPasswordRepeat: env.NEW_PASSWORD });
    case 'export':
      return must('backup.export', { path: env.BACKUP_FILE, passphrase: env.PASSPHRASE, passphraseRepeat: env.PASSPHRASE });
    case 'rekey':
      return must('auth.rekey', { password: env.PASSWORD });
    case 'restore':
      return must('backup.restore', { path: env.BACKUP_FILE, passphrase: env.PASSPHRASE });
    default:
      throw new Error(`Unknown CRASH_MODE ${env.CRASH_MODE}`);
  }
}

if (env.CRASH_MODE === 'writer') await writeForever();
armed = true;
const value = await operation();
armed = false;
say(`DONE ${JSON.stringify(value)}`);
if (pauseAt === 'trace') {
  app.lock('shutdown');
  process.exit(0);
}
waitToBeKilled();
