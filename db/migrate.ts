import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Db } from './connection.js';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

const MIGRATION_FILE = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/** The shipped migrations sit beside this module (the build copies them next to the bundle). */
export function defaultMigrationsDir(): string {
  return fileURLToPath(new URL('./migrations/', import.meta.url));
}

export function loadMigrations(dir = defaultMigrationsDir()): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = MIGRATION_FILE.exec(file);
      if (!match) throw new Error(`Migration file name not understood: ${file}`);
      return { id: Number(match[1]), name: match[2]!, sql: readFileSync(path.join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.id - b.id);
  migrations.forEach((migration, index) => {
    if (migration.id !== index + 1) throw new Error(`Migrations must be numbered 1, 2, 3…; found ${migration.id} at place ${index + 1}`);
  });
  return migrations;
}

export class SchemaVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaVersionError';
  }
}

/**
 * Brings the schema up to date. The applied migrations must be a prefix of the shipped ones:
 * a journal written by a newer version of the app, or with a changed history, is refused
 * rather than guessed at.
 */
export function migrate(db: Db, migrations: Migration[] = loadMigrations()): { from: number; to: number } {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all() as { id: number; name: string }[];
  applied.forEach((row, index) => {
    const shipped = migrations[index];
    if (!shipped) {
      throw new SchemaVersionError(`The journal has schema version ${applied.length}, newer than this app (${migrations.length}). Update the app.`);
    }
    if (shipped.id !== row.id || shipped.name !== row.name) {
      throw new SchemaVersionError(`Migration ${row.id} in the journal (${row.name}) does not match the app's (${shipped.name}).`);
    }
  });
  const from = applied.length;
  const record = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations.slice(from)) {
    // One transaction per migration: a failed step leaves the journal at the previous version.
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.id, migration.name, new Date().toISOString());
      db.pragma(`user_version = ${migration.id}`);
    })();
  }
  return { from, to: migrations.length };
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
