import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../main/log.js';
import { startServer, type RunningServer } from '../../main/server/http.js';
import { intakeInput } from '../fixtures/intake.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { Desk, FIRST_ADMIN, initServerJournal, serverPerson, type CallResult } from '../helpers/utvagServer.js';

/**
 * A working day through the Utväg server, each call by the role that makes it in the app: the
 * services' own statements must pass the database's second line (grants, row-level security, own
 * name, one chain) as they pass on the local journal. Plain HTTP on loopback. Fictional people.
 */
const DAY = '2031-03-04'; // a Tuesday
const NO_FILTER = { userId: null, clientId: null, from: null, to: null, action: null, emergencyOnly: false, unreviewedOnly: false };
const SAFE_CONTACT = {
  phone: '0701-234567',
  safeToCall: true,
  safeToText: false,
  safeVoicemail: false,
  safeTimes: '',
  codeWord: '',
  instructions: '',
};

let postgres: TestPostgres;
let server: RunningServer;
const logLines: string[] = [];

let admin: Desk;
const people: Record<string, { id: string; username: string; password: string }> = {};

async function person(key: string, displayName: string, username: string, roles: string[], tracks: string[] = []) {
  const made = await serverPerson(admin, new Desk(server.url), displayName, username, roles, tracks);
  people[key] = { id: made.id, username, password: made.password };
  return made.own;
}

beforeAll(async () => {
  postgres = await startPostgres();
  const { login } = await initServerJournal(postgres, 'utvag_workday');
  server = await startServer({
    database: login,
    host: '127.0.0.1',
    port: 0,
    tls: null,
    log: createLogger((line) => logLines.push(line)),
    version: 'test',
  });
  admin = new Desk(server.url);
  await admin.signIn(FIRST_ADMIN.username, FIRST_ADMIN.password);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await postgres?.stop();
});

