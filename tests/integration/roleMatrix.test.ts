/**
 * Issue 7: every channel × every role (and no session, a locked session, and a temporary password)
 * is allowed or refused exactly as the contract's `access` says. Each channel gets an input that
 * passes its schema, so the router's session and role checks are what decide the answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedOnServer } from '../../main/server/http.js';
import { CHANNEL_NAMES, contract, type ChannelName, type ErrorCode, type Result, type Role } from '../../preload/contract/index.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { makeApp } from '../helpers/app.js';
import { ENGINES, openWithAdmin, useEngines, type Engine, type EngineApp } from '../helpers/engineApp.js';
import { intakeInput, WEEKDAYS_8_TO_17 } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { SV_MAILING_LABELS } from '../fixtures/mailingLabels.js';

const tempDir = useTempDirs();
/** The matrix runs on both engines (#14); a journal not yet set up is the local journal's only. */
const engines = useEngines();

const DAY = '2031-03-04';
const IDENTITY_KEYS = ['admin', 'receptionist', 'therapist', 'receptionistTherapist'] as const;
type IdentityKey = (typeof IDENTITY_KEYS)[number];

interface Identity {
  key: IdentityKey;
  id: string;
  username: string;
  password: string;
  roles: Role[];
}

/** Real ids from the journal, some per identity so that each identity's writes succeed on their own. */
interface Ids {
  victim: string;
  child: string;
  third: string;
  appointment: string;
  group: string;
  /** A member of the group and one of its sessions, for attendance. */
  member: string;
  groupSession: string;
  /** A group per identity that may end one. */
  groupsToEnd: Partial<Record<IdentityKey, string>>;
  spareUser: string;
  emergencySeq: number;
  therapistId: string;
  drafts: Partial<Record<IdentityKey, { toSign: string; toDelete: string }>>;
  toCancel: Partial<Record<IdentityKey, string>>;
  backupFile: string;
  /** A contact person in the network and a network day, made by the admin. */
  contact: string;
  networkDay: string;
}

interface Call {
  input: (who: Identity) => unknown;
  /** Where an allowed call still does not answer ok: the domain refusal expected, and why. */
  refusal?: { code: ErrorCode; why: string };
}

/** Answers that only the router's access check gives: an allowed call must never get one of these. */
const ACCESS_CODES: ErrorCode[] = ['FORBIDDEN', 'NOT_SIGNED_IN', 'LOCKED', 'PASSWORD_CHANGE_REQUIRED'];

/** Channels that end or replace the session: called last, after every other channel, in this order. */
const SESSION_TAIL: ChannelName[] = ['auth.lock', 'auth.recover', 'auth.login', 'auth.logout'];

/** Channels a user holding a temporary password may still use (besides the public ones). */
const BEFORE_PASSWORD_CHANGE: ChannelName[] = ['app.status', 'auth.changePassword', 'auth.lock', 'auth.logout', 'session.activity'];

const NO_FILTER = { userId: null, clientId: null, from: null, to: null, action: null, emergencyOnly: false, unreviewedOnly: false };
const SAFE_CONTACT = { phone: '', safeToCall: false, safeToText: false, safeVoicemail: false, safeTimes: '', codeWord: '', instructions: '' };
const BACKUP_PASSPHRASE = 'Matrisens-egen-backupfras-2031!';
const SLOT = { receptionist: 0, therapist: 1, receptionistTherapist: 2, admin: 3 } as const;

const allows = (channel: ChannelName, roles: readonly Role[]): boolean => {
  const access = contract[channel].access;
  return access === 'public' || access === 'session' || access.some((role) => roles.includes(role));
};

/**
 * A minimal valid input for every channel, in the order they are called (writes before the reads and
 * removals that depend on them). Only the admin holds 'admin', so admin-only writes run once.
 */
