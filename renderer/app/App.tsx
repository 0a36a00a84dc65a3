import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppStatus, ChannelOutput } from '../../preload/contract/index';
import { AccessLogPage } from '../features/accesslog/AccessLogPage';
import { AccountPage } from '../features/account/AccountPage';
import { ContactsPage } from '../features/contacts/ContactsPage';
import { BackupPage } from '../features/backup/BackupPage';
import { SettingsPage } from '../features/admin/SettingsPage';
import { UsersPage } from '../features/admin/UsersPage';
import { JournalPage } from '../features/journal/JournalPage';
import { OrganisationPage } from '../features/organisation/OrganisationPage';
import { ClientsPage } from '../features/reception/ClientsPage';
import { GroupsPage } from '../features/reception/GroupsPage';
import { Etapp2Page } from '../features/reception/Etapp2Page';
import { IntakePage } from '../features/reception/IntakePage';
import { TodayPage } from '../features/reception/TodayPage';
import { WaitingListPage } from '../features/reception/WaitingListPage';
import { SchedulePage } from '../features/schedule/SchedulePage';
import { DeskProvider } from '../ui/desk';
import { applyLanguage } from '../i18n';
import { call, onSessionChanged, onSessionLost } from '../ui/api';
import { dropSessionCache } from '../ui/query';
import { SessionMemory } from '../ui/sessionMemory';
import { ConnectServerScreen } from './ConnectServerScreen';
import { ForcedPasswordChange } from './ForcedPasswordChange';
import { HomePage } from './HomePage';
import { LoginScreen } from './LoginScreen';
import { MissingJournalScreen } from './MissingJournalScreen';
import { RecoverScreen } from './RecoverScreen';
import { RecoveryCodeScreen } from './RecoveryCodeScreen';
import { routeFromHash } from './routes';
import { ServerBanner } from './ServerBanner';
import { SetupScreen } from './SetupScreen';
import { Shell } from './Shell';
import styles from './app.module.css';

// The chart library is large and only admins open statistics: it loads when the screen is first opened.
const StatsPage = lazy(() => import('../features/stats/StatsPage').then((module) => ({ default: module.StatsPage })));

const STATUS_POLL_MS = 3000;
const ACTIVITY_REPORT_MS = 20_000;

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const update = () => setHash(window.location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return hash;
}

/** Every screen, with server mode's banner above it while the server cannot be reached. */
export function App() {
  return (
    <>
      <ServerBanner />
      <Screens />
    </>
  );
}

