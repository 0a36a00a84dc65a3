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

/** The calendar quarter before the one `today` lies in, both dates inclusive. */
function previousQuarter(today: string): { from: string; to: string } {
  const year = Number(today.slice(0, 4));
  const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3);
  const [y, q] = quarter === 0 ? [year - 1, 3] : [year, quarter - 1];
  const lastDay = new Date(Date.UTC(y, q * 3 + 3, 0)).getUTCDate();
  const month = (n: number) => String(n).padStart(2, '0');
  return { from: `${y}-${month(q * 3 + 1)}-01`, to: `${y}-${month(q * 3 + 3)}-${lastDay}` };
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

test('the admin sees statistics as charts and tables, with small counts as <5 and what would give them away as x, and exports them as CSV', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  const from = dayFromToday(0);
  const to = dayFromToday(7);
  const { names, phones } = await seedPractice(page, therapistIds.victims, dayFromToday(1));

  await switchUser(page, harness, ADMIN);
  await page.getByRole('link', { name: 'Statistik' }).click();
  await expect(page.getByRole('heading', { name: 'Statistik', level: 1 })).toBeVisible();
  await expectAccessible(page);

  // A period that ends before it starts: the message stands next to the end date, and what was typed stays.
  await page.getByLabel('Från och med').fill('2031-03-10');
  await page.getByLabel('Till och med').fill('2031-03-01');
  await page.getByRole('button', { name: 'Visa statistik' }).click();
  await expect(page.locator('#stats-to-error')).toHaveText('Slutdatumet måste vara samma dag som startdatumet eller senare.');
  await expect(page.getByLabel('Till och med')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Från och med')).toHaveValue('2031-03-10');
  await expect(page.getByTestId('stats-report')).toHaveCount(0);
  await shot(page, 'stats-period-error');
  await expectAccessible(page);

  // A date that only looks right.
  await page.getByLabel('Från och med').fill('2031-02-31');
  await page.getByRole('button', { name: 'Visa statistik' }).click();
  await expect(page.locator('#stats-from-error')).toHaveText('Det datumet finns inte i kalendern.');

  // A quick choice fills a whole calendar period and shows it at once: last year holds nothing of this.
  await page.getByRole('button', { name: 'Förra året' }).click();
  const lastYear = Number(from.slice(0, 4)) - 1;
  await expect(page.getByLabel('Från och med')).toHaveValue(`${lastYear}-01-01`);
  await expect(page.getByLabel('Till och med')).toHaveValue(`${lastYear}-12-31`);
  await expect(page.getByRole('heading', { name: `${lastYear}-01-01 – ${lastYear}-12-31, Båda enheterna` })).toBeVisible();
  await expect(page.getByTestId('stats-first-contacts')).toHaveText('0');
  await expect(page.getByTestId('stats-referrals')).toContainText('Inget att visa för perioden.');

  // The quarter before this one, whole months from its first to its last day.
  await page.getByRole('button', { name: 'Förra kvartalet' }).click();
  const quarter = previousQuarter(from);
  await expect(page.getByLabel('Från och med')).toHaveValue(quarter.from);
  await expect(page.getByLabel('Till och med')).toHaveValue(quarter.to);
  await expect(page.getByRole('heading', { name: `${quarter.from} – ${quarter.to}, Båda enheterna` })).toBeVisible();

  // The week with the seeded practice, at Skaraborg.
  await page.getByLabel('Från och med').fill(from);
  await page.getByLabel('Till och med').fill(to);
  await page.getByLabel('Enhet', { exact: true }).selectOption({ label: 'Utväg Skaraborg' });
  await page.getByRole('button', { name: 'Visa statistik' }).click();
  await expect(page.getByRole('heading', { name: `${from} – ${to}, Utväg Skaraborg` })).toBeVisible();

  // Eight first contacts are shown, so each 6 beside a "<5" would give it away (8 − 6 = 2): those 6s read "x".
  await expect(page.getByTestId('stats-first-contacts')).toHaveText('8');
  // 5 done are shown and 16,7 % would make the missed visits exactly 1: the rate is hidden instead.
  await expect(page.getByTestId('stats-no-show-rate')).toHaveText('x');
  await expect(page.getByText('x: dolt så att små tal inte kan räknas fram.').first()).toBeVisible();
  await expect(page.getByTestId('stats-median-days')).toHaveText(/^\d+(,\d)? dag(ar)?$/);

  await expectRow(page, 'Klienter per spår, nya och fortsatta', 'Våldsutsatt', ['x', '0']);
  await expectRow(page, 'Klienter per spår, nya och fortsatta', 'Våldsutövare', ['<5', '0']);
  await expectRow(page, 'Klienter per kommun', 'Lidköping', ['1494', 'x']);
  await expectRow(page, 'Klienter per kommun', 'Skövde', ['1496', '<5']);
  await expectRow(page, 'Första kontakter per remissväg', 'Polisen', ['x']);
  await expectRow(page, 'Första kontakter per remissväg', 'Egen kontakt', ['<5']);
  await expectRow(page, 'Tider per typ (rader) och status (kolumner)', 'Första besök', ['0', '0', '0', '5', '<5', '0']);
  await expectRow(page, 'Första kontakter per beslut om uppsökande arbete', 'Etapp 2: kommunens socialsekreterare gör det uppsökande arbetet', ['x']);
  await expectRow(page, 'Första kontakter per beslut om uppsökande arbete', 'Inget uppsökande arbete (inte en polisanmälan)', ['<5']);
  // Each "x" is explained next to its table; the appointments have none.
  await expect(page.getByTestId('stats-referrals')).toContainText('x: dolt så att små tal inte kan räknas fram.');
  await expect(page.getByTestId('stats-appointments').locator('.stats-hidden-note')).toHaveCount(0);

  // Every dimension is drawn as a chart; a suppressed count is a striped bar labelled <5, a hidden one a dashed box
  // with no length labelled x: never their values.
  for (const dimension of ['tracks', 'municipalities', 'referrals', 'appointments', 'routings']) {
    const chart = page.getByTestId(`stats-${dimension}-chart`);
    await expect(chart.locator('svg.recharts-surface')).toBeVisible();
    expect(await chart.locator('path.stats-bar').count()).toBeGreaterThan(0);
  }
  const referrals = page.getByTestId('stats-referrals-chart');
  await expect(referrals.locator('path.stats-bar')).toHaveCount(2);
  await expect(referrals.locator('path.stats-bar--suppressed')).toHaveCount(1);
  await expect(referrals.locator('path.stats-bar--hidden')).toHaveCount(1);
  await expect(referrals.locator('.recharts-label-list text')).toHaveText(['<5', 'x']);
  await expect(referrals.locator('[role="img"]')).toHaveAttribute('aria-label', /Egen kontakt färre än 5, Polisen dolt/);
  await expect(referrals).toContainText('Randig stapel: färre än 5 (1–4).');
  await expect(referrals).toContainText('Streckad ruta: x, dolt så att små tal inte kan räknas fram.');
  // The hidden box is as short as any other: its size says nothing about the count.
  const boxes = await referrals
    .locator('path.stats-bar--hidden')
    .evaluateAll((paths) => paths.map((path) => (path as unknown as { getBBox(): { width: number } }).getBBox().width));
  expect(boxes).toEqual([18]);
  await expect(page.getByTestId('stats-appointments-chart').locator('path.stats-bar--suppressed')).toHaveCount(1);
  await expect(page.getByTestId('stats-appointments-chart').locator('path.stats-bar--hidden')).toHaveCount(0);

  await expect(page.getByTestId('stats-report')).not.toContainText('Påhittsdotter');
  await expect(page.getByTestId('stats-report')).not.toContainText('070-000');
  // Nothing wider than the window at 1280 × 800.
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await shot(page, 'stats-report-sv');
  await sectionShots(page, 'stats-sv');
  await expectAccessible(page);

  // The CSV: the same figures, <5 for small counts, x for hidden ones with what x means, and nothing that points at a person.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exportera CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`statistik_${from}_${to}_skaraborg.csv`);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv).toContain('remissvag,self,<5');
  expect(csv).toContain('remissvag,police,x');
  expect(csv).toContain('forsta_kontakter,alla,8');
  expect(csv).toContain('etapp2_routing,etapp2_social_secretary,x');
  expect(csv).toContain('tider,first_visit:done,5');
  expect(csv).toContain('tider,first_visit:no_show,<5');
  expect(csv).toContain('uteblivna_procent,alla,x');
  expect(csv).toContain('forklaring,x,dolt så att små tal inte kan räknas fram');
  for (const secret of [...names, ...phones, 'Påhittsdotter', 'Låtsasson', '070-000', 'Fritext', 'Blåklint', 'vårdcentralen']) {
    expect(csv).not.toContain(secret);
  }
  await expect(page.getByText(`Statistiken sparades som statistik_${from}_${to}_skaraborg.csv.`)).toBeVisible();

  // The same screen in English.
  await page.getByLabel('Språk').selectOption('en');
  await expect(page.getByRole('heading', { name: 'Statistics', level: 1 })).toBeVisible();
  await expect(page.getByTestId('stats-no-show-rate')).toHaveText('x');
  await expectRow(page, 'First contacts by referral source', 'Police', ['x']);
  await expectRow(page, 'First contacts by referral source', 'Self-referral', ['<5']);
  await expect(page.getByTestId('stats-referrals')).toContainText('x: hidden so that small counts cannot be worked out.');
  await expect(page.getByTestId('stats-referrals-chart')).toContainText('Dashed box: x, hidden so that small counts cannot be worked out.');
  await shot(page, 'stats-report-en');
  await expectAccessible(page);
});

