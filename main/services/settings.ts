import { appendLogRow } from '../../db/accessLog.js';
import type { Tx } from '../../db/engine/store.js';
import { readSettingValues, writeSettings } from '../../db/settings/index.js';
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

/** The centre's settings, in one statement, in the caller's transaction. */
export async function readSettings(tx: Tx): Promise<Settings> {
  const stored = await readSettingValues(tx, KEYS);
  return merge((key) => stored.get(key));
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
