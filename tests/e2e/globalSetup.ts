import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type FullConfig, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { UNBUNDLED } from '../helpers/bundling.js';
import { PREPARED_ENV, buildReception, createJournal, startHarnessOn, stopHarness, type Harness, type PreparedJournals } from './harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Bundles the browser harness (main/harness/serve.ts, what `npm run dev:browser` runs) once for the
 * run, laid out as the app's own build lays out dist/ (scripts/build.mjs): the migrations where the
 * bundle looks for them, package.json two folders up, the built renderer at dist/renderer. Every
 * test starts its own harness on a fresh data folder; started through tsx, each start transpiled and
 * resolved the app's hundreds of modules again (about 2 s of CPU), bundled it takes a fraction of that.
 * The harness's code is the same; its path reaches the tests as UTVAG_E2E_HARNESS.
 *
 * Then it prepares, once, the journals most tests begin from: one ready for the desk (harness.ts's
 * buildReception: about thirteen Argon2id derivations at full cost, the same for every test) and one
 * just past the first-run screen. Each such test starts its harness on a fresh copy of one of those
 * folders (prepareReception, prepareAdmin); where they are reaches the tests in UTVAG_E2E_PREPARED.
 */
export default async function globalSetup(config: FullConfig): Promise<() => void> {
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
  try {
    process.env[PREPARED_ENV] = JSON.stringify(await prepareJournals(config, path.join(dir, 'prepared')));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return () => rmSync(dir, { recursive: true, force: true });
}

/** Both prepared journals, side by side, in the same browser and page settings as the tests. */
async function prepareJournals(config: FullConfig, folder: string): Promise<PreparedJournals> {
  const use = config.projects[0]!.use;
  const browser = await chromium.launch(use.launchOptions);
  try {
    const [admin, reception] = await Promise.all([
      prepareJournal(browser, use, path.join(folder, 'admin'), async (page, harness) => ({ recoveryCode: await createJournal(page, harness) })),
      prepareJournal(browser, use, path.join(folder, 'reception'), buildReception),
    ]);
    return { admin, reception };
  } finally {
    await browser.close();
  }
}

/** One journal, built through the first-run screen and the router by `build` on its own harness, then stopped. */
async function prepareJournal<T>(
  browser: Browser,
  use: FullConfig['projects'][number]['use'],
  dataDir: string,
  build: (page: Page, harness: Harness) => Promise<T>,
): Promise<T & { dataDir: string }> {
  const context = await browser.newContext({ locale: use.locale, timezoneId: use.timezoneId, viewport: use.viewport });
  const page = await context.newPage();
  // As in the tests' own fixture: an error in the page fails the preparation.
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const { url, child } = await startHarnessOn(dataDir);
  try {
    const result = await build(page, { url, dataDir });
    // The page goes first (a server stopping under it would be an error in it), then what it said is judged.
    await context.close();
    if (problems.length > 0) throw new Error(`Preparing the journal failed in the page: ${problems.join('; ')}`);
    return { ...result, dataDir };
  } finally {
    // Stopped, the journal is closed and whole on disk: what a copy takes is what a restart would find.
    await stopHarness(child);
  }
}
