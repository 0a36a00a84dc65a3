import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BackupExportInput, type ChannelOutput } from '../../../preload/contract/index';
import { FormError, Notice } from '../../ui/Field';
import { useContractForm } from '../../ui/useContractForm';
import { useChannelMutation } from '../../ui/query';
import { useBackupBusy } from './BackupProgress';
import { dropsPassphrase, BackupFacts, PassphraseField, PathField, StrengthHint } from './parts';
import styles from './backup.module.css';

/** A backup to a file of the admin's choice, with a passphrase typed twice and never stored. */
export function ExportForm({ fileDialog, onExported }: { fileDialog: boolean; onExported: () => void }) {
  const { t } = useTranslation();
  const exportCall = useChannelMutation('backup.export');
  const [result, setResult] = useState<ChannelOutput<'backup.export'> | null>(null);
  const { form, showServerError } = useContractForm(BackupExportInput, { path: '', passphrase: '', passphraseRepeat: '' });
  const { register, handleSubmit, formState, setValue, watch } = form;
  const passphrase = watch('passphrase') ?? '';
  const busy = formState.isSubmitting;
  const other = useBackupBusy();

  const submit = handleSubmit(async (values) => {
    setResult(null);
    const answer = await exportCall.run(values);
    // The passphrase leaves the form as soon as the call is over, unless only the path was refused; the path stays.
    if (dropsPassphrase(answer)) {
      setValue('passphrase', '');
      setValue('passphraseRepeat', '');
    }
    if (!answer.ok) {
      showServerError(answer.error);
      return;
    }
    setResult(answer.value);
    onExported();
  });

  return (
    <section className={`panel panel--wide ${styles.backupSection}`} aria-labelledby="backup-export-heading" aria-busy={busy}>
      <h2 id="backup-export-heading">{t('backup.export.title')}</h2>
      <p>{t('backup.export.intro')}</p>
      <form onSubmit={submit} noValidate>
        <PathField
          id="backup-export-path"
          label={t('backup.export.path')}
          hint={t('backup.export.pathHint')}
          error={formState.errors.path?.message}
          fileDialog={fileDialog}
          purpose="backupFile"
          onChosen={(chosen) => setValue('path', chosen, { shouldDirty: true })}
          {...register('path')}
        />
        <div className="grid">
          <PassphraseField
            id="backup-export-passphrase"
            label={t('backup.export.passphrase')}
            hint={<StrengthHint value={passphrase} />}
            error={formState.errors.passphrase?.message}
            {...register('passphrase')}
          />
          <PassphraseField
            id="backup-export-passphrase-repeat"
            label={t('backup.export.passphraseRepeat')}
            error={formState.errors.passphraseRepeat?.message}
            {...register('passphraseRepeat')}
          />
        </div>
        <p className={`field__hint ${styles.backupNote}`}>{t('backup.export.notStored')}</p>
        <FormError message={formState.errors.root?.server?.message} />
        {busy ? (
          <p role="status" className={styles.backupBusy}>
            {t('backup.export.working')}
          </p>
        ) : null}
        <button type="submit" className="button button--primary" disabled={busy || other.running} aria-describedby={other.reasonId}>
          {t('backup.export.submit')}
        </button>
      </form>
      {result ? (
        <div className={styles.backupResult} data-testid="export-result">
          <Notice>{t('backup.export.done')}</Notice>
          <BackupFacts file={result.path} counts={result.counts} bytes={result.bytes} checksum={result.checksum} />
        </div>
      ) : null}
    </section>
  );
}
