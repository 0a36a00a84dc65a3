import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAccessLogChain } from '../../db/local/accessLog.js';
import type { Db } from '../../db/connection.js';
import { loadKeyring } from '../../db/journal.js';
import { keyringPath } from '../../db/keyring.js';
import { runBackupCommand } from '../../main/cli/backup.js';
import { runCli } from '../../main/cli/index.js';
import { FICTIONAL_ADMIN, FICTIONAL_CLIENTS } from '../fixtures/people.js';
import { makeApp, setUpWithAdmin, type TestApp } from '../helpers/app.js';
import { setUpReception } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

/**
 * The two disasters of a clinic's journal: the computer is lost (a new installation restores the old
 * one's backup), and journal.db is gone while its key file is still there. Real encrypted journals in
 * temporary folders, through the same router as the app.
 */

const tempDir = useTempDirs();

const PASSPHRASE = 'Fyra fiktiva ord om en stulen dator';
const NEW_ADMIN_PASSWORD = 'ett-nytt-lösenord-på-nya-datorn';
const THERAPIST = { displayName: 'Tova Terapeutsdotter', username: 'tova.t', password: 'terapeutens-egen-långa-fras' };
const RECEPTIONIST = { displayName: 'Rut Receptionsdotter', username: 'rut.r', password: 'receptionens-egen-långa-fras' };
const JOURNAL_TEXT = 'Fiktiv journaltext skriven på den gamla datorn (testrad 7731)';
const VICTIM = FICTIONAL_CLIENTS[0]!;

type LogRow = { action: string; record: string | null; user_id: string | null };

