import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { ADMIN, THERAPISTS, expect, expectAccessible, invokeOk, prepareReception, switchUser, test } from './harness.js';
import { intakeInput } from '../fixtures/intake.js';

const SHOTS = process.env.UTVAG_SCREENSHOTS;
const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};

const intake = (track: 'victim' | 'perpetrator' | 'child', name: string, extra: Record<string, unknown> = {}) =>
  intakeInput(track, name, { birthYear: 1980, ...extra });

const ASSESSMENT = [
  'Bakgrund',
  'Klienten berättar om kontroll och hot under två år.',
  '',
  'Risk',
  'Hög risk enligt samtalet den 3 mars.',
  '',
  'Bedömning',
  'Fortsatta stödsamtal varje vecka.',
].join('\n');
const CORRECTED = ASSESSMENT.replace('den 3 mars', 'den 5 mars');
const DRAFT_TEXT = 'Ett halvfärdigt utkast som bara författaren ser.';
const EMERGENCY_REASON = 'Klientens behandlare är sjuk och klienten har ringt i akut kris.';

test('a therapist writes, signs and amends; another opens by emergency access; the admin reviews it', async ({ page, harness, problems }) => {
  void problems;
  // Four people sign in with Argon2id and a wrong password is answered slowly on purpose.
  test.setTimeout(180_000);
  // Printing opens the system's own dialog: count the calls instead.
  await page.addInitScript(() => {
    const target = globalThis as unknown as { printed: number; print: () => void };
    target.printed = 0;
    target.print = () => {
      target.printed += 1;
    };
  });
  const { therapistIds } = await prepareReception(page, harness);
  const { clientId } = await invokeOk<{ clientId: string }>(page, 'intake.register', intake('victim', 'Lovisa Testsson', { birthYear: 1987 }));
  await invokeOk(page, 'care.assign', { side: 'victims', clientId, therapistId: therapistIds.victims });

  // Vera is in a care relation with Lovisa and finds her among her own clients.
  await switchUser(page, harness, THERAPISTS.victims);
  await page.getByRole('link', { name: 'Journal' }).click();
  await expect(page.getByRole('heading', { name: 'Mina klienter' })).toBeVisible();
  await expect(page.getByTestId('my-client')).toHaveCount(1);
  await shot(page, 'journal-my-clients');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Öppna journalen för Lovisa Testsson' }).click();
  await expect(page.getByRole('heading', { name: 'Lovisa Testsson' })).toBeFocused();
  await expect(page.getByText('Vårdrelation', { exact: true })).toBeVisible();
  await expect(page.getByTestId('emergency-banner')).toHaveCount(0);
  await expect(page.getByText('Journalen har inga signerade anteckningar ännu.')).toBeVisible();
  await expectAccessible(page);

  // A new assessment starts from its template; Ctrl+S keeps it as a draft.
  await page.getByRole('button', { name: 'Ny anteckning' }).click();
  const kind = page.getByLabel('Typ av anteckning');
  await expect(kind).toBeFocused();
  await kind.selectOption('assessment');
  const text = page.getByLabel('Text', { exact: true });
  await expect(text).toHaveValue(/^Bakgrund\n[\s\S]*Våldets art och omfattning[\s\S]*Risk[\s\S]*Bedömning/);
  await text.fill(ASSESSMENT);
  await expect(page.getByText('Ändringar som inte är sparade.')).toBeVisible();
  await text.press('Control+s');
  await expect(page.getByText(/^Utkastet sparades \d\d:\d\d\.$/)).toBeVisible();
  await expectAccessible(page);

  // Signing asks for the password again; a wrong one is refused next to the field.
  await page.getByRole('button', { name: 'Signera', exact: true }).click();
  const signDialog = page.getByRole('dialog', { name: 'Signera bedömning' });
  const password = signDialog.getByLabel('Ditt lösenord');
  await expect(password).toBeFocused();
  await expectAccessible(page);
  await password.fill('inte-det-riktiga-lösenordet');
  await signDialog.getByRole('button', { name: 'Signera', exact: true }).click();
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAccessibleDescription(/Lösenordet stämmer inte\. Anteckningen är inte signerad\./);
  await expect(password).toBeFocused();
  await shot(page, 'journal-sign-wrong-password');
  await expectAccessible(page);
  await password.fill(THERAPISTS.victims.password);
  await signDialog.getByRole('button', { name: 'Signera', exact: true }).click();
  await expect(signDialog).toHaveCount(0);
  await expect(page.getByText('Anteckningen är signerad.')).toBeVisible();
  const entry = page.getByTestId('journal-entry');
  await expect(entry).toHaveCount(1);
  await expect(entry.getByRole('heading', { level: 3 })).toBeFocused();
  await expect(entry).toContainText('Signerad');
  await expect(entry).toContainText('Skriven av Vera Behandlarsson');
  await expect(entry).toContainText('Hög risk enligt samtalet den 3 mars.');

  // A second draft stays unsigned: it is Vera's own and no one else's.
  await page.getByRole('button', { name: 'Ny anteckning' }).click();
  await page.getByLabel('Text', { exact: true }).fill(DRAFT_TEXT);
  await page.getByRole('button', { name: 'Spara utkast' }).click();
  await expect(page.getByText(/^Utkastet sparades/)).toBeVisible();

  // A signed entry is corrected only by an amendment with a reason; the original stays readable.
  await page.getByRole('button', { name: /^Rätta bedömning från / }).click();
  const amendDialog = page.getByRole('dialog', { name: /^Rätta bedömning från / });
  await expect(amendDialog.getByLabel('Skäl till rättelsen')).toBeFocused();
  await expect(amendDialog.getByLabel('Rättad text')).toHaveValue(ASSESSMENT);
  await amendDialog.getByLabel('Ditt lösenord').fill(THERAPISTS.victims.password);
  await amendDialog.getByRole('button', { name: 'Signera rättelsen' }).click();
  await expect(amendDialog.getByLabel('Skäl till rättelsen')).toHaveAccessibleDescription(/Skriv ett skäl till rättelsen \(minst 5 tecken\)\./);
  await expectAccessible(page);
  await amendDialog.getByLabel('Skäl till rättelsen').fill('Fel datum för samtalet');
  await amendDialog.getByLabel('Rättad text').fill(CORRECTED);
  await amendDialog.getByRole('button', { name: 'Signera rättelsen' }).click();
  await expect(amendDialog).toHaveCount(0);
  await expect(page.getByText('Rättelsen är signerad.')).toBeVisible();
  const amendment = entry.getByTestId('journal-amendment');
  await expect(amendment).toHaveCount(1);
  await expect(amendment.getByRole('heading', { level: 4 })).toBeFocused();
  await expect(amendment).toContainText('Skäl till rättelsen: Fel datum för samtalet');
  await expect(amendment).toContainText('Hög risk enligt samtalet den 5 mars.');
  await expect(entry).toContainText('Anteckningen har rättats.');
  await expect(entry.getByTestId('journal-entry-body').first()).toHaveText(ASSESSMENT);
  await shot(page, 'journal-entries-amendment');
  await expectAccessible(page);

  // The printable copy for the client's right of access: signed entries, amendment under its original, no drafts.
  await page.getByRole('button', { name: 'Skriv ut journalkopia' }).click();
  const copy = page.getByTestId('journal-copy');
  await expect(copy.getByRole('heading', { name: 'Journalkopia' })).toBeVisible();
  await expect(copy).toContainText('Lovisa Testsson');
  await expect(copy.locator('dt', { hasText: 'Utskriven av' }).locator('+ dd')).toHaveText('Vera Behandlarsson');
  await expect(copy).toContainText('Fel datum för samtalet');
  await expect(copy).toContainText('Hög risk enligt samtalet den 3 mars.');
  await expect(copy).not.toContainText(DRAFT_TEXT);
  await expectAccessible(page);
  await shot(page, 'journal-print-view');
  await page.getByRole('button', { name: 'Skriv ut', exact: true }).click();
  expect(await page.evaluate(() => (globalThis as unknown as { printed: number }).printed)).toBe(1);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Huvudmeny' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Skriv ut', exact: true })).toBeHidden();
  await expect(copy).toBeVisible();
  await shot(page, 'journal-print-paper');
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('button', { name: 'Tillbaka till journalen' }).click();
  // The draft being written is still there after the copy; leaving with unsaved changes asks first.
  const draftText = page.getByLabel('Text', { exact: true });
  await expect(draftText).toHaveValue(DRAFT_TEXT);
  await draftText.fill(`${DRAFT_TEXT} Mer text.`);
  await page.getByRole('button', { name: 'Tillbaka till mina klienter' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Ett utkast har ändringar som inte är sparade.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Stanna kvar' })).toBeFocused();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Stanna kvar' }).click();
  await draftText.fill(DRAFT_TEXT);
  await draftText.press('Control+s');
  await expect(page.getByText(/^Utkastet sparades/)).toBeVisible();

  // A draft can be thrown away by its author, after a confirmation.
  await page.getByRole('button', { name: 'Ny anteckning' }).click();
  const plan = page.getByRole('article', { name: 'Ny anteckning' });
  await plan.getByLabel('Typ av anteckning').selectOption('treatment_plan');
  await expect(plan.getByLabel('Text', { exact: true })).toHaveValue(/^Mål\n[\s\S]*Insatser[\s\S]*Uppföljning/);
  await plan.getByRole('button', { name: 'Spara utkast' }).click();
  const savedPlan = page.getByRole('article', { name: 'Behandlingsplan' });
  await expect(savedPlan.getByText(/^Utkastet sparades/)).toBeVisible();
  await savedPlan.getByRole('button', { name: 'Ta bort utkastet' }).click();
  await expect(savedPlan.getByRole('button', { name: 'Avbryt' })).toBeFocused();
  await savedPlan.getByRole('button', { name: 'Ja, ta bort' }).click();
  await expect(savedPlan).toHaveCount(0);
  await expect(page.getByLabel('Text', { exact: true })).toHaveCount(1);
  await expect(page.getByLabel('Text', { exact: true })).toHaveValue(DRAFT_TEXT);

  // Per covers the victims' track on call this week (emergency access stays within the tracks a
  // therapist serves), but has no care relation with Lovisa: her journal stays shut until he gives a reason.
  await switchUser(page, harness, ADMIN);
  await invokeOk(page, 'org.saveTherapist', {
    userId: therapistIds.perpetrators,
    siteId: 'skaraborg',
    tracks: ['perpetrator', 'victim'],
    hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '07:00', end: '20:00' })),
  });
  await switchUser(page, harness, THERAPISTS.perpetrators);
  await page.getByRole('link', { name: 'Journal' }).click();
  await expect(page.getByText(/Du har ingen klient i en vårdrelation just nu\./)).toBeVisible();
  await page.getByLabel('Namn eller personnummer').fill('Lovisa Testsson');
  await page.getByLabel('Namn eller personnummer').press('Enter');
  const found = page.getByTestId('found-client');
  await expect(found).toHaveCount(1);
  await expect(found.getByRole('cell', { name: 'Nej' })).toBeVisible();
  await expectAccessible(page);
  await found.getByRole('button', { name: 'Öppna journalen för Lovisa Testsson' }).click();
  await expect(page.getByRole('heading', { name: 'Du har ingen vårdrelation med Lovisa Testsson' })).toBeFocused();
  await expect(page.getByText(/en administratör granskar den alltid/)).toBeVisible();
  await expect(page.getByTestId('journal-entry')).toHaveCount(0);
  await expectAccessible(page);
  await shot(page, 'journal-no-care-relation');
  const reason = page.getByLabel('Skäl till nödåtkomst');
  await reason.fill('Akut');
  await page.getByRole('button', { name: 'Öppna med nödåtkomst' }).click();
  await expect(reason).toHaveAccessibleDescription(/Skriv ett skäl på minst 10 tecken\./);
  await reason.fill(EMERGENCY_REASON);
  await page.getByRole('button', { name: 'Öppna med nödåtkomst' }).click();
  await expect(page.getByTestId('emergency-banner')).toContainText('Nödåtkomst. Du har öppnat journalen utan vårdrelation.');
  await expect(page.getByRole('heading', { name: 'Lovisa Testsson' })).toBeFocused();
  await expect(page.getByTestId('journal-entry')).toContainText('Hög risk enligt samtalet den 3 mars.');
  await expect(page.getByText(DRAFT_TEXT)).toHaveCount(0);
  await shot(page, 'journal-emergency-banner');
  await expectAccessible(page);

  // The admin sees the emergency access flagged with its reason, and marks it reviewed.
  await switchUser(page, harness, ADMIN);
  await page.getByRole('link', { name: 'Loggranskning' }).click();
  await expect(page.getByTestId('pending-reviews')).toHaveText(/1 nödåtkomst väntar på granskning\./);
  await expect(page.getByTestId('log-row').first()).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Visa dem' }).click();
  const flagged = page.locator('[data-testid="log-row"][data-flagged="true"]');
  await expect(flagged).toHaveCount(1);
  await expect(page.getByTestId('log-row')).toHaveCount(1);
  await expect(flagged).toContainText('Per Behandlarsson');
  await expect(flagged).toContainText('Lovisa Testsson');
  await expect(flagged).toContainText('Nödåtkomst till journalen');
  await expect(flagged).toContainText(`Skäl: ${EMERGENCY_REASON}`);
  await expect(flagged).toContainText('Ej granskad');
  await shot(page, 'accesslog-flagged');
  await expectAccessible(page);
  // Escape leaves the review unsaved and the keyboard on the row's status.
  await flagged.getByRole('button', { name: 'Markera som granskad' }).click();
  const review = page.getByRole('dialog', { name: /^Granska nödåtkomsten .* av Per Behandlarsson$/ });
  const note = review.getByLabel('Anteckning om granskningen (valfritt)');
  await expect(note).toBeFocused();
  await note.press('Escape');
  await expect(review).toHaveCount(0);
  await expect(flagged.locator('p', { hasText: 'Ej granskad' })).toBeFocused();
  await flagged.getByRole('button', { name: 'Markera som granskad' }).click();
  await expect(note).toBeFocused();
  await expectAccessible(page);
  await shot(page, 'accesslog-review-dialog');
  await note.fill('Bekräftat med enhetschefen');
  await page.getByRole('button', { name: 'Spara granskningen' }).click();
  // Reviewed, it leaves the "not yet reviewed" list at once: the list always holds what its CSV would.
  await expect(page.getByTestId('review-saved')).toHaveText('Nödåtkomsten är markerad som granskad.');
  await expect(page.getByTestId('log-row')).toHaveCount(0);
  await expect(page.getByText('Inga rader stämmer med filtret.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Åtkomstloggen, nyast först' })).toBeFocused();
  await expect(page.getByTestId('pending-reviews')).toHaveText('Inga nödåtkomster väntar på granskning.');
  const none = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exportera CSV' }).click();
  expect(readFileSync(await (await none).path(), 'utf8')).not.toContain('journal.emergencyOpen');
  await expect(page.getByText(/^0 rader exporterades/)).toBeVisible();
  await page.getByLabel('Bara nödåtkomst som inte är granskad').uncheck();
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await expect(page.locator('[data-testid="log-row"][data-flagged="true"]')).toHaveCount(0);
  await expect(page.getByTestId('log-row').filter({ hasText: 'Nödåtkomst till journalen' })).toContainText(
    /Granskad \d{4}-\d\d-\d\d \d\d:\d\d av Astrid Adminsson/,
  );

  // The whole log: verified, exported without journal text, narrowed to one client, extracted for her.
  await page.getByRole('button', { name: 'Rensa filtret' }).click();
  await expect(page.getByTestId('log-row').first()).toBeVisible();
  await page.getByRole('button', { name: 'Verifiera loggen' }).click();
  await expect(page.getByText(/^Loggen är obruten: alla \d+ rader stämmer med sin kedja\.$/)).toBeVisible();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exportera CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^atkomstlogg-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv).toContain('journal.emergencyOpen');
  expect(csv).toContain(EMERGENCY_REASON);
  expect(csv).not.toContain('Hög risk');
  expect(csv).not.toContain(DRAFT_TEXT);
  await expect(page.getByText(/rader exporterades till atkomstlogg-/)).toBeVisible();

  await page.getByRole('button', { name: 'Bara denna klient (Lovisa Testsson)' }).first().click();
  await expect(page.getByTestId('client-filter')).toContainText('Klient: Lovisa Testsson');
  const rows = page.getByTestId('log-row');
  await expect(rows.filter({ hasNotText: 'Lovisa Testsson' })).toHaveCount(0);
  await expect(rows.first()).toBeVisible();
  await page.getByRole('button', { name: 'Loggutdrag (Lovisa Testsson)' }).first().click();
  const extract = page.getByTestId('client-extract');
  await expect(extract.getByRole('heading', { name: 'Utdrag ur åtkomstloggen' })).toBeVisible();
  await expect(extract.getByRole('row', { name: /Per Behandlarsson.*Nödåtkomst till journalen.*Ja/ })).toBeVisible();
  await expect(extract.getByRole('row', { name: /Vera Behandlarsson.*Signerade anteckning/ })).toBeVisible();
  await expectAccessible(page);
  await shot(page, 'accesslog-client-extract');
  await page.getByRole('button', { name: 'Tillbaka till loggen' }).click();

  // Retention: a list to decide from, nothing deleted.
  await page.getByRole('button', { name: 'Ta fram underlaget' }).click();
  await expect(page.getByText('Ingen klient har en senaste journalanteckning som är äldre än 10 år.')).toBeVisible();
  await expect(page.getByText(/^Ingenting raderas automatiskt\./)).toBeVisible();
  await expectAccessible(page);
  await shot(page, 'accesslog-page');
});

