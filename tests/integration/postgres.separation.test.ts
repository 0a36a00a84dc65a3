import { describe, expect, it } from 'vitest';
import type { Track } from '../../db/engine/schema.js';
import { SeparationConflictError, type Actor, type Tx } from '../../db/engine/store.js';
import { DomainError } from '../../main/services/errors.js';
import { addMember } from '../../main/services/groups.js';
import { bookAppointment } from '../../main/services/scheduling.js';
import {
  addClient,
  AT,
  book,
  link,
  OTHER_SITE,
  outcome,
  PEOPLE,
  plusMinutes,
  SITE,
  sideOf,
  unique,
  useServerJournal,
} from '../helpers/serverJournal.js';

/**
 * The separation rule's constraint beyond single bookings: group sessions and their members,
 * a client's change of track and a change of the buffer, with desks writing at once.
 */
const journal = useServerJournal('utvag_separation_test');
const { desk, otherDesk } = PEOPLE;

async function pair(): Promise<{ victim: string; perpetrator: string }> {
  return journal().store.transaction(
    async (tx) => {
      const victim = await addClient(tx, 'victim');
      const perpetrator = await addClient(tx, 'perpetrator');
      await link(tx, victim, perpetrator);
      return { victim, perpetrator };
    },
    { actor: desk },
  );
}

async function createGroup(tx: Tx, track: Track): Promise<string> {
  const id = unique('group');
  await tx
    .insertInto('groups')
    .values({ id, site_id: SITE, track, name: `Fiktiv grupp ${id.slice(-4)}`, therapist_id: PEOPLE.therapist.userId, created_at: AT })
    .execute();
  return id;
}

async function session(tx: Tx, groupId: string, track: Track, startsAt: string, by: Actor = desk): Promise<string> {
  const id = unique('session');
  await tx
    .insertInto('appointments')
    .values({
      id,
      site_id: SITE,
      side: sideOf(track),
      kind: 'group',
      starts_at: startsAt,
      ends_at: plusMinutes(startsAt, 90),
      therapist_id: PEOPLE.therapist.userId,
      group_id: groupId,
      created_at: AT,
      created_by: by.userId,
      updated_at: AT,
    })
    .execute();
  return id;
}

async function join(tx: Tx, groupId: string, clientId: string, joinedAt = AT): Promise<void> {
  await tx.insertInto('group_members').values({ group_id: groupId, client_id: clientId, joined_at: joinedAt }).execute();
}

const as = <T>(actor: Actor, work: (tx: Tx) => Promise<T>) => journal().store.transaction(work, { actor });

/**
 * Another desk writes with `hold` and keeps its transaction open while this desk's `then` runs (its
 * check reads the schedule without what was held); once `then` waits for that lock, the other desk
 * commits. Returns how `then` ended.
 */
