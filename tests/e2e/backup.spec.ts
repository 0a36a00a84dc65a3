import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { ADMIN, RECEPTIONIST, expect, expectAccessible, invokeOk, prepareReception, signIn, switchUser, test } from './harness.js';
import { intakeInput } from '../fixtures/intake.js';

const SHOTS = process.env.UTVAG_SCREENSHOTS;
/** A screenshot of one section (or the whole page) when UTVAG_SCREENSHOTS names a folder. */
const shot = async (page: Page, name: string, section?: Locator) => {
  if (!SHOTS) return;
  if (section) await section.screenshot({ path: `${SHOTS}/${name}.png` });
  else await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};

const EXPORT_PASSPHRASE = 'Fyra påhittade ord till kopian';
const SCHEDULE_PASSPHRASE = 'Nattens egna fiktiva lösenfras';
const WRONG_PASSPHRASE = 'Helt fel men lång lösenfras här';

test('an admin exports, verifies and restores a backup, and sets up automatic backups', async ({ page, harness, problems }) => {
  void problems;
  // Several sign-ins (Argon2id) and backups keyed with PBKDF2 at SQLCipher 4's 256,000 rounds.
  test.setTimeout(180_000);
  const backupDir = mkdtempSync(path.join(os.tmpdir(), 'utvag-e2e-backups-'));
  const automaticDir = path.join(backupDir, 'automatiska');
  mkdirSync(automaticDir);
  const manualFile = path.join(backupDir, 'utvag-e2e-kopia.db');
  try {
    // A journal with a client in it, registered at the desk before the admin takes over.
    await prepareReception(page, harness);
    await invokeOk(page, 'intake.register', intakeInput('victim', 'Lovisa Testsson'));
    await switchUser(page, harness, ADMIN);

    // No backup yet: the admin is warned on the start page.
    const homeWarning = page.getByTestId('home-backup-warning');
    await expect(homeWarning).toContainText('Ingen säkerhetskopia har gjorts ännu.');
    await shot(page, 'backup-home-warning');
    await expectAccessible(page);
    await homeWarning.getByRole('link', { name: 'Gå till Säkerhetskopior' }).click();
    await expect(page.getByRole('heading', { name: 'Säkerhetskopior', level: 1 })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Säkerhetskopior' })).toBeVisible();
    await expect(page.getByTestId('backup-last-good')).toHaveText('Ingen säkerhetskopia har gjorts ännu.');
    await expect(page.getByTestId('backup-next')).toHaveText('Automatiska säkerhetskopior är avstängda.');
    // The harness has no system file dialog: paths are typed, and no "choose" button is offered.
    await expect(page.getByRole('button', { name: /^Välj (fil|mapp) …$/ })).toHaveCount(0);
    await shot(page, 'backup-empty');
    await expectAccessible(page);

    // Export: a weak passphrase is refused next to its field, with the reason shown while typing.
    const exporting = page.getByRole('region', { name: 'Exportera en säkerhetskopia' });
    await expect(exporting.getByText(/till exempel E:\\utvag-2026-11-23\.db eller/)).toBeVisible();
    await exporting.getByLabel('Fil att spara till').fill(manualFile);
    const exportPassphrase = exporting.getByLabel('Lösenfras', { exact: true });
    await exportPassphrase.fill('kort');
    await expect(exporting.getByTestId('passphrase-strength')).toHaveText('För kort: 4 av minst 14 tecken.');
    await exporting.getByLabel('Upprepa lösenfrasen').fill('kort');
    await exporting.getByRole('button', { name: 'Exportera' }).click();
    await expect(exportPassphrase).toHaveAttribute('aria-invalid', 'true');
    await expect(exportPassphrase).toHaveAccessibleDescription(/Lösenfrasen är för svag/);
    await expect(exporting.getByLabel('Fil att spara till')).toHaveValue(manualFile);
    await shot(page, 'backup-export-weak', exporting);
    await expectAccessible(page);

    await exportPassphrase.fill(EXPORT_PASSPHRASE);
    await expect(exporting.getByTestId('passphrase-strength')).toHaveText('Lösenfrasen är stark nog.');
    await exporting.getByLabel('Upprepa lösenfrasen').fill(EXPORT_PASSPHRASE);
    // A folder that does not exist is refused at the path, and the passphrase typed twice stays.
    await exporting.getByLabel('Fil att spara till').fill(path.join(backupDir, 'finns-inte', 'kopia.db'));
    await exporting.getByRole('button', { name: 'Exportera' }).click();
    await expect(exporting.getByLabel('Fil att spara till')).toHaveAttribute('aria-invalid', 'true');
    await expect(exportPassphrase).toHaveValue(EXPORT_PASSPHRASE);
    await expect(exporting.getByLabel('Upprepa lösenfrasen')).toHaveValue(EXPORT_PASSPHRASE);
    await exporting.getByLabel('Fil att spara till').fill(manualFile);
    await exporting.getByRole('button', { name: 'Exportera' }).click();
    const exported = exporting.getByTestId('export-result');
    await expect(exported).toContainText('Säkerhetskopian är sparad och kontrollerad.');
    await expect(exported).toContainText(manualFile);
    await expect(exported).toContainText(/sha256:[0-9a-f]{64}/);
    await expect(exported).toContainText(/\d+ rader i \d+ tabeller/);
    // The passphrase is gone from the form once the export is done.
    await expect(exportPassphrase).toHaveValue('');
    await expect(exporting.getByLabel('Upprepa lösenfrasen')).toHaveValue('');
    await expect(page.getByTestId('backup-last-good')).toHaveText(/^Senaste säkerhetskopia: \d{4}-\d\d-\d\d \d\d:\d\d, verifierad$/);
    await exported.getByText('Rader per tabell').click();
    await expect(exported.getByRole('row', { name: /clients 1/ })).toBeVisible();
    await shot(page, 'backup-exported', exporting);
    await expectAccessible(page);

    // Verify: a wrong passphrase is refused next to the passphrase; the right one shows what the backup holds.
    const verifying = page.getByRole('region', { name: 'Kontrollera en säkerhetskopia' });
    await verifying.getByLabel('Säkerhetskopians fil').fill(manualFile);
    const verifyPassphrase = verifying.getByLabel('Lösenfras', { exact: true });
    await verifyPassphrase.fill(WRONG_PASSPHRASE);
    await verifying.getByRole('button', { name: 'Kontrollera' }).click();
    await expect(verifyPassphrase).toHaveAttribute('aria-invalid', 'true');
    await expect(verifyPassphrase).toHaveAccessibleDescription(/Lösenfrasen öppnar inte filen/);
    await expect(verifyPassphrase).toHaveValue('');
    await expect(verifying.getByLabel('Säkerhetskopians fil')).toHaveValue(manualFile);
    await shot(page, 'backup-verify-wrong-passphrase', verifying);
    await expectAccessible(page);
    await verifyPassphrase.fill(EXPORT_PASSPHRASE);
    await verifying.getByRole('button', { name: 'Kontrollera' }).click();
    const verified = verifying.getByTestId('verify-result');
    await expect(verified).toContainText('Säkerhetskopian är hel och kan återställas.');
    await expect(verified).toContainText('Databasversion');
    await expect(verified).toContainText('Appversion');
    await expect(verifyPassphrase).toHaveValue('');
    await shot(page, 'backup-verified', verifying);
    await expectAccessible(page);

    // Automatic backups: folder, daily, keep three, and their own passphrase typed twice.
    const scheduling = page.getByRole('region', { name: 'Automatiska säkerhetskopior' });
    await scheduling.getByLabel('Gör säkerhetskopior automatiskt').check();
    await scheduling.getByLabel('Mapp').fill(automaticDir);
    await scheduling.getByLabel('Hur ofta').selectOption({ label: 'En gång per dygn' });
    await scheduling.getByLabel('Behåll de senaste').fill('3');
    await scheduling.getByRole('button', { name: 'Spara' }).click();
    // Switched on without a passphrase: refused next to the passphrase field, nothing typed is lost.
    const schedulePassphrase = scheduling.getByLabel('Lösenfras för de automatiska säkerhetskopiorna');
    await expect(schedulePassphrase).toHaveAttribute('aria-invalid', 'true');
    await expect(schedulePassphrase).toHaveAccessibleDescription(/Ange en lösenfras för de automatiska säkerhetskopiorna\./);
    await expect(scheduling.getByLabel('Mapp')).toHaveValue(automaticDir);
    await shot(page, 'backup-schedule-refused', scheduling);
    await expectAccessible(page);
    await schedulePassphrase.fill(SCHEDULE_PASSPHRASE);
    await scheduling.getByLabel('Upprepa lösenfrasen').fill(SCHEDULE_PASSPHRASE);
    await scheduling.getByRole('button', { name: 'Spara' }).click();
    await expect(scheduling.getByText('Inställningarna för automatiska säkerhetskopior är sparade.')).toBeVisible();
    await expect(scheduling.getByLabel('Ny lösenfras (lämna tomt för att behålla den sparade)')).toHaveValue('');
    await expect(scheduling.getByText('En lösenfras är sparad.', { exact: false })).toBeVisible();
    await expect(page.getByTestId('backup-next')).toHaveText(/^Nästa automatiska säkerhetskopia: /);
    await shot(page, 'backup-schedule-saved', scheduling);
    await expectAccessible(page);

    const status = page.getByTestId('backup-status');
    await status.getByRole('button', { name: 'Gör en säkerhetskopia nu' }).click();
    await expect(status.getByText('Säkerhetskopian är gjord och kontrollerad.')).toBeVisible();
    await expect(status).toContainText(/Senaste automatiska: \d{4}-\d\d-\d\d \d\d:\d\d, verifierad \(utvag-backup-[\d_+-]+\.db, [\d,]+ kB\)/);
    await expect(page.getByTestId('backup-last-good')).toHaveText(/^Senaste säkerhetskopia: .*, verifierad$/);
    await expect(page.getByTestId('backup-next')).toHaveText(/^Nästa automatiska säkerhetskopia: \d{4}-\d\d-\d\d \d\d:\d\d$/);
    // The harness's own timer may have made one as well, moments before (the minute check): never more than two, never a partial.
    const made = readdirSync(automaticDir);
    expect(made.filter((name) => /^utvag-backup-[\d_+-]+\.db$/.test(name)).length).toBeGreaterThanOrEqual(1);
    expect(made.filter((name) => /^utvag-backup-[\d_+-]+\.db$/.test(name)).length).toBeLessThanOrEqual(2);
    expect(made.filter((name) => name.includes('.partial-'))).toEqual([]);
    await shot(page, 'backup-automatic-done', status);
    await shot(page, 'backup-automatic-page');
    await expectAccessible(page);

    // Someone is added after the backup: the restore will take the journal back to before that.
    await invokeOk(page, 'users.create', { displayName: 'Nils Efterkopia', username: 'nils.efter', roles: ['receptionist'] });

    // Restore: first the backup is checked and shown (who made it, its admins); then the confirmation is required, and says what happens.
    const restoring = page.getByRole('region', { name: 'Återställ från en säkerhetskopia' });
    await restoring.getByLabel('Säkerhetskopians fil').fill(manualFile);
    await restoring.getByLabel('Lösenfras', { exact: true }).fill(EXPORT_PASSPHRASE);
    await restoring.getByRole('button', { name: 'Kontrollera säkerhetskopian' }).click();
    const preview = restoring.getByTestId('restore-preview');
    await expect(preview.getByTestId('backup-origin')).toContainText('Gjord av den här installationen: sigillet stämmer');
    await expect(preview.getByTestId('backup-admins')).toContainText(`${ADMIN.displayName} (${ADMIN.username}) – administratör här också.`);
    // Made here: no second confirmation of where it comes from.
    await expect(restoring.getByLabel(/Jag vet var den här säkerhetskopian kommer ifrån/)).toHaveCount(0);
    await restoring.getByRole('button', { name: 'Återställ' }).click();
    const confirm = restoring.getByLabel(/den nuvarande journalen sparas orörd i datamappen som journal\.db\.before-restore-/);
    await expect(confirm).toHaveAttribute('aria-invalid', 'true');
    await expect(restoring.getByText('Bekräfta att du förstår vad återställningen gör.')).toBeVisible();
    await shot(page, 'backup-restore-confirm', restoring);
    await expectAccessible(page);
    await confirm.check();
    await restoring.getByRole('button', { name: 'Återställ' }).click();
    const restored = restoring.getByTestId('restore-result');
    await expect(restored).toContainText(/Journalen är återställd från säkerhetskopian från \d{4}-\d\d-\d\d \d\d:\d\d\./);
    await expect(restored).toContainText(/journal\.db\.before-restore-\S+/);
    // Nils is not in the backup: his key slot went with the restore.
    await expect(restored).toContainText('Nils Efterkopia finns inte i säkerhetskopian och kan inte längre logga in.');
    await shot(page, 'backup-restored', restoring);
    await expectAccessible(page);

    // Everyone signs in again, to the restored journal.
    await restored.getByRole('button', { name: 'Logga in igen' }).click();
    await expect(page.getByRole('heading', { name: 'Logga in' })).toBeVisible();
    await signIn(page, ADMIN.username, ADMIN.password);
    await expect(page.getByRole('heading', { name: 'Säkerhetskopior', level: 1 })).toBeVisible();
    // The schedule belongs to this installation and carries over; the status still shows the automatic backup.
    await expect(page.getByTestId('backup-status')).toContainText(/Senaste automatiska: .*, verifierad/);
    // The journal the restore replaced is listed as left behind, with its size and time; removing it is confirmed first.
    const leftovers = page.getByRole('region', { name: 'Kvarlämnade filer' });
    const keptRow = leftovers.getByRole('row', { name: /Journal sparad vid återställning journal\.db\.before-restore-/ });
    await expect(keptRow).toContainText(/\d+(,\d)? (kB|MB)/);
    await expect(keptRow).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d/);
    await expect(leftovers.getByRole('button', { name: /Ta bort/ })).toBeDisabled();
    await keptRow.getByRole('checkbox').check();
    await leftovers.getByRole('button', { name: 'Ta bort vald fil …' }).click();
    await expect(leftovers.getByText(/Ta bort 1 fil \(.+\)\? Det går inte att ångra\./)).toBeVisible();
    await shot(page, 'backup-leftovers-confirm', leftovers);
    await expectAccessible(page);
    const keptName = (await keptRow.getByRole('cell').nth(2).textContent())!;
    expect(readdirSync(harness.dataDir)).toContain(keptName);
    await leftovers.getByRole('button', { name: 'Ta bort filen' }).click();
    await expect(leftovers.getByText(/1 fil \(.+\) är borttagen\./)).toBeVisible();
    await expect(leftovers.getByTestId('leftovers-empty')).toHaveText('Inga kvarlämnade filer.');
    expect(readdirSync(harness.dataDir)).not.toContain(keptName);
    await shot(page, 'backup-leftovers-removed', leftovers);

    await page.getByRole('link', { name: 'Användare' }).click();
    await expect(page.getByRole('rowheader', { name: RECEPTIONIST.displayName })).toBeVisible();
    await expect(page.getByRole('rowheader', { name: 'Nils Efterkopia' })).toHaveCount(0);

    // With a recent good backup the start page has no warning.
    await page.getByRole('link', { name: 'Start' }).click();
    await expect(page.getByText(`Hej ${ADMIN.displayName}!`)).toBeVisible();
    await expect(page.getByTestId('home-backup-warning')).toHaveCount(0);
  } finally {
    rmSync(backupDir, { recursive: true, force: true });
  }
});

test('the backup screen is for admins only, and speaks English too', async ({ page, harness, problems }) => {
  void problems;
  test.setTimeout(120_000);
  await prepareReception(page, harness);
  // The receptionist has no backup screen and no backup warning.
  await expect(page.getByRole('link', { name: 'Säkerhetskopior' })).toHaveCount(0);
  await expect(page.getByTestId('home-backup-warning')).toHaveCount(0);
  await page.goto(`${new URL(harness.url).origin}/#/admin/backups`);
  await expect(page.getByRole('heading', { name: 'Säkerhetskopior' })).toHaveCount(0);

  await switchUser(page, harness, ADMIN);
  await page.getByLabel('Språk').selectOption('en');
  await expect(page.getByTestId('home-backup-warning')).toContainText('No backup has been made yet.');
  await page.getByRole('link', { name: 'Backups', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Backups', level: 1 })).toBeVisible();
  await expect(page.getByTestId('backup-last-good')).toHaveText('No backup has been made yet.');
  await expect(page.getByRole('region', { name: 'Restore from a backup' })).toBeVisible();
  await shot(page, 'backup-english');
  await expectAccessible(page);
});