function Screens() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [failed, setFailed] = useState(false);
  // The recovery code lives only here, in memory, until the admin confirms having written it down.
  const [recoveryCode, setRecoveryCode] = useState<string | null>(null);
  const [recovering, setRecovering] = useState(false);
  const [connecting, setConnecting] = useState(false);
  const lastUserId = useRef<string | null>(null);
  // Unsaved work of the signed-in person, in memory only; it outlives the lock screen, not a sign-out.
  const [memory] = useState(() => new SessionMemory());
  const signingOut = useRef(false);
  const hash = useHash();

  const refresh = useCallback(async () => {
    const result = await call('app.status', {});
    if (!result.ok) {
      setFailed(true);
      return;
    }
    setFailed(false);
    // Keep the same object while nothing changed, so polling does not re-render every screen.
    setStatus((previous) => (JSON.stringify(previous) === JSON.stringify(result.value) ? previous : result.value));
  }, []);

  useEffect(() => {
    void call('workstation.get', {}).then((result) => {
      if (result.ok) applyLanguage(result.value.language);
    });
  }, []);

  useEffect(() => {
    void refresh();
    const poll = setInterval(() => void refresh(), STATUS_POLL_MS);
    const offLost = onSessionLost(() => void refresh());
    const offChanged = onSessionChanged(() => void refresh());
    const offLocked = window.utvag?.onLocked?.(() => {
      dropSessionCache();
      void refresh();
    });
    return () => {
      clearInterval(poll);
      offLost();
      offChanged();
      offLocked?.();
    };
  }, [refresh]);

  const unlocked = status?.state === 'unlocked' && status.user !== null;

  const lock = useCallback(async () => {
    await call('auth.lock', {});
    dropSessionCache();
    await refresh();
  }, [refresh]);

  // One keystroke locks the screen at once, wherever the focus is.
  useEffect(() => {
    if (!unlocked) return;
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'l') {
        event.preventDefault();
        void lock();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [unlocked, lock]);

  // Tell the main process that a person is using the app, so the idle lock waits.
  useEffect(() => {
    if (!unlocked) return;
    let last = 0;
    const onActivity = () => {
      const now = Date.now();
      if (now - last < ACTIVITY_REPORT_MS) return;
      last = now;
      void call('session.activity', {});
    };
    const events = ['keydown', 'pointerdown', 'wheel'] as const;
    for (const name of events) window.addEventListener(name, onActivity, { passive: true });
    return () => {
      for (const name of events) window.removeEventListener(name, onActivity);
    };
  }, [unlocked]);

  // Signing out empties it once the screens have closed (they keep their last keystrokes as they close).
  useEffect(() => {
    if (unlocked || !signingOut.current) return;
    signingOut.current = false;
    memory.clear();
  }, [unlocked, memory]);

  // Unlocking returns to the same screen for the same person; someone else starts at home.
  useEffect(() => {
    if (!unlocked || !status?.user) return;
    if (lastUserId.current !== null && lastUserId.current !== status.user.id) {
      window.location.hash = '#/';
      memory.clear();
    }
    lastUserId.current = status.user.id;
  }, [unlocked, status?.user, memory]);

  if (failed && !status) {
    return (
      <main className={styles.gate} id="main">
        <div className={styles.gateCard} role="alert">
          {t('error.connection')}
        </div>
      </main>
    );
  }
  if (!status) {
    return (
      <main className={styles.gate} id="main" aria-busy="true">
        <p className={styles.gateCard}>{t('app.loading')}</p>
      </main>
    );
  }
  if (recoveryCode) {
    return (
      <RecoveryCodeScreen
        code={recoveryCode}
        onConfirmed={() => {
          setRecoveryCode(null);
          void refresh();
        }}
      />
    );
  }
  // The key file without its journal: never the first-run form (see MissingJournalScreen).
  if (status.state === 'missing') return <MissingJournalScreen dataDir={status.dataDir} />;
  if (status.state === 'setup' && connecting) {
    return (
      <ConnectServerScreen
        onBack={() => setConnecting(false)}
        onConnected={() => {
          setConnecting(false);
          void refresh();
        }}
      />
    );
  }
  if (status.state === 'setup') {
    return (
      <SetupScreen
        onConnectServer={() => setConnecting(true)}
        onCreated={(result: ChannelOutput<'auth.setup'>) => {
          memory.clear();
          lastUserId.current = result.user.id;
          setRecoveryCode(result.recoveryCode);
        }}
      />
    );
  }
  if (recovering && (!unlocked || !status.user)) {
    return (
      <RecoverScreen
        onCancel={() => setRecovering(false)}
        onRecovered={(result) => {
          memory.clear();
          lastUserId.current = result.user.id;
          setRecovering(false);
          setRecoveryCode(result.recoveryCode);
        }}
      />
    );
  }
  if (!unlocked || !status.user) {
    return (
      <LoginScreen
        key={status.lockedBy?.username ?? 'login'}
        lockedBy={status.lockedBy}
        notice={status.sessionEnded ? t('server.sessionEnded') : undefined}
        onSignedIn={() => void refresh()}
        onRecover={() => setRecovering(true)}
      />
    );
  }
  const user = status.user;
  if (user.mustChangePassword) return <ForcedPasswordChange onChanged={() => void refresh()} />;

  const route = routeFromHash(hash, user.roles);
  return (
    <DeskProvider key={user.id} user={user} memory={memory}>
      <Shell
        user={user}
        route={route}
        onLock={() => void lock()}
        onLogout={() => {
          lastUserId.current = null;
          signingOut.current = true;
          memory.clear();
          window.location.hash = '#/';
          dropSessionCache();
          void call('auth.logout', {}).then(() => refresh());
        }}
      >
        {route === 'home' ? <HomePage user={user} idleLockMinutes={status.idleLockMinutes} logHeadProblem={status.logHeadProblem} /> : null}
        {route === 'account' ? <AccountPage user={user} /> : null}
        {route === 'users' ? <UsersPage /> : null}
        {route === 'settings' ? <SettingsPage /> : null}
        {route === 'organisation' ? <OrganisationPage /> : null}
        {route === 'contacts' ? <ContactsPage /> : null}
        {route === 'intake' ? <IntakePage /> : null}
        {route === 'clients' ? <ClientsPage /> : null}
        {route === 'today' ? <TodayPage /> : null}
        {route === 'schedule' ? <SchedulePage /> : null}
        {route === 'waiting' ? <WaitingListPage /> : null}
        {route === 'groups' ? <GroupsPage /> : null}
        {route === 'etapp2' ? <Etapp2Page /> : null}
        {route === 'journal' ? <JournalPage /> : null}
        {route === 'accesslog' ? <AccessLogPage /> : null}
        {route === 'stats' ? (
          <Suspense fallback={<p role="status">{t('app.screenLoading')}</p>}>
            <StatsPage />
          </Suspense>
        ) : null}
        {route === 'backups' ? <BackupPage /> : null}
      </Shell>
    </DeskProvider>
  );
}
