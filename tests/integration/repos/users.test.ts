/**
 * Repository contract: db/users/. The body takes a store and checks only users it made itself
 * (unique usernames and ids), so the same suite can run unchanged against PostgreSQL (issue #14).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Tx } from '../../../db/engine/store.js';
import {
  countActiveAdmins,
  countUsers,
  findUserById,
  findUserByUsername,
  hasRole,
  insertUser,
  listUsers,
  recordLogin,
  renameUser,
  setActive,
  setMustChangePassword,
  type Role,
} from '../../../db/users/index.js';
import { useTempDirs } from '../../helpers/tempDir.js';
import { actingAs, postgresJournals, sqliteJournal, type ActingStore, type OpenJournal } from './engines.js';

const tempDir = useTempDirs();
const AT = '2026-03-02T08:00:00.000Z';
const LATER = '2026-03-03T09:30:15.250Z';

function contract(open: OpenJournal): void {
  /** Every call as an admin: managing users is the admins' (users.* channels). */
  async function withStore(work: (store: ActingStore) => Promise<void>): Promise<void> {
    const { store, seed, close } = await open();
    try {
      const admin = `u-admin-${randomUUID()}`;
      await seed.transaction(async (tx) => {
        await tx.insertInto('users').values({ id: admin, username: admin, display_name: 'Fiktiv Admin', created_at: AT }).execute();
        await tx.insertInto('user_roles').values({ user_id: admin, role: 'admin' }).execute();
      });
      await work(actingAs(store, { userId: admin, role: 'admin' }));
    } finally {
      await close();
    }
  }
  async function add(tx: Tx, displayName: string, roles: Role[], extra: { mustChangePassword?: boolean } = {}): Promise<string> {
    const id = randomUUID();
    await insertUser(tx, {
      id,
      username: `fiktiv.${id}`,
      displayName,
      roles,
      mustChangePassword: extra.mustChangePassword ?? false,
      createdAt: AT,
    });
    return id;
  }

  it('insertUser and findUserById: the user as written, roles once each in code-unit order, active', async () => {
    await withStore(async (store) => {
      const user = await store.transaction(async (tx) => {
        const id = await add(tx, 'Fiktiva Flerrollsdotter', ['therapist', 'admin', 'therapist', 'receptionist'], { mustChangePassword: true });
        return findUserById(tx, id);
      });
      expect(user).toEqual({
        id: user!.id,
        username: `fiktiv.${user!.id}`,
        displayName: 'Fiktiva Flerrollsdotter',
        active: true,
        mustChangePassword: true,
        createdAt: AT,
        lastLoginAt: null,
        roles: ['admin', 'receptionist', 'therapist'],
      });
      expect(await store.transaction((tx) => findUserById(tx, 'no-such-user'))).toBeNull();
    });
  });

  it('insertUser: a user without roles is found with an empty list', async () => {
    await withStore(async (store) => {
      const user = await store.transaction(async (tx) => findUserById(tx, await add(tx, 'Fiktiv Rollös', [])));
      expect(user?.roles).toEqual([]);
    });
  });

  it('findUserByUsername: exact username, surrounding spaces ignored; unknown gives null', async () => {
    await withStore(async (store) => {
      await store.transaction(async (tx) => {
        const id = await add(tx, 'Fiktiv Sökbar', ['receptionist']);
        expect((await findUserByUsername(tx, `  fiktiv.${id} `))?.id).toBe(id);
        expect(await findUserByUsername(tx, `fiktiv.${id}x`)).toBeNull();
      });
    });
  });

  it('listUsers: every user once with all roles, by display name without regard to case', async () => {
    await withStore(async (store) => {
      const tag = randomUUID().slice(0, 8);
      const ids = await store.transaction(async (tx) => ({
        b: await add(tx, `bertil ${tag}`, ['therapist', 'admin']),
        a: await add(tx, `Anna ${tag}`, ['receptionist']),
        c: await add(tx, `Cecilia ${tag}`, []),
      }));
      const mine = (await store.transaction((tx) => listUsers(tx))).filter((user) => user.displayName.endsWith(tag));
      expect(mine.map((user) => [user.id, user.roles])).toEqual([
        [ids.a, ['receptionist']],
        [ids.b, ['admin', 'therapist']],
        [ids.c, []],
      ]);
    });
  });

  it('countUsers: one more for each user added', async () => {
    await withStore(async (store) => {
      const before = await store.transaction((tx) => countUsers(tx));
      await store.transaction(async (tx) => {
        await add(tx, 'Fiktiv Ett', ['therapist']);
        await add(tx, 'Fiktiv Två', ['therapist', 'admin']);
      });
      expect(await store.transaction((tx) => countUsers(tx))).toBe(before + 2);
    });
  });

  it('recordLogin, setMustChangePassword, setActive, renameUser: change only that user, only that column', async () => {
    await withStore(async (store) => {
      const [mine, other] = await store.transaction(async (tx) => [
        await add(tx, 'Fiktiv Ändrad', ['receptionist'], { mustChangePassword: true }),
        await add(tx, 'Fiktiv Orörd', ['receptionist'], { mustChangePassword: true }),
      ]);
      const untouched = await store.transaction((tx) => findUserById(tx, other));
      const renamed = `fiktiv.ny.${randomUUID()}`;
      await store.transaction(async (tx) => {
        await recordLogin(tx, mine, LATER);
        await setMustChangePassword(tx, mine, false);
        await setActive(tx, mine, false);
        await renameUser(tx, mine, renamed);
      });
      expect(await store.transaction((tx) => findUserById(tx, mine))).toEqual({
        id: mine,
        username: renamed,
        displayName: 'Fiktiv Ändrad',
        active: false,
        mustChangePassword: false,
        createdAt: AT,
        lastLoginAt: LATER,
        roles: ['receptionist'],
      });
      expect(await store.transaction((tx) => findUserById(tx, other))).toEqual(untouched);
      await store.transaction(async (tx) => {
        await setActive(tx, mine, true);
        await setMustChangePassword(tx, mine, true);
      });
      expect(await store.transaction((tx) => findUserById(tx, mine))).toMatchObject({ active: true, mustChangePassword: true });
    });
  });

  it('hasRole: only a role the user holds', async () => {
    await withStore(async (store) => {
      await store.transaction(async (tx) => {
        const id = await add(tx, 'Fiktiv Behandlare', ['therapist']);
        expect(await hasRole(tx, id, 'therapist')).toBe(true);
        expect(await hasRole(tx, id, 'admin')).toBe(false);
        expect(await hasRole(tx, 'no-such-user', 'therapist')).toBe(false);
      });
    });
  });

  it('countActiveAdmins: active users with the admin role, each once', async () => {
    await withStore(async (store) => {
      const before = await store.transaction((tx) => countActiveAdmins(tx));
      const [admin] = await store.transaction(async (tx) => [
        await add(tx, 'Fiktiv Admin', ['admin', 'therapist']),
        await add(tx, 'Fiktiv Inte Admin', ['therapist', 'receptionist']),
      ]);
      expect(await store.transaction((tx) => countActiveAdmins(tx))).toBe(before + 1);
      await store.transaction((tx) => setActive(tx, admin!, false));
      expect(await store.transaction((tx) => countActiveAdmins(tx))).toBe(before);
    });
  });

  it('insertUser: a taken username is refused and leaves neither the user nor its roles', async () => {
    await withStore(async (store) => {
      const first = await store.transaction((tx) => add(tx, 'Fiktiv Först', ['receptionist']));
      const second = randomUUID();
      await expect(
        store.transaction((tx) =>
          insertUser(tx, {
            id: second,
            username: `fiktiv.${first}`,
            displayName: 'Fiktiv Dubblett',
            roles: ['admin'],
            mustChangePassword: true,
            createdAt: AT,
          }),
        ),
      ).rejects.toThrow();
      expect(await store.transaction((tx) => findUserById(tx, second))).toBeNull();
      const roles = await store.transaction((tx) => tx.selectFrom('user_roles').select('role').where('user_id', '=', second).execute());
      expect(roles).toEqual([]);
    });
  });
}

describe('users repository on the encrypted SQLite journal', () => {
  contract(sqliteJournal(tempDir));
});

describe('users repository on PostgreSQL, as an admin', () => {
  contract(postgresJournals('utvag_repo_users'));
});
