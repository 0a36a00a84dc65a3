import { useEffect, useEffectEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ENTRY_KINDS, type JournalEntryView } from '../../../preload/contract/index';
import { FormError, SelectField, TextAreaField } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { useChannelMutation } from '../../ui/query';
import type { EntryKind } from './entries';
import { SignDialog } from './SignDialogs';
import styles from './journal.module.css';

/**
 * A draft with changes is saved by itself this long after the last keystroke, so that nothing typed is
 * lost when the screen locks on idle (locking closes the journal and clears every screen).
 */
export const DRAFT_AUTOSAVE_MS = 20_000;

/**
 * One draft being written: a new one (entry null until first saved) or one of the author's own.
 * What is typed stays in the editor whatever the journal answers; only a successful save moves the baseline.
 */
export function DraftEditor({
  slotKey,
  clientId,
  entry,
  onSaved,
  onSigned,
  onRemoved,
  onDirtyChange,
}: {
  slotKey: string;
  clientId: string;
  entry: JournalEntryView | null;
  onSaved: (entry: JournalEntryView) => void;
  onSigned: (entry: JournalEntryView) => void;
  onRemoved: (entryId: string | null) => void;
  onDirtyChange: (slotKey: string, dirty: boolean) => void;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<EntryKind>(entry?.kind ?? 'note');
  const [body, setBody] = useState(entry?.body ?? '');
  const [baseline, setBaseline] = useState<{ kind: EntryKind; body: string } | null>(entry ? { kind: entry.kind, body: entry.body } : null);
  const [savedAt, setSavedAt] = useState<{ at: string; automatic: boolean } | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [bodyError, setBodyError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [signing, setSigning] = useState<JournalEntryView | null>(null);
  const saveDraft = useChannelMutation('journal.saveDraft');
  const deleteDraft = useChannelMutation('journal.deleteDraft');
  const entryId = entry?.id ?? null;
  const editorId = `draft-${slotKey}`;
  const dirty = baseline === null ? body.trim() !== '' || kind !== 'note' : baseline.kind !== kind || baseline.body !== body;

  useEffect(() => {
    onDirtyChange(slotKey, dirty);
  }, [slotKey, dirty, onDirtyChange]);

  // A new entry starts at its kind, ready to be chosen from the keyboard.
  useEffect(() => {
    if (!entryId) document.getElementById(`${editorId}-kind`)?.focus();
  }, [entryId, editorId]);

  const changeKind = (next: EntryKind) => {
    // The kind's template goes into an empty draft, or replaces the previous kind's untouched template.
    if (body.trim() === '' || body === t(`journal.templates.${kind}`)) setBody(t(`journal.templates.${next}`));
    setKind(next);
  };

  const save = async (automatic = false): Promise<JournalEntryView | null> => {
    setBusy(true);
    setError(undefined);
    setBodyError(undefined);
    const result = await saveDraft.run({ clientId, entryId, kind, body });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      setBodyError(result.error.fields?.body);
      return null;
    }
    setBaseline({ kind: result.value.kind, body: result.value.body });
    setSavedAt({ at: result.value.updatedAt, automatic });
    onSaved(result.value);
    return result.value;
  };

  // Only real writing is saved by itself: an empty draft or an untouched template waits for the person.
  const worthKeeping = dirty && body.trim() !== '' && body !== t(`journal.templates.${kind}`);
  // A refused save (e.g. a full disk) keeps the text here and is tried again after the next pause.
  const autosave = useEffectEvent(() => void save(true));
  useEffect(() => {
    if (!worthKeeping || busy || signing) return;
    const timer = window.setTimeout(autosave, DRAFT_AUTOSAVE_MS);
    return () => window.clearTimeout(timer);
  }, [worthKeeping, busy, signing, body, kind]);

  const startSigning = async () => {
    if (!body.trim()) {
      setBodyError('error.journal.empty');
      document.getElementById(`${editorId}-body`)?.focus();
      return;
    }
    const saved = dirty || !entry ? await save() : entry;
    if (saved) setSigning(saved);
  };

  const remove = async () => {
    if (!entryId) {
      onRemoved(null);
      return;
    }
    const result = await deleteDraft.run({ entryId });
    if (result.ok) onRemoved(entryId);
    else {
      setConfirmDelete(false);
      setError(result.error.message);
    }
  };

  const title = entry ? t(`journal.kinds.${kind}`) : t('journal.editor.newTitle');

  return (
    <article className={`${styles.journalEntry} ${styles.journalEntryDraft}`} data-testid="journal-draft" aria-labelledby={`${editorId}-title`}>
      <header className={styles.journalEntryHead}>
        <h3 id={`${editorId}-title`} tabIndex={-1}>
          {title}
        </h3>
        <span className={`${styles.journalStatus} ${styles.journalStatusDraft}`}>{t('journal.entry.draft')}</span>
      </header>
      {entry ? (
        <p className={styles.journalEntryMeta}>
          {t('journal.entry.author', { name: entry.authorName })} · {t('journal.entry.created', { at: formatDateTime(entry.createdAt) })}
        </p>
      ) : null}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
        onKeyDown={(event) => {
          if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
            event.preventDefault();
            if (!busy) void save();
          }
        }}
      >
        <SelectField
          id={`${editorId}-kind`}
          label={t('journal.editor.kind')}
          value={kind}
          onChange={(event) => changeKind(event.target.value as EntryKind)}
          options={ENTRY_KINDS.map((value) => ({ value, label: t(`journal.kinds.${value}`) }))}
        />
        <TextAreaField
          id={`${editorId}-body`}
          label={t('journal.editor.body')}
          hint={t('journal.editor.bodyHint')}
          rows={kind === 'note' ? 8 : 14}
          className={styles.journalTextarea}
          value={body}
          error={bodyError}
          aria-keyshortcuts="Control+S"
          onChange={(event) => {
            setBody(event.target.value);
            if (bodyError) setBodyError(undefined);
          }}
        />
        <FormError message={error} />
        <p className={styles.journalEditorState} aria-live="polite">
          {dirty
            ? t('journal.editor.unsaved')
            : savedAt
              ? t(savedAt.automatic ? 'journal.editor.autosaved' : 'journal.editor.saved', { at: formatDateTime(savedAt.at).slice(11) })
              : ''}
        </p>
        {confirmDelete ? (
          <div className={`warning ${styles.journalConfirm}`} role="alert">
            <p>{t('journal.editor.deleteConfirm')}</p>
            <div className="actions">
              <button type="button" className={`button ${styles.journalButtonDanger}`} onClick={() => void remove()}>
                {t('journal.editor.deleteYes')}
              </button>
              <button type="button" className="button" autoFocus onClick={() => setConfirmDelete(false)}>
                {t('journal.editor.cancel')}
              </button>
            </div>
          </div>
        ) : (
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>
              {busy ? t('journal.editor.saving') : t('journal.editor.save')}
            </button>
            <button type="button" className="button button--primary" disabled={busy} onClick={() => void startSigning()}>
              {t('journal.editor.sign')}
            </button>
            {entryId ? (
              <button type="button" className={`button ${styles.journalButtonQuiet}`} onClick={() => setConfirmDelete(true)}>
                {t('journal.editor.delete')}
              </button>
            ) : (
              <button type="button" className={`button ${styles.journalButtonQuiet}`} onClick={() => onRemoved(null)}>
                {t('journal.editor.discard')}
              </button>
            )}
          </div>
        )}
      </form>
      {signing ? (
        <SignDialog
          entry={signing}
          onClose={() => setSigning(null)}
          onSigned={(signed) => {
            setSigning(null);
            onSigned(signed);
          }}
        />
      ) : null}
    </article>
  );
}
