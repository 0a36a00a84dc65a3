/**
 * The preload (bundled to dist/preload/index.cjs; sandboxed preloads must be CommonJS). It puts
 * exactly one object on the page, window.utvag, and never hands the page ipcRenderer itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNEL_NAMES, LiveEvent, type Result, type UtvagBridge } from './contract/index.js';

// Must match main/electron/ipc.ts.
const INVOKE_CHANNEL = 'utvag:invoke';
const LOCKED_CHANNEL = 'utvag:locked';
const CHANGE_CHANNEL = 'utvag:change';

const channels: ReadonlySet<string> = new Set(CHANNEL_NAMES);

const bridge: Required<UtvagBridge> = {
  invoke(channel, input) {
    // Names outside the contract never reach IPC at all.
    if (typeof channel !== 'string' || !channels.has(channel)) {
      return Promise.resolve<Result<unknown>>({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'No such channel' } });
    }
    return (ipcRenderer.invoke(INVOKE_CHANNEL, channel, input) as Promise<Result<unknown>>).catch((): Result<unknown> => ({
      ok: false,
      error: { code: 'INTERNAL', message: 'error.internal' },
    }));
  },
  onLocked(callback) {
    if (typeof callback !== 'function') throw new TypeError('onLocked needs a function');
    // Only the reason string reaches the page: the IPC event object carries the sender (ipcRenderer).
    const listener = (_event: unknown, reason: unknown) => callback(typeof reason === 'string' ? reason : 'system');
    ipcRenderer.on(LOCKED_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(LOCKED_CHANNEL, listener);
    };
  },
  onChange(callback) {
    if (typeof callback !== 'function') throw new TypeError('onChange needs a function');
    // Only the change's own fields reach the page (kind, site, side, day, or a bare resync), checked again here.
    const listener = (_event: unknown, change: unknown) => {
      const parsed = LiveEvent.safeParse(change);
      if (parsed.success) callback(parsed.data);
    };
    ipcRenderer.on(CHANGE_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(CHANGE_CHANNEL, listener);
    };
  },
};

contextBridge.exposeInMainWorld('utvag', bridge);
