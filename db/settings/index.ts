import type { Tx } from '../engine/store.js';

/**
 * The centre's settings: one row per key, its value as JSON text (validated by the contract before
 * it is written, and again by main/services/settings.ts when it is read).
 */

export async function readSetting(tx: Tx, key: string): Promise<unknown> {
  const row = await tx.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value) as unknown) : undefined;
}

/** The stored values of `keys` in one statement; a key never written is absent from the map. */
export async function readSettingValues(tx: Tx, keys: readonly string[]): Promise<Map<string, unknown>> {
  if (keys.length === 0) return new Map();
  const rows = await tx.selectFrom('settings').select(['key', 'value']).where('key', 'in', keys).execute();
  return new Map(rows.map((row) => [row.key, JSON.parse(row.value) as unknown]));
}

export async function writeSetting(tx: Tx, key: string, value: unknown, by: string | null, at: string): Promise<void> {
  await writeSettings(tx, [[key, value]], by, at);
}

/** Writes several keys in one statement: new keys are added, existing ones take the new value, time and author. */
export async function writeSettings(tx: Tx, entries: readonly (readonly [string, unknown])[], by: string | null, at: string): Promise<void> {
  if (entries.length === 0) return;
  await tx
    .insertInto('settings')
    .values(entries.map(([key, value]) => ({ key, value: JSON.stringify(value), updated_at: at, updated_by: by })))
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        updated_at: eb.ref('excluded.updated_at'),
        updated_by: eb.ref('excluded.updated_by'),
      })),
    )
    .execute();
}
