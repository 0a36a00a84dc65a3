import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { inspectBackupFile, sqlString, type BackupManifest } from '../../db/backup.js';
import { setUpReception } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

/**
 * The export reads its own file back with the manifest it has just written (inspectBackupFile's
 * `sealed`): the rows are counted there rather than hashed a second time, so these tests make sure
 * that this check still refuses a file that is not the one the seal described.
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

describe("the export's read-back of its own file", () => {
  it('accepts the file only with the manifest the seal wrote and the rows it counted', async () => {
    const t = await setUpReception(tempDir());
    for (const name of ['Återläsning Klientsdotter', 'Återläsning Testsson']) await t.newClient('victim', name);
    const file = path.join(tempDir(), 'backup.db');
    await t.ok('backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    t.app.lock('shutdown');

    // The full check (as verify runs it) gives the manifest; the export's own check accepts that manifest.
    const { manifest } = await inspectBackupFile(file, PASSPHRASE, noPause);
    await expect(inspectBackupFile(file, PASSPHRASE, noPause, { sealed: manifest })).resolves.toMatchObject({ manifest });

    // Any other manifest is refused, whichever field differs.
    const others: BackupManifest[] = [
      { ...manifest, checksum: `sha256:${'0'.repeat(64)}` },
      { ...manifest, counts: { ...manifest.counts, clients: manifest.counts.clients! + 1 } },
      { ...manifest, createdAt: '2001-01-01T00:00:00.000Z' },
      { ...manifest, schemaVersion: manifest.schemaVersion + 1 },
    ];
    for (const other of others) {
      await expect(inspectBackupFile(file, PASSPHRASE, noPause, { sealed: other })).rejects.toMatchObject({
        problem: 'damaged',
        message: 'The manifest read back is not the one written',
      });
    }

    // A row taken out after the seal by a connection with the key (so every page still authenticates
    // and the structure is sound): the counts no longer match the manifest.
    const db = openForWriting(file);
    expect(db.prepare('DELETE FROM clients WHERE rowid = (SELECT max(rowid) FROM clients)').run().changes).toBe(1);
    db.close();
    await expect(inspectBackupFile(file, PASSPHRASE, noPause, { sealed: manifest })).rejects.toMatchObject({
      problem: 'damaged',
      message: 'The row counts do not match the manifest',
    });
    await expect(inspectBackupFile(file, PASSPHRASE, noPause)).rejects.toMatchObject({ problem: 'damaged' });
  });

  it('refuses a page changed after the seal, even when the counts still match', async () => {
    const t = await setUpReception(tempDir());
    await t.newClient('victim', 'Återläsning Bytesdotter');
    const file = path.join(tempDir(), 'backup.db');
    await t.ok('backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    t.app.lock('shutdown');
    const { manifest } = await inspectBackupFile(file, PASSPHRASE, noPause);

    // One byte flipped in the last page: its HMAC fails when the integrity check reads it.
    const fd = openSync(file, 'r+');
    try {
      const at = statSync(file).size - 4096 + 100;
      const byte = Buffer.alloc(1);
      readSync(fd, byte, 0, 1, at);
      byte[0] = byte[0]! ^ 0x01;
      writeSync(fd, byte, 0, 1, at);
    } finally {
      closeSync(fd);
    }
    await expect(inspectBackupFile(file, PASSPHRASE, noPause, { sealed: manifest })).rejects.toMatchObject({ problem: 'damaged' });
  });
});
