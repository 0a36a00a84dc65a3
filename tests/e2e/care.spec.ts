import type { Page } from '@playwright/test';
import {
  ADMIN,
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
  THERAPISTS,
} from './harness.js';
import { intakeInput } from '../fixtures/intake.js';

const SHOTS = process.env.UTVAG_SCREENSHOTS;
const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};
const TUESDAY = '2031-11-18';

async function openRecord(page: Page, harness: { url: string }, clientId: string): Promise<void> {
  // By way of the start page, so that the client screen opens afresh with the id in the address.
  await page.goto(`${new URL(harness.url).origin}/#/`);
  await page.goto(`${new URL(harness.url).origin}/#/reception/clients?id=${clientId}`);
  await expect(page.getByRole('region', { name: 'Vårdteam' })).toBeVisible();
}

test('reception gives the care from the client record and from a booking; the therapist opens the journal from her care list', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  test.setTimeout(120_000);
  const { therapistIds } = await prepareReception(page, harness);
  const lovisa = (
    await invokeOk<{ clientId: string }>(page, 'intake.register', intakeInput('victim', 'Lovisa Vårdsdotter', { personalNumber: '19850312-0241' }))
  ).clientId;
  await invokeOk(page, 'intake.register', intakeInput('victim', 'Saga Bokningsdotter'));
  // A later first call on the perpetrators' side gives Lovisa's personnummer: it is registered as any new number …
  await invokeOk(page, 'intake.register', intakeInput('perpetrator', 'Okänd Nummersson', { personalNumber: '19850312-0241' }));

  // … and only the victims' side is told, on her record: when, never who.
  await openRecord(page, harness, lovisa);
  await expect(page.getByTestId('identity-reused')).toContainText('angavs klientens personnummer i ett första samtal på utövarsidan');
  await expect(page.getByTestId('identity-reused')).not.toContainText('Nummersson');
  await shot(page, 'care-identity-reused');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Byt sida: Utövarsidan' }).click();
  await page.getByLabel('Sök klient').fill('Okänd');
  await page.getByRole('button', { name: 'Sök', exact: true }).click();
  await page.getByRole('button', { name: 'Öppna' }).click();
  await expect(page.getByRole('heading', { name: 'Okänd Nummersson' })).toBeVisible();
  await expect(page.getByTestId('identity-reused')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText('Lovisa');
  await page.getByRole('button', { name: 'Byt sida: Utsattsidan' }).click();

  // The record shows an empty team and offers only the therapists who serve the client's track.
  await openRecord(page, harness, lovisa);
  const team = page.getByRole('region', { name: 'Vårdteam' });
  await expect(team).toContainText('Ingen behandlare har vårdansvaret ännu.');
  const choice = team.getByLabel('Ge vårdansvar till');
  await expect(choice.locator('option')).toHaveText(['Välj behandlare', THERAPISTS.victims.displayName]);
  await team.getByRole('button', { name: 'Ge vårdansvar' }).click();
  await expect(choice).toHaveAccessibleDescription(/Välj en behandlare i listan\./);
  await shot(page, 'care-record-empty');
  await expectAccessible(page);
  await choice.selectOption({ label: THERAPISTS.victims.displayName });
  await team.getByRole('button', { name: 'Ge vårdansvar' }).click();
  await expect(team.getByRole('status')).toHaveText(`${THERAPISTS.victims.displayName} har vårdansvaret.`);
  await expect(team.getByRole('listitem')).toHaveCount(1);
  await expect(team.getByRole('listitem')).toContainText(THERAPISTS.victims.displayName);
  await expect(team.getByRole('button', { name: 'Ge vårdansvar' })).toBeDisabled();
  await shot(page, 'care-record-assigned');
  await expectAccessible(page);

  // Main refuses a therapist of the other track, whatever a screen sends.
  expect(await invokeFromPage(page, 'care.assign', { side: 'victims', clientId: lovisa, therapistId: therapistIds.perpetrators })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_INPUT', fields: { therapistId: 'error.care.otherTrack' } },
  });

  // A booking with a therapist offers to give that therapist the care.
  await page.goto(`${new URL(harness.url).origin}/#/schedule?view=day&date=${TUESDAY}`);
  await page.getByRole('button', { name: 'Ny bokning' }).click();
  const panel = page.getByRole('region', { name: 'Ny bokning' });
  await panel.getByLabel('Sök klient').fill('Saga');
  await page.getByRole('option', { name: /S\. B\./ }).click();
  await expect(panel.getByLabel('Behandlare')).toHaveValue(therapistIds.victims);
  await panel.getByLabel('Rum').selectOption({ label: 'Samtalsrum 1' });
  await fillSegmented(segmented(panel, 'Starttid'), '10:00');
  await panel.getByRole('button', { name: 'Boka' }).click();
  await expect(panel.getByText('Bokat: Tisdag 2031-11-18 10:00–11:00.')).toBeVisible();
  const offer = panel.getByRole('button', { name: `Ge ${THERAPISTS.victims.displayName} vårdansvaret för klienten` });
  await expect(offer).toBeVisible();
  await shot(page, 'care-booking-offer');
  await expectAccessible(page);
  await offer.click();
  await expect(panel.getByRole('status').filter({ hasText: 'har vårdansvaret' })).toHaveText(
    `${THERAPISTS.victims.displayName} har vårdansvaret för klienten.`,
  );
  await shot(page, 'care-booking-assigned');

  // Booking Lovisa, whose therapist Vera already is, offers nothing.
  await panel.getByRole('button', { name: 'Boka en till' }).click();
  await panel.getByLabel('Sök klient').fill('Lovisa');
  await page.getByRole('option', { name: /L\. V\./ }).click();
  await panel.getByLabel('Rum').selectOption({ label: 'Samtalsrum 1' });
  await fillSegmented(segmented(panel, 'Starttid'), '12:00');
  await panel.getByRole('button', { name: 'Boka' }).click();
  await expect(panel.getByText('Bokat: Tisdag 2031-11-18 12:00–13:00.')).toBeVisible();
  await expect(panel.getByTestId('care-offer')).toHaveCount(0);

  // Vera finds both in her care list and opens a journal through the care relation, no emergency access.
  await switchUser(page, harness, THERAPISTS.victims);
  await page.getByRole('link', { name: 'Journal' }).click();
  await expect(page.getByTestId('my-client')).toHaveText([/Lovisa Vårdsdotter/, /Saga Bokningsdotter/]);
  await shot(page, 'care-my-clients');
  await expectAccessible(page);
  // A caseload can be long: sorted by a header, and opened with Enter on the row.
  const byName = page.getByRole('grid', { name: 'Klienter som du har en vårdrelation med' }).getByRole('columnheader', { name: 'Namn' });
  await byName.click();
  await byName.press('Enter');
  await expect(byName).toHaveAttribute('aria-sort', 'descending');
  await expect(page.getByTestId('my-client')).toHaveText([/Saga Bokningsdotter/, /Lovisa Vårdsdotter/]);
  await page.getByTestId('my-client').first().focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Saga Bokningsdotter' })).toBeFocused();
  await expect(page.getByText('Vårdrelation', { exact: true })).toBeVisible();
  await expect(page.getByTestId('emergency-banner')).toHaveCount(0);
  await expect(page.getByTestId('no-access')).toHaveCount(0);
  await shot(page, 'care-journal-open');
  await expectAccessible(page);

  // Reception ends the relation from the record; the journal is shut to her again.
  await switchUser(page, harness, RECEPTIONIST);
  await openRecord(page, harness, lovisa);
  await team.getByRole('button', { name: `Avsluta vårdrelation med ${THERAPISTS.victims.displayName}` }).click();
  await expect(team.getByRole('status')).toHaveText(`Vårdrelationen med ${THERAPISTS.victims.displayName} är avslutad.`);
  await expect(team).toContainText('Ingen behandlare har vårdansvaret ännu.');
  await shot(page, 'care-record-ended');
});

