import type { Locator, Page } from '@playwright/test';
import {
  ADMIN,
  bookAppointment,
  bookedClient,
  expect,
  expectAccessible,
  expectSegmented,
  fillSegmented,
  invokeOk,
  prepareReception,
  RECEPTIONIST,
  segmented,
  switchUser,
  test,
} from './harness.js';
import { intakeInput } from '../fixtures/intake.js';

// Far in the future, so that "now" never makes a slot past. 2031-11-17 is the Monday of week 47.
const MONDAY = '2031-11-17';
const TUESDAY = '2031-11-18';
const WEDNESDAY = '2031-11-19';
const SHOTS = '/tmp';

test.use({ viewport: { width: 1366, height: 768 } });
// Each test walks a whole desk task with an accessibility check at every state.
test.describe.configure({ timeout: 180_000 });

/** A first call as the calendar's tests register one (their clients are born in 1984). */
const intake = (track: 'victim' | 'perpetrator' | 'child', name: string, extra: Record<string, unknown> = {}) =>
  intakeInput(track, name, { birthYear: 1984, ...extra });

async function newClient(page: Page, track: 'victim' | 'perpetrator' | 'child', name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const result = await invokeOk<{ clientId: string }>(page, 'intake.register', intake(track, name, extra));
  return result.clientId;
}

/** A second therapist on the victims' side, working office hours on weekdays only, added by the admin. */
async function addOfficeHoursTherapist(page: Page, harness: Parameters<typeof switchUser>[1]): Promise<string> {
  await invokeOk(page, 'auth.login', { username: ADMIN.username, password: ADMIN.password });
  const created = await invokeOk<{ user: { id: string } }>(page, 'users.create', {
    displayName: 'Signe Samtalsdotter',
    username: 'signe.samtal',
    roles: ['therapist'],
  });
  await invokeOk(page, 'org.saveTherapist', {
    userId: created.user.id,
    siteId: 'skaraborg',
    tracks: ['victim'],
    hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '16:00' })),
  });
  await switchUser(page, harness, RECEPTIONIST);
  // The desk reads the premises when it starts, as a workstation does after an admin's change.
  await page.reload();
  return created.user.id;
}

/** The height of one hour in the grid, measured between two free slots an hour apart in a column. */
async function hourHeight(column: Locator): Promise<number> {
  const seven = (await column.locator('[data-testid="free-slot"][data-start="07:00"]').boundingBox())!;
  const eight = (await column.locator('[data-testid="free-slot"][data-start="08:00"]').boundingBox())!;
  return eight.y - seven.y;
}

async function openSchedule(page: Page, harness: { url: string }, query: string): Promise<void> {
  await page.goto(`${new URL(harness.url).origin}/#/schedule?${query}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Schema' })).toBeVisible();
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/calendar-${name}.png` });
}

