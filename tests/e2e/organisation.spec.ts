import path from 'node:path';
import type { Page } from '@playwright/test';
import { prepareAdmin, expect, expectAccessible, invokeOk, test } from './harness.js';

interface Org {
  trackRoutes: { siteId: string; track: string; entranceId: string; waitingRoomId: string }[];
  waitingRooms: { id: string; capacity: number }[];
  municipalities: { code: string; name: string; etapp2: boolean; etapp2Children: boolean }[];
  therapists: { displayName: string; siteId: string | null; tracks: string[]; hours: { weekday: number; start: string; end: string }[] }[];
}

/** With ORGANISATION_SCREENSHOTS=<folder>, the screen is photographed for a person to look at. */
async function photograph(page: Page, name: string): Promise<void> {
  const folder = process.env.ORGANISATION_SCREENSHOTS;
  if (folder) await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true });
}

async function openOrganisation(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Lokaler och personal' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Lokaler och personal' })).toBeVisible();
}

test('premises: a waiting room gets more places, and perpetrators are refused the victims’ waiting room next to the field', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  await prepareAdmin(page, harness);
  await openOrganisation(page);
  await expect(page.getByRole('tab', { name: 'Enheter och lokaler' })).toHaveAttribute('aria-selected', 'true');
  const site = page.getByRole('region', { name: 'Utväg Skaraborg' });
  await expect(site.getByText('Våldsutövare har egen entré och eget väntrum')).toBeVisible();
  await expect(site.getByRole('table', { name: 'Entré och väntrum per spår på Utväg Skaraborg' })).toBeVisible();
  await expectAccessible(page);
  await photograph(page, 'organisation-premises');

  // The capacity is checked next to the field; Enter in the row saves the row.
  const capacity = site.getByLabel('Platser i Väntrum A');
  await expect(capacity).toHaveValue('6');
  await capacity.fill('0');
  await capacity.press('Enter');
  await expect(site.getByText('Minst 1.')).toBeVisible();
  await expect(capacity).toHaveAttribute('aria-invalid', 'true');
  await capacity.fill('8');
  await capacity.press('Enter');
  await expect(site.getByText('Sparat: Väntrum A, 8 platser.')).toBeVisible();

  // Perpetrators through the main entrance into the victims' waiting room: refused by the main process, shown at the field.
  const entrance = site.getByLabel('Entré för Våldsutövare');
  const waitingRoom = site.getByLabel('Väntrum för Våldsutövare');
  await entrance.selectOption({ label: 'Huvudentrén' });
  await waitingRoom.selectOption({ label: 'Väntrum A' });
  await site.getByRole('button', { name: 'Spara vägen in för Våldsutövare' }).click();
  await expect(entrance).toHaveAttribute('aria-invalid', 'true');
  await expect(entrance).toHaveAccessibleDescription(/Våldsutövare och våldsutsatta får inte dela entré\./);
  // What was chosen stays chosen; nothing was stored.
  await expect(waitingRoom).toHaveValue('skaraborg-wr-victims');
  await expectAccessible(page);
  await photograph(page, 'organisation-route-refused');
  const org = await invokeOk<Org>(page, 'org.get', {});
  expect(org.trackRoutes.find((route) => route.siteId === 'skaraborg' && route.track === 'perpetrator')).toMatchObject({
    entranceId: 'skaraborg-separate',
    waitingRoomId: 'skaraborg-wr-perpetrators',
  });

  // The other site is one keystroke away and untouched.
  await page.getByRole('radio', { name: 'Utväg Södra Älvsborg' }).check();
  const other = page.getByRole('region', { name: 'Utväg Södra Älvsborg' });
  await expect(other.getByLabel('Platser i Väntrum A')).toHaveValue('6');

  // A room's purpose decides what the slot finder offers it for; a new room can be a group room from the start.
  await page.getByRole('radio', { name: 'Utväg Skaraborg' }).check();
  await expect(site.getByLabel('Grupprummet används för')).toHaveValue('group');
  await site.getByLabel('Samtalsrum 3 används för').selectOption({ label: 'Grupper' });
  await site.getByRole('button', { name: 'Spara Samtalsrum 3' }).click();
  await site.getByLabel('Namn på det nya rummet').fill('Lilla grupprummet');
  await site.getByLabel('Används för', { exact: true }).selectOption({ label: 'Grupper' });
  await site.getByRole('button', { name: 'Lägg till rummet' }).click();
  await expect(site.getByLabel('Lilla grupprummet används för')).toHaveValue('group');
  await expectAccessible(page);

  // After a reload the saved capacity and purposes are there and the perpetrators' way in is as before.
  await page.reload();
  await expect(site.getByLabel('Samtalsrum 3 används för')).toHaveValue('group');
  await expect(site.getByLabel('Samtalsrum 1 används för')).toHaveValue('individual');
  await expect(site.getByLabel('Platser i Väntrum A')).toHaveValue('8');
  await expect(site.getByLabel('Entré för Våldsutövare')).toHaveValue('skaraborg-separate');
  await expect(site.getByLabel('Väntrum för Våldsutövare')).toHaveValue('skaraborg-wr-perpetrators');
});

