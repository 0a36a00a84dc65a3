import { prepared, type Db } from './connection.js';
import type { Track } from './clients.js';

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
  etapp2: boolean;
}
export interface TherapistRow {
  id: string;
  displayName: string;
  siteId: string | null;
  tracks: Track[];
  hours: { weekday: number; startMinute: number; endMinute: number }[];
}

export function listSites(db: Db): SiteRow[] {
  return prepared(db, 'SELECT id, name FROM sites ORDER BY sort, name').all() as SiteRow[];
}

export function listEntrances(db: Db): EntranceRow[] {
  return prepared(db, 'SELECT id, site_id AS siteId, name FROM entrances ORDER BY site_id, name').all() as EntranceRow[];
}

export function listWaitingRooms(db: Db): WaitingRoomRow[] {
  return prepared(
    db,
    'SELECT id, site_id AS siteId, entrance_id AS entranceId, name, capacity FROM waiting_rooms ORDER BY site_id, name',
  ).all() as WaitingRoomRow[];
}

export function listRooms(db: Db): RoomRow[] {
  return (
    prepared(db, 'SELECT id, site_id AS siteId, name, active, purpose FROM rooms ORDER BY site_id, name').all() as (Omit<RoomRow, 'active'> & {
      active: number;
    })[]
  ).map((row) => ({ ...row, active: row.active === 1 }));
}

export function listTrackRoutes(db: Db): TrackRouteRow[] {
  return prepared(
    db,
    'SELECT site_id AS siteId, track, entrance_id AS entranceId, waiting_room_id AS waitingRoomId FROM track_routes ORDER BY site_id, track',
  ).all() as TrackRouteRow[];
}

export function listMunicipalities(db: Db): MunicipalityRow[] {
  return (
    prepared(db, `SELECT code, name, region, etapp2 FROM municipalities ORDER BY code = 'other', name`).all() as (Omit<MunicipalityRow, 'etapp2'> & {
      etapp2: number;
    })[]
  ).map((row) => ({ ...row, etapp2: row.etapp2 === 1 }));
}

export function findMunicipality(db: Db, code: string): MunicipalityRow | null {
  const row = prepared(db, 'SELECT code, name, region, etapp2 FROM municipalities WHERE code = ?').get(code) as
    (Omit<MunicipalityRow, 'etapp2'> & { etapp2: number }) | undefined;
  return row ? { ...row, etapp2: row.etapp2 === 1 } : null;
}

/** Active users with the therapist role, with their profile where one is set. */
export function listTherapists(db: Db): TherapistRow[] {
  const users = prepared(
    db,
    `SELECT u.id, u.display_name AS displayName, p.site_id AS siteId
       FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'therapist'
       LEFT JOIN therapist_profiles p ON p.user_id = u.id
       WHERE u.active = 1 ORDER BY u.display_name COLLATE NOCASE`,
  ).all() as { id: string; displayName: string; siteId: string | null }[];
  const tracks = prepared(db, 'SELECT track FROM therapist_tracks WHERE user_id = ? ORDER BY track');
  const hours = prepared(
    db,
    'SELECT weekday, start_minute AS startMinute, end_minute AS endMinute FROM therapist_hours WHERE user_id = ? ORDER BY weekday',
  );
  return users.map((user) => ({
    ...user,
    tracks: (tracks.all(user.id) as { track: Track }[]).map((row) => row.track),
    hours: hours.all(user.id) as TherapistRow['hours'],
  }));
}

/** The tracks an active therapist serves now; none for anyone else. */
export function tracksServedBy(db: Db, userId: string): Track[] {
  return (
    prepared(
      db,
      `SELECT t.track FROM therapist_tracks t JOIN users u ON u.id = t.user_id AND u.active = 1
         JOIN user_roles r ON r.user_id = u.id AND r.role = 'therapist' WHERE t.user_id = ? ORDER BY t.track`,
    ).all(userId) as { track: Track }[]
  ).map((row) => row.track);
}

export function saveTherapistProfile(
  db: Db,
  profile: { userId: string; siteId: string; tracks: Track[]; hours: { weekday: number; startMinute: number; endMinute: number }[] },
): void {
  prepared(db, 'INSERT INTO therapist_profiles (user_id, site_id) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET site_id = excluded.site_id').run(
    profile.userId,
    profile.siteId,
  );
  prepared(db, 'DELETE FROM therapist_tracks WHERE user_id = ?').run(profile.userId);
  const addTrack = prepared(db, 'INSERT INTO therapist_tracks (user_id, track) VALUES (?, ?)');
  for (const track of new Set(profile.tracks)) addTrack.run(profile.userId, track);
  prepared(db, 'DELETE FROM therapist_hours WHERE user_id = ?').run(profile.userId);
  const addHours = prepared(db, 'INSERT INTO therapist_hours (user_id, weekday, start_minute, end_minute) VALUES (?, ?, ?, ?)');
  for (const day of profile.hours) addHours.run(profile.userId, day.weekday, day.startMinute, day.endMinute);
}

export function upsertWaitingRoom(db: Db, room: WaitingRoomRow): void {
  prepared(
    db,
    `INSERT INTO waiting_rooms (id, site_id, entrance_id, name, capacity) VALUES (@id, @siteId, @entranceId, @name, @capacity)
     ON CONFLICT (id) DO UPDATE SET entrance_id = excluded.entrance_id, name = excluded.name, capacity = excluded.capacity`,
  ).run(room);
}

export function upsertRoom(db: Db, room: Omit<RoomRow, 'purpose'> & { purpose: RoomRow['purpose'] | null }): void {
  prepared(
    db,
    `INSERT INTO rooms (id, site_id, name, active, purpose) VALUES (@id, @siteId, @name, @active, coalesce(@purpose, 'individual'))
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, active = excluded.active, purpose = coalesce(@purpose, rooms.purpose)`,
  ).run({ ...room, active: room.active ? 1 : 0 });
}

export function upsertEntrance(db: Db, entrance: EntranceRow): void {
  prepared(
    db,
    `INSERT INTO entrances (id, site_id, name) VALUES (@id, @siteId, @name)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name`,
  ).run(entrance);
}

export function setTrackRoute(db: Db, route: TrackRouteRow): void {
  prepared(
    db,
    `INSERT INTO track_routes (site_id, track, entrance_id, waiting_room_id) VALUES (@siteId, @track, @entranceId, @waitingRoomId)
     ON CONFLICT (site_id, track) DO UPDATE SET entrance_id = excluded.entrance_id, waiting_room_id = excluded.waiting_room_id`,
  ).run(route);
}

export function upsertMunicipality(db: Db, municipality: MunicipalityRow): void {
  prepared(
    db,
    `INSERT INTO municipalities (code, name, region, etapp2) VALUES (@code, @name, @region, @etapp2)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, region = excluded.region, etapp2 = excluded.etapp2`,
  ).run({ ...municipality, etapp2: municipality.etapp2 ? 1 : 0 });
}
