import { useIsMutating } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupProgressView } from '../../../preload/contract/index';
import { useChannelQuery } from '../../ui/query';
import styles from './backup.module.css';

/** How often the progress is asked for, only while an operation runs: a passive call that does not postpone the idle lock. */
const PROGRESS_POLL_MS = 500;
/** The calls that start long work; one of them in flight from this screen means something runs. */
const LONG_CALLS: readonly string[] = ['backup.export', 'backup.verify', 'backup.restore', 'backup.runNow'];
const REASON_ID = 'backup-progress-reason';

/** Whether a backup operation runs (started here, or an automatic run), and the id of the text that says why the start buttons wait. */
export interface BackupBusy {
  running: boolean;
  reasonId: string | undefined;
}
const BackupBusyContext = createContext<BackupBusy>({ running: false, reasonId: undefined });
export const BackupBusyProvider = BackupBusyContext.Provider;

export function useBackupBusy(): BackupBusy {
  return useContext(BackupBusyContext);
}

/** Polls backup.progress while a long call of this screen is in flight or the status says a run is going; no timer otherwise. */
export function useBackupProgress(statusRunning: boolean): { busy: BackupBusy; view: BackupProgressView['running'] } {
  const startedHere = useIsMutating({ predicate: (mutation) => LONG_CALLS.includes(String(mutation.options.mutationKey?.[0])) }) > 0;
  const watching = startedHere || statusRunning;
  const progress = useChannelQuery('backup.progress', {}, { enabled: watching, pollMs: watching ? PROGRESS_POLL_MS : 0 });
  const view = watching ? (progress.data?.running ?? null) : null;
  const running = watching;
  return { busy: { running, reasonId: running ? REASON_ID : undefined }, view };
}

/** The running operation: what it does, a bar with rows done of rows in all where the phase counts them. */
export function BackupProgressPanel({ running, view }: { running: boolean; view: BackupProgressView['running'] }) {
  const { t, i18n } = useTranslation();
  if (!running) return null;
  const number = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'sv-SE');
  const phase = t(`backup.progress.phase.${view?.phase ?? 'starting'}`);
  const counted = view !== null && view.total > 0;
  const text = counted ? t('backup.progress.count', { phase, done: number.format(view.done), total: number.format(view.total) }) : phase;
  return (
    <section
      className={`panel panel--wide ${styles.backupSection} backup-progress`}
      aria-labelledby="backup-progress-heading"
      data-testid="backup-progress"
    >
      <h2 id="backup-progress-heading">{t(`backup.progress.kind.${view?.kind ?? 'starting'}`)}</h2>
      <progress
        className="backup-progress__bar"
        aria-labelledby="backup-progress-heading"
        aria-valuetext={text}
        {...(counted ? { max: view.total, value: view.done } : {})}
      />
      <p role="status" className="backup-progress__text">
        {text}
      </p>
      <p id={REASON_ID} className="field__hint">
        {t('backup.progress.wait')}
      </p>
    </section>
  );
}
