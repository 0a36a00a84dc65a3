import { describe, expect, it } from 'vitest';
import { intakeInput, setUpReception } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();

/** A police report about a woman with children, from a municipality that takes part in Etapp 2 or not. */
const policeReport = (name: string, municipalityCode: string) =>
  intakeInput('victim', name, { contactBy: 'outreach', referralSource: 'police', childrenUnder18: 2, municipalityCode });
/** A police report about a child (the children's track), from a municipality in the children's Etapp 2 or not. */
const childReport = (name: string, municipalityCode: string) =>
  intakeInput('child', name, { contactBy: 'outreach', referralSource: 'police', birthYear: 2019, gender: 'unknown', municipalityCode });

type Overview = {
  participation: { track: string; municipalities: { code: string; name: string }[] }[];
  intakes: { intakeId: string; clientId: string; track: string; municipalityName: string; status: string | null }[];
};
type Registered = { clientId: string; intakeId: string; routing: { decision: string; reason: string } };

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
    }>('etapp2.followUps', { side: 'victims', track: 'victim', from: '2020-01-01' });
    expect(overview.participation).toEqual([
      {
        track: 'victim',
        municipalities: expect.arrayContaining([
          { code: '1494', name: 'Lidköping' },
          { code: '1470', name: 'Vara' },
        ]),
      },
      { track: 'child', municipalities: expect.arrayContaining([{ code: '1471', name: 'Götene' }]) },
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
    const after = await t.ok<{ intakes: { intakeId: string; status: string | null }[] }>('etapp2.followUps', {
      side: 'victims',
      track: 'victim',
      from: '2020-01-01',
    });
    expect(after.intakes.find((intake) => intake.intakeId === lidkoping.intakeId)?.status).toBe('joined');
    // From a later date on, the earlier intakes are not listed.
    expect((await t.ok<{ intakes: unknown[] }>('etapp2.followUps', { side: 'victims', track: 'victim', from: '2099-01-01' })).intakes).toEqual([]);

    // The perpetrators' side sees no routed intake and changes none.
    for (const track of ['victim', 'child'])
      expect((await t.ok<{ intakes: unknown[] }>('etapp2.followUps', { side: 'perpetrators', track, from: '2020-01-01' })).intakes).toEqual([]);
    expect(await t.call('etapp2.setFollowUp', { side: 'perpetrators', intakeId: vara.intakeId, status: 'declined' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'error.etapp2.notFound' },
    });
  });

  it("routes a police report about a child by the children's Etapp 2, a setting admins keep per track, and lists each track on its own", async () => {
    const t = await setUpReception(tempDir());
    // Götene takes part in the children's Etapp 2 only, Lidköping in the women's only (the migrations' starting settings).
    const gotene = await t.ok<Registered>('intake.register', childReport('Hugo Påhittadsson', '1471'));
    expect(gotene.routing).toEqual({ decision: 'etapp2_social_secretary', reason: 'routing.reason.etapp2Children' });
    const lidkoping = await t.ok<Registered>('intake.register', childReport('Ida Låtsasdotter', '1494'));
    expect(lidkoping.routing).toEqual({ decision: 'utvag_coordinator', reason: 'routing.reason.notEtapp2ChildrenMunicipality' });
    const woman = await t.ok<Registered>('intake.register', policeReport('Jenny Exempeldotter', '1471'));
    expect(woman.routing).toEqual({ decision: 'utvag_coordinator', reason: 'routing.reason.notEtapp2Municipality' });
    expect((await t.ok<Registered>('intake.register', childReport('Kim Fiktiv', 'other'))).routing.decision).toBe('utvag_coordinator');
    // Not a police report: no outreach at all, whatever the municipality.
    expect(
      (await t.ok<Registered>('intake.register', intakeInput('child', 'Lo Fiktiv', { referralSource: 'school', municipalityCode: '1471' }))).routing,
    ).toEqual({ decision: 'not_applicable', reason: 'routing.reason.notPolice' });

    // Each track's list holds its own routed intakes only, and the log says which list was shown.
    const seq = (t.app.db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM access_log').get() as { seq: number }).seq;
    const children = await t.ok<Overview>('etapp2.followUps', { side: 'victims', track: 'child', from: '2020-01-01' });
    expect(children.intakes.map((intake) => [intake.municipalityName, intake.track, intake.clientId])).toEqual([
      ['Götene', 'child', gotene.clientId],
    ]);
    expect(children.participation.find((one) => one.track === 'child')?.municipalities.map((one) => one.name)).toEqual([
      'Falköping',
      'Götene',
      'Skövde',
      'Töreboda',
    ]);
    expect(t.app.db.prepare('SELECT client_id AS clientId, record FROM access_log WHERE seq > ? ORDER BY seq').all(seq)).toEqual([
      { clientId: gotene.clientId, record: 'etapp2:victims:children:2020-01-01' },
    ]);
    expect((await t.ok<Overview>('etapp2.followUps', { side: 'victims', track: 'victim', from: '2020-01-01' })).intakes).toEqual([]);
    await t.ok('etapp2.setFollowUp', { side: 'victims', intakeId: gotene.intakeId, status: 'contacted' });
    expect((await t.ok<Overview>('etapp2.followUps', { side: 'victims', track: 'child', from: '2020-01-01' })).intakes[0]?.status).toBe('contacted');
    // Only the tracks with an Etapp 2 have a list.
    expect(await t.call('etapp2.followUps', { side: 'victims', track: 'perpetrator', from: '2020-01-01' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });

    // An admin sets Lidköping into the children's Etapp 2 (its women's participation kept): the next child's police report goes there.
    const org = await t.ok<{ municipalities: { code: string; etapp2: boolean; etapp2Children: boolean }[] }>('org.setMunicipality', {
      code: '1494',
      name: 'Lidköping',
      region: 'skaraborg',
      etapp2: true,
      etapp2Children: true,
    });
    expect(org.municipalities.find((one) => one.code === '1494')).toMatchObject({ etapp2: true, etapp2Children: true });
    expect((await t.ok<Registered>('intake.register', childReport('Malte Låtsasson', '1494'))).routing.decision).toBe('etapp2_social_secretary');
    // The earlier intake keeps the decision made at its first call.
    expect(
      (await t.ok<Overview>('etapp2.followUps', { side: 'victims', track: 'child', from: '2020-01-01' })).intakes.map((one) => one.municipalityName),
    ).toEqual(['Götene', 'Lidköping']);
    // "Other municipality" takes part in neither track, refused next to the box that asked.
    expect(
      await t.call('org.setMunicipality', { code: 'other', name: 'Annan kommun', region: 'other', etapp2: false, etapp2Children: true }),
    ).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'error.municipality.etapp2Other', fields: { etapp2Children: 'error.municipality.etapp2Other' } },
    });
  });
});
