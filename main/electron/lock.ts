/**
 * Locking from the operating system: screen lock, sleep, user switch, shutdown, and the OS idle
 * clock. The app's own idle timer (IdleLock, touched by the renderer's calls) runs beside this.
 */
import { powerMonitor, type BrowserWindow } from 'electron';
import type { Logger } from '../log.js';
import type { JournalApp, LockReason } from '../services/session/index.js';
import { LOCKED_CHANNEL } from './ipc.js';

/** How often the OS idle clock is read; a lock comes at most this much after the threshold. */
export const OS_IDLE_POLL_MS = 15_000;

export function wireLocking(journal: JournalApp, getWindow: () => BrowserWindow | null, log: Logger): () => void {
  const lock = (reason: LockReason) => {
    try {
      journal.lock(reason);
    } catch (error) {
      log.error('lock.failed', { reason, errorName: (error as Error)?.name ?? 'unknown' });
    }
  };

  // SPEC: the journal locks when the computer is locked or suspended.
  const onSystemLock = () => lock('system');
  const onShutdown = () => lock('shutdown');
  powerMonitor.on('lock-screen', onSystemLock); // macOS, Windows
  powerMonitor.on('suspend', onSystemLock);
  powerMonitor.on('user-did-resign-active', onSystemLock); // macOS fast user switching
  powerMonitor.on('shutdown', onShutdown); // Linux, macOS

  // The page shows the lock screen at once, without waiting for its next call to fail.
  const stopNotifying = journal.onLock((reason) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(LOCKED_CHANNEL, reason);
  });

  // If nobody has touched keyboard or mouse anywhere for the idle time, lock even if the app's own
  // timer has not fired yet (e.g. timers delayed); 'locked' also catches Linux screen lockers.
  const poll = setInterval(() => {
    if (!journal.isUnlocked) return;
    try {
      const thresholdSeconds = Math.max(60, Math.round(journal.idle.timeoutMinutes * 60));
      if (powerMonitor.getSystemIdleState(thresholdSeconds) === 'locked') lock('system');
      else if (powerMonitor.getSystemIdleTime() >= thresholdSeconds) lock('idle');
    } catch (error) {
      // A journal that cannot even read its settings is safer locked.
      log.error('lock.idle_check_failed', { errorName: (error as Error)?.name ?? 'unknown' });
      lock('system');
    }
  }, OS_IDLE_POLL_MS);

  return () => {
    clearInterval(poll);
    stopNotifying();
    powerMonitor.off('lock-screen', onSystemLock);
    powerMonitor.off('suspend', onSystemLock);
    powerMonitor.off('user-did-resign-active', onSystemLock);
    powerMonitor.off('shutdown', onShutdown);
  };
}

/**
 * Server mode: the computer locking or sleeping locks this desk's session on the server (the
 * server's own idle lock, and the remote router's clock beside it, cover a desk left alone). Nothing local to close.
 */
export function wireRemoteLocking(lock: (reason: 'system' | 'shutdown') => void): () => void {
  const onSystemLock = () => lock('system');
  const onShutdown = () => lock('shutdown');
  powerMonitor.on('lock-screen', onSystemLock);
  powerMonitor.on('suspend', onSystemLock);
  powerMonitor.on('user-did-resign-active', onSystemLock);
  powerMonitor.on('shutdown', onShutdown);
  return () => {
    powerMonitor.off('lock-screen', onSystemLock);
    powerMonitor.off('suspend', onSystemLock);
    powerMonitor.off('user-did-resign-active', onSystemLock);
    powerMonitor.off('shutdown', onShutdown);
  };
}
