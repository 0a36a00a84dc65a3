import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { appendLogRows } from '../../db/accessLog.js';
import { createPostgresStore } from '../../db/engine/postgres.js';
import { migratePostgres } from '../../db/engine/postgresMigrate.js';
import { STARTING_PREMISES_SQL } from '../../db/engine/serverPremises.js';
import { insertPasswordHash } from '../../db/users/passwords.js';
import { insertUser } from '../../db/users/index.js';
import { contract } from '../../preload/contract/index.js';
import { DomainError } from '../services/errors.js';
import { assertStrongPassword } from '../services/passwordStrength.js';
import { hashPassword } from '../server/passwords.js';
import { SERVER_COMMAND } from '../commands.js';

export const SERVER_INIT_HELP = `  server init --name NAME --username USER [--server-login LOGIN] [--backup-login LOGIN]
        Set up a shared journal for the Utväg server on an empty PostgreSQL database: the schema,
        the roles the server uses and the first admin (password from UTVAG_PASSWORD). Connects as
        the database's owner from UTVAG_DATABASE_URL=postgres://OWNER:SECRET@HOST:PORT/DBNAME.
        Prints the SQL for the server's own database login (no owner rights), or creates it with
        --server-login LOGIN and its password in UTVAG_SERVER_DB_PASSWORD. Likewise the backup login
        (the server's UTVAG_BACKUP_DATABASE_URL: backups and restores only, never people's calls), or
        creates it with --backup-login LOGIN and its password in UTVAG_BACKUP_DB_PASSWORD.`;

export class ServerInitError extends Error {}

const APP_ROLES = ['utvag_receptionist', 'utvag_therapist', 'utvag_admin', 'utvag_signin'];

/** SQL for the server's login: a member of the app roles without their rights (NOINHERIT), owning nothing. */
function loginSql(login: string, database: string, password: string): string[] {
  return [
    `CREATE ROLE ${login} LOGIN NOINHERIT PASSWORD ${password};`,
    `GRANT ${APP_ROLES.join(', ')} TO ${login};`,
    `GRANT CONNECT ON DATABASE ${database} TO ${login};`,
  ];
}

