import { useTranslation } from 'react-i18next';

export function OrganisationPage() {
  const { t } = useTranslation();
  return <h1>{t('nav.organisation')}</h1>;
}
