/**
 * `npm run lint:electron`: Doyensec's Electronegativity over the code that runs in Electron (the
 * shell in main/electron, the preload, the renderer) and the page's Content-Security-Policy.
 * Fails on any finding that is not switched off beside the code with an `eng-disable` comment that
 * says why. Part of `npm run lint`, so of `npm test` and CI.
 *
 * Electronegativity makes two network lookups (UI translations and Electron's release notes). The
 * journal's machines are offline by design, so both are answered "offline" at once here; whether
 * the pinned Electron has security fixes pending is a release-time check (see README), not a lint.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../main/electron/appScheme.js';

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  description: string;
  severity: { name: string };
  confidence: { name: string };
  manualReview?: boolean;
}
interface ScanResult {
  errors: { file: string; message: string; tolerable?: boolean }[];
  issues: Finding[];
}
type Run = (options: Record<string, unknown>) => Promise<ScanResult>;

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

// Answer the scanner's HTTP client "offline" before the scanner loads it.
const requireFromScanner = createRequire(createRequire(import.meta.url).resolve('@doyensec/electronegativity'));
const gotPath = requireFromScanner.resolve('got');
const offline = (): Promise<never> => Promise.reject(new Error('offline'));
const offlineGot = Object.assign(offline, { head: offline, get: offline });
requireFromScanner.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offlineGot } as unknown as NodeJS.Module;
const run = requireFromScanner('@doyensec/electronegativity') as Run;

// The scanned tree: what Electron loads, plus package.json (Electron version) and the policy that
// main/electron/appScheme.ts sends as a header, as a page the CSP check can evaluate.
const log = console.log;
const scanRoot = mkdtempSync(path.join(tmpdir(), 'utvag-electronegativity-'));
try {
  for (const folder of ['main/electron', 'preload', 'renderer']) {
    cpSync(path.join(root, folder), path.join(scanRoot, folder), { recursive: true });
  }
  cpSync(path.join(root, 'package.json'), path.join(scanRoot, 'package.json'));
  // The evaluator marks script-src 'self' as "maybe weak" because a site could host JSONP, Angular
  // templates or uploads on its own origin. Ours is app://utvag, serving only the bundled renderer
  // from the read-only app archive: none of those exist there, so that one verdict is switched off.
  writeFileSync(
    path.join(scanRoot, 'content-security-policy.html'),
    `<!-- eng-disable CSP_GLOBAL_CHECK -->\n<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}"></head><body></body></html>\n`,
  );

  const said: unknown[][] = [];
  console.log = (...args: unknown[]) => said.push(args); // the scanner's chatter; shown only on failure
  let result: ScanResult;
  try {
    result = await run({
      input: scanRoot,
      isRelative: true,
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    });
  } finally {
    console.log = log;
  }

  const parseErrors = result.errors.filter((error) => !error.tolerable);
  for (const error of parseErrors) console.error(`electronegativity: could not parse ${error.file}: ${error.message}`);
  // Informational entries (e.g. "Electron version found in package.json") are notes, not findings.
  const notes = result.issues.filter((issue) => issue.severity.name === 'INFORMATIONAL');
  const findings = result.issues.filter((issue) => issue.severity.name !== 'INFORMATIONAL');
  for (const note of notes) log(`electronegativity: note ${note.id} ${note.file} — ${note.description}`);
  for (const issue of findings) {
    console.error(
      `electronegativity: ${issue.id} (${issue.severity.name}/${issue.confidence.name}${issue.manualReview ? ', review required' : ''}) ` +
        `${issue.file}:${issue.location.line}:${issue.location.column} — ${issue.description}`,
    );
  }
  if (parseErrors.length > 0 || findings.length > 0) {
    for (const args of said) console.error(...args);
    console.error('electronegativity: fix the finding, or put `/* eng-disable CHECK_ID */` on that line with a comment saying why it is safe.');
    process.exitCode = 1;
  } else {
    console.log('electronegativity: no findings in main/electron, preload, renderer and the Content-Security-Policy');
  }
} finally {
  rmSync(scanRoot, { recursive: true, force: true });
}
