import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import {
  ADMIN,
  prepareAdmin,
  expect,
  expectAccessible,
  fillSegmented,
  invokeFromPage,
  invokeOk,
  prepareReception,
  RECEPTIONIST,
  segmented,
  switchUser,
  test,
} from './harness.js';

/** With UTVAG_SCREENSHOTS=<folder>, the screen is photographed for a person to look at. */
async function photograph(page: Page, name: string): Promise<void> {
  const folder = process.env.UTVAG_SCREENSHOTS;
  if (folder) await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true });
}

async function openNetwork(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Kontaktnätet' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Kontaktnätet' })).toBeVisible();
}

/** Obviously fictional contact persons; phone numbers from PTS's series for fiction, e-mail on the reserved .example domain. */
const contact = (extra: Record<string, unknown>) => ({
  id: null,
  name: 'Kim Kontaktsson',
  agencyKind: 'police',
  agency: 'Polisen, lokalpolisområde Exempel',
  unit: 'Brottsofferenheten',
  municipalityCode: '1496',
  role: 'Brottsoffersamordnare',
  email: 'kim.kontaktsson@polis.example',
  phone: '08-465 004 10',
  assignmentStart: '2024-01-15',
  assignmentEnd: null,
  ...extra,
});

test('an admin keeps the register: two contact persons, a network day with attendance, and the mailing list', async ({ page, harness, problems }) => {
  void problems;
  await prepareAdmin(page, harness);
  await openNetwork(page);
  await expect(page.getByText('Registret innehåller inga klientuppgifter.')).toBeVisible();
  await expect(page.getByText('Inga kontaktpersoner stämmer med filtret.')).toBeVisible();
  await expectAccessible(page);
  await photograph(page, 'contacts-empty');

  // The first contact person, with a mistyped e-mail address: refused next to the field, nothing typed is lost.
  await page.getByRole('button', { name: 'Ny kontaktperson' }).click();
  const editor = page.getByRole('region', { name: 'Ny kontaktperson' });
  await expect(editor.getByRole('heading', { name: 'Ny kontaktperson' })).toBeFocused();
  await editor.getByLabel('Namn').fill('Kim Kontaktsson');
  await editor.getByLabel('Verksamhet').selectOption({ label: 'Polisen' });
  await editor.getByLabel('Myndighet eller organisation').fill('Polisen, lokalpolisområde Exempel');
  await editor.getByLabel('Enhet (valfritt)').fill('Brottsofferenheten');
  await editor.getByLabel('Kommun').selectOption({ label: 'Skövde' });
  await editor.getByLabel('Roll eller titel (valfritt)').fill('Brottsoffersamordnare');
  await editor.getByLabel('E-post').fill('kim.kontaktsson@polis');
  await editor.getByLabel('Telefon').fill('08-465 004 10');
  await fillSegmented(segmented(editor, 'Uppdraget började'), '2024-01-15');
  await editor.getByRole('button', { name: 'Spara kontaktpersonen' }).click();
  const email = editor.getByLabel('E-post');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAccessibleDescription(/Skriv en e-postadress som namn@exempel\.se\./);
  await expect(email).toBeFocused();
  await expect(editor.getByLabel('Namn')).toHaveValue('Kim Kontaktsson');
  await expect(editor.getByLabel('Kommun')).toHaveValue('1496');
  await expectAccessible(page);
  await photograph(page, 'contacts-editor-refused');
  await email.fill('kim.kontaktsson@polis.example');
  await editor.getByRole('button', { name: 'Spara kontaktpersonen' }).click();
  await expect(page.getByText('Sparat: Kim Kontaktsson.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Ny kontaktperson' })).toHaveCount(0);

  // The second one, whose assignment ended: not among the current ones, but there under "former" and "all".
  await page.getByRole('button', { name: 'Ny kontaktperson' }).click();
  await editor.getByLabel('Namn').fill('Robin Samverkansson');
  await editor.getByLabel('Verksamhet').selectOption({ label: 'Socialtjänsten (IFO)' });
  await editor.getByLabel('Myndighet eller organisation').fill('Socialtjänsten Exempelby');
  await editor.getByLabel('Enhet (valfritt)').fill('IFO Vuxenenheten');
  await editor.getByLabel('Kommun').selectOption({ label: 'Lidköping' });
  await editor.getByLabel('E-post').fill('robin.samverkansson@ifo.example');
  await fillSegmented(segmented(editor, 'Uppdraget började'), '2023-09-01');
  await fillSegmented(segmented(editor, 'Uppdraget slutade'), '2023-08-31');
  await editor.getByRole('button', { name: 'Spara kontaktpersonen' }).click();
  await expect(segmented(editor, 'Uppdraget slutade')).toHaveAccessibleDescription(/Slutdatumet kan inte vara före startdatumet\./);
  await fillSegmented(segmented(editor, 'Uppdraget slutade'), '2025-06-30');
  await editor.getByRole('button', { name: 'Spara kontaktpersonen' }).click();
  await expect(page.getByText('Sparat: Robin Samverkansson.')).toBeVisible();

  // A grid (the kit's Table): rows by the arrow keys, Enter edits one.
  const table = page.getByRole('grid', { name: 'Kontaktpersoner' });
  await expect(table.getByRole('rowheader')).toHaveText([/Kim Kontaktsson/]);
  await page.getByLabel('Visa', { exact: true }).selectOption('all');
  await expect(table.getByRole('rowheader')).toHaveText([/Kim Kontaktsson/, /Robin Samverkansson/]);
  await expect(table.getByRole('row', { name: /Robin Samverkansson/ })).toContainText('2023-09-01 – 2025-06-30');
  await expect(table.getByRole('row', { name: /Robin Samverkansson/ })).toContainText('Avslutad');
  await page.getByLabel('Verksamhet', { exact: true }).selectOption({ label: 'Polisen' });
  await expect(table.getByRole('rowheader')).toHaveText([/Kim Kontaktsson/]);
  await page.getByRole('button', { name: 'Rensa filtret' }).click();
  await page.getByLabel('Visa', { exact: true }).selectOption('all');
  await page.getByRole('searchbox', { name: 'Sök' }).fill('vuxenenheten');
  await expect(table.getByRole('rowheader')).toHaveText([/Robin Samverkansson/]);
  await page.getByRole('searchbox', { name: 'Sök' }).fill('');
  await expect(page.getByText('2 kontaktpersoner.')).toBeVisible();
  await expectAccessible(page);
  await photograph(page, 'contacts-register');

  // A network day, and who attended: both were contact persons then.
  await page.getByRole('tab', { name: 'Nätverksdagar' }).click();
  await expect(page.getByText('Inga nätverksdagar är registrerade ännu.')).toBeVisible();
  const dayForm = page.getByRole('form', { name: 'Ny nätverksdag' });
  await fillSegmented(segmented(dayForm, 'Datum'), '2025-03-12');
  await dayForm.getByLabel('Tema eller rubrik').fill('Barnen i våldets närhet');
  await dayForm.getByLabel('Enhet').selectOption({ label: 'Utväg Skaraborg' });
  await dayForm.getByRole('button', { name: 'Spara nätverksdagen' }).click();
  await expect(page.getByText('Nätverksdagen 2025-03-12 är sparad.')).toBeVisible();
  const attendance = page.getByRole('region', { name: 'Närvaro 2025-03-12: Barnen i våldets närhet' });
  await expect(attendance.getByRole('heading')).toBeFocused();
  await attendance.getByLabel('Kim Kontaktsson, Polisen, lokalpolisområde Exempel – Brottsofferenheten').check();
  await attendance.getByLabel('Robin Samverkansson, Socialtjänsten Exempelby – IFO Vuxenenheten').check();
  await expect(attendance.getByText('2 deltagare markerade.')).toBeVisible();
  await attendance.getByRole('button', { name: 'Spara närvaron' }).click();
  await expect(attendance.getByText('Närvaron är sparad: 2 deltagare.')).toBeVisible();
  const days = page.getByRole('grid', { name: 'Nätverksdagar, senaste först' });
  await expect(days.getByRole('row', { name: /2025-03-12/ })).toContainText('Utväg Skaraborg');
  await expect(
    days
      .getByRole('row', { name: /2025-03-12/ })
      .getByRole('gridcell')
      .nth(2),
  ).toHaveText('2');
  await expectAccessible(page);
  await photograph(page, 'contacts-network-day');

  // Back in the register, each person counts the day; the editor lists it.
  await page.getByRole('tab', { name: 'Kontaktpersoner' }).click();
  await expect(
    table
      .getByRole('row', { name: /Kim Kontaktsson/ })
      .getByRole('gridcell')
      .nth(3),
  ).toHaveText('1 dag');
  await table.getByRole('button', { name: 'Ändra Kim Kontaktsson' }).click();
  const kimEditor = page.getByRole('region', { name: 'Ändra Kim Kontaktsson' });
  await expect(kimEditor.getByText('2025-03-12 · Barnen i våldets närhet')).toBeVisible();
  await expectAccessible(page);
  await photograph(page, 'contacts-editor-edit');
  await kimEditor.getByRole('button', { name: 'Avbryt' }).click();
  // Enter on the person's row in the grid edits them just the same.
  await table.getByRole('row', { name: /Kim Kontaktsson/ }).focus();
  await page.keyboard.press('Enter');
  await expect(kimEditor.getByText('2025-03-12 · Barnen i våldets närhet')).toBeVisible();
  await kimEditor.getByRole('button', { name: 'Avbryt' }).click();

  // The mailing list: current contact persons with an e-mail, whatever the status filter shows.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Utskickslista (CSV)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^utskickslista-kontaktnatet-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(
    csv
      .replace(/^\ufeff/, '')
      .trim()
      .split(/\r?\n/),
  ).toEqual([
    'Namn,E-post,Verksamhet,Myndighet eller organisation,Enhet,Kommun,Roll',
    'Kim Kontaktsson,kim.kontaktsson@polis.example,Polisen,"Polisen, lokalpolisområde Exempel",Brottsofferenheten,Skövde,Brottsoffersamordnare',
  ]);
  await expect(page.getByText(/^1 adress sparades i utskickslista-kontaktnatet-/)).toBeVisible();
});

