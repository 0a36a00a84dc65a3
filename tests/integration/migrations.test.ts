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
});
