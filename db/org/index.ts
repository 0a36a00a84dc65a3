/**
 * The organisation: sites, entrances, waiting rooms, rooms, routes, municipalities and the
 * therapists' profiles, async over the store's transaction (#13). A set of therapists comes with
 * its tracks and hours in one statement, never one query per therapist.
 */
import { sql } from 'kysely';
import { reusableQuery } from '../engine/compiled.js';
import type { Tx } from '../engine/store.js';
import type { Track } from '../engine/schema.js';

export interface SiteRow {
  id: string;
  name: string;
}
export interface EntranceRow {
  id: string;
  siteId: string;
  name: string;
}
export interface WaitingRoomRow {
  id: string;
  siteId: string;
  entranceId: string;
  name: string;
  capacity: number;
}
export interface RoomRow {
  id: string;
  siteId: string;
  name: string;
  active: boolean;
  purpose: 'individual' | 'group';
}
export interface TrackRouteRow {
  siteId: string;
  track: Track;
  entranceId: string;
  waitingRoomId: string;
}
export interface MunicipalityRow {
  code: string;
  name: string;
  region: 'skaraborg' | 'sodra_alvsborg' | 'other';
  /** Takes part in the women's Etapp 2. */
  etapp2: boolean;
  /** Takes part in the children's Etapp 2. */
  etapp2Children: boolean;
}
export interface TherapistHoursRow {
  weekday: number;
  startMinute: number;
  endMinute: number;
}
export interface TherapistRow {
  id: string;
  displayName: string;
  siteId: string | null;
  tracks: Track[];
  hours: TherapistHoursRow[];
}

/** The premises: sites, entrances, waiting rooms, rooms and routes, in one statement (every save answers with them all). */
export interface Premises {
  sites: SiteRow[];
  entrances: EntranceRow[];
  waitingRooms: WaitingRoomRow[];
  rooms: RoomRow[];
  trackRoutes: TrackRouteRow[];
}

/** Typed nulls and literals for the columns of one UNION ALL, so that both engines agree on each column's type. */
const noText = sql<string | null>`cast(null as text)`;
const noNumber = sql<number | null>`cast(null as integer)`;
const kind = (name: string) => sql<string>`${sql.lit(name)}`;

interface PremisesRow {
  kind: string;
  t1: string;
  t2: string;
  t3: string | null;
  t4: string | null;
  n1: number | null;
  n2: number | null;
}
type SitePremisesRow = Omit<PremisesRow, 't4' | 'n2'>;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One statement over the five small tables of the premises: one column set for all (a kind, four
 * texts, two numbers), sorted here as each list is sorted on screen.
 */
export async function listPremises(tx: Tx): Promise<Premises> {
  const rows = await tx
    .selectFrom('sites')
    .select([kind('site').as('kind'), 'id as t1', 'name as t2', noText.as('t3'), noText.as('t4'), 'sort as n1', noNumber.as('n2')])
    .$castTo<PremisesRow>()
    .unionAll(
      tx
        .selectFrom('entrances')
        .select([kind('entrance').as('kind'), 'id as t1', 'name as t2', 'site_id as t3', noText.as('t4'), noNumber.as('n1'), noNumber.as('n2')])
        .$castTo<PremisesRow>(),
    )
    .unionAll(
      tx
        .selectFrom('waiting_rooms')
        .select([
          kind('waiting_room').as('kind'),
          'id as t1',
          'name as t2',
          'site_id as t3',
          'entrance_id as t4',
          'capacity as n1',
          noNumber.as('n2'),
        ])
        .$castTo<PremisesRow>(),
    )
    .unionAll(
      tx
        .selectFrom('rooms')
        .select([kind('room').as('kind'), 'id as t1', 'name as t2', 'site_id as t3', 'purpose as t4', 'active as n1', noNumber.as('n2')])
        .$castTo<PremisesRow>(),
    )
    .unionAll(
      tx
        .selectFrom('track_routes')
        .select([
          kind('route').as('kind'),
          'track as t1',
          'waiting_room_id as t2',
          'site_id as t3',
          'entrance_id as t4',
          noNumber.as('n1'),
          noNumber.as('n2'),
        ])
        .$castTo<PremisesRow>(),
    )
    .execute();
  const sites: (SiteRow & { sort: number })[] = [];
  const premises: Premises = { sites: [], entrances: [], waitingRooms: [], rooms: [], trackRoutes: [] };
  for (const row of rows) {
    const t3 = row.t3 ?? '';
    const t4 = row.t4 ?? '';
    if (row.kind === 'site') sites.push({ id: row.t1, name: row.t2, sort: row.n1 ?? 0 });
    else if (row.kind === 'entrance') premises.entrances.push({ id: row.t1, siteId: t3, name: row.t2 });
    else if (row.kind === 'waiting_room') premises.waitingRooms.push({ id: row.t1, siteId: t3, entranceId: t4, name: row.t2, capacity: row.n1 ?? 0 });
    else if (row.kind === 'room')
      premises.rooms.push({ id: row.t1, siteId: t3, name: row.t2, active: row.n1 === 1, purpose: t4 as RoomRow['purpose'] });
    else premises.trackRoutes.push({ siteId: t3, track: row.t1 as Track, entranceId: t4, waitingRoomId: row.t2 });
  }
  premises.sites = sites.sort((a, b) => a.sort - b.sort || byText(a.name, b.name)).map(({ id, name }) => ({ id, name }));
  premises.entrances.sort((a, b) => byText(a.siteId, b.siteId) || byText(a.name, b.name));
  premises.waitingRooms.sort((a, b) => byText(a.siteId, b.siteId) || byText(a.name, b.name));
  premises.rooms.sort((a, b) => byText(a.siteId, b.siteId) || byText(a.name, b.name));
  premises.trackRoutes.sort((a, b) => byText(a.siteId, b.siteId) || byText(a.track, b.track));
  return premises;
}