test('a receptionist names the referring contact person on a first call, chosen among the current ones only', async ({ page, harness, problems }) => {
  void problems;
  await prepareReception(page, harness);
  await expect(page.getByRole('link', { name: 'Kontaktnätet' })).toHaveCount(0);
  expect(
    await invokeFromPage(page, 'contacts.list', { filter: { status: 'all', agencyKind: null, municipalityCode: null, text: '' } }),
  ).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });

  await switchUser(page, harness, ADMIN);
  await invokeOk(page, 'contacts.save', contact({}));
  await invokeOk(
    page,
    'contacts.save',
    contact({
      name: 'Sam Låtsasson',
      agencyKind: 'probation',
      agency: 'Frivården Exempelstad',
      unit: '',
      municipalityCode: null,
      email: 'sam@frivard.example',
      assignmentEnd: '2024-12-31',
    }),
  );
  await switchUser(page, harness, RECEPTIONIST);

  await page.getByRole('link', { name: 'Nytt första samtal' }).click();
  const picker = page.getByLabel('Remitterande kontaktperson');
  await expect(picker.getByRole('option')).toHaveText([
    'Ingen kontaktperson',
    'Kim Kontaktsson – Polisen, lokalpolisområde Exempel, Brottsofferenheten',
  ]);
  await page.getByLabel('Vem tog kontakt?').selectOption('agency');
  await page.getByLabel('Remissväg').selectOption('police');
  await picker.selectOption({ label: 'Kim Kontaktsson – Polisen, lokalpolisområde Exempel, Brottsofferenheten' });
  await expectAccessible(page);
  await photograph(page, 'contacts-intake-referrer');
  await page.getByLabel('Namn', { exact: true }).fill('Remissa Fiktivsdotter');
  await page.getByLabel('Kommun').selectOption('1496');
  await page.getByRole('button', { name: 'Registrera samtalet' }).click();
  await expect(page.getByRole('heading', { name: 'Samtalet är registrerat.' })).toBeVisible();

  await page.getByRole('link', { name: 'Öppna klienten' }).click();
  await expect(page.getByRole('heading', { name: /Remissa Fiktivsdotter/ })).toBeVisible();
  await expect(page.getByTestId('client-detail')).toContainText(
    'Polisen (remitterad av Kim Kontaktsson, Polisen, lokalpolisområde Exempel, Brottsofferenheten)',
  );
  await expectAccessible(page);
  await photograph(page, 'contacts-client-referrer');
});
