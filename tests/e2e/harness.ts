import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Locator, type Page } from '@playwright/test';

export const ADMIN = { displayName: 'Astrid Adminsson', username: 'astrid.admin', password: 'korrekt-häst-batteri-häftklammer' };

export interface Harness {
  url: string;
  dataDir: string;
}

/** The browser harness (`npm run dev:browser`'s server, main/harness/serve.ts) as globalSetup.ts bundled it for this run. */
export function harnessScript(): string {
  const script = process.env.UTVAG_E2E_HARNESS;
  if (!script) throw new Error('UTVAG_E2E_HARNESS is not set: run the end-to-end tests through playwright.config.ts (its globalSetup)');
  return script;
}

/** Starts `npm run dev:browser`'s server on the given data folder, the way a developer would. */
export async function startHarnessOn(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [harnessScript()], {
    // Storage faults (a full or read-only journal) can be switched on by a test through the token-guarded harness.
    env: { ...process.env, UTVAG_DATA_DIR: dataDir, UTVAG_PORT: '0', UTVAG_HARNESS_STORAGE_FAULTS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`harness did not start: ${output}`)), 60_000);
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
  return { url, child };
}

/** SIGTERM: the harness closes the journal (and its access log) before it exits. */
export async function stopHarness(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Each test's harness process, so that prepareReception and prepareAdmin can start it again on a prepared journal. */
const processes = new WeakMap<Harness, ChildProcess>();

export const test = base.extend<{ harness: Harness; problems: string[] }>({
  harness: async ({}, use) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'utvag-e2e-'));
    const { url, child } = await startHarnessOn(dataDir);
    const harness: Harness = { url, dataDir };
    processes.set(harness, child);
    await use(harness);
    await stopHarness(processes.get(harness)!);
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

export const RECEPTIONIST = { displayName: 'Rut Receptionsdotter', username: 'rut.reception', password: 'receptionens-egna-långa-fras' };
export const THERAPISTS = {
  victims: { displayName: 'Vera Behandlarsson', username: 'vera.behandlare', password: 'veras-egna-långa-lösenfras' },
  perpetrators: { displayName: 'Per Behandlarsson', username: 'per.behandlare', password: 'pers-egna-långa-lösenfras' },
};
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '07:00', end: '20:00' }));

async function must<T>(page: Page, channel: string, input: unknown): Promise<T> {
  const result = (await invokeFromPage(page, channel, input)) as { ok: boolean; value?: T; error?: unknown };
  if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

/** The prepared journals' folders and what their setup returned, as globalSetup.ts left them for this run. */
export interface PreparedJournals {
  admin: { dataDir: string; recoveryCode: string };
  reception: { dataDir: string; therapistIds: { victims: string; perpetrators: string } };
}

export const PREPARED_ENV = 'UTVAG_E2E_PREPARED';

function prepared(): PreparedJournals {
  const value = process.env[PREPARED_ENV];
  if (!value) throw new Error(`${PREPARED_ENV} is not set: run the end-to-end tests through playwright.config.ts (its globalSetup)`);
  return JSON.parse(value) as PreparedJournals;
}

/**
 * cp -r that keeps every file's and folder's permissions (cpSync gives new folders the umask's): a
 * loosened one would be fixed and logged at the start, a journal the tests did not ask for.
 */
function copyWithModes(source: string, target: string): void {
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    const to = path.join(target, entry.name);
    if (entry.isDirectory()) {
      mkdirSync(to);
      copyWithModes(from, to);
    } else copyFileSync(from, to);
    chmodSync(to, statSync(from).mode & 0o777);
  }
}

/**
 * Stops the test's harness (fresh, nothing done in it yet) and starts it again on a copy of a prepared
 * data folder: the journal, its keyring and everything beside it, as a desk would find them after a restart.
 */
async function startOnCopy(harness: Harness, source: string): Promise<void> {
  await stopHarness(processes.get(harness)!);
  for (const name of readdirSync(harness.dataDir)) rmSync(path.join(harness.dataDir, name), { recursive: true, force: true });
  copyWithModes(source, harness.dataDir);
  const { url, child } = await startHarnessOn(harness.dataDir);
  harness.url = url;
  processes.set(harness, child);
}

/**
 * Builds, through the real router the way an admin would, a journal ready for a day at the desk:
 * the admin from the first-run screen, a receptionist, one therapist per side at Skaraborg working
 * every day 07–20, each having replaced the temporary password. globalSetup.ts does this once per
 * run (about thirteen full-cost key derivations); prepareReception copies the result.
 */
