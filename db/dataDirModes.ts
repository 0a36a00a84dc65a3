import { chmodSync, closeSync, existsSync, lstatSync, openSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Owner only: the folder 0700, every file 0600. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

export interface ModeFix {
  /** The file's or folder's name within the data folder ('.' for the folder itself); never a full path. */
  name: string;
  from: number;
  fixed: boolean;
}

/**
 * Makes the data folder 0700 and every file in it 0600, and says what was wrong. Files are fixed,
 * not refused: a journal that cannot be opened because of a permission bit would stop the desk,
 * while closing the permission ends the exposure at once; the caller logs every fix, since the file
 * may have been read while it was open to others. Windows has no such modes (its ACLs come from the
 * per-user profile folder): nothing to check there.
 */
export function secureDataDir(dataDir: string, platform: NodeJS.Platform = process.platform): ModeFix[] {
  if (platform === 'win32' || !existsSync(dataDir)) return [];
  const fixes: ModeFix[] = [];
  const check = (file: string, name: string, wanted: number) => {
    const stat = lstatSync(file);
    if (stat.isSymbolicLink()) return;
    const mode = stat.mode & 0o777;
    if ((mode & 0o077) === 0) return;
    try {
      chmodSync(file, wanted);
      fixes.push({ name, from: mode, fixed: true });
    } catch {
      fixes.push({ name, from: mode, fixed: false });
    }
  };
  check(dataDir, '.', DIR_MODE);
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    const file = path.join(dataDir, entry.name);
    if (entry.isFile()) check(file, entry.name, FILE_MODE);
    else if (entry.isDirectory()) {
      check(file, entry.name, DIR_MODE);
      for (const inner of readdirSync(file, { withFileTypes: true })) {
        if (inner.isFile()) check(path.join(file, inner.name), `${entry.name}/${inner.name}`, FILE_MODE);
      }
    }
  }
  return fixes;
}

/**
 * Creates an empty file readable by its owner only, before SQLite opens it: SQLite creates a new
 * database with the process's umask (usually 0644, world-readable) and gives its -wal and -shm the
 * database file's mode, so the mode set here carries over to both.
 */
export function createPrivateFile(file: string): void {
  if (existsSync(file)) return;
  closeSync(openSync(file, 'wx', FILE_MODE));
}
