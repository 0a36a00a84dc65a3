// npm install's last step: the end-to-end tests need a Chromium. A system one is always preferred
// (CI installs Debian's before npm ci); only where none exists is Playwright's own fetched. A failed
// fetch (no network) does not fail the install: the tests then say what is missing.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { findChromium } from './chromium.mjs';

let found;
try {
  found = findChromium();
} catch (error) {
  console.warn(`[utvag] ${error.message}`);
  process.exit(0);
}
if (found) {
  console.log(`[utvag] End-to-end tests will use the system Chromium at ${found}`);
} else if (process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD) {
  console.log('[utvag] No system Chromium found and PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD is set: no browser fetched');
} else {
  console.log("[utvag] No system Chromium found: fetching Playwright's own Chromium for the end-to-end tests");
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli.js');
  const fetched = spawnSync(process.execPath, [cli, 'install', 'chromium'], { stdio: 'inherit' });
  if (fetched.status !== 0) {
    console.warn('[utvag] Could not fetch a Chromium. Install one (Debian: apt-get install chromium) or set CHROMIUM_PATH before npm test.');
  }
}
