import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { suppressed } from '../../main/services/statistics.js';
import { REFERRAL_SOURCES, ROUTINGS, type StatsCount, type StatsReport } from '../../preload/contract/index.js';
import { ENGINES, openReception, useEngines, type Engine, type ReceptionEngineApp } from '../helpers/engineApp.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
/** On both engines (#14), but for the local journal's backup and restore (the server's are tested in serverBackup). */
const engines = useEngines();

/** A reception journal whose clock the test moves (now until moved). */
async function journal(engine: Engine): Promise<ReceptionEngineApp & { clock: { at: Date | null } }> {
  const clock = { at: null as Date | null };
  const t = await openReception(engines, engine, { now: () => clock.at ?? new Date() });
  return Object.assign(t, { clock });
}

/** The calendar quarter of today in Swedish time, where the intakes registered now fall. */
function currentQuarter(): { year: number; quarter: number } {
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
  return { year: Number(today.slice(0, 4)), quarter: Math.ceil(Number(today.slice(5, 7)) / 3) };
}

/** Moves the journal's clock to a few days into the next quarter, so that the current one has ended. */
function moveClockPast(t: { clock: { at: Date | null } }, { year, quarter }: { year: number; quarter: number }) {
  const next = quarter === 4 ? { year: year + 1, month: 1 } : { year, month: quarter * 3 + 1 };
  t.clock.at = new Date(`${next.year}-${String(next.month).padStart(2, '0')}-05T10:00:00Z`);
}

const isSmall = (count: StatsCount) => typeof count === 'number' && count >= 1 && count <= 4;

describe('statistics', () => {
  it('shows every count from 0 to 4 as <5, and only those', () => {
    expect([0, 1, 4, 5, 17].map(suppressed)).toEqual([null, null, null, 5, 17]);
  });
});

