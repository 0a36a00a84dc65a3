import { describe, expect, it } from 'vitest';
import { IdleLock } from '../../main/services/idleLock.js';

describe('the idle lock', () => {
  it('locks once the idle time passes and not before; activity postpones it', () => {
    let now = 0;
    let locked = 0;
    const idle = new IdleLock(
      () => (locked += 1),
      15 * 60_000,
      () => now,
    );
    idle.start();
    now = 14 * 60_000;
    expect(idle.check()).toBe(false);
    idle.touch();
    now += 14 * 60_000;
    expect(idle.check()).toBe(false);
    now += 60_000;
    expect(idle.check()).toBe(true);
    expect(locked).toBe(1);
    // Stopped after locking: it does not fire again until the next sign-in starts it.
    now += 60 * 60_000;
    expect(idle.check()).toBe(false);
    expect(idle.running).toBe(false);
  });

  it('fires on its own timer', async () => {
    const fired = await new Promise<boolean>((resolve) => {
      const idle = new IdleLock(() => resolve(true), 120, Date.now, 20);
      idle.start();
      setTimeout(() => resolve(false), 2000);
    });
    expect(fired).toBe(true);
  });
});