async function whileAnotherDeskHolds(hold: (tx: Tx) => Promise<unknown>, then: (tx: Tx) => Promise<unknown>): Promise<unknown> {
  const { store, admin } = journal();
  let held!: () => void;
  const isHeld = new Promise<void>((resolve) => (held = resolve));
  let commit!: () => void;
  const mayCommit = new Promise<void>((resolve) => (commit = resolve));
  const first = store.transaction(
    async (tx) => {
      await hold(tx);
      held();
      await mayCommit;
    },
    { actor: otherDesk },
  );
  await isHeld;
  const second = outcome(store.transaction(then, { actor: desk }));
  try {
    for (let waited = 0; ; waited += 1) {
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (rows[0]!.n === 1) break;
      if (waited > 500) throw new Error(`this desk never waited for the other: ${String(await Promise.race([second, 'still running']))}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    commit();
  }
  await first;
  return second;
}

describe('the separation rule for groups on PostgreSQL', () => {
  it('refuses a group session near a member’s linked person, in either order', async () => {
    const { victim, perpetrator } = await pair();
    const group = await as(desk, async (tx) => {
      const id = await createGroup(tx, 'perpetrator');
      await join(tx, id, perpetrator);
      return id;
    });
    // The victim 08:00–09:00; a session at 09:30 starts 30 minutes after.
    await as(desk, (tx) => book(tx, { clientId: victim, track: 'victim', startsAt: '2026-10-05T08:00:00.000Z' }));
    await expect(as(desk, (tx) => session(tx, group, 'perpetrator', '2026-10-05T09:30:00.000Z'))).rejects.toBeInstanceOf(SeparationConflictError);
    // Exactly the buffer after her end: allowed.
    await as(desk, (tx) => session(tx, group, 'perpetrator', '2026-10-05T11:00:00.000Z'));
    // And the victim cannot be booked next to his session.
    await expect(as(desk, (tx) => book(tx, { clientId: victim, track: 'victim', startsAt: '2026-10-05T13:00:00.000Z' }))).rejects.toBeInstanceOf(
      SeparationConflictError,
    );
    // A member of the same group who is no linked person of hers is no reason to refuse.
    const stranger = await as(desk, (tx) => addClient(tx, 'perpetrator'));
    await as(desk, (tx) => join(tx, group, stranger));
  });

  it('refuses a join that puts a member near a linked person, and frees the time once he leaves', async () => {
    const { victim, perpetrator } = await pair();
    const group = await as(desk, async (tx) => {
      const id = await createGroup(tx, 'perpetrator');
      await session(tx, id, 'perpetrator', '2026-10-06T08:00:00.000Z');
      await session(tx, id, 'perpetrator', '2026-10-13T08:00:00.000Z');
      return id;
    });
    await as(desk, (tx) => book(tx, { clientId: victim, track: 'victim', startsAt: '2026-10-06T10:00:00.000Z' }));
    await expect(as(desk, (tx) => join(tx, group, perpetrator))).rejects.toBeInstanceOf(SeparationConflictError);
    // Joining after the clashing session: only the later one is his.
    await as(desk, (tx) => join(tx, group, perpetrator, '2026-10-07T00:00:00.000Z'));
    await expect(as(desk, (tx) => book(tx, { clientId: victim, track: 'victim', startsAt: '2026-10-13T10:00:00.000Z' }))).rejects.toBeInstanceOf(
      SeparationConflictError,
    );
    // He leaves before it: the time is hers again.
    await as(desk, (tx) =>
      tx
        .updateTable('group_members')
        .set({ left_at: '2026-10-10T00:00:00.000Z' })
        .where('group_id', '=', group)
        .where('client_id', '=', perpetrator)
        .execute(),
    );
    await as(desk, (tx) => book(tx, { clientId: victim, track: 'victim', startsAt: '2026-10-13T10:00:00.000Z' }));
  });

  it('covers a member’s sessions when a link is made later, and frees the time when a session is cancelled or moved away', async () => {
    const ids = await as(desk, async (tx) => ({ victim: await addClient(tx, 'victim'), perpetrator: await addClient(tx, 'perpetrator') }));
    const group = await as(desk, async (tx) => {
      const id = await createGroup(tx, 'perpetrator');
      await join(tx, id, ids.perpetrator);
      await session(tx, id, 'perpetrator', '2026-10-20T08:00:00.000Z');
      return id;
    });
    // Not yet linked: nothing to keep apart. Then the link is recorded, clash or not.
    await as(desk, (tx) => book(tx, { clientId: ids.victim, track: 'victim', startsAt: '2026-10-20T10:00:00.000Z' }));
    await as(desk, (tx) => link(tx, ids.victim, ids.perpetrator));
    await as(desk, (tx) => book(tx, { clientId: ids.victim, track: 'victim', startsAt: '2026-10-27T08:00:00.000Z' }));
    const later = await as(desk, (tx) => session(tx, group, 'perpetrator', '2026-11-03T08:00:00.000Z'));
    await expect(as(desk, (tx) => book(tx, { clientId: ids.victim, track: 'victim', startsAt: '2026-11-03T10:00:00.000Z' }))).rejects.toBeInstanceOf(
      SeparationConflictError,
    );
    // Moving the session next to her appointment of 27 October is refused; cancelling it frees its time.
    await expect(
      as(desk, (tx) =>
        tx
          .updateTable('appointments')
          .set({ starts_at: '2026-10-27T10:00:00.000Z', ends_at: '2026-10-27T11:30:00.000Z' })
          .where('id', '=', later)
          .execute(),
      ),
    ).rejects.toBeInstanceOf(SeparationConflictError);
    await as(desk, (tx) => tx.updateTable('appointments').set({ status: 'cancelled' }).where('id', '=', later).execute());
    await as(desk, (tx) => book(tx, { clientId: ids.victim, track: 'victim', startsAt: '2026-11-03T10:00:00.000Z' }));
  });

  it('never lets both through when one desk books her and another adds him to a session at the same time', async () => {
    for (let round = 0; round < 5; round += 1) {
      const { victim, perpetrator } = await pair();
      const startsAt = `2026-11-0${round + 1}T08:00:00.000Z`;
      const group = await as(desk, async (tx) => {
        const id = await createGroup(tx, 'perpetrator');
        await session(tx, id, 'perpetrator', startsAt);
        return id;
      });
      const results = await Promise.allSettled([
        as(desk, (tx) => book(tx, { clientId: victim, track: 'victim', startsAt })),
        as(otherDesk, (tx) => join(tx, group, perpetrator)),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((result) => result.status === 'rejected')?.reason).toBeInstanceOf(SeparationConflictError);
    }
  });

  it('never lets both through when one desk books her and another books his group’s session at the same time', async () => {
    for (let round = 0; round < 5; round += 1) {
      const { victim, perpetrator } = await pair();
      const startsAt = `2026-11-1${round + 1}T08:00:00.000Z`;
      const group = await as(desk, async (tx) => {
        const id = await createGroup(tx, 'perpetrator');
        await join(tx, id, perpetrator);
        return id;
      });
      const results = await Promise.allSettled([
        as(desk, (tx) => book(tx, { clientId: victim, track: 'victim', startsAt })),
        as(otherDesk, (tx) => session(tx, group, 'perpetrator', startsAt, otherDesk)),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((result) => result.status === 'rejected')?.reason).toBeInstanceOf(SeparationConflictError);
    }
  });

  it('holds when a join waits for a session being booked: the join sees the session once it commits', async () => {
    const { store, admin } = journal();
    const { victim, perpetrator } = await pair();
    const startsAt = '2026-11-20T08:00:00.000Z';
    await as(desk, (tx) => book(tx, { clientId: victim, track: 'victim', startsAt }));
    const group = await as(desk, (tx) => createGroup(tx, 'perpetrator'));
    let booked!: () => void;
    const sessionBooked = new Promise<void>((resolve) => (booked = resolve));
    let commit!: () => void;
    const mayCommit = new Promise<void>((resolve) => (commit = resolve));
    const first = store.transaction(
      async (tx) => {
        await session(tx, group, 'perpetrator', startsAt);
        booked();
        await mayCommit;
      },
      { actor: desk },
    );
    await sessionBooked;
    const second = outcome(store.transaction((tx) => join(tx, group, perpetrator), { actor: otherDesk }));
    try {
      for (let waited = 0; ; waited += 1) {
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (rows[0]!.n === 1) break;
        if (waited > 500) throw new Error('the join never waited for the session');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      commit();
    }
    await first;
    expect(await second).toBeInstanceOf(SeparationConflictError);
  });
});

describe('the separation rule when a track or the buffer changes', () => {
  it("answers the app's own refusal, with its trace, when the database catches a booking the app's check could not see yet", async () => {
    const { admin } = journal();
    const { victim, perpetrator } = await pair();
    const other = await pair();
    // Her second link: each person she is linked to may be the one the database found, so each is named.
    await as(desk, (tx) => link(tx, victim, other.perpetrator));
    const startsAt = '2026-11-24T08:00:00.000Z';
    const refused = await whileAnotherDeskHolds(
      (tx) => book(tx, { clientId: perpetrator, track: 'perpetrator', startsAt, by: otherDesk }),
      (tx) =>
        bookAppointment(
          tx,
          {
            side: 'victims',
            siteId: SITE,
            kind: 'first_call',
            clientId: victim,
            groupId: null,
            therapistId: PEOPLE.therapist.userId,
            roomId: null,
            date: '2026-11-24',
            start: '09:00',
            durationMinutes: 60,
            note: null,
          },
          desk.userId,
          new Date(AT),
        ),
    );
    // The victims' side is told why, as by the app's own check; the trace names her and those linked to her.
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).toAppError()).toEqual({
      code: 'CONFLICT',
      message: 'error.booking.separation',
      fields: { start: 'error.booking.separation' },
    });
    expect(new Set((refused as DomainError).trace)).toEqual(
      new Set([
        { clientId: victim, record: 'refusal:asked' },
        { clientId: perpetrator, record: 'refusal:linked' },
        { clientId: other.perpetrator, record: 'refusal:linked' },
      ]),
    );
    const { rows } = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM appointments WHERE client_id = $1`, [victim]);
    expect(rows[0]!.n).toBe(0);
  });

  it('answers the neutral refusal, with its trace, when the database catches a join to a group the app judged free', async () => {
    const { admin } = journal();
    const { victim, perpetrator } = await pair();
    const startsAt = '2026-11-25T08:00:00.000Z';
    const group = unique('group');
    await as(desk, async (tx) => {
      await tx
        .insertInto('groups')
        .values({ id: group, site_id: SITE, track: 'perpetrator', name: 'Fiktiv grupp', therapist_id: PEOPLE.otherTrack.userId, created_at: AT })
        .execute();
      await session(tx, group, 'perpetrator', startsAt);
      await tx.updateTable('appointments').set({ therapist_id: PEOPLE.otherTrack.userId }).where('group_id', '=', group).execute();
    });
    const refused = await whileAnotherDeskHolds(
      (tx) => book(tx, { clientId: victim, track: 'victim', startsAt, by: otherDesk }),
      (tx) => addMember(tx, 'perpetrators', group, perpetrator, new Date(AT)),
    );
    // The perpetrators' side: the one neutral answer, whatever the cause.
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).toAppError()).toEqual({
      code: 'CONFLICT',
      message: 'error.booking.unavailable',
      fields: { start: 'error.booking.unavailable' },
    });
    expect(new Set((refused as DomainError).trace)).toEqual(
      new Set([
        { clientId: perpetrator, record: 'refusal:asked' },
        { clientId: victim, record: 'refusal:linked' },
      ]),
    );
    const { rows } = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM group_members WHERE group_id = $1`, [group]);
    expect(rows[0]!.n).toBe(0);
  });

  it('follows a client to the other side when the track changes, without refusing the change', async () => {
    const ids = await as(desk, async (tx) => {
      const victim = await addClient(tx, 'victim');
      const other = await addClient(tx, 'child');
      await link(tx, victim, other);
      return { victim, other };
    });
    const startsAt = '2026-12-01T08:00:00.000Z';
    // Same side: no buffer between them.
    await as(desk, (tx) => book(tx, { clientId: ids.victim, track: 'victim', startsAt }));
    await as(desk, (tx) => book(tx, { clientId: ids.other, track: 'child', startsAt }));
    // Found to be on the perpetrators' track: the change is recorded even though it makes a clash.
    await as(desk, (tx) => tx.updateTable('clients').set({ track: 'perpetrator' }).where('id', '=', ids.other).execute());
    // From now on he is kept apart from her.
    await as(desk, (tx) => book(tx, { clientId: ids.other, track: 'perpetrator', startsAt: '2026-12-02T08:00:00.000Z' }));
    await expect(as(desk, (tx) => book(tx, { clientId: ids.victim, track: 'victim', startsAt: '2026-12-02T09:30:00.000Z' }))).rejects.toBeInstanceOf(
      SeparationConflictError,
    );
  });

  it('writes every span again with a new buffer, and records the new buffer even where it makes a clash', async () => {
    const setBuffer = (minutes: number) =>
      as(PEOPLE.admin, (tx) =>
        tx
          .insertInto('settings')
          .values({ key: 'separationBufferMinutes', value: String(minutes), updated_at: new Date().toISOString(), updated_by: PEOPLE.admin.userId })
          .onConflict((conflict) => conflict.column('key').doUpdateSet({ value: String(minutes) }))
          .execute(),
      );
    const { victim, perpetrator } = await pair();
    try {
      await setBuffer(60);
      // Her 08:00–09:00, his 10:00: 60 minutes apart, allowed under a 60-minute buffer.
      await as(desk, (tx) => book(tx, { clientId: victim, track: 'victim', startsAt: '2026-12-07T08:00:00.000Z' }));
      await as(desk, (tx) => book(tx, { clientId: perpetrator, track: 'perpetrator', startsAt: '2026-12-07T10:00:00.000Z' }));
      // 240 minutes: the existing pair is now too near, yet the setting is recorded.
      await setBuffer(240);
      // Spans written before the change count with the new buffer: 09:00 + 240 minutes = 13:00.
      await expect(
        as(desk, (tx) => book(tx, { clientId: perpetrator, track: 'perpetrator', startsAt: '2026-12-07T12:30:00.000Z' })),
      ).rejects.toBeInstanceOf(SeparationConflictError);
      await as(desk, (tx) => book(tx, { clientId: perpetrator, track: 'perpetrator', startsAt: '2026-12-07T13:00:00.000Z' }));
    } finally {
      await setBuffer(120);
    }
  });
});

describe('the separation spans of one client’s appointment', () => {
  interface Span {
    appointment_id: string;
    link_id: string;
    client_id: string;
    site_id: string;
    side: string;
    lower: Date;
    upper: Date;
    li: boolean;
    ui: boolean;
  }
  const columns = `appointment_id, link_id, client_id, site_id, side, lower(span) AS lower, upper(span) AS upper, lower_inc(span) AS li, upper_inc(span) AS ui`;
  const order = 'ORDER BY appointment_id, link_id, client_id';

  /** The spans written for these appointments, and those the general path computes for them now (as the owner). */
  async function spansOf(appointments: string[]): Promise<{ written: Span[]; computed: Span[] }> {
    const { admin } = journal();
    const written = await admin.query<Span>(`SELECT ${columns} FROM separation_spans WHERE appointment_id = ANY ($1) ${order}`, [appointments]);
    const computed = await admin.query<Span>(`SELECT ${columns} FROM separation_span_rows($1::text[], NULL, NULL) ${order}`, [appointments]);
    return { written: written.rows, computed: computed.rows };
  }

  const at = (instant: Date) => instant.toISOString();
  const move = (id: string, startsAt: string, minutes = 60, siteId = SITE) =>
    as(desk, (tx) =>
      tx
        .updateTable('appointments')
        .set({ starts_at: startsAt, ends_at: plusMinutes(startsAt, minutes), site_id: siteId })
        .where('id', '=', id)
        .execute(),
    );

  it('writes exactly the spans of the general path, through bookings, moves, a cancellation and its undoing', async () => {
    const ids = await as(desk, async (tx) => {
      // Her id sorts between theirs: she is client_a of her links with the perpetrators, client_b of the one with the child.
      const victim = await addClient(tx, 'victim', desk, unique('m-victim'));
      const perpetrator = await addClient(tx, 'perpetrator');
      const former = await addClient(tx, 'perpetrator');
      const child = await addClient(tx, 'child');
      const alone = await addClient(tx, 'victim');
      const links = [await link(tx, victim, perpetrator), await link(tx, victim, former), await link(tx, victim, child)];
      return { victim, perpetrator, former, child, alone, links };
    });
    const sides = await journal().admin.query<{ a: number; b: number }>(
      'SELECT count(*) FILTER (WHERE client_a = $1)::int AS a, count(*) FILTER (WHERE client_b = $1)::int AS b FROM client_links',
      [ids.victim],
    );
    expect(sides.rows[0]).toEqual({ a: 2, b: 1 });
    const hers = await as(desk, (tx) => book(tx, { clientId: ids.victim, track: 'victim', startsAt: '2027-01-11T08:00:00.000Z', minutes: 45 }));
    const his = await as(desk, (tx) => book(tx, { clientId: ids.perpetrator, track: 'perpetrator', startsAt: '2027-01-12T08:00:00.000Z' }));
    const childs = await as(desk, (tx) => book(tx, { clientId: ids.child, track: 'child', startsAt: '2027-01-11T08:00:00.000Z' }));
    const alone = await as(desk, (tx) => book(tx, { clientId: ids.alone, track: 'victim', startsAt: '2027-01-11T08:00:00.000Z' }));
    const all = [hers, his, childs, alone];

    let spans = await spansOf(all);
    expect(spans.written).toEqual(spans.computed);
    // One span per link of the appointment's client, widened by half the 120-minute buffer, on her side.
    const herSpans = spans.written.filter((span) => span.appointment_id === hers);
    expect(new Set(herSpans.map((span) => span.link_id))).toEqual(new Set(ids.links));
    for (const span of herSpans) {
      expect(span).toMatchObject({ client_id: ids.victim, site_id: SITE, side: 'victims', li: true, ui: false });
      expect(at(span.lower)).toBe('2027-01-11T07:00:00.000Z');
      expect(at(span.upper)).toBe('2027-01-11T09:45:00.000Z');
    }
    expect(spans.written.filter((span) => span.appointment_id === his)).toEqual([
      expect.objectContaining({ client_id: ids.perpetrator, link_id: ids.links[0], side: 'perpetrators' }),
    ]);
    expect(spans.written.filter((span) => span.appointment_id === alone)).toEqual([]);

    // Moved in time and to the other site; cancelled, and booked again.
    await move(hers, '2027-01-13T10:00:00.000Z', 90);
    await move(his, '2027-01-14T08:00:00.000Z', 60, OTHER_SITE);
    spans = await spansOf(all);
    expect(spans.written).toEqual(spans.computed);
    expect(spans.written.filter((span) => span.appointment_id === his).map((span) => span.site_id)).toEqual([OTHER_SITE]);
    expect(spans.written.filter((span) => span.appointment_id === hers).map((span) => at(span.upper))).toEqual([
      '2027-01-13T12:30:00.000Z',
      '2027-01-13T12:30:00.000Z',
      '2027-01-13T12:30:00.000Z',
    ]);
    await as(desk, (tx) => tx.updateTable('appointments').set({ status: 'cancelled' }).where('id', '=', hers).execute());
    expect((await spansOf([hers])).written).toEqual([]);
    await as(desk, (tx) => tx.updateTable('appointments').set({ status: 'booked' }).where('id', '=', hers).execute());
    spans = await spansOf(all);
    expect(spans.written).toEqual(spans.computed);
    expect(spans.written.filter((span) => span.appointment_id === hers)).toHaveLength(3);

    // The appointment given to another client: her spans go, his come.
    await as(desk, (tx) => tx.updateTable('appointments').set({ client_id: ids.former, side: 'perpetrators' }).where('id', '=', hers).execute());
    spans = await spansOf(all);
    expect(spans.written).toEqual(spans.computed);
    expect(spans.written.filter((span) => span.appointment_id === hers)).toEqual([
      expect.objectContaining({ client_id: ids.former, link_id: ids.links[1], side: 'perpetrators' }),
    ]);
  });

  it('refuses a booking or a move within the buffer of a linked person’s appointment, and allows exactly the buffer', async () => {
    const { victim, perpetrator } = await pair();
    // Her 08:00–09:00: his 60-minute appointment may end at 06:00 at the latest and start at 11:00 at the earliest.
    const hers = await as(desk, (tx) => book(tx, { clientId: victim, track: 'victim', startsAt: '2027-02-01T08:00:00.000Z' }));
    for (const startsAt of ['2027-02-01T10:59:00.000Z', '2027-02-01T05:01:00.000Z', '2027-02-01T08:30:00.000Z']) {
      await expect(as(desk, (tx) => book(tx, { clientId: perpetrator, track: 'perpetrator', startsAt }))).rejects.toBeInstanceOf(
        SeparationConflictError,
      );
    }
    const later = await as(desk, (tx) => book(tx, { clientId: perpetrator, track: 'perpetrator', startsAt: '2027-02-01T11:00:00.000Z' }));
    const earlier = await as(desk, (tx) => book(tx, { clientId: perpetrator, track: 'perpetrator', startsAt: '2027-02-01T05:00:00.000Z' }));
    // Moving his appointment a minute nearer, or hers next to his, is refused and leaves the spans as they were.
    const before = await spansOf([hers, later, earlier]);
    await expect(move(later, '2027-02-01T10:59:00.000Z')).rejects.toBeInstanceOf(SeparationConflictError);
    await expect(move(hers, '2027-02-01T08:01:00.000Z')).rejects.toBeInstanceOf(SeparationConflictError);
    expect(await spansOf([hers, later, earlier])).toEqual(before);
    // At another site, or moved a further minute away, there is no clash.
    await move(hers, '2027-02-01T08:00:00.000Z', 60, OTHER_SITE);
    await move(later, '2027-02-01T08:00:00.000Z');
    await move(later, '2027-02-01T11:00:00.000Z');
    await move(hers, '2027-02-01T08:00:00.000Z', 60, SITE);
    await expect(move(later, '2027-02-01T10:00:00.000Z')).rejects.toBeInstanceOf(SeparationConflictError);
    const after = await spansOf([hers, later, earlier]);
    expect(after.written).toEqual(after.computed);
    expect(after.written).toHaveLength(3);
  });
});
