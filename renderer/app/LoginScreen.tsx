import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Gate } from './Gate';
import { LoginInput, type AppStatus } from '../../preload/contract/index';
import { Field, FormError } from '../ui/Field';
import { useContractForm } from '../ui/useContractForm';
import { call } from '../ui/api';

/** The login screen, and the lock screen when someone locked the journal. */
export function LoginScreen({
  lockedBy,
  notice,
  onSignedIn,
  onRecover,
}: {
  lockedBy: AppStatus['lockedBy'];
  /** Why the person must sign in again (server mode: the server restarted or ended the session). */
  notice?: string | undefined;
  onSignedIn: () => void;
  onRecover: () => void;
}) {
  const { t } = useTranslation();
  const [otherUser, setOtherUser] = useState(false);
  const locked = lockedBy !== null && !otherUser;
  const { form, showServerError } = useContractForm(LoginInput, { username: locked ? lockedBy.username : '', password: '' });
  const { register, handleSubmit, formState, setValue, setFocus } = form;
  const submit = handleSubmit(async (values) => {
    const result = await call('auth.login', values);
    if (result.ok) {
      onSignedIn();
      return;
    }
    // Keep the username, clear the wrong password, and put the cursor back in it.
    setValue('password', '');
    showServerError(result.error);
    setFocus('password');
  });
  return (
    <Gate title={locked ? t('lock.title') : t('login.title')} lead={locked ? t('lock.lockedBy', { name: lockedBy.displayName }) : t('login.intro')}>
      {notice ? (
        <p className="notice" role="status" data-testid="session-ended">
          {notice}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        {locked ? (
          <input type="hidden" {...register('username')} />
        ) : (
          <Field label={t('login.username')} autoComplete="username" autoFocus error={formState.errors.username?.message} {...register('username')} />
        )}
        <Field
          label={t('login.password')}
          type="password"
          autoComplete="current-password"
          autoFocus={locked}
          error={formState.errors.password?.message}
          {...register('password')}
        />
        <FormError message={formState.errors.root?.server?.message} />
        <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? t('login.working') : locked ? t('lock.unlock') : t('login.submit')}
        </button>
      </form>
      {lockedBy ? (
        <button
          type="button"
          className="button button--link"
          onClick={() => {
            setOtherUser(!otherUser);
            setValue('username', otherUser ? lockedBy.username : '');
            setValue('password', '');
            form.clearErrors();
          }}
        >
          {otherUser ? t('lock.sameUser', { name: lockedBy.displayName }) : t('lock.otherUser')}
        </button>
      ) : null}
      {locked ? null : (
        <button type="button" className="button button--link" onClick={onRecover}>
          {t('recover.link')}
        </button>
      )}
    </Gate>
  );
}
