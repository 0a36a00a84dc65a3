/**
 * The IPC contract: every channel the renderer may call, with its input schema, output schema,
 * who may call it and whether it touches client data. The main process validates and authorises
 * with these; the renderer's forms validate with the same schemas; the types are inferred from them.
 */
import { z } from 'zod';
import { parseIdentityNumber } from './personnummer.js';

export const ROLES = ['receptionist', 'therapist', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const LANGUAGES = ['sv', 'en'] as const;

// ---- Shared field schemas -------------------------------------------------------------

export const Username = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[\p{L}\p{N}._-]+$/u, { message: 'error.username.characters' });

export const DisplayName = z.string().trim().min(2).max(80);

/** Passwords guard the whole journal: long enough to resist guessing even with Argon2id slowing each try. */
export const NewPassword = z
  .string()
  .min(12, { message: 'error.password.tooShort' })
  .max(256)
  .refine((value) => new Set(value).size >= 5, { message: 'error.password.tooSimple' });

export const Password = z.string().min(1).max(256);

export const RecoveryCode = z.string().trim().min(20).max(64);

export const IdleLockMinutes = z.number().int().min(1).max(240);

// ---- Reception: tracks, sides, intake, scheduling -----------------------------------------

export const TRACKS = ['victim', 'perpetrator', 'child'] as const;
export const Track = z.enum(TRACKS);
export type Track = z.infer<typeof Track>;

/** The two sides of the house: victims and children, and perpetrators. A view shows one side only. */
export const SIDES = ['victims', 'perpetrators'] as const;
export const Side = z.enum(SIDES);
export type Side = z.infer<typeof Side>;
export const sideOfTrack = (track: Track): Side => (track === 'perpetrator' ? 'perpetrators' : 'victims');

export const CONTACT_BY = ['self', 'agency', 'outreach'] as const;
export const REFERRAL_SOURCES = [
  'self',
  'social_services',
  'police',
  'primary_care',
  'hospital',
  'probation',
  'prosecution',
  'womens_shelter',
  'rfsl',
  'victim_support',
  'school',
  'other',
] as const;
export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export const URGENCIES = ['acute', 'high', 'normal'] as const;
export const OUTCOMES = ['booked', 'waiting_list', 'referred', 'no_further_contact'] as const;
export const LINK_KINDS = ['partner', 'former_partner', 'parent_child', 'other'] as const;
export const APPOINTMENT_KINDS = ['first_call', 'first_visit', 'individual', 'group', 'consultation'] as const;
export const APPOINTMENT_STATUSES = ['booked', 'arrived', 'in_session', 'done', 'no_show', 'cancelled'] as const;
export const ROUTINGS = ['etapp2_social_secretary', 'utvag_coordinator', 'not_applicable'] as const;
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
const ShortText = z.string().trim().max(200);

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

export const BookingRequest = z.object({
  kind: AppointmentKind,
  siteId: Id,
  therapistId: Id,
  roomId: Id.nullable(),
  date: LocalDate,
  start: LocalTimeOfDay,
  durationMinutes: DurationMinutes,
});
export type BookingRequest = z.infer<typeof BookingRequest>;

export const IntakeInput = z
  .object({
    /** The desk's side: a first call is registered from one side, for a track of that side. */
    side: Side,
    track: Track,
    siteId: Id,
    contactBy: z.enum(CONTACT_BY),
    referralSource: z.enum(REFERRAL_SOURCES),
    referralNote: ShortText,
    /** The contact person in the network who referred, when the referral names one; main checks it is current. */
    referrerContactId: Id.nullable().default(null),
    anonymous: z.boolean(),
    name: z.string().trim().min(1, { message: 'error.name.required' }).max(80),
    personalNumber: PersonalNumber,
    birthYear: z.number().int().min(1900).max(2100).nullable(),
    gender: z.enum(GENDERS),
    municipalityCode: z.string().min(1, { message: 'error.municipality.required' }).max(10),
    language: z.string().trim().max(40),
    interpreterNeeded: z.boolean(),
    safeContact: SafeContact,
    address: ShortText,
    protectedIdentity: z.boolean(),
    childrenUnder18: z.number().int().min(0).max(30),
    links: z.array(z.object({ clientId: Id, kind: z.enum(LINK_KINDS) })).max(10),
    urgency: z.enum(URGENCIES),
    reason: ShortText,
    outcome: z.enum(OUTCOMES),
    referredTo: ShortText,
    booking: BookingRequest.nullable(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (sideOfTrack(value.track) !== value.side) ctx.addIssue({ code: 'custom', path: ['track'], message: 'error.tracks.otherSide' });
    if (value.outcome === 'booked' && !value.booking) ctx.addIssue({ code: 'custom', path: ['booking'], message: 'error.booking.required' });
    if (value.outcome !== 'booked' && value.booking) ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'error.outcome.bookedOnly' });
    if (value.outcome === 'referred' && !value.referredTo)
      ctx.addIssue({ code: 'custom', path: ['referredTo'], message: 'error.referredTo.required' });
    if (value.anonymous && value.personalNumber)
      ctx.addIssue({ code: 'custom', path: ['personalNumber'], message: 'error.personalNumber.anonymous' });
  });
export type IntakeInput = z.infer<typeof IntakeInput>;

export const Routing = z.object({ decision: z.enum(ROUTINGS), reason: z.string() });
export type Routing = z.infer<typeof Routing>;

export const BookingWarning = z.object({
  code: z.enum(['other_side_close', 'waiting_room_full', 'outside_working_hours']),
  /** Minutes to the nearest appointment of the other side, for other_side_close: told to the victims' side only. */
  minutes: z.number().int().optional(),
});
export type BookingWarning = z.infer<typeof BookingWarning>;

export const AppointmentView = z.object({
  id: z.string(),
  side: Side,
  siteId: z.string(),
  kind: AppointmentKind,
  status: AppointmentStatus,
  startsAt: z.string(),
  endsAt: z.string(),
  localDate: z.string(),
  localStart: z.string(),
  localEnd: z.string(),
  therapistId: z.string(),
  roomId: z.string().nullable(),
  clientId: z.string().nullable(),
  clientName: z.string().nullable(),
  clientTrack: Track.nullable(),
  groupId: z.string().nullable(),
  groupName: z.string().nullable(),
  note: z.string().nullable(),
  cancelReason: z.string().nullable(),
});
export type AppointmentView = z.infer<typeof AppointmentView>;

