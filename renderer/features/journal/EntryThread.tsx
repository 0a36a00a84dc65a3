import { useTranslation } from 'react-i18next';
import type { JournalEntryView } from '../../../preload/contract/index';
import { formatDateTime } from '../../ui/format';
import type { EntryThread as Thread } from './entries';
import styles from './journal.module.css';

function Meta({ entry }: { entry: JournalEntryView }) {
  const { t } = useTranslation();
  return (
    <p className={styles.journalEntryMeta}>
      {t('journal.entry.author', { name: entry.authorName })} · {t('journal.entry.created', { at: formatDateTime(entry.createdAt) })}
      {entry.signedAt ? ` · ${t('journal.entry.signedAt', { at: formatDateTime(entry.signedAt) })}` : ''}
    </p>
  );
}

function AmendButton({ entry, onAmend }: { entry: JournalEntryView; onAmend: (entry: JournalEntryView) => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="button button--small" onClick={() => onAmend(entry)}>
      {t('journal.entry.amend')}
      <span className="visually-hidden">
        {' '}
        {t('journal.entry.amendFor', { kind: t(`journal.kinds.${entry.kind}`).toLowerCase(), at: formatDateTime(entry.signedAt ?? entry.createdAt) })}
      </span>
    </button>
  );
}

/**
 * A signed entry as it was signed, and under it every amendment with its reason. The original is
 * never replaced or struck through: the law requires that what was written stays readable.
 */
export function EntryThread({
  thread,
  all,
  onAmend,
}: {
  thread: Thread;
  all: readonly JournalEntryView[];
  onAmend: (entry: JournalEntryView) => void;
}) {
  const { t } = useTranslation();
  const { original, amendments } = thread;
  return (
    <article className={styles.journalEntry} aria-labelledby={`entry-${original.id}`} data-testid="journal-entry">
      <header className={styles.journalEntryHead}>
        <h3 id={`entry-${original.id}`} tabIndex={-1}>
          {t(`journal.kinds.${original.kind}`)}{' '}
          <span className={styles.journalEntryDate}>{formatDateTime(original.signedAt ?? original.createdAt)}</span>
        </h3>
        <span className={`${styles.journalStatus} ${styles.journalStatusSigned}`}>{t('journal.entry.signed')}</span>
        <AmendButton entry={original} onAmend={onAmend} />
      </header>
      <Meta entry={original} />
      <div className={styles.journalEntryBody} data-testid="journal-entry-body">
        {original.body}
      </div>
      {amendments.length > 0 ? (
        <>
          <p className={styles.journalEntryAmended}>{t('journal.entry.amended')}</p>
          <ol className={styles.journalAmendments}>
            {amendments.map((amendment) => {
              const target = all.find((entry) => entry.id === amendment.amendsId) ?? original;
              return (
                <li key={amendment.id}>
                  <article className={styles.journalAmendment} aria-labelledby={`entry-${amendment.id}`} data-testid="journal-amendment">
                    <header className={styles.journalEntryHead}>
                      <h4 id={`entry-${amendment.id}`} tabIndex={-1}>
                        {t('journal.entry.amendment')}{' '}
                        <span className={styles.journalEntryDate}>{formatDateTime(amendment.signedAt ?? amendment.createdAt)}</span>
                      </h4>
                      <span className={`${styles.journalStatus} ${styles.journalStatusSigned}`}>{t('journal.entry.signed')}</span>
                      <AmendButton entry={amendment} onAmend={onAmend} />
                    </header>
                    <p className={styles.journalEntryMeta}>
                      {t('journal.entry.amendmentOf', { at: formatDateTime(target.signedAt ?? target.createdAt) })}
                    </p>
                    <Meta entry={amendment} />
                    <p className={styles.journalAmendmentReason}>
                      <strong>{t('journal.entry.reason')}:</strong> {amendment.amendmentReason}
                    </p>
                    <div className={styles.journalEntryBody} data-testid="journal-entry-body">
                      {amendment.body}
                    </div>
                  </article>
                </li>
              );
            })}
          </ol>
        </>
      ) : null}
    </article>
  );
}
