import { describe, expect, it } from 'vitest';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import { loadKeyring } from '../../db/journal.js';
import { unlockWithPassword } from '../../db/keyring.js';
import { setUpWithAdmin } from '../helpers/app.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { useTempDirs } from '../helpers/tempDir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tempDir = useTempDirs();

async function buildMemoryChild(dir: string): Promise<string> {
  const outDir = path.join(dir, 'dist', 'main');
  await build({
    entryPoints: [path.join(ROOT, 'tests', 'helpers', 'memoryChild.ts')],
    outfile: path.join(outDir, 'memoryChild.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['better-sqlite3-multiple-ciphers', '@node-rs/argon2'],
    logLevel: 'warning',
  });
  mkdirSync(path.join(outDir, 'migrations'));
  for (const file of readdirSync(path.join(ROOT, 'db', 'migrations')).filter((name) => name.endsWith('.sql'))) {
    copyFileSync(path.join(ROOT, 'db', 'migrations', file), path.join(outDir, 'migrations', file));
  }
  copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'junction');
  return path.join(outDir, 'memoryChild.mjs');
}

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
      const script = await buildMemoryChild(build);
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
