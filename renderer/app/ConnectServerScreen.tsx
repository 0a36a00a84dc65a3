import { useTranslation } from 'react-i18next';
import { ConnectServerInput } from '../../preload/contract/index';
import { call } from '../ui/api';
import { CheckboxField, Field, FormError } from '../ui/Field';
import { useContractForm } from '../ui/useContractForm';
import { Gate } from './Gate';

/**
 * First run, the other choice: this computer becomes a workstation of the unit's Utväg server. The
 * workstation checks the address (GET /v1/health) before keeping it; no credentials are kept.
 */
export function ConnectServerScreen({ onConnected, onBack }: { onConnected: () => void; onBack: () => void }) {
  const { t } = useTranslation();
  const { form, showServerError } = useContractForm(ConnectServerInput, { url: '', chooseCa: false });
  const { register, handleSubmit, formState } = form;
  // The system's file dialog exists in the desktop app only (its preload has onLocked); the harness reads UTVAG_SERVER_CA.
  const desktop = typeof window.utvag?.onLocked === 'function';
  const submit = handleSubmit(async (values) => {
    const result = await call('workstation.connectServer', values);
    if (result.ok) onConnected();
    else showServerError(result.error);
  });
  return (
    <Gate title={t('server.connect.title')} lead={t('server.connect.lead')}>
      <form onSubmit={submit} noValidate>
        <Field
          label={t('server.connect.address')}
          hint={t('server.connect.addressHint')}
          inputMode="url"
          autoComplete="url"
          spellCheck={false}
          autoFocus
          error={formState.errors.url?.message}
          {...register('url')}
        />
        {desktop ? <CheckboxField label={t('server.connect.withCa')} {...register('chooseCa')} /> : null}
        <FormError message={formState.errors.root?.server?.message} />
        <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? t('server.connect.working') : t('server.connect.submit')}
        </button>
      </form>
      <button type="button" className="button button--link" onClick={onBack}>
        {t('server.connect.back')}
      </button>
    </Gate>
  );
}
