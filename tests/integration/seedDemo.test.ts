import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { verifyAccessLogChain } from '../../db/local/accessLog.js';
import type { Db } from '../../db/connection.js';
import { isWorkingDay, seedDemo, type SeedDemoSummary } from '../../main/cli/seedDemo/index.js';
import { CliError, runCli } from '../../main/cli/index.js';
import { parseIdentityNumber } from '../../preload/personnummer.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { useTempDirs } from '../helpers/tempDir.js';

const PASSWORD = 'demo-journalens-långa-lösenfras';
const UNTIL = new Date('2026-06-16T14:00:00.000Z'); // a Tuesday afternoon in June
const BUFFER_MINUTES = 120;
const tempDir = useTempDirs();

/**
 * Pairs of live appointments, at the same site and within the buffer of each other, attended by two
 * clients linked across the sides of the house. Computed here from the rows alone, not with
 * bookingRules.ts: a client attends their own appointments, and a group's sessions while a member.
 */
function separationViolations(db: Db, bufferMinutes: number): string[] {
  const appointments = db
    .prepare(
      `SELECT id, site_id AS siteId, starts_at AS startsAt, ends_at AS endsAt, client_id AS clientId, group_id AS groupId FROM appointments WHERE status <> 'cancelled'`,
    )
    .all() as { id: string; siteId: string; startsAt: string; endsAt: string; clientId: string | null; groupId: string | null }[];
  const members = db
    .prepare('SELECT group_id AS groupId, client_id AS clientId, joined_at AS joinedAt, left_at AS leftAt FROM group_members')
    .all() as {
    groupId: string;
    clientId: string;
    joinedAt: string;
    leftAt: string | null;
  }[];
  const track = new Map((db.prepare('SELECT id, track FROM clients').all() as { id: string; track: string }[]).map((row) => [row.id, row.track]));
  const attended = new Map<string, { id: string; siteId: string; start: number; end: number }[]>();
  for (const a of appointments) {
    const start = Date.parse(a.startsAt);
    const attendees = a.clientId
      ? [a.clientId]
      : members
          .filter((m) => m.groupId === a.groupId && Date.parse(m.joinedAt) <= start && (m.leftAt === null || Date.parse(m.leftAt) > start))
          .map((m) => m.clientId);
    for (const client of attendees) {
      const list = attended.get(client) ?? [];
      list.push({ id: a.id, siteId: a.siteId, start, end: Date.parse(a.endsAt) });
      attended.set(client, list);
    }
  }
  const buffer = bufferMinutes * 60_000;
  const violations: string[] = [];
  for (const link of db.prepare('SELECT client_a AS a, client_b AS b FROM client_links').all() as { a: string; b: string }[]) {
    if ((track.get(link.a) === 'perpetrator') === (track.get(link.b) === 'perpetrator')) continue;
    for (const x of attended.get(link.a) ?? [])
      for (const y of attended.get(link.b) ?? [])
        if (x.siteId === y.siteId && x.start < y.end + buffer && y.start < x.end + buffer) violations.push(`${x.id} ~ ${y.id}`);
  }
  return violations;
}

/** Overlapping live appointments that share a therapist, a room or a client. */
function doubleBookings(db: Db): { resource: string; a: string; b: string }[] {
  const overlap = (column: string) =>
    `SELECT '${column}' AS resource, a.id AS a, b.id AS b FROM appointments a JOIN appointments b
       ON b.${column} = a.${column} AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
     WHERE a.${column} IS NOT NULL AND a.status <> 'cancelled' AND b.status <> 'cancelled'`;
  return db.prepare([overlap('therapist_id'), overlap('room_id'), overlap('client_id')].join(' UNION ALL ')).all() as {
    resource: string;
    a: string;
    b: string;
  }[];
}

