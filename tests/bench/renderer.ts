/**
 * The renderer: the size of the production bundle as it travels (gzip), the time from loading the
 * harness page to a login screen one can type into, in Debian's chromium, and the round trip of a
 * small call from the page through the harness to the router and back.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';
import { startHarness } from '../../main/harness/server.js';
import { silentLogger } from '../../main/log.js';
import { percentile, type Figure, type Section } from './figures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = path.join(ROOT, 'dist', 'renderer');
/** What the renderer bundle is built from: its own folder and the contract (and what the contract imports) in preload/. */
const SOURCES = ['renderer', 'preload', 'package.json'].map((entry) => path.join(ROOT, entry));

function newestChange(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) {
    if (child === 'node_modules') continue;
    newest = Math.max(newest, newestChange(path.join(entry, child)));
  }
  return newest;
}

/** Builds the renderer when there is no build or a source file changed after it. */
export function ensureRendererBuilt(progress: (line: string) => void): void {
  const index = path.join(DIST, 'index.html');
  const stale = !existsSync(index) || SOURCES.some((source) => existsSync(source) && newestChange(source) > statSync(index).mtimeMs);
  if (!stale) return;
  progress('Building the renderer (the build in dist/renderer is missing or older than its sources)…');
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const built = spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`the renderer did not build: ${(built.stderr || built.stdout).trim().split('\n').slice(-3).join(' ')}`);
}

const KIB = 1024;

export function bundleFigures(): Figure[] {
  const assets = path.join(DIST, 'assets');
  const files = readdirSync(assets).filter((file) => file.endsWith('.js') || file.endsWith('.css'));
  const size = (extension: string) => {
    let raw = 0;
    let zipped = 0;
    for (const file of files.filter((name) => name.endsWith(extension))) {
      const content = readFileSync(path.join(assets, file));
      raw += content.length;
      zipped += gzipSync(content, { level: 9 }).length;
    }
    return { raw, zipped };
  };
  const js = size('.js');
  const css = size('.css');
  return [
    { key: 'renderer.bundleGzipKiB', label: 'Production bundle, JS + CSS, gzip -9', value: (js.zipped + css.zipped) / KIB, unit: 'KiB' },
    { key: 'renderer.jsGzipKiB', label: 'of which JS', value: js.zipped / KIB, unit: 'KiB', note: `${(js.raw / KIB).toFixed(0)} KiB before gzip` },
    {
      key: 'renderer.cssGzipKiB',
      label: 'of which CSS',
      value: css.zipped / KIB,
      unit: 'KiB',
      note: `${(css.raw / KIB).toFixed(0)} KiB before gzip`,
    },
  ];
}

/**
 * The harness on the (locked) working copy of the journal, so the page shows the login screen as
 * at every start of the day. Each load is a fresh browser context: nothing cached from the last.
 */
export async function measureInChromium(dataDir: string, loads: number, roundTrips: number): Promise<Section> {
  const figures = bundleFigures();
  const harness = await startHarness({ dataDir, rendererDir: DIST, log: silentLogger });
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const interactive: number[] = [];
    let trips: number[] = [];
    // One load first, untimed: the browser's own start-up is not the app's.
    for (let i = 0; i <= loads; i += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(harness.url, { waitUntil: 'commit' });
      // Interactive: the username field is there, enabled, and has the keyboard focus (the screen puts it there).
      await page.waitForFunction(
        () => {
          type Focused = { tagName: string; autocomplete?: string; disabled?: boolean; readOnly?: boolean } | null;
          const field = (globalThis as unknown as { document: { activeElement: Focused } }).document.activeElement;
          return field?.tagName === 'INPUT' && field.autocomplete === 'username' && !field.disabled && !field.readOnly;
        },
        undefined,
        { polling: 'raf', timeout: 30_000 },
      );
      if (i > 0) interactive.push(performance.now() - started);
      if (i === loads) {
        trips = await page.evaluate(async (count) => {
          const bridge = (globalThis as unknown as { utvag: { invoke(channel: string, input: unknown): Promise<unknown> } }).utvag;
          for (let n = 0; n < 10; n += 1) await bridge.invoke('app.status', {});
          const samples: number[] = [];
          for (let n = 0; n < count; n += 1) {
            const start = performance.now();
            await bridge.invoke('app.status', {});
            samples.push(performance.now() - start);
          }
          return samples;
        }, roundTrips);
      }
      await context.close();
    }
    figures.push(
      {
        key: 'renderer.loginInteractive.p50Ms',
        label: 'Page load to an interactive login screen, p50',
        value: percentile(interactive, 50),
        unit: 'ms',
      },
      {
        key: 'renderer.loginInteractive.p95Ms',
        label: 'Page load to an interactive login screen, p95',
        value: percentile(interactive, 95),
        unit: 'ms',
      },
      { key: 'harness.roundTrip.p50Ms', label: 'Harness round trip of a small call (app.status), p50', value: percentile(trips, 50), unit: 'ms' },
      { key: 'harness.roundTrip.p95Ms', label: 'Harness round trip of a small call (app.status), p95', value: percentile(trips, 95), unit: 'ms' },
    );
  } finally {
    await browser.close();
    await harness.close();
  }
  return { title: 'Renderer (Debian chromium through the loopback harness)', figures };
}
