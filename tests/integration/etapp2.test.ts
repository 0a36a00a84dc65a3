import { describe, expect, it } from 'vitest';
import { intakeInput, setUpReception } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();

/** A police report about a woman with children, from a municipality that takes part in Etapp 2 or not. */
const policeReport = (name: string, municipalityCode: string) =>
  intakeInput('victim', name, { contactBy: 'outreach', referralSource: 'police', childrenUnder18: 2, municipalityCode });

describe('Etapp 2 follow-up', () => {
  it("lists the coordinator's routed intakes per municipality with their follow-up, on the victims' side only, each shown client in the access log", async () => {
    const t = await setUpReception(tempDir());
    const lidkoping = await t.ok<{ clientId: string; intakeId: string }>('intake.register', policeReport('Dagny Exempelsson', '1494'));
    const vara = await t.ok<{ clientId: string; intakeId: string }>('intake.register', policeReport('Elsa Påhittad', '1470'));
    // Götene takes no part in the women's Etapp 2: Utväg's own coordinator does that outreach, and it is not on the list.
    await t.ok('intake.register', policeReport('Frida Låtsas', '1471'));
    await t.ok('intake.register', intakeInput('perpetrator', 'Gustav Fiktivsson', { referralSource: 'police' }));
    const lastSeq = () => (t.app.db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM access_log').get() as { seq: number }).seq;
    const rowsAfter = (seq: number) =>
      t.app.db.prepare('SELECT client_id AS clientId, record FROM access_log WHERE seq > ? ORDER BY seq').all(seq) as {
        clientId: string;
        record: string;
      }[];

    const seq = lastSeq();
    const overview = await t.ok<{
      participation: { track: string; municipalities: { name: string }[] }[];
      intakes: { intakeId: string; clientId: string; municipalityName: string; status: string | null }[];
    }>('etapp2.followUps', { side: 'victims', from: '2020-01-01' });
    expect(overview.participation).toEqual([
      {
        track: 'victim',
        municipalities: expect.arrayContaining([
          { code: '1494', name: 'Lidköping' },
          { code: '1470', name: 'Vara' },
        ]),
      },
    ]);
    expect(overview.intakes.map((intake) => [intake.municipalityName, intake.status])).toEqual([
      ['Lidköping', null],
      ['Vara', null],
    ]);
    expect(
      rowsAfter(seq)
        .map((row) => row.clientId)
        .sort(),
    ).toEqual([lidkoping.clientId, vara.clientId].sort());

    const changed = await t.ok<{ status: string; updatedOn: string }>('etapp2.setFollowUp', {
      side: 'victims',
      intakeId: lidkoping.intakeId,
      status: 'offered_group',
    });
    expect(changed.status).toBe('offered_group');
    await t.ok('etapp2.setFollowUp', { side: 'victims', intakeId: lidkoping.intakeId, status: 'joined' });
    const after = await t.ok<{ intakes: { intakeId: string; status: string | null }[] }>('etapp2.followUps', { side: 'victims', from: '2020-01-01' });
    expect(after.intakes.find((intake) => intake.intakeId === lidkoping.intakeId)?.status).toBe('joined');
    // From a later date on, the earlier intakes are not listed.
    expect((await t.ok<{ intakes: unknown[] }>('etapp2.followUps', { side: 'victims', from: '2099-01-01' })).intakes).toEqual([]);

    // The perpetrators' side sees no routed intake and changes none.
    expect((await t.ok<{ intakes: unknown[] }>('etapp2.followUps', { side: 'perpetrators', from: '2020-01-01' })).intakes).toEqual([]);
    expect(await t.call('etapp2.setFollowUp', { side: 'perpetrators', intakeId: vara.intakeId, status: 'declined' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'error.etapp2.notFound' },
    });
  });
});