test('the day as a time grid: therapists as columns, free gaps, booking a free slot by keyboard and by mouse', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  await bookedClient(page, intake('victim', 'Filippa Fiktivsdotter'), {
    therapistId: therapistIds.victims,
    date: TUESDAY,
    start: '09:00',
    roomId: 'skaraborg-r1',
  });
  await newClient(page, 'victim', 'Greta Påhittsson');
  await openSchedule(page, harness, `view=day&date=${TUESDAY}`);

  const grid = page.getByTestId('day-grid');
  const vera = grid.getByTestId(`therapist-column-${therapistIds.victims}`);
  await expect(vera).toContainText('Vera Behandlarsson');
  await expect(vera).toContainText('07:00–20:00');
  await expect(vera.getByTestId('appointment-row')).toContainText('09:00–10:00');
  await expect(vera.getByTestId('appointment-row')).toContainText('F. F.');
  // Free gaps: every half hour of her working day that is not booked, and none inside the booking.
  const free = vera.getByTestId('free-slot');
  await expect(free.first()).toHaveAttribute('data-start', '07:00');
  const starts = await free.evaluateAll((slots) => slots.map((slot) => slot.getAttribute('data-start')));
  expect(starts).toContain('08:30');
  expect(starts).toContain('10:00');
  expect(starts).not.toContain('09:00');
  expect(starts).not.toContain('09:30');
  expect(starts).toHaveLength(26 - 2);
  await expectAccessible(page);
  await shoot(page, 'day');

  // Keyboard: Tab into the grid, walk down to 10:00 with the arrows, Enter opens the booking on that time.
  await vera.locator('[data-start="08:30"]').focus();
  await page.keyboard.press('ArrowDown');
  await expect(vera.getByTestId('appointment-row')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(vera.locator('[data-testid="free-slot"][data-start="10:00"]')).toBeFocused();
  await page.keyboard.press('Enter');
  const panel = page.getByRole('region', { name: 'Ny bokning' });
  await expect(panel.getByRole('heading', { name: 'Ny bokning' })).toBeFocused();
  await expectSegmented(segmented(panel, 'Datum'), TUESDAY);
  await expectSegmented(segmented(panel, 'Starttid'), '10:00');
  await expect(panel.getByLabel('Behandlare')).toHaveValue(therapistIds.victims);
  await panel.getByLabel('Sök klient').fill('Greta');
  await page.getByRole('option', { name: /G\. P\./ }).click();
  await panel.getByLabel('Rum').selectOption({ label: 'Samtalsrum 2' });
  await panel.getByRole('button', { name: 'Boka' }).click();
  await expect(panel.getByText('Bokat: Tisdag 2031-11-18 10:00–11:00.')).toBeVisible();
  await expect(vera.getByTestId('appointment-row')).toHaveCount(2);
  await expect(vera.locator('[data-testid="free-slot"][data-start="10:00"]')).toHaveCount(0);
  await expectAccessible(page);
  await shoot(page, 'day-booked-by-keyboard');

  // Mouse: a click on a free slot opens the booking on it; the client chosen stays when another slot is clicked.
  await panel.getByRole('button', { name: 'Boka en till' }).click();
  await panel.getByLabel('Sök klient').fill('Filippa');
  await page.getByRole('option', { name: /F\. F\./ }).click();
  await vera.locator('[data-testid="free-slot"][data-start="13:00"]').click();
  await expectSegmented(segmented(panel, 'Starttid'), '13:00');
  await vera.locator('[data-testid="free-slot"][data-start="14:30"]').click();
  await expectSegmented(segmented(panel, 'Starttid'), '14:30');
  await expect(panel.getByTestId('chosen-client')).toContainText('F. F.');
  await panel.getByLabel('Rum').selectOption({ label: 'Samtalsrum 1' });
  await panel.getByRole('button', { name: 'Boka' }).click();
  await expect(panel.getByText('Bokat: Tisdag 2031-11-18 14:30–15:30.')).toBeVisible();
  await expect(vera.getByTestId('appointment-row')).toHaveCount(3);
  // A slot clicked after a booking starts the next one there, with no client carried over.
  await vera.locator('[data-testid="free-slot"][data-start="16:00"]').click();
  await expectSegmented(segmented(panel, 'Starttid'), '16:00');
  await expect(panel.getByLabel('Sök klient')).toHaveValue('');
  await expect(panel.getByTestId('chosen-client')).toHaveCount(0);
  await expectAccessible(page);
});

