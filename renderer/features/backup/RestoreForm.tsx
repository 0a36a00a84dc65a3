import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { BackupOpenInput, type ChannelOutput } from '../../../preload/contract/index';
import { announceSessionLost } from '../../ui/api';
import { CheckboxField, FormError, Notice } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { useContractForm } from '../../ui/useContractForm';
import { useChannelMutation } from '../../ui/query';
import { useBackupBusy } from './BackupProgress';
import { dropsPassphrase, BackupFacts, BackupFileFields, BackupOrigin } from './parts';
import styles from './backup.module.css';

/** The admin's explicit confirmations, which only the screen asks for; a backup made elsewhere asks for a second one. */
const ConfirmInput = z
  .object({
    confirmed: z.boolean().refine((value) => value, { message: 'backup.restore.confirmRequired' }),
    foreign: z.boolean(),
    confirmedForeign: z.boolean(),
  })
  .refine((value) => !value.foreign || value.confirmedForeign, { message: 'backup.restore.confirmForeignRequired', path: ['confirmedForeign'] });

/**
 * Replaces the journal with a backup, in two steps. First the backup is checked (as "Kontrollera"
 * does) and the screen shows what the restore would bring: who made it, and its admins with what each
 * is here. Only then is the restore confirmed, with the checksum of exactly that check: the main
 * process refuses a backup made elsewhere without it, and any file that is not the one shown. It
 * builds the new journal beside the active one and keeps the old one; afterwards everyone signs in again.
 */
