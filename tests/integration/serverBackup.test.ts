import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// The independent SQLCipher 4 (SQLCipher's own sources), as in backup.test.ts.
import sqlcipher from '@journeyapps/sqlcipher';
import Database from 'better-sqlite3-multiple-ciphers';
import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { continuesChain, GENESIS_HASH, type RawLogRow } from '../../db/accessLog.js';
import { CHECKSUM_METHOD, contentDigest, journalTableColumns, openMemoryJournal, schemaChecksum, sqlString } from '../../db/backup.js';
import type { Db } from '../../db/connection.js';
import { createPostgresStore } from '../../db/engine/postgres.js';
import { BACKUP_TABLES_IN_ORDER, beginAs, readServerTable } from '../../db/engine/postgresBackup.js';
import { SeparationConflictError, type Actor, type Store } from '../../db/engine/store.js';
import { seedDemo } from '../../main/cli/seedDemo/index.js';
import { DEFAULT_ADMIN } from '../../main/cli/seedDemo/plan.js';
import { intakeInput } from '../fixtures/intake.js';
import { makeApp } from '../helpers/app.js';
import { silentLogger } from '../../main/log.js';
import { verifyBackup } from '../../main/services/backup.js';
import { DomainError } from '../../main/services/errors.js';
import { exportServerJournal, restoreIntoServer, type ServerRestored } from '../../main/services/serverBackup.js';
import { createBackupLogin, createServerJournal, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { appendLogRow } from '../../db/accessLog.js';
import { addClient, AT, book, link, logEntry, outcome, PEOPLE, plusMinutes, seedPeople, SITE, unique } from '../helpers/serverJournal.js';

/**
 * Backups of a server journal (issue #14), against a real throwaway PostgreSQL and real SQLCipher
 * files: a server journal exported is a local backup in every respect, and a local journal's backup
 * restored into a freshly initialised server is that journal, value for value, with the server's
 * second line in force over it. Everyone in here is fictional.
 */

const PASSPHRASE = 'Sju påhittade ord om en flytt till servern';
const SERVER_ADMIN = { id: 'u-server-admin', username: 'demo.admin', displayName: 'Serverns Administratör' };
const DEMO_PASSWORD = 'demo-journalens-långa-lösenfras';
const JOURNAL_TEXT = 'Fiktiv journaltext på servern (testrad 8841)';
const DATABASES = {
  exported: 'utvag_srvbackup_export',
  restored: 'utvag_srvbackup_restore',
  refused: 'utvag_srvbackup_refuse',
  chain: 'utvag_srvbackup_chain',
} as const;
type Name = keyof typeof DATABASES;

let server: TestPostgres;
let folder: string;
/** The stores as the server's login for people's calls, and as the backup login; a superuser client per database. */
const people = {} as Record<Name, Store>;
const keeper = {} as Record<Name, Store>;
const owner = {} as Record<Name, pg.Client>;

beforeAll(async () => {
  server = await startPostgres();
  folder = mkdtempSync(path.join(os.tmpdir(), 'utvag-srvbackup-'));
  const logins: pg.PoolConfig[] = [];
  const backups: pg.PoolConfig[] = [];
  for (const database of Object.values(DATABASES)) {
    logins.push(await createServerJournal(server, database));
    backups.push(await createBackupLogin(server, database));
  }
  // Roles are the cluster's: the password set last is each login's password in every database.
  const login = logins.at(-1)!;
  const backup = backups.at(-1)!;
  for (const [name, database] of Object.entries(DATABASES) as [Name, string][]) {
    people[name] = createPostgresStore({ ...login, database });
    keeper[name] = createPostgresStore({ ...backup, database });
    owner[name] = await server.connectAsAdmin(database);
  }
}, 120_000);

afterAll(async () => {
  for (const name of Object.keys(DATABASES) as Name[]) {
    await people[name]?.close();
    await keeper[name]?.close();
    await owner[name]?.end();
  }
  await server?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** What `server init` leaves: its admin, and log rows naming no client (the initialisation and a sign-in). */
async function initialise(name: Name): Promise<void> {
  await owner[name].query(`INSERT INTO users (id, username, display_name, created_at) VALUES ($1, $2, $3, $4)`, [
    SERVER_ADMIN.id,
    SERVER_ADMIN.username,
    SERVER_ADMIN.displayName,
    AT,
  ]);
  await owner[name].query(`INSERT INTO user_roles (user_id, role) VALUES ($1, 'admin')`, [SERVER_ADMIN.id]);
  const actor: Actor = { userId: SERVER_ADMIN.id, role: 'admin' };
  await people[name].transaction(
    (tx) => appendLogRow(tx, logEntry(actor, { action: 'auth.setup', record: `journal:created:admin=${SERVER_ADMIN.id}` })),
    {
      actor,
    },
  );
  await people[name].transaction((tx) => appendLogRow(tx, logEntry(actor, { action: 'auth.login', record: 'session:started' })), { actor });
}

async function serverCounts(name: Name): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of BACKUP_TABLES_IN_ORDER) {
    counts[table] = (await owner[name].query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
  }
  return counts;
}

async function serverLog(name: Name): Promise<RawLogRow[]> {
  const { rows } = await owner[name].query<RawLogRow & { at: Date; seq: string }>('SELECT * FROM access_log ORDER BY seq');
  return rows.map((row) => ({ ...row, seq: Number(row.seq), at: new Date(row.at).toISOString() }));
}

function verifyChain(rows: RawLogRow[]): boolean {
  let prev = GENESIS_HASH;
  return rows.every((row, index) => {
    const ok = continuesChain(row, index + 1, prev);
    prev = row.hash;
    return ok;
  });
}

/** Every row of every table of a backup file (the manifest and the migrations' list aside), sorted: "the same journal" as a set of rows. */
function fileRows(file: string, passphrase = PASSPHRASE): Record<string, string[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.pragma(`key = ${sqlString(passphrase)}`);
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables
        .filter((table) => !['backup_manifest', 'schema_migrations'].includes(table))
        .map((table) => [table, (db.prepare(`SELECT * FROM "${table}"`).all() as object[]).map((row) => JSON.stringify(row)).sort()]),
    );
  } finally {
    db.close();
  }
}

