import type { Role, Track } from '../../preload/contract/index.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';

// Where the tests have always found it.
export { personnummer } from '../fixtures/people.js';
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
  return personOn(t, { id: created.user.id, username, password });
}

/** A person made earlier (on a journal this one is a copy of), signing in on this app. */
export function personOn(t: Pick<TestApp, 'ok'>, person: Pick<Person, 'id' | 'username' | 'password'>): Person {
  const { id, username, password } = person;
  return { id, username, password, signIn: () => t.ok('auth.login', { username, password }).then(() => undefined) };
}

/** The admin of setUpReception (admin and receptionist). */
export async function signInAdmin(t: Pick<TestApp, 'ok'>): Promise<void> {
  await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
}
