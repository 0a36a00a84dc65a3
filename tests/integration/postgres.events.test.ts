import net from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenForChanges, type ChangeEvent } from '../../db/engine/postgres.js';
import { addClient, AT, book, PEOPLE, SITE, turns, unique, useServerJournal } from '../helpers/serverJournal.js';

/**
 * Live screens: a committed change is announced on utvag_changes with its kind, site, side and
 * local day, and nothing that names or points at a client.
 */
const journal = useServerJournal('utvag_events_test');
const { desk } = PEOPLE;

const heard: ChangeEvent[] = [];
let dropped = 0;
const waiters: { match: (event: ChangeEvent) => boolean; resolve: (event: ChangeEvent) => void }[] = [];
let stop: () => Promise<void>;

beforeAll(async () => {
  const { login } = journal();
  stop = await listenForChanges(
    { host: login.host, port: login.port, user: login.user, password: login.password as string, database: login.database },
    (event) => {
      heard.push(event);
      for (const waiter of waiters.splice(0)) {
        if (waiter.match(event)) waiter.resolve(event);
        else waiters.push(waiter);
      }
    },
    undefined,
    { onDropped: () => (dropped += 1) },
  );
});
afterAll(async () => {
  await stop?.();
});

/** The first event from now on that matches (a test that hears none fails on its timeout). */
function next(match: (event: ChangeEvent) => boolean): Promise<ChangeEvent> {
  return new Promise((resolve) => waiters.push({ match, resolve }));
}

/** Everything heard so far, as one text: what a workstation or a log line could ever be given. */
const everythingHeard = () => JSON.stringify(heard);

