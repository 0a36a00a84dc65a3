/**
 * `npm run bench [-- --json] [-- --fresh]`: measures the app on a realistic ten-year journal and
 * checks the results against the goals (never with timers in tests).
 *
 *   --json        print one JSON object of named figures instead of the table
 *   --fresh       seed the journal again instead of reusing the one cached in .bench/
 *   --years N     another size of journal (default 10); --seed S another practice (default 1)
 *   --keep        keep this run's working folder in .bench/ (it is removed otherwise)
 *   --only A,B    measure only these parts: unlock, reception, booking, backup, journal, encryption, renderer, server
 *                 (server measures reception, booking and journal locally too: its goals compare with them)
 *
 * The server part starts a throwaway PostgreSQL (or uses the empty database UTVAG_BENCH_DATABASE_URL
 * names, as its owner), moves this run's journal onto it and measures through HTTPS (server.ts).
 *
 * Progress goes to stderr, the result to stdout. A missed goal is reported, not an error (timings
 * vary with what else the machine does: run it more than once); the exit status is 1 only when a
 * part could not be measured at all.
 */
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { journalPath } from '../../db/journal.js';
import { DemoRandom } from '../../main/cli/seedDemo/index.js';
import {
  bookingPlans,
  Desk,
  journalInputs,
  measureBackup,
  measureBooking,
  measureDisk,
  measureJournalOpen,
  measureReception,
  measureUnlock,
  receptionInputs,
} from './calls.js';
import { measureEncryption } from './encryption.js';
import { formatTable, passes, toJson, type Section } from './figures.js';
import { BENCH_ADMIN, BENCH_PASSWORD, seededJournal, workingCopy } from './journal.js';
import { countStatements } from './statements.js';
import { ensureRendererBuilt, measureInChromium } from './renderer.js';
import { measureServer, type ServerBenchInput } from './server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const THERAPIST_PASSWORD = 'bänkens-behandlare-egen-lösenfras';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    json: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    years: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
  },
});
const PARTS = ['unlock', 'reception', 'booking', 'backup', 'journal', 'encryption', 'renderer', 'server'] as const;
const only = values.only?.split(',').map((part) => part.trim());
const unknownPart = only?.find((part) => !(PARTS as readonly string[]).includes(part));
if (unknownPart) throw new Error(`--only knows ${PARTS.join(', ')}; not ${unknownPart}`);
// The server's figures are held against the local ones of the same calls in the same run.
const SERVER_NEEDS = ['reception', 'booking', 'journal'];
const wanted = (part: (typeof PARTS)[number]) => !only || only.includes(part) || (only.includes('server') && SERVER_NEEDS.includes(part));
const years = Number(values.years);
const seed = Number(values.seed);
if (!Number.isInteger(years) || years < 1 || years > 30) throw new Error('--years takes a whole number from 1 to 30');
if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed takes a whole number');

const progress = (line: string) => process.stderr.write(`${line}\n`);

/** A part that fails is reported as not measured (and so as a missed goal); the other parts still run. */
async function part(title: string, measure: () => Promise<Section>): Promise<Section> {
  progress(`… ${title}`);
  try {
    return await measure();
  } catch (error) {
    return { title, figures: [], error: error instanceof Error ? error.message : String(error) };
  }
}

const benchRoot = path.join(ROOT, '.bench');
mkdirSync(benchRoot, { recursive: true, mode: 0o700 });
const journal = await seededJournal({ root: benchRoot, years, seed, fresh: values.fresh, progress });
const runDir = path.join(benchRoot, `run-${process.pid}-${Date.now()}`);
const dataDir = path.join(runDir, 'data');
workingCopy(journal, dataDir);
const rng = new DemoRandom(seed);
const sections: Section[] = [];
const RECEPTION_CALLS = 200;
const BOOKING_CALLS = 100;
const JOURNAL_CALLS = 200;
/** What the server part needs of the local run: the same inputs, and the journal as it then stands. */
let serverInput: Omit<ServerBenchInput, 'localP95' | 'progress'> | undefined;

