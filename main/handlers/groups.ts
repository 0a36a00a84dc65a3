import { addMember, createGroup, endGroup, groupForCaller, groupSessions, listGroups, removeMember, setAttendance } from '../services/groups.js';
import { type DomainHandlers, signedIn, auditShown } from './context.js';

/** Group treatment: groups, members, their sessions and attendance. */
export function groupsHandlers(): DomainHandlers<
  'groups.list' | 'groups.create' | 'groups.addMember' | 'groups.removeMember' | 'groups.sessions' | 'groups.end' | 'groups.setAttendance'
> {
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
    'groups.sessions': async (input, ctx) => {
      const user = signedIn(ctx);
      // A therapist sees the attendance of the groups she leads only, as groups.list shows her.
      const group = await groupForCaller(ctx.tx, input.side, input.groupId, ctx.app.now(), user.roles.includes('receptionist') ? null : user.id);
      const sessions = await groupSessions(ctx.tx, group);
      await auditShown(
        ctx,
        sessions.flatMap((session) => session.attendance.map((member) => member.clientId)),
        `group-sessions:${group.id}`,
      );
      return sessions;
    },
    'groups.end': async (input, ctx) => {
      const group = await endGroup(ctx.tx, input.side, input.groupId, input.reason, ctx.app.now());
      // Every member's coming sessions were cancelled: a write to each of them.
      await ctx.auditAll(
        group.members.length > 0
          ? group.members.map((member) => ({ clientId: member.clientId, record: `group-end:${group.id}` }))
          : [{ clientId: null, record: `group-end:${group.id}` }],
      );
      return group;
    },
    'groups.setAttendance': async (input, ctx) => {
      const user = signedIn(ctx);
      const session = await setAttendance(
        ctx.tx,
        input.side,
        input.appointmentId,
        input.attendance,
        user.id,
        ctx.app.now(),
        user.roles.includes('receptionist') ? null : user.id,
      );
      await ctx.auditAll(input.attendance.map((entry) => ({ clientId: entry.clientId, record: `attendance:${session.session.id}` })));
      return session;
    },
  };
}
