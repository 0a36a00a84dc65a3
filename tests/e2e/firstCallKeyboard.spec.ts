import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, expectAccessible, expectSegmented, prepareReception, segmented, test } from './harness.js';

const SHOTS = process.env.UTVAG_SCREENSHOTS;
const HUMAN = { delay: 150 };

/** Tab (only the keyboard) until `target` has the focus; fails if it is never reached. */
async function tabTo(page: Page, target: Locator, most = 60): Promise<void> {
  for (let press = 0; press < most; press += 1) {
    if (await target.evaluate((element) => element === element.ownerDocument.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

async function typeIn(page: Page, target: Locator, text: string): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.type(text, HUMAN);
}

test('a first call for a victim with safe contact, protected identity, children and a booked time, from the keyboard at a human pace, within 45 seconds', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await prepareReception(page, harness);
  await expect(page.getByRole('heading', { name: 'Start', level: 1 })).toBeVisible();

  const started = Date.now();
  // Alt+N from anywhere; the keyboard starts at the screen's heading.
  await page.keyboard.press('Alt+n');
  await expect(page.getByRole('heading', { name: 'Nytt första samtal', level: 1 })).toBeFocused();
  await expect(page.getByTestId('current-side')).toHaveText('Utsattsidan');

  await typeIn(page, page.getByLabel('Namn', { exact: true }), 'Tova Testsdotter');
  await typeIn(page, page.getByLabel('Födelseår (valfritt)'), '1986');
  await typeIn(page, page.getByLabel('Kommun'), 'Tib');
  await expect(page.getByLabel('Kommun')).toHaveValue('1472');
  await typeIn(page, page.getByLabel('Telefon', { exact: true }), '070-000 00 42');
  await typeIn(page, page.getByLabel('Säkra tider att ringa'), 'vardagar 9-11');
  await typeIn(page, page.getByLabel('Kodord'), 'Blåklint');
  await tabTo(page, page.getByLabel('Säkert att ringa'));
  await page.keyboard.press('Space');
  await tabTo(page, page.getByLabel('Skyddade personuppgifter (visa aldrig adress och telefon i listor)'));
  await page.keyboard.press('Space');
  const children = page.getByLabel('Antal barn under 18 år i hushållet');
  await tabTo(page, children);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('2', HUMAN);
  await typeIn(page, page.getByLabel('Kort anledning (ingen journaltext)'), 'Vill ha stöd, rädd för expartnern');
  await typeIn(page, page.getByLabel('Utfall'), 'Förs');
  await expect(page.getByLabel('Utfall')).toHaveValue('booked');

  // A free time that keeps every rule, chosen from the proposals.
  await tabTo(page, page.getByRole('button', { name: 'Föreslå tider' }));
  await page.keyboard.press('Enter');
  const proposals = page.getByRole('listbox', { name: 'Lediga tider som följer alla regler' });
  await expect(proposals.getByRole('option').first()).toBeVisible();
  const firstProposal = (await proposals.getByRole('option').first().textContent())!;
  const [, date, start] = /^Välj (\d{4}-\d\d-\d\d) (\d\d:\d\d)/.exec(firstProposal)!;
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(segmented(page, 'Datum').getByRole('spinbutton').first()).toBeFocused();
  await expectSegmented(segmented(page, 'Starttid'), start!);

  await tabTo(page, page.getByRole('button', { name: 'Registrera samtalet' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Samtalet är registrerat.' })).toBeVisible();
  const seconds = (Date.now() - started) / 1000;
  // The issue's own measure of a usable form: the whole call, typed at about 150 ms a character.
  expect(seconds).toBeLessThan(45);

  await expect(page.getByTestId('booked-at')).toContainText(`Första tid: ${date} kl. ${start}`);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/first-call-keyboard-done.png`, fullPage: true });
  await expectAccessible(page);
  test.info().annotations.push({ type: 'first call from the keyboard', description: `${seconds.toFixed(1)} s` });

  // Her record at reception: two children, the booked time, and her identity protected, so that the
  // safe contact typed a moment ago is no longer shown even here (only her therapist and an admin see it).
  await page.getByRole('link', { name: 'Öppna klienten' }).click();
  await expect(page.getByRole('heading', { name: /Tova Testsdotter/ })).toBeVisible();
  const record = page.getByTestId('client-detail');
  await expect(record).toContainText('Barn under 18 i hushållet2');
  await expect(record).toContainText(`${date} ${start}`);
  await expect(record).toContainText('Skyddade personuppgifter: telefon och adress visas inte.');
  for (const hidden of ['070-000 00 42', 'vardagar 9-11', 'Blåklint']) await expect(record).not.toContainText(hidden);
});

test('the first-call form has its headings in order, empty and booked', async ({ page, harness, problems }) => {
  void problems;
  test.setTimeout(120_000);
  await prepareReception(page, harness);
  await page.getByRole('link', { name: 'Nytt första samtal' }).click();
  await expect(page.getByRole('heading', { name: 'Nytt första samtal', level: 1 })).toBeFocused();
  const headingOrder = async () => (await new AxeBuilder({ page }).withRules(['heading-order']).analyze()).violations;
  expect(await headingOrder()).toEqual([]);
  await page.getByLabel('Utfall').selectOption('booked');
  expect(await headingOrder()).toEqual([]);
  await expectAccessible(page);
});