/** SQL for the backup login: only the two backup roles (SET ROLE to them; NOINHERIT), owning nothing, none of the app roles. */
function backupLoginSql(login: string, database: string, password: string): string[] {
  return [
    `CREATE ROLE ${login} LOGIN NOINHERIT PASSWORD ${password};`,
    `GRANT utvag_backup, utvag_restore TO ${login};`,
    `GRANT CONNECT ON DATABASE ${database} TO ${login};`,
  ];
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function runServerInit(
  values: { name?: string | undefined; username?: string | undefined; 'server-login'?: string | undefined; 'backup-login'?: string | undefined },
  env: NodeJS.ProcessEnv,
  print: (text: string) => void,
  askPassword: () => Promise<string>,
): Promise<void> {
  const url = env.UTVAG_DATABASE_URL;
  if (!url) throw new ServerInitError('Set UTVAG_DATABASE_URL=postgres://OWNER:SECRET@HOST:PORT/DBNAME (the database owner, for this once).');
  const login = values['server-login'];
  if (login !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(login)) {
    throw new ServerInitError('--server-login takes a PostgreSQL role name: lower-case letters, digits and _');
  }
  const loginPassword = env.UTVAG_SERVER_DB_PASSWORD;
  if (login && !loginPassword) throw new ServerInitError('Give the server login its password in UTVAG_SERVER_DB_PASSWORD.');
  const backupLogin = values['backup-login'];
  if (backupLogin !== undefined && !ROLE_NAME.test(backupLogin)) {
    throw new ServerInitError('--backup-login takes a PostgreSQL role name: lower-case letters, digits and _');
  }
  // One login for both would put the backup roles one SET ROLE away from every person's call.
  if (backupLogin !== undefined && backupLogin === (login ?? 'utvag_server'))
    throw new ServerInitError("--backup-login must be a login of its own, not the server's login.");
  const backupPassword = env.UTVAG_BACKUP_DB_PASSWORD;
  if (backupLogin && !backupPassword) throw new ServerInitError('Give the backup login its password in UTVAG_BACKUP_DB_PASSWORD.');
  if (backupLogin && loginPassword && backupPassword === loginPassword)
    throw new ServerInitError('Give the backup login a password of its own (UTVAG_BACKUP_DB_PASSWORD), not the server login’s.');
  const password = await askPassword();
  const setup = contract['auth.setup'].input.safeParse({
    displayName: values.name ?? '',
    username: values.username ?? '',
    password,
    passwordRepeat: password,
  });
  if (!setup.success) {
    const fields = setup.error.issues.map((issue) => `  ${issue.path.join('.') || '_'}: ${issue.message}`);
    throw new ServerInitError(['Refused (INVALID_INPUT):', ...fields].join('\n'));
  }
  const { displayName, username } = setup.data;
  try {
    assertStrongPassword(password, 'password', [username, displayName]);
  } catch (error) {
    if (error instanceof DomainError)
      throw new ServerInitError(`The admin's password is too easy to guess (${Object.values(error.fields ?? {}).join(', ')}).`);
    throw error;
  }

  const owner = new pg.Client({ connectionString: url });
  try {
    await owner.connect();
  } catch (error) {
    throw new ServerInitError(`Could not connect to the database (${(error as { code?: string }).code ?? (error as Error).name}).`);
  }
  let database: string;
  try {
    const { rows } = await owner.query<{ db: string; users: string | null }>(
      `SELECT current_database() AS db, to_regclass('public.users')::text AS users`,
    );
    database = rows[0]!.db;
    if (rows[0]!.users !== null)
      throw new ServerInitError(`The database ${database} already holds a journal (it has users): server init sets up an empty one only.`);
    await migratePostgres(owner);
    await owner.query(STARTING_PREMISES_SQL);
    if (login) {
      const role = owner.escapeIdentifier(login);
      const exists = (await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login])).rowCount! > 0;
      if (exists)
        throw new ServerInitError(
          `A role named ${login} already exists: choose another --server-login, or grant it by hand (see the SQL without --server-login).`,
        );
      for (const statement of loginSql(role, owner.escapeIdentifier(database), owner.escapeLiteral(loginPassword!))) await owner.query(statement);
    }
    if (backupLogin) {
      const exists = (await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [backupLogin])).rowCount! > 0;
      if (exists)
        throw new ServerInitError(
          `A role named ${backupLogin} already exists: choose another --backup-login, or grant it by hand (see the SQL without --backup-login).`,
        );
      const role = owner.escapeIdentifier(backupLogin);
      for (const statement of backupLoginSql(role, owner.escapeIdentifier(database), owner.escapeLiteral(backupPassword!)))
        await owner.query(statement);
    }
  } finally {
    await owner.end();
  }

  const hash = await hashPassword(password);
  const store = createPostgresStore({ connectionString: url });
  const adminId = randomUUID();
  try {
    // As the owner, once: the first admin, their password and the journal's first access-log row.
    await store.transaction(async (tx) => {
      const at = new Date().toISOString();
      await insertUser(tx, { id: adminId, username, displayName, roles: ['admin'], mustChangePassword: false, createdAt: at });
      await insertPasswordHash(tx, adminId, hash, at);
      await appendLogRows(tx, [
        {
          at,
          userId: adminId,
          clientId: null,
          record: `journal:created:admin=${adminId}`,
          action: 'auth.setup',
          channel: null,
          emergency: false,
          reason: null,
        },
      ]);
    });
  } finally {
    await store.close();
  }

  print(`Set up the shared journal in the database ${database}, with the admin ${username}.`);
  if (login) {
    print(`Created the server's database login ${login} (no owner rights). Start the server with it:`);
    print(`  UTVAG_DATABASE_URL=postgres://${login}:…@HOST:PORT/${database} ${SERVER_COMMAND}`);
  } else {
    print('');
    print("Now create the server's own database login (it must not be the owner). As the owner or a superuser, run:");
    print('');
    for (const line of loginSql('utvag_server', pgIdentifier(database), "'<choose a long password>'")) print(`  ${line}`);
    print('');
    print(`Then start the server with UTVAG_DATABASE_URL=postgres://utvag_server:<that password>@HOST:PORT/${database} ${SERVER_COMMAND}`);
  }
  if (backupLogin) {
    print(`Created the backup login ${backupLogin} (backups and restores only). Give it to the server as well:`);
    print(`  UTVAG_BACKUP_DATABASE_URL=postgres://${backupLogin}:…@HOST:PORT/${database}`);
  } else {
    print('');
    print('For backups through the server (backup export/restore), create the backup login of its own. As the owner or a superuser, run:');
    print('');
    for (const line of backupLoginSql('utvag_server_backup', pgIdentifier(database), "'<choose another long password>'")) print(`  ${line}`);
    print('');
    print(`Then give the server UTVAG_BACKUP_DATABASE_URL=postgres://utvag_server_backup:<that password>@HOST:PORT/${database} as well.`);
  }
}

function pgIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