test('the charts fit the window at 1024 wide and are drawn for print', async ({ page, harness, problems }) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  await seedPractice(page, therapistIds.victims, dayFromToday(1));
  await switchUser(page, harness, ADMIN);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.getByRole('link', { name: 'Statistik' }).click();
  await page.getByLabel('Från och med').fill(dayFromToday(0));
  await page.getByLabel('Till och med').fill(dayFromToday(7));
  await page.getByRole('button', { name: 'Visa statistik' }).click();
  await expect(page.getByTestId('stats-first-contacts')).toHaveText('8');

  // Nothing wider than the window: no sideways scrolling of the page.
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  for (const chart of await page.locator('.stats-chart svg.recharts-surface').all()) {
    const box = (await chart.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
    expect(box.width).toBeGreaterThan(300);
  }
  await shot(page, 'stats-report-1024');
  await sectionShots(page, 'stats-1024');
  await expectAccessible(page);

  // On paper the period form and buttons go; the charts stay, with their bars.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.stats-period')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Exportera CSV' })).toBeHidden();
  for (const chart of await page.locator('.stats-chart svg.recharts-surface').all()) {
    await expect(chart).toBeVisible();
    const box = (await chart.boundingBox())!;
    expect(box.width).toBeGreaterThan(300);
  }
  expect(await page.locator('.stats-chart path.stats-bar').count()).toBeGreaterThan(8);
  await shot(page, 'stats-print');
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
});

