import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../preload/contract';
import { LanguageSelect } from './LanguageSelect';
import { routesFor, type RouteId } from './routes';

/** The signed-in frame: who is signed in, the lock button, and only the menu items their roles allow. */
export function Shell({
  user,
  route,
  onLock,
  onLogout,
  children,
}: {
  user: SessionUser;
  route: RouteId;
  onLock: () => void;
  onLogout: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="shell">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <p className="brand">{t('app.name')}</p>
        <p className="topbar__user">{t('shell.signedInAs', { name: user.displayName })}</p>
        <LanguageSelect />
        <button type="button" className="button button--lock" onClick={onLock} title={t('shell.lockHint')} aria-keyshortcuts="Control+L">
          {t('shell.lock')}
        </button>
        <button type="button" className="button" onClick={onLogout}>
          {t('shell.logout')}
        </button>
      </header>
      <nav className="sidenav" aria-label={t('shell.navLabel')}>
        <ul>
          {routesFor(user.roles).map((item) => (
            <li key={item.id}>
              <a href={item.path} aria-current={item.id === route ? 'page' : undefined}>
                {t(`nav.${item.id}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content" id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
