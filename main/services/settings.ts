import type { Db } from '../../db/connection.js';
import { appendLogRow } from '../../db/accessLog.js';
import type { Tx } from '../../db/engine/store.js';
import { readSettingValues, writeSettings } from '../../db/settings/index.js';
import { readSetting as readSettingSync } from '../../db/settings.js';
import { Settings } from '../../preload/contract/index.js';

export const DEFAULT_SETTINGS: Settings = { idleLockMinutes: 15, separationBufferMinutes: 120 };

const KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

/** Stored values are re-validated on read: a value the app no longer accepts falls back to the default. */
function merge(stored: (key: keyof Settings) => unknown): Settings {
  const merged = { ...DEFAULT_SETTINGS };
  for (const key of KEYS) {
    const candidate = Settings.shape[key].safeParse(stored(key));
    if (candidate.success) merged[key] = candidate.data;
  }
  return merged;
}

/**
 * The centre's settings, in one statement. Given the call's Tx it reads through the async layer;
 * given the journal's Db (a domain not yet on the async layer, issue #13) it reads synchronously on
 * that connection, as before.
 */
export function readSettings(tx: Tx): Promise<Settings>;
export function readSettings(db: Db): Settings;
export function readSettings(handle: Tx | Db): Promise<Settings> | Settings {
  if (typeof (handle as Partial<Tx>).selectFrom === 'function') {
    return readSettingValues(handle as Tx, KEYS).then((stored) => merge((key) => stored.get(key)));
  }
  return merge((key) => readSettingSync(handle as Db, key));
}

/** Writes the changed settings and their access-log row in the caller's transaction; answers the settings as stored. */
export async function updateSettings(tx: Tx, changes: Partial<Settings>, by: string, at: Date): Promise<Settings> {
  const entries = Object.entries(changes).filter((entry): entry is [string, number] => entry[1] !== undefined);
  if (entries.length > 0) {
    await writeSettings(tx, entries, by, at.toISOString());
    // Settings are numbers (minutes), never client data: the row says what was set to what.
    await appendLogRow(tx, {
      at: at.toISOString(),
      userId: by,
      clientId: null,
      record: `settings:${entries.map(([key, value]) => `${key}=${String(value)}`).join(',')}`,
      action: 'settings.update',
      channel: 'settings.update',
      emergency: false,
      reason: null,
    });
  }
  return readSettings(tx);
}
