import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN, expect, expectAccessible, invokeFromPage, prepareReception, switchUser, test } from './harness.js';

const PASSPHRASE = 'Fyra påhittade ord till kopian';

test('while a backup runs, the screen shows its progress and holds the other start buttons, with the reason', async ({ page, harness, problems }) => {
  void problems;
  test.setTimeout(120_000);
  const backupDir = mkdtempSync(path.join(os.tmpdir(), 'utvag-e2e-progress-'));
  const file = path.join(backupDir, 'utvag-e2e-progress.db');
  try {
    await prepareReception(page, harness);
    await switchUser(page, harness, ADMIN);
    await page.getByRole('link', { name: 'Säkerhetskopior', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Säkerhetskopior', level: 1 })).toBeVisible();
    // Nothing runs: no bar, and the screen asks nothing about progress (no timer while idle).
    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/__harness/invoke') && request.postData()?.includes('"backup.progress"')) asked.push(request.url());
    });
    await expect(page.getByTestId('backup-progress')).toHaveCount(0);
    await page.waitForTimeout(1200);
    expect(asked).toEqual([]);

    // The export's call is held on its way to the main process, so the screen is seen while it waits for it.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/__harness/invoke', async (route) => {
      if (route.request().postData()?.includes('"backup.export"')) await held;
      await route.continue();
    });
    const exporting = page.getByRole('region', { name: 'Exportera en säkerhetskopia' });
    await exporting.getByLabel('Fil att spara till').fill(file);
    await exporting.getByLabel('Lösenfras', { exact: true }).fill(PASSPHRASE);
    await exporting.getByLabel('Upprepa lösenfrasen').fill(PASSPHRASE);
    await exporting.getByRole('button', { name: 'Exportera' }).click();

    const progress = page.getByRole('region', { name: 'Säkerhetskopiering pågår' });
    await expect(progress).toBeVisible();
    await expect(progress.getByRole('progressbar', { name: 'Säkerhetskopiering pågår' })).toBeVisible();
    await expect(progress.getByRole('status')).toHaveText('Startar');
    // Every start button waits, and says why; the typed paths and passphrases stay.
    const verifyButton = page.getByRole('region', { name: 'Kontrollera en säkerhetskopia' }).getByRole('button', { name: 'Kontrollera' });
    await expect(verifyButton).toBeDisabled();
    await expect(verifyButton).toHaveAccessibleDescription('Knapparna för att starta en ny väntar tills den här är klar.');
    await expect(exporting.getByRole('button', { name: 'Exportera' })).toBeDisabled();
    await expect(exporting.getByLabel('Fil att spara till')).toHaveValue(file);
    // The screen asks how far it has come while the work runs.
    await expect.poll(() => asked.length).toBeGreaterThan(1);
    await expectAccessible(page);

    release();
    await expect(exporting.getByTestId('export-result')).toContainText('Säkerhetskopian är sparad och kontrollerad.');
    await expect(page.getByTestId('backup-progress')).toHaveCount(0);
    await expect(verifyButton).toBeEnabled();
    await expect(verifyButton).not.toHaveAttribute('aria-describedby', /.+/);
    // Done: the polling stops.
    const afterDone = asked.length;
    await page.waitForTimeout(1200);
    expect(asked.length).toBe(afterDone);

    // The main process's own answer, as the screen reads it: nothing running once the export is done.
    expect(await invokeFromPage(page, 'backup.progress', {})).toEqual({ ok: true, value: { running: null } });
  } finally {
    rmSync(backupDir, { recursive: true, force: true });
  }
});
