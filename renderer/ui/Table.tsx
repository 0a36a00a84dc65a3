import { useCallback, useId, useMemo, useState, type ReactNode } from 'react';
import { Cell, Column, Row, Table as AriaTable, TableBody, TableHeader, type SortDescriptor } from 'react-aria-components';
import styles from './Table.module.css';

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
export function sortRows<T, K extends string>(
  rows: readonly T[],
  by: Partial<Record<K, (row: T) => string | number | null>>,
  sort: Sort<K> | null,
): T[] {
  const value = sort ? by[sort.column] : undefined;
  if (!sort || !value) return [...rows];
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

/** What a cell is drawn with: the row, and whether its names are shown in full (see `revealable`). */
export interface CellState {
  revealed: boolean;
}

export interface TableColumn<T, K extends string = string> {
  id: K;
  /** The header's text; `hideLabel` keeps it for screen readers only (an actions column). */
  label: string;
  hideLabel?: boolean;
  /** The column that names the row (one per table): its cells are row headers. */
  rowHeader?: boolean;
  /** Sortable by this value, which must be what the cell shows (initials, not the names behind them). */
  sortBy?: (row: T, state: CellState) => string | number | null;
  className?: string;
  cell: (row: T, state: CellState) => ReactNode;
}

export interface TableProps<T, K extends string = string> {
  /** The table's name: shown above it as its caption, or only for screen readers with `hideCaption`. */
  caption: string;
  hideCaption?: boolean;
  'aria-describedby'?: string;
  rows: readonly T[];
  columns: readonly TableColumn<T, K>[];
  rowKey: (row: T) => string;
  /** What the row's text is for type-to-find: what the row shows, never more. */
  rowText?: (row: T, state: CellState) => string;
  /** Enter on a row, or a click on it: the row's own action (open it). */
  onRowAction?: (row: T) => void;
  rowClassName?: (row: T) => string | undefined;
  rowTestId?: string;
  /** The row's data-* attributes (without the prefix): what tests and styles read a row's state by. */
  rowData?: (row: T) => Record<string, string | undefined>;
  /**
   * Discreet mode's reveal: V on a focused row shows its names in full until focus leaves the row.
   * Cells get `revealed` to decide; the sorting never sees it (the order must not change, or tell).
   */
  revealable?: boolean;
  initialSort?: Sort<K> | null;
  /** Said in the body when there are no rows. */
  empty?: ReactNode;
  className?: string;
  testId?: string;
}

function dataAttributes(data: Record<string, string | undefined> | undefined): Record<`data-${string}`, string> {
  const attributes: Record<`data-${string}`, string> = {};
  for (const [name, value] of Object.entries(data ?? {})) if (value !== undefined) attributes[`data-${name}`] = value;
  return attributes;
}

const HIDDEN: CellState = { revealed: false };

/**
 * The kit's table for lists that can be long, on react-aria's grid: sortable columns (aria-sort on
 * the header; click it, or Enter on it), arrow keys from row to row and cell to cell, Enter for the
 * row's action. It is still a <table>, so it prints as one.
 */
export function Table<T, K extends string = string>({
  caption,
  hideCaption = false,
  rows,
  columns,
  rowKey,
  rowText,
  onRowAction,
  rowClassName,
  rowTestId,
  rowData,
  revealable = false,
  initialSort = null,
  empty,
  className,
  testId,
  ...aria
}: TableProps<T, K>) {
  const captionId = useId();
  const [sort, setSort] = useState<Sort<K> | null>(initialSort);
  const [revealedKey, setRevealedKey] = useState<string | null>(null);
  const by = useMemo(() => {
    const map: Partial<Record<K, (row: T) => string | number | null>> = {};
    for (const column of columns) if (column.sortBy) map[column.id] = (row: T) => column.sortBy!(row, HIDDEN);
    return map;
  }, [columns]);
  const sorted = useMemo(() => sortRows(rows, by, sort), [rows, by, sort]);
  const byKey = useMemo(() => new Map(sorted.map((row) => [rowKey(row), row])), [sorted, rowKey]);
  const onSortChange = useCallback((descriptor: SortDescriptor) => {
    setSort({ column: String(descriptor.column) as K, direction: descriptor.direction });
  }, []);

  // The reveal key is taken before react-aria's type-to-find sees it (a V would jump to a row starting with V).
  const onKeyDownCapture = (event: React.KeyboardEvent) => {
    if (!revealable || event.ctrlKey || event.metaKey || event.altKey || (event.key !== 'v' && event.key !== 'V')) return;
    const target = event.target as HTMLElement;
    if (target.getAttribute('role') !== 'row') return;
    const key = target.dataset['key'];
    if (key === undefined) return;
    event.preventDefault();
    event.stopPropagation();
    setRevealedKey((current) => (current === key ? null : key));
  };
  // Focus leaving the revealed row hides its names again.
  const onBlurCapture = (event: React.FocusEvent) => {
    if (revealedKey === null) return;
    const next = event.relatedTarget as HTMLElement | null;
    const row = next?.closest('[role="row"]') as HTMLElement | null;
    if (row?.dataset['key'] !== revealedKey) setRevealedKey(null);
  };

  return (
    <div className={styles.wrap} onKeyDownCapture={onKeyDownCapture} onBlurCapture={onBlurCapture} data-testid={testId}>
      {hideCaption ? null : (
        <p id={captionId} className={styles.caption}>
          {caption}
        </p>
      )}
      <AriaTable
        className={className ? `table ${styles.table} ${className}` : `table ${styles.table}`}
        {...(hideCaption ? { 'aria-label': caption } : { 'aria-labelledby': captionId })}
        {...aria}
        {...(sort ? { sortDescriptor: { column: sort.column, direction: sort.direction } } : {})}
        onSortChange={onSortChange}
        {...(onRowAction
          ? {
              onRowAction: (key) => {
                const row = byKey.get(String(key));
                if (row) onRowAction(row);
              },
            }
          : {})}
      >
        <TableHeader>
          {columns.map((column) => (
            <Column
              key={column.id}
              id={column.id}
              isRowHeader={column.rowHeader ?? false}
              allowsSorting={column.sortBy !== undefined}
              className={column.className ? `${styles.column} ${column.className}` : styles.column}
              data-sort-column={column.sortBy ? column.id : undefined}
            >
              {({ allowsSorting, sortDirection }) =>
                column.hideLabel ? (
                  <span className="visually-hidden">{column.label}</span>
                ) : (
                  <span className={styles.header}>
                    {column.label}
                    {allowsSorting ? (
                      // A no-break space: the arrow stays with the header's last word when the header wraps.
                      <span className={sortDirection ? styles.arrow : `${styles.arrow} ${styles.arrowIdle}`} aria-hidden="true">
                        {'\u00a0'}
                        {sortDirection === 'descending' ? '▼' : '▲'}
                      </span>
                    ) : null}
                  </span>
                )
              }
            </Column>
          ))}
        </TableHeader>
        <TableBody renderEmptyState={empty === undefined ? undefined : () => <span className={styles.empty}>{empty}</span>}>
          {sorted.map((row) => {
            const key = rowKey(row);
            const state: CellState = { revealed: revealable && revealedKey === key };
            return (
              <Row
                key={key}
                id={key}
                textValue={rowText ? rowText(row, state) : undefined}
                className={[styles.row, rowClassName?.(row)].filter(Boolean).join(' ')}
                data-testid={rowTestId}
                data-revealed={state.revealed || undefined}
                {...dataAttributes(rowData?.(row))}
              >
                {columns.map((column) => (
                  <Cell key={column.id} className={column.className}>
                    {column.cell(row, state)}
                  </Cell>
                ))}
              </Row>
            );
          })}
        </TableBody>
      </AriaTable>
    </div>
  );
}
