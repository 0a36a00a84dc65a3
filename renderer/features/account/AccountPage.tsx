import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../preload/contract/index';
import { ChangePasswordForm } from '../../ui/ChangePasswordForm';
import { Notice } from '../../ui/Field';
import { useChannelMutation } from '../../ui/query';

export function AccountPage({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const [changed, setChanged] = useState(false);
  const changePassword = useChannelMutation('auth.changePassword');
  return (
    <>
      <h1>{t('account.title')}</h1>
      <dl className="facts">
        <dt>{t('account.username')}</dt>
        <dd>{user.username}</dd>
        <dt>{t('account.roles')}</dt>
        <dd>{user.roles.map((role) => t(`roles.${role}`)).join(', ')}</dd>
      </dl>
      <section aria-labelledby="password-heading" className="panel">
        <h2 id="password-heading">{t('account.passwordTitle')}</h2>
        {changed ? <Notice>{t('password.changed')}</Notice> : null}
        <ChangePasswordForm temporary={false} submitTo={changePassword.run} onChanged={() => setChanged(true)} />
      </section>
    </>
  );
}
