import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Gate } from './Gate';

/** Shows the recovery code once; it exists only in this component's memory until the admin confirms. */
export function RecoveryCodeScreen({ code, onConfirmed }: { code: string; onConfirmed: () => void }) {
  const { t } = useTranslation();
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState(false);
  return (
    <Gate title={t('recovery.title')} lead={t('recovery.intro')} withLanguage={false}>
      <p className="recovery__label" id="recovery-label">
        {t('recovery.codeLabel')}
      </p>
      <p className="recovery__code" aria-labelledby="recovery-label" data-testid="recovery-code">
        {code}
      </p>
      <p className="warning">{t('recovery.instructions')}</p>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (confirmed) onConfirmed();
          else setError(true);
        }}
      >
        <div className={error ? 'check field--invalid' : 'check'}>
          <input
            id="recovery-confirm"
            type="checkbox"
            checked={confirmed}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'recovery-confirm-error' : undefined}
            onChange={(event) => {
              setConfirmed(event.target.checked);
              setError(false);
            }}
          />
          <label htmlFor="recovery-confirm">{t('recovery.confirm')}</label>
        </div>
        {error ? (
          <p className="field__error" id="recovery-confirm-error">
            {t('recovery.mustConfirm')}
          </p>
        ) : null}
        <button type="submit" className="button button--primary">
          {t('recovery.continue')}
        </button>
      </form>
    </Gate>
  );
}