test('rooms as columns, the week as a time grid, and the mini month to jump with', async ({ page, harness, problems }) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  const signe = await addOfficeHoursTherapist(page, harness);
  const names = ['Anna Andersdotter', 'Berit Bengtsson', 'Cecilia Carlsson', 'Doris Dahlström'];
  const ids: string[] = [];
  for (const name of names) ids.push(await newClient(page, 'victim', name));
  const palle = await newClient(page, 'perpetrator', 'Palle Påhittad');
  await bookAppointment(page, { clientId: ids[0]!, therapistId: therapistIds.victims, date: TUESDAY, start: '08:00', roomId: 'skaraborg-r1' });
  await bookAppointment(page, { clientId: ids[1]!, therapistId: signe, date: TUESDAY, start: '09:30', roomId: 'skaraborg-r2', minutes: 90 });
  await bookAppointment(page, { clientId: ids[2]!, therapistId: therapistIds.victims, date: WEDNESDAY, start: '13:00', roomId: 'skaraborg-r3' });
  await bookAppointment(page, { clientId: ids[3]!, therapistId: signe, date: MONDAY, start: '10:00', roomId: 'skaraborg-r1' });
  await bookAppointment(page, {
    side: 'perpetrators',
    clientId: palle,
    therapistId: therapistIds.perpetrators,
    date: TUESDAY,
    start: '13:00',
    roomId: 'skaraborg-r2',
  });
  await openSchedule(page, harness, `view=day&date=${TUESDAY}`);

  const grid = page.getByTestId('day-grid');
  await expect(grid.getByTestId(`therapist-column-${signe}`)).toContainText('08:00–16:00');
  await expect(grid.getByTestId(`therapist-column-${signe}`).getByTestId('appointment-row')).toContainText('09:30–11:00');
  // The other side's appointment is nowhere, and its time shows free in room 2 as far as this side knows.
  await expect(page.locator('body')).not.toContainText('P. P.');
  await page.getByRole('button', { name: 'Rum', exact: true }).click();
  await expect(grid.getByTestId('room-column-skaraborg-r2').getByTestId('appointment-row')).toHaveCount(1);
  await expect(grid.getByTestId('room-column-skaraborg-r1').getByTestId('appointment-row')).toContainText('08:00–09:00');
  await expect(grid.getByTestId('room-column-skaraborg-r1').getByTestId('appointment-row')).toContainText('Vera B.');
  await expect(page.locator('body')).not.toContainText('P. P.');
  await expectAccessible(page);
  await shoot(page, 'day-rooms');

  // The week: seven days from Monday, appointments placed by time, free time shaded.
  await page.getByRole('button', { name: 'Vecka', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Vecka 47: 2031-11-17 – 2031-11-23' })).toBeVisible();
  const week = page.getByTestId('week-grid');
  await expect(week.getByRole('heading', { level: 3 })).toHaveCount(7);
  await expect(week.getByTestId('appointment-card')).toHaveCount(4);
  await expect(week.getByTestId(`week-day-${MONDAY}`)).toContainText('D. D.');
  await expect(week.getByTestId(`week-day-${TUESDAY}`).getByTestId('appointment-card')).toHaveCount(2);
  await expect(week.getByTestId(`week-day-${WEDNESDAY}`)).toContainText('13:00–14:00');
  await expect(week.getByTestId('week-day-2031-11-22')).toContainText('Inga tider');
  // Saturday: only Vera works, so her free time shows; Signe's hours do not make it free.
  await expect(week.getByTestId('week-day-2031-11-22').getByTestId('free-slot').first()).toHaveAttribute('data-start', '07:00');
  await expect(page.locator('body')).not.toContainText('P. P.');
  await expectAccessible(page);
  await shoot(page, 'week');

  // The mini month: the next month's arrow, then a day, opens that week.
  const month = page.getByTestId('mini-month');
  await month.getByRole('button', { name: 'Nästa månad' }).click();
  await month.getByRole('button', { name: 'onsdag 3 december 2031' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Vecka 49: 2031-12-01 – 2031-12-07' })).toBeVisible();
  await expect(week.getByTestId('appointment-card')).toHaveCount(0);
  // From the keyboard: arrows walk the days, Enter chooses.
  await month.getByRole('button', { name: 'onsdag 3 december 2031' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Vecka 50: 2031-12-08 – 2031-12-14' })).toBeVisible();
  await expectAccessible(page);
  await shoot(page, 'mini-month');
});

test('moving an appointment by dragging and by keyboard; a refusal on the perpetrators’ side stays neutral', async ({ page, harness, problems }) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  const victim = await newClient(page, 'victim', 'Viktoria Fiktivsdotter');
  const other = await newClient(page, 'victim', 'Olga Omflyttad');
  const perpetrator = await newClient(page, 'perpetrator', 'Peder Påhittsson', { links: [{ clientId: victim, kind: 'former_partner' }] });
  await bookAppointment(page, { clientId: other, therapistId: therapistIds.victims, date: TUESDAY, start: '09:00', roomId: 'skaraborg-r1' });
  await bookAppointment(page, { clientId: victim, therapistId: therapistIds.victims, date: TUESDAY, start: '15:00', roomId: 'skaraborg-r1' });
  await bookAppointment(page, {
    side: 'perpetrators',
    clientId: perpetrator,
    therapistId: therapistIds.perpetrators,
    date: TUESDAY,
    start: '09:00',
    roomId: 'skaraborg-r2',
  });
  await openSchedule(page, harness, `view=day&date=${TUESDAY}`);

  // Drag with the mouse: 09:00 down by an hour and a half.
  const vera = page.getByTestId(`therapist-column-${therapistIds.victims}`);
  const block = vera.locator('[data-testid="appointment-row"][data-start="09:00"]');
  const box = (await block.boundingBox())!;
  const hour = await hourHeight(vera);
  await page.mouse.move(box.x + box.width / 2, box.y + 5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + 5 + hour * 0.75, { steps: 4 });
  await page.mouse.move(box.x + box.width / 2, box.y + 5 + hour * 1.5, { steps: 4 });
  await expect(page.getByTestId('move-ghost')).toContainText('10:30–11:30');
  await shoot(page, 'drag');
  await page.mouse.up();
  await expect(page.getByTestId('move-outcome')).toContainText('Ändrat till Tisdag 2031-11-18 10:30–11:30.');
  await expect(vera.locator('[data-testid="appointment-row"][data-start="10:30"]')).toContainText('O. O.');
  // The drag was a move only: nothing opened, no booking started where the mouse let go.
  await expect(page.getByTestId('appointment-panel')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Ny bokning' })).toHaveCount(0);
  await expectAccessible(page);

  // Keyboard: M lifts, arrows move by a quarter of an hour, Escape puts it back, Enter puts it down.
  const moved = vera.locator('[data-testid="appointment-row"][data-start="10:30"]');
  await moved.focus();
  await page.keyboard.press('m');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('move-ghost')).toContainText('10:45–11:45');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('move-ghost')).toHaveCount(0);
  await expect(page.getByTestId('move-announcement')).toHaveText('Flytten ångrades.');
  await page.keyboard.press('m');
  for (let step = 0; step < 6; step += 1) await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('move-ghost')).toContainText('12:00–13:00');
  await expect(page.getByTestId('move-announcement')).toContainText('Vera Behandlarsson 12:00–13:00');
  await expectAccessible(page);
  await shoot(page, 'keyboard-move');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('move-outcome')).toContainText('Ändrat till Tisdag 2031-11-18 12:00–13:00.');
  await expect(vera.locator('[data-testid="appointment-row"][data-start="12:00"]')).toContainText('O. O.');

  // His side: dragging his 09:00 next to her 15:00 is refused with the neutral words, nothing about her.
  await page.getByRole('button', { name: 'Byt sida: Utövarsidan' }).click();
  await expect(page.getByTestId('current-side')).toHaveText('Utövarsidan');
  const per = page.getByTestId(`therapist-column-${therapistIds.perpetrators}`);
  const his = per.locator('[data-testid="appointment-row"][data-start="09:00"]');
  await his.focus();
  await page.keyboard.press('m');
  for (let step = 0; step < 16; step += 1) await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('move-ghost')).toContainText('13:00–14:00');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('move-refused')).toContainText('Tiden är inte tillgänglig');
  const body = page.locator('body');
  await expect(body).not.toContainText('Viktoria');
  await expect(body).not.toContainText('V. F.');
  await expect(body).not.toContainText('kopplad');
  await expect(body).not.toContainText('säkerhetsavstånd');
  await expect(per.locator('[data-testid="appointment-row"][data-start="09:00"]')).toHaveCount(1);
  await expectAccessible(page);
  await shoot(page, 'perpetrators-move-refused');
});