function counts(db: Db): Record<string, number> {
  const names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as {
    name: string;
  }[];
  return Object.fromEntries(names.map(({ name }) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

function logRows(db: Db): LogRow[] {
  return db.prepare('SELECT action, record, user_id FROM access_log ORDER BY seq').all() as LogRow[];
}

function userSlots(dir: string): string[] {
  return loadKeyring(dir)
    .slots.filter((slot) => slot.kind === 'user')
    .map((slot) => slot.userId!)
    .sort();
}

/** A person added by the admin chooses their own password at first sign-in, as at the desk. */
async function addPerson(t: TestApp, person: { displayName: string; username: string; password: string }, roles: string[]): Promise<string> {
  const created = await t.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', {
    displayName: person.displayName,
    username: person.username,
    roles,
  });
  await t.ok('auth.login', { username: person.username, password: created.temporaryPassword });
  await t.ok('auth.changePassword', { currentPassword: created.temporaryPassword, newPassword: person.password, newPasswordRepeat: person.password });
  return created.user.id;
}

/**
 * Installation A, the old computer: an admin (also at the desk), two therapists, a receptionist and a
 * therapist with their own passwords, a client with a signed journal entry; then a backup on another disk.
 */
async function oldInstallation() {
  const dir = tempDir();
  const out = tempDir();
  const a = await setUpReception(dir);
  const victim = await a.newClient('victim', VICTIM.name);
  await a.newClient('perpetrator', FICTIONAL_CLIENTS[1]!.name, { links: [{ clientId: victim, kind: 'partner' }] });
  const therapistId = await addPerson(a, THERAPIST, ['therapist']);
  await a.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
  await a.ok('org.saveTherapist', { userId: therapistId, siteId: 'skaraborg', tracks: ['victim', 'child'], hours: [] });
  await a.ok('care.assign', { side: 'victims', clientId: victim, therapistId });
  const receptionistId = await addPerson(a, RECEPTIONIST, ['receptionist']);
  await a.ok('auth.login', { username: THERAPIST.username, password: THERAPIST.password });
  const draft = await a.ok<{ id: string }>('journal.saveDraft', { clientId: victim, entryId: null, kind: 'note', body: JOURNAL_TEXT });
  await a.ok('journal.sign', { entryId: draft.id, password: THERAPIST.password });
  await a.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
  const file = path.join(out, 'utvag-backup-senaste.db');
  const exported = await a.ok<{ counts: Record<string, number> }>('backup.export', {
    path: file,
    passphrase: PASSPHRASE,
    passphraseRepeat: PASSPHRASE,
  });
  const oldAdminId = a.app.user!.id;
  const activeUsers = (a.app.db.prepare('SELECT count(*) AS n FROM users WHERE active = 1').get() as { n: number }).n;
  a.app.lock('shutdown');
  return { dir, file, backupCounts: exported.counts, victim, therapistId, receptionistId, oldAdminId, activeUsers };
}

describe('a new computer restores the lost one’s backup', () => {
  it('the restoring admin signs in and sees the data, restored users get new passwords, and the new recovery code opens it', async () => {
    const old = await oldInstallation();

    // Before the fix this restore signed the admin out and nobody could sign in with a password: the new keyring had
    // a slot only for the new admin, whose id is not in the backup, and none for the backup's users.
    const dir = tempDir();
    const b = await setUpWithAdmin(dir);
    await b.ok('auth.changePassword', {
      currentPassword: FICTIONAL_ADMIN.password,
      newPassword: NEW_ADMIN_PASSWORD,
      newPasswordRepeat: NEW_ADMIN_PASSWORD,
    });
    const newAdminId = b.app.user!.id;
    expect(newAdminId).not.toBe(old.oldAdminId);

    // Another installation's backup: nothing here can prove who made it, so verify says so and names its admins, and
    // the restore wants the checksum of that verify as the admin's confirmation (issue #12).
    const verified = await b.ok<{ origin: string; checksum: string; admins: { username: string; here: string }[] }>('backup.verify', {
      path: old.file,
      passphrase: PASSPHRASE,
    });
    expect(verified.origin).toBe('elsewhere');
    expect(verified.admins).toEqual([expect.objectContaining({ username: FICTIONAL_ADMIN.username, here: 'absent' })]);
    expect(await b.call('backup.restore', { path: old.file, passphrase: PASSPHRASE })).toMatchObject({
      ok: false,
      error: { message: 'error.backup.foreignNotConfirmed' },
    });
    const restored = await b.ok<Record<string, unknown>>('backup.restore', {
      path: old.file,
      passphrase: PASSPHRASE,
      confirmedChecksum: verified.checksum,
    });
    expect(restored).toMatchObject({
      signedOut: false,
      counts: old.backupCounts,
      addedRestoringAdmin: true,
      // Same username in the backup, another id: the old account keeps everything but its username.
      renamedUser: { displayName: FICTIONAL_ADMIN.displayName, from: FICTIONAL_ADMIN.username, to: `${FICTIONAL_ADMIN.username}-2` },
      usersWithoutPassword: old.activeUsers,
      keySlotsRemoved: 0,
    });
    expect(b.app.user).toMatchObject({ id: newAdminId, username: FICTIONAL_ADMIN.username, roles: ['admin'] });

    // Row counts: exactly the backup's, plus the restoring admin (one user, one role) and the restore's own log rows.
    const db = b.app.db;
    const now = counts(db);
    const logAdded = now.access_log! - old.backupCounts.access_log!;
    expect(now).toEqual({
      ...old.backupCounts,
      users: old.backupCounts.users! + 1,
      user_roles: old.backupCounts.user_roles! + 1,
      access_log: now.access_log,
    });
    expect(logRows(db).slice(-logAdded)).toEqual([
      { action: 'backup.restore', record: expect.stringMatching(/^backup:restore:rows=\d+$/), user_id: newAdminId },
      { action: 'backup.restore', record: `backup:restore:username-moved:${old.oldAdminId}`, user_id: newAdminId },
      { action: 'backup.restore', record: `backup:restore:admin-added:${newAdminId}`, user_id: newAdminId },
      { action: 'backup.restore', record: `backup:restore:keyslots:removed=0,without=${old.activeUsers}`, user_id: newAdminId },
    ]);
    expect(verifyAccessLogChain(db)).toMatchObject({ ok: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // The keyring: this installation's admin and its recovery slot, nothing else yet.
    expect(userSlots(dir)).toEqual([newAdminId]);
    expect(loadKeyring(dir).slots.filter((slot) => slot.kind === 'recovery')).toHaveLength(1);

    // The admin signs in again (as the restore screen asks) with the new computer's password and sees the restored data.
    await b.ok('auth.logout');
    expect(await b.call('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_CREDENTIALS' },
    });
    await b.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: NEW_ADMIN_PASSWORD });
    const users = await b.ok<{ id: string; username: string; active: boolean; needsNewPassword: boolean }[]>('users.list');
    expect(
      users
        .filter((user) => user.needsNewPassword)
        .map((user) => user.username)
        .sort(),
    ).toEqual([`${FICTIONAL_ADMIN.username}-2`, 'per.b', RECEPTIONIST.username, THERAPIST.username, 'vera.b'].sort());
    expect(users.find((user) => user.id === newAdminId)).toMatchObject({ username: FICTIONAL_ADMIN.username, needsNewPassword: false });
    const log = await b.ok<{ rows: { clientName: string | null; record: string | null }[] }>('audit.search', {
      filter: { userId: null, clientId: old.victim, from: null, to: null, action: null, emergencyOnly: false, unreviewedOnly: false },
      page: 0,
    });
    expect(log.rows.some((row) => row.clientName === VICTIM.name)).toBe(true);
    // The renamed old account cannot be reached with its old password either (it never had a slot here).
    expect(await b.call('auth.login', { username: `${FICTIONAL_ADMIN.username}-2`, password: FICTIONAL_ADMIN.password })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_CREDENTIALS' },
    });
    await b.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: NEW_ADMIN_PASSWORD });

    // The receptionist and the therapist get temporary passwords (their slots are made) and must choose their own.
    for (const [person, id] of [
      [RECEPTIONIST, old.receptionistId],
      [THERAPIST, old.therapistId],
    ] as const) {
      await b.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: NEW_ADMIN_PASSWORD });
      const reset = await b.ok<{ temporaryPassword: string; user: { mustChangePassword: boolean } }>('users.resetPassword', { userId: id });
      expect(reset.user.mustChangePassword).toBe(true);
      // Their old password from the lost computer opens nothing here.
      expect(await b.call('auth.login', { username: person.username, password: person.password })).toMatchObject({ ok: false });
      const signedIn = await b.ok<{ id: string; mustChangePassword: boolean }>('auth.login', {
        username: person.username,
        password: reset.temporaryPassword,
      });
      expect(signedIn).toMatchObject({ id, mustChangePassword: true });
      expect(await b.call('clients.search', { side: 'victims', query: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'PASSWORD_CHANGE_REQUIRED' },
      });
      await b.ok('auth.changePassword', {
        currentPassword: reset.temporaryPassword,
        newPassword: `${person.password}-ny`,
        newPasswordRepeat: `${person.password}-ny`,
      });
    }
    // The receptionist finds the client; the therapist reads the entry signed on the old computer, under her name.
    await b.ok('auth.login', { username: RECEPTIONIST.username, password: `${RECEPTIONIST.password}-ny` });
    const found = await b.ok<{ name: string }[]>('clients.search', { side: 'victims', query: VICTIM.name.split(' ')[0]! });
    expect(found.map((client) => client.name)).toEqual([VICTIM.name]);
    await b.ok('auth.login', { username: THERAPIST.username, password: `${THERAPIST.password}-ny` });
    const opened = await b.ok<{ entries: { body: string; status: string; authorName: string }[] }>('journal.open', { clientId: old.victim });
    expect(opened.entries).toEqual([expect.objectContaining({ body: JOURNAL_TEXT, status: 'signed', authorName: THERAPIST.displayName })]);
    expect(userSlots(dir)).toEqual([newAdminId, old.receptionistId, old.therapistId].sort());

    // The new computer's recovery code opens the restored journal (it is keyed with this installation's key).
    b.app.lock('shutdown');
    const later = makeApp(dir);
    const recovered = await later.ok<{ recoveryCode: string; user: { id: string } }>('auth.recover', {
      recoveryCode: b.recoveryCode,
      username: FICTIONAL_ADMIN.username,
      newPassword: 'ännu-ett-nytt-adminlösenord',
      newPasswordRepeat: 'ännu-ett-nytt-adminlösenord',
    });
    expect(recovered.user.id).toBe(newAdminId);
    expect(counts(later.app.db).clients).toBe(old.backupCounts.clients);
    later.app.lock('shutdown');
  }, 120_000);

  it('with another username: nobody is renamed, the new installation’s other users lose their slots, and it is all logged', async () => {
    const old = await oldInstallation();
    const dir = tempDir();
    const b = makeApp(dir);
    const itAdmin = { displayName: 'Ivar Itsson', username: 'ivar.it', password: NEW_ADMIN_PASSWORD };
    await b.ok('auth.setup', { ...itAdmin, passwordRepeat: itAdmin.password });
    // Someone added on the new computer before the restore: not in the backup, so nothing vouches for them afterwards.
    const early = await b.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', {
      displayName: 'Tidig Testperson',
      username: 'tidig.t',
      roles: ['receptionist'],
    });
    expect(userSlots(dir)).toHaveLength(2);

    const { checksum } = await b.ok<{ checksum: string }>('backup.verify', { path: old.file, passphrase: PASSPHRASE });
    const restored = await b.ok<Record<string, unknown>>('backup.restore', { path: old.file, passphrase: PASSPHRASE, confirmedChecksum: checksum });
    expect(restored).toMatchObject({
      signedOut: false,
      addedRestoringAdmin: true,
      renamedUser: null,
      usersWithoutPassword: old.activeUsers,
      keySlotsRemoved: 1,
    });
    expect(userSlots(dir)).toEqual([b.app.user!.id]);
    expect(
      logRows(b.app.db)
        .slice(-3)
        .map((row) => row.record),
    ).toEqual([
      expect.stringMatching(/^backup:restore:rows=\d+$/),
      `backup:restore:admin-added:${b.app.user!.id}`,
      `backup:restore:keyslots:removed=1,without=${old.activeUsers}`,
    ]);
    // The backup's own admin keeps their username; the early colleague is refused.
    const users = await b.ok<{ id: string; username: string; needsNewPassword: boolean }[]>('users.list');
    expect(users.find((user) => user.id === old.oldAdminId)).toMatchObject({ username: FICTIONAL_ADMIN.username, needsNewPassword: true });
    expect(users.some((user) => user.id === early.user.id)).toBe(false);
    await b.ok('auth.logout');
    expect(await b.call('auth.login', { username: 'tidig.t', password: early.temporaryPassword })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_CREDENTIALS' },
    });
    await b.ok('auth.login', { username: itAdmin.username, password: itAdmin.password });
    expect(b.app.user).toMatchObject({ displayName: itAdmin.displayName, roles: ['admin'] });
    b.app.lock('shutdown');
  }, 120_000);
});