function calls(ids: Ids): Record<ChannelName, Call> {
  const draft = (who: Identity) => ids.drafts[who.key] ?? ids.drafts.therapist!;
  const slot = (who: Identity) => SLOT[who.key];
  return {
    'app.status': { input: () => ({}) },
    'workstation.get': { input: () => ({}) },
    'workstation.update': { input: () => ({ discreet: true }) },
    'auth.setup': {
      input: () => ({
        displayName: 'Ny Administratör',
        username: 'ny.admin',
        password: 'ett-annat-långt-lösen',
        passwordRepeat: 'ett-annat-långt-lösen',
      }),
      refusal: { code: 'ALREADY_SET_UP', why: 'the journal already exists; setup runs once per folder' },
    },
    'workstation.connectServer': {
      input: () => ({ url: 'https://utvag-server.invalid:8443', chooseCa: false }),
      refusal: { code: 'ALREADY_SET_UP', why: 'a workstation holding a journal never becomes a server client by a click' },
    },
    'auth.changePassword': {
      input: () => ({ currentPassword: 'inte-mitt-lösenord', newPassword: 'ett-helt-nytt-lösenord', newPasswordRepeat: 'ett-helt-nytt-lösenord' }),
      refusal: { code: 'WRONG_CREDENTIALS', why: 'a wrong current password, so that the identity keeps its own' },
    },
    'session.activity': { input: () => ({}) },
    'settings.get': { input: () => ({}) },
    'settings.update': { input: () => ({ idleLockMinutes: 15 }) },
    'users.list': { input: () => ({}) },
    'users.create': { input: () => ({ displayName: 'Ny Matrisperson', username: 'matris.ny', roles: ['receptionist'] }) },
    'users.resetPassword': { input: () => ({ userId: ids.spareUser }) },
    'users.setRoles': { input: () => ({ userId: ids.spareUser, roles: ['receptionist', 'therapist'] }) },
    'users.deactivate': { input: () => ({ userId: ids.spareUser }) },
    'auth.rekey': {
      input: () => ({ password: 'inte-mitt-lösenord' }),
      refusal: { code: 'WRONG_CREDENTIALS', why: 'a wrong password, so that the journal keeps its key' },
    },

    'org.get': { input: () => ({}) },
    'org.saveWaitingRoom': { input: () => ({ id: null, siteId: 'skaraborg', entranceId: 'skaraborg-main', name: 'Matrisväntrummet', capacity: 3 }) },
    'org.saveRoom': { input: () => ({ id: null, siteId: 'skaraborg', name: 'Matrisrummet', active: true }) },
    'org.saveEntrance': { input: () => ({ id: null, siteId: 'skaraborg', name: 'Matrisentrén' }) },
    'org.setTrackRoute': {
      input: () => ({ siteId: 'skaraborg', track: 'victim', entranceId: 'skaraborg-main', waitingRoomId: 'skaraborg-wr-victims' }),
    },
    'org.setMunicipality': { input: () => ({ code: '1499', name: 'Falköping', region: 'skaraborg', etapp2: true, etapp2Children: true }) },
    'org.saveTherapist': { input: () => ({ userId: ids.therapistId, siteId: 'skaraborg', tracks: ['victim', 'child'], hours: WEEKDAYS_8_TO_17 }) },

    // Only the admin holds 'admin': the register's writes run once.
    'contacts.list': { input: () => ({ filter: { status: 'all', agencyKind: null, municipalityCode: null, text: '' } }) },
    'contacts.save': {
      input: () => ({
        id: null,
        name: 'Matris Kontaktsson',
        agencyKind: 'police',
        agency: 'Polisen, Matrisområdet',
        unit: '',
        municipalityCode: '1496',
        role: 'Brottsoffersamordnare',
        email: 'matris.kontaktsson@polis.example',
        phone: '',
        assignmentStart: '2026-01-01',
        assignmentEnd: null,
      }),
    },
    'contacts.delete': { input: () => ({ id: ids.contact }) },
    'contacts.mailingListCsv': { input: () => ({ filter: { agencyKind: null, municipalityCode: null, text: '' }, labels: SV_MAILING_LABELS }) },
    'contacts.referrers': { input: () => ({}) },
    'networkDays.list': { input: () => ({}) },
    'networkDays.save': { input: () => ({ id: null, date: '2031-03-12', title: 'Matrisens nätverksdag', siteId: 'skaraborg' }) },
    'networkDays.setAttendance': { input: () => ({ networkDayId: ids.networkDay, contactIds: [] }) },

    'intake.register': { input: (who) => intakeInput('victim', `Matris Nykomling ${who.key}`) },
    'clients.search': { input: () => ({ side: 'victims', query: 'Matris' }) },
    'clients.get': { input: () => ({ side: 'victims', clientId: ids.victim }) },
    'clients.updateContact': {
      input: () => ({ side: 'victims', clientId: ids.victim, safeContact: SAFE_CONTACT, address: '', protectedIdentity: false }),
    },
    'clients.update': {
      input: () => ({
        side: 'victims',
        clientId: ids.victim,
        anonymous: false,
        name: 'Matris Offersdotter',
        personalNumber: '',
        municipalityCode: '1496',
        childrenUnder18: 1,
        language: '',
        interpreterNeeded: false,
      }),
    },
    'clients.findForLink': { input: () => ({ side: 'victims', query: 'Matris Offersdotter' }) },
    // A pair can be linked once: each receptionist links a different pair.
    'clients.link': {
      input: (who) => ({ side: 'victims', clientId: ids.victim, otherClientId: who.key === 'receptionist' ? ids.child : ids.third, kind: 'other' }),
    },
    'schedule.range': { input: () => ({ side: 'victims', siteId: 'skaraborg', from: DAY, days: 7, therapistId: null, roomId: null }) },
    'schedule.today': { input: () => ({ side: 'victims', siteId: 'skaraborg', date: DAY }) },
    'appointments.book': {
      input: (who) => ({
        side: 'victims',
        clientId: ids.victim,
        groupId: null,
        kind: 'individual',
        siteId: 'skaraborg',
        therapistId: ids.therapistId,
        roomId: 'skaraborg-r2',
        date: DAY,
        start: `1${3 + slot(who)}:00`,
        durationMinutes: 30,
        note: '',
      }),
    },
    'appointments.move': {
      input: () => ({
        side: 'victims',
        appointmentId: ids.appointment,
        date: DAY,
        start: '09:00',
        durationMinutes: 60,
        therapistId: ids.therapistId,
        roomId: 'skaraborg-r1',
      }),
    },
    'appointments.setStatus': { input: () => ({ side: 'victims', appointmentId: ids.appointment, status: 'booked' }) },
    'appointments.cancel': {
      input: (who) => ({ side: 'victims', appointmentId: ids.toCancel[who.key] ?? ids.appointment, reason: 'Klienten avbokade' }),
    },
    'slots.find': {
      input: () => ({
        side: 'victims',
        siteId: 'skaraborg',
        clientId: ids.victim,
        groupId: null,
        therapistId: null,
        kind: 'individual',
        durationMinutes: 60,
        needsRoom: true,
        fromDate: DAY,
        days: 2,
      }),
    },
    'waitingList.list': { input: () => ({ side: 'victims' }) },
    'groups.list': { input: () => ({ side: 'victims', siteId: 'skaraborg' }) },
    'groups.create': {
      input: (who) => ({
        side: 'victims',
        siteId: 'skaraborg',
        track: 'victim',
        name: `Matrisgruppen ${who.key}`,
        therapistId: ids.therapistId,
        roomId: 'skaraborg-g1',
        firstDate: `2031-04-0${1 + slot(who)}`,
        start: '09:00',
        durationMinutes: 60,
        sessions: 1,
      }),
    },
    // Added and removed again in the same turn, so the next identity can add the member anew.
    'groups.addMember': { input: () => ({ side: 'victims', groupId: ids.group, clientId: ids.victim }) },
    'groups.removeMember': { input: () => ({ side: 'victims', groupId: ids.group, clientId: ids.victim }) },
    'etapp2.followUps': { input: () => ({ side: 'victims', track: 'victim', from: '2026-01-01' }) },
    'etapp2.setFollowUp': {
      input: () => ({ side: 'victims', intakeId: 'intake-none', status: 'contacted' }),
      refusal: { code: 'NOT_FOUND', why: 'no intake of the matrix is routed to a municipality' },
    },
    'groups.sessions': { input: () => ({ side: 'victims', groupId: ids.group }) },
    'groups.setAttendance': {
      input: () => ({ side: 'victims', appointmentId: ids.groupSession, attendance: [{ clientId: ids.member, status: 'cancelled' }] }),
    },
    'groups.end': { input: (who) => ({ side: 'victims', groupId: ids.groupsToEnd[who.key] ?? ids.group, reason: 'Gruppen avslutas' }) },

    'journal.myClients': { input: () => ({}) },
    'journal.myDrafts': { input: () => ({ side: 'victims' }) },
    'journal.open': { input: () => ({ clientId: ids.victim }) },
    'journal.emergencyOpen': { input: () => ({ clientId: ids.victim, reason: 'Akut läge, behandlaren är sjuk idag' }) },
    'journal.findClient': { input: () => ({ query: 'Matris' }) },
    'journal.saveDraft': { input: () => ({ clientId: ids.victim, entryId: null, kind: 'note', body: 'Fiktiv matrisanteckning' }) },
    'journal.sign': { input: (who) => ({ entryId: draft(who).toSign, password: who.password }) },
    'journal.amend': { input: (who) => ({ entryId: draft(who).toSign, reason: 'Rättelse av datum', body: 'Rättad text', password: who.password }) },
    'journal.deleteDraft': { input: (who) => ({ entryId: draft(who).toDelete }) },
    'journal.export': { input: () => ({ clientId: ids.victim }) },
    // Assigned and ended again in the same turn, on a client no therapist here needs for the journal channels.
    'care.assign': { input: () => ({ side: 'victims', clientId: ids.child, therapistId: ids.therapistId }) },
    'care.end': { input: () => ({ side: 'victims', clientId: ids.child, therapistId: ids.therapistId }) },

    'audit.search': { input: () => ({ filter: NO_FILTER, page: 0 }) },
    'audit.markReviewed': { input: () => ({ seq: ids.emergencySeq, note: 'Granskad i matristestet' }) },
    'audit.exportCsv': { input: () => ({ filter: NO_FILTER }) },
    'audit.clientExtract': { input: () => ({ clientId: ids.victim }) },
    'audit.verify': { input: () => ({}) },
    'retention.report': { input: () => ({ years: 10 }) },
    'stats.report': { input: () => ({ year: 2026, quarter: 1 }) },
    'stats.exportCsv': { input: () => ({ year: 2026, quarter: 2 }) },
    'backup.export': { input: () => ({ path: ids.backupFile, passphrase: BACKUP_PASSPHRASE, passphraseRepeat: BACKUP_PASSPHRASE }) },
    'backup.verify': { input: () => ({ path: ids.backupFile, passphrase: BACKUP_PASSPHRASE }) },
    // Never a real restore: a file that does not exist is refused before anything is touched.
    'backup.restore': {
      input: () => ({ path: `${ids.backupFile}.saknas`, passphrase: BACKUP_PASSPHRASE }),
      refusal: { code: 'NOT_FOUND', why: 'the backup file does not exist, so the journal is never replaced' },
    },
    'backup.status': { input: () => ({}) },
    'backup.progress': { input: () => ({}) },
    'backup.leftovers.list': { input: () => ({}) },
    // Never a real removal: an id that no listed file has is refused before anything is removed.
    'backup.leftovers.remove': {
      input: () => ({ ids: ['data:journal.db.before-restore-2001-01-01T00-00-00-000Z'] }),
      refusal: { code: 'NOT_FOUND', why: 'no such leftover is listed, so nothing is removed' },
    },
    'backup.schedule.update': {
      input: () => ({
        enabled: true,
        folder: path.dirname(ids.backupFile),
        intervalHours: 24,
        keep: 2,
        passphrase: BACKUP_PASSPHRASE,
        passphraseRepeat: BACKUP_PASSPHRASE,
      }),
    },
    // A real run into the matrix's own backup folder, set up by the schedule just above.
    'backup.runNow': { input: () => ({}) },
    // Only asks whether a file dialog exists (the router under test has none): no dialog opens in a test.
    'backup.chooseFile': { input: () => ({ purpose: 'probe' }) },

    'auth.lock': { input: () => ({}) },
    'auth.recover': {
      input: (who) => ({
        recoveryCode: 'FELA-KTIG-ÅTER-STÄLL-NING',
        username: who.username,
        newPassword: 'ett-helt-nytt-lösenord',
        newPasswordRepeat: 'ett-helt-nytt-lösenord',
      }),
      refusal: { code: 'WRONG_CREDENTIALS', why: 'a wrong recovery code, so that no password or recovery code changes' },
    },
    'auth.login': { input: (who) => ({ username: who.username, password: who.password }) },
    'auth.logout': { input: () => ({}) },
  };
}

