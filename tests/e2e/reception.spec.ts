import type { Page } from '@playwright/test';
import { bookedClient, expect, expectAccessible, expectSegmented, fillSegmented, invokeOk, prepareReception, segmented, test } from './harness.js';
import { intakeInput } from '../fixtures/intake.js';

const SHOTS = process.env.UTVAG_SCREENSHOTS;
const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};

function today(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
}

const intake = (track: 'victim' | 'perpetrator' | 'child', name: string, extra: Record<string, unknown> = {}) =>
  intakeInput(track, name, { birthYear: 1980, ...extra });

/** Books the first visit on the first-call form as it stands, and registers the call. */
async function registerBookingFirstVisit(page: Page, visit: { therapistId: string; roomId: string; date: string; start: string }): Promise<void> {
  await page.getByLabel('Utfall').selectOption('booked');
  await page.getByLabel('Typ av tid').selectOption('first_visit');
  await page.getByLabel('Behandlare').selectOption(visit.therapistId);
  await page.getByLabel('Rum').selectOption(visit.roomId);
  await fillSegmented(segmented(page, 'Datum'), visit.date);
  await fillSegmented(segmented(page, 'Starttid'), visit.start);
  await page.getByRole('button', { name: 'Registrera samtalet' }).click();
}

test('a receptionist registers an anonymous first call and books a first call by phone', async ({ page, harness, problems }) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  await page.getByRole('link', { name: 'Nytt första samtal' }).click();
  await expect(page.getByTestId('current-side')).toHaveText('Utsattsidan');
  await expectAccessible(page);

  // Saving with nothing filled in: messages next to the fields, nothing lost.
  await page.getByRole('button', { name: 'Registrera samtalet' }).click();
  await expect(page.getByText('Skriv ett namn eller ett tillfälligt alias.')).toBeVisible();
  await expect(page.getByText('Välj kommun (eller Annan kommun).')).toBeVisible();

  await page.getByLabel('Vem tog kontakt?').selectOption('agency');
  await page.getByLabel('Remissväg').selectOption('social_services');
  await page.getByLabel('Anonymt första samtal (tillfälligt alias)').check();
  await page.getByLabel('Tillfälligt alias', { exact: true }).fill('Kvinnan från Tibro');
  await page.getByLabel('Kommun').selectOption('1472');
  await page.getByLabel('Telefon', { exact: true }).fill('070-000 00 01');
  await page.getByLabel('Säkert att sms:a').check();
  await page.getByLabel('Säkra tider att ringa').fill('vardagar 10–12');
  await page.getByLabel('Utfall').selectOption('booked');
  await fillSegmented(segmented(page, 'Datum'), '2031-03-03');
  await page.getByRole('button', { name: 'Föreslå tider' }).click();
  const proposal = page.getByRole('option', { name: /^Välj 2031-03-03 07:00/ });
  await expect(proposal).toBeVisible();
  await shot(page, 'intake-suggestions');
  await expectAccessible(page);
  // One tab stop for the list; the arrows move, Enter chooses, and the keyboard lands on the date it filled in.
  await page.keyboard.press('Tab');
  const first = page.getByRole('listbox').getByRole('option').first();
  await expect(first).toBeFocused();
  await expect(first).toHaveAccessibleName(/^Välj 2031-03-03 07:00/);
  await page.keyboard.press('Enter');
  await expect(proposal).toHaveCount(0);
  await expectSegmented(segmented(page, 'Datum'), '2031-03-03');
  await expectSegmented(segmented(page, 'Starttid'), '07:00');
  await expect(segmented(page, 'Datum').getByRole('spinbutton').first()).toBeFocused();
  await expect(page.getByLabel('Behandlare')).toHaveValue(therapistIds.victims);
  await page.getByRole('button', { name: 'Registrera samtalet' }).click();

  await expect(page.getByRole('heading', { name: 'Samtalet är registrerat.' })).toBeVisible();
  await expect(page.getByTestId('booked-at')).toHaveText('Första tid: 2031-03-03 kl. 07:00 (Första samtal (telefon)).');
  await expect(page.getByTestId('routing-decision')).toHaveText('Inget uppsökande arbete (inte en polisanmälan)');
  await shot(page, 'intake-saved');
  await expectAccessible(page);

  // The client can be found by alias; the phone number is shown with its instructions.
  await page.getByRole('link', { name: 'Öppna klienten' }).click();
  await expect(page.getByRole('heading', { name: /Kvinnan från Tibro/ })).toBeVisible();
  await expect(page.getByTestId('client-detail').locator('.phone')).toContainText('070-000 00 01');
  await expect(page.getByTestId('client-detail').locator('.phone')).toContainText('Säkert att ringa: ✗ Inte säkert');
  await expect(page.getByTestId('client-detail').locator('.phone')).toContainText('Säkra tider: vardagar 10–12');
});