/** The rows of sitePremises' statement (also read inside a booking's one statement, db/appointments/bookingReads.ts). */
export function sitePremisesRows(tx: Tx, siteId: string) {
  return tx
    .selectFrom('track_routes as r')
    .innerJoin('waiting_rooms as w', 'w.id', 'r.waiting_room_id')
    .select([kind('route').as('kind'), 'r.track as t1', 'r.waiting_room_id as t2', 'r.entrance_id as t3', 'w.capacity as n1'])
    .where('r.site_id', '=', siteId)
    .$castTo<SitePremisesRow>()
    .unionAll(
      tx
        .selectFrom('rooms')
        .select([kind('room').as('kind'), 'id as t1', 'name as t2', 'purpose as t3', 'active as n1'])
        .where('site_id', '=', siteId)
        .$castTo<SitePremisesRow>(),
    )
    .unionAll(
      tx
        .selectFrom('settings')
        .select([kind('setting').as('kind'), 'key as t1', 'value as t2', noText.as('t3'), noNumber.as('n1')])
        .where('key', '=', 'separationBufferMinutes')
        .$castTo<SitePremisesRow>(),
    );
}

const sitePremisesQuery = reusableQuery(1, sitePremisesRows);

export interface SitePremises {
  trackRoutes: (TrackRouteRow & { capacity: number })[];
  rooms: RoomRow[];
  /** The separation buffer as stored (JSON text parsed), or undefined. */
  storedBuffer: unknown;
}

/** sitePremises' answer from its rows. */
export function sitePremisesOf(siteId: string, rows: readonly SitePremisesRow[]): SitePremises {
  const trackRoutes: (TrackRouteRow & { capacity: number })[] = [];
  const rooms: RoomRow[] = [];
  let storedBuffer: unknown = undefined;
  for (const row of rows) {
    if (row.kind === 'route')
      trackRoutes.push({ siteId, track: row.t1 as Track, waitingRoomId: row.t2, entranceId: row.t3 ?? '', capacity: row.n1 ?? 0 });
    else if (row.kind === 'room') rooms.push({ id: row.t1, siteId, name: row.t2, purpose: row.t3 as RoomRow['purpose'], active: row.n1 === 1 });
    else storedBuffer = JSON.parse(row.t2) as unknown;
  }
  rooms.sort((a, b) => byText(a.name, b.name));
  return { trackRoutes, rooms, storedBuffer };
}

/**
 * What judging a booking at a site needs of the organisation, in one statement: the site's routes
 * with their waiting room's capacity, its rooms, and the separation buffer as stored (JSON text, or
 * undefined; the settings service validates it and falls back to its default).
 */
export async function sitePremises(tx: Tx, siteId: string): Promise<SitePremises> {
  return sitePremisesOf(siteId, await sitePremisesQuery.all(tx, siteId));
}

export async function listSites(tx: Tx): Promise<SiteRow[]> {
  const rows = await tx.selectFrom('sites').select(['id', 'name', 'sort']).execute();
  return rows.sort((a, b) => a.sort - b.sort || byText(a.name, b.name)).map(({ id, name }) => ({ id, name }));
}

/** The tracks an active therapist serves (none for anyone else), sorted. */
export async function tracksServedBy(tx: Tx, userId: string): Promise<Track[]> {
  const rows = await tx
    .selectFrom('therapist_tracks as t')
    .innerJoin('users as u', (join) => join.onRef('u.id', '=', 't.user_id').on('u.active', '=', 1))
    .innerJoin('user_roles as r', (join) => join.onRef('r.user_id', '=', 'u.id').on('r.role', '=', 'therapist'))
    .select('t.track')
    .where('t.user_id', '=', userId)
    .execute();
  return rows.map((row) => row.track).sort(byText);
}

