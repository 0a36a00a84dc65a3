/** The journal: therapists only; a receptionist never receives journal text from any channel. */
import { z } from 'zod';
import { ENTRY_KINDS } from '../domain/index.js';
import { Empty, Id, SafeContact, Side, Track, channel } from './common.js';
import { Password } from './auth.js';
import { CareRelationView } from './clients.js';

export { ENTRY_KINDS } from '../domain/index.js';

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

export const journalChannels = {
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
} as const;
