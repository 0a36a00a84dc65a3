/** Appointments, free slots, the waiting list and groups. */
import { z } from 'zod';
import {
  AppointmentKind,
  AppointmentStatus,
  DurationMinutes,
  Id,
  LocalDate,
  LocalTimeOfDay,
  ShortText,
  Side,
  Track,
  URGENCIES,
  channel,
} from './common.js';

export const BookingRequest = z.object({
  kind: AppointmentKind,
  siteId: Id,
  therapistId: Id,
  roomId: Id.nullable(),
  date: LocalDate,
  start: LocalTimeOfDay,
  durationMinutes: DurationMinutes,
});
export type BookingRequest = z.infer<typeof BookingRequest>;

export const BookingWarning = z.object({
  code: z.enum(['other_side_close', 'waiting_room_full', 'outside_working_hours']),
  /** Minutes to the nearest appointment of the other side, for other_side_close: told to the victims' side only. */
  minutes: z.number().int().optional(),
});
export type BookingWarning = z.infer<typeof BookingWarning>;

export const AppointmentView = z.object({
  id: z.string(),
  side: Side,
  siteId: z.string(),
  kind: AppointmentKind,
  status: AppointmentStatus,
  startsAt: z.string(),
  endsAt: z.string(),
  localDate: z.string(),
  localStart: z.string(),
  localEnd: z.string(),
  therapistId: z.string(),
  roomId: z.string().nullable(),
  clientId: z.string().nullable(),
  clientName: z.string().nullable(),
  clientTrack: Track.nullable(),
  groupId: z.string().nullable(),
  groupName: z.string().nullable(),
  note: z.string().nullable(),
  cancelReason: z.string().nullable(),
});
export type AppointmentView = z.infer<typeof AppointmentView>;

export const SlotProposal = z.object({
  date: z.string(),
  start: z.string(),
  end: z.string(),
  therapistId: z.string(),
  roomId: z.string().nullable(),
});
export type SlotProposal = z.infer<typeof SlotProposal>;

export const WaitingListEntry = z.object({
  clientId: z.string(),
  name: z.string(),
  track: Track,
  urgency: z.enum(URGENCIES),
  /** The first call's short reason. */
  reason: z.string().nullable(),
  /** A protected client's safe times and instructions are never in a list: both null, and the list says so. */
  protectedIdentity: z.boolean(),
  safeTimes: z.string().nullable(),
  instructions: z.string().nullable(),
  firstContactAt: z.string(),
  addedAt: z.string(),
  daysSinceFirstContact: z.number().int(),
});

export const GroupView = z.object({
  id: z.string(),
  siteId: z.string(),
  track: Track,
  name: z.string(),
  therapistId: z.string(),
  roomId: z.string().nullable(),
  /** When the group ended: it takes no further sessions. */
  endedAt: z.string().nullable(),
  members: z.array(z.object({ clientId: z.string(), name: z.string() })),
  upcomingSessions: z.array(AppointmentView),
});
export type GroupView = z.infer<typeof GroupView>;

export const ATTENDANCE_STATUSES = ['present', 'absent', 'cancelled'] as const;
export const AttendanceStatus = z.enum(ATTENDANCE_STATUSES);
export type AttendanceStatus = z.infer<typeof AttendanceStatus>;

/** One session of a group with the attendance of each member whose membership covers its start (null: not yet recorded). */
export const GroupSession = z.object({
  session: AppointmentView,
  attendance: z.array(z.object({ clientId: z.string(), name: z.string(), status: AttendanceStatus.nullable() })),
});
export type GroupSession = z.infer<typeof GroupSession>;

