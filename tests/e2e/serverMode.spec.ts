/**
 * The browser harness as a workstation of the Utväg server (UTVAG_SERVER_URL): the real server on
 * a throwaway PostgreSQL (tests/helpers/utvagServerChild.ts), two workstations in two browser
 * contexts, the network taken away and the server restarted under an open form.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test as base } from '@playwright/test';
import { intakeInput } from '../fixtures/intake.js';
import { expectAccessible, signIn } from './harness.js';

const RECEPTIONIST = { displayName: 'Rut Receptionsdotter', username: 'rut.reception', password: 'receptionens-egna-långa-fras' };
// The server's first admin, made by `server init` in tests/helpers/utvagServer.ts (fictional).
const SERVER_ADMIN = { displayName: 'Ada Serverdóttir', username: 'admin.server', password: 'gurka-trappa-vinter-blomma-42' };
const OTHER_RECEPTIONIST = { displayName: 'Ruben Receptionsson', username: 'ruben.reception', password: 'rubens-alldeles-egna-fras' };

interface Backend {
  url: string;
  therapistId: string;
  send(command: string): Promise<void>;
}

function waitForLine(child: ChildProcess, pattern: RegExp, what: string, ms = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not come: ${output}`)), ms);
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

interface Desk {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** The browser harness on a fresh data folder, as `npm run dev:browser` starts it. */
async function startDesk(env: Record<string, string>): Promise<Desk> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'utvag-e2e-desk-'));
  const base = { ...process.env };
  delete base.UTVAG_SERVER_URL;
  delete base.UTVAG_SERVER_CA;
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/harness/serve.ts'], {
    env: { ...base, UTVAG_DATA_DIR: dataDir, UTVAG_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = (await waitForLine(child, /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/, 'the harness'))[1]!;
  return {
    url,
    dataDir,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const test = base.extend<{ backend: Backend; workstation: Desk; secondWorkstation: Desk; freshDesk: Desk; problems: string[] }>({
  backend: async ({}, use) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/utvagServerChild.ts'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const ready = await waitForLine(child, /Ready: (\{.*\})\n/, 'the server', 150_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${errors}`);
    });
    const { url, therapistId } = JSON.parse(ready[1]!) as { url: string; therapistId: string };
    await use({
      url,
      therapistId,
      send: async (command) => {
        const done = waitForLine(child, new RegExp(`(done|failed) ${command.split(' ')[0]}`), command);
        child.stdin!.write(`${command}\n`);
        expect((await done)[1]).toBe('done');
      },
    });
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  },
  workstation: async ({ backend }, use) => {
    const desk = await startDesk({ UTVAG_SERVER_URL: backend.url });
    await use(desk);
    await desk.stop();
  },
  secondWorkstation: async ({ backend }, use) => {
    const desk = await startDesk({ UTVAG_SERVER_URL: backend.url });
    await use(desk);
    await desk.stop();
  },
  freshDesk: async ({}, use) => {
    const desk = await startDesk({});
    await use(desk);
    await desk.stop();
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

// Two processes start for each test (the stand-in server sets up a journal first), and every sign-in takes Argon2id's second.
test.describe.configure({ timeout: 180_000 });

test('a workstation of the server: live waiting list, a calm banner while the server is away, and the session ended by a restart', async ({
  page,
  backend,
  workstation,
  problems,
}) => {
  void problems;
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

  // Gaps lose nothing: a first call registered while this workstation's network is away, and one while
  // the server's own listening connection to the database is cut, both show on the open list once the
  // gap closes (the stream reconnects, or the server listens again, and the list is read again), without a reload.
  await backend.send('stop');
  await backend.send('register Borta Nätverksdotter');
  await backend.send('start');
  await expect(page.getByTestId('waiting-row')).toHaveCount(2, { timeout: 20_000 });
  await expect(page.getByTestId('server-unreachable')).toHaveCount(0);
  await backend.send('cut-listen');
  await backend.send('register Glapp Tystnadsdotter');
  await expect(page.getByTestId('waiting-row')).toHaveCount(3, { timeout: 10_000 });

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

test("first run: an admin chooses 'Anslut till enhetens server', the address is checked, and the workstation is the server's from then on", async ({
  page,
  backend,
  freshDesk,
  problems,
}) => {
  void problems;
  await page.goto(freshDesk.url);
  await expect(page.getByRole('heading', { name: 'Välkommen till Utväg Reception' })).toBeVisible();
  await page.getByRole('button', { name: 'Anslut till enhetens server' }).click();
  await expect(page.getByRole('heading', { name: 'Anslut till enhetens server' })).toBeVisible();
  await expectAccessible(page);

  const address = page.getByLabel('Serverns adress');
  await page.getByRole('button', { name: 'Kontrollera och anslut' }).click();
  await expect(page.getByText('Skriv serverns adress.')).toBeVisible();
  // Unencrypted to another computer: refused next to the field, what was typed stays.
  await address.fill('http://192.0.2.10:8443');
  await page.getByRole('button', { name: 'Kontrollera och anslut' }).click();
  await expect(page.getByText('Adressen måste börja med https://. Bara en server på den här datorn får nås utan kryptering.')).toBeVisible();
  await expect(address).toHaveValue('http://192.0.2.10:8443');
  await expect(address).toHaveAttribute('aria-invalid', 'true');
  // Nobody answers there: said as such.
  await address.fill('http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Kontrollera och anslut' }).click();
  await expect(page.getByText(/^Ingen Utväg-server svarade på adressen/)).toBeVisible();
  await expectAccessible(page);
  expect(readdirSync(freshDesk.dataDir)).toEqual([]);

  await address.fill(backend.url);
  await page.getByRole('button', { name: 'Kontrollera och anslut' }).click();
  await expect(page.getByRole('heading', { name: 'Logga in' })).toBeVisible();
  await signIn(page, RECEPTIONIST.username, RECEPTIONIST.password);
  await expect(page.getByText(`Hej ${RECEPTIONIST.displayName}!`)).toBeVisible();
  // Only the address is kept: no journal, no key, no credentials.
  expect(readdirSync(freshDesk.dataDir)).toEqual(['server.json']);
});

test("two workstations, one journal: a booking at one desk appears on the other desk's open week within 2 seconds", async ({
  browser,
  backend,
  workstation,
  secondWorkstation,
}) => {
  // A Monday far ahead, so that no slot is in the past.
  const monday = '2031-11-17';
  const tuesday = '2031-11-18';
  const contexts = await Promise.all([
    browser.newContext({ viewport: { width: 1366, height: 768 } }),
    browser.newContext({ viewport: { width: 1366, height: 768 } }),
  ]);
  const [first, second] = await Promise.all(contexts.map((context) => context.newPage()));
  for (const [page, desk, who] of [
    [first!, workstation, RECEPTIONIST],
    [second!, secondWorkstation, OTHER_RECEPTIONIST],
  ] as const) {
    await page.goto(desk.url);
    await signIn(page, who.username, who.password);
    await expect(page.getByText(`Hej ${who.displayName}!`)).toBeVisible();
  }
  // The second desk has the week open.
  await second!.goto(`${new URL(secondWorkstation.url).origin}/#/schedule?view=week&date=${monday}`);
  const week = second!.getByTestId('week-grid');
  await expect(second!.getByRole('heading', { level: 2, name: 'Vecka 47: 2031-11-17 – 2031-11-23' })).toBeVisible();
  await expect(week.getByTestId('appointment-card')).toHaveCount(0);

  // The first desk registers a first call and books it, through its own workstation and the server.
  const booked = await first!.evaluate(
    async ({ therapistId, day, firstCall }) => {
      const bridge = (
        globalThis as unknown as { utvag: { invoke(channel: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: unknown }> } }
      ).utvag;
      const intake = await bridge.invoke('intake.register', firstCall);
      if (!intake.ok) return intake;
      return bridge.invoke('appointments.book', {
        side: 'victims',
        siteId: 'skaraborg',
        clientId: (intake.value as { clientId: string }).clientId,
        groupId: null,
        kind: 'individual',
        therapistId,
        roomId: 'skaraborg-r1',
        date: day,
        start: '10:00',
        durationMinutes: 60,
        note: '',
      });
    },
    { therapistId: backend.therapistId, day: tuesday, firstCall: intakeInput('victim', 'Livia Tvådesksdotter', { birthYear: 1986 }) },
  );
  expect(booked.ok, JSON.stringify(booked)).toBe(true);

  // Without a reload, the other desk's week shows it: the server's change event, then a logged read.
  await expect(week.getByTestId(`week-day-${tuesday}`).getByTestId('appointment-card')).toHaveCount(1, { timeout: 2000 });
  await expect(week.getByTestId(`week-day-${tuesday}`)).toContainText('10:00–11:00');
  await expectAccessible(second!);
  await second!.screenshot({ path: '/tmp/servermode-two-desks-week.png' });

  // Neither workstation keeps anything of the journal on its disk.
  expect(readdirSync(workstation.dataDir)).toEqual([]);
  expect(readdirSync(secondWorkstation.dataDir)).toEqual([]);
  await Promise.all(contexts.map((context) => context.close()));
});

test('an admin at a workstation of the server: IT backs the server up, and an export lands on this computer, checked', async ({
  page,
  workstation,
  problems,
}) => {
  void problems;
  const folder = mkdtempSync(path.join(os.tmpdir(), 'utvag-e2e-export-'));
  try {
    await page.goto(workstation.url);
    await signIn(page, SERVER_ADMIN.username, SERVER_ADMIN.password);
    // No schedule to warn about: the start page and the backup page say who backs the server up.
    await expect(page.getByTestId('start-backup-server')).toContainText('Servern säkerhetskopieras av IT');
    await page.getByRole('link', { name: 'Hantera kopior och tider' }).click();
    await expect(page.getByTestId('backup-server')).toContainText('Servern säkerhetskopieras av IT');
    await expect(page.getByTestId('backup-status')).toHaveCount(0);
    await expectAccessible(page);

    const exporting = page.getByRole('region', { name: 'Exportera en säkerhetskopia' });
    const file = path.join(folder, 'servern.db');
    await exporting.getByLabel('Fil att spara till').fill(file);
    await exporting.getByLabel('Lösenfras', { exact: true }).fill('Sju påhittade ord om serverns kopia');
    await exporting.getByLabel('Upprepa lösenfrasen').fill('Sju påhittade ord om serverns kopia');
    await exporting.getByRole('button', { name: 'Exportera' }).click();
    const exported = exporting.getByTestId('export-result');
    await expect(exported).toContainText('Säkerhetskopian är sparad och kontrollerad.', { timeout: 30_000 });
    await expect(exported).toContainText(/sha256:[0-9a-f]{64}/);
    expect(readdirSync(folder)).toEqual(['servern.db']);
    // The workstation's own folder still holds nothing of the journal.
    expect(readdirSync(workstation.dataDir)).toEqual([]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
