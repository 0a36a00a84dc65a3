import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../preload/contract/index';
import { ClientName, useDesk, useRevealableRow } from '../../ui/desk';
import { FormError } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { useChannelQuery } from '../../ui/query';
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

function WaitingRow({ entry }: { entry: Entry }) {
  const { t } = useTranslation();
  const { discreet } = useDesk();
  const { revealed, rowProps } = useRevealableRow();
  const initials = <ClientName name={entry.name} revealed={revealed} />;
  return (
    <tr {...rowProps} data-testid="waiting-row">
      <th scope="row">
        <a href={`#/reception/clients?id=${entry.clientId}`}>{initials}</a>
      </th>
      <td>{t(`tracks.${entry.track}`)}</td>
      <td>
        <span className={styles[`urgency_${entry.urgency}`]}>{t(`urgencies.${entry.urgency}`)}</span>
      </td>
      {/* Why she called is for the desk, not for a visitor's eyes: in discreet mode it waits for V on the row. */}
      <td data-testid="waiting-reason">
        {!entry.reason ? '–' : discreet && !revealed ? <span className="discreet">{t('reception.waiting.revealHint')}</span> : entry.reason}
      </td>
      <td data-testid="waiting-callback">
        <CallBack entry={entry} />
      </td>
      <td>{formatDateTime(entry.firstContactAt).slice(0, 10)}</td>
      <td>{t('reception.waiting.days', { count: entry.daysSinceFirstContact })}</td>
      <td>
        <a className="button button--small button--primary" href={bookingHref(entry.clientId, 'first_visit')}>
          {t('reception.waiting.book')}
          <span className="visually-hidden"> {t('reception.waiting.bookFor', { track: t(`tracks.${entry.track}`) })}</span>
        </a>
      </td>
    </tr>
  );
}

/** Who waits for a first appointment on this side, most urgent first, with the time since first contact; "Boka" books them. */
export function WaitingListPage() {
  const { t } = useTranslation();
  const { side } = useDesk();
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
        <table className="table">
          <caption className="visually-hidden">{t('reception.waiting.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reception.waiting.name')}</th>
              <th scope="col">{t('reception.waiting.track')}</th>
              <th scope="col">{t('reception.waiting.urgency')}</th>
              <th scope="col">{t('reception.waiting.reason')}</th>
              <th scope="col">{t('reception.waiting.callBack')}</th>
              <th scope="col">{t('reception.waiting.firstContact')}</th>
              <th scope="col">{t('reception.waiting.waited')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('reception.waiting.book')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <WaitingRow key={entry.clientId} entry={entry} />
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
