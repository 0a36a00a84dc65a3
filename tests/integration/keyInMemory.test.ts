import { describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { loadKeyring } from '../../db/journal.js';
import { unlockWithPassword } from '../../db/keyring.js';
import { setUpWithAdmin } from '../helpers/app.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { bundleChild } from '../helpers/crashProcess.js';

const tempDir = useTempDirs();

/** Every readable private or anonymous mapping of the process, searched for each needle. */
function findInMemory(pid: number, needles: Buffer[]): string[] {
  const found: string[] = [];
  const maps = readFileSync(`/proc/${pid}/maps`, 'utf8').trim().split('\n');
  const fd = openSync(`/proc/${pid}/mem`, 'r');
  try {
    for (const line of maps) {
      const [range, perms, , , , name = ''] = line.split(/\s+/);
      if (!perms!.startsWith('r') || name.startsWith('[v')) continue; // [vvar] and [vsyscall] cannot be read
      const [start, end] = range!.split('-').map((hex) => BigInt(`0x${hex}`));
      const size = Number(end! - start!);
      const buffer = Buffer.alloc(size);
      try {
        readSync(fd, buffer, 0, size, start!);
      } catch {
        continue; // a mapping that went away or cannot be read (guard pages)
      }
      needles.forEach((needle, index) => {
        if (buffer.includes(needle)) found.push(`needle ${index} in ${line.trim()}`);
      });
    }
  } finally {
    closeSync(fd);
  }
  return found;
}

describe.runIf(process.platform === 'linux')('the journal key after locking', () => {
  it('is nowhere in the memory of a process that signed in and locked: neither as bytes nor as hex', async () => {
    const dataDir = tempDir();
    // Set up as the app does (which also starts the login-delay state), then read the key as a test may.
    const setup = await setUpWithAdmin(dataDir);
    setup.app.lock('shutdown');
    const key = (await unlockWithPassword(loadKeyring(dataDir), FICTIONAL_ADMIN.username, FICTIONAL_ADMIN.password))!.key;
    const build = mkdtempSync(path.join(os.tmpdir(), 'utvag-memory-child-'));
    try {
      const script = await bundleChild('memoryChild', build);
      const child = spawn(process.execPath, ['--expose-gc', script], {
        env: { ...process.env, MEMORY_DATA_DIR: dataDir, MEMORY_USERNAME: FICTIONAL_ADMIN.username, MEMORY_PASSWORD: FICTIONAL_ADMIN.password },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('LOCKED')) resolve();
          if (out.includes('FAILED')) reject(new Error(out));
        });
        child.on('exit', () => reject(new Error(`child exited: ${out} ${err}`)));
      });
      expect(out).toContain('LOCKED false');
      try {
        const hex = key.toString('hex');
        const found = findInMemory(child.pid!, [
          key,
          Buffer.from(hex, 'latin1'),
          Buffer.from(hex.toUpperCase(), 'latin1'),
          // V8 may hold a string as two-byte characters.
          Buffer.from(hex, 'utf16le'),
        ]);
        expect(found).toEqual([]);
      } finally {
        child.kill('SIGKILL');
      }
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  }, 60_000);
});
