/**
 * Repository contract: db/settings/. The body takes a store and touches only what it writes itself
 * (its own keys, its own user), so the same suite can run unchanged against PostgreSQL (issue #14).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEncrypted, type Db } from '../../../db/connection.js';
import { createSqliteStore } from '../../../db/engine/sqlite.js';
import type { Store } from '../../../db/engine/store.js';
import { migrate } from '../../../db/migrate.js';
import { verifyLogChain } from '../../../db/accessLog/queries.js';
import { readSetting, readSettingValues, writeSetting, writeSettings } from '../../../db/settings/index.js';
import { DEFAULT_SETTINGS, readSettings, updateSettings } from '../../../main/services/settings.js';
import { useTempDirs } from '../../helpers/tempDir.js';
import { actingAs, postgresJournals, sqliteJournal, type ActingStore, type OpenJournal } from './engines.js';

const tempDir = useTempDirs();
const AT = '2026-03-02T08:00:00.000Z';
const LATER = '2026-03-03T09:30:00.000Z';

function contract(open: OpenJournal): void {
  /** The store with every call as the admin (settings are the admins'), and the admin's id. */
  async function withStore(work: (store: ActingStore, admin: string) => Promise<void>): Promise<void> {
    const { store, seed, close } = await open();
    try {
      const admin = `u-${randomUUID()}`;
      await seed.transaction(async (tx) => {
        await tx.insertInto('users').values({ id: admin, username: admin, display_name: 'Fiktiv Admin', created_at: AT }).execute();
        await tx.insertInto('user_roles').values({ user_id: admin, role: 'admin' }).execute();
      });
      await work(actingAs(store, { userId: admin, role: 'admin' }), admin);
    } finally {
      await close();
    }
  }
  const key = () => `test.${randomUUID()}`;

  it('readSetting: undefined for a key never written; the JSON value as written', async () => {
    await withStore(async (store, admin) => {
      const [number, object] = [key(), key()];
      await store.transaction(async (tx) => {
        expect(await readSetting(tx, number)).toBeUndefined();
        await writeSetting(tx, number, 42, admin, AT);
        await writeSetting(tx, object, { minutes: [5, 10], label: 'å "citat"' }, null, AT);
        expect(await readSetting(tx, number)).toBe(42);
        expect(await readSetting(tx, object)).toEqual({ minutes: [5, 10], label: 'å "citat"' });
      });
    });
  });

  it('writeSetting: a second write replaces the value, the time and the author', async () => {
    await withStore(async (store, admin) => {
      const name = key();
      await store.transaction(async (tx) => {
        await writeSetting(tx, name, 15, null, AT);
        await writeSetting(tx, name, 30, admin, LATER);
      });
      const rows = await store.transaction((tx) => tx.selectFrom('settings').selectAll().where('key', '=', name).execute());
      expect(rows).toEqual([{ key: name, value: '30', updated_at: LATER, updated_by: admin }]);
    });
  });

  it('writeSettings: several keys in one go, new and existing; none given writes nothing', async () => {
    await withStore(async (store, admin) => {
      const [existing, fresh, untouched] = [key(), key(), key()];
      await store.transaction(async (tx) => {
        await writeSetting(tx, existing, 1, null, AT);
        await writeSetting(tx, untouched, 'kvar', null, AT);
        await writeSettings(
          tx,
          [
            [existing, 2],
            [fresh, 3],
          ],
          admin,
          LATER,
        );
        await writeSettings(tx, [], admin, LATER);
      });
      const rows = await store.transaction((tx) => tx.selectFrom('settings').selectAll().where('key', 'in', [existing, fresh, untouched]).execute());
      // By value, compared as code units here so that no engine's collation decides.
      expect(rows.sort((a, b) => (a.value < b.value ? -1 : 1))).toEqual([
        { key: untouched, value: '"kvar"', updated_at: AT, updated_by: null },
        { key: existing, value: '2', updated_at: LATER, updated_by: admin },
        { key: fresh, value: '3', updated_at: LATER, updated_by: admin },
      ]);
    });
  });

  it('readSettingValues: the stored values of the keys asked for, absent keys left out', async () => {
    await withStore(async (store) => {
      const [one, two, never, other] = [key(), key(), key(), key()];
      const values = await store.transaction(async (tx) => {
        await writeSetting(tx, one, 10, null, AT);
        await writeSetting(tx, two, false, null, AT);
        await writeSetting(tx, other, 'inte frågad', null, AT);
        return readSettingValues(tx, [one, two, never]);
      });
      expect(Object.fromEntries(values)).toEqual({ [one]: 10, [two]: false });
      expect(await store.transaction((tx) => readSettingValues(tx, []))).toEqual(new Map());
    });
  });

  it('rolls back with the transaction: a write in a failed call leaves nothing', async () => {
    await withStore(async (store, admin) => {
      const name = key();
      await expect(
        store.transaction(async (tx) => {
          await writeSetting(tx, name, 99, admin, AT);
          throw new Error('the call failed after the write');
        }),
      ).rejects.toThrow('the call failed');
      expect(await store.transaction((tx) => readSetting(tx, name))).toBeUndefined();
    });
  });
}

