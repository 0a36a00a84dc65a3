/**
 * Electron entry (bundled to dist/main/index.js). A thin shell: the journal, the router and the
 * domain rules are the same plain-Node code the CLI and the browser harness run.
 *
 * The crash reporter is deliberately never started: a minidump holds process memory, and with it
 * possibly the database key and client data.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, session, type BrowserWindow } from 'electron';
import { createLogger, type Logger } from '../log.js';
import { defaultDataDir } from '../paths.js';
import { startWorkstation, type Workstation } from '../remote/workstation.js';
import { DEFAULT_CHECK_EVERY_MS } from '../services/backupSchedule.js';
import { chooseCaFile, chooseFile } from './dialogs.js';
import { CHANGE_CHANNEL, wireIpc } from './ipc.js';
import { wireLocking, wireRemoteLocking } from './lock.js';
import { hardenSession, hardenWebContents, registerAppScheme, serveRenderer } from './security.js';
import { applyApplicationMenu, createMainWindow } from './window.js';

// An in-memory session (no 'persist:' prefix): Chromium writes no cache, local storage or cookies
// of the page to disk, so nothing the page held can be left there in plain text.
const APP_PARTITION = 'utvag-app';

const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

/** Log lines (whitelisted fields only, see main/log.ts) go to stderr and to <data>/logs/main.log. */
function createAppLogger(dataDir: string): Logger {
  const logDir = path.join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const file = path.join(logDir, 'main.log');
  return createLogger((line) => {
    process.stderr.write(`${line}\n`);
    try {
      appendFileSync(file, `${line}\n`, { mode: 0o600 });
    } catch {
      // A full or read-only disk must not take the app down because of a log line.
    }
  });
}

// Every renderer is sandboxed, whatever a window's options say. Both calls must precede 'ready'.
app.enableSandbox();
registerAppScheme();

// One instance per user: two processes holding the same journal open would fight over it.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start();
}

function start(): void {
  const dataDir = defaultDataDir();
  const log = createAppLogger(dataDir);
  let mainWindow: BrowserWindow | null = null;
  const getWindow = () => mainWindow;
  // The local journal, or (UTVAG_SERVER_URL, or the first-run choice) a client of the Utväg server.
  // The desktop shell adds what only it has: the system's file dialogs for backups and the server's CA.
  let workstation: Workstation;
  try {
    workstation = startWorkstation({
      dataDir,
      log,
      backupCheckEveryMs: DEFAULT_CHECK_EVERY_MS,
      shell: { chooseFile: (purpose) => chooseFile(getWindow(), purpose), chooseCaFile: () => chooseCaFile(getWindow()) },
    });
  } catch (error) {
    // A server address that may not be used (http:// to another computer, an unreadable CA file): say it and stop.
    log.error('app.server_setting_refused', { errorName: (error as Error)?.name ?? 'unknown' });
    dialog.showErrorBox('Utväg Reception', (error as Error).message);
    app.exit(1);
    return;
  }
  const router = workstation.router;
  const lockNow = (reason: 'system' | 'shutdown') => workstation.systemLock(reason);
  // Server mode: another desk's change goes to the page, which reads again through the router.
  workstation.onChange((change) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(CHANGE_CHANNEL, change);
  });

  const lockAndQuit = () => {
    void workstation.close().finally(() => app.quit());
  };

  // An unexpected error must neither show its message in a dialog (visitors see the screen) nor
  // leave the journal open: log only its class name and lock.
  process.on('uncaughtException', (error) => {
    log.error('main.uncaught', { errorName: error?.name ?? 'unknown' });
    try {
      lockNow('system');
    } catch {
      app.exit(1); // Could not even lock: end the process, and the key with it.
    }
  });
  process.on('unhandledRejection', (reason) => {
    log.error('main.unhandled_rejection', { errorName: (reason as Error)?.name ?? 'unknown' });
  });
  process.on('SIGINT', lockAndQuit);
  process.on('SIGTERM', lockAndQuit);

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  // Quitting closes the database and wipes the key before the process ends.
  app.on('before-quit', () => lockNow('shutdown'));

  wireIpc(router, getWindow, log);

  app
    .whenReady()
    .then(() => {
      const appSession = session.fromPartition(APP_PARTITION);
      hardenSession(appSession, log, { enforceCsp: true });
      hardenSession(session.defaultSession, log, { enforceCsp: false });
      serveRenderer(appSession, rendererDir);
      applyApplicationMenu(app.isPackaged);
      const journal = workstation.journal;
      if (journal) wireLocking(journal, getWindow, log);
      // Also after a first-run switch to the server: the session there locks with the computer.
      wireRemoteLocking((reason) => {
        if (workstation.mode === 'server') lockNow(reason);
      });

      const window = createMainWindow({ session: appSession, preload: preloadPath, devTools: !app.isPackaged });
      window.on('closed', () => {
        mainWindow = null;
      });
      // Windows log-off or forced restart may end the process without 'before-quit'.
      window.on('session-end', () => lockNow('shutdown'));
      // A crashed or killed page comes back as the lock screen, never straight into an open journal.
      window.webContents.on('render-process-gone', (_event, details) => {
        log.error('window.renderer_gone', { reason: details.reason });
        lockNow('system');
        if (details.reason !== 'clean-exit' && !window.isDestroyed()) window.webContents.reload();
      });
      mainWindow = window;
      log.info('app.started');
    })
    .catch((error: unknown) => {
      log.error('app.start_failed', { errorName: (error as Error)?.name ?? 'unknown' });
      app.exit(1);
    });
}
