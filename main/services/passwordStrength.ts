import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { DomainError } from './errors.js';
import { SWEDISH_WORDS } from './swedishWords.js';

/**
 * How hard a password or backup passphrase is to guess, by zxcvbn-ts (maintained; common passwords,
 * keyboard patterns, dates, repeats, sequences) with a Swedish word list of our own (swedishWords.ts).
 * The main process is the authority: every place a secret is chosen calls this before it is used.
 * The renderer only shows the reason it is given.
 */
let estimator: ZxcvbnFactory | null = null;

function zxcvbn(): ZxcvbnFactory {
  // Built on first use: the dictionaries take a moment to load, and most starts never need them.
  estimator ??= new ZxcvbnFactory({ dictionary: { ...dictionary, sv: [...SWEDISH_WORDS] }, graphs: adjacencyGraphs });
  return estimator;
}

/**
 * Passwords stand in front of Argon2id (64 MiB): score 3 (about 10⁸ guesses) is out of reach of guessing
 * at the login screen and costly offline. A backup passphrase guards a file that may travel, behind
 * SQLCipher's PBKDF2, so it needs the top score (10¹⁰ guesses and more).
 */
const MIN_SCORE = { password: 3, passphrase: 4 } as const;

export type StrengthVerdict = { ok: true } | { ok: false; reason: string };

export function judgeSecret(secret: string, kind: keyof typeof MIN_SCORE, personal: string[] = []): StrengthVerdict {
  const result = zxcvbn().check(secret.slice(0, 256), personal.flatMap((value) => [value, ...value.split(/[\s._-]+/)]).filter(Boolean));
  if (result.score >= MIN_SCORE[kind]) return { ok: true };
  // The estimator's warning names what makes it guessable; without one, it is simply too short or too plain.
  return { ok: false, reason: `error.password.weak.${result.feedback.warning ?? 'guessable'}` };
}

/** Refuses a weak secret with the reason next to its field. */
export function assertStrongPassword(secret: string, field: string, personal: string[] = [], kind: keyof typeof MIN_SCORE = 'password'): void {
  const verdict = judgeSecret(secret, kind, personal);
  if (!verdict.ok) throw new DomainError('INVALID_INPUT', 'error.invalidInput', { [field]: verdict.reason });
}

export const WEAKNESS_REASONS = [
  'straightRow',
  'keyPattern',
  'simpleRepeat',
  'extendedRepeat',
  'sequences',
  'recentYears',
  'dates',
  'topTen',
  'topHundred',
  'common',
  'similarToCommon',
  'wordByItself',
  'namesByThemselves',
  'commonNames',
  'userInputs',
  'pwned',
  'guessable',
] as const;