export const scheduleChannels = {
  'schedule.range': channel({
    input: z
      .object({ side: Side, siteId: Id, from: LocalDate, days: z.number().int().min(1).max(14), therapistId: Id.nullable(), roomId: Id.nullable() })
      .strict(),
    output: z.array(AppointmentView),
    access: ['receptionist', 'therapist'],
    clientData: 'read',
    oneSide: true,
  }),
  'schedule.today': channel({
    input: z.object({ side: Side, siteId: Id, date: LocalDate }).strict(),
    output: z.array(
      z.object({ waitingRoomId: z.string(), name: z.string(), capacity: z.number(), tracks: z.array(Track), appointments: z.array(AppointmentView) }),
    ),
    access: ['receptionist'],
    clientData: 'read',
    oneSide: true,
  }),
  'appointments.book': channel({
    input: BookingRequest.extend({ side: Side, clientId: Id.nullable(), groupId: Id.nullable(), note: ShortText }).strict(),
    output: z.object({ appointment: AppointmentView, warnings: z.array(BookingWarning) }),
    access: ['receptionist'],
    clientData: 'write',
  }),
  'appointments.move': channel({
    input: z
      .object({
        side: Side,
        appointmentId: Id,
        date: LocalDate,
        start: LocalTimeOfDay,
        durationMinutes: DurationMinutes,
        therapistId: Id,
        roomId: Id.nullable(),
      })
      .strict(),
    output: z.object({ appointment: AppointmentView, warnings: z.array(BookingWarning) }),
    access: ['receptionist'],
    clientData: 'write',
  }),
  'appointments.cancel': channel({
    input: z.object({ side: Side, appointmentId: Id, reason: z.string().trim().min(2).max(200) }).strict(),
    output: AppointmentView,
    access: ['receptionist'],
    clientData: 'write',
  }),
  'appointments.setStatus': channel({
    input: z.object({ side: Side, appointmentId: Id, status: z.enum(['booked', 'arrived', 'in_session', 'done', 'no_show']) }).strict(),
    output: AppointmentView,
    access: ['receptionist', 'therapist'],
    clientData: 'write',
  }),
  'slots.find': channel({
    input: z
      .object({
        side: Side,
        siteId: Id,
        clientId: Id.nullable(),
        groupId: Id.nullable(),
        /** For a first call not yet saved: the new client's track and the people they are linked to. */
        newClient: z
          .object({ track: Track, linkedClientIds: z.array(Id).max(10) })
          .nullable()
          .default(null),
        therapistId: Id.nullable(),
        kind: AppointmentKind,
        durationMinutes: DurationMinutes,
        needsRoom: z.boolean(),
        fromDate: LocalDate,
        days: z.number().int().min(1).max(28),
      })
      .strict(),
    output: z.array(SlotProposal),
    access: ['receptionist'],
    clientData: 'read',
  }),
  'waitingList.list': channel({
    input: z.object({ side: Side }).strict(),
    output: z.array(WaitingListEntry),
    access: ['receptionist'],
    clientData: 'read',
    oneSide: true,
  }),
  'groups.list': channel({
    input: z.object({ side: Side, siteId: Id }).strict(),
    output: z.array(GroupView),
    access: ['receptionist', 'therapist'],
    clientData: 'read',
    oneSide: true,
  }),
  'groups.create': channel({
    input: z
      .object({
        side: Side,
        siteId: Id,
        track: Track,
        name: z.string().trim().min(2).max(80),
        therapistId: Id,
        roomId: Id,
        firstDate: LocalDate,
        start: LocalTimeOfDay,
        durationMinutes: DurationMinutes,
        sessions: z.number().int().min(1).max(52),
        /** Weekly dates passed over (holidays the receptionist chose to skip); the series goes on until it has its sessions. */
        skipDates: z.array(LocalDate).max(52).default([]),
      })
      .strict(),
    output: GroupView,
    access: ['receptionist'],
    clientData: 'write',
  }),
  'groups.addMember': channel({
    input: z.object({ side: Side, groupId: Id, clientId: Id }).strict(),
    output: GroupView,
    access: ['receptionist'],
    clientData: 'write',
  }),
  'groups.removeMember': channel({
    input: z.object({ side: Side, groupId: Id, clientId: Id }).strict(),
    output: GroupView,
    access: ['receptionist'],
    clientData: 'write',
  }),
  /** Every session of a group, past, coming and cancelled, with attendance per member. Single sessions are added, moved and cancelled through appointments.*. */
  'groups.sessions': channel({
    input: z.object({ side: Side, groupId: Id }).strict(),
    output: z.array(GroupSession),
    access: ['receptionist', 'therapist'],
    clientData: 'read',
  }),
  'groups.end': channel({
    input: z.object({ side: Side, groupId: Id, reason: z.string().trim().min(2).max(200) }).strict(),
    output: GroupView,
    access: ['receptionist'],
    clientData: 'write',
  }),
  'groups.setAttendance': channel({
    input: z
      .object({
        side: Side,
        appointmentId: Id,
        attendance: z
          .array(z.object({ clientId: Id, status: AttendanceStatus }).strict())
          .min(1)
          .max(60),
      })
      .strict(),
    output: GroupSession,
    access: ['receptionist', 'therapist'],
    clientData: 'write',
  }),
} as const;
