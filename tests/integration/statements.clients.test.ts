/**
 * Issue 13, bounded work per call: every channel of clients and intake runs a small number of
 * statements, whatever the journal holds. Each channel is called through the router on a journal
 * with several therapists, clients, appointments and links, then again after much more of
 * everything (more clients with the same name prefix, more links, appointments, intakes and
 * waiting-list entries): the count of statements must not move.
 *
 * Two counts. `store` is what the async Store ran (app.store.statements), the figure issue 13 bounds.
 * `all` is every statement the journal connection ran during the call, counted on the driver's
 * statements: it also holds the calls into other domains that still go through their synchronous
 * functions until they are converted, so nothing escapes the count.
 * Lists write one access-log row per client shown (each client's extract shows every time they were
 * on a screen), all in one batched append (the chain's head read once, the rows in one insert), so
 * the whole count, log rows included, must not move.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { ClientDetail, ClientSummary } from '../../preload/contract/index.js';
import { newPerson, personnummer, signInAdmin } from '../helpers/people.js';
import { intakeInput, setUpReception, type ReceptionApp } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const MONDAY = '2031-03-03';
const GROWTH_DAYS = ['2031-03-04', '2031-03-06', '2031-03-07'];
const BOUND = 10;
/**
 * Constant but above 10 (issue #13 sets 10 for a booking and a slot search; these are bounded, not yet that small):
 * a first call with a booking is two calls' work in one transaction; one naming a person and a number held on the
 * other side writes the links and reads both sides; a victim's record reads her contact, links, care team, her
 * coming times and her linked people's (for the clashes she must move), and an update writes and reads it again.
 */
const BOUNDS: Record<string, number> = {
  'intake.register (booked)': 15,
  'intake.register (same number as the other side, a link)': 15,
  'clients.get (victims, linked across)': 15,
  'clients.updateContact': 15,
  // Reads the record to correct it, the municipality and who else holds the number, writes, then reads it as the record screen does.
  'clients.update (a new number)': 17,
};

/** Counts every statement any connection of this process runs (the driver's statements share one prototype). */
let driverStatements = 0;
{
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<'run' | 'get' | 'all' | 'iterate', (...args: unknown[]) => unknown>;
  for (const method of ['run', 'get', 'all', 'iterate'] as const) {
    const original = proto[method];
    proto[method] = function counted(this: unknown, ...args: unknown[]) {
      driverStatements += 1;
      return original.apply(this, args);
    };
  }
  probe.close();
}

interface Count {
  /** Statements the Store ran. */
  store: number;
  /** Every statement on the connection, the other domains' synchronous calls included. */
  all: number;
  /** Access-log rows the call wrote. */
  logRows: number;
}

const logRows = (t: ReceptionApp) => (t.app.db.prepare('SELECT count(*) AS n FROM access_log').get() as { n: number }).n;

async function measure<T>(t: ReceptionApp, channel: string, input: unknown): Promise<{ value: T; count: Count }> {
  const rowsBefore = logRows(t);
  const store = t.app.store.statements;
  const all = driverStatements;
  const result = await t.router.invoke(channel, input);
  const count = { store: t.app.store.statements - store, all: driverStatements - all, logRows: 0 };
  count.logRows = logRows(t) - rowsBefore;
  if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
  return { value: result.value as T, count };
}

/** The statements the Store ran for the call, its access-log rows included. */
const work = (count: Count) => count.store;
/** Every statement on the connection (the other domains' synchronous calls and the router's own included). */
const allWork = (count: Count) => count.all;

interface World {
  t: ReceptionApp;
  anna: string;
  bo: string;
  child: string;
  therapist: string;
  annaNumber: string;
}

const book = (t: ReceptionApp, side: string, clientId: string, therapistId: string, date: string, start: string, roomId: string) =>
  t.ok('appointments.book', {
    side,
    clientId,
    groupId: null,
    kind: 'individual',
    siteId: 'skaraborg',
    therapistId,
    roomId,
    date,
    start,
    durationMinutes: 60,
    note: '',
  });

const handleOf = async (t: ReceptionApp, side: string, query: string) =>
  (await t.ok<{ id: string }[]>('clients.findForLink', { side, query }))[0]!.id;