/** Opens a file with @journeyapps/sqlcipher as the stock tool would. */
function openWithSqlcipher(file: string): { all(query: string): Promise<Record<string, unknown>[]>; close(): Promise<void> } {
  const db = new sqlcipher.Database(file, sqlcipher.OPEN_READONLY);
  db.serialize();
  db.run('PRAGMA cipher_log_level = NONE');
  db.run(`PRAGMA key = ${sqlString(PASSPHRASE)}`);
  return {
    all: (query) =>
      new Promise((resolve, reject) =>
        db.all(query, (error: Error | null, rows: Record<string, unknown>[]) => (error ? reject(error) : resolve(rows))),
      ),
    close: () => new Promise((resolve) => db.close(() => resolve())),
  };
}

/** A fictional practice written on the server as the people themselves would (each as their own database role). */
async function practiceOnServer(name: Name): Promise<{ victim: string; perpetrator: string }> {
  const store = people[name];
  const admin = owner[name];
  await seedPeople(admin);
  await admin.query(`INSERT INTO settings (key, value, updated_at) VALUES ('separationBufferMinutes', '120', $1)`, [AT]);
  const desk = PEOPLE.desk;
  const { victim, perpetrator, child } = await store.transaction(
    async (tx) => {
      const victim = await addClient(tx, 'victim');
      const perpetrator = await addClient(tx, 'perpetrator');
      const child = await addClient(tx, 'child');
      await tx
        .insertInto('client_contacts')
        .values({ client_id: victim, phone: '070-000 00 01', phone_digits: '0700000001', safe_to_call: 1, code_word: 'Fiktivblomma' })
        .execute();
      await link(tx, victim, perpetrator);
      await link(tx, child, perpetrator);
      await book(tx, { clientId: victim, track: 'victim', startsAt: '2026-03-09T08:00:00.000Z' });
      await book(tx, { clientId: perpetrator, track: 'perpetrator', startsAt: '2026-03-09T13:00:00.000Z' });
      await tx
        .insertInto('intakes')
        .values({
          id: unique('intake'),
          client_id: victim,
          received_at: AT,
          received_by: desk.userId,
          contact_by: 'self',
          referral_source: 'police',
          urgency: 'high',
          outcome: 'booked',
          routing: 'utvag_coordinator',
          routing_reason: 'fiktivt skäl',
        })
        .execute();
      await tx
        .insertInto('care_relations')
        .values([
          { id: unique('care'), client_id: victim, therapist_id: PEOPLE.therapist.userId, started_at: AT, created_by: desk.userId },
          { id: unique('care'), client_id: child, therapist_id: PEOPLE.therapist.userId, started_at: AT, created_by: desk.userId },
        ])
        .execute();
      // An intake routed to the municipality's social secretary and the coordinator's follow-up of it (Etapp 2).
      const routed = unique('intake');
      await tx
        .insertInto('intakes')
        .values({
          id: routed,
          client_id: victim,
          received_at: AT,
          received_by: desk.userId,
          contact_by: 'self',
          referral_source: 'social',
          urgency: 'normal',
          outcome: 'referred',
          routing: 'etapp2_social_secretary',
          routing_reason: 'fiktivt skäl',
        })
        .execute();
      await tx.insertInto('etapp2_follow_ups').values({ intake_id: routed, status: 'contacted', updated_at: AT, updated_by: desk.userId }).execute();
      // A group, ended, with a session and the victim's attendance at it.
      const group = unique('group');
      const session = unique('session');
      await tx
        .insertInto('groups')
        .values({
          id: group,
          site_id: SITE,
          track: 'victim',
          name: 'Fiktiv samtalsgrupp',
          therapist_id: PEOPLE.therapist.userId,
          room_id: null,
          created_at: AT,
        })
        .execute();
      await tx.insertInto('group_members').values({ group_id: group, client_id: victim, joined_at: AT }).execute();
      await tx
        .insertInto('appointments')
        .values({
          id: session,
          site_id: SITE,
          side: 'victims',
          kind: 'group',
          starts_at: '2026-03-10T15:00:00.000Z',
          ends_at: '2026-03-10T16:30:00.000Z',
          therapist_id: PEOPLE.therapist.userId,
          group_id: group,
          created_at: AT,
          created_by: desk.userId,
          updated_at: AT,
        })
        .execute();
      await tx
        .insertInto('group_attendance')
        .values({ appointment_id: session, client_id: victim, status: 'present', recorded_at: AT, recorded_by: desk.userId })
        .execute();
      await tx.updateTable('groups').set({ ended_at: '2026-03-20T08:00:00.000Z' }).where('id', '=', group).execute();
      await appendLogRow(tx, logEntry(desk, { clientId: victim, action: 'intake.register', record: 'intake' }));
      return { victim, perpetrator, child };
    },
    { actor: desk },
  );
  // Protected identity is the admin's to set.
  await store.transaction((tx) => tx.updateTable('clients').set({ protected_identity: 1 }).where('id', '=', victim).execute(), {
    actor: PEOPLE.admin,
  });
  // A signed entry and its amendment by the therapist in care, a draft of hers.
  await store.transaction(
    async (tx) => {
      const signed = unique('entry');
      const now = new Date().toISOString();
      await tx
        .insertInto('journal_entries')
        .values({
          id: signed,
          client_id: victim,
          author_id: PEOPLE.therapist.userId,
          kind: 'note',
          status: 'signed',
          body: JOURNAL_TEXT,
          created_at: now,
          updated_at: now,
          signed_at: now,
        })
        .execute();
      await tx
        .insertInto('journal_entries')
        .values({
          id: unique('entry'),
          client_id: victim,
          author_id: PEOPLE.therapist.userId,
          kind: 'note',
          status: 'signed',
          body: 'Fiktiv rättelse',
          created_at: now,
          updated_at: now,
          signed_at: now,
          amends_id: signed,
          amendment_reason: 'fel datum',
        })
        .execute();
      await tx
        .insertInto('journal_entries')
        .values({
          id: unique('entry'),
          client_id: child,
          author_id: PEOPLE.therapist.userId,
          kind: 'assessment',
          status: 'draft',
          body: 'Fiktivt utkast',
          created_at: now,
          updated_at: now,
        })
        .execute();
      await appendLogRow(tx, logEntry(PEOPLE.therapist, { clientId: victim, action: 'journal.sign', record: 'entry' }));
    },
    { actor: PEOPLE.therapist },
  );
  // An emergency access by a colleague, reviewed by the admin.
  const emergencySeq = await store.transaction(
    async (tx) => {
      const seq = await appendLogRow(
        tx,
        logEntry(PEOPLE.colleague, { clientId: victim, emergency: true, reason: 'Akut fiktiv situation', action: 'journal.emergencyOpen' }),
      );
      const grantedAt = new Date();
      await tx
        .insertInto('emergency_grants')
        .values({
          id: unique('grant'),
          client_id: victim,
          user_id: PEOPLE.colleague.userId,
          granted_at: grantedAt.toISOString(),
          expires_at: new Date(grantedAt.getTime() + 3_600_000).toISOString(),
          reason: 'Akut fiktiv situation',
          access_log_seq: seq,
        })
        .execute();
      return seq;
    },
    { actor: PEOPLE.colleague },
  );
  await store.transaction(
    async (tx) => {
      await tx
        .insertInto('access_reviews')
        .values({ access_log_seq: emergencySeq, reviewed_at: new Date().toISOString(), reviewed_by: PEOPLE.admin.userId, note: 'granskad' })
        .execute();
      await appendLogRow(tx, logEntry(PEOPLE.admin, { action: 'audit.review', record: `seq:${emergencySeq}` }));
    },
    { actor: PEOPLE.admin },
  );
  return { victim, perpetrator };
}

