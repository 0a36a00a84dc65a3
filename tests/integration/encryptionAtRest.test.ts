import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { insertClient } from '../../db/clients/index.js';
import { FICTIONAL_ADMIN, FICTIONAL_CLIENTS } from '../fixtures/people.js';
import { setUpWithAdmin } from '../helpers/app.js';
import { dataFolderFiles } from '../helpers/snapshot.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();

function secretsIn(dataDir: string, secrets: string[]): string[] {
  const found: string[] = [];
  for (const { file, bytes } of dataFolderFiles(dataDir)) {
    for (const secret of secrets) {
      for (const encoding of ['utf8', 'utf16le', 'latin1'] as const) {
        if (bytes.includes(Buffer.from(secret, encoding))) found.push(`${path.basename(file)} holds "${secret}" (${encoding})`);
      }
    }
  }
  return found;
}

describe('encryption at rest', () => {
  it('no file in the data folder holds client names, numbers, the password or the SQLite header, before or after a checkpoint', async () => {
    const dir = tempDir();
    const t = await setUpWithAdmin(dir);
    const adminId = t.app.user!.id;
    const db = t.app.db;
    // Enough rows to spill over several pages of the write-ahead log.
    await t.app.store.transaction(async (tx) => {
      for (let i = 0; i < 200; i += 1) {
        for (const client of FICTIONAL_CLIENTS) {
          await insertClient(tx, {
            id: randomUUID(),
            track: client.track,
            name: `${client.name} ${i}`,
            isAlias: false,
            personalNumber: client.personalNumber,
            birthYear: 1990,
            protectedIdentity: false,
            createdAt: new Date().toISOString(),
            createdBy: adminId,
          });
        }
      }
    });
    const secrets = [
      ...FICTIONAL_CLIENTS.map((client) => client.name),
      '19900101-0017',
      FICTIONAL_ADMIN.password,
      FICTIONAL_ADMIN.displayName,
      'SQLite format 3',
    ];

    // While open, the newest rows sit in the WAL: it must be as unreadable as the main file.
    const names = dataFolderFiles(dir).map(({ file }) => path.basename(file));
    expect(names).toEqual(expect.arrayContaining(['journal.db', 'journal.db-wal', 'keyring.json']));
    expect(secretsIn(dir, secrets)).toEqual([]);

    db.pragma('wal_checkpoint(TRUNCATE)');
    t.app.lock('shutdown');
    expect(secretsIn(dir, secrets)).toEqual([]);
  });

  it('the scan itself finds plaintext when it is there', async () => {
    const dir = tempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'leak.txt'), `patient: ${FICTIONAL_CLIENTS[0]!.name}`);
    expect(secretsIn(dir, [FICTIONAL_CLIENTS[0]!.name])).toHaveLength(2);
  });
});
