/**
 * What SQLCipher costs: the same read and write workload, through the app's async repositories
 * (db/<domain>/) on a store over each connection, as the router runs calls, on two
 * fresh copies of the ten-year journal made the same way — one keyed in SQLCipher 4 mode exactly as
 * the app opens its journal, one unencrypted (the same driver without a key) — with the same
 * pragmas and the same page cache (SQLite's default, which the app keeps). The ratio is measured in
 * one run, rounds interleaved A-B-B-A so that a busy moment of the machine falls on both.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3-multiple-ciphers';
import { appendLogRow } from '../../db/accessLog.js';
import { searchLog } from '../../db/accessLog/queries.js';
import { appointmentsOfSide, bookedAround, insertAppointments } from '../../db/appointments/index.js';
import { copyJournal, setForeignKeys } from '../../db/backup.js';
import { searchClients, type Side } from '../../db/clients/index.js';
import { openEncrypted, type Db } from '../../db/connection.js';
import { createSqliteStore } from '../../db/engine/sqlite.js';
import type { Store, Tx } from '../../db/engine/store.js';
import { entriesOf, insertEntry } from '../../db/journalEntries/index.js';
import { journalPath, loadKeyring } from '../../db/journal.js';
import { unlockWithPassword } from '../../db/keyring.js';
import { DemoRandom } from '../../main/cli/seedDemo/index.js';
import { percentile, type Section } from './figures.js';

const PAIRS = 8;

/** The app's connection settings (db/connection.ts) on a file without a key. */
function openPlain(file: string): Db {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('temp_store = MEMORY');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** A fresh, compact copy of the journal, made table by table the way a backup is (so both copies are laid out alike). */
function copyOf(source: Db, file: string, key: string): void {
  rmSync(file, { force: true });
  // The journal's connection opens files without creating them (as the app's does): the copy's file is made here.
  closeSync(openSync(file, 'wx', 0o600));
  source.prepare('ATTACH DATABASE ? AS backup KEY ?').run(file, key);
  try {
    setForeignKeys(source, false);
    source.transaction(() => copyJournal(source, 'main', 'backup'))();
  } finally {
    setForeignKeys(source, true);
    source.exec('DETACH DATABASE backup');
  }
}

interface Plan {
  weeks: { side: Side; siteId: string; from: string; to: string }[];
  names: { side: Side; text: string }[];
  numbers: { side: Side; text: string; digits: string }[];
  journals: string[];
  extracts: string[];
  sites: { siteId: string; from: string; to: string }[];
  therapistId: string;
  siteId: string;
  userId: string;
}

function makePlan(db: Db): Plan {
  const rng = new DemoRandom(2026);
  const starts = (db.prepare(`SELECT starts_at AS at FROM appointments ORDER BY starts_at`).all() as { at: string }[]).map((row) => row.at);
  const sites = (db.prepare('SELECT DISTINCT site_id AS id FROM appointments ORDER BY id').all() as { id: string }[]).map((row) => row.id);
  const clients = db.prepare(`SELECT id, name, track, personal_number AS pn FROM clients WHERE is_alias = 0 ORDER BY created_at`).all() as {
    id: string;
    name: string;
    track: string;
    pn: string | null;
  }[];
  const sideOf = (track: string): Side => (track === 'perpetrator' ? 'perpetrators' : 'victims');
  const week = 7 * 86_400_000;
  const withEntries = (db.prepare('SELECT DISTINCT client_id AS id FROM journal_entries ORDER BY id').all() as { id: string }[]).map((row) => row.id);
  const therapist = db.prepare('SELECT user_id AS id, site_id AS siteId FROM therapist_profiles ORDER BY user_id LIMIT 1').get() as {
    id: string;
    siteId: string;
  };
  const user = db.prepare(`SELECT user_id AS id FROM user_roles WHERE role = 'receptionist' ORDER BY user_id LIMIT 1`).get() as { id: string };
  const numbered = clients.filter((client) => client.pn);
  return {
    weeks: Array.from({ length: 100 }, () => {
      const from = new Date(Date.parse(rng.pick(starts))).toISOString();
      return {
        side: rng.chance(0.7) ? 'victims' : 'perpetrators',
        siteId: rng.pick(sites),
        from,
        to: new Date(Date.parse(from) + week).toISOString(),
      };
    }),
    names: Array.from({ length: 100 }, () => {
      const client = rng.pick(clients);
      return { side: sideOf(client.track), text: rng.pick(client.name.split(' ')).slice(0, rng.int(3, 5)).toLowerCase() };
    }),
    numbers: Array.from({ length: 60 }, () => {
      const client = rng.pick(numbered);
      return { side: sideOf(client.track), text: client.pn!, digits: client.pn!.replace('-', '') };
    }),
    journals: Array.from({ length: 100 }, () => rng.pick(withEntries)),
    extracts: Array.from({ length: 30 }, () => rng.pick(clients).id),
    sites: Array.from({ length: 60 }, () => {
      const from = rng.pick(starts);
      return { siteId: rng.pick(sites), from, to: new Date(Date.parse(from) + 6 * 3_600_000).toISOString() };
    }),
    therapistId: therapist.id,
    siteId: therapist.siteId,
    userId: user.id,
  };
}

/**
 * One round of the workload, shaped as the router runs calls: each read of client data in its own
 * transaction with its access-log row (so every read also commits a write), then bookings and
 * journal drafts, each with its row.
 */
async function workload(store: Store, plan: Plan): Promise<{ readMs: number; writeMs: number }> {
  let seq = 0;
  const logged = (action: string, clientId: string | null, read: (tx: Tx) => Promise<unknown>) =>
    store.transaction(async (tx) => {
      await read(tx);
      await appendLogRow(tx, {
        at: new Date(Date.UTC(2031, 0, 1) + (seq += 1) * 1000).toISOString(),
        userId: plan.userId,
        clientId,
        record: 'bench',
        action,
        channel: action,
        emergency: false,
        reason: null,
      });
    });
  // Searched as the reception desk: a protected client's phone is not matched.
  const RECEPTION = { seesAllProtected: false, therapistId: '' };
  const readStarted = performance.now();
  for (const week of plan.weeks) await logged('schedule.range', null, (tx) => appointmentsOfSide(tx, { ...week, therapistId: null, roomId: null }));
  for (const name of plan.names)
    await logged('clients.search', null, (tx) => searchClients(tx, name.side, { text: name.text, digits: null }, RECEPTION));
  for (const number of plan.numbers)
    await logged('clients.search', null, (tx) => searchClients(tx, number.side, { text: number.text, digits: number.digits }, RECEPTION));
  for (const clientId of plan.journals) await logged('journal.open', clientId, (tx) => entriesOf(tx, clientId));
  const noFilter = { userId: null, from: null, to: null, action: null, emergencyOnly: false, unreviewedOnly: false };
  for (const clientId of plan.extracts) await logged('audit.search', clientId, (tx) => searchLog(tx, { ...noFilter, clientId }, 50, 0));
  // What a slot search reads of a site: every live appointment there around the window.
  for (const site of plan.sites)
    await logged('slots.find', null, (tx) =>
      bookedAround(tx, { siteId: site.siteId, therapistIds: [], clientIds: [], windows: [{ from: site.from, to: site.to }] }),
    );
  const readMs = performance.now() - readStarted;

  const writeStarted = performance.now();
  const at = new Date('2031-01-06T08:00:00.000Z').getTime();
  for (let i = 0; i < 60; i += 1) {
    // Each in its own transaction with its access-log row, as the router commits a call.
    await store.transaction(async (tx) => {
      const id = randomUUID();
      const startsAt = new Date(at + i * 3_600_000).toISOString();
      await insertAppointments(tx, [
        {
          id,
          siteId: plan.siteId,
          side: 'victims',
          kind: 'consultation',
          status: 'booked',
          startsAt,
          endsAt: new Date(at + i * 3_600_000 + 1_800_000).toISOString(),
          therapistId: plan.therapistId,
          roomId: null,
          clientId: null,
          groupId: null,
          note: null,
          cancelReason: null,
          createdAt: startsAt,
          createdBy: plan.userId,
        },
      ]);
      await appendLogRow(tx, {
        at: startsAt,
        userId: plan.userId,
        clientId: null,
        record: `appointment:${id}`,
        action: 'appointments.book',
        channel: 'appointments.book',
        emergency: false,
        reason: null,
      });
    });
    await store.transaction(async (tx) => {
      const id = randomUUID();
      const clientId = plan.journals[i % plan.journals.length]!;
      const createdAt = new Date(at + i * 3_600_000 + 60_000).toISOString();
      await insertEntry(tx, {
        id,
        clientId,
        authorId: plan.therapistId,
        kind: 'note',
        status: 'draft',
        body: 'Benchmark: an entry of ordinary length, written and saved as a draft. '.repeat(6),
        createdAt,
        signedAt: null,
        amendsId: null,
        amendmentReason: null,
      });
      await appendLogRow(tx, {
        at: createdAt,
        userId: plan.therapistId,
        clientId,
        record: `entry:${id}`,
        action: 'journal.saveDraft',
        channel: 'journal.saveDraft',
        emergency: false,
        reason: null,
      });
    });
  }
  return { readMs, writeMs: performance.now() - writeStarted };
}

export async function measureEncryption(source: { dataDir: string; username: string; password: string }, workDir: string): Promise<Section> {
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  const opened = await unlockWithPassword(loadKeyring(source.dataDir), source.username, source.password);
  if (!opened) throw new Error('The bench password does not open the journal');
  const key = opened.key;
  const encryptedFile = path.join(workDir, 'encrypted.db');
  const plainFile = path.join(workDir, 'plain.db');
  const journal = openEncrypted(journalPath(source.dataDir), key, { create: false });
  let plan: Plan;
  try {
    copyOf(journal, encryptedFile, `x'${key.toString('hex')}'`);
    // An empty key attaches a file without encryption.
    copyOf(journal, plainFile, '');
    plan = makePlan(journal);
  } finally {
    journal.close();
  }
  const encrypted = openEncrypted(encryptedFile, key, { create: false });
  const plain = openPlain(plainFile);
  // The same page cache as the app's connection has, whatever db/connection.ts sets.
  const cache = encrypted.pragma('cache_size', { simple: true }) as number;
  plain.pragma(`cache_size = ${Number(cache)}`);
  key.fill(0);
  // Each connection behind a store of its own, as the app's journal is: the stores close them.
  const stores = { encrypted: createSqliteStore(encrypted), plain: createSqliteStore(plain) };
  const pairs: { encrypted: { readMs: number; writeMs: number }; plain: { readMs: number; writeMs: number } }[] = [];
  try {
    // One untimed round each: statements compiled, the files in the operating system's cache.
    await workload(stores.encrypted, plan);
    await workload(stores.plain, plan);
    // Rounds in pairs, the order alternating; the median pair's ratio stands, so a busy moment of the machine moves it little.
    for (let pair = 0; pair < PAIRS; pair += 1) {
      const first = pair % 2 === 0 ? 'encrypted' : 'plain';
      const a = await workload(stores[first], plan);
      const b = await workload(stores[first === 'encrypted' ? 'plain' : 'encrypted'], plan);
      pairs.push(first === 'encrypted' ? { encrypted: a, plain: b } : { encrypted: b, plain: a });
    }
  } finally {
    await stores.encrypted.close();
    await stores.plain.close();
    for (const file of [encryptedFile, plainFile]) for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
  const median = (values: number[]) => percentile(values, 50);
  const read = median(pairs.map((pair) => pair.encrypted.readMs / pair.plain.readMs));
  const write = median(pairs.map((pair) => pair.encrypted.writeMs / pair.plain.writeMs));
  const all = median(pairs.map((pair) => (pair.encrypted.readMs + pair.encrypted.writeMs) / (pair.plain.readMs + pair.plain.writeMs)));
  const cacheKiB = Math.abs(Number(cache)) * (Number(cache) < 0 ? 1 : 4);
  return {
    title: `Encryption overhead (SQLCipher 4 ÷ unencrypted, same workload, same run; page cache ${(cacheKiB / 1024).toFixed(0)} MiB)`,
    figures: [
      {
        key: 'encryption.readRatio',
        label: 'Reads, each committed with its access-log row',
        value: read,
        unit: '×',
        note: `${median(pairs.map((pair) => pair.plain.readMs)).toFixed(0)} ms a round unencrypted`,
      },
      {
        key: 'encryption.writeRatio',
        label: 'Writes: 120 bookings and drafts with their log rows',
        value: write,
        unit: '×',
        note: `${median(pairs.map((pair) => pair.plain.writeMs)).toFixed(0)} ms a round unencrypted`,
      },
      { key: 'encryption.ratio', label: 'Reads and writes together', value: all, unit: '×', goal: 1.3 },
    ],
  };
}
