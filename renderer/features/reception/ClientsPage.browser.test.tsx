import { describe, expect, it } from 'vitest';
import { errorNextTo, fictionalName, newVictim, ok, personnummer, renderAtDesk } from '../../testing/desk';
import { ClientsPage } from './ClientsPage';

/** A new client's record opened on the clients screen (as a link from another screen opens it), and its editor. */
async function openRecord(first: string, extra: Parameters<typeof newVictim>[1] = {}) {
  const name = fictionalName(first);
  const clientId = await newVictim(name, { language: 'svenska', municipalityCode: '1496', ...extra });
  const { screen } = await renderAtDesk(<ClientsPage />, { hash: `#/reception/clients?id=${clientId}` });
  const editor = screen.getByTestId('record-editor');
  await expect.element(editor).toBeVisible();
  const field = (label: string) => editor.getByLabelText(label, { exact: true });
  return { screen, clientId, name, editor, field, save: editor.getByRole('button', { name: 'Spara klientuppgifter' }) };
}

describe('the client record editor', () => {
  it('saves a new name, municipality, language and interpreter, and the record shows them', async () => {
    const { screen, clientId, field, save } = await openRecord('Ingrid');
    const renamed = fictionalName('Ingela');
    await field('Namn').fill(renamed);
    await field('Kommun').selectOptions('1490');
    await field('Språk').fill('tigrinja');
    await field('Tolk behövs').click();
    await save.click();

    await expect.element(screen.getByText('Klientuppgifterna är sparade.')).toBeVisible();
    // The record above the form shows what was saved, without being opened again.
    await expect.element(screen.getByRole('heading', { level: 2, name: renamed })).toBeVisible();
    const facts = screen.getByRole('definition');
    expect(facts.elements().map((element) => element.textContent)).toEqual(expect.arrayContaining(['Borås', 'tigrinja · Tolk behövs']));
    // And the journal holds it.
    const stored = await ok('clients.get', { side: 'victims', clientId });
    expect([stored.name, stored.municipalityCode, stored.language, stored.interpreterNeeded]).toEqual([renamed, '1490', 'tigrinja', true]);
  });

  it('tells a personnummer with a wrong check digit next to the field, and saves nothing', async () => {
    const { clientId, name, field, save } = await openRecord('Jonna');
    const good = personnummer('19900101', '234');
    const bad = `${good.slice(0, -1)}${(Number(good.slice(-1)) + 3) % 10}`;
    await field('Personnummer').fill(bad);
    await field('Språk').fill('somaliska');
    await save.click();

    await expect
      .poll(() => errorNextTo(field('Personnummer').element()))
      .toBe('Personnumret eller samordningsnumret stämmer inte (datum eller kontrollsiffra).');
    await expect.element(field('Personnummer')).toHaveFocus();
    await expect.element(field('Personnummer')).toHaveValue(bad);
    await expect.element(field('Språk')).toHaveValue('somaliska');
    const stored = await ok('clients.get', { side: 'victims', clientId });
    expect([stored.name, stored.personalNumber, stored.language]).toEqual([name, null, 'svenska']);
  });

  it('asks before leaving the screen with unsaved changes, and lets her stay with them', async () => {
    const { screen, clientId, field, save } = await openRecord('Karin');
    const book = screen.getByTestId('record-book');
    await field('Språk').fill('persiska');
    await book.click();

    const dialog = screen.getByRole('dialog', { name: 'Lämna skärmen?' });
    await expect.element(dialog).toBeVisible();
    expect(window.location.hash).toBe(`#/reception/clients?id=${clientId}`);
    // Staying is the default, and keeps what was typed.
    await expect.element(dialog.getByRole('button', { name: 'Stanna och spara först' })).toHaveFocus();
    await dialog.getByRole('button', { name: 'Stanna och spara först' }).click();
    await expect.element(dialog).not.toBeInTheDocument();
    await expect.element(field('Språk')).toHaveValue('persiska');
    expect(window.location.hash).toBe(`#/reception/clients?id=${clientId}`);

    // Saved, nothing is lost by leaving: the link goes at once.
    await save.click();
    await expect.element(screen.getByText('Klientuppgifterna är sparade.')).toBeVisible();
    await book.click();
    expect(window.location.hash).toMatch(/^#\/schedule/);
    expect(document.querySelector('dialog[open]')).toBeNull();
  });
});