test('Etapp 2: a police report about a woman with children in Lidköping goes to the municipality', async ({ page, harness, problems }) => {
  void problems;
  await prepareReception(page, harness);
  await page.getByRole('link', { name: 'Nytt första samtal' }).click();
  await page.getByLabel('Vem tog kontakt?').selectOption('outreach');
  await page.getByLabel('Remissväg').selectOption('police');
  await page.getByLabel('Namn', { exact: true }).fill('Dagny Exempelsson');
  await page.getByLabel('Kön').selectOption('female');
  await page.getByLabel('Kommun').selectOption('1494');
  await page.getByLabel('Antal barn under 18 år i hushållet').fill('2');
  await page.getByLabel('Personnummer eller samordningsnummer (valfritt)').fill('19900101-0000');
  await page.getByRole('button', { name: 'Registrera samtalet' }).click();
  await expect(page.getByText('Personnumret eller samordningsnumret stämmer inte (datum eller kontrollsiffra).')).toBeVisible();
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('Dagny Exempelsson');
  await page.getByLabel('Personnummer eller samordningsnummer (valfritt)').fill('');
  await page.getByRole('button', { name: 'Registrera samtalet' }).click();
  await expect(page.getByTestId('routing-decision')).toHaveText('Etapp 2: kommunens socialsekreterare gör det uppsökande arbetet');
  await expect(page.getByText('Polisanmälan om en kvinna med barn under 18 år i en Etapp 2-kommun.')).toBeVisible();
});

test("a perpetrator's first call booked too close to his partner's appointment gets only a neutral refusal", async ({ page, harness, problems }) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  const victim = await invokeOk<{ clientId: string }>(
    page,
    'intake.register',
    intake('victim', 'Ella Påhittsdotter', {
      personalNumber: '19900101-0017',
      outcome: 'booked',
      booking: {
        kind: 'first_visit',
        siteId: 'skaraborg',
        therapistId: therapistIds.victims,
        roomId: 'skaraborg-r1',
        date: '2031-03-03',
        start: '10:00',
        durationMinutes: 60,
      },
    }),
  );
  expect(victim.clientId).toBeTruthy();

  await page.getByRole('link', { name: 'Nytt första samtal' }).click();
  await page.getByRole('button', { name: 'Byt sida: Utövarsidan' }).click();
  await expect(page.getByTestId('current-side')).toHaveText('Utövarsidan');
  await page.getByLabel('Namn', { exact: true }).fill('Fredrik Låtsasson');
  await page.getByLabel('Kommun').selectOption('1496');
  // The known partner is found by identity number only, and from this side shown only as someone on the other side.
  // Typing alone asks nothing across sides: the list opens only for the search asked for (Enter or Sök).
  const linkSearch = page.getByRole('combobox', { name: 'Sök klient att koppla (exakt namn eller personnummer)' });
  await linkSearch.fill('19900101-0017');
  await expect(page.getByRole('listbox')).toHaveCount(0);
  await page.getByRole('button', { name: 'Sök', exact: true }).click();
  const match = page.getByRole('option', { name: /^En person på andra sidan/ });
  await expect(match).toBeVisible();
  await expect(linkSearch).toBeFocused();
  await expect(linkSearch).toHaveAttribute('aria-expanded', 'true');
  await expect(linkSearch).toHaveAttribute('aria-controls', (await page.getByRole('listbox').getAttribute('id'))!);
  await expect(page.locator('body')).not.toContainText('E. P.');
  await expectAccessible(page);
  await shot(page, 'link-search');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listbox')).toHaveCount(0);
  await expect(linkSearch).toHaveValue('');
  await registerBookingFirstVisit(page, { therapistId: therapistIds.perpetrators, roomId: 'skaraborg-r2', date: '2031-03-03', start: '12:00' });
  await expect(page.getByText('Tiden är inte tillgänglig. Välj en annan tid.')).toBeVisible();
  await expect(page.locator('body')).not.toContainText('Ella');
  await expect(page.locator('body')).not.toContainText('kopplad person');
  await shot(page, 'perpetrator-refused');
  // Nothing typed is lost; a time after the buffer works.
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('Fredrik Låtsasson');
  await fillSegmented(segmented(page, 'Starttid'), '13:00');
  await page.getByRole('button', { name: 'Registrera samtalet' }).click();
  await expect(page.getByTestId('booked-at')).toContainText('2031-03-03 kl. 13:00');
});

