import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// The independent SQLCipher 4: @journeyapps/sqlcipher builds SQLCipher's own sources (not SQLite3MultipleCiphers).
import sqlcipher from '@journeyapps/sqlcipher';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { verifyAccessLogChain } from '../../db/local/accessLog.js';
import { openEncrypted, type Db } from '../../db/connection.js';
import { loadKeyring } from '../../db/journal.js';
import { unlockWithPassword } from '../../db/keyring.js';
import { loadMigrations, migrate } from '../../db/migrate.js';
import { insertUser } from '../../db/local/users.js';
import { BackupCliError, runBackupCommand } from '../../main/cli/backup.js';
import { createLogger } from '../../main/log.js';
import { createRouter } from '../../main/router.js';
import { exportBackup } from '../../main/services/backup.js';
import { JournalApp } from '../../main/services/session/index.js';
import { FICTIONAL_ADMIN, FICTIONAL_CLIENTS } from '../fixtures/people.js';
import { setUpWithAdmin, type TestApp } from '../helpers/app.js';
import { setUpReception } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APP_VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const PASSPHRASE = "Fyra fiktiva ord, och ett 'citat'";
const WRONG_PASSPHRASE = 'Fem helt andra fiktiva ord här';
const THERAPIST_PASSWORD = 'terapeutens-egen-långa-fras';
const JOURNAL_TEXT = 'Fiktiv journaltext om ett samtal i rum 2 (testrad 5521)';
const [VICTIM, PERPETRATOR, CHILD] = FICTIONAL_CLIENTS as [
  (typeof FICTIONAL_CLIENTS)[0],
  (typeof FICTIONAL_CLIENTS)[1],
  (typeof FICTIONAL_CLIENTS)[2],
];
const PERSONAL_NUMBER = VICTIM.personalNumber!;
const PHONE = '070-555 12 34';
const MONDAY = '2031-03-03';

type Tables = Record<string, unknown[]>;

/** Every row of every table (SQLite's own left out), in rowid order: what "the same journal" means here. */
function readTables(db: Db, skip: string[] = []): Tables {
  const names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as {
    name: string;
  }[];
  return Object.fromEntries(
    names.filter(({ name }) => !skip.includes(name)).map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]),
  );
}

/** A fictional practice: three linked clients, a booking, a signed journal entry by a therapist with her own password. */
async function practice(dataDir: string) {
  const t = await setUpReception(dataDir);
  const victim = await t.newClient('victim', VICTIM.name, {
    personalNumber: PERSONAL_NUMBER,
    safeContact: {
      phone: PHONE,
      safeToCall: true,
      safeToText: false,
      safeVoicemail: false,
      safeTimes: 'förmiddag',
      codeWord: 'Blåklint',
      instructions: '',
    },
  });
  await t.newClient('perpetrator', PERPETRATOR.name, { links: [{ clientId: victim, kind: 'partner' }] });
  await t.newClient('child', CHILD.name);
  const booked = await t.ok<{ appointment: { id: string } }>('appointments.book', {
    side: 'victims',
    clientId: victim,
    groupId: null,
    kind: 'individual',
    siteId: 'skaraborg',
    therapistId: t.therapists.victims,
    roomId: 'skaraborg-r1',
    date: MONDAY,
    start: '10:00',
    durationMinutes: 60,
    note: '',
  });
  const account = await t.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', {
    displayName: 'Tova Terapeutsdotter',
    username: 'tova.t',
    roles: ['therapist'],
  });
  await t.ok('org.saveTherapist', { userId: account.user.id, siteId: 'skaraborg', tracks: ['victim', 'child'], hours: [] });
  await t.ok('care.assign', { side: 'victims', clientId: victim, therapistId: account.user.id });
  await t.ok('auth.login', { username: 'tova.t', password: account.temporaryPassword });
  await t.ok('auth.changePassword', {
    currentPassword: account.temporaryPassword,
    newPassword: THERAPIST_PASSWORD,
    newPasswordRepeat: THERAPIST_PASSWORD,
  });
  const draft = await t.ok<{ id: string }>('journal.saveDraft', { clientId: victim, entryId: null, kind: 'note', body: JOURNAL_TEXT });
  await t.ok('journal.sign', { entryId: draft.id, password: THERAPIST_PASSWORD });
  await signInAdmin(t);
  return { t, victim, appointmentId: booked.appointment.id };
}

async function signInAdmin(t: TestApp): Promise<void> {
  await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
}

