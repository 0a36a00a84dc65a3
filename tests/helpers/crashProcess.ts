/**
 * The parent's side of the crash tests: builds the child program (crashChild.ts), runs it, kills it
 * with SIGKILL, and looks at what it left with the app's own SQLCipher and an independent one.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// The independent SQLCipher 4 (SQLCipher's own sources): it knows PRAGMA cipher_integrity_check, which
// SQLite3MultipleCiphers answers with nothing at all.
import sqlcipher from '@journeyapps/sqlcipher';
import { build } from 'esbuild';
import { UNBUNDLED } from './bundling.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CrashChild {
  /** The bundled child program. */
  script: string;
  dispose(): void;
}

/**
 * Bundles crashChild.ts and the app into one file, laid out like the app's own build: the migrations
 * beside it, package.json two folders up. Loaded through tsx, the app's hundreds of small modules take
 * seconds to start; bundled, a child is signed in within a fraction of a second, so a test can kill
 * dozens of them. The pure-JavaScript packages are bundled in too (bundling.ts): three quarters of a
 * child's start went to resolving their files; the code that runs, and the files it writes, are the same.
 */
export async function buildCrashChild(): Promise<CrashChild> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'utvag-crash-child-'));
  const script = await bundleChild('crashChild', dir, { bundlePackages: true });
  return { script, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Bundles tests/helpers/<name>.ts into <dir>/dist/main/<name>.mjs beside the migrations, as the app's
 * build lays them out; returns the script. As the app's build, every package dependency stays a
 * package, unless bundlePackages (then only the UNBUNDLED ones do).
 */
export async function bundleChild(name: string, dir: string, options: { bundlePackages?: boolean } = {}): Promise<string> {
  const outDir = path.join(dir, 'dist', 'main');
  await build({
    entryPoints: [path.join(ROOT, 'tests', 'helpers', `${name}.ts`)],
    outfile: path.join(outDir, `${name}.mjs`),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: options.bundlePackages
      ? UNBUNDLED
      : Object.keys(
          (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {},
        ),
    logLevel: 'warning',
  });
  mkdirSync(path.join(outDir, 'migrations'));
  for (const file of readdirSync(path.join(ROOT, 'db', 'migrations')).filter((name) => name.endsWith('.sql'))) {
    copyFileSync(path.join(ROOT, 'db', 'migrations', file), path.join(outDir, 'migrations', file));
  }
  copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  // The native modules are found through the project's own node_modules.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'junction');
  return path.join(outDir, `${name}.mjs`);
}

export interface ChildRun {
  /** Every complete line the child printed so far. */
  lines: string[];
  /** The first line (printed so far or later) that matches; rejects if the child exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGKILL, then waits until the child is gone. */
  kill(): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

export function runChild(script: string, env: Record<string, string>): ChildRun {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiting = new Set<() => void>();
  let partial = '';
  let errors = '';
  let gone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const complete = text.split('\n');
    partial = complete.pop()!;
    lines.push(...complete);
    for (const wake of waiting) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      gone = true;
      for (const wake of waiting) wake();
      resolve({ code, signal });
    }),
  );
  return {
    lines,
    exited,
    stderr: () => errors,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => finish(new Error(`No line like ${pattern} within ${timeoutMs} ms; stdout: ${lines.join(' | ')}; stderr: ${errors}`)),
          timeoutMs,
        );
        const finish = (error: Error | null, line?: string) => {
          clearTimeout(timer);
          waiting.delete(check);
          if (error) reject(error);
          else resolve(line!);
        };
        const check = () => {
          const line = lines.find((candidate) => pattern.test(candidate));
          if (line !== undefined) finish(null, line);
          else if (gone) finish(new Error(`The child exited before a line like ${pattern}; stdout: ${lines.join(' | ')}; stderr: ${errors}`));
        };
        waiting.add(check);
        check();
      });
    },
    async kill() {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A small deterministic random source (mulberry32), so that a failing run can be repeated from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A copy of a data folder (closed journal, keyring and all) in a fresh temporary folder. */
export function copyDataDir(from: string, to: string): string {
  cpSync(from, to, { recursive: true });
  return to;
}

export interface IndependentCheck {
  /** PRAGMA cipher_integrity_check: one row per page whose HMAC fails; none when every page is authentic. */
  cipherProblems: string[];
  integrity: string[];
}

/**
 * Opens the journal read-only with SQLCipher's own build, keyed with the raw journal key exactly as the
 * app keys it (SQLCipher 4 settings), and runs SQLCipher's page-by-page HMAC check and SQLite's integrity check.
 */
export function independentCheck(file: string, key: Buffer): Promise<IndependentCheck> {
  return new Promise((resolve, reject) => {
    const db = new sqlcipher.Database(file, sqlcipher.OPEN_READONLY);
    db.serialize();
    // SQLCipher logs each failing page to stderr; the rows of the answer say the same.
    db.run('PRAGMA cipher_log_level = NONE');
    db.run(`PRAGMA key = "x'${key.toString('hex')}'"`);
    db.all('PRAGMA cipher_integrity_check', (cipherError: Error | null, cipherRows: Record<string, string>[]) => {
      db.all('PRAGMA integrity_check', (integrityError: Error | null, integrityRows: Record<string, string>[]) => {
        db.close(() => {
          if (cipherError ?? integrityError) reject(cipherError ?? integrityError);
          else
            resolve({
              cipherProblems: cipherRows.map((row) => Object.values(row).join(' ')),
              integrity: integrityRows.map((row) => Object.values(row).join(' ')),
            });
        });
      });
    });
  });
}
