/** What every part of the simulation reaches: the clock, the desks, the staff and the shared state. */
import type { AppError, Result, SessionUser, Track } from '../../../preload/contract/index.js';
import type { Router } from '../../router.js';
import type { JournalApp } from '../../services/session/index.js';
import type { Agenda, SimClient, SimGroup, Therapist } from './model.js';
import type { SeedDemoError, SeedDemoOptions } from './options.js';
import type { DemoRandom } from './random.js';

export interface SeedBase {
  /** The simulated instant (ms) that the journal's `now` reads; it only moves forward. */
  clock: number;
  gaveUp: number;
  linkConflictMismatches: number;
  options: SeedDemoOptions;
  seed: number;
  rng: DemoRandom;
  until: number;
  untilDate: string;
  fromDate: string;
  app: JournalApp;
  /** The reception desk. */
  router: Router;
  progress: (line: string) => void;
  refusals: { separation: number; other: number };
  call: <T>(channel: string, input: unknown, at?: Router) => Promise<Result<T>>;
  explain: (channel: string, error: AppError) => SeedDemoError;
  ok: <T>(channel: string, input: unknown, at?: Router) => Promise<T>;
  isRefusal: (error: AppError) => boolean;
  countRefusal: (error: AppError) => void;
  adminUser: SessionUser;
  adminDesk: Router;
  therapists: Therapist[];
  sites: string[];
  roomsOf: Map<string, { talk: string[]; group: string }>;
  municipalities: Map<string, (readonly [string, number])[]>;
  etapp2: Set<string>;
  /** The municipalities in the children's Etapp 2. */
  etapp2Children: Set<string>;
  buffer: number;
  agenda: Agenda;
  at: (when: number, run: () => Promise<void>) => void;
  clients: SimClient[];
  usedPersonalNumbers: Set<string>;
  groups: SimGroup[];
  groupQueue: Map<string, { client: SimClient; since: number }[]>;
  queueKey: (siteId: string, track: Track) => string;
  therapistsFor: (siteId: string, track: Track) => Therapist[];
  assignTherapist: (client: SimClient) => Therapist;
}
