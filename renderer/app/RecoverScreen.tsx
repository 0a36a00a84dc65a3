import { useTranslation } from 'react-i18next';
import { contract, type ChannelOutput } from '../../preload/contract/index';
import { call } from '../ui/api';
import { Field, FormError } from '../ui/Field';
import { useContractForm } from '../ui/useContractForm';
import { Gate } from './Gate';

/** When no admin can sign in: the recovery code, an admin's username and a new password open the journal again. */
export function RecoverScreen({ onRecovered, onCancel }: { onRecovered: (result: ChannelOutput<'auth.recover'>) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { form, showServerError } = useContractForm(contract['auth.recover'].input, {
    recoveryCode: '',
    username: '',
    newPassword: '',
    newPasswordRepeat: '',
  });
  const { register, handleSubmit, formState, setValue } = form;
  const errors = formState.errors;
  const submit = handleSubmit(async (values) => {
    const result = await call('auth.recover', values);
    if (result.ok) onRecovered(result.value);
    else {
      setValue('recoveryCode', values.recoveryCode);
      showServerError(result.error);
    }
  });
  return (
    <Gate title={t('recover.title')} lead={t('recover.intro')}>
      <form onSubmit={submit} noValidate>
        <Field
          label={t('recover.code')}
          hint={t('recover.codeHint')}
          autoComplete="off"
          autoFocus
          error={errors.recoveryCode?.message}
          {...register('recoveryCode')}
        />
        <Field label={t('recover.username')} autoComplete="username" error={errors.username?.message} {...register('username')} />
        <Field
          label={t('password.new')}
          hint={t('setup.passwordHint')}
          type="password"
          autoComplete="new-password"
          error={errors.newPassword?.message}
          {...register('newPassword')}
        />
        <Field
          label={t('password.repeat')}
          type="password"
          autoComplete="new-password"
          error={errors.newPasswordRepeat?.message}
          {...register('newPasswordRepeat')}
        />
        <FormError message={errors.root?.server?.message} />
        <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
          {t('recover.submit')}
        </button>
      </form>
      <button type="button" className="button button--link" onClick={onCancel}>
        {t('recover.back')}
      </button>
    </Gate>
  );
}
