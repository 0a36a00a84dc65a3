import type { Page } from '@playwright/test';
import { expect, expectAccessible, fillSegmented, invokeOk, prepareReception, segmented, test } from './harness.js';
import { intakeInput } from '../fixtures/intake.js';

/**
 * Issue 15, the desk: a waiting list that acts, a fuller client record, search as you type on
 * Klienter, and one registry of unsaved forms that the side switch and leaving a screen ask.
 */
const SHOTS = process.env.UTVAG_SCREENSHOTS;
const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false });
};

const MONDAY = '2031-03-03';

// Two whole flows of the desk each, with axe at every state.
test.describe.configure({ timeout: 180_000 });

const contact = (safeTimes: string, instructions: string) => ({
  phone: '070-000 00 31',
  safeToCall: true,
  safeToText: false,
  safeVoicemail: false,
  safeTimes,
  codeWord: '',
  instructions,
});

async function waitingClients(page: Page, victimsTherapist: string) {
  const { clientId: wilma } = await invokeOk<{ clientId: string }>(
    page,
    'intake.register',
    intakeInput('victim', 'Wilma Väntesdotter', {
      reason: 'Vill prata om uppbrottet',
      urgency: 'high',
      safeContact: contact('Tisdagar efter 15', 'Säg att du ringer från biblioteket'),
    }),
  );
  // Her therapist is known: the booking opens with her.
  await invokeOk(page, 'care.assign', { side: 'victims', clientId: wilma, therapistId: victimsTherapist });
  const { clientId: hidden } = await invokeOk<{ clientId: string }>(
    page,
    'intake.register',
    intakeInput('victim', 'Skyddad Väntesdotter', {
      reason: 'Hot via sms',
      protectedIdentity: true,
      safeContact: contact('Förmiddagar', 'Fråga efter Kim'),
    }),
  );
  return { wilma, hidden };
}

test('the waiting list shows why and how to call back, and "Boka" books the client, who then leaves the list', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  await page.setViewportSize({ width: 1366, height: 768 });
  const { therapistIds } = await prepareReception(page, harness);
  const { wilma, hidden } = await waitingClients(page, therapistIds.victims);

  await page.getByRole('link', { name: 'Väntelista' }).click();
  const rows = page.getByTestId('waiting-row');
  await expect(rows).toHaveCount(2);
  const wilmaRow = rows.filter({ has: page.locator(`a[href$="${wilma}"]`) });
  const hiddenRow = rows.filter({ has: page.locator(`a[href$="${hidden}"]`) });
  // Discreet mode (the desk's default): initials, and when and how to call back; the reason waits for V on the row.
  await expect(wilmaRow.getByRole('rowheader')).toHaveText('W. V.');
  await expect(wilmaRow.getByTestId('waiting-callback')).toContainText('Tisdagar efter 15');
  await expect(wilmaRow.getByTestId('waiting-callback')).toContainText('Säg att du ringer från biblioteket');
  await expect(wilmaRow.getByTestId('waiting-reason')).not.toContainText('uppbrottet');
  await wilmaRow.focus();
  await page.keyboard.press('v');
  await expect(wilmaRow.getByTestId('waiting-reason')).toHaveText('Vill prata om uppbrottet');
  // A protected client: her reason, and of her contact only that it is protected.
  await hiddenRow.focus();
  await page.keyboard.press('v');
  await expect(hiddenRow.getByTestId('waiting-reason')).toHaveText('Hot via sms');
  await expect(hiddenRow.getByTestId('waiting-callback')).toHaveText('Skyddade uppgifter');
  await expect(page.getByText('Förmiddagar')).toHaveCount(0);
  await expect(page.getByText('Fråga efter Kim')).toHaveCount(0);
  await expectAccessible(page);
  await shot(page, 'desk-waiting-list');

  // "Boka": the schedule's booking form, with the client, a first visit and her therapist.
  await wilmaRow.getByRole('link', { name: /^Boka/ }).click();
  await expect(page).toHaveURL(/#\/schedule/);
  await expect(page.getByTestId('chosen-client')).toContainText('W. V.');
  await expect(page.getByLabel('Typ av tid')).toHaveValue('first_visit');
  await expect(page.getByLabel('Behandlare')).toHaveValue(therapistIds.victims);
  await expectAccessible(page);
  await shot(page, 'desk-waiting-booking');

  // Unsaved: switching side asks first, and staying keeps the booking as it was.
  await page.keyboard.press('Alt+s');
  const sideDialog = page.getByTestId('side-switch-dialog');
  await expect(sideDialog).toBeVisible();
  await expect(sideDialog).toContainText('De försvinner');
  await expectAccessible(page);
  await sideDialog.getByRole('button', { name: /^Stanna/ }).click();
  await expect(page.getByTestId('current-side')).toHaveText('Utsattsidan');
  await expect(page.getByTestId('chosen-client')).toContainText('W. V.');

  await fillSegmented(segmented(page, 'Datum'), MONDAY);
  await fillSegmented(segmented(page, 'Starttid'), '10:00');
  await page.getByLabel('Rum', { exact: true }).selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Boka', exact: true }).click();
  await expect(page.getByText(/^Bokat: /)).toBeVisible();

  // Booked: she leaves the list, and her first call says booked, with its reason, on her record.
  await page.getByRole('link', { name: 'Väntelista' }).click();
  await expect(page.getByTestId('waiting-row')).toHaveCount(1);
  await page.getByTestId('waiting-row').first().focus();
  await page.goto(`${new URL(harness.url).origin}/#/reception/clients?id=${wilma}`);
  await expect(page.getByTestId('intake-reason')).toHaveText('Anledning: Vill prata om uppbrottet');
  await expect(page.getByTestId('client-detail')).toContainText('Första tid bokad');
  await page.getByTestId('intake-reason').scrollIntoViewIfNeeded();
  await expectAccessible(page);
  await shot(page, 'desk-record-intake');
});

