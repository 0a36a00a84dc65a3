import { describe, expect, it } from 'vitest';
import { openEncrypted } from '../../db/connection.js';
import { journalPath } from '../../db/journal.js';
import { createHandlers } from '../../main/router.js';
import { clientDetail } from '../../main/services/clients.js';
import type { Handlers } from '../../main/handlers/context.js';
import { CHANNEL_NAMES, contract } from '../../preload/contract/index.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { ENGINES, openReception, openWithAdmin, useEngines, verifyChain } from '../helpers/engineApp.js';

/** On both engines (#14); only the tampering below differs (a raw SQLCipher connection; PostgreSQL's superuser). */
const engines = useEngines();
const SECRET_TEXT = 'Klienten berättade om händelsen i köket (fiktiv journaltext)';

describe.each(ENGINES)('the journal (%s)', (engine) => {
  it('opens only with a care relation, signs with the password, and never changes a signed entry', async () => {
    const t = await openReception(engines, engine);
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
    // … and neither does SQL behind the app's back (the journal's own connection; PostgreSQL's superuser, past row-level security).
    await expect(t.db.run('UPDATE journal_entries SET body = ? WHERE id = ?', 'ändrad', draft.id)).rejects.toThrow(
      /signed journal entry cannot be changed/,
    );
    await expect(t.db.run('DELETE FROM journal_entries WHERE id = ?', draft.id)).rejects.toThrow(/cannot be (changed or )?deleted/);

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
    const logText = JSON.stringify(await t.db.all('SELECT * FROM access_log'));
    // Words, not digits: ids, hashes and times in the log are hex and digits and could hold any number by chance.
    expect(logText).not.toContain('händelsen i köket');
    expect(logText).not.toContain('Rättelse');
    expect(await verifyChain(t)).toMatchObject({ ok: true });
  }, 90_000);

  it('without a care relation a therapist is refused, then uses emergency access that admins review', async () => {
    const t = await openReception(engines, engine);
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
      await t.db.get(
        `SELECT client_id AS clientId, record, user_id AS userId FROM access_log WHERE action = 'journal.open' ORDER BY seq DESC LIMIT 1`,
      ),
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
    const t = await openReception(engines, engine);
    const client = await t.newClient('victim', 'Maja Receptionsfri');
    // The admin-receptionist session holds no therapist role.
    for (const name of CHANNEL_NAMES.filter((channel) => channel.startsWith('journal.'))) {
      const result = await t.call(name, {
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

describe.each(ENGINES)('the access log (%s)', (engine) => {
  it('every client-data channel that forgets to log is refused and writes nothing', async () => {
    const t = await openReception(engines, engine);
    const client = await t.newClient('victim', 'Nora Loggsdotter');
    const count = async () => (await t.db.get<{ n: number }>('SELECT count(*) AS n FROM access_log'))!.n;
    const before = await count();
    const forgetful = {
      ...createHandlers(),
      'clients.get': (input, ctx) => clientDetail(ctx.tx, input.side, input.clientId, ctx.user!),
    } satisfies Handlers;
    expect(await t.callWith(forgetful, 'clients.get', { side: 'victims', clientId: client })).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
    expect(await count()).toBe(before);
  });

  it('rejects edits and deletions through the app, and the chain reveals tampering through a raw connection', async () => {
    const t = await openWithAdmin(engines, engine);
    // Write a few log rows through the app.
    for (let i = 0; i < 3; i += 1)
      await t.ok('audit.search', {
        filter: { userId: null, clientId: null, from: null, to: null, action: null, emergencyOnly: false, unreviewedOnly: false },
        page: 0,
      });
    await expect(t.db.run(`UPDATE access_log SET action = 'x' WHERE seq = 2`)).rejects.toThrow(/append-only/);
    await expect(t.db.run('DELETE FROM access_log WHERE seq = 2')).rejects.toThrow(/append-only/);
    // The first admin's own row (and on the server her sign-in), then three searches; locally the newest is the one kept in the keyring.
    const rows = (await t.db.get<{ n: number }>('SELECT count(*) AS n FROM access_log'))!.n;
    expect(rows).toBe(engine === 'sqlite' ? 4 : 5);
    expect(await t.ok('audit.verify')).toEqual({ ok: true, rows, brokenAt: null, headProblem: null });

    // Someone past the app's rules (the key and a raw SQLCipher connection; the database's superuser) drops the guard and edits a row.
    if (t.local) {
      const key = (t.local as unknown as { unlocked: { key: Buffer } }).unlocked.key;
      const raw = openEncrypted(journalPath(t.local.dataDir), Buffer.from(key), { create: false });
      raw.exec('DROP TRIGGER access_log_no_update');
      raw.prepare(`UPDATE access_log SET action = 'audit.verify' WHERE seq = 2`).run();
      raw.close();
    } else {
      await t.db.run('ALTER TABLE access_log DISABLE TRIGGER access_log_no_update');
      await t.db.run(`UPDATE access_log SET action = 'audit.verify' WHERE seq = 2`);
    }
    expect(await t.ok('audit.verify')).toEqual({ ok: false, rows: 0, brokenAt: 2, headProblem: null });
  });

  it('the retention report lists clients whose last journal entry is more than ten years old, deleting nothing', async () => {
    const t = await openReception(engines, engine);
    const oldClient = await t.newClient('victim', 'Olga Gammalsdotter');
    const newClient = await t.newClient('victim', 'Petra Nysdotter');
    const author = t.user!.id;
    const insert = (...values: string[]) =>
      t.db.run(
        `INSERT INTO journal_entries (id, client_id, author_id, kind, status, body, created_at, updated_at, signed_at) VALUES (?, ?, ?, 'note', 'signed', 'x', ?, ?, ?)`,
        ...values,
      );
    await insert('e-old', oldClient, author, '2012-01-10T09:00:00.000Z', '2012-01-10T09:00:00.000Z', '2012-01-10T09:00:00.000Z');
    await insert('e-new', newClient, author, '2025-01-10T09:00:00.000Z', '2025-01-10T09:00:00.000Z', '2025-01-10T09:00:00.000Z');
    const report = await t.ok<{ clientId: string }[]>('retention.report', { years: 10 });
    expect(report.map((row) => row.clientId)).toEqual([oldClient]);
    expect(await t.db.get('SELECT count(*) AS n FROM journal_entries')).toEqual({ n: 2 });
  });
});
