import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

export const ADMIN = { displayName: 'Astrid Adminsson', username: 'astrid.admin', password: 'korrekt-häst-batteri-häftklammer' };

interface Harness {
  url: string;
  dataDir: string;
}

/** Starts `npm run dev:browser`'s server on a fresh data folder, the way a developer would. */
async function startHarness(): Promise<{ harness: Harness; child: ChildProcess }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'utvag-e2e-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/harness/serve.ts'], {
    env: { ...process.env, UTVAG_DATA_DIR: dataDir, UTVAG_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`harness did not start: ${output}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`harness exited with ${code}: ${output}`)));
  });
  return { harness: { url, dataDir }, child };
}

export const test = base.extend<{ harness: Harness; problems: string[] }>({
  harness: async ({}, use) => {
    const { harness, child } = await startHarness();
    await use(harness);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(harness.dataDir, { recursive: true, force: true });
  },
  // Every console error or page error (a CSP violation among them) fails the test.
  problems: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await use(problems);
    expect(problems).toEqual([]);
  },
});

export { expect };

/** No serious or critical accessibility violations on the screen as it stands. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(bad.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** First run through the UI; returns the recovery code that was shown. */
export async function createJournal(page: Page, harness: Harness): Promise<string> {
  await page.goto(harness.url);
  await page.getByLabel('Ditt namn').fill(ADMIN.displayName);
  await page.getByLabel('Användarnamn').fill(ADMIN.username);
  await page.getByLabel('Lösenord', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Upprepa lösenordet').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Skapa journalen' }).click();
  const code = (await page.getByTestId('recovery-code').textContent())!.trim();
  await page.getByLabel('Jag har skrivit ner koden och förvarar den säkert').check();
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await expect(page.getByRole('heading', { name: 'Start' })).toBeVisible();
  return code;
}

/** Calls a channel the way the renderer does, through the bridge in the page. */
export function invokeFromPage(page: Page, channel: string, input: unknown): Promise<unknown> {
  return page.evaluate(
    ([name, payload]) => (globalThis as unknown as { utvag: { invoke(c: unknown, i: unknown): Promise<unknown> } }).utvag.invoke(name, payload),
    [channel, input] as const,
  );
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
}
