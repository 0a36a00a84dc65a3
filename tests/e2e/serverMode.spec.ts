/**
 * The browser harness as a workstation of the Utväg server (UTVAG_SERVER_URL), against a stand-in
 * server that speaks the wire protocol from a real journal (tests/helpers/journalServerChild.ts).
 * The two-workstation end-to-end against the real server is the integrator's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test as base } from '@playwright/test';
import { expectAccessible, signIn } from './harness.js';

const RECEPTIONIST = { displayName: 'Rut Receptionsdotter', username: 'rut.reception', password: 'receptionens-egna-långa-fras' };

interface Backend {
  url: string;
  send(command: string): Promise<void>;
}

function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not come: ${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
  });
}

const test = base.extend<{ backend: Backend; workstation: { url: string; dataDir: string }; problems: string[] }>({
  backend: async ({}, use) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'utvag-e2e-server-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/journalServerChild.ts', dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
    const url = (await waitForLine(child, /Listening: (http:\/\/127\.0\.0\.1:\d+)/, 'the server'))[1]!;
    await use({
      url,
      send: async (command) => {
        const done = waitForLine(child, new RegExp(`(done|failed) ${command.split(' ')[0]}`), command);
        child.stdin!.write(`${command}\n`);
        expect((await done)[1]).toBe('done');
      },
    });
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  },
  workstation: async ({ backend }, use) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'utvag-e2e-desk-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/harness/serve.ts'], {
      env: { ...process.env, UTVAG_DATA_DIR: dataDir, UTVAG_PORT: '0', UTVAG_SERVER_URL: backend.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = (await waitForLine(child, /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/, 'the harness'))[1]!;
    await use({ url, dataDir });
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  },
  problems: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // A call the browser could not complete while the harness itself restarts is not the app's; none happens here.
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await use(problems);
    expect(problems).toEqual([]);
  },
});

test('a workstation of the server: live waiting list, a calm banner while the server is away, and the session ended by a restart', async ({
  page,
  backend,
  workstation,
  problems,
}) => {
  void problems;
  // Two processes start with it (the stand-in server sets up a journal), and three sign-ins each take Argon2id's second.
  test.setTimeout(120_000);
  await page.goto(workstation.url);
  // Never a first run on a server's workstation: the login screen.
  await expect(page.getByRole('heading', { name: 'Logga in' })).toBeVisible();
  await signIn(page, RECEPTIONIST.username, RECEPTIONIST.password);
  await expect(page.getByText(`Hej ${RECEPTIONIST.displayName}!`)).toBeVisible();

  // Another desk registers a first call: the open waiting list shows it without a reload.
  await page.getByRole('link', { name: 'Väntelista' }).click();
  await expect(page.getByText('Ingen väntar på den här sidan.')).toBeVisible();
  await backend.send('register Testa Livesdotter');
  await expect(page.getByTestId('waiting-row')).toHaveCount(1, { timeout: 2000 });

  // The first-call form: typed, then the server goes away as it is saved.
  await page.getByRole('link', { name: 'Nytt första samtal' }).click();
  await page.getByLabel('Namn', { exact: true }).fill('Prova Bortasdotter');
  await page.getByLabel('Kommun').selectOption('1472');
  await backend.send('stop');
  await page.getByRole('button', { name: 'Registrera samtalet' }).click();
  const banner = page.getByTestId('server-unreachable');
  await expect(banner).toHaveText('Servern går inte att nå just nu. Det du skrivit finns kvar – försök igen om en stund.');
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('Prova Bortasdotter');
  await expectAccessible(page);

  // Back again: the banner goes with the next answer, and saving again works.
  await backend.send('start');
  await expect(banner).toHaveCount(0, { timeout: 10_000 });
  await page.getByRole('button', { name: 'Registrera samtalet' }).click();
  await expect(page.getByRole('heading', { name: 'Samtalet är registrerat.' })).toBeVisible();

  // A half-typed call when the server restarts: the login screen says why, and what was typed comes back.
  await page.getByRole('button', { name: 'Registrera nästa samtal' }).click();
  await page.getByLabel('Namn', { exact: true }).fill('Kvar Efteromstartsdotter');
  await backend.send('restart');
  await expect(page.getByTestId('session-ended')).toHaveText(
    'Servern har startats om eller din session har avslutats. Logga in igen – det du skrev finns kvar.',
    { timeout: 10_000 },
  );
  await expectAccessible(page);
  await signIn(page, RECEPTIONIST.username, RECEPTIONIST.password);
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('Kvar Efteromstartsdotter');
  await expect(page.getByTestId('session-ended')).toHaveCount(0);

  // Nothing of the journal on this workstation's disk.
  expect(readdirSync(workstation.dataDir)).toEqual([]);
});
