import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Settings, contract } from '../../../preload/contract/index';
import { Field, FormError, Notice } from '../../ui/Field';
import { useContractForm } from '../../ui/useContractForm';
import { useChannelMutation, useChannelQuery } from '../../ui/query';

export function SettingsPage() {
  const { t } = useTranslation();
  const [saved, setSaved] = useState(false);
  // The form appears with the stored values, never with defaults that a late answer would overwrite while typing.
  const stored = useChannelQuery('settings.get', {});
  const [seeded, setSeeded] = useState(false);
  const loaded = stored.isError ? 'failed' : seeded ? 'ready' : 'loading';
  const { form, showServerError } = useContractForm(Settings, { idleLockMinutes: 15, separationBufferMinutes: 120 });
  const { register, handleSubmit, formState, reset } = form;
  const update = useChannelMutation('settings.update');
  // Seeded once: a later answer (after a save elsewhere) never overwrites what is being typed.
  useEffect(() => {
    if (seeded || !stored.data) return;
    reset(stored.data);
    setSeeded(true);
  }, [seeded, stored.data, reset]);
  const submit = handleSubmit(async (values) => {
    setSaved(false);
    // Only what this page shows: the separation buffer is saved on its own page.
    const result = await update.run({ idleLockMinutes: values.idleLockMinutes });
    if (result.ok) {
      reset(result.value);
      setSaved(true);
    } else showServerError(result.error);
  });
  return (
    <>
      <h1>{t('settings.title')}</h1>
      {loaded === 'loading' ? <p role="status">{t('app.screenLoading')}</p> : null}
      {loaded === 'failed' ? <FormError message="error.internal" /> : null}
      <form hidden={loaded !== 'ready'} onSubmit={submit} noValidate className="panel">
        <Field
          label={t('settings.idleLockMinutes')}
          hint={t('settings.idleLockHint')}
          type="number"
          inputMode="numeric"
          min={1}
          max={240}
          error={formState.errors.idleLockMinutes?.message}
          {...register('idleLockMinutes', { valueAsNumber: true })}
        />
        <FormError message={formState.errors.root?.server?.message} />
        {saved ? <Notice>{t('settings.saved')}</Notice> : null}
        <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
          {t('settings.save')}
        </button>
      </form>
      <RekeyPanel />
    </>
  );
}

/**
 * A new journal key: after a recovery, after someone who may hold an old copy of the keyring has left,
 * or whenever an admin decides. The admin's password is asked again; the new recovery code is shown once.
 */
function RekeyPanel() {
  const { t } = useTranslation();
  const rekeyCall = useChannelMutation('auth.rekey');
  const [done, setDone] = useState<{ recoveryCode: string; usersWithoutPassword: number } | null>(null);
  const { form, showServerError } = useContractForm(contract['auth.rekey'].input, { password: '' });
  const { register, handleSubmit, formState, reset, setFocus } = form;
  const submit = handleSubmit(async (values) => {
    const result = await rekeyCall.run(values);
    if (result.ok) {
      reset({ password: '' });
      setDone(result.value);
      return;
    }
    form.setValue('password', '');
    showServerError(result.error);
    setFocus('password');
  });
  return (
    <section className="panel" aria-labelledby="rekey-heading">
      <h2 id="rekey-heading">{t('settings.rekey.title')}</h2>
      <p>{t('settings.rekey.intro')}</p>
      {done ? (
        <div role="status">
          <p className="recovery__label" id="rekey-code-label">
            {t('settings.rekey.done')}
          </p>
          <p className="recovery__code" aria-labelledby="rekey-code-label" data-testid="rekey-recovery-code">
            {done.recoveryCode}
          </p>
          <p className="warning">{t('recovery.instructions')}</p>
          {done.usersWithoutPassword > 0 ? (
            <p className="warning">{t('settings.rekey.withoutPassword', { count: done.usersWithoutPassword })}</p>
          ) : null}
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <Field
            label={t('settings.rekey.password')}
            type="password"
            autoComplete="current-password"
            error={formState.errors.password?.message}
            {...register('password')}
          />
          <FormError message={formState.errors.root?.server?.message} />
          <button type="submit" className="button" disabled={formState.isSubmitting}>
            {formState.isSubmitting ? t('settings.rekey.working') : t('settings.rekey.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
