import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  randomUUID,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomically } from './atomicFile.js';
import path from 'node:path';
import { hashRaw } from '@node-rs/argon2';

// Algorithm.Argon2id in @node-rs/argon2 (a const enum, which isolated modules cannot read).
const ARGON2ID = 2;

/**
 * The keyring file holds one key slot per user and one for the recovery code. Each slot's wrapping key
 * comes from Argon2id over the secret; the wrap is AES-256-GCM, so a wrong secret or a tampered slot
 * fails authentication instead of yielding a wrong key. What it wraps is the slot's X25519 private key,
 * and the journal key is sealed to the slot's public key, so that a rekey can seal a new journal key to
 * every slot without anyone's password. Usernames are stored as salted SHA-256 hashes: out of plain
 * sight, but not hidden from someone with this file who tests a list of likely names.
 */

export interface KdfParams {
  algorithm: 'argon2id';
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

/** Bitwarden's precedent and the floor set for this journal: 64 MiB, 3 passes. */
export const DEFAULT_KDF: KdfParams = { algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1 };

/** The journal key sealed to a slot's public key (X25519 + HKDF-SHA256 + AES-256-GCM). */
export interface SealedKey {
  ephemeral: string;
  nonce: string;
  ciphertext: string;
  tag: string;
}

export interface KeySlot {
  id: string;
  kind: 'user' | 'recovery';
  /** Salted hash of the normalised username; absent on the recovery slot. */
  lookup?: string;
  userId?: string;
  kdf: KdfParams;
  salt: string;
  nonce: string;
  /**
   * What the secret's Argon2id key unwraps: in a slot with a publicKey (version 2), the slot's X25519
   * private key; in an older slot, the journal key itself.
   */
  ciphertext: string;
  tag: string;
  createdAt: string;
  /**
   * Version 2 slots: the journal key is sealed to this public key, so a rekey can seal a new journal
   * key to every slot without anyone's password (see rekeyJournal).
   */
  publicKey?: string;
  sealed?: SealedKey;
  /** During a rekey: the new journal key, sealed to the same public key. */
  next?: SealedKey;
  /** A recovery slot made by a rekey that has not finished: it holds only the new journal key. */
  pending?: boolean;
}

/**
 * The access log's newest row as last seen by the app, kept outside the journal: a journal file put
 * back from an older copy, or rows cut off its end, no longer reach this row. MACed with a key derived
 * from the journal key, so it cannot be moved forward without that key.
 */
export interface LogHead {
  seq: number;
  hash: string;
  /** Set once a check found the journal's log behind or off this head; stays until a rekey starts a new anchor. */
  mismatch?: { detectedAt: string; expectedSeq: number; foundSeq: number };
  mac: string;
}

export interface KeyringFile {
  format: 'utvag-keyring';
  /** 2 adds the throttle key and the log head; a version 1 keyring gets both at its next use. */
  version: 1 | 2;
  journalId: string;
  lookupSalt: string;
  slots: KeySlot[];
  /** MACs the login-throttle state (see LoginThrottle); readable like the rest of this file, so it stops deletion and garbling, not a reader of the file. */
  throttleKey?: string;
  logHead?: LogHead;
  /** During a rekey: the head signed with the new key, which replaces logHead once the journal is switched. */
  logHeadNext?: LogHead;
}

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

export function keyringPath(dataDir: string): string {
  return path.join(dataDir, 'keyring.json');
}

export function newKeyring(): KeyringFile {
  return {
    format: 'utvag-keyring',
    version: 2,
    journalId: randomUUID(),
    lookupSalt: randomBytes(16).toString('base64'),
    slots: [],
    throttleKey: randomBytes(32).toString('base64'),
  };
}

export function readKeyring(file: string): KeyringFile | null {
  if (!existsSync(file)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new KeyringError('The keyring file is damaged (not readable JSON)');
  }
  const keyring = parsed as KeyringFile;
  if (keyring?.format !== 'utvag-keyring' || (keyring.version !== 1 && keyring.version !== 2) || !Array.isArray(keyring.slots)) {
    throw new KeyringError('The keyring file is not a version 1 Utväg keyring');
  }
  return keyring;
}

/**
 * Write to a temporary file, flush it, then rename and flush the folder: a crash leaves the old keyring
 * or the new, never half of one. A write that fails (a full disk) removes its unfinished temporary file
 * and leaves the keyring as it was.
 */
export function writeKeyring(file: string, keyring: KeyringFile): void {
  writeFileAtomically(file, JSON.stringify(keyring, null, 2));
}

export function normaliseUsername(username: string): string {
  return username.trim().normalize('NFC').toLowerCase();
}

export function usernameLookup(keyring: KeyringFile, username: string): string {
  return createHash('sha256').update(Buffer.from(keyring.lookupSalt, 'base64')).update(normaliseUsername(username)).digest('hex');
}

async function deriveWrappingKey(secret: string, salt: Buffer, kdf: KdfParams): Promise<Buffer> {
  return hashRaw(secret.normalize('NFC'), {
    algorithm: ARGON2ID,
    salt,
    memoryCost: kdf.memoryKiB,
    timeCost: kdf.iterations,
    parallelism: kdf.parallelism,
    outputLen: 32,
  });
}

function additionalData(keyring: KeyringFile, slot: Pick<KeySlot, 'id' | 'kind' | 'userId'>): Buffer {
  // Binds the wrap to this journal and this slot, so slots cannot be swapped between users or journals.
  return Buffer.from(`utvag-keyring/1|${keyring.journalId}|${slot.id}|${slot.kind}|${slot.userId ?? ''}`);
}

/**
 * Binds a seal to this journal and this slot. Not to 'sealed' or 'next': a rekey turns the slot's next
 * seal into its current one without opening it.
 */
function sealAdditionalData(keyring: KeyringFile, slotId: string, _which: 'sealed' | 'next'): Buffer {
  return Buffer.from(`utvag-keyring/2|seal|${keyring.journalId}|${slotId}`);
}

/** Seals a journal key to a slot's public key: only the slot's private key (behind the secret) opens it. */
export function sealToSlot(keyring: KeyringFile, slot: Pick<KeySlot, 'id' | 'publicKey'>, journalKey: Buffer, which: 'sealed' | 'next'): SealedKey {
  const recipient = createPublicKey({ key: Buffer.from(slot.publicKey!, 'base64'), format: 'der', type: 'spki' });
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralPublic = ephemeral.publicKey.export({ type: 'spki', format: 'der' });
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  const key = Buffer.from(hkdfSync('sha256', shared, ephemeralPublic, sealAdditionalData(keyring, slot.id, which), 32));
  shared.fill(0);
  const nonce = randomBytes(12);
  try {
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(sealAdditionalData(keyring, slot.id, which));
    const ciphertext = Buffer.concat([cipher.update(journalKey), cipher.final()]);
    return {
      ephemeral: ephemeralPublic.toString('base64'),
      nonce: nonce.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
  } finally {
    key.fill(0);
  }
}

function unseal(keyring: KeyringFile, slotId: string, privateKey: KeyObject, sealed: SealedKey, which: 'sealed' | 'next'): Buffer | null {
  let key: Buffer | null = null;
  try {
    const ephemeralPublic = Buffer.from(sealed.ephemeral, 'base64');
    const shared = diffieHellman({ privateKey, publicKey: createPublicKey({ key: ephemeralPublic, format: 'der', type: 'spki' }) });
    key = Buffer.from(hkdfSync('sha256', shared, ephemeralPublic, sealAdditionalData(keyring, slotId, which), 32));
    shared.fill(0);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.nonce, 'base64'));
    decipher.setAAD(sealAdditionalData(keyring, slotId, which));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const journalKey = decipher.update(Buffer.from(sealed.ciphertext, 'base64'));
    try {
      decipher.final();
    } catch (error) {
      journalKey.fill(0);
      throw error;
    }
    return journalKey;
  } catch {
    return null;
  } finally {
    key?.fill(0);
  }
}

