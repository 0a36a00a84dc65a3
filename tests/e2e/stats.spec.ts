import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { ADMIN, expect, expectAccessible, invokeOk, prepareReception, switchUser, test } from './harness.js';
import { intakeInput } from '../fixtures/intake.js';

const SHOTS = process.env.UTVAG_SCREENSHOTS;
const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};
/** Each dimension on its own, at full size, for looking at the charts closely. */
const sectionShots = async (page: Page, name: string) => {
  if (!SHOTS) return;
  for (const dimension of ['tracks', 'municipalities', 'referrals', 'appointments', 'routings']) {
    await page.getByTestId(`stats-${dimension}`).screenshot({ path: `${SHOTS}/${name}-${dimension}.png` });
  }
};

/** A local date in Swedish time, `days` from today. */
function dayFromToday(days: number): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date(Date.now() + days * 86_400_000));
}

const safeContact = (phone: string) => ({
  phone,
  safeToCall: true,
  safeToText: false,
  safeVoicemail: false,
  safeTimes: 'vardagar 9–11',
  codeWord: 'Blåklint',
  instructions: 'Säg att du ringer från vårdcentralen',
});

type Appointment = { id: string };

/**
 * Through the real channels, as the desk would: six women reported by the police in Lidköping with
 * children (Etapp 2), each with a first visit tomorrow, five of them attended and one missed; and two
 * men who called themselves from Skövde. So some counts are 5 or more and some lie between 1 and 4, and
 * with 8 first contacts shown, every 6 beside a 2 would give the 2 away and reads "x".
 */
async function seedPractice(page: Page, therapistId: string, visitDay: string) {
  const names: string[] = [];
  const phones: string[] = [];
  const appointments: Appointment[] = [];
  for (let i = 0; i < 6; i += 1) {
    const name = `Statistika Påhittsdotter ${i}`;
    const phone = `070-000 01 ${10 + i}`;
    names.push(name);
    phones.push(phone);
    const result = await invokeOk<{ appointment: Appointment | null }>(
      page,
      'intake.register',
      intakeInput('victim', name, {
        contactBy: 'outreach',
        referralSource: 'police',
        childrenUnder18: 1,
        municipalityCode: '1494',
        reason: `Fritext om våldet som aldrig får synas ${i}`,
        safeContact: safeContact(phone),
        outcome: 'booked',
        booking: {
          kind: 'first_visit',
          siteId: 'skaraborg',
          therapistId,
          roomId: 'skaraborg-r1',
          date: visitDay,
          start: `${String(8 + i).padStart(2, '0')}:00`,
          durationMinutes: 45,
        },
      }),
    );
    appointments.push(result.appointment!);
  }
  for (let i = 0; i < 2; i += 1) {
    const name = `Statistik Låtsasson ${i}`;
    const phone = `070-000 02 ${20 + i}`;
    names.push(name);
    phones.push(phone);
    await invokeOk(page, 'intake.register', intakeInput('perpetrator', name, { municipalityCode: '1496', safeContact: safeContact(phone) }));
  }
  // Five visits take place; the sixth client does not come.
  for (const appointment of appointments.slice(0, 5)) {
    for (const status of ['arrived', 'in_session', 'done']) {
      await invokeOk(page, 'appointments.setStatus', { side: 'victims', appointmentId: appointment.id, status });
    }
  }
  await invokeOk(page, 'appointments.setStatus', { side: 'victims', appointmentId: appointments[5]!.id, status: 'no_show' });
  return { names, phones };
}

/** The calendar quarter before the one today lies in, in Swedish time: the newest one the screen offers. */
function previousQuarter(): { year: number; quarter: number; label: string } {
  const today = dayFromToday(0);
  const year = Number(today.slice(0, 4));
  const current = Math.ceil(Number(today.slice(5, 7)) / 3);
  const [y, q] = current === 1 ? [year - 1, 4] : [year, current - 1];
  const months = ['jan–mar', 'apr–jun', 'jul–sep', 'okt–dec'][q - 1];
  return { year: y, quarter: q, label: `${y} kvartal ${q} (${months})` };
}

/** How far the page reaches past the window's right edge (0 when nothing overflows). */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}

function table(page: Page, caption: string) {
  return page.getByRole('table', { name: caption });
}

async function expectRow(page: Page, caption: string, header: string, cells: string[]) {
  const row = table(page, caption)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: header, exact: true }) });
  await expect(row.getByRole('cell')).toHaveText(cells);
}

