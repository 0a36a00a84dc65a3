import type { Role, Track } from '../../preload/contract/index.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import type { TestApp } from './app.js';
import { WEEKDAYS_8_TO_17 } from './reception.js';

export interface Person {
  id: string;
  username: string;
  password: string;
  /** Signs this person in (the session of the test app becomes theirs). */
  signIn(): Promise<void>;
}

/**
 * A new user made by the admin (who must be signed in), with the tracks given if a therapist at
 * Skaraborg, who then chooses their own password at a first sign-in. The admin is signed in again after.
 */
export async function newPerson(t: Pick<TestApp, 'ok'>, displayName: string, username: string, roles: Role[], tracks: Track[] = []): Promise<Person> {
  const created = await t.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', { displayName, username, roles });
  if (roles.includes('therapist')) await t.ok('org.saveTherapist', { userId: created.user.id, siteId: 'skaraborg', tracks, hours: WEEKDAYS_8_TO_17 });
  const password = `${username}-alldeles-egen-fras`;
  await t.ok('auth.login', { username, password: created.temporaryPassword });
  await t.ok('auth.changePassword', { currentPassword: created.temporaryPassword, newPassword: password, newPasswordRepeat: password });
  await signInAdmin(t);
  return { id: created.user.id, username, password, signIn: () => t.ok('auth.login', { username, password }).then(() => undefined) };
}

/** The admin of setUpReception (admin and receptionist). */
export async function signInAdmin(t: Pick<TestApp, 'ok'>): Promise<void> {
  await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
}

/** A valid personnummer (Luhn check digit) for a birth date YYYYMMDD and a three-digit serial, fictional by construction. */
export function personnummer(date: string, serial: string): string {
  const digits = `${date.slice(2)}${serial}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let value = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    if (value > 9) value -= 9;
    sum += value;
  }
  return `${date}-${serial}${(10 - (sum % 10)) % 10}`;
}
