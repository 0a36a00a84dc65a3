import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppointmentKind, AppointmentStatus } from '../../../db/engine/schema.js';
import type { Store, Tx } from '../../../db/engine/store.js';
import { actingAs, type ActingStore } from './engines.js';
import {
  activeClients,
  appointmentsBy,
  daysToFirstAppointment,
  fixedQuarter,
  fixQuarter,
  intakesByReferralAndRouting,
} from '../../../db/statistics/index.js';
import { useTempDirs } from '../../helpers/tempDir.js';
import { addClient, addUser, AT, postgresJournals, SITE, sqliteJournal, unique, type OpenStore } from './journalSeed.js';

const tempDir = useTempDirs();
/** The first quarter of 2026 in UTC instants (the service turns Swedish dates into these). */
const SCOPE = { from: '2026-01-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' };

async function book(
  tx: Tx,
  by: string,
  booking: { clientId?: string; groupId?: string; startsAt: string; kind?: AppointmentKind; status?: AppointmentStatus },
): Promise<void> {
  const ends = new Date(Date.parse(booking.startsAt) + 3_600_000).toISOString();
  await tx
    .insertInto('appointments')
    .values({
      id: unique('appt'),
      site_id: SITE,
      side: 'victims',
      kind: booking.kind ?? 'individual',
      status: booking.status ?? 'done',
      starts_at: booking.startsAt,
      ends_at: ends,
      therapist_id: by,
      client_id: booking.clientId ?? null,
      group_id: booking.groupId ?? null,
      created_at: AT,
      created_by: by,
      updated_at: AT,
    })
    .execute();
}

async function intake(
  tx: Tx,
  by: string,
  clientId: string,
  receivedAt: string,
  referralSource: string,
  routing: 'etapp2_social_secretary' | 'utvag_coordinator' | 'not_applicable',
) {
  await tx
    .insertInto('intakes')
    .values({
      id: unique('intake'),
      client_id: clientId,
      received_at: receivedAt,
      received_by: by,
      contact_by: 'self',
      referral_source: referralSource,
      urgency: 'normal',
      outcome: 'booked',
      routing,
      routing_reason: 'fiktivt skäl',
    })
    .execute();
}