test('the journal and the access log are not on the receptionist’s menu, and the channels refuse her', async ({ page, harness, problems }) => {
  void problems;
  await prepareReception(page, harness);
  const menu = page.getByRole('navigation', { name: 'Huvudmeny' });
  await expect(menu.getByRole('link', { name: 'Journal' })).toHaveCount(0);
  await expect(menu.getByRole('link', { name: 'Loggranskning' })).toHaveCount(0);
  await page.goto(`${new URL(harness.url).origin}/#/journal`);
  await expect(page.getByRole('heading', { name: 'Start' })).toBeVisible();
  const refused = (await page.evaluate(() =>
    (globalThis as unknown as { utvag: { invoke(c: string, i: unknown): Promise<unknown> } }).utvag.invoke('journal.myClients', {}),
  )) as { ok: boolean; error?: { code: string } };
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});

test('a draft left alone is saved by itself, and is still there after the screen locks', async ({ page, harness, problems }) => {
  void problems;
  test.setTimeout(120_000);
  // The page's clock is driven by the test: twenty quiet seconds pass without waiting for them.
  await page.clock.install();
  const { therapistIds } = await prepareReception(page, harness);
  const { clientId } = await invokeOk<{ clientId: string }>(page, 'intake.register', intake('victim', 'Signe Utkastsson', { birthYear: 1991 }));
  await invokeOk(page, 'care.assign', { side: 'victims', clientId, therapistId: therapistIds.victims });
  await switchUser(page, harness, THERAPISTS.victims);
  await page.getByRole('link', { name: 'Journal' }).click();
  await page.getByRole('button', { name: 'Öppna journalen för Signe Utkastsson' }).click();

  await page.getByRole('button', { name: 'Ny anteckning' }).click();
  const text = page.getByLabel('Text', { exact: true });
  await text.fill(DRAFT_TEXT);
  await expect(page.getByText('Ändringar som inte är sparade.')).toBeVisible();
  // Nothing is saved while the therapist is still typing…
  await page.clock.runFor(10_000);
  await text.press('End');
  await text.pressSequentially(' Mer text.');
  await page.clock.runFor(15_000);
  await expect(page.getByText('Ändringar som inte är sparade.')).toBeVisible();
  // …and once she has stopped for twenty seconds, the draft is kept in the journal.
  await page.clock.runFor(6_000);
  await expect(page.getByText(/^Utkastet sparades automatiskt \d\d:\d\d\.$/)).toBeVisible();
  await expectAccessible(page);

  // She walks away; the screen locks and the journal closes. Back again, her words are there.
  await page.keyboard.press('Control+l');
  await expect(page.getByRole('heading', { name: 'Skärmen är låst' })).toBeVisible();
  await page.getByLabel('Lösenord').fill(THERAPISTS.victims.password);
  await page.getByRole('button', { name: 'Lås upp' }).click();
  // Unlocking returns to the journal screen; opening a record again is a new, logged access.
  await page.getByRole('button', { name: 'Öppna journalen för Signe Utkastsson' }).click();
  await expect(page.getByLabel('Text', { exact: true })).toHaveValue(`${DRAFT_TEXT} Mer text.`);
});
