import type { Locator, Page } from '@playwright/test';
import {
  bookAppointment,
  expect,
  expectAccessible,
  expectSegmented,
  fillSegmented,
  invokeOk,
  prepareReception,
  segmented,
  switchUser,
  test,
  THERAPISTS,
} from './harness.js';
import { intakeInput } from '../fixtures/intake.js';

// Far in the future, so that "now" never hides a proposal or a day. 2031-11-17 is the Monday of week 47.
const MONDAY = '2031-11-17';
const TUESDAY = '2031-11-18';
const WEDNESDAY = '2031-11-19';
const THURSDAY = '2031-11-20';
const FRIDAY = '2031-11-21';
const SCREENSHOTS = process.env.SCHEDULE_SCREENSHOTS;
// Each test walks a whole desk task through the calendar with an accessibility check at every state.
test.describe.configure({ timeout: 120_000 });

type Track = 'victim' | 'perpetrator' | 'child';

const intake = (track: 'victim' | 'perpetrator' | 'child', name: string, extra: Record<string, unknown> = {}) =>
  intakeInput(track, name, { birthYear: 1984, ...extra });

async function newClient(page: Page, track: Track, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const result = await invokeOk<{ clientId: string }>(page, 'intake.register', intake(track, name, extra));
  return result.clientId;
}