/**
 * A new key slot for a secret (a password or the recovery code): a new X25519 key pair whose private key
 * is wrapped by the secret's Argon2id key, and the journal key sealed to its public key.
 */
export async function wrapKey(
  keyring: KeyringFile,
  journalKey: Buffer,
  secret: string,
  slot: { kind: 'user'; userId: string; username: string } | { kind: 'recovery'; pending?: boolean },
  kdf: KdfParams = DEFAULT_KDF,
): Promise<KeySlot> {
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const wrappingKey = await deriveWrappingKey(secret, salt, kdf);
  const pair = generateKeyPairSync('x25519');
  const privateDer = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
  const base = {
    id: randomUUID(),
    kind: slot.kind,
    ...(slot.kind === 'user' ? { userId: slot.userId, lookup: usernameLookup(keyring, slot.username) } : {}),
  };
  try {
    const cipher = createCipheriv('aes-256-gcm', wrappingKey, nonce);
    cipher.setAAD(additionalData(keyring, base));
    const ciphertext = Buffer.concat([cipher.update(privateDer), cipher.final()]);
    const publicKey = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    return {
      ...base,
      kdf,
      salt: salt.toString('base64'),
      nonce: nonce.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      createdAt: new Date().toISOString(),
      publicKey,
      sealed: sealToSlot(keyring, { id: base.id, publicKey }, journalKey, 'sealed'),
      ...(slot.kind === 'recovery' && slot.pending ? { pending: true } : {}),
    };
  } finally {
    wrappingKey.fill(0);
    privateDer.fill(0);
  }
}

