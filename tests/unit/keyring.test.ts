import { describe, expect, it } from 'vitest';
import { generateRecoveryCode, normaliseRecoveryCode } from '../../db/keyring.js';
import { generateTemporaryPassword } from '../../main/services/session/index.js';

describe('codes handed to people', () => {
  it('recovery codes are 25 unambiguous characters in five groups, different every time', () => {
    const codes = new Set(Array.from({ length: 200 }, generateRecoveryCode));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}$/);
  });

  it('a recovery code typed with spaces, lower case, O for 0 or I/L for 1 still matches', () => {
    expect(normaliseRecoveryCode('ab1o0-il 23')).toBe(normaliseRecoveryCode('AB100-11-23'));
  });

  it('temporary passwords avoid look-alike characters', () => {
    for (let i = 0; i < 200; i += 1) expect(generateTemporaryPassword()).toMatch(/^[A-HJKMNP-Za-hjkmnp-z2-9]{4}(-[A-HJKMNP-Za-hjkmnp-z2-9]{4}){3}$/);
  });
});
