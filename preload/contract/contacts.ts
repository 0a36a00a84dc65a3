/** The contact-person network in the collaborating agencies. */
import { z } from 'zod';
import { AGENCY_KINDS } from '../domain/index.js';
import { Empty, Id, LocalDate, Phone, channel } from './common.js';

export { AGENCY_KINDS } from '../domain/index.js';

// Utväg's contact persons in the collaborating agencies. Professionals, never clients: these
// channels hold no client data.

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

export const contactChannels = {
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
} as const;
