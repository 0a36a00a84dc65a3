import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSelect } from './LanguageSelect';
import styles from './app.module.css';

/** The frame of every screen before the journal is open: name, language choice, one card. */
export function Gate({
  title,
  lead,
  withLanguage = true,
  children,
}: {
  title: string;
  lead: ReactNode;
  withLanguage?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <main className={styles.gate} id="main">
      <div className={styles.gateCard}>
        <div className={styles.gateTop}>
          <p className="brand">{t('app.name')}</p>
          {withLanguage ? <LanguageSelect /> : null}
        </div>
        <h1>{title}</h1>
        <p className="lead">{lead}</p>
        {children}
      </div>
    </main>
  );
}
