import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEncrypted, type Db } from '../../db/connection.js';
import { loadMigrations, migrate, schemaVersion, SchemaVersionError } from '../../db/migrate.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();

function freshDb(): Db {
  return openEncrypted(path.join(tempDir(), 'journal.db'), randomBytes(32), { create: true });
}

function tables(db: Db): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((row) => row.name);
}

describe('migrations', () => {
  const shipped = loadMigrations();

  it('are numbered 1, 2, 3… and record the schema version', () => {
    expect(shipped.map((m) => m.id)).toEqual(shipped.map((_, index) => index + 1));
    const db = freshDb();
    expect(migrate(db)).toEqual({ from: 0, to: shipped.length });
    expect(schemaVersion(db)).toBe(shipped.length);
    // Running again is a no-op.
    expect(migrate(db)).toEqual({ from: shipped.length, to: shipped.length });
    db.close();
  });

  it('refuse a journal written by a newer app', () => {
    const db = freshDb();
    migrate(db);
    db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(
      shipped.length + 1,
      'from_the_future',
      new Date().toISOString(),
    );
    expect(() => migrate(db)).toThrow(SchemaVersionError);
    db.close();
  });

  it('refuse a journal whose history differs from the shipped one', () => {
    const db = freshDb();
    migrate(db, shipped.slice(0, 1));
    db.prepare('UPDATE schema_migrations SET name = ? WHERE id = 1').run('something_else');
    expect(() => migrate(db)).toThrow(SchemaVersionError);
    db.close();
  });

  it('001 foundation: users, roles, settings, clients and an append-only access log', () => {
    const db = freshDb();
    migrate(db, shipped.slice(0, 1));
    expect(tables(db)).toEqual(expect.arrayContaining(['users', 'user_roles', 'settings', 'clients', 'access_log', 'schema_migrations']));
    db.prepare(`INSERT INTO users (id, username, display_name, created_at) VALUES ('u1', 'Test.User', 'Test User', 'now')`).run();
    // Usernames are unique regardless of case.
    expect(() => db.prepare(`INSERT INTO users (id, username, display_name, created_at) VALUES ('u2', 'test.user', 'Other', 'now')`).run()).toThrow(
      /UNIQUE/,
    );
    expect(() => db.prepare(`INSERT INTO user_roles (user_id, role) VALUES ('u1', 'superuser')`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`INSERT INTO user_roles (user_id, role) VALUES ('nobody', 'admin')`).run()).toThrow(/FOREIGN KEY/);
    expect(() =>
      db.prepare(`INSERT INTO clients (id, track, name, created_at, created_by) VALUES ('c1', 'bystander', 'X', 'now', 'u1')`).run(),
    ).toThrow(/CHECK/);
    db.prepare(`INSERT INTO access_log (seq, at, action, prev_hash, hash) VALUES (1, 'now', 'login', '0', '1')`).run();
    expect(() => db.prepare(`UPDATE access_log SET action = 'other'`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM access_log`).run()).toThrow(/append-only/);
    db.close();
  });

  it('006 group membership periods: the one row per group and client is kept, and a return adds a period', () => {
    const db = freshDb();
    const periods = shipped.findIndex((m) => m.name === 'group_membership_periods');
    expect(shipped[periods]?.id).toBe(6);
    migrate(db, shipped.slice(0, periods));
    db.prepare(`INSERT INTO users (id, username, display_name, created_at) VALUES ('u1', 'migr.admin', 'Migra Adminsson', 'now')`).run();
    db.prepare(`INSERT INTO clients (id, track, name, created_at, created_by) VALUES ('c1', 'victim', 'Migra Klientsdotter', 'now', 'u1')`).run();
    db.prepare(
      `INSERT INTO groups (id, site_id, track, name, therapist_id, created_at) VALUES ('g1', 'skaraborg', 'victim', 'Stödgruppen', 'u1', 'now')`,
    ).run();
    db.prepare(
      `INSERT INTO group_members (group_id, client_id, joined_at, left_at) VALUES ('g1', 'c1', '2026-01-05T08:00:00Z', '2026-03-02T08:00:00Z')`,
    ).run();
    migrate(db, shipped.slice(0, periods + 1));
    expect(db.prepare('SELECT group_id, client_id, joined_at, left_at FROM group_members').all()).toEqual([
      { group_id: 'g1', client_id: 'c1', joined_at: '2026-01-05T08:00:00Z', left_at: '2026-03-02T08:00:00Z' },
    ]);
    // Back in the group in the autumn: a second period beside the first.
    db.prepare(`INSERT INTO group_members (group_id, client_id, joined_at) VALUES ('g1', 'c1', '2026-09-07T08:00:00Z')`).run();
    expect(db.prepare(`SELECT count(*) AS n FROM group_members WHERE client_id = 'c1'`).get()).toEqual({ n: 2 });
    // Never two open periods at once.
    expect(() => db.prepare(`INSERT INTO group_members (group_id, client_id, joined_at) VALUES ('g1', 'c1', '2026-10-05T08:00:00Z')`).run()).toThrow(
      /UNIQUE/,
    );
    db.close();
  });

  it('007 stats quarters: the published figures of a quarter are kept once and never changed', () => {
    const db = freshDb();
    const fixed = shipped.findIndex((m) => m.name === 'stats_quarters');
    expect(shipped[fixed]?.id).toBe(7);
    migrate(db, shipped.slice(0, fixed + 1));
    db.prepare(`INSERT INTO stats_quarters (year, quarter, report, fixed_at) VALUES (2026, 3, '{}', '2026-10-05T08:00:00Z')`).run();
    expect(() => db.prepare(`INSERT INTO stats_quarters (year, quarter, report, fixed_at) VALUES (2026, 5, '{}', 'now')`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE stats_quarters SET report = '{"x":1}'`).run()).toThrow(/fixed/);
    expect(() => db.prepare('DELETE FROM stats_quarters').run()).toThrow(/fixed/);
    db.close();
  });

  it('005 contact network: contact persons, network days and attendance; intakes may name their referrer', () => {
    const db = freshDb();
    const contactNetwork = shipped.findIndex((m) => m.name === 'contact_network');
    expect(shipped[contactNetwork]?.id).toBe(5);
    // An intake written before the register existed keeps working and names no one.
    migrate(db, shipped.slice(0, contactNetwork));
    db.prepare(`INSERT INTO users (id, username, display_name, created_at) VALUES ('u1', 'migr.admin', 'Migra Adminsson', 'now')`).run();
    db.prepare(`INSERT INTO clients (id, track, name, created_at, created_by) VALUES ('c1', 'victim', 'Migra Klientsdotter', 'now', 'u1')`).run();
    const intake = (id: string, referrer: string) =>
      db
        .prepare(
          `INSERT INTO intakes (id, client_id, received_at, received_by, contact_by, referral_source, urgency, outcome, routing, routing_reason,
             referrer_contact_id)
           VALUES (?, 'c1', 'now', 'u1', 'agency', 'police', 'normal', 'waiting_list', 'not_applicable', 'r', ?)`,
        )
        .run(id, referrer);
    db.prepare(
      `INSERT INTO intakes (id, client_id, received_at, received_by, contact_by, referral_source, urgency, outcome, routing, routing_reason)
       VALUES ('i0', 'c1', 'now', 'u1', 'self', 'self', 'normal', 'waiting_list', 'not_applicable', 'r')`,
    ).run();
    migrate(db, shipped.slice(0, contactNetwork + 1));
    expect(tables(db)).toEqual(expect.arrayContaining(['contact_persons', 'network_days', 'network_day_attendance']));
    expect(db.prepare(`SELECT referrer_contact_id AS r FROM intakes WHERE id = 'i0'`).get()).toEqual({ r: null });

    const contact = (id: string, values: Partial<Record<string, string | null>> = {}) => {
      const row = {
        id,
        name: 'Kim Kontaktsson',
        agencyKind: 'police',
        municipalityCode: '1496',
        email: `${id}@polis.example`,
        phone: null,
        start: '2026-01-01',
        end: null,
        ...values,
      };
      db.prepare(
        `INSERT INTO contact_persons (id, name, agency_kind, agency, municipality_code, email, phone, assignment_start, assignment_end,
           created_at, created_by, updated_at, updated_by)
         VALUES (@id, @name, @agencyKind, 'Polisen', @municipalityCode, @email, @phone, @start, @end, 'now', 'u1', 'now', 'u1')`,
      ).run(row);
    };
    contact('k1');
    contact('k2', { email: null, phone: '08-465 004 02' });
    expect(() => contact('k3', { agencyKind: 'army' })).toThrow(/CHECK/);
    expect(() => contact('k3', { end: '2025-12-31' })).toThrow(/CHECK/);
    expect(() => contact('k3', { start: '1 januari' })).toThrow(/CHECK/);
    expect(() => contact('k3', { email: null, phone: null })).toThrow(/CHECK/);
    expect(() => contact('k3', { municipalityCode: '9999' })).toThrow(/FOREIGN KEY/);

    db.prepare(
      `INSERT INTO network_days (id, held_on, title, created_at, created_by, updated_at, updated_by) VALUES ('n1', '2026-03-12', 'Tema', 'now', 'u1', 'now', 'u1')`,
    ).run();
    const attend = (contactId: string) =>
      db
        .prepare(`INSERT INTO network_day_attendance (network_day_id, contact_id, recorded_at, recorded_by) VALUES ('n1', ?, 'now', 'u1')`)
        .run(contactId);
    attend('k1');
    expect(() => attend('k1')).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => attend('nobody')).toThrow(/FOREIGN KEY/);

    // An intake names an existing contact person or none; the one it names can no longer be deleted.
    intake('i1', 'k1');
    expect(() => intake('i2', 'nobody')).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(`DELETE FROM contact_persons WHERE id = 'k1'`).run()).toThrow(/named on an intake/);
    db.pragma('foreign_keys = OFF');
    expect(() => db.prepare(`DELETE FROM contact_persons WHERE id = 'k1'`).run()).toThrow(/named on an intake/);
    db.pragma('foreign_keys = ON');
    db.prepare(`DELETE FROM contact_persons WHERE id = 'k2'`).run();
    expect(db.prepare(`SELECT id FROM contact_persons ORDER BY id`).all()).toEqual([{ id: 'k1' }]);
    db.close();
  });
});
