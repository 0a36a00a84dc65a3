/** The single IPC entry point: the contract router, for the main window's own page only. */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Result } from '../../preload/contract/index.js';
import type { Logger } from '../log.js';
import type { Router } from '../router.js';
import { isAppUrl } from './appScheme.js';

export const INVOKE_CHANNEL = 'utvag:invoke';
export const LOCKED_CHANNEL = 'utvag:locked';
/** Server mode: another desk's committed change, to the main window only (must match preload/index.ts). */
export const CHANGE_CHANNEL = 'utvag:change';

const REFUSED: Result<never> = { ok: false, error: { code: 'FORBIDDEN', message: 'error.forbidden' } };

/**
 * Only the top frame of the main window, showing app://utvag/, may call: not a subframe, not
 * another window or web contents, not a page that navigated elsewhere.
 */
export function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow | null): boolean {
  const frame = event.senderFrame;
  if (!window || window.isDestroyed() || !frame || frame.detached) return false;
  const contents = window.webContents;
  if (event.sender !== contents) return false;
  const top = contents.mainFrame;
  if (frame.parent !== null || frame.frameToken !== top.frameToken || frame.processId !== top.processId) return false;
  return isAppUrl(frame.url);
}

export function wireIpc(router: Router, getWindow: () => BrowserWindow | null, log: Logger): void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, channel: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!isTrustedSender(event, getWindow())) {
      log.warn('ipc.sender_refused');
      return REFUSED;
    }
    // The router validates the channel name and the input itself and never throws.
    return router.invoke(channel as string, input);
  });
}
