import { describe, expect, it } from 'vitest';
import type { Tx } from '../../db/engine/store.js';
import { addClient, AT, PEOPLE, SITE, sideOf, unique, useServerJournal } from '../helpers/serverJournal.js';
import type { Track } from '../../db/engine/schema.js';

/**
 * A group's end and its attendance on the server's second line (006): written as the tables are by
 * the groups' repository, in each role's transaction, straight at the tables as a router bug would.
 */
const journal = useServerJournal('utvag_groups_test');

async function groupWithSession(tx: Tx, track: Track, member: string): Promise<{ groupId: string; sessionId: string }> {
  const groupId = unique('group');
  const sessionId = unique('session');
  await tx
    .insertInto('groups')
    .values({ id: groupId, site_id: SITE, track, name: 'Fiktiva gruppen', therapist_id: PEOPLE.therapist.userId, room_id: null, created_at: AT })
    .execute();
  await tx.insertInto('group_members').values({ group_id: groupId, client_id: member, joined_at: AT }).execute();
  await tx
    .insertInto('appointments')
    .values({
      id: sessionId,
      site_id: SITE,
      side: sideOf(track),
      kind: 'group',
      starts_at: '2026-09-01T15:00:00.000Z',
      ends_at: '2026-09-01T16:30:00.000Z',
      therapist_id: PEOPLE.therapist.userId,
      group_id: groupId,
      created_at: AT,
      created_by: PEOPLE.desk.userId,
      updated_at: AT,
    })
    .execute();
  return { groupId, sessionId };
}

const mark = (sessionId: string, clientId: string, status: 'present' | 'absent' | 'cancelled', by: string) => (tx: Tx) =>
  tx
    .insertInto('group_attendance')
    .values({ appointment_id: sessionId, client_id: clientId, status, recorded_at: new Date().toISOString(), recorded_by: by })
    .onConflict((conflict) =>
      conflict.columns(['appointment_id', 'client_id']).doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        recorded_at: eb.ref('excluded.recorded_at'),
        recorded_by: eb.ref('excluded.recorded_by'),
      })),
    )
    .execute();

describe('groups on the server', () => {
  it('reception ends a group and records attendance; the group’s therapist records it too, each only in her own name', async () => {
    const { store } = journal();
    const { victim, groupId, sessionId } = await store.transaction(
      async (tx) => {
        const victim = await addClient(tx, 'victim');
        return { victim, ...(await groupWithSession(tx, 'victim', victim)) };
      },
      { actor: PEOPLE.desk },
    );
    await store.transaction(mark(sessionId, victim, 'cancelled', PEOPLE.desk.userId), { actor: PEOPLE.desk, side: 'victims' });
    await store.transaction(mark(sessionId, victim, 'present', PEOPLE.therapist.userId), { actor: PEOPLE.therapist });
    const rows = await store.transaction((tx) => tx.selectFrom('group_attendance').selectAll().where('appointment_id', '=', sessionId).execute(), {
      actor: PEOPLE.admin,
      readOnly: true,
    });
    expect(rows.map((row) => [row.client_id, row.status, row.recorded_by])).toEqual([[victim, 'present', PEOPLE.therapist.userId]]);
    // In someone else's name: refused, for an insert and for a correction alike.
    await expect(store.transaction(mark(sessionId, victim, 'absent', PEOPLE.therapist.userId), { actor: PEOPLE.desk })).rejects.toThrow(
      /row-level security/,
    );
    // Nobody deletes attendance, nor changes a group but for its end.
    await expect(
      store.transaction((tx) => tx.deleteFrom('group_attendance').where('appointment_id', '=', sessionId).execute(), { actor: PEOPLE.desk }),
    ).rejects.toThrow(/permission denied/);
    await expect(
      store.transaction((tx) => tx.updateTable('groups').set({ name: 'Omdöpt' }).where('id', '=', groupId).execute(), { actor: PEOPLE.desk }),
    ).rejects.toThrow(/permission denied/);
    await store.transaction((tx) => tx.updateTable('groups').set({ ended_at: '2026-09-02T08:00:00.000Z' }).where('id', '=', groupId).execute(), {
      actor: PEOPLE.desk,
    });
    await expect(
      store.transaction((tx) => tx.updateTable('groups').set({ ended_at: null }).where('id', '=', groupId).execute(), { actor: PEOPLE.therapist }),
    ).rejects.toThrow(/permission denied/);
  });

  it('shows a side’s transaction only its own groups’ attendance, and refuses writing the other side’s', async () => {
    const { store } = journal();
    const ids = await store.transaction(
      async (tx) => {
        const victim = await addClient(tx, 'victim');
        const perpetrator = await addClient(tx, 'perpetrator');
        const victims = await groupWithSession(tx, 'victim', victim);
        const perpetrators = await groupWithSession(tx, 'perpetrator', perpetrator);
        await mark(victims.sessionId, victim, 'cancelled', PEOPLE.desk.userId)(tx);
        await mark(perpetrators.sessionId, perpetrator, 'cancelled', PEOPLE.desk.userId)(tx);
        return { victim, perpetrator, victims, perpetrators };
      },
      { actor: PEOPLE.desk },
    );
    const seen = (side: 'victims' | 'perpetrators') =>
      store.transaction(
        async (tx) =>
          (await tx.selectFrom('group_attendance').select('client_id').where('client_id', 'in', [ids.victim, ids.perpetrator]).execute()).map(
            (row) => row.client_id,
          ),
        { actor: PEOPLE.desk, side, readOnly: true },
      );
    expect(await seen('perpetrators')).toEqual([ids.perpetrator]);
    expect(await seen('victims')).toEqual([ids.victim]);
    await expect(
      store.transaction(mark(ids.victims.sessionId, ids.victim, 'absent', PEOPLE.desk.userId), { actor: PEOPLE.desk, side: 'perpetrators' }),
    ).rejects.toThrow(/row-level security/);
  });
});