async function openSchedule(page: Page, harness: { url: string }, query: string): Promise<void> {
  await page.goto(`${new URL(harness.url).origin}/#/schedule?${query}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Schema' })).toBeVisible();
}

async function shoot(page: Page, name: string, target?: Locator): Promise<void> {
  if (!SCREENSHOTS) return;
  const path = `${SCREENSHOTS}/${name}.png`;
  if (target) await target.screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
}

/** The error text tied to a field through aria-describedby: "next to the field" for people and for screen readers. */
async function errorOf(field: Locator): Promise<string> {
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter((id) => id.endsWith('-error'));
  if (ids.length === 0) return '';
  return (await field.page().locator(`[id="${ids[0]}"]`).textContent()) ?? '';
}

test('a receptionist books a victim-side client from a proposed slot; a clash is refused next to the field', async ({ page, harness, problems }) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  await newClient(page, 'victim', 'Filippa Fiktivsdotter');
  await newClient(page, 'victim', 'Greta Påhittsson');
  await openSchedule(page, harness, `view=day&date=${TUESDAY}`);

  await expect(page.getByRole('heading', { level: 2, name: /^Tisdag 2031-11-18/ })).toBeVisible();
  await expect(page.getByText('Inga tider den här dagen.')).toBeVisible();
  await expectAccessible(page);

  // From the keyboard: N opens the booking, the search field takes the name, arrows and Enter choose.
  await page.getByRole('heading', { level: 2, name: /^Tisdag 2031-11-18/ }).click();
  await page.keyboard.press('n');
  const panel = page.getByRole('region', { name: 'Ny bokning' });
  await expect(panel.getByRole('heading', { name: 'Ny bokning' })).toBeFocused();
  await panel.getByLabel('Sök klient').fill('Filippa');
  // Discreet mode is on at the desk: the match shows initials.
  await expect(page.getByRole('option', { name: /F\. F\./ })).toBeVisible();
  await panel.getByLabel('Sök klient').press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(panel.getByTestId('chosen-client')).toContainText('F. F.');
  await expect(panel.getByTestId('chosen-client')).not.toContainText('Filippa');
  // The only therapist of the victims' side at the site is chosen already.
  await expect(panel.getByLabel('Behandlare')).toHaveValue(therapistIds.victims);
  await expect(panel.getByLabel('Längd (min)')).toHaveValue('60');
  await expectSegmented(segmented(panel, 'Datum'), TUESDAY);

  await panel.getByRole('button', { name: 'Föreslå tider' }).click();
  const proposals = panel.getByRole('listbox', { name: 'Föreslagna tider' }).getByRole('option');
  await expect(proposals.first()).toContainText('Tisdag 2031-11-18 07:00–08:00');
  await expect(proposals.nth(1)).toContainText('Tisdag 2031-11-18 08:00–09:00');
  await expectAccessible(page);
  await shoot(page, 'booking-proposals', panel);
  await proposals.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(proposals.nth(1)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(panel.getByText('Vald tid: Tisdag 2031-11-18 08:00–09:00')).toBeVisible();
  await expectSegmented(segmented(panel, 'Starttid'), '08:00');
  await expect(panel.getByLabel('Rum')).not.toHaveValue('');
  await expect(panel.getByRole('button', { name: 'Boka' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(panel.getByText('Bokat: Tisdag 2031-11-18 08:00–09:00.')).toBeVisible();
  await expectAccessible(page);

  const row = page.getByTestId('appointment-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('08:00–09:00');
  await expect(row).toContainText('Enskilt samtal');
  await expect(row).toContainText('F. F.');
  // The grid's column names the therapist; the block shows the room, and a plain booking needs no status badge.
  await expect(page.getByTestId(`therapist-column-${therapistIds.victims}`).getByTestId('appointment-row')).toHaveCount(1);
  await expect(page.getByTestId(`therapist-column-${therapistIds.victims}`)).toContainText('Vera Behandlarsson');
  await expect(row).toHaveAttribute('data-status', 'booked');

  // A second booking on top of the first is refused next to the right field, and what was typed stays.
  await panel.getByRole('button', { name: 'Boka en till' }).click();
  await panel.getByLabel('Sök klient').fill('Greta');
  await page.getByRole('option', { name: /G\. P\./ }).click();
  await panel.getByLabel('Rum').selectOption({ label: 'Samtalsrum 2' });
  await fillSegmented(segmented(panel, 'Starttid'), '08:30');
  await panel.getByLabel('Anteckning till bokningen (valfri)').fill('Tolk behövs');
  await panel.getByRole('button', { name: 'Boka' }).click();
  const therapistField = panel.getByLabel('Behandlare');
  await expect.poll(() => errorOf(therapistField)).toContain('Behandlaren är upptagen då.');
  await expect(therapistField).toHaveAttribute('aria-invalid', 'true');
  await expectSegmented(segmented(panel, 'Starttid'), '08:30');
  await expect(panel.getByLabel('Anteckning till bokningen (valfri)')).toHaveValue('Tolk behövs');
  await expect(panel.getByTestId('chosen-client')).toContainText('G. P.');
  await expectAccessible(page);
  await shoot(page, 'booking-error', panel);
  await panel.getByRole('button', { name: 'Stäng' }).click();
  await expect(panel).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Ny bokning' })).toBeFocused();
});

test('a receptionist moves, extends and cancels an appointment, with refusals next to the field', async ({ page, harness, problems }) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  const filippa = await newClient(page, 'victim', 'Filippa Fiktivsdotter');
  const greta = await newClient(page, 'victim', 'Greta Påhittsson');
  await bookAppointment(page, {
    side: 'victims',
    clientId: filippa,
    therapistId: therapistIds.victims,
    date: TUESDAY,
    start: '08:00',
    roomId: 'skaraborg-r1',
  });
  await bookAppointment(page, {
    side: 'victims',
    clientId: greta,
    therapistId: therapistIds.victims,
    date: TUESDAY,
    start: '10:00',
    roomId: 'skaraborg-r2',
  });
  await openSchedule(page, harness, `view=day&date=${TUESDAY}`);
  const rows = page.getByTestId('appointment-row');
  await expect(rows).toHaveCount(2);

  // Open from the keyboard: focus the first appointment in the grid, Enter.
  await rows.first().focus();
  await page.keyboard.press('Enter');
  const details = page.getByTestId('appointment-panel');
  await expect(details.getByRole('heading', { name: 'Tid: Tisdag 2031-11-18 08:00–09:00' })).toBeFocused();
  await expect(rows.first()).toHaveAttribute('aria-current', 'true');
  await expectAccessible(page);

  // Extending into the therapist's next appointment is refused next to the therapist, and the typed values stay.
  await fillSegmented(segmented(details, 'Starttid'), '09:30');
  await details.getByLabel('Längd (min)').fill('90');
  await details.getByRole('button', { name: 'Spara ändringen' }).click();
  await expect.poll(() => errorOf(details.getByLabel('Behandlare'))).toContain('Behandlaren är upptagen då.');
  await expectSegmented(segmented(details, 'Starttid'), '09:30');
  await expect(details.getByLabel('Längd (min)')).toHaveValue('90');
  await expectAccessible(page);
  await shoot(page, 'move-error', details);

  await fillSegmented(segmented(details, 'Starttid'), '11:00');
  await details.getByRole('button', { name: 'Spara ändringen' }).click();
  await expect(details.getByText('Ändrat till Tisdag 2031-11-18 11:00–12:30.')).toBeVisible();
  await expect(rows.filter({ hasText: 'F. F.' })).toContainText('11:00–12:30');
  await expect(rows.first()).toContainText('G. P.');

  // Moving to another day takes the schedule along.
  await fillSegmented(segmented(details, 'Datum'), THURSDAY);
  await details.getByRole('button', { name: 'Spara ändringen' }).click();
  await expect(details.getByText('Ändrat till Torsdag 2031-11-20 11:00–12:30.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /^Torsdag 2031-11-20/ })).toBeVisible();
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('11:00–12:30');

  // Cancelling needs a reason, given next to the field.
  await details.getByRole('button', { name: 'Avboka tiden' }).click();
  await expect.poll(() => errorOf(details.getByLabel('Skäl till avbokningen'))).toContain('Fyll i fältet.');
  await expectAccessible(page);
  await details.getByLabel('Skäl till avbokningen').fill('Klienten ringde och avbokade');
  await details.getByRole('button', { name: 'Avboka tiden' }).click();
  await expect(details.getByText('Tiden är avbokad.')).toBeVisible();
  await expect(details.getByRole('button', { name: 'Spara ändringen' })).toHaveCount(0);
  await expect(details).toContainText('Klienten ringde och avbokade');
  // Still on the schedule, but subdued and marked as cancelled.
  await expect(rows).toContainText('Avbokad');
  await expect(rows).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByText('0 tider')).toBeVisible();
  await expectAccessible(page);
});

test('a first call by phone needs no room; a consultation needs no client', async ({ page, harness, problems }) => {
  void problems;
  await prepareReception(page, harness);
  await newClient(page, 'victim', 'Hedda Hittepå');
  await openSchedule(page, harness, `view=day&date=${WEDNESDAY}`);
  await page.getByRole('button', { name: 'Ny bokning' }).click();
  const panel = page.getByRole('region', { name: 'Ny bokning' });

  // Without a client the booking is refused before it leaves the screen, next to the client field.
  await panel.getByLabel('Typ av tid').selectOption({ label: 'Första samtal (telefon)' });
  await expect(panel.getByLabel('Längd (min)')).toHaveValue('30');
  await fillSegmented(segmented(panel, 'Starttid'), '09:15');
  await panel.getByRole('button', { name: 'Boka' }).click();
  await expect.poll(() => errorOf(panel.getByLabel('Sök klient'))).toContain('Välj en klient.');
  await expectAccessible(page);
  await panel.getByLabel('Sök klient').fill('Hedda');
  await page.getByRole('option', { name: /H\. H\./ }).click();
  await expect(panel.getByLabel('Rum')).toHaveValue('');
  await expect(panel.getByLabel('Rum').locator('option:checked')).toHaveText('Inget rum (per telefon)');
  await panel.getByRole('button', { name: 'Boka' }).click();
  await expect(panel.getByText('Bokat: Onsdag 2031-11-19 09:15–09:45.')).toBeVisible();
  await expect(page.getByTestId('appointment-row')).toContainText('Telefon');

  // A consultation for a professional, without a client; a visit kind needs a room.
  await panel.getByRole('button', { name: 'Boka en till' }).click();
  await panel.getByLabel('Typ av tid').selectOption({ label: 'Enskilt samtal' });
  await fillSegmented(segmented(panel, 'Starttid'), '13:00');
  await panel.getByRole('button', { name: 'Boka' }).click();
  await expect.poll(() => errorOf(panel.getByLabel('Rum'))).toContain('Välj ett rum.');
  await panel.getByLabel('Typ av tid').selectOption({ label: 'Konsultation' });
  await panel.getByLabel('Rum').selectOption({ label: 'Samtalsrum 3' });
  await panel.getByRole('button', { name: 'Boka' }).click();
  await expect(panel.getByText('Bokat: Onsdag 2031-11-19 13:00–14:00.')).toBeVisible();
  const consultation = page.getByTestId('appointment-row').filter({ hasText: 'Konsultation' });
  await expect(consultation).toContainText('Ingen klient');
  await expect(consultation).toContainText('Samtalsrum 3');
  await expectAccessible(page);
});

test('status at the desk: arrived, in session, done; no-show and back', async ({ page, harness, problems }) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  const client = await newClient(page, 'child', 'Barnet Fiktivsson');
  await bookAppointment(page, {
    side: 'victims',
    clientId: client,
    therapistId: therapistIds.victims,
    date: MONDAY,
    start: '09:00',
    roomId: 'skaraborg-r1',
  });
  await openSchedule(page, harness, `view=day&date=${MONDAY}`);
  await page.getByRole('button', { name: 'Öppna 09:00–10:00' }).click();
  const details = page.getByTestId('appointment-panel');
  await details.getByRole('button', { name: 'Uteblev' }).click();
  await expect(details.getByText('Status ändrad till ”Uteblev”.')).toBeVisible();
  await expect(page.getByTestId('appointment-row')).toContainText('Uteblev');
  await details.getByRole('button', { name: 'Tillbaka till bokad' }).click();
  await details.getByRole('button', { name: 'Anländ' }).click();
  await expect(page.getByTestId('appointment-row')).toContainText('Anländ');
  // The keyboard stays on the next step.
  await expect(details.getByRole('button', { name: 'Pågår' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('appointment-row')).toContainText('Pågår');
  await details.getByRole('button', { name: 'Klar' }).click();
  await expect(page.getByTestId('appointment-row')).toContainText('Klar');
  await expect(details.getByText('Tiden är avslutad eller avbokad och kan inte flyttas.')).toBeVisible();
  await expectAccessible(page);
});

test('the perpetrators’ side gets only a neutral refusal near a linked victim’s appointment', async ({ page, harness, problems }) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  const victim = await newClient(page, 'victim', 'Viktoria Fiktivsdotter');
  await newClient(page, 'perpetrator', 'Peder Påhittsson', { links: [{ clientId: victim, kind: 'former_partner' }] });
  await bookAppointment(page, {
    side: 'victims',
    clientId: victim,
    therapistId: therapistIds.victims,
    date: TUESDAY,
    start: '10:00',
    roomId: 'skaraborg-r1',
  });

  await openSchedule(page, harness, `view=day&date=${TUESDAY}`);
  await expect(page.getByTestId('appointment-row')).toHaveCount(1);
  await page.getByRole('button', { name: 'Byt sida: Utövarsidan' }).click();
  await expect(page.getByTestId('current-side')).toHaveText('Utövarsidan');
  // The other side's appointment is not on this side's schedule.
  await expect(page.getByText('Inga tider den här dagen.')).toBeVisible();
  await expect(page.getByTestId('appointment-row')).toHaveCount(0);

  await page.getByRole('button', { name: 'Ny bokning' }).click();
  const panel = page.getByRole('region', { name: 'Ny bokning' });
  await panel.getByLabel('Sök klient').fill('Peder');
  await page.getByRole('option', { name: /P\. P\./ }).click();
  await expect(panel.getByLabel('Behandlare')).toHaveValue(therapistIds.perpetrators);
  await panel.getByLabel('Rum').selectOption({ label: 'Samtalsrum 2' });
  await fillSegmented(segmented(panel, 'Starttid'), '12:30');
  await panel.getByRole('button', { name: 'Boka' }).click();

  const start = segmented(panel, 'Starttid');
  await expect.poll(() => errorOf(start)).toContain('Tiden är inte tillgänglig. Välj en annan tid.');
  await expect(start.getByRole('spinbutton').first()).toHaveAttribute('aria-invalid', 'true');
  await expectSegmented(start, '12:30');
  // Nothing on the screen tells this side that a linked person has an appointment, nor who.
  const body = page.locator('body');
  await expect(body).not.toContainText('Viktoria');
  await expect(body).not.toContainText('Fiktivsdotter');
  await expect(body).not.toContainText('V. F.');
  await expect(body).not.toContainText('kopplad person');
  await expect(body).not.toContainText('säkerhetsavståndet');
  await expectAccessible(page);
  await shoot(page, 'perpetrators-refusal', panel);

  // The slot finder keeps him out of the buffer around her appointment (10:00–11:00, 120 minutes either side).
  await panel.getByRole('button', { name: 'Föreslå tider' }).click();
  const proposals = panel.getByRole('listbox', { name: 'Föreslagna tider' }).getByRole('option');
  await expect(proposals.first()).toBeVisible();
  const texts = await proposals.allTextContents();
  const sameDay = texts.filter((text) => text.includes(TUESDAY)).map((text) => /(\d\d:\d\d)–/.exec(text)![1]!);
  expect(sameDay.length).toBeGreaterThan(0);
  for (const time of sameDay) expect(time <= '07:00' || time >= '13:00').toBe(true);
  await proposals.filter({ hasText: `${TUESDAY} 13:00` }).click();
  await panel.getByRole('button', { name: 'Boka' }).click();
  await expect(panel.getByText('Bokat: Tisdag 2031-11-18 13:00–14:00.')).toBeVisible();
  await expect(page.getByTestId('appointment-row')).toHaveCount(1);
  await expect(page.getByTestId('appointment-row')).toContainText('P. P.');

  // His own therapist busy at 13:30 reads exactly the same, next to the same field: the neutral answer is no signal.
  await panel.getByRole('button', { name: 'Boka en till' }).click();
  await panel.getByLabel('Sök klient').fill('Peder');
  await page.getByRole('option', { name: /P\. P\./ }).click();
  await panel.getByLabel('Rum').selectOption({ label: 'Samtalsrum 3' });
  await fillSegmented(segmented(panel, 'Starttid'), '13:30');
  await panel.getByRole('button', { name: 'Boka' }).click();
  await expect.poll(() => errorOf(segmented(panel, 'Starttid'))).toContain('Tiden är inte tillgänglig. Välj en annan tid.');
  await expect(panel.getByLabel('Behandlare')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(body).not.toContainText('Behandlaren är upptagen');

  // Back on the victims' side: her appointment, never his. The refused booking is still open with his
  // name chosen, so the switch asks first (issue 15) and is confirmed.
  await page.getByRole('button', { name: 'Byt sida: Utsattsidan' }).click();
  await page.getByTestId('side-switch-dialog').getByRole('button', { name: 'Byt till Utsattsidan' }).click();
  await expect(page.getByTestId('appointment-row')).toHaveCount(1);
  await expect(page.getByTestId('appointment-row')).toContainText('V. F.');
  await expect(body).not.toContainText('Peder');
  await expect(body).not.toContainText('P. P.');
});

test('the week view shows this side only, Monday first; discreet mode shows initials and V reveals one row', async ({ page, harness, problems }) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  const vilma = await newClient(page, 'victim', 'Vilma Veckosson');
  const palle = await newClient(page, 'perpetrator', 'Palle Påhittad');
  await bookAppointment(page, {
    side: 'victims',
    clientId: vilma,
    therapistId: therapistIds.victims,
    date: TUESDAY,
    start: '09:00',
    roomId: 'skaraborg-r1',
  });
  await bookAppointment(page, {
    side: 'victims',
    clientId: vilma,
    therapistId: therapistIds.victims,
    date: THURSDAY,
    start: '13:00',
    roomId: 'skaraborg-r3',
  });
  const cancelled = await bookAppointment(page, {
    side: 'victims',
    clientId: vilma,
    therapistId: therapistIds.victims,
    date: FRIDAY,
    start: '08:00',
    roomId: 'skaraborg-r1',
  });
  await invokeOk(page, 'appointments.cancel', { side: 'victims', appointmentId: cancelled, reason: 'Klienten är sjuk' });
  await bookAppointment(page, {
    side: 'perpetrators',
    clientId: palle,
    therapistId: therapistIds.perpetrators,
    date: WEDNESDAY,
    start: '09:00',
    roomId: 'skaraborg-r2',
  });

  await openSchedule(page, harness, `view=day&date=${WEDNESDAY}`);
  await page.getByRole('button', { name: 'Vecka', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Vecka 47: 2031-11-17 – 2031-11-23' })).toBeVisible();
  // Seven days from Monday.
  const dayHeadings = page.getByTestId('week-grid').getByRole('heading', { level: 3 });
  await expect(dayHeadings).toHaveCount(7);
  await expect(dayHeadings.first()).toContainText(/mån\s*11-17/i);
  await expect(dayHeadings.last()).toContainText(/sön\s*11-23/i);

  const cards = page.getByTestId('appointment-card');
  await expect(cards).toHaveCount(3);
  await expect(page.getByTestId(`week-day-${WEDNESDAY}`)).toContainText('Inga tider');
  await expect(page.getByTestId(`week-day-${TUESDAY}`)).toContainText('09:00–10:00');
  await expect(page.getByTestId(`week-day-${FRIDAY}`).getByTestId('appointment-card')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByTestId(`week-day-${FRIDAY}`)).toContainText('Avbokad');
  await expect(page.locator('body')).not.toContainText('Palle');
  await expect(page.locator('body')).not.toContainText('P. P.');
  await expect(page.locator('body')).not.toContainText('Vilma');
  await expect(cards.first()).toContainText('V. V.');
  await expectAccessible(page);
  await shoot(page, 'week-view');

  // V on a focused card shows that one name; moving on hides it again.
  await cards.first().focus();
  await page.keyboard.press('v');
  await expect(cards.first()).toContainText('Vilma Veckosson');
  await expect(cards.nth(1)).not.toContainText('Vilma');
  await cards.nth(1).focus();
  await expect(cards.first()).not.toContainText('Vilma');
  await expect(cards.first()).toContainText('V. V.');

  // Discreet mode off: names; on again: initials.
  await page.getByLabel('Diskret läge').uncheck();
  await expect(cards.first()).toContainText('Vilma Veckosson');
  await page.getByLabel('Diskret läge').check();
  await expect(page.locator('body')).not.toContainText('Vilma');

  // A room's schedule.
  await page.getByLabel('Visa schema för').selectOption({ label: 'Samtalsrum 3' });
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('13:00–14:00');
  await page.getByLabel('Visa schema för').selectOption({ label: 'Alla behandlare' });
  await expect(cards).toHaveCount(3);

  // The other side's week: his appointment, none of hers.
  await page.getByRole('button', { name: 'Byt sida: Utövarsidan' }).click();
  await expect(cards).toHaveCount(1);
  await expect(page.getByTestId(`week-day-${WEDNESDAY}`)).toContainText('P. P.');
  await expect(page.locator('body')).not.toContainText('V. V.');
  await expectAccessible(page);

  // The next week is empty; a day heading opens that day.
  await page.getByRole('button', { name: 'Nästa vecka' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Vecka 48: 2031-11-24 – 2031-11-30' })).toBeVisible();
  await expect(cards).toHaveCount(0);
  await page.keyboard.press('PageUp');
  await expect(page.getByRole('heading', { level: 2, name: 'Vecka 47: 2031-11-17 – 2031-11-23' })).toBeVisible();
  await page.getByRole('button', { name: /ons\s*11-19/i }).click();
  await expect(page.getByRole('heading', { level: 2, name: /^Onsdag 2031-11-19/ })).toBeVisible();
  await expect(page.getByTestId('appointment-row')).toContainText('P. P.');
});

test('a therapist sees their own schedule by default; a site without therapists says so', async ({ page, harness, problems }) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  const client = await newClient(page, 'victim', 'Tilda Terapisdotter');
  await bookAppointment(page, {
    side: 'victims',
    clientId: client,
    therapistId: therapistIds.victims,
    date: MONDAY,
    start: '11:00',
    roomId: 'skaraborg-r1',
  });

  // The receptionist at the other site: no therapists there, and so no booking.
  await openSchedule(page, harness, `view=day&date=${MONDAY}`);
  await page.getByLabel('Enhet').selectOption({ label: 'Utväg Södra Älvsborg' });
  await expect(page.getByText('Inga behandlare på den här sidan')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Ny bokning' })).toHaveCount(0);
  await expectAccessible(page);
  await page.getByLabel('Enhet').selectOption({ label: 'Utväg Skaraborg' });
  await expect(page.getByTestId('appointment-row')).toHaveCount(1);

  await switchUser(page, harness, THERAPISTS.victims);
  await openSchedule(page, harness, `date=${MONDAY}`);
  await expect(page.getByLabel('Visa schema för')).toHaveValue(`therapist:${therapistIds.victims}`);
  await expect(page.getByTestId('appointment-row')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Ny bokning' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Öppna 11:00–12:00' }).click();
  const details = page.getByTestId('appointment-panel');
  await expect(details.getByText('Receptionen flyttar och avbokar tider.')).toBeVisible();
  await details.getByRole('button', { name: 'Anländ' }).click();
  await expect(page.getByTestId('appointment-row')).toContainText('Anländ');
  await expectAccessible(page);
  await shoot(page, 'therapist-day');

  // The perpetrators' therapist starts on his side of the house.
  await switchUser(page, harness, THERAPISTS.perpetrators);
  await openSchedule(page, harness, `date=${MONDAY}`);
  await expect(page.getByTestId('current-side')).toHaveText('Utövarsidan');
  await expect(page.getByText('Inga tider den här dagen.')).toBeVisible();
  await expect(page.locator('body')).not.toContainText('T. T.');
});

test('screenshots of a busy day', async ({ page, harness, problems }) => {
  test.skip(!SCREENSHOTS, 'only when SCHEDULE_SCREENSHOTS names a folder');
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  const names = ['Anna Andersdotter', 'Berit Bengtsson', 'Cecilia Carlsson', 'Doris Dahlström', 'Eva Ekström'];
  const ids: string[] = [];
  for (const name of names) ids.push(await newClient(page, 'victim', name));
  const times = ['08:00', '09:30', '11:00', '13:00', '14:30'];
  const rooms = ['skaraborg-r1', 'skaraborg-r2', 'skaraborg-r3', 'skaraborg-r1', 'skaraborg-r2'];
  const booked: string[] = [];
  for (const [index, id] of ids.entries()) {
    booked.push(
      await bookAppointment(page, {
        side: 'victims',
        clientId: id,
        therapistId: therapistIds.victims,
        date: TUESDAY,
        start: times[index]!,
        roomId: rooms[index]!,
      }),
    );
    await bookAppointment(page, {
      side: 'victims',
      clientId: id,
      therapistId: therapistIds.victims,
      date: [MONDAY, WEDNESDAY, THURSDAY, FRIDAY, THURSDAY][index]!,
      start: times[(index + 2) % 5]!,
      roomId: rooms[index]!,
    });
  }
  await invokeOk(page, 'appointments.setStatus', { side: 'victims', appointmentId: booked[0], status: 'arrived' });
  await invokeOk(page, 'appointments.cancel', { side: 'victims', appointmentId: booked[3], reason: 'Klienten ringde' });
  await openSchedule(page, harness, `view=day&date=${TUESDAY}`);
  await expect(page.getByTestId('appointment-row')).toHaveCount(5);
  await shoot(page, 'day-view');
  await page.getByRole('button', { name: 'Öppna 09:30–10:30' }).click();
  await expect(page.getByTestId('appointment-panel')).toBeVisible();
  await shoot(page, 'appointment-panel');
  await page.getByRole('button', { name: 'Vecka', exact: true }).click();
  await page.getByTestId('appointment-panel').getByRole('button', { name: 'Stäng' }).click();
  await expect(page.getByTestId('appointment-card')).toHaveCount(10);
  await shoot(page, 'week-view-busy');
});
