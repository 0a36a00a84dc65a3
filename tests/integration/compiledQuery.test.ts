import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEncrypted } from '../../db/connection.js';
import { reusableQuery } from '../../db/engine/compiled.js';
import { createSqliteStore } from '../../db/engine/sqlite.js';
import type { Store, Tx } from '../../db/engine/store.js';
import { migrate } from '../../db/migrate.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const AT = '2026-03-02T08:00:00.000Z';

/** Queries compiled once and run with each call's values (#13): the same rows as the built query, and every misuse refused. */
describe('reusable queries on the encrypted journal', () => {
  let store: Store;

  beforeEach(async () => {
    const db = openEncrypted(path.join(tempDir(), 'journal.db'), randomBytes(32), { create: true });
    migrate(db);
    store = createSqliteStore(db);
    await store.transaction(async (tx) => {
      await tx
        .insertInto('users')
        .values(
          ['u-one', 'u-two', 'u-three'].map((id, index) => ({
            id,
            username: id,
            display_name: `Fiktiv ${index}`,
            created_at: AT,
            active: index === 2 ? 0 : 1,
          })),
        )
        .execute();
    });
  });
  afterEach(async () => {
    await store.close();
  });

  it('runs the compiled query with each call’s values, constants of the query kept, in the order of its placeholders', async () => {
    const activeNamed = reusableQuery(2, (tx: Tx, username: string, from: string) =>
      tx.selectFrom('users').select(['id', 'display_name']).where('active', '=', 1).where('created_at', '>=', from).where('username', '=', username),
    );
    const statementsBefore = store.statements;
    const rows = await store.transaction(async (tx) => [
      await activeNamed.all(tx, 'u-one', AT),
      await activeNamed.first(tx, 'u-two', AT),
      await activeNamed.first(tx, 'u-three', AT),
      await activeNamed.first(tx, 'u-one', '2027-01-01T00:00:00.000Z'),
    ]);
    expect(rows).toEqual([[{ id: 'u-one', display_name: 'Fiktiv 0' }], { id: 'u-two', display_name: 'Fiktiv 1' }, undefined, undefined]);
    // Counted like any other statement (the per-channel bounds and the bench read the count).
    expect(store.statements - statementsBefore).toBe(4);
  });

  it('writes, and tells how many rows changed', async () => {
    const rename = reusableQuery(2, (tx: Tx, id: string, name: string) => tx.updateTable('users').set({ display_name: name }).where('id', '=', id));
    const changed = await store.transaction(async (tx) => [await rename.run(tx, 'u-one', 'Nytt påhittat namn'), await rename.run(tx, 'u-none', 'X')]);
    expect(changed).toEqual([1, 0]);
    const name = await store.transaction(
      async (tx) => (await tx.selectFrom('users').select('display_name').where('id', '=', 'u-one').executeTakeFirst())?.display_name,
    );
    expect(name).toBe('Nytt påhittat namn');
  });

  it('refuses a transaction handle kept past its transaction, as a built query does', async () => {
    const byId = reusableQuery(1, (tx: Tx, id: string) => tx.selectFrom('users').select('id').where('id', '=', id));
    let kept: Tx | undefined;
    await store.transaction(async (tx) => {
      kept = tx;
      await byId.first(tx, 'u-one');
    });
    await expect(byId.first(kept!, 'u-one')).rejects.toThrow(/transaction has ended/);
  });

  it('refuses a builder that changes a value, writes it into the SQL text, or leaves one out', async () => {
    const changed = reusableQuery(1, (tx: Tx, prefix: string) => tx.selectFrom('users').select('id').where('username', 'like', `${prefix}%`));
    const inlined = reusableQuery(1, (tx: Tx, id: string) =>
      tx
        .selectFrom('users')
        .select('id')
        .where('id', '=', id)
        .orderBy(id as 'id'),
    );
    const unused = reusableQuery(2, (tx: Tx, id: string, _name: string) => tx.selectFrom('users').select('id').where('id', '=', id));
    await store.transaction(async (tx) => {
      await expect(changed.all(tx, 'u-')).rejects.toThrow(/changed a value/);
      await expect(inlined.all(tx, 'u-one')).rejects.toThrow(/into its SQL text/);
      await expect(unused.all(tx, 'u-one', 'x')).rejects.toThrow(/left a value unbound/);
    });
  });

  it('under the tests, refuses a builder whose shape depends on its values (it would run the wrong query for some of them)', async () => {
    const shaped = reusableQuery(1, (tx: Tx, id: string | null) => {
      const query = tx.selectFrom('users').select('id');
      return id === null ? query.where('active', '=', 0).where('id', 'is', id) : query.where('id', '=', id);
    });
    await store.transaction(async (tx) => {
      expect(await shaped.all(tx, 'u-one')).toEqual([{ id: 'u-one' }]);
      await expect(shaped.all(tx, null)).rejects.toThrow(/differs from the one built/);
    });
  });
});
