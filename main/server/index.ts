/**
 * `npm run server`: the Utväg server for every workstation of a unit (server mode, issue #14).
 * UTVAG_DATABASE_URL is the server's own database login (made by `npm run cli -- server init`),
 * never the schema owner's. UTVAG_BACKUP_DATABASE_URL (optional) is the backup login of its own
 * (`server init --backup-login`): without it the server makes and takes no backups. Prints `Listening: URL` once it serves.
 */
import { readFileSync } from 'node:fs';
import { createLogger } from '../log.js';
import { UnsafeBackupLoginError } from './backup.js';
import { isLoopback, readTls, SchemaMismatchError, startServer, UnsafeDatabaseLoginError } from './http.js';

const DEFAULT_PORT = 8443;
const DEFAULT_HOST = '127.0.0.1';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const env = process.env;
const databaseUrl = env.UTVAG_DATABASE_URL;
if (!databaseUrl) fail("Set UTVAG_DATABASE_URL to the server's own database login (postgres://USER:PASSWORD@HOST:PORT/DBNAME).");
const host = env.UTVAG_SERVER_HOST || DEFAULT_HOST;
const port = env.UTVAG_SERVER_PORT ? Number(env.UTVAG_SERVER_PORT) : DEFAULT_PORT;
if (!Number.isInteger(port) || port < 0 || port > 65535) fail('UTVAG_SERVER_PORT must be a port number (default 8443).');
let tls: { cert: string; key: string } | null;
try {
  tls = readTls(env.UTVAG_TLS_CERT || undefined, env.UTVAG_TLS_KEY || undefined);
} catch (error) {
  fail(`The certificate could not be read: ${(error as Error).message}`);
}
if (!tls && !isLoopback(host)) {
  fail(`Refusing to serve ${host} without TLS: set UTVAG_TLS_CERT and UTVAG_TLS_KEY (PEM files). Only a loopback host (127.0.0.1) may run without.`);
}
const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const log = createLogger();

let server: Awaited<ReturnType<typeof startServer>>;
try {
  const backupUrl = env.UTVAG_BACKUP_DATABASE_URL || null;
  server = await startServer({
    database: { connectionString: databaseUrl },
    backupDatabase: backupUrl ? { connectionString: backupUrl } : null,
    host,
    port,
    tls,
    log,
    version,
  });
} catch (error) {
  if (error instanceof UnsafeDatabaseLoginError || error instanceof SchemaMismatchError || error instanceof UnsafeBackupLoginError)
    fail(error.message);
  // Never the error's text: it may carry the connection string.
  log.error('server.start_failed', { errorName: (error as Error)?.name ?? 'unknown', code: String((error as { code?: unknown }).code ?? '') });
  fail('The Utväg server could not start (is the database reachable, the port free?). See the log line above.');
}
process.stdout.write(`Listening: ${server.url}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
