/**
 * Issue 13: every channel of the journal, the access log and the statistics runs a small number of
 * statements, the same on a small journal and on one with more clients, entries, drafts and log rows.
 * The one exception is audit.verify, which walks the whole chain: one statement per CHAIN_PAGE_ROWS rows.
 * Statements are counted by the store (app.store.statements) around one router call.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { CHAIN_PAGE_ROWS } from '../../db/accessLog/queries.js';
import { loadKeyring } from '../../db/journal.js';
import { ANCHOR_WHEN_IDLE_MS } from '../../main/services/session/index.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { setUpReception, type ReceptionApp } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const BOUND = 10;

/** The current quarter of the journal's clock, in Swedish time. */
function quarterOf(at: Date): { year: number; quarter: number } {
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(at);
  return { year: Number(day.slice(0, 4)), quarter: Math.ceil(Number(day.slice(5, 7)) / 3) };
}

/** Moves the journal's clock to a few days into the next quarter, so that the current one has ended. */
function moveClockPast(t: ReceptionApp, { year, quarter }: { year: number; quarter: number }): void {
  const next = quarter === 4 ? { year: year + 1, month: 1 } : { year, month: quarter * 3 + 1 };
  const later = new Date(`${next.year}-${String(next.month).padStart(2, '0')}-05T10:00:00Z`);
  Object.defineProperty(t.app, 'now', { value: () => later, configurable: true });
}

/**
 * Every statement run on the connection, the store's and those of the synchronous functions of other
 * domains still called on it (a client's record, sites, municipalities): each execution of a prepared
 * statement counts once.
 */
const executed = { count: 0, raw: 0 };
/**
 * What runs on the connection when the desk pauses, and may fall in a call that waits (a password's
 * derivation before its transaction): the store's checkpoint and the read of the log's end before its
 * head goes to the keyring. They belong to no channel; `raw` counts them too.
 */
