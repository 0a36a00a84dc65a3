import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/connection.js';
import { listMunicipalities, listSites } from '../../db/org.js';
import { appointmentsBy, clientsByMunicipality, clientsByTrack, daysToFirstAppointment, intakesBy, type StatsScope } from '../../db/statistics.js';
import type { StatsReport } from '../../preload/contract.js';
import { DomainError } from './errors.js';
import { addLocalDays, localToUtc } from './time.js';

/** Counts from 1 to 4 could point at a person: they are shown as "<5" everywhere, CSV included. */
export const SUPPRESS_BELOW = 5;

export function suppressed(count: number): number | null {
  return count > 0 && count < SUPPRESS_BELOW ? null : count;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Aggregate counts for a period (local dates, both inclusive) and a unit, with small counts suppressed. */
export function statisticsReport(db: Db, input: { from: string; to: string; siteId: string | null }): StatsReport {
  if (input.to < input.from) throw new DomainError('INVALID_INPUT', 'error.stats.period', { to: 'error.stats.period' });
  if (input.siteId && !listSites(db).some((site) => site.id === input.siteId))
    throw new DomainError('INVALID_INPUT', 'error.site.unknown', { siteId: 'error.site.unknown' });
  const scope: StatsScope = {
    from: localToUtc(input.from, '00:00', 'from'),
    to: localToUtc(addLocalDays(input.to, 1), '00:00', 'to'),
    siteId: input.siteId,
  };
  const municipalities = new Map(listMunicipalities(db).map((municipality) => [municipality.code, municipality.name]));
  const tracks = clientsByTrack(db, scope);
  const appointments = appointmentsBy(db, scope);
  const attended = appointments.filter((row) => row.status === 'done').reduce((sum, row) => sum + row.n, 0);
  const noShows = appointments.filter((row) => row.status === 'no_show').reduce((sum, row) => sum + row.n, 0);
  const firstContacts = intakesBy(db, scope, 'outcome').reduce((sum, row) => sum + row.n, 0);
  const days = daysToFirstAppointment(db, scope);
  return {
    period: { from: input.from, to: input.to, siteId: input.siteId },
    clientsByTrack: ['victim', 'perpetrator', 'child'].map((track) => {
      const row = (isNew: number) => tracks.find((candidate) => candidate.track === track && candidate.isNew === isNew)?.n ?? 0;
      return { track: track as 'victim' | 'perpetrator' | 'child', new: suppressed(row(1)), continuing: suppressed(row(0)) };
    }),
    clientsByMunicipality: clientsByMunicipality(db, scope).map((row) => ({
      code: row.key,
      name: municipalities.get(row.key) ?? row.key,
      count: suppressed(row.n),
    })),
    referralSources: intakesBy(db, scope, 'referral_source').map((row) => ({ key: row.key, count: suppressed(row.n) })),
    firstContacts: suppressed(firstContacts),
    appointments: appointments.map((row) => ({
      kind: row.kind as StatsReport['appointments'][number]['kind'],
      status: row.status as StatsReport['appointments'][number]['status'],
      count: suppressed(row.n),
    })),
    // A rate from fewer than five appointments says more about a person than about the service.
    noShowRate: attended + noShows >= SUPPRESS_BELOW ? Math.round((noShows / (attended + noShows)) * 1000) / 10 : null,
    medianDaysToFirstAppointment: days.length >= SUPPRESS_BELOW ? Math.round(median(days)! * 10) / 10 : null,
    routings: intakesBy(db, scope, 'routing').map((row) => ({ key: row.key as StatsReport['routings'][number]['key'], count: suppressed(row.n) })),
  };
}

const shown = (count: number | null) => (count === null ? '<5' : String(count));

/** The report as CSV: one row per figure (section, category, value). Suppressed counts read "<5". */
export function statisticsCsv(report: StatsReport): string {
  const rows: string[][] = [];
  for (const row of report.clientsByTrack) {
    rows.push(['klienter_per_spar', `${row.track}:ny`, shown(row.new)], ['klienter_per_spar', `${row.track}:fortsatt`, shown(row.continuing)]);
  }
  for (const row of report.clientsByMunicipality) rows.push(['klienter_per_kommun', `${row.code} ${row.name}`, shown(row.count)]);
  for (const row of report.referralSources) rows.push(['remissvag', row.key, shown(row.count)]);
  rows.push(['forsta_kontakter', 'alla', shown(report.firstContacts)]);
  for (const row of report.appointments) rows.push(['tider', `${row.kind}:${row.status}`, shown(row.count)]);
  rows.push(['uteblivna_procent', 'alla', report.noShowRate === null ? '<5' : String(report.noShowRate)]);
  rows.push([
    'median_dagar_till_forsta_tid',
    'alla',
    report.medianDaysToFirstAppointment === null ? '<5' : String(report.medianDaysToFirstAppointment),
  ]);
  for (const row of report.routings) rows.push(['etapp2_routing', row.key, shown(row.count)]);
  return stringify(rows, { header: true, columns: ['avsnitt', 'kategori', 'antal'], bom: true });
}
