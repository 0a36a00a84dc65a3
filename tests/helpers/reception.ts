import { intakeInput } from '../fixtures/intake.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { setUpWithAdmin, type TestApp } from './app.js';

export const WEEKDAYS_8_TO_17 = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '17:00' }));

export interface ReceptionApp extends TestApp {
  therapists: { victims: string; perpetrators: string };
  /** Registers a minimal first call and returns the new client's id. */
  newClient(track: 'victim' | 'perpetrator' | 'child', name: string, extra?: Record<string, unknown>): Promise<string>;
}

export { intakeInput };

/** The input of `appointments.book` for an hour's individual booking at Skaraborg, the site setUpReception staffs. */
export function skaraborgBooking(
  side: 'victims' | 'perpetrators',
  clientId: string,
  therapistId: string,
  date: string,
  start: string,
  roomId: string,
) {
  return { side, clientId, groupId: null, kind: 'individual', siteId: 'skaraborg', therapistId, roomId, date, start, durationMinutes: 60, note: '' };
}

/**
 * A journal with an admin who is also a receptionist, and two therapists at Skaraborg (one per
 * side) working weekdays 08–17. The session stays signed in as the admin-receptionist.
 */
export async function setUpReception(dataDir: string): Promise<ReceptionApp> {
  const t = await setUpWithAdmin(dataDir);
  const adminId = t.app.user!.id;
  // The admin also takes the reception role, so one session can do both in tests.
  t.app.db.prepare(`INSERT INTO user_roles (user_id, role) VALUES (?, 'receptionist')`).run(adminId);
  await t.ok('auth.login', { username: t.app.user!.username, password: FICTIONAL_ADMIN.password });
  return { ...t, ...(await staffReception(t.ok)) };
}

/** The two therapists of setUpReception (made by the signed-in admin) and the first-call helper, on whatever app `ok` calls. */
export async function staffReception(ok: TestApp['ok']): Promise<{ therapists: ReceptionApp['therapists']; newClient: ReceptionApp['newClient'] }> {
  const victimsTherapist = await ok<{ user: { id: string } }>('users.create', {
    displayName: 'Vera Behandlarsson',
    username: 'vera.b',
    roles: ['therapist'],
  });
  const perpetratorsTherapist = await ok<{ user: { id: string } }>('users.create', {
    displayName: 'Per Behandlarsson',
    username: 'per.b',
    roles: ['therapist'],
  });
  await ok('org.saveTherapist', { userId: victimsTherapist.user.id, siteId: 'skaraborg', tracks: ['victim', 'child'], hours: WEEKDAYS_8_TO_17 });
  await ok('org.saveTherapist', { userId: perpetratorsTherapist.user.id, siteId: 'skaraborg', tracks: ['perpetrator'], hours: WEEKDAYS_8_TO_17 });
  return { therapists: { victims: victimsTherapist.user.id, perpetrators: perpetratorsTherapist.user.id }, newClient: newClientOn(ok) };
}

/** The first-call helper of setUpReception on whatever app `ok` calls. */
export function newClientOn(ok: TestApp['ok']): ReceptionApp['newClient'] {
  return async (track, name, extra = {}) => (await ok<{ clientId: string }>('intake.register', intakeInput(track, name, extra))).clientId;
}