/** Placeholder ids: enough for the schema checks and for refusals that never reach a handler. */
const PLACEHOLDER_IDS: Ids = {
  victim: 'c-1',
  child: 'c-2',
  third: 'c-3',
  appointment: 'a-1',
  group: 'g-1',
  member: 'c-4',
  groupSession: 'a-2',
  groupsToEnd: {},
  spareUser: 'u-1',
  emergencySeq: 1,
  therapistId: 'u-2',
  drafts: { therapist: { toSign: 'e-1', toDelete: 'e-2' } },
  toCancel: {},
  backupFile: path.join(os.tmpdir(), 'matris.utvagbackup'),
  contact: 'k-1',
  networkDay: 'n-1',
};
const PLACEHOLDER_WHO: Identity = {
  key: 'admin',
  id: 'u-0',
  username: FICTIONAL_ADMIN.username,
  password: FICTIONAL_ADMIN.password,
  roles: ['admin'],
};

function callOrder(table: Record<ChannelName, Call>): ChannelName[] {
  const names = Object.keys(table) as ChannelName[];
  return [...names.filter((name) => !SESSION_TAIL.includes(name)), ...SESSION_TAIL];
}

interface World {
  t: EngineApp;
  ids: Ids;
  people: Record<IdentityKey, Identity>;
  dirs: string[];
}

