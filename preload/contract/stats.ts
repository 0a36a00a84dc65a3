/** Quarterly statistics with small counts suppressed. */
import { z } from 'zod';
import { AppointmentKind, AppointmentStatus, ROUTINGS, Track, channel } from './common.js';

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

export const statsChannels = {
  'stats.report': channel({ input: StatsInput, output: StatsReport, access: ['admin'], clientData: 'read' }),
  'stats.exportCsv': channel({ input: StatsInput, output: z.object({ csv: z.string() }), access: ['admin'], clientData: 'read' }),
} as const;