test('asking before booking or moving in the past or outside working hours', async ({ page, harness, problems }) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  const signe = await addOfficeHoursTherapist(page, harness);
  const client = await newClient(page, 'victim', 'Frida Frågvis');
  await openSchedule(page, harness, `view=day&date=${MONDAY}`);

  // A click on Signe's time off (after 16:00) opens the booking on it; Boka asks first, and No books nothing.
  const column = page.getByTestId(`therapist-column-${signe}`);
  await expect(column).toContainText('08:00–16:00');
  const body = (await column.locator('[data-column-body]').boundingBox())!;
  const hour = await hourHeight(page.getByTestId(`therapist-column-${therapistIds.victims}`));
  // The grid starts at 07:00 (Vera's hours): 17:00 is ten hours down.
  await column.locator('[data-column-body]').click({ position: { x: body.width / 2, y: hour * 10 + 2 } });
  const panel = page.getByRole('region', { name: 'Ny bokning' });
  await expectSegmented(segmented(panel, 'Starttid'), '17:00');
  await expect(panel.getByLabel('Behandlare')).toHaveValue(signe);
  await panel.getByLabel('Sök klient').fill('Frida');
  await page.getByRole('option', { name: /F\. F\./ }).click();
  await panel.getByLabel('Rum').selectOption({ label: 'Samtalsrum 1' });
  await panel.getByRole('button', { name: 'Boka' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Boka ändå?' });
  await expect(dialog).toContainText('Tiden ligger utanför arbetstiden för Signe Samtalsdotter.');
  await expect(dialog.getByRole('button', { name: 'Avbryt' })).toBeFocused();
  await expectAccessible(page);
  await shoot(page, 'ask-off-hours');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('appointment-row')).toHaveCount(0);
  await expectSegmented(segmented(panel, 'Starttid'), '17:00');

  // A date in the past: asked too; yes books it.
  await fillSegmented(segmented(panel, 'Datum'), '2020-03-02');
  await fillSegmented(segmented(panel, 'Starttid'), '09:00');
  await panel.getByRole('button', { name: 'Boka' }).click();
  await expect(dialog).toContainText('Tiden 2020-03-02 09:00 har redan varit.');
  await expect(dialog).not.toContainText('arbetstiden');
  await dialog.getByRole('button', { name: 'Boka ändå' }).click();
  await expect(panel.getByText('Bokat: Måndag 2020-03-02 09:00–10:00.')).toBeVisible();
  const past = await invokeOk<unknown[]>(page, 'schedule.range', {
    side: 'victims',
    siteId: 'skaraborg',
    from: '2020-03-02',
    days: 1,
    therapistId: null,
    roomId: null,
  });
  expect(past).toHaveLength(1);

  // Moving asks the same: Vera's appointment dragged into Signe's column after her hours.
  await bookAppointment(page, { clientId: client, therapistId: therapistIds.victims, date: MONDAY, start: '15:00', roomId: 'skaraborg-r2' });
  await page.getByRole('button', { name: 'Stäng' }).click();
  await page.goto(`${new URL(harness.url).origin}/#/schedule?view=day&date=${MONDAY}`);
  const vera = page.getByTestId(`therapist-column-${therapistIds.victims}`);
  const block = vera.locator('[data-testid="appointment-row"][data-start="15:00"]');
  await block.focus();
  await page.keyboard.press('m');
  // Columns are in name order: Signe's is to the left of Vera's.
  await page.keyboard.press('ArrowLeft');
  for (let step = 0; step < 4; step += 1) await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('move-announcement')).toContainText('Signe Samtalsdotter 16:00–17:00');
  await page.keyboard.press('Enter');
  const moveDialog = page.getByRole('alertdialog', { name: 'Flytta ändå?' });
  await expect(moveDialog).toContainText('utanför arbetstiden för Signe Samtalsdotter.');
  await expectAccessible(page);
  await moveDialog.getByRole('button', { name: 'Avbryt' }).click();
  await expect(vera.locator('[data-testid="appointment-row"][data-start="15:00"]')).toHaveCount(1);
  await expect(column.getByTestId('appointment-row')).toHaveCount(0);
});

