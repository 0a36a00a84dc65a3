import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/index.js';
import { createLogger } from '../../main/log.js';
import { SchemaMismatchError, startServer } from '../../main/server/http.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { Desk, FIRST_ADMIN, initServerJournal } from '../helpers/utvagServer.js';

/**
 * A new server version on an older journal: the server refuses to start until IT has run
 * `server migrate` as the owner, and then serves the same journal. Fictional people only.
 */
let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
});

const ownerUrl = (database: string) =>
  `postgres://${postgres.admin.user}:${encodeURIComponent(postgres.admin.password)}@${postgres.host}:${postgres.port}/${database}`;

describe('server migrate', () => {
  it('is needed before a server serves an older journal, and brings it up to date', async () => {
    const { login } = await initServerJournal(postgres, 'utvag_migrate');
    const admin = await postgres.connectAsAdmin('utvag_migrate');
    try {
      // As if the journal had been set up by the previous version: its newest migration not yet applied.
      const newest = (await admin.query<{ id: number }>('SELECT max(id) AS id FROM schema_migrations')).rows[0]!.id;
      await admin.query('DELETE FROM schema_migrations WHERE id = $1', [newest]);

      const options = { database: login, host: '127.0.0.1', port: 0, tls: null, log: createLogger(() => undefined), version: 'test' };
      const refused = await startServer(options).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(SchemaMismatchError);
      expect((refused as Error).message).toContain('server migrate');

      const printed: string[] = [];
      await runCli(['server', 'migrate'], { UTVAG_DATABASE_URL: ownerUrl('utvag_migrate') }, (line) => printed.push(line));
      expect(printed.join('\n')).toContain(`to ${newest}`);
      const again: string[] = [];
      await runCli(['server', 'migrate'], { UTVAG_DATABASE_URL: ownerUrl('utvag_migrate') }, (line) => again.push(line));
      expect(again.join('\n')).toContain('up to date');

      const server = await startServer(options);
      try {
        const desk = new Desk(server.url);
        await desk.signIn(FIRST_ADMIN.username, FIRST_ADMIN.password);
        expect((await desk.call('users.list')).ok).toBe(true);
      } finally {
        await server.close();
      }
    } finally {
      await admin.end();
    }
  }, 180_000);

  it('refuses a database without a journal, and a journal newer than the server', async () => {
    const setup = await postgres.connectAsAdmin();
    await setup.query('CREATE DATABASE utvag_empty');
    await setup.end();
    await expect(runCli(['server', 'migrate'], { UTVAG_DATABASE_URL: ownerUrl('utvag_empty') }, () => undefined)).rejects.toThrow(/server init/);

    const { login } = await initServerJournal(postgres, 'utvag_newer');
    const admin = await postgres.connectAsAdmin('utvag_newer');
    try {
      await admin.query("INSERT INTO schema_migrations (id, name, applied_at) VALUES (999, 'from_a_newer_server', now())");
    } finally {
      await admin.end();
    }
    const refused = await startServer({
      database: login,
      host: '127.0.0.1',
      port: 0,
      tls: null,
      log: createLogger(() => undefined),
      version: 'test',
    }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(SchemaMismatchError);
    await expect(runCli(['server', 'migrate'], { UTVAG_DATABASE_URL: ownerUrl('utvag_newer') }, () => undefined)).rejects.toThrow(
      /newer than this server/,
    );
  }, 180_000);
});
