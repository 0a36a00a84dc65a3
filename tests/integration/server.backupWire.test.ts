import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_TABLES_IN_ORDER } from '../../db/engine/postgresBackup.js';
import { runCli } from '../../main/cli/index.js';
import { createLogger } from '../../main/log.js';
import { createRemoteRouter, type RemoteRouter } from '../../main/remote/index.js';
import { UnsafeBackupLoginError } from '../../main/server/backup.js';
import { startServer, type RunningServer } from '../../main/server/http.js';
import { FICTIONAL_ADMIN, FICTIONAL_CLIENTS } from '../fixtures/people.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { setUpReception } from '../helpers/reception.js';
import { Desk, FIRST_ADMIN, request, until } from '../helpers/utvagServer.js';

/**
 * Backups of the server journal through the wire (issue #14): a desk's journal moved onto a fresh
 * server with the CLI, the server's journal exported to a workstation's folder and checked there
 * (and by the stock SQLCipher 4), what is refused, and that the server keeps no file of either.
 * A real PostgreSQL, the real server over HTTP on loopback, real SQLCipher files. Fictional people.
 */
const DATABASE = 'utvag_backup_wire';
const PASSPHRASE = 'Sex påhittade ord om flytten till servern';
const BACKUP_LOGIN = 'utvag_wire_backup';
const SERVER_LOGIN = 'utvag_wire_server';

let postgres: TestPostgres;
let server: RunningServer;
let login: pg.PoolConfig;
let backupLogin: pg.PoolConfig;
let owner: pg.Client;
let folder: string;
/** The server's temporary folder: nothing of a backup may stay in it. */
let serverTemp: string;
const logLines: string[] = [];

const cliEnv = () => ({
  UTVAG_SERVER_URL: server.url,
  UTVAG_PASSWORD: FIRST_ADMIN.password,
  UTVAG_BACKUP_PASSPHRASE: PASSPHRASE,
  UTVAG_DATA_DIR: path.join(folder, 'cli-data'),
});

async function cli(args: string[], env: Record<string, string> = cliEnv()): Promise<string> {
  const lines: string[] = [];
  await runCli(args, env, (line) => lines.push(line));
  return lines.join('\n');
}

async function ownerCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of BACKUP_TABLES_IN_ORDER)
    counts[table] = (await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
  return counts;
}

async function lastLogRecord(): Promise<string> {
  return (await owner.query<{ record: string }>('SELECT record FROM access_log ORDER BY seq DESC LIMIT 1')).rows[0]!.record;
}

function workstation(dataDir = mkdtempSync(path.join(folder, 'ws-'))): RemoteRouter {
  return createRemoteRouter({ url: server.url, log: createLogger(() => undefined), dataDir });
}

function start(backup: pg.PoolConfig | null): Promise<RunningServer> {
  return startServer({
    database: login,
    backupDatabase: backup,
    tempDir: serverTemp,
    host: '127.0.0.1',
    port: 0,
    tls: null,
    log: createLogger((line) => logLines.push(line)),
    version: 'test',
  });
}

/** Counts a table's rows in a backup file with the stock SQLCipher 4. */
async function countWithSqlcipher(file: string, table: string): Promise<number> {
  // The independent SQLCipher 4 (SQLCipher's own sources), as in backup.test.ts.
  const { default: sqlcipher } = await import('@journeyapps/sqlcipher');
  return new Promise((resolve, reject) => {
    const db = new sqlcipher.Database(file, sqlcipher.OPEN_READONLY);
    db.serialize();
    db.run(`PRAGMA key = '${PASSPHRASE.replaceAll("'", "''")}'`);
    db.get(`SELECT count(*) AS n FROM ${table}`, (error: Error | null, row: { n: number }) => {
      db.close();
      if (error) reject(error);
      else resolve(row.n);
    });
  });
}

