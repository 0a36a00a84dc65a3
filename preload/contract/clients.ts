/** Reception's clients: first calls (intake), records, links between people, care relations. */
import { z } from 'zod';
import {
  CONTACT_BY,
  GENDERS,
  Id,
  LINK_KINDS,
  OUTCOMES,
  PersonalNumber,
  REFERRAL_SOURCES,
  ROUTINGS,
  SafeContact,
  ShortText,
  Side,
  Track,
  URGENCIES,
  channel,
  sideOfTrack,
} from './common.js';
import { AppointmentView, BookingRequest, BookingWarning } from './schedule.js';

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
      /** The first call's short reason. */
      reason: z.string().nullable(),
      /** As it stands: a call put on the waiting list and later booked from it says booked. */
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

/** The record's own facts, as reception corrects them; contact details and protection have their own save. */
export const ClientRecordInput = z
  .object({
    side: Side,
    clientId: Id,
    anonymous: z.boolean(),
    name: z.string().trim().min(1, { message: 'error.name.required' }).max(80),
    personalNumber: PersonalNumber,
    municipalityCode: z.string().min(1, { message: 'error.municipality.required' }).max(10),
    childrenUnder18: z.number({ message: 'error.children.number' }).int({ message: 'error.children.number' }).min(0).max(30),
    language: z.string().trim().max(40),
    interpreterNeeded: z.boolean(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.anonymous && value.personalNumber)
      ctx.addIssue({ code: 'custom', path: ['personalNumber'], message: 'error.personalNumber.anonymous' });
  });
export type ClientRecordInput = z.infer<typeof ClientRecordInput>;

export const clientChannels = {
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
    oneSide: true,
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
   * Corrects the record's facts. An identity number already held by another client of this side is
   * refused (this side could find that client anyway); one held on the other side is never told, as at intake.
   */
  'clients.update': channel({
    input: ClientRecordInput,
    output: ClientDetail,
    access: ['receptionist'],
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
} as const;
