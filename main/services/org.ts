import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/engine/store.js';
import {
  listMunicipalities,
  listPremises,
  listTherapists,
  saveTherapistProfile,
  setTrackRoute,
  siteAndTherapistRole,
  storedSeparationBuffer,
  upsertEntrance,
  upsertMunicipality,
  upsertRoom,
  upsertWaitingRoom,
  type Premises,
} from '../../db/org/index.js';
import { Settings, type OrgView, type Track } from '../../preload/contract/index.js';
import { DomainError } from './errors.js';
import { DEFAULT_SETTINGS } from './settings.js';
import { minutesOfDay, timeOfMinutes } from './time.js';

/** The separation buffer from its stored value: one the app no longer accepts falls back to the default (as readSettings does). */
export function separationBufferOf(stored: unknown): number {
  const candidate = Settings.shape.separationBufferMinutes.safeParse(stored);
  return candidate.success ? candidate.data : DEFAULT_SETTINGS.separationBufferMinutes;
}

/** The whole organisation in four statements: premises, municipalities, therapists with tracks and hours, the buffer. */
export async function orgView(tx: Tx): Promise<OrgView> {
  const premises = await listPremises(tx);
  const municipalities = await listMunicipalities(tx);
  const therapists = await listTherapists(tx);
  const buffer = await storedSeparationBuffer(tx);
  return {
    ...premises,
    municipalities,
    therapists: therapists.map((therapist) => ({
      id: therapist.id,
      displayName: therapist.displayName,
      siteId: therapist.siteId,
      tracks: therapist.tracks,
      hours: therapist.hours.map((day) => ({ weekday: day.weekday, start: timeOfMinutes(day.startMinute), end: timeOfMinutes(day.endMinute) })),
    })),
    separationBufferMinutes: separationBufferOf(buffer),
  };
}

function requireSite(premises: Premises, siteId: string): void {
  if (!premises.sites.some((site) => site.id === siteId))
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

export async function saveWaitingRoom(
  tx: Tx,
  input: { id: string | null; siteId: string; entranceId: string; name: string; capacity: number },
): Promise<OrgView> {
  const premises = await listPremises(tx);
  requireSite(premises, input.siteId);
  if (!premises.entrances.some((entrance) => entrance.id === input.entranceId && entrance.siteId === input.siteId)) {
    throw new DomainError('INVALID_INPUT', 'error.entrance.unknown', { entranceId: 'error.entrance.unknown' });
  }
  const rooms = premises.waitingRooms;
  checkPlace(rooms, input);
  // A waiting room a track uses stays at its entrance: moving it would walk one side through the other's door.
  const current = rooms.find((room) => room.id === input.id);
  if (current && current.entranceId !== input.entranceId && premises.trackRoutes.some((route) => route.waitingRoomId === current.id)) {
    throw new DomainError('CONFLICT', 'error.waitingRoom.inUse', { entranceId: 'error.waitingRoom.inUse' });
  }
  await upsertWaitingRoom(tx, { ...input, id: input.id ?? randomUUID() });
  return orgView(tx);
}

export async function saveRoom(
  tx: Tx,
  input: { id: string | null; siteId: string; name: string; active: boolean; purpose?: 'individual' | 'group' | undefined },
): Promise<OrgView> {
  const premises = await listPremises(tx);
  requireSite(premises, input.siteId);
  checkPlace(premises.rooms, input);
  await upsertRoom(tx, { ...input, id: input.id ?? randomUUID(), purpose: input.purpose ?? null });
  return orgView(tx);
}

export async function saveEntrance(tx: Tx, input: { id: string | null; siteId: string; name: string }): Promise<OrgView> {
  const premises = await listPremises(tx);
  requireSite(premises, input.siteId);
  checkPlace(premises.entrances, input);
  await upsertEntrance(tx, { ...input, id: input.id ?? randomUUID() });
  return orgView(tx);
}

/** Perpetrators never share an entrance or a waiting room with the victims' side. */
export async function routeTrack(tx: Tx, input: { siteId: string; track: Track; entranceId: string; waitingRoomId: string }): Promise<OrgView> {
  const premises = await listPremises(tx);
  requireSite(premises, input.siteId);
  const room = premises.waitingRooms.find((candidate) => candidate.id === input.waitingRoomId && candidate.siteId === input.siteId);
  if (!room || room.entranceId !== input.entranceId)
    throw new DomainError('INVALID_INPUT', 'error.waitingRoom.entrance', { waitingRoomId: 'error.waitingRoom.entrance' });
  const others = premises.trackRoutes.filter((route) => route.siteId === input.siteId && route.track !== input.track);
  const acrossSides = others.filter((route) => (route.track === 'perpetrator') !== (input.track === 'perpetrator'));
  if (acrossSides.some((route) => route.entranceId === input.entranceId)) {
    throw new DomainError('CONFLICT', 'error.route.sharedEntrance', { entranceId: 'error.route.sharedEntrance' });
  }
  if (acrossSides.some((route) => route.waitingRoomId === input.waitingRoomId)) {
    throw new DomainError('CONFLICT', 'error.route.sharedWaitingRoom', { waitingRoomId: 'error.route.sharedWaitingRoom' });
  }
  await setTrackRoute(tx, input);
  return orgView(tx);
}

export async function saveMunicipality(
  tx: Tx,
  input: { code: string; name: string; region: 'skaraborg' | 'sodra_alvsborg' | 'other'; etapp2: boolean; etapp2Children: boolean },
): Promise<OrgView> {
  // Etapp 2 is a municipality's own social services taking on outreach: "other municipality" cannot take part, in either track.
  const outside = input.code === 'other' || input.region === 'other';
  if (outside && (input.etapp2 || input.etapp2Children)) {
    const field = input.etapp2 ? 'etapp2' : 'etapp2Children';
    throw new DomainError('INVALID_INPUT', 'error.municipality.etapp2Other', { [field]: 'error.municipality.etapp2Other' });
  }
  await upsertMunicipality(tx, input);
  return orgView(tx);
}

export async function saveTherapist(
  tx: Tx,
  input: { userId: string; siteId: string; tracks: Track[]; hours: { weekday: number; start: string; end: string }[] },
): Promise<OrgView> {
  const known = await siteAndTherapistRole(tx, input.siteId, input.userId);
  if (!known.site) throw new DomainError('INVALID_INPUT', 'error.site.unknown', { siteId: 'error.site.unknown' });
  if (!known.therapist) throw new DomainError('INVALID_INPUT', 'error.therapist.unknown', { userId: 'error.therapist.unknown' });
  // Site, tracks and hours are replaced together or not at all: the call's transaction keeps them whole.
  await saveTherapistProfile(tx, {
    userId: input.userId,
    siteId: input.siteId,
    tracks: input.tracks,
    hours: input.hours.map((day) => ({ weekday: day.weekday, startMinute: minutesOfDay(day.start), endMinute: minutesOfDay(day.end) })),
  });
  return orgView(tx);
}
