import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { JournalExport } from '../../../preload/contract/index';
import { formatDateTime } from '../../ui/format';
import { threadsOf } from './entries';
import doc from '../../ui/document.module.css';
import styles from './journal.module.css';

/**
 * The copy of the journal a client may ask for: every signed entry in order of time, each amendment
 * right under the entry it corrects. Shown on screen first; printing hides the app around it.
 */
export function JournalPrint({ copy, onBack }: { copy: JournalExport; onBack: () => void }) {
  const { t } = useTranslation();
  const threads = threadsOf(copy.entries, 'oldest');

  useEffect(() => {
    document.getElementById('journal-print-toolbar')?.focus();
  }, []);

  const meta = (entry: JournalExport['entries'][number]) =>
    t('journal.print.meta', {
      name: entry.authorName,
      created: formatDateTime(entry.createdAt),
      signed: entry.signedAt ? formatDateTime(entry.signedAt) : '–',
    });

  return (
    <div className={doc.journalPrintable}>
      <div className={doc.journalPrintToolbar} id="journal-print-toolbar" role="region" aria-label={t('journal.print.toolbar')} tabIndex={-1}>
        <p>{t('journal.print.hint')}</p>
        <div className="actions">
          <button type="button" className="button button--primary" onClick={() => window.print()}>
            {t('journal.print.print')}
          </button>
          <button type="button" className="button" onClick={onBack}>
            {t('journal.print.back')}
          </button>
        </div>
      </div>
      <article className={doc.journalDoc} aria-labelledby="journal-doc-title" data-testid="journal-copy">
        <header className="journal-doc__head">
          <p className={doc.journalDocUnit}>{copy.unit}</p>
          <h2 id="journal-doc-title">{t('journal.print.title')}</h2>
          <dl className={doc.journalDocFacts}>
            <dt>{t('journal.print.client')}</dt>
            <dd>{copy.client.name}</dd>
            {copy.client.personalNumber ? (
              <>
                <dt>{t('journal.print.personalNumber')}</dt>
                <dd>{copy.client.personalNumber}</dd>
              </>
            ) : (
              <>
                <dt>{t('journal.print.born')}</dt>
                <dd>{copy.client.birthYear ?? '–'}</dd>
              </>
            )}
            <dt>{t('journal.print.unit')}</dt>
            <dd>{copy.unit}</dd>
            <dt>{t('journal.print.printedAt')}</dt>
            <dd>{formatDateTime(copy.printedAt)}</dd>
            <dt>{t('journal.print.printedBy')}</dt>
            <dd>{copy.printedBy}</dd>
          </dl>
          <p className={doc.journalDocScope}>{t('journal.print.scope')}</p>
        </header>
        {threads.length === 0 ? <p>{t('journal.print.none')}</p> : null}
        {threads.map(({ original, amendments }) => (
          <section key={original.id} className={styles.journalDocEntry} aria-labelledby={`copy-${original.id}`}>
            <h3 id={`copy-${original.id}`}>
              {t(`journal.kinds.${original.kind}`)}{' '}
              <span className={styles.journalEntryDate}>{formatDateTime(original.signedAt ?? original.createdAt)}</span>
            </h3>
            <p className={styles.journalEntryMeta}>{meta(original)}</p>
            <div className={styles.journalEntryBody}>{original.body}</div>
            {amendments.map((amendment) => {
              const target = copy.entries.find((entry) => entry.id === amendment.amendsId) ?? original;
              return (
                <section key={amendment.id} className={styles.journalDocAmendment} aria-labelledby={`copy-${amendment.id}`}>
                  <h4 id={`copy-${amendment.id}`}>
                    {t('journal.entry.amendment')}{' '}
                    <span className={styles.journalEntryDate}>{formatDateTime(amendment.signedAt ?? amendment.createdAt)}</span>
                  </h4>
                  <p className={styles.journalEntryMeta}>
                    {t('journal.entry.amendmentOf', { at: formatDateTime(target.signedAt ?? target.createdAt) })} · {meta(amendment)}
                  </p>
                  <p className={styles.journalAmendmentReason}>
                    <strong>{t('journal.entry.reason')}:</strong> {amendment.amendmentReason}
                  </p>
                  <div className={styles.journalEntryBody}>{amendment.body}</div>
                </section>
              );
            })}
          </section>
        ))}
        <p className={doc.journalDocEnd}>{t('journal.print.end')}</p>
      </article>
    </div>
  );
}
