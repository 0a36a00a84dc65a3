import { useTranslation } from 'react-i18next';
import { ChangePasswordForm } from '../ui/ChangePasswordForm';
import { call } from '../ui/api';
import { LanguageSelect } from './LanguageSelect';

/** After signing in with a temporary password, nothing else opens until the person picks their own. */
export function ForcedPasswordChange({ onChanged }: { onChanged: () => void }) {
  const { t } = useTranslation();
  return (
    <main className="gate" id="main">
      <div className="gate__card">
        <div className="gate__top">
          <p className="brand">{t('app.name')}</p>
          <LanguageSelect />
        </div>
        <h1>{t('forcedChange.title')}</h1>
        <p className="lead">{t('forcedChange.intro')}</p>
        <ChangePasswordForm temporary submitTo={(input) => call('auth.changePassword', input)} onChanged={onChanged} />
      </div>
    </main>
  );
}