test('a move is reported once the grid shows it, so the move form opened at once starts from where it now is', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  await bookedClient(page, intake('victim', 'Mona Flyttadotter'), {
    therapistId: therapistIds.victims,
    date: TUESDAY,
    start: '10:00',
    roomId: 'skaraborg-r1',
  });
  await openSchedule(page, harness, `view=week&date=${TUESDAY}`);
  const card = page.getByTestId('week-grid').getByTestId(`week-day-${TUESDAY}`).getByTestId('appointment-card');
  await expect(card).toHaveCount(1);

  // Hold the schedule's next read at the door: the move itself goes through, the grid's fresh read waits.
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  const reading = new Promise<void>((resolve) => {
    void page.route('**/__harness/invoke', async (route) => {
      const body = route.request().postDataJSON() as { channel: string };
      if (body.channel === 'schedule.range' && !held) {
        held = true;
        resolve();
        await released;
      }
      await route.continue();
    });
  });
  await card.focus();
  await page.keyboard.press('m');
  for (let step = 0; step < 4; step += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await reading;
  // Saved, but the grid has not read it yet: the desk is not told "moved" while the grid still shows 10:00.
  // (Half a second for the app to paint what it would wrongly say now.)
  const outcome = page.getByTestId('move-outcome');
  await page.waitForTimeout(500);
  await expect(outcome).toHaveText('');
  await expect(card).toHaveAttribute('data-start', '10:00');
  release();
  await expect(outcome).toContainText(`Ändrat till Tisdag ${TUESDAY} 11:00–12:00.`);
  await page.unroute('**/__harness/invoke');

  await card.focus();
  await page.keyboard.press('Enter');
  const details = page.getByTestId('appointment-panel');
  await expectSegmented(segmented(details, 'Starttid'), '11:00');
});

