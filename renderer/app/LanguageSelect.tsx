import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { applyLanguage, type Language } from '../i18n';
import { call } from '../ui/api';

/** The language is a choice for this workstation, kept by the main process so it survives restarts. */
export function LanguageSelect() {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <div className="language">
      <label htmlFor={id}>{t('language.label')}</label>
      <select
        id={id}
        value={i18n.language}
        onChange={(event) => {
          const language = event.target.value as Language;
          applyLanguage(language);
          void call('workstation.update', { language });
        }}
      >
        <option value="sv" lang="sv">
          {t('language.sv')}
        </option>
        <option value="en" lang="en">
          {t('language.en')}
        </option>
      </select>
    </div>
  );
}
