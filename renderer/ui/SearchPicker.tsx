import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Autocomplete, Input, Label, ListBox, ListBoxItem, Text, TextField } from 'react-aria-components';
import { translateMessage } from '../i18n';
import styles from './SearchPicker.module.css';

export interface SearchPickerProps<T> {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** What is typed: owned by the screen, so nothing typed is lost. */
  query: string;
  onQueryChange(query: string): void;
  /** The answer for the current query, or null while it is not in yet (or nothing was asked). */
  results: readonly T[] | null;
  keyOf(item: T): string;
  /** What a screen reader reads for an option: no more than the option shows (initials in discreet mode). */
  textOf(item: T): string;
  renderItem(item: T): ReactNode;
  onChoose(item: T): void;
  listLabel: string;
  /** Said (politely, to a screen reader too) while there are no options to show: "searching…", "no match". */
  status?: string | undefined;
  /** Enter with no option under the arrow keys: search now, rather than submit the form around. */
  onEnter?(): void;
  /** Bumped by the screen when an answer it asked for is in: the keyboard goes back to the field, ready to arrow down. */
  answerVersion?: number;
  autoFocus?: boolean;
  /** A button beside the field (e.g. "Search" for a search that goes out only when asked). */
  action?: ReactNode;
  /** Extra attributes for the input, e.g. data-field for the form's error focus. */
  inputProps?: Record<`data-${string}`, string>;
  className?: string;
}

/**
 * A search field with its matches listed right below it (an ARIA combo box whose list is always
 * inline): type, arrow down into the matches, Enter chooses. The keyboard stays in the field the
 * whole time, so nothing typed is lost and nothing around it is hidden from a screen reader. The
 * matches come from the main process as they are (no filtering here); label, hint and error sit
 * as in Field.
 */
export function SearchPicker<T extends object>({
  label,
  hint,
  error,
  query,
  onQueryChange,
  results,
  keyOf,
  textOf,
  renderItem,
  onChoose,
  listLabel,
  status,
  onEnter,
  answerVersion,
  autoFocus,
  action,
  inputProps,
  className,
}: SearchPickerProps<T>) {
  const errorId = `${useId()}-error`;
  const input = useRef<HTMLInputElement>(null);
  const seen = useRef(answerVersion);
  useEffect(() => {
    if (answerVersion === undefined || answerVersion === seen.current) return;
    seen.current = answerVersion;
    input.current?.focus();
  }, [answerVersion]);
  const items = results ?? [];
  return (
    <div className={[styles.picker, className].filter(Boolean).join(' ')}>
      {/* Enter on an option under the arrow keys chooses it; the first match is not chosen for you. */}
      <Autocomplete inputValue={query} onInputChange={onQueryChange} disableAutoFocusFirst>
        <div className={styles.row}>
          <TextField className={error ? 'field field--invalid' : 'field'} isInvalid={Boolean(error)} aria-describedby={error ? errorId : undefined}>
            <Label>{label}</Label>
            <Input
              ref={input}
              autoFocus={autoFocus}
              // A combo box to assistive technology: its list opens below it as matches come in.
              role="combobox"
              aria-expanded={items.length > 0}
              {...inputProps}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && !event.currentTarget.getAttribute('aria-activedescendant')) {
                  event.preventDefault();
                  onEnter?.();
                }
              }}
            />
            {hint ? (
              <Text slot="description" className="field__hint">
                {hint}
              </Text>
            ) : null}
            {error ? (
              <p className="field__error" id={errorId}>
                {translateMessage(error)}
              </p>
            ) : null}
          </TextField>
          {action}
        </div>
        {items.length > 0 ? (
          <ListBox<T>
            className={styles.list}
            aria-label={listLabel}
            items={items}
            selectionMode="none"
            onAction={(key) => {
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
        ) : null}
      </Autocomplete>
      <p role="status" className={status ? styles.status : styles.statusEmpty}>
        {status}
      </p>
    </div>
  );
}
