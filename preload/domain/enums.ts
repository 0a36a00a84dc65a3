/**
 * The domain's closed sets of values, once: the contract builds its zod enums from these arrays and
 * db/, main/ and the renderer take their types from them. Pure on purpose (no zod, no Node): it
 * compiles in both TypeScript projects and db/ may import it.
 */

export const ROLES = ['receptionist', 'therapist', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const LANGUAGES = ['sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const TRACKS = ['victim', 'perpetrator', 'child'] as const;
export type Track = (typeof TRACKS)[number];

/** The two sides of the house: victims and children, and perpetrators. A view shows one side only. */
export const SIDES = ['victims', 'perpetrators'] as const;
export type Side = (typeof SIDES)[number];
export const sideOfTrack = (track: Track): Side => (track === 'perpetrator' ? 'perpetrators' : 'victims');

export const CONTACT_BY = ['self', 'agency', 'outreach'] as const;
export type ContactBy = (typeof CONTACT_BY)[number];
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
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];
export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];
export const URGENCIES = ['acute', 'high', 'normal'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const OUTCOMES = ['booked', 'waiting_list', 'referred', 'no_further_contact'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const LINK_KINDS = ['partner', 'former_partner', 'parent_child', 'other'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];
export const ROUTINGS = ['etapp2_social_secretary', 'utvag_coordinator', 'not_applicable'] as const;
export type RoutingDecision = (typeof ROUTINGS)[number];

export const APPOINTMENT_KINDS = ['first_call', 'first_visit', 'individual', 'group', 'consultation'] as const;
export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];
export const APPOINTMENT_STATUSES = ['booked', 'arrived', 'in_session', 'done', 'no_show', 'cancelled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const ENTRY_KINDS = ['note', 'assessment', 'treatment_plan', 'closing_summary'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const AGENCY_KINDS = ['social_services', 'primary_care', 'hospital', 'police', 'prosecution', 'probation', 'voluntary', 'other'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];
