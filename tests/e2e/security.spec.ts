import { rmSync } from 'node:fs';
import path from 'node:path';
import { ADMIN, prepareAdmin, expect, expectAccessible, invokeFromPage, signIn, test } from './harness.js';

/** A screenshot when UTVAG_SCREENSHOTS names a folder (to look at, not compared). */
const SHOTS = process.env.UTVAG_SCREENSHOTS;

test('a guessable password is refused at first run with the reason next to the field, and nothing typed is lost', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  await page.goto(harness.url);
  await page.getByLabel('Ditt namn').fill(ADMIN.displayName);
  await page.getByLabel('Användarnamn').fill(ADMIN.username);
  for (const [password, reason] of [
    ['Sommaren2024', 'Lösenordet gissas för lätt (vanliga ord, årstider, månader eller årtal).'],
    ['Password1234', 'Lösenordet liknar ett vanligt lösenord.'],
    ['qwertyuiopasdf', 'Lösenordet liknar ett vanligt lösenord.'],
  ] as const) {
    await page.getByLabel('Lösenord', { exact: true }).fill(password);
    await page.getByLabel('Upprepa lösenordet').fill(password);
    await page.getByRole('button', { name: 'Skapa journalen' }).click();
    const field = page.getByLabel('Lösenord', { exact: true });
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    // The reason is the field's own description, right below it.
    await expect(field).toHaveAccessibleDescription(new RegExp(reason.replace(/[().]/g, '\\$&')));
    await expect(page.getByLabel('Ditt namn')).toHaveValue(ADMIN.displayName);
    await expect(page.getByRole('heading', { name: 'Välkommen till Utväg Reception' })).toBeVisible();
    if (SHOTS && password === 'Sommaren2024') await page.screenshot({ path: `${SHOTS}/weak-password.png`, fullPage: true });
  }
  await expectAccessible(page);
  await page.getByLabel('Lösenord', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Upprepa lösenordet').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Skapa journalen' }).click();
  await expect(page.getByTestId('recovery-code')).toBeVisible();
});

test('a damaged login-delay state makes the next sign-in wait, told next to the password', async ({ page, harness, problems }) => {
  void problems;
  await prepareAdmin(page, harness);
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await expect(page.getByRole('heading', { name: 'Logga in' })).toBeVisible();
  // Someone deletes the state to start guessing afresh: it counts as a wait instead.
  rmSync(path.join(harness.dataDir, 'login-throttle.json'));
  await signIn(page, ADMIN.username, ADMIN.password);
  const password = page.getByLabel('Lösenord');
  await expect(password).toHaveAccessibleDescription(/För många felaktiga försök\. Vänta \d+ sekunder och försök sedan igen\./);
  await expect(page.getByLabel('Användarnamn')).toHaveValue(ADMIN.username);
  await expectAccessible(page);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/login-wait.png`, fullPage: true });
  // Still refused when asked directly, before any key is derived.
  expect(await invokeFromPage(page, 'auth.login', { username: ADMIN.username, password: ADMIN.password })).toMatchObject({
    ok: false,
    error: { code: 'TOO_MANY_ATTEMPTS' },
  });
});

test('an admin changes the journal key and sees the new recovery code once', async ({ page, harness, problems }) => {
  void problems;
  const oldCode = await prepareAdmin(page, harness);
  await page.getByRole('link', { name: 'Inställningar' }).click();
  await page.getByLabel('Ditt lösenord').fill('inte-mitt-lösenord-alls');
  await page.getByRole('button', { name: 'Byt journalnyckel' }).click();
  await expect(page.getByLabel('Ditt lösenord')).toHaveAccessibleDescription(/Det nuvarande lösenordet stämmer inte\./);
  await page.getByLabel('Ditt lösenord').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Byt journalnyckel' }).click();
  const code = page.getByTestId('rekey-recovery-code');
  await expect(code).toHaveText(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
  expect(await code.textContent()).not.toBe(oldCode);
  await expectAccessible(page);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/rekey.png`, fullPage: true });
});
