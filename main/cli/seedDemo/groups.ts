import { type AppointmentView, type Track, sideOfTrack } from '../../../preload/contract/index.js';
import { addLocalDays } from '../../services/time.js';
import * as words from '../demoNames.js';
import { DAY, MINUTE, isWorkingDay, localOf } from './calendar.js';
import type { SeedBase } from './context.js';
import type { JournalWork } from './journal.js';
import type { SimClient, SimGroup, Therapist } from './model.js';
import { GROUP_PLAN } from './plan.js';
import type { ScheduleWork } from './schedule.js';

/** Groups: started at each site and track, joined, or waited for. */
export function groupWork(sim: SeedBase & JournalWork & ScheduleWork) {
  // ---- Groups ------------------------------------------------------------------------------------

  const joinGroup = async (client: SimClient, group: SimGroup): Promise<boolean> => {
    const result = await sim.call('groups.addMember', { side: client.side, groupId: group.id, clientId: client.id });
    if (!result.ok) {
      if (!sim.isRefusal(result.error)) throw sim.explain('groups.addMember', result.error);
      sim.countRefusal(result.error);
      return false;
    }
    group.members.add(client);
    client.inGroup = true;
    client.everInGroup = true;
    // The group's leader writes in the members' journals while they take part.
    const leader = sim.therapistById.get(group.therapistId)!;
    await sim.ensureCare(client, leader);
    // Most stay to the end; some leave half-way.
    const leaveAt = sim.rng.chance(0.12)
      ? group.sessions[sim.rng.int(1, Math.max(1, group.sessions.length - 2))]!.end + DAY
      : group.lastSessionEnd + DAY;
    sim.at(leaveAt, async () => {
      if (!group.members.has(client)) return;
      await sim.ok('groups.removeMember', { side: client.side, groupId: group.id, clientId: client.id });
      group.members.delete(client);
      client.inGroup = false;
      // A few continue with individual follow-up sessions after the group.
      if (sim.rng.chance(0.2)) {
        if (leader !== client.therapist) await sim.endCare(client, leader);
        client.sessionsLeft = sim.rng.int(2, 5);
        await sim.nextSession(client);
      } else sim.finish(client);
    });
    return true;
  };

  /** Joins a group that has not started (or only just has), or waits for the next one. */
  const joinGroupOrQueue = async (client: SimClient): Promise<boolean> => {
    const open = sim.groups.find(
      (group) =>
        group.siteId === client.siteId &&
        group.track === client.track &&
        group.members.size < group.capacity &&
        group.firstSession > sim.clock - 10 * DAY &&
        group.lastSessionEnd > sim.clock + 21 * DAY,
    );
    if (open) return joinGroup(client, open);
    const key = sim.queueKey(client.siteId, client.track);
    const queue = sim.groupQueue.get(key) ?? [];
    queue.push({ client, since: sim.clock });
    sim.groupQueue.set(key, queue);
    return true;
  };

  const startGroup = async (siteId: string, track: Track, firstDate: string) => {
    const key = sim.queueKey(siteId, track);
    const queue = sim.groupQueue.get(key) ?? [];
    // Anyone who has waited more than four months gets individual sessions instead.
    for (const waiting of queue.filter((entry) => sim.clock - entry.since > 120 * DAY)) {
      queue.splice(queue.indexOf(waiting), 1);
      if (!waiting.client.finished) await sim.nextSession(waiting.client);
    }
    const ready = queue.filter((entry) => !entry.client.finished);
    sim.groupQueue.set(key, ready);
    if (ready.length < 3) return;
    const plan = GROUP_PLAN[track];
    const leaders = sim.therapistsFor(siteId, track).filter((t) => t.hours.has(plan.weekday));
    const sessions = track === 'perpetrator' && Number(firstDate.slice(5, 7)) >= 8 ? plan.sessions - 2 : plan.sessions;
    let created: { id: string; upcomingSessions: AppointmentView[] } | null = null;
    let leader: Therapist | null = null;
    const name = `${words.GROUP_NAMES[track]} ${firstDate.slice(0, 4)} ${Number(firstDate.slice(5, 7)) >= 8 ? 'HT' : 'VT'}`;
    // Try the usual weekday, then the week after, with each possible leader.
    for (const offset of [0, 7, 1, 8]) {
      for (const candidate of leaders) {
        const result = await sim.call<{ id: string; upcomingSessions: AppointmentView[] }>('groups.create', {
          side: sideOfTrack(track),
          siteId,
          track,
          name,
          therapistId: candidate.id,
          roomId: sim.roomsOf.get(siteId)!.group,
          firstDate: addLocalDays(firstDate, offset),
          start: plan.start,
          durationMinutes: plan.minutes,
          sessions,
        });
        if (result.ok) {
          created = result.value;
          leader = candidate;
          break;
        }
        if (!sim.isRefusal(result.error)) throw sim.explain('groups.create', result.error);
        sim.countRefusal(result.error);
      }
      if (created) break;
    }
    if (!created || !leader) return;
    const group: SimGroup = {
      id: created.id,
      name,
      siteId,
      track,
      therapistId: leader.id,
      capacity: plan.capacity,
      firstSession: Date.parse(created.upcomingSessions[0]!.startsAt),
      lastSessionEnd: Date.parse(created.upcomingSessions[created.upcomingSessions.length - 1]!.endsAt),
      members: new Set(),
      sessions: [],
    };
    sim.groups.push(group);
    for (const view of created.upcomingSessions) {
      const session = sim.remember(view, null, group);
      group.sessions.push(session);
      // No group meets on a public holiday: those sessions are cancelled at once.
      if (!isWorkingDay(localOf(session.start).date)) {
        await sim.ok('appointments.cancel', { side: session.side, appointmentId: session.id, reason: 'Helgdag' });
        session.status = 'cancelled';
      } else sim.lifecycle(session);
    }
    const taken = ready.slice(0, plan.capacity);
    sim.groupQueue.set(key, ready.slice(plan.capacity));
    for (const entry of taken) {
      sim.clock = Math.min(sim.until, sim.clock + sim.rng.int(1, 5) * MINUTE);
      if (!(await joinGroup(entry.client, group))) await sim.nextSession(entry.client);
    }
  };

  return { joinGroup, joinGroupOrQueue, startGroup };
}

export type GroupWork = ReturnType<typeof groupWork>;
