import { JournalApp } from '../../main/services/session/index.js';
import { createRouter, type Router } from '../../main/router.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import type { Result } from '../../preload/contract/index.js';

export interface TestApp {
  app: JournalApp;
  router: Router;
  call<T = unknown>(channel: string, input?: unknown): Promise<Result<T>>;
  ok<T = unknown>(channel: string, input?: unknown): Promise<T>;
}

/**
 * The wrong-password delay is skipped, not waited: the throttle's clock (shared by every app in this
 * test process, as the real clock is by every process) moves on by the time it would have slept.
 */
let skippedMs = 0;
export const skippedClock = {
  now: () => Date.now() + skippedMs,
  sleep: async (ms: number) => void (skippedMs += ms),
  /** Moves the throttle's clock on, as if that much time had passed. */
  pass: (ms: number) => void (skippedMs += ms),
};

/** The real app and router on a real encrypted journal; only the wrong-password delay is skipped (see skippedClock). */
export function makeApp(dataDir: string): TestApp {
  const app = new JournalApp({ dataDir, sleep: skippedClock.sleep, throttleClock: skippedClock.now });
  const router = createRouter(app);
  const call = <T>(channel: string, input: unknown = {}) => router.invoke(channel, input) as Promise<Result<T>>;
  return {
    app,
    router,
    call,
    async ok<T>(channel: string, input: unknown = {}) {
      const result = await call<T>(channel, input);
      if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
      return result.value;
    },
  };
}

export async function setUpWithAdmin(dataDir: string): Promise<TestApp & { recoveryCode: string }> {
  const t = makeApp(dataDir);
  const { recoveryCode } = await t.ok<{ recoveryCode: string }>('auth.setup', { ...FICTIONAL_ADMIN, passwordRepeat: FICTIONAL_ADMIN.password });
  return { ...t, recoveryCode };
}