test('moving or booking onto a Swedish public holiday asks first: by keyboard, by dragging, in the move form and the booking', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  // Tuesday 2031-12-23, a working day; julafton is the Wednesday after it and juldagen the Thursday.
  await bookedClient(page, intake('victim', 'Hanna Helgesdotter'), {
    therapistId: therapistIds.victims,
    date: '2031-12-23',
    start: '10:00',
    roomId: 'skaraborg-r1',
  });
  await openSchedule(page, harness, 'view=week&date=2031-12-23');
  const week = page.getByTestId('week-grid');
  const cardOn = (date: string) => week.getByTestId(`week-day-${date}`).getByTestId('appointment-card');
  const storedOn = async (date: string) =>
    (
      await invokeOk<{ localStart: string }[]>(page, 'schedule.range', {
        side: 'victims',
        siteId: 'skaraborg',
        from: date,
        days: 1,
        therapistId: null,
        roomId: null,
      })
    ).map((appointment) => appointment.localStart);

  // Keyboard: M lifts it, the arrow carries it a day on, Enter puts it down — onto julafton, so it asks first.
  await cardOn('2031-12-23').focus();
  await page.keyboard.press('m');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('alertdialog', { name: 'Flytta ändå?' });
  await expect(dialog).toContainText('2031-12-24 är julafton.');
  await expect(dialog.getByRole('button', { name: 'Avbryt' })).toBeFocused();
  await expectAccessible(page);
  await shoot(page, 'ask-holiday');
  await dialog.getByRole('button', { name: 'Avbryt' }).click();
  await expect(dialog).toHaveCount(0);
  // Asked before, not after: nothing was saved.
  await expect(cardOn('2031-12-23')).toHaveCount(1);
  await expect(cardOn('2031-12-24')).toHaveCount(0);
  expect(await storedOn('2031-12-24')).toEqual([]);
  expect(await storedOn('2031-12-23')).toEqual(['10:00']);

  // Dragged with the mouse two days on, to juldagen: asked too, and yes moves it.
  const from = (await cardOn('2031-12-23').boundingBox())!;
  const to = (await week.getByTestId('week-day-2031-12-25').boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + 5);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x + to.width / 2) / 2, from.y + 5, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, from.y + 5, { steps: 4 });
  await page.mouse.up();
  await expect(dialog).toContainText('2031-12-25 är juldagen.');
  expect(await storedOn('2031-12-25')).toEqual([]);
  await dialog.getByRole('button', { name: 'Flytta ändå' }).click();
  await expect(page.getByTestId('move-outcome')).toContainText('Ändrat till Torsdag 2031-12-25 10:00–11:00.');
  await expect(cardOn('2031-12-25')).toHaveCount(1);

  // Within the day it is on already, only the time changes: that holiday is not asked about again.
  await cardOn('2031-12-25').focus();
  await page.keyboard.press('m');
  for (let step = 0; step < 4; step += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('move-outcome')).toContainText('Ändrat till Torsdag 2031-12-25 11:00–12:00.');
  await expect(dialog).toHaveCount(0);

  // The move form asks the same before saving: nyårsafton, and No keeps what was typed and saves nothing.
  await cardOn('2031-12-25').focus();
  await page.keyboard.press('Enter');
  const details = page.getByTestId('appointment-panel');
  // The form starts from where the appointment is now, after the moves in the grid.
  await expectSegmented(segmented(details, 'Starttid'), '11:00');
  await expectSegmented(segmented(details, 'Datum'), '2031-12-25');
  await fillSegmented(segmented(details, 'Datum'), '2031-12-31');
  await details.getByRole('button', { name: 'Spara ändringen' }).click();
  await expect(dialog).toContainText('2031-12-31 är nyårsafton.');
  await expectAccessible(page);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expectSegmented(segmented(details, 'Datum'), '2031-12-31');
  expect(await storedOn('2031-12-31')).toEqual([]);
  // Another day that is no holiday moves at once.
  await fillSegmented(segmented(details, 'Datum'), '2031-12-30');
  await details.getByRole('button', { name: 'Spara ändringen' }).click();
  await expect(details.getByText('Ändrat till Tisdag 2031-12-30 11:00–12:00.')).toBeVisible();
  await expect(dialog).toHaveCount(0);

  // A new booking on nyårsdagen asks the same before it is saved.
  await page.getByRole('button', { name: 'Stäng' }).click();
  await week.getByRole('button', { name: /Ledig 09:00 .*Torsdag 2032-01-01/ }).click();
  const booking = page.getByRole('region', { name: 'Ny bokning' });
  await booking.getByLabel('Sök klient').fill('Hanna');
  await page.getByRole('option', { name: /H\. H\./ }).click();
  await booking.getByLabel('Rum').selectOption({ label: 'Samtalsrum 1' });
  await booking.getByRole('button', { name: 'Boka' }).click();
  const bookDialog = page.getByRole('alertdialog', { name: 'Boka ändå?' });
  await expect(bookDialog).toContainText('2032-01-01 är nyårsdagen.');
  await bookDialog.getByRole('button', { name: 'Avbryt' }).click();
  expect(await storedOn('2032-01-01')).toEqual([]);

  // The time finder, asked from the day before julafton, goes straight past Christmas to the next day
  // she works (her hours take in the weekend), and past nyårsafton and nyårsdagen.
  await fillSegmented(segmented(booking, 'Datum'), '2031-12-23');
  await booking.getByRole('button', { name: 'Föreslå tider' }).click();
  const proposals = booking.getByRole('listbox', { name: 'Föreslagna tider' }).getByRole('option');
  await expect(proposals.first()).toContainText('Tisdag 2031-12-23');
  const proposed = [...new Set((await proposals.allTextContents()).map((text) => /\d{4}-\d{2}-\d{2}/.exec(text)![0]))];
  expect(proposed.slice(0, 2)).toEqual(['2031-12-23', '2031-12-27']);
  for (const closed of ['2031-12-24', '2031-12-25', '2031-12-26', '2031-12-31', '2032-01-01']) expect(proposed).not.toContain(closed);
  await expectAccessible(page);
  await proposals.nth(5).scrollIntoViewIfNeeded();
  await shoot(page, 'proposals-christmas');
});

