/** The access log and the retention report. */
import { z } from 'zod';
import { Empty, Id, LocalDate, Track, channel } from './common.js';

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

export const auditChannels = {
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
} as const;
