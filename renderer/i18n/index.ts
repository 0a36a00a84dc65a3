import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { z } from 'zod';
import type { Language } from '../../preload/domain/index';
import { domainEn, domainSv } from './domain';
import { en } from './en';
import { featureMessages } from './features';
import { sv } from './sv';

export type { Language };

/** Shows the interface in this language; saving the choice for the workstation is the caller's part. */
export function applyLanguage(language: Language): void {
  document.documentElement.lang = language;
  void i18next.changeLanguage(language);
}

/** Translates a message key from the contract or the main process; plain text passes through. */
export function translateMessage(message: string | undefined): string {
  if (!message) return '';
  return i18next.exists(message) ? i18next.t(message) : message;
}

export function initI18n(): typeof i18next {
  // Swedish until the workstation's saved choice has been read from the main process.
  const language: Language = 'sv';
  document.documentElement.lang = language;
  void i18next.use(initReactI18next).init({
    resources: {
      sv: { translation: { ...sv, ...domainSv, ...featureMessages.sv } },
      en: { translation: { ...en, ...domainEn, ...featureMessages.en } },
    },
    lng: language,
    fallbackLng: 'sv',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  // Field messages for the contract's schemas, in the interface's language (messages set in a schema win).
  z.config({
    customError: (issue) => {
      const t = i18next.t.bind(i18next);
      switch (issue.code) {
        case 'invalid_type':
          if (issue.input === undefined || issue.input === '') return t('error.required');
          return issue.expected === 'number' || issue.expected === 'int' ? t('error.notInteger') : t('error.invalid');
        case 'too_small':
          if (issue.origin === 'string')
            return issue.input === '' || Number(issue.minimum) <= 1 ? t('error.required') : t('error.tooShort', { minimum: issue.minimum });
          if (issue.origin === 'number') return t('error.numberTooSmall', { minimum: issue.minimum });
          return t('error.invalid');
        case 'too_big':
          if (issue.origin === 'string') return t('error.tooLong', { maximum: issue.maximum });
          if (issue.origin === 'number') return t('error.numberTooBig', { maximum: issue.maximum });
          return t('error.invalid');
        default:
          return t('error.invalid');
      }
    },
  });
  return i18next;
}
