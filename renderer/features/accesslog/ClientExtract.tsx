import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../preload/contract/index';
import { useDesk } from '../../ui/desk';
import { formatDateTime } from '../../ui/format';
import { actionLabel } from './actions';
import doc from '../../ui/document.module.css';
import styles from './accesslog.module.css';

/** The answer to a client's "who looked at my journal?": when, who, which unit, what. Printable; printing hides the app around it. */
export function ClientExtract({
  extract,
  printedAt,
  onBack,
}: {
  extract: ChannelOutput<'audit.clientExtract'>;
  printedAt: string;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const { user } = useDesk();

  useEffect(() => {
    document.getElementById('extract-toolbar')?.focus();
  }, []);

  return (
    <div className={doc.journalPrintable}>
      <div className={doc.journalPrintToolbar} id="extract-toolbar" role="region" aria-label={t('accesslog.extract.toolbar')} tabIndex={-1}>
        <p>{t('accesslog.extract.hint')}</p>
        <div className="actions">
          <button type="button" className="button button--primary" onClick={() => window.print()}>
            {t('accesslog.extract.print')}
          </button>
          <button type="button" className="button" onClick={onBack}>
            {t('accesslog.extract.back')}
          </button>
        </div>
      </div>
      <article className={doc.journalDoc} aria-labelledby="extract-title" data-testid="client-extract">
        <header className="journal-doc__head">
          <p className={doc.journalDocUnit}>{t('accesslog.extract.organisation')}</p>
          <h2 id="extract-title">{t('accesslog.extract.title')}</h2>
          <dl className={doc.journalDocFacts}>
            <dt>{t('accesslog.extract.client')}</dt>
            <dd>{extract.client.name}</dd>
            {extract.client.personalNumber ? (
              <>
                <dt>{t('accesslog.extract.personalNumber')}</dt>
                <dd>{extract.client.personalNumber}</dd>
              </>
            ) : null}
            <dt>{t('accesslog.extract.printedAt')}</dt>
            <dd>{formatDateTime(printedAt)}</dd>
            <dt>{t('accesslog.extract.printedBy')}</dt>
            <dd>{user.displayName}</dd>
          </dl>
          <p className={doc.journalDocScope}>{t('accesslog.extract.lead')}</p>
        </header>
        {extract.rows.length === 0 ? (
          <p>{t('accesslog.extract.empty')}</p>
        ) : (
          <table className={`table ${styles.journalDocTable}`}>
            <caption>{t('accesslog.extract.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('accesslog.extract.when')}</th>
                <th scope="col">{t('accesslog.extract.who')}</th>
                <th scope="col">{t('accesslog.extract.unit')}</th>
                <th scope="col">{t('accesslog.extract.what')}</th>
                <th scope="col">{t('accesslog.extract.emergency')}</th>
              </tr>
            </thead>
            <tbody>
              {extract.rows.map((row, index) => (
                <tr key={`${row.at}-${index}`}>
                  <td className={styles.accesslogTime}>{formatDateTime(row.at)}</td>
                  <td>{row.userName || t('accesslog.table.system')}</td>
                  <td>{row.unit}</td>
                  <td>{actionLabel(row.action)}</td>
                  <td>{row.emergency ? <strong>{t('accesslog.extract.yes')}</strong> : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className={doc.journalDocEnd}>{t('accesslog.extract.end')}</p>
      </article>
    </div>
  );
}
