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
  // Götene is in the children's Etapp 2: a police report about a child there is on the children's list only.
  await invokeOk(
    page,
    'intake.register',
    intakeInput('child', 'Hugo Påhittadsson', {
      contactBy: 'outreach',
      referralSource: 'police',
      municipalityCode: '1471',
      birthYear: 2020,
      gender: 'male',
    }),
  );

  await page.getByRole('link', { name: 'Etapp 2' }).click();
  await expect(page.getByRole('heading', { name: 'Etapp 2', level: 1 })).toBeVisible();
  const participation = page.getByRole('region', { name: 'Deltagande kommuner' });
  await expect(participation).toContainText('Etapp 2 för kvinnor: Falköping, Lidköping, Mariestad, Skara, Vara');
  await expect(participation).toContainText('Etapp 2 för barn: Falköping, Götene, Skövde, Töreboda');
  await expect(page.getByLabel('Lista')).toHaveValue('victim');
  await expect(page.getByRole('heading', { name: 'Ärenden per kommun, Etapp 2 för kvinnor' })).toBeVisible();
  const rows = page.getByTestId('etapp2-row');
  await expect(rows).toHaveCount(2);
  await expect(page.getByRole('region', { name: 'Lidköping (1)' })).toContainText('D. E.');
  await expect(page.getByRole('region', { name: 'Vara (1)' })).toContainText('E. P.');
  await expect(page.getByText('Frida')).toHaveCount(0);
  await expect(page.getByRole('region', { name: /^Götene/ })).toHaveCount(0);
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
  await expect(page.getByRole('heading', { name: /^Etapp 2 för kvinnor – uppföljning, ärenden från/ })).toBeVisible();
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

  // The children's list is a list of its own, for its own meeting: the child's case alone, none of the women's.
  await page.getByLabel('Lista').selectOption('child');
  await expect(page.getByRole('heading', { name: 'Ärenden per kommun, Etapp 2 för barn' })).toBeVisible();
  await expect(rows).toHaveCount(1);
  const gotene = page.getByRole('region', { name: 'Götene (1)' });
  await expect(gotene).toContainText('H. P.');
  await expect(gotene.getByRole('combobox')).toHaveValue('');
  await expect(page.getByRole('region', { name: /^Lidköping/ })).toHaveCount(0);
  await gotene.getByRole('combobox').selectOption('contacted');
  await expect(page.getByText('Uppföljningen är ändrad.')).toBeVisible();
  await expect(gotene.getByRole('combobox')).toHaveValue('contacted');
  await expectAccessible(page);
  await shot(page, 'etapp2-children');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('heading', { name: /^Etapp 2 för barn – uppföljning, ärenden från/ })).toBeVisible();
  const childrenOnPaper = await page.locator('body').innerText();
  expect(childrenOnPaper).not.toContain('Hugo');
  expect(childrenOnPaper).not.toContain('D. E.');
  expect(childrenOnPaper).toContain('H. P.');
  await page.emulateMedia({ media: 'screen' });
  await page.getByLabel('Lista').selectOption('victim');
  await expect(rows).toHaveCount(2);

  // The perpetrators' side is told where the cases are, and shown none of them.
  await page.getByRole('button', { name: 'Byt sida: Utövarsidan' }).click();
  await expect(page.getByText('Etapp 2-ärendena hör till utsattsidan. Byt sida för att se dem.')).toBeVisible();
  await expect(page.getByTestId('etapp2-row')).toHaveCount(0);
  await expectAccessible(page);
});

test("a municipality's Etapp 2 cases sort by how far the follow-up has got, on the kit's grid; the person is never a sort key", async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await prepareReception(page, harness);
  await invokeOk(page, 'intake.register', policeReport('Dagny Exempelsson', '1494'));
  await invokeOk(page, 'intake.register', policeReport('Greta Påhittad', '1494'));

  await page.getByRole('link', { name: 'Etapp 2' }).click();
  const lidkoping = page.getByRole('region', { name: 'Lidköping (2)' });
  const grid = lidkoping.getByRole('grid', { name: 'Ärenden i Lidköping' });
  await expect(grid.getByTestId('etapp2-row')).toHaveCount(2);
  await expect(grid.getByRole('columnheader', { name: 'Person' })).not.toHaveAttribute('aria-sort');
  await expect(grid.getByRole('columnheader', { name: 'Ärende' })).not.toHaveAttribute('aria-sort');

  // Dagny's case moves on; Greta's is still only sent to the municipality.
  const dagny = grid.getByTestId('etapp2-row').filter({ hasText: 'D. E.' });
  await dagny.getByRole('combobox').selectOption('contacted');
  await expect(page.getByText('Uppföljningen är ändrad.')).toBeVisible();
  await expect(dagny.getByRole('combobox')).toHaveValue('contacted');

  const status = grid.getByRole('columnheader', { name: 'Uppföljning' });
  await status.click();
  await expect(status).toHaveAttribute('aria-sort', 'ascending');
  await expect(grid.getByTestId('etapp2-row')).toContainText(['G. P.', 'D. E.']);
  await status.click();
  await expect(status).toHaveAttribute('aria-sort', 'descending');
  await expect(grid.getByTestId('etapp2-row')).toContainText(['D. E.', 'G. P.']);
  await expectAccessible(page);

  // A status picked from the keyboard is saved with the keyboard still in that select (not dropped out of the list while it saves).
  const greta = grid.getByTestId('etapp2-row').filter({ hasText: 'G. P.' });
  await greta.getByRole('combobox').focus();
  await page.keyboard.press('k');
  await expect(greta.getByRole('combobox')).toHaveValue('contacted');
  await expect(greta.getByRole('combobox')).toBeFocused();

  // On paper the sorted column keeps its arrow; the others show none.
  await page.emulateMedia({ media: 'print' });
  const onPaper = await lidkoping.innerText();
  expect(onPaper).toContain('▼');
  expect(onPaper).not.toContain('▲');
  expect(onPaper).not.toContain('Dagny');
  await page.emulateMedia({ media: 'screen' });
});
