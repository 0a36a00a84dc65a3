import { prepared, type Db } from './connection.js';
import { readSetting, writeSetting } from './local/settings.js';

/**
 * Automatic backups keep three records in the settings table of the encrypted journal: the schedule
 * (folder, interval, how many to keep), the passphrase of the automatic backups, and the status of
 * the last runs. The schedule's passphrase must be stored (the runs happen with nobody at the
 * keyboard), so it lives only here, inside the journal that SQLCipher encrypts, under a key of its
 * own that no channel reads and that every backup leaves out (see removeStoredSecrets).
 */
export const SCHEDULE_KEY = 'backup.schedule';
export const SCHEDULE_SECRET_KEY = 'backup.schedule.passphrase';
export const STATUS_KEY = 'backup.status';

/** Settings that must never travel inside a backup: a manual backup, opened with its own passphrase, would otherwise reveal the passphrase of the automatic ones. */
const SECRET_KEYS = [SCHEDULE_SECRET_KEY];

export function readScheduleRecord(db: Db): unknown {
  return readSetting(db, SCHEDULE_KEY);
}

export function writeScheduleRecord(db: Db, value: unknown, by: string, at: string): void {
  writeSetting(db, SCHEDULE_KEY, value, by, at);
}

export function readScheduleSecret(db: Db): string | null {
  const value = readSetting(db, SCHEDULE_SECRET_KEY);
  return typeof value === 'string' && value !== '' ? value : null;
}

export function writeScheduleSecret(db: Db, passphrase: string, by: string, at: string): void {
  writeSetting(db, SCHEDULE_SECRET_KEY, passphrase, by, at);
}

export function readStatusRecord(db: Db): unknown {
  return readSetting(db, STATUS_KEY);
}

/** Written by the app itself (an automatic run has no user), so updated_by stays empty. */
export function writeStatusRecord(db: Db, value: unknown, at: string): void {
  writeSetting(db, STATUS_KEY, value, null, at);
}

/** Removes the stored secrets from a copy of the journal in another schema (the attached backup), inside its copy transaction. */
export function removeStoredSecrets(db: Db, schema: string): number {
  if (!/^\w+$/.test(schema)) throw new Error('A schema name is a plain identifier');
  // Not cached: the attached schema comes and goes with each backup.
  const remove = db.prepare(`DELETE FROM ${schema}.settings WHERE key = ?`);
  let removed = 0;
  for (const key of SECRET_KEYS) removed += remove.run(key).changes;
  return removed;
}

/**
 * Copies the automatic backups' records (schedule, passphrase, status) from the active journal into
 * a restored one, replacing what the backup held: they describe this installation, not the data.
 */
export function carryOverBackupSettings(from: Db, to: Db, at: string): void {
  for (const key of [SCHEDULE_KEY, SCHEDULE_SECRET_KEY, STATUS_KEY]) {
    const value = readSetting(from, key);
    if (value === undefined) prepared(to, 'DELETE FROM settings WHERE key = ?').run(key);
    else writeSetting(to, key, value, null, at);
  }
}
