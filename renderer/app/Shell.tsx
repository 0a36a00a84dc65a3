import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser, Side } from '../../preload/contract/index';
import { isTyping } from '../ui/Dialog';
import { useDesk } from '../ui/desk';
import { LanguageSelect } from './LanguageSelect';
import { isSided, routesFor, type RouteId } from './routes';
import { ShortcutsDialog } from './ShortcutsDialog';
import './shell.css';

/** Which side of the house the screen shows: always visible, switched deliberately, coloured so it is never mistaken. */
function SideBar() {
  const { t } = useTranslation();
  const { side, requestSide, siteId, setSiteId, org, discreet, setDiscreet } = useDesk();
  const other: Side = side === 'victims' ? 'perpetrators' : 'victims';
  return (
    <div className={`sidebar-strip sidebar-strip--${side}`} role="region" aria-label={t('desk.side')}>
      <p className="sidebar-strip__side">
        <span className="sidebar-strip__label">{t('desk.side')}:</span> <strong data-testid="current-side">{t(`sidesShort.${side}`)}</strong>
      </p>
      <button type="button" className="button" onClick={() => requestSide(other)} aria-keyshortcuts="Alt+S">
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
  const { side, requestSide, discreet, setDiscreet, navigate } = useDesk();
  const isReceptionist = user.roles.includes('receptionist');
  // The start page of the desk and of therapists shows one side's day, so it carries the side strip too.
  const sided = isSided(route) || (route === 'home' && (isReceptionist || user.roles.includes('therapist')));
  const [showShortcuts, setShowShortcuts] = useState(false);
  const mainRef = useRef<HTMLElement>(null);

  // Alt+S switches side, Alt+D toggles discreet mode, Alt+N starts a first call, ? lists every key.
  // Attached before the screen is painted: a key pressed the moment the desk appears is not lost.
  useLayoutEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target)) {
        event.preventDefault();
        setShowShortcuts(true);
        return;
      }
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      // event.code as well: on some layouts Alt+letter gives another character.
      const key = event.key.toLowerCase();
      if ((key === 's' || event.code === 'KeyS') && sided) {
        event.preventDefault();
        requestSide(side === 'victims' ? 'perpetrators' : 'victims');
      } else if (key === 'd' || event.code === 'KeyD') {
        event.preventDefault();
        setDiscreet(!discreet);
      } else if ((key === 'n' || event.code === 'KeyN') && isReceptionist) {
        event.preventDefault();
        navigate('#/reception/intake');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [sided, side, requestSide, discreet, setDiscreet, isReceptionist, navigate]);

  // After choosing a screen the keyboard starts at its heading, not back in the menu; a screen
  // that has put the focus on one of its own fields on purpose keeps it.
  useEffect(() => {
    const main = mainRef.current;
    if (!main) return;
    const active = document.activeElement;
    if (active && active !== document.body && active !== main && main.contains(active)) return;
    const heading = main.querySelector<HTMLElement>('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    } else main.focus();
  }, [route]);

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
        <button type="button" className="button button--small" onClick={() => setShowShortcuts(true)} aria-keyshortcuts="?">
          {t('start.keys.open')}
        </button>
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
      <main className="content" id="main" tabIndex={-1} ref={mainRef}>
        {sided ? <SideBar /> : null}
        {children}
      </main>
      {showShortcuts ? <ShortcutsDialog user={user} onClose={() => setShowShortcuts(false)} /> : null}
    </div>
  );
}
