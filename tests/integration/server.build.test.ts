import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { Desk, FIRST_ADMIN, request } from '../helpers/utvagServer.js';

/**
 * The Utväg server as IT runs it from the build, without the sources: `scripts/build.mjs` (its real
 * code, written to a folder of its own), then only that folder's dist/, package.json and the
 * packages. `server init`, `server migrate` and the server itself run from there against a throwaway
 * PostgreSQL; each reads its migrations from beside its bundle.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const DATABASE = 'utvag_built';
const LOGIN = 'utvag_server_built';
const LOGIN_PASSWORD = 'en-lång-hemlighet-för-serverns-inloggning';

let install: string;
let postgres: TestPostgres;
let server: ChildProcess | null = null;

/** What IT's machine holds: the build output, package.json and the installed packages, nothing else of the project. */
beforeAll(async () => {
  install = mkdtempSync(path.join(os.tmpdir(), 'utvag-built-'));
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--out', path.join(install, 'dist'), '--no-renderer'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`The build failed:\n${built.stdout}\n${built.stderr}`);
  copyFileSync(path.join(ROOT, 'package.json'), path.join(install, 'package.json'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(install, 'node_modules'), 'junction');
  postgres = await startPostgres();
  const setup = await postgres.connectAsAdmin();
  try {
    await setup.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await setup.end();
  }
}, 120_000);

afterAll(async () => {
  server?.kill('SIGKILL');
  await postgres?.stop();
  if (install) rmSync(install, { recursive: true, force: true });
});

/** Runs a built program with only the variables given (and PATH, HOME), in the install folder. */
function runBuilt(script: string, args: string[], env: Record<string, string>): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [path.join(install, 'dist', 'main', script), ...args], {
    cwd: install,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const ownerUrl = () =>
  `postgres://${postgres.admin.user}:${encodeURIComponent(postgres.admin.password)}@${postgres.host}:${postgres.port}/${DATABASE}`;
const loginUrl = () => `postgres://${LOGIN}:${encodeURIComponent(LOGIN_PASSWORD)}@${postgres.host}:${postgres.port}/${DATABASE}`;

describe('the server from the build', () => {
  it('holds the bundles and both sets of migrations, and none of the sources', () => {
    expect(readdirSync(install).sort()).toEqual(['dist', 'node_modules', 'package.json']);
    for (const bundle of ['index.js', 'server.js', 'cli.js']) expect(existsSync(path.join(install, 'dist', 'main', bundle)), bundle).toBe(true);
    const shipped = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.sql'));
    expect(shipped(path.join(install, 'dist', 'migrations', 'postgres'))).toEqual(shipped(path.join(ROOT, 'db', 'migrations', 'postgres')));
    expect(shipped(path.join(install, 'dist', 'main', 'migrations'))).toEqual(shipped(path.join(ROOT, 'db', 'migrations')));
  });

  it('sets up the journal with server init, finds it up to date with server migrate, and serves it', async () => {
    const init = runBuilt(
      'cli.js',
      ['server', 'init', '--name', FIRST_ADMIN.displayName, '--username', FIRST_ADMIN.username, '--server-login', LOGIN],
      {
        UTVAG_DATABASE_URL: ownerUrl(),
        UTVAG_PASSWORD: FIRST_ADMIN.password,
        UTVAG_SERVER_DB_PASSWORD: LOGIN_PASSWORD,
      },
    );
    expect(init.status, init.output).toBe(0);
    expect(init.output).not.toContain(LOGIN_PASSWORD);

    const versions = readdirSync(path.join(ROOT, 'db', 'migrations', 'postgres')).filter((name) => name.endsWith('.sql')).length;
    const migrate = runBuilt('cli.js', ['server', 'migrate'], { UTVAG_DATABASE_URL: ownerUrl() });
    expect(migrate.status, migrate.output).toBe(0);
    expect(migrate.output).toContain(`The journal's schema is up to date (version ${versions}).`);

    // The server checks the journal's schema against the migrations beside its bundle before it serves.
    server = spawn(process.execPath, [path.join(install, 'dist', 'main', 'server.js')], {
      cwd: install,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', UTVAG_DATABASE_URL: loginUrl(), UTVAG_SERVER_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string | null>((resolve) => {
      const look = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /^Listening: (\S+)$/m.exec(output);
        if (match) resolve(match[1]!);
      };
      server!.stdout!.on('data', look);
      server!.stderr!.on('data', look);
      server!.once('exit', () => resolve(null));
    });
    expect(url, output).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const health = await request(url!, { path: '/v1/health' });
    const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(JSON.parse(health.body)).toEqual({ service: 'utvag-server', api: 1, version });
    const admin = new Desk(url!);
    await admin.signIn(FIRST_ADMIN.username, FIRST_ADMIN.password);
    expect(await admin.ok('app.status')).toMatchObject({ state: 'unlocked', user: { username: FIRST_ADMIN.username } });
    const stream = await admin.events();
    expect(stream.status).toBe(200);

    const exited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    await stream.ended;
    expect(await exited).toBe(0);
    server = null;
    expect(output).not.toContain(LOGIN_PASSWORD);
  }, 90_000);
});