describe('the key file without journal.db', () => {
  it('is its own state: setup, sign-in and recovery refuse with JOURNAL_MISSING and change nothing; putting the file back opens it', async () => {
    const dir = tempDir();
    const aside = tempDir();
    const t = await setUpWithAdmin(dir);
    await t.ok('auth.logout');
    renameSync(path.join(dir, 'journal.db'), path.join(aside, 'journal.db'));
    const before = Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(path.join(dir, name))]));

    const app = makeApp(dir);
    expect(await app.ok('app.status')).toEqual({ state: 'missing', user: null, lockedBy: null, idleLockMinutes: null, dataDir: dir });
    const refusal = { ok: false, error: { code: 'JOURNAL_MISSING', message: 'error.journalMissing' } };
    expect(await app.call('auth.setup', { ...FICTIONAL_ADMIN, passwordRepeat: FICTIONAL_ADMIN.password })).toEqual(refusal);
    expect(await app.call('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password })).toEqual(refusal);
    expect(
      await app.call('auth.recover', {
        recoveryCode: t.recoveryCode,
        username: FICTIONAL_ADMIN.username,
        newPassword: 'ett-helt-nytt-admin-lösen',
        newPasswordRepeat: 'ett-helt-nytt-admin-lösen',
      }),
    ).toEqual(refusal);
    expect(await app.call('users.list')).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    // Nothing written, created, moved or counted (not even a failed sign-in in the throttle file).
    expect(Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(path.join(dir, name))]))).toEqual(before);

    // The command line refuses the same way, in words.
    await expect(
      runCli(['users', 'list', '--data-dir', dir, '--as', FICTIONAL_ADMIN.username], { UTVAG_PASSWORD: FICTIONAL_ADMIN.password }, () => {}),
    ).rejects.toThrow(/JOURNAL_MISSING.*keyring\.json.*journal\.db/s);
    await expect(
      runCli(['init', '--data-dir', dir, '--name', 'Ny Admin', '--username', 'ny.admin'], { UTVAG_PASSWORD: NEW_ADMIN_PASSWORD }, () => {}),
    ).rejects.toThrow(/^Refused \(JOURNAL_MISSING\)/);
    expect(readdirSync(dir).sort()).toEqual(Object.keys(before).sort());

    // Put back, the same app sees it at once and the password opens it.
    renameSync(path.join(aside, 'journal.db'), path.join(dir, 'journal.db'));
    expect(await app.ok('app.status')).toMatchObject({ state: 'locked' });
    await app.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    app.app.lock('shutdown');
  });

  it('README’s steps work: move the key file aside, set up anew, restore the latest backup (in the app and on the command line)', async () => {
    const old = await oldInstallation();
    for (const way of ['app', 'cli'] as const) {
      // The lost journal: its key file is still in the folder.
      const dir = tempDir();
      rmSync(dir, { recursive: true });
      const { cpSync } = await import('node:fs');
      cpSync(old.dir, dir, { recursive: true });
      rmSync(path.join(dir, 'journal.db'));
      expect(await makeApp(dir).ok('app.status')).toMatchObject({ state: 'missing' });

      // Step: rename keyring.json (kept, never deleted), then the folder is a first run.
      renameSync(keyringPath(dir), path.join(dir, 'keyring.json.saknad-journal'));
      if (way === 'app') {
        const b = makeApp(dir);
        expect(await b.ok('app.status')).toMatchObject({ state: 'setup' });
        await b.ok('auth.setup', { ...FICTIONAL_ADMIN, password: NEW_ADMIN_PASSWORD, passwordRepeat: NEW_ADMIN_PASSWORD });
        const { checksum } = await b.ok<{ checksum: string }>('backup.verify', { path: old.file, passphrase: PASSPHRASE });
        expect(await b.ok('backup.restore', { path: old.file, passphrase: PASSPHRASE, confirmedChecksum: checksum })).toMatchObject({
          signedOut: false,
          addedRestoringAdmin: true,
        });
        await b.ok('auth.logout');
        await b.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: NEW_ADMIN_PASSWORD });
        expect(counts(b.app.db).clients).toBe(old.backupCounts.clients);
        b.app.lock('shutdown');
      } else {
        const printed: string[] = [];
        const env = { UTVAG_PASSWORD: NEW_ADMIN_PASSWORD, UTVAG_BACKUP_PASSPHRASE: PASSPHRASE };
        await runCli(['init', '--data-dir', dir, '--name', 'Ivar Itsson', '--username', 'ivar.it'], env, (line) => printed.push(line));
        // Without --confirm the CLI refuses and says how; verify prints who made it, its admins and the checksum to confirm.
        await expect(runBackupCommand('restore', { 'data-dir': dir, as: 'ivar.it', in: old.file }, env, () => {})).rejects.toThrow(
          /nothing proves who made it.*--confirm/s,
        );
        await runBackupCommand('verify', { 'data-dir': dir, as: 'ivar.it', in: old.file }, env, (line) => printed.push(line));
        expect(printed.join('\n')).toMatch(/Made elsewhere/);
        const confirm = /--confirm (sha256:[0-9a-f]{64})/.exec(printed.join('\n'))![1];
        await runBackupCommand('restore', { 'data-dir': dir, as: 'ivar.it', in: old.file, confirm }, env, (line) => printed.push(line));
        expect(printed.join('\n')).toMatch(/ivar\.it was not in the backup and has been added to it as an admin/);
        expect(printed.join('\n')).toMatch(new RegExp(`${old.activeUsers} user\\(s\\) have no password on this computer`));
        const listed: string[] = [];
        await runCli(['users', 'list', '--data-dir', dir, '--as', 'ivar.it'], env, (line) => listed.push(line));
        expect(listed.join('\n')).toContain(THERAPIST.username);
      }
      // The old key file is still there, for the day journal.db turns up again.
      expect(existsSync(path.join(dir, 'keyring.json.saknad-journal'))).toBe(true);
    }
  }, 180_000);
});
