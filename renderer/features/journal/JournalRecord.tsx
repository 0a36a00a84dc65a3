import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JournalEntryView, JournalView } from '../../../preload/contract/index';
import { useDesk } from '../../ui/desk';
import { Notice } from '../../ui/Field';
import { PhoneWithInstructions } from '../../ui/SafeContact';
import { DraftEditor } from './DraftEditor';
import { threadsOf, upsertEntry } from './entries';
import { EntryThread } from './EntryThread';
import { AmendDialog } from './SignDialogs';
import styles from './journal.module.css';
import doc from '../../ui/document.module.css';

interface DraftSlot {
  /** Stable for the editor's life, so that the first save of a new entry keeps focus and text where they are. */
  key: string;
  entryId: string | null;
}

let newSlots = 0;

/** One client's open journal: who the client is, how this therapist came in, the drafts and the signed entries. */
export function JournalRecord({
  view,
  onBack,
  onPrint,
  onDirtyChange,
}: {
  view: JournalView;
  onBack: () => void;
  onPrint: () => void;
  onDirtyChange: (dirty: boolean) => void;
}) {
  const { t } = useTranslation();
  const { user } = useDesk();
  const { client } = view;
  const [entries, setEntries] = useState<JournalEntryView[]>(view.entries);
  const [slots, setSlots] = useState<DraftSlot[]>(() =>
    view.entries.filter((entry) => entry.status === 'draft' && entry.authorId === user.id).map((entry) => ({ key: entry.id, entryId: entry.id })),
  );
  const [dirtySlots, setDirtySlots] = useState<ReadonlySet<string>>(new Set());
  const [amending, setAmending] = useState<JournalEntryView | null>(null);
  const [focusId, setFocusId] = useState<string | null>('journal-client');
  const [notice, setNotice] = useState<string | null>(null);

  const threads = useMemo(() => threadsOf(entries, 'newest'), [entries]);

  useEffect(() => {
    if (!focusId) return;
    document.getElementById(focusId)?.focus();
    setFocusId(null);
  }, [focusId]);

  useEffect(() => {
    onDirtyChange(dirtySlots.size > 0);
  }, [dirtySlots, onDirtyChange]);

  const markDirty = useCallback((key: string, dirty: boolean) => {
    setDirtySlots((current) => {
      if (current.has(key) === dirty) return current;
      const next = new Set(current);
      if (dirty) next.add(key);
      else next.delete(key);
      return next;
    });
  }, []);

  const dropSlot = (key: string) => {
    setSlots((current) => current.filter((slot) => slot.key !== key));
    markDirty(key, false);
  };

  const newEntry = () => {
    newSlots += 1;
    setNotice(null);
    setSlots((current) => [{ key: `new-${newSlots}`, entryId: null }, ...current]);
  };

  const careTeam = view.careTeam.map((relation) => relation.therapistName).join(', ');

  return (
    <>
      <section className={`panel panel--wide ${styles.journalHeader}`} aria-labelledby="journal-client">
        <div className="panel__head">
          <h2 id="journal-client" tabIndex={-1}>
            {client.name}
            {client.isAlias ? <span className="tag">{t('journal.record.alias')}</span> : null}
          </h2>
          <button type="button" className="button" onClick={onBack}>
            {t('journal.record.back')}
          </button>
        </div>
        {view.access === 'emergency' ? (
          <div className={`${doc.journalBanner} ${doc.journalBannerEmergency}`} role="note" data-testid="emergency-banner">
            <span className={styles.journalBannerIcon} aria-hidden="true">
              !
            </span>
            <p>
              <strong>{t('journal.record.emergencyBannerTitle')}</strong> {t('journal.record.emergencyBanner')}
            </p>
          </div>
        ) : null}
        <dl className="facts journal-facts" aria-label={t('journal.record.facts')}>
          <dt>{client.personalNumber ? t('journal.record.personalNumber') : t('journal.record.born')}</dt>
          <dd>{client.personalNumber ?? client.birthYear ?? '–'}</dd>
          <dt>{t('journal.record.track')}</dt>
          <dd>{t(`tracks.${client.track}`)}</dd>
          <dt>{t('journal.record.careTeam')}</dt>
          <dd>{careTeam || t('journal.record.noCareTeam')}</dd>
          <dt>{t('journal.record.access')}</dt>
          <dd>
            {view.access === 'emergency' ? (
              <strong className={styles.journalAccessEmergency}>{t('journal.record.accessEmergency')}</strong>
            ) : (
              t('journal.record.accessCare')
            )}
          </dd>
          {client.protectedIdentity ? (
            <>
              <dt>{t('journal.record.protectedIdentity')}</dt>
              <dd className="protected">✓</dd>
            </>
          ) : null}
          <dt>{t('journal.record.phone')}</dt>
          <dd data-testid="journal-phone">
            {client.phone ? (
              // The therapist calls the client: the number always comes with how it may be used.
              <PhoneWithInstructions client={client} revealed />
            ) : client.protectedIdentity && !client.safeContact ? (
              <span className="protected">{t('journal.record.protectedHidden')}</span>
            ) : (
              t('journal.record.noPhone')
            )}
          </dd>
          {client.address ? (
            <>
              <dt>{t('journal.record.address')}</dt>
              <dd>{client.address}</dd>
            </>
          ) : null}
        </dl>
        <div className="actions">
          <button type="button" className="button button--primary" onClick={newEntry}>
            {t('journal.record.newEntry')}
          </button>
          <button type="button" className="button" onClick={onPrint}>
            {t('journal.record.print')}
          </button>
        </div>
      </section>

      {notice ? <Notice>{notice}</Notice> : null}

      {slots.length > 0 ? (
        <section className={styles.journalSection} aria-labelledby="drafts-heading">
          <h2 id="drafts-heading">{t('journal.record.draftsTitle')}</h2>
          <p className={styles.journalSectionLead}>{t('journal.record.draftsLead')}</p>
          {slots.map((slot) => (
            <DraftEditor
              key={slot.key}
              slotKey={slot.key}
              clientId={client.id}
              entry={entries.find((entry) => entry.id === slot.entryId) ?? null}
              onDirtyChange={markDirty}
              onSaved={(saved) => {
                setEntries((current) => upsertEntry(current, saved));
                setSlots((current) => current.map((candidate) => (candidate.key === slot.key ? { ...candidate, entryId: saved.id } : candidate)));
              }}
              onSigned={(signed) => {
                setEntries((current) => upsertEntry(current, signed));
                dropSlot(slot.key);
                setNotice(t('journal.sign.done'));
                setFocusId(`entry-${signed.id}`);
              }}
              onRemoved={(entryId) => {
                if (entryId) setEntries((current) => current.filter((entry) => entry.id !== entryId));
                dropSlot(slot.key);
                setFocusId('journal-client');
              }}
            />
          ))}
        </section>
      ) : null}

      <section className={styles.journalSection} aria-labelledby="entries-heading">
        <h2 id="entries-heading">{t('journal.record.entriesTitle')}</h2>
        <p className={styles.journalSectionLead}>{t('journal.record.order')}</p>
        {threads.length === 0 ? <p className={styles.journalEmpty}>{t('journal.record.none')}</p> : null}
        <ol className={styles.journalEntries}>
          {threads.map((thread) => (
            <li key={thread.original.id}>
              <EntryThread thread={thread} all={entries} onAmend={setAmending} />
            </li>
          ))}
        </ol>
      </section>

      {amending ? (
        <AmendDialog
          entry={amending}
          onClose={() => setAmending(null)}
          onAmended={(amendment) => {
            setAmending(null);
            setEntries((current) => upsertEntry(current, amendment));
            setNotice(t('journal.amend.done'));
            setFocusId(`entry-${amendment.id}`);
          }}
        />
      ) : null}
    </>
  );
}
