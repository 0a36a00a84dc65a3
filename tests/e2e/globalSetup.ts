import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { UNBUNDLED } from '../helpers/bundling.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Bundles the browser harness (main/harness/serve.ts, what `npm run dev:browser` runs) once for the
 * run, laid out as the app's own build lays out dist/ (scripts/build.mjs): the migrations where the
 * bundle looks for them, package.json two folders up, the built renderer at dist/renderer. Every
 * test starts its own harness on a fresh data folder; started through tsx, each start transpiled and
 * resolved the app's hundreds of modules again (about 2 s of CPU), bundled it takes a fraction of that.
 * The harness's code is the same; its path reaches the tests as UTVAG_E2E_HARNESS.
 */
export default async function globalSetup(): Promise<() => void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'utvag-e2e-harness-'));
  const main = path.join(dir, 'dist', 'main');
  const script = path.join(main, 'serve.mjs');
  await build({
    entryPoints: [path.join(ROOT, 'main', 'harness', 'serve.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // Native modules stay packages; the pure-JavaScript ones are bundled too (bundling.ts).
    external: UNBUNDLED,
    logLevel: 'warning',
  });
  const copySql = (source: string, target: string) => {
    mkdirSync(target, { recursive: true });
    for (const file of readdirSync(source).filter((name) => name.endsWith('.sql'))) copyFileSync(path.join(source, file), path.join(target, file));
  };
  copySql(path.join(ROOT, 'db', 'migrations'), path.join(main, 'migrations'));
  copySql(path.join(ROOT, 'db', 'migrations', 'postgres'), path.join(dir, 'dist', 'migrations', 'postgres'));
  copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'junction');
  // serve.ts serves new URL('../../dist/renderer/', import.meta.url): the renderer `npm run build:renderer` made.
  symlinkSync(path.join(ROOT, 'dist', 'renderer'), path.join(dir, 'dist', 'renderer'), 'junction');
  process.env.UTVAG_E2E_HARNESS = script;
  return () => rmSync(dir, { recursive: true, force: true });
}
