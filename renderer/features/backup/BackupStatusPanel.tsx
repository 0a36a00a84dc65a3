import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupStatusView } from '../../../preload/contract/index';
import { translateMessage } from '../../i18n';
import { FormError, Notice } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { useChannelMutation } from '../../ui/query';
import { useFormatSize } from './parts';
import { WarningText } from './BackupWarning';
import { useBackupBusy } from './BackupProgress';
import styles from './backup.module.css';

/** "Last backup: …, verified", the last failure, when the next one runs, and a button to run one now. */
export function BackupStatusPanel({ status, onStatus }: { status: BackupStatusView; onStatus: (status: BackupStatusView) => void }) {
  const { t } = useTranslation();
  const runNowCall = useChannelMutation('backup.runNow');
  const formatSize = useFormatSize();
  const [runResult, setRunResult] = useState<'done' | 'failed' | null>(null);
  const [runError, setRunError] = useState<string | undefined>();
  const [starting, setStarting] = useState(false);
  const { schedule, lastAttempt, lastAutomatic } = status;
  const failedLast = lastAttempt !== null && !lastAttempt.ok && (lastAutomatic === null || lastAttempt.at > lastAutomatic.at);
  const canRunNow = schedule.folder !== '' && schedule.passphraseStored;
  const running = status.running || starting;
  const other = useBackupBusy();

  const runNow = async () => {
    setRunResult(null);
    setRunError(undefined);
    setStarting(true);
    const answer = await runNowCall.run({});
    setStarting(false);
    if (!answer.ok) {
      setRunError(answer.error.message);
      return;
    }
    onStatus(answer.value);
    setRunResult(answer.value.lastAttempt?.ok ? 'done' : 'failed');
  };

  const next = () => {
    if (!schedule.enabled) return t('backup.status.off');
    if (!schedule.passphraseStored) return null;
    if (!status.nextRunAt || Date.parse(status.nextRunAt) <= Date.parse(status.checkedAt)) return t('backup.status.nextSoon');
    return t('backup.status.next', { at: formatDateTime(status.nextRunAt) });
  };
  const nextText = next();

  return (
    <section className={`panel panel--wide ${styles.backupSection}`} aria-labelledby="backup-status-heading" data-testid="backup-status">
      <h2 id="backup-status-heading">{t('backup.status.title')}</h2>
      {status.warning === 'tooOld' ? (
        <p className={`warning ${styles.backupWarning}`} data-testid="backup-warning">
          <WarningText status={status} />
        </p>
      ) : null}
      {/* With no backup at all the headline itself is the warning. */}
      <p className={status.lastGoodAt ? styles.backupStatusHeadline : `${styles.backupStatusHeadline} warning`} data-testid="backup-last-good">
        {status.lastGoodAt ? t('backup.status.lastGood', { at: formatDateTime(status.lastGoodAt) }) : t('backup.status.never')}
      </p>
      <ul className={styles.backupStatusLines}>
        {lastAutomatic ? (
          <li>
            {t('backup.status.lastAutomatic', {
              at: formatDateTime(lastAutomatic.at),
              file: lastAutomatic.file,
              size: formatSize(lastAutomatic.bytes),
            })}
          </li>
        ) : null}
        {status.lastManualExportAt ? <li>{t('backup.status.lastManual', { at: formatDateTime(status.lastManualExportAt) })}</li> : null}
        {failedLast && lastAttempt ? (
          <li className={styles.backupFailed} data-testid="backup-last-failure">
            {t('backup.status.lastFailed', {
              at: formatDateTime(lastAttempt.at),
              reason: translateMessage(lastAttempt.error ?? 'error.backup.autoFailed'),
            })}
          </li>
        ) : null}
        {schedule.enabled && !schedule.passphraseStored ? <li className={styles.backupFailed}>{t('backup.status.needsPassphrase')}</li> : null}
        {nextText ? <li data-testid="backup-next">{nextText}</li> : null}
      </ul>
      <p className={`field__hint ${styles.backupStatusHint}`}>{t('backup.status.onlyWhileOpen')}</p>
      {running ? (
        <p role="status" className={styles.backupBusy}>
          {t('backup.status.running')}
        </p>
      ) : null}
      {runResult === 'done' ? <Notice>{t('backup.status.runNowDone')}</Notice> : null}
      {runResult === 'failed' ? (
        <FormError message={t('backup.status.runNowFailed', { reason: translateMessage(lastAttempt?.error ?? 'error.backup.autoFailed') })} />
      ) : null}
      <FormError message={runError} />
      {canRunNow ? (
        <button type="button" className="button" disabled={running || other.running} aria-describedby={other.reasonId} onClick={() => void runNow()}>
          {running ? t('backup.status.runNowWorking') : t('backup.status.runNow')}
        </button>
      ) : null}
    </section>
  );
}