function contract(open: OpenStore): void {
  let stats: ActingStore;
  let seed: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    let store: Store;
    ({ store, seed, close } = await open());
    // Statistics are the admins' (statistics.* channels).
    const admin = await seed.transaction((tx) => addUser(tx, { roles: ['admin'] }));
    stats = actingAs(store, { userId: admin, role: 'admin' });
  });
  afterEach(async () => close());

  it('counts the clients seen in the period by track, new or continuing, and municipality, in one grouping', async () => {
    await seed.transaction(async (tx) => {
      const vera = await addUser(tx, { roles: ['therapist'], tracks: ['victim'] });
      // New: first contact in the period (twice in Lidköping, once without a municipality).
      await addClient(tx, vera, 'victim', { firstContactAt: '2026-01-10T09:00:00.000Z', municipalityCode: '1494' });
      await addClient(tx, vera, 'victim', { firstContactAt: '2026-03-31T21:59:00.000Z', municipalityCode: '1494' });
      await addClient(tx, vera, 'perpetrator', { firstContactAt: '2026-02-01T09:00:00.000Z' });
      // Continuing: first contact before, an appointment in the period that took place; one without a recorded first contact.
      const before = await addClient(tx, vera, 'victim', { firstContactAt: '2025-11-01T09:00:00.000Z', municipalityCode: '1494' });
      await book(tx, vera, { clientId: before, startsAt: '2026-02-02T09:00:00.000Z', status: 'arrived' });
      await book(tx, vera, { clientId: before, startsAt: '2026-02-09T09:00:00.000Z' });
      const unrecorded = await addClient(tx, vera, 'child', { firstContactAt: null });
      await book(tx, vera, { clientId: unrecorded, startsAt: '2026-02-02T11:00:00.000Z' });
      // Not seen: a booking not kept, one outside the period, a first contact after it.
      const notSeen = await addClient(tx, vera, 'victim', { firstContactAt: '2025-10-01T09:00:00.000Z' });
      await book(tx, vera, { clientId: notSeen, startsAt: '2026-02-03T09:00:00.000Z', status: 'no_show' });
      await book(tx, vera, { clientId: notSeen, startsAt: '2026-04-01T09:00:00.000Z' });
      await addClient(tx, vera, 'victim', { firstContactAt: '2026-04-01T00:00:00.000Z' });
      // A group session counts the members whose membership covers it.
      const groupId = unique('group');
      await tx
        .insertInto('groups')
        .values({ id: groupId, site_id: SITE, track: 'perpetrator', name: 'Fiktiv grupp', therapist_id: vera, created_at: AT })
        .execute();
      const member = await addClient(tx, vera, 'perpetrator', { firstContactAt: '2025-09-01T09:00:00.000Z', municipalityCode: '1495' });
      const leftBefore = await addClient(tx, vera, 'perpetrator', { firstContactAt: '2025-09-01T09:00:00.000Z' });
      await tx
        .insertInto('group_members')
        .values([
          { group_id: groupId, client_id: member, joined_at: '2025-12-01T00:00:00.000Z', left_at: null },
          { group_id: groupId, client_id: leftBefore, joined_at: '2025-12-01T00:00:00.000Z', left_at: '2026-03-01T00:00:00.000Z' },
        ])
        .execute();
      await book(tx, vera, { groupId, startsAt: '2026-03-10T17:00:00.000Z', kind: 'group', status: 'in_session' });
    });
    await stats.transaction(async (tx) => {
      expect(await activeClients(tx, SCOPE)).toEqual([
        { track: 'child', isNew: 0, municipality: 'other', n: 1 },
        { track: 'perpetrator', isNew: 0, municipality: '1495', n: 1 },
        { track: 'perpetrator', isNew: 1, municipality: 'other', n: 1 },
        { track: 'victim', isNew: 0, municipality: '1494', n: 1 },
        { track: 'victim', isNew: 1, municipality: '1494', n: 2 },
      ]);
    });
  });

  it('counts first contacts by referral source and routing, and appointments by kind and status', async () => {
    const [vera, a, b] = await seed.transaction(async (tx) => {
      const vera = await addUser(tx, { roles: ['therapist'], tracks: ['victim'] });
      const a = await addClient(tx, vera, 'victim');
      const b = await addClient(tx, vera, 'victim');
      await intake(tx, vera, a, '2026-01-05T09:00:00.000Z', 'police', 'etapp2_social_secretary');
      await intake(tx, vera, b, '2026-01-06T09:00:00.000Z', 'police', 'etapp2_social_secretary');
      await intake(tx, vera, b, '2026-02-06T09:00:00.000Z', 'self', 'not_applicable');
      await intake(tx, vera, a, '2026-04-06T09:00:00.000Z', 'self', 'not_applicable');
      return [vera, a, b];
    });
    expect(await stats.transaction((tx) => intakesByReferralAndRouting(tx, SCOPE))).toEqual([
      { referralSource: 'police', routing: 'etapp2_social_secretary', n: 2 },
      { referralSource: 'self', routing: 'not_applicable', n: 1 },
    ]);
    await seed.transaction(async (tx) => {
      await book(tx, vera, { clientId: a, startsAt: '2026-01-10T09:00:00.000Z', kind: 'first_visit', status: 'done' });
      await book(tx, vera, { clientId: a, startsAt: '2026-01-17T09:00:00.000Z', status: 'done' });
      await book(tx, vera, { clientId: b, startsAt: '2026-01-17T10:00:00.000Z', status: 'done' });
      await book(tx, vera, { clientId: b, startsAt: '2026-01-24T10:00:00.000Z', status: 'no_show' });
      await book(tx, vera, { clientId: b, startsAt: '2025-12-24T10:00:00.000Z', status: 'no_show' });
    });
    await stats.transaction(async (tx) => {
      expect(await appointmentsBy(tx, SCOPE)).toEqual([
        { kind: 'first_visit', status: 'done', n: 1 },
        { kind: 'individual', status: 'done', n: 2 },
        { kind: 'individual', status: 'no_show', n: 1 },
      ]);
    });
  });

  it('measures the days from first contact to the first appointment in person, for first contacts in the period', async () => {
    await seed.transaction(async (tx) => {
      const vera = await addUser(tx, { roles: ['therapist'], tracks: ['victim'] });
      const quick = await addClient(tx, vera, 'victim', { firstContactAt: '2026-01-05T09:00:00.000Z' });
      await book(tx, vera, { clientId: quick, startsAt: '2026-01-05T09:00:00.000Z', kind: 'first_call' });
      await book(tx, vera, { clientId: quick, startsAt: '2026-01-07T21:00:00.000Z', kind: 'first_visit', status: 'booked' });
      await book(tx, vera, { clientId: quick, startsAt: '2026-01-20T09:00:00.000Z' });
      const cancelledFirst = await addClient(tx, vera, 'victim', { firstContactAt: '2026-02-01T09:00:00.000Z' });
      await book(tx, vera, { clientId: cancelledFirst, startsAt: '2026-02-02T09:00:00.000Z', status: 'cancelled' });
      await book(tx, vera, { clientId: cancelledFirst, startsAt: '2026-02-11T09:00:00.000Z' });
      // No appointment yet; a first contact before the period: neither counts.
      await addClient(tx, vera, 'victim', { firstContactAt: '2026-02-01T09:00:00.000Z' });
      const earlier = await addClient(tx, vera, 'victim', { firstContactAt: '2025-12-01T09:00:00.000Z' });
      await book(tx, vera, { clientId: earlier, startsAt: '2026-01-03T09:00:00.000Z' });
    });
    expect((await stats.transaction((tx) => daysToFirstAppointment(tx, SCOPE))).sort((x, y) => x - y)).toEqual([2.5, 10]);
  });

  it('fixes a quarter once: the first report stays', async () => {
    await stats.transaction(async (tx) => {
      expect(await fixedQuarter(tx, 2026, 1)).toBeUndefined();
      await fixQuarter(tx, 2026, 1, '{"first":true}', AT);
      await fixQuarter(tx, 2026, 1, '{"second":true}', '2026-05-01T08:00:00.000Z');
      expect(await fixedQuarter(tx, 2026, 1)).toEqual({ report: '{"first":true}', fixedAt: AT });
      expect(await fixedQuarter(tx, 2026, 2)).toBeUndefined();
    });
  });
}

describe('statistics repository on the encrypted SQLite journal', () => {
  contract(sqliteJournal(tempDir));
});

describe('statistics repository on PostgreSQL, as an admin', () => {
  contract(postgresJournals('utvag_repo_statistics'));
});
