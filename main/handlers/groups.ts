import { addMember, createGroup, listGroups, removeMember } from '../services/groups.js';
import { type DomainHandlers, signedIn, auditShown } from './context.js';

/** Group treatment: groups, members and their sessions. */
export function groupsHandlers(): DomainHandlers<'groups.list' | 'groups.create' | 'groups.addMember' | 'groups.removeMember'> {
  return {
    'groups.list': async (input, ctx) => {
      const user = signedIn(ctx);
      const groups = (await listGroups(ctx.tx, input.side, input.siteId, ctx.app.now())).filter(
        (group) => user.roles.includes('receptionist') || group.therapistId === user.id,
      );
      await auditShown(
        ctx,
        groups.flatMap((group) => [...group.members.map((member) => member.clientId), ...group.upcomingSessions.map((session) => session.clientId)]),
        `groups:${input.side}`,
      );
      return groups;
    },
    'groups.create': async (input, ctx) => {
      const group = await createGroup(ctx.tx, input, signedIn(ctx).id, ctx.app.now());
      await ctx.audit({ clientId: null, record: `group:${group.id}` });
      return group;
    },
    'groups.addMember': async (input, ctx) => {
      const group = await addMember(ctx.tx, input.side, input.groupId, input.clientId, ctx.app.now());
      await ctx.audit({ clientId: input.clientId, record: `group:${group.id}` });
      return group;
    },
    'groups.removeMember': async (input, ctx) => {
      const group = await removeMember(ctx.tx, input.side, input.groupId, input.clientId, ctx.app.now());
      await ctx.audit({ clientId: input.clientId, record: `group:${group.id}` });
      return group;
    },
  };
}