export async function buildReception(page: Page, harness: Harness): Promise<{ therapistIds: { victims: string; perpetrators: string } }> {
  await createJournal(page, harness);
  const people = [
    { ...RECEPTIONIST, roles: ['receptionist'] },
    { ...THERAPISTS.victims, roles: ['therapist'] },
    { ...THERAPISTS.perpetrators, roles: ['therapist'] },
  ];
  const temporary: Record<string, { id: string; password: string }> = {};
  for (const person of people) {
    const created = await must<{ user: { id: string }; temporaryPassword: string }>(page, 'users.create', {
      displayName: person.displayName,
      username: person.username,
      roles: person.roles,
    });
    temporary[person.username] = { id: created.user.id, password: created.temporaryPassword };
  }
  const therapistIds = { victims: temporary[THERAPISTS.victims.username]!.id, perpetrators: temporary[THERAPISTS.perpetrators.username]!.id };
  await must(page, 'org.saveTherapist', { userId: therapistIds.victims, siteId: 'skaraborg', tracks: ['victim', 'child'], hours: WEEKDAYS });
  await must(page, 'org.saveTherapist', { userId: therapistIds.perpetrators, siteId: 'skaraborg', tracks: ['perpetrator'], hours: WEEKDAYS });
  // Each person replaces the temporary password, as they would at their first sign-in.
  for (const person of people) {
    await must(page, 'auth.login', { username: person.username, password: temporary[person.username]!.password });
    await must(page, 'auth.changePassword', {
      currentPassword: temporary[person.username]!.password,
      newPassword: person.password,
      newPasswordRepeat: person.password,
    });
  }
  return { therapistIds };
}

/**
 * A journal just past the first-run screen (createJournal's), on a fresh copy of the one prepared for
 * this run: signed in as its admin at the start page. Returns the recovery code shown at its creation.
 * The first-run screen itself is foundation.spec's, which creates its own.
 */
export async function prepareAdmin(page: Page, harness: Harness): Promise<string> {
  const { admin } = prepared();
  await startOnCopy(harness, admin.dataDir);
  await page.goto(harness.url);
  await switchUser(page, harness, ADMIN);
  await expect(page.getByRole('heading', { name: 'Start' })).toBeVisible();
  return admin.recoveryCode;
}

/**
 * A journal ready for a day at the desk (see buildReception), on a fresh copy of the one prepared
 * for this run. Ends signed in as the receptionist at the start page.
 */
export async function prepareReception(page: Page, harness: Harness): Promise<{ therapistIds: { victims: string; perpetrators: string } }> {
  const { reception } = prepared();
  await startOnCopy(harness, reception.dataDir);
  await page.goto(harness.url);
  await switchUser(page, harness, RECEPTIONIST);
  return { therapistIds: reception.therapistIds };
}

/** Signs in through the bridge as someone else and reloads at the start page. */
export async function switchUser(page: Page, harness: Harness, person: { username: string; password: string; displayName: string }): Promise<void> {
  await must(page, 'auth.login', { username: person.username, password: person.password });
  await page.goto(`${new URL(harness.url).origin}/#/`);
  await expect(page.getByText(`Hej ${person.displayName}!`)).toBeVisible();
}

export { must as invokeOk };

/** An individual appointment at Skaraborg for a registered client, booked through the bridge as the booking panel sends it. */
export async function bookAppointment(
  page: Page,
  input: { side?: string; clientId: string; therapistId: string; date: string; start: string; roomId: string; minutes?: number },
): Promise<string> {
  const result = await must<{ appointment: { id: string } }>(page, 'appointments.book', {
    side: input.side ?? 'victims',
    siteId: 'skaraborg',
    clientId: input.clientId,
    groupId: null,
    kind: 'individual',
    therapistId: input.therapistId,
    roomId: input.roomId,
    date: input.date,
    start: input.start,
    durationMinutes: input.minutes ?? 60,
    note: '',
  });
  return result.appointment.id;
}

/**
 * The opening of a test about what a booking leads to: a client registered by a first call (the
 * spec's own IntakeInput) and booked once on her side, both through the bridge. Tests of the
 * first-call screen or the booking panel drive those screens instead.
 */
export async function bookedClient(
  page: Page,
  intake: { side: string },
  slot: { therapistId: string; date: string; start: string; roomId: string; minutes?: number },
): Promise<{ clientId: string; appointmentId: string }> {
  const { clientId } = await must<{ clientId: string }>(page, 'intake.register', intake);
  return { clientId, appointmentId: await bookAppointment(page, { side: intake.side, clientId, ...slot }) };
}

/** A date or time field of the kit (react-aria segments): the group its label names. */
export function segmented(scope: Page | Locator, label: string): Locator {
  return scope.getByRole('group', { name: label, exact: true });
}

/** Puts a whole '2031-03-03' or '09:30' into a segmented field in one go, as a paste or dictation does. */
export async function fillSegmented(field: Locator, text: string): Promise<void> {
  await field.getByRole('spinbutton').first().click();
  await field.page().keyboard.insertText(text);
}

/** Types into a segmented field key by key, as a person does ('2031-03-03', '09:30'). */
export async function typeSegmented(field: Locator, text: string, delay = 0): Promise<void> {
  await field.getByRole('spinbutton').first().click();
  await field.page().keyboard.type(text, { delay });
}

/** The value a segmented field holds as the form sees it ('' while nothing whole is typed). */
export async function expectSegmented(field: Locator, value: string): Promise<void> {
  await expect(field.locator('xpath=ancestor::*[@data-value][1]')).toHaveAttribute('data-value', value);
}