/** A local journal of a quarter of fictional practice (both sides, links, groups, signed entries, emergency access), backed up by the local app's own export. */
async function localBackup(): Promise<{ file: string; dataDir: string }> {
  const dataDir = path.join(folder, 'desk');
  const seeded = await seedDemo({
    dataDir,
    years: 0.25,
    seed: 14,
    password: DEMO_PASSWORD,
    until: new Date('2026-06-16T14:00:00.000Z'),
    log: silentLogger,
  });
  const t = makeApp(dataDir);
  try {
    // A group with its sessions, a member who stays and one who leaves (periods keyed by an instant), booked at the desk.
    await t.ok('auth.login', { username: seeded.receptionist.username, password: DEMO_PASSWORD });
    const therapist = t.app.db
      .prepare(
        `SELECT p.user_id FROM therapist_profiles p JOIN therapist_tracks k ON k.user_id = p.user_id AND k.track = 'victim'
         WHERE p.site_id = 'skaraborg' ORDER BY p.user_id LIMIT 1`,
      )
      .pluck()
      .get() as string;
    const members = t.app.db
      .prepare(`SELECT id FROM clients WHERE track = 'victim' AND site_id = 'skaraborg' ORDER BY id LIMIT 3`)
      .pluck()
      .all() as string[];
    const group = await t.ok<{ id: string }>('groups.create', {
      side: 'victims',
      siteId: 'skaraborg',
      track: 'victim',
      name: 'Fiktiv samtalsgrupp',
      therapistId: therapist,
      roomId: 'skaraborg-g1',
      firstDate: '2027-01-11',
      start: '17:00',
      durationMinutes: 90,
      sessions: 4,
    });
    for (const clientId of members) await t.ok('groups.addMember', { side: 'victims', groupId: group.id, clientId });
    await t.ok('groups.removeMember', { side: 'victims', groupId: group.id, clientId: members[0] });
    // Attendance at its first session (a coming one: a member's call-off), and a second group ended.
    const sessions = await t.ok<{ session: { id: string; startsAt: string } }[]>('groups.sessions', { side: 'victims', groupId: group.id });
    const first = sessions.map(({ session }) => session).sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0]!;
    await t.ok('groups.setAttendance', {
      side: 'victims',
      appointmentId: first.id,
      attendance: [{ clientId: members[1], status: 'cancelled' }],
    });
    const ended = await t.ok<{ id: string }>('groups.create', {
      side: 'victims',
      siteId: 'skaraborg',
      track: 'victim',
      name: 'Fiktiv avslutad grupp',
      therapistId: therapist,
      roomId: 'skaraborg-g1',
      firstDate: '2027-02-15',
      start: '17:00',
      durationMinutes: 90,
      sessions: 2,
    });
    await t.ok('groups.end', { side: 'victims', groupId: ended.id, reason: 'Fiktivt avslut' });
    // A police report on a fictional woman with children in an Etapp 2 municipality goes to its social secretary; the coordinator follows it up.
    const routed = await t.ok<{ intakeId: string; routing: { decision: string } }>(
      'intake.register',
      intakeInput('victim', 'Fiktiv Etappdotter', { contactBy: 'outreach', referralSource: 'police', childrenUnder18: 1, municipalityCode: '1494' }),
    );
    expect(routed.routing.decision).toBe('etapp2_social_secretary');
    await t.ok('etapp2.setFollowUp', { side: 'victims', intakeId: routed.intakeId, status: 'offered_group' });
    await t.ok('auth.login', { username: DEFAULT_ADMIN.username, password: DEMO_PASSWORD });
    // The desk's automatic backups (its own folder and passphrase) belong to the desk, not to the journal that moves.
    const auto = path.join(folder, 'desk-auto');
    mkdirSync(auto);
    await t.ok('backup.schedule.update', {
      enabled: true,
      folder: auto,
      intervalHours: 24,
      keep: 7,
      passphrase: PASSPHRASE,
      passphraseRepeat: PASSPHRASE,
    });
    const file = path.join(folder, 'desk.backup');
    await t.ok('backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    return { file, dataDir };
  } finally {
    await t.call('auth.logout');
  }
}