/** The single desk's backup: a fictional practice in a local encrypted journal. */
let deskBackup: { file: string; exported: { counts: Record<string, number>; checksum: string } };

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'utvag-backupwire-'));
  const desk = await setUpReception(mkdtempSync(path.join(folder, 'desk-')));
  for (const client of FICTIONAL_CLIENTS) await desk.newClient(client.track, client.name);
  const file = path.join(mkdtempSync(path.join(folder, 'usb-')), 'desk.db');
  const exported = await desk.ok<{ counts: Record<string, number>; checksum: string }>('backup.export', {
    path: file,
    passphrase: PASSPHRASE,
    passphraseRepeat: PASSPHRASE,
  });
  desk.app.lock('shutdown');
  deskBackup = { file, exported };
  postgres = await startPostgres();
  serverTemp = path.join(folder, 'server-tmp');
  mkdirSync(serverTemp);
  const setup = await postgres.connectAsAdmin();
  try {
    await setup.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await setup.end();
  }
  const passwords = { server: 'serverns-egen-långa-databasfras-1', backup: 'kopians-egen-långa-databasfras-2' };
  const url = `postgres://${postgres.admin.user}:${encodeURIComponent(postgres.admin.password)}@${postgres.host}:${postgres.port}/${DATABASE}`;
  const printed = await cli(
    [
      'server',
      'init',
      '--name',
      FIRST_ADMIN.displayName,
      '--username',
      FIRST_ADMIN.username,
      '--server-login',
      SERVER_LOGIN,
      '--backup-login',
      BACKUP_LOGIN,
    ],
    {
      UTVAG_DATABASE_URL: url,
      UTVAG_PASSWORD: FIRST_ADMIN.password,
      UTVAG_SERVER_DB_PASSWORD: passwords.server,
      UTVAG_BACKUP_DB_PASSWORD: passwords.backup,
    },
  );
  expect(printed).toContain(`Created the backup login ${BACKUP_LOGIN}`);
  login = { host: postgres.host, port: postgres.port, user: SERVER_LOGIN, password: passwords.server, database: DATABASE };
  backupLogin = { ...login, user: BACKUP_LOGIN, password: passwords.backup };
  owner = await postgres.connectAsAdmin(DATABASE);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await owner?.end();
  await postgres?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('backups of a server journal through the wire', () => {
  it('server init makes a backup login that holds only the backup roles; the server refuses one that is its own login or a superuser', async () => {
    const roles = await owner.query<{ role: string }>(
      `SELECT b.rolname AS role FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid JOIN pg_roles l ON l.oid = m.member WHERE l.rolname = $1 ORDER BY 1`,
      [BACKUP_LOGIN],
    );
    expect(roles.rows.map((row) => row.role)).toEqual(['utvag_backup', 'utvag_restore']);
    const serverRoles = await owner.query(
      `SELECT 1 FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid JOIN pg_roles l ON l.oid = m.member WHERE l.rolname = $1 AND b.rolname IN ('utvag_backup', 'utvag_restore')`,
      [SERVER_LOGIN],
    );
    expect(serverRoles.rowCount).toBe(0);

    await expect(start(login)).rejects.toBeInstanceOf(UnsafeBackupLoginError);
    const superuser = { ...login, user: postgres.admin.user, password: postgres.admin.password };
    await expect(start(superuser)).rejects.toThrow(/superuser/);
    expect(readdirSync(serverTemp)).toEqual([]);
  });

  it('without a backup login the server answers error.backup.notConfigured, and the workstation writes nothing', async () => {
    server = await start(null);
    const ws = workstation();
    await ws.invoke('auth.login', { username: FIRST_ADMIN.username, password: FIRST_ADMIN.password });
    const target = mkdtempSync(path.join(folder, 'out-'));
    const answer = await ws.invoke('backup.export', { path: path.join(target, 'server.db'), passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    expect(answer).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'error.backup.notConfigured' } });
    expect(readdirSync(target)).toEqual([]);
    // The screen is told that IT backs the server up, not an error.
    const status = await ws.invoke('backup.status', {});
    expect(status.ok && (status.value as { managedByServer?: boolean }).managedByServer).toBe(true);
    ws.close();
    await server.close();
  });

  it("moves a desk's journal onto the fresh server with the CLI; its people sign in after a temporary password", async () => {
    server = await start(backupLogin);
    const { file, exported } = deskBackup;

    // A desk's backup is not sealed by the server: refused until its checksum from verify is confirmed.
    await expect(cli(['backup', 'restore', '--as', FIRST_ADMIN.username, '--in', file])).rejects.toThrow(/not made by this installation/);
    expect(readdirSync(serverTemp)).toEqual([]);
    const verified = await cli(['backup', 'verify', '--as', FIRST_ADMIN.username, '--in', file]);
    expect(verified).toContain(`checksum ${exported.checksum} matches`);
    const restored = await cli(['backup', 'restore', '--as', FIRST_ADMIN.username, '--in', file, '--confirm', exported.checksum]);
    expect(restored).toContain('Restored the backup made');
    expect(restored).toMatch(/user\(s\) have no password on the server yet/);
    expect(restored).not.toContain('kept in the data folder');
    expect(readdirSync(serverTemp)).toEqual([]);

    const counts = await ownerCounts();
    expect(counts.clients).toBe(exported.counts.clients);
    expect(counts.journal_entries).toBe(exported.counts.journal_entries);

    // The desk's people are on the server without a password: the old one opens nothing, a temporary one does.
    const admin = new Desk(server.url);
    await admin.signIn(FIRST_ADMIN.username, FIRST_ADMIN.password);
    const old = await new Desk(server.url).call('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    expect(old.ok).toBe(false);
    const users = await admin.ok<{ items?: { id: string; username: string }[] } | { id: string; username: string }[]>('users.list');
    const list = Array.isArray(users) ? users : (users.items ?? []);
    const vera = list.find((user) => user.username === 'vera.b')!;
    const reset = await admin.ok<{ temporaryPassword: string }>('users.resetPassword', { userId: vera.id });
    const therapist = new Desk(server.url);
    await therapist.signIn('vera.b', reset.temporaryPassword);
    const newPassword = 'veras-nya-långa-serverfras';
    await therapist.ok('auth.changePassword', { currentPassword: reset.temporaryPassword, newPassword, newPasswordRepeat: newPassword });
    expect(await therapist.ok<{ state: string }>('app.status')).toMatchObject({ state: 'unlocked' });
  });

  it("exports the server's journal to a workstation's folder: checked there, opened by the stock SQLCipher 4, counts as the server's", async () => {
    const ws = workstation();
    expect((await ws.invoke('auth.login', { username: FIRST_ADMIN.username, password: FIRST_ADMIN.password })).ok).toBe(true);
    const target = mkdtempSync(path.join(folder, 'out-'));
    const file = path.join(target, 'server.db');
    const answer = await ws.invoke('backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    expect(answer.ok).toBe(true);
    const done = (answer as { value: { path: string; counts: Record<string, number>; checksum: string } }).value;
    expect(readdirSync(target)).toEqual(['server.db']);
    expect(readdirSync(serverTemp)).toEqual([]);

    // Read in one snapshot; the export's own log row is written after it, before a byte was sent.
    expect(await lastLogRecord()).toMatch(/^backup:export:rows=\d+$/);
    const counts = await ownerCounts();
    expect(done.counts).toEqual({ ...counts, access_log: counts.access_log! - 1, ...pick(done.counts, ['schema_migrations']) });

    const verified = await ws.invoke('backup.verify', { path: file, passphrase: PASSPHRASE });
    expect(verified).toMatchObject({ ok: true, value: { checksum: done.checksum, origin: 'elsewhere' } });
    expect(await countWithSqlcipher(file, 'clients')).toBe(counts.clients);
    expect(await countWithSqlcipher(file, 'users')).toBe(counts.users);
    // At the desktop, paths come only from its file dialog: a path a script in the window typed is refused.
    const desktop = createRemoteRouter({
      url: server.url,
      log: createLogger(() => undefined),
      dataDir: mkdtempSync(path.join(folder, 'ws-')),
      chooseFile: async () => file,
    });
    await desktop.invoke('auth.login', { username: FIRST_ADMIN.username, password: FIRST_ADMIN.password });
    expect(await desktop.invoke('backup.verify', { path: file, passphrase: PASSPHRASE })).toMatchObject({
      ok: false,
      error: { fields: { path: 'error.backup.pathFromDialogOnly' } },
    });
    const chosen = await desktop.invoke('backup.chooseFile', { purpose: 'existingBackup' });
    const token = (chosen as { value: { path: string } }).value.path;
    expect(token).toMatch(/^dialog:/);
    expect(await desktop.invoke('backup.verify', { path: token, passphrase: PASSPHRASE })).toMatchObject({ ok: true });
    desktop.close();

    // The file is the backup's bytes: no passphrase, no path of the server's in the log.
    expect(logLines.join('\n')).not.toContain(PASSPHRASE);
    expect(logLines.join('\n')).not.toContain(serverTemp);
    ws.close();
  });

  it('refuses anyone but a signed-in admin, a weak passphrase and a restore into a journal in use, leaving nothing on the server', async () => {
    const admin = new Desk(server.url);
    await admin.signIn(FIRST_ADMIN.username, FIRST_ADMIN.password);
    const created = await admin.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', {
      displayName: 'Rut Receptionsdóttir',
      username: 'rut.wire',
      roles: ['receptionist'],
    });
    const desk = new Desk(server.url);
    await desk.signIn('rut.wire', created.temporaryPassword);
    const post = (pathname: string, token: string | null, body: string, headers: Record<string, string>) =>
      request(server.url, { method: 'POST', path: pathname, body, headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    const json = { 'content-type': 'application/json' };
    const exportBody = JSON.stringify({ passphrase: PASSPHRASE });
    const envelope = (answer: { status: number; body: string }) => {
      expect(answer.status).toBe(200);
      return JSON.parse(answer.body) as { ok: boolean; error?: { code: string; message: string } };
    };

    // A temporary password opens nothing; nor does a receptionist's own; nor no session.
    expect(envelope(await post('/v1/backup/export', desk.token, exportBody, json)).error?.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const password = 'ruts-egen-långa-fras-här';
    await desk.ok('auth.changePassword', { currentPassword: created.temporaryPassword, newPassword: password, newPasswordRepeat: password });
    expect(envelope(await post('/v1/backup/export', desk.token, exportBody, json)).error).toEqual({ code: 'FORBIDDEN', message: 'error.forbidden' });
    expect(envelope(await post('/v1/backup/export', null, exportBody, json)).error?.code).toBe('NOT_SIGNED_IN');
    const upload = { 'content-type': 'application/octet-stream', 'utvag-backup-passphrase': Buffer.from(PASSPHRASE).toString('base64url') };
    expect(envelope(await post('/v1/backup/restore', desk.token, 'not a backup', upload)).error).toEqual({
      code: 'FORBIDDEN',
      message: 'error.forbidden',
    });

    // At a workstation, what is answered there without the server is admin work too: a verify of a
    // file on that computer (it names the backup's admins), the progress, the file dialog.
    const rutsDesk = workstation();
    expect(await rutsDesk.invoke('auth.login', { username: 'rut.wire', password })).toMatchObject({ ok: true });
    const refused = { ok: false, error: { code: 'FORBIDDEN', message: 'error.forbidden' } };
    expect(await rutsDesk.invoke('backup.verify', { path: path.join(folder, 'any.backup'), passphrase: PASSPHRASE })).toEqual(refused);
    expect(await rutsDesk.invoke('backup.progress', {})).toEqual(refused);
    expect(await rutsDesk.invoke('backup.chooseFile', { purpose: 'probe' })).toEqual(refused);
    rutsDesk.close();
    const adminsDesk = workstation();
    expect(await adminsDesk.invoke('auth.login', { username: FIRST_ADMIN.username, password: FIRST_ADMIN.password })).toMatchObject({ ok: true });
    expect(await adminsDesk.invoke('backup.progress', {})).toEqual({ ok: true, value: { running: null } });
    adminsDesk.close();

    // A weak passphrase is refused by the server too (not only by the workstation's form).
    const weak = envelope(await post('/v1/backup/export', admin.token, JSON.stringify({ passphrase: 'aaaaaaaaaaaaaaaa' }), json));
    expect(weak.error?.code).toBe('INVALID_INPUT');

    // A download broken off after its first bytes: the server's temporary file goes all the same.
    let whileSending = 0;
    const cut = await new Promise<number>((resolve, reject) => {
      const req = http.request(new URL('/v1/backup/export', server.url), {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${admin.token}` },
      });
      req.on('response', (res) => {
        res.once('data', () => {
          // While it is being sent, the file is in the server's temporary folder.
          whileSending = readdirSync(serverTemp).length;
          req.destroy();
          resolve(res.statusCode ?? 0);
        });
      });
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      req.end(exportBody);
    });
    expect(cut).toBe(200);
    expect(whileSending).toBe(1);
    expect(await until(() => readdirSync(serverTemp).length === 0, 5000)).toBe(true);

    // Not a backup, then a real one into a journal in use: refused, logged, nothing kept.
    const garbage = envelope(await post('/v1/backup/restore', admin.token, 'x'.repeat(5000), upload));
    expect(garbage.ok).toBe(false);
    expect(readdirSync(serverTemp)).toEqual([]);
    const ws = workstation();
    await ws.invoke('auth.login', { username: FIRST_ADMIN.username, password: FIRST_ADMIN.password });
    const file = path.join(mkdtempSync(path.join(folder, 'out-')), 'again.db');
    const made = await ws.invoke('backup.export', { path: file, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
    expect(made.ok).toBe(true);
    const before = await ownerCounts();
    const again = await ws.invoke('backup.restore', {
      path: file,
      passphrase: PASSPHRASE,
      confirmedChecksum: (made as { value: { checksum: string } }).value.checksum,
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'error.backup.serverNotEmpty' } });
    expect(await lastLogRecord()).toBe('backup:restore:refused:serverNotEmpty');
    expect({ ...(await ownerCounts()), access_log: 0 }).toEqual({ ...before, access_log: 0 });
    expect(readdirSync(serverTemp)).toEqual([]);
    expect(readFileSync(file).length).toBeGreaterThan(0);
    ws.close();
  });
});

function pick(counts: Record<string, number>, keys: string[]): Record<string, number> {
  return Object.fromEntries(keys.filter((key) => key in counts).map((key) => [key, counts[key]!]));
}
