/**
 * Issue #15, "Users: edit roles": an admin replaces an existing user's roles (users.setRoles), on both
 * engines (#14). The rules: an admin keeps her own admin role, the last active admin keeps hers, and a
 * therapist keeps hers while appointments or group sessions of hers are still to be kept (the refusal
 * counts them, naming no client). Without the role her journal access ends at once — the router's role
 * check, and on PostgreSQL row-level security — while her profile and her name on what she kept stay.
 * The people are fictional.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { outsideTransaction, type Handlers } from '../../main/handlers/context.js';
import { createHandlers } from '../../main/router.js';
import type { Result } from '../../preload/contract/index.js';
import { builtOnce, ENGINES, openReception, useEngines, type Engine, type ReceptionEngineApp } from '../helpers/engineApp.js';
import { newPerson, personOn, signInAdmin, type Person } from '../helpers/people.js';
import { newClientOn, WEEKDAYS_8_TO_17 } from '../helpers/reception.js';

const engines = useEngines();

/** A Tuesday well ahead of any test run, so that what is booked on it is still to be kept. */
const DAY = '2031-03-04';
const BODY = 'Fiktiv signerad anteckning om Tilda';

interface World {
  t: ReceptionEngineApp;
  /** A therapist of the victims' side with Tilda in her care and a signed entry in Tilda's journal. */
  tova: Person;
  /** A receptionist. */
  rakel: Person;
  tilda: string;
}

const built = builtOnce(engines, async (engine) => {
  const t = await openReception(engines, engine);
  const tova = await newPerson(t, 'Tova Terapeutsdotter', 'tova.t', ['therapist'], ['victim', 'child']);
  const rakel = await newPerson(t, 'Rakel Receptionsdotter', 'rakel.r', ['receptionist']);
  const tilda = await t.newClient('victim', 'Tilda Påhittsdotter');
  await t.ok('care.assign', { side: 'victims', clientId: tilda, therapistId: tova.id });
  await tova.signIn();
  const entry = await t.ok<{ id: string }>('journal.saveDraft', { clientId: tilda, entryId: null, kind: 'note', body: BODY });
  await t.ok('journal.sign', { entryId: entry.id, password: tova.password });
  await signInAdmin(t);
  return { t, facts: { therapists: t.therapists, tova, rakel, tilda } };
});

async function world(engine: Engine): Promise<World> {
  const { t, facts } = await built(engine);
  const reception: ReceptionEngineApp = Object.assign(t, { therapists: facts.therapists, newClient: newClientOn(t.ok) });
  return { t: reception, tova: personOn(reception, facts.tova), rakel: personOn(reception, facts.rakel), tilda: facts.tilda };
}

const count = async (w: World, query: string, ...params: unknown[]) => Number((await w.t.db.get<{ n: number }>(query, ...params))!.n);
const rolesLogged = (w: World) => count(w, `SELECT count(*) AS n FROM access_log WHERE action = 'users.setRoles'`);
const rolesOf = async (w: World, userId: string) =>
  (await w.t.db.all<{ role: string }>('SELECT role FROM user_roles WHERE user_id = ? ORDER BY role', userId)).map((row) => row.role);

function slotsWith(w: World, therapistId: string | null) {
  return w.t.ok<{ therapistId: string }[]>('slots.find', {
    side: 'victims',
    siteId: 'skaraborg',
    clientId: w.tilda,
    groupId: null,
    therapistId,
    kind: 'individual',
    durationMinutes: 60,
    needsRoom: true,
    fromDate: DAY,
    days: 2,
  });
}