describe('settings repository on the encrypted SQLite journal', () => {
  contract(sqliteJournal(tempDir));
});

describe('settings repository on PostgreSQL, as the admin', () => {
  contract(postgresJournals('utvag_repo_settings'));
});

describe('the settings service over the repository', () => {
  async function journal(): Promise<{ db: Db; store: Store; admin: string }> {
    const db = openEncrypted(path.join(tempDir(), 'journal.db'), randomBytes(32), { create: true });
    migrate(db);
    const store = createSqliteStore(db);
    const admin = `u-${randomUUID()}`;
    await store.transaction((tx) =>
      tx.insertInto('users').values({ id: admin, username: admin, display_name: 'Fiktiv Admin', created_at: AT }).execute(),
    );
    return { db, store, admin };
  }

  it('reads the settings through the call’s transaction; a value the app no longer accepts falls back', async () => {
    const { store } = await journal();
    try {
      expect(await store.transaction((tx) => readSettings(tx))).toEqual(DEFAULT_SETTINGS);
      await store.transaction(async (tx) => {
        await writeSetting(tx, 'idleLockMinutes', 0, null, AT);
        await writeSetting(tx, 'separationBufferMinutes', 90, null, AT);
      });
      const expected = { ...DEFAULT_SETTINGS, separationBufferMinutes: 90 };
      expect(await store.transaction((tx) => readSettings(tx))).toEqual(expected);
    } finally {
      await store.close();
    }
  });
});

/** The service's write through the repository and the access log, on either engine, as the admin. */
function serviceContract(open: OpenJournal): void {
  it('updateSettings: the changed keys and one access-log row (keys and minutes only) in the caller’s transaction, or neither', async () => {
    const { store: journal, seed, close } = await open();
    try {
      const admin = `u-${randomUUID()}`;
      await seed.transaction(async (tx) => {
        await tx.insertInto('users').values({ id: admin, username: admin, display_name: 'Fiktiv Admin', created_at: AT }).execute();
        await tx.insertInto('user_roles').values({ user_id: admin, role: 'admin' }).execute();
      });
      const store = actingAs(journal, { userId: admin, role: 'admin' });
      const at = new Date(LATER);
      const answer = await store.transaction((tx) => updateSettings(tx, { idleLockMinutes: 5 }, admin, at));
      expect(answer).toEqual({ ...DEFAULT_SETTINGS, idleLockMinutes: 5 });
      const log = await store.transaction((tx) => tx.selectFrom('access_log').select(['user_id', 'client_id', 'record', 'action', 'at']).execute());
      expect(log).toEqual([{ user_id: admin, client_id: null, record: 'settings:idleLockMinutes=5', action: 'settings.update', at: LATER }]);
      // Nothing to change: nothing written, nothing logged.
      expect(await store.transaction((tx) => updateSettings(tx, {}, admin, at))).toEqual(answer);
      await expect(
        store.transaction(async (tx) => {
          await updateSettings(tx, { idleLockMinutes: 30, separationBufferMinutes: 60 }, admin, at);
          throw new Error('the call failed after the update');
        }),
      ).rejects.toThrow('the call failed');
      expect(await store.transaction((tx) => readSettings(tx))).toEqual(answer);
      expect(await store.transaction((tx) => tx.selectFrom('access_log').select('seq').execute())).toHaveLength(1);
      // The next update continues the chain where the rolled-back one left no gap.
      await store.transaction((tx) => updateSettings(tx, { idleLockMinutes: 10 }, admin, at));
      expect(await store.transaction((tx) => verifyLogChain(tx))).toEqual({ ok: true, rows: 2 });
    } finally {
      await close();
    }
  });
}

describe('the settings service on the encrypted SQLite journal', () => {
  serviceContract(sqliteJournal(tempDir));
});

describe('the settings service on PostgreSQL, as the admin', () => {
  serviceContract(postgresJournals('utvag_repo_settings_service'));
});
