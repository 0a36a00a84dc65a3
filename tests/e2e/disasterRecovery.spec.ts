import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ADMIN, RECEPTIONIST, prepareAdmin, expect, expectAccessible, invokeOk, prepareReception, signIn, switchUser, test } from './harness.js';
import { intakeInput } from '../fixtures/intake.js';

const SHOTS = process.env.UTVAG_SCREENSHOTS;
const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};

const PASSPHRASE = 'Fyra påhittade ord om en stulen dator';
const NEW_PASSWORD = 'nya-datorns-eget-långa-lösenord';

test('a missing journal.db gets its own screen, never the first-run form, and the journal opens again once it is back', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  const aside = mkdtempSync(path.join(os.tmpdir(), 'utvag-e2e-aside-'));
  try {
    await prepareAdmin(page, harness);
    await invokeOk(page, 'auth.logout', {});
    // Someone moves the journal file away while the app is signed out.
    renameSync(path.join(harness.dataDir, 'journal.db'), path.join(aside, 'journal.db'));
    await page.reload();

    await expect(page.getByRole('heading', { name: 'Journalfilen saknas', level: 1 })).toBeVisible();
    const screen = page.getByTestId('journal-missing');
    await expect(screen).toContainText(harness.dataDir);
    await expect(screen).toContainText('Appen har inte ändrat, skapat eller tagit bort något.');
    await expect(screen.getByRole('listitem')).toHaveCount(2);
    // No form at all: neither setup nor sign-in is offered.
    await expect(page.getByRole('button', { name: 'Skapa journalen' })).toHaveCount(0);
    await expect(page.getByLabel('Lösenord')).toHaveCount(0);
    // The main process refuses too, with its own typed error.
    expect(await invokeOk(page, 'app.status', {})).toMatchObject({ state: 'missing', dataDir: harness.dataDir });
    await shot(page, 'journal-missing');
    await expectAccessible(page);

    await page.getByLabel('Språk').selectOption('en');
    await expect(page.getByRole('heading', { name: 'The journal file is missing', level: 1 })).toBeVisible();
    await shot(page, 'journal-missing-english');
    await expectAccessible(page);
    await page.getByLabel('Language').selectOption('sv');

    // Put back: the screen changes by itself (the status is polled) and the admin signs in as before.
    renameSync(path.join(aside, 'journal.db'), path.join(harness.dataDir, 'journal.db'));
    await expect(page.getByRole('heading', { name: 'Logga in' })).toBeVisible();
    await signIn(page, ADMIN.username, ADMIN.password);
    await expect(page.getByText(`Hej ${ADMIN.displayName}!`)).toBeVisible();
  } finally {
    rmSync(aside, { recursive: true, force: true });
  }
});

