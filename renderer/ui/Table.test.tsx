import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Table, sortRows, type TableProps } from './Table';

interface Row {
  id: string;
  name: string | null;
  year: number | null;
}

const rows: Row[] = [
  { id: 'a', name: 'Östen', year: 1980 },
  { id: 'b', name: 'Åsa', year: null },
  { id: 'c', name: 'anna', year: 1975 },
  { id: 'd', name: null, year: 1990 },
  { id: 'e', name: 'Ärla', year: 1975 },
];
const by = { name: (row: Row) => row.name, year: (row: Row) => row.year };
const ids = (sorted: Row[]) => sorted.map((row) => row.id).join('');

describe('sorting a long list', () => {
  it('keeps the given order until asked', () => {
    expect(ids(sortRows(rows, by, null))).toBe('abcde');
  });

  it('sorts names the Swedish way (å, ä, ö last), empty ones last both ways', () => {
    expect(ids(sortRows(rows, by, { column: 'name', direction: 'ascending' }))).toBe('cbead');
    expect(ids(sortRows(rows, by, { column: 'name', direction: 'descending' }))).toBe('aebcd');
  });

  it('sorts numbers as numbers, keeping the given order among equals', () => {
    expect(ids(sortRows(rows, by, { column: 'year', direction: 'ascending' }))).toBe('ceadb');
    expect(ids(sortRows(rows, by, { column: 'year', direction: 'descending' }))).toBe('daceb');
  });
});

interface Person {
  id: string;
  name: string;
  born: number;
}

function render(props: Partial<TableProps<Person>> = {}): string {
  return renderToStaticMarkup(
    <Table<Person>
      caption="Sökträffar"
      rows={[
        { id: 'p1', name: 'Östen Exempelsson', born: 1980 },
        { id: 'p2', name: 'Anna Exempeldotter', born: 1975 },
      ]}
      columns={[
        { id: 'name', label: 'Namn', rowHeader: true, sortBy: (person) => person.name, cell: (person) => person.name },
        { id: 'born', label: 'Född', sortBy: (person) => person.born, cell: (person) => person.born },
        { id: 'open', label: 'Öppna', hideLabel: true, cell: () => <button type="button">Öppna</button> },
      ]}
      rowKey={(person) => person.id}
      rowTestId="person-row"
      {...props}
    />,
  );
}

describe('the kit table', () => {
  it('is a grid named by its caption, whose sortable headers say how they are sorted', () => {
    const html = render({ initialSort: { column: 'born', direction: 'descending' } });
    const grid = /<table[^>]*>/.exec(html)![0];
    expect(grid).toContain('role="grid"');
    const captionId = /<p id="([^"]+)"[^>]*>Sökträffar<\/p>/.exec(html)![1]!;
    expect(grid).toContain(`aria-labelledby="${captionId}"`);
    const headers = [...html.matchAll(/<th[^>]*role="columnheader"[^>]*>/g)].map((match) => match[0]);
    expect(headers).toHaveLength(3);
    expect(headers[0]).toContain('aria-sort="none"');
    expect(headers[1]).toContain('aria-sort="descending"');
    // A column that cannot be sorted does not claim to be.
    expect(headers[2]).not.toContain('aria-sort');
    expect(html).toMatch(/<span class="visually-hidden">Öppna<\/span>/);
  });

  it('draws the rows in the order asked for, each named by its row header', () => {
    const html = render({ initialSort: { column: 'name', direction: 'ascending' } });
    const rowHeaders = [...html.matchAll(/<td[^>]*role="rowheader"[^>]*>([^<]*)<\/td>/g)].map((match) => match[1]);
    expect(rowHeaders).toEqual(['Anna Exempeldotter', 'Östen Exempelsson']);
    expect([...html.matchAll(/data-testid="person-row"/g)]).toHaveLength(2);
  });

  it('names itself for screen readers only when the caption is hidden', () => {
    const html = render({ hideCaption: true });
    expect(/<table[^>]*>/.exec(html)![0]).toContain('aria-label="Sökträffar"');
    expect(html).not.toMatch(/<p[^>]*>Sökträffar<\/p>/);
  });

  it('marks each row with its own data attributes, and draws no name revealed until asked', () => {
    const seen: boolean[] = [];
    const html = render({
      rowData: (person) => ({ flagged: person.born < 1978 ? 'true' : undefined }),
      revealable: true,
      columns: [
        {
          id: 'name',
          label: 'Namn',
          rowHeader: true,
          cell: (person, { revealed }) => {
            seen.push(revealed);
            return person.name;
          },
        },
      ],
    });
    const rows = [...html.matchAll(/<tr[^>]*data-testid="person-row"[^>]*>/g)].map((match) => match[0]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).not.toContain('data-flagged');
    expect(rows[1]).toContain('data-flagged="true"');
    expect(seen).toEqual([false, false]);
  });
});
