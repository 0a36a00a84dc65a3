import { useTranslation } from 'react-i18next';
import { Gate } from './Gate';
import { SetupInput, type ChannelOutput } from '../../preload/contract/index';
import { Field, FormError } from '../ui/Field';
import { useContractForm } from '../ui/useContractForm';
import { call } from '../ui/api';

/** First run: the first admin creates the encrypted journal, or chooses the unit's server instead. */
export function SetupScreen({
  onCreated,
  onConnectServer,
}: {
  onCreated: (result: ChannelOutput<'auth.setup'>) => void;
  onConnectServer: () => void;
}) {
  const { t } = useTranslation();
  const { form, showServerError } = useContractForm(SetupInput, { displayName: '', username: '', password: '', passwordRepeat: '' });
  const { register, handleSubmit, formState } = form;
  const submit = handleSubmit(async (values) => {
    const result = await call('auth.setup', values);
    if (result.ok) onCreated(result.value);
    else showServerError(result.error);
  });
  return (
    <Gate title={t('setup.title')} lead={t('setup.intro')}>
      <form onSubmit={submit} noValidate>
        <Field
          label={t('setup.displayName')}
          autoComplete="name"
          autoFocus
          error={formState.errors.displayName?.message}
          {...register('displayName')}
        />
        <Field
          label={t('setup.username')}
          hint={t('setup.usernameHint')}
          autoComplete="username"
          error={formState.errors.username?.message}
          {...register('username')}
        />
        <Field
          label={t('setup.password')}
          hint={t('setup.passwordHint')}
          type="password"
          autoComplete="new-password"
          error={formState.errors.password?.message}
          {...register('password')}
        />
        <Field
          label={t('setup.passwordRepeat')}
          type="password"
          autoComplete="new-password"
          error={formState.errors.passwordRepeat?.message}
          {...register('passwordRepeat')}
        />
        <FormError message={formState.errors.root?.server?.message} />
        <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? t('setup.working') : t('setup.submit')}
        </button>
      </form>
      <p className="field__hint">{t('server.connect.choiceLead')}</p>
      <button type="button" className="button button--link" onClick={onConnectServer}>
        {t('server.connect.choice')}
      </button>
    </Gate>
  );
}
