import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/connection.js';
import { keyringPath } from '../../db/keyring.js';

/** A fingerprint of every row of every table, and of the keyring: equal fingerprints mean nothing was written. */
export function journalFingerprint(db: Db, dataDir: string): string {
  const hash = createHash('sha256');
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as {
    name: string;
  }[];
  for (const { name } of tables) {
    hash.update(name);
    for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).iterate()) hash.update(JSON.stringify(row));
  }
  hash.update(readFileSync(keyringPath(dataDir)));
  return hash.digest('hex');
}

/** Every file in the data folder, as bytes. */
export function dataFolderFiles(dataDir: string): { file: string; bytes: Buffer }[] {
  return readdirSync(dataDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { file, bytes: readFileSync(file) };
    });
}