test('the admin reads how small counts are protected, picks an ended quarter for the whole centre, sees <5 for every small count and exports CSV', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  // People who came this quarter: the quarter is still running, so the screen does not offer it at all.
  const { names, phones } = await seedPractice(page, therapistIds.victims, dayFromToday(1));

  await switchUser(page, harness, ADMIN);
  await page.getByRole('link', { name: 'Statistik' }).click();
  await expect(page.getByRole('heading', { name: 'Statistik', level: 1 })).toBeVisible();
  // The method, in plain words, before any figure.
  const method = page.getByTestId('stats-method');
  await expect(method.getByRole('heading', { name: 'Så skyddas små antal' })).toBeVisible();
  await expect(method).toContainText('tas bara fram för hela kalenderkvartal som har tagit slut');
  await expect(method).toContainText('en månad minus samma månad utan en vecka');
  await expect(method).toContainText('Ett ”<5” betyder alltså 0–4');
  await expect(method).toContainText('Ett ”x” kan vara vilket tal som helst.');
  await expectAccessible(page);

  const quarter = previousQuarter();
  const select = page.getByLabel('Kvartal', { exact: true });
  await expect(select.locator('option').first()).toHaveText(quarter.label);
  expect(await select.locator('option').count()).toBe(40);
  // No unit to choose, no dates to type: only the reports that cannot be subtracted from one another exist.
  await expect(page.getByLabel('Enhet')).toHaveCount(0);
  await expect(page.getByLabel('Från och med')).toHaveCount(0);
  await shot(page, 'stats-method-sv');

  await page.getByRole('button', { name: 'Visa statistik' }).click();
  await expect(page.getByRole('heading', { name: `${quarter.label}, hela Utväg` })).toBeVisible();
  // No one came that quarter: every count reads "<5", 0 included, and every category is listed.
  await expect(page.getByTestId('stats-first-contacts')).toHaveText('<5');
  await expect(page.getByTestId('stats-no-show-rate')).toHaveText('<5');
  await expect(page.getByTestId('stats-median-days')).toHaveText('<5');
  await expectRow(page, 'Klienter per spår, nya och fortsatta', 'Våldsutsatt', ['<5', '<5']);
  await expectRow(page, 'Klienter per kommun', 'Lidköping', ['1494', '<5']);
  await expectRow(page, 'Första kontakter per remissväg', 'Polisen', ['<5']);
  await expectRow(page, 'Första kontakter per remissväg', 'Skolan', ['<5']);
  await expectRow(page, 'Tider per typ (rader) och status (kolumner)', 'Första besök', ['<5', '<5', '<5', '<5', '<5', '<5']);
  for (const dimension of ['tracks', 'municipalities', 'referrals', 'appointments', 'routings']) {
    await expect(page.getByTestId(`stats-${dimension}-chart`).locator('svg.recharts-surface')).toBeVisible();
  }
  await expect(page.getByTestId('stats-referrals-chart')).toContainText('Randig stapel: färre än 5 (0–4).');
  await expect(page.getByTestId('stats-report')).not.toContainText('Påhittsdotter');
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await shot(page, 'stats-report-sv');
  await sectionShots(page, 'stats-sv');
  await expectAccessible(page);

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exportera CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`statistik_${quarter.year}_kvartal${quarter.quarter}.csv`);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv).toContain(`period,${quarter.year}-K${quarter.quarter},`);
  expect(csv).toContain('remissvag,police,<5');
  expect(csv).toContain('forsta_kontakter,alla,<5');
  expect(csv).toContain('forklaring,<5,antal från 0 till 4');
  expect(csv).toContain('forklaring,metod,hela avslutade kvartal för hela Utväg');
  expect(csv).not.toMatch(/,\d+\r?\n/);
  for (const secret of [...names, ...phones, 'Påhittsdotter', 'Låtsasson', '070-000', 'Fritext', 'Blåklint', 'vårdcentralen']) {
    expect(csv).not.toContain(secret);
  }
  await expect(page.getByText(`Statistiken sparades som statistik_${quarter.year}_kvartal${quarter.quarter}.csv.`)).toBeVisible();

  // The same screen in English.
  await page.getByLabel('Språk').selectOption('en');
  await expect(page.getByRole('heading', { name: 'Statistics', level: 1 })).toBeVisible();
  await expect(page.getByTestId('stats-method')).toContainText('produced only for whole calendar quarters that have ended');
  await expect(page.getByTestId('stats-method')).toContainText('A "<5" therefore means 0–4');
  await expectRow(page, 'First contacts by referral source', 'Police', ['<5']);
  await shot(page, 'stats-report-en');
  await expectAccessible(page);
});

test('the charts fit the window at 1024 wide and are drawn for print', async ({ page, harness, problems }) => {
  void problems;
  await prepareReception(page, harness);
  await switchUser(page, harness, ADMIN);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.getByRole('link', { name: 'Statistik' }).click();
  await page.getByRole('button', { name: 'Visa statistik' }).click();
  await expect(page.getByTestId('stats-first-contacts')).toHaveText('<5');

  // Nothing wider than the window: no sideways scrolling of the page.
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  for (const chart of await page.locator('[data-testid$="-chart"] svg.recharts-surface').all()) {
    const box = (await chart.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
    expect(box.width).toBeGreaterThan(300);
  }
  await shot(page, 'stats-report-1024');
  await expectAccessible(page);

  // On paper the quarter form and buttons go; the charts stay, with their bars.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('stats-period')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Exportera CSV' })).toBeHidden();
  for (const chart of await page.locator('[data-testid$="-chart"] svg.recharts-surface').all()) {
    await expect(chart).toBeVisible();
  }
  expect(await page.locator('[data-testid$="-chart"] path.chart-bar').count()).toBeGreaterThan(8);
  await shot(page, 'stats-print');
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
});
