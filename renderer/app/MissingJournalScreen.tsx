import { useTranslation } from 'react-i18next';
import { Gate } from './Gate';
import styles from './app.module.css';

/**
 * The key file is there but journal.db is not (moved or deleted). Shown instead of the first-run
 * form: a new journal set up over the old key file would leave the missing one unopenable if it
 * turns up again. No buttons on purpose: what to do is IT's decision, in the data folder itself.
 */
export function MissingJournalScreen({ dataDir }: { dataDir: string | undefined }) {
  const { t } = useTranslation();
  return (
    <Gate title={t('missing.title')} lead={t('missing.lead')}>
      <div className={styles.missingJournal} data-testid="journal-missing">
        {dataDir ? (
          <dl className={styles.missingJournalFolder}>
            <dt>{t('missing.folder')}</dt>
            <dd>
              <code>{dataDir}</code>
            </dd>
          </dl>
        ) : null}
        <p>{t('missing.expected')}</p>
        <p className="warning">{t('missing.unchanged')}</p>
        <h2>{t('missing.whatToDo')}</h2>
        <ol>
          <li>{t('missing.putBack')}</li>
          <li>{t('missing.restore')}</li>
        </ol>
        <p>{t('missing.waiting')}</p>
      </div>
    </Gate>
  );
}
