import { useMemo, useState, type ReactNode } from 'react';
import styles from './SortableTable.module.css';

export type SortDirection = 'ascending' | 'descending';
export interface Sort<K extends string> {
  column: K;
  direction: SortDirection;
}

const collator = new Intl.Collator('sv', { numeric: true, sensitivity: 'base' });

/**
 * A long list's rows in the order asked for. Sort only by what the row shows (initials in discreet
 * mode, not the names behind them): the order must not tell more than the screen does.
 * Empty values go last either way.
 */
export function sortRows<T, K extends string>(rows: readonly T[], by: Record<K, (row: T) => string | number | null>, sort: Sort<K> | null): T[] {
  if (!sort) return [...rows];
  const value = by[sort.column];
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, key: value(row) }))
    .sort((a, b) => {
      if (a.key === null || a.key === '') return b.key === null || b.key === '' ? a.index - b.index : 1;
      if (b.key === null || b.key === '') return -1;
      const order = typeof a.key === 'number' && typeof b.key === 'number' ? a.key - b.key : collator.compare(String(a.key), String(b.key));
      return order === 0 ? a.index - b.index : sign * order;
    })
    .map(({ row }) => row);
}

export function useSort<T, K extends string>(rows: readonly T[], by: Record<K, (row: T) => string | number | null>, initial: Sort<K> | null = null) {
  const [sort, setSort] = useState<Sort<K> | null>(initial);
  const sorted = useMemo(() => sortRows(rows, by, sort), [rows, by, sort]);
  const toggle = (column: K) =>
    setSort((current) => ({ column, direction: current?.column === column && current.direction === 'ascending' ? 'descending' : 'ascending' }));
  return { sorted, sort, toggle };
}

/**
 * A column header that sorts its table (the ARIA sortable-table pattern): a button in the header,
 * aria-sort on the header that is sorted, so a screen reader says which column and which way.
 */
export function SortHeader<K extends string>({
  column,
  sort,
  onSort,
  className,
  children,
}: {
  column: K;
  sort: Sort<K> | null;
  onSort: (column: K) => void;
  className?: string;
  children: ReactNode;
}) {
  const direction = sort?.column === column ? sort.direction : undefined;
  return (
    <th scope="col" aria-sort={direction ?? 'none'} className={className}>
      <button type="button" className={styles.button} onClick={() => onSort(column)} data-sort-column={column}>
        {children}
        <span className={direction ? styles.arrow : `${styles.arrow} ${styles.arrowIdle}`} aria-hidden="true">
          {direction === 'descending' ? '▼' : '▲'}
        </span>
      </button>
    </th>
  );
}
