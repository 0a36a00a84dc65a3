/** What the simulation keeps track of. */
import type { AppointmentView, Result, Side, Track } from '../../../preload/contract/index.js';
import type { Router } from '../../router.js';

export interface Therapist {
  id: string;
  username: string;
  displayName: string;
  siteId: string;
  tracks: Track[];
  hours: Map<number, { start: number; end: number }>;
  temporaryPassword: string;
  /** Clients currently in this therapist's care. */
  load: number;
  /** Their own workstation (see colleagueDesk). */
  desk: Router;
}

export type Path = 'individual' | 'group' | 'close';

export interface SimClient {
  id: string;
  track: Track;
  side: Side;
  siteId: string;
  name: string;
  surname: string;
  female: boolean;
  childrenUnder18: number;
  anonymous: boolean;
  registeredAt: number;
  therapist: Therapist | null;
  /** Linked clients on the other side of the house. */
  linkedAcross: Set<string>;
  /** Linked to a parent on the victims' side (children), or to children (victims). */
  hasPerpetratorLink: boolean;
  sessionsLeft: number;
  intervalDays: number;
  preferredStart: string | null;
  missedInARow: number;
  inGroup: boolean;
  everInGroup: boolean;
  finished: boolean;
  appointments: SimAppointment[];
  /** Therapists with an active care relation: only they write in the journal. */
  careWith: Set<string>;
  /** Visits attended: a closing summary is written only after some. */
  visits: number;
}

export type Fate = 'done' | 'no_show' | 'cancel' | 'move';

export interface SimAppointment {
  id: string;
  client: SimClient | null;
  group: SimGroup | null;
  side: Side;
  siteId: string;
  kind: 'first_call' | 'first_visit' | 'individual' | 'group' | 'consultation';
  therapistId: string;
  roomId: string | null;
  start: number;
  end: number;
  status: 'booked' | 'arrived' | 'in_session' | 'done' | 'no_show' | 'cancelled';
  /** Bumped on every move: lifecycle events of an older version are stale. */
  version: number;
}

export interface SimGroup {
  id: string;
  name: string;
  siteId: string;
  track: Track;
  therapistId: string;
  capacity: number;
  firstSession: number;
  lastSessionEnd: number;
  members: Set<SimClient>;
  sessions: SimAppointment[];
}

export interface Event {
  at: number;
  seq: number;
  run: () => Promise<void>;
}

/** A binary min-heap of events by time, ties in the order they were scheduled. */
export class Agenda {
  private heap: Event[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, run: () => Promise<void>): void {
    const event = { at, seq: (this.seq += 1), run };
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!Agenda.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  peek(): Event | undefined {
    return this.heap[0];
  }

  pop(): Event | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && Agenda.before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && Agenda.before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }

  private static before(a: Event, b: Event): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}

/** A time to try a booking at. */
export interface SlotTry {
  date: string;
  start: string;
  roomId: string | null;
}
export type Attempt = (slot: SlotTry) => Promise<Result<{ appointment: AppointmentView }>>;