test('a period whose few first contacts would be 1 each is not shown, and says why', async ({ page, harness, problems }) => {
  void problems;
  await prepareReception(page, harness);
  // Four women from four referral sources, none reported by the police, all from Skövde: the sources would be 1 each.
  for (const [i, referralSource] of ['self', 'social_services', 'primary_care', 'hospital'].entries()) {
    await invokeOk(page, 'intake.register', intakeInput('victim', `Fåtalig Låtsasdotter ${i}`, { referralSource }));
  }
  await switchUser(page, harness, ADMIN);
  await page.getByRole('link', { name: 'Statistik' }).click();
  // Last year is shown first, with nothing in it; then the week with the four.
  await page.getByRole('button', { name: 'Förra året' }).click();
  await expect(page.getByTestId('stats-report')).toBeVisible();
  await page.getByLabel('Från och med').fill(dayFromToday(0));
  await page.getByLabel('Till och med').fill(dayFromToday(7));
  await page.getByRole('button', { name: 'Visa statistik' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Perioden har så få första kontakter att enskilda antal skulle gå att räkna fram ur statistiken, även med ”<5” och ”x”. Välj en längre period (eller båda enheterna, om en enhet är vald).',
  );
  // Last year's figures do not stay under a message about this week, and what was typed stays.
  await expect(page.getByTestId('stats-report')).toHaveCount(0);
  await expect(page.getByLabel('Från och med')).toHaveValue(dayFromToday(0));
  await shot(page, 'stats-too-few');
  await expectAccessible(page);
});
