import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../db/atomicFile.js';
import { useTempDirs } from '../helpers/tempDir.js';

describe('writeFileAtomically: the keyring, the login throttle and the workstation file are replaced whole', () => {
  const makeTempDir = useTempDirs();

  it('replaces the content and leaves no temporary file behind', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'login-throttle.json');
    writeFileSync(file, '{"failures":3}');
    writeFileAtomically(file, '{"failures":4}');
    expect(readFileSync(file, 'utf8')).toBe('{"failures":4}');
    expect(readdirSync(dir)).toEqual(['login-throttle.json']);
  });

  it('a write that cannot be put in place removes its temporary file and reports the error', () => {
    const dir = makeTempDir();
    // A non-empty folder at the target's name: the final rename fails after the temporary file was written.
    const target = path.join(dir, 'workstation.json');
    mkdirSync(target);
    writeFileSync(path.join(target, 'keep'), 'x');
    expect(() => writeFileAtomically(target, '{"language":"en"}')).toThrow();
    expect(readdirSync(dir)).toEqual(['workstation.json']);
    expect(readFileSync(path.join(target, 'keep'), 'utf8')).toBe('x');
  });
});
