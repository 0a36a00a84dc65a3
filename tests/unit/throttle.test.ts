import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../main/services/throttle.js';

describe('the login throttle', () => {
  it('waits a second after each of the first three failures, then doubles up to a minute', () => {
    const throttle = new LoginThrottle();
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => throttle.delayAfter(n))).toEqual([
      1000, 1000, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000,
    ]);
    expect(throttle.delayAfter(0)).toBe(0);
  });

  it('answers failures only after the delay, counts them, and resets on success', async () => {
    let clock = 0;
    const slept: number[] = [];
    const throttle = new LoginThrottle({ now: () => clock, sleep: async (ms) => void slept.push(ms) });
    const fail = () =>
      throttle.run(async () => {
        clock += 300; // the KDF's own time counts toward the delay
        return { ok: false, value: null };
      });
    for (let i = 0; i < 5; i += 1) await fail();
    expect(slept).toEqual([700, 700, 700, 1700, 3700]);
    expect(throttle.consecutiveFailures).toBe(5);
    await throttle.run(async () => ({ ok: true, value: null }));
    expect(throttle.consecutiveFailures).toBe(0);
  });

  it('runs attempts one at a time', async () => {
    const order: string[] = [];
    const throttle = new LoginThrottle({ sleep: async () => void order.push('sleep') });
    await Promise.all([
      throttle.run(async () => (order.push('a'), { ok: false, value: null })),
      throttle.run(async () => (order.push('b'), { ok: false, value: null })),
    ]);
    expect(order).toEqual(['a', 'sleep', 'b', 'sleep']);
  });
});
