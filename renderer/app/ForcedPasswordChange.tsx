import { useTranslation } from 'react-i18next';
import { Gate } from './Gate';
import { ChangePasswordForm } from '../ui/ChangePasswordForm';
import { call } from '../ui/api';

/** After signing in with a temporary password, nothing else opens until the person picks their own. */
export function ForcedPasswordChange({ onChanged }: { onChanged: () => void }) {
  const { t } = useTranslation();
  return (
    <Gate title={t('forcedChange.title')} lead={t('forcedChange.intro')}>
      <ChangePasswordForm temporary submitTo={(input) => call('auth.changePassword', input)} onChanged={onChanged} />
    </Gate>
  );
}
