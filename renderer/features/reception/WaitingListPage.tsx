import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { URGENCIES, type ChannelOutput } from '../../../preload/contract/index';
import { ClientName, useDesk } from '../../ui/desk';
import { FormError } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { initialsOf } from '../../ui/initials';
import { useChannelQuery } from '../../ui/query';
import { Table, type TableColumn } from '../../ui/Table';
import styles from './reception.module.css';

type Entry = ChannelOutput<'waitingList.list'>[number];

/** The schedule opens its booking form for this client (and their therapist, if they have one). */
export const bookingHref = (clientId: string, kind: 'first_visit' | 'individual' = 'individual') =>
  `#/schedule?book=${encodeURIComponent(clientId)}&kind=${kind}`;

/**
 * When and how to call back, as the client list shows it beside a number. A protected client's
 * instructions never come to a list: it says only that they are protected.
 */
function CallBack({ entry }: { entry: Entry }) {
  const { t } = useTranslation();
  if (entry.protectedIdentity) return <span className="protected">{t('reception.waiting.protected')}</span>;
  if (!entry.safeTimes && !entry.instructions) return <span className="field__hint">{t('reception.waiting.noInstructions')}</span>;
  return (
    <ul className="phone__rules">
      {entry.safeTimes ? (
        <li>
          {t('safeContact.times')}: {entry.safeTimes}
        </li>
      ) : null}
      {entry.instructions ? (
        <li>
          {t('safeContact.instructions')}: {entry.instructions}
        </li>
      ) : null}
    </ul>
  );
}

type WaitingColumn = 'name' | 'track' | 'urgency' | 'reason' | 'callBack' | 'firstContact' | 'waited' | 'book';

const clientHref = (clientId: string) => `#/reception/clients?id=${encodeURIComponent(clientId)}`;

/**
 * The list's columns. Sorted only by what every row shows whatever the mode: the initials in discreet
 * mode, never the reason (hidden there until V) nor how to call back.
 */
function useWaitingColumns(): TableColumn<Entry, WaitingColumn>[] {
  const { t } = useTranslation();
  const { discreet } = useDesk();
  return useMemo(
    () => [
      {
        id: 'name',
        label: t('reception.waiting.name'),
        rowHeader: true,
        sortBy: (entry) => (entry.name ? (discreet ? initialsOf(entry.name) : entry.name) : null),
        cell: (entry, { revealed }) => (
          <a href={clientHref(entry.clientId)}>
            <ClientName name={entry.name} revealed={revealed} />
          </a>
        ),
      },
      {
        id: 'track',
        label: t('reception.waiting.track'),
        sortBy: (entry) => t(`tracks.${entry.track}`),
        cell: (entry) => t(`tracks.${entry.track}`),
      },
      {
        id: 'urgency',
        label: t('reception.waiting.urgency'),
        // Most urgent first when ascending, as the list comes.
        sortBy: (entry) => URGENCIES.indexOf(entry.urgency),
        cell: (entry) => <span className={styles[`urgency_${entry.urgency}`]}>{t(`urgencies.${entry.urgency}`)}</span>,
      },
      {
        id: 'reason',
        label: t('reception.waiting.reason'),
        // Why she called is for the desk, not for a visitor's eyes: in discreet mode it waits for V on the row.
        cell: (entry, { revealed }) => (
          <span data-testid="waiting-reason">
            {!entry.reason ? '–' : discreet && !revealed ? <span className="discreet">{t('reception.waiting.revealHint')}</span> : entry.reason}
          </span>
        ),
      },
      {
        id: 'callBack',
        label: t('reception.waiting.callBack'),
        cell: (entry) => (
          <span data-testid="waiting-callback">
            <CallBack entry={entry} />
          </span>
        ),
      },
      {
        id: 'firstContact',
        label: t('reception.waiting.firstContact'),
        sortBy: (entry) => entry.firstContactAt,
        cell: (entry) => formatDateTime(entry.firstContactAt).slice(0, 10),
      },
      {
        id: 'waited',
        label: t('reception.waiting.waited'),
        sortBy: (entry) => entry.daysSinceFirstContact,
        cell: (entry) => t('reception.waiting.days', { count: entry.daysSinceFirstContact }),
      },
      {
        id: 'book',
        label: t('reception.waiting.book'),
        hideLabel: true,
        cell: (entry) => (
          <a className="button button--small button--primary" href={bookingHref(entry.clientId, 'first_visit')}>
            {t('reception.waiting.book')}
            <span className="visually-hidden"> {t('reception.waiting.bookFor', { track: t(`tracks.${entry.track}`) })}</span>
          </a>
        ),
      },
    ],
    [discreet, t],
  );
}

/** Who waits for a first appointment on this side, most urgent first, with the time since first contact; "Boka" books them. */
export function WaitingListPage() {
  const { t } = useTranslation();
  const { side, discreet } = useDesk();
  const columns = useWaitingColumns();
  const waiting = useChannelQuery('waitingList.list', { side });
  const entries = waiting.data ?? null;
  const error = waiting.error?.message;
  return (
    <>
      <h1>{t('reception.waiting.title')}</h1>
      <p className="lead">{t('reception.waiting.lead')}</p>
      <FormError message={error} />
      {entries && entries.length === 0 ? <p>{t('reception.waiting.empty')}</p> : null}
      {entries && entries.length > 0 ? (
        <Table
          caption={t('reception.waiting.title')}
          hideCaption
          rows={entries}
          columns={columns}
          rowKey={(entry) => entry.clientId}
          rowText={(entry, { revealed }) => (entry.name ? (discreet && !revealed ? initialsOf(entry.name) : entry.name) : '')}
          onRowAction={(entry) => {
            window.location.hash = clientHref(entry.clientId);
          }}
          rowTestId="waiting-row"
          revealable
        />
      ) : null}
    </>
  );
}
