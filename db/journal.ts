import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { DB_KEY_BYTES, openEncrypted, type Db } from './connection.js';
import {
  generateRecoveryCode,
  keyringPath,
  newKeyring,
  normaliseRecoveryCode,
  readKeyring,
  wrapKey,
  writeKeyring,
  type KeyringFile,
} from './keyring.js';
import { migrate } from './migrate.js';
import { insertUser } from './local/users.js';
import type { Role } from '../preload/domain/index.js';

export function journalPath(dataDir: string): string {
  return path.join(dataDir, 'journal.db');
}

export type DataDirState = 'empty' | 'ready' | 'missing';

/**
 * A journal exists once its keyring does: the keyring is written last when a journal is created.
 * A keyring without its journal file ('missing') means the journal was moved or deleted: it must
 * never be taken for a first run, or a new journal would be set up over the old key file.
 */
export function dataDirState(dataDir: string): DataDirState {
  if (!existsSync(keyringPath(dataDir))) return 'empty';
  return existsSync(journalPath(dataDir)) ? 'ready' : 'missing';
}

export interface CreatedJournal {
  db: Db;
  key: Buffer;
  keyring: KeyringFile;
  adminId: string;
  recoveryCode: string;
}

/**
 * Creates a new journal with a random 256-bit key, its first admin and a recovery slot.
 * A journal file left without a keyring by an interrupted first run is moved aside, never deleted.
 */
export async function createJournal(
  dataDir: string,
  admin: { username: string; displayName: string; password: string; roles?: Role[] },
  now: Date = new Date(),
): Promise<CreatedJournal> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (existsSync(keyringPath(dataDir))) throw new Error('A journal already exists in this folder');
  const file = journalPath(dataDir);
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, `${file}.orphan-${now.getTime()}${suffix}`);
  }
  const key = randomBytes(DB_KEY_BYTES);
  const keyring = newKeyring();
  const adminId = randomUUID();
  const recoveryCode = generateRecoveryCode();
  const [adminSlot, recoverySlot] = await Promise.all([
    wrapKey(keyring, key, admin.password, { kind: 'user', userId: adminId, username: admin.username }),
    wrapKey(keyring, key, normaliseRecoveryCode(recoveryCode), { kind: 'recovery' }),
  ]);
  const db = openEncrypted(file, key, { create: true });
  try {
    migrate(db);
    insertUser(db, {
      id: adminId,
      username: admin.username.trim(),
      displayName: admin.displayName.trim(),
      roles: admin.roles ?? ['admin'],
      mustChangePassword: false,
      createdAt: now.toISOString(),
    });
    keyring.slots.push(adminSlot, recoverySlot);
    writeKeyring(keyringPath(dataDir), keyring);
  } catch (error) {
    db.close();
    key.fill(0);
    throw error;
  }
  return { db, key, keyring, adminId, recoveryCode };
}

export function loadKeyring(dataDir: string): KeyringFile {
  const keyring = readKeyring(keyringPath(dataDir));
  if (!keyring) throw new Error('No journal in this folder');
  return keyring;
}

/** Opens an existing journal with an unwrapped key and brings its schema up to date. */
export function openJournal(dataDir: string, key: Buffer): Db {
  const db = openEncrypted(journalPath(dataDir), key, { create: false });
  try {
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
