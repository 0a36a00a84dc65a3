import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/connection.js';
import { listMunicipalities, listSites } from '../../db/org.js';
import { appointmentsBy, clientsByMunicipality, clientsByTrack, daysToFirstAppointment, intakesBy, type StatsScope } from '../../db/statistics.js';
import { TRACKS, type StatsCount, type StatsReport } from '../../preload/contract.js';
import { DomainError } from './errors.js';
import { addLocalDays, localToUtc } from './time.js';

/** Counts from 1 to 4 could point at a person: they are shown as "<5" everywhere, CSV included. */
export const SUPPRESS_BELOW = 5;

/** Primary suppression: a count of 1 to 4 becomes null ("<5"); 0 and 5 or more stand. */
export function suppressed(count: number): number | null {
  return count > 0 && count < SUPPRESS_BELOW ? null : count;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// ---- Secondary suppression ---------------------------------------------------------------------
//
// "<5" alone does not hide a small count when the report also lets the reader add up. First
// contacts read 8, referral sources read police 6 and self-referral "<5": self-referral is 8 − 6 = 2.
// Two "<5" cells in a group whose hidden part is 2 are both 1. So the whole report is modelled as
// what a reader can reason with — every figure with the bounds its published form gives it, and
// every sum that holds between figures because of what they mean — and audited: the tightest range
// each figure can have is worked out, and while any "<5" or "x" is pinned to one value, or the
// hidden part of a group with a known total is 1–4, one more figure is hidden. First the smallest
// shown count of the group: it is 5 or more, so it reads "x", never a false "<5". When the group has
// no shown count left, its total goes (first contacts, the no-show rate); only then the counts of
// the groups that share a total with it.
//
// The sums, and why a reader knows them (see reportModel for the code):
// - referral sources add up to first contacts, and so do the Etapp 2 routings (one intake each);
// - the new clients of the three tracks add up to first contacts too: a client is created by the
//   intake of their first call, at the same instant and the same site, and never otherwise;
// - the active clients are the new ones plus the continuing ones, and the municipality counts add
//   up to the active clients as well (each active client has one home municipality or 'other');
// - the done appointments across kinds add up to all done ones, the no-shows likewise; the no-show
//   rate is no-shows / (done + no-shows), so with it either total gives the other away. The model
//   lets a shown rate give the reader both totals outright (more than a rounded rate really does),
//   and a rate shown as "<5" says done + no-shows is at most 4.
// Nothing else in the report is such a sum: the other appointment statuses have no published total,
// and the median days says nothing about how many clients lie behind it beyond "5 or more".
//
// The sums form a tree (no two of them share more than one figure, and they close no loop), so
// tightening bounds sum by sum until nothing changes gives each figure exactly the values it can
// really take; tests/unit/statisticsSuppression.test.ts checks this against trying every value.
//
// One pattern cannot be hidden by any honest mark: a group of "<5" cells only (four referral
// sources of one, say) under a total that another group holds to at most four (all four are new
// victims: one "<5"). The cells are then 1 each. protectFigures reports it as unresolved, and
// statisticsReport then shows nothing for that period and unit (error.stats.tooFew).

/**
 * What the reader is told about a figure: a number; null, "<5", which is 1–4; 'hidden', "x";
 * 'unpublished' for a total the report never prints (0 or more); 'under5' for 0–4, what a no-show
 * rate shown as "<5" says about done plus missed appointments.
 */
export type Mark = StatsCount | 'unpublished' | 'under5';

export interface Figure {
  /** The true count. It never leaves the main process unless its mark is that number. */
  value: number;
  mark: Mark;
  /**
   * A cell of a table, or a total that stands for a whole group. A cell is hidden only when shown
   * and not 0, so an "x" cell is 5 or more; a total may also be hidden when it reads "<5", so an
   * "x" total says nothing about its size (a lower bound of 5 on a sum of such cells never pins
   * one of them anyway: that would take "<5" cells whose greatest sum is exactly 5).
   */
  kind: 'cell' | 'total';
  /**
   * What hiding the figure changes, when it is more than the figure reading "x": the done and
   * no-show totals are only published through the no-show rate, and hiding the rate unpublishes both.
   */
  onHide?: Record<string, Mark>;
}

/** The parts add up to the total: something any reader knows from what the figures mean. */
export interface Sum {
  name: string;
  parts: string[];
  total: string;
}

export interface Range {
  lo: number;
  hi: number;
}

/** Why the audit is not yet satisfied: a hidden figure with one possible value, or a group whose hidden part is a known 1–4. */
export type Exposure = { figure: string } | { sum: string };

function rangeOf(figure: Figure): Range {
  const { mark } = figure;
  if (typeof mark === 'number') return { lo: mark, hi: mark };
  if (mark === null) return { lo: 1, hi: SUPPRESS_BELOW - 1 };
  if (mark === 'hidden' && figure.kind === 'cell') return { lo: SUPPRESS_BELOW, hi: Infinity };
  if (mark === 'under5') return { lo: 0, hi: SUPPRESS_BELOW - 1 };
  return { lo: 0, hi: Infinity };
}

/**
 * The tightest range of every figure, given the marks and the sums: for each sum, the total lies
 * between the least and the greatest the parts can add up to, and each part between the total's
 * bounds less the others'. Repeated until nothing moves. Throws if the figures break a sum: then the
 * model of what a reader knows is wrong, and publishing from it could leak.
 */
export function figureRanges(figures: ReadonlyMap<string, Figure>, sums: readonly Sum[]): Map<string, Range> {
  const ranges = new Map([...figures].map(([key, figure]) => [key, rangeOf(figure)]));
  const get = (key: string) => {
    const range = ranges.get(key);
    if (!range) throw new Error(`statistics: a sum names the unknown figure ${key}`);
    return range;
  };
  let changed = true;
  const tighten = (key: string, lo: number, hi: number) => {
    const range = get(key);
    const next = { lo: Math.max(range.lo, lo), hi: Math.min(range.hi, hi) };
    if (next.lo > next.hi) throw new Error(`statistics: the counts contradict the sums the disclosure audit assumes (${key})`);
    if (next.lo !== range.lo || next.hi !== range.hi) {
      ranges.set(key, next);
      changed = true;
    }
  };
  // A tree of sums settles within a few passes per sum; a bound that kept moving would be a bug, and no report is better than a leaky one.
  for (let pass = 0; changed; pass += 1) {
    if (pass > 100 + 10 * sums.length) throw new Error('statistics: the disclosure audit did not settle');
    changed = false;
    for (const sum of sums) {
      const parts = sum.parts.map(get);
      tighten(
        sum.total,
        parts.reduce((total, part) => total + part.lo, 0),
        parts.reduce((total, part) => total + part.hi, 0),
      );
      const total = get(sum.total);
      sum.parts.forEach((key, index) => {
        let othersLo = 0;
        let othersHi = 0;
        sum.parts.forEach((other, otherIndex) => {
          if (otherIndex === index) return;
          othersLo += get(other).lo;
          othersHi += get(other).hi;
        });
        tighten(key, total.lo - othersHi, total.hi - othersLo);
      });
    }
  }
  return ranges;
}

const isShown = (mark: Mark): mark is number => typeof mark === 'number';

/** Everything that still gives a small count away, in a fixed order. */
export function exposures(figures: ReadonlyMap<string, Figure>, sums: readonly Sum[], ranges: ReadonlyMap<string, Range>): Exposure[] {
  const found: Exposure[] = [];
  for (const [key, figure] of figures) {
    if (isShown(figure.mark)) continue;
    const range = ranges.get(key)!;
    if (range.lo !== range.hi) continue;
    // A "<5" or "x" the reader can pin down; or a total the report never prints that adds up to a known 1–4.
    if (figure.mark === null || figure.mark === 'hidden' || (range.lo > 0 && range.lo < SUPPRESS_BELOW)) found.push({ figure: key });
  }
  for (const sum of sums) {
    const total = ranges.get(sum.total)!;
    if (total.lo !== total.hi) continue;
    // The hidden part of a group with a known total is itself a count: "these categories together are 3" points at people too.
    const hiddenPart = sum.parts.reduce((rest, key) => {
      const mark = figures.get(key)!.mark;
      return isShown(mark) ? rest - mark : rest;
    }, total.lo);
    if (hiddenPart > 0 && hiddenPart < SUPPRESS_BELOW) found.push({ sum: sum.name });
  }
  return found;
}

/** A shown count of 5 or more, or a total in any published form ("<5" included). */
function hideable(figure: Figure): boolean {
  if (figure.kind === 'cell') return isShown(figure.mark) && figure.value > 0;
  return figure.mark !== 'hidden' && figure.mark !== 'unpublished';
}

/**
 * The figure to hide for an exposure: a hideable figure of a group the exposed figure belongs to —
 * a cell before a total, the smallest first, then in report order. Only when those groups have
 * nothing left to hide does the search widen to the groups that share a figure with them.
 */
function choose(figures: ReadonlyMap<string, Figure>, sums: readonly Sum[], exposure: Exposure): string | null {
  const order = [...figures.keys()];
  const members = (sum: Sum) => [...sum.parts, sum.total];
  let level = 'sum' in exposure ? sums.filter((sum) => sum.name === exposure.sum) : sums.filter((sum) => members(sum).includes(exposure.figure));
  const seen = new Set(level);
  while (level.length > 0) {
    const keys = [...new Set(level.flatMap(members))];
    const candidates = keys
      .filter((key) => hideable(figures.get(key)!))
      .sort((a, b) => {
        const [x, y] = [figures.get(a)!, figures.get(b)!];
        return (x.kind === 'cell' ? 0 : 1) - (y.kind === 'cell' ? 0 : 1) || x.value - y.value || order.indexOf(a) - order.indexOf(b);
      });
    if (candidates.length > 0) return candidates[0]!;
    level = sums.filter((sum) => !seen.has(sum) && members(sum).some((key) => keys.includes(key)));
    for (const sum of level) seen.add(sum);
  }
  return null;
}

/**
 * Secondary suppression: hides one figure at a time until the audit finds nothing pinned (or
 * nothing is left that could help). Pure: the input is not changed. `unresolved` is empty unless
 * the "<5" bounds alone still pin a figure once everything that could help is hidden (see the note
 * above Mark).
 */
export function protectFigures(input: ReadonlyMap<string, Figure>, sums: readonly Sum[]): { figures: Map<string, Figure>; unresolved: Exposure[] } {
  const figures = new Map([...input].map(([key, figure]) => [key, { ...figure }]));
  for (;;) {
    const found = exposures(figures, sums, figureRanges(figures, sums));
    if (found.length === 0) return { figures, unresolved: [] };
    const key = found.map((exposure) => choose(figures, sums, exposure)).find((candidate) => candidate !== null);
    if (!key) return { figures, unresolved: found };
    const figure = figures.get(key)!;
    for (const [other, mark] of Object.entries(figure.onHide ?? { [key]: 'hidden' })) figures.get(other)!.mark = mark;
  }
}

/**
 * The simplest case on its own: one group of counts whose total the reader is given (by default
 * its true sum, as a number or "<5"). Returns the published form of each count and of the total.
 */
export function protectGroup(
  counts: readonly number[],
  total: StatsCount = suppressed(counts.reduce((sum, n) => sum + n, 0)),
): {
  cells: StatsCount[];
  total: StatsCount;
  unresolved: boolean;
} {
  const keys = counts.map((_, index) => `cell:${index}`);
  const figures = new Map<string, Figure>(counts.map((value, index) => [keys[index]!, { value, mark: suppressed(value), kind: 'cell' }]));
  figures.set('total', { value: counts.reduce((sum, n) => sum + n, 0), mark: total, kind: 'total' });
  const result = protectFigures(figures, [{ name: 'group', parts: keys, total: 'total' }]);
  const mark = (key: string) => result.figures.get(key)!.mark as StatsCount;
  return { cells: keys.map(mark), total: mark('total'), unresolved: result.unresolved.length > 0 };
}

// ---- The report --------------------------------------------------------------------------------

/** The raw counts of one period and unit, as the queries in db/statistics.ts return them. */
export interface StatsCounts {
  tracks: { track: string; isNew: number; n: number }[];
  municipalities: { key: string; n: number }[];
  referrals: { key: string; n: number }[];
  routings: { key: string; n: number }[];
  appointments: { kind: string; status: string; n: number }[];
  firstContacts: number;
}

const cellKey = {
  track: (track: string, isNew: boolean) => `track:${track}:${isNew ? 'new' : 'continuing'}`,
  municipality: (code: string) => `municipality:${code}`,
  referral: (key: string) => `referral:${key}`,
  routing: (key: string) => `routing:${key}`,
  appointment: (kind: string, status: string) => `appointment:${kind}:${status}`,
};

/** The rate is shown from 5 done-or-missed appointments upward, as a percentage with one decimal. */
function noShowRateOf(done: number, noShows: number): number | null {
  return done + noShows >= SUPPRESS_BELOW ? Math.round((noShows / (done + noShows)) * 1000) / 10 : null;
}

/** The report's counts as figures and sums for the audit: see the comment above Mark for the sums and why they hold. */
export function reportModel(counts: StatsCounts): { figures: Map<string, Figure>; sums: Sum[] } {
  const figures = new Map<string, Figure>();
  const cell = (key: string, value: number) => figures.set(key, { value, mark: suppressed(value), kind: 'cell' });
  const trackCount = (track: string, isNew: boolean) => counts.tracks.find((row) => row.track === track && row.isNew === (isNew ? 1 : 0))?.n ?? 0;
  for (const track of TRACKS) {
    cell(cellKey.track(track, true), trackCount(track, true));
    cell(cellKey.track(track, false), trackCount(track, false));
  }
  for (const row of counts.municipalities) cell(cellKey.municipality(row.key), row.n);
  for (const row of counts.referrals) cell(cellKey.referral(row.key), row.n);
  for (const row of counts.routings) cell(cellKey.routing(row.key), row.n);
  for (const row of counts.appointments) cell(cellKey.appointment(row.kind, row.status), row.n);

  const sumOf = (rows: { n: number }[]) => rows.reduce((total, row) => total + row.n, 0);
  const done = sumOf(counts.appointments.filter((row) => row.status === 'done'));
  const noShows = sumOf(counts.appointments.filter((row) => row.status === 'no_show'));
  const rate = noShowRateOf(done, noShows);
  const newClients = sumOf(counts.tracks.filter((row) => row.isNew === 1));
  const continuing = sumOf(counts.tracks.filter((row) => row.isNew === 0));
  figures.set('firstContacts', { value: counts.firstContacts, mark: suppressed(counts.firstContacts), kind: 'total' });
  figures.set('newClients', { value: newClients, mark: 'unpublished', kind: 'total' });
  figures.set('continuingClients', { value: continuing, mark: 'unpublished', kind: 'total' });
  figures.set('activeClients', { value: newClients + continuing, mark: 'unpublished', kind: 'total' });
  // A shown rate hands the reader both totals (see above), a rate shown as "<5" bounds their sum. Hiding the rate, in
  // either form, leaves the reader neither.
  const hideRate = { done: 'unpublished', noShows: 'unpublished', doneOrNoShow: 'hidden' } as const;
  const shownRate = (value: number): Mark => (rate === null ? 'unpublished' : value);
  figures.set('done', { value: done, mark: shownRate(done), kind: 'total', onHide: hideRate });
  figures.set('noShows', { value: noShows, mark: shownRate(noShows), kind: 'total', onHide: hideRate });
  figures.set('doneOrNoShow', { value: done + noShows, mark: rate === null ? 'under5' : done + noShows, kind: 'total', onHide: hideRate });

  const keys = (prefix: string) => [...figures.keys()].filter((key) => key.startsWith(prefix));
  const sums: Sum[] = [
    { name: 'referralSources', parts: keys('referral:'), total: 'firstContacts' },
    { name: 'routings', parts: keys('routing:'), total: 'firstContacts' },
    { name: 'newClientsByTrack', parts: TRACKS.map((track) => cellKey.track(track, true)), total: 'newClients' },
    { name: 'continuingClientsByTrack', parts: TRACKS.map((track) => cellKey.track(track, false)), total: 'continuingClients' },
    { name: 'activeClients', parts: ['newClients', 'continuingClients'], total: 'activeClients' },
    { name: 'clientsByMunicipality', parts: keys('municipality:'), total: 'activeClients' },
    { name: 'doneByKind', parts: keys('appointment:').filter((key) => key.endsWith(':done')), total: 'done' },
    { name: 'noShowsByKind', parts: keys('appointment:').filter((key) => key.endsWith(':no_show')), total: 'noShows' },
    { name: 'doneOrNoShow', parts: ['done', 'noShows'], total: 'doneOrNoShow' },
  ];
  // New clients are first contacts (see above). Only a client with an appointment booked before their own first call
  // could break that; the reader cannot know it, and is then wrong by that much, so the sum is assumed only when it holds.
  if (newClients === counts.firstContacts) sums.push({ name: 'newClientsAreFirstContacts', parts: ['firstContacts'], total: 'newClients' });
  return { figures, sums };
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
  const counts: StatsCounts = {
    tracks: clientsByTrack(db, scope),
    municipalities: clientsByMunicipality(db, scope),
    referrals: intakesBy(db, scope, 'referral_source'),
    routings: intakesBy(db, scope, 'routing'),
    appointments: appointmentsBy(db, scope),
    firstContacts: intakesBy(db, scope, 'outcome').reduce((sum, row) => sum + row.n, 0),
  };
  const model = reportModel(counts);
  const { figures, unresolved } = protectFigures(model.figures, model.sums);
  // Where no honest mark keeps a small count from being worked out (a handful of first contacts, each its own
  // category), nothing is shown: better no statistics for so short a period than a count that points at someone.
  if (unresolved.length > 0) throw new DomainError('INVALID_INPUT', 'error.stats.tooFew', { _: 'error.stats.tooFew' });
  // Every figure below is read from the protected model: a count reaches the report only as its mark.
  const published = (key: string) => figures.get(key)!.mark as StatsCount;
  const done = figures.get('done')!.value;
  const noShows = figures.get('noShows')!.value;
  const days = daysToFirstAppointment(db, scope);
  return {
    period: { from: input.from, to: input.to, siteId: input.siteId },
    clientsByTrack: TRACKS.map((track) => ({
      track,
      new: published(cellKey.track(track, true)),
      continuing: published(cellKey.track(track, false)),
    })),
    clientsByMunicipality: counts.municipalities.map((row) => ({
      code: row.key,
      name: municipalities.get(row.key) ?? row.key,
      count: published(cellKey.municipality(row.key)),
    })),
    referralSources: counts.referrals.map((row) => ({ key: row.key, count: published(cellKey.referral(row.key)) })),
    firstContacts: published('firstContacts'),
    appointments: counts.appointments.map((row) => ({
      kind: row.kind as StatsReport['appointments'][number]['kind'],
      status: row.status as StatsReport['appointments'][number]['status'],
      count: published(cellKey.appointment(row.kind, row.status)),
    })),
    // A rate from fewer than five appointments says more about a person than about the service.
    noShowRate: figures.get('doneOrNoShow')!.mark === 'hidden' ? 'hidden' : noShowRateOf(done, noShows),
    medianDaysToFirstAppointment: days.length >= SUPPRESS_BELOW ? Math.round(median(days)! * 10) / 10 : null,
    routings: counts.routings.map((row) => ({
      key: row.key as StatsReport['routings'][number]['key'],
      count: published(cellKey.routing(row.key)),
    })),
  };
}

/** How a count reads in the CSV, as on screen: "<5" for 1–4, "x" for a count hidden so that a "<5" cannot be worked out. */
export function countText(count: StatsCount): string {
  if (count === null) return '<5';
  if (count === 'hidden') return 'x';
  return String(count);
}

/** The report as CSV: one row per figure (section, category, value), then what "<5" and "x" mean. */
export function statisticsCsv(report: StatsReport): string {
  const rows: string[][] = [];
  for (const row of report.clientsByTrack) {
    rows.push(
      ['klienter_per_spar', `${row.track}:ny`, countText(row.new)],
      ['klienter_per_spar', `${row.track}:fortsatt`, countText(row.continuing)],
    );
  }
  for (const row of report.clientsByMunicipality) rows.push(['klienter_per_kommun', `${row.code} ${row.name}`, countText(row.count)]);
  for (const row of report.referralSources) rows.push(['remissvag', row.key, countText(row.count)]);
  rows.push(['forsta_kontakter', 'alla', countText(report.firstContacts)]);
  for (const row of report.appointments) rows.push(['tider', `${row.kind}:${row.status}`, countText(row.count)]);
  rows.push(['uteblivna_procent', 'alla', countText(report.noShowRate)]);
  rows.push([
    'median_dagar_till_forsta_tid',
    'alla',
    report.medianDaysToFirstAppointment === null ? '<5' : String(report.medianDaysToFirstAppointment),
  ]);
  for (const row of report.routings) rows.push(['etapp2_routing', row.key, countText(row.count)]);
  // Whoever opens the file later reads the markers' meaning in it, not only on the screen it came from.
  rows.push(['forklaring', '<5', 'antal från 1 till 4'], ['forklaring', 'x', 'dolt så att små tal inte kan räknas fram']);
  return stringify(rows, { header: true, columns: ['avsnitt', 'kategori', 'antal'], bom: true });
}
