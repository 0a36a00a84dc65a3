import { etapp2Overview, setFollowUp } from '../services/etapp2.js';
import { type DomainHandlers, signedIn, auditShown } from './context.js';

/** Etapp 2 follow-up: the coordinator's list of routed intakes and their status. */
export function etapp2Handlers(): DomainHandlers<'etapp2.followUps' | 'etapp2.setFollowUp'> {
  return {
    'etapp2.followUps': async (input, ctx) => {
      const overview = await etapp2Overview(ctx.tx, input.side, input.track, input.from);
      await auditShown(
        ctx,
        overview.intakes.map((intake) => intake.clientId),
        // The track in words that the log's reader can read ("women", "children").
        `etapp2:${input.side}:${input.track === 'child' ? 'children' : 'women'}:${input.from}`,
      );
      return overview;
    },
    'etapp2.setFollowUp': async (input, ctx) => {
      const intake = await setFollowUp(ctx.tx, input.side, input.intakeId, input.status, signedIn(ctx).id, ctx.app.now());
      await ctx.audit({ clientId: intake.clientId, record: `etapp2:${intake.intakeId}` });
      return intake;
    },
  };
}
