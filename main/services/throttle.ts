import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomically } from '../../db/atomicFile.js';

export interface ThrottleOptions {
  /** Where the failure count survives a restart (holds only a count and a time). */
  file?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const FREE_FAILURES = 3;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;

/**
 * Slows down password guessing at the login screen: every wrong answer waits at least a second,
 * and after three in a row each further one waits twice as long as the last, up to a minute.
 * Attempts are answered one at a time, so parallel guesses queue behind the delay.
 */
export class LoginThrottle {
  private failures = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ThrottleOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    if (options.file && existsSync(options.file)) {
      try {
        const saved = JSON.parse(readFileSync(options.file, 'utf8')) as { failures?: unknown };
        if (typeof saved.failures === 'number' && saved.failures >= 0) this.failures = Math.floor(saved.failures);
      } catch {
        // A damaged counter file is treated as no failures; the KDF still slows every guess.
      }
    }
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  delayAfter(failures: number): number {
    if (failures <= 0) return 0;
    if (failures <= FREE_FAILURES) return BASE_DELAY_MS;
    return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - FREE_FAILURES));
  }

  /** Runs one attempt; `attempt` resolves true on success. A failure is answered only after its delay. */
  run<T>(attempt: () => Promise<{ ok: boolean; value: T }>): Promise<{ ok: boolean; value: T; waitedMs: number }> {
    const next = this.queue.then(async () => {
      const started = this.now();
      const result = await attempt();
      if (result.ok) {
        this.setFailures(0);
        return { ...result, waitedMs: 0 };
      }
      this.setFailures(this.failures + 1);
      const remaining = this.delayAfter(this.failures) - (this.now() - started);
      if (remaining > 0) await this.sleep(remaining);
      return { ...result, waitedMs: Math.max(0, remaining) };
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private setFailures(value: number): void {
    this.failures = value;
    if (this.options.file) {
      try {
        // Whole or not at all: a kill mid-write must not reset the count of wrong passwords.
        writeFileAtomically(this.options.file, JSON.stringify({ failures: value }));
      } catch {
        // Best effort: a read-only folder must not stop people from signing in.
      }
    }
  }
}
