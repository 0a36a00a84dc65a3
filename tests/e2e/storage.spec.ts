import type { Page } from '@playwright/test';
import { THERAPISTS, expect, expectAccessible, invokeOk, prepareReception, switchUser, test } from './harness.js';
import { intakeInput } from '../fixtures/intake.js';
import { FICTIONAL_CLIENTS } from '../fixtures/people.js';

const PERSONAL_NUMBER = FICTIONAL_CLIENTS[0]!.personalNumber!;

const SHOTS = process.env.UTVAG_SCREENSHOTS;
const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};

/**
 * Makes the harness's open journal full or read-only, or normal again (see main/harness/storageFault.ts):
 * a real SQLite condition, so the screens meet the very errors a full disk or a read-only folder gives.
 */
async function storageFault(harness: { url: string }, fault: 'full' | 'readOnly' | 'normal'): Promise<void> {
  const url = new URL(harness.url);
  const token = /token=([\w-]+)/.exec(url.hash)![1]!;
  const response = await fetch(`${url.origin}/__harness/storage-fault?fault=${fault}`, { method: 'POST', headers: { 'x-utvag-token': token } });
  expect(response.status).toBe(200);
}

const FULL_MESSAGE =
  'Disken där journalen ligger är full, så ingenting sparades. Det du skrivit finns kvar här. Be IT frigöra utrymme och försök sedan igen.';
const READ_ONLY_MESSAGE = 'Journalens mapp är skrivskyddad, så ingenting sparades. Det du skrivit finns kvar här. Kontakta IT och försök sedan igen.';
/** A note longer than a page of the journal: it always needs room that a full disk does not have. */
const LONG_NOTE = [
  'Bakgrund',
  'Fiktiv klient berättar om kontroll och hot under flera år. '.repeat(40),
  '',
  'Bedömning',
  'Fortsatta stödsamtal varje vecka, enligt den fiktiva planen. '.repeat(40),
].join('\n');

test('a therapist whose journal disk is full is told so next to the draft, keeps every word, and saves it once there is room', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  test.setTimeout(120_000);
  const { therapistIds } = await prepareReception(page, harness);
  const { clientId } = await invokeOk<{ clientId: string }>(
    page,
    'intake.register',
    intakeInput('victim', 'Disa Diskfullsdotter', { birthYear: 1984 }),
  );
  await invokeOk(page, 'care.assign', { side: 'victims', clientId, therapistId: therapistIds.victims });

  await switchUser(page, harness, THERAPISTS.victims);
  await page.getByRole('link', { name: 'Journal' }).click();
  await page.getByRole('button', { name: 'Öppna journalen för Disa Diskfullsdotter' }).click();
  await page.getByRole('button', { name: 'Ny anteckning' }).click();
  const text = page.getByLabel('Text', { exact: true });
  await text.fill(LONG_NOTE);

  await storageFault(harness, 'full');
  await page.getByRole('button', { name: 'Spara utkast' }).click();
  const alert = page.getByTestId('journal-draft').getByRole('alert');
  await expect(alert).toHaveText(FULL_MESSAGE);
  await expect(text).toHaveValue(LONG_NOTE);
  await expect(page.getByText('Ändringar som inte är sparade.')).toBeVisible();
  await shot(page, 'storage-full-journal-draft');
  await expectAccessible(page);

  // IT frees space: the same text is saved as it was typed.
  await storageFault(harness, 'normal');
  await page.getByRole('button', { name: 'Spara utkast' }).click();
  await expect(page.getByText(/^Utkastet sparades \d\d:\d\d\.$/)).toBeVisible();
  await expect(page.getByText(FULL_MESSAGE)).toHaveCount(0);
  const view = await invokeOk<{ entries: { body: string; status: string }[] }>(page, 'journal.open', { clientId });
  expect(view.entries).toEqual([expect.objectContaining({ body: LONG_NOTE, status: 'draft' })]);
});

test('a receptionist whose journal folder has become read-only is told so, keeps the whole first call, and registers it later', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  test.setTimeout(120_000);
  await prepareReception(page, harness);
  await page.getByRole('link', { name: 'Nytt första samtal' }).click();
  await page.getByLabel('Remissväg').selectOption('police');
  await page.getByLabel('Namn', { exact: true }).fill('Rut Skrivskyddsdotter');
  await page.getByLabel('Personnummer eller samordningsnummer (valfritt)').fill(PERSONAL_NUMBER);
  await page.getByLabel('Kön').selectOption('female');
  await page.getByLabel('Kommun').selectOption('1472');
  await page.getByLabel('Telefon', { exact: true }).fill('070-000 00 02');
  await page.getByLabel('Säkert att sms:a').check();
  await page.getByLabel('Säkra tider att ringa').fill('vardagar 9–11');

  await storageFault(harness, 'readOnly');
  await page.getByRole('button', { name: 'Registrera samtalet' }).click();
  await expect(page.getByText(READ_ONLY_MESSAGE)).toBeVisible();
  // Everything typed is still there.
  await expect(page.getByLabel('Remissväg')).toHaveValue('police');
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('Rut Skrivskyddsdotter');
  await expect(page.getByLabel('Personnummer eller samordningsnummer (valfritt)')).toHaveValue(PERSONAL_NUMBER);
  await expect(page.getByLabel('Kön')).toHaveValue('female');
  await expect(page.getByLabel('Kommun')).toHaveValue('1472');
  await expect(page.getByLabel('Telefon', { exact: true })).toHaveValue('070-000 00 02');
  await expect(page.getByLabel('Säkert att sms:a')).toBeChecked();
  await expect(page.getByLabel('Säkra tider att ringa')).toHaveValue('vardagar 9–11');
  await shot(page, 'storage-read-only-intake');
  await expectAccessible(page);

  await storageFault(harness, 'normal');
  await page.getByRole('button', { name: 'Registrera samtalet' }).click();
  await expect(page.getByRole('heading', { name: 'Samtalet är registrerat.' })).toBeVisible();
});

test('the storage-fault switch is refused without the token', async ({ harness }) => {
  const url = new URL(harness.url);
  const response = await fetch(`${url.origin}/__harness/storage-fault?fault=full`, { method: 'POST', headers: { 'x-utvag-token': 'a-guess' } });
  expect(response.status).toBe(403);
});