/** What a secret opens in its slot: the journal key, and during a rekey the new one too. */
export interface UnwrappedKeys {
  key: Buffer;
  next: Buffer | null;
}

/** Returns the journal key(s), or null when the secret does not open this slot. */
export async function unwrapKeys(keyring: KeyringFile, slot: KeySlot, secret: string): Promise<UnwrappedKeys | null> {
  const wrappingKey = await deriveWrappingKey(secret, Buffer.from(slot.salt, 'base64'), slot.kdf);
  let inner: Buffer | null = null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', wrappingKey, Buffer.from(slot.nonce, 'base64'));
    decipher.setAAD(additionalData(keyring, slot));
    decipher.setAuthTag(Buffer.from(slot.tag, 'base64'));
    // One buffer holds the secret (GCM's final() adds no bytes), so that fill(0) wipes every copy.
    inner = decipher.update(Buffer.from(slot.ciphertext, 'base64'));
    decipher.final();
  } catch {
    inner?.fill(0);
    return null;
  } finally {
    wrappingKey.fill(0);
  }
  // An older slot wraps the journal key itself.
  if (!slot.publicKey || !slot.sealed) return { key: inner, next: null };
  try {
    const privateKey = createPrivateKey({ key: inner, format: 'der', type: 'pkcs8' });
    const key = unseal(keyring, slot.id, privateKey, slot.sealed, 'sealed');
    const next = slot.next ? unseal(keyring, slot.id, privateKey, slot.next, 'next') : null;
    if (!key) {
      next?.fill(0);
      return null;
    }
    return { key, next };
  } finally {
    inner.fill(0);
  }
}

/** Returns the journal key, or null when the secret does not open this slot. */
export async function unwrapKey(keyring: KeyringFile, slot: KeySlot, secret: string): Promise<Buffer | null> {
  const keys = await unwrapKeys(keyring, slot, secret);
  keys?.next?.fill(0);
  return keys?.key ?? null;
}

