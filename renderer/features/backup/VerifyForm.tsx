import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BackupOpenInput, type ChannelOutput } from '../../../preload/contract/index';
import { FormError, Notice } from '../../ui/Field';
import { useContractForm } from '../../ui/useContractForm';
import { useChannelMutation } from '../../ui/query';
import { useBackupBusy } from './BackupProgress';
import { dropsPassphrase, BackupFacts, BackupFileFields, BackupOrigin } from './parts';
import styles from './backup.module.css';

/** Checks a backup through without restoring it; a refusal lands next to the path or the passphrase. */
export function VerifyForm({ fileDialog }: { fileDialog: boolean }) {
  const { t } = useTranslation();
  const verifyCall = useChannelMutation('backup.verify');
  const [result, setResult] = useState<ChannelOutput<'backup.verify'> | null>(null);
  const { form, showServerError } = useContractForm(BackupOpenInput, { path: '', passphrase: '' });
  const { register, handleSubmit, formState, setValue } = form;
  const busy = formState.isSubmitting;
  const other = useBackupBusy();

  const submit = handleSubmit(async (values) => {
    setResult(null);
    const answer = await verifyCall.run(values);
    if (dropsPassphrase(answer)) setValue('passphrase', '');
    if (!answer.ok) {
      showServerError(answer.error);
      return;
    }
    setResult(answer.value);
  });

  return (
    <section className={`panel panel--wide ${styles.backupSection}`} aria-labelledby="backup-verify-heading" aria-busy={busy}>
      <h2 id="backup-verify-heading">{t('backup.verify.title')}</h2>
      <p>{t('backup.verify.intro')}</p>
      <form onSubmit={submit} noValidate>
        <BackupFileFields
          name="verify"
          fileDialog={fileDialog}
          path={register('path')}
          passphrase={register('passphrase')}
          errors={{ path: formState.errors.path?.message, passphrase: formState.errors.passphrase?.message }}
          onChosen={(chosen) => setValue('path', chosen, { shouldDirty: true })}
        />
        <FormError message={formState.errors.root?.server?.message} />
        {busy ? (
          <p role="status" className={styles.backupBusy}>
            {t('backup.verify.working')}
          </p>
        ) : null}
        <button type="submit" className="button button--primary" disabled={busy || other.running} aria-describedby={other.reasonId}>
          {t('backup.verify.submit')}
        </button>
      </form>
      {result ? (
        <div className={styles.backupResult} data-testid="verify-result">
          <Notice>{t('backup.verify.ok')}</Notice>
          <BackupFacts
            createdAt={result.createdAt}
            appVersion={result.appVersion}
            schemaVersion={result.schemaVersion}
            counts={result.counts}
            bytes={result.bytes}
            checksum={result.checksum}
          />
          <BackupOrigin verification={result} />
        </div>
      ) : null}
    </section>
  );
}