const MUNICIPALITY_COLUMNS = ['code', 'name', 'region', 'etapp2', 'etapp2_children as etapp2Children'] as const;

function toMunicipality(row: {
  code: string;
  name: string;
  region: MunicipalityRow['region'];
  etapp2: number;
  etapp2Children: number;
}): MunicipalityRow {
  return { ...row, etapp2: row.etapp2 === 1, etapp2Children: row.etapp2Children === 1 };
}

export async function listMunicipalities(tx: Tx): Promise<MunicipalityRow[]> {
  const rows = await tx.selectFrom('municipalities').select(MUNICIPALITY_COLUMNS).execute();
  // "Other municipality" last, the rest by name (as ORDER BY code = 'other', name did).
  return rows.map(toMunicipality).sort((a, b) => Number(a.code === 'other') - Number(b.code === 'other') || byText(a.name, b.name));
}

export async function findMunicipality(tx: Tx, code: string): Promise<MunicipalityRow | null> {
  const row = await tx.selectFrom('municipalities').select(MUNICIPALITY_COLUMNS).where('code', '=', code).executeTakeFirst();
  return row ? toMunicipality(row) : null;
}

/** SQLite's NOCASE: ASCII letters folded, then compared as they are. */
const nocase = (text: string) => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());

function therapistRows(tx: Tx) {
  return tx
    .selectFrom('users as u')
    .innerJoin('user_roles as r', (join) => join.onRef('r.user_id', '=', 'u.id').on('r.role', '=', 'therapist'))
    .leftJoin('therapist_profiles as p', 'p.user_id', 'u.id')
    .leftJoin('therapist_tracks as t', 't.user_id', 'u.id')
    .leftJoin('therapist_hours as h', 'h.user_id', 'u.id')
    .select([
      'u.id',
      'u.display_name as displayName',
      'p.site_id as siteId',
      't.track',
      'h.weekday',
      'h.start_minute as startMinute',
      'h.end_minute as endMinute',
    ])
    .where('u.active', '=', 1);
}

/** The rows of the given therapists, one per track and working day (also read inside a booking's one statement). */
export function therapistRowsNamed(tx: Tx, ids: string[]) {
  return therapistRows(tx).where('u.id', 'in', ids);
}

const therapistsNamed = reusableQuery(1, therapistRowsNamed);

/** One row of therapistRows' statement: a therapist with one track and one working day (or none). */
type TherapistJoinRow = Awaited<ReturnType<ReturnType<typeof therapistRows>['execute']>>[number];

/** Therapists folded from their rows (one per track and working day), sorted by name as listTherapists answers. */
export function therapistsOf(rows: readonly TherapistJoinRow[]): TherapistRow[] {
  const therapists = new Map<string, TherapistRow>();
  for (const row of rows) {
    let therapist = therapists.get(row.id);
    if (!therapist) {
      therapist = { id: row.id, displayName: row.displayName, siteId: row.siteId, tracks: [], hours: [] };
      therapists.set(row.id, therapist);
    }
    if (row.track !== null && !therapist.tracks.includes(row.track)) therapist.tracks.push(row.track);
    if (row.weekday !== null && !therapist.hours.some((day) => day.weekday === row.weekday)) {
      therapist.hours.push({ weekday: row.weekday, startMinute: row.startMinute!, endMinute: row.endMinute! });
    }
  }
  return [...therapists.values()]
    .map((therapist) => ({ ...therapist, tracks: therapist.tracks.sort(byText), hours: therapist.hours.sort((a, b) => a.weekday - b.weekday) }))
    .sort((a, b) => byText(nocase(a.displayName), nocase(b.displayName)));
}

/**
 * Active users with the therapist role, with their profile, tracks and hours, in one statement
 * (one row per track and working day, folded here): all of them, those of one site, or the given ones.
 */
export async function listTherapists(tx: Tx, filter: { siteId?: string; ids?: string[] } = {}): Promise<TherapistRow[]> {
  if (filter.ids?.length === 0) return [];
  let rows;
  // A booking's and a slot search's form (the therapists named) is compiled once.
  if (filter.ids && filter.siteId === undefined) rows = await therapistsNamed.all(tx, filter.ids);
  else {
    let query = therapistRows(tx);
    if (filter.ids) query = query.where('u.id', 'in', filter.ids);
    if (filter.siteId !== undefined) query = query.where('p.site_id', '=', filter.siteId);
    rows = await query.execute();
  }
  return therapistsOf(rows);
}