async function exportTo(t: TestApp, file: string, passphrase = PASSPHRASE) {
  return t.ok<{ path: string; bytes: number; counts: Record<string, number>; checksum: string }>('backup.export', {
    path: file,
    passphrase,
    passphraseRepeat: passphrase,
  });
}

interface IndependentDb {
  all(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Opens a file with @journeyapps/sqlcipher exactly as the stock tool would: SQLCipher 4 defaults, `PRAGMA key = '…'`. */
function openWithSqlcipher(file: string, passphrase: string): IndependentDb {
  const db = new sqlcipher.Database(file, sqlcipher.OPEN_READONLY);
  db.serialize();
  // SQLCipher logs every failed page HMAC to stderr; the tests look at the answers instead.
  db.run('PRAGMA cipher_log_level = NONE');
  db.run(`PRAGMA key = '${passphrase.replaceAll("'", "''")}'`);
  return {
    all: (sql) =>
      new Promise((resolve, reject) =>
        db.all(sql, (error: Error | null, rows: Record<string, unknown>[]) => (error ? reject(error) : resolve(rows))),
      ),
    close: () => new Promise((resolve) => db.close(() => resolve())),
  };
}

/** Every table but the access log, and the users without their last sign-in: what a refused restore or a killed export must leave as it was. */
function journalWithoutLog(db: Db): Tables {
  const tables = readTables(db, ['access_log']);
  tables.users = (tables.users as Record<string, unknown>[]).map(({ last_login_at: _signedIn, ...user }) => user);
  return tables;
}

function logRows(db: Db): { seq: number; action: string; record: string | null; user_id: string | null }[] {
  return db.prepare('SELECT seq, action, record, user_id FROM access_log ORDER BY seq').all() as never;
}

describe('encrypted backups', () => {
  it('exports a SQLCipher 4 file that an independent SQLCipher opens with the passphrase (and not without it), with the same rows', async () => {
    const dir = tempDir();
    const out = tempDir();
    const { t } = await practice(dir);
    const before = readTables(t.app.db);
    const file = path.join(out, 'utvag-2026-11-22.backup');

    const exported = await exportTo(t, file);
    expect(exported.path).toBe(realpathSync(file));
    expect(exported.counts).toEqual(Object.fromEntries(Object.entries(before).map(([table, rows]) => [table, rows.length])));
    expect(exported.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(exported.bytes).toBe(statSync(file).size);
    // Private to the admin's account, like the journal itself.
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);

    const backup = openWithSqlcipher(file, PASSPHRASE);
    try {
      expect((await backup.all('PRAGMA cipher_version'))[0]).toMatchObject({ cipher_version: expect.stringMatching(/^4\./) });
      // SQLCipher's own page-by-page HMAC check, which SQLite3MultipleCiphers does not offer.
      expect(await backup.all('PRAGMA cipher_integrity_check')).toEqual([]);
      expect(await backup.all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      const tables = (await backup.all(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)).map(
        (row) => row.name,
      );
      expect(tables).toEqual([...Object.keys(before), 'backup_manifest'].sort());
      for (const [table, rows] of Object.entries(before)) expect(await backup.all(`SELECT * FROM "${table}" ORDER BY rowid`), table).toEqual(rows);
      expect(await backup.all(`SELECT name FROM clients ORDER BY name`)).toEqual(
        [VICTIM.name, PERPETRATOR.name, CHILD.name].sort((a, b) => (a < b ? -1 : 1)).map((name) => ({ name })),
      );
      expect(await backup.all('SELECT body FROM journal_entries')).toEqual([{ body: JOURNAL_TEXT }]);
      // Triggers and indexes came along: the backup is a journal, not just its rows.
      const objects = await backup.all(`SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL`);
      const inJournal = t.app.db.prepare(`SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL`).all();
      expect(objects).toHaveLength(inJournal.length);
      expect((await backup.all('PRAGMA user_version'))[0]).toEqual({ user_version: loadMigrations().length });

      const manifest = Object.fromEntries((await backup.all('SELECT key, value FROM backup_manifest')).map((row) => [row.key, row.value]));
      expect(manifest).toMatchObject({
        format: 'utvag-backup/2',
        app_version: APP_VERSION,
        schema_version: String(loadMigrations().length),
        checksum: exported.checksum,
        checksum_method: 'utvag-rows-sha256/2',
        // The schema's checksum, the access log's last row, and this installation's seal over all of it (issue #12).
        schema_checksum: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        log_head: expect.stringMatching(/^\d+:[0-9a-f]{64}$/),
        installation: expect.stringMatching(/^[0-9a-f]{32}$/),
        seal: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(JSON.parse(String(manifest.row_counts))).toEqual(exported.counts);
      expect(Date.parse(String(manifest.created_at))).not.toBeNaN();
    } finally {
      await backup.close();
    }

    const wrong = openWithSqlcipher(file, WRONG_PASSPHRASE);
    await expect(wrong.all('SELECT count(*) FROM sqlite_master')).rejects.toThrow(/not a database/);
    await wrong.close();
    expect(await t.call('backup.verify', { path: file, passphrase: WRONG_PASSPHRASE })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_CREDENTIALS', message: 'error.backup.wrongPassphrase', fields: { passphrase: 'error.backup.wrongPassphrase' } },
    });
    expect(await t.ok('backup.verify', { path: file, passphrase: PASSPHRASE })).toMatchObject({
      ok: true,
      schemaVersion: loadMigrations().length,
      appVersion: APP_VERSION,
      counts: exported.counts,
      checksum: exported.checksum,
    });
  });

  it('holds no plaintext: no SQLite header, no name, number, phone, code word or journal text', async () => {
    const dir = tempDir();
    const out = tempDir();
    const { t } = await practice(dir);
    const file = path.join(out, 'backup.db');
    await exportTo(t, file);
    const bytes = readFileSync(file);
    const secrets = [
      'SQLite format 3',
      VICTIM.name,
      PERPETRATOR.name,
      CHILD.name,
      'Klientsdotter',
      PERSONAL_NUMBER,
      PERSONAL_NUMBER.replace('-', ''),
      PHONE,
      'Blåklint',
      JOURNAL_TEXT,
      '5521',
      'Tova Terapeutsdotter',
      FICTIONAL_ADMIN.username,
      'backup_manifest',
      PASSPHRASE,
    ];
    for (const secret of secrets) {
      expect(bytes.includes(Buffer.from(secret, 'utf8')), secret).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf16le')), secret).toBe(false);
    }
    // Nothing but the backup in its folder: no journal, temporary or partial file beside it.
    expect(readdirSync(out)).toEqual(['backup.db']);
  });

  it('refuses weak or mismatched passphrases, other roles, and a place inside the journal folder', async () => {
    const dir = tempDir();
    const out = tempDir();
    const t = await setUpReception(dir);
    const file = path.join(out, 'b.db');
    for (const weak of ['kort-fras', 'aaaaaaaaaaaaaaaa', 'abcabcabcabcabcabc', '12345678901234567', 'abcdefghijklmnopq', "x'00112233445566778899'"]) {
      expect(await t.call('backup.export', { path: file, passphrase: weak, passphraseRepeat: weak }), weak).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', fields: { passphrase: 'error.backup.weakPassphrase' } },
      });
    }
    expect(await t.call('backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: `${PASSPHRASE}.` })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { passphraseRepeat: 'error.backup.passphraseMismatch' } },
    });
    expect(await t.call('backup.export', { path: path.join(dir, 'backup.db'), passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { path: 'error.backup.insideDataDir' } },
    });
    expect(
      await t.call('backup.export', { path: path.join(out, 'no-such-folder', 'b.db'), passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', fields: { path: 'error.backup.folderMissing' } } });
    expect(readdirSync(out)).toEqual([]);

    const therapist = await t.ok<{ temporaryPassword: string }>('users.create', {
      displayName: 'Tage Terapeutsson',
      username: 'tage.t',
      roles: ['therapist'],
    });
    await t.ok('auth.login', { username: 'tage.t', password: therapist.temporaryPassword });
    await t.ok('auth.changePassword', {
      currentPassword: therapist.temporaryPassword,
      newPassword: THERAPIST_PASSWORD,
      newPasswordRepeat: THERAPIST_PASSWORD,
    });
    for (const channel of ['backup.export', 'backup.verify', 'backup.restore']) {
      expect(await t.call(channel, { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE }), channel).toMatchObject({
        ok: false,
        error: { code: expect.stringMatching(/FORBIDDEN|INVALID_INPUT/) },
      });
    }
    expect(await t.call('backup.verify', { path: file, passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await t.call('backup.restore', { path: file, passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('restores a round trip: every table as exported, the old journal kept, and every user signs in again', async () => {
    const dir = tempDir();
    const out = tempDir();
    const { t, appointmentId } = await practice(dir);
    const exportedState = readTables(t.app.db);
    const file = path.join(out, 'backup.db');
    const exported = await exportTo(t, file);

    // Life goes on after the backup: a new client, a cancellation, a new colleague.
    await t.newClient('victim', 'Efter Backupsdotter');
    await t.ok('appointments.cancel', { side: 'victims', appointmentId, reason: 'Klienten avbokade' });
    const lateColleague = await t.ok<{ temporaryPassword: string }>('users.create', {
      displayName: 'Sen Nyanställd',
      username: 'sen.ny',
      roles: ['receptionist'],
    });

    const restored = await t.ok<{ keptAs: string; signedOut: boolean; schemaVersion: number; migratedTo: number; counts: Record<string, number> }>(
      'backup.restore',
      { path: file, passphrase: PASSPHRASE },
    );
    expect(restored).toMatchObject({
      signedOut: false,
      schemaVersion: loadMigrations().length,
      migratedTo: loadMigrations().length,
      counts: exported.counts,
      // The same installation: the restoring admin is in the backup; only the colleague added after it loses their key slot.
      addedRestoringAdmin: false,
      renamedUser: null,
      usersWithoutPassword: 0,
      keySlotsRemoved: 1,
      // Named, so the admin knows whom to add again.
      removedPeople: ['Sen Nyanställd'],
    });
    expect(restored.keptAs).toMatch(/^journal\.db\.before-restore-\d{4}-\d\d-\d\d_\d{6}\.\d{3}\+0[12]00$/);

    // Every table holds exactly the exported rows; the access log holds them and then the restore itself.
    const now = readTables(t.app.db);
    expect(Object.keys(now)).toEqual(Object.keys(exportedState));
    // The automatic backups' records (schedule, passphrase, status) describe this installation, not the data: they carry
    // over from the replaced journal (see backupSchedule.test.ts); here the status notes the manual export just made.
    const dataSettings = (rows: unknown[] | undefined) => (rows as { key: string }[]).filter((row) => !row.key.startsWith('backup.'));
    for (const table of Object.keys(exportedState).filter((name) => name !== 'access_log')) {
      if (table === 'settings') expect(dataSettings(now[table]), table).toEqual(dataSettings(exportedState[table]));
      else expect(now[table], table).toEqual(exportedState[table]);
    }
    expect((now.settings as { key: string }[]).map((row) => row.key)).toContain('backup.status');
    expect(now.access_log!.slice(0, exportedState.access_log!.length)).toEqual(exportedState.access_log);
    expect(logRows(t.app.db).slice(exportedState.access_log!.length)).toEqual([
      {
        seq: exportedState.access_log!.length + 1,
        action: 'backup.restore',
        record: expect.stringMatching(/^backup:restore:rows=\d+$/),
        user_id: t.app.user!.id,
      },
      {
        seq: exportedState.access_log!.length + 2,
        action: 'backup.restore',
        record: 'backup:restore:keyslots:removed=1,without=0',
        user_id: t.app.user!.id,
      },
    ]);
    expect(verifyAccessLogChain(t.app.db)).toMatchObject({ ok: true });
    expect(t.app.db.prepare(`SELECT name FROM clients WHERE name = 'Efter Backupsdotter'`).get()).toBeUndefined();
    expect(t.app.db.pragma('integrity_check', { simple: true })).toBe('ok');

    // The replaced journal is kept beside it, still under the journal key, with what happened after the backup.
    const keptFile = path.join(dir, restored.keptAs);
    expect(existsSync(keptFile)).toBe(true);
    expect(readdirSync(dir).filter((name) => name.includes('restoring') || name.includes('partial'))).toEqual([]);
    const unlocked = await unlockWithPassword(loadKeyring(dir), FICTIONAL_ADMIN.username, FICTIONAL_ADMIN.password);
    const kept = openEncrypted(keptFile, unlocked!.key, { create: false });
    try {
      expect(kept.prepare(`SELECT count(*) AS n FROM clients WHERE name = 'Efter Backupsdotter'`).get()).toEqual({ n: 1 });
      expect(logRows(kept).map((row) => row.record)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^backup:export:rows=\d+$/), expect.stringMatching(/^backup:restore:rows=\d+$/)]),
      );
    } finally {
      kept.close();
      unlocked!.key.fill(0);
    }

    // Users sign in with their own passwords (their key slots wrap the same journal key) …
    await t.ok('auth.login', { username: 'tova.t', password: THERAPIST_PASSWORD });
    const opened = await t.ok<{ entries: { body: string }[] }>('journal.open', {
      clientId: (exportedState.clients as { id: string; name: string }[]).find((c) => c.name === VICTIM.name)!.id,
    });
    expect(opened.entries.map((entry) => entry.body)).toEqual([JOURNAL_TEXT]);
    await signInAdmin(t);
    // … except the colleague added after the backup: nothing in the backup vouches for them, so their key slot
    // was removed with the restore, until an admin adds them again.
    expect(await t.call('auth.login', { username: 'sen.ny', password: lateColleague.temporaryPassword })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_CREDENTIALS' },
    });
    const restoredUserIds = (now.users as { id: string }[]).map((user) => user.id).sort();
    expect(
      loadKeyring(dir)
        .slots.filter((slot) => slot.kind === 'user')
        .map((slot) => slot.userId)
        .sort(),
    ).toEqual(restoredUserIds);
  });

  it('does not switch journals while another program has the journal open, and keeps working on the old one', async () => {
    const dir = tempDir();
    const out = tempDir();
    const t = await setUpReception(dir);
    await t.newClient('victim', VICTIM.name);
    const file = path.join(out, 'backup.db');
    await exportTo(t, file);
    await t.newClient('victim', 'Efter Backupsdotter');
    // Another program (the app while the CLI restores, say) holds the journal open.
    const unlocked = await unlockWithPassword(loadKeyring(dir), FICTIONAL_ADMIN.username, FICTIONAL_ADMIN.password);
    const other = openEncrypted(path.join(dir, 'journal.db'), unlocked!.key, { create: false });
    try {
      const before = journalWithoutLog(t.app.db);
      expect(await t.call('backup.restore', { path: file, passphrase: PASSPHRASE })).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', message: 'error.backup.journalInUse' },
      });
      expect(readdirSync(dir).filter((name) => /restoring|before-restore/.test(name))).toEqual([]);
      // The session goes on with the journal it had, which says what was tried and refused.
      expect(journalWithoutLog(t.app.db)).toEqual(before);
      expect(
        logRows(t.app.db)
          .slice(-2)
          .map((row) => row.record),
      ).toEqual([expect.stringMatching(/^backup:restore:rows=\d+$/), 'backup:restore:refused:journalInUse']);
      expect((other.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n).toBe(2);
      await t.newClient('victim', 'Ännu En Klient');
    } finally {
      other.close();
      unlocked!.key.fill(0);
    }
    // Once the other program has closed it, the restore goes through.
    expect(await t.ok('backup.restore', { path: file, passphrase: PASSPHRASE })).toMatchObject({ signedOut: false });
    expect((t.app.db.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n).toBe(1);
  });

  it('brings a backup from an older schema up to date when it is restored', async () => {
    const dir = tempDir();
    const out = tempDir();
    const t = await setUpWithAdmin(dir);
    const admin = t.app.user!;
    // A journal as an older version of the app (three migrations) left it, holding the same admin.
    const older = tempDir();
    const oldDb = openEncrypted(path.join(older, 'journal.db'), randomBytes(32), { create: true });
    const file = path.join(out, 'old.backup');
    try {
      migrate(oldDb, loadMigrations().slice(0, 3));
      insertUser(oldDb, {
        id: admin.id,
        username: admin.username,
        displayName: admin.displayName,
        roles: ['admin'],
        mustChangePassword: false,
        createdAt: new Date().toISOString(),
      });
      await exportBackup(
        oldDb,
        { file, passphrase: PASSPHRASE, dataDir: older, now: new Date(), sealKey: null },
        { transact: (work) => oldDb.transaction(work)(), onCopied: () => {} },
      );
    } finally {
      oldDb.close();
    }
    // Made without this installation's journal key: nothing proves who made it, so the restore wants the checksum the admin confirmed.
    const verified = await t.ok<{ checksum: string }>('backup.verify', { path: file, passphrase: PASSPHRASE });
    expect(verified).toMatchObject({ schemaVersion: 3, origin: 'elsewhere' });
    expect(await t.call('backup.restore', { path: file, passphrase: PASSPHRASE })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'error.backup.foreignNotConfirmed' },
    });
    expect(await t.ok('backup.restore', { path: file, passphrase: PASSPHRASE, confirmedChecksum: verified.checksum })).toMatchObject({
      schemaVersion: 3,
      migratedTo: loadMigrations().length,
      signedOut: false,
    });
    expect(t.app.db.pragma('user_version', { simple: true })).toBe(loadMigrations().length);
    expect(t.app.db.prepare(`SELECT purpose FROM rooms WHERE id = 'skaraborg-g1'`).get()).toEqual({ purpose: 'group' });
    expect((t.app.db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(loadMigrations().length);
  });

  it('refuses a truncated, a tampered and a foreign file with a clear message, and leaves the active journal as it was', async () => {
    const dir = tempDir();
    const out = tempDir();
    const { t } = await practice(dir);
    const file = path.join(out, 'backup.db');
    await exportTo(t, file);
    const bytes = readFileSync(file);
    const pages = bytes.length / 4096;
    expect(Number.isInteger(pages)).toBe(true);

    const damaged: Record<string, Buffer> = {
      'truncated-at-page.db': bytes.subarray(0, Math.floor(pages / 2) * 4096),
      'truncated-mid-page.db': bytes.subarray(0, Math.floor(bytes.length / 2) + 123),
      'tampered.db': Buffer.from(bytes),
      'last-page-cut.db': bytes.subarray(0, bytes.length - 4096),
    };
    // One bit flipped in the middle of the file, and one in the last page.
    damaged['tampered.db']![Math.floor(bytes.length / 2)]! ^= 0x04;
    const tamperedLast = Buffer.from(bytes);
    tamperedLast[bytes.length - 100]! ^= 0x80;
    damaged['tampered-last-page.db'] = tamperedLast;
    for (const [name, content] of Object.entries(damaged)) writeFileSync(path.join(out, name), content);

    // SQLCipher itself (independent of this app) sees the flipped bit as a page whose HMAC fails.
    const independent = openWithSqlcipher(path.join(out, 'tampered.db'), PASSPHRASE);
    expect((await independent.all('PRAGMA cipher_integrity_check')).length).toBeGreaterThan(0);
    await independent.close();

    const journalBefore = journalWithoutLog(t.app.db);
    const logBefore = logRows(t.app.db).length;
    const filesBefore = readdirSync(dir).sort();
    // Every file is verified; a few are also offered to restore (which verifies the same way first).
    const restoreToo = new Set(['tampered.db', 'truncated-at-page.db', 'plain.db', 'random.bin']);
    const channelsFor = (name: string) => (restoreToo.has(name) ? ['backup.verify', 'backup.restore'] : ['backup.verify']);
    let calls = 0;
    for (const name of Object.keys(damaged)) {
      for (const channel of channelsFor(name)) {
        calls += 1;
        expect(await t.call(channel, { path: path.join(out, name), passphrase: PASSPHRASE }), `${channel} ${name}`).toMatchObject({
          ok: false,
          error: { code: 'INVALID_INPUT', message: 'error.backup.damaged', fields: { path: 'error.backup.damaged' } },
        });
      }
    }

    // Files that are not backups at all.
    const plain = new Database(path.join(out, 'plain.db'));
    plain.exec(`CREATE TABLE clients (name TEXT); INSERT INTO clients VALUES ('${VICTIM.name}')`);
    plain.close();
    const keyedNoManifest = new Database(':memory:');
    keyedNoManifest.pragma(`cipher = 'sqlcipher'`);
    keyedNoManifest.pragma('legacy = 4');
    keyedNoManifest.prepare('ATTACH DATABASE ? AS other KEY ?').run(path.join(out, 'other.db'), PASSPHRASE);
    keyedNoManifest.exec('CREATE TABLE other.notes (body TEXT)');
    keyedNoManifest.close();
    writeFileSync(path.join(out, 'random.bin'), randomBytes(8192));
    writeFileSync(path.join(out, 'empty.db'), '');
    const foreign: [string, string, string][] = [
      ['plain.db', 'INVALID_INPUT', 'error.backup.unencrypted'],
      ['other.db', 'INVALID_INPUT', 'error.backup.notABackup'],
      ['empty.db', 'INVALID_INPUT', 'error.backup.notABackup'],
      // Random bytes and a wrong passphrase are the same to SQLCipher: the message says both.
      ['random.bin', 'WRONG_CREDENTIALS', 'error.backup.wrongPassphrase'],
      ['missing.db', 'NOT_FOUND', 'error.backup.fileMissing'],
    ];
    for (const [name, code, message] of foreign) {
      for (const channel of channelsFor(name)) {
        calls += 1;
        expect(await t.call(channel, { path: path.join(out, name), passphrase: PASSPHRASE }), `${channel} ${name}`).toMatchObject({
          ok: false,
          error: { code, message },
        });
      }
    }

    // The active journal: the same rows, the same files; only the refusals were logged.
    expect(journalWithoutLog(t.app.db)).toEqual(journalBefore);
    expect(readdirSync(dir).sort()).toEqual(filesBefore);
    const refusals = logRows(t.app.db).slice(logBefore);
    expect(refusals).toHaveLength(calls);
    expect(refusals.every((row) => /^backup:(verify|restore):refused:\w+$/.test(row.record ?? ''))).toBe(true);
    // And the good backup still verifies.
    expect(await t.ok('backup.verify', { path: file, passphrase: PASSPHRASE })).toMatchObject({ ok: true });
  }, 90_000);

  it('never takes a .partial- file for a backup, and leaves none behind after an export', async () => {
    const dir = tempDir();
    const out = tempDir();
    const t = await setUpReception(dir);
    await t.newClient('victim', VICTIM.name);
    const file = path.join(out, 'backup.db');
    await exportTo(t, file);
    expect(readdirSync(out)).toEqual(['backup.db']);
    // A complete, valid copy under an unfinished export's name is still refused by its name.
    const partial = `${file}.partial-0a1b2c3d4e5f`;
    copyFileSync(file, partial);
    for (const channel of ['backup.verify', 'backup.restore']) {
      expect(await t.call(channel, { path: partial, passphrase: PASSPHRASE }), channel).toMatchObject({
        ok: false,
        error: { message: 'error.backup.partial', fields: { path: 'error.backup.partial' } },
      });
    }
    expect(await t.call('backup.export', { path: partial, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE })).toMatchObject({
      ok: false,
      error: { fields: { path: 'error.backup.badName' } },
    });
  });

  it('an export killed half-way leaves nothing under the backup name, and the journal opens as before', async () => {
    const dir = tempDir();
    const out = tempDir();
    const scripts = tempDir();
    const t = await setUpReception(dir);
    for (let i = 0; i < 20; i += 1) await t.newClient('victim', `Fiktiv Klient ${i}`);
    const journalBefore = journalWithoutLog(t.app.db);
    t.app.lock('shutdown');
    const script = path.join(scripts, 'export.mts');
    const module = (file: string) => JSON.stringify(new URL(file, `file://${ROOT}/`).href);
    writeFileSync(
      script,
      `import { JournalApp } from ${module('main/services/session/index.ts')};
       import { createRouter } from ${module('main/router.ts')};
       const app = new JournalApp({ dataDir: process.env.DATA_DIR, sleep: async () => {} });
       const router = createRouter(app);
       const login = await router.invoke('auth.login', { username: process.env.ADMIN, password: process.env.ADMIN_PASSWORD });
       if (!login.ok) process.exit(3);
       const phrase = process.env.PHRASE;
       const done = await router.invoke('backup.export', { path: process.env.TARGET, passphrase: phrase, passphraseRepeat: phrase });
       process.stdout.write(done.ok ? 'exported' : 'refused');
      `,
    );
    const file = path.join(out, 'backup.db');
    // tsx's loader inside this one process: tsx's command line would run the script in a second
    // process, which the kill below would leave running to finish the export after the check.
    const child = spawn(process.execPath, ['--import', new URL('node_modules/tsx/dist/loader.mjs', `file://${ROOT}/`).href, script], {
      env: {
        ...process.env,
        DATA_DIR: dir,
        ADMIN: FICTIONAL_ADMIN.username,
        ADMIN_PASSWORD: FICTIONAL_ADMIN.password,
        PHRASE: PASSPHRASE,
        TARGET: file,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let said = '';
    child.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Kill it the moment the unfinished file appears: mid-copy or mid-check, never after the rename.
    let sawPartial = false;
    const deadline = Date.now() + 25_000;
    while (!sawPartial && child.exitCode === null && Date.now() < deadline) {
      sawPartial = readdirSync(out).some((name) => name.includes('.partial-'));
      if (sawPartial) child.kill('SIGKILL');
      else await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await exited;
    expect(said).toBe('');
    expect(sawPartial).toBe(true);
    expect(existsSync(file)).toBe(false);

    const again = new JournalApp({ dataDir: dir, sleep: async () => {} });
    const router = createRouter(again);
    expect(await router.invoke('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password })).toMatchObject({ ok: true });
    try {
      // Table by table, so that a difference names its table.
      const journalAfter = journalWithoutLog(again.db);
      expect(Object.keys(journalAfter)).toEqual(Object.keys(journalBefore));
      for (const [table, rows] of Object.entries(journalBefore)) expect({ table, rows: journalAfter[table] }).toEqual({ table, rows });
      expect(again.db.pragma('integrity_check', { simple: true })).toBe('ok');
      for (const left of readdirSync(out)) {
        expect(left).toMatch(/^backup\.db\.partial-[0-9a-f]{12}(-journal)?$/);
        expect(await router.invoke('backup.verify', { path: path.join(out, left), passphrase: PASSPHRASE })).toMatchObject({
          ok: false,
          error: { message: 'error.backup.partial' },
        });
      }
    } finally {
      again.lock('shutdown');
    }
  });

  it('writes export, verify and restore to the access log, and the passphrase and path to no log at all', async () => {
    const dir = tempDir();
    const out = tempDir();
    const lines: string[] = [];
    const app = new JournalApp({ dataDir: dir, sleep: async () => {}, log: createLogger((line) => lines.push(line)) });
    const router = createRouter(app);
    const ok = async <T>(channel: string, input: unknown): Promise<T> => {
      const result = await router.invoke(channel, input);
      if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
      return result.value as T;
    };
    await ok('auth.setup', { ...FICTIONAL_ADMIN, passwordRepeat: FICTIONAL_ADMIN.password });
    const file = path.join(out, 'secret-folder-name', 'backup.db');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.dirname(file));
    await ok('backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    await ok('backup.verify', { path: file, passphrase: PASSPHRASE });
    await router.invoke('backup.verify', { path: file, passphrase: WRONG_PASSPHRASE });
    const beforeRestore = logRows(app.db);
    expect(beforeRestore.map((row) => [row.action, row.record])).toEqual([
      // Setting up the journal is itself a logged security event.
      ['auth.setup', expect.stringMatching(/^journal:created:admin=/)],
      ['backup.export', expect.stringMatching(/^backup:export:rows=\d+$/)],
      ['backup.verify', expect.stringMatching(/^backup:verify:rows=\d+:sealed-here$/)],
      ['backup.verify', 'backup:verify:refused:wrongPassphrase'],
    ]);
    const userId = app.user!.id;
    expect(beforeRestore.every((row) => row.user_id === userId)).toBe(true);

    await ok('backup.restore', { path: file, passphrase: PASSPHRASE });
    // The restored journal holds the backup's log (the setup only, here) and the restore itself.
    expect(logRows(app.db).map((row) => [row.action, row.record])).toEqual([
      ['auth.setup', expect.stringMatching(/^journal:created:admin=/)],
      ['backup.restore', expect.stringMatching(/^backup:restore:rows=\d+$/)],
    ]);

    const everything = JSON.stringify(app.db.prepare('SELECT * FROM access_log').all()) + lines.join('\n');
    for (const secret of [PASSPHRASE, WRONG_PASSPHRASE, 'secret-folder-name', out]) expect(everything).not.toContain(secret);
    app.lock('shutdown');
  });

  it('runs from the command line: export, verify and restore, signed in like the app', async () => {
    const dir = tempDir();
    const out = tempDir();
    const t = await setUpReception(dir);
    await t.newClient('victim', VICTIM.name);
    t.app.lock('shutdown');
    const env = { UTVAG_PASSWORD: FICTIONAL_ADMIN.password, UTVAG_BACKUP_PASSPHRASE: PASSPHRASE };
    const printed: string[] = [];
    const print = (line: string) => printed.push(line);
    const file = path.join(out, 'cli.backup');
    const values = { 'data-dir': dir, as: FICTIONAL_ADMIN.username, out: file, in: file };
    await runBackupCommand('export', values, env, print);
    expect(printed.join('\n')).toMatch(/Backup written and verified/);
    await runBackupCommand('verify', values, env, print);
    expect(printed.join('\n')).toMatch(/The backup is whole/);
    await runBackupCommand('restore', values, env, print);
    expect(printed.join('\n')).toMatch(/kept in the data folder as journal\.db\.before-restore-/);
    await expect(runBackupCommand('verify', values, { ...env, UTVAG_BACKUP_PASSPHRASE: WRONG_PASSPHRASE }, print)).rejects.toThrow(BackupCliError);
    await expect(runBackupCommand('verify', values, { ...env, UTVAG_BACKUP_PASSPHRASE: WRONG_PASSPHRASE }, print)).rejects.toThrow(
      /passphrase does not open this file/,
    );
    await expect(runBackupCommand('export', { ...values, out: undefined }, env, print)).rejects.toThrow(/--out FILE/);
    expect(printed.join('\n')).not.toContain(PASSPHRASE);
  });
});
