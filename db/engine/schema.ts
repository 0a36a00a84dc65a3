import type { Generated } from 'kysely';
import type {
  AgencyKind,
  AppointmentKind,
  AppointmentStatus,
  ContactBy,
  EntryKind,
  Gender,
  LinkKind,
  Outcome,
  Role,
  RoutingDecision,
  Side,
  Track,
  Urgency,
} from '../../preload/domain/index.js';
export type { AgencyKind, AppointmentKind, AppointmentStatus, Gender, Role, Side, Track };

/**
 * The journal's tables as Kysely sees them, one interface per table, written from
 * db/migrations/*.sql (as of 007). Column names stay snake_case, as in SQL.
 *
 * Both engines give the same JavaScript values, so one repository function serves both:
 * - instants are ISO-8601 UTC strings ('2026-03-02T08:00:00.000Z'): SQLite stores that text;
 *   PostgreSQL stores timestamptz and the Store's type parser turns it back into the same text;
 * - calendar dates are 'YYYY-MM-DD' strings (text in SQLite, date in PostgreSQL, read as text);
 * - yes/no flags are 0 or 1 (INTEGER CHECK in SQLite, smallint CHECK in PostgreSQL);
 * - whole numbers are numbers (PostgreSQL's bigint, count(*) included, is read as a number).
 *
 * Generated<T> marks a column the database fills when an insert leaves it out (DEFAULT, rowid).
 * tests/integration/store.test.ts compares these interfaces with the migrated journal, column by
 * column, so a migration that adds a column without adding it here fails the tests.
 */

export type Flag = 0 | 1;

// 001_foundation

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  active: Generated<Flag>;
  must_change_password: Generated<Flag>;
  created_at: string;
  last_login_at: string | null;
}

export interface UserRolesTable {
  user_id: string;
  role: Role;
}

export interface SettingsTable {
  key: string;
  /** JSON text, validated by the contract before it is written. */
  value: string;
  updated_at: string;
  updated_by: string | null;
}

export interface ClientsTable {
  id: string;
  track: Track;
  name: string;
  is_alias: Generated<Flag>;
  personal_number: string | null;
  birth_year: number | null;
  protected_identity: Generated<Flag>;
  created_at: string;
  created_by: string;
  // 002_reception
  gender: Generated<Gender>;
  municipality_code: string | null;
  language: string | null;
  interpreter_needed: Generated<Flag>;
  site_id: string | null;
  children_under_18: Generated<number>;
  first_contact_at: string | null;
  search_name: string | null;
}

export interface AccessLogTable {
  seq: Generated<number>;
  at: string;
  user_id: string | null;
  client_id: string | null;
  record: string | null;
  action: string;
  channel: string | null;
  emergency: Generated<Flag>;
  reason: string | null;
  prev_hash: string;
  hash: string;
}

// 002_reception

export interface SitesTable {
  id: string;
  name: string;
  sort: Generated<number>;
}

export interface EntrancesTable {
  id: string;
  site_id: string;
  name: string;
}

export interface WaitingRoomsTable {
  id: string;
  site_id: string;
  entrance_id: string;
  name: string;
  capacity: number;
}

export interface RoomsTable {
  id: string;
  site_id: string;
  name: string;
  active: Generated<Flag>;
  // 004_room_purpose
  purpose: Generated<'individual' | 'group'>;
}

export interface TrackRoutesTable {
  site_id: string;
  track: Track;
  entrance_id: string;
  waiting_room_id: string;
}

export interface MunicipalitiesTable {
  code: string;
  name: string;
  region: 'skaraborg' | 'sodra_alvsborg' | 'other';
  /** The women's Etapp 2. */
  etapp2: Generated<Flag>;
  /** The children's Etapp 2. */
  etapp2_children: Generated<Flag>;
}

export interface TherapistProfilesTable {
  user_id: string;
  site_id: string;
}

export interface TherapistTracksTable {
  user_id: string;
  track: Track;
}

export interface TherapistHoursTable {
  user_id: string;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes after local midnight. */
  start_minute: number;
  end_minute: number;
}

export interface ClientContactsTable {
  client_id: string;
  phone: string | null;
  phone_digits: string | null;
  safe_to_call: Generated<Flag>;
  safe_to_text: Generated<Flag>;
  safe_voicemail: Generated<Flag>;
  safe_times: string | null;
  code_word: string | null;
  instructions: string | null;
  address: string | null;
}

/** Stored once per pair, the smaller id in client_a. */
export interface ClientLinksTable {
  id: string;
  client_a: string;
  client_b: string;
  kind: LinkKind;
  created_at: string;
  created_by: string;
}

export interface IntakesTable {
  id: string;
  client_id: string;
  received_at: string;
  received_by: string;
  contact_by: ContactBy;
  referral_source: string;
  referral_note: string | null;
  urgency: Urgency;
  reason: string | null;
  outcome: Outcome;
  referred_to: string | null;
  routing: RoutingDecision;
  routing_reason: string;
  // 005_contact_network
  referrer_contact_id: string | null;
}