test('therapists: a therapist added on the Users page gets site, tracks and hours here, kept after a reload', async ({ page, harness, problems }) => {
  void problems;
  await prepareAdmin(page, harness);
  await page.getByRole('link', { name: 'Användare' }).click();
  await page.getByLabel('Namn', { exact: true }).fill('Tora Terapeutsson');
  await page.getByLabel('Användarnamn').fill('tora.terapeut');
  await page.getByLabel('Behandlare').check();
  await page.getByRole('button', { name: 'Lägg till' }).click();
  await page.getByRole('button', { name: 'Klar' }).click();

  await openOrganisation(page);
  await page.getByRole('tab', { name: 'Behandlare' }).click();
  const row = page.getByRole('row', { name: /Tora Terapeutsson/ });
  await expect(row).toContainText('Inte angivet');
  await expect(row).toContainText('Inga arbetstider');
  await row.getByRole('button', { name: 'Ändra Tora Terapeutsson' }).click();
  const editor = page.getByRole('region', { name: 'Tora Terapeutsson' });
  await expect(editor.getByRole('heading', { name: 'Tora Terapeutsson' })).toBeFocused();
  const save = editor.getByRole('button', { name: 'Spara spår och arbetstider' });

  // Nothing chosen: each message next to its field.
  await save.click();
  await expect(editor.getByText('Välj enhet.')).toBeVisible();
  await expect(editor.getByText('Välj minst ett spår.')).toBeVisible();

  await editor.getByLabel('Arbetar på enhet').selectOption({ label: 'Utväg Södra Älvsborg' });
  await editor.getByLabel('Våldsutsatt').check();
  await editor.getByLabel('Barn och unga').check();
  await editor.getByLabel('Arbetar måndag').check();
  // A start typed the quick way is written out; an end before the start is refused at the field.
  await editor.getByLabel('Börjar måndag').fill('9');
  await editor.getByLabel('Slutar måndag').fill('08:30');
  await expect(editor.getByLabel('Börjar måndag')).toHaveValue('09:00');
  await save.click();
  await expect(editor.getByLabel('Slutar måndag')).toHaveAccessibleDescription(/Sluttiden måste vara efter starttiden\./);
  await expect(editor.getByLabel('Slutar måndag')).toHaveValue('08:30');
  await expect(editor.getByLabel('Arbetar på enhet')).toHaveValue('sodra-alvsborg');
  await expectAccessible(page);
  await photograph(page, 'organisation-therapist-error');

  await editor.getByLabel('Slutar måndag').fill('1600');
  // Monday's times go to every working day, ticking the days not yet worked; Friday is then taken off.
  await editor.getByRole('button', { name: 'Samma tider som måndag alla arbetsdagar' }).click();
  for (const day of ['tisdag', 'onsdag', 'torsdag', 'fredag']) {
    await expect(editor.getByLabel(`Arbetar ${day}`)).toBeChecked();
    await expect(editor.getByLabel(`Slutar ${day}`)).toHaveValue('16:00');
  }
  await expect(editor.getByLabel('Arbetar lördag')).not.toBeChecked();
  await editor.getByLabel('Arbetar fredag').uncheck();
  await save.click();
  await expect(editor.getByText('Sparat: Tora Terapeutsson arbetar på Utväg Södra Älvsborg.')).toBeVisible();
  await expect(row).toContainText('Utväg Södra Älvsborg');
  await expect(row).toContainText('Våldsutsatt, Barn och unga');
  await expect(row).toContainText('mån–tors 09:00–16:00');
  await photograph(page, 'organisation-therapists');

  const org = await invokeOk<Org>(page, 'org.get', {});
  const tora = org.therapists.find((therapist) => therapist.displayName === 'Tora Terapeutsson')!;
  expect(tora.siteId).toBe('sodra-alvsborg');
  expect([...tora.tracks].sort()).toEqual(['child', 'victim']);
  expect(tora.hours).toEqual([1, 2, 3, 4].map((weekday) => ({ weekday, start: '09:00', end: '16:00' })));

  // A reload comes back to the same part and the same therapist, with what was saved.
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Behandlare' })).toHaveAttribute('aria-selected', 'true');
  await expect(row).toContainText('mån–tors 09:00–16:00');
  await expect(editor.getByLabel('Arbetar på enhet')).toHaveValue('sodra-alvsborg');
  await expect(editor.getByLabel('Barn och unga')).toBeChecked();
  await expect(editor.getByLabel('Våldsutövare')).not.toBeChecked();
  await expect(editor.getByLabel('Arbetar fredag')).not.toBeChecked();
  await expect(editor.getByLabel('Börjar onsdag')).toHaveValue('09:00');
  await expectAccessible(page);
});

