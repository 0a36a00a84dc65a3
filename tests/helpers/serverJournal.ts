import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { AccessLogEntry } from '../../db/accessLog.js';
import { createPostgresStore, type PostgresStore } from '../../db/engine/postgres.js';
import type { Role, Side, Track } from '../../db/engine/schema.js';
import type { Actor, Tx } from '../../db/engine/store.js';
import { createServerJournal, startPostgres, type TestPostgres } from './postgres.js';

/**
 * One throwaway PostgreSQL per test file with a migrated server journal, the Store as the
 * server's login role, and a superuser connection for setting up and looking behind the server's
 * back. The people and places below are fictional.
 */
export interface ServerJournal {
  server: TestPostgres;
  login: pg.PoolConfig;
  store: PostgresStore;
  /** Superuser on the journal's database: bypasses row-level security, not triggers. */
  admin: pg.Client;
}

export const SITE = 'site-norr';
export const OTHER_SITE = 'site-soder';
export const AT = '2026-03-02T08:00:00.000Z';

export const PEOPLE = {
  desk: { userId: 'u-desk', role: 'receptionist' },
  otherDesk: { userId: 'u-desk-2', role: 'receptionist' },
  admin: { userId: 'u-admin', role: 'admin' },
  /** Serves the victims' and children's tracks. */
  therapist: { userId: 'u-ther', role: 'therapist' },
  /** Serves the victims' track, in no care relation. */
  colleague: { userId: 'u-ther-2', role: 'therapist' },
  /** Serves the perpetrators' track only. */
  otherTrack: { userId: 'u-ther-3', role: 'therapist' },
} satisfies Record<string, Actor>;

const TRACKS: Record<string, Track[]> = {
  [PEOPLE.therapist.userId]: ['victim', 'child'],
  [PEOPLE.colleague.userId]: ['victim'],
  [PEOPLE.otherTrack.userId]: ['perpetrator'],
};

export function unique(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** A few event-loop turns: room for any other transaction's code to run, if anything lets it. */
export async function turns(count = 5): Promise<void> {
  for (let i = 0; i < count; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

export function sideOf(track: Track): Side {
  return track === 'perpetrator' ? 'perpetrators' : 'victims';
}

/** Starts the server for the file (beforeAll) and stops it afterwards; returns a getter. */
export function useServerJournal(database: string): () => ServerJournal {
  let journal: ServerJournal | undefined;
  beforeAll(async () => {
    const server = await startPostgres();
    const login = await createServerJournal(server, database);
    const store = createPostgresStore(login);
    const admin = await server.connectAsAdmin(database);
    journal = { server, login, store, admin };
    await seedPeople(admin);
  });
  afterAll(async () => {
    await journal?.admin.end();
    await journal?.store.close();
    await journal?.server.stop();
  });
  return () => {
    if (!journal) throw new Error('The server journal is not started');
    return journal;
  };
}

export async function seedPeople(admin: pg.Client): Promise<void> {
  for (const person of Object.values(PEOPLE)) {
    await admin.query('INSERT INTO users (id, username, display_name, created_at) VALUES ($1, $1, $2, $3)', [
      person.userId,
      `Test ${person.userId}`,
      AT,
    ]);
    await admin.query('INSERT INTO user_roles (user_id, role) VALUES ($1, $2)', [person.userId, person.role satisfies Role]);
    for (const track of TRACKS[person.userId] ?? []) {
      await admin.query('INSERT INTO therapist_tracks (user_id, track) VALUES ($1, $2)', [person.userId, track]);
    }
  }
  await admin.query(`INSERT INTO sites (id, name) VALUES ($1, 'Testenheten Norr'), ($2, 'Testenheten Söder')`, [SITE, OTHER_SITE]);
}

export async function addClient(tx: Tx, track: Track, by: Actor = PEOPLE.desk, id = unique(track)): Promise<string> {
  await tx
    .insertInto('clients')
    .values({ id, track, name: `Fiktiv ${track}`, site_id: SITE, created_at: AT, created_by: by.userId })
    .execute();
  return id;
}

export async function link(tx: Tx, one: string, other: string, by: Actor = PEOPLE.desk): Promise<string> {
  const [a, b] = [one, other].sort() as [string, string];
  const id = unique('link');
  await tx.insertInto('client_links').values({ id, client_a: a, client_b: b, kind: 'partner', created_at: AT, created_by: by.userId }).execute();
  return id;
}

export function plusMinutes(at: string, minutes: number): string {
  return new Date(Date.parse(at) + minutes * 60_000).toISOString();
}

export async function book(
  tx: Tx,
  booking: { clientId: string; track: Track; startsAt: string; minutes?: number; siteId?: string; by?: Actor },
): Promise<string> {
  const id = unique('appt');
  const by = booking.by ?? PEOPLE.desk;
  await tx
    .insertInto('appointments')
    .values({
      id,
      site_id: booking.siteId ?? SITE,
      side: sideOf(booking.track),
      kind: 'individual',
      starts_at: booking.startsAt,
      ends_at: plusMinutes(booking.startsAt, booking.minutes ?? 60),
      therapist_id: PEOPLE.therapist.userId,
      client_id: booking.clientId,
      created_at: AT,
      created_by: by.userId,
      updated_at: AT,
    })
    .execute();
  return id;
}

export function logEntry(actor: Actor, change: Partial<AccessLogEntry> = {}): AccessLogEntry {
  return {
    at: new Date().toISOString(),
    userId: actor.userId,
    clientId: null,
    record: null,
    action: 'test.action',
    channel: 'test.action',
    emergency: false,
    reason: null,
    ...change,
  };
}

/** What a promise came to: its value, or the error it failed with. */
export async function outcome<T>(promise: Promise<T>): Promise<T | unknown> {
  return promise.then(
    (value) => value,
    (error: unknown) => error,
  );
}
