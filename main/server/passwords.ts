import { hash, verify } from '@node-rs/argon2';
import { DEFAULT_KDF } from '../../db/keyring.js';

// Algorithm.Argon2id in @node-rs/argon2 (a const enum, which isolated modules cannot read).
const ARGON2ID = 2;

/** The keyring's Argon2id parameters (db/keyring.ts), as a PHC string with its own salt. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, {
    algorithm: ARGON2ID,
    memoryCost: DEFAULT_KDF.memoryKiB,
    timeCost: DEFAULT_KDF.iterations,
    parallelism: DEFAULT_KDF.parallelism,
  });
}

/**
 * Checks a password against a stored hash. Without one (no such user, or none set) a hash made at
 * start is checked instead, so that an unknown username takes as long as a wrong password.
 */
export async function checkPassword(stored: string | null, password: string): Promise<boolean> {
  const target = stored ?? (await decoy());
  try {
    const ok = await verify(target, password);
    return ok && stored !== null;
  } catch {
    // A damaged hash opens nothing.
    return false;
  }
}

let decoyHash: Promise<string> | null = null;
function decoy(): Promise<string> {
  decoyHash ??= hashPassword(`decoy-${Math.random()}`);
  return decoyHash;
}
