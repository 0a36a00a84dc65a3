import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';
import { userEvent, type Locator } from 'vitest/browser';
import { DateField, TimeField } from './DateTimeFields';

/** The two fields as a form holds them, with what the form holds shown beside each. */
function Form({ date = '', time = '' }: { date?: string; time?: string }) {
  const [dateValue, setDate] = useState(date);
  const [timeValue, setTime] = useState(time);
  return (
    <>
      <DateField label="Datum" value={dateValue} onChange={setDate} />
      <output data-testid="date-value">{dateValue}</output>
      <TimeField label="Starttid" value={timeValue} onChange={setTime} />
      <output data-testid="time-value">{timeValue}</output>
    </>
  );
}

/** Puts the keyboard in a segmented field's first segment, as a click on it does. */
async function focusFirst(field: Locator): Promise<void> {
  await field.getByRole('spinbutton').first().click();
}

describe('the kit date and time fields in a browser', () => {
  it('take 2031-03-04 and 09:30 typed key by key, separators and all', async () => {
    const screen = await render(<Form />);
    const date = screen.getByRole('group', { name: 'Datum' });
    const time = screen.getByRole('group', { name: 'Starttid' });
    await focusFirst(date);
    await userEvent.keyboard('2031-03-04');
    await expect.element(screen.getByTestId('date-value')).toHaveTextContent('2031-03-04');
    await focusFirst(time);
    await userEvent.keyboard('09:30');
    await expect.element(screen.getByTestId('time-value')).toHaveTextContent('09:30');
    // The segments show it in the centre's order, with leading zeros.
    expect(
      date
        .getByRole('spinbutton')
        .elements()
        .map((segment) => segment.textContent),
    ).toEqual(['2031', '03', '04']);
    expect(
      time
        .getByRole('spinbutton')
        .elements()
        .map((segment) => segment.textContent),
    ).toEqual(['09', '30']);
  });

  it('take digits alone too, and step a segment with the arrow keys', async () => {
    const screen = await render(<Form />);
    const time = screen.getByRole('group', { name: 'Starttid' });
    await focusFirst(time);
    await userEvent.keyboard('1745');
    await expect.element(screen.getByTestId('time-value')).toHaveTextContent('17:45');
    await time.getByRole('spinbutton').first().click();
    await userEvent.keyboard('{ArrowUp}');
    await expect.element(screen.getByTestId('time-value')).toHaveTextContent('18:45');
  });

  it('tell the form a half-erased date as shown, never the last whole one', async () => {
    const screen = await render(<Form date="2031-03-04" />);
    const date = screen.getByRole('group', { name: 'Datum' });
    await date.getByRole('spinbutton').last().click();
    await userEvent.keyboard('{Backspace}');
    const held = screen.getByTestId('date-value');
    await expect.element(held).not.toHaveTextContent('2031-03-04');
    // What is shown ('2031-03-0' and a placeholder), which the contract's date schema refuses next to the field.
    expect(held.element().textContent).toMatch(/^2031-03-/);
    expect(held.element().textContent).not.toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The rest of what was typed stays.
    expect(
      date
        .getByRole('spinbutton')
        .elements()
        .map((segment) => segment.textContent)
        .slice(0, 2),
    ).toEqual(['2031', '03']);
  });

  it('show a value set from outside (a chosen slot) in the segments', async () => {
    const screen = await render(<Form date="2031-03-04" time="09:30" />);
    expect(
      screen
        .getByRole('group', { name: 'Datum' })
        .getByRole('spinbutton')
        .elements()
        .map((segment) => segment.textContent),
    ).toEqual(['2031', '03', '04']);
    expect(
      screen
        .getByRole('group', { name: 'Starttid' })
        .getByRole('spinbutton')
        .elements()
        .map((segment) => segment.textContent),
    ).toEqual(['09', '30']);
  });
});