test('a new computer restores the lost one’s backup: the admin stays in, others get temporary passwords', async ({ page, harness, problems }) => {
  void problems;
  // Many Argon2id sign-ins and a backup keyed with SQLCipher 4's PBKDF2.
  test.setTimeout(180_000);
  const backupDir = mkdtempSync(path.join(os.tmpdir(), 'utvag-e2e-backups-'));
  const lost = mkdtempSync(path.join(os.tmpdir(), 'utvag-e2e-lost-'));
  const file = path.join(backupDir, 'utvag-backup-senaste.db');
  try {
    // The old computer: staff with their own passwords, a client, a backup on another disk.
    await prepareReception(page, harness);
    await invokeOk(page, 'intake.register', intakeInput('victim', 'Lovisa Testsson'));
    await switchUser(page, harness, ADMIN);
    await invokeOk(page, 'backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    await invokeOk(page, 'auth.logout', {});
    // The computer is stolen: its journal and key file are gone (moved out of the data folder here).
    for (const name of ['journal.db', 'keyring.json']) renameSync(path.join(harness.dataDir, name), path.join(lost, name));

    // The new installation: first run with the same username and a new password.
    await page.goto(harness.url);
    await page.getByLabel('Ditt namn').fill(ADMIN.displayName);
    await page.getByLabel('Användarnamn').fill(ADMIN.username);
    await page.getByLabel('Lösenord', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Upprepa lösenordet').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Skapa journalen' }).click();
    await expect(page.getByTestId('recovery-code')).toBeVisible();
    await page.getByLabel('Jag har skrivit ner koden och förvarar den säkert').check();
    await page.getByRole('button', { name: 'Fortsätt' }).click();

    await page.getByRole('link', { name: 'Säkerhetskopior', exact: true }).click();
    const restoring = page.getByRole('region', { name: 'Återställ från en säkerhetskopia' });
    await restoring.getByLabel('Säkerhetskopians fil').fill(file);
    await restoring.getByLabel('Lösenfras', { exact: true }).fill(PASSPHRASE);
    await restoring.getByRole('button', { name: 'Kontrollera säkerhetskopian' }).click();
    // Another installation's backup: the screen says nothing proves who made it and names the admins it brings.
    const preview = restoring.getByTestId('restore-preview');
    await expect(preview.getByTestId('backup-origin')).toContainText('Gjord någon annanstans');
    await expect(preview.getByTestId('backup-admins')).toContainText(`${ADMIN.displayName} (${ADMIN.username}) – finns inte här.`);
    await restoring.getByLabel(/den nuvarande journalen sparas orörd/).check();
    await restoring.getByRole('button', { name: 'Återställ' }).click();
    // The second confirmation, of where the backup comes from, is required too.
    const foreign = restoring.getByLabel(/Jag vet var den här säkerhetskopian kommer ifrån/);
    await expect(foreign).toHaveAttribute('aria-invalid', 'true');
    await shot(page, 'restore-new-computer-confirm');
    await expectAccessible(page);
    await foreign.check();
    await restoring.getByRole('button', { name: 'Återställ' }).click();
    const restored = restoring.getByTestId('restore-result');
    await expect(restored).toContainText('Journalen är återställd från säkerhetskopian');
    await expect(restored).toContainText('har lagts till i den som administratör');
    await expect(restored).toContainText(`Säkerhetskopian hade redan ett konto med användarnamnet ${ADMIN.username} (${ADMIN.displayName})`);
    await expect(restored).toContainText(`heter nu ${ADMIN.username}-2`);
    // The old admin, the receptionist and both therapists.
    await expect(restored.getByTestId('restore-without-password')).toContainText('4 användare i den återställda journalen saknar lösenord');
    await shot(page, 'restore-new-computer');
    await expectAccessible(page);

    // The admin signs in again with the new computer's password.
    await restored.getByRole('button', { name: 'Logga in igen' }).click();
    await signIn(page, ADMIN.username, NEW_PASSWORD);
    await page.getByRole('link', { name: 'Användare' }).click();
    await expect(page.getByTestId('users-without-password')).toContainText('4 användare saknar lösenord på den här datorn');
    const row = page.getByRole('row', { name: new RegExp(RECEPTIONIST.displayName) });
    await expect(row).toContainText('Behöver nytt lösenord');
    // A grid's row is named by its row header (the name, the same for both admins): the username cell tells them apart.
    const renamed = page.getByRole('row').filter({ has: page.getByRole('gridcell', { name: `${ADMIN.username}-2`, exact: true }) });
    await expect(renamed).toContainText('Behöver nytt lösenord');
    await shot(page, 'users-need-password');
    await expectAccessible(page);

    await row.getByRole('button', { name: 'Nytt tillfälligt lösenord' }).click();
    const temporary = (await page.getByTestId('temporary-password').textContent())!.trim();
    await expect(row).toContainText('Väntar på eget lösenord');
    await expect(page.getByTestId('users-without-password')).toContainText('3 användare saknar lösenord');

    // The receptionist signs in with it and must choose her own before anything else.
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await signIn(page, RECEPTIONIST.username, temporary);
    await expect(page.getByRole('heading', { name: 'Välj ett eget lösenord' })).toBeVisible();
    await shot(page, 'restored-user-forced-change');
    await page.getByLabel('Tillfälligt lösenord').fill(temporary);
    await page.getByLabel('Nytt lösenord').fill(RECEPTIONIST.password);
    await page.getByLabel('Upprepa det nya lösenordet').fill(RECEPTIONIST.password);
    await page.getByRole('button', { name: 'Byt lösenord' }).click();
    await expect(page.getByText(`Hej ${RECEPTIONIST.displayName}!`)).toBeVisible();
  } finally {
    rmSync(backupDir, { recursive: true, force: true });
    rmSync(lost, { recursive: true, force: true });
  }
});
