import { accessLogCsv, accessLogPage, clientAccessExtract, retentionReport, reviewEmergencyAccess, verifyAccessLog } from '../services/journal.js';
import { type DomainHandlers, signedIn, auditShown, toLogFilter } from './context.js';

/** The access log: search, review, extracts, the chain, and retention. */
export function auditHandlers(): DomainHandlers<
  'audit.search' | 'audit.markReviewed' | 'audit.exportCsv' | 'audit.clientExtract' | 'audit.verify' | 'retention.report'
> {
  return {
    'audit.search': async (input, ctx) => {
      const page = await accessLogPage(ctx.tx, toLogFilter(input.filter), input.page);
      await ctx.audit({ clientId: input.filter.clientId, record: `audit-search:results=${page.total}` });
      return page;
    },
    'audit.markReviewed': async (input, ctx) => {
      const row = await reviewEmergencyAccess(ctx.tx, input.seq, signedIn(ctx).id, input.note || null, ctx.app.now());
      await ctx.audit({ clientId: row.clientId, record: `review:${input.seq}` });
      return row;
    },
    'audit.exportCsv': async (input, ctx) => {
      const exported = await accessLogCsv(ctx.tx, toLogFilter(input.filter));
      await ctx.audit({ clientId: input.filter.clientId, record: `audit-export:rows=${exported.rows}` });
      return exported;
    },
    'audit.clientExtract': async (input, ctx) => {
      const extract = await clientAccessExtract(ctx.tx, input.clientId);
      await ctx.audit({ clientId: input.clientId, record: 'audit-extract' });
      return extract;
    },
    // The chain in the journal, and its newest row against the head kept in the keyring (rows cut off its end, an older copy put back).
    // The one channel whose statements grow with the data: the walk reads the log in pages (verifyLogChain).
    'audit.verify': async (_input, { app, tx }) => {
      const chain = await verifyAccessLog(tx);
      const head = app.logHeadState();
      return { ...chain, ok: chain.ok && head.problem === null, headProblem: head.problem };
    },
    'retention.report': async (input, ctx) => {
      const report = await retentionReport(ctx.tx, input.years, ctx.app.now());
      await auditShown(
        ctx,
        report.map((row) => row.clientId),
        `retention:${input.years}y`,
      );
      return report;
    },
  };
}
