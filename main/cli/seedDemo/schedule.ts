import type { AppointmentView, Side } from '../../../preload/contract/index.js';
import { addLocalDays, minutesOfDay, weekdayOf } from '../../services/time.js';
import * as words from '../demoNames.js';
import { DAY, HOUR, MINUTE, instant, isWorkingDay, localOf } from './calendar.js';
import type { SeedBase } from './context.js';
import type { JournalWork } from './journal.js';
import type { Attempt, Fate, Path, SimAppointment, SimClient, SimGroup, SlotTry, Therapist } from './model.js';
import { CHILD_STARTS, DAY_STARTS, DURATIONS, PATHS } from './plan.js';

/** Booking with retries, and an appointment's life: moved, cancelled, checked in, seen or missed. */
export function scheduleWork(sim: SeedBase & JournalWork, groupsLater: GroupsLater) {
  // ---- Booking with retries ---------------------------------------------------------------------

  /**
   * Tries times the way a receptionist does: the preferred day and time first, then other times that
   * day, then the days around it, each room in turn when only the room is taken. Stops at the first
   * booking the router accepts; refusals are counted.
   */
  const tryTimes = async (
    therapist: Therapist,
    fromDate: string,
    dayOffsets: number[],
    starts: string[],
    minutes: number,
    needsRoom: boolean,
    attempt: Attempt,
    maxAttempts = 14,
  ): Promise<AppointmentView | null> => {
    const rooms = needsRoom ? sim.roomsOf.get(therapist.siteId)!.talk : [null];
    const firstRoom = sim.rng.int(0, rooms.length - 1);
    let attempts = 0;
    for (const offset of dayOffsets) {
      const date = addLocalDays(fromDate, offset);
      if (!isWorkingDay(date)) continue;
      const hours = therapist.hours.get(weekdayOf(date));
      if (!hours) continue;
      for (const start of starts) {
        const minute = minutesOfDay(start);
        if (minute < hours.start || minute + minutes > hours.end) continue;
        if (instant(date, start) < sim.clock + 30 * MINUTE) continue;
        for (let r = 0; r < rooms.length; r += 1) {
          if (attempts >= maxAttempts) return null;
          attempts += 1;
          const result = await attempt({ date, start, roomId: rooms[(firstRoom + r) % rooms.length] ?? null });
          if (result.ok) return result.value.appointment;
          if (!sim.isRefusal(result.error)) throw sim.explain('booking', result.error);
          sim.countRefusal(result.error);
          // Only a busy room is solved by another room; any other refusal needs another time.
          const fields = Object.keys(result.error.fields ?? {});
          if (!fields.some((field) => field.endsWith('roomId'))) break;
        }
      }
    }
    return null;
  };

  const bookingInput = (
    client: SimClient | null,
    side: Side,
    kind: SimAppointment['kind'],
    therapist: Therapist,
    minutes: number,
    slot: SlotTry,
    note = '',
  ) => ({
    side,
    clientId: client?.id ?? null,
    groupId: null,
    kind,
    siteId: therapist.siteId,
    therapistId: therapist.id,
    roomId: slot.roomId,
    date: slot.date,
    start: slot.start,
    durationMinutes: minutes,
    note,
  });

  const remember = (view: AppointmentView, client: SimClient | null, group: SimGroup | null): SimAppointment => {
    const appointment: SimAppointment = {
      id: view.id,
      client,
      group,
      side: view.side,
      siteId: view.siteId,
      kind: view.kind,
      therapistId: view.therapistId,
      roomId: view.roomId,
      start: Date.parse(view.startsAt),
      end: Date.parse(view.endsAt),
      status: 'booked',
      version: 0,
    };
    client?.appointments.push(appointment);
    return appointment;
  };

  const dayOffsetsAround = (target: number, spread: number) => {
    const offsets = [target];
    for (let d = 1; d <= spread; d += 1) offsets.push(target + d, target - d);
    return offsets.filter((offset) => offset >= 0);
  };

  /** Books a client's next appointment; falls back to the slot finder when the usual times are all refused. */
  const bookClient = async (
    client: SimClient,
    kind: 'first_call' | 'first_visit' | 'individual',
    afterDays: number,
    spread = 4,
  ): Promise<SimAppointment | null> => {
    const therapist = sim.assignTherapist(client);
    const minutes = kind === 'first_call' ? DURATIONS.first_call : DURATIONS[kind][client.track];
    const needsRoom = kind !== 'first_call';
    const usual = client.track === 'child' ? CHILD_STARTS : DAY_STARTS;
    const starts = client.preferredStart ? [client.preferredStart, ...usual.filter((s) => s !== client.preferredStart)] : [...usual];
    if (!client.preferredStart) starts.push(...starts.splice(0, sim.rng.int(0, starts.length - 1)));
    const today = localOf(sim.clock).date;
    const view = await tryTimes(therapist, today, dayOffsetsAround(afterDays, spread), starts, minutes, needsRoom, (slot) =>
      sim.call('appointments.book', bookingInput(client, client.side, kind, therapist, minutes, slot)),
    );
    if (view) {
      await sim.ensureCare(client, therapist);
      return lifecycle(remember(view, client, null));
    }
    // The slot finder proposes only times that satisfy every rule.
    const proposals = await sim.call<{ date: string; start: string; therapistId: string; roomId: string | null }[]>('slots.find', {
      side: client.side,
      siteId: client.siteId,
      clientId: client.id,
      groupId: null,
      therapistId: therapist.id,
      kind,
      durationMinutes: minutes,
      needsRoom,
      fromDate: addLocalDays(today, Math.max(1, afterDays - spread)),
      days: 21,
    });
    if (proposals.ok) {
      // The slot finder proposes no time on the centre's closed days; the demo books on weekdays only, too.
      for (const proposal of proposals.value.filter((p) => isWorkingDay(p.date)).slice(0, 3)) {
        const booked = await sim.call<{ appointment: AppointmentView }>(
          'appointments.book',
          bookingInput(client, client.side, kind, therapist, minutes, { date: proposal.date, start: proposal.start, roomId: proposal.roomId }),
        );
        if (booked.ok) {
          await sim.ensureCare(client, therapist);
          return lifecycle(remember(booked.value.appointment, client, null));
        }
        if (!sim.isRefusal(booked.error)) throw sim.explain('appointments.book', booked.error);
        sim.countRefusal(booked.error);
      }
    }
    sim.gaveUp += 1;
    return null;
  };

  // ---- An appointment's life: moved, cancelled, checked in, seen or missed ----------------------

  const FATES: Record<SimAppointment['kind'], readonly (readonly [Fate, number])[]> = {
    first_call: [
      ['done', 88],
      ['no_show', 7],
      ['cancel', 5],
    ],
    first_visit: [
      ['done', 82],
      ['no_show', 8],
      ['cancel', 7],
      ['move', 3],
    ],
    individual: [
      ['done', 80],
      ['no_show', 7],
      ['cancel', 9],
      ['move', 4],
    ],
    consultation: [
      ['done', 93],
      ['cancel', 5],
      ['move', 2],
    ],
    group: [
      ['done', 97],
      ['cancel', 3],
    ],
  };

  const setStatus = async (appointment: SimAppointment, status: 'arrived' | 'in_session' | 'done' | 'no_show') => {
    await sim.ok('appointments.setStatus', { side: appointment.side, appointmentId: appointment.id, status });
    appointment.status = status;
  };

  function lifecycle(appointment: SimAppointment, allowMove = true): SimAppointment {
    const version = appointment.version;
    const current = () => appointment.version === version && appointment.status !== 'cancelled';
    let fate = sim.rng.weighted(FATES[appointment.kind]);
    if (fate === 'move' && !allowMove) fate = 'done';
    if (fate === 'cancel' || fate === 'move') {
      const ahead = fate === 'cancel' ? sim.rng.int(3, 96) * HOUR : sim.rng.int(1, 6) * DAY;
      const when = Math.max(sim.clock + HOUR, appointment.start - ahead);
      if (when < appointment.start - 30 * MINUTE) {
        sim.at(when, async () => {
          if (!current()) return;
          if (fate === 'cancel') await cancelAndRebook(appointment, sim.rng.pick(words.CANCEL_REASONS));
          else await move(appointment);
        });
        return appointment;
      }
      fate = 'done';
    }
    if (fate === 'no_show') {
      sim.at(appointment.start + 20 * MINUTE, async () => {
        if (!current()) return;
        await setStatus(appointment, 'no_show');
        await afterAppointment(appointment, false);
      });
      return appointment;
    }
    // The therapist often reads up in the journal before a session.
    const client = appointment.client;
    const therapist = sim.therapistById.get(appointment.therapistId);
    if (client && therapist && appointment.kind === 'individual' && sim.rng.chance(0.4)) {
      sim.at(appointment.start - sim.rng.int(10, 60) * MINUTE, async () => {
        if (current() && client.careWith.has(therapist.id)) await sim.ok('journal.open', { clientId: client.id }, therapist.desk);
      });
    }
    // Visitors check in a few minutes early; a phone call has no waiting room and "arrives" as it connects.
    const arrival = appointment.kind === 'first_call' ? MINUTE : sim.rng.int(2, 15) * MINUTE;
    const lookUp = client !== null && appointment.kind !== 'first_call' && sim.rng.chance(0.5);
    sim.at(appointment.start - arrival, async () => {
      if (!current()) return;
      // At check-in the receptionist often opens the client's card (safe contact, waiting room).
      if (lookUp) await sim.ok('clients.get', { side: appointment.side, clientId: client.id });
      await setStatus(appointment, 'arrived');
    });
    sim.at(appointment.start + sim.rng.int(0, 4) * MINUTE, async () => {
      if (current() && appointment.status === 'arrived') await setStatus(appointment, 'in_session');
    });
    sim.at(appointment.end + sim.rng.int(0, 5) * MINUTE, async () => {
      if (!current() || appointment.status !== 'in_session') return;
      await setStatus(appointment, 'done');
      if (appointment.group) sim.documentGroupSession(appointment);
      await afterAppointment(appointment, true);
    });
    return appointment;
  }

  const cancelAndRebook = async (appointment: SimAppointment, reason: string) => {
    await sim.ok('appointments.cancel', { side: appointment.side, appointmentId: appointment.id, reason });
    appointment.status = 'cancelled';
    const client = appointment.client;
    if (!client || client.finished) return;
    if (appointment.kind === 'first_call' || appointment.kind === 'first_visit' || appointment.kind === 'individual') {
      const rebooked = await bookClient(client, appointment.kind, sim.rng.int(2, 8));
      if (!rebooked) sim.finish(client);
    }
  };

  /** Moves an appointment to a day or two later, sometimes extending it: the rules are checked again. */
  const move = async (appointment: SimAppointment) => {
    const therapist = sim.therapists.find((t) => t.id === appointment.therapistId)!;
    const minutes = (appointment.end - appointment.start) / MINUTE;
    const extended = appointment.kind === 'individual' && minutes === 60 && sim.rng.chance(0.3) ? 90 : minutes;
    const fromDate = localOf(appointment.start).date;
    const local = localOf(appointment.start);
    const starts = [local.time, ...DAY_STARTS.filter((start) => start !== local.time)];
    const view = await tryTimes(
      therapist,
      fromDate,
      [1, 2, 3, -1, 4],
      starts,
      extended,
      appointment.roomId !== null,
      (slot) =>
        sim.call('appointments.move', {
          side: appointment.side,
          appointmentId: appointment.id,
          date: slot.date,
          start: slot.start,
          durationMinutes: extended,
          therapistId: therapist.id,
          roomId: slot.roomId,
        }),
      8,
    );
    if (view) {
      appointment.start = Date.parse(view.startsAt);
      appointment.end = Date.parse(view.endsAt);
      appointment.roomId = view.roomId;
    }
    // Moved or not, the appointment now runs its course once more (and is not moved twice).
    appointment.version += 1;
    lifecycle(appointment, false);
  };

  /** What follows an appointment: the next step of the client's contact with the centre. */
  const afterAppointment = async (appointment: SimAppointment, attended: boolean) => {
    sim.documentVisit(appointment, attended);
    const client = appointment.client;
    if (appointment.kind === 'group' || appointment.kind === 'consultation' || !client || client.finished) return;
    // The receptionist books the next time a few minutes after the visit, at the desk or by phone.
    sim.clock = Math.min(sim.until, sim.clock + sim.rng.int(2, 20) * MINUTE);
    if (!attended) {
      client.missedInARow += 1;
      if (client.missedInARow >= 2 || sim.rng.chance(0.35)) return sim.finish(client);
      if (!(await bookClient(client, appointment.kind, sim.rng.int(2, 7)))) sim.finish(client);
      return;
    }
    client.missedInARow = 0;
    if (appointment.kind === 'first_call') {
      if (!(await bookClient(client, 'first_visit', sim.rng.int(3, 10)))) sim.finish(client);
      return;
    }
    if (appointment.kind === 'first_visit') {
      const plan = PATHS[client.track];
      const path: Path = sim.rng.weighted([
        ['close', plan.close],
        ['group', plan.group],
        ['individual', 1 - plan.close - plan.group],
      ]);
      if (path === 'close') return sim.finish(client);
      client.sessionsLeft = sim.rng.int(plan.sessions[0], plan.sessions[1]);
      client.intervalDays = sim.rng.pick(plan.intervals);
      client.preferredStart = localOf(appointment.start).time;
      sim.planTreatment(client, path);
      if (path === 'group' && (await groupsLater.joinGroupOrQueue(client))) return;
      await nextSession(client);
      return;
    }
    client.sessionsLeft -= 1;
    // Some stop on their own along the way.
    if (client.sessionsLeft <= 0 || sim.rng.chance(0.03)) return sim.finish(client);
    await nextSession(client);
  };

  const nextSession = async (client: SimClient) => {
    if (client.sessionsLeft <= 0) return sim.finish(client);
    if (!(await bookClient(client, 'individual', client.intervalDays, 3))) sim.finish(client);
  };

  return {
    tryTimes,
    bookingInput,
    remember,
    dayOffsetsAround,
    bookClient,
    FATES,
    setStatus,
    lifecycle,
    cancelAndRebook,
    move,
    afterAppointment,
    nextSession,
  };
}

export type ScheduleWork = ReturnType<typeof scheduleWork>;
/** Groups are made after the booking work that they use; the booking work reaches them through this. */
export interface GroupsLater {
  joinGroupOrQueue: (client: SimClient) => Promise<boolean>;
}