test('a printable day list per therapist and per waiting room, with initials unless asked otherwise', async ({ page, harness, problems }) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  await bookedClient(page, intake('victim', 'Anna Utskriftsdotter'), {
    therapistId: therapistIds.victims,
    date: TUESDAY,
    start: '09:00',
    roomId: 'skaraborg-r1',
  });
  await bookedClient(page, intake('child', 'Bosse Barnsson'), {
    therapistId: therapistIds.victims,
    date: TUESDAY,
    start: '11:00',
    roomId: 'skaraborg-r2',
  });
  await openSchedule(page, harness, `view=day&date=${TUESDAY}`);

  await page.getByLabel('Diskret läge').uncheck();
  await expect(page.getByTestId('appointment-row').first()).toContainText('Anna Utskriftsdotter');
  await page.getByLabel('Dagslista för').selectOption({ label: 'Vera Behandlarsson' });
  await page.getByRole('button', { name: `Visa dagslistan ${TUESDAY}` }).click();
  const sheet = page.getByTestId('print-sheet');
  await expect(sheet.getByRole('heading', { name: 'Dagslista: Vera Behandlarsson' })).toBeFocused();
  const rows = sheet.getByTestId('print-row');
  await expect(rows).toHaveCount(2);
  // Paper is discreet by default, even with discreet mode off on the screen.
  await expect(rows.first()).toContainText('A. U.');
  await expect(sheet).not.toContainText('Anna');
  await expectAccessible(page);
  await page.emulateMedia({ media: 'print' });
  await shoot(page, 'print-therapist');
  await expect(page.getByRole('navigation')).toBeHidden();
  await expect(page.getByTestId('mini-month')).toBeHidden();
  await expect(sheet.getByRole('button', { name: 'Skriv ut' })).toBeHidden();
  await expect(rows.first()).toBeVisible();
  await expect(sheet.getByRole('heading', { name: 'Dagslista: Vera Behandlarsson' })).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  await sheet.getByLabel('Visa fullständiga namn och anteckningar på utskriften').check();
  await expect(rows.first()).toContainText('Anna Utskriftsdotter');

  // The waiting room's arrivals: this side only, initials by default.
  await sheet.getByRole('button', { name: 'Tillbaka till schemat' }).click();
  const waiting = await page.getByLabel('Dagslista för').locator('option').allTextContents();
  const room = waiting.find((name) => /väntrum/i.test(name))!;
  await page.getByLabel('Dagslista för').selectOption({ label: room });
  await page.getByRole('button', { name: `Visa dagslistan ${TUESDAY}` }).click();
  await expect(sheet.getByRole('heading', { name: `Ankomster: ${room}` })).toBeVisible();
  await expect(sheet.getByTestId('print-row').first()).toContainText(/A\. U\.|B\. B\./);
  await expect(sheet).not.toContainText('Utskriftsdotter');
  await expectAccessible(page);
  await shoot(page, 'print-waiting-room');
});
