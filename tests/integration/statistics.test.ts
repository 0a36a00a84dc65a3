import { describe, expect, it } from 'vitest';
import { suppressed } from '../../main/services/statistics.js';
import type { StatsReport } from '../../preload/contract.js';
import { setUpReception } from '../helpers/reception.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
const DAY = '2031-03-03';

describe('statistics', () => {
  it('suppresses counts from 1 to 4, and only those', () => {
    expect([0, 1, 4, 5, 17].map(suppressed)).toEqual([0, null, null, 5, 17]);
  });

  it('counts by track, municipality, referral source and routing, shows small counts as <5 and hides what would give them away', async () => {
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
    const report = await t.ok<StatsReport>('stats.report', { from: today, to: today, siteId: null });
    // First contacts read 8, so a shown 6 beside a "<5" would make it 8 − 6 = 2: every such 6 reads "x".
    expect(report.firstContacts).toBe(8);
    expect(report.referralSources).toEqual([
      { key: 'police', count: 'hidden' },
      { key: 'self', count: null },
    ]);
    expect(report.routings).toEqual([
      { key: 'etapp2_social_secretary', count: 'hidden' },
      { key: 'not_applicable', count: null },
    ]);
    // New clients are first contacts, and the municipalities add up to the same clients.
    expect(report.clientsByTrack).toContainEqual({ track: 'victim', new: 'hidden', continuing: 0 });
    expect(report.clientsByTrack).toContainEqual({ track: 'perpetrator', new: null, continuing: 0 });
    expect(report.clientsByMunicipality).toContainEqual(expect.objectContaining({ code: '1494', count: 'hidden' }));
    expect(report.clientsByMunicipality).toContainEqual(expect.objectContaining({ code: '1496', count: null }));

    const { csv } = await t.ok<{ csv: string }>('stats.exportCsv', { from: today, to: today, siteId: 'skaraborg' });
    expect(csv).toContain('klienter_per_spar,perpetrator:ny,<5');
    expect(csv).toContain('remissvag,police,x');
    expect(csv).toContain('remissvag,self,<5');
    expect(csv).toContain('forsta_kontakter,alla,8');
    expect(csv).toContain('etapp2_routing,etapp2_social_secretary,x');
    expect(csv).toContain('forklaring,x,dolt så att små tal inte kan räknas fram');
    expect(csv).not.toMatch(/,6\r?\n/);
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
  it('hides a shown count when two <5 referral sources add up to 2, and leaves shown what gives nothing away', async () => {
    const t = await setUpReception(tempDir());
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
    // Six self-referred perpetrators, one man sent by the social services and one by probation: 6 + 1 + 1 = 8.
    for (let i = 0; i < 6; i += 1) await t.newClient('perpetrator', `Tvåsummig Påhittsson ${i}`);
    await t.newClient('perpetrator', 'Socialis Låtsasson', { referralSource: 'social_services' });
    await t.newClient('perpetrator', 'Frivårds Fiktivsson', { referralSource: 'probation' });
    const report = await t.ok<StatsReport>('stats.report', { from: today, to: today, siteId: 'skaraborg' });
    expect(report.firstContacts).toBe(8);
    // 8 − 6 leaves 2 for the two "<5": both would be 1. The 6 goes, and they could be 1 and 1, 1 and 2 or 2 and 1.
    expect(report.referralSources).toEqual([
      { key: 'probation', count: null },
      { key: 'self', count: 'hidden' },
      { key: 'social_services', count: null },
    ]);
    // Every one of them needs no outreach (no police report), one routing of 8: nothing small there.
    expect(report.routings).toEqual([{ key: 'not_applicable', count: 8 }]);
    expect(report.clientsByTrack).toContainEqual({ track: 'perpetrator', new: 8, continuing: 0 });
    const { csv } = await t.ok<{ csv: string }>('stats.exportCsv', { from: today, to: today, siteId: 'skaraborg' });
    expect(csv).toContain('remissvag,self,x');
    expect(csv).toContain('remissvag,probation,<5');

    // Six more from the police: the two "<5" sit beside two 6s; hiding one, the first in the report's order, is enough.
    for (let i = 0; i < 6; i += 1) await t.newClient('perpetrator', `Polisiär Påhittsson ${i}`, { referralSource: 'police' });
    const more = await t.ok<StatsReport>('stats.report', { from: today, to: today, siteId: 'skaraborg' });
    expect(more.firstContacts).toBe(14);
    expect(more.referralSources).toEqual([
      { key: 'police', count: 'hidden' },
      { key: 'probation', count: null },
      { key: 'self', count: 6 },
      { key: 'social_services', count: null },
    ]);
    expect(more.routings).toContainEqual({ key: 'utvag_coordinator', count: 6 });
  });
  it('shows nothing, with a message, for a period whose few first contacts would be 1 each whatever is hidden', async () => {
    const t = await setUpReception(tempDir());
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
    // Four women from four referral sources, all from Skövde and none reported by the police: every group is one "<5"
    // (at most 4) except the referral sources, four "<5" that are at least 4 together, so 1 each.
    for (const [i, referralSource] of ['self', 'social_services', 'primary_care', 'hospital'].entries()) {
      await t.newClient('victim', `Fåtalig Påhittsdotter ${i}`, { referralSource });
    }
    const refused = { ok: false, error: { code: 'INVALID_INPUT', fields: { _: 'error.stats.tooFew' } } };
    expect(await t.call('stats.report', { from: today, to: today, siteId: 'skaraborg' })).toMatchObject(refused);
    expect(await t.call('stats.exportCsv', { from: today, to: today, siteId: null })).toMatchObject(refused);
    // A fifth makes first contacts 5: shown, and the four sources are no longer 1 each.
    await t.newClient('victim', 'Fåtalig Påhittsdotter 4', { referralSource: 'self' });
    const report = await t.ok<StatsReport>('stats.report', { from: today, to: today, siteId: 'skaraborg' });
    expect(report.firstContacts).toBe(5);
    expect(report.referralSources.map((row) => row.count)).toEqual([null, null, null, null]);
  });
});