describe('backups of a server journal', () => {
  let exported: string;

  it('knows every table of the app’s journal: in the server’s counts, rights, restore-only triggers and restore_begin()', async () => {
    // The journal's tables as this app's SQLite migrations make them (the server-only ones are PostgreSQL's alone).
    const memory = openMemoryJournal({ schema: true });
    const journal = journalTableColumns(memory)
      .map((table) => table.name)
      .filter((name) => name !== 'schema_migrations')
      .sort();
    memory.close();
    const db = owner.exported;
    // A table missing from a list shows up by name in the difference; every list is checked, not only the first that lacks it.
    const counted = (await db.query<{ table_name: string }>('SELECT table_name FROM backup_row_counts()')).rows.map((row) => row.table_name);
    expect.soft(counted.sort(), 'backup_row_counts()').toEqual(journal);
    expect.soft([...BACKUP_TABLES_IN_ORDER].sort(), 'BACKUP_TABLES_IN_ORDER').toEqual(journal);
    const { rows: rights } = await db.query<{ name: string; backup_reads: boolean; restore_writes: boolean; restore_only: boolean }>(
      `SELECT name, has_table_privilege('utvag_backup', name, 'SELECT') AS backup_reads,
         has_table_privilege('utvag_restore', name, 'INSERT') AS restore_writes,
         EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = name::regclass AND tgname = name || '_restore_only' AND tgenabled = 'O') AS restore_only
       FROM unnest($1::text[]) AS name ORDER BY name`,
      [journal],
    );
    expect.soft(rights.filter((row) => !row.backup_reads || !row.restore_writes || !row.restore_only)).toEqual([]);
    // restore_begin() locks every table and finds each empty but what `server init` writes (checked on its own terms).
    const definition = (await db.query<{ text: string }>(`SELECT pg_get_functiondef('restore_begin'::regproc) AS text`)).rows[0]!.text;
    const locked = /LOCK TABLE([^;]*?)IN EXCLUSIVE MODE/s.exec(definition)?.[1] ?? '';
    const checked = /FOREACH name IN ARRAY ARRAY\[([^\]]*)\]/s.exec(definition)?.[1] ?? '';
    const named = (list: string, table: string) => new RegExp(`(^|[^a-z0-9_])${table}([^a-z0-9_]|$)`).test(list);
    // server init's starting premises and the migrations' municipalities are not checked but cleared: the backup brings its own.
    const clearedForTheBackup = ['municipalities', 'sites', 'entrances', 'waiting_rooms', 'rooms', 'track_routes'];
    const byInit = ['users', 'user_roles', 'settings', 'access_log', ...clearedForTheBackup];
    expect(
      clearedForTheBackup.filter((table) => !definition.includes(`DELETE FROM public.${table};`)),
      'cleared by restore_begin()',
    ).toEqual([]);
    expect(
      journal.filter((table) => !named(locked, table)),
      'locked by restore_begin()',
    ).toEqual([]);
    expect(
      journal.filter((table) => !byInit.includes(table) && !named(checked, table)),
      'checked empty by restore_begin()',
    ).toEqual([]);
  }, 60_000);

  it('exports the server journal to a backup that the local verify and the stock SQLCipher 4 open, with its counts and chain', async () => {
    await initialise('exported');
    await practiceOnServer('exported');
    const file = path.join(folder, 'server.backup');
    let copied = -1;
    const result = await exportServerJournal(
      keeper.exported,
      { file, passphrase: PASSPHRASE, dataDir: path.join(folder, 'server-data'), now: new Date(), sealKey: null },
      { onCopied: ({ rows }) => void (copied = rows) },
    );
    exported = file;
    const counts = await serverCounts('exported');
    // Every table of the server, row for row, and the migrations' list of this app.
    expect(result.counts).toEqual({ ...counts, schema_migrations: expect.any(Number) });
    expect(copied).toBe(Object.values(result.counts).reduce((sum, n) => sum + n, 0));
    expect(counts.journal_entries).toBe(3);
    expect(counts.emergency_grants).toBe(1);
    expect(counts.group_attendance).toBe(1);
    expect(counts.etapp2_follow_ups).toBe(1);

    const verified = await verifyBackup(file, PASSPHRASE);
    expect(verified).toMatchObject({ ok: true, counts: result.counts, checksum: result.checksum, origin: 'elsewhere' });

    // The log keeps its seq and hashes, and the manifest's head is the server's.
    const log = await serverLog('exported');
    expect(verifyChain(log)).toBe(true);
    const head = (await owner.exported.query<{ seq: string; hash: string }>('SELECT seq, hash FROM access_log_head')).rows[0]!;
    const backup = openWithSqlcipher(file);
    try {
      expect(await backup.all('PRAGMA cipher_integrity_check')).toEqual([]);
      const fileLog = await backup.all('SELECT seq, at, hash, prev_hash, client_id, emergency, reason FROM access_log ORDER BY seq');
      expect(fileLog).toEqual(
        log.map(({ seq, at, hash, prev_hash, client_id, emergency, reason }) => ({ seq, at, hash, prev_hash, client_id, emergency, reason })),
      );
      const manifest = Object.fromEntries((await backup.all('SELECT key, value FROM backup_manifest')).map((row) => [row.key, row.value]));
      expect(manifest.log_head).toBe(`${head.seq}:${head.hash}`);
      // Past row-level security: the journal's text, drafts and protected details are in the backup.
      expect((await backup.all('SELECT body FROM journal_entries ORDER BY body')).map((row) => row.body)).toEqual(
        ['Fiktiv rättelse', 'Fiktivt utkast', JOURNAL_TEXT].sort(),
      );
      expect(await backup.all('SELECT code_word FROM client_contacts')).toEqual([{ code_word: 'Fiktivblomma' }]);
      // The groups' attendance, a group's end and the Etapp 2 follow-up, as on the server.
      expect(await backup.all('SELECT status, recorded_at, recorded_by FROM group_attendance')).toEqual([
        { status: 'present', recorded_at: AT, recorded_by: PEOPLE.desk.userId },
      ]);
      expect(await backup.all('SELECT ended_at FROM groups')).toEqual([{ ended_at: '2026-03-20T08:00:00.000Z' }]);
      expect(await backup.all('SELECT status, updated_at, updated_by FROM etapp2_follow_ups')).toEqual([
        { status: 'contacted', updated_at: AT, updated_by: PEOPLE.desk.userId },
      ]);
      // Nothing of the server's own: no separation spans, no chain head, no restore marker.
      const tables = (await backup.all(`SELECT name FROM sqlite_master WHERE type = 'table'`)).map((row) => row.name);
      for (const serverOnly of ['separation_spans', 'access_log_head', 'restore_marker', 'user_passwords']) expect(tables).not.toContain(serverOnly);
    } finally {
      await backup.close();
    }
  }, 120_000);

  it('restores a single desk’s backup into a freshly initialised server: every row as it was, the chain verifying, the separation rule in force', async () => {
    await initialise('restored');
    const before = await serverLog('restored');
    const { file } = await localBackup();
    const verified = await verifyBackup(file, PASSPHRASE);
    if (!verified.ok) throw new Error('the local backup does not verify');
    const restored = await restoreIntoServer(keeper.restored, {
      file,
      passphrase: PASSPHRASE,
      restoredBy: SERVER_ADMIN.id,
      now: new Date(),
      confirmedChecksum: verified.checksum,
    });
    expect(restored.counts).toEqual(verified.counts);
    expect(restored.logRowsCarriedOver).toBe(before.length);

    // Out again, as a file: the desk's journal, row for row, with only what the server adds.
    const again = path.join(folder, 'restored-again.backup');
    await exportServerJournal(keeper.restored, {
      file: again,
      passphrase: PASSPHRASE,
      dataDir: path.join(folder, 'server-data'),
      now: new Date(),
      sealKey: null,
    });
    const desk = fileRows(file);
    const onServer = fileRows(again);
    // The tables that came with the groups' lifecycle and Etapp 2 are in the desk's file, and compared below like every other.
    expect(desk.group_attendance).toHaveLength(1);
    expect(desk.etapp2_follow_ups).toHaveLength(1);
    expect(desk.groups!.some((row) => (JSON.parse(row) as { ended_at: string | null }).ended_at !== null)).toBe(true);
    const users = (rows: string[]) => rows.map((row) => JSON.parse(row) as Record<string, unknown>);
    for (const table of Object.keys(desk)) {
      if (['users', 'user_roles', 'access_log', 'settings'].includes(table)) continue;
      expect(onServer[table], table).toEqual(desk[table]);
    }
    const installation = (row: string) => ['backup.schedule', 'backup.status'].includes((JSON.parse(row) as { key: string }).key);
    expect(desk.settings!.some(installation)).toBe(true);
    expect(onServer.settings).toEqual(desk.settings!.filter((row) => !installation(row)));
    // The accounts keep everything but a password: each must be given a temporary one. The server's admin keeps theirs,
    // and the desk's account of the same username gets a free suffix.
    const deskUsers = users(desk.users!);
    const serverUsers = users(onServer.users!);
    expect(serverUsers).toHaveLength(deskUsers.length + 1);
    for (const user of deskUsers) {
      const there = serverUsers.find((candidate) => candidate.id === user.id)!;
      const renamed = restored.renamedUsers.find((candidate) => candidate.id === user.id);
      expect(there).toEqual({ ...user, must_change_password: 1, username: renamed?.to ?? user.username });
    }
    expect(restored.renamedUsers).toEqual([expect.objectContaining({ from: SERVER_ADMIN.username, to: `${SERVER_ADMIN.username}-2` })]);
    expect(serverUsers.find((user) => user.id === SERVER_ADMIN.id)).toMatchObject({ username: SERVER_ADMIN.username, must_change_password: 0 });
    expect(restored.usersWithoutPassword.map((user) => user.id).sort()).toEqual(
      deskUsers
        .filter((user) => user.active === 1)
        .map((user) => user.id)
        .sort(),
    );
    expect(onServer.user_roles).toEqual([...desk.user_roles!, JSON.stringify({ user_id: SERVER_ADMIN.id, role: 'admin' })].sort());

    // The log: the desk's rows with their seq and hashes, then the restore, then what the server had logged before it.
    const log = await serverLog('restored');
    expect(verifyChain(log)).toBe(true);
    const deskLog = users(desk.access_log!).sort((a, b) => Number(a.seq) - Number(b.seq));
    expect(log.slice(0, deskLog.length).map(({ seq, hash }) => ({ seq, hash }))).toEqual(deskLog.map(({ seq, hash }) => ({ seq, hash })));
    const after = log.slice(deskLog.length);
    expect(after[0]).toMatchObject({
      action: 'backup.restore',
      user_id: SERVER_ADMIN.id,
      record: expect.stringMatching(/^backup:restore:rows=\d+,carried=2$/),
    });
    expect(after[1]).toMatchObject({ action: 'backup.restore', record: expect.stringMatching(/^backup:restore:username-moved:/) });
    expect(after.slice(2).map(({ at, user_id, action, record }) => ({ at, user_id, action, record }))).toEqual(
      before.map(({ at, user_id, action, record }) => ({ at, user_id, action, record })),
    );
    const head = (await owner.restored.query<{ seq: string; hash: string }>('SELECT seq, hash FROM access_log_head')).rows[0]!;
    expect({ seq: Number(head.seq), hash: head.hash }).toEqual({ seq: log.at(-1)!.seq, hash: log.at(-1)!.hash });

    // The separation rule holds over what was imported: a linked person of the other side cannot be booked beside an appointment.
    expect((await owner.restored.query<{ n: number }>('SELECT count(*)::int AS n FROM separation_spans')).rows[0]!.n).toBeGreaterThan(0);
    const { rows: pairs } = await owner.restored.query<{
      client_id: string;
      other: string;
      other_track: string;
      site_id: string;
      starts_at: Date;
      therapist_id: string;
    }>(
      `SELECT a.client_id, o.id AS other, o.track AS other_track, a.site_id, a.starts_at, a.therapist_id
       FROM appointments a
       JOIN clients c ON c.id = a.client_id
       JOIN client_links l ON a.client_id IN (l.client_a, l.client_b)
       JOIN clients o ON o.id = CASE WHEN l.client_a = a.client_id THEN l.client_b ELSE l.client_a END
       WHERE a.status <> 'cancelled' AND separation_side(c.track) <> separation_side(o.track)
       ORDER BY a.starts_at DESC LIMIT 1`,
    );
    const pair = pairs[0]!;
    const receptionist = (
      await owner.restored.query<{ user_id: string }>(`SELECT user_id FROM user_roles WHERE role = 'receptionist' ORDER BY user_id LIMIT 1`)
    ).rows[0]!.user_id;
    const startsAt = plusMinutes(new Date(pair.starts_at).toISOString(), 30);
    const clash = await outcome(
      people.restored.transaction(
        (tx) =>
          tx
            .insertInto('appointments')
            .values({
              id: unique('appt'),
              site_id: pair.site_id,
              side: pair.other_track === 'perpetrator' ? 'perpetrators' : 'victims',
              kind: 'individual',
              starts_at: startsAt,
              ends_at: plusMinutes(startsAt, 60),
              therapist_id: pair.therapist_id,
              client_id: pair.other,
              created_at: AT,
              created_by: receptionist,
              updated_at: AT,
            })
            .execute(),
        { actor: { userId: receptionist, role: 'receptionist' } },
      ),
    );
    expect(clash).toBeInstanceOf(SeparationConflictError);
  }, 300_000);

  it('reads each table page by page in key order without a row twice or missing, composite and instant keys included', async () => {
    const memory = openMemoryJournal({ schema: true });
    try {
      const tables = journalTableColumns(memory).filter((table) =>
        ['group_members', 'access_log', 'user_roles', 'appointments'].includes(table.name),
      );
      await keeper.restored.transaction(async (tx) => {
        await beginAs(tx, 'utvag_backup', true);
        for (const table of tables) {
          const whole: unknown[][] = [];
          const paged: unknown[][] = [];
          await readServerTable(tx, table, (rows) => whole.push(...rows));
          await readServerTable(tx, table, (rows) => paged.push(...rows), 2);
          expect(whole.length, table.name).toBeGreaterThan(2);
          expect(paged, table.name).toEqual(whole);
        }
      });
    } finally {
      memory.close();
    }
  }, 60_000);

  it('fails an export that the backup role could not read whole, and leaves no file', async () => {
    // A policy added later that hid rows from the backup role: the owner's count in the same snapshot tells.
    await owner.exported.query("CREATE POLICY hide_from_backup ON clients AS RESTRICTIVE FOR SELECT TO utvag_backup USING (track <> 'child')");
    try {
      const file = path.join(folder, 'partial-view.backup');
      await expect(
        exportServerJournal(keeper.exported, {
          file,
          passphrase: PASSPHRASE,
          dataDir: path.join(folder, 'server-data'),
          now: new Date(),
          sealKey: null,
        }),
      ).rejects.toThrow(/did not read every row/);
      expect(readdirSync(folder).filter((name) => name.startsWith('partial-view'))).toEqual([]);
    } finally {
      await owner.exported.query('DROP POLICY hide_from_backup ON clients');
    }
  }, 60_000);

  it('refuses a restore into a server journal that desks work in, and changes nothing there', async () => {
    const counts = await serverCounts('restored');
    const log = await serverLog('restored');
    const refused = await outcome(restoreIntoServer(keeper.restored, await confirmedRequest(exported)));
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'CONFLICT', message: 'error.backup.serverNotEmpty' });
    expect(await serverCounts('restored')).toEqual(counts);
    expect(await serverLog('restored')).toEqual(log);
    // One client is enough, even with every other row what `server init` made.
    await initialise('refused');
    await owner.refused.query(`INSERT INTO clients (id, track, name, created_at, created_by) VALUES ('c-one', 'victim', 'Fiktiv Ensam', $1, $2)`, [
      AT,
      SERVER_ADMIN.id,
    ]);
    const withClient = await serverCounts('refused');
    await expect(restoreIntoServer(keeper.refused, await confirmedRequest(exported))).rejects.toMatchObject({
      message: 'error.backup.serverNotEmpty',
    });
    expect(await serverCounts('refused')).toEqual(withClient);
    await owner.refused.query('DELETE FROM clients');
  }, 120_000);

  it('refuses a tampered backup and an import stopped half-way, leaving nothing; then takes the good one', async () => {
    const name: Name = 'refused';
    const counts = await serverCounts(name);
    const log = await serverLog(name);
    const unchanged = async () => {
      expect(await serverCounts(name)).toEqual(counts);
      expect(await serverLog(name)).toEqual(log);
      expect((await owner[name].query('SELECT * FROM restore_marker')).rows).toEqual([]);
    };
    const request = (file: string) => ({ file, passphrase: PASSPHRASE, restoredBy: SERVER_ADMIN.id, now: new Date() });
    // A backup the server did not seal needs the admin's confirmation of what verify showed of this very file.
    await expect(restoreIntoServer(keeper[name], request(exported))).rejects.toMatchObject({ message: 'error.backup.foreignNotConfirmed' });
    await expect(restoreIntoServer(keeper[name], { ...request(exported), confirmedChecksum: `sha256:${'0'.repeat(64)}` })).rejects.toMatchObject({
      message: 'error.backup.changedSinceChecked',
    });
    await unchanged();

    // A row changed: the checksum no longer matches.
    const changed = tampered(exported, 'changed', (db) => {
      db.prepare(`UPDATE clients SET name = 'Ändrad Fiktiv' WHERE rowid = (SELECT min(rowid) FROM clients)`).run();
    });
    await expect(restoreIntoServer(keeper[name], request(changed))).rejects.toMatchObject({ message: 'error.backup.damaged' });
    await unchanged();
    // A log row removed and every checksum recomputed: the chain breaks there.
    const cut = tampered(exported, 'cut', (db) => {
      withoutLogTriggers(db, () => db.exec(`DELETE FROM access_log WHERE seq = 2`));
      reseal(db);
    });
    await expect(restoreIntoServer(keeper[name], request(cut))).rejects.toMatchObject({ message: 'error.backup.logChain' });
    await unchanged();
    // Stopped half-way through the import: rolled back whole, the moved log rows and the municipalities back in place.
    await expect(
      restoreIntoServer(keeper[name], await confirmedRequest(exported), {
        beforeTable: (table) => {
          if (table === 'journal_entries') throw new Error('the connection was lost');
        },
      }),
    ).rejects.toThrow('the connection was lost');
    await unchanged();

    // The server's own export goes back into a fresh server as it came out.
    // A sign-in at the same moment waits for the restore, then continues the restored chain.
    const signingIn: Actor = { userId: SERVER_ADMIN.id, role: 'admin' };
    let signIn: Promise<number> | undefined;
    let waited = false;
    const restored: ServerRestored = await restoreIntoServer(keeper[name], await confirmedRequest(exported), {
      beforeTable: async (table) => {
        if (table === 'clients') {
          signIn = people[name].transaction((tx) => appendLogRow(tx, logEntry(signingIn, { action: 'auth.login', record: 'session:started' })), {
            actor: signingIn,
          });
        }
        if (table === 'journal_entries') {
          for (let i = 0; i < 500 && !waited; i += 1) {
            const { rows } = await owner[name].query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            );
            if (rows[0]!.n > 0) waited = true;
            else await new Promise((resolve) => setTimeout(resolve, 10));
          }
        }
      },
    });
    expect(waited).toBe(true);
    const signedInAt = await signIn!;
    const afterSignIn = await serverLog(name);
    expect(afterSignIn.at(-1)).toMatchObject({ seq: signedInAt, action: 'auth.login', user_id: SERVER_ADMIN.id });
    expect(verifyChain(afterSignIn)).toBe(true);
    // The export came from a server initialised with the same admin account: that account stays the server's.
    expect(restored.keptServerAccounts).toEqual([SERVER_ADMIN.id]);
    const source = fileRows(exported);
    const again = path.join(folder, 'refused-again.backup');
    await exportServerJournal(keeper[name], {
      file: again,
      passphrase: PASSPHRASE,
      dataDir: path.join(folder, 'server-data'),
      now: new Date(),
      sealKey: null,
    });
    const back = fileRows(again);
    for (const table of Object.keys(source)) {
      if (['users', 'user_roles', 'access_log'].includes(table)) continue;
      expect(back[table], table).toEqual(source[table]);
    }
    expect(verifyChain(await serverLog(name))).toBe(true);
  }, 180_000);

  it('keeps the backup and restore rights from every person’s transaction, and the restore role from writing outside a restore', async () => {
    for (const actor of [PEOPLE.desk, PEOPLE.therapist, PEOPLE.admin] satisfies Actor[]) {
      for (const role of ['utvag_backup', 'utvag_restore']) {
        await expect(people.exported.transaction((tx) => sql`SET ROLE ${sql.id(role)}`.execute(tx), { actor })).rejects.toThrow(/permission denied/);
        await expect(people.exported.transaction((tx) => sql`SELECT restore_begin()`.execute(tx), { actor })).rejects.toThrow(/permission denied/);
      }
    }
    // Nor the server's login on its own.
    await expect(people.exported.transaction((tx) => sql`SET ROLE utvag_backup`.execute(tx))).rejects.toThrow(/permission denied/);
    // The backup login is nobody in the app, and the backup role only reads.
    await expect(keeper.exported.transaction((tx) => sql`SET ROLE utvag_admin`.execute(tx))).rejects.toThrow(/permission denied/);
    await expect(
      keeper.exported.transaction(async (tx) => {
        await sql`SET LOCAL ROLE utvag_backup`.execute(tx);
        await sql`UPDATE clients SET name = 'x'`.execute(tx);
      }),
    ).rejects.toThrow(/permission denied/);
    // Outside a restore the restore role writes nothing in other people's names, and the log stays append-only.
    const asRestore = (statement: ReturnType<typeof sql>) =>
      keeper.exported.transaction(async (tx) => {
        await sql`SET LOCAL ROLE utvag_restore`.execute(tx);
        await statement.execute(tx);
      });
    await expect(
      asRestore(sql`INSERT INTO clients (id, track, name, created_at, created_by) VALUES ('c-x', 'victim', 'Fiktiv', ${AT}, ${PEOPLE.desk.userId})`),
    ).rejects.toThrow(/only inside a restore/);
    await expect(
      asRestore(sql`INSERT INTO journal_entries (id, client_id, author_id, kind, status, body, created_at, updated_at)
        SELECT 'e-x', id, ${PEOPLE.therapist.userId}, 'note', 'draft', 'x', ${AT}, ${AT} FROM clients LIMIT 1`),
    ).rejects.toThrow(/only inside a restore/);
    await expect(asRestore(sql`DELETE FROM access_log`)).rejects.toThrow(/permission denied/);
    // Tables without row-level security too: no account, role, link or setting slipped into a journal in use.
    await expect(
      asRestore(sql`INSERT INTO users (id, username, display_name, created_at) VALUES ('u-x', 'smuggled', 'Fiktiv Smugglare', ${AT})`),
    ).rejects.toThrow(/only inside a restore/);
    await expect(asRestore(sql`INSERT INTO user_roles (user_id, role) VALUES (${PEOPLE.desk.userId}, 'admin')`)).rejects.toThrow(
      /only inside a restore/,
    );
    await expect(asRestore(sql`UPDATE settings SET value = '0'`)).rejects.toThrow(/only inside a restore/);
    await expect(
      asRestore(sql`INSERT INTO client_links (id, client_a, client_b, kind, created_at, created_by)
        SELECT 'l-x', min(id), max(id), 'other', ${AT}, ${PEOPLE.desk.userId} FROM clients`),
    ).rejects.toThrow(/only inside a restore/);
    // Nor attendance or a follow-up in someone's name (the tables that came with the groups' lifecycle and Etapp 2).
    await expect(
      asRestore(sql`INSERT INTO group_attendance (appointment_id, client_id, status, recorded_at, recorded_by)
        SELECT a.id, m.client_id, 'absent', ${AT}, ${PEOPLE.therapist.userId} FROM appointments a JOIN group_members m ON m.group_id = a.group_id
        LIMIT 1`),
    ).rejects.toThrow(/only inside a restore/);
    await expect(asRestore(sql`UPDATE etapp2_follow_ups SET status = 'declined'`)).rejects.toThrow(/permission denied/);
    await expect(
      asRestore(sql`INSERT INTO etapp2_follow_ups (intake_id, status, updated_at, updated_by)
        SELECT id, 'declined', ${AT}, ${PEOPLE.desk.userId} FROM intakes WHERE routing = 'utvag_coordinator' LIMIT 1`),
    ).rejects.toThrow(/only inside a restore/);
    // And the owner's own statements still cannot delete a log row outside a restore.
    await expect(owner.exported.query('DELETE FROM access_log WHERE client_id IS NULL')).rejects.toThrow(/append-only/);
    // A restore into this journal, which desks use, is refused by the database itself.
    await expect(asRestore(sql`SELECT restore_begin()`)).rejects.toThrow(/not empty/);
  }, 60_000);
  it('takes an imported log only as one linear chain, checked once at the restore’s end, and moves the chain head once', async () => {
    await initialise('chain');
    const before = await serverLog('chain');
    // N log rows as an import writes them: seq 1..N, each prev_hash the row before's hash (the hashes' content is the read-back's to check).
    const imported = (count: number, skip: number | null) => sql`
      INSERT INTO access_log (seq, at, user_id, record, action, channel, prev_hash, hash)
      SELECT CASE WHEN ${skip}::int IS NOT NULL AND i >= ${skip}::int THEN i + 1 ELSE i END, ${AT}, ${SERVER_ADMIN.id}, 'session:started', 'auth.login', 'auth.login',
        CASE WHEN i = 1 THEN repeat('0', 64) ELSE encode(sha256(convert_to((i - 1)::text, 'UTF8')), 'hex') END,
        encode(sha256(convert_to(i::text, 'UTF8')), 'hex')
      FROM generate_series(1, ${count}::int) AS i`;
    const rolledBack = new Error('rolled back on purpose');
    const restoreWith = (count: number, skip: number | null) =>
      keeper.chain.transaction(async (tx) => {
        await beginAs(tx, 'utvag_restore', false);
        await sql`SELECT * FROM restore_begin()`.execute(tx);
        await imported(count, skip).execute(tx);
        await sql`SELECT restore_end()`.execute(tx);
        throw rolledBack;
      });
    // A gap in the imported log: refused as a constraint (never retried as a serialization failure), nothing kept.
    await expect(restoreWith(50, 20)).rejects.toMatchObject({ code: '23000' });
    expect(await serverLog('chain')).toEqual(before);
    // A whole chain of many rows: taken, and the head stands once on its last row, so that the next append continues it.
    await keeper.chain.transaction(async (tx) => {
      await beginAs(tx, 'utvag_restore', false);
      await sql`SELECT * FROM restore_begin()`.execute(tx);
      await imported(20_000, null).execute(tx);
      await sql`SELECT restore_end()`.execute(tx);
    });
    const head = (await owner.chain.query<{ seq: string; hash: string }>('SELECT seq, hash FROM access_log_head')).rows[0]!;
    const last = (await owner.chain.query<{ seq: string; hash: string }>('SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1')).rows[0]!;
    expect(head).toEqual(last);
    expect(Number(last.seq)).toBe(20_000);
    const actor: Actor = { userId: SERVER_ADMIN.id, role: 'admin' };
    await people.chain.transaction((tx) => appendLogRow(tx, logEntry(actor, { action: 'auth.login', record: 'session:started' })), { actor });
    const appended = (await serverLog('chain')).at(-1)!;
    expect(appended).toMatchObject({ seq: 20_001, prev_hash: last.hash });
    // Outside a restore the trigger still checks every row against the head: a row that does not continue it is refused.
    await expect(
      owner.chain.query(
        `INSERT INTO access_log (seq, at, user_id, record, action, channel, prev_hash, hash) VALUES ($1, $2, $3, 'x', 'auth.login', 'auth.login', $4, $4)`,
        [20_002, AT, SERVER_ADMIN.id, 'a'.repeat(64)],
      ),
    ).rejects.toThrow(/does not continue the chain/);
  }, 120_000);
});

