import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../scripts/chromium.mjs';

const CHECK = fileURLToPath(new URL('../../scripts/check-node.mjs', import.meta.url));

/** Runs scripts/check-node.mjs as if under the given Node version. */
function checkNodeAs(version: string) {
  const pretend = `Object.defineProperty(process.versions, 'node', { value: ${JSON.stringify(version)} }); await import(${JSON.stringify(`file://${CHECK}`)});`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', pretend], { encoding: 'utf8' });
}

describe('the two commands on a fresh developer machine', () => {
  it('stops at once with a clear message on a Node too old for the database driver', () => {
    for (const old of ['18.19.0', '20.20.2', '22.13.1']) {
      const run = checkNodeAs(old);
      expect(run.status, old).toBe(1);
      expect(run.stderr).toContain(`this is Node ${old}`);
      expect(run.stderr).toContain('.nvmrc');
    }
    for (const fine of ['22.14.0', '24.0.0', '26.1.0']) expect(checkNodeAs(fine).status, fine).toBe(0);
  });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'utvag-chromium-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses CHROMIUM_PATH when it exists and refuses one that does not', () => {
    const browser = path.join(dir, 'chromium');
    writeFileSync(browser, '');
    expect(findChromium({ CHROMIUM_PATH: browser }, 'linux')).toBe(browser);
    expect(() => findChromium({ CHROMIUM_PATH: path.join(dir, 'missing') }, 'linux')).toThrow(/does not exist/);
  });

  it('falls back to Playwright’s own Chromium only where the system has none', () => {
    // Windows' install folders come from the environment: an empty one has no browser in it.
    expect(findChromium({ PROGRAMFILES: dir, LOCALAPPDATA: dir }, 'win32')).toBeUndefined();
    const chrome = path.join(dir, 'Google', 'Chrome', 'Application');
    mkdirSync(chrome, { recursive: true });
    writeFileSync(path.join(chrome, 'chrome.exe'), '');
    expect(findChromium({ PROGRAMFILES: dir }, 'win32')).toBe(path.join(chrome, 'chrome.exe'));
  });
});
