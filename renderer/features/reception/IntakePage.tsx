import { useTranslation } from 'react-i18next';

export function IntakePage() {
  const { t } = useTranslation();
  return <h1>{t('reception.title')}</h1>;
}
