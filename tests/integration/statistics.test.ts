import { describe, expect, it } from 'vitest';
import { suppressed } from '../../main/services/statistics.js';
import { setUpReception } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const DAY = '2031-03-03';

describe('statistics', () => {
  it('suppresses counts from 1 to 4, and only those', () => {
    expect([0, 1, 4, 5, 17].map(suppressed)).toEqual([0, null, null, 5, 17]);
  });

  it('counts by track, municipality, referral source and routing, shows small counts as <5, and holds no personal data', async () => {
    const t = await setUpReception(tempDir());
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
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
    const report = await t.ok<{
      clientsByTrack: { track: string; new: number | null; continuing: number | null }[];
      clientsByMunicipality: { code: string; count: number | null }[];
      referralSources: { key: string; count: number | null }[];
      routings: { key: string; count: number | null }[];
      firstContacts: number | null;
    }>('stats.report', { from: today, to: today, siteId: null });
    expect(report.clientsByTrack).toContainEqual({ track: 'victim', new: 6, continuing: 0 });
    expect(report.clientsByTrack).toContainEqual({ track: 'perpetrator', new: null, continuing: 0 });
    expect(report.clientsByMunicipality).toContainEqual(expect.objectContaining({ code: '1494', count: 6 }));
    expect(report.clientsByMunicipality).toContainEqual(expect.objectContaining({ code: '1496', count: null }));
    expect(report.referralSources).toEqual(
      expect.arrayContaining([
        { key: 'police', count: 6 },
        { key: 'self', count: null },
      ]),
    );
    expect(report.routings).toContainEqual({ key: 'etapp2_social_secretary', count: 6 });
    expect(report.firstContacts).toBe(8);

    const { csv } = await t.ok<{ csv: string }>('stats.exportCsv', { from: today, to: today, siteId: 'skaraborg' });
    expect(csv).toContain('klienter_per_spar,perpetrator:ny,<5');
    expect(csv).toContain('etapp2_routing,etapp2_social_secretary,6');
    for (const secret of [...names, ...phones, 'Fritext', 'Hemligt kodord', 'Fiktivsdotter', 'Påhittsson']) expect(csv).not.toContain(secret);
    expect(JSON.stringify(report)).not.toMatch(/Fiktivsdotter|Påhittsson|070-000|Fritext/);
    // Another period holds none of them.
    const empty = await t.ok<{ firstContacts: number | null }>('stats.report', { from: DAY, to: DAY, siteId: 'sodra-alvsborg' });
    expect(empty.firstContacts).toBe(0);
    expect(await t.call('stats.report', { from: DAY, to: '2031-03-01', siteId: null })).toMatchObject({
      ok: false,
      error: { fields: { to: 'error.stats.period' } },
    });
  });
});