describe('change events on PostgreSQL', () => {
  it('announces a booking on commit with site, side and local day only', async () => {
    const { store } = journal();
    const name = 'Fiktiv Hemligsdotter';
    const clientId = unique('victim');
    const before = heard.length;
    let inserted!: () => void;
    const didInsert = new Promise<void>((resolve) => (inserted = resolve));
    let commit!: () => void;
    const mayCommit = new Promise<void>((resolve) => (commit = resolve));
    // 22:30 UTC on 7 October is 00:30 on 8 October in Stockholm (summer time).
    const startsAt = '2026-10-07T22:30:00.000Z';
    const announced = next((event) => event.kind === 'appointments' && event.day === '2026-10-08');
    const done = store.transaction(
      async (tx) => {
        await tx
          .insertInto('clients')
          .values({ id: clientId, track: 'victim', name, site_id: SITE, created_at: AT, created_by: desk.userId })
          .execute();
        await book(tx, { clientId, track: 'victim', startsAt });
        inserted();
        await mayCommit;
      },
      { actor: desk },
    );
    await didInsert;
    // Nothing is announced while the transaction is open. A ping round trip through the same
    // listener proves that anything already sent would have arrived by now.
    const pinged = next((event) => event.kind === 'clients' && event.site === 'ping-site');
    await journal().admin.query(
      `SELECT pg_notify('utvag_changes', json_build_object('kind', 'clients', 'site', 'ping-site', 'side', 'victims', 'day', null)::text)`,
    );
    await pinged;
    expect(heard.slice(before).filter((event) => event.site !== 'ping-site')).toEqual([]);
    commit();
    await done;
    expect(await announced).toEqual({ kind: 'appointments', site: SITE, side: 'victims', day: '2026-10-08' });
    await turns();
    expect(heard).toContainEqual({ kind: 'clients', site: SITE, side: 'victims', day: null });
    for (const secret of [clientId, name, 'Hemligs', startsAt, '22:30']) expect(everythingHeard()).not.toContain(secret);
  });

  it('announces a move on both days, and nothing of a transaction rolled back', async () => {
    const { store } = journal();
    const { clientId, appointment } = await store.transaction(
      async (tx) => {
        const id = await addClient(tx, 'perpetrator');
        return { clientId: id, appointment: await book(tx, { clientId: id, track: 'perpetrator', startsAt: '2026-10-12T08:00:00.000Z' }) };
      },
      { actor: desk },
    );
    const oldDay = next((event) => event.kind === 'appointments' && event.day === '2026-10-12' && event.side === 'perpetrators');
    const newDay = next((event) => event.kind === 'appointments' && event.day === '2026-10-14' && event.side === 'perpetrators');
    await store.transaction(
      (tx) =>
        tx
          .updateTable('appointments')
          .set({ starts_at: '2026-10-14T08:00:00.000Z', ends_at: '2026-10-14T09:00:00.000Z' })
          .where('id', '=', appointment)
          .execute(),
      { actor: desk },
    );
    await Promise.all([oldDay, newDay]);
    const failure = new Error('gave up');
    await expect(
      store.transaction(
        async (tx) => {
          await book(tx, { clientId, track: 'perpetrator', startsAt: '2026-10-20T08:00:00.000Z' });
          throw failure;
        },
        { actor: desk },
      ),
    ).rejects.toBe(failure);
    // A later commit's event arrives; the rolled-back day never did.
    await Promise.all([
      next((event) => event.day === '2026-10-21'),
      store.transaction((tx) => book(tx, { clientId, track: 'perpetrator', startsAt: '2026-10-21T08:00:00.000Z' }), { actor: desk }),
    ]);
    expect(heard.map((event) => event.day)).not.toContain('2026-10-20');
    expect(everythingHeard()).not.toContain(clientId);
  });

  it('announces intakes, the waiting list and groups by site and side, without the client', async () => {
    const { store } = journal();
    const events = [
      next((event) => event.kind === 'intakes' && event.side === 'victims' && event.day === '2026-03-02'),
      next((event) => event.kind === 'waiting_list' && event.side === 'victims'),
      next((event) => event.kind === 'groups' && event.side === 'perpetrators'),
    ];
    const ids = await store.transaction(
      async (tx) => {
        const victim = await addClient(tx, 'victim');
        const perpetrator = await addClient(tx, 'perpetrator');
        const intake = unique('intake');
        await tx
          .insertInto('intakes')
          .values({
            id: intake,
            client_id: victim,
            received_at: AT,
            received_by: desk.userId,
            contact_by: 'self',
            referral_source: 'self',
            urgency: 'normal',
            reason: 'Fiktivt skäl',
            outcome: 'waiting_list',
            routing: 'not_applicable',
            routing_reason: 'Fiktivt',
          })
          .execute();
        await tx
          .insertInto('waiting_list')
          .values({ id: unique('wait'), client_id: victim, intake_id: intake, added_at: AT })
          .execute();
        const group = unique('group');
        await tx
          .insertInto('groups')
          .values({ id: group, site_id: SITE, track: 'perpetrator', name: 'Fiktiv grupp', therapist_id: PEOPLE.therapist.userId, created_at: AT })
          .execute();
        await tx.insertInto('group_members').values({ group_id: group, client_id: perpetrator, joined_at: AT }).execute();
        return [victim, perpetrator, intake, group];
      },
      { actor: desk },
    );
    await Promise.all(events);
    for (const id of [...ids, 'Fiktivt skäl', 'Fiktiv grupp']) expect(everythingHeard()).not.toContain(id);
    // Every event has exactly the four fields.
    for (const event of heard.filter((candidate) => candidate.site !== 'ping-site')) {
      expect(Object.keys(event).sort()).toEqual(['day', 'kind', 'side', 'site']);
    }
  });

  it('drops a notification that is not a change event (any login may NOTIFY), and listens on', async () => {
    const { login } = journal();
    const sender = new pg.Client({
      host: login.host,
      port: login.port,
      user: login.user,
      password: login.password as string,
      database: login.database,
    });
    await sender.connect();
    try {
      const droppedBefore = dropped;
      const foreign = [
        'not json',
        'null',
        '[]',
        JSON.stringify({ kind: 'appointments', site: 'skaraborg', side: 'victims', day: '2026-03-02', clientId: 'smuggled-id' }),
        JSON.stringify({ kind: 'journal', site: 'skaraborg', side: 'victims', day: null }),
        JSON.stringify({ kind: 'clients', site: 'skaraborg', side: 'both', day: null }),
        JSON.stringify({ kind: 'clients', site: 'skaraborg', side: 'victims', day: 'Fiktiv Person 19850101-0000' }),
        JSON.stringify({ kind: 'clients', site: 'x'.repeat(65), side: 'victims', day: null }),
      ];
      for (const payload of foreign) await sender.query('SELECT pg_notify($1, $2)', ['utvag_changes', payload]);
      // Notifications from one session arrive in order: once this one is heard, every one before it was handled.
      const after = next((event) => event.site === 'after-foreign');
      await sender.query('SELECT pg_notify($1, $2)', [
        'utvag_changes',
        JSON.stringify({ kind: 'clients', site: 'after-foreign', side: 'victims', day: null }),
      ]);
      expect(await after).toEqual({ kind: 'clients', site: 'after-foreign', side: 'victims', day: null });
      expect(dropped - droppedBefore).toBe(foreign.length);
      for (const text of ['smuggled-id', 'journal', 'both', 'Fiktiv Person']) expect(everythingHeard()).not.toContain(text);
    } finally {
      await sender.end();
    }
  });
});

