import type { Db } from '../../db/connection.js';

/**
 * Storage faults on a real encrypted journal, for the browser harness's tests and the integration
 * tests only (main/harness is never packaged). Each is a real SQLite condition on the open
 * connection, so the app meets exactly the errors a full disk or a read-only folder gives it:
 *
 * - 'full': the journal may not grow past its present size (PRAGMA max_page_count), and a ballast
 *   table takes every free page, as other files fill a disk. A write that needs a new page — a long
 *   journal text always does — fails with SQLITE_FULL.
 * - 'readOnly': PRAGMA query_only, so every write fails with SQLITE_READONLY, as when the data
 *   folder becomes read-only under the running app.
 * - 'normal': the ballast is dropped (its pages become free again: IT has made room) and writes are
 *   allowed again.
 */
export type StorageFault = 'full' | 'readOnly' | 'normal';

const BALLAST = 'harness_storage_ballast';

/** SQLite's own ceiling on max_page_count: setting it asks for "no limit but the disk". */
const NO_PAGE_LIMIT = 4294967294;

export function setStorageFault(db: Db, fault: StorageFault): void {
  db.pragma('query_only = OFF');
  db.pragma(`max_page_count = ${NO_PAGE_LIMIT}`);
  db.exec(`DROP TABLE IF EXISTS ${BALLAST}`);
  if (fault === 'readOnly') db.pragma('query_only = ON');
  if (fault !== 'full') return;
  db.exec(`CREATE TABLE ${BALLAST} (filler BLOB NOT NULL)`);
  db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
  // Fill the free pages, from whole pages down to small rows, until SQLite refuses: then none is left.
  for (const size of [4000, 1000, 100]) {
    for (;;) {
      try {
        db.prepare(`INSERT INTO ${BALLAST} (filler) VALUES (zeroblob(?))`).run(size);
      } catch (error) {
        if ((error as { code?: unknown }).code === 'SQLITE_FULL') break;
        throw error;
      }
    }
  }
}
