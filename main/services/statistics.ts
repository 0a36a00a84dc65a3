import { stringify } from 'csv-stringify/sync';
import type { Tx } from '../../db/engine/store.js';
import { listMunicipalities } from '../../db/org/index.js';
import {
  activeClients,
  appointmentsBy,
  daysToFirstAppointment,
  fixedQuarter,
  fixQuarter,
  intakesByReferralAndRouting,
  type StatsScope,
} from '../../db/statistics/index.js';
import {
  APPOINTMENT_KINDS,
  APPOINTMENT_STATUSES,
  REFERRAL_SOURCES,
  ROUTINGS,
  StatsReport,
  TRACKS,
  type StatsCount,
} from '../../preload/contract/index.js';
import { DomainError } from './errors.js';
import { addLocalDays, localToUtc, todayLocal } from './time.js';

/** Counts from 1 to 4 could point at a person: every count under 5 is shown as "<5", CSV included. */
export const SUPPRESS_BELOW = 5;

/**
 * Primary suppression: every count from 0 to 4 becomes null ("<5"); 5 or more stands. A 0 reads "<5"
 * too: were it shown, a "<5" would say "at least one", and one of a handful is what must stay hidden.
 */
export function suppressed(count: number): number | null {
  return count < SUPPRESS_BELOW ? null : count;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// ---- The method ----------------------------------------------------------------------------------
//
// What must hold: no reader, combining any reports the app can produce, can conclude that a count of
// people lies between 1 and 4. Three things together make that hold by construction.
//
// 1. Which reports exist. Only whole calendar quarters that have ended, and only for the centre as a
//    whole (both units). No two reports overlap in time or in people counted by time, none contains
//    another, and there is no unit report to subtract from the centre's: a longer period minus a
//    shorter one, or both units minus one, cannot be formed. A quarter still running is refused, so
//    the same quarter read a week apart cannot be subtracted either. What remains is each report on
//    its own.
// 2. What a report says. Every count under 5 reads "<5", 0 included, so "<5" means 0–4 and never
//    "someone is there". Every category is listed whether or not anyone is in it.
// 3. Secondary suppression against a real solver. The report is modelled as what a reader can reason
//    with: each figure with the values its published form allows ("<5": 0–4, a number: itself, "x":
//    any), and every sum that holds between figures because of what they mean (listed at reportModel).
//    For every count that truly lies between 1 and 4 — a single figure, or the hidden part of a group
//    whose total is known — an exhaustive search looks for another set of counts that fits everything
//    published and puts that count at 0 or at 5 or more. While one is missing, one more figure is
//    hidden ("x"). Hiding only ever widens what fits, so the loop ends, at worst with everything hidden.
//
// The search is exact (branch and bound over whole numbers, starting from the true counts), so loops
// of sums cost it nothing; a search that runs past its budget counts as a leak, and hides one more figure.

/**
 * What the reader is told about a figure: a number; null, "<5", which is 0–4; 'hidden', "x", any;
 * 'unpublished' for a total the report never prints (any); 'under5' for 0–4 and 'atLeast5' for 5 or
 * more, what a rate or median shown as "<5" or as a value says about how many are behind it.
 */
export type Mark = StatsCount | 'unpublished' | 'under5' | 'atLeast5';

export interface Figure {
  /** The true count. It never leaves the main process unless its mark is that number. */
  value: number;
  mark: Mark;
  /** A cell of a table, or a total that stands for a whole group: cells are hidden first. */
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

/** Why the audit is not yet satisfied: a figure, or the hidden part of a group, that can only be 1–4. */
export type Exposure = { figure: string } | { sum: string };

/** The values a mark allows. */
export function rangeOf(mark: Mark): Range {
  if (typeof mark === 'number') return { lo: mark, hi: mark };
  if (mark === null || mark === 'under5') return { lo: 0, hi: SUPPRESS_BELOW - 1 };
  if (mark === 'atLeast5') return { lo: SUPPRESS_BELOW, hi: Infinity };
  return { lo: 0, hi: Infinity };
}

class Contradiction extends Error {}

/**
 * Bounds propagation: for each sum, the total lies between the least and the greatest the parts can
 * add up to, and each part between the total's bounds less the others'. Repeated until nothing moves.
 * Every value it removes is impossible; on a tree of sums it leaves exactly the possible ones, on loops
 * perhaps more (the search below settles those). Throws Contradiction when nothing fits.
 */
function propagate(start: ReadonlyMap<string, Range>, sums: readonly Sum[]): Map<string, Range> {
  const ranges = new Map(start);
  const get = (key: string) => {
    const range = ranges.get(key);
    if (!range) throw new Error(`statistics: a sum names the unknown figure ${key}`);
    return range;
  };
  let changed = true;
  const tighten = (key: string, lo: number, hi: number) => {
    const range = get(key);
    const next = { lo: Math.max(range.lo, lo), hi: Math.min(range.hi, hi) };
    if (next.lo > next.hi) throw new Contradiction(key);
    if (next.lo !== range.lo || next.hi !== range.hi) {
      ranges.set(key, next);
      changed = true;
    }
  };
  while (changed) {
    changed = false;
    for (const sum of sums) {
      const parts = sum.parts.map(get);
      const partsLo = parts.reduce((total, part) => total + part.lo, 0);
      const partsHi = parts.reduce((total, part) => total + part.hi, 0);
      tighten(sum.total, partsLo, partsHi);
      const total = get(sum.total);
      sum.parts.forEach((key, index) => {
        const part = parts[index]!;
        // The others' bounds are the parts' bounds less this one's (Infinity − Infinity is no number).
        const othersHi = part.hi === Infinity ? sum.parts.reduce((t, other, i) => (i === index ? t : t + get(other).hi), 0) : partsHi - part.hi;
        tighten(key, total.lo - othersHi, total.hi - (partsLo - part.lo));
      });
    }
  }
  return ranges;
}

/** The tightest bounds propagation gives each figure from its mark and the sums. */
export function figureRanges(figures: ReadonlyMap<string, Figure>, sums: readonly Sum[]): Map<string, Range> {
  try {
    return propagate(new Map([...figures].map(([key, figure]) => [key, rangeOf(figure.mark)])), sums);
  } catch (error) {
    if (error instanceof Contradiction)
      throw new Error(`statistics: the counts contradict the sums the disclosure audit assumes (${error.message})`, { cause: error });
    throw error;
  }
}

/** How many branches one search may take before its count is treated as given away. */
const SEARCH_BUDGET = 4_000;

/**
 * Whether whole numbers exist that fit every range and every sum. Branch and bound: propagate, then
 * split the narrowest open range in two, the half holding the true count first (the truth fits all but
 * the one range the caller narrowed, so the answer is usually a step or two away). 'budget' when the
 * search ran out of branches: the caller must then assume nothing fits.
 */
export function fits(
  start: ReadonlyMap<string, Range>,
  sums: readonly Sum[],
  truth: ReadonlyMap<string, number>,
  budget = { left: SEARCH_BUDGET },
): boolean | 'budget' {
  if (budget.left-- <= 0) return 'budget';
  let ranges: Map<string, Range>;
  try {
    ranges = propagate(start, sums);
  } catch (error) {
    if (error instanceof Contradiction) return false;
    throw error;
  }
  let open: [string, Range] | null = null;
  for (const entry of ranges) {
    const [, range] = entry;
    if (range.lo === range.hi) continue;
    if (!open || range.hi - range.lo < open[1].hi - open[1].lo) open = entry;
  }
  // Every range is one value and propagation found no sum broken: these counts fit.
  if (!open) return true;
  const [key, range] = open;
  const value = Math.min(Math.max(truth.get(key) ?? range.lo, range.lo), range.hi);
  // Open above: try the true count's neighbourhood first, then the rest.
  const middle = range.hi === Infinity ? Math.max(value, range.lo) : Math.floor((range.lo + range.hi) / 2);
  const halves: Range[] = [
    { lo: range.lo, hi: middle },
    { lo: middle + 1, hi: range.hi },
  ];
  if (value > middle) halves.reverse();
  let ranOut = false;
  for (const half of halves) {
    const result = fits(new Map(ranges).set(key, half), sums, truth, budget);
    if (result === true) return true;
    if (result === 'budget') ranOut = true;
  }
  return ranOut ? 'budget' : false;
}

const isShown = (mark: Mark): mark is number => typeof mark === 'number';

/**
 * The counts a reader could pin to 1–4, one by one: figures, and hidden parts of groups, that truly lie
 * there and fit nowhere else. The search looks only below a ceiling well above every true count (twice
 * the largest, plus 10): a fit found there is a fit; one missed above it only hides one figure more.
 */
export function* exposures(figures: ReadonlyMap<string, Figure>, sums: readonly Sum[], only?: Exposure): Generator<Exposure> {
  const truth = new Map([...figures].map(([key, figure]) => [key, figure.value]));
  const ceiling = 2 * Math.max(0, ...truth.values()) + 10;
  const capped = (range: Range) => ({ lo: range.lo, hi: Math.min(range.hi, Math.max(ceiling, range.lo)) });
  const start = new Map([...figures].map(([key, figure]) => [key, capped(rangeOf(figure.mark))]));
  const small = (value: number) => value >= 1 && value < SUPPRESS_BELOW;
  /** Whether the count can be 0, or 5 or more, in some set of counts that fits what is published. */
  const canLieOutside = (key: string, ranges: Map<string, Range>, allSums: readonly Sum[], values: ReadonlyMap<string, number>) => {
    const own = ranges.get(key)!;
    const within = (lo: number, hi: number) => {
      const range = { lo: Math.max(own.lo, lo), hi: Math.min(own.hi, hi) };
      return range.lo <= range.hi && fits(new Map(ranges).set(key, range), allSums, values) === true;
    };
    return within(0, 0) || within(SUPPRESS_BELOW, Infinity);
  };
  for (const [key, figure] of figures) {
    if (!small(figure.value) || (only && !('figure' in only && only.figure === key))) continue;
    // A total shown through another figure (the no-shows behind a rate) gives itself away outright.
    if (isShown(figure.mark) || !canLieOutside(key, start, sums, truth)) yield { figure: key };
  }
  for (const sum of sums) {
    if (only && !('sum' in only && only.sum === sum.name)) continue;
    // The hidden part of a group is a count of people too ("the sources not shown: 3").
    const hiddenParts = sum.parts.filter((key) => !isShown(figures.get(key)!.mark));
    if (hiddenParts.length < 2) continue;
    const value = hiddenParts.reduce((total, key) => total + figures.get(key)!.value, 0);
    if (!small(value)) continue;
    const part = `hidden part of ${sum.name}`;
    const withPart = [...sums, { name: part, parts: hiddenParts, total: part }];
    if (!canLieOutside(part, new Map(start).set(part, { lo: 0, hi: ceiling * hiddenParts.length }), withPart, new Map(truth).set(part, value)))
      yield { sum: sum.name };
  }
}

/** Whether hiding the figure takes anything from the reader: it is published in some form. */
function hideable(figure: Figure): boolean {
  return figure.mark !== 'hidden' && figure.mark !== 'unpublished';
}

/** Shown cells go first, the smallest first; then shown totals; then "<5" and the rest. */
function hidingRank(figure: Figure): number {
  if (isShown(figure.mark)) return figure.kind === 'cell' ? 0 : 1;
  return figure.kind === 'cell' ? 2 : 3;
}

/**
 * The figures that could be hidden for an exposure, in the order to try them: hideable figures of a
 * group the exposed figure belongs to, by hidingRank, then in report order; then those of the groups
 * that share a figure with them, and so on outwards.
 */
function candidatesFor(figures: ReadonlyMap<string, Figure>, sums: readonly Sum[], exposure: Exposure): string[] {
  const order = [...figures.keys()];
  const members = (sum: Sum) => [...sum.parts, sum.total];
  let level = 'sum' in exposure ? sums.filter((sum) => sum.name === exposure.sum) : sums.filter((sum) => members(sum).includes(exposure.figure));
  const found: string[] = 'figure' in exposure && hideable(figures.get(exposure.figure)!) && level.length === 0 ? [exposure.figure] : [];
  const seen = new Set(level);
  while (level.length > 0) {
    const keys = [...new Set(level.flatMap(members))];
    const candidates = keys
      .filter((key) => hideable(figures.get(key)!) && !found.includes(key))
      .sort((a, b) => {
        const [x, y] = [figures.get(a)!, figures.get(b)!];
        return hidingRank(x) - hidingRank(y) || x.value - y.value || order.indexOf(a) - order.indexOf(b);
      });
    found.push(...candidates);
    level = sums.filter((sum) => !seen.has(sum) && members(sum).some((key) => keys.includes(key)));
    for (const sum of level) seen.add(sum);
  }
  return found;
}

/** The figures with one more hidden (and what hiding it takes along). */
function hiding(figures: ReadonlyMap<string, Figure>, key: string): Map<string, Figure> {
  const next = new Map([...figures].map(([other, figure]) => [other, { ...figure }]));
  for (const [other, mark] of Object.entries(next.get(key)!.onHide ?? { [key]: 'hidden' })) next.get(other)!.mark = mark;
  return next;
}

/** How many candidates are tried for one that settles an exposure on its own, before the first is taken anyway. */
const CANDIDATES_TRIED = 24;

/**
 * Secondary suppression: hides one figure at a time until no count of 1–4 can be pinned. Pure: the
 * input is not changed. `unresolved` lists what is still pinned once nothing is left to hide; with
 * every figure hideable it stays empty, and statisticsReport refuses to publish if it is not.
 */
export function protectFigures(input: ReadonlyMap<string, Figure>, sums: readonly Sum[]): { figures: Map<string, Figure>; unresolved: Exposure[] } {
  let figures = new Map([...input].map(([key, figure]) => [key, { ...figure }]));
  // The true counts must fit the sums: otherwise the model of what a reader knows is wrong, and publishing from it could leak.
  figureRanges(new Map([...figures].map(([key, figure]) => [key, { ...figure, mark: figure.value }])), sums);
  for (;;) {
    let next: Map<string, Figure> | null = null;
    const unresolved: Exposure[] = [];
    for (const exposure of exposures(figures, sums)) {
      const candidates = candidatesFor(figures, sums, exposure);
      if (candidates.length === 0) {
        unresolved.push(exposure);
        continue;
      }
      // The first candidate that settles this exposure by itself, so that one "x" does what it takes and no more.
      for (const key of candidates.slice(0, CANDIDATES_TRIED)) {
        const tried = hiding(figures, key);
        if (exposures(tried, sums, exposure).next().done) {
          next = tried;
          break;
        }
      }
      next ??= hiding(figures, candidates[0]!);
      break;
    }
    if (!next) return { figures, unresolved };
    figures = next;
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

/** The raw counts of one quarter, every category listed (0 where no one is in it). */
export interface StatsCounts {
  tracks: { track: string; isNew: number; n: number }[];
  municipalities: { key: string; n: number }[];
  referrals: { key: string; n: number }[];
  routings: { key: string; n: number }[];
  appointments: { kind: string; status: string; n: number }[];
  firstContacts: number;
  /** New clients with an appointment in person, behind the median days to it. */
  withFirstVisit: number;
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

/**
 * The report's counts as figures, and the sums a reader knows hold between them:
 * - first contacts are the police referrals plus the others; the police referrals are the Etapp 2
 *   and the coordinator routings, every other referral is "no outreach" (the routing rule, in
 *   main/services/intake.ts, that the README describes). So both tables add up to first contacts;
 * - the new clients of the three tracks add up to first contacts too, when each first contact of the
 *   quarter is a new client's (a client is created by the intake of their first call); then the
 *   Etapp 2 routings, which only women of the victims' track and children get (the women's and the
 *   children's Etapp 2), are some of the new victims and children taken together, and some of the
 *   new victims alone while no child's intake is routed (assumed only where it holds, see below);
 * - the active clients are the new ones plus the continuing ones, and the municipality counts add
 *   up to the active clients as well (each has one home municipality or 'other');
 * - the median days is shown only with 5 or more new clients behind it, and those are some of the
 *   new clients;
 * - the done appointments across kinds add up to all done ones, the no-shows likewise; a shown
 *   no-show rate is taken to hand the reader both totals (more than a rounded rate really does), and
 *   a rate shown as "<5" says done + no-shows is at most 4.
 * A sum is assumed only where it holds in the counts, since the audit must start from the truth; a
 * reader who assumes one that does not hold is wrong by that much.
 */
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
  const police = counts.referrals.find((row) => row.key === 'police')?.n ?? 0;
  const routing = (key: string) => counts.routings.find((row) => row.key === key)?.n ?? 0;
  const unpublished = (key: string, value: number) => figures.set(key, { value, mark: 'unpublished', kind: 'total' });
  figures.set('firstContacts', { value: counts.firstContacts, mark: suppressed(counts.firstContacts), kind: 'total' });
  unpublished('otherReferrals', counts.firstContacts - police);
  unpublished('newClients', newClients);
  unpublished('continuingClients', continuing);
  unpublished('activeClients', newClients + continuing);
  unpublished('newVictimsNotEtapp2', trackCount('victim', true) - routing('etapp2_social_secretary'));
  unpublished('newVictimsAndChildren', trackCount('victim', true) + trackCount('child', true));
  unpublished('newVictimsAndChildrenNotEtapp2', trackCount('victim', true) + trackCount('child', true) - routing('etapp2_social_secretary'));
  unpublished('newWithoutFirstVisit', newClients - counts.withFirstVisit);
  // A median shown says 5 or more are behind it, one shown as "<5" says fewer; hiding it says nothing.
  figures.set('withFirstVisit', {
    value: counts.withFirstVisit,
    mark: counts.withFirstVisit >= SUPPRESS_BELOW ? 'atLeast5' : 'under5',
    kind: 'total',
    onHide: { withFirstVisit: 'hidden' },
  });
  // A shown rate hands the reader both totals (see above), a rate shown as "<5" bounds their sum. Hiding the rate, in
  // either form, leaves the reader neither.
  const hideRate = { done: 'unpublished', noShows: 'unpublished', doneOrNoShow: 'hidden' } as const;
  const shownRate = (value: number): Mark => (rate === null ? 'unpublished' : value);
  figures.set('done', { value: done, mark: shownRate(done), kind: 'total', onHide: hideRate });
  figures.set('noShows', { value: noShows, mark: shownRate(noShows), kind: 'total', onHide: hideRate });
  figures.set('doneOrNoShow', { value: done + noShows, mark: rate === null ? 'under5' : done + noShows, kind: 'total', onHide: hideRate });

  const keys = (prefix: string) => [...figures.keys()].filter((key) => key.startsWith(prefix));
  const candidates: Sum[] = [
    { name: 'policeAndOtherReferrals', parts: [cellKey.referral('police'), 'otherReferrals'], total: 'firstContacts' },
    { name: 'otherReferralSources', parts: keys('referral:').filter((key) => key !== cellKey.referral('police')), total: 'otherReferrals' },
    {
      name: 'policeRoutings',
      parts: [cellKey.routing('etapp2_social_secretary'), cellKey.routing('utvag_coordinator')],
      total: cellKey.referral('police'),
    },
    { name: 'noOutreach', parts: ['otherReferrals'], total: cellKey.routing('not_applicable') },
    // Implied by the four above, but named too: what a table does not show, taken together, is a count of its own.
    { name: 'referralSources', parts: keys('referral:'), total: 'firstContacts' },
    { name: 'routings', parts: keys('routing:'), total: 'firstContacts' },
    { name: 'newClientsByTrack', parts: TRACKS.map((track) => cellKey.track(track, true)), total: 'newClients' },
    { name: 'continuingClientsByTrack', parts: TRACKS.map((track) => cellKey.track(track, false)), total: 'continuingClients' },
    { name: 'activeClients', parts: ['newClients', 'continuingClients'], total: 'activeClients' },
    { name: 'clientsByMunicipality', parts: keys('municipality:'), total: 'activeClients' },
    { name: 'newClientsWithFirstVisit', parts: ['withFirstVisit', 'newWithoutFirstVisit'], total: 'newClients' },
    { name: 'doneByKind', parts: keys('appointment:').filter((key) => key.endsWith(':done')), total: 'done' },
    { name: 'noShowsByKind', parts: keys('appointment:').filter((key) => key.endsWith(':no_show')), total: 'noShows' },
    { name: 'doneOrNoShow', parts: ['done', 'noShows'], total: 'doneOrNoShow' },
  ];
  // Only a client with an appointment booked before their own first call, or a second intake of a known client, breaks these.
  if (newClients === counts.firstContacts) {
    candidates.push({ name: 'newClientsAreFirstContacts', parts: ['firstContacts'], total: 'newClients' });
    candidates.push({
      name: 'etapp2AreNewVictims',
      parts: [cellKey.routing('etapp2_social_secretary'), 'newVictimsNotEtapp2'],
      total: cellKey.track('victim', true),
    });
    // The children's Etapp 2 routes children too: what a reader knows of every quarter is that the routings are some of the new victims and children.
    candidates.push({
      name: 'newVictimsAndChildren',
      parts: [cellKey.track('victim', true), cellKey.track('child', true)],
      total: 'newVictimsAndChildren',
    });
    candidates.push({
      name: 'etapp2AreNewVictimsOrChildren',
      parts: [cellKey.routing('etapp2_social_secretary'), 'newVictimsAndChildrenNotEtapp2'],
      total: 'newVictimsAndChildren',
    });
  }
  const holds = (sum: Sum) => sum.parts.reduce((total, key) => total + (figures.get(key)?.value ?? NaN), 0) === figures.get(sum.total)?.value;
  const partsKnown = (sum: Sum) =>
    [...sum.parts, sum.total].every((key) => figures.has(key)) && holds(sum) && sum.parts.every((key) => figures.get(key)!.value >= 0);
  const sums = candidates.filter(partsKnown);
  for (const key of ['otherReferrals', 'newVictimsNotEtapp2', 'newVictimsAndChildren', 'newVictimsAndChildrenNotEtapp2', 'newWithoutFirstVisit']) {
    // A slack figure whose sum does not hold stands in no sum; it would only sit there with a false value.
    if (!sums.some((sum) => sum.parts.includes(key) || sum.total === key)) figures.delete(key);
  }
  return { figures, sums };
}

/** The cells' counts summed by a key, in the order the keys sort (as the GROUP BY of one column would give them). */
function totalsBy<T extends { n: number }>(rows: readonly T[], keyOf: (row: T) => string): { key: string; n: number }[] {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(keyOf(row), (totals.get(keyOf(row)) ?? 0) + row.n);
  return [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, n]) => ({ key, n }));
}

/** The first and last day of a calendar quarter, as local dates. */
export function quarterDates(year: number, quarter: number): { from: string; to: string } {
  const month = (quarter - 1) * 3 + 1;
  const from = `${year}-${String(month).padStart(2, '0')}-01`;
  const nextFrom = quarter === 4 ? `${year + 1}-01-01` : `${year}-${String(month + 3).padStart(2, '0')}-01`;
  return { from, to: addLocalDays(nextFrom, -1) };
}

/**
 * Aggregate counts for a calendar quarter that has ended, for the whole centre, with small counts
 * protected. The first report of a quarter is fixed and served from then on: a correction of an old
 * record must not give the same quarter a second version to subtract from the first.
 */
export async function statisticsReport(tx: Tx, input: { year: number; quarter: number }, now: Date): Promise<StatsReport> {
  const { to } = quarterDates(input.year, input.quarter);
  // A quarter still running would be a different report every day, and two of them subtracted would show who came between.
  if (to >= todayLocal(now)) throw new DomainError('INVALID_INPUT', 'error.stats.notEnded', { quarter: 'error.stats.notEnded' });
  const fixed = await fixedQuarter(tx, input.year, input.quarter);
  if (fixed) return StatsReport.parse({ ...JSON.parse(fixed.report), fixedAt: fixed.fixedAt });
  const report = await protectedReport(tx, input);
  const fixedAt = now.toISOString();
  await fixQuarter(tx, input.year, input.quarter, JSON.stringify(report), fixedAt);
  return { ...report, fixedAt };
}

async function protectedReport(tx: Tx, input: { year: number; quarter: number }): Promise<Omit<StatsReport, 'fixedAt'>> {
  const { from, to } = quarterDates(input.year, input.quarter);
  const scope: StatsScope = { from: localToUtc(from, '00:00', 'from'), to: localToUtc(addLocalDays(to, 1), '00:00', 'to') };
  const municipalities = await listMunicipalities(tx);
  const names = new Map(municipalities.map((municipality) => [municipality.code, municipality.name]));
  // Every category is listed, with 0 where no one is in it: a category that appeared only when someone was in it would say so.
  const complete = (found: { key: string; n: number }[], all: readonly string[]) => {
    const byKey = new Map(found.map((row) => [row.key, row.n]));
    return [...new Set([...all, ...byKey.keys()])].map((key) => ({ key, n: byKey.get(key) ?? 0 }));
  };
  // One GROUP BY per table; the tracks, municipalities, referral sources and routings are sums over their cells.
  const active = await activeClients(tx, scope);
  const intakes = await intakesByReferralAndRouting(tx, scope);
  const foundAppointments = await appointmentsBy(tx, scope);
  const days = await daysToFirstAppointment(tx, scope);
  const counts: StatsCounts = {
    tracks: totalsBy(active, (row) => `${row.track}\u0000${row.isNew}`).map(({ key, n }) => {
      const [track, isNew] = key.split('\u0000') as [string, string];
      return { track, isNew: Number(isNew), n };
    }),
    municipalities: complete(
      totalsBy(active, (row) => row.municipality),
      [...municipalities.map((municipality) => municipality.code), 'other'],
    ),
    referrals: complete(
      totalsBy(intakes, (row) => row.referralSource),
      REFERRAL_SOURCES,
    ),
    routings: complete(
      totalsBy(intakes, (row) => row.routing),
      ROUTINGS,
    ),
    appointments: APPOINTMENT_KINDS.flatMap((kind) =>
      APPOINTMENT_STATUSES.map((status) => ({
        kind,
        status,
        n: foundAppointments.find((row) => row.kind === kind && row.status === status)?.n ?? 0,
      })),
    ),
    firstContacts: intakes.reduce((sum, row) => sum + row.n, 0),
    withFirstVisit: days.length,
  };
  const model = reportModel(counts);
  const { figures, unresolved } = protectFigures(model.figures, model.sums);
  // Every figure is hideable, so this cannot happen; were the audit ever to end unsatisfied, nothing is shown.
  if (unresolved.length > 0) throw new DomainError('INVALID_INPUT', 'error.stats.tooFew', { quarter: 'error.stats.tooFew' });
  // Every figure below is read from the protected model: a count reaches the report only as its mark.
  const published = (key: string) => figures.get(key)!.mark as StatsCount;
  const done = figures.get('done')!.value;
  const noShows = figures.get('noShows')!.value;
  const medianMark = figures.get('withFirstVisit')!.mark;
  return {
    period: { year: input.year, quarter: input.quarter, from, to },
    clientsByTrack: TRACKS.map((track) => ({
      track,
      new: published(cellKey.track(track, true)),
      continuing: published(cellKey.track(track, false)),
    })),
    clientsByMunicipality: counts.municipalities.map((row) => ({
      code: row.key,
      name: names.get(row.key) ?? row.key,
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
    medianDaysToFirstAppointment: medianMark === 'hidden' ? 'hidden' : medianMark === 'atLeast5' ? Math.round(median(days)! * 10) / 10 : null,
    routings: counts.routings.map((row) => ({
      key: row.key as StatsReport['routings'][number]['key'],
      count: published(cellKey.routing(row.key)),
    })),
  };
}

/** How a count reads in the CSV, as on screen: "<5" for 0–4, "x" for a count hidden so that a small count cannot be worked out. */
export function countText(count: StatsCount): string {
  if (count === null) return '<5';
  if (count === 'hidden') return 'x';
  return String(count);
}

/** The report as CSV: the quarter, one row per figure (section, category, value), then what "<5" and "x" mean and why. */
export function statisticsCsv(report: StatsReport): string {
  const rows: string[][] = [['period', `${report.period.year}-K${report.period.quarter}`, `${report.period.from}..${report.period.to}`]];
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
  rows.push(['median_dagar_till_forsta_tid', 'alla', countText(report.medianDaysToFirstAppointment)]);
  for (const row of report.routings) rows.push(['etapp2_routing', row.key, countText(row.count)]);
  // Whoever opens the file later reads the markers' meaning and the method in it, not only on the screen it came from.
  rows.push(
    ['forklaring', '<5', 'antal från 0 till 4'],
    ['forklaring', 'x', 'dolt så att små tal inte kan räknas fram; kan vara vilket tal som helst'],
    ['forklaring', 'metod', 'hela avslutade kvartal för hela Utväg; inga perioder överlappar och inga enheter redovisas var för sig'],
  );
  return stringify(rows, { header: true, columns: ['avsnitt', 'kategori', 'antal'], bom: true });
}
