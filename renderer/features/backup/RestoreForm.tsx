import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { BackupOpenInput, type ChannelOutput } from '../../../preload/contract';
import { announceSessionLost, call } from '../../ui/api';
import { CheckboxField, FormError, Notice } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { useContractForm } from '../../ui/useContractForm';
import { BackupFacts, BackupFileFields } from './parts';

/** The contract's input plus the admin's explicit confirmation, which only the screen asks for. */
const RestoreInput = BackupOpenInput.extend({
  confirmed: z.boolean().refine((value) => value, { message: 'backup.restore.confirmRequired' }),
});

/**
 * Replaces the journal with a backup. The main process verifies it, builds the new journal beside
 * the active one and keeps the old one; afterwards everyone signs in again to the restored journal.
 */
export function RestoreForm({ fileDialog }: { fileDialog: boolean }) {
  const { t } = useTranslation();
  const [result, setResult] = useState<ChannelOutput<'backup.restore'> | null>(null);
  const { form, showServerError } = useContractForm(RestoreInput, { path: '', passphrase: '', confirmed: false });
  const { register, handleSubmit, formState, setValue } = form;
  const busy = formState.isSubmitting;

  const submit = handleSubmit(async ({ path, passphrase }) => {
    setResult(null);
    const answer = await call('backup.restore', { path, passphrase });
    setValue('passphrase', '');
    setValue('confirmed', false);
    if (!answer.ok) {
      showServerError(answer.error);
      return;
    }
    setResult(answer.value);
  });

  const signInAgain = async () => {
    await call('auth.logout', {});
    announceSessionLost();
  };

  if (result) {
    return (
      <section className="panel panel--wide backup-section" aria-labelledby="backup-restore-heading">
        <h2 id="backup-restore-heading">{t('backup.restore.title')}</h2>
        <div className="backup-result" data-testid="restore-result">
          <Notice>
            <p>{t('backup.restore.done', { at: formatDateTime(result.createdAt) })}</p>
            <p>{t('backup.restore.keptAs', { file: result.keptAs })}</p>
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
          {result.keySlotsRemoved > 0 ? <p>{t('backup.restore.keySlotsRemoved', { count: result.keySlotsRemoved })}</p> : null}
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

  return (
    <section className="panel panel--wide backup-section" aria-labelledby="backup-restore-heading" aria-busy={busy}>
      <h2 id="backup-restore-heading">{t('backup.restore.title')}</h2>
      <p>{t('backup.restore.intro')}</p>
      <form onSubmit={submit} noValidate>
        <BackupFileFields
          name="restore"
          fileDialog={fileDialog}
          path={register('path')}
          passphrase={register('passphrase')}
          errors={{ path: formState.errors.path?.message, passphrase: formState.errors.passphrase?.message }}
          onChosen={(chosen) => setValue('path', chosen, { shouldDirty: true })}
        />
        <div className="backup-confirm">
          <CheckboxField
            id="backup-restore-confirm"
            label={t('backup.restore.confirm')}
            error={formState.errors.confirmed?.message}
            {...register('confirmed')}
          />
        </div>
        <FormError message={formState.errors.root?.server?.message} />
        {busy ? (
          <p role="status" className="backup-busy">
            {t('backup.restore.working')}
          </p>
        ) : null}
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('backup.restore.submit')}
        </button>
      </form>
    </section>
  );
}
