// Where the end-to-end tests and the benchmark find a Chromium: CHROMIUM_PATH, then a browser the
// system already has (Debian's chromium first, as in CI), and otherwise none — then Playwright's own
// Chromium is used, which the install step fetches only on machines without a system browser.
import { existsSync } from 'node:fs';
import path from 'node:path';

function candidates(env = process.env, platform = process.platform) {
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(Boolean);
    return roots.flatMap((root) => [
      path.join(root, 'Chromium', 'Application', 'chrome.exe'),
      path.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
    ]);
  }
  if (platform === 'darwin') {
    return ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome'];
}

/** The system Chromium to drive, or undefined to use Playwright's own. A CHROMIUM_PATH that does not exist is an error, not a fallback. */
export function findChromium(env = process.env, platform = process.platform) {
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH is set to ${env.CHROMIUM_PATH}, which does not exist`);
    return env.CHROMIUM_PATH;
  }
  return candidates(env, platform).find((file) => existsSync(file));
}

/** Flags for a headless Chromium that reaches nothing but the page under test. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
