import { useTranslation } from 'react-i18next';
import { ChangePasswordInput, type ChannelInput, type ChannelOutput, type Result } from '../../preload/contract/index';
import { Field, FormError } from './Field';
import { useContractForm } from './useContractForm';

/** Changing a password rewraps only this user's key slot; the journal key itself never changes. */
export function ChangePasswordForm({
  temporary,
  submitTo,
  onChanged,
}: {
  temporary: boolean;
  submitTo: (input: ChannelInput<'auth.changePassword'>) => Promise<Result<ChannelOutput<'auth.changePassword'>>>;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { form, showServerError } = useContractForm(ChangePasswordInput, { currentPassword: '', newPassword: '', newPasswordRepeat: '' });
  const { register, handleSubmit, formState, reset } = form;
  const submit = handleSubmit(async (values) => {
    const result = await submitTo(values);
    if (result.ok) {
      reset();
      onChanged();
    } else showServerError(result.error);
  });
  return (
    <form onSubmit={submit} noValidate>
      <Field
        label={temporary ? t('password.currentTemporary') : t('password.current')}
        type="password"
        autoComplete="current-password"
        autoFocus={temporary}
        error={formState.errors.currentPassword?.message}
        {...register('currentPassword')}
      />
      <Field
        label={t('password.new')}
        hint={t('setup.passwordHint')}
        type="password"
        autoComplete="new-password"
        error={formState.errors.newPassword?.message}
        {...register('newPassword')}
      />
      <Field
        label={t('password.repeat')}
        type="password"
        autoComplete="new-password"
        error={formState.errors.newPasswordRepeat?.message}
        {...register('newPasswordRepeat')}
      />
      <FormError message={formState.errors.root?.server?.message} />
      <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
        {t('password.submit')}
      </button>
    </form>
  );
}