export const ClientSummary = z.object({
  id: z.string(),
  track: Track,
  name: z.string(),
  isAlias: z.boolean(),
  birthYear: z.number().nullable(),
  personalNumber: z.string().nullable(),
  municipalityCode: z.string().nullable(),
  protectedIdentity: z.boolean(),
  /** Null when protected identity hides it from this user. */
  phone: z.string().nullable(),
  safeContact: SafeContact.omit({ phone: true }).nullable(),
  firstContactAt: z.string().nullable(),
});
export type ClientSummary = z.infer<typeof ClientSummary>;

export const ClientLinkView = z.object({
  id: z.string(),
  kind: z.enum(LINK_KINDS),
  /** Same side: the other client's id and name. Other side: nothing that identifies them. */
  otherSide: z.boolean(),
  otherClientId: z.string().nullable(),
  otherName: z.string().nullable(),
});

export const CareRelationView = z.object({
  id: z.string(),
  therapistId: z.string(),
  therapistName: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});

export const ClientDetail = ClientSummary.extend({
  /** The therapists in a care relation with the client now. */
  careTeam: z.array(CareRelationView),
  gender: z.enum(GENDERS),
  language: z.string().nullable(),
  interpreterNeeded: z.boolean(),
  childrenUnder18: z.number(),
  siteId: z.string().nullable(),
  address: z.string().nullable(),
  links: z.array(ClientLinkView),
  intakes: z.array(
    z.object({
      id: z.string(),
      receivedAt: z.string(),
      contactBy: z.enum(CONTACT_BY),
      referralSource: z.enum(REFERRAL_SOURCES),
      urgency: z.enum(URGENCIES),
      outcome: z.enum(OUTCOMES),
      referredTo: z.string().nullable(),
      /** The contact person who referred, as the network register names them. */
      referrer: z.object({ name: z.string(), agency: z.string(), unit: z.string().nullable() }).nullable(),
      routing: Routing,
    }),
  ),
  appointments: z.array(AppointmentView),
  onWaitingListSince: z.string().nullable(),
  /**
   * Victims' side only: when a later first call on the perpetrators' side gave this client's identity
   * number (UTC ISO), so that reception can assess the risk; never who, and never told the other way round.
   */
  identityNumberReusedAt: z.string().nullable(),
  /** Victims' side only: the client's coming appointments that break the safety buffer with a linked person's, to be moved. */
  separationClashes: z.array(z.object({ appointmentId: z.string(), date: z.string(), start: z.string() })),
});
export type ClientDetail = z.infer<typeof ClientDetail>;

export const OrgView = z.object({
  sites: z.array(z.object({ id: z.string(), name: z.string() })),
  entrances: z.array(z.object({ id: z.string(), siteId: z.string(), name: z.string() })),
  waitingRooms: z.array(z.object({ id: z.string(), siteId: z.string(), entranceId: z.string(), name: z.string(), capacity: z.number() })),
  rooms: z.array(z.object({ id: z.string(), siteId: z.string(), name: z.string(), active: z.boolean(), purpose: z.enum(['individual', 'group']) })),
  trackRoutes: z.array(z.object({ siteId: z.string(), track: Track, entranceId: z.string(), waitingRoomId: z.string() })),
  municipalities: z.array(
    z.object({ code: z.string(), name: z.string(), region: z.enum(['skaraborg', 'sodra_alvsborg', 'other']), etapp2: z.boolean() }),
  ),
  therapists: z.array(
    z.object({
      id: z.string(),
      displayName: z.string(),
      siteId: z.string().nullable(),
      tracks: z.array(Track),
      hours: z.array(z.object({ weekday: z.number().int(), start: z.string(), end: z.string() })),
    }),
  ),
  separationBufferMinutes: z.number().int(),
});
export type OrgView = z.infer<typeof OrgView>;

export const SlotProposal = z.object({
  date: z.string(),
  start: z.string(),
  end: z.string(),
  therapistId: z.string(),
  roomId: z.string().nullable(),
});
export type SlotProposal = z.infer<typeof SlotProposal>;

export const WaitingListEntry = z.object({
  clientId: z.string(),
  name: z.string(),
  track: Track,
  urgency: z.enum(URGENCIES),
  firstContactAt: z.string(),
  addedAt: z.string(),
  daysSinceFirstContact: z.number().int(),
});

export const GroupView = z.object({
  id: z.string(),
  siteId: z.string(),
  track: Track,
  name: z.string(),
  therapistId: z.string(),
  roomId: z.string().nullable(),
  members: z.array(z.object({ clientId: z.string(), name: z.string() })),
  upcomingSessions: z.array(AppointmentView),
});
export type GroupView = z.infer<typeof GroupView>;

export const TherapistHours = z
  .array(z.object({ weekday: z.number().int().min(1).max(7), start: LocalTimeOfDay, end: LocalTimeOfDay }))
  .max(7)
  .superRefine((hours, ctx) => {
    hours.forEach((day, index) => {
      if (day.end <= day.start) ctx.addIssue({ code: 'custom', path: [index, 'end'], message: 'error.hours.order' });
    });
    if (new Set(hours.map((day) => day.weekday)).size !== hours.length) ctx.addIssue({ code: 'custom', path: [], message: 'error.hours.duplicate' });
  });

// ---- Journal and access log ---------------------------------------------------------------

export const ENTRY_KINDS = ['note', 'assessment', 'treatment_plan', 'closing_summary'] as const;
export const EntryKind = z.enum(ENTRY_KINDS);

export const JournalEntryView = z.object({
  id: z.string(),
  kind: EntryKind,
  status: z.enum(['draft', 'signed']),
  body: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  signedAt: z.string().nullable(),
  amendsId: z.string().nullable(),
  amendmentReason: z.string().nullable(),
});
export type JournalEntryView = z.infer<typeof JournalEntryView>;

export const JournalView = z.object({
  client: z.object({
    id: z.string(),
    name: z.string(),
    isAlias: z.boolean(),
    personalNumber: z.string().nullable(),
    birthYear: z.number().nullable(),
    track: Track,
    protectedIdentity: z.boolean(),
    /** The phone with its safe-contact instructions, and the address; null where protected identity hides them (an emergency access). */
    phone: z.string().nullable(),
    safeContact: SafeContact.omit({ phone: true }).nullable(),
    address: z.string().nullable(),
  }),
  /** How this therapist came in: through a care relation, or an emergency access that admins review. */
  access: z.enum(['care', 'emergency']),
  /** When an emergency access ends (UTC ISO); null in a care relation. */
  emergencyUntil: z.string().nullable(),
  careTeam: z.array(CareRelationView),
  entries: z.array(JournalEntryView),
});
export type JournalView = z.infer<typeof JournalView>;

export const JournalExport = z.object({
  unit: z.string(),
  printedAt: z.string(),
  printedBy: z.string(),
  client: z.object({ name: z.string(), personalNumber: z.string().nullable(), birthYear: z.number().nullable() }),
  entries: z.array(JournalEntryView),
});
export type JournalExport = z.infer<typeof JournalExport>;

