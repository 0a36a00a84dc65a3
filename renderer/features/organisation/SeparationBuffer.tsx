import { useState } from 'react';
import { useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Settings, type OrgView } from '../../../preload/contract/index';
import { Field, FormError } from '../../ui/Field';
import { useContractForm } from '../../ui/useContractForm';
import { useChannelMutation } from '../../ui/query';
import { SavedNotice } from './cells';
import { showRefusal } from './model';
import styles from './organisation.module.css';

/** Only the buffer: the idle-lock time belongs to the settings page and is not sent from here. */
const BufferForm = Settings.pick({ separationBufferMinutes: true }).strict();

export function SeparationBuffer({ org, onSaved }: { org: OrgView; onSaved: (minutes: number) => void }) {
  const { t } = useTranslation();
  const updateCall = useChannelMutation('settings.update');
  const [notice, setNotice] = useState<string | null>(null);
  const { form } = useContractForm(BufferForm, { separationBufferMinutes: org.separationBufferMinutes });
  const { register, handleSubmit, formState, setError, reset, control } = form;
  const minutes = useWatch({ control, name: 'separationBufferMinutes' });

  const submit = handleSubmit(async (values) => {
    setNotice(null);
    const result = await updateCall.run({ separationBufferMinutes: values.separationBufferMinutes });
    if (!result.ok) {
      showRefusal(setError, result.error, ['separationBufferMinutes']);
      return;
    }
    reset({ separationBufferMinutes: result.value.separationBufferMinutes });
    setNotice(t('organisation.buffer.saved', { minutes: result.value.separationBufferMinutes }));
    onSaved(result.value.separationBufferMinutes);
  });

  const duration = (() => {
    const total = Number(minutes);
    if (!Number.isInteger(total) || total < 30 || total > 24 * 60) return null;
    const parts = [];
    if (total >= 60) parts.push(t('organisation.buffer.hoursUnit', { count: Math.floor(total / 60) }));
    if (total % 60) parts.push(t('organisation.buffer.minutesUnit', { count: total % 60 }));
    return parts.join(' ');
  })();

  return (
    <>
      <h2>{t('organisation.buffer.title')}</h2>
      <p className={styles.orgRule}>{t('organisation.buffer.rule')}</p>
      <form onSubmit={(event) => void submit(event)} noValidate className="panel">
        <Field
          label={t('organisation.buffer.label')}
          hint={
            <>
              {t('organisation.buffer.hint')} {duration ? t('organisation.buffer.equals', { duration }) : null}
            </>
          }
          type="number"
          inputMode="numeric"
          min={30}
          max={1440}
          className={styles.orgInputNumber}
          error={formState.errors.separationBufferMinutes?.message}
          {...register('separationBufferMinutes', { valueAsNumber: true })}
        />
        <FormError message={formState.errors.root?.server?.message} />
        <SavedNotice message={notice} />
        <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
          {t('organisation.buffer.save')}
        </button>
      </form>
    </>
  );
}
