/** The practice the demo plays: staffing, how clients arrive, how long things take. */
import type { Track } from '../../../preload/contract/index.js';

export const DEFAULT_ADMIN = { username: 'demo.admin', displayName: 'Alva Adminsson' };
export const NEW_CLIENTS_PER_YEAR = 250;
export const COUNTED_TABLES = [
  'users',
  'clients',
  'client_contacts',
  'client_links',
  'intakes',
  'waiting_list',
  'groups',
  'group_members',
  'appointments',
  'care_relations',
  'journal_entries',
  'emergency_grants',
  'access_reviews',
  'access_log',
  'contact_persons',
  'network_days',
] as const;

/** Therapists per site: the tracks each serves. Skaraborg is the bigger unit. */
export const STAFFING: Record<string, Track[][]> = {
  skaraborg: [['victim'], ['victim'], ['victim', 'child'], ['child'], ['victim'], ['perpetrator'], ['perpetrator'], ['perpetrator']],
  'sodra-alvsborg': [['victim'], ['victim'], ['victim', 'child'], ['child'], ['perpetrator'], ['perpetrator']],
};
export const SITE_SHARE: readonly (readonly [string, number])[] = [
  ['skaraborg', 55],
  ['sodra-alvsborg', 45],
];

export const DURATIONS = {
  first_call: 30,
  first_visit: { victim: 90, perpetrator: 90, child: 60 },
  individual: { victim: 60, perpetrator: 60, child: 45 },
  consultation: 60,
} as const;
export const DAY_STARTS = ['09:00', '10:00', '13:00', '14:00', '08:30', '11:00', '15:00'];
export const CHILD_STARTS = ['14:00', '15:00', '13:00', '10:00', '15:30'];

export const GROUP_PLAN: Record<Track, { weekday: number; start: string; minutes: number; sessions: number; capacity: number }> = {
  victim: { weekday: 3, start: '13:00', minutes: 120, sessions: 12, capacity: 8 },
  perpetrator: { weekday: 2, start: '17:00', minutes: 120, sessions: 15, capacity: 7 },
  child: { weekday: 4, start: '15:30', minutes: 90, sessions: 10, capacity: 6 },
};

export const PATHS: Record<Track, { group: number; close: number; sessions: [number, number]; intervals: number[] }> = {
  victim: { group: 0.25, close: 0.1, sessions: [3, 14], intervals: [7, 7, 14] },
  perpetrator: { group: 0.45, close: 0.1, sessions: [8, 24], intervals: [7] },
  child: { group: 0.3, close: 0.08, sessions: [4, 10], intervals: [7, 14] },
};