export const AccessLogFilter = z
  .object({
    userId: Id.nullable(),
    clientId: Id.nullable(),
    from: LocalDate.nullable(),
    to: LocalDate.nullable(),
    action: z.string().max(60).nullable(),
    emergencyOnly: z.boolean(),
    unreviewedOnly: z.boolean(),
  })
  .strict();
export type AccessLogFilter = z.infer<typeof AccessLogFilter>;

export const AccessLogRowView = z.object({
  seq: z.number().int(),
  at: z.string(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  clientId: z.string().nullable(),
  clientName: z.string().nullable(),
  record: z.string().nullable(),
  action: z.string(),
  emergency: z.boolean(),
  reason: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewNote: z.string().nullable(),
});
export type AccessLogRowView = z.infer<typeof AccessLogRowView>;

// ---- Statistics ------------------------------------------------------------------------------

/**
 * A count as published: the number (5 or more); null where it lies between 0 and 4 ("<5": a 0 reads
 * "<5" too, so that a "<5" never says that anyone is there); or 'hidden' ("x") where it is withheld
 * so that a small count elsewhere cannot be worked out. An "x" may stand for any number, 0 included.
 */
const SuppressedCount = z.union([z.number().int(), z.null(), z.literal('hidden')]);
export type StatsCount = z.infer<typeof SuppressedCount>;

/**
 * Statistics are published for whole calendar quarters that have ended, for the centre as a whole:
 * no two reports overlap, so none can be subtracted from another (see main/services/statistics.ts).
 */
export const StatsInput = z
  .object({
    year: z
      .number({ message: 'error.stats.quarter' })
      .int({ message: 'error.stats.quarter' })
      .min(2000, { message: 'error.stats.quarter' })
      .max(2100, { message: 'error.stats.quarter' }),
    quarter: z
      .number({ message: 'error.stats.quarter' })
      .int({ message: 'error.stats.quarter' })
      .min(1, { message: 'error.stats.quarter' })
      .max(4, { message: 'error.stats.quarter' }),
  })
  .strict();

export const StatsReport = z.object({
  period: z.object({ year: z.number().int(), quarter: z.number().int(), from: z.string(), to: z.string() }),
  clientsByTrack: z.array(z.object({ track: Track, new: SuppressedCount, continuing: SuppressedCount })),
  clientsByMunicipality: z.array(z.object({ code: z.string(), name: z.string(), count: SuppressedCount })),
  referralSources: z.array(z.object({ key: z.string(), count: SuppressedCount })),
  firstContacts: SuppressedCount,
  appointments: z.array(z.object({ kind: AppointmentKind, status: AppointmentStatus, count: SuppressedCount })),
  // null: fewer than 5 appointments behind it; 'hidden': withheld because with the done counts it would give the no-shows away.
  noShowRate: z.union([z.number(), z.null(), z.literal('hidden')]),
  // null: fewer than 5 clients behind it; 'hidden': withheld because "5 or more behind it" would give a small count away.
  medianDaysToFirstAppointment: z.union([z.number(), z.null(), z.literal('hidden')]),
  routings: z.array(z.object({ key: z.enum(ROUTINGS), count: SuppressedCount })),
  // When the quarter's figures were first produced: from then on they are served as they were, whatever is corrected later.
  fixedAt: z.string(),
});
export type StatsReport = z.infer<typeof StatsReport>;

// ---- The contact-person network ----------------------------------------------------------
// Utväg's contact persons in the collaborating agencies. Professionals, never clients: these
// channels hold no client data.

export const AGENCY_KINDS = ['social_services', 'primary_care', 'hospital', 'police', 'prosecution', 'probation', 'voluntary', 'other'] as const;
export const AgencyKind = z.enum(AGENCY_KINDS, { message: 'contacts.error.agencyKind' });
export type AgencyKind = z.infer<typeof AgencyKind>;
export const MAILING_LIST_COLUMNS = ['name', 'email', 'agencyKind', 'agency', 'unit', 'municipality', 'role'] as const;
export const MailingListLabels = z
  .object({
    columns: z.object(
      Object.fromEntries(MAILING_LIST_COLUMNS.map((column) => [column, z.string().min(1).max(60)])) as Record<
        (typeof MAILING_LIST_COLUMNS)[number],
        z.ZodString
      >,
    ),
    kinds: z.object(Object.fromEntries(AGENCY_KINDS.map((kind) => [kind, z.string().min(1).max(80)])) as Record<AgencyKind, z.ZodString>),
  })
  .strict();
export type MailingListLabels = z.infer<typeof MailingListLabels>;

export const CONTACT_STATUSES = ['current', 'former', 'all'] as const;

export const ContactEmail = z
  .string()
  .trim()
  .max(254)
  .refine((value) => value === '' || z.regexes.email.test(value), { message: 'contacts.error.email' });

export const ContactInput = z
  .object({
    /** Null for a new contact person. */
    id: Id.nullable(),
    name: z.string().trim().min(2).max(80),
    agencyKind: AgencyKind,
    agency: z.string().trim().min(2).max(100),
    unit: z.string().trim().max(100),
    /** Null for an agency that serves the whole area (the hospital, the prosecution authority). */
    municipalityCode: z.string().min(1).max(10).nullable(),
    role: z.string().trim().max(100),
    email: ContactEmail,
    phone: Phone,
    assignmentStart: LocalDate,
    /** Null while the assignment goes on; ending it is how a contact person leaves the network. */
    assignmentEnd: LocalDate.nullable(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (!value.email && !value.phone) ctx.addIssue({ code: 'custom', path: ['email'], message: 'contacts.error.reachable' });
    if (value.assignmentEnd && value.assignmentEnd < value.assignmentStart)
      ctx.addIssue({ code: 'custom', path: ['assignmentEnd'], message: 'contacts.error.endBeforeStart' });
  });
export type ContactInput = z.infer<typeof ContactInput>;

/** Which contact persons to show: 'current' are those whose assignment has not ended (today in Swedish time). */
export const ContactFilter = z
  .object({
    status: z.enum(CONTACT_STATUSES),
    agencyKind: AgencyKind.nullable(),
    municipalityCode: z.string().min(1).max(10).nullable(),
    text: z.string().trim().max(80),
  })
  .strict();
export type ContactFilter = z.infer<typeof ContactFilter>;

export const ContactView = z.object({
  id: z.string(),
  name: z.string(),
  agencyKind: AgencyKind,
  agency: z.string(),
  unit: z.string().nullable(),
  municipalityCode: z.string().nullable(),
  municipalityName: z.string().nullable(),
  role: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  assignmentStart: z.string(),
  assignmentEnd: z.string().nullable(),
  /** The assignment has not ended (today in Swedish time). */
  current: z.boolean(),
  /** Network days attended. */
  attendedDays: z.number().int(),
  /** False once an intake names the contact person: then the assignment is ended instead. */
  deletable: z.boolean(),
  updatedAt: z.string(),
});
export type ContactView = z.infer<typeof ContactView>;

/** What the reception needs to name who referred: no e-mail, phone or role. */
export const ReferrerView = z.object({
  id: z.string(),
  name: z.string(),
  agencyKind: AgencyKind,
  agency: z.string(),
  unit: z.string().nullable(),
  municipalityCode: z.string().nullable(),
});
export type ReferrerView = z.infer<typeof ReferrerView>;

export const NetworkDayInput = z
  .object({
    id: Id.nullable(),
    date: LocalDate,
    title: z.string().trim().min(2).max(120),
    siteId: Id.nullable(),
  })
  .strict();
export type NetworkDayInput = z.infer<typeof NetworkDayInput>;

export const NetworkDayView = z.object({
  id: z.string(),
  date: z.string(),
  title: z.string(),
  siteId: z.string().nullable(),
  attendeeIds: z.array(z.string()),
});
export type NetworkDayView = z.infer<typeof NetworkDayView>;

export const ContactWarning = z.object({
  code: z.literal('duplicate_email'),
  otherId: z.string(),
  otherName: z.string(),
});
export type ContactWarning = z.infer<typeof ContactWarning>;

// ---- Views returned to the renderer ------------------------------------------------------

export const SessionUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  mustChangePassword: z.boolean(),
});
export type SessionUser = z.infer<typeof SessionUser>;

