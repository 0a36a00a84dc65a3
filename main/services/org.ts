import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import {
  listEntrances,
  listMunicipalities,
  listRooms,
  listSites,
  listTherapists,
  listTrackRoutes,
  listWaitingRooms,
  saveTherapistProfile,
  setTrackRoute,
  upsertEntrance,
  upsertMunicipality,
  upsertRoom,
  upsertWaitingRoom,
} from '../../db/org.js';
import { hasRole } from '../../db/users.js';
import type { OrgView, Track } from '../../preload/contract/index.js';
import { DomainError } from './errors.js';
import { readSettings } from './settings.js';
import { minutesOfDay, timeOfMinutes } from './time.js';

export function orgView(db: Db): OrgView {
  return {
    sites: listSites(db),
    entrances: listEntrances(db),
    waitingRooms: listWaitingRooms(db),
    rooms: listRooms(db),
    trackRoutes: listTrackRoutes(db),
    municipalities: listMunicipalities(db),
    therapists: listTherapists(db).map((therapist) => ({
      id: therapist.id,
      displayName: therapist.displayName,
      siteId: therapist.siteId,
      tracks: therapist.tracks,
      hours: therapist.hours.map((day) => ({ weekday: day.weekday, start: timeOfMinutes(day.startMinute), end: timeOfMinutes(day.endMinute) })),
    })),
    separationBufferMinutes: readSettings(db).separationBufferMinutes,
  };
}

function requireSite(db: Db, siteId: string): void {
  if (!listSites(db).some((site) => site.id === siteId))
    throw new DomainError('INVALID_INPUT', 'error.site.unknown', { siteId: 'error.site.unknown' });
}

/** An existing place keeps its site, and names are unique within a site: both are said next to the field. */
function checkPlace(existing: { id: string; siteId: string; name: string }[], input: { id: string | null; siteId: string; name: string }): void {
  if (input.id) {
    const current = existing.find((place) => place.id === input.id);
    if (current && current.siteId !== input.siteId) throw new DomainError('INVALID_INPUT', 'error.site.moved', { siteId: 'error.site.moved' });
  }
  const clash = existing.find(
    (place) => place.siteId === input.siteId && place.id !== input.id && place.name.toLowerCase() === input.name.trim().toLowerCase(),
  );
  if (clash) throw new DomainError('CONFLICT', 'error.nameTaken', { name: 'error.nameTaken' });
}

export function saveWaitingRoom(db: Db, input: { id: string | null; siteId: string; entranceId: string; name: string; capacity: number }): OrgView {
  requireSite(db, input.siteId);
  if (!listEntrances(db).some((entrance) => entrance.id === input.entranceId && entrance.siteId === input.siteId)) {
    throw new DomainError('INVALID_INPUT', 'error.entrance.unknown', { entranceId: 'error.entrance.unknown' });
  }
  const rooms = listWaitingRooms(db);
  checkPlace(rooms, input);
  // A waiting room a track uses stays at its entrance: moving it would walk one side through the other's door.
  const current = rooms.find((room) => room.id === input.id);
  if (current && current.entranceId !== input.entranceId && listTrackRoutes(db).some((route) => route.waitingRoomId === current.id)) {
    throw new DomainError('CONFLICT', 'error.waitingRoom.inUse', { entranceId: 'error.waitingRoom.inUse' });
  }
  upsertWaitingRoom(db, { ...input, id: input.id ?? randomUUID() });
  return orgView(db);
}

export function saveRoom(
  db: Db,
  input: { id: string | null; siteId: string; name: string; active: boolean; purpose?: 'individual' | 'group' | undefined },
): OrgView {
  requireSite(db, input.siteId);
  checkPlace(listRooms(db), input);
  upsertRoom(db, { ...input, id: input.id ?? randomUUID(), purpose: input.purpose ?? null });
  return orgView(db);
}

export function saveEntrance(db: Db, input: { id: string | null; siteId: string; name: string }): OrgView {
  requireSite(db, input.siteId);
  checkPlace(listEntrances(db), input);
  upsertEntrance(db, { ...input, id: input.id ?? randomUUID() });
  return orgView(db);
}

/** Perpetrators never share an entrance or a waiting room with the victims' side. */
export function routeTrack(db: Db, input: { siteId: string; track: Track; entranceId: string; waitingRoomId: string }): OrgView {
  requireSite(db, input.siteId);
  const room = listWaitingRooms(db).find((candidate) => candidate.id === input.waitingRoomId && candidate.siteId === input.siteId);
  if (!room || room.entranceId !== input.entranceId)
    throw new DomainError('INVALID_INPUT', 'error.waitingRoom.entrance', { waitingRoomId: 'error.waitingRoom.entrance' });
  const others = listTrackRoutes(db).filter((route) => route.siteId === input.siteId && route.track !== input.track);
  const acrossSides = others.filter((route) => (route.track === 'perpetrator') !== (input.track === 'perpetrator'));
  if (acrossSides.some((route) => route.entranceId === input.entranceId)) {
    throw new DomainError('CONFLICT', 'error.route.sharedEntrance', { entranceId: 'error.route.sharedEntrance' });
  }
  if (acrossSides.some((route) => route.waitingRoomId === input.waitingRoomId)) {
    throw new DomainError('CONFLICT', 'error.route.sharedWaitingRoom', { waitingRoomId: 'error.route.sharedWaitingRoom' });
  }
  setTrackRoute(db, input);
  return orgView(db);
}

export function saveMunicipality(
  db: Db,
  input: { code: string; name: string; region: 'skaraborg' | 'sodra_alvsborg' | 'other'; etapp2: boolean },
): OrgView {
  // Etapp 2 is a municipality's own social services taking on outreach: "other municipality" cannot take part.
  if (input.etapp2 && (input.code === 'other' || input.region === 'other')) {
    throw new DomainError('INVALID_INPUT', 'error.municipality.etapp2Other', { etapp2: 'error.municipality.etapp2Other' });
  }
  upsertMunicipality(db, input);
  return orgView(db);
}

export function saveTherapist(
  db: Db,
  input: { userId: string; siteId: string; tracks: Track[]; hours: { weekday: number; start: string; end: string }[] },
): OrgView {
  requireSite(db, input.siteId);
  if (!hasRole(db, input.userId, 'therapist'))
    throw new DomainError('INVALID_INPUT', 'error.therapist.unknown', { userId: 'error.therapist.unknown' });
  // Site, tracks and hours are replaced together or not at all.
  db.transaction(() =>
    saveTherapistProfile(db, {
      userId: input.userId,
      siteId: input.siteId,
      tracks: input.tracks,
      hours: input.hours.map((day) => ({ weekday: day.weekday, startMinute: minutesOfDay(day.start), endMinute: minutesOfDay(day.end) })),
    }),
  )();
  return orgView(db);
}
