import { useCallback, useState } from 'react';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import type { AppError, OrgView, Track } from '../../../preload/contract/index';

export type Premises = Pick<OrgView, 'entrances' | 'waitingRooms' | 'rooms' | 'trackRoutes'>;
export type TherapistView = OrgView['therapists'][number];
export type Municipality = OrgView['municipalities'][number];

/** Called by every part of the screen after a save: the fresh premises for the screen and the rest of the app. */
export type OnOrgSaved = (org: OrgView) => void;

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

// ---- Where the admin is on the screen, kept in the address so a reload comes back to it ----------

function readQuery(): URLSearchParams {
  const hash = window.location.hash;
  const at = hash.indexOf('?');
  return new URLSearchParams(at >= 0 ? hash.slice(at + 1) : '');
}

/** A piece of screen state mirrored in the part of the address after '?', without a navigation. */
export function useAddressState(key: string, fallback: string): [string, (value: string) => void] {
  const [value, setValue] = useState(() => readQuery().get(key) ?? fallback);
  const update = useCallback(
    (next: string) => {
      setValue(next);
      const query = readQuery();
      query.set(key, next);
      const base = window.location.hash.split('?')[0] || '#/';
      window.history.replaceState(window.history.state, '', `${base}?${query.toString()}`);
    },
    [key],
  );
  return [value, update];
}

// ---- Refusals from the main process, shown next to the field they concern ---------------------

/**
 * Puts each field message from the main process on the form field it concerns (`fieldOf` maps the
 * contract's path to the form's, or lists the form's fields named as in the contract); whatever has no field of its
 * own is shown as the form's message. Nothing typed is touched.
 */
export function showRefusal<T extends FieldValues>(
  setError: UseFormSetError<T>,
  error: AppError,
  fields: readonly Path<T>[] | ((path: string) => Path<T> | null),
): void {
  const fieldOf = typeof fields === 'function' ? fields : (path: string) => fields.find((field) => field === path) ?? null;
  let focused = false;
  let unplaced: string | null = null;
  for (const [path, message] of Object.entries(error.fields ?? {})) {
    const field = fieldOf(path);
    if (field) {
      setError(field, { type: 'server', message }, { shouldFocus: !focused });
      focused = true;
    } else unplaced ??= message;
  }
  if (!focused) setError('root.server', { type: 'server', message: unplaced ?? error.message });
}

// ---- Names and summaries --------------------------------------------------------------------

export function sameName(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase('sv') === b.trim().toLocaleLowerCase('sv');
}

/** The database keeps names unique per site; saying so before the save gives a clear message at the field. */
export function nameTaken(items: { id: string; siteId: string; name: string }[], siteId: string, name: string, ownId: string | null): boolean {
  return items.some((item) => item.siteId === siteId && item.id !== ownId && sameName(item.name, name));
}

export function tracksUsing(premises: Premises, siteId: string, match: (route: Premises['trackRoutes'][number]) => boolean): Track[] {
  return premises.trackRoutes.filter((route) => route.siteId === siteId && match(route)).map((route) => route.track);
}

/**
 * Whether perpetrators at the site share neither an entrance nor a waiting room with the victims' side,
 * judged from the routes and from where each waiting room actually is.
 */
export function separationOfRoutes(premises: Premises, siteId: string): 'separate' | 'shared' | 'incomplete' {
  const routes = premises.trackRoutes.filter((route) => route.siteId === siteId);
  const perpetrators = routes.filter((route) => route.track === 'perpetrator');
  const victims = routes.filter((route) => route.track !== 'perpetrator');
  if (perpetrators.length === 0 || victims.length === 0) return 'incomplete';
  const entranceOfRoom = new Map(premises.waitingRooms.map((room) => [room.id, room.entranceId]));
  const entrancesOf = (route: (typeof routes)[number]) => [route.entranceId, entranceOfRoom.get(route.waitingRoomId) ?? route.entranceId];
  const perpetratorEntrances = new Set(perpetrators.flatMap(entrancesOf));
  const perpetratorRooms = new Set(perpetrators.map((route) => route.waitingRoomId));
  const shared = victims.some((route) => perpetratorRooms.has(route.waitingRoomId) || entrancesOf(route).some((id) => perpetratorEntrances.has(id)));
  return shared ? 'shared' : 'separate';
}

export function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name.localeCompare(b.name, 'sv');
}

/** "mån–fre 08:00–16:30, lör 10:00–14:00": consecutive days with the same times run together. */
export function summariseHours(hours: TherapistView['hours'], dayName: (weekday: number) => string): string {
  const runs: { from: number; to: number; start: string; end: string }[] = [];
  for (const day of [...hours].sort((a, b) => a.weekday - b.weekday)) {
    const last = runs.at(-1);
    if (last && last.to === day.weekday - 1 && last.start === day.start && last.end === day.end) last.to = day.weekday;
    else runs.push({ from: day.weekday, to: day.weekday, start: day.start, end: day.end });
  }
  return runs
    .map((run) => `${run.from === run.to ? dayName(run.from) : `${dayName(run.from)}–${dayName(run.to)}`} ${run.start}–${run.end}`)
    .join(', ');
}

/** Accepts the ways people type a time at a keyboard ("8", "830", "8.30", "08:30") and writes it as HH:mm. */
export function normaliseTime(value: string): string {
  const text = value.trim();
  let match = /^(\d{1,2})$/.exec(text);
  if (match) return `${match[1]!.padStart(2, '0')}:00`;
  match = /^(\d{1,2})[:.](\d{2})$/.exec(text) ?? /^(\d{1,2})(\d{2})$/.exec(text);
  if (match) return `${match[1]!.padStart(2, '0')}:${match[2]}`;
  return text;
}

export function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase('sv') + text.slice(1);
}
