import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError, runCli } from '../../main/cli/index.js';
import { loadKeyring } from '../../db/journal.js';
import { unlockWithRecoveryCode } from '../../db/keyring.js';
import { makeApp } from '../helpers/app.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const ADMIN_PASSWORD = 'it-avdelningens-långa-lösenfras';

async function cli(args: string[], env: Record<string, string>): Promise<string> {
  const lines: string[] = [];
  await runCli(args, env, (line) => lines.push(line));
  return lines.join('\n');
}

describe('the admin command-line tool', () => {
  it('init creates a journal and first admin, then users add adds a user the app accepts', async () => {
    const dir = tempDir();
    const env = { UTVAG_DATA_DIR: dir, UTVAG_PASSWORD: ADMIN_PASSWORD };
    const init = await cli(['init', '--name', 'Ivar Itsson', '--username', 'ivar.it'], env);
    expect(init).toMatch(/Recovery code: [0-9A-Z]{5}(-[0-9A-Z]{5}){4}/);
    await expect(cli(['init', '--name', 'Ivar Itsson', '--username', 'ivar.it'], env)).rejects.toThrow(/ALREADY_SET_UP/);

    const added = await cli(
      ['users', 'add', '--as', 'ivar.it', '--name', 'Tage Terapeutsson', '--username', 'tage.terapeut', '--roles', 'therapist'],
      env,
    );
    const temporary = /Temporary password .*: (\S+)/.exec(added)?.[1];
    expect(temporary).toBeDefined();
    const listed = await cli(['users', 'list', '--as', 'ivar.it'], env);
    expect(listed).toContain('tage.terapeut\tTage Terapeutsson\ttherapist\tactive\tnever');

    // Issue #15: the roles changed from the command line, with the app's rules.
    expect(await cli(['users', 'roles', '--as', 'ivar.it', '--username', 'tage.terapeut', '--roles', 'receptionist,therapist'], env)).toContain(
      'The roles of tage.terapeut are now: receptionist, therapist',
    );
    await expect(cli(['users', 'roles', '--as', 'ivar.it', '--username', 'ivar.it', '--roles', 'receptionist'], env)).rejects.toThrow(
      /Refused \(CONFLICT\)[\s\S]*roles: error.user.ownAdmin/,
    );
    await expect(cli(['users', 'roles', '--as', 'ivar.it', '--username', 'ingen.alls', '--roles', 'receptionist'], env)).rejects.toThrow(
      /No user is called ingen.alls/,
    );

    const t = makeApp(dir);
    expect(await t.ok('auth.login', { username: 'tage.terapeut', password: temporary })).toMatchObject({
      mustChangePassword: true,
      roles: ['receptionist', 'therapist'],
    });
  });

  it('refuses bad input and wrong passwords with a clear message and changes nothing', async () => {
    const dir = tempDir();
    const env = { UTVAG_DATA_DIR: dir, UTVAG_PASSWORD: ADMIN_PASSWORD };
    await expect(cli(['init', '--name', 'Ivar Itsson', '--username', 'ivar it'], env)).rejects.toThrow(/INVALID_INPUT[\s\S]*username/);
    await expect(cli(['init', '--name', 'Ivar Itsson', '--username', 'ivar.it'], { ...env, UTVAG_PASSWORD: 'kort' })).rejects.toThrow(
      /password: error.password.tooShort/,
    );
    await cli(['init', '--name', 'Ivar Itsson', '--username', 'ivar.it'], env);
    await expect(cli(['users', 'add', '--as', 'ivar.it', '--name', 'X Y', '--username', 'x.y', '--roles', 'janitor'], env)).rejects.toThrow(/roles/);
    const wrong = cli(['users', 'list', '--as', 'ivar.it'], { ...env, UTVAG_PASSWORD: 'inte rätt lösenord' });
    await expect(wrong).rejects.toBeInstanceOf(CliError);
    await expect(wrong).rejects.toThrow(/WRONG_CREDENTIALS/);
    expect(await cli(['users', 'list', '--as', 'ivar.it'], env)).not.toContain('x.y');
  });
});

describe('the access log from the command line', () => {
  it('audit verify checks the chain and audit export writes CSV with the rows of the period', async () => {
    const dir = tempDir();
    const env = { UTVAG_DATA_DIR: dir, UTVAG_PASSWORD: ADMIN_PASSWORD };
    await cli(['init', '--name', 'Ivar Itsson', '--username', 'ivar.it'], env);
    // Setting up and every sign-in are logged: init, then this command's own sign-in.
    expect(await cli(['audit', 'verify', '--as', 'ivar.it'], env)).toMatch(/^The access log verifies: 2 rows/);
    const out = path.join(dir, 'log.csv');
    await cli(['audit', 'export', '--as', 'ivar.it', '--from', '2020-01-01', '--to', '2099-12-31', '--out', out], env);
    // The export itself is a read of the log, written to the log: the next verify counts it (and the two sign-ins).
    expect(await cli(['audit', 'verify', '--as', 'ivar.it'], env)).toMatch(/^The access log verifies: 5 rows/);
    const csv = readFileSync(out, 'utf8');
    expect(csv.split('\n')[0]).toContain('seq,tidpunkt_utc,anvandare');
    await expect(cli(['audit', 'export', '--as', 'ivar.it', '--from', '2020-13-01'], env)).rejects.toThrow(/INVALID_INPUT/);
  });
});

describe('a new journal key from the command line', () => {
  it('rekey prints a new recovery code once; the old one opens nothing, the password still signs in', async () => {
    const dir = tempDir();
    const env = { UTVAG_DATA_DIR: dir, UTVAG_PASSWORD: ADMIN_PASSWORD };
    const init = await cli(['init', '--name', 'Ivar Itsson', '--username', 'ivar.it'], env);
    const oldCode = /Recovery code: (\S+)/.exec(init)![1]!;
    const out = await cli(['rekey', '--as', 'ivar.it'], env);
    const newCode = /Recovery code: (\S+)/.exec(out)![1]!;
    expect(newCode).not.toBe(oldCode);
    expect(await unlockWithRecoveryCode(loadKeyring(dir), oldCode)).toBeNull();
    expect(await unlockWithRecoveryCode(loadKeyring(dir), newCode)).not.toBeNull();
    expect(await cli(['audit', 'verify', '--as', 'ivar.it'], env)).toMatch(/^The access log verifies/);
  });
});

describe('statistics from the command line', () => {
  it('stats prints CSV for a whole quarter that has ended, and refuses anything else', async () => {
    const dir = tempDir();
    const env = { UTVAG_DATA_DIR: dir, UTVAG_PASSWORD: ADMIN_PASSWORD };
    await cli(['init', '--name', 'Ivar Itsson', '--username', 'ivar.it'], env);
    const csv = await cli(['stats', '--as', 'ivar.it', '--quarter', '2026-Q1', '--format', 'csv'], env);
    expect(csv).toContain('avsnitt,kategori,antal');
    expect(csv).toContain('period,2026-K1,2026-01-01..2026-03-31');
    // No one: every count reads "<5", 0 included.
    expect(csv).toContain('forsta_kontakter,alla,<5');
    await expect(cli(['stats', '--as', 'ivar.it', '--quarter', '2026-05'], env)).rejects.toThrow(/--quarter takes/);
    // The quarter running now (and any later one) is refused: it would change from day to day.
    await expect(cli(['stats', '--as', 'ivar.it', '--quarter', '2099-Q1'], env)).rejects.toThrow(/error.stats.notEnded/);
  });
});