export const AppStatus = z.object({
  /**
   * 'setup' before the first admin exists, 'locked' when no one is signed in, 'unlocked' otherwise;
   * 'missing' when the key file is there but the journal file is not (moved or deleted): never a first run.
   */
  state: z.enum(['setup', 'locked', 'unlocked', 'missing']),
  user: SessionUser.nullable(),
  /** Who locked the screen, so the lock screen can offer their name; null after a sign-out. */
  lockedBy: z.object({ username: z.string(), displayName: z.string() }).nullable(),
  idleLockMinutes: z.number().int().nullable(),
  /** Only in the 'missing' state: the data folder, so that the screen can say where journal.db belongs. */
  dataDir: z.string().optional(),
  /** Admins only: the access log did not reach the head kept outside the journal at an unlock (rows removed, an older copy put back). */
  logHeadProblem: z.boolean().optional(),
});
export type AppStatus = z.infer<typeof AppStatus>;

export const UserSummary = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type UserSummary = z.infer<typeof UserSummary>;

/** A row of the Users page: an active user without a key slot on this installation (restored from another) needs a new temporary password. */
export const UserListEntry = UserSummary.extend({ needsNewPassword: z.boolean() });
export type UserListEntry = z.infer<typeof UserListEntry>;

export const WorkstationPreferences = z.object({
  language: z.enum(LANGUAGES),
  /** Discreet mode: lists and boards show initials and times only (on by default: visitors see the desk). */
  discreet: z.boolean(),
});
export type WorkstationPreferences = z.infer<typeof WorkstationPreferences>;

export const Settings = z.object({
  idleLockMinutes: IdleLockMinutes,
  /** Minimum minutes between a linked pair's appointments across sides at the same site (the separation rule). */
  separationBufferMinutes: z
    .number()
    .int()
    .min(30)
    .max(24 * 60),
});
export type Settings = z.infer<typeof Settings>;

// ---- Inputs ------------------------------------------------------------------------------

const Empty = z.object({}).strict();

export const SetupInput = z
  .object({
    displayName: DisplayName,
    username: Username,
    password: NewPassword,
    passwordRepeat: z.string(),
  })
  .strict()
  .refine((value) => value.password === value.passwordRepeat, { message: 'error.password.mismatch', path: ['passwordRepeat'] });

export const LoginInput = z.object({ username: Username, password: Password }).strict();

export const ChangePasswordInput = z
  .object({
    currentPassword: Password,
    newPassword: NewPassword,
    newPasswordRepeat: z.string(),
  })
  .strict()
  .refine((value) => value.newPassword === value.newPasswordRepeat, { message: 'error.password.mismatch', path: ['newPasswordRepeat'] })
  .refine((value) => value.newPassword !== value.currentPassword, { message: 'error.password.unchanged', path: ['newPassword'] });

export const CreateUserInput = z
  .object({
    displayName: DisplayName,
    username: Username,
    roles: z.array(Role).min(1, { message: 'error.roles.none' }).max(3),
  })
  .strict();

// ---- Backups -------------------------------------------------------------------------------

/**
 * A backup passphrase guards a full copy of the journal wherever the file ends up: at least 14
 * characters, not a repeated pattern or a run (aaaa…, abab…, 1234…), at least 6 different characters.
 * A NUL or the raw-key form x'…' would be read differently by SQLCipher, so they are refused too.
 */
export function isStrongPassphrase(value: string): boolean {
  const chars = [...value];
  if (chars.length < 14 || value.includes('\0') || /^x'.*'$/is.test(value)) return false;
  if (new Set(chars.map((char) => char.toLowerCase())).size < 6) return false;
  for (let unit = 1; unit <= chars.length / 2; unit += 1) {
    if (chars.every((char, index) => char === chars[index % unit])) return false;
  }
  const steps = chars.slice(1).map((char, index) => char.codePointAt(0)! - chars[index]!.codePointAt(0)!);
  const runSteps = steps.filter((step) => Math.abs(step) <= 1).length;
  return runSteps < steps.length - 2;
}

export const BackupPath = z.string().trim().min(1, { message: 'error.backup.pathRequired' }).max(4096);

export const BackupPassphrase = z
  .string()
  .min(14, { message: 'error.backup.weakPassphrase' })
  .max(1024)
  .refine(isStrongPassphrase, { message: 'error.backup.weakPassphrase' });

export const BackupExportInput = z
  .object({ path: BackupPath, passphrase: BackupPassphrase, passphraseRepeat: z.string().max(1024) })
  .strict()
  .refine((value) => value.passphrase === value.passphraseRepeat, { message: 'error.backup.passphraseMismatch', path: ['passphraseRepeat'] });

/** Opening an existing backup: its passphrase was checked when it was made. */
export const BackupOpenInput = z
  .object({
    path: BackupPath,
    passphrase: z
      .string()
      .min(1)
      .max(1024)
      .refine((value) => !value.includes('\0'), { message: 'error.backup.wrongPassphrase' }),
  })
  .strict();

const RowCounts = z.record(z.string(), z.number().int().min(0));