const ON_PAUSE = ['PRAGMA wal_checkpoint', 'SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1'];
let unpatch: (() => void) | null = null;
function countExecutions(t: ReceptionApp): void {
  if (unpatch) return;
  const prototype = Object.getPrototypeOf(t.app.db.prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;
  const originals = (['run', 'get', 'all', 'iterate'] as const).map((name) => [name, prototype[name]!] as const);
  for (const [name, original] of originals) {
    prototype[name] = function (this: { source?: string }, ...args: unknown[]) {
      executed.raw += 1;
      if (!ON_PAUSE.some((text) => this.source?.startsWith(text))) executed.count += 1;
      return original.apply(this, args);
    };
  }
  unpatch = () => {
    for (const [name, original] of originals) prototype[name] = original;
  };
}
afterAll(() => unpatch?.());

/**
 * A channel's statements: the store's, and all executed on the connection during the call. The head
 * the router anchors in the keyring once the desk pauses after a call (tested below) is left out of
 * both: it is no part of the channel.
 */
async function statementsOf(t: ReceptionApp, channel: string, input: unknown): Promise<{ store: number; all: number }> {
  Object.defineProperty(t.app, 'anchorLog', { value: () => undefined, configurable: true });
  try {
    const before = { store: t.app.store.statements, all: executed.count };
    const result = await t.call(channel, input);
    if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
    return { store: t.app.store.statements - before.store, all: executed.count - before.all };
  } finally {
    // The app's own anchorLog (on its prototype) answers again; the next call anchors the newest row.
    delete (t.app as unknown as Record<string, unknown>).anchorLog;
  }
}

/**
 * More of everything the domain's channels read: clients on both sides in the admin-therapist's care,
 * drafts and signed entries (some old enough for the retention report), other therapists' entries,
 * emergency accesses, and the log rows all of that writes.
 */
async function grow(t: ReceptionApp, me: string, round: number, clients: number): Promise<{ inCare: string[]; notInCare: string }> {
  const inCare: string[] = [];
  for (let i = 0; i < clients; i += 1) {
    const victim = await t.newClient('victim', `Fiktiva Mätdotter ${round}-${i}`, { municipalityCode: i % 2 ? '1494' : '1495' });
    await t.newClient('perpetrator', `Fiktiv Mätsson ${round}-${i}`);
    await t.ok('care.assign', { side: 'victims', clientId: victim, therapistId: me });
    await t.ok('care.assign', { side: 'victims', clientId: victim, therapistId: t.therapists.victims });
    await t.ok('journal.saveDraft', { clientId: victim, entryId: null, kind: 'note', body: `Fiktivt utkast ${i}` });
    inCare.push(victim);
  }
  const notInCare = await t.newClient('victim', `Fiktiva Nödsdotter ${round}`);
  // Entries written long ago (for the retention report) and by another therapist, straight into the table.
  const insert = t.app.db.prepare(
    `INSERT INTO journal_entries (id, client_id, author_id, kind, status, body, created_at, updated_at, signed_at)
     VALUES (?, ?, ?, 'note', 'signed', 'Fiktiv gammal anteckning', ?, ?, ?)`,
  );
  t.app.db.transaction(() => {
    for (const [index, clientId] of inCare.entries()) {
      const at = new Date(Date.UTC(2010, 0, 1 + index)).toISOString();
      insert.run(randomUUID(), clientId, t.therapists.victims, at, at, at);
    }
  })();
  await t.ok('journal.emergencyOpen', { clientId: notInCare, reason: 'Fiktivt akut behov, ordinarie behandlare borta' });
  return { inCare, notInCare };
}

async function measureAll(
  t: ReceptionApp,
  data: { inCare: string[]; notInCare: string },
  emergencyClient: string,
): Promise<Record<string, { store: number; all: number }>> {
  const client = data.inCare[0]!;
  const counts: Record<string, { store: number; all: number }> = {};
  const measure = async (name: string, channel: string, input: unknown) => {
    counts[name] = await statementsOf(t, channel, input);
  };
  await measure('journal.myClients', 'journal.myClients', {});
  await measure('journal.myDrafts', 'journal.myDrafts', { side: 'victims' });
  await measure('journal.open', 'journal.open', { clientId: client });
  await measure('journal.emergencyOpen', 'journal.emergencyOpen', { clientId: emergencyClient, reason: 'Fiktivt akut behov, ordinarie borta' });
  await measure('journal.findClient', 'journal.findClient', { query: 'Fiktiva' });
  const draft = await t.ok<{ id: string }>('journal.saveDraft', { clientId: client, entryId: null, kind: 'note', body: 'Fiktiv ny text' });
  await measure('journal.saveDraft (new)', 'journal.saveDraft', { clientId: client, entryId: null, kind: 'note', body: 'Fiktiv text' });
  await measure('journal.saveDraft (change)', 'journal.saveDraft', { clientId: client, entryId: draft.id, kind: 'note', body: 'Fiktiv ändrad' });
  const doomed = await t.ok<{ id: string }>('journal.saveDraft', { clientId: client, entryId: null, kind: 'note', body: 'Fiktiv strykning' });
  await measure('journal.deleteDraft', 'journal.deleteDraft', { entryId: doomed.id });
  await measure('journal.sign', 'journal.sign', { entryId: draft.id, password: FICTIONAL_ADMIN.password });
  await measure('journal.amend', 'journal.amend', {
    entryId: draft.id,
    reason: 'Fiktiv rättelse',
    body: 'Fiktiv rättad text',
    password: FICTIONAL_ADMIN.password,
  });
  await measure('journal.export', 'journal.export', { clientId: client });

  const filter = { userId: null, clientId: client, from: null, to: null, action: null, emergencyOnly: false, unreviewedOnly: false };
  await measure('audit.search', 'audit.search', { filter, page: 0 });
  await measure('audit.search (all)', 'audit.search', { filter: { ...filter, clientId: null }, page: 1 });
  await measure('audit.exportCsv', 'audit.exportCsv', { filter });
  await measure('audit.clientExtract', 'audit.clientExtract', { clientId: client });
  const emergencyRow = t.app.db.prepare('SELECT max(seq) AS seq FROM access_log WHERE emergency = 1').get() as { seq: number };
  await measure('audit.markReviewed', 'audit.markReviewed', { seq: emergencyRow.seq, note: 'Fiktiv granskning' });
  await measure('audit.verify', 'audit.verify', {});
  await measure('retention.report', 'retention.report', { years: 5 });

  const quarter = quarterOf(t.app.now());
  moveClockPast(t, quarter);
  await measure('stats.report (first)', 'stats.report', quarter);
  await measure('stats.report (fixed)', 'stats.report', quarter);
  await measure('stats.exportCsv', 'stats.exportCsv', quarter);
  return counts;
}

describe('statements per channel: journal, access log, statistics', () => {
  it('runs a bounded number of statements per call, the same with more data (audit.verify: one per page of the log)', async () => {
    const t = await setUpReception(tempDir());
    // The admin also takes the therapist role and the victims' tracks, so one session reaches every channel.
    const me = t.app.user!.id;
    countExecutions(t);
    t.app.db.prepare(`INSERT INTO user_roles (user_id, role) VALUES (?, 'therapist')`).run(me);
    await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
    await t.ok('org.saveTherapist', { userId: me, siteId: 'skaraborg', tracks: ['victim', 'child'], hours: [] });

    const small = await grow(t, me, 1, 2);
    const first = await measureAll(t, small, (await grow(t, me, 2, 0)).notInCare);

    const large = await grow(t, me, 3, 12);
    const second = await measureAll(t, large, (await grow(t, me, 4, 0)).notInCare);

    const logRows = (t.app.db.prepare('SELECT count(*) AS n FROM access_log').get() as { n: number }).n;
    console.log(
      Object.keys(first)
        .map((name) => `${name}: store ${first[name]!.store} → ${second[name]!.store}; all ${first[name]!.all} → ${second[name]!.all}`)
        .join('\n'),
    );
    for (const name of Object.keys(first)) {
      if (name === 'audit.verify') continue;
      expect(first[name]!.all, name).toBeLessThanOrEqual(BOUND);
      expect(second[name], name).toEqual(first[name]);
    }
    // The chain walk: one statement per page of CHAIN_PAGE_ROWS rows, and one that finds the end.
    expect(second['audit.verify']!.store).toBe(Math.floor(logRows / CHAIN_PAGE_ROWS) + 1);
  });

  it('the log head goes to the keyring once the desk pauses after calls: no statement inside a call, the head never ahead of the log', async () => {
    const dir = tempDir();
    const t = await setUpReception(dir);
    countExecutions(t);
    const filter = { userId: null, clientId: null, from: null, to: null, action: null, emergencyOnly: false, unreviewedOnly: false };
    const lastSeq = () => (t.app.db.prepare('SELECT max(seq) AS seq FROM access_log').get() as { seq: number }).seq;
    const keyringHead = () => loadKeyring(dir).logHead?.seq ?? 0;
    const pause = () => new Promise((resolve) => setTimeout(resolve, ANCHOR_WHEN_IDLE_MS * 3));
    await pause();
    const anchoredBefore = keyringHead();
    expect(anchoredBefore).toBe(lastSeq());
    for (const [channel, input] of [
      ['audit.search', { filter, page: 0 }],
      ['org.get', {}],
    ] as const) {
      // The same call counted with and without the router's anchor: the anchor runs no statement within it.
      // (After a pause, so that no earlier call's anchor is still to come.)
      await pause();
      const without = await statementsOf(t, channel, input);
      await pause();
      const before = executed.raw;
      expect((await t.call(channel, input)).ok, channel).toBe(true);
      expect(executed.raw - before, channel).toBe(without.all);
    }
    // Calls back to back: the head waits (behind the log, never ahead), and follows once the desk pauses.
    expect(lastSeq()).toBeGreaterThan(anchoredBefore);
    expect(keyringHead()).toBeLessThanOrEqual(lastSeq());
    await pause();
    expect(keyringHead()).toBe(lastSeq());
    expect(await t.ok<{ ok: boolean }>('audit.verify', {})).toMatchObject({ ok: true });
    // A lock anchors at once, whatever the pause.
    await t.ok('audit.search', { filter, page: 0 });
    const written = lastSeq();
    t.app.lock('user');
    expect(keyringHead()).toBeGreaterThanOrEqual(written);
  });
});
