import { randomUUID } from 'node:crypto';
import type { Role, Track } from '../../../db/engine/schema.js';
import type { Tx } from '../../../db/engine/store.js';
import type { OpenJournal } from './engines.js';

export { postgresJournals, sqliteJournal } from './engines.js';

/**
 * What the journal's, the access log's and the statistics' repository tests share: a journal of
 * either engine (./engines.ts), and rows written through Kysely in its `seed` store, so that the
 * same seeding serves both engines.
 */
export type OpenStore = OpenJournal;

export const AT = '2026-03-02T08:00:00.000Z';
/** A site the migrations create. */
export const SITE = 'skaraborg';

export function unique(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

export async function addUser(
  tx: Tx,
  options: { roles?: Role[]; tracks?: Track[]; active?: boolean; siteId?: string | null; name?: string } = {},
): Promise<string> {
  const id = unique('user');
  await tx
    .insertInto('users')
    .values({ id, username: id, display_name: options.name ?? `Fiktiv ${id.slice(5, 13)}`, created_at: AT, active: options.active === false ? 0 : 1 })
    .execute();
  for (const role of options.roles ?? []) await tx.insertInto('user_roles').values({ user_id: id, role }).execute();
  for (const track of options.tracks ?? []) await tx.insertInto('therapist_tracks').values({ user_id: id, track }).execute();
  if (options.siteId) await tx.insertInto('therapist_profiles').values({ user_id: id, site_id: options.siteId }).execute();
  return id;
}

export async function addClient(
  tx: Tx,
  createdBy: string,
  track: Track,
  options: { name?: string; firstContactAt?: string | null; municipalityCode?: string | null; birthYear?: number | null } = {},
): Promise<string> {
  const id = unique(track);
  const name = options.name ?? `Fiktiv ${track} ${id.slice(-6)}`;
  await tx
    .insertInto('clients')
    .values({
      id,
      track,
      name,
      search_name: name.toLowerCase(),
      created_at: AT,
      created_by: createdBy,
      first_contact_at: options.firstContactAt ?? null,
      municipality_code: options.municipalityCode ?? null,
      birth_year: options.birthYear ?? null,
    })
    .execute();
  return id;
}

export async function addCare(tx: Tx, clientId: string, therapistId: string, createdBy: string, startedAt = AT): Promise<string> {
  const id = unique('care');
  await tx
    .insertInto('care_relations')
    .values({ id, client_id: clientId, therapist_id: therapistId, started_at: startedAt, created_by: createdBy })
    .execute();
  return id;
}
