import { copyFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { verifyAccessLogChain } from '../../db/local/accessLog.js';
import { CHECKSUM_METHOD, contentDigest, schemaChecksum, sqlString } from '../../db/backup.js';
import type { Db } from '../../db/connection.js';
import { FICTIONAL_CLIENTS } from '../fixtures/people.js';
import { setUpReception, type ReceptionApp } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

/**
 * Issue #12, point 1: a backup is data, never code. Each file here is crafted by someone who knows
 * the passphrase (say, who can write to the automatic backups' folder), with the same SQLCipher library
 * the app uses: extra triggers and views, SQL smuggled into the schema's text, a changed role, a
 * recomputed checksum, a shortened access log. Verify and restore must refuse each one with nothing
 * run and nothing written: no new file anywhere in the test's folders, the journal as it was, and the
 * access log grown by the refusal rows only.
 */

const tempDir = useTempDirs();
const PASSPHRASE = 'Åtta påhittade ord för en angripares fil';
const [VICTIM] = FICTIONAL_CLIENTS as [(typeof FICTIONAL_CLIENTS)[0]];

/** Opens a backup for writing as an attacker with the passphrase would, defensive mode off so that the schema table can be edited. */
function openAsAttacker(file: string): Db {
  const db = new Database(file, { fileMustExist: true });
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = ${sqlString(PASSPHRASE)}`);
  db.pragma('foreign_keys = OFF');
  db.unsafeMode(true);
  return db;
}

/** Replaces one object's SQL text in the schema table, as `PRAGMA writable_schema` lets anyone with the key do. */
function rewriteSchemaText(db: Db, name: string, sql: string): void {
  db.pragma('writable_schema = ON');
  db.prepare('UPDATE sqlite_master SET sql = ? WHERE name = ?').run(sql, name);
  db.pragma('writable_schema = OFF');
}

type Reseal = 'keepInstallation' | 'elsewhere';

/**
 * Makes the manifest agree with the changed file, as an attacker can: counts, content checksum, schema
 * checksum and the log's head recomputed with the app's own functions. The seal cannot be recomputed
 * without the journal key: either the installation's name stays (and the old seal with it), or both go,
 * so that the file passes for one made elsewhere.
 */
function reseal(db: Db, how: Reseal, head: 'recompute' | 'keep' = 'recompute'): void {
  const content = contentDigest(db, 'main', CHECKSUM_METHOD);
  const last = db.prepare('SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
  const set = db.prepare('UPDATE backup_manifest SET value = ? WHERE key = ?');
  set.run(JSON.stringify(content.counts), 'row_counts');
  set.run(content.checksum, 'checksum');
  set.run(schemaChecksum(db, 'main'), 'schema_checksum');
  if (head === 'recompute') set.run(`${last.seq}:${last.hash}`, 'log_head');
  if (how === 'elsewhere') {
    set.run('', 'installation');
    set.run('', 'seal');
  }
}

function craft(source: string, target: string, change: (db: Db) => void): string {
  copyFileSync(source, target);
  const db = openAsAttacker(target);
  try {
    change(db);
  } finally {
    db.close();
  }
  return target;
}

/**
 * The same crafted file with a manifest of the format before seals (utvag-backup/1), which a restore
 * still accepts from older installations: the content checksum already matches, so only the check of
 * the schema stands between such a file and the journal (as it did not before issue #12).
 */
function olderFormatTwin(file: string): string {
  return craft(file, file.replace(/\.db$/, '-format1.db'), (db) => {
    db.prepare(`UPDATE backup_manifest SET value = 'utvag-backup/1' WHERE key = 'format'`).run();
    db.prepare(`DELETE FROM backup_manifest WHERE key IN ('schema_checksum', 'log_head', 'installation', 'seal')`).run();
  });
}

/** Every file under the folders, with size and modification time: "nothing written" means this does not change. */
function filesUnder(folders: string[]): string[] {
  return folders
    .flatMap((folder) =>
      readdirSync(folder, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.join(entry.parentPath, entry.name)),
    )
    .map((file) => {
      const stat = statSync(file);
      return `${file} ${stat.size} ${stat.mtimeMs}`;
    })
    .sort();
}

/** Every table but the access log (and the last sign-in): what a refused restore must leave as it was. */
function journalState(db: Db): Record<string, unknown[]> {
  const names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as {
    name: string;
  }[];
  return Object.fromEntries(
    names
      .filter(({ name }) => name !== 'access_log')
      .map(({ name }) => {
        const rows = db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all() as Record<string, unknown>[];
        return [name, name === 'users' ? rows.map(({ last_login_at: _at, ...row }) => row) : rows];
      }),
  );
}

function logRecords(db: Db): string[] {
  return (db.prepare('SELECT record FROM access_log ORDER BY seq').all() as { record: string }[]).map((row) => row.record);
}

interface Scene {
  t: ReceptionApp;
  dataDir: string;
  out: string;
  good: string;
  receptionistId: string;
}

async function scene(): Promise<Scene> {
  const dataDir = tempDir();
  const out = tempDir();
  const t = await setUpReception(dataDir);
  await t.newClient('victim', VICTIM.name, { personalNumber: VICTIM.personalNumber! });
  const created = await t.ok<{ user: { id: string } }>('users.create', {
    displayName: 'Rut Receptionsdotter',
    username: 'rut.r',
    roles: ['receptionist'],
  });
  // A few logged reads, so that the backed-up access log has rows to cut and change.
  for (const query of ['Anna', 'Berit', 'Cecilia']) await t.ok('clients.search', { side: 'victims', query });
  const good = path.join(out, 'good.db');
  await t.ok('backup.export', { path: good, passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE });
  return { t, dataDir, out, good, receptionistId: created.user.id };
}

/** Offers the file to verify and to restore (with and without a "confirmed" checksum): each refused as expected, nothing run, nothing written. */
async function expectRefusedEverywhere(s: Scene, file: string, message: string): Promise<void> {
  const journalBefore = journalState(s.t.app.db);
  const logBefore = logRecords(s.t.app.db);
  const dataFilesBefore = readdirSync(s.dataDir).sort();
  const outBefore = filesUnder([s.out]);
  const manifestChecksum = (() => {
    const db = openAsAttacker(file);
    try {
      return (db.prepare(`SELECT value FROM backup_manifest WHERE key = 'checksum'`).get() as { value: string }).value;
    } finally {
      db.close();
    }
  })();
  const outBeforeRead = filesUnder([s.out]);
  expect(outBeforeRead).toEqual(outBefore);

  const attempts: [string, Record<string, unknown>][] = [
    ['backup.verify', { path: file, passphrase: PASSPHRASE }],
    ['backup.restore', { path: file, passphrase: PASSPHRASE }],
    // A page of the renderer's own making cannot push it through with the manifest's checksum either.
    ['backup.restore', { path: file, passphrase: PASSPHRASE, confirmedChecksum: manifestChecksum }],
  ];
  for (const [channel, input] of attempts) {
    expect(await s.t.call(channel, input), `${channel} ${path.basename(file)}`).toMatchObject({ ok: false, error: { message } });
  }
  expect(journalState(s.t.app.db)).toEqual(journalBefore);
  const refusal = message.replace(/^error\.backup\./, '');
  expect(logRecords(s.t.app.db)).toEqual([
    ...logBefore,
    `backup:verify:refused:${refusal}`,
    `backup:restore:refused:${refusal}`,
    `backup:restore:refused:${refusal}`,
  ]);
  expect(verifyAccessLogChain(s.t.app.db)).toMatchObject({ ok: true });
  expect(readdirSync(s.dataDir).sort()).toEqual(dataFilesBefore);
  expect(filesUnder([s.out])).toEqual(outBefore);
}

describe('a crafted backup is refused with nothing run and nothing written', () => {
  it('refuses extra triggers and views, even with every checksum recomputed and no seal', async () => {
    const s = await scene();
    const { out, good } = s;
    const crafted = {
      // (b) of the issue: new access-log rows deleted as they are written, the chain none the wiser.
      trigger: craft(good, path.join(out, 'trigger.db'), (db) => {
        db.exec(`CREATE TRIGGER swallow_log AFTER INSERT ON access_log BEGIN SELECT 1; END`);
        reseal(db, 'elsewhere');
      }),
      view: craft(good, path.join(out, 'view.db'), (db) => {
        db.exec(`CREATE VIEW everyone AS SELECT name, personal_number FROM clients`);
        reseal(db, 'elsewhere');
      }),
      // A journal table replaced by a view of the same name: reading it would run the file's SQL.
      tableAsView: craft(good, path.join(out, 'table-as-view.db'), (db) => {
        db.exec(`DROP TABLE network_day_attendance`);
        db.exec(`CREATE VIEW network_day_attendance AS SELECT 1 AS contact_id`);
        reseal(db, 'elsewhere');
      }),
      extraTable: craft(good, path.join(out, 'extra-table.db'), (db) => {
        db.exec(`CREATE TABLE notes_of_the_attacker (body TEXT)`);
        reseal(db, 'elsewhere');
      }),
    };
    for (const file of Object.values(crafted)) {
      await expectRefusedEverywhere(s, file, 'error.backup.unexpectedSchema');
      await expectRefusedEverywhere(s, olderFormatTwin(file), 'error.backup.unexpectedSchema');
    }
  }, 180_000);

  it('refuses SQL smuggled into the schema text: an ATTACH to a plaintext file, a trigger after a table, a default that calls a function', async () => {
    const s = await scene();
    const { out, good } = s;
    const leak = path.join(out, 'leak.db');
    const clientsSql = (db: Db) => (db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'clients'`).get() as { sql: string }).sql;
    const crafted = {
      // (a) of the issue: an unencrypted file of names and personnummer written where the attacker likes.
      attach: craft(good, path.join(out, 'attach.db'), (db) => {
        rewriteSchemaText(
          db,
          'clients',
          `${clientsSql(db)}; ATTACH DATABASE ${sqlString(leak)} AS leak KEY ''; CREATE TABLE leak.stolen AS SELECT name, personal_number FROM main.clients`,
        );
        reseal(db, 'elsewhere');
      }),
      triggerInTable: craft(good, path.join(out, 'trigger-in-table.db'), (db) => {
        rewriteSchemaText(
          db,
          'clients',
          `${clientsSql(db)}; CREATE TRIGGER promote AFTER INSERT ON access_log BEGIN INSERT OR IGNORE INTO user_roles (user_id, role) SELECT id, 'admin' FROM users; END`,
        );
        reseal(db, 'elsewhere');
      }),
      functionDefault: craft(good, path.join(out, 'function-default.db'), (db) => {
        rewriteSchemaText(db, 'clients', clientsSql(db).replace(/\bname TEXT NOT NULL/, `name TEXT NOT NULL DEFAULT (load_extension('payload'))`));
        reseal(db, 'elsewhere');
      }),
    };
    // The smuggled text really is in the files (SQLite reads them as valid databases).
    for (const file of Object.values(crafted)) {
      const db = openAsAttacker(file);
      expect(clientsSql(db)).not.toBe(clientsSql(s.t.app.db));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
    for (const file of Object.values(crafted)) {
      await expectRefusedEverywhere(s, file, 'error.backup.unexpectedSchema');
      await expectRefusedEverywhere(s, olderFormatTwin(file), 'error.backup.unexpectedSchema');
    }
    expect(readdirSync(out)).not.toContain('leak.db');
  }, 180_000);

  it('refuses a receptionist made admin in a backup of this installation, with the checksums recomputed (the seal does not match)', async () => {
    const s = await scene();
    const promoted = craft(s.good, path.join(s.out, 'promoted.db'), (db) => {
      db.prepare(`INSERT INTO user_roles (user_id, role) VALUES (?, 'admin')`).run(s.receptionistId);
      reseal(db, 'keepInstallation');
    });
    await expectRefusedEverywhere(s, promoted, 'error.backup.sealBroken');
  }, 60_000);

  it('names the changed admins of a backup that passes for one made elsewhere, and restores it only when that is confirmed', async () => {
    const s = await scene();
    const promoted = craft(s.good, path.join(s.out, 'promoted-elsewhere.db'), (db) => {
      db.prepare(`INSERT INTO user_roles (user_id, role) VALUES (?, 'admin')`).run(s.receptionistId);
      reseal(db, 'elsewhere');
    });
    // Nothing can prove who made it: verify says so, and names every admin it would bring, with what each is here.
    const verified = await s.t.ok<{ origin: string; checksum: string; admins: { username: string; here: string }[] }>('backup.verify', {
      path: promoted,
      passphrase: PASSPHRASE,
    });
    expect(verified.origin).toBe('elsewhere');
    expect(verified.admins).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ username: 'rut.r', here: 'otherRoles' }),
        expect.objectContaining({ username: s.t.app.user!.username, here: 'admin' }),
      ]),
    );
    const journalBefore = journalState(s.t.app.db);
    expect(await s.t.call('backup.restore', { path: promoted, passphrase: PASSPHRASE })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'error.backup.foreignNotConfirmed' },
    });
    expect(await s.t.call('backup.restore', { path: promoted, passphrase: PASSPHRASE, confirmedChecksum: `sha256:${'0'.repeat(64)}` })).toMatchObject(
      {
        ok: false,
        error: { code: 'CONFLICT', message: 'error.backup.changedSinceChecked' },
      },
    );
    expect(journalState(s.t.app.db)).toEqual(journalBefore);
    // The genuine backup of this installation is sealed: no confirmation of origin is needed.
    expect(await s.t.ok('backup.verify', { path: s.good, passphrase: PASSPHRASE })).toMatchObject({ origin: 'thisInstallation' });
    // Confirmed with what was shown, it is restored as data: the restored journal's schema is the app's own.
    await s.t.ok('backup.restore', { path: promoted, passphrase: PASSPHRASE, confirmedChecksum: verified.checksum });
    const roles = s.t.app.db.prepare(`SELECT role FROM user_roles WHERE user_id = ? ORDER BY role`).all(s.receptionistId);
    expect(roles).toEqual([{ role: 'admin' }, { role: 'receptionist' }]);
  }, 90_000);

  it('verifies and restores a backup whose checksum an older version made row by row (method 1), and refuses one with a log row changed', async () => {
    const s = await scene();
    /** The manifest as the older method writes it: every table, the access log too, hashed row by row. */
    const asMethodOne = (db: Db) => {
      const content = contentDigest(db, 'main', 'utvag-rows-sha256/1');
      const set = db.prepare('UPDATE backup_manifest SET value = ? WHERE key = ?');
      set.run('utvag-rows-sha256/1', 'checksum_method');
      set.run(content.checksum, 'checksum');
      set.run(JSON.stringify(content.counts), 'row_counts');
      // The seal covers the method: a file made by the older method passes for one made elsewhere here.
      set.run('', 'installation');
      set.run('', 'seal');
    };
    const older = craft(s.good, path.join(s.out, 'method-one.db'), asMethodOne);
    const verified = await s.t.ok<{ origin: string; checksum: string; counts: Record<string, number> }>('backup.verify', {
      path: older,
      passphrase: PASSPHRASE,
    });
    expect(verified.origin).toBe('elsewhere');
    expect(verified.checksum).not.toBe(
      await s.t.ok<{ checksum: string }>('backup.verify', { path: s.good, passphrase: PASSPHRASE }).then((good) => good.checksum),
    );
    await s.t.ok('backup.restore', { path: older, passphrase: PASSPHRASE, confirmedChecksum: verified.checksum });
    expect(verifyAccessLogChain(s.t.app.db)).toMatchObject({ ok: true });
    expect(s.t.app.db.prepare('SELECT count(*) AS n FROM access_log').get()).toMatchObject({ n: expect.any(Number) });
    // Method 2 hashes the log by its head, so the checksum alone no longer sees a changed row; the chain walk does, for either method.
    for (const method of ['utvag-rows-sha256/1', CHECKSUM_METHOD]) {
      const changed = craft(s.good, path.join(s.out, `changed-${method.replace(/\W/g, '-')}.db`), (db) => {
        const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'access_log'`).all() as {
          name: string;
          sql: string;
        }[];
        for (const trigger of triggers) db.exec(`DROP TRIGGER "${trigger.name}"`);
        expect(db.prepare(`UPDATE access_log SET record = 'nothing:to:see' WHERE seq = (SELECT max(seq) - 1 FROM access_log)`).run().changes).toBe(1);
        for (const trigger of triggers) db.exec(trigger.sql);
        if (method === CHECKSUM_METHOD) reseal(db, 'elsewhere');
        else asMethodOne(db);
      });
      await expectRefusedEverywhere(s, changed, 'error.backup.logChain');
    }
  }, 120_000);

  it('refuses an access log cut short or changed, whatever the checksums say', async () => {
    const s = await scene();
    const logTriggers = (db: Db) =>
      db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'access_log'`).all() as { name: string; sql: string }[];
    /** Changes the log with its append-only triggers out of the way, then puts them back with their exact text. */
    const withoutLogTriggers = (db: Db, change: () => void) => {
      const triggers = logTriggers(db);
      for (const trigger of triggers) db.exec(`DROP TRIGGER "${trigger.name}"`);
      change();
      for (const trigger of triggers) db.exec(trigger.sql);
    };
    // The last rows dropped, every checksum recomputed, but the head named in the (sealed) manifest kept.
    const cut = craft(s.good, path.join(s.out, 'cut.db'), (db) => {
      withoutLogTriggers(db, () => db.exec(`DELETE FROM access_log WHERE seq > (SELECT max(seq) - 2 FROM access_log)`));
      reseal(db, 'elsewhere', 'keep');
    });
    // One row's record changed in the middle: the chain breaks there.
    const edited = craft(s.good, path.join(s.out, 'edited.db'), (db) => {
      withoutLogTriggers(db, () => {
        expect(db.prepare(`UPDATE access_log SET record = 'nothing:to:see' WHERE seq = (SELECT min(seq) FROM access_log)`).run().changes).toBe(1);
      });
      reseal(db, 'elsewhere');
    });
    for (const file of [cut, edited]) await expectRefusedEverywhere(s, file, 'error.backup.logChain');
    // Cut short with the head recomputed too: a shorter chain is still a chain, so only the seal can tell. Kept, it does.
    const cutSealed = craft(s.good, path.join(s.out, 'cut-sealed.db'), (db) => {
      withoutLogTriggers(db, () => db.exec(`DELETE FROM access_log WHERE seq = (SELECT max(seq) FROM access_log)`));
      reseal(db, 'keepInstallation');
    });
    await expectRefusedEverywhere(s, cutSealed, 'error.backup.sealBroken');
  }, 120_000);
});
