/** The journal the clients and intakes repository contracts run on (kept apart from other domains' contract helpers). */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { openEncrypted } from '../../../db/connection.js';
import { createSqliteStore } from '../../../db/engine/sqlite.js';
import type { Store, Tx } from '../../../db/engine/store.js';
import { migrate } from '../../../db/migrate.js';

/** What a repository contract runs against: a fresh journal of one engine, closed after each test. */
export type OpenJournal = () => Promise<{ store: Store; close(): Promise<void> }>;

export const AT = '2026-03-02T08:00:00.000Z';
export const DESK = 'u-repo-desk';
export const SITE = 'site-repo-test';

export function unique(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** The encrypted SQLite journal as the app opens it: keyed, migrated, behind the Store. */
export function sqliteJournal(dir: () => string): OpenJournal {
  return async () => {
    const db = openEncrypted(path.join(dir(), 'journal.db'), randomBytes(32), { create: true });
    migrate(db);
    const store = createSqliteStore(db);
    return { store, close: () => store.close() };
  };
}

/** The rows every contract needs on any engine: the desk user and a site of its own (engines seed different sites). */
export async function seedBasics(tx: Tx): Promise<void> {
  await tx.insertInto('users').values({ id: DESK, username: DESK, display_name: 'Testreception', created_at: AT }).execute();
  await tx.insertInto('sites').values({ id: SITE, name: 'Testenheten' }).execute();
}

/** A therapist who serves the tracks given, active unless told otherwise. */
export async function addTherapist(tx: Tx, tracks: ('victim' | 'perpetrator' | 'child')[], active: 0 | 1 = 1): Promise<string> {
  const id = unique('u-therapist');
  await tx.insertInto('users').values({ id, username: id, display_name: 'Testbehandlare', created_at: AT, active }).execute();
  await tx.insertInto('user_roles').values({ user_id: id, role: 'therapist' }).execute();
  if (tracks.length > 0)
    await tx
      .insertInto('therapist_tracks')
      .values(tracks.map((track) => ({ user_id: id, track })))
      .execute();
  return id;
}
