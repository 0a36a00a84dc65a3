/** The one application window and the application menu. */
import { BrowserWindow, Menu, type Session } from 'electron';
import { APP_ENTRY_URL } from './appScheme.js';

export interface MainWindowOptions {
  session: Session;
  /** Absolute path of the bundled preload (dist/preload/index.cjs). */
  preload: string;
  /** DevTools only in development: a packaged build never opens a console onto the journal. */
  devTools: boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Utväg Reception',
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      session: options.session,
      // The preload is the app's only bridge: it exposes window.utvag.invoke for the contract's channels
      // (each validated and authorised again in main) and the lock event; no Node, no ipcRenderer.
      preload: options.preload /* eng-disable PRELOAD_JS_CHECK */,
      // The page gets no Node and no Electron; it reaches main only through window.utvag.invoke.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      // A middle-click on a link would ask for a new window; the window-open handler refuses it anyway.
      disableBlinkFeatures: 'Auxclick',
      // Spell checking sends typed words (names, notes) to dictionaries and services.
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  // Screenshots and screen sharing show a blank window (Windows, macOS): the journal stays on this screen.
  window.setContentProtection(true);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

/**
 * Development keeps Electron's default menu (reload, devtools). A packaged build has no menu bar on
 * Windows and Linux, and on macOS only what copy/paste and quitting need: no reload, no devtools.
 */
export function applyApplicationMenu(isPackaged: boolean): void {
  if (!isPackaged) return;
  if (process.platform === 'darwin') {
    Menu.setApplicationMenu(Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]));
  } else {
    Menu.setApplicationMenu(null);
  }
}
