import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { BackupStatusView } from '../../../preload/contract/index';
import { FormError } from '../../ui/Field';
import { channelKey, useChannelQuery } from '../../ui/query';
import { BackupBusyProvider, BackupProgressPanel, useBackupProgress } from './BackupProgress';
import { BackupStatusPanel } from './BackupStatusPanel';
import { ExportForm } from './ExportForm';
import { LeftoversPanel } from './LeftoversPanel';
import { useFileDialog } from './parts';
import { RestoreForm } from './RestoreForm';
import { ScheduleForm } from './ScheduleForm';
import { VerifyForm } from './VerifyForm';
import styles from './backup.module.css';

/**
 * The status is asked for again now and then, often while a run is under way, so that a run the
 * timer starts shows up here too. A passive call: it does not postpone the idle lock.
 */
const RUNNING_POLL_MS = 2000;
const IDLE_POLL_MS = 30_000;

/** The admin's backups: their status, the automatic schedule, and export, verify and restore by hand. */
export function BackupPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const statusQuery = useChannelQuery('backup.status', {}, { pollMs: (answer) => (answer?.running ? RUNNING_POLL_MS : IDLE_POLL_MS) });
  const status = statusQuery.data ?? null;
  const loadError = statusQuery.error?.message;
  const setStatus = (next: BackupStatusView) => queryClient.setQueryData(channelKey('backup.status', {}), next);
  const fileDialog = useFileDialog();
  const progress = useBackupProgress(status?.running ?? false);

  return (
    <>
      <h1>{t('backup.title')}</h1>
      <p className="lead">{t('backup.lead')}</p>
      <FormError message={loadError} />
      <BackupProgressPanel running={progress.busy.running} view={progress.view} />
      <BackupBusyProvider value={progress.busy}>
        {status?.managedByServer ? (
          // A workstation of the Utväg server: no schedule here, IT backs the server up.
          <section className={`panel panel--wide ${styles.backupSection}`} aria-labelledby="backup-server-heading" data-testid="backup-server">
            <h2 id="backup-server-heading">{t('backup.server.title')}</h2>
            <p>{t('backup.server.managedByIt')}</p>
          </section>
        ) : status ? (
          <>
            <BackupStatusPanel status={status} onStatus={setStatus} />
            <ScheduleForm status={status} fileDialog={fileDialog} onSaved={setStatus} />
          </>
        ) : null}
        <ExportForm fileDialog={fileDialog} onExported={() => void statusQuery.refetch()} />
        <VerifyForm fileDialog={fileDialog} />
        <RestoreForm fileDialog={fileDialog} />
      </BackupBusyProvider>
      {status?.managedByServer ? null : <LeftoversPanel />}
    </>
  );
}
