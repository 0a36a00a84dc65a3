import { describe, expect, it } from 'vitest';
import { ENGINES, openReception, useEngines } from '../helpers/engineApp.js';
import { skaraborgBooking } from '../helpers/reception.js';

/**
 * A booking's statements on both engines, counted by the app's store around one router call: on the
 * Utväg server each is a round trip to PostgreSQL, and a booking is the desk's most frequent write.
 * Everything it is judged against (the client, the therapist with tracks and hours, the premises and
 * the buffer, what is booked around the time, the linked people) is read in one statement, and a
 * client's booking and her leaving the waiting list are written in one on PostgreSQL. Then the access
 * log's row; on PostgreSQL also the transaction's start (role and settings) and COMMIT.
 */
const engines = useEngines();
const DAY = '2031-03-05';

describe.each(ENGINES)("a booking's statements (%s)", (engine) => {
  it('are one read, the write and the log row', async () => {
    const t = await openReception(engines, engine);
    try {
      const victim = await t.newClient('victim', 'Fiktiva Räknarsdotter');
      const perpetrator = await t.newClient('perpetrator', 'Påhittad Räknarsson', { links: [{ clientId: victim, kind: 'partner' }] });
      // On the waiting list, as many are when their first time is booked: the booking takes her off it.
      await t.db.run(`INSERT INTO waiting_list (id, client_id, intake_id, added_at) VALUES ('wl-1', ?, NULL, '2031-03-01T08:00:00.000Z')`, victim);
      const booking = (side: 'victims' | 'perpetrators', clientId: string, therapistId: string, start: string, roomId: string) =>
        skaraborgBooking(side, clientId, therapistId, DAY, start, roomId);
      const count = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
        const before = t.statements;
        const value = await run();
        return [value, t.statements - before];
      };
      // A first booking compiles the queries and settles the log head's hint: the counts below are a running desk's.
      await t.ok('appointments.book', booking('victims', victim, t.therapists.victims, '08:00', 'skaraborg-r1'));

      const [booked, statements] = await count(() =>
        t.ok<{ appointment: { id: string } }>('appointments.book', booking('victims', victim, t.therapists.victims, '10:00', 'skaraborg-r2')),
      );
      // SQLite: the read, the insert, the waiting list, the log head and row. PostgreSQL: BEGIN with the role,
      // the read, the insert with the waiting list, the log row with its head, COMMIT.
      expect(statements).toBe(5);
      expect(await t.db.get(`SELECT removed_reason AS reason FROM waiting_list WHERE id = 'wl-1'`)).toEqual({ reason: 'booked' });

      // Refused (the linked victim is within the buffer): the read, then the trace rows after the rollback.
      const [refused, refusedStatements] = await count(() =>
        t.call('appointments.book', booking('perpetrators', perpetrator, t.therapists.perpetrators, '10:00', 'skaraborg-r3')),
      );
      expect(refused).toMatchObject({ ok: false, error: { message: 'error.booking.unavailable' } });
      expect(refusedStatements).toBeLessThanOrEqual(engine === 'postgres' ? 6 : 3);

      // A move: the appointment, the read, the update, the log row.
      const [, moveStatements] = await count(() =>
        t.ok('appointments.move', {
          side: 'victims',
          appointmentId: booked.appointment.id,
          date: DAY,
          start: '11:00',
          durationMinutes: 60,
          therapistId: t.therapists.victims,
          roomId: 'skaraborg-r2',
        }),
      );
      expect(moveStatements).toBe(engine === 'postgres' ? 6 : 5);
    } finally {
      await t.close();
    }
  });
});