export const BackupExportResult = z.object({ path: z.string(), bytes: z.number().int(), counts: RowCounts, checksum: z.string() });

/** Restoring: a backup this installation did not seal is restored only with the checksum of the verify the admin saw and confirmed. */
export const BackupRestoreInput = z
  .object({
    path: BackupPath,
    passphrase: BackupOpenInput.shape.passphrase,
    confirmedChecksum: z.string().max(100).optional(),
  })
  .strict();

export const BackupVerifyResult = z.object({
  ok: z.literal(true),
  createdAt: z.string(),
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  counts: RowCounts,
  checksum: z.string(),
  bytes: z.number().int(),
  /** 'thisInstallation': sealed with this installation's key; 'elsewhere': nothing proves who made it (see README). */
  origin: z.enum(['thisInstallation', 'elsewhere']),
  /** The backup's active admins and what each account is here: a restore makes them the admins. */
  admins: z.array(z.object({ displayName: z.string(), username: z.string(), here: z.enum(['admin', 'otherRoles', 'inactive', 'absent']) })),
});

/** Files that backups and restores leave behind: kept and half-made journals in the data folder, unfinished automatic backups. */
export const BACKUP_LEFTOVER_KINDS = ['beforeRestore', 'restoring', 'failedRestore', 'partial'] as const;
export const BackupLeftover = z.object({
  /** Opaque to the screen: names the file among the listed ones, never a path. */
  id: z.string(),
  kind: z.enum(BACKUP_LEFTOVER_KINDS),
  name: z.string(),
  bytes: z.number().int(),
  modifiedAt: z.string(),
});
export const BackupLeftoverList = z.object({ items: z.array(BackupLeftover) });
export const BackupLeftoverRemoveInput = z
  .object({ ids: z.array(z.string().min(1).max(300)).min(1, { message: 'error.backup.cleanupNoneChosen' }).max(200) })
  .strict();

export const BackupRestoreResult = z.object({
  createdAt: z.string(),
  schemaVersion: z.number().int(),
  migratedTo: z.number().int(),
  counts: RowCounts,
  keptAs: z.string(),
  signedOut: z.boolean(),
  /** The restoring admin was not in the backup (a new installation) and was added to it as an admin, to stay signed in. */
  addedRestoringAdmin: z.boolean(),
  /** A user in the backup had the restoring admin's username: that account keeps everything but its username, which is this. */
  renamedUser: z.object({ displayName: z.string(), from: z.string(), to: z.string() }).nullable(),
  /** Active users of the restored journal without a key slot here: each needs a new temporary password (Users page). */
  usersWithoutPassword: z.number().int(),
  /** Key slots of people who are not active users of the restored journal, removed from the keyring. */
  keySlotsRemoved: z.number().int(),
  /** Their names as this installation knew them, so the admin knows whom to add again (never logged). */
  removedPeople: z.array(z.string()),
});

/**
 * A native file dialog for the backup screen's paths. Only the desktop app has one: elsewhere (the
 * browser harness) the answer is { available: false } and the screen keeps its typed paths. 'probe'
 * asks whether a dialog exists without opening one.
 */
export const FILE_CHOICES = ['probe', 'backupFile', 'existingBackup', 'backupFolder'] as const;
export type FileChoice = (typeof FILE_CHOICES)[number];

/** The intervals the backup screen offers, in hours; the main process accepts any whole number in range. */
export const BACKUP_INTERVALS_HOURS = [1, 2, 4, 6, 12, 24, 48, 168] as const;

/**
 * Automatic backups: a folder, how often, how many to keep, and their passphrase. An empty passphrase
 * keeps the one already stored; a new one is checked like an export's and typed twice.
 */
export const BackupScheduleInput = z
  .object({
    enabled: z.boolean(),
    folder: z.string().trim().max(4096),
    intervalHours: z.number().int().min(1).max(168),
    keep: z.number().int().min(1).max(365),
    passphrase: z.string().max(1024),
    passphraseRepeat: z.string().max(1024),
  })
  .strict()
  .refine((value) => !value.enabled || value.folder !== '', { message: 'error.backup.folderRequired', path: ['folder'] })
  .refine((value) => value.passphrase === '' || isStrongPassphrase(value.passphrase), {
    message: 'error.backup.weakPassphrase',
    path: ['passphrase'],
  })
  .refine((value) => value.passphrase === value.passphraseRepeat, { message: 'error.backup.passphraseMismatch', path: ['passphraseRepeat'] });

/** What the screens learn about automatic backups: never the passphrase, only whether one is stored. */
export const BackupStatusView = z.object({
  schedule: z.object({
    enabled: z.boolean(),
    folder: z.string(),
    intervalHours: z.number().int(),
    keep: z.number().int(),
    passphraseStored: z.boolean(),
  }),
  running: z.boolean(),
  /** The last automatic run (or run-now): when, whether it worked, and why not as a message key. */
  lastAttempt: z.object({ at: z.string(), ok: z.boolean(), error: z.string().nullable() }).nullable(),
  /** The last automatic backup that was written and verified: its file name (in the chosen folder), never a path. */
  lastAutomatic: z.object({ at: z.string(), file: z.string(), bytes: z.number().int(), verified: z.boolean() }).nullable(),
  lastManualExportAt: z.string().nullable(),
  /** The newer of the two above: the last known good backup. */
  lastGoodAt: z.string().nullable(),
  nextRunAt: z.string().nullable(),
  /** The main process's clock when it answered: a nextRunAt at or before it is due now. */
  checkedAt: z.string(),
  /** 'never': no backup has been made; 'tooOld': the last good one is older than staleAfterHours. */
  warning: z.enum(['never', 'tooOld']).nullable(),
  staleAfterHours: z.number().int(),
});
export type BackupStatusView = z.infer<typeof BackupStatusView>;

// ---- The channels ------------------------------------------------------------------------

/** 'public': no session needed; 'session': any signed-in user; a role list: any one of them. */
export type Access = 'public' | 'session' | readonly Role[];

/** Whether the channel reads or writes client data, and so must write the access log. */
export type ClientData = 'none' | 'read' | 'write';

interface ChannelSpec<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  access: Access;
  clientData: ClientData;
  /** Channels that do not count as a person using the app (status polling) and so do not postpone the idle lock. */
  passive?: boolean;
}

function channel<I extends z.ZodType, O extends z.ZodType>(spec: ChannelSpec<I, O>): ChannelSpec<I, O> {
  return spec;
}