test("a child's police report goes to Götene's social secretary (the children's Etapp 2); a first visit on a holiday is asked about first", async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  await page.getByRole('link', { name: 'Nytt första samtal' }).click();
  await page.getByLabel('Vem tog kontakt?').selectOption('outreach');
  await page.getByLabel('Remissväg').selectOption('police');
  await page.getByLabel('Spår').selectOption('child');
  await page.getByLabel('Namn', { exact: true }).fill('Hugo Påhittadsson');
  await page.getByLabel('Kommun').selectOption('1471');
  await registerBookingFirstVisit(page, { therapistId: therapistIds.victims, roomId: 'skaraborg-r3', date: '2031-12-24', start: '10:00' });
  // Asked before anything is saved; No keeps everything typed.
  const dialog = page.getByRole('alertdialog', { name: 'Boka ändå?' });
  await expect(dialog).toContainText('2031-12-24 är julafton.');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Avbryt' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Samtalet är registrerat.' })).toHaveCount(0);
  await expect(page.getByLabel('Namn', { exact: true })).toHaveValue('Hugo Påhittadsson');
  expect(await invokeOk<unknown[]>(page, 'clients.search', { side: 'victims', query: 'Hugo' })).toEqual([]);
  await fillSegmented(segmented(page, 'Datum'), '2031-12-23');
  await page.getByRole('button', { name: 'Registrera samtalet' }).click();
  await expect(page.getByRole('heading', { name: 'Samtalet är registrerat.' })).toBeVisible();
  await expect(page.getByTestId('booked-at')).toContainText('2031-12-23 kl. 10:00');
  await expect(page.getByTestId('routing-decision')).toHaveText('Etapp 2: kommunens socialsekreterare gör det uppsökande arbetet');
  await expect(page.getByText('Polisanmälan om ett barn i en kommun som deltar i Etapp 2 för barn.')).toBeVisible();
  await expectAccessible(page);
  await shot(page, 'intake-etapp2-children');
});

