import { accessSync, constants, statfsSync } from 'node:fs';
import type { AppError, ErrorCode } from '../../preload/contract/index.js';

/** A refusal the user can act on; the router turns it into `{ ok: false, error }`. */
export class DomainError extends Error {
  /**
   * The clients whose data shaped this refusal (the one asked about, linked people whose appointments
   * caused it): the refusal rolls back, then the router writes these rows in their own transaction.
   */
  trace?: TraceNote[];
  /** Counts the message says ("move or cancel 3 appointments first"); see AppError.counts. */
  counts?: Record<string, number>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  toAppError(): AppError {
    return {
      code: this.code,
      message: this.message,
      ...(this.fields ? { fields: this.fields } : {}),
      ...(this.retryAfterSeconds !== undefined ? { retryAfterSeconds: this.retryAfterSeconds } : {}),
      ...(this.counts ? { counts: this.counts } : {}),
    };
  }
}

/** One access-log row of a refusal's trace; the record never holds names or free text. */
export interface TraceNote {
  clientId: string;
  record: string;
}

/** The same refusal told differently (another message or field), keeping its trace. */
export function retold(error: DomainError, code: ErrorCode, message: string, fields?: Record<string, string>): DomainError {
  const told = new DomainError(code, message, fields);
  if (error.trace) told.trace = error.trace;
  return told;
}

/** What went wrong with the disk under the journal, as the person at the screen can be told it. */
export type StorageProblem = 'full' | 'readOnly' | 'write';

/**
 * Recognises a failure of the storage under the data folder — SQLite's SQLITE_FULL, SQLITE_READONLY*,
 * SQLITE_IOERR* and SQLITE_CANTOPEN*, or the file system's ENOSPC, EDQUOT, EROFS, EACCES, EPERM and EIO
 * (the keyring and the other small files) — and names it; null for every other error.
 *
 * SQLite reports most failed writes as a bare I/O error (a write to a read-only file system is
 * SQLITE_IOERR_WRITE, a journal that cannot be opened in a read-only folder SQLITE_CANTOPEN), so
 * for those the folder itself is asked: is it writable, and is there space left on its disk.
 */
export function storageProblem(error: unknown, dataDir: string): StorageProblem | null {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'readOnly';
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN') || code === 'EIO') return diagnoseFolder(dataDir);
  return null;
}

/** Below this much free space a failed write is taken to be a full disk (SQLite needs room for a whole transaction in its log). */
const NEARLY_FULL_BYTES = 1024 * 1024;

function diagnoseFolder(dataDir: string): StorageProblem {
  try {
    accessSync(dataDir, constants.W_OK);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'readOnly';
  }
  try {
    const disk = statfsSync(dataDir);
    if (disk.bavail * disk.bsize < NEARLY_FULL_BYTES) return 'full';
  } catch {
    // A folder that cannot even be examined: the general message below still tells the person that nothing was saved.
  }
  return 'write';
}

/** The refusal for a storage failure: typed STORAGE with a message key the screens translate; null when the error is not one. */
export function storageError(error: unknown, dataDir: string): DomainError | null {
  const problem = storageProblem(error, dataDir);
  return problem ? new DomainError('STORAGE', `error.storage.${problem}`) : null;
}
