import { useTranslation } from 'react-i18next';
import type { BackupStatusView, SessionUser } from '../../../preload/contract/index';
import { formatDateTime } from '../../ui/format';
import { useChannelQuery } from '../../ui/query';
import styles from './backup.module.css';

/** Why the last good backup is a worry: none at all, or older than the limit (said in days when it is whole days). */
export function WarningText({ status }: { status: BackupStatusView }) {
  const { t } = useTranslation();
  if (status.warning === 'never' || !status.lastGoodAt) return <>{t('backup.warning.never')}</>;
  const at = formatDateTime(status.lastGoodAt);
  const hours = status.staleAfterHours;
  return (
    <>
      {hours >= 48 && hours % 24 === 0 ? t('backup.warning.tooOldDays', { at, count: hours / 24 }) : t('backup.warning.tooOld', { at, count: hours })}
    </>
  );
}

/** On the start page, for admins only: a warning when there is no recent good backup, or the schedule cannot run. */
export function BackupWarning({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const isAdmin = user.roles.includes('admin');
  const status = useChannelQuery('backup.status', isAdmin ? {} : null).data ?? null;

  if (!status) return null;
  const noPassphrase = status.schedule.enabled && !status.schedule.passphraseStored;
  if (!status.warning && !noPassphrase) return null;
  return (
    <section className={`panel ${styles.backupHomeWarning}`} aria-labelledby="backup-warning-heading" data-testid="home-backup-warning">
      <h2 id="backup-warning-heading">{t('backup.warning.title')}</h2>
      {status.warning ? (
        <p className="warning">
          <WarningText status={status} />
        </p>
      ) : null}
      {noPassphrase ? <p className="warning">{t('backup.warning.needsPassphrase')}</p> : null}
      <p>
        <a href="#/admin/backups">{t('backup.warning.link')}</a>
      </p>
    </section>
  );
}
