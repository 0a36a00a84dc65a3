import pg from 'pg';
import { defaultPostgresMigrationsDir, migratePostgres } from '../../db/engine/postgresMigrate.js';
import { loadMigrations, SchemaVersionError } from '../../db/migrate.js';

export const SERVER_MIGRATE_HELP = `  server migrate
        After installing a new version of the Utväg server: brings the shared journal's schema up to
        date, as the database's owner (UTVAG_DATABASE_URL=postgres://OWNER:SECRET@HOST:PORT/DBNAME).
        Each migration runs whole or not at all; servers refuse to start until it has run.`;

export class ServerMigrateError extends Error {}

/** `server migrate`: the shipped PostgreSQL migrations the journal lacks, as the owner (never the server's login). */
export async function runServerMigrate(env: NodeJS.ProcessEnv, print: (text: string) => void): Promise<void> {
  const url = env.UTVAG_DATABASE_URL;
  if (!url) throw new ServerMigrateError('Set UTVAG_DATABASE_URL=postgres://OWNER:SECRET@HOST:PORT/DBNAME (the database owner, for this once).');
  const owner = new pg.Client({ connectionString: url });
  owner.on('error', () => undefined);
  try {
    await owner.connect();
  } catch (error) {
    throw new ServerMigrateError(`Could not connect to the database (${(error as { code?: string }).code ?? (error as Error).name}).`);
  }
  try {
    const { rows } = await owner.query<{ users: string | null }>(`SELECT to_regclass('public.users')::text AS users`);
    if (rows[0]!.users === null) throw new ServerMigrateError('This database holds no shared journal: set one up with server init.');
    const { from, to } = await migratePostgres(owner, loadMigrations(defaultPostgresMigrationsDir()));
    print(from === to ? `The journal's schema is up to date (version ${to}).` : `Brought the journal's schema from version ${from} to ${to}.`);
  } catch (error) {
    if (error instanceof SchemaVersionError) throw new ServerMigrateError(error.message);
    if (error instanceof ServerMigrateError) throw error;
    // Never the error's text: it may quote the connection or the data.
    throw new ServerMigrateError(`The migration failed and was rolled back (${(error as { code?: string }).code ?? (error as Error).name}).`);
  } finally {
    await owner.end();
  }
}