test('municipalities and the safety buffer: the women’s and the children’s Etapp 2 toggled, the buffer changed, both kept', async ({
  page,
  harness,
  problems,
}) => {
  void problems;
  await prepareAdmin(page, harness);
  await openOrganisation(page);
  await page.getByRole('tab', { name: 'Kommuner och Etapp 2' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Kommuner och Etapp 2' });
  await expect(panel.getByText('går ärendet till kommunens socialsekreterare för uppsökande kontakt')).toBeVisible();
  await expect(panel.getByText('Etapp 2 för barn: när polisen anmäler våld som gäller ett barn')).toBeVisible();
  await expect(panel.getByTestId('etapp2-now')).toHaveText('Etapp 2 för kvinnor nu: Falköping, Lidköping, Mariestad, Skara och Vara.');
  await expect(panel.getByTestId('etapp2Children-now')).toHaveText('Etapp 2 för barn nu: Falköping, Götene, Skövde och Töreboda.');
  await expect(panel.getByRole('row', { name: /Skövde/ })).toContainText('1496');
  await expect(panel.getByRole('columnheader', { name: 'Etapp 2 för kvinnor' })).toBeVisible();
  await expect(panel.getByRole('columnheader', { name: 'Etapp 2 för barn' })).toBeVisible();
  await expect(panel.getByLabel('Götene deltar i Etapp 2 för barn')).toBeChecked();
  await expect(panel.getByLabel('Götene deltar i Etapp 2 för kvinnor')).not.toBeChecked();
  await expect(panel.getByRole('rowheader', { name: 'Region Skaraborg, 15 kommuner' })).toBeVisible();
  await expect(panel.getByRole('rowheader', { name: 'Region Södra Älvsborg, 10 kommuner' })).toBeVisible();
  await expect(panel.getByRole('row', { name: /Annan kommun/ })).toContainText('Gäller inte');
  await expectAccessible(page);
  await photograph(page, 'organisation-municipalities');

  await panel.getByLabel('Skövde deltar i Etapp 2 för kvinnor').check();
  await panel.getByLabel('Vara deltar i Etapp 2 för kvinnor').uncheck();
  await panel.getByLabel('Vara deltar i Etapp 2 för barn').check();
  await panel.getByLabel('Götene deltar i Etapp 2 för barn').uncheck();
  await expect(panel.getByText('Inte sparat: 3 ändrade kommuner.')).toBeVisible();
  await photograph(page, 'organisation-municipalities-changed');
  await panel.getByRole('button', { name: 'Spara Etapp 2-kommunerna' }).click();
  await expect(panel.getByText('Sparat. Etapp 2-kommunerna gäller')).toBeVisible();
  await expect(panel.getByTestId('etapp2-now')).toHaveText('Etapp 2 för kvinnor nu: Falköping, Lidköping, Mariestad, Skara och Skövde.');
  await expect(panel.getByTestId('etapp2Children-now')).toHaveText('Etapp 2 för barn nu: Falköping, Skövde, Töreboda och Vara.');
  await expect(panel.getByText(/Inte sparat/)).toHaveCount(0);
  await expectAccessible(page);
  const org = await invokeOk<Org>(page, 'org.get', {});
  expect(org.municipalities.filter((municipality) => municipality.etapp2).map((municipality) => municipality.code)).toEqual(
    expect.arrayContaining(['1496', '1499', '1494', '1493', '1495']),
  );
  expect(org.municipalities.find((municipality) => municipality.code === '1470')).toMatchObject({ etapp2: false, etapp2Children: true });
  expect(
    org.municipalities
      .filter((municipality) => municipality.etapp2Children)
      .map((municipality) => municipality.code)
      .sort(),
  ).toEqual(['1470', '1473', '1496', '1499']);

  // The tabs work from the keyboard: arrow right to the safety buffer.
  await page.getByRole('tab', { name: 'Kommuner och Etapp 2' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Säkerhetsavstånd' })).toBeFocused();
  const buffer = page.getByLabel('Säkerhetsavstånd i minuter');
  await expect(buffer).toHaveValue('120');
  await expect(page.getByText('från det ena besökets slut till det andras början')).toBeVisible();
  await buffer.fill('20');
  await buffer.press('Enter');
  await expect(page.getByText('Minst 30.')).toBeVisible();
  await expect(buffer).toHaveValue('20');
  await buffer.fill('150');
  await expect(page.getByText('Det är 2 tim 30 min.')).toBeVisible();
  await buffer.press('Enter');
  await expect(page.getByText('Sparat: 150 minuter.')).toBeVisible();
  await expectAccessible(page);
  await photograph(page, 'organisation-buffer');
  // Only the buffer was sent: the idle-lock time is as it was.
  expect(await invokeOk(page, 'settings.get', {})).toEqual({ idleLockMinutes: 15, separationBufferMinutes: 150 });

  await page.reload();
  await expect(page.getByLabel('Säkerhetsavstånd i minuter')).toHaveValue('150');
  await page.getByRole('tab', { name: 'Kommuner och Etapp 2' }).click();
  await expect(page.getByLabel('Skövde deltar i Etapp 2 för kvinnor')).toBeChecked();
  await expect(page.getByLabel('Vara deltar i Etapp 2 för kvinnor')).not.toBeChecked();
  await expect(page.getByLabel('Vara deltar i Etapp 2 för barn')).toBeChecked();
  await expect(page.getByLabel('Götene deltar i Etapp 2 för barn')).not.toBeChecked();
});