describe('a working day through the server', () => {
  it("passes the database's second line with every call the app makes", async () => {
    const failures: string[] = [];
    const step = async <T = unknown>(d: Desk, channel: string, input: unknown = {}): Promise<T | undefined> => {
      const result: CallResult<T> = await d.call<T>(channel, input);
      if (!result.ok) failures.push(`${channel}: ${JSON.stringify(result.error)}`);
      return result.value;
    };
    const reception = await person('desk', 'Rut Receptionsdóttir', 'rut.r', ['receptionist']);
    const therapist = await person('victims', 'Vera Behandlarsson', 'vera.b', ['therapist'], ['victim', 'child']);
    const colleague = await person('colleague', 'Vilma Behandlarsson', 'vilma.b', ['therapist'], ['victim']);
    const theirs = await person('perpetrators', 'Per Behandlarsson', 'per.b', ['therapist'], ['perpetrator']);

    // Admin: settings, premises, users, the contact network.
    await step(admin, 'settings.get');
    await step(admin, 'settings.update', { idleLockMinutes: 20 });
    await step(admin, 'org.get');
    await step(admin, 'org.saveRoom', { id: null, siteId: 'skaraborg', name: 'Serverrummet', active: true });
    await step(admin, 'users.list');
    const spare = await step<{ user: { id: string } }>(admin, 'users.create', {
      displayName: 'Extra Personsson',
      username: 'extra.p',
      roles: ['receptionist'],
    });
    if (spare) {
      await step(admin, 'users.resetPassword', { userId: spare.user.id });
      await step(admin, 'users.deactivate', { userId: spare.user.id });
    }
    await step(admin, 'contacts.list', { filter: { status: 'all', agencyKind: null, municipalityCode: null, text: '' } });
    await step(admin, 'contacts.save', {
      id: null,
      name: 'Server Kontaktsson',
      agencyKind: 'police',
      agency: 'Polisen, Serverområdet',
      unit: '',
      municipalityCode: '1496',
      role: 'Brottsoffersamordnare',
      email: 'server.kontaktsson@polis.example',
      phone: '',
      assignmentStart: '2026-01-01',
      assignmentEnd: null,
    });
    await step(admin, 'networkDays.save', { id: null, date: '2031-03-12', title: 'Serverns nätverksdag', siteId: 'skaraborg' });

    // Reception: first calls (one booked, one protected), links, the schedule, groups, the waiting list.
    const victim = await step<{ clientId: string }>(
      reception,
      'intake.register',
      intakeInput('victim', 'Dagny Offersdotter', {
        safeContact: SAFE_CONTACT,
        outcome: 'booked',
        booking: {
          kind: 'first_visit',
          siteId: 'skaraborg',
          therapistId: people.victims!.id,
          roomId: 'skaraborg-r1',
          date: DAY,
          start: '09:00',
          durationMinutes: 60,
        },
      }),
    );
    const hidden = await step<{ clientId: string }>(
      reception,
      'intake.register',
      intakeInput('victim', 'Skyddad Offersdotter', { safeContact: SAFE_CONTACT, protectedIdentity: true }),
    );
    const handle = (await step<{ id: string }[]>(reception, 'clients.findForLink', { side: 'perpetrators', query: 'Dagny Offersdotter' }))?.[0]?.id;
    const perpetrator = await step<{ clientId: string }>(
      reception,
      'intake.register',
      intakeInput('perpetrator', 'Dag Utövarsson', { links: handle ? [{ clientId: handle, kind: 'partner' }] : [] }),
    );
    const child = await step<{ clientId: string }>(reception, 'intake.register', intakeInput('child', 'Lilla Offersdotter'));
    if (!victim || !perpetrator || !child || !hidden) throw new Error(`No clients: ${failures.join('\n')}`);
    await step(reception, 'clients.search', { side: 'victims', query: 'Offersdotter' });
    await step(reception, 'clients.get', { side: 'victims', clientId: victim.clientId });
    await step(reception, 'clients.updateContact', {
      side: 'victims',
      clientId: victim.clientId,
      safeContact: SAFE_CONTACT,
      address: 'Påhittad väg 1',
      protectedIdentity: false,
    });
    await step(reception, 'clients.link', { side: 'victims', clientId: victim.clientId, otherClientId: child.clientId, kind: 'parent_child' });
    await step(reception, 'schedule.range', { side: 'victims', siteId: 'skaraborg', from: DAY, days: 7, therapistId: null, roomId: null });
    await step(reception, 'schedule.today', { side: 'victims', siteId: 'skaraborg', date: DAY });
    const booked = await step<{ appointment: { id: string } }>(reception, 'appointments.book', {
      side: 'victims',
      clientId: victim.clientId,
      groupId: null,
      kind: 'individual',
      siteId: 'skaraborg',
      therapistId: people.victims!.id,
      roomId: 'skaraborg-r2',
      date: DAY,
      start: '13:00',
      durationMinutes: 60,
      note: '',
    });
    if (booked) {
      await step(reception, 'appointments.move', {
        side: 'victims',
        appointmentId: booked.appointment.id,
        date: DAY,
        start: '14:00',
        durationMinutes: 60,
        therapistId: people.victims!.id,
        roomId: 'skaraborg-r2',
      });
      await step(reception, 'appointments.setStatus', { side: 'victims', appointmentId: booked.appointment.id, status: 'arrived' });
    }
    await step(reception, 'slots.find', {
      side: 'victims',
      siteId: 'skaraborg',
      clientId: victim.clientId,
      groupId: null,
      therapistId: null,
      kind: 'individual',
      durationMinutes: 60,
      needsRoom: true,
      fromDate: DAY,
      days: 2,
    });
    await step(reception, 'waitingList.list', { side: 'victims' });
    const group = await step<{ id: string }>(reception, 'groups.create', {
      side: 'victims',
      siteId: 'skaraborg',
      track: 'victim',
      name: 'Servergruppen',
      therapistId: people.victims!.id,
      roomId: 'skaraborg-g1',
      firstDate: '2031-04-01',
      start: '09:00',
      durationMinutes: 60,
      sessions: 2,
    });
    await step(reception, 'groups.list', { side: 'victims', siteId: 'skaraborg' });
    const groupId = group?.id ?? (group as unknown as { group?: { id: string } })?.group?.id;
    if (groupId) await step(reception, 'groups.addMember', { side: 'victims', groupId, clientId: victim.clientId });
    await step(reception, 'care.assign', { side: 'victims', clientId: victim.clientId, therapistId: people.victims!.id });
    await step(reception, 'care.assign', { side: 'victims', clientId: hidden.clientId, therapistId: people.victims!.id });

    // The therapist: her clients, the journal, a signature, an amendment; a colleague's emergency access.
    await step(therapist, 'journal.myClients');
    await step(therapist, 'journal.open', { clientId: victim.clientId });
    await step(therapist, 'journal.open', { clientId: hidden.clientId });
    const draft = await step<{ id: string }>(therapist, 'journal.saveDraft', {
      clientId: victim.clientId,
      entryId: null,
      kind: 'note',
      body: 'Fiktiv anteckning',
    });
    const toDelete = await step<{ id: string }>(therapist, 'journal.saveDraft', {
      clientId: victim.clientId,
      entryId: null,
      kind: 'note',
      body: 'Utkast',
    });
    await step(therapist, 'journal.myDrafts', { side: 'victims' });
    if (toDelete) await step(therapist, 'journal.deleteDraft', { entryId: toDelete.id });
    if (draft) {
      await step(therapist, 'journal.sign', { entryId: draft.id, password: people.victims!.password });
      await step(therapist, 'journal.amend', { entryId: draft.id, reason: 'Rättelse', body: 'Rättad text', password: people.victims!.password });
    }
    await step(therapist, 'journal.export', { clientId: victim.clientId });
    await step(therapist, 'journal.findClient', { query: 'Dagny' });
    await step(colleague, 'journal.emergencyOpen', { clientId: victim.clientId, reason: 'Akut läge, behandlaren är sjuk idag' });
    await step(theirs, 'journal.myClients');
    // A perpetrators' therapist opens nothing of the victims' side.
    expect((await theirs.call('journal.open', { clientId: victim.clientId })).ok).toBe(false);
    await step(reception, 'care.end', { side: 'victims', clientId: hidden.clientId, therapistId: people.victims!.id });

    // Admin: the access log, its review and extracts, retention, statistics.
    const emergencies = await step<{ rows: { seq: number }[] }>(admin, 'audit.search', { filter: { ...NO_FILTER, emergencyOnly: true }, page: 0 });
    if (emergencies?.rows[0]) await step(admin, 'audit.markReviewed', { seq: emergencies.rows[0].seq, note: 'Granskad' });
    await step(admin, 'audit.exportCsv', { filter: NO_FILTER });
    await step(admin, 'audit.clientExtract', { clientId: victim.clientId });
    const verified = await step<{ ok: boolean }>(admin, 'audit.verify');
    expect(verified?.ok).toBe(true);
    await step(admin, 'retention.report', { years: 10 });
    await step(admin, 'stats.report', { year: 2026, quarter: 1 });

    expect(failures).toEqual([]);
    expect(logLines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
  }, 120_000);

  it('keeps one verifying access-log chain and every reported write with eight desks writing at once', async () => {
    const desks = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const d = new Desk(server.url);
        await d.signIn(people.desk!.username, people.desk!.password);
        return d;
      }),
    );
    const results = await Promise.all(
      desks.map((d, i) =>
        (async () => {
          const made: string[] = [];
          for (let n = 0; n < 3; n += 1) {
            const result = await d.call<{ clientId: string }>(
              'intake.register',
              intakeInput(i % 2 ? 'perpetrator' : 'victim', `Samtida ${i}-${n} Personsson`),
            );
            if (result.ok) made.push(result.value!.clientId);
            await d.call('schedule.range', { side: 'victims', siteId: 'skaraborg', from: DAY, days: 7, therapistId: null, roomId: null });
          }
          return made;
        })(),
      ),
    );
    const reported = results.flat();
    expect(reported).toHaveLength(24);
    // Each write left its client's own log row, committed with it.
    const extracts = await Promise.all(reported.map((clientId) => admin.call<{ rows: unknown[] }>('audit.clientExtract', { clientId })));
    expect(extracts.filter((extract) => !extract.ok || extract.value!.rows.length === 0)).toEqual([]);
    expect((await admin.ok<{ ok: boolean }>('audit.verify')).ok).toBe(true);
  }, 120_000);
});