async function world(): Promise<World> {
  const t = await setUpReception(tempDir());
  const extra = await newPerson(t, 'Tea Behandlarsdotter', 'tea.b', ['therapist'], ['victim', 'child']);
  await newPerson(t, 'Tor Behandlarsson', 'tor.b', ['therapist'], ['perpetrator']);
  const annaNumber = personnummer('19850412', '123');
  const anna = await t.newClient('victim', 'Anna Påhittsdotter', {
    personalNumber: annaNumber,
    safeContact: {
      phone: '070-174 06 11',
      safeToCall: true,
      safeToText: false,
      safeVoicemail: false,
      safeTimes: 'Förmiddag',
      codeWord: 'Vitsippa',
      instructions: '',
    },
    address: 'Låtsasvägen 1',
  });
  const child = await t.newClient('child', 'Anton Påhittsson', { links: [{ clientId: anna, kind: 'parent_child' }] });
  const bo = await t.newClient('perpetrator', 'Bo Exempelsson', {
    links: [{ clientId: await handleOf(t, 'perpetrators', 'Anna Påhittsdotter'), kind: 'partner' }],
  });
  await book(t, 'victims', anna, t.therapists.victims, MONDAY, '09:00', 'skaraborg-r1');
  await book(t, 'perpetrators', bo, t.therapists.perpetrators, MONDAY, '14:00', 'skaraborg-r2');
  await t.ok('care.assign', { side: 'victims', clientId: anna, therapistId: t.therapists.victims });
  await t.ok('care.assign', { side: 'victims', clientId: child, therapistId: extra.id });
  await signInAdmin(t);
  return { t, anna, bo, child, therapist: extra.id, annaNumber };
}

/** Much more of everything: clients on both sides sharing the name prefixes searched, links, appointments, intakes, waiting lists. */
async function grow(w: World, round: number): Promise<void> {
  const { t } = w;
  for (let i = 0; i < 12; i += 1) {
    const victim = await t.newClient('victim', `Annika Fiktiv${round}x${i}`);
    const perpetrator = await t.newClient('perpetrator', `Bosse Fiktiv${round}x${i}`, {
      outcome: i % 2 === 0 ? 'waiting_list' : 'no_further_contact',
      links: [{ clientId: await handleOf(t, 'perpetrators', `Annika Fiktiv${round}x${i}`), kind: 'former_partner' }],
    });
    if (i < 3) {
      const hour = String(8 + i).padStart(2, '0');
      await book(t, 'victims', victim, t.therapists.victims, GROWTH_DAYS[round]!, `${hour}:00`, 'skaraborg-r1');
      await book(t, 'perpetrators', perpetrator, t.therapists.perpetrators, GROWTH_DAYS[round]!, `${String(13 + i)}:00`, 'skaraborg-r2');
    }
  }
  // More of the measured clients' own kind of data too, so that nothing about them is counted per row.
  await t.ok('clients.link', {
    side: 'victims',
    clientId: w.anna,
    otherClientId: await t.newClient('child', `Alva Påhittsdotter ${round}`),
    kind: 'parent_child',
  });
}

