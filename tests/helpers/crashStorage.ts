/**
 * Real full disks and read-only folders for the storage tests, where the machine lets the tests
 * mount file systems (Linux, as root with CAP_SYS_ADMIN: a developer's container or CI running as
 * root). Elsewhere `canMount` is false and those tests are skipped; the same refusals are then
 * still tested on the journal itself (main/harness/storageFault.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function run(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface Mounted {
  dir: string;
  unmount(): void;
}

function mountPoint(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

function unmountAndRemove(dir: string): void {
  // Lazily, so that a test that failed with files still open does not leave the mount behind.
  run('umount', ['-l', dir]);
  rmSync(dir, { recursive: true, force: true });
}

/** A small tmpfs of its own: a disk that really fills up (writes end in ENOSPC). Null where mounting is not allowed. */
export function mountSmallDisk(bytes: number): Mounted | null {
  if (process.platform !== 'linux') return null;
  const dir = mountPoint('utvag-small-disk-');
  if (!run('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir])) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return { dir, unmount: () => unmountAndRemove(dir) };
}

/** The same folder seen through a read-only bind mount: every write to it ends in EROFS. Null where mounting is not allowed. */
export function readOnlyView(folder: string): Mounted | null {
  if (process.platform !== 'linux') return null;
  const dir = mountPoint('utvag-read-only-');
  if (!run('mount', ['--bind', folder, dir])) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  if (!run('mount', ['-o', 'remount,bind,ro', dir])) {
    unmountAndRemove(dir);
    return null;
  }
  return { dir, unmount: () => unmountAndRemove(dir) };
}

/** Whether this machine lets the tests mount: tried once, with a tiny tmpfs. */
export const canMount: boolean = (() => {
  const probe = mountSmallDisk(64 * 1024);
  probe?.unmount();
  return probe !== null;
})();

/**
 * Fills the disk under `dir` with ballast files of one page each until it refuses (ENOSPC), as other
 * programs fill a disk. Returns the ballast's files, so that a test can free some or all of them.
 */
export function fillDisk(dir: string): string[] {
  const files: string[] = [];
  const page = statfsSync(dir).bsize;
  for (let i = 0; ; i += 1) {
    const file = path.join(dir, `ballast-${i}.bin`);
    try {
      writeFileSync(file, Buffer.alloc(page, 1));
      files.push(file);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOSPC') throw error;
      rmSync(file, { force: true });
      return files;
    }
  }
}

export function freeSpace(dir: string): number {
  const disk = statfsSync(dir);
  return disk.bavail * disk.bsize;
}