test("today's board: check a client in to the right waiting room; discreet mode hides names", async ({ page, harness, problems }) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  const date = today();
  for (const [track, name, start, room] of [
    ['victim', 'Greta Testdotter', '19:00', 'skaraborg-r1'],
    ['child', 'Hugo Testsson', '19:00', 'skaraborg-r3'],
  ] as const) {
    await invokeOk(
      page,
      'intake.register',
      intake(track, name, {
        outcome: 'booked',
        booking: {
          kind: 'first_visit',
          siteId: 'skaraborg',
          therapistId: therapistIds.victims,
          roomId: room,
          date,
          start: track === 'child' ? '18:00' : start,
          durationMinutes: 45,
        },
      }),
    );
  }
  await page.getByRole('link', { name: 'Dagens ankomster' }).click();
  const adults = page.getByRole('region', { name: 'Väntrum A (plats för 6)' });
  const children = page.getByRole('region', { name: 'Väntrum barn (plats för 4)' });
  await expect(adults.getByTestId('arrival-row')).toHaveCount(1);
  await expect(children.getByTestId('arrival-row')).toHaveCount(1);
  // Discreet mode is on at the desk: initials only, until one keystroke reveals a row.
  await expect(adults.getByTestId('arrival-row')).toContainText('G. T.');
  await expect(page.locator('body')).not.toContainText('Greta');
  await adults.getByTestId('arrival-row').focus();
  await page.keyboard.press('v');
  await expect(adults.getByTestId('arrival-row')).toContainText('Greta Testdotter');
  await page.keyboard.press('v');
  await expect(page.locator('body')).not.toContainText('Greta');
  await expectAccessible(page);

  await adults.getByRole('button', { name: 'Checka in' }).click();
  await expect(adults.getByTestId('arrival-row')).toContainText('Anländ');
  await expect(adults.getByTestId('waiting-count')).toHaveText('1 i väntrummet');
  await expect(children.getByTestId('waiting-count')).toHaveText('0 i väntrummet');
  await shot(page, 'today-board');

  // The perpetrators' side shows its own waiting room and none of these people.
  await page.getByRole('button', { name: 'Byt sida: Utövarsidan' }).click();
  await expect(page.getByRole('region', { name: 'Väntrum B (plats för 4)' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Väntrum A (plats för 6)' })).toHaveCount(0);
  await expect(page.getByTestId('arrival-row')).toHaveCount(0);
});

test('clients, waiting list and groups work from the keyboard and pass the accessibility check', async ({ page, harness, problems }) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  await invokeOk(
    page,
    'intake.register',
    intake('victim', 'Ingrid Fiktivsdotter', {
      urgency: 'acute',
      safeContact: {
        phone: '070-000 00 02',
        safeToCall: true,
        safeToText: false,
        safeVoicemail: false,
        safeTimes: '',
        codeWord: 'Blåklocka',
        instructions: '',
      },
    }),
  );
  await invokeOk(page, 'intake.register', intake('victim', 'Jenny Låtsasdotter'));

  await page.getByRole('link', { name: 'Klienter' }).click();
  await page.getByLabel('Sök klient').fill('ingrid');
  await page.getByLabel('Sök klient').press('Enter');
  const row = page.getByTestId('client-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('I. F.');
  await expect(row).not.toContainText('070-000 00 02');
  await expect(row).not.toContainText('Blåklocka');
  await expectAccessible(page);
  // Alt+D turns discreet mode off for this workstation.
  await page.keyboard.press('Alt+d');
  await expect(row).toContainText('Ingrid Fiktivsdotter');
  await expect(row).toContainText('070-000 00 02');
  await page.keyboard.press('Alt+d');
  await row.getByRole('button', { name: 'Öppna' }).click();
  await expect(page.getByRole('heading', { name: 'Ingrid Fiktivsdotter' })).toBeVisible();
  await expectAccessible(page);
  await shot(page, 'client-detail');

  await page.getByRole('link', { name: 'Väntelista' }).click();
  await expect(page.getByTestId('waiting-row')).toHaveCount(2);
  await expect(page.getByTestId('waiting-row').first()).toContainText('Akut');
  await expect(page.getByTestId('waiting-row').first()).toContainText('0 dagar');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Grupper' }).click();
  await page.getByLabel('Gruppens namn').fill('Tisdagsgruppen');
  await page.getByLabel('Gruppledare').selectOption(therapistIds.victims);
  await page.getByLabel('Rum').selectOption('skaraborg-g1');
  await fillSegmented(segmented(page, 'Första träffen'), '2031-03-04');
  await page.getByRole('button', { name: 'Skapa gruppen' }).click();
  await expect(page.getByText('Gruppen är skapad.')).toBeVisible();
  const group = page.getByRole('region', { name: 'Tisdagsgruppen' });
  // The matches follow the typing; discreet mode shows initials in them too.
  await group.getByLabel('Sök klient').pressSequentially('jenny');
  const member = page.getByRole('option', { name: /^J\. L\. \(1980\)/ });
  await expect(member).toBeVisible();
  await expect(page.getByRole('listbox')).not.toContainText('Jenny');
  await expectAccessible(page);
  await shot(page, 'group-member-search');
  await group.getByLabel('Sök klient').press('ArrowDown');
  await group.getByLabel('Sök klient').press('Enter');
  await expect(page.getByText('Medlemmen är tillagd i alla kommande träffar.')).toBeVisible();
  await expect(group.getByLabel('Sök klient')).toHaveValue('');
  await expect(group).toContainText('J. L.');
  // The sessions are a table now (date, time, status, attendance), each row with its own actions.
  const firstSession = group.getByTestId('group-session').first();
  await expect(firstSession.locator('th')).toHaveText('2031-03-04');
  await expect(firstSession).toContainText('17:00–18:30');
  await expectAccessible(page);
  await shot(page, 'groups');
});

test("a link made on the perpetrators' side tells that side nothing of a clash; her record on the victims' side lists her time to move", async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  const { therapistIds } = await prepareReception(page, harness);
  await bookedClient(page, intake('victim', 'Tora Fiktivsdotter', { personalNumber: '19900101-0017' }), {
    therapistId: therapistIds.victims,
    date: '2031-03-04',
    start: '10:00',
    roomId: 'skaraborg-r1',
  });
  await bookedClient(page, intake('perpetrator', 'Olof Påhittsson'), {
    therapistId: therapistIds.perpetrators,
    date: '2031-03-04',
    start: '12:30',
    roomId: 'skaraborg-r2',
  });

  await page.getByRole('link', { name: 'Klienter' }).click();
  await page.getByRole('button', { name: 'Byt sida: Utövarsidan' }).click();
  await expect(page.getByTestId('current-side')).toHaveText('Utövarsidan');
  await page.getByLabel('Sök klient').fill('Olof');
  await page.getByLabel('Sök klient').press('Enter');
  await page.getByTestId('client-row').getByRole('button', { name: 'Öppna' }).click();
  const linking = page.getByRole('region', { name: 'Koppla till en annan klient' });
  await linking.getByLabel('Sök klient att koppla (exakt namn eller personnummer)').fill('19900101-0017');
  await linking.getByLabel('Sök klient att koppla (exakt namn eller personnummer)').press('Enter');
  // She is only "a person on the other side": no initials, year or track.
  const onlyOption = page.getByRole('listbox', { name: 'Träffar att koppla' }).getByRole('option');
  await expect(onlyOption).toHaveCount(1);
  await expect(onlyOption).toHaveText('En person på andra sidan – Koppla');
  await expectAccessible(page);
  await onlyOption.click();
  // Which of his times clash would tell when she comes: the perpetrators' side is told only that the link is saved.
  await expect(page.getByText('Kopplingen är sparad.')).toBeVisible();
  await expect(page.getByTestId('link-conflicts')).toHaveCount(0);
  await expect(page.getByTestId('separation-clashes')).toHaveCount(0);
  const body = page.locator('body');
  for (const text of ['10:00', 'Tora', 'Fiktivsdotter', 'T. F.', '1990', 'säkerhetsavståndet', 'Våldsutsatt'])
    await expect(body).not.toContainText(text);
  await expectAccessible(page);

  // On the victims' side her record lists her own time that must move, and why.
  await page.getByRole('button', { name: 'Byt sida: Utsattsidan' }).click();
  await expect(page.getByTestId('current-side')).toHaveText('Utsattsidan');
  await page.getByLabel('Sök klient').fill('Tora');
  await page.getByLabel('Sök klient').press('Enter');
  await page.getByTestId('client-row').getByRole('button', { name: 'Öppna' }).click();
  const clashes = page.getByTestId('separation-clashes');
  await expect(clashes).toContainText('En kommande tid bryter mot säkerhetsavståndet');
  await expect(clashes).toContainText('2031-03-04 kl. 10:00');
  await expect(clashes).not.toContainText('12:30');
  await expectAccessible(page);
  if (process.env.UTVAG_SCREENSHOTS)
    await page.screenshot({ path: `${process.env.UTVAG_SCREENSHOTS}/reception-separation-clashes.png`, fullPage: true });
});
