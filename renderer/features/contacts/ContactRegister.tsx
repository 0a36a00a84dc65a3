import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  AGENCY_KINDS,
  CONTACT_STATUSES,
  MAILING_LIST_COLUMNS,
  type ContactFilter,
  type ContactView,
  type MailingListLabels,
  type NetworkDayView,
  type OrgView,
} from '../../../preload/contract/index';
import { Field, FormError, Notice, SelectField } from '../../ui/Field';
import { todayInCentre } from '../../ui/format';
import { useChannelMutation, useChannelQuery } from '../../ui/query';
import { ContactEditor, type SavedContact } from './ContactEditor';
import { downloadText } from '../../ui/download';
import { Table, type TableColumn } from '../../ui/Table';
import { CURRENT_CONTACTS, agencyLine } from './model';
import styles from './contacts.module.css';

/** An e-mail address that may wrap before its @, never in the middle of a name. */
function breakableEmail(email: string) {
  const at = email.lastIndexOf('@');
  if (at <= 0) return email;
  return (
    <>
      {email.slice(0, at)}
      <wbr />
      {email.slice(at)}
    </>
  );
}

type ContactColumn = 'name' | 'agency' | 'reach' | 'assignment' | 'days' | 'actions';

/**
 * The register itself: a filter, the table of contact persons (current, former or all), the editor
 * for one of them, and the newsletter's mailing list for the same filter.
 */

