import { describe, expect, it } from 'vitest';
import {
  judgeBooking,
  nearestEdgeMinutes,
  overlaps,
  withinSeparationBuffer,
  type BookedAppointment,
  type BookingFacts,
  type Candidate,
} from '../../main/services/bookingRules.js';

/** Minutes after a fixed Monday midnight (UTC; the rules work on instants and never look at zones). */
const MONDAY = Date.parse('2031-03-03T00:00:00.000Z');
const at = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return MONDAY + (h * 60 + m) * 60_000;
};

function booked(overrides: Partial<BookedAppointment> & { from: string; to: string }): BookedAppointment {
  const { from, to, ...rest } = overrides;
  return {
    id: `a-${from}-${to}-${rest.therapistId ?? 't-other'}`,
    siteId: 'site-1',
    side: 'victims',
    therapistId: 't-other',
    roomId: null,
    attendees: [],
    waitingRoomId: null,
    start: at(from),
    end: at(to),
    ...rest,
  };
}

function candidate(overrides: Partial<Candidate> & { from: string; to: string }): Candidate {
  const { from, to, ...rest } = overrides;
  const [fh, fm] = from.split(':').map(Number) as [number, number];
  const [th, tm] = to.split(':').map(Number) as [number, number];
  return {
    id: 'candidate',
    siteId: 'site-1',
    side: 'perpetrators',
    therapistId: 't-me',
    roomId: 'room-me',
    attendees: ['perpetrator'],
    waitingRoomId: null,
    start: at(from),
    end: at(to),
    weekday: 1,
    startMinute: fh * 60 + fm,
    endMinute: th * 60 + tm,
    ...rest,
  };
}

function facts(appointments: BookedAppointment[], overrides: Partial<BookingFacts> = {}): BookingFacts {
  return {
    appointments,
    linkedAcrossSides: new Set(['victim']),
    bufferMinutes: 120,
    waitingRoomCapacity: new Map(),
    workingHours: new Map([1, 2, 3, 4, 5].map((weekday) => [weekday, { startMinute: 7 * 60, endMinute: 20 * 60 }])),
    ...overrides,
  };
}

/** The linked victim's appointment 10:00–11:00 at the same site. */
const victimAt10 = booked({ from: '10:00', to: '11:00', attendees: ['victim'], therapistId: 't-victims', roomId: 'room-v' });

describe('the separation buffer', () => {
  it('allows a gap of exactly the buffer and refuses one minute less, on either side of the other appointment', () => {
    expect(withinSeparationBuffer({ start: at('10:00'), end: at('11:00') }, { start: at('13:00'), end: at('14:00') }, 120)).toBe(false);
    expect(withinSeparationBuffer({ start: at('10:00'), end: at('11:00') }, { start: at('12:59'), end: at('13:59') }, 120)).toBe(true);
    // The other appointment before: its end 08:00, our start 10:00.
    expect(withinSeparationBuffer({ start: at('10:00'), end: at('11:00') }, { start: at('07:00'), end: at('08:00') }, 120)).toBe(false);
    expect(withinSeparationBuffer({ start: at('10:00'), end: at('11:00') }, { start: at('07:01'), end: at('08:01') }, 120)).toBe(true);
  });

  it('judges the edges the same way: 13:00 after a 10–11 appointment is allowed, 12:59 refused, and so before it', () => {
    expect(judgeBooking(candidate({ from: '13:00', to: '14:00' }), facts([victimAt10])).refusal).toBeNull();
    expect(judgeBooking(candidate({ from: '12:59', to: '13:59' }), facts([victimAt10])).refusal).toBe('separation');
    expect(judgeBooking(candidate({ from: '07:00', to: '08:00' }), facts([victimAt10])).refusal).toBeNull();
    expect(judgeBooking(candidate({ from: '07:00', to: '08:01' }), facts([victimAt10])).refusal).toBe('separation');
  });

  it('follows the configured buffer, not a fixed one', () => {
    const thirty = facts([victimAt10], { bufferMinutes: 30 });
    expect(judgeBooking(candidate({ from: '11:30', to: '12:00' }), thirty).refusal).toBeNull();
    expect(judgeBooking(candidate({ from: '11:29', to: '12:00' }), thirty).refusal).toBe('separation');
  });

  it('applies only at the same site and only to linked people, including a linked member of a group', () => {
    expect(judgeBooking(candidate({ from: '11:00', to: '12:00' }), facts([{ ...victimAt10, siteId: 'site-2' }])).refusal).toBeNull();
    expect(judgeBooking(candidate({ from: '11:00', to: '12:00' }), facts([{ ...victimAt10, attendees: ['someone-else'] }])).refusal).toBeNull();
    const group = booked({ from: '10:00', to: '12:00', attendees: ['a', 'victim', 'b'], therapistId: 't-group', roomId: 'room-g' });
    expect(judgeBooking(candidate({ from: '13:00', to: '14:00' }), facts([group])).refusal).toBe('separation');
  });

  it('leaves the appointment being moved out of the comparison', () => {
    const self = booked({ from: '10:00', to: '11:00', attendees: ['victim'], therapistId: 't-me', roomId: 'room-me' });
    const moved = candidate({ from: '10:30', to: '11:30', id: self.id, attendees: ['victim'], side: 'victims' });
    expect(judgeBooking(moved, facts([self], { linkedAcrossSides: new Set(['perpetrator']) })).refusal).toBeNull();
  });
});

