import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../preload/contract';
import { BackupWarning } from '../features/backup/BackupWarning';

export function HomePage({
  user,
  idleLockMinutes,
  logHeadProblem = false,
}: {
  user: SessionUser;
  idleLockMinutes: number | null;
  logHeadProblem?: boolean | undefined;
}) {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('home.title')}</h1>
      <p className="lead">{t('home.greeting', { name: user.displayName })}</p>
      <p>{t('home.roles', { roles: user.roles.map((role) => t(`roles.${role}`)).join(', ') })}</p>
      {logHeadProblem ? (
        <div className="form-error" role="alert" data-testid="log-head-warning">
          {t('error.logHead.warning')}
        </div>
      ) : null}
      <BackupWarning user={user} />
      <section className="panel" aria-labelledby="security-heading">
        <h2 id="security-heading">{t('home.securityTitle')}</h2>
        <p>{t('home.idleLock', { minutes: idleLockMinutes ?? 15 })}</p>
      </section>
      <section className="panel" aria-labelledby="shortcuts-heading">
        <h2 id="shortcuts-heading">{t('home.shortcutsTitle')}</h2>
        <dl className="shortcuts">
          <dt>
            <kbd>Ctrl</kbd> + <kbd>L</kbd>
          </dt>
          <dd>{t('home.shortcutLock')}</dd>
          <dt>
            <kbd>Tab</kbd>
          </dt>
          <dd>{t('home.shortcutNav')}</dd>
        </dl>
      </section>
    </>
  );
}
