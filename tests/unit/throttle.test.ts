import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../main/services/throttle.js';

const as = (subject: string) => ({ subject, kind: 'login.failed', field: 'password' });

describe('the login throttle', () => {
  it('waits a second after each of the first three failures, then doubles up to a minute', () => {
    const throttle = new LoginThrottle();
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => throttle.delayAfter(n))).toEqual([
      1000, 1000, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000,
    ]);
    expect(throttle.delayAfter(0)).toBe(0);
  });

  it('answers failures only after the delay, counts them per person, and a success resets only that person', async () => {
    let clock = 0;
    const slept: number[] = [];
    const throttle = new LoginThrottle({ now: () => clock, sleep: async (ms) => void ((clock += ms), slept.push(ms)) });
    const fail = (subject: string) =>
      throttle.run(as(subject), async () => {
        clock += 300; // the KDF's own time counts toward the delay
        return { ok: false, value: null };
      });
    for (let i = 0; i < 5; i += 1) await fail('a');
    expect(slept).toEqual([700, 700, 700, 1700, 3700]);
    expect(throttle.consecutiveFailures('a')).toBe(5);
    await fail('b');
    await throttle.run(as('b'), async () => ({ ok: true, value: null }));
    expect(throttle.consecutiveFailures('b')).toBe(0);
    expect(throttle.consecutiveFailures('a')).toBe(5);
  });

  it('refuses an attempt before its time with TOO_MANY_ATTEMPTS, without running it', async () => {
    let clock = 0;
    const throttle = new LoginThrottle({ now: () => clock, sleep: async () => undefined });
    for (let i = 1; i <= 5; i += 1) {
      await throttle.run(as('a'), async () => ({ ok: false, value: null }));
      if (i < 5) clock += throttle.delayAfter(i);
    }
    let ran = false;
    await expect(throttle.run(as('a'), async () => ((ran = true), { ok: true, value: null }))).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      retryAfterSeconds: 4,
      fields: { password: 'error.login.tooMany' },
    });
    expect(ran).toBe(false);
    clock += 4000;
    await throttle.run(as('a'), async () => ({ ok: true, value: null }));
  });

  it('runs attempts one at a time', async () => {
    const order: string[] = [];
    let clock = 0;
    const throttle = new LoginThrottle({ now: () => clock, sleep: async (ms) => void ((clock += ms), order.push('sleep')) });
    await Promise.all([
      throttle.run(as('a'), async () => (order.push('a'), { ok: false, value: null })),
      throttle.run(as('a'), async () => (order.push('b'), { ok: false, value: null })),
    ]);
    expect(order).toEqual(['a', 'sleep', 'b', 'sleep']);
  });
});
