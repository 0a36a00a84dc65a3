import type { Db } from '../../db/connection.js';
import { appendAccessLog } from '../../db/accessLog.js';
import { readSetting, writeSetting } from '../../db/settings.js';
import { Settings } from '../../preload/contract/index.js';

export const DEFAULT_SETTINGS: Settings = { idleLockMinutes: 15, separationBufferMinutes: 120 };

/** Stored values are re-validated on read: a value the app no longer accepts falls back to the default. */
export function readSettings(db: Db): Settings {
  const merged = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const candidate = Settings.shape[key].safeParse(readSetting(db, key));
    if (candidate.success) merged[key] = candidate.data;
  }
  return merged;
}

export function updateSettings(db: Db, changes: Partial<Settings>, by: string, at: Date): Settings {
  db.transaction(() => {
    const written: string[] = [];
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      writeSetting(db, key, value, by, at.toISOString());
      written.push(`${key}=${String(value)}`);
    }
    // Settings are numbers (minutes), never client data: the row says what was set to what.
    if (written.length > 0) {
      appendAccessLog(db, {
        at: at.toISOString(),
        userId: by,
        clientId: null,
        record: `settings:${written.join(',')}`,
        action: 'settings.update',
        channel: 'settings.update',
        emergency: false,
        reason: null,
      });
    }
  })();
  return readSettings(db);
}
