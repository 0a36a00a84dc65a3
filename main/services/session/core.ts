import type { Db } from '../../../db/connection.js';
import type { UserRow } from '../../../db/users/index.js';
import type { Settings } from '../../../preload/contract/index.js';
import type { Logger } from '../../log.js';
import type { IdleLock } from '../idleLock.js';
import type { LockReason } from './index.js';

/** The unlocked journal: its connection, its key in memory, and the one signed-in person. */
export interface Unlocked {
  db: Db;
  key: Buffer;
  user: UserRow;
}

/**
 * What the users' and the restore's work needs of the JournalApp: its folder, clock and log, the
 * unlocked session, and the few steps only the app may take (log a security event, lock, open the
 * journal again, keep the log's head). The app hands this to users.ts and restore.ts.
 */
export interface SessionCore {
  readonly dataDir: string;
  readonly now: () => Date;
  readonly log: Logger;
  readonly idle: IdleLock;
  requireUnlocked(): Unlocked;
  /** A row of the access log for a security event, in the caller's transaction. */
  logSecurity(db: Db, userId: string | null, action: string, record: string): void;
  lock(reason: LockReason): void;
  anchorLog(db: Db, key: Buffer): void;
  openDb(key: Buffer): Db;
  /** The centre's settings of an open journal, read through its store. */
  settingsOf(db: Db): Promise<Settings>;
  backupSealKey(): Buffer;
}
