import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../preload/contract/index';
import { ClientName, useDesk, useRevealableRow } from '../../ui/desk';
import { FormError } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { useChannelQuery } from '../../ui/query';

type Entry = ChannelOutput<'waitingList.list'>[number];

function WaitingRow({ entry }: { entry: Entry }) {
  const { t } = useTranslation();
  const { revealed, rowProps } = useRevealableRow();
  return (
    <tr {...rowProps} data-testid="waiting-row">
      <th scope="row">
        <a href={`#/reception/clients?id=${entry.clientId}`}>
          <ClientName name={entry.name} revealed={revealed} />
        </a>
      </th>
      <td>{t(`tracks.${entry.track}`)}</td>
      <td>
        <span className={`urgency urgency--${entry.urgency}`}>{t(`urgencies.${entry.urgency}`)}</span>
      </td>
      <td>{formatDateTime(entry.firstContactAt).slice(0, 10)}</td>
      <td>{t('reception.waiting.days', { count: entry.daysSinceFirstContact })}</td>
    </tr>
  );
}

/** Who waits for a first appointment on this side, most urgent first, with the time since first contact. */
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
              <th scope="col">{t('reception.waiting.firstContact')}</th>
              <th scope="col">{t('reception.waiting.waited')}</th>
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
