import { statisticsCsv, statisticsReport } from '../services/statistics.js';
import { type DomainHandlers } from './context.js';

/** Statistics per ended quarter for the whole centre. */
export function statsHandlers(): DomainHandlers<'stats.report' | 'stats.exportCsv'> {
  return {
    'stats.report': async (input, ctx) => {
      const report = await statisticsReport(ctx.tx, input, ctx.app.now());
      // Aggregates name no client; the row records that statistics were read, and for which quarter.
      await ctx.audit({ clientId: null, record: `stats:${input.year}-Q${input.quarter}` });
      return report;
    },
    'stats.exportCsv': async (input, ctx) => {
      const csv = statisticsCsv(await statisticsReport(ctx.tx, input, ctx.app.now()));
      await ctx.audit({ clientId: null, record: `stats-export:${input.year}-Q${input.quarter}` });
      return { csv };
    },
  };
}