test('Klienter searches as you type, the record is corrected next to its fields, and leaving with changes asks first', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  await page.setViewportSize({ width: 1366, height: 768 });
  const { therapistIds } = await prepareReception(page, harness);
  await waitingClients(page, therapistIds.victims);
  await invokeOk(page, 'intake.register', intakeInput('victim', 'Wiveka Annansdotter', { personalNumber: '19850312-1231' }));
  await invokeOk(page, 'intake.register', intakeInput('victim', 'Nummer Upptagensdotter', { personalNumber: '19850312-1249' }));

  let searches = 0;
  page.on('request', (request) => {
    if (request.url().includes('/__harness/invoke') && (request.postData() ?? '').includes('"clients.search"')) searches += 1;
  });
  await page.getByRole('link', { name: 'Klienter' }).click();
  const box = page.getByLabel('Sök klient');
  // One character asks nothing; a pause after typing asks once, without "Sök".
  await box.pressSequentially('W', { delay: 120 });
  await page.waitForTimeout(600);
  expect(searches).toBe(0);
  await box.pressSequentially('ilma', { delay: 120 });
  await expect(page.getByTestId('client-row')).toHaveCount(1);
  await expect(page.getByRole('main').getByRole('status')).toHaveText('1 träff');
  expect(searches).toBe(1);
  await box.fill('Wi');
  await expect(page.getByTestId('client-row')).toHaveCount(2);
  expect(searches).toBe(2);
  await expectAccessible(page);
  await shot(page, 'desk-search-as-you-type');

  await box.fill('Wiveka');
  await expect(page.getByTestId('client-row')).toHaveCount(1);
  await page.getByTestId('client-row').getByRole('button', { name: 'Öppna' }).click();
  const editor = page.getByTestId('record-editor');
  await expect(editor).toBeVisible();
  await expect(page.getByTestId('record-book')).toBeVisible();
  await page.getByRole('heading', { name: /Wiveka Annansdotter/ }).scrollIntoViewIfNeeded();
  await expectAccessible(page);
  await shot(page, 'desk-record-top');
  // A number taken by another client of this side, and one that is not a number: told next to the field, nothing typed lost.
  await editor.getByLabel('Personnummer').fill('19850312-1249');
  await editor.getByLabel('Antal barn under 18 år i hushållet').fill('2');
  await editor.getByRole('button', { name: 'Spara klientuppgifter' }).click();
  await expect(editor.getByText('Det finns redan en klient med det numret. Sök fram klienten i stället.')).toBeVisible();
  await editor.getByLabel('Personnummer').fill('19850312-1237');
  await editor.getByRole('button', { name: 'Spara klientuppgifter' }).click();
  await expect(editor.getByText('Personnumret eller samordningsnumret stämmer inte (datum eller kontrollsiffra).')).toBeVisible();
  await expect(editor.getByLabel('Antal barn under 18 år i hushållet')).toHaveValue('2');
  await expectAccessible(page);
  await shot(page, 'desk-record-error');

  // Leaving with the change unsaved asks first; staying keeps it.
  await page.getByRole('link', { name: 'Väntelista' }).click();
  const leave = page.getByTestId('leave-dialog');
  await expect(leave).toBeVisible();
  await expectAccessible(page);
  await leave.getByRole('button', { name: 'Stanna och spara först' }).click();
  await expect(page).toHaveURL(/#\/reception\/clients/);
  await expect(editor.getByLabel('Personnummer')).toHaveValue('19850312-1237');
  await page.keyboard.press('Alt+s');
  await expect(page.getByTestId('side-switch-dialog')).toBeVisible();
  await page
    .getByTestId('side-switch-dialog')
    .getByRole('button', { name: /^Stanna/ })
    .click();

  await editor.getByLabel('Personnummer').fill('');
  await editor.getByLabel('Namn', { exact: true }).fill('Wiveka Rättadsdotter');
  await editor.getByLabel('Språk').fill('finska');
  await editor.getByLabel('Tolk behövs').check();
  await editor.getByRole('button', { name: 'Spara klientuppgifter' }).click();
  await expect(page.getByText('Klientuppgifterna är sparade.')).toBeVisible();
  await expect(page.getByRole('heading', { name: /Wiveka Rättadsdotter/ })).toBeVisible();
  await expect(page.getByTestId('client-detail').locator('.facts')).toContainText('finska · Tolk behövs');
  await expectAccessible(page);
  await shot(page, 'desk-record-saved');

  // Saved: nothing asks. "Boka tid" opens the booking for her.
  await page.getByTestId('record-book').click();
  await expect(page).toHaveURL(/#\/schedule/);
  await expect(page.getByTestId('chosen-client')).toContainText('W. R.');
  await expect(page.getByLabel('Typ av tid')).toHaveValue('individual');
  // The booking is unsaved work too: the menu asks before leaving it.
  await page.getByRole('link', { name: 'Klienter' }).click();
  await expect(page.getByTestId('leave-dialog')).toBeVisible();
  await page.getByTestId('leave-dialog').getByRole('button', { name: 'Lämna utan att spara' }).click();
  await expect(page).toHaveURL(/#\/reception\/clients/);
});