describe('refusal priority', () => {
  it('names the separation first, even when the same time also double-books the therapist and the room', () => {
    const clash = booked({ from: '10:00', to: '11:00', attendees: ['victim'], therapistId: 't-me', roomId: 'room-me' });
    expect(judgeBooking(candidate({ from: '10:00', to: '11:00' }), facts([clash])).refusal).toBe('separation');
  });

  it('then the client being busy, then the therapist, then the room', () => {
    const unlinked = new Set<string>();
    const own = booked({ from: '10:00', to: '11:00', attendees: ['perpetrator'], therapistId: 't-me', roomId: 'room-me' });
    expect(judgeBooking(candidate({ from: '10:30', to: '11:30' }), facts([own], { linkedAcrossSides: unlinked })).refusal).toBe('client_busy');
    const therapistAndRoom = booked({ from: '10:00', to: '11:00', attendees: ['x'], therapistId: 't-me', roomId: 'room-me' });
    expect(judgeBooking(candidate({ from: '10:30', to: '11:30' }), facts([therapistAndRoom], { linkedAcrossSides: unlinked })).refusal).toBe(
      'therapist_busy',
    );
    const room = booked({ from: '10:00', to: '11:00', attendees: ['x'], therapistId: 't-other', roomId: 'room-me' });
    expect(judgeBooking(candidate({ from: '10:30', to: '11:30' }), facts([room], { linkedAcrossSides: unlinked })).refusal).toBe('room_busy');
  });

  it('treats back-to-back appointments as free: overlap is strict', () => {
    const before = booked({ from: '09:00', to: '10:00', attendees: ['perpetrator'], therapistId: 't-me', roomId: 'room-me' });
    expect(overlaps(before, { start: at('10:00'), end: at('11:00') })).toBe(false);
    expect(judgeBooking(candidate({ from: '10:00', to: '11:00' }), facts([before], { linkedAcrossSides: new Set() })).refusal).toBeNull();
  });

  it('a candidate without a room never collides on rooms', () => {
    const roomless = booked({ from: '10:00', to: '11:00', attendees: ['x'], roomId: null });
    expect(judgeBooking(candidate({ from: '10:00', to: '11:00', roomId: null }), facts([roomless])).refusal).toBeNull();
  });
});

