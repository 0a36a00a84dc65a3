import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Settings } from '../../../preload/contract';
import { call } from '../../ui/api';
import { Field, FormError, Notice } from '../../ui/Field';
import { useContractForm } from '../../ui/useContractForm';

export function SettingsPage() {
  const { t } = useTranslation();
  const [saved, setSaved] = useState(false);
  // The form appears with the stored values, never with defaults that a late answer would overwrite while typing.
  const [loaded, setLoaded] = useState<'loading' | 'ready' | 'failed'>('loading');
  const { form, showServerError } = useContractForm(Settings, { idleLockMinutes: 15, separationBufferMinutes: 120 });
  const { register, handleSubmit, formState, reset } = form;
  useEffect(() => {
    void call('settings.get', {}).then((result) => {
      if (result.ok) reset(result.value);
      setLoaded(result.ok ? 'ready' : 'failed');
    });
  }, [reset]);
  const submit = handleSubmit(async (values) => {
    setSaved(false);
    // Only what this page shows: the separation buffer is saved on its own page.
    const result = await call('settings.update', { idleLockMinutes: values.idleLockMinutes });
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
    </>
  );
}