/** A restore of a file as the admin confirms it: after verify showed its checksum. */
async function confirmedRequest(file: string) {
  const verified = await verifyBackup(file, PASSPHRASE);
  if (!verified.ok) throw new Error('the backup does not verify');
  return { file, passphrase: PASSPHRASE, restoredBy: SERVER_ADMIN.id, now: new Date(), confirmedChecksum: verified.checksum };
}

function tampered(source: string, name: string, change: (db: Db) => void): string {
  const target = path.join(folder, `${name}.backup`);
  rmSync(target, { force: true });
  // A byte-for-byte copy, changed with the passphrase as anyone holding it could.
  copyFileSync(source, target);
  const db = new Database(target, { fileMustExist: true });
  try {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.pragma(`key = ${sqlString(PASSPHRASE)}`);
    db.pragma('foreign_keys = OFF');
    change(db);
  } finally {
    db.close();
  }
  return target;
}

function withoutLogTriggers(db: Db, change: () => void): void {
  const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'access_log'`).all() as {
    name: string;
    sql: string;
  }[];
  for (const trigger of triggers) db.exec(`DROP TRIGGER "${trigger.name}"`);
  change();
  for (const trigger of triggers) db.exec(trigger.sql);
}

/** The manifest made to agree with the changed file, as anyone with the passphrase can (the backup is unsealed). */
function reseal(db: Db): void {
  const content = contentDigest(db, 'main', CHECKSUM_METHOD);
  const last = db.prepare('SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
  const set = db.prepare('UPDATE backup_manifest SET value = ? WHERE key = ?');
  set.run(JSON.stringify(content.counts), 'row_counts');
  set.run(content.checksum, 'checksum');
  set.run(schemaChecksum(db, 'main'), 'schema_checksum');
  set.run(`${last.seq}:${last.hash}`, 'log_head');
}