describe('Etapp 2 follow-up on the server', () => {
  it('is kept by reception in its own name, read by admins, out of a therapist’s reach, on one side per transaction', async () => {
    const { store } = journal();
    const intakeId = unique('intake');
    await store.transaction(
      async (tx) => {
        const victim = await addClient(tx, 'victim');
        await tx
          .insertInto('intakes')
          .values({
            id: intakeId,
            client_id: victim,
            received_at: AT,
            received_by: PEOPLE.desk.userId,
            contact_by: 'outreach',
            referral_source: 'police',
            urgency: 'normal',
            outcome: 'waiting_list',
            routing: 'etapp2_social_secretary',
            routing_reason: 'routing.reason.etapp2',
          })
          .execute();
      },
      { actor: PEOPLE.desk },
    );
    const follow = (by: string, status: 'contacted' | 'joined') => (tx: Tx) =>
      tx
        .insertInto('etapp2_follow_ups')
        .values({ intake_id: intakeId, status, updated_at: new Date().toISOString(), updated_by: by })
        .onConflict((conflict) =>
          conflict.column('intake_id').doUpdateSet((eb) => ({ status: eb.ref('excluded.status'), updated_by: eb.ref('excluded.updated_by') })),
        )
        .execute();
    await store.transaction(follow(PEOPLE.desk.userId, 'contacted'), { actor: PEOPLE.desk, side: 'victims' });
    await expect(store.transaction(follow(PEOPLE.otherDesk.userId, 'joined'), { actor: PEOPLE.desk })).rejects.toThrow(/row-level security/);
    await expect(store.transaction(follow(PEOPLE.desk.userId, 'joined'), { actor: PEOPLE.desk, side: 'perpetrators' })).rejects.toThrow(
      /row-level security/,
    );
    await expect(
      store.transaction((tx) => tx.selectFrom('etapp2_follow_ups').selectAll().execute(), { actor: PEOPLE.therapist, readOnly: true }),
    ).rejects.toThrow(/permission denied/);
    const read = await store.transaction(
      (tx) => tx.selectFrom('etapp2_follow_ups').select(['status', 'updated_by']).where('intake_id', '=', intakeId).execute(),
      { actor: PEOPLE.admin, readOnly: true },
    );
    expect(read).toEqual([{ status: 'contacted', updated_by: PEOPLE.desk.userId }]);
  });
});
