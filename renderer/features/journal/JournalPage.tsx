import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contract, type ChannelOutput, type JournalExport, type JournalView } from '../../../preload/contract/index';
import { Field, FormError } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { useContractForm } from '../../ui/useContractForm';
import { useChannelMutation, useChannelQuery, useChannelRead } from '../../ui/query';
import { EmergencyAccess, type ClientChoice } from './EmergencyAccess';
import { JournalPrint } from './JournalPrint';
import { JournalRecord } from './JournalRecord';
import { Table, type TableColumn } from '../../ui/Table';
import styles from './journal.module.css';

type MyClient = ChannelOutput<'journal.myClients'>[number];
type MyColumn = 'name' | 'track' | 'since' | 'open';

const LookupForm = contract['journal.findClient'].input;

type Screen = { kind: 'list' } | { kind: 'noAccess'; client: ClientChoice } | { kind: 'record'; view: JournalView; copy: JournalExport | null };

function OpenButton({ name, onOpen }: { name: string; onOpen: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="button button--small" onClick={onOpen}>
      {t('journal.myClients.open')}
      <span className="visually-hidden"> {t('journal.myClients.openFor', { name })}</span>
    </button>
  );
}

/** The therapist's own clients, and a lookup for a client outside them (which leads to the care-relation check). */
function ClientChooser({ onOpen }: { onOpen: (client: ClientChoice) => void }) {
  const { t } = useTranslation();
  const [found, setFound] = useState<ChannelOutput<'journal.findClient'> | null>(null);
  const { form, showServerError } = useContractForm(LookupForm, { query: '' });
  const { register, handleSubmit, formState } = form;

  const myClients = useChannelQuery('journal.myClients', {});
  const mine = myClients.data ?? null;
  const error = myClients.error?.message;
  const findClient = useChannelRead('journal.findClient');
  const openMine = (client: MyClient) => onOpen({ id: client.clientId, name: client.name, track: client.track, birthYear: null });
  // A caseload can be long: sortable by name, track and since when; Enter on a row opens the journal.
  const myColumns: TableColumn<MyClient, MyColumn>[] = [
    { id: 'name', label: t('journal.myClients.name'), rowHeader: true, sortBy: (client) => client.name, cell: (client) => client.name },
    {
      id: 'track',
      label: t('journal.myClients.track'),
      sortBy: (client) => t(`tracks.${client.track}`),
      cell: (client) => t(`tracks.${client.track}`),
    },
    {
      id: 'since',
      label: t('journal.myClients.since'),
      sortBy: (client) => client.since,
      cell: (client) => formatDateTime(client.since).slice(0, 10),
    },
    {
      id: 'open',
      label: t('journal.myClients.open'),
      hideLabel: true,
      cell: (client) => <OpenButton name={client.name} onOpen={() => openMine(client)} />,
    },
  ];
  const search = handleSubmit(async ({ query }) => {
    const result = await findClient({ query });
    if (result.ok) setFound(result.value);
    else showServerError(result.error);
  });

  return (
    <>
      <FormError message={error} />
      <section className={styles.journalSection} aria-labelledby="my-clients-heading">
        <h2 id="my-clients-heading">{t('journal.myClients.title')}</h2>
        {mine && mine.length === 0 ? <p className={styles.journalEmpty}>{t('journal.myClients.none')}</p> : null}
        {mine && mine.length > 0 ? (
          <Table
            caption={t('journal.myClients.caption')}
            hideCaption
            rows={mine}
            columns={myColumns}
            rowKey={(client) => client.clientId}
            rowText={(client) => client.name}
            onRowAction={openMine}
            rowTestId="my-client"
          />
        ) : null}
      </section>

      <section className="panel panel--wide" aria-labelledby="lookup-heading">
        <h2 id="lookup-heading">{t('journal.lookup.title')}</h2>
        <p className={styles.journalSectionLead}>{t('journal.lookup.lead')}</p>
        <form className="inline-search" role="search" aria-labelledby="lookup-heading" onSubmit={search} noValidate>
          <Field label={t('journal.lookup.label')} type="search" autoComplete="off" error={formState.errors.query?.message} {...register('query')} />
          <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
            {t('journal.lookup.button')}
          </button>
        </form>
        <FormError message={formState.errors.root?.server?.message} />
        {found && found.length === 0 ? <p role="status">{t('journal.lookup.none')}</p> : null}
        {found && found.length > 0 ? (
          <table className="table">
            <caption>{t('journal.lookup.results')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('journal.myClients.name')}</th>
                <th scope="col">{t('journal.myClients.track')}</th>
                <th scope="col">{t('journal.lookup.born')}</th>
                <th scope="col">{t('journal.lookup.relation')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('journal.myClients.open')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {found.map((client) => (
                <tr key={client.id} data-testid="found-client">
                  <th scope="row">{client.name}</th>
                  <td>{t(`tracks.${client.track}`)}</td>
                  <td>{client.birthYear ?? '–'}</td>
                  <td>{client.inMyCare ? t('journal.lookup.inCare') : t('journal.lookup.notInCare')}</td>
                  <td>
                    <OpenButton name={client.name} onOpen={() => onOpen(client)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </>
  );
}

/**
 * The therapist's journal: choose a client, open the journal through a care relation (or, with a
 * written reason, through emergency access), write and sign entries, amend, print a copy.
 */
export function JournalPage() {
  const { t } = useTranslation();
  const [screen, setScreen] = useState<Screen>({ kind: 'list' });
  const [error, setError] = useState<string | undefined>();
  const [dirty, setDirty] = useState(false);
  const [leaving, setLeaving] = useState(false);

  // Opening a record is a deliberate act, logged: read once per press, through the cache that a lock or a side switch drops.
  const openJournal = useChannelRead('journal.open');
  // A copy for paper is an action, not a read to keep: never cached.
  const exportJournal = useChannelMutation('journal.export').run;
  const open = async (client: ClientChoice) => {
    setError(undefined);
    const result = await openJournal({ clientId: client.id });
    if (result.ok) setScreen({ kind: 'record', view: result.value, copy: null });
    else if (result.error.code === 'FORBIDDEN' && result.error.message === 'error.journal.noCareRelation') setScreen({ kind: 'noAccess', client });
    else setError(result.error.message);
  };

  const printCopy = async (view: JournalView) => {
    setError(undefined);
    const result = await exportJournal({ clientId: view.client.id });
    if (result.ok) setScreen({ kind: 'record', view, copy: result.value });
    else setError(result.error.message);
  };

  const backToList = () => {
    setLeaving(false);
    setDirty(false);
    setScreen({ kind: 'list' });
  };

  const onDirtyChange = useCallback((value: boolean) => setDirty(value), []);

  useEffect(() => {
    if (leaving) document.getElementById('journal-leave-stay')?.focus();
  }, [leaving]);

  const printing = screen.kind === 'record' && screen.copy !== null;

  return (
    <>
      <h1>{t('journal.title')}</h1>
      {printing ? null : <p className="lead">{t('journal.lead')}</p>}
      <FormError message={error} />
      {leaving ? (
        <div className={`warning ${styles.journalConfirm}`} role="alert">
          <p>{t('journal.record.unsavedLeave')}</p>
          <div className="actions">
            <button type="button" className={`button ${styles.journalButtonDanger}`} onClick={backToList}>
              {t('journal.record.leave')}
            </button>
            <button type="button" className="button button--primary" id="journal-leave-stay" onClick={() => setLeaving(false)}>
              {t('journal.record.stay')}
            </button>
          </div>
        </div>
      ) : null}
      {screen.kind === 'list' ? <ClientChooser onOpen={(client) => void open(client)} /> : null}
      {screen.kind === 'noAccess' ? (
        <EmergencyAccess
          client={screen.client}
          onBack={() => setScreen({ kind: 'list' })}
          onOpened={(view) => setScreen({ kind: 'record', view, copy: null })}
        />
      ) : null}
      {screen.kind === 'record' ? (
        // The record stays mounted (hidden) behind the print view, so a draft being written is never lost.
        <div className="journal-record" hidden={printing}>
          <JournalRecord
            key={screen.view.client.id}
            view={screen.view}
            onDirtyChange={onDirtyChange}
            onBack={() => (dirty ? setLeaving(true) : backToList())}
            onPrint={() => void printCopy(screen.view)}
          />
        </div>
      ) : null}
      {screen.kind === 'record' && screen.copy ? (
        <JournalPrint
          copy={screen.copy}
          onBack={() => {
            setScreen({ kind: 'record', view: screen.view, copy: null });
            requestAnimationFrame(() => document.getElementById('journal-client')?.focus());
          }}
        />
      ) : null}
    </>
  );
}
