/** The contract's shared pieces: the field schemas every domain uses, the channel helper, the result envelope. */
import { z } from 'zod';
import { APPOINTMENT_KINDS, APPOINTMENT_STATUSES, ROLES, SIDES, TRACKS } from '../domain/index.js';
import { parseIdentityNumber } from '../personnummer.js';

// The domain's values, once (preload/domain); the contract's zod enums are built from them.
export {
  APPOINTMENT_KINDS,
  APPOINTMENT_STATUSES,
  CONTACT_BY,
  GENDERS,
  LANGUAGES,
  LINK_KINDS,
  OUTCOMES,
  REFERRAL_SOURCES,
  ROLES,
  ROUTINGS,
  SIDES,
  TRACKS,
  URGENCIES,
  sideOfTrack,
} from '../domain/index.js';

export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const Track = z.enum(TRACKS);
export type Track = z.infer<typeof Track>;

export const Side = z.enum(SIDES);
export type Side = z.infer<typeof Side>;

export const AppointmentKind = z.enum(APPOINTMENT_KINDS);
export const AppointmentStatus = z.enum(APPOINTMENT_STATUSES);
export type AppointmentKind = z.infer<typeof AppointmentKind>;
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

export const Id = z.string().min(1).max(64);
/** A calendar date as YYYY-MM-DD that exists (no 2026-02-31, no 2027-02-29). */
const LOCAL_DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const LocalDate = z
  .string()
  .regex(LOCAL_DATE_PATTERN, { message: 'error.date.format' })
  .refine(
    (value) => {
      // zod runs this on every string; one the pattern refused keeps only the pattern's message.
      if (!LOCAL_DATE_PATTERN.test(value)) return true;
      const [year, month, day] = value.split('-').map(Number) as [number, number, number];
      const date = new Date(Date.UTC(year, month - 1, day));
      return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    },
    { message: 'error.date.nonexistent' },
  );
export const LocalTimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'error.time.format' });
export const DurationMinutes = z.number().int().min(5).max(480);

export const ShortText = z.string().trim().max(200);

export const PersonalNumber = z
  .string()
  .trim()
  .max(20)
  .refine((value) => value === '' || parseIdentityNumber(value).valid, { message: 'error.personalNumber.invalid' });

export const Phone = z
  .string()
  .trim()
  .max(30)
  .regex(/^$|^\+?[\d\s()-]{5,}$/, { message: 'error.phone.invalid' });

export const SafeContact = z.object({
  phone: Phone,
  safeToCall: z.boolean(),
  safeToText: z.boolean(),
  safeVoicemail: z.boolean(),
  safeTimes: ShortText,
  codeWord: z.string().trim().max(60),
  instructions: ShortText,
});
export type SafeContact = z.infer<typeof SafeContact>;

export const Empty = z.object({}).strict();

/** 'public': no session needed; 'session': any signed-in user; a role list: any one of them. */
export type Access = 'public' | 'session' | readonly Role[];

/** Whether the channel reads or writes client data, and so must write the access log. */
export type ClientData = 'none' | 'read' | 'write';

export interface ChannelSpec<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  access: Access;
  clientData: ClientData;
  /** Channels that do not count as a person using the app (status polling) and so do not postpone the idle lock. */
  passive?: boolean;
  /**
   * A list of the side its input names, reading nothing of the other side. On the Utväg server its
   * transaction carries that side (utvag.side), and the database's row policies hide the other side's
   * clients, appointments, groups and what hangs off them even from code that asked for them: a second
   * line behind the services' own filter (#14). Never for a channel that must look across sides (the
   * separation check, links, a client's record with its links).
   */
  oneSide?: boolean;
}

export function channel<I extends z.ZodType, O extends z.ZodType>(spec: ChannelSpec<I, O>): ChannelSpec<I, O> {
  return spec;
}

// ---- The result envelope -------------------------------------------------------------------

export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_CHANNEL',
  'NOT_SIGNED_IN',
  'LOCKED',
  'FORBIDDEN',
  'WRONG_CREDENTIALS',
  'TOO_MANY_ATTEMPTS',
  'ALREADY_SET_UP',
  /** The key file is in the data folder but journal.db is not: nothing may be set up or opened until IT has looked. */
  'JOURNAL_MISSING',
  'PASSWORD_CHANGE_REQUIRED',
  'CONFLICT',
  'NOT_FOUND',
  'STORAGE',
  /** Server mode: the Utväg server could not be reached (refused, timed out, TLS, not its answer); nothing was retried. */
  'UNREACHABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppError {
  code: ErrorCode;
  /** A message key (translated by the renderer) or a plain English sentence for logs and the CLI. */
  message: string;
  /** Field-level messages keyed by the input field's path ('password', 'roles.0'). */
  fields?: Record<string, string>;
  /** Seconds to wait before the next attempt (TOO_MANY_ATTEMPTS). */
  retryAfterSeconds?: number;
  /** Numbers the message's words take ({{appointments}}): counts only, never a name or free text. */
  counts?: Record<string, number>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/**
 * Server mode: another desk committed a change. It names only what changed (kind, site, side, day),
 * never client data; the renderer reads again through the logged channels. Exactly PostgreSQL's
 * utvag_changes payload (db/engine/postgres.ts ChangeEvent).
 */
export const LiveChange = z
  .object({
    kind: z.enum(['appointments', 'clients', 'intakes', 'waiting_list', 'groups']),
    site: z.string().max(64).nullable(),
    side: z.enum(SIDES),
    day: LocalDate.nullable(),
  })
  .strip();
export type LiveChange = z.infer<typeof LiveChange>;

/**
 * Server mode: changes may have gone unannounced (the server's LISTEN connection or this
 * workstation's event stream was down for a while, or the server came back): read every shown
 * screen again. It names nothing at all.
 */
export const LiveResync = z.object({ kind: z.literal('resync') }).strip();
export type LiveResync = z.infer<typeof LiveResync>;

/** What reaches the page from the live stream: one change, or read everything again. */
export const LiveEvent = z.union([LiveChange, LiveResync]);
export type LiveEvent = z.infer<typeof LiveEvent>;

/** What the preload exposes on window.utvag (and the browser harness imitates). */
export interface UtvagBridge {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  /** Electron only: called as soon as the journal locks (idle, sleep, OS lock); returns an unsubscribe. */
  onLocked?(callback: (reason: string) => void): () => void;
  /** Server mode: another desk's committed changes, or a resync; a local journal has none (never called). Returns an unsubscribe. */
  onChange?(listener: (change: LiveEvent) => void): () => void;
}
