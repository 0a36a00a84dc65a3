/** What seed-demo is asked for and what it answers. */
import type { Track } from '../../../preload/contract/index.js';
import type { Logger } from '../../log.js';

/**
 * The version of the practice seed-demo plays: raise it whenever a change makes the same seed give
 * another journal, so that journals cached for `npm run bench` are seeded again.
 */
export const SEED_DEMO_VERSION = 5;

export interface SeedDemoOptions {
  dataDir: string;
  /** How many years back from `until` the practice starts (fractions allowed). */
  years: number;
  seed?: number;
  /** The admin's password (new journal) or the password of `signInAs` (existing journal); the demo receptionist gets it too. */
  password: string;
  /** Existing journal: the admin who signs in. */
  signInAs?: string;
  /** New journal: its first admin. */
  admin?: { username: string; displayName: string };
  /** The end of the simulated period, "today" (default: now). */
  until?: Date;
  log?: Logger;
  progress?: (line: string) => void;
  /** Each simulated day as it begins: days done of days in all (a terminal's progress line). */
  onDay?: (done: number, total: number) => void;
}

export interface SeedDemoSummary {
  createdJournal: boolean;
  recoveryCode: string | null;
  seed: number;
  from: string;
  until: string;
  seconds: number;
  routerCalls: number;
  refusals: { separation: number; other: number };
  /** Bookings given up after every time tried was refused. */
  gaveUp: number;
  counts: Record<string, number>;
  appointmentsByStatus: Record<string, number>;
  clientsByTrack: Record<string, number>;
  intakeRouting: Record<string, number>;
  /** Journal entries: signed, draft, and amendment (signed corrections of signed entries). */
  journalEntries: Record<string, number>;
  receptionist: { username: string; displayName: string };
  therapists: { username: string; displayName: string; siteId: string; tracks: Track[]; temporaryPassword: string }[];
}

export class SeedDemoError extends Error {}
