import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SortHeader, sortRows } from './SortableTable';

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

describe('a sortable column header', () => {
  it('says which column is sorted and which way, and is a button', () => {
    const sorted = renderToStaticMarkup(
      <table>
        <thead>
          <tr>
            <SortHeader column="name" sort={{ column: 'name', direction: 'descending' }} onSort={() => undefined}>
              Namn
            </SortHeader>
            <SortHeader column="year" sort={{ column: 'name', direction: 'descending' }} onSort={() => undefined}>
              Född
            </SortHeader>
          </tr>
        </thead>
      </table>,
    );
    expect(sorted).toMatch(
      /<th scope="col" aria-sort="descending"><button type="button"[^>]*>Namn<span[^>]*aria-hidden="true">▼<\/span><\/button><\/th>/,
    );
    expect(sorted).toMatch(/<th scope="col" aria-sort="none"><button type="button"[^>]*>Född/);
  });
});