describe('a listener whose connection is lost', () => {
  const config = () => {
    const { login } = journal();
    return { host: login.host, port: login.port, user: login.user, password: login.password as string, database: login.database };
  };

  it('is told once when PostgreSQL ends its connection (a restart, pg_terminate_backend)', async () => {
    const errors: string[] = [];
    const told = new Promise<void>((resolve) => {
      void listenForChanges(
        config(),
        () => undefined,
        (error) => {
          errors.push(error.name);
          resolve();
        },
        { applicationName: 'utvag-test-listener' },
      );
    });
    // Wait until it is listening (its LISTEN answered: ended before that, the call itself fails,
    // which a busy machine made happen), then end it as PostgreSQL would.
    const { admin } = journal();
    for (let tries = 0; ; tries += 1) {
      const { rows } = await admin.query<{ ended: boolean }>(
        `SELECT pg_terminate_backend(pid, 5000) AS ended FROM pg_stat_activity
          WHERE application_name = $1 AND state = 'idle' AND query LIKE 'LISTEN %'`,
        ['utvag-test-listener'],
      );
      if (rows.length === 1) break;
      if (tries > 100) throw new Error('the listener never connected');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await told;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(errors).toHaveLength(1);
  });

  it('is told when its connection stops answering without closing (a half-open network), found by its check', async () => {
    // A relay that, once frozen, passes nothing either way and closes nothing: what a cut cable looks like.
    const { login } = journal();
    const sockets: net.Socket[] = [];
    let frozen = false;
    const relay = net.createServer((inbound) => {
      const outbound = net.connect(login.port!, login.host);
      sockets.push(inbound, outbound);
      inbound.on('data', (chunk) => !frozen && outbound.write(chunk));
      outbound.on('data', (chunk) => !frozen && inbound.write(chunk));
      inbound.on('error', () => undefined);
      outbound.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()));
    try {
      let lost: ((name: string) => void) | null = null;
      const told = new Promise<string>((resolve) => (lost = resolve));
      const stop = await listenForChanges(
        { ...config(), host: '127.0.0.1', port: (relay.address() as AddressInfo).port },
        () => undefined,
        (error) => lost!(error.name),
        { checkEveryMs: 100 },
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      frozen = true;
      // The check's own timeout (10 s) is what finds it: nothing closed.
      expect(await told).toBe('Error');
      await stop();
    } finally {
      for (const socket of sockets) socket.destroy();
      relay.close();
    }
  }, 20_000);
});
