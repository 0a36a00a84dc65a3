import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  allSessionsOfGroup,
  attendanceOf,
  cancelGroupSessionsFrom,
  endGroupAt,
  membershipPeriods,
  recordAttendance,
  addGroupMember,
  appointmentsOfClient,
  appointmentsOfSide,
  bookedAround,
  clientsForScheduling,
  currentMembers,
  endGroupMembership,
  findAppointment,
  findGroup,
  groupsOfTracks,
  groupWithMembersAt,
  groupWithSessions,
  insertAppointments,
  insertBooked,
  liveAppointmentsOfClients,
  insertGroup,
  leaveWaitingList,
  linkedAcrossSides,
  linkedOf,
  sessionsOfGroups,
  updateAppointmentStatus,
  updateAppointmentTime,
  type AppointmentRow,
} from '../../../db/appointments/index.js';
import { bookingReads } from '../../../db/appointments/bookingReads.js';
import { listTherapists, sitePremises } from '../../../db/org/index.js';
import type { Track } from '../../../db/engine/schema.js';
import type { Store, Tx } from '../../../db/engine/store.js';
import { useTempDirs } from '../../helpers/tempDir.js';
import { postgresJournals, sqliteJournal, type OpenJournal } from './engines.js';

/**
 * The scheduling repository (db/appointments/) against a real journal, written so that the same
 * body can later run unchanged against PostgreSQL: every row is written through the repository or Kysely.
 */
const tempDir = useTempDirs();
const DESK = 'u-desk';
const THERAPIST = 'u-therapist';
const OTHER_THERAPIST = 'u-therapist-2';
const SITE = 'skaraborg';
const OTHER_SITE = 'sodra-alvsborg';
const AT = '2031-03-01T08:00:00.000Z';
const at = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2031, 2, day, hour, minute)).toISOString();

/** A victims' group at the other site with the other therapist, its members joined at the times given; its id. */
async function victimsGroupElsewhere(tx: Tx, members: [clientId: string, joinedAt: string][]): Promise<string> {
  const groupId = randomUUID();
  await insertGroup(tx, {
    id: groupId,
    siteId: OTHER_SITE,
    track: 'victim',
    name: 'Gruppen',
    therapistId: OTHER_THERAPIST,
    roomId: null,
    createdAt: AT,
  });
  for (const [clientId, joinedAt] of members) await addGroupMember(tx, groupId, clientId, joinedAt);
  return groupId;
}

