import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser, Side } from '../../preload/contract';
import { useDesk } from '../ui/desk';
import { LanguageSelect } from './LanguageSelect';
import { isSided, routesFor, type RouteId } from './routes';

/** Which side of the house the screen shows: always visible, switched deliberately, coloured so it is never mistaken. */
function SideBar() {
  const { t } = useTranslation();
  const { side, setSide, siteId, setSiteId, org, discreet, setDiscreet } = useDesk();
  const other: Side = side === 'victims' ? 'perpetrators' : 'victims';
  return (
    <div className={`sidebar-strip sidebar-strip--${side}`} role="region" aria-label={t('desk.side')}>
      <p className="sidebar-strip__side">
        <span className="sidebar-strip__label">{t('desk.side')}:</span> <strong data-testid="current-side">{t(`sidesShort.${side}`)}</strong>
      </p>
      <button type="button" className="button" onClick={() => setSide(other)} aria-keyshortcuts="Alt+S">
        {t('desk.switchSide')}: {t(`sidesShort.${other}`)}
      </button>
      {org && org.sites.length > 1 ? (
        <label className="sidebar-strip__site">
          {t('desk.site')}{' '}
          <select value={siteId} onChange={(event) => setSiteId(event.target.value)}>
            {org.sites.map((site) => (
              <option key={site.id} value={site.id}>
                {site.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="sidebar-strip__discreet" title={t('discreet.hint')}>
        <input type="checkbox" checked={discreet} onChange={(event) => setDiscreet(event.target.checked)} aria-keyshortcuts="Alt+D" />{' '}
        {t('discreet.toggle')}
      </label>
    </div>
  );
}

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
  const { side, setSide, discreet, setDiscreet } = useDesk();
  const sided = isSided(route);

  // Alt+S switches side, Alt+D toggles discreet mode: both deliberate, both from the keyboard.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key.toLowerCase() === 's' && sided) {
        event.preventDefault();
        setSide(side === 'victims' ? 'perpetrators' : 'victims');
      } else if (event.key.toLowerCase() === 'd') {
        event.preventDefault();
        setDiscreet(!discreet);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [sided, side, setSide, discreet, setDiscreet]);

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
        {sided ? <SideBar /> : null}
        {children}
      </main>
    </div>
  );
}