/** Whether the site exists and the user holds the therapist role (active or not), in one statement. */
export async function siteAndTherapistRole(tx: Tx, siteId: string, userId: string): Promise<{ site: boolean; therapist: boolean }> {
  const row = await tx
    .selectNoFrom((eb) => [
      eb.exists(eb.selectFrom('sites').select('id').where('id', '=', siteId)).as('site'),
      eb.exists(eb.selectFrom('user_roles').select('user_id').where('user_id', '=', userId).where('role', '=', 'therapist')).as('therapist'),
    ])
    .executeTakeFirstOrThrow();
  // SQLite answers 1/0, PostgreSQL true/false.
  return { site: Boolean(row.site), therapist: Boolean(row.therapist) };
}

/** Site, tracks and hours replaced together (the call's transaction keeps them whole). */
export async function saveTherapistProfile(
  tx: Tx,
  profile: { userId: string; siteId: string; tracks: Track[]; hours: TherapistHoursRow[] },
): Promise<void> {
  await tx
    .insertInto('therapist_profiles')
    .values({ user_id: profile.userId, site_id: profile.siteId })
    .onConflict((conflict) => conflict.column('user_id').doUpdateSet((eb) => ({ site_id: eb.ref('excluded.site_id') })))
    .execute();
  await tx.deleteFrom('therapist_tracks').where('user_id', '=', profile.userId).execute();
  const tracks = [...new Set(profile.tracks)];
  if (tracks.length > 0)
    await tx
      .insertInto('therapist_tracks')
      .values(tracks.map((track) => ({ user_id: profile.userId, track })))
      .execute();
  await tx.deleteFrom('therapist_hours').where('user_id', '=', profile.userId).execute();
  if (profile.hours.length > 0) {
    await tx
      .insertInto('therapist_hours')
      .values(
        profile.hours.map((day) => ({ user_id: profile.userId, weekday: day.weekday, start_minute: day.startMinute, end_minute: day.endMinute })),
      )
      .execute();
  }
}

export async function upsertWaitingRoom(tx: Tx, room: WaitingRoomRow): Promise<void> {
  await tx
    .insertInto('waiting_rooms')
    .values({ id: room.id, site_id: room.siteId, entrance_id: room.entranceId, name: room.name, capacity: room.capacity })
    .onConflict((conflict) =>
      conflict.column('id').doUpdateSet((eb) => ({
        entrance_id: eb.ref('excluded.entrance_id'),
        name: eb.ref('excluded.name'),
        capacity: eb.ref('excluded.capacity'),
      })),
    )
    .execute();
}

/** A room without a purpose keeps its own, or is for individual sessions when new. */
export async function upsertRoom(tx: Tx, room: Omit<RoomRow, 'purpose'> & { purpose: RoomRow['purpose'] | null }): Promise<void> {
  await tx
    .insertInto('rooms')
    .values({ id: room.id, site_id: room.siteId, name: room.name, active: room.active ? 1 : 0, purpose: room.purpose ?? 'individual' })
    .onConflict((conflict) =>
      conflict.column('id').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        active: eb.ref('excluded.active'),
        ...(room.purpose ? { purpose: eb.ref('excluded.purpose') } : {}),
      })),
    )
    .execute();
}

export async function upsertEntrance(tx: Tx, entrance: EntranceRow): Promise<void> {
  await tx
    .insertInto('entrances')
    .values({ id: entrance.id, site_id: entrance.siteId, name: entrance.name })
    .onConflict((conflict) => conflict.column('id').doUpdateSet((eb) => ({ name: eb.ref('excluded.name') })))
    .execute();
}

export async function setTrackRoute(tx: Tx, route: TrackRouteRow): Promise<void> {
  await tx
    .insertInto('track_routes')
    .values({ site_id: route.siteId, track: route.track, entrance_id: route.entranceId, waiting_room_id: route.waitingRoomId })
    .onConflict((conflict) =>
      conflict
        .columns(['site_id', 'track'])
        .doUpdateSet((eb) => ({ entrance_id: eb.ref('excluded.entrance_id'), waiting_room_id: eb.ref('excluded.waiting_room_id') })),
    )
    .execute();
}

export async function upsertMunicipality(tx: Tx, municipality: MunicipalityRow): Promise<void> {
  await tx
    .insertInto('municipalities')
    .values({
      code: municipality.code,
      name: municipality.name,
      region: municipality.region,
      etapp2: municipality.etapp2 ? 1 : 0,
      etapp2_children: municipality.etapp2Children ? 1 : 0,
    })
    .onConflict((conflict) =>
      conflict.column('code').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        region: eb.ref('excluded.region'),
        etapp2: eb.ref('excluded.etapp2'),
        etapp2_children: eb.ref('excluded.etapp2_children'),
      })),
    )
    .execute();
}

/** The separation buffer as stored (JSON text), or undefined: the settings service validates it and falls back to its default. */
export async function storedSeparationBuffer(tx: Tx): Promise<unknown> {
  const row = await tx.selectFrom('settings').select('value').where('key', '=', 'separationBufferMinutes').executeTakeFirst();
  return row ? (JSON.parse(row.value) as unknown) : undefined;
}
