import type { Page } from '@playwright/test';
import { expect, expectAccessible, invokeOk, prepareReception, test } from './harness.js';
import { intakeInput } from '../fixtures/intake.js';

const SHOTS = process.env.UTVAG_SCREENSHOTS;
const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};

function today(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
}

const policeReport = (name: string, municipalityCode: string) =>
  intakeInput('victim', name, { contactBy: 'outreach', referralSource: 'police', childrenUnder18: 2, municipalityCode, birthYear: 1984 });

test("the coordinator's Etapp 2 list: per municipality, follow-up changed in place, printed with initials only", async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await prepareReception(page, harness);
  await invokeOk(page, 'intake.register', policeReport('Dagny Exempelsson', '1494'));
  await invokeOk(page, 'intake.register', policeReport('Elsa Påhittad', '1470'));
  // Götene is not in the women's Etapp 2: Utväg's own coordinator reaches out, and the case is not on this list.
  await invokeOk(page, 'intake.register', policeReport('Frida Låtsas', '1471'));

  await page.getByRole('link', { name: 'Etapp 2' }).click();
  await expect(page.getByRole('heading', { name: 'Etapp 2', level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Deltagande kommuner' })).toContainText(
    'Etapp 2 för kvinnor: Falköping, Lidköping, Mariestad, Skara, Vara',
  );
  const rows = page.getByTestId('etapp2-row');
  await expect(rows).toHaveCount(2);
  await expect(page.getByRole('region', { name: 'Lidköping (1)' })).toContainText('D. E.');
  await expect(page.getByRole('region', { name: 'Vara (1)' })).toContainText('E. P.');
  await expect(page.getByText('Frida')).toHaveCount(0);
  await expect(page.locator('main')).not.toContainText('Dagny');
  await expectAccessible(page);

  const lidkoping = page.getByRole('region', { name: 'Lidköping (1)' });
  await lidkoping.getByRole('combobox').selectOption('offered_group');
  await expect(page.getByText('Uppföljningen är ändrad.')).toBeVisible();
  await expect(lidkoping.getByTestId('etapp2-row')).toContainText(today());
  await expect(lidkoping.getByRole('combobox')).toHaveValue('offered_group');
  await expectAccessible(page);
  await shot(page, 'etapp2');

  // With discreet mode off the screen shows names; the printed list still shows initials and case numbers only.
  await page.keyboard.press('Alt+d');
  await expect(lidkoping).toContainText('Dagny Exempelsson');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('heading', { name: /^Etapp 2 – uppföljning, ärenden från/ })).toBeVisible();
  // What is rendered on paper (innerText leaves out what the print stylesheet hides).
  const onPaper = await page.locator('body').innerText();
  expect(onPaper).not.toContain('Dagny');
  expect(onPaper).not.toContain('Elsa');
  expect(onPaper).not.toContain('Byt sida');
  await expect(lidkoping).toContainText('D. E.');
  await expect(lidkoping).toContainText('Erbjuden grupp');
  await expect(page.getByRole('navigation')).toBeHidden();
  await expect(page.getByTestId('current-side')).toBeHidden();
  await shot(page, 'etapp2-print');
  await page.emulateMedia({ media: 'screen' });
  await page.keyboard.press('Alt+d');

  // The perpetrators' side is told where the cases are, and shown none of them.
  await page.getByRole('button', { name: 'Byt sida: Utövarsidan' }).click();
  await expect(page.getByText('Etapp 2-ärendena hör till utsattsidan. Byt sida för att se dem.')).toBeVisible();
  await expect(page.getByTestId('etapp2-row')).toHaveCount(0);
  await expectAccessible(page);
});
