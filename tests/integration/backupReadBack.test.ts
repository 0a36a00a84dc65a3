import { closeSync, existsSync, openSync, readdirSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { confirmSealedFile, inspectBackupFile, pageCheckWorkers, sqlString, type BackupManifest } from '../../db/backup.js';
import { exportBackup } from '../../main/services/backup.js';
import { BackupTask, type BackupPhase } from '../../main/services/backupProgress.js';
import { setUpReception } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

/**
 * The export reads its own file back once (#13): sealBackup opens the copy with the passphrase, reads
 * every page with the full integrity check (on a worker thread beside the hashing) and hashes the rows,
 * and confirmSealedFile reads back, on a fresh connection, what the manifest's commit wrote. These tests make sure that a page
 * damaged after the copy, or a manifest that is not the one written, still fails the export.
 */

const tempDir = useTempDirs();
const PASSPHRASE = "Sju fiktiva ord för en återläsning, och 'ett citat'";
const noPause = () => Promise.resolve();

/** Opens a backup for writing as the stock tool would, with the passphrase. */
function openForWriting(file: string): Database.Database {
  const db = new Database(file, { fileMustExist: true });
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = ${sqlString(PASSPHRASE)}`);
  // The rows other tables point at may be taken out: the point is a change the manifest does not know of.
  db.pragma('foreign_keys = OFF');
  return db;
}

/** Flips one bit of a page (numbered from 1): its HMAC fails when it is read. */
function flipByteOfPage(file: string, page: number): void {
  const fd = openSync(file, 'r+');
  try {
    const at = (page - 1) * 4096 + 100;
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0x01;
    writeSync(fd, byte, 0, 1, at);
  } finally {
    closeSync(fd);
  }
}

/** The pages of one table or index, as SQLite's dbstat lists them. */
function pagesOf(file: string, name: string): number[] {
  const db = openForWriting(file);
  try {
    return db.prepare('SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno').pluck(true).all(name) as number[];
  } finally {
    db.close();
  }
}

describe("the export's read-back of its own file", () => {
  it('confirms the sealed file only with the manifest the seal wrote', async () => {
    const t = await setUpReception(tempDir());
    for (const name of ['Återläsning Klientsdotter', 'Återläsning Testsson']) await t.newClient('victim', name);
    const file = path.join(tempDir(), 'backup.db');
    await t.ok('backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    t.app.lock('shutdown');

    // The full check (as verify runs it) gives the manifest; the export's last read-back accepts that manifest.
    const { manifest, bytes } = await inspectBackupFile(file, PASSPHRASE, noPause);
    expect(confirmSealedFile(file, PASSPHRASE, manifest)).toBe(bytes);

    // Any other manifest is refused, whichever field differs.
    const others: BackupManifest[] = [
      { ...manifest, checksum: `sha256:${'0'.repeat(64)}` },
      { ...manifest, counts: { ...manifest.counts, clients: manifest.counts.clients! + 1 } },
      { ...manifest, createdAt: '2001-01-01T00:00:00.000Z' },
      { ...manifest, schemaVersion: manifest.schemaVersion + 1 },
      { ...manifest, logHead: { seq: manifest.logHead!.seq - 1, hash: manifest.logHead!.hash } },
    ];
    for (const other of others) {
      expect(() => confirmSealedFile(file, PASSPHRASE, other)).toThrow(
        expect.objectContaining({ problem: 'damaged', message: 'The manifest read back is not the one written' }),
      );
    }

    // A manifest row changed with the key (every page still authenticates): no longer the one written.
    const db = openForWriting(file);
    expect(db.prepare(`UPDATE backup_manifest SET value = '2001-01-01T00:00:00.000Z' WHERE key = 'created_at'`).run().changes).toBe(1);
    db.close();
    expect(() => confirmSealedFile(file, PASSPHRASE, manifest)).toThrow(
      expect.objectContaining({ problem: 'damaged', message: 'The manifest read back is not the one written' }),
    );
  });

  it("refuses the sealed file when a page the manifest's commit wrote does not authenticate", async () => {
    const t = await setUpReception(tempDir());
    await t.newClient('victim', 'Återläsning Bytesdotter');
    const file = path.join(tempDir(), 'backup.db');
    await t.ok('backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    t.app.lock('shutdown');
    const { manifest } = await inspectBackupFile(file, PASSPHRASE, noPause);
    // The manifest's index: the last read-back reads it through the manifest's own integrity check.
    const indexPages = pagesOf(file, 'sqlite_autoindex_backup_manifest_1');
    expect(indexPages.length).toBeGreaterThan(0);
    flipByteOfPage(file, indexPages[0]!);
    expect(() => confirmSealedFile(file, PASSPHRASE, manifest)).toThrow(expect.objectContaining({ problem: 'damaged' }));
  });

  it('refuses a copy whose page is damaged before the seal reads it, and leaves no file behind', async () => {
    const t = await setUpReception(tempDir());
    await t.newClient('victim', 'Återläsning Sidosdotter');
    const out = tempDir();
    const file = path.join(out, 'backup.db');
    const phases: BackupPhase[] = [];
    // The page is damaged when the seal starts, before either of its connections reads the file: the copy
    // is complete by then. The page is the access log's last, which the hashing connection reads too (the
    // log's head); an index page only the page check reads has a test of its own below.
    const task = new BackupTask('export', new Date().toISOString(), () => {});
    const enter = task.enter.bind(task);
    task.enter = (phase, total) => {
      phases.push(phase);
      if (phase === 'sealing') {
        const partial = readdirSync(out).find((name) => name.startsWith('backup.db.partial-'));
        expect(partial).toBeDefined();
        const partialFile = path.join(out, partial!);
        // The last page of the journal's largest table, which nothing has read since the copy wrote it.
        const pages = pagesOf(partialFile, 'access_log');
        flipByteOfPage(partialFile, pages.at(-1)!);
      }
      enter(phase, total);
    };
    const db = t.app.db;
    await expect(
      exportBackup(
        db,
        { file, passphrase: PASSPHRASE, dataDir: t.app.dataDir, now: new Date(), sealKey: null },
        { transact: (work) => db.transaction(work)(), onCopied: () => {}, task },
      ),
    ).rejects.toMatchObject({ code: 'STORAGE', message: 'error.backup.writeFailed' });
    expect(phases).toEqual(['copying', 'sealing']);
    expect(readdirSync(out)).toEqual([]);
    expect(existsSync(file)).toBe(false);

    // The same export, undamaged, goes through: the refusal above was the damaged page's.
    const undamaged = new BackupTask('export', new Date().toISOString(), () => {});
    const seen: BackupPhase[] = [];
    const enterUndamaged = undamaged.enter.bind(undamaged);
    undamaged.enter = (phase, total) => {
      seen.push(phase);
      enterUndamaged(phase, total);
    };
    await exportBackup(
      db,
      { file, passphrase: PASSPHRASE, dataDir: t.app.dataDir, now: new Date(), sealKey: null },
      { transact: (work) => db.transaction(work)(), onCopied: () => {}, task: undamaged },
    );
    expect(seen).toEqual(['copying', 'sealing', 'checkingPages']);
    await expect(inspectBackupFile(file, PASSPHRASE, noPause)).resolves.toMatchObject({ bytes: expect.any(Number) });
  });

  it('refuses a copy with a damaged index page that only the page check on its worker reads, and leaves no file behind', async () => {
    const t = await setUpReception(tempDir());
    await t.newClient('victim', 'Återläsning Indexdotter');
    const out = tempDir();
    const file = path.join(out, 'backup.db');
    const task = new BackupTask('export', new Date().toISOString(), () => {});
    const enter = task.enter.bind(task);
    task.enter = (phase, total) => {
      if (phase === 'sealing') {
        const partialFile = path.join(
          out,
          readdirSync(out).find((name) => name.startsWith('backup.db.partial-'))!,
        );
        // An index of the access log: hashing the rows never reads it, only the integrity check does.
        flipByteOfPage(partialFile, pagesOf(partialFile, 'access_log_client').at(-1)!);
      }
      enter(phase, total);
    };
    const db = t.app.db;
    await expect(
      exportBackup(
        db,
        { file, passphrase: PASSPHRASE, dataDir: t.app.dataDir, now: new Date(), sealKey: null },
        { transact: (work) => db.transaction(work)(), onCopied: () => {}, task },
      ),
    ).rejects.toMatchObject({ code: 'STORAGE', message: 'error.backup.writeFailed' });
    expect(readdirSync(out)).toEqual([]);
  });

  it("fails the export when the page check's worker is stopped before it answers, and leaves no file behind", async () => {
    const t = await setUpReception(tempDir());
    await t.newClient('victim', 'Återläsning Avbrottsdotter');
    const out = tempDir();
    const file = path.join(out, 'backup.db');
    let stopped = 0;
    pageCheckWorkers.started = (worker) => {
      stopped += 1;
      void worker.terminate();
    };
    try {
      const result = await t.call('backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
      expect(result).toMatchObject({ ok: false, error: { code: 'STORAGE', message: 'error.backup.writeFailed' } });
    } finally {
      pageCheckWorkers.started = null;
    }
    expect(stopped).toBe(1);
    expect(readdirSync(out)).toEqual([]);
    // The journal goes on as before: the next export, with its page check, goes through.
    await t.ok('backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    await expect(inspectBackupFile(file, PASSPHRASE, noPause)).resolves.toMatchObject({ bytes: expect.any(Number) });
  });

  it('leaves a row taken out after the export to the full check, which verify and restore run', async () => {
    const t = await setUpReception(tempDir());
    for (const name of ['Återläsning Radsdotter', 'Återläsning Radsson']) await t.newClient('victim', name);
    const file = path.join(tempDir(), 'backup.db');
    await t.ok('backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    t.app.lock('shutdown');
    await expect(inspectBackupFile(file, PASSPHRASE, noPause)).resolves.toBeDefined();
    // Taken out by a connection with the key, so every page still authenticates and the structure is sound.
    const db = openForWriting(file);
    expect(db.prepare('DELETE FROM clients WHERE rowid = (SELECT max(rowid) FROM clients)').run().changes).toBe(1);
    db.close();
    await expect(inspectBackupFile(file, PASSPHRASE, noPause)).rejects.toMatchObject({ problem: 'damaged' });
  });
});
