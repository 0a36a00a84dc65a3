import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, contract, ERROR_CODES } from '../../preload/contract/index.js';
import { setUpWithAdmin } from '../helpers/app.js';
import { journalFingerprint } from '../helpers/snapshot.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();

/** Payloads of every shape, with hostile strings among them. */
const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom("'; DROP TABLE users; --", '<img src=x onerror=alert(1)>', '\u0000', 'x'.repeat(100_000), '𝕌𝕥𝕧ä𝕘', '../../etc/passwd'),
);
const payload = fc.oneof(
  fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true }),
  fc.dictionary(
    fc.constantFrom('username', 'password', 'displayName', 'roles', 'idleLockMinutes', 'passwordRepeat', 'newPassword', '__proto__', 'constructor'),
    fc.oneof(hostileString, fc.integer(), fc.array(hostileString), fc.constant(null)),
  ),
);

describe('every channel refuses malformed input with a typed error and writes nothing', () => {
  it.each(CHANNEL_NAMES)('%s', async (channel) => {
    const dir = tempDir();
    const t = await setUpWithAdmin(dir);
    const before = journalFingerprint(t.app.db, dir);
    const schema = contract[channel].input;
    await fc.assert(
      fc.asyncProperty(
        payload.filter((input) => !schema.safeParse(input ?? {}).success),
        async (input) => {
          const result = await t.router.invoke(channel, input);
          expect(result.ok).toBe(false);
          if (!result.ok) {
            expect(ERROR_CODES).toContain(result.error.code);
            expect(result.error.code).toBe('INVALID_INPUT');
          }
        },
      ),
      { numRuns: 60 },
    );
    expect(t.app.isUnlocked).toBe(true);
    expect(journalFingerprint(t.app.db, dir)).toBe(before);
  });

  it('an unknown channel is refused', async () => {
    const t = await setUpWithAdmin(tempDir());
    for (const name of ['nope', '__proto__', 'constructor', 'toString', '']) {
      expect(await t.router.invoke(name, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
  });
});
