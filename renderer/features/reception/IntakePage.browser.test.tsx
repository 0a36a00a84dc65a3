import { describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { errorNextTo, fictionalName, newVictim, ok, personnummer, renderAtDesk } from '../../testing/desk';
import { IntakePage } from './IntakePage';

/** The first-call form at the desk, once the premises are read (the call then starts at the desk's site). */
async function openForm() {
  const { screen } = await renderAtDesk(<IntakePage />, { hash: '#/reception/intake' });
  await expect.element(screen.getByLabelText('Enhet')).toHaveValue('skaraborg');
  const field = (label: string) => screen.getByLabelText(label, { exact: true });
  return { screen, field, submit: screen.getByRole('button', { name: 'Registrera samtalet' }) };
}

const NAME = 'Namn';
const NUMBER = 'Personnummer eller samordningsnummer (valfritt)';

describe('the first-call form', () => {
  it('refuses missing required fields next to each, puts the keyboard on the first, and keeps everything typed', async () => {
    const { screen, field, submit } = await openForm();
    await field('Telefon').fill('070-000 00 01');
    await field('Kodord').fill('Blåklocka');
    await field('Säkra tider att ringa').fill('Vardagar 10–12');
    await field('Språk').fill('arabiska');
    await field('Tolk behövs').click();
    await field('Kort anledning (ingen journaltext)').fill('Ringde från en väninnas telefon');
    await field('Utfall').selectOptions('waiting_list');
    await submit.click();

    await expect.poll(() => errorNextTo(field(NAME).element())).toBe('Skriv ett namn eller ett tillfälligt alias.');
    await expect.poll(() => errorNextTo(field('Kommun').element())).toBe('Välj kommun (eller Annan kommun).');
    await expect.element(field(NAME)).toHaveAttribute('aria-invalid', 'true');
    // The keyboard is at the first field to fix, in the form's order.
    await expect.element(field(NAME)).toHaveFocus();
    // A field that was right says nothing.
    expect(errorNextTo(field('Telefon').element())).toBe('');

    await expect.element(field('Telefon')).toHaveValue('070-000 00 01');
    await expect.element(field('Kodord')).toHaveValue('Blåklocka');
    await expect.element(field('Säkra tider att ringa')).toHaveValue('Vardagar 10–12');
    await expect.element(field('Språk')).toHaveValue('arabiska');
    await expect.element(field('Tolk behövs')).toBeChecked();
    await expect.element(field('Kort anledning (ingen journaltext)')).toHaveValue('Ringde från en väninnas telefon');

    // Fixed where it is said, the call is registered.
    await field(NAME).fill(fictionalName('Alva'));
    await field('Kommun').selectOptions('1496');
    await submit.click();
    await expect.element(screen.getByRole('heading', { name: 'Samtalet är registrerat.' })).toBeVisible();
  });

  it('tells a personnummer with a wrong check digit next to the field, and keeps it as typed', async () => {
    const { field, submit } = await openForm();
    const good = personnummer('19850312', '123');
    const bad = `${good.slice(0, -1)}${(Number(good.slice(-1)) + 1) % 10}`;
    const name = fictionalName('Berit');
    await field(NAME).fill(name);
    await field(NUMBER).fill(bad);
    await field('Kommun').selectOptions('1496');
    await submit.click();

    await expect
      .poll(() => errorNextTo(field(NUMBER).element()))
      .toBe('Personnumret eller samordningsnumret stämmer inte (datum eller kontrollsiffra).');
    await expect.element(field(NUMBER)).toHaveFocus();
    await expect.element(field(NUMBER)).toHaveValue(bad);
    await expect.element(field(NAME)).toHaveValue(name);
    expect(errorNextTo(field(NAME).element())).toBe('');
    // Nothing went to the journal.
    expect(await ok('clients.search', { side: 'victims', query: name })).toEqual([]);
  });

  it('keeps the whole form when the main process refuses the save (a number this side already has)', async () => {
    const number = personnummer('19790521', '456');
    const first = fictionalName('Cecilia');
    await newVictim(first, { personalNumber: number, birthYear: 1979 });

    const { screen, field, submit } = await openForm();
    const second = fictionalName('Dagny');
    await field(NAME).fill(second);
    await field(NUMBER).fill(number);
    await field('Kommun').selectOptions('1496');
    await field('Telefon').fill('070-000 00 02');
    await field('Annan instruktion').fill('Säg att det gäller tandläkaren');
    await field('Antal barn under 18 år i hushållet').fill('2');
    await field('Brådska').selectOptions('high');
    await field('Kort anledning (ingen journaltext)').fill('Polisanmälan gjord i går');
    await submit.click();

    // The refusal is the real router's (the form itself found nothing wrong), next to the number.
    await expect.poll(() => errorNextTo(field(NUMBER).element())).toBe('Det finns redan en klient med det numret. Sök fram klienten i stället.');
    await expect.element(field(NUMBER)).toHaveFocus();
    for (const [label, value] of [
      [NAME, second],
      [NUMBER, number],
      ['Kommun', '1496'],
      ['Telefon', '070-000 00 02'],
      ['Annan instruktion', 'Säg att det gäller tandläkaren'],
      ['Antal barn under 18 år i hushållet', 2],
      ['Brådska', 'high'],
      ['Kort anledning (ingen journaltext)', 'Polisanmälan gjord i går'],
    ] as const)
      await expect.element(field(label), { message: label }).toHaveValue(value);
    await expect.element(submit).toBeEnabled();
    // No half-written record: the refused call left no client behind.
    expect(await ok('clients.search', { side: 'victims', query: second })).toEqual([]);

    // Corrected in place (the number dropped), the same form saves.
    await field(NUMBER).clear();
    await userEvent.click(submit);
    await expect.element(screen.getByRole('heading', { name: 'Samtalet är registrerat.' })).toBeVisible();
    expect((await ok('clients.search', { side: 'victims', query: second })).map((client) => client.name)).toEqual([second]);
  });
});