const PHONE = '070-174 06 42';
const CODE_WORD = 'Blåklocka';
const INSTRUCTIONS = 'Säg att du ringer från tandvården';

test('a protected client: reception’s save keeps what it cannot see; her therapist and an admin see her number with its instructions', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  test.setTimeout(120_000);
  const { therapistIds } = await prepareReception(page, harness);
  const safeContact = {
    phone: PHONE,
    safeToCall: true,
    safeToText: false,
    safeVoicemail: false,
    safeTimes: 'Vardagar 10–12',
    codeWord: CODE_WORD,
    instructions: '',
  };
  const clientId = (await invokeOk<{ clientId: string }>(page, 'intake.register', intakeInput('victim', 'Skyddad Testdotter', { safeContact })))
    .clientId;
  await invokeOk(page, 'care.assign', { side: 'victims', clientId, therapistId: therapistIds.victims });

  // Reception adds an instruction and switches protection on in the same save, while it still sees the fields.
  await openRecord(page, harness, clientId);
  const contact = page.getByRole('region', { name: 'Ändra säker kontakt' });
  await expect(contact.getByLabel('Telefon', { exact: true })).toHaveValue(PHONE);
  await contact.getByLabel('Annan instruktion').fill(INSTRUCTIONS);
  await contact.getByLabel(/^Skyddade personuppgifter/).check();
  await contact.getByRole('button', { name: 'Spara' }).click();

  // From then on reception sees none of it and is offered nothing of it to change.
  const hiddenContact = page.getByRole('region', { name: 'Säker kontakt', exact: true });
  await expect(hiddenContact).toContainText(
    'Skyddade personuppgifter. Telefon, adress och instruktioner för säker kontakt visas bara för klientens egen behandlare',
  );
  await expect(page.getByLabel('Telefon', { exact: true })).toHaveCount(0);
  await expect(page.getByLabel('Kodord')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(PHONE);
  await expect(page.locator('body')).not.toContainText(CODE_WORD);
  await shot(page, 'protected-reception-record');
  await expectAccessible(page);
  await page.reload();
  await expect(page.getByRole('region', { name: 'Vårdteam' })).toBeVisible();
  await expect(page.locator('body')).not.toContainText(PHONE);
  // A save from reception, as any screen could send it, changes nothing of what reception cannot see.
  const empty = { phone: '', safeToCall: false, safeToText: false, safeVoicemail: false, safeTimes: '', codeWord: '', instructions: '' };
  expect(
    await invokeFromPage(page, 'clients.updateContact', { side: 'victims', clientId, safeContact: empty, address: '', protectedIdentity: true }),
  ).toMatchObject({ ok: true, value: { phone: null, safeContact: null } });
  // Nor does a search by her number find her.
  expect(await invokeFromPage(page, 'clients.search', { side: 'victims', query: '0642' })).toEqual({ ok: true, value: [] });

  // Her own therapist sees the number with its instructions in the journal.
  await switchUser(page, harness, THERAPISTS.victims);
  await page.getByRole('link', { name: 'Journal' }).click();
  await page.getByRole('button', { name: 'Öppna journalen för Skyddad Testdotter' }).click();
  const phone = page.getByTestId('journal-phone');
  await expect(phone).toContainText(PHONE);
  await expect(phone).toContainText(`Kodord: ${CODE_WORD}`);
  await expect(phone).toContainText(INSTRUCTIONS);
  await expect(phone).toContainText('Vardagar 10–12');
  await shot(page, 'protected-therapist-journal');
  await expectAccessible(page);

  // An admin sees them on the client record, and may change them.
  await switchUser(page, harness, ADMIN);
  await page.getByRole('link', { name: 'Klienter' }).click();
  await page.getByLabel('Sök klient').fill('0642');
  await page.getByRole('button', { name: 'Sök', exact: true }).click();
  await page.getByRole('button', { name: 'Öppna' }).click();
  await expect(page.getByRole('region', { name: 'Vårdteam' })).toContainText(THERAPISTS.victims.displayName);
  const adminContact = page.getByRole('region', { name: 'Ändra säker kontakt' });
  await expect(adminContact.getByLabel('Telefon', { exact: true })).toHaveValue(PHONE);
  await expect(adminContact.getByLabel('Kodord')).toHaveValue(CODE_WORD);
  await expect(adminContact.getByLabel('Annan instruktion')).toHaveValue(INSTRUCTIONS);
  await shot(page, 'protected-admin-record');
  await expectAccessible(page);
});
