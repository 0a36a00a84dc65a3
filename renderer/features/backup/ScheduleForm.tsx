import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BACKUP_INTERVALS_HOURS, BackupScheduleInput, type BackupStatusView } from '../../../preload/contract/index';
import { CheckboxField, Field, FormError, Notice, SelectField } from '../../ui/Field';
import { useContractForm } from '../../ui/useContractForm';
import { useChannelMutation } from '../../ui/query';
import { dropsPassphrase, PassphraseField, PathField, StrengthHint } from './parts';
import styles from './backup.module.css';

/**
 * Where, how often and how many automatic backups, and their passphrase. The passphrase must be
 * stored for runs with nobody at the keyboard: the main process keeps it inside the encrypted
 * journal and never sends it back, so this form only learns whether one is stored.
 */
export function ScheduleForm({
  status,
  fileDialog,
  onSaved,
}: {
  status: BackupStatusView;
  fileDialog: boolean;
  onSaved: (status: BackupStatusView) => void;
}) {
  const { t } = useTranslation();
  const updateCall = useChannelMutation('backup.schedule.update');
  const [saved, setSaved] = useState(false);
  const { schedule } = status;
  const { form, showServerError } = useContractForm(BackupScheduleInput, {
    enabled: schedule.enabled,
    folder: schedule.folder,
    intervalHours: schedule.intervalHours,
    keep: schedule.keep,
    passphrase: '',
    passphraseRepeat: '',
  });
  const { register, handleSubmit, formState, setValue, watch, reset } = form;
  const passphrase = watch('passphrase') ?? '';
  const busy = formState.isSubmitting;
  const presets: readonly number[] = BACKUP_INTERVALS_HOURS;
  const intervals = [...presets, ...(presets.includes(schedule.intervalHours) ? [] : [schedule.intervalHours])].map((hours) => ({
    value: String(hours),
    label: presets.includes(hours) ? t(`backup.schedule.intervals.${hours}`) : t('backup.schedule.intervalOther', { count: hours }),
  }));

  const submit = handleSubmit(async (values) => {
    setSaved(false);
    const answer = await updateCall.run(values);
    if (dropsPassphrase(answer)) {
      setValue('passphrase', '');
      setValue('passphraseRepeat', '');
    }
    if (!answer.ok) {
      showServerError(answer.error);
      return;
    }
    const next = answer.value.schedule;
    reset({ enabled: next.enabled, folder: next.folder, intervalHours: next.intervalHours, keep: next.keep, passphrase: '', passphraseRepeat: '' });
    setSaved(true);
    onSaved(answer.value);
  });

  return (
    <section className={`panel panel--wide ${styles.backupSection}`} aria-labelledby="backup-schedule-heading">
      <h2 id="backup-schedule-heading">{t('backup.schedule.title')}</h2>
      <form onSubmit={submit} noValidate>
        <CheckboxField id="backup-schedule-enabled" label={t('backup.schedule.enabled')} {...register('enabled')} />
        <PathField
          id="backup-schedule-folder"
          label={t('backup.schedule.folder')}
          hint={t('backup.schedule.folderHint')}
          error={formState.errors.folder?.message}
          fileDialog={fileDialog}
          purpose="backupFolder"
          initialLabel={status.schedule.folder}
          onChosen={(chosen) => setValue('folder', chosen, { shouldDirty: true })}
          {...register('folder')}
        />
        <div className="grid">
          <SelectField
            id="backup-schedule-interval"
            label={t('backup.schedule.interval')}
            options={intervals}
            error={formState.errors.intervalHours?.message}
            {...register('intervalHours', { setValueAs: (value: string | number) => Number(value) })}
          />
          <Field
            id="backup-schedule-keep"
            label={t('backup.schedule.keep')}
            type="number"
            inputMode="numeric"
            min={1}
            max={365}
            error={formState.errors.keep?.message}
            {...register('keep', { valueAsNumber: true })}
          />
        </div>
        <p className={`field__hint ${styles.backupNote}`}>{t('backup.schedule.keepHint')}</p>
        <div className="grid">
          <PassphraseField
            id="backup-schedule-passphrase"
            label={schedule.passphraseStored ? t('backup.schedule.passphraseNew') : t('backup.schedule.passphrase')}
            hint={schedule.passphraseStored && passphrase === '' ? t('backup.schedule.stored') : <StrengthHint value={passphrase} />}
            error={formState.errors.passphrase?.message}
            {...register('passphrase')}
          />
          <PassphraseField
            id="backup-schedule-passphrase-repeat"
            label={t('backup.schedule.passphraseRepeat')}
            error={formState.errors.passphraseRepeat?.message}
            {...register('passphraseRepeat')}
          />
        </div>
        <p className={`warning ${styles.backupSecretNote}`}>{t('backup.schedule.secretNote')}</p>
        <FormError message={formState.errors.root?.server?.message} />
        {saved ? <Notice>{t('backup.schedule.saved')}</Notice> : null}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('backup.schedule.saving') : t('backup.schedule.save')}
        </button>
      </form>
    </section>
  );
}
