import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { onReachability } from '../ui/api';
import styles from './ServerBanner.module.css';

/**
 * Server mode: shown while the last answer said the server could not be reached, gone with the
 * next answer it gives. Forms keep what was typed; the person saves again when it is back.
 */
export function ServerBanner() {
  const { t } = useTranslation();
  const [unreachable, setUnreachable] = useState(false);
  useEffect(() => onReachability(setUnreachable), []);
  return (
    <div role="status" aria-live="polite">
      {unreachable ? (
        <p className={styles.banner} data-testid="server-unreachable">
          {t('server.unreachable')}
        </p>
      ) : null}
    </div>
  );
}