describe('warnings', () => {
  const unlinked = { linkedAcrossSides: new Set<string>() };

  it('warns when the other side starts or ends within 15 minutes at the same site, with the distance', () => {
    const otherSide = booked({ from: '09:00', to: '09:46', side: 'victims', attendees: ['x'] });
    const judged = judgeBooking(candidate({ from: '10:00', to: '11:00' }), facts([otherSide], unlinked));
    expect(judged).toEqual({ refusal: null, warnings: [{ code: 'other_side_close', minutes: 14 }] });
    // Exactly 15 minutes apart is not "within 15 minutes".
    const fifteen = booked({ from: '09:00', to: '09:45', side: 'victims', attendees: ['x'] });
    expect(judgeBooking(candidate({ from: '10:00', to: '11:00' }), facts([fifteen], unlinked)).warnings).toEqual([]);
  });

  it('does not warn about the same side, or the other side at another site', () => {
    const sameSide = booked({ from: '09:00', to: '09:55', side: 'perpetrators', attendees: ['x'] });
    const otherSite = booked({ from: '09:00', to: '09:55', side: 'victims', siteId: 'site-2', attendees: ['x'] });
    expect(judgeBooking(candidate({ from: '10:00', to: '11:00' }), facts([sameSide, otherSite], unlinked)).warnings).toEqual([]);
  });

  it('measures the nearest of all four edge distances', () => {
    expect(nearestEdgeMinutes({ start: at('10:00'), end: at('11:00') }, { start: at('10:50'), end: at('12:00') })).toBe(10);
    expect(nearestEdgeMinutes({ start: at('10:00'), end: at('11:00') }, { start: at('07:00'), end: at('09:57') })).toBe(3);
  });

  it('warns when the waiting room would hold more people than its capacity within 15 minutes of arrival', () => {
    const capacity = new Map([['wr-b', 2]]);
    const waiting = (from: string, to: string, who: string[]) =>
      booked({ from, to, side: 'perpetrators', attendees: who, waitingRoomId: 'wr-b', therapistId: `t-${from}`, roomId: `r-${from}` });
    const me = candidate({ from: '10:00', to: '11:00', waitingRoomId: 'wr-b' });
    // One other arrives five minutes earlier: two people, capacity two: no warning.
    expect(judgeBooking(me, facts([waiting('09:55', '10:55', ['a'])], { ...unlinked, waitingRoomCapacity: capacity })).warnings).toEqual([]);
    // A group of two arriving at the same time makes three.
    expect(
      judgeBooking(
        me,
        facts([waiting('09:55', '10:55', ['a']), waiting('10:10', '11:10', ['b', 'c'])], { ...unlinked, waitingRoomCapacity: capacity }),
      ).warnings,
    ).toEqual([{ code: 'waiting_room_full' }]);
    // People arriving more than 15 minutes apart do not share the room.
    expect(
      judgeBooking(
        me,
        facts([waiting('09:44', '10:44', ['a']), waiting('10:16', '11:16', ['b', 'c'])], { ...unlinked, waitingRoomCapacity: capacity }),
      ).warnings,
    ).toEqual([]);
  });

  it('warns outside the therapist working hours and on a day without hours, never at the exact edges', () => {
    const hours = new Map([[1, { startMinute: 8 * 60, endMinute: 17 * 60 }]]);
    expect(judgeBooking(candidate({ from: '08:00', to: '17:00' }), facts([], { ...unlinked, workingHours: hours })).warnings).toEqual([]);
    expect(judgeBooking(candidate({ from: '07:59', to: '09:00' }), facts([], { ...unlinked, workingHours: hours })).warnings).toEqual([
      { code: 'outside_working_hours' },
    ]);
    expect(judgeBooking(candidate({ from: '16:30', to: '17:01' }), facts([], { ...unlinked, workingHours: hours })).warnings).toEqual([
      { code: 'outside_working_hours' },
    ]);
    expect(judgeBooking(candidate({ from: '10:00', to: '11:00', weekday: 2 }), facts([], { ...unlinked, workingHours: hours })).warnings).toEqual([
      { code: 'outside_working_hours' },
    ]);
  });

  it('a refusal carries no warnings, and names the linked people whose appointments caused it', () => {
    const judged = judgeBooking(candidate({ from: '11:00', to: '12:00', weekday: 7 }), facts([victimAt10]));
    expect(judged).toEqual({ refusal: 'separation', warnings: [], linkedShaping: ['victim'] });
  });
});
