import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomically } from '../../db/atomicFile.js';
import { DomainError } from './errors.js';

/** A security event that happened while the journal was locked; written into the access log at the next unlock. */
export interface PendingSecurityEvent {
  at: string;
  /** 'login.failed', 'recovery.failed', 'password.failed' (signing), 'throttle.refused', 'throttle.state-damaged', … */
  kind: string;
  /** The throttle subject of the username typed (see subjectOf); null when none applies. */
  subject: string | null;
}

interface Counter {
  failures: number;
  /** Epoch ms before which no attempt is answered. */
  notBefore: number;
  lastFailureAt: number;
}

interface ThrottleState {
  version: 1;
  /** Per person: keyed by the subject (a MAC of the username's keyring lookup), for existing and unknown usernames alike. */
  people: Record<string, Counter>;
  /** Every failure, whoever's: slows guessing spread over many usernames. */
  global: Counter;
  events: PendingSecurityEvent[];
}

export interface ThrottleOptions {
  /** Where the state survives a restart and is shared with other processes (the CLI, a second window). */
  file?: string;
  /**
   * The per-installation key that MACs the state (kept in the keyring): null on a new installation
   * (no keyring yet), where a missing state is fresh. Once a keyring exists, a missing, damaged or
   * forged state counts as a wait, never as a fresh start.
   */
  macKey?: () => Buffer | null;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const FREE_FAILURES = 3;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;
/** The global counter starts slowing everyone after this many failures in a row across all usernames. */
const GLOBAL_FREE_FAILURES = 10;
/** A quiet quarter of an hour forgives the global counter (a person's own counter waits for their success). */
const GLOBAL_FORGET_MS = 15 * 60_000;
/** Attackers can invent usernames without end: the state keeps the most recent ones. */
const MAX_PEOPLE = 500;
const MAX_EVENTS = 1000;

function emptyState(): ThrottleState {
  return { version: 1, people: {}, global: { failures: 0, notBefore: 0, lastFailureAt: 0 }, events: [] };
}

function isCounter(value: unknown): value is Counter {
  const c = value as Counter;
  return !!c && [c.failures, c.notBefore, c.lastFailureAt].every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0);
}

/**
 * Slows down password guessing, per person and overall, across processes and restarts.
 * Each failure sets a not-before time; an attempt before it is refused with TOO_MANY_ATTEMPTS before
 * any key is derived (so a new process, or another person's success, changes nothing). Within the
 * answering process the wrong answer itself waits until that time, so a person typing sees one
 * slow "wrong password" rather than a refusal. Attempts are answered one at a time.
 */
