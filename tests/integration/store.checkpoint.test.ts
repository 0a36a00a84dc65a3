import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEncrypted, type Db } from '../../db/connection.js';
import { CHECKPOINT_FALLBACK_PAGES, CHECKPOINT_WHEN_IDLE_MS, createSqliteStore } from '../../db/engine/sqlite.js';
import type { Store } from '../../db/engine/store.js';
import { migrate } from '../../db/migrate.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const AT = '2026-03-02T08:00:00.000Z';
/** About 6 MiB of settings: more pages than SQLite's default checkpoint threshold (1000), fewer than the store's fallback. */
const ROWS = 375;
const VALUE = 'x'.repeat(16 * 1024);

/** The write-ahead log is copied into the journal when the desk pauses, not inside the call that filled it (#13). */
describe('checkpoints of the encrypted journal', () => {
  let file: string;
  let db: Db;
  let store: Store;

  beforeEach(() => {
    file = path.join(tempDir(), 'journal.db');
    db = openEncrypted(file, randomBytes(32), { create: true });
    migrate(db);
    store = createSqliteStore(db);
  });
  afterEach(async () => {
    await store.close();
  });

  it('answers a large write without copying it into the journal file, and copies it once the journal is idle', async () => {
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(CHECKPOINT_FALLBACK_PAGES);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const before = statSync(file).size;

    await store.transaction(async (tx) => {
      for (let i = 0; i < ROWS; i += 1)
        await tx
          .insertInto('settings')
          .values({ key: `test.${i}`, value: VALUE, updated_at: AT })
          .execute();
    });
    // Committed (in the write-ahead log, flushed to disk) and readable, but not yet in the journal file.
    expect(statSync(file).size).toBe(before);
    const stored = await store.transaction(
      async (tx) =>
        tx
          .selectFrom('settings')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('key', 'like', 'test.%')
          .executeTakeFirst(),
      {
        readOnly: true,
      },
    );
    expect(Number(stored?.n)).toBe(ROWS);

    await sleep(CHECKPOINT_WHEN_IDLE_MS + 500);
    expect(statSync(file).size).toBeGreaterThan(before + ROWS * VALUE.length);
  });

  it('leaves a journal closed before the idle moment closed, without an error', async () => {
    await store.transaction(async (tx) => {
      await tx.insertInto('settings').values({ key: 'test.one', value: 'x', updated_at: AT }).execute();
    });
    await store.close();
    await sleep(CHECKPOINT_WHEN_IDLE_MS + 200);
    expect(db.open).toBe(false);
  });
});
