/**
 * Issue 15: a therapist's start page lists her own unsigned drafts. The list names clients, so each
 * client shown leaves a row in the access log; it carries no journal text, nothing of another
 * author, and nothing of a client whose care has ended.
 */
import { describe, expect, it } from 'vitest';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { ENGINES, openReception, useEngines, type ReceptionEngineApp } from '../helpers/engineApp.js';

/** On both engines (#14): the local journal and the Utväg server's path over PostgreSQL. */
const engines = useEngines();
const SECRET_TEXT = 'Fiktiv utkasttext som aldrig får synas på startsidan';

async function therapist(t: ReceptionEngineApp, username: string, tracks: string[]) {
  const account = await t.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', {
    displayName: `Behandlare ${username}`,
    username,
    roles: ['therapist'],
  });
  await t.ok('org.saveTherapist', { userId: account.user.id, siteId: 'skaraborg', tracks, hours: [] });
  const password = `${username}-egen-lång-fras`;
  await t.ok('auth.login', { username, password: account.temporaryPassword });
  await t.ok('auth.changePassword', { currentPassword: account.temporaryPassword, newPassword: password, newPasswordRepeat: password });
  await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
  return { id: account.user.id, username, password };
}

describe.each(ENGINES)('journal.myDrafts (%s)', (engine) => {
  it("lists only the signed-in therapist's own open drafts, without text, and logs one row per client shown", async () => {
    const t = await openReception(engines, engine);
    const anna = await t.newClient('victim', 'Anna Utkastsdotter');
    const berit = await t.newClient('child', 'Berit Utkastsdotter');
    const cecilia = await t.newClient('victim', 'Cecilia Avslutadsdotter');
    const vera = await therapist(t, 'vera.utkast', ['victim', 'child']);
    const vilma = await therapist(t, 'vilma.utkast', ['victim', 'child']);
    for (const client of [anna, berit, cecilia]) {
      await t.ok('care.assign', { side: 'victims', clientId: client, therapistId: vera.id });
      await t.ok('care.assign', { side: 'victims', clientId: client, therapistId: vilma.id });
    }

    await t.ok('auth.login', { username: vera.username, password: vera.password });
    const annaDraft = await t.ok<{ id: string }>('journal.saveDraft', { clientId: anna, entryId: null, kind: 'note', body: SECRET_TEXT });
    const bertsDraft = await t.ok<{ id: string }>('journal.saveDraft', { clientId: berit, entryId: null, kind: 'assessment', body: SECRET_TEXT });
    const toSign = await t.ok<{ id: string }>('journal.saveDraft', { clientId: berit, entryId: null, kind: 'note', body: 'Signeras' });
    await t.ok('journal.sign', { entryId: toSign.id, password: vera.password });
    await t.ok('journal.saveDraft', { clientId: cecilia, entryId: null, kind: 'note', body: SECRET_TEXT });

    // Another therapist's draft for the same client is hers alone.
    await t.ok('auth.login', { username: vilma.username, password: vilma.password });
    await t.ok('journal.saveDraft', { clientId: anna, entryId: null, kind: 'note', body: 'Vilmas utkast' });

    // Cecilia's care with Vera ends: her draft is no longer Vera's to act on, and her name is not listed.
    await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    await t.ok('care.end', { side: 'victims', clientId: cecilia, therapistId: vera.id });

    await t.ok('auth.login', { username: vera.username, password: vera.password });
    const before = (await t.db.get<{ seq: number }>('SELECT max(seq) AS seq FROM access_log'))!.seq;
    const drafts = await t.ok<{ entryId: string; clientId: string; clientName: string; kind: string }[]>('journal.myDrafts', { side: 'victims' });
    expect(drafts.map((draft) => draft.entryId).sort()).toEqual([annaDraft.id, bertsDraft.id].sort());
    expect(drafts.find((draft) => draft.entryId === bertsDraft.id)).toMatchObject({ clientName: 'Berit Utkastsdotter', kind: 'assessment' });
    expect(JSON.stringify(drafts)).not.toContain(SECRET_TEXT);
    expect(JSON.stringify(drafts)).not.toContain('Cecilia');

    const rows = await t.db.all<{ userId: string; clientId: string | null; record: string; action: string }>(
      'SELECT user_id AS userId, client_id AS clientId, record, action FROM access_log WHERE seq > ? ORDER BY seq',
      before,
    );
    expect(rows).toHaveLength(2);
    expect(rows.map((row) => row.clientId).sort()).toEqual([anna, berit].sort());
    for (const row of rows) expect(row).toMatchObject({ userId: vera.id, record: 'my-drafts', action: 'journal.myDrafts' });

    // One side per answer: the same therapist asking for the perpetrators' side gets none of these names.
    expect(await t.ok('journal.myDrafts', { side: 'perpetrators' })).toEqual([]);

    // Vilma sees only her own draft; an empty list is still logged once.
    await t.ok('auth.login', { username: vilma.username, password: vilma.password });
    const hers = await t.ok<{ clientId: string }[]>('journal.myDrafts', { side: 'victims' });
    expect(hers.map((draft) => draft.clientId)).toEqual([anna]);
    await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    const perpetratorsTherapist = await therapist(t, 'per.utkast', ['perpetrator']);
    await t.ok('auth.login', { username: perpetratorsTherapist.username, password: perpetratorsTherapist.password });
    const lastBefore = (await t.db.get<{ seq: number }>('SELECT max(seq) AS seq FROM access_log'))!.seq;
    expect(await t.ok('journal.myDrafts', { side: 'perpetrators' })).toEqual([]);
    expect(await t.db.all('SELECT client_id AS clientId, record FROM access_log WHERE seq > ?', lastBefore)).toEqual([
      { clientId: null, record: 'my-drafts:perpetrators:results=0' },
    ]);

    // The reception desk never reaches a journal channel.
    await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    expect(await t.call('journal.myDrafts', { side: 'victims' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await t.call('journal.myDrafts', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  }, 90_000);

  it('answers one side at a time for a therapist who serves both sides', async () => {
    const t = await openReception(engines, engine);
    const dora = await t.newClient('victim', 'Dora Sidosdotter');
    const erik = await t.newClient('perpetrator', 'Erik Sidosson');
    const mia = await therapist(t, 'mia.bada', ['victim', 'child', 'perpetrator']);
    await t.ok('care.assign', { side: 'victims', clientId: dora, therapistId: mia.id });
    await t.ok('care.assign', { side: 'perpetrators', clientId: erik, therapistId: mia.id });
    await t.ok('auth.login', { username: mia.username, password: mia.password });
    await t.ok('journal.saveDraft', { clientId: dora, entryId: null, kind: 'note', body: SECRET_TEXT });
    await t.ok('journal.saveDraft', { clientId: erik, entryId: null, kind: 'note', body: SECRET_TEXT });

    const victims = await t.ok<{ clientName: string }[]>('journal.myDrafts', { side: 'victims' });
    const perpetrators = await t.ok<{ clientName: string }[]>('journal.myDrafts', { side: 'perpetrators' });
    expect(victims.map((draft) => draft.clientName)).toEqual(['Dora Sidosdotter']);
    expect(perpetrators.map((draft) => draft.clientName)).toEqual(['Erik Sidosson']);
  });
});
