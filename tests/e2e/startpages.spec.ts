/**
 * Issue 15, the desk as people use it, at a reception PC's 1366×768: start pages that start the
 * day for each role, a first call that survives a side switch, another screen and the lock screen
 * (and is never shown on the other side or to another person), the keyboard, and the users screen.
 */
import type { Page } from '@playwright/test';
import { ADMIN, expect, expectAccessible, invokeOk, prepareReception, RECEPTIONIST, signIn, switchUser, test, THERAPISTS } from './harness.js';
import { intakeInput } from '../fixtures/intake.js';

test.use({ viewport: { width: 1366, height: 768 } });

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/${name}.png` });

function today(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
}

/** Everything on the screen, typed values included (text content alone does not hold what is in a field). */
const screenText = async (page: Page) =>
  (await page.locator('body').innerText()) +
  (await page
    .locator('input, textarea, select')
    .evaluateAll((fields) => fields.map((field) => (field as unknown as { value: string }).value).join(' ')));

const SECOND_RECEPTIONIST = { displayName: 'Siv Skiftbyte', username: 'siv.skift', password: 'sivs-egna-långa-lösenfras' };

/** A second receptionist, made by the admin through the router; ends signed in as the first receptionist again. */
async function addSecondReceptionist(page: Page): Promise<void> {
  await invokeOk(page, 'auth.login', { username: ADMIN.username, password: ADMIN.password });
  const created = await invokeOk<{ temporaryPassword: string }>(page, 'users.create', {
    displayName: SECOND_RECEPTIONIST.displayName,
    username: SECOND_RECEPTIONIST.username,
    roles: ['receptionist'],
  });
  await invokeOk(page, 'auth.login', { username: SECOND_RECEPTIONIST.username, password: created.temporaryPassword });
  await invokeOk(page, 'auth.changePassword', {
    currentPassword: created.temporaryPassword,
    newPassword: SECOND_RECEPTIONIST.password,
    newPasswordRepeat: SECOND_RECEPTIONIST.password,
  });
  await invokeOk(page, 'auth.login', { username: RECEPTIONIST.username, password: RECEPTIONIST.password });
}

function booked(track: 'victim' | 'child' | 'perpetrator', name: string, therapistId: string, roomId: string, start: string) {
  return intakeInput(track, name, {
    outcome: 'booked',
    booking: { kind: 'first_visit', siteId: 'skaraborg', therapistId, roomId, date: today(), start, durationMinutes: 45 },
  });
}

test("the reception desk's start page: today's arrivals per waiting room, the waiting list, urgent calls, one side at a time", async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  await invokeOk(page, 'intake.register', booked('victim', 'Greta Startdotter', therapistIds.victims, 'skaraborg-r1', '19:00'));
  await invokeOk(page, 'intake.register', booked('child', 'Hugo Startsson', therapistIds.victims, 'skaraborg-r3', '17:00'));
  await invokeOk(page, 'intake.register', booked('perpetrator', 'Olle Utövarsson', therapistIds.perpetrators, 'skaraborg-r2', '08:00'));
  await invokeOk(page, 'intake.register', intakeInput('victim', 'Ingrid Brådskadotter', { urgency: 'acute' }));
  await invokeOk(page, 'intake.register', intakeInput('victim', 'Karin Väntadotter'));
  await invokeOk(page, 'intake.register', intakeInput('perpetrator', 'Bengt Brådskasson', { urgency: 'high' }));
  await page.reload();

  const reception = page.getByTestId('start-reception');
  await expect(reception.getByRole('heading', { name: 'Dagens mottagning – Utsattsidan' })).toBeVisible();
  await expect(page.getByTestId('current-side')).toHaveText('Utsattsidan');
  const rooms = reception.getByTestId('start-room');
  await expect(rooms).toHaveCount(2);
  await expect(rooms.filter({ hasText: 'Väntrum A' })).toContainText('Bokade: 1 · Har kommit: 0');
  await expect(rooms.filter({ hasText: 'Väntrum A' })).toContainText('19:00');
  await expect(rooms.filter({ hasText: 'Väntrum A' })).toContainText('G. S.');
  await expect(rooms.filter({ hasText: 'Väntrum barn' })).toContainText('17:00');
  await expect(page.getByTestId('start-waiting-count')).toHaveText('2 personer väntar');
  await expect(page.getByTestId('start-urgent').getByRole('listitem')).toHaveCount(1);
  await expect(page.getByTestId('start-urgent')).toContainText('I. B.');
  await expect(page.getByTestId('start-urgent')).toContainText('Akut');
  // Discreet mode: initials only; and nothing of the perpetrators' side.
  const body = page.locator('body');
  await expect(body).not.toContainText('Greta');
  await expect(body).not.toContainText('Ingrid');
  await expect(body).not.toContainText('O. U.');
  await expect(body).not.toContainText('B. B.');
  await expect(body).not.toContainText('08:00');
  await expectAccessible(page);
  await shot(page, 'start-reception-victims');

  // One keystroke reveals a row's name, the same as on the boards.
  await page.getByTestId('start-urgent').getByRole('listitem').focus();
  await page.keyboard.press('v');
  await expect(page.getByTestId('start-urgent')).toContainText('Ingrid Brådskadotter');
  await page.keyboard.press('v');
  await expect(body).not.toContainText('Ingrid');

  await page.getByRole('button', { name: 'Byt sida: Utövarsidan' }).click();
  await expect(reception.getByRole('heading', { name: 'Dagens mottagning – Utövarsidan' })).toBeVisible();
  await expect(rooms).toHaveCount(1);
  await expect(rooms).toContainText('08:00');
  await expect(rooms).toContainText('O. U.');
  await expect(page.getByTestId('start-waiting-count')).toHaveText('1 person väntar');
  await expect(page.getByTestId('start-urgent')).toContainText('B. B.');
  await expect(page.getByTestId('start-urgent')).toContainText('Hög');
  for (const victimsSide of ['G. S.', 'H. S.', 'I. B.', 'K. V.', '19:00', '17:00']) await expect(body).not.toContainText(victimsSide);
  await expectAccessible(page);
  await shot(page, 'start-reception-perpetrators');
});

test("a therapist's start page: her clients today and her unsigned drafts", async ({ page, harness, problems }) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  const signe = await invokeOk<{ clientId: string }>(
    page,
    'intake.register',
    booked('victim', 'Signe Dagsdotter', therapistIds.victims, 'skaraborg-r1', '18:30'),
  );
  const tora = await invokeOk<{ clientId: string }>(page, 'intake.register', intakeInput('child', 'Tora Utkastdotter'));
  // Another therapist's client booked today is not hers.
  await invokeOk(page, 'intake.register', booked('perpetrator', 'Ulf Annansson', therapistIds.perpetrators, 'skaraborg-r2', '09:00'));
  for (const client of [signe.clientId, tora.clientId])
    await invokeOk(page, 'care.assign', { side: 'victims', clientId: client, therapistId: therapistIds.victims });
  await switchUser(page, harness, THERAPISTS.victims);
  await invokeOk(page, 'journal.saveDraft', { clientId: tora.clientId, entryId: null, kind: 'assessment', body: 'Fiktiv text som inte visas' });
  await page.reload();

  const myDay = page.getByTestId('start-my-day');
  await expect(myDay.getByRole('heading', { name: 'Dina klienter idag' })).toBeVisible();
  await expect(myDay.getByRole('listitem')).toHaveCount(1);
  await expect(myDay).toContainText('18:30');
  await expect(myDay).toContainText('S. D.');
  await expect(myDay).toContainText('Första besök');
  await expect(page.getByTestId('start-drafts-count')).toHaveText('1 utkast väntar på din signatur');
  await expect(page.getByTestId('start-drafts')).toContainText('T. U.');
  await expect(page.getByTestId('start-drafts')).toContainText('Bedömning');
  await expect(page.locator('body')).not.toContainText('Fiktiv text');
  // His time is not in her day (the page may show 09:00 elsewhere: her draft's time of change, saved just now).
  await expect(myDay).not.toContainText('09:00');
  await expect(page.locator('body')).not.toContainText('U. A.');
  await expectAccessible(page);
  await shot(page, 'start-therapist');
});

test("an admin's start page: emergency accesses to review and the state of backups", async ({ page, harness, problems }) => {
  void problems;
  await prepareReception(page, harness);
  const { clientId } = await invokeOk<{ clientId: string }>(page, 'intake.register', intakeInput('perpetrator', 'Nils Nödsson'));
  await switchUser(page, harness, THERAPISTS.perpetrators);
  await invokeOk(page, 'journal.emergencyOpen', { clientId, reason: 'Ordinarie behandlare sjuk, akut bedömning behövs' });
  await switchUser(page, harness, ADMIN);

  await expect(page.getByTestId('start-review-count')).toHaveText('1 nödåtkomst väntar på granskning');
  await expect(page.getByTestId('start-backup')).toContainText('Senaste lyckade säkerhetskopia: ingen ännu.');
  await expect(page.getByTestId('start-backup')).toContainText('Automatiska säkerhetskopior: av.');
  // A count only: no client's name on the admin's start page.
  await expect(page.locator('body')).not.toContainText('Nils');
  await expect(page.getByTestId('current-side')).toHaveCount(0);
  await expectAccessible(page);
  await shot(page, 'start-admin');

  await page.getByRole('link', { name: 'Granska nödåtkomsterna' }).click();
  await expect(page.locator('main h1')).toBeFocused();
});

test('a half-typed first call survives a side switch, another screen and the lock, and is never shown on the other side or to someone else', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  test.setTimeout(120_000);
  await prepareReception(page, harness);
  await addSecondReceptionist(page);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Start', level: 1 })).toBeVisible();

  // Alt+N starts a first call from anywhere; the keyboard starts at the screen's heading.
  await page.keyboard.press('Alt+n');
  await expect(page.getByRole('heading', { name: 'Nytt första samtal', level: 1 })).toBeFocused();
  await page.getByLabel('Namn', { exact: true }).fill('Hemlig Utsattdotter');
  await page.getByLabel('Telefon', { exact: true }).fill('070-000 00 99');
  await page.getByLabel('Kommun').selectOption('1472');
  await page.getByLabel('Sök klient att koppla (exakt namn eller personnummer)').fill('Hemlig Sökning');

  // Switching side with the call half-typed asks first; staying (or Esc) keeps everything.
  await page.getByLabel('Namn', { exact: true }).focus();
  await page.keyboard.press('Alt+s');
  const ask = page.getByRole('dialog', { name: 'Byta sida?' });
  await expect(ask).toBeVisible();
  await expect(ask).toContainText('visas igen när du byter tillbaka till Utsattsidan');
  await expect(ask.getByRole('button', { name: 'Stanna på Utsattsidan' })).toBeFocused();
  await expectAccessible(page);
  await shot(page, 'side-switch-ask');
  await page.keyboard.press('Escape');
  await expect(ask).toHaveCount(0);
  await expect(page.getByTestId('current-side')).toHaveText('Utsattsidan');
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('Hemlig Utsattdotter');
  await expect(page.getByLabel('Namn', { exact: true })).toBeFocused();

  await page.getByRole('button', { name: 'Byt sida: Utövarsidan' }).click();
  await ask.getByRole('button', { name: 'Byt till Utövarsidan' }).click();
  await expect(page.getByTestId('current-side')).toHaveText('Utövarsidan');
  // The other side gets an empty call of its own: nothing of the victim's draft.
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('');
  await expect(page.getByLabel('Telefon', { exact: true })).toHaveValue('');
  await expect(page.getByLabel('Sök klient att koppla (exakt namn eller personnummer)')).toHaveValue('');
  expect(await screenText(page)).not.toContain('Hemlig');
  await expect(page.getByLabel('Spår')).toHaveValue('perpetrator');
  await page.getByLabel('Namn', { exact: true }).fill('Pelle Utkastsson');

  // Alt+S twice comes back to the victim's call, as typed.
  await page.keyboard.press('Alt+s');
  await ask.getByRole('button', { name: 'Byt till Utsattsidan' }).click();
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('Hemlig Utsattdotter');
  await expect(page.getByLabel('Telefon', { exact: true })).toHaveValue('070-000 00 99');
  await expect(page.getByLabel('Kommun')).toHaveValue('1472');
  expect(await screenText(page)).not.toContain('Pelle');

  // To another screen and back.
  await page.getByRole('link', { name: 'Klienter' }).click();
  // This screen puts the keyboard in its search field on purpose; either way it starts in the screen.
  await expect(page.locator('main :focus')).toHaveCount(1);
  expect(await screenText(page)).not.toContain('Hemlig');
  // The start page says a call is waiting on this side (and only on this side).
  await page.getByRole('link', { name: 'Start' }).click();
  await expect(page.getByTestId('start-intake-draft')).toBeVisible();
  await page.getByRole('link', { name: 'Nytt första samtal' }).click();
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('Hemlig Utsattdotter');

  // The lock screen hides everything; the same person unlocking gets it back, on the same side.
  await page.keyboard.press('Control+l');
  await expect(page.getByRole('heading', { name: 'Skärmen är låst' })).toBeVisible();
  expect(await screenText(page)).not.toContain('Hemlig');
  await page.getByLabel('Lösenord').fill(RECEPTIONIST.password);
  await page.getByRole('button', { name: 'Lås upp' }).click();
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('Hemlig Utsattdotter');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Byt sida: Utövarsidan' }).click();
  await ask.getByRole('button', { name: 'Byt till Utövarsidan' }).click();
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('Pelle Utkastsson');
  // Unlocking returns to the side she was on.
  await page.keyboard.press('Control+l');
  await page.getByLabel('Lösenord').fill(RECEPTIONIST.password);
  await page.getByRole('button', { name: 'Lås upp' }).click();
  await expect(page.getByTestId('current-side')).toHaveText('Utövarsidan');
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('Pelle Utkastsson');

  // Someone else signing in at the locked screen sees neither draft, on either side.
  await page.keyboard.press('Control+l');
  await page.getByRole('button', { name: 'Logga in som någon annan' }).click();
  await page.getByLabel('Användarnamn').fill(SECOND_RECEPTIONIST.username);
  await page.getByLabel('Lösenord').fill(SECOND_RECEPTIONIST.password);
  await page.getByRole('button', { name: 'Logga in', exact: true }).click();
  await expect(page.getByText(`Hej ${SECOND_RECEPTIONIST.displayName}!`)).toBeVisible();
  await expect(page.getByTestId('start-intake-draft')).toHaveCount(0);
  await page.getByRole('link', { name: 'Nytt första samtal' }).click();
  await expect(page.getByTestId('current-side')).toHaveText('Utsattsidan');
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('');
  await page.getByRole('button', { name: 'Byt sida: Utövarsidan' }).click();
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('');
  expect(await screenText(page)).not.toMatch(/Hemlig|Pelle/);

  // And the first receptionist, back after someone else, starts afresh too; so after signing out.
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await signIn(page, RECEPTIONIST.username, RECEPTIONIST.password);
  await page.getByRole('link', { name: 'Nytt första samtal' }).click();
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('');
  await page.getByLabel('Namn', { exact: true }).fill('Ulla Utloggsdotter');
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await signIn(page, RECEPTIONIST.username, RECEPTIONIST.password);
  await page.getByRole('link', { name: 'Nytt första samtal' }).click();
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('');

  // A registered call leaves no draft behind.
  await page.getByLabel('Namn', { exact: true }).fill('Wilma Sparadotter');
  await page.getByLabel('Kommun').selectOption('1472');
  await page.getByRole('button', { name: 'Registrera samtalet' }).click();
  await expect(page.getByRole('heading', { name: 'Samtalet är registrerat.' })).toBeVisible();
  await page.getByRole('link', { name: 'Start' }).click();
  await expect(page.getByTestId('start-intake-draft')).toHaveCount(0);
  await page.getByRole('link', { name: 'Nytt första samtal' }).click();
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('');
  // Nothing of a draft was ever written to the browser's storage.
  const stored = await page.evaluate(() => {
    const web = globalThis as unknown as { localStorage: object; sessionStorage: object };
    return JSON.stringify({ ...web.localStorage }) + JSON.stringify({ ...web.sessionStorage });
  });
  expect(stored).not.toMatch(/Hemlig|Pelle|Ulla|Wilma/);
});

test('keyboard: focus lands on the heading after choosing a screen, and "?" lists every shortcut', async ({ page, harness, problems }) => {
  void problems;
  await prepareReception(page, harness);
  await page.getByRole('link', { name: 'Nytt första samtal' }).click();
  const heading = page.locator('main h1');
  await expect(heading).toBeFocused();
  // The next Tab is the call's first field, not ten steps back through the menu.
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Spår')).toBeFocused();
  await page.getByRole('link', { name: 'Väntelista' }).click();
  await expect(heading).toHaveText('Väntelista');
  await expect(heading).toBeFocused();

  await heading.focus();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Kortkommandon' });
  await expect(help).toBeVisible();
  for (const what of ['Lås skärmen direkt', 'Nytt första samtal', 'Byt sida', 'Diskret läge på eller av', 'Visa namnet på raden', 'Ny bokning'])
    await expect(help).toContainText(what);
  // Journal keys are for therapists only.
  await expect(help).not.toContainText('Spara utkastet');
  await expect(help.getByRole('button', { name: 'Stäng' })).toBeFocused();
  await expectAccessible(page);
  await shot(page, 'shortcuts-dialog');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await expect(heading).toBeFocused();

  // Typing a question mark in a field is just typing.
  await page.getByRole('link', { name: 'Nytt första samtal' }).click();
  await page.getByLabel('Namn', { exact: true }).fill('');
  await page.getByLabel('Namn', { exact: true }).pressSequentially('Vem?');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('Vem?');
  // The topbar button opens the same list.
  await page.getByRole('button', { name: 'Kortkommandon' }).click();
  await expect(help).toBeVisible();
  await help.getByRole('button', { name: 'Stäng' }).click();
  await expect(page.getByRole('button', { name: 'Kortkommandon' })).toBeFocused();
});

test('users: a password reset is confirmed as a reset, and an admin is not offered to deactivate herself', async ({ page, harness, problems }) => {
  void problems;
  await prepareReception(page, harness);
  await switchUser(page, harness, ADMIN);
  await page.getByRole('link', { name: 'Användare' }).click();
  const own = page.getByRole('row', { name: new RegExp(ADMIN.displayName) });
  await expect(own).toContainText('(du)');
  await expect(own.getByRole('button', { name: 'Stäng av' })).toHaveCount(0);
  await expect(own.getByRole('button', { name: 'Nytt tillfälligt lösenord' })).toHaveCount(1);
  await expect(page.getByRole('row', { name: new RegExp(RECEPTIONIST.displayName) }).getByRole('button', { name: 'Stäng av' })).toHaveCount(1);

  await page
    .getByRole('row', { name: new RegExp(RECEPTIONIST.displayName) })
    .getByRole('button', { name: 'Nytt tillfälligt lösenord' })
    .click();
  const reset = page.getByTestId('password-reset');
  // The confirmation is brought into view, with the focus on it.
  await expect(reset.getByRole('heading', { name: 'Nytt tillfälligt lösenord' })).toBeFocused();
  await expect(reset).toBeInViewport({ ratio: 1 });
  await expect(reset).toContainText(`${RECEPTIONIST.displayName} har fått ett nytt tillfälligt lösenord.`);
  await expect(reset).toContainText('Det gamla lösenordet fungerar inte längre.');
  await expect(page.locator('body')).not.toContainText('är tillagd');
  await expect(reset.getByTestId('temporary-password')).toHaveText(/\S{8,}/);
  // The form to add a user is still there, untouched by the reset.
  await expect(page.getByRole('button', { name: 'Lägg till' })).toBeVisible();
  await expectAccessible(page);
  await shot(page, 'users-reset');
});