const password = (key: IdentityKey) => `matrisens-${key}-lösenord-7`;

async function buildWorld(engine: Engine): Promise<World> {
  const backupDir = mkdtempSync(path.join(os.tmpdir(), 'utvag-matrix-backup-'));
  const t = await openWithAdmin(engines, engine);
  const admin: Identity = {
    key: 'admin',
    id: t.user!.id,
    username: FICTIONAL_ADMIN.username,
    password: FICTIONAL_ADMIN.password,
    roles: ['admin'],
  };

  const accounts: { key: Exclude<IdentityKey, 'admin'>; username: string; roles: Role[] }[] = [
    { key: 'receptionist', username: 'matris.reception', roles: ['receptionist'] },
    { key: 'therapist', username: 'matris.terapeut', roles: ['therapist'] },
    { key: 'receptionistTherapist', username: 'matris.bada', roles: ['receptionist', 'therapist'] },
  ];
  const temporary: Partial<Record<IdentityKey, string>> = {};
  const people = { admin } as Record<IdentityKey, Identity>;
  for (const account of accounts) {
    const created = await t.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', {
      displayName: `Matris ${account.key}`,
      username: account.username,
      roles: account.roles,
    });
    temporary[account.key] = created.temporaryPassword;
    people[account.key] = {
      key: account.key,
      id: created.user.id,
      username: account.username,
      password: password(account.key),
      roles: account.roles,
    };
    if (account.roles.includes('therapist')) {
      await t.ok('org.saveTherapist', { userId: created.user.id, siteId: 'skaraborg', tracks: ['victim', 'child'], hours: WEEKDAYS_8_TO_17 });
    }
  }
  // A contact person (deleted by the matrix) and a network day (its attendance set by the matrix), by the admin.
  const contact = await t.ok<{ contact: { id: string } }>('contacts.save', {
    id: null,
    name: 'Matris Reservkontakt',
    agencyKind: 'hospital',
    agency: 'Matrissjukhuset',
    unit: '',
    municipalityCode: null,
    role: '',
    email: '',
    phone: '08-465 004 01',
    assignmentStart: '2026-01-01',
    assignmentEnd: null,
  });
  const networkDay = await t.ok<{ id: string }>('networkDays.save', { id: null, date: '2031-03-11', title: 'Matrisdagen', siteId: null });
  const spare = await t.ok<{ user: { id: string } }>('users.create', {
    displayName: 'Matris Reserv',
    username: 'matris.reserv',
    roles: ['receptionist'],
  });

  const firstSignIn = async (key: IdentityKey) => {
    await t.ok('auth.login', { username: people[key].username, password: temporary[key] });
    await t.ok('auth.changePassword', { currentPassword: temporary[key], newPassword: password(key), newPasswordRepeat: password(key) });
  };

  // The receptionist registers the clients and books what the others will work on.
  await firstSignIn('receptionist');
  const therapistId = people.therapist.id;
  const register = async (track: 'victim' | 'child', name: string) =>
    (await t.ok<{ clientId: string }>('intake.register', intakeInput(track, name))).clientId;
  const victim = await register('victim', 'Matris Offersdotter');
  const child = await register('child', 'Matris Barnsson');
  const third = await register('child', 'Matris Tredjesson');
  const book = async (start: string) =>
    (
      await t.ok<{ appointment: { id: string } }>('appointments.book', {
        side: 'victims',
        clientId: victim,
        groupId: null,
        kind: 'individual',
        siteId: 'skaraborg',
        therapistId,
        roomId: 'skaraborg-r1',
        date: DAY,
        start,
        durationMinutes: 60,
        note: '',
      })
    ).appointment.id;
  const appointment = await book('09:00');
  const toCancel = { receptionist: await book('10:00'), receptionistTherapist: await book('11:00') };
  const group = await t.ok<{ id: string; upcomingSessions: { id: string }[] }>('groups.create', {
    side: 'victims',
    siteId: 'skaraborg',
    track: 'victim',
    name: 'Matrisens grupp',
    therapistId,
    roomId: 'skaraborg-g1',
    firstDate: '2031-03-05',
    start: '09:00',
    durationMinutes: 90,
    sessions: 2,
  });
  const member = await register('victim', 'Matris Gruppdotter');
  await t.ok('groups.addMember', { side: 'victims', groupId: group.id, clientId: member });
  const groupsToEnd: Ids['groupsToEnd'] = {};
  for (const [index, key] of (['receptionist', 'receptionistTherapist'] as const).entries()) {
    groupsToEnd[key] = (
      await t.ok<{ id: string }>('groups.create', {
        side: 'victims',
        siteId: 'skaraborg',
        track: 'victim',
        name: `Matrisens grupp att avsluta ${index}`,
        therapistId,
        roomId: 'skaraborg-g1',
        firstDate: `2031-05-0${index + 5}`,
        start: '09:00',
        durationMinutes: 60,
        sessions: 2,
      })
    ).id;
  }
  for (const key of ['therapist', 'receptionistTherapist'] as const) {
    await t.ok('care.assign', { side: 'victims', clientId: victim, therapistId: people[key].id });
  }

  // Each therapist writes two drafts of their own: one to sign and amend, one to delete.
  const drafts: Ids['drafts'] = {};
  for (const key of ['therapist', 'receptionistTherapist'] as const) {
    await firstSignIn(key);
    const write = async () =>
      (await t.ok<{ id: string }>('journal.saveDraft', { clientId: victim, entryId: null, kind: 'note', body: `Utkast av ${key}` })).id;
    drafts[key] = { toSign: await write(), toDelete: await write() };
  }
  // An emergency access for the admin to review.
  await t.ok('journal.emergencyOpen', { clientId: child, reason: 'Akut läge i matristestet' });
  const emergencySeq = (await t.db.get<{ seq: number }>('SELECT seq FROM access_log WHERE emergency = 1 ORDER BY seq LIMIT 1'))!.seq;

  return {
    t,
    people,
    dirs: [backupDir],
    ids: {
      victim,
      child,
      third,
      appointment,
      group: group.id,
      member,
      groupSession: group.upcomingSessions[0]!.id,
      groupsToEnd,
      spareUser: spare.user.id,
      emergencySeq,
      therapistId,
      drafts,
      toCancel,
      backupFile: path.join(backupDir, 'matris.utvagbackup'),
      contact: contact.contact.id,
      networkDay: networkDay.id,
    },
  };
}

