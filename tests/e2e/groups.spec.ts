import type { Page } from '@playwright/test';
import { expect, expectAccessible, fillSegmented, invokeOk, prepareReception, segmented, test } from './harness.js';
import { intakeInput } from '../fixtures/intake.js';

const SHOTS = process.env.UTVAG_SCREENSHOTS;
const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};

function today(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
}

test('a group through its life: holidays skipped, sessions added, moved and cancelled, attendance, and its end', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  // A long walk through one screen, on a machine shared with other test runs.
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  const { therapistIds } = await prepareReception(page, harness);
  await invokeOk(page, 'intake.register', intakeInput('victim', 'Jenny Låtsasdotter', { birthYear: 1980 }));

  await page.getByRole('link', { name: 'Grupper' }).click();
  await page.getByLabel('Gruppens namn').fill('Julgruppen');
  await page.getByLabel('Gruppledare').selectOption(therapistIds.victims);
  await page.getByLabel('Rum').selectOption('skaraborg-g1');
  await fillSegmented(segmented(page, 'Första träffen'), '2031-12-10');
  await page.getByLabel('Antal träffar (en i veckan)').fill('4');
  // The weekly series meets on julafton and nyårsafton: shown, and asked about before saving.
  const holidays = page.getByRole('group', { name: 'Helgdagar i serien' });
  await expect(holidays.getByTestId('series-holidays')).toHaveText(/2031-12-24 julafton\s*2031-12-31 nyårsafton/);
  await page.getByRole('button', { name: 'Skapa gruppen' }).click();
  await expect(holidays.getByText('Välj om helgdagarna ska hoppas över.')).toBeVisible();
  await expect(page.getByText('Gruppen är skapad.')).toHaveCount(0);
  await expectAccessible(page);
  await shot(page, 'groups-holidays');
  await holidays.getByLabel(/Hoppa över dem/).check();
  await expect(holidays.getByLabel(/Hoppa över dem/)).toHaveAccessibleName(/sista träffen 2032-01-14/);
  await page.getByRole('button', { name: 'Skapa gruppen' }).click();
  await expect(page.getByText('Gruppen är skapad.')).toBeVisible();

  const group = page.getByRole('region', { name: 'Julgruppen' });
  const rows = group.getByTestId('group-session');
  await expect(rows).toHaveCount(4);
  await expect(rows.locator('th')).toHaveText(['2031-12-10', '2031-12-17', '2032-01-07', '2032-01-14']);

  await group.getByLabel('Sök klient').pressSequentially('jenny');
  await page.getByRole('option', { name: /^J\. L\. \(1980\)/ }).click();
  await expect(page.getByText('Medlemmen är tillagd i alla kommande träffar.')).toBeVisible();

  // A single session on julafton is asked about first; choosing another day books nothing.
  const addSession = group.getByRole('form', { name: 'Lägg till en träff' });
  await fillSegmented(segmented(addSession, 'Datum'), '2031-12-24');
  await addSession.getByRole('button', { name: 'Lägg till träffen' }).click();
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog).toContainText('2031-12-24 är julafton.');
  await expectAccessible(page);
  await shot(page, 'groups-holiday-session');
  await dialog.getByRole('button', { name: 'Välj en annan dag' }).click();
  await expect(rows).toHaveCount(4);
  await fillSegmented(segmented(addSession, 'Datum'), '2032-01-21');
  await addSession.getByRole('button', { name: 'Lägg till träffen' }).click();
  await expect(page.getByText('Träffen är tillagd.')).toBeVisible();
  await expect(rows).toHaveCount(5);
  await expect(rows.nth(4)).toContainText('2032-01-21');
  await expect(rows.nth(4)).toContainText('17:00–18:30');

  // Moving a session onto a holiday asks first, before anything is saved; choosing another day moves nothing.
  await group.getByRole('button', { name: 'Flytta träffen 2032-01-21 17:00' }).click();
  const move = group.getByRole('form', { name: 'Flytta träffen 2032-01-21 17:00' });
  await fillSegmented(segmented(move, 'Nytt datum'), '2032-01-06');
  await move.getByRole('button', { name: 'Flytta träffen' }).click();
  await expect(dialog).toContainText(/2032-01-06 är trettondedag jul\./i);
  await expect(dialog.getByRole('button', { name: 'Flytta ändå' })).toBeVisible();
  await expectAccessible(page);
  await shot(page, 'groups-holiday-move');
  await dialog.getByRole('button', { name: 'Välj en annan dag' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(rows.nth(4).locator('th')).toHaveText('2032-01-21');
  await expect(rows.locator('th')).not.toContainText(['2032-01-06']);

  // Moved a week on, from the keyboard.
  await fillSegmented(segmented(move, 'Nytt datum'), '2032-01-28');
  await move.getByRole('button', { name: 'Flytta träffen' }).press('Enter');
  await expect(page.getByText('Träffen är flyttad.')).toBeVisible();
  await expect(rows.nth(4).locator('th')).toHaveText('2032-01-28');

  // Cancelled with a reason; without one the reason is asked for next to the field.
  await group.getByRole('button', { name: 'Ställ in träffen 2032-01-14 17:00' }).click();
  const cancel = group.getByRole('form', { name: 'Ställ in träffen 2032-01-14 17:00' });
  await cancel.getByRole('button', { name: 'Ställ in träffen' }).click();
  await expect(cancel.getByLabel('Orsak')).toHaveAttribute('aria-invalid', 'true');
  await cancel.getByLabel('Orsak').fill('Lokalen är upptagen');
  await cancel.getByRole('button', { name: 'Ställ in träffen' }).click();
  await expect(page.getByText('Träffen är inställd.')).toBeVisible();
  await expect(rows.nth(3)).toContainText('Avbokad (Lokalen är upptagen)');
  await expect(group.getByRole('button', { name: 'Flytta träffen 2032-01-14 17:00' })).toHaveCount(0);

  // Attendance: a session to come takes a call-off only; present is told to wait for the day.
  await group.getByRole('button', { name: 'För närvaro för träffen 2031-12-10 17:00' }).click();
  const attendance = group.getByRole('form', { name: 'Närvaro 2031-12-10 17:00' });
  const member = attendance.getByRole('group', { name: 'J. L.' });
  await member.getByLabel('Närvarande').check();
  await attendance.getByRole('button', { name: 'Spara närvaron' }).click();
  await expect(attendance.getByText(/Närvaro och frånvaro förs från träffens dag/)).toBeVisible();
  await expectAccessible(page);
  await member.getByLabel('Återbud').check();
  await attendance.getByRole('button', { name: 'Spara närvaron' }).click();
  await expect(page.getByText('Närvaron är sparad.')).toBeVisible();
  await expect(rows.first()).toContainText('0 av 1 närvarande');
  await expectAccessible(page);
  await shot(page, 'groups-lifecycle');

  // Ending asks first, naming the sessions it cancels; saying no leaves everything as it was.
  const end = group.getByRole('form', { name: 'Avsluta gruppen' });
  await end.getByLabel('Orsak').fill('För få anmälda');
  await end.getByRole('button', { name: 'Avsluta gruppen …' }).click();
  await expect(dialog).toContainText('4 kommande träffar ställs in: 2031-12-10 17:00, 2031-12-17 17:00, 2032-01-07 17:00, 2032-01-28 17:00.');
  await expect(dialog).toContainText('Det går inte att ångra.');
  await expectAccessible(page);
  await shot(page, 'groups-end-confirm');
  await dialog.getByRole('button', { name: 'Avbryt' }).click();
  await expect(group.getByText(/^Avslutad/)).toHaveCount(0);
  await end.getByRole('button', { name: 'Avsluta gruppen …' }).click();
  await dialog.getByRole('button', { name: 'Avsluta gruppen' }).click();
  await expect(page.getByText('Gruppen är avslutad och dess kommande träffar är inställda.')).toBeVisible();
  await expect(group.getByText(`Avslutad ${today()}`)).toBeVisible();
  await expect(rows.filter({ hasText: 'Avbokad (För få anmälda)' })).toHaveCount(4);
  await expect(group.getByRole('form', { name: 'Lägg till en träff' })).toHaveCount(0);
  await expect(group.getByLabel('Sök klient')).toHaveCount(0);
  await expectAccessible(page);
  await shot(page, 'groups-ended');
});