export class LoginThrottle {
  private queue: Promise<unknown> = Promise.resolve();
  private memory: ThrottleState = emptyState();
  /** The last write failed (a read-only folder): this process goes on counting in memory rather than read back a stale or missing file. */
  private unsaved = false;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ThrottleOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The delay that follows the n-th failure in a row. */
  delayAfter(failures: number, free = FREE_FAILURES): number {
    if (failures <= 0) return 0;
    if (failures <= free) return BASE_DELAY_MS;
    return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - free));
  }

  /** An opaque name for a username's counter: the same for every process of this installation, and the same whether the user exists or not. */
  subjectOf(lookup: string): string {
    const key = this.options.macKey?.();
    return createHmac('sha256', key ?? Buffer.alloc(32))
      .update(`subject|${lookup}`)
      .digest('hex')
      .slice(0, 32);
  }

  consecutiveFailures(subject: string | null): number {
    const state = this.load();
    return subject ? (state.people[subject]?.failures ?? 0) : state.global.failures;
  }

  /**
   * Runs one attempt for a subject. Refuses with TOO_MANY_ATTEMPTS, deriving nothing, while the
   * person's or the global not-before time lies ahead. A success resets only that person's counter.
   */
  run<T>(
    how: { subject: string; kind: string; field: string },
    attempt: () => Promise<{ ok: boolean; value: T }>,
  ): Promise<{ ok: boolean; value: T; waitedMs: number }> {
    const { subject, kind, field } = how;
    const next = this.queue.then(async () => {
      let state = this.load();
      const now = this.now();
      const person = state.people[subject];
      const notBefore = Math.max(person?.notBefore ?? 0, state.global.notBefore);
      if (notBefore > now) {
        this.save({ ...state, events: [...state.events, { at: new Date(now).toISOString(), kind: 'throttle.refused', subject }] });
        // Refused before any key is derived; the wait is shown next to the field.
        throw new DomainError('TOO_MANY_ATTEMPTS', 'error.login.tooMany', { [field]: 'error.login.tooMany' }, Math.ceil((notBefore - now) / 1000));
      }
      const started = this.now();
      const result = await attempt();
      // Read again: another process may have counted a failure while the key was being derived.
      state = this.load();
      const finished = this.now();
      if (result.ok) {
        // Written only when there was a count to clear: a sign-in should not wait for a disk flush for nothing.
        if (state.people[subject]) {
          const { [subject]: _cleared, ...people } = state.people;
          this.save({ ...state, people });
        }
        return { ...result, waitedMs: 0 };
      }
      const failures = (state.people[subject]?.failures ?? 0) + 1;
      const globalFailures = finished - state.global.lastFailureAt > GLOBAL_FORGET_MS ? 1 : state.global.failures + 1;
      const personWait = this.delayAfter(failures);
      const globalWait = globalFailures > GLOBAL_FREE_FAILURES ? this.delayAfter(globalFailures - GLOBAL_FREE_FAILURES, 0) : 0;
      // Counted from the attempt's start: the key derivation's own time is part of the wait.
      const personNotBefore = started + personWait;
      const globalNotBefore = started + globalWait;
      const people = { ...state.people, [subject]: { failures, notBefore: personNotBefore, lastFailureAt: finished } };
      this.save({
        ...state,
        people: this.trim(people),
        global: { failures: globalFailures, notBefore: globalNotBefore, lastFailureAt: finished },
        events: [...state.events, { at: new Date(finished).toISOString(), kind, subject }],
      });
      // The wrong answer itself waits until the next attempt may come (the key derivation's time counts toward it).
      const remaining = Math.max(personNotBefore, globalNotBefore) - this.now();
      if (remaining > 0) await this.sleep(remaining);
      return { ...result, waitedMs: Math.max(0, remaining) };
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Queues a security event for the access log while the journal is locked (or cannot be written). */
  record(kind: string, subject: string | null = null): void {
    const state = this.load();
    this.save({ ...state, events: [...state.events, { at: new Date(this.now()).toISOString(), kind, subject }] });
  }

  /** The events waiting for the access log; `clear` removes exactly those once they are written. */
  pendingEvents(): { events: PendingSecurityEvent[]; clear(): void } {
    const events = this.load().events;
    return {
      events,
      clear: () => {
        if (events.length === 0) return;
        const state = this.load();
        this.save({ ...state, events: state.events.slice(events.length) });
      },
    };
  }

  /**
   * Writes a fresh, MACed state: after a new journal is set up (its keyring brings the key), and when
   * the first keyring of an older version gets its throttle key.
   */
  initialise(): void {
    this.save(emptyState());
  }

  private trim(people: Record<string, Counter>): Record<string, Counter> {
    const entries = Object.entries(people);
    if (entries.length <= MAX_PEOPLE) return people;
    return Object.fromEntries(entries.sort((a, b) => b[1].lastFailureAt - a[1].lastFailureAt).slice(0, MAX_PEOPLE));
  }

  private mac(key: Buffer, body: string): Buffer {
    return createHmac('sha256', key).update(`utvag-login-throttle/1|${body}`).digest();
  }

  /**
   * The state as the file holds it. No file option: memory only (unit tests). No keyring yet: a new
   * installation, nothing to protect. Otherwise a missing file, unreadable JSON or a wrong MAC is a
   * damaged state: it is replaced by one that makes everyone wait the longest delay, and logged.
   */
  private load(): ThrottleState {
    const file = this.options.file;
    if (!file || this.unsaved) return this.memory;
    const key = this.options.macKey?.() ?? null;
    if (!key) return existsSync(file) ? this.readUnchecked(file) : emptyState();
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { state?: unknown; mac?: unknown };
      if (typeof saved.mac !== 'string' || saved.state === undefined) throw new Error('no MAC');
      const body = JSON.stringify(saved.state);
      const given = Buffer.from(saved.mac, 'base64');
      const expected = this.mac(key, body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('wrong MAC');
      const state = saved.state as ThrottleState;
      if (state.version !== 1 || !isCounter(state.global) || !Array.isArray(state.events) || typeof state.people !== 'object' || !state.people)
        throw new Error('malformed');
      if (!Object.values(state.people).every(isCounter)) throw new Error('malformed');
      return state;
    } catch {
      return this.damaged();
    }
  }

  /** Before any keyring exists the state guards nothing (there is nothing to open); read it as it is. */
  private readUnchecked(file: string): ThrottleState {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { state?: ThrottleState };
      return saved.state && isCounter(saved.state.global) ? saved.state : emptyState();
    } catch {
      return emptyState();
    }
  }

  private damaged(): ThrottleState {
    const now = this.now();
    const state: ThrottleState = {
      ...emptyState(),
      global: { failures: GLOBAL_FREE_FAILURES + 6, notBefore: now + MAX_DELAY_MS, lastFailureAt: now },
      events: [{ at: new Date(now).toISOString(), kind: 'throttle.state-damaged', subject: null }],
    };
    this.save(state);
    return state;
  }

  private save(state: ThrottleState): void {
    const trimmed = state.events.length > MAX_EVENTS ? { ...state, events: state.events.slice(-MAX_EVENTS) } : state;
    this.memory = trimmed;
    const file = this.options.file;
    if (!file) return;
    const key = this.options.macKey?.() ?? null;
    const body = JSON.stringify(trimmed);
    try {
      // Whole or not at all: a kill mid-write must not reset the count of wrong passwords.
      writeFileAtomically(file, JSON.stringify({ state: trimmed, mac: key ? this.mac(key, body).toString('base64') : null }));
      this.unsaved = false;
    } catch {
      this.unsaved = true;
      // A read-only folder must not stop people from signing in; the in-memory state still counts in this process.
    }
  }
}