/** A decoy slot so that an unknown username costs as much time as a wrong password. */
const DECOY_SLOT: KeySlot = {
  id: 'decoy',
  kind: 'user',
  kdf: DEFAULT_KDF,
  salt: Buffer.alloc(16).toString('base64'),
  nonce: Buffer.alloc(12).toString('base64'),
  ciphertext: Buffer.alloc(48).toString('base64'),
  tag: Buffer.alloc(16).toString('base64'),
  createdAt: '1970-01-01T00:00:00.000Z',
};

export async function unlockWithPassword(
  keyring: KeyringFile,
  username: string,
  password: string,
): Promise<{ key: Buffer; next: Buffer | null; slot: KeySlot } | null> {
  const lookup = Buffer.from(usernameLookup(keyring, username), 'hex');
  const slot = keyring.slots.find(
    (candidate) => candidate.kind === 'user' && candidate.lookup !== undefined && timingSafeEqual(Buffer.from(candidate.lookup, 'hex'), lookup),
  );
  const keys = await unwrapKeys(keyring, slot ?? DECOY_SLOT, password);
  return slot && keys ? { ...keys, slot } : null;
}

/**
 * The recovery code against every recovery slot (two only while a rekey is unfinished: the old code
 * opens the old journal key, the new code the new one). Returns what it opens.
 */
export async function unlockWithRecoveryCodeKeys(keyring: KeyringFile, code: string): Promise<(UnwrappedKeys & { slot: KeySlot }) | null> {
  for (const slot of keyring.slots.filter((candidate) => candidate.kind === 'recovery')) {
    const keys = await unwrapKeys(keyring, slot, normaliseRecoveryCode(code));
    if (keys) return { ...keys, slot };
  }
  return null;
}

export async function unlockWithRecoveryCode(keyring: KeyringFile, code: string): Promise<Buffer | null> {
  const opened = await unlockWithRecoveryCodeKeys(keyring, code);
  opened?.next?.fill(0);
  return opened?.key ?? null;
}

// Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 125 random bits as 25 characters in five groups of five: short enough to write down, far too long to guess. */
export function generateRecoveryCode(): string {
  const bytes = randomBytes(16);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = 0; i < 25; i += 1) {
    code += CROCKFORD[Number(bits & 31n)];
    bits >>= 5n;
  }
  return code.match(/.{1,5}/g)!.join('-');
}

export function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export function replaceSlots(keyring: KeyringFile, remove: (slot: KeySlot) => boolean, add: KeySlot[]): KeyringFile {
  return { ...keyring, slots: [...keyring.slots.filter((slot) => !remove(slot)), ...add] };
}

/** The key that MACs the log head: derived from the journal key, so only someone who can open the journal can move the head. */
function logHeadKey(journalKey: Buffer, keyring: KeyringFile): Buffer {
  return Buffer.from(hkdfSync('sha256', journalKey, Buffer.from(keyring.journalId), 'utvag-log-head/1', 32));
}

function logHeadMac(journalKey: Buffer, keyring: KeyringFile, head: Omit<LogHead, 'mac'>): string {
  const key = logHeadKey(journalKey, keyring);
  try {
    return createHmac('sha256', key)
      .update(JSON.stringify([head.seq, head.hash, head.mismatch ?? null]))
      .digest('base64');
  } finally {
    key.fill(0);
  }
}

export function signLogHead(journalKey: Buffer, keyring: KeyringFile, head: Omit<LogHead, 'mac'>): LogHead {
  return { ...head, mac: logHeadMac(journalKey, keyring, head) };
}

/** The head if its MAC holds under this journal key; 'forged' if it does not; null if the keyring has none. */
export function readLogHead(journalKey: Buffer, keyring: KeyringFile): Omit<LogHead, 'mac'> | 'forged' | null {
  const head = keyring.logHead;
  if (!head) return null;
  const { mac, ...body } = head;
  const expected = Buffer.from(logHeadMac(journalKey, keyring, body), 'base64');
  const given = Buffer.from(typeof mac === 'string' ? mac : '', 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected) ? body : 'forged';
}