export interface WaitingListTable {
  id: string;
  client_id: string;
  intake_id: string | null;
  added_at: string;
  removed_at: string | null;
  removed_reason: string | null;
}

export interface GroupsTable {
  id: string;
  site_id: string;
  track: Track;
  name: string;
  therapist_id: string;
  room_id: string | null;
  created_at: string;
  /** When the group ended (008): no further sessions. */
  ended_at: string | null;
}

/** Attendance per member and group session (008). */
export interface GroupAttendanceTable {
  appointment_id: string;
  client_id: string;
  status: 'present' | 'absent' | 'cancelled';
  recorded_at: string;
  recorded_by: string;
}

/** The coordinator's follow-up of an intake routed to a municipality (009); no row: not yet handed over. */
export interface Etapp2FollowUpsTable {
  intake_id: string;
  status: 'handed_over' | 'contacted' | 'offered_group' | 'joined' | 'declined';
  updated_at: string;
  updated_by: string;
}

/** One row per membership period (006); at most one open period per group and client. */
export interface GroupMembersTable {
  group_id: string;
  client_id: string;
  joined_at: string;
  left_at: string | null;
}

export interface AppointmentsTable {
  id: string;
  site_id: string;
  side: Side;
  kind: AppointmentKind;
  status: Generated<AppointmentStatus>;
  starts_at: string;
  ends_at: string;
  therapist_id: string;
  room_id: string | null;
  client_id: string | null;
  group_id: string | null;
  note: string | null;
  cancel_reason: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
}

// 003_journal

export interface CareRelationsTable {
  id: string;
  client_id: string;
  therapist_id: string;
  started_at: string;
  ended_at: string | null;
  created_by: string;
}

export interface EmergencyGrantsTable {
  id: string;
  client_id: string;
  user_id: string;
  granted_at: string;
  expires_at: string;
  reason: string;
  access_log_seq: number;
}

export interface JournalEntriesTable {
  id: string;
  client_id: string;
  author_id: string;
  kind: EntryKind;
  status: 'draft' | 'signed';
  body: string;
  created_at: string;
  updated_at: string;
  signed_at: string | null;
  amends_id: string | null;
  amendment_reason: string | null;
}

export interface AccessReviewsTable {
  access_log_seq: number;
  reviewed_at: string;
  reviewed_by: string;
  note: string | null;
}

// 005_contact_network

export interface ContactPersonsTable {
  id: string;
  name: string;
  agency_kind: AgencyKind;
  agency: string;
  unit: string | null;
  municipality_code: string | null;
  role: string | null;
  email: string | null;
  phone: string | null;
  /** Local calendar dates, 'YYYY-MM-DD'; the assignment ends on its end date, inclusive. */
  assignment_start: string;
  assignment_end: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface NetworkDaysTable {
  id: string;
  held_on: string;
  title: string;
  site_id: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface NetworkDayAttendanceTable {
  network_day_id: string;
  contact_id: string;
  recorded_at: string;
  recorded_by: string;
}

// 007_stats_quarters.sql

export interface StatsQuartersTable {
  year: number;
  quarter: number;
  /** JSON of the published (protected) figures, fixed the first time the quarter was produced. */
  report: string;
  fixed_at: string;
}

// db/migrate.ts

export interface SchemaMigrationsTable {
  id: number;
  name: string;
  applied_at: string;
}

export interface Database {
  users: UsersTable;
  user_roles: UserRolesTable;
  settings: SettingsTable;
  clients: ClientsTable;
  access_log: AccessLogTable;
  sites: SitesTable;
  entrances: EntrancesTable;
  waiting_rooms: WaitingRoomsTable;
  rooms: RoomsTable;
  track_routes: TrackRoutesTable;
  municipalities: MunicipalitiesTable;
  therapist_profiles: TherapistProfilesTable;
  therapist_tracks: TherapistTracksTable;
  therapist_hours: TherapistHoursTable;
  client_contacts: ClientContactsTable;
  client_links: ClientLinksTable;
  intakes: IntakesTable;
  waiting_list: WaitingListTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  group_attendance: GroupAttendanceTable;
  etapp2_follow_ups: Etapp2FollowUpsTable;
  appointments: AppointmentsTable;
  care_relations: CareRelationsTable;
  emergency_grants: EmergencyGrantsTable;
  journal_entries: JournalEntriesTable;
  access_reviews: AccessReviewsTable;
  contact_persons: ContactPersonsTable;
  network_days: NetworkDaysTable;
  network_day_attendance: NetworkDayAttendanceTable;
  stats_quarters: StatsQuartersTable;
  schema_migrations: SchemaMigrationsTable;
}
