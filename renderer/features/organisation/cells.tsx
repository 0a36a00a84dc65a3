import { useId, useState, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes } from 'react';
import type { OrgView } from '../../../preload/contract/index';
import { useTranslation } from 'react-i18next';
import { translateMessage } from '../../i18n';
import styles from './organisation.module.css';

/**
 * Controls for editable table rows. The column header says what the cell is, so the label is for
 * screen readers only ("Platser i Väntrum A"); the error appears right below the control, as in Field.
 */
interface CellInputProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  error?: string | undefined;
  ref?: Ref<HTMLInputElement>;
}

export function CellInput({ label, error, id, ...input }: CellInputProps) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <div className={error ? `${styles.orgCell} ${styles.orgCellInvalid}` : styles.orgCell}>
      <label htmlFor={inputId} className="visually-hidden">
        {label}
      </label>
      <input id={inputId} aria-invalid={error ? true : undefined} aria-describedby={error ? `${inputId}-error` : undefined} {...input} />
      {error ? (
        <p className="field__error" id={`${inputId}-error`}>
          {translateMessage(error)}
        </p>
      ) : null}
    </div>
  );
}

interface CellSelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  error?: string | undefined;
  options: { value: string; label: string }[];
  placeholder?: string;
}

export function CellSelect({ label, error, id, options, placeholder, ...select }: CellSelectProps) {
  const generated = useId();
  const selectId = id ?? generated;
  return (
    <div className={error ? `${styles.orgCell} ${styles.orgCellInvalid}` : styles.orgCell}>
      <label htmlFor={selectId} className="visually-hidden">
        {label}
      </label>
      <select id={selectId} aria-invalid={error ? true : undefined} aria-describedby={error ? `${selectId}-error` : undefined} {...select}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {error ? (
        <p className="field__error" id={`${selectId}-error`}>
          {translateMessage(error)}
        </p>
      ) : null}
    </div>
  );
}

export function CellCheckbox({ label, error, id, ...input }: CellInputProps) {
  const generated = useId();
  const boxId = id ?? generated;
  return (
    <div className={error ? `${styles.orgCell} ${styles.orgCellCheck} ${styles.orgCellInvalid}` : `${styles.orgCell} ${styles.orgCellCheck}`}>
      <input id={boxId} type="checkbox" aria-invalid={error ? true : undefined} aria-describedby={error ? `${boxId}-error` : undefined} {...input} />
      <label htmlFor={boxId} className="visually-hidden">
        {label}
      </label>
      {error ? (
        <p className="field__error" id={`${boxId}-error`}>
          {translateMessage(error)}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The last cell of an editable row: the row's own <form> (the inputs in the other cells join it
 * with form="…", so Enter in any of them saves the row), its save button and any refusal without a field.
 */
export function RowSaveCell({
  formId,
  onSubmit,
  saveLabel,
  busy,
  dirty,
  error,
}: {
  formId: string;
  onSubmit: (event: React.FormEvent<HTMLFormElement>) => void;
  saveLabel: string;
  busy: boolean;
  dirty: boolean;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <td className={styles.orgActionsCell}>
      <form id={formId} onSubmit={onSubmit} noValidate className={styles.orgActions}>
        <button type="submit" className={`button ${styles.orgButtonSmall}`} disabled={busy} aria-label={saveLabel}>
          {t('organisation.save')}
        </button>
        {dirty ? <span className={styles.orgUnsaved}>{t('organisation.unsaved')}</span> : null}
      </form>
      {error ? (
        <p className="field__error" role="alert">
          {translateMessage(error)}
        </p>
      ) : null}
    </td>
  );
}

/**
 * The confirmation of a save, in a status region that is always present (so screen readers announce
 * the message when it appears) and looks like the shared Notice.
 */
export function SavedNotice({ message }: { message: string | null }) {
  return (
    <div role="status" className={styles.orgNoticeSlot}>
      {message ? <p className="notice">{message}</p> : null}
    </div>
  );
}

export function Block({ id, title, children, intro }: { id: string; title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <section className={styles.orgBlock} aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {intro}
      {children}
    </section>
  );
}

/** What each row and the add form of a PremisesTable are given: clear the last notice, then report a save. */
export interface RowCallbacks {
  onSaving: () => void;
  onSaved: (org: OrgView, message: string) => void;
}

/**
 * One premises table (entrances, waiting rooms, rooms): a row per item, each saved on its own, the notice
 * of the last save, and the form for a new one.
 */
export function PremisesTable({
  title,
  intro,
  caption,
  describedBy,
  columns,
  onSaved,
  rows,
  add,
}: {
  title: string;
  intro?: ReactNode;
  caption: string;
  describedBy?: string;
  columns: string[];
  onSaved: (org: OrgView) => void;
  rows: (callbacks: RowCallbacks) => ReactNode;
  add: (callbacks: RowCallbacks) => ReactNode;
}) {
  const headingId = useId();
  const [notice, setNotice] = useState<string | null>(null);
  const callbacks: RowCallbacks = {
    onSaving: () => setNotice(null),
    onSaved: (fresh, message) => {
      setNotice(message);
      onSaved(fresh);
    },
  };
  return (
    <Block id={headingId} title={title} intro={intro}>
      <table className={`table ${styles.orgTable}`} aria-describedby={describedBy}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{rows(callbacks)}</tbody>
      </table>
      <SavedNotice message={notice} />
      {add(callbacks)}
    </Block>
  );
}