function contract(open: OpenJournal) {
  let store: Store;
  let seed: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, seed, close } = await open());
    await seed.transaction(async (tx) => {
      await tx
        .insertInto('users')
        .values([DESK, THERAPIST, OTHER_THERAPIST].map((id) => ({ id, username: id, display_name: `Test ${id}`, created_at: AT })))
        .execute();
      await tx
        .insertInto('user_roles')
        .values([
          { user_id: DESK, role: 'receptionist' },
          { user_id: THERAPIST, role: 'therapist' },
          { user_id: OTHER_THERAPIST, role: 'therapist' },
        ])
        .execute();
    });
  });
  afterEach(async () => close());

  /** Scheduling is reception's: registering, booking, moving, groups and their members, the waiting list. */
  const run = <T>(work: (tx: Tx) => Promise<T>) => store.transaction(work, { actor: { userId: DESK, role: 'receptionist' } });

  async function client(tx: Tx, track: Track, name = `Fiktiv ${track}`, personalNumber: string | null = null): Promise<string> {
    const id = randomUUID();
    await tx
      .insertInto('clients')
      .values({ id, track, name, search_name: name.toLowerCase(), personal_number: personalNumber, created_at: AT, created_by: DESK })
      .execute();
    return id;
  }

  async function link(tx: Tx, one: string, other: string): Promise<void> {
    const [a, b] = [one, other].sort() as [string, string];
    await tx
      .insertInto('client_links')
      .values({ id: randomUUID(), client_a: a, client_b: b, kind: 'partner', created_at: AT, created_by: DESK })
      .execute();
  }

  function appointment(change: Partial<AppointmentRow> & { startsAt: string }): AppointmentRow & { createdAt: string; createdBy: string } {
    return {
      id: randomUUID(),
      siteId: SITE,
      side: 'victims',
      kind: 'individual',
      status: 'booked',
      endsAt: new Date(Date.parse(change.startsAt) + 3_600_000).toISOString(),
      therapistId: THERAPIST,
      roomId: 'skaraborg-r1',
      clientId: null,
      groupId: null,
      note: null,
      cancelReason: null,
      createdAt: AT,
      createdBy: DESK,
      ...change,
    };
  }

  it('writes appointments, reads one back with names, moves it and changes its status', async () => {
    await run(async (tx) => {
      const victim = await client(tx, 'victim', 'Anna Påhittsson');
      const row = appointment({ startsAt: at(3, 9), clientId: victim, note: 'Tolk' });
      await insertAppointments(tx, [row, appointment({ startsAt: at(3, 11), therapistId: OTHER_THERAPIST })]);
      await insertAppointments(tx, []);
      const { createdAt: _c, createdBy: _b, ...stored } = row;
      expect(await findAppointment(tx, row.id)).toEqual({ ...stored, clientName: 'Anna Påhittsson', clientTrack: 'victim', groupName: null });
      expect(await findAppointment(tx, randomUUID())).toBeNull();

      await updateAppointmentTime(tx, {
        id: row.id,
        startsAt: at(4, 10),
        endsAt: at(4, 11, 30),
        therapistId: OTHER_THERAPIST,
        roomId: null,
        updatedAt: at(2, 8),
      });
      expect(await findAppointment(tx, row.id)).toMatchObject({
        startsAt: at(4, 10),
        endsAt: at(4, 11, 30),
        therapistId: OTHER_THERAPIST,
        roomId: null,
      });
      await updateAppointmentStatus(tx, { id: row.id, status: 'cancelled', cancelReason: 'Sjuk', updatedAt: at(2, 9) });
      expect(await findAppointment(tx, row.id)).toMatchObject({ status: 'cancelled', cancelReason: 'Sjuk' });
      const updated = await tx.selectFrom('appointments').select('updated_at').where('id', '=', row.id).executeTakeFirstOrThrow();
      expect(updated.updated_at).toBe(at(2, 9));
    });
  });

  it("reads one side's appointments of a site in a range, optionally of one therapist or room, in time order", async () => {
    await run(async (tx) => {
      const groupId = randomUUID();
      await insertGroup(tx, { id: groupId, siteId: SITE, track: 'child', name: 'Barngruppen', therapistId: THERAPIST, roomId: null, createdAt: AT });
      const late = appointment({ startsAt: at(3, 13), therapistId: OTHER_THERAPIST, roomId: 'skaraborg-r2' });
      const early = appointment({ startsAt: at(3, 9), groupId, kind: 'group' });
      await insertAppointments(tx, [
        late,
        early,
        appointment({ startsAt: at(3, 10), side: 'perpetrators' }),
        appointment({ startsAt: at(3, 10), siteId: OTHER_SITE, roomId: null }),
        appointment({ startsAt: at(5, 10) }),
      ]);
      const filter = { side: 'victims' as const, siteId: SITE, from: at(3, 0), to: at(4, 0), therapistId: null, roomId: null };
      const rows = await appointmentsOfSide(tx, filter);
      expect(rows.map((row) => row.id)).toEqual([early.id, late.id]);
      expect(rows[0]).toMatchObject({ groupName: 'Barngruppen', groupTrack: 'child', groupSiteId: SITE, clientName: null });
      expect((await appointmentsOfSide(tx, { ...filter, therapistId: OTHER_THERAPIST })).map((row) => row.id)).toEqual([late.id]);
      expect((await appointmentsOfSide(tx, { ...filter, roomId: 'skaraborg-r2' })).map((row) => row.id)).toEqual([late.id]);
    });
  });

  it('finds everything a booking is judged against, each once, with who attends it', async () => {
    await run(async (tx) => {
      const [anna, berit, cilla] = [await client(tx, 'victim'), await client(tx, 'victim'), await client(tx, 'victim')];
      const groupId = await victimsGroupElsewhere(tx, [
        [anna, at(2, 0)],
        [berit, at(2, 0)],
      ]);
      await endGroupMembership(tx, groupId, berit, at(3, 12));
      const atSite = appointment({ startsAt: at(3, 9), clientId: cilla });
      const cancelled = appointment({ startsAt: at(3, 9, 30), status: 'cancelled', cancelReason: 'x' });
      const therapistsElsewhere = appointment({ startsAt: at(3, 10), siteId: OTHER_SITE, roomId: null, side: 'perpetrators' });
      const annasElsewhere = appointment({ startsAt: at(3, 11), siteId: OTHER_SITE, roomId: null, therapistId: OTHER_THERAPIST, clientId: anna });
      const session = appointment({ startsAt: at(3, 8), siteId: OTHER_SITE, roomId: null, therapistId: OTHER_THERAPIST, groupId, kind: 'group' });
      const laterSession = appointment({
        startsAt: at(3, 14),
        siteId: OTHER_SITE,
        roomId: null,
        therapistId: OTHER_THERAPIST,
        groupId,
        kind: 'group',
      });
      const unrelated = appointment({ startsAt: at(3, 9), siteId: OTHER_SITE, roomId: null, therapistId: OTHER_THERAPIST });
      const outside = appointment({ startsAt: at(3, 20), clientId: cilla });
      await insertAppointments(tx, [atSite, cancelled, therapistsElsewhere, annasElsewhere, session, laterSession, unrelated, outside]);

      const window = { from: at(3, 7, 30), to: at(3, 16) };
      const rows = await bookedAround(tx, { siteId: SITE, therapistIds: [THERAPIST], clientIds: [anna, berit], windows: [window] });
      expect(rows.map((row) => row.id)).toEqual([session.id, atSite.id, therapistsElsewhere.id, annasElsewhere.id, laterSession.id]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      // Who attends: the client, or the members at the session's start (Berit had left by the later one).
      expect(byId.get(session.id)!.attendees.sort()).toEqual([anna, berit].sort());
      expect(byId.get(laterSession.id)!.attendees).toEqual([anna]);
      expect(byId.get(atSite.id)).toMatchObject({ attendees: [cilla], clientTrack: 'victim', groupTrack: null });
      expect(byId.get(session.id)).toMatchObject({ groupTrack: 'victim', clientTrack: null });
      expect(byId.get(therapistsElsewhere.id)!.attendees).toEqual([]);
      // An appointment running into the window counts; several windows are read at once.
      const two = await bookedAround(tx, {
        siteId: SITE,
        therapistIds: [],
        clientIds: [],
        windows: [
          { from: at(3, 9, 30), to: at(3, 9, 45) },
          { from: at(3, 19), to: at(3, 21) },
        ],
      });
      expect(two.map((row) => row.id)).toEqual([atSite.id, outside.id]);
      expect(await bookedAround(tx, { siteId: SITE, therapistIds: [], clientIds: [], windows: [] })).toEqual([]);
    });
  });

  it('reads everything a booking judges in one statement, each part as its own function answers it', async () => {
    await seed.transaction(async (tx) => {
      await tx.insertInto('therapist_profiles').values({ user_id: THERAPIST, site_id: SITE }).execute();
      await tx
        .insertInto('therapist_tracks')
        .values([
          { user_id: THERAPIST, track: 'victim' },
          { user_id: THERAPIST, track: 'child' },
        ])
        .execute();
      await tx
        .insertInto('therapist_hours')
        .values([1, 2, 3].map((weekday) => ({ user_id: THERAPIST, weekday, start_minute: 8 * 60, end_minute: 16 * 60 + weekday })))
        .execute();
      await tx.insertInto('settings').values({ key: 'separationBufferMinutes', value: '90', updated_at: AT }).execute();
    });
    await run(async (tx) => {
      const anna = await client(tx, 'victim', 'Anna Påhittad', '19800101-0000');
      const [partner, sameNumber, cilla] = [
        await client(tx, 'perpetrator'),
        await client(tx, 'perpetrator', 'Samma nummer', '19800101-0000'),
        await client(tx, 'child'),
      ];
      await link(tx, anna, partner);
      const groupId = await victimsGroupElsewhere(tx, [
        [anna, at(2, 0)],
        [cilla, at(2, 0)],
      ]);
      await insertAppointments(tx, [
        appointment({ startsAt: at(3, 9), clientId: cilla }),
        appointment({ startsAt: at(3, 9, 30), status: 'cancelled', cancelReason: 'x' }),
        appointment({ startsAt: at(3, 15), siteId: OTHER_SITE, roomId: null, side: 'perpetrators', clientId: partner }),
        appointment({ startsAt: at(3, 8), siteId: OTHER_SITE, roomId: null, therapistId: OTHER_THERAPIST, groupId, kind: 'group' }),
        appointment({ startsAt: at(3, 11, 15), endsAt: '2031-03-03T12:40:30.500Z', therapistId: OTHER_THERAPIST, roomId: 'skaraborg-r2' }),
        appointment({ startsAt: at(3, 20), clientId: cilla }),
      ]);
      const windows = [
        { from: at(3, 7, 30), to: at(3, 16) },
        { from: at(3, 19), to: at(3, 21) },
      ];
      const before = store.statements;
      const read = await bookingReads(tx, {
        siteId: SITE,
        clientIds: [anna, randomUUID()],
        therapistIds: [THERAPIST, OTHER_THERAPIST],
        attendees: [anna],
        windows,
      });
      expect(store.statements - before).toBe(1);
      expect(read).toEqual({
        clients: await clientsForScheduling(tx, [anna]),
        therapists: await listTherapists(tx, { ids: [THERAPIST, OTHER_THERAPIST] }),
        premises: await sitePremises(tx, SITE),
        booked: await bookedAround(tx, { siteId: SITE, therapistIds: [THERAPIST, OTHER_THERAPIST], clientIds: [anna], windows }),
        linked: read.linked,
      });
      expect(linkedOf(read.linked, ['perpetrator']).sort()).toEqual((await linkedAcrossSides(tx, [anna], ['perpetrator'])).sort());
      // Instants as the journal gives them, not as PostgreSQL writes them inside JSON.
      expect(read.booked.map((row) => row.endsAt)).toContain('2031-03-03T12:40:30.500Z');
      expect(read.premises.storedBuffer).toBe(90);
      expect(read.therapists[0]!.hours.map((day) => day.endMinute)).toEqual([16 * 60 + 1, 16 * 60 + 2, 16 * 60 + 3]);
      expect(read.booked.length).toBeGreaterThan(3);
      expect(read.linked.map((row) => row.id).sort()).toEqual([partner, sameNumber].sort());
      expect(read.linked.every((row) => row.track === 'perpetrator')).toBe(true);
      // Nothing to look up, no attendees, no windows: those parts are not read, and still one statement.
      const start = store.statements;
      const empty = await bookingReads(tx, { siteId: SITE, clientIds: [], therapistIds: [THERAPIST], attendees: [], windows: [] });
      expect(store.statements - start).toBe(1);
      expect(empty).toMatchObject({ clients: [], booked: [], linked: [], premises: await sitePremises(tx, SITE) });
      expect(empty.therapists.map((therapist) => therapist.id)).toEqual([THERAPIST]);
    });
  });

  it('books a client and takes her off the waiting list, in one statement where the engine can', async () => {
    await run(async (tx) => {
      const victim = await client(tx, 'victim');
      const id = randomUUID();
      await tx.insertInto('waiting_list').values({ id, client_id: victim, intake_id: null, added_at: AT }).execute();
      const row = appointment({ startsAt: at(3, 9), clientId: victim });
      const before = store.statements;
      await insertBooked(tx, row, { at: at(2, 8), reason: 'booked' });
      expect(store.statements - before).toBe(store.dialect === 'postgres' ? 1 : 2);
      expect(await findAppointment(tx, row.id)).toMatchObject({ id: row.id, clientId: victim, startsAt: at(3, 9) });
      expect(await tx.selectFrom('waiting_list').select(['removed_at', 'removed_reason']).where('id', '=', id).executeTakeFirst()).toEqual({
        removed_at: at(2, 8),
        removed_reason: 'booked',
      });
      // Not on the list: the booking alone; without a client (a consultation): one insert, nothing to leave.
      const again = appointment({ startsAt: at(4, 9), clientId: victim });
      await insertBooked(tx, again, { at: at(2, 9), reason: 'booked' });
      expect(await findAppointment(tx, again.id)).toMatchObject({ id: again.id });
      const consultation = appointment({ startsAt: at(5, 9), kind: 'consultation', roomId: null });
      const start = store.statements;
      await insertBooked(tx, consultation, null);
      expect(store.statements - start).toBe(1);
      expect(await findAppointment(tx, consultation.id)).toMatchObject({ id: consultation.id, clientId: null });
    });
  });

  it("reads a client's appointments, alone or in a group, and the live ones of several clients in a window", async () => {
    await run(async (tx) => {
      const [anna, berit] = [await client(tx, 'victim'), await client(tx, 'victim')];
      const groupId = await victimsGroupElsewhere(tx, [[anna, at(4, 0)]]);
      const own = appointment({ startsAt: at(3, 9), clientId: anna });
      const cancelled = appointment({ startsAt: at(3, 12), clientId: anna, status: 'cancelled', cancelReason: 'x' });
      const beforeJoining = appointment({
        startsAt: at(3, 14),
        siteId: OTHER_SITE,
        roomId: null,
        therapistId: OTHER_THERAPIST,
        groupId,
        kind: 'group',
      });
      const session = appointment({ startsAt: at(5, 8), siteId: OTHER_SITE, roomId: null, therapistId: OTHER_THERAPIST, groupId, kind: 'group' });
      const beritsOwn = appointment({ startsAt: at(5, 10), clientId: berit });
      await insertAppointments(tx, [own, cancelled, beforeJoining, session, beritsOwn]);

      // Every appointment of hers or her group's, the latest first, with names.
      const hers = await appointmentsOfClient(tx, anna);
      expect(hers.map((row) => row.id)).toEqual([session.id, beforeJoining.id, cancelled.id, own.id]);
      expect(hers.find((row) => row.id === session.id)).toMatchObject({ groupName: 'Gruppen', clientName: null });
      expect(await appointmentsOfClient(tx, 'no-such-client')).toEqual([]);

      // Live ones only, the group's sessions only while a member, at any site or at one.
      const window = [at(1, 0), at(9, 0)] as const;
      expect((await liveAppointmentsOfClients(tx, [anna], null, ...window)).map((row) => row.id)).toEqual([own.id, session.id]);
      expect((await liveAppointmentsOfClients(tx, [anna, berit], null, ...window)).map((row) => row.id)).toEqual([own.id, session.id, beritsOwn.id]);
      expect((await liveAppointmentsOfClients(tx, [anna, berit], SITE, ...window)).map((row) => row.id)).toEqual([own.id, beritsOwn.id]);
      expect((await liveAppointmentsOfClients(tx, [anna], null, at(5, 0), at(9, 0))).map((row) => row.id)).toEqual([session.id]);
      expect(await liveAppointmentsOfClients(tx, [], null, ...window)).toEqual([]);
    });
  });

  it('finds the linked people across the sides and those with the same identity number, never the same side', async () => {
    await run(async (tx) => {
      const victim = await client(tx, 'victim', 'Anna Fiktiv', '19850101-0000');
      const child = await client(tx, 'child');
      const partner = await client(tx, 'perpetrator');
      const former = await client(tx, 'perpetrator');
      const sameNumber = await client(tx, 'perpetrator', 'Annas nummer', '19850101-0000');
      const sister = await client(tx, 'victim');
      await link(tx, victim, partner);
      await link(tx, former, child);
      await link(tx, victim, sister);
      expect((await linkedAcrossSides(tx, [victim], ['perpetrator'])).sort()).toEqual([partner, sameNumber].sort());
      expect((await linkedAcrossSides(tx, [victim, child], ['perpetrator'])).sort()).toEqual([partner, former, sameNumber].sort());
      expect((await linkedAcrossSides(tx, [partner], ['victim', 'child'])).sort()).toEqual([victim]);
      expect(await linkedAcrossSides(tx, [], ['perpetrator'])).toEqual([]);
    });
  });

  it("reads clients' tracks and names, and takes a client off the waiting list", async () => {
    await run(async (tx) => {
      const victim = await client(tx, 'victim', 'Berit Låtsas');
      expect(await clientsForScheduling(tx, [victim, randomUUID()])).toEqual([{ id: victim, track: 'victim', name: 'Berit Låtsas' }]);
      expect(await clientsForScheduling(tx, [])).toEqual([]);
      const id = randomUUID();
      await tx.insertInto('waiting_list').values({ id, client_id: victim, intake_id: null, added_at: AT }).execute();
      await leaveWaitingList(tx, victim, at(2, 8), 'booked');
      expect(await tx.selectFrom('waiting_list').select(['removed_at', 'removed_reason']).where('id', '=', id).executeTakeFirst()).toEqual({
        removed_at: at(2, 8),
        removed_reason: 'booked',
      });
    });
  });

  it('keeps groups, membership periods and sessions', async () => {
    await run(async (tx) => {
      const [anna, berit] = [await client(tx, 'victim', 'Anna'), await client(tx, 'victim', 'Berit')];
      const groupId = randomUUID();
      const group = {
        id: groupId,
        siteId: SITE,
        track: 'victim' as const,
        name: 'Torsdagsgruppen',
        therapistId: THERAPIST,
        roomId: 'skaraborg-g1',
        endedAt: null,
      };
      await insertGroup(tx, { ...group, createdAt: AT });
      await insertGroup(tx, { ...group, id: randomUUID(), track: 'perpetrator', name: 'Andra sidan', createdAt: AT });
      expect(await findGroup(tx, groupId)).toEqual(group);
      expect(await findGroup(tx, randomUUID())).toBeNull();
      expect(await groupsOfTracks(tx, SITE, ['victim', 'child'])).toEqual([group]);
      expect(await groupsOfTracks(tx, SITE, [])).toEqual([]);

      await addGroupMember(tx, groupId, berit, at(2, 0));
      await addGroupMember(tx, groupId, anna, at(2, 0));
      // A current member added again keeps their period.
      await addGroupMember(tx, groupId, anna, at(2, 5));
      expect((await currentMembers(tx, [groupId])).get(groupId)).toEqual([
        { clientId: anna, name: 'Anna' },
        { clientId: berit, name: 'Berit' },
      ]);
      await endGroupMembership(tx, groupId, berit, at(4, 0));
      expect((await currentMembers(tx, [groupId])).get(groupId)).toEqual([{ clientId: anna, name: 'Anna' }]);
      expect(await groupWithMembersAt(tx, groupId, at(3, 0))).toMatchObject({ ...group, members: expect.arrayContaining([anna, berit]) });
      expect(await groupWithMembersAt(tx, groupId, at(5, 0))).toEqual({ ...group, members: [anna] });
      expect(await groupWithMembersAt(tx, groupId, at(1, 0))).toEqual({ ...group, members: [] });
      expect(await groupWithMembersAt(tx, randomUUID(), at(1, 0))).toBeNull();
      // Back later: a new period, the earlier one kept.
      await addGroupMember(tx, groupId, berit, at(4, 1));
      const periods = async (clientId: string) =>
        tx.selectFrom('group_members').select(['joined_at', 'left_at']).where('client_id', '=', clientId).orderBy('joined_at').execute();
      expect(await periods(berit)).toEqual([
        { joined_at: at(2, 0), left_at: at(4, 0) },
        { joined_at: at(4, 1), left_at: null },
      ]);
      // Joined, left and back in the same instant: that period simply goes on.
      const cilla = await client(tx, 'victim', 'Cilla');
      await addGroupMember(tx, groupId, cilla, at(4, 2));
      await endGroupMembership(tx, groupId, cilla, at(4, 2));
      await addGroupMember(tx, groupId, cilla, at(4, 2));
      expect(await periods(cilla)).toEqual([{ joined_at: at(4, 2), left_at: null }]);
      await endGroupMembership(tx, groupId, berit, at(4, 3));
      await endGroupMembership(tx, groupId, cilla, at(4, 3));

      const past = appointment({ startsAt: at(2, 15), groupId, kind: 'group' });
      const next = appointment({ startsAt: at(9, 15), groupId, kind: 'group' });
      const first = appointment({ startsAt: at(5, 15), groupId, kind: 'group' });
      const cancelled = appointment({ startsAt: at(6, 15), groupId, kind: 'group', status: 'cancelled' });
      await insertAppointments(tx, [past, next, first, cancelled]);
      const sessions = (await sessionsOfGroups(tx, [groupId], at(3, 0))).get(groupId)!;
      expect(sessions.map((session) => session.id)).toEqual([first.id, next.id]);
      expect(sessions[0]).toMatchObject({ groupName: 'Torsdagsgruppen', clientName: null, clientTrack: null });
      const both = await groupWithSessions(tx, groupId, at(3, 0));
      expect(both).toEqual({ group, sessions });
      expect(await groupWithSessions(tx, groupId, at(20, 0))).toEqual({ group, sessions: [] });
      expect(await groupWithSessions(tx, randomUUID(), at(3, 0))).toBeNull();

      // Every session, cancelled ones too; the periods with names; attendance recorded and corrected.
      expect((await allSessionsOfGroup(tx, groupId)).map((session) => session.id)).toEqual([past.id, first.id, cancelled.id, next.id]);
      expect((await membershipPeriods(tx, groupId)).map((period) => [period.name, period.joinedAt, period.leftAt])).toEqual([
        ['Anna', at(2, 0), null],
        ['Berit', at(2, 0), at(4, 0)],
        ['Berit', at(4, 1), at(4, 3)],
        ['Cilla', at(4, 2), at(4, 3)],
      ]);
      await recordAttendance(tx, [
        { appointmentId: past.id, clientId: anna, status: 'absent', recordedAt: AT, recordedBy: DESK },
        { appointmentId: past.id, clientId: berit, status: 'present', recordedAt: AT, recordedBy: DESK },
      ]);
      await recordAttendance(tx, [{ appointmentId: past.id, clientId: anna, status: 'present', recordedAt: at(2, 16), recordedBy: DESK }]);
      expect((await attendanceOf(tx, [past.id, first.id])).map((row) => `${row.clientId === anna ? 'Anna' : 'Berit'} ${row.status}`).sort()).toEqual([
        'Anna present',
        'Berit present',
      ]);
      expect(await attendanceOf(tx, [])).toEqual([]);

      // Ending: the live sessions from the instant on are cancelled with the reason; the earlier one stays.
      await cancelGroupSessionsFrom(tx, groupId, at(5, 0), 'Avslutad', at(5, 0));
      await endGroupAt(tx, groupId, at(5, 0));
      expect((await findGroup(tx, groupId))?.endedAt).toBe(at(5, 0));
      expect((await allSessionsOfGroup(tx, groupId)).map((session) => [session.id, session.status, session.cancelReason])).toEqual([
        [past.id, 'booked', null],
        [first.id, 'cancelled', 'Avslutad'],
        [cancelled.id, 'cancelled', null],
        [next.id, 'cancelled', 'Avslutad'],
      ]);
    });
  });

  it("answers a therapist's own calls: her schedule, an appointment's status, her groups with members and sessions", async () => {
    const { groupId, row } = await run(async (tx) => {
      const anna = await client(tx, 'victim', 'Anna Fiktiv');
      const groupId = randomUUID();
      await insertGroup(tx, {
        id: groupId,
        siteId: SITE,
        track: 'victim',
        name: 'Måndagsgruppen',
        therapistId: THERAPIST,
        roomId: 'skaraborg-g1',
        createdAt: AT,
      });
      await addGroupMember(tx, groupId, anna, at(2, 0));
      const row = appointment({ startsAt: at(3, 9), clientId: await client(tx, 'victim', 'Berit Fiktiv') });
      await insertAppointments(tx, [row, appointment({ startsAt: at(3, 13), groupId, kind: 'group', roomId: 'skaraborg-g1' })]);
      return { groupId, row };
    });
    // schedule.range, appointments.setStatus and groups.list are the therapist's too.
    await store.transaction(
      async (tx) => {
        const mine = await appointmentsOfSide(tx, {
          side: 'victims',
          siteId: SITE,
          from: at(3, 0),
          to: at(4, 0),
          therapistId: THERAPIST,
          roomId: null,
        });
        expect(mine.map((each) => each.clientName ?? each.groupName)).toEqual(['Berit Fiktiv', 'Måndagsgruppen']);
        expect(await findAppointment(tx, row.id)).toMatchObject({ status: 'booked', clientName: 'Berit Fiktiv' });
        await updateAppointmentStatus(tx, { id: row.id, status: 'arrived', cancelReason: null, updatedAt: at(3, 8, 55) });
        expect(await findAppointment(tx, row.id)).toMatchObject({ status: 'arrived' });
        const groups = await groupsOfTracks(tx, SITE, ['victim', 'child']);
        expect(groups.map((group) => group.id)).toEqual([groupId]);
        expect((await currentMembers(tx, [groupId])).get(groupId)).toEqual([{ clientId: expect.any(String), name: 'Anna Fiktiv' }]);
        expect((await sessionsOfGroups(tx, [groupId], at(3, 0))).get(groupId)).toHaveLength(1);
      },
      { actor: { userId: THERAPIST, role: 'therapist' } },
    );
  });
}

describe('sqlite', () => {
  contract(sqliteJournal(tempDir));
});

describe('postgres, as the role of each call', () => {
  contract(postgresJournals('utvag_repo_appointments'));
});
