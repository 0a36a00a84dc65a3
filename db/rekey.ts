import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { keyConnection, openEncrypted, rekeyConnection, type Db } from './connection.js';
import { createPrivateFile } from './dataDirModes.js';
import { journalPath } from './journal.js';

/** The rekeyed copy while it is being made; never taken for a journal (see clearUnfinishedRekey). */
const PARTIAL = '.rekey-partial';

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows cannot open a folder for fsync; the rename is still atomic there.
  }
}

/**
 * Builds the journal under a new key beside the active one: the (checkpointed, closed) journal is
 * copied, the copy is taken out of WAL mode (SQLite3MultipleCiphers rekeys only outside WAL), rekeyed
 * page by page with `PRAGMA rekey`, flushed, and opened again with the new key and checked. A kill at
 * any step leaves journal.db as it was; the partial copy is removed at the next start.
 */
export function buildRekeyedCopy(dataDir: string, oldKey: Buffer, newKey: Buffer): string {
  const source = journalPath(dataDir);
  // SQLite removes the log when the last connection closes: one still there means another program (the
  // command line, a second window) has the journal open and may write into it after the copy is taken.
  if (existsSync(`${source}-wal`)) throw new JournalInUseError();
  const partial = `${source}${PARTIAL}`;
  rmSync(partial, { force: true });
  for (const suffix of ['-journal', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  createPrivateFile(partial);
  copyFileSync(source, partial);
  const db = new Database(partial, { fileMustExist: true });
  try {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    keyConnection(db, oldKey);
    db.pragma('journal_mode = DELETE');
    rekeyConnection(db, newKey);
  } finally {
    db.close();
  }
  fsyncFile(partial);
  // Read back with the new key before it may replace anything.
  const check = openEncrypted(partial, newKey, { create: false });
  try {
    const result = check.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw new Error('The rekeyed journal did not pass its check');
  } finally {
    check.close();
  }
  for (const suffix of ['-wal', '-shm']) rmSync(partial + suffix, { force: true });
  return partial;
}

/**
 * Puts the rekeyed copy in place of journal.db in one rename. The old journal's -wal and -shm are
 * removed first: it was checkpointed (TRUNCATE) and closed, so they hold nothing, and a stale log
 * beside the new file must never be replayed into it.
 */
export function switchToRekeyed(dataDir: string, partial: string): void {
  const target = journalPath(dataDir);
  for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
  renameSync(partial, target);
  fsyncFolder(dataDir);
}

/** A rekey cut off before its switch leaves its partial copy: it is removed (journal.db was never touched). */
export function clearUnfinishedRekey(dataDir: string): boolean {
  const partial = `${journalPath(dataDir)}${PARTIAL}`;
  let found = false;
  for (const name of existsSync(dataDir) ? readdirSync(dataDir) : []) {
    if (name.startsWith(path.basename(partial))) {
      rmSync(path.join(dataDir, name), { force: true });
      found = true;
    }
  }
  return found;
}

/** Checkpoints the whole WAL into the journal and empties it, so that the file alone is the journal. */
export function checkpointForRekey(db: Db): void {
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  if (!result || result.busy !== 0 || result.log !== result.checkpointed) throw new JournalInUseError();
}

/** Another connection holds the journal open: a rekey now could lose what it writes. */
export class JournalInUseError extends Error {
  constructor() {
    super('Another program has the journal open');
    this.name = 'JournalInUseError';
  }
}