export function RestoreForm({ fileDialog }: { fileDialog: boolean }) {
  const { t } = useTranslation();
  const verifyCall = useChannelMutation('backup.verify');
  const restoreCall = useChannelMutation('backup.restore');
  const logoutCall = useChannelMutation('auth.logout');
  const [result, setResult] = useState<ChannelOutput<'backup.restore'> | null>(null);
  const [checked, setChecked] = useState<{ path: string; passphrase: string; verification: ChannelOutput<'backup.verify'> } | null>(null);
  const { form, showServerError } = useContractForm(BackupOpenInput, { path: '', passphrase: '' });
  const { register, handleSubmit, formState, setValue } = form;
  const confirmForm = useContractForm(ConfirmInput, { confirmed: false, foreign: false, confirmedForeign: false });
  const busy = formState.isSubmitting || confirmForm.form.formState.isSubmitting;
  const other = useBackupBusy();

  const check = handleSubmit(async ({ path, passphrase }) => {
    setResult(null);
    setChecked(null);
    const answer = await verifyCall.run({ path, passphrase });
    if (!answer.ok) {
      if (dropsPassphrase(answer)) setValue('passphrase', '');
      showServerError(answer.error);
      return;
    }
    confirmForm.form.reset({ confirmed: false, foreign: answer.value.origin !== 'thisInstallation', confirmedForeign: false });
    setChecked({ path, passphrase, verification: answer.value });
  });

  const cancel = () => {
    setChecked(null);
    setValue('passphrase', '');
  };

  const restore = confirmForm.form.handleSubmit(async () => {
    if (!checked) return;
    const answer = await restoreCall.run({
      path: checked.path,
      passphrase: checked.passphrase,
      confirmedChecksum: checked.verification.checksum,
    });
    setChecked(null);
    setValue('passphrase', '');
    if (!answer.ok) {
      showServerError(answer.error);
      return;
    }
    setResult(answer.value);
  });

  const signInAgain = async () => {
    await logoutCall.run({});
    announceSessionLost();
  };

  if (result) {
    return (
      <section className={`panel panel--wide ${styles.backupSection}`} aria-labelledby="backup-restore-heading">
        <h2 id="backup-restore-heading">{t('backup.restore.title')}</h2>
        <div className={styles.backupResult} data-testid="restore-result">
          <Notice>
            <p>{t('backup.restore.done', { at: formatDateTime(result.createdAt) })}</p>
            {/* On the server nothing is kept aside: it takes a restore only while it holds nothing yet. */}
            {result.keptAs ? <p>{t('backup.restore.keptAs', { file: result.keptAs })}</p> : null}
          </Notice>
          <BackupFacts createdAt={result.createdAt} schemaVersion={result.schemaVersion} migratedTo={result.migratedTo} counts={result.counts} />
          {/* Who can sign in after the restore: above all after a backup from another installation (a new computer). */}
          {result.addedRestoringAdmin ? <p>{t('backup.restore.addedAdmin')}</p> : null}
          {result.renamedUser ? (
            <p className="warning">
              {t('backup.restore.renamed', { from: result.renamedUser.from, to: result.renamedUser.to, name: result.renamedUser.displayName })}
            </p>
          ) : null}
          {result.usersWithoutPassword > 0 ? (
            <p className="warning" data-testid="restore-without-password">
              {t('backup.restore.withoutPassword', { count: result.usersWithoutPassword })}
            </p>
          ) : null}
          {result.keySlotsRemoved > 0 ? (
            <p>{t('backup.restore.keySlotsRemoved', { count: result.keySlotsRemoved, names: result.removedPeople.join(', ') })}</p>
          ) : null}
          {result.signedOut ? (
            <p className="warning">{t('backup.restore.signedOut')}</p>
          ) : (
            <>
              <p>{t('backup.restore.signInAgainHint')}</p>
              <button type="button" className="button button--primary" onClick={() => void signInAgain()}>
                {t('backup.restore.signInAgain')}
              </button>
            </>
          )}
        </div>
      </section>
    );
  }

  if (checked) {
    const { verification } = checked;
    const confirmErrors = confirmForm.form.formState.errors;
    return (
      <section className={`panel panel--wide ${styles.backupSection}`} aria-labelledby="backup-restore-heading" aria-busy={busy}>
        <h2 id="backup-restore-heading">{t('backup.restore.title')}</h2>
        <div className={styles.backupResult} data-testid="restore-preview">
          <p>{t('backup.restore.previewIntro')}</p>
          <BackupFacts
            createdAt={verification.createdAt}
            appVersion={verification.appVersion}
            schemaVersion={verification.schemaVersion}
            counts={verification.counts}
            bytes={verification.bytes}
            checksum={verification.checksum}
          />
          <BackupOrigin verification={verification} />
        </div>
        <form onSubmit={restore} noValidate>
          <div className={styles.backupConfirm}>
            <CheckboxField
              id="backup-restore-confirm"
              label={t('backup.restore.confirm')}
              error={confirmErrors.confirmed?.message}
              {...confirmForm.form.register('confirmed')}
            />
            {verification.origin !== 'thisInstallation' ? (
              <CheckboxField
                id="backup-restore-confirm-foreign"
                label={t('backup.restore.confirmForeign')}
                error={confirmErrors.confirmedForeign?.message}
                {...confirmForm.form.register('confirmedForeign')}
              />
            ) : null}
          </div>
          <FormError message={formState.errors.root?.server?.message} />
          {busy ? (
            <p role="status" className={styles.backupBusy}>
              {t('backup.restore.working')}
            </p>
          ) : null}
          <div className={styles.backupActions}>
            <button type="submit" className="button button--primary" disabled={busy || other.running} aria-describedby={other.reasonId}>
              {t('backup.restore.submit')}
            </button>
            <button type="button" className="button" disabled={busy} onClick={cancel}>
              {t('backup.restore.cancel')}
            </button>
          </div>
        </form>
      </section>
    );
  }

  return (
    <section className={`panel panel--wide ${styles.backupSection}`} aria-labelledby="backup-restore-heading" aria-busy={busy}>
      <h2 id="backup-restore-heading">{t('backup.restore.title')}</h2>
      <p>{t('backup.restore.intro')}</p>
      <form onSubmit={check} noValidate>
        <BackupFileFields
          name="restore"
          fileDialog={fileDialog}
          path={register('path')}
          passphrase={register('passphrase')}
          errors={{ path: formState.errors.path?.message, passphrase: formState.errors.passphrase?.message }}
          onChosen={(chosen) => setValue('path', chosen, { shouldDirty: true })}
        />
        <FormError message={formState.errors.root?.server?.message} />
        {busy ? (
          <p role="status" className={styles.backupBusy}>
            {t('backup.restore.checking')}
          </p>
        ) : null}
        <button type="submit" className="button button--primary" disabled={busy || other.running} aria-describedby={other.reasonId}>
          {t('backup.restore.check')}
        </button>
      </form>
    </section>
  );
}
