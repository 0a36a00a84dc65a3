import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JournalKeyError, openEncrypted } from '../../db/connection.js';
import { createJournal, journalPath, loadKeyring, openJournal } from '../../db/journal.js';
import { DEFAULT_KDF, keyringPath, unlockWithPassword, unlockWithRecoveryCode } from '../../db/keyring.js';
import { findUserByUsername } from '../../db/local/users.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();

describe('creating and opening the encrypted journal', () => {
  it('creates a SQLCipher 4 journal with a raw key, WAL and foreign keys, and an admin', async () => {
    const dir = tempDir();
    const created = await createJournal(dir, FICTIONAL_ADMIN);
    expect(created.key).toHaveLength(32);
    const db = created.db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    expect(db.pragma('cipher', { simple: true })).toBe('sqlcipher');
    expect(Number(db.pragma('legacy', { simple: true }))).toBe(4);
    expect(findUserByUsername(db, FICTIONAL_ADMIN.username)?.roles).toEqual(['admin']);
    db.close();

    // The file starts with a random salt, not the SQLite header.
    expect(readFileSync(journalPath(dir)).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    // A random wrong key is refused with a clear error, never a silent new database.
    const wrong = Buffer.alloc(32, 7);
    expect(() => openEncrypted(journalPath(dir), wrong, { create: false })).toThrow(JournalKeyError);
  });

  it('wraps the key per user with Argon2id (64 MiB, 3 passes) and AES-256-GCM, plus a recovery slot', async () => {
    const dir = tempDir();
    const created = await createJournal(dir, FICTIONAL_ADMIN);
    created.db.close();
    const keyring = loadKeyring(dir);
    expect(keyring.slots.map((slot) => slot.kind).sort()).toEqual(['recovery', 'user']);
    for (const slot of keyring.slots) {
      expect(slot.kdf).toEqual(DEFAULT_KDF);
      expect(slot.kdf.memoryKiB).toBeGreaterThanOrEqual(65536);
      expect(slot.kdf.iterations).toBeGreaterThanOrEqual(3);
    }
    const text = readFileSync(keyringPath(dir), 'utf8');
    expect(text).not.toContain(FICTIONAL_ADMIN.username);
    expect(text).not.toContain(created.key.toString('hex'));
    expect(text).not.toContain(created.key.toString('base64'));

    const byPassword = await unlockWithPassword(keyring, FICTIONAL_ADMIN.username.toUpperCase(), FICTIONAL_ADMIN.password);
    expect(byPassword?.key.equals(created.key)).toBe(true);
    expect(await unlockWithPassword(keyring, FICTIONAL_ADMIN.username, 'not the password at all')).toBeNull();
    expect(await unlockWithPassword(keyring, 'nobody.here', FICTIONAL_ADMIN.password)).toBeNull();

    const byRecovery = await unlockWithRecoveryCode(keyring, created.recoveryCode.toLowerCase().replace(/-/g, ' '));
    expect(byRecovery?.equals(created.key)).toBe(true);
    expect(await unlockWithRecoveryCode(keyring, 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-A')).toBeNull();

    const db = openJournal(dir, byPassword!.key);
    expect(findUserByUsername(db, FICTIONAL_ADMIN.username)?.displayName).toBe(FICTIONAL_ADMIN.displayName);
    db.close();
  });

  it('refuses a tampered key slot', async () => {
    const dir = tempDir();
    const created = await createJournal(dir, FICTIONAL_ADMIN);
    created.db.close();
    const keyring = loadKeyring(dir);
    const slot = keyring.slots.find((candidate) => candidate.kind === 'user')!;
    const bytes = Buffer.from(slot.ciphertext, 'base64');
    bytes[0] = bytes[0]! ^ 1;
    slot.ciphertext = bytes.toString('base64');
    expect(await unlockWithPassword(keyring, FICTIONAL_ADMIN.username, FICTIONAL_ADMIN.password)).toBeNull();
  });

  it('moves aside a journal file left without a keyring by an interrupted first run', async () => {
    const dir = tempDir();
    const first = await createJournal(dir, FICTIONAL_ADMIN);
    first.db.close();
    const { rmSync, readdirSync } = await import('node:fs');
    rmSync(keyringPath(dir));
    const second = await createJournal(dir, FICTIONAL_ADMIN);
    second.db.close();
    expect(readdirSync(dir).some((file) => file.startsWith('journal.db.orphan-'))).toBe(true);
    expect(existsSync(keyringPath(dir))).toBe(true);
  });
});
