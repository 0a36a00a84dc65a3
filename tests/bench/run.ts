/**
 * `npm run bench [-- --json] [-- --fresh]`: measures the app on a realistic ten-year journal and
 * checks the results against the goals (never with timers in tests).
 *
 *   --json        print one JSON object of named figures instead of the table
 *   --fresh       seed the journal again instead of reusing the one cached in .bench/
 *   --years N     another size of journal (default 10); --seed S another practice (default 1)
 *   --keep        keep this run's working folder in .bench/ (it is removed otherwise)
 *   --only A,B    measure only these parts: unlock, reception, booking, backup, journal, encryption, renderer
 *
 * Progress goes to stderr, the result to stdout. A missed goal is reported, not an error (timings
 * vary with what else the machine does: run it more than once); the exit status is 1 only when a
 * part could not be measured at all.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { journalPath } from '../../db/journal.js';
import { DemoRandom } from '../../main/cli/seedDemo/index.js';
import { Desk, measureBackup, measureBooking, measureDisk, measureJournalOpen, measureReception, measureUnlock } from './calls.js';
import { measureEncryption } from './encryption.js';
import { formatTable, passes, toJson, type Section } from './figures.js';
import { BENCH_ADMIN, BENCH_PASSWORD, seededJournal, workingCopy } from './journal.js';
import { countStatements } from './statements.js';
import { ensureRendererBuilt, measureInChromium } from './renderer.js';

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
const PARTS = ['unlock', 'reception', 'booking', 'backup', 'journal', 'encryption', 'renderer'] as const;
const only = values.only?.split(',').map((part) => part.trim());
const unknownPart = only?.find((part) => !(PARTS as readonly string[]).includes(part));
if (unknownPart) throw new Error(`--only knows ${PARTS.join(', ')}; not ${unknownPart}`);
const wanted = (part: (typeof PARTS)[number]) => !only || only.includes(part);
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
  if (wanted('reception')) sections.push(await part('Reception desk', () => measureReception(desk, rng, 200)));
  if (wanted('booking')) sections.push(await part('Booking', () => measureBooking(desk, rng, 100)));

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
    sections.push(await part('Journal', () => measureJournalOpen(desk, therapist.id, rng, 200)));
  } else sections.push({ title: 'Journal', figures: [], error: 'no therapist has clients in care' });
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

if (values.json) {
  const json = toJson(sections, context) as { figures: Record<string, unknown> };
  // Also as one object (figures.statements.booking), beside the flat keys (figures['statements.booking']).
  json.figures.statements = statementFigures ?? {};
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
