import { resolveLinkTargets } from '../services/clients.js';
import { waitingList } from '../services/intake.js';
import {
  appointmentOfSide,
  bookAppointment,
  cancelAppointment,
  findSlots,
  moveAppointment,
  scheduleRange,
  setAppointmentStatus,
  todayBoard,
} from '../services/scheduling.js';
import { DomainError } from '../services/errors.js';
import { type DomainHandlers, signedIn, auditShown } from './context.js';

/** Schedules, bookings, slot search and the waiting list. */
export function scheduleHandlers(): DomainHandlers<
  | 'schedule.range'
  | 'schedule.today'
  | 'appointments.book'
  | 'appointments.move'
  | 'appointments.cancel'
  | 'appointments.setStatus'
  | 'slots.find'
  | 'waitingList.list'
> {
  return {
    'schedule.range': async (input, ctx) => {
      // A therapist sees their own schedule; the reception desk sees everyone's.
      const user = signedIn(ctx);
      const therapistId = user.roles.includes('receptionist') ? input.therapistId : user.id;
      const appointments = await scheduleRange(ctx.tx, { ...input, therapistId });
      await auditShown(
        ctx,
        appointments.map((appointment) => appointment.clientId),
        `schedule:${input.side}:${input.from}+${input.days}`,
      );
      return appointments;
    },
    'schedule.today': async (input, ctx) => {
      const board = await todayBoard(ctx.tx, input.side, input.siteId, input.date);
      await auditShown(
        ctx,
        board.flatMap((room) => room.appointments.map((appointment) => appointment.clientId)),
        `today:${input.side}:${input.date}`,
      );
      return board;
    },
    'appointments.book': async (input, ctx) => {
      const result = await bookAppointment(ctx.tx, input, signedIn(ctx).id, ctx.app.now());
      await ctx.audit({ clientId: result.appointment.clientId, record: `appointment:${result.appointment.id}` });
      return result;
    },
    'appointments.move': async (input, ctx) => {
      const result = await moveAppointment(ctx.tx, input, ctx.app.now());
      await ctx.audit({ clientId: result.appointment.clientId, record: `appointment:${result.appointment.id}` });
      return result;
    },
    'appointments.cancel': async (input, ctx) => {
      const appointment = await cancelAppointment(ctx.tx, input.side, input.appointmentId, input.reason, ctx.app.now());
      await ctx.audit({ clientId: appointment.clientId, record: `appointment:${appointment.id}` });
      return appointment;
    },
    'appointments.setStatus': async (input, ctx) => {
      const user = signedIn(ctx);
      if (!user.roles.includes('receptionist') && (await appointmentOfSide(ctx.tx, input.side, input.appointmentId)).therapistId !== user.id) {
        throw new DomainError('NOT_FOUND', 'error.appointment.notFound');
      }
      const appointment = await setAppointmentStatus(ctx.tx, input.side, input.appointmentId, input.status, ctx.app.now());
      await ctx.audit({ clientId: appointment.clientId, record: `appointment:${appointment.id}` });
      return appointment;
    },
    'slots.find': async (input, ctx) => {
      const linkedShaping = new Set<string>();
      // Whom a new client names is resolved by the clients' service (the other side's people by the lookup's handle).
      // Resolved up front, all in one statement, only when a new client names people (findSlots reads them only then).
      const refs = !input.clientId && !input.groupId ? (input.newClient?.linkedClientIds ?? []) : [];
      const targets = refs.length > 0 ? await resolveLinkTargets(ctx.tx, ctx.app.scope, refs) : [];
      const resolved = new Map(refs.map((ref, index) => [ref, targets[index]?.id ?? null]));
      const slots = await findSlots(ctx.tx, input, ctx.app.now(), linkedShaping, (ref) => resolved.get(ref) ?? null);
      await ctx.auditAll([
        { clientId: input.clientId, record: 'slots' },
        // Linked people whose appointments kept times out of the answer: their data shaped it.
        ...[...linkedShaping].map((clientId) => ({ clientId, record: 'slots:linked' })),
      ]);
      return slots;
    },
    'waitingList.list': async (input, ctx) => {
      const entries = await waitingList(ctx.tx, input.side, ctx.app.now());
      await auditShown(
        ctx,
        entries.map((entry) => entry.clientId),
        `waiting-list:${input.side}`,
      );
      return entries;
    },
  };
}
