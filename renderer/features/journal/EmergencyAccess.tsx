import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { contract, type JournalView, type Track } from '../../../preload/contract/index';
import { FormError, TextAreaField } from '../../ui/Field';
import { useContractForm } from '../../ui/useContractForm';
import { useChannelMutation } from '../../ui/query';
import styles from './journal.module.css';

const EmergencyForm = contract['journal.emergencyOpen'].input.pick({ reason: true });

export interface ClientChoice {
  id: string;
  name: string;
  track: Track;
  birthYear: number | null;
}

/**
 * Without a care relation the journal stays shut. The therapist is told why and may, with a written
 * reason that goes to the access log for an admin's review, open it for a few hours.
 */
export function EmergencyAccess({ client, onOpened, onBack }: { client: ClientChoice; onOpened: (view: JournalView) => void; onBack: () => void }) {
  const { t } = useTranslation();
  const { form, showServerError } = useContractForm(EmergencyForm, { reason: '' });
  const { register, handleSubmit, formState } = form;
  // A deliberate act with a written reason, logged each time: never cached, never asked again by itself.
  const emergencyOpen = useChannelMutation('journal.emergencyOpen');

  useEffect(() => {
    document.getElementById('no-access-heading')?.focus();
  }, []);

  const submit = handleSubmit(async ({ reason }) => {
    const result = await emergencyOpen.run({ clientId: client.id, reason });
    if (result.ok) onOpened(result.value);
    else showServerError(result.error);
  });

  return (
    <section className="panel panel--wide" aria-labelledby="no-access-heading" data-testid="no-access">
      <h2 id="no-access-heading" tabIndex={-1}>
        {t('journal.noAccess.title', { name: client.name })}
      </h2>
      <p className="field__hint">
        {t(`tracks.${client.track}`)}
        {client.birthYear ? ` · ${t('journal.lookup.born')} ${client.birthYear}` : ''}
      </p>
      <p>{t('journal.noAccess.explain')}</p>
      <section className={styles.journalEmergency} aria-labelledby="emergency-heading">
        <h3 id="emergency-heading">{t('journal.noAccess.emergencyTitle')}</h3>
        <p>{t('journal.noAccess.emergencyLead')}</p>
        <p className="warning" id="emergency-warning">
          {t('journal.noAccess.warning')}
        </p>
        <form onSubmit={submit} noValidate>
          <TextAreaField
            label={t('journal.noAccess.reason')}
            hint={t('journal.noAccess.reasonHint')}
            rows={3}
            autoComplete="off"
            error={formState.errors.reason?.message}
            {...register('reason')}
          />
          <FormError message={formState.errors.root?.server?.message} />
          <div className="actions">
            <button type="submit" className={`button ${styles.journalButtonEmergency}`} disabled={formState.isSubmitting}>
              {t('journal.noAccess.open')}
            </button>
            <button type="button" className="button" onClick={onBack}>
              {t('journal.noAccess.back')}
            </button>
          </div>
        </form>
      </section>
    </section>
  );
}
