import type { Page } from '@playwright/test';
import { intakeInput } from '../fixtures/intake.js';
import { expect, expectAccessible, expectSegmented, invokeOk, prepareReception, segmented, test, typeSegmented } from './harness.js';

const SHOTS = process.env.UTVAG_SCREENSHOTS;
const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};

/** A paste the way the browser delivers one: a clipboard event on the focused segment. */
async function paste(page: Page, text: string): Promise<void> {
  // A string: the e2e project is typed for Node, without the DOM's types.
  await page.evaluate(`(() => {
    const data = new DataTransfer();
    data.setData('text/plain', ${JSON.stringify(text)});
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  })()`);
}

test('the date and time fields take 2031-03-04 and 09:30 typed key by key, pasted whole, and say what is wrong next to the field', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  await prepareReception(page, harness);
  await page.getByRole('link', { name: 'Grupper' }).click();
  const date = segmented(page, 'Första träffen');
  const start = segmented(page, 'Starttid');

  // Typed as written, separators and all: the segments take the digits and skip the dashes and the colon.
  await typeSegmented(date, '2031-03-04', 150);
  await expectSegmented(date, '2031-03-04');
  await typeSegmented(start, '09:30', 150);
  await expectSegmented(start, '09:30');
  await expect(start).toContainText('09');
  await expect(start).toContainText('30');

  // Pasted whole into any segment: the whole value is taken.
  await date.getByRole('spinbutton', { name: /dag/ }).click();
  await paste(page, '2031-12-24');
  await expectSegmented(date, '2031-12-24');
  await start.getByRole('spinbutton', { name: /minut/ }).click();
  await paste(page, '18:05');
  await expectSegmented(start, '18:05');
  // Something that is not a whole date changes nothing.
  await date.getByRole('spinbutton').first().click();
  await paste(page, 'i morgon');
  await expectSegmented(date, '2031-12-24');

  // The arrow keys step a segment.
  await start.getByRole('spinbutton', { name: /timme/ }).click();
  await page.keyboard.press('ArrowUp');
  await expectSegmented(start, '19:05');

  // Half a date is not a date: the form says so next to the field, and keeps what was typed.
  await date.getByRole('spinbutton', { name: /dag/ }).click();
  for (let press = 0; press < 3; press += 1) await page.keyboard.press('Backspace');
  // The form holds what is shown, not the last whole date.
  await expectSegmented(date, '2031-12-dd');
  await page.getByLabel('Gruppens namn').fill('Torsdagsgruppen');
  await page.getByRole('button', { name: 'Skapa gruppen' }).click();
  const dateError = page.locator('.field--invalid').filter({ has: date }).locator('.field__error');
  await expect(dateError).toBeVisible();
  await expect(date.getByRole('spinbutton', { name: /år/ })).toHaveText('2031');
  await expect(date.getByRole('spinbutton', { name: /månad/ })).toHaveText('12');
  await expect(page.getByLabel('Gruppens namn')).toHaveValue('Torsdagsgruppen');
  // The error is read with the field.
  const describedBy = (await date.getAttribute('aria-describedby')) ?? '';
  const errorId = await dateError.getAttribute('id');
  expect(describedBy.split(' ')).toContain(errorId);
  await expectAccessible(page);
  await shot(page, 'kit-date-error');
});