export function ContactRegister({ org, days, onChanged }: { org: OrgView; days: NetworkDayView[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<ContactFilter>(CURRENT_CONTACTS);
  const list = useChannelQuery('contacts.list', { filter }, { keepPrevious: true });
  const contacts = list.data ?? null;
  const [exportError, setError] = useState<string | undefined>();
  const error = list.error?.message ?? exportError;
  const mailingList = useChannelMutation('contacts.mailingListCsv');
  const [editing, setEditing] = useState<ContactView | 'new' | null>(null);
  const [notice, setNotice] = useState<{ text: string; warning: string | null } | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const tableHeading = useRef<HTMLHeadingElement>(null);

  const edit = (contact: ContactView) => {
    setNotice(null);
    setEditing(contact);
  };
  const columns: TableColumn<ContactView, ContactColumn>[] = [
    {
      id: 'name',
      label: t('contacts.table.name'),
      rowHeader: true,
      className: 'contacts-table__name',
      sortBy: (contact) => contact.name,
      cell: (contact) => (
        <>
          {contact.name}
          {contact.role ? <span className={styles.contactsTableRole}>{contact.role}</span> : null}
        </>
      ),
    },
    {
      id: 'agency',
      label: t('contacts.table.agency'),
      sortBy: (contact) => `${t(`contacts.agencyKinds.${contact.agencyKind}`)} ${agencyLine(contact)}`,
      cell: (contact) => (
        <>
          <span className={styles.contactsTableKind}>{t(`contacts.agencyKinds.${contact.agencyKind}`)}</span>
          {agencyLine(contact)}
          <span className={styles.contactsTableMunicipality}>{contact.municipalityName ?? t('contacts.table.wholeArea')}</span>
        </>
      ),
    },
    {
      id: 'reach',
      label: t('contacts.table.reach'),
      className: styles.contactsTableReach,
      cell: (contact) => (
        <>
          {contact.email ? <span className={styles.contactsTableEmail}>{breakableEmail(contact.email)}</span> : null}
          {contact.phone ? <span className={styles.contactsTableNowrap}>{contact.phone}</span> : null}
        </>
      ),
    },
    {
      id: 'assignment',
      label: t('contacts.table.assignment'),
      className: styles.contactsTableAssignment,
      sortBy: (contact) => contact.assignmentStart,
      cell: (contact) => (
        <>
          {contact.assignmentEnd ? (
            <>
              <span>{contact.assignmentStart} –</span> <span>{contact.assignmentEnd}</span>
            </>
          ) : (
            <span>{t('contacts.table.since', { date: contact.assignmentStart })}</span>
          )}
          {contact.current ? null : <span className="tag">{t('contacts.table.former')}</span>}
        </>
      ),
    },
    {
      id: 'days',
      label: t('contacts.table.days'),
      className: styles.contactsTableNumber,
      sortBy: (contact) => contact.attendedDays,
      cell: (contact) => t('contacts.table.dayCount', { count: contact.attendedDays }),
    },
    {
      id: 'actions',
      label: t('contacts.table.actions'),
      cell: (contact) => (
        <button
          type="button"
          className="button button--small"
          aria-label={t('contacts.table.editLabel', { name: contact.name })}
          onClick={() => edit(contact)}
        >
          {t('contacts.table.edit')}
        </button>
      ),
    },
  ];

  const set = <K extends keyof ContactFilter>(key: K, value: ContactFilter[K]) => setFilter((current) => ({ ...current, [key]: value }));

  const exportMailingList = async () => {
    setNotice(null);
    const { status: _status, ...rest } = filter;
    const labels = {
      columns: Object.fromEntries(
        MAILING_LIST_COLUMNS.map((column) => [column, t(`contacts.mailing.columns.${column}`)]),
      ) as MailingListLabels['columns'],
      kinds: Object.fromEntries(AGENCY_KINDS.map((kind) => [kind, t(`contacts.agencyKinds.${kind}`)])) as MailingListLabels['kinds'],
    };
    const result = await mailingList.run({ filter: rest, labels });
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    const file = t('contacts.mailing.file', { date: todayInCentre() });
    downloadText(result.value.csv, file, 'text/csv;charset=utf-8');
    setNotice({ text: t('contacts.mailing.exported', { count: result.value.rows, file }), warning: null });
  };

  const closeEditor = () => {
    setEditing(null);
    requestAnimationFrame(() => addButton.current?.focus());
  };

  const saved = ({ contact, warnings }: SavedContact) => {
    setNotice({
      text: t('contacts.editor.saved', { name: contact.name }),
      warning: warnings.length
        ? t('contacts.editor.duplicate', {
            names: new Intl.ListFormat(document.documentElement.lang || 'sv', { type: 'conjunction' }).format(warnings.map((w) => w.otherName)),
          })
        : null,
    });
    closeEditor();
    onChanged();
  };

  const deleted = (name: string) => {
    setNotice({ text: t('contacts.editor.deleted', { name }), warning: null });
    closeEditor();
    onChanged();
  };

  const municipalities = org.municipalities.filter((municipality) => municipality.code !== 'other');

  return (
    <>
      <form
        className={`panel panel--wide ${styles.contactsFilter}`}
        aria-labelledby="contacts-filter-heading"
        noValidate
        onSubmit={(event) => event.preventDefault()}
      >
        <h2 id="contacts-filter-heading">{t('contacts.filter.title')}</h2>
        <div className={styles.contactsFilterGrid}>
          <SelectField
            id="contacts-filter-status"
            label={t('contacts.filter.status')}
            value={filter.status}
            options={CONTACT_STATUSES.map((status) => ({ value: status, label: t(`contacts.filter.statuses.${status}`) }))}
            onChange={(event) => set('status', event.target.value as ContactFilter['status'])}
          />
          <SelectField
            id="contacts-filter-agency"
            label={t('contacts.filter.agencyKind')}
            value={filter.agencyKind ?? ''}
            placeholder={t('contacts.filter.allAgencies')}
            options={AGENCY_KINDS.map((kind) => ({ value: kind, label: t(`contacts.agencyKinds.${kind}`) }))}
            onChange={(event) => set('agencyKind', (event.target.value || null) as ContactFilter['agencyKind'])}
          />
          <SelectField
            id="contacts-filter-municipality"
            label={t('contacts.filter.municipality')}
            value={filter.municipalityCode ?? ''}
            placeholder={t('contacts.filter.allMunicipalities')}
            options={municipalities.map((municipality) => ({ value: municipality.code, label: municipality.name }))}
            onChange={(event) => set('municipalityCode', event.target.value || null)}
          />
          <Field
            id="contacts-filter-text"
            type="search"
            label={t('contacts.filter.text')}
            hint={t('contacts.filter.textHint')}
            autoComplete="off"
            maxLength={80}
            value={filter.text}
            onChange={(event) => set('text', event.target.value)}
          />
        </div>
        <button type="button" className="button button--small" onClick={() => setFilter(CURRENT_CONTACTS)}>
          {t('contacts.filter.clear')}
        </button>
      </form>

      <div className={`actions ${styles.contactsTools}`}>
        <button ref={addButton} type="button" className="button button--primary" onClick={() => setEditing('new')} disabled={editing === 'new'}>
          {t('contacts.add')}
        </button>
        <button type="button" className="button" onClick={() => void exportMailingList()} aria-describedby="contacts-mailing-hint">
          {t('contacts.mailing.button')}
        </button>
      </div>
      <p className="field__hint" id="contacts-mailing-hint">
        {t('contacts.mailing.hint')}
      </p>
      <div aria-live="polite">
        {notice ? <Notice>{notice.text}</Notice> : null}
        {notice?.warning ? (
          <p className="warning" data-testid="duplicate-warning">
            {notice.warning}
          </p>
        ) : null}
      </div>
      <FormError message={error} />

      {editing ? (
        <ContactEditor
          key={editing === 'new' ? 'new' : editing.id}
          contact={editing === 'new' ? null : editing}
          org={org}
          days={days}
          onSaved={saved}
          onDeleted={deleted}
          onCancel={closeEditor}
        />
      ) : null}

      <section aria-labelledby="contacts-table-heading" className={styles.contactsList}>
        <h2 id="contacts-table-heading" ref={tableHeading} tabIndex={-1}>
          {t('contacts.table.caption')}
        </h2>
        {contacts ? (
          <p role="status" className={styles.contactsSummary}>
            {contacts.length === 0 ? t('contacts.table.empty') : t('contacts.table.summary', { count: contacts.length })}
          </p>
        ) : null}
        {contacts && contacts.length > 0 ? (
          <Table
            caption={t('contacts.table.caption')}
            hideCaption
            className={styles.contactsTable}
            rows={contacts}
            columns={columns}
            rowKey={(contact) => contact.id}
            rowText={(contact) => contact.name}
            rowClassName={(contact) => (contact.current ? undefined : styles.contactsTableFormer)}
            onRowAction={edit}
          />
        ) : null}
      </section>
    </>
  );
}
