import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupStatusView } from '../../../preload/contract/index';
import { call } from '../../ui/api';
import { FormError } from '../../ui/Field';
import { BackupStatusPanel } from './BackupStatusPanel';
import { ExportForm } from './ExportForm';
import { LeftoversPanel } from './LeftoversPanel';
import { useFileDialog } from './parts';
import { RestoreForm } from './RestoreForm';
import { ScheduleForm } from './ScheduleForm';
import { VerifyForm } from './VerifyForm';

/**
 * The status is asked for again now and then, often while a run is under way, so that a run the
 * timer starts shows up here too. A passive call: it does not postpone the idle lock.
 */
const RUNNING_POLL_MS = 2000;
const IDLE_POLL_MS = 30_000;

/** The admin's backups: their status, the automatic schedule, and export, verify and restore by hand. */
export function BackupPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<BackupStatusView | null>(null);
  const [loadError, setLoadError] = useState<string | undefined>();
  const fileDialog = useFileDialog();

  const load = useCallback(async () => {
    const answer = await call('backup.status', {});
    if (answer.ok) {
      setStatus(answer.value);
      setLoadError(undefined);
    } else setLoadError(answer.error.message);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const running = status?.running ?? false;
  useEffect(() => {
    const poll = setInterval(() => void load(), running ? RUNNING_POLL_MS : IDLE_POLL_MS);
    return () => clearInterval(poll);
  }, [running, load]);

  return (
    <>
      <h1>{t('backup.title')}</h1>
      <p className="lead">{t('backup.lead')}</p>
      <FormError message={loadError} />
      {status ? (
        <>
          <BackupStatusPanel status={status} onStatus={setStatus} />
          <ScheduleForm status={status} fileDialog={fileDialog} onSaved={setStatus} />
        </>
      ) : null}
      <ExportForm fileDialog={fileDialog} onExported={() => void load()} />
      <VerifyForm fileDialog={fileDialog} />
      <RestoreForm fileDialog={fileDialog} />
      <LeftoversPanel />
    </>
  );
}