describe.each(ENGINES)('statistics (%s)', (engine) => {
  it('reports a whole ended quarter for the whole centre, lists every category, and leaves no small count to subtract', async () => {
    const t = await journal(engine);
    const names: string[] = [];
    const phones: string[] = [];
    // Six victims from the police in Lidköping (Etapp 2) and two perpetrators who called themselves.
    for (let i = 0; i < 6; i += 1) {
      const name = `Statistika Fiktivsdotter ${i}`;
      const phone = `070-000 00 ${String(10 + i)}`;
      names.push(name);
      phones.push(phone);
      await t.newClient('victim', name, {
        referralSource: 'police',
        childrenUnder18: 1,
        municipalityCode: '1494',
        reason: `Fritext som aldrig får synas ${i}`,
        safeContact: {
          phone,
          safeToCall: true,
          safeToText: false,
          safeVoicemail: false,
          safeTimes: '',
          codeWord: 'Hemligt kodord',
          instructions: '',
        },
      });
    }
    for (let i = 0; i < 2; i += 1) {
      names.push(`Statistik Påhittsson ${i}`);
      await t.newClient('perpetrator', `Statistik Påhittsson ${i}`);
    }
    const quarter = currentQuarter();
    // The quarter still running is refused: read today and again next week, the difference would be who came between.
    const running = { ok: false, error: { code: 'INVALID_INPUT', fields: { quarter: 'error.stats.notEnded' } } };
    expect(await t.call('stats.report', quarter)).toMatchObject(running);
    expect(await t.call('stats.exportCsv', quarter)).toMatchObject(running);

    moveClockPast(t, quarter);
    const report = await t.ok<StatsReport>('stats.report', quarter);
    expect(report.period).toMatchObject(quarter);
    // Every category is there, whether or not anyone is in it: a row that appeared only for someone would say so.
    expect(report.referralSources.map((row) => row.key)).toEqual(expect.arrayContaining([...REFERRAL_SOURCES]));
    expect(report.routings.map((row) => row.key)).toEqual([...ROUTINGS]);
    expect(report.clientsByMunicipality.length).toBeGreaterThanOrEqual(26);
    expect(report.appointments).toHaveLength(30);
    const counts: StatsCount[] = [
      report.firstContacts,
      ...report.referralSources.map((row) => row.count),
      ...report.routings.map((row) => row.count),
      ...report.clientsByTrack.flatMap((row) => [row.new, row.continuing]),
      ...report.clientsByMunicipality.map((row) => row.count),
      ...report.appointments.map((row) => row.count),
    ];
    expect(counts.filter(isSmall)).toEqual([]);
    expect(counts.filter((count) => count === 0)).toEqual([]);
    // The two self-referred men: 8 − 6 by the referral sources, by the routings (police = Etapp 2 + coordinator,
    // everything else "no outreach"), by the tracks and by the municipalities. None of these subtractions may be possible.
    const count = (rows: { key?: string; code?: string; track?: string; count?: StatsCount; new?: StatsCount }[], key: string) =>
      rows.find((row) => row.key === key || row.code === key || row.track === key);
    const shown = (value: StatsCount | undefined): value is number => typeof value === 'number';
    const police = count(report.referralSources, 'police')!.count;
    const etapp2 = count(report.routings, 'etapp2_social_secretary')!.count;
    const victims = count(report.clientsByTrack, 'victim')!.new;
    const lidkoping = count(report.clientsByMunicipality, '1494')!.count;
    for (const part of [police, etapp2, victims, lidkoping]) expect(shown(report.firstContacts) && shown(part)).toBe(false);
    expect(count(report.referralSources, 'self')!.count).toBeNull();
    expect(count(report.routings, 'not_applicable')!.count).toBeNull();

    const { csv } = await t.ok<{ csv: string }>('stats.exportCsv', quarter);
    expect(csv).toContain(`period,${quarter.year}-K${quarter.quarter},`);
    expect(csv).toContain('remissvag,self,<5');
    expect(csv).toContain('remissvag,school,<5');
    expect(csv).toContain('forklaring,<5,antal från 0 till 4');
    expect(csv).toContain('forklaring,x,dolt så att små tal inte kan räknas fram; kan vara vilket tal som helst');
    expect(csv).not.toMatch(/,[0-4]\r?\n/);
    for (const secret of [...names, ...phones, 'Fritext', 'Hemligt kodord', 'Fiktivsdotter', 'Påhittsson']) expect(csv).not.toContain(secret);
    expect(JSON.stringify(report)).not.toMatch(/Fiktivsdotter|Påhittsson|070-000|Fritext/);

    // The quarter before holds none of them: every count reads "<5".
    const before = quarter.quarter === 1 ? { year: quarter.year - 1, quarter: 4 } : { year: quarter.year, quarter: quarter.quarter - 1 };
    const empty = await t.ok<StatsReport>('stats.report', before);
    expect(empty.firstContacts).toBeNull();
    expect(empty.referralSources.every((row) => row.count === null)).toBe(true);

    // The log names the quarter read, and no client.
    const rows = await t.db.all(`SELECT record, client_id AS clientId FROM access_log WHERE record LIKE 'stats%' ORDER BY seq`);
    expect(rows).toContainEqual({ record: `stats:${quarter.year}-Q${quarter.quarter}`, clientId: null });
    expect(rows).toContainEqual({ record: `stats-export:${quarter.year}-Q${quarter.quarter}`, clientId: null });
  });

  it('fixes a quarter the first time it is produced: a later correction gives it no second version to subtract', async () => {
    const t = await journal(engine);
    const clients: string[] = [];
    for (let i = 0; i < 7; i += 1) clients.push(await t.newClient('victim', `Rättelse Fiktivsdotter ${i}`, { municipalityCode: '1494' }));
    const quarter = currentQuarter();
    moveClockPast(t, quarter);
    const first = await t.ok<StatsReport>('stats.report', quarter);
    const firstCsv = (await t.ok<{ csv: string }>('stats.exportCsv', quarter)).csv;
    const lidkoping = (report: StatsReport) => report.clientsByMunicipality.find((row) => row.code === '1494')!.count;
    expect(lidkoping(first)).toBe(7);

    // Two of them turn out to live in Skövde: computed afresh, Lidköping would read "5" and the difference give away 2.
    await t.db.run(`UPDATE clients SET municipality_code = '1496' WHERE id IN (?, ?)`, clients[0], clients[1]);
    const later = new Date(t.clock.at!.getTime() + 30 * 24 * 3600_000);
    t.clock.at = later;
    const again = await t.ok<StatsReport>('stats.report', quarter);
    expect(again).toEqual(first);
    expect(lidkoping(again)).toBe(7);
    expect((await t.ok<{ csv: string }>('stats.exportCsv', quarter)).csv).toBe(firstCsv);
    expect(Date.parse(again.fixedAt)).toBeLessThan(later.getTime());

    // What is kept is only the published, protected figures, and the journal refuses to change them.
    const kept = await t.db.all<{ report: string }>('SELECT report FROM stats_quarters');
    expect(kept).toHaveLength(1);
    expect(kept[0]!.report).not.toMatch(/Fiktivsdotter/);
    await expect(t.db.run(`UPDATE stats_quarters SET report = '{}'`)).rejects.toThrow(/fixed/);
    await expect(t.db.run('DELETE FROM stats_quarters')).rejects.toThrow(/fixed/);
  });

  // A local backup and restore: the local journal's own (the server's backups are tested in serverBackup).
  it.skipIf(engine === 'postgres')('keeps a published quarter as published through the restore of an older backup', async () => {
    const t = await journal(engine);
    const clients: string[] = [];
    for (let i = 0; i < 7; i += 1) clients.push(await t.newClient('victim', `Återställd Fiktivsdotter ${i}`, { municipalityCode: '1494' }));
    const quarter = currentQuarter();
    moveClockPast(t, quarter);
    // A backup from before the quarter was first produced, so it holds no fixed figures for it.
    const file = path.join(tempDir(), 'före-statistiken.db');
    const passphrase = 'sju-gröna-kaniner-hoppar-över-diket';
    await t.ok('backup.export', { path: file, passphrase, passphraseRepeat: passphrase });
    await t.db.run(`UPDATE clients SET municipality_code = '1496' WHERE id IN (?, ?)`, clients[0], clients[1]);
    const published = await t.ok<StatsReport>('stats.report', quarter);
    // Two moved away: Lidköping no longer reads 7 (5, or hidden so that Skövde's two cannot be worked out).
    expect(published.clientsByMunicipality.find((row) => row.code === '1494')!.count).not.toBe(7);
    await t.ok('backup.restore', { path: file, passphrase });
    // The restored data says 7 in Lidköping; the quarter still reads as it was published.
    expect(await t.db.get(`SELECT count(*) AS n FROM clients WHERE municipality_code = '1494'`)).toEqual({ n: 7 });
    expect(await t.ok<StatsReport>('stats.report', quarter)).toEqual(published);
  });

  it('produces no other report: no free dates, no single unit, no quarter to come', async () => {
    const t = await journal(engine);
    const refused = { ok: false, error: { code: 'INVALID_INPUT' } };
    // Only whole quarters of the whole centre exist, so no report can be subtracted from another.
    expect(await t.call('stats.report', { from: '2026-01-01', to: '2026-03-24', siteId: null })).toMatchObject(refused);
    expect(await t.call('stats.report', { year: 2026, quarter: 1, siteId: 'skaraborg' })).toMatchObject(refused);
    expect(await t.call('stats.report', { year: 2026, quarter: 5 })).toMatchObject(refused);
    expect(await t.call('stats.exportCsv', { year: 2026, quarter: 0 })).toMatchObject(refused);
    expect(await t.call('stats.report', { year: 2099, quarter: 1 })).toMatchObject({
      ok: false,
      error: { fields: { quarter: 'error.stats.notEnded' } },
    });
  });
});
