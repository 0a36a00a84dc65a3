import { describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';
import { userEvent } from 'vitest/browser';
import { Table } from './Table';

interface Person {
  id: string;
  name: string;
  born: number;
}

const people: Person[] = [
  { id: 'p1', name: 'Östen Exempelsson', born: 1980 },
  { id: 'p2', name: 'Anna Exempeldotter', born: 1975 },
  { id: 'p3', name: 'Åke Exempelsson', born: 1990 },
];

function renderTable(onOpen: (person: Person) => void = () => undefined) {
  return render(
    <Table<Person>
      caption="Sökträffar"
      rows={people}
      columns={[
        { id: 'name', label: 'Namn', rowHeader: true, sortBy: (person) => person.name, cell: (person) => person.name },
        { id: 'born', label: 'Född', sortBy: (person) => person.born, cell: (person) => person.born },
      ]}
      rowKey={(person) => person.id}
      rowText={(person) => person.name}
      onRowAction={onOpen}
    />,
  );
}

/** The row headers' texts from top to bottom, as a screen reader meets them. */
function order(): string[] {
  return [...document.querySelectorAll('[role="rowheader"]')].map((cell) => cell.textContent ?? '');
}

describe('the kit table in a browser', () => {
  it('sorts by a header clicked, and says so with aria-sort', async () => {
    const screen = await renderTable();
    const name = screen.getByRole('columnheader', { name: 'Namn' });
    const born = screen.getByRole('columnheader', { name: 'Född' });
    await expect.element(name).toHaveAttribute('aria-sort', 'none');
    expect(order()).toEqual(['Östen Exempelsson', 'Anna Exempeldotter', 'Åke Exempelsson']);

    await name.click();
    await expect.element(name).toHaveAttribute('aria-sort', 'ascending');
    // Swedish order: å, ä, ö after z.
    expect(order()).toEqual(['Anna Exempeldotter', 'Åke Exempelsson', 'Östen Exempelsson']);
    await name.click();
    await expect.element(name).toHaveAttribute('aria-sort', 'descending');
    expect(order()).toEqual(['Östen Exempelsson', 'Åke Exempelsson', 'Anna Exempeldotter']);

    await born.click();
    await expect.element(born).toHaveAttribute('aria-sort', 'ascending');
    // Only one column is sorted at a time.
    await expect.element(name).toHaveAttribute('aria-sort', 'none');
    expect(order()).toEqual(['Anna Exempeldotter', 'Östen Exempelsson', 'Åke Exempelsson']);
  });

  it('sorts from the keyboard: arrows up to a header, Enter sorts, Enter again turns the order', async () => {
    const screen = await renderTable();
    await userEvent.tab();
    // The keyboard lands on the first row; up from it are the headers.
    expect(document.activeElement?.closest('[role="row"]')?.textContent).toContain('Östen Exempelsson');
    await userEvent.keyboard('{ArrowUp}');
    const born = screen.getByRole('columnheader', { name: 'Född' });
    await userEvent.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(born.element());
    await userEvent.keyboard('{Enter}');
    await expect.element(born).toHaveAttribute('aria-sort', 'ascending');
    expect(order()).toEqual(['Anna Exempeldotter', 'Östen Exempelsson', 'Åke Exempelsson']);
    await userEvent.keyboard('{Enter}');
    await expect.element(born).toHaveAttribute('aria-sort', 'descending');
    expect(order()).toEqual(['Åke Exempelsson', 'Östen Exempelsson', 'Anna Exempeldotter']);
  });

  it('opens a row with Enter after moving to it with the arrows', async () => {
    const opened: string[] = [];
    await renderTable((person) => opened.push(person.name));
    await userEvent.tab();
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect(opened).toEqual(['Anna Exempeldotter']);
  });
});