describe('seed-demo: one year of a fictional practice', () => {
  let dir: string;
  let summary: SeedDemoSummary;
  let t: TestApp;
  let db: Db;
  const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;

  beforeAll(async () => {
    // Shared by the checks below: one seeded year is the expensive part.
    dir = mkdtempSync(path.join(os.tmpdir(), 'utvag-seed-'));
    summary = await seedDemo({ dataDir: dir, years: 1, seed: 42, password: PASSWORD, until: UNTIL });
    t = makeApp(dir);
    await t.ok('auth.login', { username: 'demo.admin', password: PASSWORD });
    db = t.app.db;
  }, 180_000);
  afterAll(() => {
    t?.app.lock('shutdown');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has the contact-person network: fictional contact persons, network days and who came', () => {
    expect(summary.counts.contact_persons).toBe(55);
    expect(count('SELECT count(*) AS n FROM contact_persons')).toBe(55);
    expect(summary.counts.network_days).toBeGreaterThan(0);
    expect(count('SELECT count(*) AS n FROM network_day_attendance')).toBeGreaterThan(0);
    // Obviously fictional: e-mail only on the reserved .example domain.
    expect(count(`SELECT count(*) AS n FROM contact_persons WHERE email IS NOT NULL AND email NOT LIKE '%.example'`)).toBe(0);
  });

  it('has about 250 new clients, two thirds of them victims, the rest perpetrators and children', () => {
    const clients = count('SELECT count(*) AS n FROM clients');
    expect(clients).toBeGreaterThanOrEqual(190);
    expect(clients).toBeLessThanOrEqual(320);
    const share = (track: string) => count('SELECT count(*) AS n FROM clients WHERE track = ?', track) / clients;
    expect(share('victim')).toBeGreaterThan(0.55);
    expect(share('victim')).toBeLessThan(0.78);
    expect(share('perpetrator')).toBeGreaterThan(0.08);
    expect(share('child')).toBeGreaterThan(0.06);
    expect(summary.counts.clients).toBe(clients);
    // Every first call is an intake; both units take calls, with every kind of outcome.
    expect(count('SELECT count(*) AS n FROM intakes')).toBe(clients);
    expect(count('SELECT count(DISTINCT site_id) AS n FROM clients')).toBe(2);
    expect(count('SELECT count(DISTINCT outcome) AS n FROM intakes')).toBe(4);
    expect(count(`SELECT count(*) AS n FROM clients WHERE is_alias = 1`)).toBeGreaterThan(0);
    expect(count(`SELECT count(*) AS n FROM intakes WHERE routing = 'etapp2_social_secretary'`)).toBeGreaterThan(0);
  });

  it('has links across the sides and within, groups with members, and a waiting list', () => {
    const across = count(
      `SELECT count(*) AS n FROM client_links l JOIN clients a ON a.id = l.client_a JOIN clients b ON b.id = l.client_b
       WHERE (a.track = 'perpetrator') <> (b.track = 'perpetrator')`,
    );
    expect(across).toBeGreaterThan(5);
    expect(count(`SELECT count(*) AS n FROM client_links WHERE kind = 'parent_child'`)).toBeGreaterThan(0);
    expect(count('SELECT count(*) AS n FROM groups')).toBeGreaterThan(0);
    expect(count('SELECT count(*) AS n FROM group_members')).toBeGreaterThan(2);
    expect(count(`SELECT count(*) AS n FROM appointments WHERE kind = 'group'`)).toBeGreaterThan(5);
    expect(count('SELECT count(*) AS n FROM waiting_list')).toBeGreaterThan(10);
  });

  it('keeps every linked pair across the sides apart by the buffer, at every site, in groups too', () => {
    expect(separationViolations(db, BUFFER_MINUTES)).toEqual([]);
    // The check is not vacuous: linked pairs across the sides do have appointments at the same site.
    expect(
      count(
        `SELECT count(*) AS n FROM client_links l JOIN clients a ON a.id = l.client_a JOIN clients b ON b.id = l.client_b
         WHERE (a.track = 'perpetrator') <> (b.track = 'perpetrator')
           AND EXISTS (SELECT 1 FROM appointments x WHERE x.client_id = a.id AND x.status <> 'cancelled')
           AND EXISTS (SELECT 1 FROM appointments y WHERE y.client_id = b.id AND y.status <> 'cancelled')`,
      ),
    ).toBeGreaterThan(0);
  });

  it('never double-books a therapist, a room or a client', () => {
    expect(doubleBookings(db)).toEqual([]);
  });

  it('has appointments that happened in the past and are booked in the future, with realistic statuses', () => {
    const now = UNTIL.toISOString();
    const past = (status: string) => count(`SELECT count(*) AS n FROM appointments WHERE ends_at < ? AND status = ?`, now, status);
    const appointments = count('SELECT count(*) AS n FROM appointments');
    expect(appointments).toBeGreaterThan(800);
    expect(past('done') / appointments).toBeGreaterThan(0.6);
    expect(past('no_show')).toBeGreaterThan(0);
    expect(past('cancelled')).toBeGreaterThan(0);
    // Nothing in the past is left unresolved (an hour's grace for today's last visits), nothing in the future has happened.
    const anHourAgo = new Date(UNTIL.getTime() - 3_600_000).toISOString();
    expect(count(`SELECT count(*) AS n FROM appointments WHERE ends_at < ? AND status IN ('booked', 'arrived', 'in_session')`, anHourAgo)).toBe(0);
    expect(count(`SELECT count(*) AS n FROM appointments WHERE starts_at > ? AND status NOT IN ('booked', 'cancelled')`, now)).toBe(0);
    expect(count(`SELECT count(*) AS n FROM appointments WHERE starts_at > ? AND status = 'booked'`, now)).toBeGreaterThan(10);
    expect(count(`SELECT count(*) AS n FROM appointments WHERE kind = 'first_call' AND room_id IS NOT NULL`)).toBe(0);
    for (const kind of ['first_call', 'first_visit', 'individual', 'group', 'consultation']) {
      expect(count('SELECT count(*) AS n FROM appointments WHERE kind = ?', kind)).toBeGreaterThan(0);
    }
    // Appointments fall on working days only, but for the rare group session the holiday calendar cancelled.
    const days = db.prepare(`SELECT DISTINCT starts_at AS at FROM appointments WHERE status <> 'cancelled'`).all() as { at: string }[];
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });
    expect(days.filter((row) => !isWorkingDay(local.format(new Date(row.at)))).length).toBe(0);
  });

  it('wrote the access log like the app: every step, in time order, in an unbroken chain', () => {
    const rows = count('SELECT count(*) AS n FROM access_log');
    expect(rows).toBeGreaterThan(count('SELECT count(*) AS n FROM appointments'));
    expect(verifyAccessLogChain(db)).toEqual({ ok: true, rows });
    expect(count(`SELECT count(*) AS n FROM access_log a JOIN access_log b ON b.seq = a.seq + 1 WHERE b.at < a.at`)).toBe(0);
    // Nothing the seeder wrote lies after its day; the one later row is this test's own sign-in, logged now.
    expect(
      count(`SELECT count(*) AS n FROM access_log WHERE at > ? AND NOT (channel = 'auth.login' AND record = 'login:ok')`, UNTIL.toISOString()),
    ).toBe(0);
    for (const channel of [
      'intake.register',
      'clients.findForLink',
      'clients.search',
      'appointments.book',
      'appointments.move',
      'appointments.cancel',
      'appointments.setStatus',
      'groups.create',
      'groups.addMember',
      'schedule.today',
      'schedule.range',
      'waitingList.list',
      'care.assign',
      'care.end',
      'journal.myClients',
      'journal.open',
      'journal.saveDraft',
      'journal.sign',
      'journal.amend',
      'journal.emergencyOpen',
      'audit.search',
      'audit.markReviewed',
    ]) {
      expect(count('SELECT count(*) AS n FROM access_log WHERE channel = ?', channel)).toBeGreaterThan(0);
    }
    // Written by the people whose work it is, each in their own name, never with a name in the record column.
    expect(count(`SELECT count(*) AS n FROM access_log WHERE user_id IS NULL`)).toBe(0);
    const byOthers = (channels: string, role: string) =>
      count(
        `SELECT count(*) AS n FROM access_log l WHERE l.channel GLOB ?
           AND NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = l.user_id AND r.role = ?)`,
        channels,
        role,
      );
    expect(byOthers('journal.*', 'therapist')).toBe(0);
    expect(byOthers('audit.*', 'admin')).toBe(0);
    for (const channel of ['intake.register', 'appointments.*', 'clients.*', 'care.*', 'groups.*', 'schedule.today']) {
      expect(byOthers(channel, 'receptionist')).toBe(0);
    }
    expect(count(`SELECT count(DISTINCT user_id) AS n FROM access_log`)).toBeGreaterThanOrEqual(14);
    expect(count(`SELECT count(*) AS n FROM access_log a JOIN clients c ON instr(a.record, c.name) > 0`)).toBe(0);
  });

  it('keeps a journal: signed entries of every kind, drafts and amendments, written only in care or under emergency access', () => {
    const entries = (where: string, ...params: unknown[]) => count(`SELECT count(*) AS n FROM journal_entries WHERE ${where}`, ...params);
    // About one entry per visit, and more: plans, group sessions, closing summaries.
    expect(entries('1')).toBeGreaterThan(count(`SELECT count(*) AS n FROM appointments WHERE status = 'done'`) * 0.8);
    expect(summary.counts.journal_entries).toBe(entries('1'));
    for (const kind of ['note', 'assessment', 'treatment_plan', 'closing_summary']) expect(entries('kind = ?', kind)).toBeGreaterThan(0);
    expect(entries(`status = 'draft'`)).toBeGreaterThan(0);
    expect(entries(`status = 'draft'`)).toBeLessThan(entries(`status = 'signed'`) / 10);
    expect(entries('amends_id IS NOT NULL')).toBeGreaterThan(0);
    // An amendment is a signed correction of a signed entry; the original stays as it was.
    expect(
      count(
        `SELECT count(*) AS n FROM journal_entries a JOIN journal_entries o ON o.id = a.amends_id
         WHERE a.status <> 'signed' OR o.status <> 'signed' OR o.client_id <> a.client_id OR instr(a.body, o.body) <> 1`,
      ),
    ).toBe(0);
    // Every entry was written by a therapist in the client's care at the time, or under an emergency access then open.
    expect(
      entries(
        `NOT EXISTS (SELECT 1 FROM care_relations r WHERE r.client_id = journal_entries.client_id AND r.therapist_id = journal_entries.author_id
                       AND r.started_at <= journal_entries.created_at AND (r.ended_at IS NULL OR r.ended_at > journal_entries.created_at))
         AND NOT EXISTS (SELECT 1 FROM emergency_grants g WHERE g.client_id = journal_entries.client_id AND g.user_id = journal_entries.author_id
                       AND g.granted_at <= journal_entries.created_at AND g.expires_at > journal_entries.created_at)`,
      ),
    ).toBe(0);
    // Care relations begin and end; clients still in contact have an active one.
    expect(count('SELECT count(*) AS n FROM care_relations WHERE ended_at IS NOT NULL')).toBeGreaterThan(10);
    expect(count('SELECT count(*) AS n FROM care_relations WHERE ended_at IS NULL')).toBeGreaterThan(10);
    // Emergency accesses are flagged in the log with their reason, and the admin has reviewed all but the newest.
    const grants = count('SELECT count(*) AS n FROM emergency_grants');
    expect(grants).toBeGreaterThan(0);
    expect(count(`SELECT count(*) AS n FROM access_log WHERE emergency = 1 AND length(reason) >= 10`)).toBe(grants);
    const reviewedBefore = new Date(UNTIL.getTime() - 45 * 86_400_000).toISOString();
    expect(
      count(
        `SELECT count(*) AS n FROM access_log l LEFT JOIN access_reviews r ON r.access_log_seq = l.seq
         WHERE l.emergency = 1 AND r.access_log_seq IS NULL AND l.at < ?`,
        reviewedBefore,
      ),
    ).toBe(0);
    // The text is generic and names nobody.
    expect(count('SELECT count(*) AS n FROM journal_entries e JOIN clients c ON instr(e.body, c.name) > 0')).toBe(0);
    expect(entries(`length(body) < 40`)).toBe(0);
  });

  it('uses only invented identities: test-series personnummer and the phone numbers kept for fiction', () => {
    const numbers = db.prepare('SELECT personal_number AS pn FROM clients WHERE personal_number IS NOT NULL').all() as { pn: string }[];
    expect(numbers.length).toBeGreaterThan(20);
    for (const { pn } of numbers) {
      expect(pn).toMatch(/^\d{8}-9[89]\d\d$/);
      expect(parseIdentityNumber(pn, UNTIL).valid).toBe(true);
    }
    const phones = db.prepare('SELECT phone FROM client_contacts WHERE phone IS NOT NULL').all() as { phone: string }[];
    expect(phones.length).toBeGreaterThan(50);
    for (const { phone } of phones) expect(phone).toMatch(/^(070-17 40 6\d\d|031-390 06\d\d|040-628 04\d\d|08-465 004\d\d|0980-31 92\d\d)$/);
  });

  it('left staff who can sign in: the demo receptionist with the demo password, therapists with temporary ones', async () => {
    expect(summary.therapists.length).toBeGreaterThanOrEqual(12);
    expect(new Set(summary.therapists.map((therapist) => therapist.siteId))).toEqual(new Set(['skaraborg', 'sodra-alvsborg']));
    const other = makeApp(dir);
    expect(await other.ok('auth.login', { username: summary.receptionist.username, password: PASSWORD })).toMatchObject({
      roles: ['receptionist'],
      mustChangePassword: false,
    });
    expect(
      await other.ok('auth.login', { username: summary.therapists[0]!.username, password: summary.therapists[0]!.temporaryPassword }),
    ).toMatchObject({ roles: ['therapist'], mustChangePassword: true });
    other.app.lock('shutdown');
  });

  // Last in this block: the restore replaces the journal the checks above read.
  it('restores a backup of the seeded year with every table as it was', async () => {
    const BACKUP_PASSPHRASE = 'sju-blå-hästar-i-hagen-vid-ån';
    const snapshot = () => {
      const live = t.app.db;
      const names = (
        live.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]
      )
        .map((row) => row.name)
        .filter((name) => name !== 'access_log');
      const tables = Object.fromEntries(names.map((name) => [name, live.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
      // The export and the restore record themselves: their settings (backup status) and log rows come on top,
      // and signing in again after the restore moves the admin's last sign-in.
      tables.settings = (tables.settings as { key: string }[]).filter((row) => !row.key.startsWith('backup.'));
      tables.users = (tables.users as { last_login_at: string | null }[]).map((row) => ({ ...row, last_login_at: null }));
      return { tables, log: live.prepare('SELECT * FROM access_log ORDER BY seq').all() };
    };
    const before = snapshot();
    const out = mkdtempSync(path.join(os.tmpdir(), 'utvag-seed-backup-'));
    try {
      const file = path.join(out, 'seeded-year.db');
      await t.ok('backup.export', { path: file, passphrase: BACKUP_PASSPHRASE, passphraseRepeat: BACKUP_PASSPHRASE });
      await t.ok('backup.restore', { path: file, passphrase: BACKUP_PASSPHRASE });
      await t.ok('auth.login', { username: 'demo.admin', password: PASSWORD });
      const after = snapshot();
      expect(after.tables).toEqual(before.tables);
      expect(after.log.slice(0, before.log.length)).toEqual(before.log);
      expect(after.log.length).toBeGreaterThan(before.log.length);
      expect(await t.ok('audit.verify', {})).toMatchObject({ ok: true });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('seed-demo determinism and the command line', () => {
  /** What the practice looks like, without the random ids. */
  async function signature(dir: string): Promise<string> {
    const t = makeApp(dir);
    await t.ok('auth.login', { username: 'demo.admin', password: PASSWORD });
    const rows = t.app.db
      .prepare(
        `SELECT c.name, c.track, c.personal_number, a.kind, a.status, a.starts_at, a.ends_at, u.display_name AS therapist
         FROM appointments a LEFT JOIN clients c ON c.id = a.client_id JOIN users u ON u.id = a.therapist_id
         ORDER BY a.starts_at, a.ends_at, therapist, c.name, a.kind, a.status`,
      )
      .all();
    const entries = t.app.db
      .prepare(
        `SELECT e.kind, e.status, e.body, e.created_at, e.signed_at, e.amends_id IS NOT NULL AS amends, u.display_name AS author
         FROM journal_entries e JOIN users u ON u.id = e.author_id ORDER BY e.created_at, author, e.body`,
      )
      .all();
    // The log as the seeder wrote it: reading the signature signs in now, and that sign-in is logged at today's time.
    const log = t.app.db.prepare(`SELECT at, action, emergency FROM access_log WHERE at <= ? ORDER BY seq`).all(UNTIL.toISOString());
    t.app.lock('shutdown');
    return JSON.stringify({ rows, entries, log });
  }

  it('gives the same practice for the same seed and day, and another for another seed', async () => {
    const options = { years: 0.2, password: PASSWORD, until: UNTIL };
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    await seedDemo({ ...options, dataDir: a, seed: 5 });
    await seedDemo({ ...options, dataDir: b, seed: 5 });
    await seedDemo({ ...options, dataDir: c, seed: 6 });
    const [sa, sb, sc] = [await signature(a), await signature(b), await signature(c)];
    const parsed = JSON.parse(sa) as { rows: unknown[]; entries: unknown[]; log: unknown[] };
    expect(parsed.rows.length).toBeGreaterThan(50);
    expect(parsed.entries.length).toBeGreaterThan(50);
    expect(parsed.log.length).toBeGreaterThan(1000);
    expect(sa).toBe(sb);
    expect(sc).not.toBe(sa);
  }, 120_000);

  it('runs from the command line into an existing journal with --as, and refuses bad options', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const env = { UTVAG_DATA_DIR: dir, UTVAG_PASSWORD: PASSWORD };
    await runCli(['init', '--name', 'Ivar Itsson', '--username', 'ivar.it'], env, () => {});
    await expect(runCli(['seed-demo', '--years', '0'], env, () => {})).rejects.toBeInstanceOf(CliError);
    await expect(runCli(['seed-demo', '--years', '1'], env, () => {})).rejects.toThrow(/--as/);
    await expect(runCli(['seed-demo', '--years', '1', '--as', 'ivar.it'], { ...env, UTVAG_PASSWORD: 'fel lösenord' }, () => {})).rejects.toThrow(
      /WRONG_CREDENTIALS/,
    );
    await runCli(['seed-demo', '--years', '1', '--as', 'ivar.it', '--seed', '3'], env, (line) => lines.push(line));
    const output = lines.join('\n');
    expect(output).toMatch(/Seeded a fictional practice/);
    expect(output).toMatch(/clients\s+\d{3}/);
    expect(output).not.toMatch(/Recovery code/);
    // Nothing secret is printed: no password and no personnummer.
    expect(output).not.toContain(PASSWORD);
    expect(output).not.toMatch(/\d{8}-\d{4}/);
  }, 360_000);
});