export const contract = {
  'app.status': channel({ input: Empty, output: AppStatus, access: 'public', clientData: 'none', passive: true }),
  'workstation.get': channel({ input: Empty, output: WorkstationPreferences, access: 'public', clientData: 'none', passive: true }),
  'workstation.update': channel({
    input: WorkstationPreferences.partial().strict(),
    output: WorkstationPreferences,
    access: 'public',
    clientData: 'none',
    passive: true,
  }),
  'auth.setup': channel({
    input: SetupInput,
    output: z.object({ recoveryCode: z.string(), user: SessionUser }),
    access: 'public',
    clientData: 'none',
  }),
  'auth.login': channel({ input: LoginInput, output: SessionUser, access: 'public', clientData: 'none' }),
  'auth.recover': channel({
    input: z
      .object({ recoveryCode: RecoveryCode, username: Username, newPassword: NewPassword, newPasswordRepeat: z.string() })
      .strict()
      .refine((value) => value.newPassword === value.newPasswordRepeat, { message: 'error.password.mismatch', path: ['newPasswordRepeat'] }),
    output: z.object({ recoveryCode: z.string(), user: SessionUser }),
    access: 'public',
    clientData: 'none',
  }),
  'auth.lock': channel({ input: Empty, output: z.object({ locked: z.literal(true) }), access: 'session', clientData: 'none' }),
  'auth.logout': channel({ input: Empty, output: z.object({ locked: z.literal(true) }), access: 'session', clientData: 'none' }),
  'auth.changePassword': channel({ input: ChangePasswordInput, output: SessionUser, access: 'session', clientData: 'none' }),
  'session.activity': channel({ input: Empty, output: z.object({ idleLockMinutes: z.number().int() }), access: 'session', clientData: 'none' }),
  'settings.get': channel({ input: Empty, output: Settings, access: ['admin'], clientData: 'none' }),
  'settings.update': channel({ input: Settings.partial().strict(), output: Settings, access: ['admin'], clientData: 'none' }),
  'users.list': channel({ input: Empty, output: z.array(UserListEntry), access: ['admin'], clientData: 'none' }),
  'users.resetPassword': channel({
    input: z.object({ userId: Id }).strict(),
    output: z.object({ user: UserSummary, temporaryPassword: z.string() }),
    access: ['admin'],
    clientData: 'none',
  }),
  'users.deactivate': channel({ input: z.object({ userId: Id }).strict(), output: UserSummary, access: ['admin'], clientData: 'none' }),
  'users.create': channel({
    input: CreateUserInput,
    output: z.object({ user: UserSummary, temporaryPassword: z.string() }),
    access: ['admin'],
    clientData: 'none',
  }),
  /** A new journal key and recovery code (shown once); the admin's password is asked again. */
  'auth.rekey': channel({
    input: z.object({ password: Password }).strict(),
    output: z.object({ recoveryCode: z.string(), usersWithoutPassword: z.number().int() }),
    access: ['admin'],
    clientData: 'none',
  }),

  // Reception. Every channel that takes a side answers with that side's data only.
  'org.get': channel({ input: Empty, output: OrgView, access: 'session', clientData: 'none' }),
  'intake.register': channel({
    input: IntakeInput,
    output: z.object({
      clientId: z.string(),
      intakeId: z.string(),
      routing: Routing,
      appointment: AppointmentView.nullable(),
      warnings: z.array(BookingWarning),
    }),
    access: ['receptionist'],
    clientData: 'write',
  }),
  // Admins too (search, record, contact): with a client's own therapist, they may see a protected client's number.
  'clients.search': channel({
    input: z.object({ side: Side, query: z.string().trim().min(1).max(80) }).strict(),
    output: z.array(ClientSummary),
    access: ['receptionist', 'admin'],
    clientData: 'read',
  }),
  'clients.get': channel({
    input: z.object({ side: Side, clientId: Id }).strict(),
    output: ClientDetail,
    access: ['receptionist', 'admin'],
    clientData: 'read',
  }),
  'clients.updateContact': channel({
    input: z.object({ side: Side, clientId: Id, safeContact: SafeContact, address: ShortText, protectedIdentity: z.boolean() }).strict(),
    output: ClientDetail,
    access: ['receptionist', 'admin'],
    clientData: 'write',
  }),
  /**
   * A deliberate look up to link a known relation: exact identity number or exact name, minimal answer.
   * A match of the other side is only "someone on the other side": a handle for the link, no id, track, initials or year.
   */
  'clients.findForLink': channel({
    input: z.object({ side: Side, query: z.string().trim().min(2).max(80) }).strict(),
    output: z.array(
      z.object({
        id: z.string(),
        track: Track.nullable(),
        initials: z.string().nullable(),
        birthYear: z.number().nullable(),
        otherSide: z.boolean(),
      }),
    ),
    access: ['receptionist'],
    clientData: 'read',
  }),
  /** Links a client of this side to another (of either side; across sides by the lookup's handle). */
  'clients.link': channel({
    input: z.object({ side: Side, clientId: Id, otherClientId: Id, kind: z.enum(LINK_KINDS) }).strict(),
    output: z.object({
      linkId: z.string(),
      /** This side's own appointments that now break the separation rule and must be moved; never the other side's times. */
      conflicts: z.array(z.object({ appointmentId: z.string(), date: z.string(), start: z.string() })),
    }),
    access: ['receptionist'],
    clientData: 'write',
  }),
  'schedule.range': channel({
    input: z
      .object({ side: Side, siteId: Id, from: LocalDate, days: z.number().int().min(1).max(14), therapistId: Id.nullable(), roomId: Id.nullable() })
      .strict(),
    output: z.array(AppointmentView),
    access: ['receptionist', 'therapist'],
    clientData: 'read',
  }),
  'schedule.today': channel({
    input: z.object({ side: Side, siteId: Id, date: LocalDate }).strict(),
    output: z.array(
      z.object({ waitingRoomId: z.string(), name: z.string(), capacity: z.number(), tracks: z.array(Track), appointments: z.array(AppointmentView) }),
    ),
    access: ['receptionist'],
    clientData: 'read',
  }),
  'appointments.book': channel({
    input: BookingRequest.extend({ side: Side, clientId: Id.nullable(), groupId: Id.nullable(), note: ShortText }).strict(),
    output: z.object({ appointment: AppointmentView, warnings: z.array(BookingWarning) }),
    access: ['receptionist'],
    clientData: 'write',
  }),
  'appointments.move': channel({
    input: z
      .object({
        side: Side,
        appointmentId: Id,
        date: LocalDate,
        start: LocalTimeOfDay,
        durationMinutes: DurationMinutes,
        therapistId: Id,
        roomId: Id.nullable(),
      })
      .strict(),
    output: z.object({ appointment: AppointmentView, warnings: z.array(BookingWarning) }),
    access: ['receptionist'],
    clientData: 'write',
  }),
  'appointments.cancel': channel({
    input: z.object({ side: Side, appointmentId: Id, reason: z.string().trim().min(2).max(200) }).strict(),
    output: AppointmentView,
    access: ['receptionist'],
    clientData: 'write',
  }),
  'appointments.setStatus': channel({
    input: z.object({ side: Side, appointmentId: Id, status: z.enum(['booked', 'arrived', 'in_session', 'done', 'no_show']) }).strict(),
    output: AppointmentView,
    access: ['receptionist', 'therapist'],
    clientData: 'write',
  }),
  'slots.find': channel({
    input: z
      .object({
        side: Side,
        siteId: Id,
        clientId: Id.nullable(),
        groupId: Id.nullable(),
        /** For a first call not yet saved: the new client's track and the people they are linked to. */
        newClient: z
          .object({ track: Track, linkedClientIds: z.array(Id).max(10) })
          .nullable()
          .default(null),
        therapistId: Id.nullable(),
        kind: AppointmentKind,
        durationMinutes: DurationMinutes,
        needsRoom: z.boolean(),
        fromDate: LocalDate,
        days: z.number().int().min(1).max(28),
      })
      .strict(),
    output: z.array(SlotProposal),
    access: ['receptionist'],
    clientData: 'read',
  }),
  'waitingList.list': channel({
    input: z.object({ side: Side }).strict(),
    output: z.array(WaitingListEntry),
    access: ['receptionist'],
    clientData: 'read',
  }),
  'groups.list': channel({
    input: z.object({ side: Side, siteId: Id }).strict(),
    output: z.array(GroupView),
    access: ['receptionist', 'therapist'],
    clientData: 'read',
  }),
  'groups.create': channel({
    input: z
      .object({
        side: Side,
        siteId: Id,
        track: Track,
        name: z.string().trim().min(2).max(80),
        therapistId: Id,
        roomId: Id,
        firstDate: LocalDate,
        start: LocalTimeOfDay,
        durationMinutes: DurationMinutes,
        sessions: z.number().int().min(1).max(52),
      })
      .strict(),
    output: GroupView,
    access: ['receptionist'],
    clientData: 'write',
  }),
  'groups.addMember': channel({
    input: z.object({ side: Side, groupId: Id, clientId: Id }).strict(),
    output: GroupView,
    access: ['receptionist'],
    clientData: 'write',
  }),
  'groups.removeMember': channel({
    input: z.object({ side: Side, groupId: Id, clientId: Id }).strict(),
    output: GroupView,
    access: ['receptionist'],
    clientData: 'write',
  }),
  'org.saveWaitingRoom': channel({
    input: z
      .object({ id: Id.nullable(), siteId: Id, entranceId: Id, name: z.string().trim().min(1).max(60), capacity: z.number().int().min(1).max(200) })
      .strict(),
    output: OrgView,
    access: ['admin'],
    clientData: 'none',
  }),
  'org.saveRoom': channel({
    input: z
      .object({
        id: Id.nullable(),
        siteId: Id,
        name: z.string().trim().min(1).max(60),
        active: z.boolean(),
        /** Left out, an existing room keeps its purpose and a new one is for individual sessions. */
        purpose: z.enum(['individual', 'group']).optional(),
      })
      .strict(),
    output: OrgView,
    access: ['admin'],
    clientData: 'none',
  }),
  'org.saveEntrance': channel({
    input: z.object({ id: Id.nullable(), siteId: Id, name: z.string().trim().min(1).max(60) }).strict(),
    output: OrgView,
    access: ['admin'],
    clientData: 'none',
  }),
  'org.setTrackRoute': channel({
    input: z.object({ siteId: Id, track: Track, entranceId: Id, waitingRoomId: Id }).strict(),
    output: OrgView,
    access: ['admin'],
    clientData: 'none',
  }),
  'org.setMunicipality': channel({
    input: z
      .object({
        code: z.string().regex(/^(\d{4}|other)$/),
        name: z.string().trim().min(1).max(60),
        region: z.enum(['skaraborg', 'sodra_alvsborg', 'other']),
        etapp2: z.boolean(),
      })
      .strict(),
    output: OrgView,
    access: ['admin'],
    clientData: 'none',
  }),
  'org.saveTherapist': channel({
    input: z.object({ userId: Id, siteId: Id, tracks: z.array(Track).min(1, { message: 'error.tracks.none' }), hours: TherapistHours }).strict(),
    output: OrgView,
    access: ['admin'],
    clientData: 'none',
  }),

  // The contact-person network: admins keep the register; reception only names who referred.
  'contacts.list': channel({
    input: z.object({ filter: ContactFilter }).strict(),
    output: z.array(ContactView),
    access: ['admin'],
    clientData: 'none',
  }),
  'contacts.save': channel({
    input: ContactInput,
    output: z.object({ contact: ContactView, warnings: z.array(ContactWarning) }),
    access: ['admin'],
    clientData: 'none',
  }),
  'contacts.delete': channel({
    input: z.object({ id: Id }).strict(),
    output: z.object({ deleted: z.literal(true) }),
    access: ['admin'],
    clientData: 'none',
  }),
  'contacts.mailingListCsv': channel({
    // The screen's words for the header and the kinds of agency, so the file reads in the interface's language.
    input: z.object({ filter: ContactFilter.omit({ status: true }), labels: MailingListLabels }).strict(),
    output: z.object({ rows: z.number().int(), csv: z.string() }),
    access: ['admin'],
    clientData: 'none',
  }),
  'contacts.referrers': channel({ input: Empty, output: z.array(ReferrerView), access: ['receptionist'], clientData: 'none' }),
  'networkDays.list': channel({ input: Empty, output: z.array(NetworkDayView), access: ['admin'], clientData: 'none' }),
  'networkDays.save': channel({ input: NetworkDayInput, output: NetworkDayView, access: ['admin'], clientData: 'none' }),
  'networkDays.setAttendance': channel({
    input: z.object({ networkDayId: Id, contactIds: z.array(Id).max(500) }).strict(),
    output: NetworkDayView,
    access: ['admin'],
    clientData: 'none',
  }),

  // Journal: therapists only; a receptionist never receives journal text from any channel.
  'journal.myClients': channel({
    input: Empty,
    output: z.array(z.object({ clientId: z.string(), name: z.string(), track: Track, since: z.string() })),
    access: ['therapist'],
    clientData: 'read',
  }),
  // The signed-in therapist's own unsigned drafts on one side, for the start page: names and kinds, never the text.
  'journal.myDrafts': channel({
    input: z.object({ side: Side }).strict(),
    output: z.array(z.object({ entryId: z.string(), clientId: z.string(), clientName: z.string(), kind: EntryKind, updatedAt: z.string() })),
    access: ['therapist'],
    clientData: 'read',
  }),
  'journal.open': channel({ input: z.object({ clientId: Id }).strict(), output: JournalView, access: ['therapist'], clientData: 'read' }),
  'journal.emergencyOpen': channel({
    input: z.object({ clientId: Id, reason: z.string().trim().min(10, { message: 'error.journal.reasonShort' }).max(500) }).strict(),
    output: JournalView,
    access: ['therapist'],
    clientData: 'read',
  }),
  'journal.findClient': channel({
    input: z.object({ query: z.string().trim().min(2).max(80) }).strict(),
    output: z.array(z.object({ id: z.string(), name: z.string(), track: Track, birthYear: z.number().nullable(), inMyCare: z.boolean() })),
    access: ['therapist'],
    clientData: 'read',
  }),
  'journal.saveDraft': channel({
    input: z.object({ clientId: Id, entryId: Id.nullable(), kind: EntryKind, body: z.string().max(20_000) }).strict(),
    output: JournalEntryView,
    access: ['therapist'],
    clientData: 'write',
  }),
  'journal.deleteDraft': channel({
    input: z.object({ entryId: Id }).strict(),
    output: z.object({ deleted: z.literal(true) }),
    access: ['therapist'],
    clientData: 'write',
  }),
  'journal.sign': channel({
    input: z.object({ entryId: Id, password: Password }).strict(),
    output: JournalEntryView,
    access: ['therapist'],
    clientData: 'write',
  }),
  'journal.amend': channel({
    input: z
      .object({
        entryId: Id,
        reason: z.string().trim().min(5, { message: 'error.journal.amendReason' }).max(500),
        body: z.string().trim().min(1).max(20_000),
        password: Password,
      })
      .strict(),
    output: JournalEntryView,
    access: ['therapist'],
    clientData: 'write',
  }),
  'journal.export': channel({ input: z.object({ clientId: Id }).strict(), output: JournalExport, access: ['therapist'], clientData: 'read' }),
  'care.assign': channel({
    input: z.object({ side: Side, clientId: Id, therapistId: Id }).strict(),
    output: z.array(CareRelationView),
    access: ['receptionist', 'admin'],
    clientData: 'write',
  }),
  'care.end': channel({
    input: z.object({ side: Side, clientId: Id, therapistId: Id }).strict(),
    output: z.array(CareRelationView),
    access: ['receptionist', 'admin'],
    clientData: 'write',
  }),
  'audit.search': channel({
    input: z.object({ filter: AccessLogFilter, page: z.number().int().min(0).max(100_000) }).strict(),
    output: z.object({ rows: z.array(AccessLogRowView), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }),
    access: ['admin'],
    clientData: 'read',
  }),
  'audit.markReviewed': channel({
    input: z.object({ seq: z.number().int().min(1), note: z.string().trim().max(300) }).strict(),
    output: AccessLogRowView,
    access: ['admin'],
    clientData: 'write',
  }),
  'audit.exportCsv': channel({
    input: z.object({ filter: AccessLogFilter }).strict(),
    output: z.object({ rows: z.number().int(), csv: z.string() }),
    access: ['admin'],
    clientData: 'read',
  }),
  'audit.clientExtract': channel({
    input: z.object({ clientId: Id }).strict(),
    output: z.object({
      client: z.object({ name: z.string(), personalNumber: z.string().nullable() }),
      rows: z.array(z.object({ at: z.string(), userName: z.string(), unit: z.string(), action: z.string(), emergency: z.boolean() })),
    }),
    access: ['admin'],
    clientData: 'read',
  }),
  'audit.verify': channel({
    input: Empty,
    // headProblem: the log's end does not reach the head kept outside the journal ('behind', 'rewritten', 'forged', 'earlier:…').
    output: z.object({
      ok: z.boolean(),
      rows: z.number().int(),
      brokenAt: z.number().int().nullable(),
      headProblem: z.string().nullable().optional(),
    }),
    access: ['admin'],
    clientData: 'none',
  }),
  'retention.report': channel({
    input: z.object({ years: z.number().int().min(1).max(100) }).strict(),
    output: z.array(z.object({ clientId: z.string(), name: z.string(), track: Track, lastEntryAt: z.string(), entries: z.number().int() })),
    access: ['admin'],
    clientData: 'read',
  }),
  // Backups read every client's data (export, verify) or replace it (restore): each is written to the access log.
  'backup.export': channel({ input: BackupExportInput, output: BackupExportResult, access: ['admin'], clientData: 'read' }),
  'backup.verify': channel({ input: BackupOpenInput, output: BackupVerifyResult, access: ['admin'], clientData: 'read' }),
  'backup.restore': channel({ input: BackupRestoreInput, output: BackupRestoreResult, access: ['admin'], clientData: 'write' }),
  // Left-over journal copies and unfinished backups: the list holds names, sizes and times; removing copies of the journal is logged.
  'backup.leftovers.list': channel({ input: Empty, output: BackupLeftoverList, access: ['admin'], clientData: 'none' }),
  'backup.leftovers.remove': channel({ input: BackupLeftoverRemoveInput, output: BackupLeftoverList, access: ['admin'], clientData: 'write' }),
  // Automatic backups: their status and schedule hold no client data; a run reads all of it and is logged.
  'backup.status': channel({ input: Empty, output: BackupStatusView, access: ['admin'], clientData: 'none', passive: true }),
  'backup.schedule.update': channel({ input: BackupScheduleInput, output: BackupStatusView, access: ['admin'], clientData: 'none' }),
  'backup.runNow': channel({ input: Empty, output: BackupStatusView, access: ['admin'], clientData: 'read' }),
  'backup.chooseFile': channel({
    input: z.object({ purpose: z.enum(FILE_CHOICES) }).strict(),
    // `path` is what the screen sends back (in the desktop app an opaque token for the dialog's answer); `label` is what it shows.
    output: z.object({ available: z.boolean(), path: z.string().nullable(), label: z.string().nullable().optional() }),
    access: ['admin'],
    clientData: 'none',
  }),
  'stats.report': channel({ input: StatsInput, output: StatsReport, access: ['admin'], clientData: 'read' }),
  'stats.exportCsv': channel({ input: StatsInput, output: z.object({ csv: z.string() }), access: ['admin'], clientData: 'read' }),
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export const CHANNEL_NAMES = Object.keys(contract) as ChannelName[];
export type ChannelInput<C extends ChannelName> = z.input<Contract[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Contract[C]['output']>;

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
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** What the preload exposes on window.utvag (and the browser harness imitates). */
export interface UtvagBridge {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  /** Electron only: called as soon as the journal locks (idle, sleep, OS lock); returns an unsubscribe. */
  onLocked?(callback: (reason: string) => void): () => void;
}
