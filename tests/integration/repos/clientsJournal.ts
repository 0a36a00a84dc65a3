/** The journal the clients and intakes repository contracts run on (kept apart from other domains' contract helpers). */
import { randomUUID } from 'node:crypto';
import type { Actor, Tx } from '../../../db/engine/store.js';

/** What a repository contract runs against: a fresh journal of one engine (./engines.ts), closed after each test. */
export { postgresJournals, sqliteJournal, type OpenJournal } from './engines.js';

export const AT = '2026-03-02T08:00:00.000Z';
export const DESK = 'u-repo-desk';
export const SITE = 'site-repo-test';

export function unique(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** The receptionist whose calls the contracts make, and the admin for what only admins do. */
export const DESK_ACTOR: Actor = { userId: DESK, role: 'receptionist' };
export const ADMIN_ACTOR: Actor = { userId: 'u-repo-admin', role: 'admin' };

/** The rows every contract needs on any engine: the desk user, an admin and a site of its own. */
export async function seedBasics(tx: Tx): Promise<void> {
  for (const actor of [DESK_ACTOR, ADMIN_ACTOR]) {
    await tx
      .insertInto('users')
      .values({ id: actor.userId, username: actor.userId, display_name: `Test ${actor.role}`, created_at: AT })
      .execute();
    await tx.insertInto('user_roles').values({ user_id: actor.userId, role: actor.role }).execute();
  }
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
