import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { loadMigrations, SchemaVersionError, type Migration } from '../migrate.js';

/** The shipped PostgreSQL migrations (db/migrations/postgres/, numbered like the SQLite ones). */
export function defaultPostgresMigrationsDir(): string {
  return fileURLToPath(new URL('../migrations/postgres/', import.meta.url));
}

// Any fixed number: every server starting at once queues on it instead of migrating twice.
const MIGRATION_LOCK = 0x757476;

/**
 * Brings the shared journal's schema up to date, as the schema owner (never the server's login
 * role, which owns nothing). Same rules as db/migrate.ts: the applied migrations must be a prefix
 * of the shipped ones, and each runs in its own transaction.
 */
export async function migratePostgres(
  client: pg.ClientBase,
  migrations: Migration[] = loadMigrations(defaultPostgresMigrationsDir()),
): Promise<{ from: number; to: number }> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL
    )`);
    const applied = (await client.query<{ id: number; name: string }>('SELECT id, name FROM schema_migrations ORDER BY id')).rows;
    applied.forEach((row, index) => {
      const shipped = migrations[index];
      if (!shipped) throw new SchemaVersionError(`The journal has schema version ${applied.length}, newer than this server (${migrations.length}).`);
      if (shipped.id !== row.id || shipped.name !== row.name) {
        throw new SchemaVersionError(`Migration ${row.id} in the journal (${row.name}) does not match the server's (${shipped.name}).`);
      }
    });
    for (const migration of migrations.slice(applied.length)) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (id, name, applied_at) VALUES ($1, $2, now())', [migration.id, migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    return { from: applied.length, to: migrations.length };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
