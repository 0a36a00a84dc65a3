import { lstatSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { BackupLeftover } from '../../preload/contract/index.js';
import { DomainError } from './errors.js';
import { PARTIAL_NAME } from './backupSchedule.js';
import { FILE_STAMP } from './backup.js';

/**
 * What backups and restores leave behind, for an admin to look at and clear away: in the data folder
 * the journals kept by restores (`journal.db.before-restore-<time>`, each a full copy of the journal as it
 * was), restored journals that were never switched in (`.restoring-`) or did not open (`.failed-restore-`);
 * in the automatic backups' folder, unfinished `….partial-…` files of interrupted runs. Only names of
 * exactly these patterns are ever listed or removed, never the active journal, and never by a path the
 * screen sends: the screen sends an id from the list, and the file must still be in a fresh listing.
 */

type Leftover = z.infer<typeof BackupLeftover>;

// Local stamps (fileStamp) and the UTC ones of earlier versions.
const JOURNAL_COPY = new RegExp(`^journal\\.db\\.(before-restore|restoring|failed-restore)-(${FILE_STAMP})$`);
const COMPANIONS = ['-wal', '-shm', '-journal'];
const KINDS = { 'before-restore': 'beforeRestore', restoring: 'restoring', 'failed-restore': 'failedRestore' } as const;

interface Found extends Leftover {
  /** The files that make up the item (a kept journal with its log and index). */
  files: string[];
}

function regularFile(file: string): { size: number; mtimeMs: number } | null {
  try {
    const stat = lstatSync(file);
    return stat.isFile() ? { size: stat.size, mtimeMs: stat.mtimeMs } : null;
  } catch {
    return null;
  }
}

function item(id: string, kind: Leftover['kind'], name: string, files: string[]): Found | null {
  const stats = files.map((file) => ({ file, stat: regularFile(file) })).filter((entry) => entry.stat !== null);
  if (stats.length === 0 || !regularFile(files[0]!)) return null;
  return {
    id,
    kind,
    name,
    bytes: stats.reduce((sum, entry) => sum + entry.stat!.size, 0),
    modifiedAt: new Date(Math.max(...stats.map((entry) => entry.stat!.mtimeMs))).toISOString(),
    files: stats.map((entry) => entry.file),
  };
}

function findLeftovers(dataDir: string, scheduleFolder: string | null): Found[] {
  const found: Found[] = [];
  const names = (folder: string) => {
    try {
      return readdirSync(folder);
    } catch {
      return [];
    }
  };
  for (const name of names(dataDir)) {
    const match = JOURNAL_COPY.exec(name);
    if (!match) continue;
    const base = path.join(dataDir, name);
    const entry = item(`data:${name}`, KINDS[match[1] as keyof typeof KINDS], name, [base, ...COMPANIONS.map((suffix) => base + suffix)]);
    if (entry) found.push(entry);
  }
  if (scheduleFolder) {
    for (const name of names(scheduleFolder)) {
      if (!PARTIAL_NAME.test(name)) continue;
      const entry = item(`auto:${name}`, 'partial', name, [path.join(scheduleFolder, name)]);
      if (entry) found.push(entry);
    }
  }
  return found.sort((a, b) => (a.modifiedAt < b.modifiedAt ? 1 : a.modifiedAt > b.modifiedAt ? -1 : a.name < b.name ? -1 : 1));
}

const strip = ({ files: _files, ...leftover }: Found): Leftover => leftover;

export function listLeftovers(dataDir: string, scheduleFolder: string | null): Leftover[] {
  return findLeftovers(dataDir, scheduleFolder).map(strip);
}

/**
 * Removes the chosen leftovers, all or none: every id must name a file of the fresh listing (a file
 * that has gone or was never listed refuses the whole request before anything is removed). Unfinished
 * automatic backups are not removed while a run is writing one.
 */
export function removeLeftovers(
  dataDir: string,
  scheduleFolder: string | null,
  ids: string[],
  runGoing: boolean,
): { removed: number; bytes: number; kinds: Record<string, number> } {
  const listed = new Map(findLeftovers(dataDir, scheduleFolder).map((entry) => [entry.id, entry]));
  const chosen = [...new Set(ids)].map((id) => listed.get(id));
  if (chosen.some((entry) => entry === undefined)) throw new DomainError('NOT_FOUND', 'error.backup.cleanupGone');
  if (runGoing && chosen.some((entry) => entry!.kind === 'partial')) throw new DomainError('CONFLICT', 'error.backup.cleanupWhileRunning');
  let bytes = 0;
  const kinds: Record<string, number> = {};
  for (const entry of chosen as Found[]) {
    for (const file of entry.files) rmSync(file, { force: true });
    bytes += entry.bytes;
    kinds[entry.kind] = (kinds[entry.kind] ?? 0) + 1;
  }
  return { removed: chosen.length, bytes, kinds };
}
