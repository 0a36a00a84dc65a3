/**
 * The ten-year journal the benchmark measures: seeded once with seed-demo and kept in .bench/
 * (git-ignored), keyed by seed-demo's version, the number of years and the seed, so a change to
 * the seeder reseeds it and an unchanged one is reused. Every run works on a fresh copy of it.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { journalPath } from '../../db/journal.js';
import { keyringPath } from '../../db/keyring.js';
import { SEED_DEMO_VERSION, seedDemo, type SeedDemoSummary } from '../../main/cli/seedDemo/index.js';

/** The demo admin's and the demo receptionist's password in the bench journal (fictional, like everything in it). */
export const BENCH_PASSWORD = 'benkens-påhittade-journal-lösenfras';
export const BENCH_ADMIN = { username: 'bench.admin', displayName: 'Berit Benchsson' };

export interface SeededJournal {
  dir: string;
  version: number;
  years: number;
  seed: number;
  until: string;
  seconds: number;
  counts: Record<string, number>;
  receptionist: string;
}

const META_FILE = 'bench-journal.json';

/** The cached journal, seeded first when there is none for this seeder version (or when `fresh`). */
export async function seededJournal(options: {
  root: string;
  years: number;
  seed: number;
  fresh: boolean;
  progress: (line: string) => void;
}): Promise<SeededJournal> {
  const name = `seed-demo-v${SEED_DEMO_VERSION}-${options.years}y-seed${options.seed}`;
  const dir = path.join(options.root, name);
  const meta = path.join(dir, META_FILE);
  if (options.fresh) rmSync(dir, { recursive: true, force: true });
  if (existsSync(meta)) return { dir, ...(JSON.parse(readFileSync(meta, 'utf8')) as Omit<SeededJournal, 'dir'>) };

  // Seeded beside its final place and renamed when done, so an interrupted seed is never taken for a finished one.
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true, mode: 0o700 });
  options.progress(`Seeding a ${options.years}-year journal with seed-demo (seed ${options.seed}); it is kept in ${dir} for later runs.`);
  const summary: SeedDemoSummary = await seedDemo({
    dataDir: partial,
    years: options.years,
    seed: options.seed,
    password: BENCH_PASSWORD,
    admin: BENCH_ADMIN,
    progress: options.progress,
  });
  const seeded: Omit<SeededJournal, 'dir'> = {
    version: SEED_DEMO_VERSION,
    years: options.years,
    seed: options.seed,
    until: summary.until,
    seconds: summary.seconds,
    counts: summary.counts,
    receptionist: summary.receptionist.username,
  };
  writeFileSync(path.join(partial, META_FILE), `${JSON.stringify(seeded, null, 2)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return { dir, ...seeded };
}

/** The login throttle's state, MACed with a key from the keyring: a folder with a keyring but without it is taken for tampered, and every sign-in waits. */
const THROTTLE_FILE = 'login-throttle.json';

/** A copy of the journal, its keyring and its login throttle's state to work on (the cached one is closed, its WAL checkpointed away). */
export function workingCopy(journal: SeededJournal, into: string): void {
  mkdirSync(into, { recursive: true, mode: 0o700 });
  copyFileSync(journalPath(journal.dir), journalPath(into));
  copyFileSync(keyringPath(journal.dir), keyringPath(into));
  const throttle = path.join(journal.dir, THROTTLE_FILE);
  if (existsSync(throttle)) copyFileSync(throttle, path.join(into, THROTTLE_FILE));
}