describe.each(ENGINES)('an admin changes an existing user’s roles (%s)', (engine) => {
  it('changes the roles; the list, the access log and her next sign-in have them; a new therapist waits for her profile', async () => {
    const w = await world(engine);
    const admin = w.t.user!.id;
    const changed = await w.t.ok<{ id: string; roles: string[]; active: boolean }>('users.setRoles', {
      userId: w.rakel.id,
      roles: ['therapist', 'receptionist'],
    });
    expect(changed).toMatchObject({ id: w.rakel.id, roles: ['receptionist', 'therapist'], active: true });
    const listed = await w.t.ok<{ id: string; roles: string[] }[]>('users.list');
    expect(listed.find((user) => user.id === w.rakel.id)?.roles).toEqual(['receptionist', 'therapist']);
    // A security event in the admin's name, as users.create writes one: who, and the roles she holds now.
    expect(await w.t.db.all(`SELECT user_id AS "userId", client_id AS "clientId", record FROM access_log WHERE action = 'users.setRoles'`)).toEqual([
      { userId: admin, clientId: null, record: `user:roles:${w.rakel.id}:roles=receptionist+therapist` },
    ]);

    // A therapist without a site, tracks and hours is offered by no slot search until the admin gives her them.
    expect((await slotsWith(w, null)).some((slot) => slot.therapistId === w.rakel.id)).toBe(false);
    expect(await slotsWith(w, w.rakel.id)).toEqual([]);
    await w.t.ok('org.saveTherapist', { userId: w.rakel.id, siteId: 'skaraborg', tracks: ['victim'], hours: WEEKDAYS_8_TO_17 });
    expect((await slotsWith(w, w.rakel.id)).length).toBeGreaterThan(0);

    await w.rakel.signIn();
    expect(w.t.user?.roles).toEqual(['receptionist', 'therapist']);
    expect(await w.t.ok('journal.myClients')).toEqual([]);
  });

  it('refuses to take an admin’s own admin role, and the last active admin’s, next to the roles; writes nothing', async () => {
    const w = await world(engine);
    const me = w.t.user!.id;
    const logged = await rolesLogged(w);
    expect(await w.t.call('users.setRoles', { userId: me, roles: ['receptionist'] })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'error.user.ownAdmin', fields: { roles: 'error.user.ownAdmin' } },
    });
    expect(await rolesOf(w, me)).toEqual(['admin', 'receptionist']);

    // Another admin, and then this session's own admin role taken behind its back (as by another desk
    // a moment ago): the other admin is now the last active one, and keeps her role.
    const bodil = await newPerson(w.t, 'Bodil Reservadmin', 'bodil.admin', ['admin']);
    await w.t.db.run(`DELETE FROM user_roles WHERE user_id = ? AND role = 'admin'`, me);
    expect(await w.t.call('users.setRoles', { userId: bodil.id, roles: ['receptionist'] })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'error.user.lastAdminRole', fields: { roles: 'error.user.lastAdminRole' } },
    });
    expect(await rolesOf(w, bodil.id)).toEqual(['admin']);
    expect(await rolesLogged(w)).toBe(logged);
  });

  it('refuses to take the therapist role while she has appointments or group sessions to keep or drafts unsigned, counting them; then allows it', async () => {
    const w = await world(engine);
    const booked = await w.t.ok<{ appointment: { id: string } }>('appointments.book', {
      side: 'victims',
      clientId: w.tilda,
      groupId: null,
      kind: 'individual',
      siteId: 'skaraborg',
      therapistId: w.tova.id,
      roomId: 'skaraborg-r2',
      date: DAY,
      start: '10:00',
      durationMinutes: 60,
      note: '',
    });
    // A cancelled time is kept by nobody: it does not count.
    const cancelled = await w.t.ok<{ appointment: { id: string } }>('appointments.book', {
      side: 'victims',
      clientId: w.tilda,
      groupId: null,
      kind: 'individual',
      siteId: 'skaraborg',
      therapistId: w.tova.id,
      roomId: 'skaraborg-r2',
      date: DAY,
      start: '13:00',
      durationMinutes: 60,
      note: '',
    });
    await w.t.ok('appointments.cancel', { side: 'victims', appointmentId: cancelled.appointment.id, reason: 'Klienten avbokade' });
    const group = await w.t.ok<{ id: string }>('groups.create', {
      side: 'victims',
      siteId: 'skaraborg',
      track: 'victim',
      name: 'Påhittade stödgruppen',
      therapistId: w.tova.id,
      roomId: 'skaraborg-g1',
      firstDate: '2031-03-05',
      start: '09:00',
      durationMinutes: 90,
      sessions: 2,
    });
    const logged = await rolesLogged(w);

    const refused = await w.t.call('users.setRoles', { userId: w.tova.id, roles: ['receptionist'] });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: 'error.user.therapistBooked',
        fields: { roles: 'error.user.therapistBooked' },
        counts: { appointments: 1, groupSessions: 2, count: 3 },
      },
    });
    // Counts only: nothing of Tilda (her name, her id) is in the answer.
    expect(JSON.stringify(refused)).not.toMatch(new RegExp(`Tilda|${w.tilda}|Påhittade`));
    expect(await rolesOf(w, w.tova.id)).toEqual(['therapist']);
    expect(await rolesLogged(w)).toBe(logged);

    // What the refusal says to do: the time moved to another therapist, the group's coming sessions cancelled.
    await w.t.ok('appointments.move', {
      side: 'victims',
      appointmentId: booked.appointment.id,
      date: DAY,
      start: '10:00',
      durationMinutes: 60,
      therapistId: w.t.therapists.victims,
      roomId: 'skaraborg-r2',
    });
    await w.t.ok('groups.end', { side: 'victims', groupId: group.id, reason: 'Gruppen avslutas' });
    // An unsigned draft of hers: without the role nobody could sign it (on PostgreSQL the admin's own
    // row security hides drafts, so the count comes through the database's counting function).
    await w.tova.signIn();
    const draft = await w.t.ok<{ id: string }>('journal.saveDraft', { clientId: w.tilda, entryId: null, kind: 'note', body: 'Fiktivt utkast' });
    await signInAdmin(w.t);
    expect(await w.t.call('users.setRoles', { userId: w.tova.id, roles: ['receptionist'] })).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: 'error.user.therapistDrafts',
        fields: { roles: 'error.user.therapistDrafts' },
        counts: { drafts: 1, count: 1 },
      },
    });
    await w.tova.signIn();
    await w.t.ok('journal.deleteDraft', { entryId: draft.id });
    await signInAdmin(w.t);
    const changed = await w.t.ok<{ roles: string[] }>('users.setRoles', { userId: w.tova.id, roles: ['receptionist'] });
    expect(changed.roles).toEqual(['receptionist']);
    // Her profile stays, and her name on the times she had: only the role went.
    expect(await count(w, 'SELECT count(*) AS n FROM therapist_profiles WHERE user_id = ?', w.tova.id)).toBe(1);
    expect(await count(w, 'SELECT count(*) AS n FROM appointments WHERE therapist_id = ?', w.tova.id)).toBe(3);
    // No longer a therapist to book or to give the care to.
    const org = await w.t.ok<{ therapists: { id: string }[] }>('org.get');
    expect(org.therapists.map((therapist) => therapist.id)).not.toContain(w.tova.id);
    expect((await slotsWith(w, null)).some((slot) => slot.therapistId === w.tova.id)).toBe(false);
    expect(await w.t.call('care.assign', { side: 'victims', clientId: w.tilda, therapistId: w.tova.id })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'error.therapist.unknown' },
    });
  });

  it('ends her journal access with the role: the router refuses her journal channels, and on PostgreSQL row-level security too', async () => {
    const w = await world(engine);
    const asTova = { userId: w.tova.id, role: 'therapist' } as const;
    const textsSeen = async () =>
      (await w.t.queryAs!<{ body: string }>(asTova, 'SELECT body FROM journal_entries WHERE client_id = ?', w.tilda)).map((row) => row.body);
    // Server mode: she is signed in at another desk with the journal open while the admin changes her roles.
    const herDesk = w.t.otherDesk?.() ?? null;
    if (herDesk) {
      await herDesk.ok('auth.login', { username: w.tova.username, password: w.tova.password });
      expect(await herDesk.ok('journal.open', { clientId: w.tilda })).toMatchObject({ access: 'care' });
      expect(await textsSeen()).toEqual([BODY]);
    }

    await w.t.ok('users.setRoles', { userId: w.tova.id, roles: ['receptionist'] });
    if (herDesk) {
      // Her session ended with the change: her next call is asked to sign in again, and runs with the new roles.
      expect(await herDesk.call('journal.open', { clientId: w.tilda })).toEqual({
        ok: false,
        error: { code: 'NOT_SIGNED_IN', message: 'error.sessionEnded' },
      });
      // The database's second line: a transaction as a therapist with her id reads none of the text.
      expect(await textsSeen()).toEqual([]);
    }
    await w.tova.signIn();
    expect(w.t.user?.roles).toEqual(['receptionist']);
    for (const [channel, input] of [
      ['journal.open', { clientId: w.tilda }],
      ['journal.myClients', {}],
      ['journal.export', { clientId: w.tilda }],
      ['journal.emergencyOpen', { clientId: w.tilda, reason: 'Akut läge, behandlaren är sjuk idag' }],
    ] as const) {
      expect(await w.t.call(channel, input), channel).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'error.forbidden' } });
    }
    // At the desk she finds Tilda's contact details no more than any receptionist would: her care relation opens nothing now.
    const record = await w.t.ok<{ careTeam: { therapistId: string }[] }>('clients.get', { side: 'victims', clientId: w.tilda });
    expect(record.careTeam.map((relation) => relation.therapistId)).not.toContain(w.tova.id);
  });

  it('the signed-in admin’s own new roles hold from her next call, and a role taken from herself goes at once', async () => {
    const w = await world(engine);
    const me = w.t.user!.id;
    expect(await w.t.call('journal.myClients')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const changed = await w.t.ok<{ roles: string[] }>('users.setRoles', { userId: me, roles: ['admin', 'receptionist', 'therapist'] });
    expect(changed.roles).toEqual(['admin', 'receptionist', 'therapist']);
    // No new sign-in: the same session now has the therapist's channels.
    expect(w.t.user?.roles).toEqual(['admin', 'receptionist', 'therapist']);
    expect(await w.t.ok('journal.myClients')).toEqual([]);
    await w.t.ok('org.saveTherapist', { userId: me, siteId: 'skaraborg', tracks: ['victim'], hours: WEEKDAYS_8_TO_17 });
    await w.t.ok('care.assign', { side: 'victims', clientId: w.tilda, therapistId: me });
    expect(await w.t.ok('journal.open', { clientId: w.tilda })).toMatchObject({ access: 'care' });

    await w.t.ok('users.setRoles', { userId: me, roles: ['admin', 'receptionist'] });
    expect(w.t.user?.roles).toEqual(['admin', 'receptionist']);
    expect(await w.t.call('journal.open', { clientId: w.tilda })).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'error.forbidden' } });
  });

  it('refuses bad input, an unknown or deactivated user, and anyone but an admin; nothing is written', async () => {
    const w = await world(engine);
    const logRows = () => count(w, 'SELECT count(*) AS n FROM access_log');
    const roleRows = () => count(w, 'SELECT count(*) AS n FROM user_roles');
    const before = { log: await logRows(), roles: await roleRows() };
    const invalid = async (input: unknown): Promise<Result<unknown>> => {
      const answer = await w.t.call('users.setRoles', input);
      expect(answer, JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      return answer;
    };
    expect(await invalid({ userId: w.rakel.id, roles: [] })).toMatchObject({ error: { fields: { roles: 'error.roles.none' } } });
    expect(await invalid({ userId: w.rakel.id, roles: ['receptionist', 'receptionist'] })).toMatchObject({
      error: { fields: { roles: 'error.roles.duplicate' } },
    });
    await invalid({ userId: w.rakel.id, roles: ['superuser'] });
    await invalid({ userId: w.rakel.id, roles: 'admin' });
    await invalid({ userId: w.rakel.id, roles: ['receptionist'], active: true });
    await invalid({ roles: ['receptionist'] });
    expect(await w.t.call('users.setRoles', { userId: randomUUID(), roles: ['receptionist'] })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'error.user.notFound' },
    });
    const gone = await newPerson(w.t, 'Gustav Gammalsson', 'gustav.g', ['receptionist']);
    await w.t.ok('users.deactivate', { userId: gone.id });
    const deactivatedBefore = { log: await logRows(), roles: await roleRows() };
    expect(await w.t.call('users.setRoles', { userId: gone.id, roles: ['admin'] })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'error.user.notFound' },
    });
    expect({ log: await logRows(), roles: await roleRows() }).toEqual(deactivatedBefore);

    // A receptionist or a therapist may not, not even for herself.
    for (const person of [w.rakel, w.tova]) {
      await person.signIn();
      expect(await w.t.call('users.setRoles', { userId: person.id, roles: ['admin'] })).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'error.forbidden' },
      });
    }
    await signInAdmin(w.t);
    expect(await rolesOf(w, w.rakel.id)).toEqual(['receptionist']);
    expect(await rolesOf(w, w.tova.id)).toEqual(['therapist']);
    expect((await roleRows()) - before.roles).toBe(1);
  });
});

