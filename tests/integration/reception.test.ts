import { describe, expect, it } from 'vitest';
import { setUpReception, intakeInput } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
// A Monday well in the future, so "now" never interferes.
const MONDAY = '2031-03-03';

describe('booking with the separation rule', () => {
  it('refuses a linked perpetrator within the buffer: reason on the victims side, neutral on the other', async () => {
    const t = await setUpReception(tempDir());
    const victim = await t.newClient('victim', 'Fiktiva Klientsdotter');
    const perpetrator = await t.newClient('perpetrator', 'Påhittad Testperson', { links: [{ clientId: victim, kind: 'partner' }] });
    const book = (side: string, clientId: string, therapistId: string, start: string, roomId: string) =>
      t.call('appointments.book', {
        side,
        clientId,
        groupId: null,
        kind: 'individual',
        siteId: 'skaraborg',
        therapistId,
        roomId,
        date: MONDAY,
        start,
        durationMinutes: 60,
        note: '',
      });

    expect(await book('victims', victim, t.therapists.victims, '10:00', 'skaraborg-r1')).toMatchObject({ ok: true });
    // 11:00 end + 120 min buffer: 12:59 start is too close, 13:00 is allowed.
    const tooClose = await book('perpetrators', perpetrator, t.therapists.perpetrators, '12:30', 'skaraborg-r2');
    expect(tooClose).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'error.booking.unavailable', fields: { start: 'error.booking.unavailable' } },
    });
    expect(JSON.stringify(tooClose)).not.toMatch(/separation|Klientsdotter|victim/i);
    expect(await book('perpetrators', perpetrator, t.therapists.perpetrators, '13:00', 'skaraborg-r2')).toMatchObject({ ok: true });

    // Booking the victim near the perpetrator's appointment: the victims' side gets the reason.
    const victimSide = await book('victims', victim, t.therapists.victims, '15:00', 'skaraborg-r1');
    expect(victimSide).toMatchObject({ ok: false, error: { message: 'error.booking.separation' } });
  });

  it('registers an intake, routes Etapp 2, and keeps the waiting list', async () => {
    const t = await setUpReception(tempDir());
    const etapp2 = await t.ok<{ routing: { decision: string } }>(
      'intake.register',
      intakeInput('victim', 'Anna Anonym', {
        referralSource: 'police',
        contactBy: 'outreach',
        childrenUnder18: 2,
        municipalityCode: '1494',
        anonymous: true,
      }),
    );
    expect(etapp2.routing).toEqual({ decision: 'etapp2_social_secretary', reason: 'routing.reason.etapp2' });
    const notEtapp2 = await t.ok<{ routing: { decision: string } }>(
      'intake.register',
      intakeInput('victim', 'Berit Fiktiv', { referralSource: 'police', childrenUnder18: 1, municipalityCode: '1496' }),
    );
    expect(notEtapp2.routing.decision).toBe('utvag_coordinator');
    const list = await t.ok<{ name: string }[]>('waitingList.list', { side: 'victims' });
    expect(list.map((entry) => entry.name).sort()).toEqual(['Anna Anonym', 'Berit Fiktiv']);
    expect(await t.ok('waitingList.list', { side: 'perpetrators' })).toEqual([]);
  });

  it('a refused booking inside an intake leaves nothing behind', async () => {
    const t = await setUpReception(tempDir());
    const before = (t.app.db.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n;
    const result = await t.call(
      'intake.register',
      intakeInput('victim', 'Cecilia Påhitt', {
        outcome: 'booked',
        booking: {
          kind: 'first_call',
          siteId: 'skaraborg',
          therapistId: t.therapists.perpetrators,
          roomId: null,
          date: MONDAY,
          start: '09:00',
          durationMinutes: 30,
        },
      }),
    );
    expect(result).toMatchObject({ ok: false, error: { fields: { 'booking.therapistId': 'error.therapist.track' } } });
    expect((t.app.db.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n).toBe(before);
  });
});
