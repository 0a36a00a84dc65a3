import { useMemo } from 'react';
import type { OrgView, Side, Track } from '../../../preload/contract/index';
import { useDesk } from '../../ui/desk';

export type Therapist = OrgView['therapists'][number];
export type Room = OrgView['rooms'][number];

export const TRACKS_OF_SIDE: Record<Side, readonly Track[]> = { victims: ['victim', 'child'], perpetrators: ['perpetrator'] };

/** Default lengths the desk books most often: a phone first call is short, a group session long. */
export const DEFAULT_DURATION: Record<string, number> = { first_call: 30, first_visit: 60, individual: 60, group: 90, consultation: 60 };

/** Kinds that happen by phone and so may be booked without a room. */
export const ROOM_OPTIONAL_KINDS: readonly string[] = ['first_call', 'consultation'];

/** "Vera Behandlarsson" → "Vera B.": enough to tell colleagues apart in a dense week. */
export function shortName(name: string): string {
  const parts = name.trim().split(/\s+/);
  if (parts.length < 2) return name;
  return `${parts[0]} ${parts[parts.length - 1]![0]}.`;
}

export interface SideResources {
  /** Therapists at this site serving any track of the current side. */
  therapists: Therapist[];
  /** Active rooms at this site. */
  rooms: Room[];
  therapistName(id: string): string;
  roomName(id: string | null): string | null;
  /** Therapists at the site who serve the given track (or any track of the side when null). */
  therapistsFor(track: Track | null): Therapist[];
}

export function useSideResources(): SideResources {
  const { org, side, siteId } = useDesk();
  return useMemo(() => {
    const sideTracks = TRACKS_OF_SIDE[side];
    const atSite = (org?.therapists ?? []).filter((therapist) => therapist.siteId === siteId);
    const therapists = atSite
      .filter((therapist) => therapist.tracks.some((track) => sideTracks.includes(track)))
      .sort((a, b) => a.displayName.localeCompare(b.displayName, 'sv'));
    const rooms = (org?.rooms ?? []).filter((room) => room.siteId === siteId && room.active);
    const allTherapists = new Map((org?.therapists ?? []).map((therapist) => [therapist.id, therapist.displayName]));
    const allRooms = new Map((org?.rooms ?? []).map((room) => [room.id, room.name]));
    return {
      therapists,
      rooms,
      therapistName: (id) => allTherapists.get(id) ?? '—',
      roomName: (id) => (id ? (allRooms.get(id) ?? '—') : null),
      therapistsFor: (track) => (track ? therapists.filter((therapist) => therapist.tracks.includes(track)) : therapists),
    };
  }, [org, side, siteId]);
}
