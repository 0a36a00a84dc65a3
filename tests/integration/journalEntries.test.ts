import { describe, expect, it } from 'vitest';
import { openEncrypted } from '../../db/connection.js';
import { journalPath } from '../../db/journal.js';
import { verifyAccessLogChain } from '../../db/local/accessLog.js';
import { createHandlers, createRouter } from '../../main/router.js';
import { clientDetail } from '../../main/services/clients.js';
import { CHANNEL_NAMES, contract } from '../../preload/contract/index.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { makeApp } from '../helpers/app.js';
import { setUpReception } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const SECRET_TEXT = 'Klienten berättade om händelsen i köket (fiktiv journaltext)';

describe('the journal', () => {
  it('opens only with a care relation, signs with the password, and never changes a signed entry', async () => {
    const dir = tempDir();
    const t = await setUpReception(dir);
    const client = await t.newClient('victim', 'Klara Journalsdotter');
    // A therapist of her own, who signs in with the temporary password and chooses her own, as at a first sign-in.
    const veraAccount = await t.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', {
      displayName: 'Vera Två',
      username: 'vera.tva',
      roles: ['therapist'],
    });
    await t.ok('org.saveTherapist', { userId: veraAccount.user.id, siteId: 'skaraborg', tracks: ['victim', 'child'], hours: [] });
    const therapistPassword = 'veras-alldeles-egna-fras';
    await t.ok('care.assign', { side: 'victims', clientId: client, therapistId: veraAccount.user.id });

    await t.ok('auth.login', { username: 'vera.tva', password: veraAccount.temporaryPassword });
    await t.ok('auth.changePassword', {
      currentPassword: veraAccount.temporaryPassword,
      newPassword: therapistPassword,
      newPasswordRepeat: therapistPassword,
    });

    const opened = await t.ok<{ access: string; entries: unknown[] }>('journal.open', { clientId: client });
    expect(opened).toMatchObject({ access: 'care', entries: [] });
    const draft = await t.ok<{ id: string; status: string }>('journal.saveDraft', {
      clientId: client,
      entryId: null,
      kind: 'note',
      body: SECRET_TEXT,
    });
    expect(draft.status).toBe('draft');
    expect(await t.call('journal.sign', { entryId: draft.id, password: 'fel lösenord' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_CREDENTIALS', fields: { password: 'error.password.currentWrong' } },
    });
    const signed = await t.ok<{ status: string; signedAt: string }>('journal.sign', { entryId: draft.id, password: therapistPassword });
    expect(signed.status).toBe('signed');

    // No channel changes a signed entry …
    expect(await t.call('journal.saveDraft', { clientId: client, entryId: draft.id, kind: 'note', body: 'ändrad' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await t.call('journal.deleteDraft', { entryId: draft.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    // … and neither does SQL through the app's own connection.
    expect(() => t.app.db.prepare('UPDATE journal_entries SET body = ? WHERE id = ?').run('ändrad', draft.id)).toThrow(
      /signed journal entry cannot be changed/,
    );
    expect(() => t.app.db.prepare('DELETE FROM journal_entries WHERE id = ?').run(draft.id)).toThrow(/cannot be deleted/);

    const amendment = await t.ok<{ amendsId: string; status: string; amendmentReason: string }>('journal.amend', {
      entryId: draft.id,
      reason: 'Fel rum angivet',
      body: 'Rättelse: samtalet hölls i samtalsrum 2.',
      password: therapistPassword,
    });
    expect(amendment).toMatchObject({ amendsId: draft.id, status: 'signed', amendmentReason: 'Fel rum angivet' });
    const after = await t.ok<{ entries: { id: string; body: string }[] }>('journal.open', { clientId: client });
    expect(after.entries.find((entry) => entry.id === draft.id)?.body).toBe(SECRET_TEXT);
    expect(after.entries).toHaveLength(2);

    // The access log never holds journal text.
    const logText = JSON.stringify(t.app.db.prepare('SELECT * FROM access_log').all());
    // Words, not digits: ids, hashes and times in the log are hex and digits and could hold any number by chance.
    expect(logText).not.toContain('händelsen i köket');
    expect(logText).not.toContain('Rättelse');
    expect(verifyAccessLogChain(t.app.db)).toMatchObject({ ok: true });
  });

  it('without a care relation a therapist is refused, then uses emergency access that admins review', async () => {
    const dir = tempDir();
    const t = await setUpReception(dir);
    const client = await t.newClient('perpetrator', 'Lars Nödåtkomstsson');
    const per = await t.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', {
      displayName: 'Per Två',
      username: 'per.tva',
      roles: ['therapist'],
    });
    await t.ok('org.saveTherapist', { userId: per.user.id, siteId: 'skaraborg', tracks: ['perpetrator'], hours: [] });
    await t.ok('auth.login', { username: 'per.tva', password: per.temporaryPassword });
    await t.ok('auth.changePassword', {
      currentPassword: per.temporaryPassword,
      newPassword: 'pers-alldeles-egna-fras',
      newPasswordRepeat: 'pers-alldeles-egna-fras',
    });

    expect(await t.call('journal.open', { clientId: client })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'error.journal.noCareRelation' },
    });
    // The refusal tells Per that the client exists on his track: it stays in her extract, in his name.
    expect(
      t.app.db
        .prepare(`SELECT client_id AS clientId, record, user_id AS userId FROM access_log WHERE action = 'journal.open' ORDER BY seq DESC LIMIT 1`)
        .get(),
    ).toEqual({ clientId: client, record: 'refusal:no-care', userId: per.user.id });
    expect(await t.call('journal.emergencyOpen', { clientId: client, reason: 'kort' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    const opened = await t.ok<{ access: string }>('journal.emergencyOpen', {
      clientId: client,
      reason: 'Ordinarie behandlare sjuk, akut hotbedömning behövs',
    });
    expect(opened.access).toBe('emergency');
    expect(await t.ok('journal.open', { clientId: client })).toMatchObject({ access: 'emergency' });

    await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    const filter = { userId: null, clientId: null, from: null, to: null, action: null, emergencyOnly: false, unreviewedOnly: true };
    const flagged = await t.ok<{ rows: { seq: number; reason: string; userName: string }[] }>('audit.search', { filter, page: 0 });
    expect(flagged.rows).toHaveLength(1);
    expect(flagged.rows[0]).toMatchObject({ reason: 'Ordinarie behandlare sjuk, akut hotbedömning behövs', userName: 'Per Två' });
    await t.ok('audit.markReviewed', { seq: flagged.rows[0]!.seq, note: 'Motiverad' });
    expect((await t.ok<{ rows: unknown[] }>('audit.search', { filter, page: 0 })).rows).toHaveLength(0);

    const csv = await t.ok<{ csv: string; rows: number }>('audit.exportCsv', { filter: { ...filter, unreviewedOnly: false, emergencyOnly: true } });
    expect(csv.rows).toBe(1);
    expect(csv.csv).toContain('Ordinarie behandlare sjuk');
    const extract = await t.ok<{ rows: { userName: string; action: string }[] }>('audit.clientExtract', { clientId: client });
    expect(extract.rows.map((row) => row.action)).toEqual(expect.arrayContaining(['intake.register', 'journal.emergencyOpen', 'journal.open']));
  });

  it('a receptionist never receives journal text: every journal channel is refused', async () => {
    const t = await setUpReception(tempDir());
    const client = await t.newClient('victim', 'Maja Receptionsfri');
    // The admin-receptionist session holds no therapist role.
    for (const name of CHANNEL_NAMES.filter((channel) => channel.startsWith('journal.'))) {
      const result = await t.router.invoke(name, {
        clientId: client,
        entryId: 'x',
        reason: 'tillräckligt lång anledning',
        body: 'x',
        password: 'x',
        kind: 'note',
        query: 'Maja',
      });
      expect(result, name).toMatchObject({ ok: false });
      if (!result.ok) expect(['FORBIDDEN', 'INVALID_INPUT'], name).toContain(result.error.code);
      const parsed = contract[name].input.safeParse({
        clientId: client,
        entryId: 'x',
        reason: 'tillräckligt lång anledning',
        body: 'x',
        password: 'x',
        kind: 'note',
        query: 'Maja',
      });
      if (parsed.success) expect(result, name).toMatchObject({ error: { code: 'FORBIDDEN' } });
    }
  });
});

describe('the access log', () => {
  it('every client-data channel that forgets to log is refused and writes nothing', async () => {
    const t = await setUpReception(tempDir());
    const client = await t.newClient('victim', 'Nora Loggsdotter');
    const before = (t.app.db.prepare('SELECT count(*) AS n FROM access_log').get() as { n: number }).n;
    const forgetful = createRouter(t.app, {
      ...createHandlers(),
      'clients.get': (input, ctx) => clientDetail(ctx.tx, input.side, input.clientId, ctx.user!),
    });
    expect(await forgetful.invoke('clients.get', { side: 'victims', clientId: client })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect((t.app.db.prepare('SELECT count(*) AS n FROM access_log').get() as { n: number }).n).toBe(before);
  });

  it('rejects edits and deletions through the app, and the chain reveals tampering through a raw connection', async () => {
    const dir = tempDir();
    const t = makeApp(dir);
    await t.ok('auth.setup', { ...FICTIONAL_ADMIN, passwordRepeat: FICTIONAL_ADMIN.password });
    // Write a few log rows through the app.
    const app = t.app;
    for (let i = 0; i < 3; i += 1)
      await t.ok('audit.search', {
        filter: { userId: null, clientId: null, from: null, to: null, action: null, emergencyOnly: false, unreviewedOnly: false },
        page: 0,
      });
    expect(() => app.db.prepare(`UPDATE access_log SET action = 'x' WHERE seq = 2`).run()).toThrow(/append-only/);
    expect(() => app.db.prepare('DELETE FROM access_log WHERE seq = 2').run()).toThrow(/append-only/);
    // Three searches after the setup's own row; the newest row is the one kept in the keyring.
    expect(await t.ok('audit.verify')).toEqual({ ok: true, rows: 4, brokenAt: null, headProblem: null });

    // Someone with the key and a raw connection drops the trigger and edits a row.
    const key = (app as unknown as { unlocked: { key: Buffer } }).unlocked.key;
    const raw = openEncrypted(journalPath(dir), Buffer.from(key), { create: false });
    raw.exec('DROP TRIGGER access_log_no_update');
    raw.prepare(`UPDATE access_log SET action = 'audit.verify' WHERE seq = 2`).run();
    raw.close();
    expect(await t.ok('audit.verify')).toEqual({ ok: false, rows: 0, brokenAt: 2, headProblem: null });
  });

  it('the retention report lists clients whose last journal entry is more than ten years old, deleting nothing', async () => {
    const dir = tempDir();
    const t = await setUpReception(dir);
    const oldClient = await t.newClient('victim', 'Olga Gammalsdotter');
    const newClient = await t.newClient('victim', 'Petra Nysdotter');
    const author = t.app.user!.id;
    const insert = t.app.db.prepare(
      `INSERT INTO journal_entries (id, client_id, author_id, kind, status, body, created_at, updated_at, signed_at) VALUES (?, ?, ?, 'note', 'signed', 'x', ?, ?, ?)`,
    );
    insert.run('e-old', oldClient, author, '2012-01-10T09:00:00.000Z', '2012-01-10T09:00:00.000Z', '2012-01-10T09:00:00.000Z');
    insert.run('e-new', newClient, author, '2025-01-10T09:00:00.000Z', '2025-01-10T09:00:00.000Z', '2025-01-10T09:00:00.000Z');
    const report = await t.ok<{ clientId: string }[]>('retention.report', { years: 10 });
    expect(report.map((row) => row.clientId)).toEqual([oldClient]);
    expect((t.app.db.prepare('SELECT count(*) AS n FROM journal_entries').get() as { n: number }).n).toBe(2);
  });
});