const code = (result: Result<unknown>) => (result.ok ? 'ok' : result.error.code);

describe('the contract table', () => {
  it('has a valid input for every channel, and every input passes its schema', () => {
    const table = calls(PLACEHOLDER_IDS);
    // A new channel must be added to the table (and so to the matrix).
    expect(Object.keys(table).sort()).toEqual([...CHANNEL_NAMES].sort());
    for (const name of CHANNEL_NAMES) {
      const parsed = contract[name].input.safeParse(table[name].input(PLACEHOLDER_WHO));
      expect(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });
});

describe('with no journal set up', () => {
  it('every non-public channel answers NOT_SIGNED_IN, and the public ones answer without a session', async () => {
    const t = makeApp(tempDir());
    const table = calls(PLACEHOLDER_IDS);
    const order = callOrder(table).filter((name) => name !== 'auth.setup');
    for (const name of order.filter((channel) => contract[channel].access !== 'public')) {
      expect(await t.call(name, table[name].input(PLACEHOLDER_WHO)), name).toEqual({
        ok: false,
        error: { code: 'NOT_SIGNED_IN', message: 'error.notSignedIn' },
      });
    }
    const publicAnswers = Object.fromEntries(
      await Promise.all(
        order
          .filter((channel) => contract[channel].access === 'public')
          .map(async (name) => [name, code(await t.call(name, table[name].input(PLACEHOLDER_WHO)))]),
      ),
    );
    // Signing in or recovering needs a journal to open: the handler itself says so.
    expect(publicAnswers).toEqual({
      'app.status': 'ok',
      'workstation.get': 'ok',
      'workstation.update': 'ok',
      'auth.login': 'NOT_SIGNED_IN',
      'auth.recover': 'NOT_SIGNED_IN',
      // Only the app's and the harness's workstation shell can switch to a server; a bare router (the CLI's) cannot.
      'workstation.connectServer': 'FORBIDDEN',
    });
    // Setup is public: it needs no session (and creates the first one).
    expect(code(await t.call('auth.setup', table['auth.setup'].input(PLACEHOLDER_WHO)))).toBe('ok');
  });
});

describe.each(ENGINES)('every channel × every role (%s)', (engine) => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(engine);
  }, 90_000);
  afterAll(() => {
    if (!w) return;
    for (const dir of w.dirs) rmSync(dir, { recursive: true, force: true });
  });

  const logRows = async () => (await w.t.db.get<{ n: number }>('SELECT count(*) AS n FROM access_log'))!.n;
  /** What only the local journal does (its file, key, backups as files, the workstation) the server refuses for everyone, first. */
  const NOT_ON_SERVER = { ok: false, error: { code: 'FORBIDDEN', message: 'error.notOnServer' } };
  const notOnServer = (name: ChannelName) => engine === 'postgres' && refusedOnServer(name);

  /**
   * Every non-public channel answers `expected` and nothing runs. On the server a signed-out session
   * is gone: its token is told the session ended (the wire protocol's NOT_SIGNED_IN), not locked.
   */
  async function expectAllRefused(expected: 'LOCKED' | 'PASSWORD_CHANGE_REQUIRED' | 'ENDED', who: Identity, except: ChannelName[] = []) {
    const table = calls(w.ids);
    const error =
      expected === 'LOCKED'
        ? { code: 'LOCKED', message: 'error.locked' }
        : expected === 'ENDED'
          ? { code: 'NOT_SIGNED_IN', message: 'error.sessionEnded' }
          : { code: 'PASSWORD_CHANGE_REQUIRED', message: 'error.passwordChangeRequired' };
    for (const name of CHANNEL_NAMES.filter((channel) => contract[channel].access !== 'public' && !except.includes(channel))) {
      expect(await w.t.call(name, table[name].input(who)), `${name} ${expected}`).toEqual(notOnServer(name) ? NOT_ON_SERVER : { ok: false, error });
    }
  }

  it.each(IDENTITY_KEYS)('%s: allowed channels answer, the others are FORBIDDEN', async (key) => {
    const who = w.people[key];
    const table = calls(w.ids);
    await w.t.ok('auth.login', { username: who.username, password: who.password });
    for (const name of callOrder(table)) {
      const call = table[name];
      const signedIn = w.t.user !== null;
      const before = signedIn ? await logRows() : 0;
      const result = await w.t.call(name, call.input(who));
      const context = `${key} → ${name}: ${JSON.stringify(result.ok ? 'ok' : result.error)}`;
      if (notOnServer(name)) expect(result, context).toEqual(NOT_ON_SERVER);
      else if (allows(name, who.roles)) {
        if (!result.ok) expect(ACCESS_CODES, context).not.toContain(result.error.code);
        expect(code(result), context).toBe(call.refusal?.code ?? 'ok');
      } else {
        expect(result, context).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'error.forbidden' } });
        // A refused call reaches no handler: not even an access-log row.
        if (signedIn) expect(await logRows(), context).toBe(before);
      }
      if (name === 'auth.lock' || name === 'auth.logout') {
        expect(w.t.user).toBeNull();
        await expectAllRefused(engine === 'postgres' && name === 'auth.logout' ? 'ENDED' : 'LOCKED', who);
      }
    }
  });

  it('a user with a temporary password may only change it, lock, sign out or keep the session alive', async () => {
    // The matrix ends signed out: the admin signs in again to add someone with a temporary password.
    await w.t.ok('auth.login', { username: w.people.admin.username, password: w.people.admin.password });
    const created = await w.t.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', {
      displayName: 'Matris Tillfällig',
      username: 'matris.tillfallig',
      roles: ['receptionist', 'therapist', 'admin'],
    });
    // Holding every role, so that PASSWORD_CHANGE_REQUIRED cannot be mistaken for FORBIDDEN.
    const who: Identity = {
      key: 'admin',
      id: created.user.id,
      username: 'matris.tillfallig',
      password: created.temporaryPassword,
      roles: ['receptionist', 'therapist', 'admin'],
    };
    const signIn = () => w.t.ok('auth.login', { username: who.username, password: who.password });
    await signIn();
    expect(w.t.user?.mustChangePassword).toBe(true);
    await expectAllRefused('PASSWORD_CHANGE_REQUIRED', who, BEFORE_PASSWORD_CHANGE);
    expect(code(await w.t.call('app.status'))).toBe('ok');
    expect(code(await w.t.call('session.activity'))).toBe('ok');
    // The workstation's own preferences: answered by the workstation, never by the server.
    expect(code(await w.t.call('workstation.get'))).toBe(engine === 'sqlite' ? 'ok' : 'FORBIDDEN');
    expect(code(await w.t.call('auth.lock'))).toBe('ok');
    await signIn();
    expect(code(await w.t.call('auth.logout'))).toBe('ok');
    await signIn();
    const chosen = 'matrisens-tillfalliga-blev-eget';
    expect(code(await w.t.call('auth.changePassword', { currentPassword: who.password, newPassword: chosen, newPasswordRepeat: chosen }))).toBe('ok');
    expect(code(await w.t.call('users.list'))).toBe('ok');
  });
});
