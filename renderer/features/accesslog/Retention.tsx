import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../preload/contract/index';
import { FormError } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { useChannelMutation } from '../../ui/query';
import styles from './accesslog.module.css';
import doc from '../../ui/document.module.css';

const RETENTION_YEARS = 10;

/** Candidates for a documented disposal decision. Produced on request only: the report itself reads client data and is logged. */
export function Retention() {
  const { t } = useTranslation();
  const reportCall = useChannelMutation('retention.report');
  const [report, setReport] = useState<ChannelOutput<'retention.report'> | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    const result = await reportCall.run({ years: RETENTION_YEARS });
    setBusy(false);
    if (result.ok) {
      setError(undefined);
      setReport(result.value);
    } else setError(result.error.message);
  };

  return (
    <section className="panel panel--wide" aria-labelledby="retention-heading">
      <h2 id="retention-heading">{t('accesslog.retention.title')}</h2>
      <p>{t('accesslog.retention.lead')}</p>
      <p className={`${doc.journalBanner} ${doc.journalBannerCalm}`}>{t('accesslog.retention.nothingDeleted')}</p>
      <button type="button" className="button" onClick={() => void run()} disabled={busy}>
        {t('accesslog.retention.run')}
      </button>
      <FormError message={error} />
      {report && report.length === 0 ? (
        <p role="status" className={styles.accesslogResult}>
          {t('accesslog.retention.empty')}
        </p>
      ) : null}
      {report && report.length > 0 ? (
        <table className={`table ${styles.accesslogResult}`}>
          <caption>{t('accesslog.retention.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('accesslog.retention.name')}</th>
              <th scope="col">{t('accesslog.retention.track')}</th>
              <th scope="col">{t('accesslog.retention.lastEntry')}</th>
              <th scope="col">{t('accesslog.retention.entries')}</th>
            </tr>
          </thead>
          <tbody>
            {report.map((row) => (
              <tr key={row.clientId}>
                <th scope="row">{row.name}</th>
                <td>{t(`tracks.${row.track}`)}</td>
                <td>{formatDateTime(row.lastEntryAt).slice(0, 10)}</td>
                <td>{row.entries}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