describe('on PostgreSQL, the database keeps an admin by itself', () => {
  it('two admins taking each other’s admin role at the same moment leave one admin, never none', async () => {
    const w = await world('postgres');
    const bodil = await newPerson(w.t, 'Bodil Reservadmin', 'bodil.admin', ['admin']);
    const me = w.t.user!.id;
    const hers = w.t.otherDesk!();
    await hers.ok('auth.login', { username: bodil.username, password: bodil.password });
    // Both calls past the router's checks and in their transactions before either does its work, as two
    // clicks at the same moment at two desks: each would see the other admin still there.
    let arrived = 0;
    let bothIn!: () => void;
    const together = new Promise<void>((resolve) => (bothIn = resolve));
    const handlers: Handlers = {
      ...createHandlers(),
      'users.setRoles': outsideTransaction((input, ctx) =>
        ctx.app.setUserRoles(input, (work) =>
          ctx.transact(async (tx) => {
            arrived += 1;
            if (arrived === 2) bothIn();
            await together;
            return work(tx);
          }),
        ),
      ),
    };
    const answers = await Promise.all([
      w.t.callWith(handlers, 'users.setRoles', { userId: bodil.id, roles: ['receptionist'] }),
      hers.callWith(handlers, 'users.setRoles', { userId: me, roles: ['receptionist'] }),
    ]);
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    // The other is refused in words by the rule under the admins' lock, never by the database's own last line as an error.
    expect(answers.find((answer) => !answer.ok)).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'error.user.lastAdminRole', fields: { roles: 'error.user.lastAdminRole' } },
    });
    expect(await count(w, `SELECT count(*) AS n FROM user_roles r JOIN users u ON u.id = r.user_id WHERE r.role = 'admin' AND u.active = 1`)).toBe(1);
  });

  it('refuses a transaction as an admin that takes the last admin role away straight at the table', async () => {
    const w = await world('postgres');
    const me = w.t.user!.id;
    await expect(w.t.queryAs!({ userId: me, role: 'admin' }, `DELETE FROM user_roles WHERE role = 'admin' RETURNING user_id`)).rejects.toThrow(
      /last active admin keeps the admin role/,
    );
    expect(await rolesOf(w, me)).toEqual(['admin', 'receptionist']);
    // The admin role may delete a role row that leaves an admin (the app's users.setRoles needs nothing more).
    const spare = await newPerson(w.t, 'Sara Reservsdotter', 'sara.r', ['receptionist', 'therapist'], ['victim']);
    expect(await w.t.ok<{ roles: string[] }>('users.setRoles', { userId: spare.id, roles: ['receptionist'] })).toMatchObject({
      roles: ['receptionist'],
    });
  });
});