describe('clients and intake run a bounded number of statements per call', () => {
  it('each channel, and again after much more data', { timeout: 120_000 }, async () => {
    const w = await world();
    const { t } = w;
    let serial = 0;
    let bookedHour = 8;
    let linkHour = 10;
    const calls: Record<string, () => Promise<Count>> = {
      'clients.search (name)': async () => (await measure<ClientSummary[]>(t, 'clients.search', { side: 'victims', query: 'Anna Påh' })).count,
      'clients.search (phone digits)': async () => (await measure(t, 'clients.search', { side: 'victims', query: '1740611' })).count,
      'clients.search (a prefix many share)': async () => (await measure(t, 'clients.search', { side: 'victims', query: 'Ann' })).count,
      'clients.search (identity number)': async () => (await measure(t, 'clients.search', { side: 'victims', query: w.annaNumber })).count,
      'clients.get (victims, linked across)': async () =>
        (await measure<ClientDetail>(t, 'clients.get', { side: 'victims', clientId: w.anna })).count,
      'clients.get (perpetrators)': async () => (await measure(t, 'clients.get', { side: 'perpetrators', clientId: w.bo })).count,
      'clients.updateContact': async () =>
        (
          await measure(t, 'clients.updateContact', {
            side: 'victims',
            clientId: w.anna,
            safeContact: {
              phone: '070-174 06 11',
              safeToCall: true,
              safeToText: false,
              safeVoicemail: false,
              safeTimes: 'Förmiddag',
              codeWord: 'Vitsippa',
              instructions: '',
            },
            address: 'Låtsasvägen 1',
            protectedIdentity: false,
          })
        ).count,
      // A new number each time: the same-number check runs, however many clients the journal holds.
      'clients.update (a new number)': async () =>
        (
          await measure(t, 'clients.update', {
            side: 'victims',
            clientId: w.anna,
            anonymous: false,
            name: 'Anna Påhittsdotter',
            personalNumber: personnummer('19820304', String(200 + (serial += 1))),
            municipalityCode: '1496',
            childrenUnder18: 1,
            language: '',
            interpreterNeeded: false,
          })
        ).count,
      'clients.findForLink (other side)': async () =>
        (await measure(t, 'clients.findForLink', { side: 'perpetrators', query: 'Anna Påhittsdotter' })).count,
      'clients.link (victims, across)': async () => {
        const other = await t.newClient('perpetrator', `Länkad Fiktivsson ${(serial += 1)}`);
        // Booked within the buffer of Anna's Monday morning: the link reveals a clash to her side.
        await book(t, 'perpetrators', other, t.therapists.perpetrators, MONDAY, `${(linkHour += 1)}:00`, 'skaraborg-r2');
        const handle = await handleOf(t, 'victims', `Länkad Fiktivsson ${serial}`);
        const linked = await measure<{ conflicts: unknown[] }>(t, 'clients.link', {
          side: 'victims',
          clientId: w.anna,
          otherClientId: handle,
          kind: 'other',
        });
        expect(linked.value.conflicts).toHaveLength(1);
        return linked.count;
      },
      'care.assign': async () => (await measure(t, 'care.assign', { side: 'victims', clientId: w.child, therapistId: t.therapists.victims })).count,
      'care.end': async () => (await measure(t, 'care.end', { side: 'victims', clientId: w.child, therapistId: t.therapists.victims })).count,
      'waitingList.list': async () => (await measure(t, 'waitingList.list', { side: 'perpetrators' })).count,
      'intake.register (waiting list)': async () =>
        (await measure(t, 'intake.register', intakeInput('victim', `Ny Fiktivsdotter ${(serial += 1)}`))).count,
      'intake.register (same number as the other side, a link)': async () => {
        const number = personnummer(`1979010${(serial += 1)}`, '234');
        const victim = `Sara Fiktivsdotter ${serial}`;
        await t.newClient('victim', victim, { personalNumber: number });
        const input = intakeInput('perpetrator', `Ny Fiktivsson ${serial}`, {
          personalNumber: number,
          links: [{ clientId: await handleOf(t, 'perpetrators', victim), kind: 'partner' }],
        });
        return (await measure(t, 'intake.register', input)).count;
      },
      'intake.register (booked)': async () =>
        (
          await measure(
            t,
            'intake.register',
            intakeInput('victim', `Bokad Fiktivsdotter ${(serial += 1)}`, {
              outcome: 'booked',
              booking: {
                kind: 'first_call',
                siteId: 'skaraborg',
                therapistId: t.therapists.victims,
                roomId: null,
                date: '2031-03-05',
                start: `${String((bookedHour += 1)).padStart(2, '0')}:00`,
                durationMinutes: 30,
              },
            }),
          )
        ).count,
    };

    const first: Record<string, Count> = {};
    for (const [name, call] of Object.entries(calls)) first[name] = await call();
    await grow(w, 1);
    await grow(w, 2);
    const second: Record<string, Count> = {};
    for (const [name, call] of Object.entries(calls)) second[name] = await call();

    if (process.env.STATEMENTS_TABLE) {
      console.table(
        Object.fromEntries(
          Object.keys(calls).map((name) => [
            name,
            {
              store: first[name]!.store,
              all: first[name]!.all,
              logRows: first[name]!.logRows,
              storeAfter: second[name]!.store,
              allAfter: second[name]!.all,
              logRowsAfter: second[name]!.logRows,
            },
          ]),
        ),
      );
    }
    for (const name of Object.keys(calls)) {
      const [before, after] = [first[name]!, second[name]!];
      expect(work(before), `${name}: statements, the access log included`).toBeLessThanOrEqual(BOUNDS[name] ?? BOUND);
      expect({ store: work(after), all: allWork(after) }, `${name}: the same after more data`).toEqual({ store: work(before), all: allWork(before) });
    }
    // The data did grow where the lists look: more rows shown, not more statements.
    expect(second['waitingList.list']!.logRows).toBeGreaterThan(first['waitingList.list']!.logRows);
    expect(second['clients.search (a prefix many share)']!.logRows).toBeGreaterThan(first['clients.search (a prefix many share)']!.logRows);
  });
});