test('the search results sort by a column header, by what the rows show', async ({ page, harness, problems }) => {
  void problems;
  await prepareReception(page, harness);
  for (const [name, birthYear] of [
    ['Stina Sorteradotter', 1990],
    ['Anna Sorteradotter', 1971],
    ['Maja Sorteradotter', 1985],
  ] as const)
    await invokeOk(page, 'intake.register', intakeInput('victim', name, { birthYear }));
  await page.getByRole('link', { name: 'Klienter' }).click();
  await page.getByLabel('Sök klient').fill('Sorteradotter');
  await page.getByLabel('Sök klient').press('Enter');
  const rows = page.getByTestId('client-row');
  await expect(rows).toHaveCount(3);
  // The table is a grid (react-aria): its headers sort on a click or on Enter, and say so with aria-sort.
  const grid = page.getByRole('grid', { name: 'Sökträffar' });
  const born = grid.getByRole('columnheader', { name: 'Född' });
  const bornCells = rows.locator('td:nth-child(3)');
  await born.click();
  await expect(born).toHaveAttribute('aria-sort', 'ascending');
  await expect(bornCells).toHaveText(['1971', '1985', '1990']);
  await born.press('Enter');
  await expect(born).toHaveAttribute('aria-sort', 'descending');
  await expect(bornCells).toHaveText(['1990', '1985', '1971']);
  // Discreet mode: by the initials shown.
  const name = grid.getByRole('columnheader', { name: 'Namn' });
  await name.click();
  await expect(name).toHaveAttribute('aria-sort', 'ascending');
  await expect(born).toHaveAttribute('aria-sort', 'none');
  await expect(rows.getByRole('rowheader')).toHaveText(['A. S.', 'M. S.', 'S. S.']);
  await expectAccessible(page);

  // The arrow keys go from row to row; V shows the focused row's name until focus leaves it; Enter opens it.
  await rows.nth(0).focus();
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(1)).toBeFocused();
  await page.keyboard.press('v');
  await expect(rows.nth(1).getByRole('rowheader')).toHaveText('Maja Sorteradotter');
  await expect(rows.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(2)).toBeFocused();
  await expect(rows.getByRole('rowheader')).toHaveText(['A. S.', 'M. S.', 'S. S.']);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('record-editor')).toBeVisible();
  await expect(page.getByTestId('record-editor').getByLabel('Namn', { exact: true })).toHaveValue('Stina Sorteradotter');
  await expectAccessible(page);
  await shot(page, 'kit-sorted-results');
});

test('the waiting list sorts by what every row shows, Enter on a row opens the client, and a link in a row is only that link', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  await prepareReception(page, harness);
  // Reasons that would sort the other way round than the names: the order must not follow what discreet mode hides.
  const ids: Record<string, string> = {};
  for (const [name, urgency, reason] of [
    ['Cilla Köadotter', 'normal', 'Aaa först i alfabetet'],
    ['Alva Köadotter', 'high', 'Öö sist i alfabetet'],
    ['Berit Köadotter', 'acute', 'Mm mitt i alfabetet'],
  ] as const)
    ids[name] = (await invokeOk<{ clientId: string }>(page, 'intake.register', intakeInput('victim', name, { urgency, reason }))).clientId;
  await page.getByRole('link', { name: 'Väntelista' }).click();
  const grid = page.getByRole('grid', { name: 'Väntelista' });
  const rows = page.getByTestId('waiting-row');
  // As it comes: the most urgent first.
  await expect(rows.getByRole('rowheader')).toHaveText(['B. K.', 'A. K.', 'C. K.']);
  // The reason is no column to sort by (discreet mode hides it); the name sorts by the initials shown.
  await expect(grid.getByRole('columnheader', { name: 'Kort anledning' })).not.toHaveAttribute('aria-sort');
  const name = grid.getByRole('columnheader', { name: 'Namn' });
  await name.click();
  await expect(name).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows.getByRole('rowheader')).toHaveText(['A. K.', 'B. K.', 'C. K.']);
  const urgency = grid.getByRole('columnheader', { name: 'Brådska' });
  await urgency.click();
  await expect(rows.getByRole('rowheader')).toHaveText(['B. K.', 'A. K.', 'C. K.']);
  await urgency.press('Enter');
  await expect(urgency).toHaveAttribute('aria-sort', 'descending');
  await expect(rows.getByRole('rowheader')).toHaveText(['C. K.', 'A. K.', 'B. K.']);
  await expectAccessible(page);

  // A click on "Boka" in a row books (the schedule), it does not also open the row's client.
  const alva = rows.nth(1);
  await page.evaluate(`(() => {
    window.kitHashes = [];
    window.addEventListener('hashchange', () => window.kitHashes.push(location.hash));
  })()`);
  await alva.getByRole('link', { name: /^Boka/ }).click();
  await expect(page).toHaveURL(/#\/schedule/);
  // One move, to the schedule: never by way of the client's record.
  expect(await page.evaluate('window.kitHashes')).toEqual([expect.stringMatching(/^#\/schedule\?/)]);
  await expect(page.getByTestId('chosen-client')).toContainText('A. K.');

  // Back on the list (the booking begun is let go), Enter on a row opens that client's record.
  await page.getByRole('link', { name: 'Väntelista' }).click();
  await page.getByTestId('leave-dialog').getByRole('button', { name: 'Lämna utan att spara' }).click();
  await rows.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(1)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/reception/clients\\?id=${ids['Alva Köadotter']}$`));
  await expect(page.getByTestId('record-editor')).toBeVisible();
});
