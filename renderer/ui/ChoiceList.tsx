import type { ReactNode } from 'react';
import { ListBox, ListBoxItem } from 'react-aria-components';
import styles from './ChoiceList.module.css';

export interface ChoiceListProps<T> {
  items: readonly T[];
  keyOf(item: T): string;
  /** What a screen reader reads for the option; by default its text. */
  textOf(item: T): string;
  renderItem(item: T): ReactNode;
  /** The chosen one, if any: marked, and where the keyboard comes back to. */
  chosenKey?: string | null;
  onChoose(item: T): void;
  'aria-labelledby'?: string;
  'aria-label'?: string;
  'aria-describedby'?: string;
}

/**
 * A short list to choose one from (the free times proposed for a booking): Tab into it, the arrow
 * keys move, Enter or Space chooses; a click too. One tab stop for the whole list.
 */
export function ChoiceList<T extends object>({ items, keyOf, textOf, renderItem, chosenKey = null, onChoose, ...labels }: ChoiceListProps<T>) {
  return (
    <ListBox<T>
      {...labels}
      className={styles.list}
      items={items}
      selectionMode="single"
      selectedKeys={chosenKey ? [chosenKey] : []}
      onSelectionChange={(keys) => {
        if (keys === 'all') return;
        const key = [...keys][0];
        const item = items.find((candidate) => keyOf(candidate) === key);
        if (item) onChoose(item);
      }}
    >
      {(item) => (
        <ListBoxItem id={keyOf(item)} textValue={textOf(item)} className={styles.option}>
          {renderItem(item)}
        </ListBoxItem>
      )}
    </ListBox>
  );
}