let statementFigures: Record<string, number> | undefined;
// Before the journal is opened, so that every statement the measured calls run is counted.
countStatements();
try {
  const desk = new Desk(dataDir);
  // The first sign-in brings the copy's schema up to this version of the app; it is not timed.
  await desk.ok('auth.login', { username: journal.receptionist, password: BENCH_PASSWORD });
  if (wanted('unlock'))
    sections.push(await part('Unlock (password → usable journal)', () => measureUnlock(desk, journal.receptionist, BENCH_PASSWORD, 9)));
  if (!desk.app.isUnlocked) await desk.ok('auth.login', { username: journal.receptionist, password: BENCH_PASSWORD });
  if (wanted('reception') || wanted('booking') || wanted('journal')) sections.push(await part('Disk', async () => measureDisk(dataDir, 200)));
  // Picked before any call, so that the server part makes the same calls.
  const reception = receptionInputs(desk.db, rng, RECEPTION_CALLS);
  const plans = bookingPlans(desk.db, rng, BOOKING_CALLS);
  if (wanted('reception')) sections.push(await part('Reception desk', () => measureReception(desk, reception)));
  if (wanted('booking')) sections.push(await part('Booking', () => measureBooking(desk, plans, BOOKING_CALLS)));

  // The admin exports and verifies a backup, and gives the busiest therapist a new password to sign in with.
  await desk.ok('auth.login', { username: BENCH_ADMIN.username, password: BENCH_PASSWORD });
  if (wanted('backup')) sections.push(await part('Backup', () => measureBackup(desk, dataDir, path.join(runDir, 'backups'))));
  const therapist = desk.db
    .prepare(
      `SELECT r.therapist_id AS id, u.username FROM care_relations r JOIN users u ON u.id = r.therapist_id
         WHERE r.ended_at IS NULL GROUP BY r.therapist_id ORDER BY count(*) DESC, r.therapist_id LIMIT 1`,
    )
    .get() as { id: string; username: string } | undefined;
  if (!wanted('journal')) {
    // Not asked for.
  } else if (therapist) {
    const reset = await desk.ok<{ temporaryPassword: string }>('users.resetPassword', { userId: therapist.id });
    await desk.ok('auth.login', { username: therapist.username, password: reset.temporaryPassword });
    await desk.ok('auth.changePassword', {
      currentPassword: reset.temporaryPassword,
      newPassword: THERAPIST_PASSWORD,
      newPasswordRepeat: THERAPIST_PASSWORD,
    });
  }
  const opened = therapist ? journalInputs(desk.db, therapist.id, rng, JOURNAL_CALLS) : null;
  if (wanted('journal') && opened) sections.push(await part('Journal', () => measureJournalOpen(desk, opened)));
  else if (wanted('journal')) sections.push({ title: 'Journal', figures: [], error: 'no therapist has clients in care' });

  if (wanted('server')) {
    // The journal as this run left it, backed up by its admin: what a centre moving to a server restores there.
    await desk.ok('auth.login', { username: BENCH_ADMIN.username, password: BENCH_PASSWORD });
    const file = path.join(runDir, 'server', 'bench-journal.backup');
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const passphrase = 'Bänkens flytt till servern, helt påhittad';
    const exported = await desk.ok<{ checksum: string }>('backup.export', { path: file, passphrase, passphraseRepeat: passphrase });
    serverInput = {
      backup: { file, passphrase, checksum: exported.checksum },
      dir: path.dirname(file),
      reception,
      receptionist: journal.receptionist,
      bookingPlans: plans,
      bookingCalls: BOOKING_CALLS,
      journal: therapist && opened ? { therapistId: therapist.id, inputs: opened } : null,
      version: (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
      seed,
    };
  }
  desk.app.lock('shutdown');
  statementFigures = desk.statements.toObject();
  sections.push(desk.statements.section());

  if (wanted('encryption')) {
    sections.push(
      await part('Encryption overhead', () =>
        measureEncryption({ dataDir, username: journal.receptionist, password: BENCH_PASSWORD }, path.join(runDir, 'cipher')),
      ),
    );
  }
  if (serverInput) {
    const given = serverInput;
    const localP95 = Object.fromEntries(sections.flatMap((section) => section.figures).map((figure) => [figure.key, figure.value]));
    sections.push(await part('Server (HTTPS on 127.0.0.1, PostgreSQL)', () => measureServer({ ...given, localP95, progress })));
  }
  if (wanted('renderer')) {
    sections.push(
      await part('Renderer', async () => {
        ensureRendererBuilt(progress);
        return measureInChromium(dataDir, 7, 200);
      }),
    );
  }
} finally {
  if (!values.keep) rmSync(runDir, { recursive: true, force: true });
}

const megabytes = statSync(journalPath(journal.dir)).size / (1024 * 1024);
const context = {
  bench: 'utvag-reception',
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}` },
  journal: {
    seedDemoVersion: journal.version,
    years: journal.years,
    seed: journal.seed,
    seededUntil: journal.until,
    megabytes: Math.round(megabytes * 10) / 10,
    rows: journal.counts,
  },
};

/** { 'server.weekView.p95Ms': 3 } → { weekView: { p95Ms: 3 } } for the keys under the prefix. */
function nested(flat: Record<string, unknown>, prefix: string): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    if (!key.startsWith(prefix)) continue;
    const parts = key.slice(prefix.length).split('.');
    let node = tree;
    for (const name of parts.slice(0, -1)) node = (node[name] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = value;
  }
  return tree;
}

if (values.json) {
  const json = toJson(sections, context) as { figures: Record<string, unknown> };
  // Also as one object (figures.statements.booking), beside the flat keys (figures['statements.booking']).
  json.figures.statements = statementFigures ?? {};
  // The server's figures as one object too (figures.server.weekView.p95Ms), beside the flat keys.
  json.figures.server = nested(json.figures, 'server.');
  process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
} else {
  const counts = journal.counts;
  const missed = sections.flatMap((section) => [
    ...(section.error ? [section.title] : []),
    ...section.figures.filter((figure) => !passes(figure)).map((figure) => figure.label),
  ]);
  process.stdout.write(
    [
      `Utväg Reception benchmark — ${context.at}`,
      `Journal: ${journal.years} years of seed-demo (v${journal.version}, seed ${journal.seed}, until ${journal.until.slice(0, 10)}), ${megabytes.toFixed(1)} MB: ` +
        `${counts.clients} clients, ${counts.appointments} appointments, ${counts.journal_entries} journal entries, ${counts.access_log} access-log rows`,
      `Machine: ${context.machine.cpus} × ${context.machine.model}, Node ${process.version}. Timings vary with the machine's other work: run more than once.`,
      '',
      formatTable(sections),
      '',
      missed.length === 0 ? 'Every goal met.' : `Goals missed: ${missed.join('; ')}`,
      '',
    ].join('\n'),
  );
}
if (sections.some((section) => section.error)) process.exitCode = 1;
