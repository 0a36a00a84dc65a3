import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StatsCount } from '../../preload/contract.js';
import {
  figureRanges,
  protectFigures,
  protectGroup,
  reportModel,
  suppressed,
  type Figure,
  type Mark,
  type StatsCounts,
  type Sum,
} from '../../main/services/statistics.js';

/**
 * Secondary suppression, checked against an independent, exhaustive count of what a reader can
 * still work out: every value each figure could take given the published marks and the sums,
 * found by trying them all (within a cap far above the generated counts), not by the interval
 * reasoning the service uses.
 */

/** A hidden count ("x", 5 or more) is tried up to here; the generated counts stay far below it. */
const CAP = 40;
/** Totals are tried up to here. */
const TOTAL_CAP = 90;

/** The values a figure can take by its mark alone: an "x" cell is 5 or more, an "x" total anything. */
function domainOf(mark: Mark, kind: Figure['kind'], cap = CAP): number[] {
  const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  if (typeof mark === 'number') return [mark];
  if (mark === null) return range(1, 4);
  if (mark === 'hidden') return range(kind === 'cell' ? 5 : 0, cap);
  if (mark === 'under5') return range(0, 4);
  return range(0, cap);
}

/** reach[s]: the parts can add up to s, each taking a value of its domain. */
function reachable(domains: number[][], limit = TOTAL_CAP): boolean[] {
  let reach = Array.from({ length: limit + 1 }, (_, s) => s === 0);
  for (const domain of domains) {
    const next = Array.from({ length: limit + 1 }, () => false);
    reach.forEach((ok, s) => {
      if (ok) for (const v of domain) if (s + v <= limit) next[s + v] = true;
    });
    reach = next;
  }
  return reach;
}

/** A group of parts with their domains: which totals they can reach, and what each part can be for a given total. */
function groupOf(domains: number[][], limit = TOTAL_CAP) {
  const all = reachable(domains, limit);
  const without = domains.map((_, index) =>
    reachable(
      domains.filter((__, other) => other !== index),
      limit,
    ),
  );
  return {
    reaches: (total: number) => all[total] ?? false,
    /** Adds to `into[i]` every value part i can take when the parts add up to `total`. */
    collect(total: number, into: Set<number>[]) {
      domains.forEach((domain, index) => {
        for (const v of domain) if (total - v >= 0 && without[index]![total - v]) into[index]!.add(v);
      });
    },
  };
}

/** Every mark tells the truth: a number is exact, "<5" is 1–4, an "x" cell is 5 or more. */
function expectTruthful(value: number, mark: Mark, kind: Figure['kind']) {
  if (typeof mark === 'number') expect(mark).toBe(value);
  else if (mark === null) expect(value >= 1 && value <= 4).toBe(true);
  else if (mark === 'hidden' && kind === 'cell') expect(value).toBeGreaterThanOrEqual(5);
}

describe('secondary suppression of one group with a known total', () => {
  it('hides the police 6 when first contacts read 8 and self-referral reads <5 (8 − 6 = 2)', () => {
    expect(protectGroup([6, 2])).toEqual({ cells: ['hidden', null], total: 8, unresolved: false });
  });

  it('hides the largest-but-smallest shown count when two <5 cells add up to 2 (both would be 1)', () => {
    expect(protectGroup([6, 1, 1])).toEqual({ cells: ['hidden', null, null], total: 8, unresolved: false });
    // The smallest shown count goes, not the largest: 7 before 9.
    expect(protectGroup([9, 7, 3]).cells).toEqual([9, 'hidden', null]);
  });

  it('leaves a group alone when its <5 cells cannot be worked out: they add up to 5 or more without being all 4', () => {
    expect(protectGroup([7, 3, 2, 9]).cells).toEqual([7, null, null, 9]);
    expect(protectGroup([12, 0, 6]).cells).toEqual([12, 0, 6]);
    // A single <5 under a total that is itself <5 only says what the total says.
    expect(protectGroup([3])).toEqual({ cells: [null], total: null, unresolved: false });
  });

  it('hides the total when the cells alone would give themselves away', () => {
    // 4 + 4 = 8: two <5 under a total of 8 are both 4.
    expect(protectGroup([4, 4])).toEqual({ cells: [null, null], total: 'hidden', unresolved: false });
    // x is 5 or more and <5 is 1 or more: under a total of 6 they would be exactly 5 and 1.
    expect(protectGroup([5, 1])).toEqual({ cells: ['hidden', null], total: 'hidden', unresolved: false });
  });

  it('hides even a total that reads <5 when its four <5 cells would each be 1', () => {
    expect(protectGroup([1, 1, 1, 1])).toEqual({ cells: [null, null, null, null], total: 'hidden', unresolved: false });
  });

  it('after protection, no <5 or x is pinned to one value and a known total never leaves a hidden part of 1–4 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 15 }), { minLength: 1, maxLength: 6 }), (counts) => {
        const result = protectGroup(counts);
        const trueTotal = counts.reduce((sum, n) => sum + n, 0);
        counts.forEach((value, index) => expectTruthful(value, result.cells[index]!, 'cell'));
        expectTruthful(trueTotal, result.total, 'total');
        // Nothing is hidden where nothing was small.
        if (counts.every((n) => suppressed(n) !== null)) expect(result).toEqual({ cells: counts, total: trueTotal, unresolved: false });
        // With the total as the only link, hiding it always ends the search.
        expect(result.unresolved).toBe(false);

        // Every value each cell could take, trying every total the published total allows.
        const group = groupOf(result.cells.map((mark) => domainOf(mark, 'cell')));
        const possible = counts.map(() => new Set<number>());
        const totals = new Set<number>();
        for (const total of domainOf(result.total, 'total', TOTAL_CAP)) {
          if (!group.reaches(total)) continue;
          totals.add(total);
          group.collect(total, possible);
        }
        counts.forEach((value, index) => expect(possible[index]!.has(value)).toBe(true));
        result.cells.forEach((mark, index) => {
          if (typeof mark !== 'number') expect(possible[index]!.size, `cell ${index} of ${counts.join(',')}`).toBeGreaterThan(1);
        });
        if (typeof result.total !== 'number') expect(totals.size).toBeGreaterThan(1);
        // The hidden part is a count too: with the total known it is 0 or 5 or more.
        if (totals.size === 1) {
          const shown = result.cells.reduce<number>((sum, mark) => sum + (typeof mark === 'number' ? mark : 0), 0);
          const hiddenPart = [...totals][0]! - shown;
          expect(hiddenPart === 0 || hiddenPart >= 5).toBe(true);
        }
      }),
      { numRuns: 600 },
    );
  });
});

describe('the audit works out exactly what a reader can', () => {
  it('gives the same ranges as trying every value, for two groups that share a total (property)', () => {
    const cells = fc.array(fc.nat({ max: 12 }), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(cells, cells, fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), fc.boolean(), (left, right, hide, hideTotal) => {
        // Two splits of one total, as referral sources and routings split first contacts: pad the smaller.
        const total = Math.max(
          left.reduce((s, n) => s + n, 0),
          right.reduce((s, n) => s + n, 0),
        );
        const pad = (group: number[]) => [...group, total - group.reduce((s, n) => s + n, 0)];
        const groups = [pad(left), pad(right)];
        const figures = new Map<string, Figure>();
        groups.forEach((group, g) =>
          group.forEach((value, index) => {
            // Some shown counts of 5 or more read x, as secondary suppression would leave them.
            const mark: Mark = value >= 5 && hide[(g * 4 + index) % 8] ? 'hidden' : suppressed(value);
            figures.set(`g${g}:${index}`, { value, mark, kind: 'cell' });
          }),
        );
        figures.set('total', { value: total, mark: total >= 5 && hideTotal ? 'hidden' : suppressed(total), kind: 'total' });
        const sums: Sum[] = groups.map((group, g) => ({ name: `g${g}`, parts: group.map((_, index) => `g${g}:${index}`), total: 'total' }));
        const ranges = figureRanges(figures, sums);

        const possible = new Map<string, Set<number>>([...figures.keys()].map((key) => [key, new Set<number>()]));
        // Caps far above the counts (at most 36 in a group), so that an unbounded range shows as one that runs on to them.
        const models = groups.map((group, g) =>
          groupOf(
            group.map((_, index) => domainOf(figures.get(`g${g}:${index}`)!.mark, 'cell', 100)),
            200,
          ),
        );
        const values = groups.map((group, g) => group.map((_, index) => possible.get(`g${g}:${index}`)!));
        for (const t of domainOf(figures.get('total')!.mark, 'total', 200)) {
          if (!models.every((model) => model.reaches(t))) continue;
          possible.get('total')!.add(t);
          models.forEach((model, g) => model.collect(t, values[g]!));
        }
        for (const [key, values] of possible) {
          const range = ranges.get(key)!;
          const found = [...values];
          expect(Math.min(...found), key).toBe(range.lo);
          // Every value in between is possible too: the range is the whole truth, not a bound on it.
          expect(found.length, key).toBe(Math.min(Math.max(...found), range.hi) - range.lo + 1);
          // Unbounded above: trying runs on to the caps, far past anything the counts could pin.
          if (range.hi === Infinity) expect(Math.max(...found), key).toBeGreaterThanOrEqual(range.lo + 15);
          else expect(Math.max(...found), key).toBe(range.hi);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** Random practice for one unit and period: clients with a first call in it or a visit in it, and appointments. */
const practice = fc.record({
  clients: fc.array(
    fc.record({
      track: fc.constantFrom('victim', 'perpetrator', 'child'),
      isNew: fc.boolean(),
      municipality: fc.constantFrom('1494', '1496', 'other'),
      referral: fc.constantFrom('police', 'self', 'social_services', 'primary_care'),
      routing: fc.constantFrom('etapp2_social_secretary', 'utvag_coordinator', 'not_applicable'),
    }),
    { maxLength: 24 },
  ),
  appointments: fc.array(
    fc.record({ kind: fc.constantFrom('first_visit', 'individual', 'group'), status: fc.constantFrom('done', 'no_show', 'booked') }),
    { maxLength: 30 },
  ),
});

function countBy<T>(rows: T[], key: (row: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
  return counts;
}

function countsOf(sample: typeof practice extends fc.Arbitrary<infer T> ? T : never): StatsCounts {
  const fresh = sample.clients.filter((client) => client.isNew);
  const rows = (counts: Map<string, number>) => [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => ({ key, n }));
  return {
    tracks: [...countBy(sample.clients, (client) => `${client.track}|${client.isNew ? 1 : 0}`)].map(([key, n]) => {
      const [track, isNew] = key.split('|');
      return { track: track!, isNew: Number(isNew), n };
    }),
    municipalities: rows(countBy(sample.clients, (client) => client.municipality)),
    referrals: rows(countBy(fresh, (client) => client.referral)),
    routings: rows(countBy(fresh, (client) => client.routing)),
    appointments: [...countBy(sample.appointments, (row) => `${row.kind}|${row.status}`)].map(([key, n]) => {
      const [kind, status] = key.split('|');
      return { kind: kind!, status: status!, n };
    }),
    firstContacts: fresh.length,
  };
}

/**
 * Every value each figure of a whole protected report can take, by trying every combination of the
 * totals (first contacts, continuing clients; done and missed appointments) and, within each
 * group, every value of every cell: independent of the service's interval reasoning.
 */
function possibleValues(figures: Map<string, Figure>, sums: Sum[]): Map<string, Set<number>> {
  const possible = new Map<string, Set<number>>([...figures.keys()].map((key) => [key, new Set<number>()]));
  const mark = (key: string) => figures.get(key)!.mark;
  const domain = (key: string, cap = CAP) => domainOf(mark(key), figures.get(key)!.kind, cap);
  const inDomain = (key: string, value: number) => domain(key, TOTAL_CAP).includes(value);
  const groups = new Map(sums.map((sum) => [sum.name, { sum, model: groupOf(sum.parts.map((key) => domain(key))), totals: new Set<number>() }]));
  const linked = groups.has('newClientsAreFirstContacts');
  const check = (assignment: Record<string, number>, names: string[]) => {
    if (!Object.entries(assignment).every(([key, value]) => inDomain(key, value))) return;
    if (!names.every((name) => groups.get(name)!.model.reaches(assignment[groups.get(name)!.sum.total]!))) return;
    for (const [key, value] of Object.entries(assignment)) possible.get(key)!.add(value);
    for (const name of names) groups.get(name)!.totals.add(assignment[groups.get(name)!.sum.total]!);
  };
  const clientGroups = ['referralSources', 'routings', 'newClientsByTrack', 'continuingClientsByTrack', 'clientsByMunicipality'];
  for (let f = 0; f <= 30; f += 1) {
    for (let c = 0; c <= 30; c += 1) {
      for (const n of linked ? [f] : Array.from({ length: 31 }, (_, i) => i)) {
        check({ firstContacts: f, newClients: n, continuingClients: c, activeClients: n + c }, clientGroups);
      }
    }
  }
  for (let d = 0; d <= 40; d += 1) {
    for (let n = 0; n <= 40; n += 1) check({ done: d, noShows: n, doneOrNoShow: d + n }, ['doneByKind', 'noShowsByKind']);
  }
  for (const { sum, model, totals } of groups.values()) {
    const into = sum.parts.map((key) => possible.get(key)!);
    for (const total of totals) model.collect(total, into);
  }
  // Cells in no sum (booked appointments): only their own mark.
  for (const [key, set] of possible) if (set.size === 0) for (const v of domain(key)) set.add(v);
  return possible;
}

/** The figures reachable from `start` through sums that share a figure. */
function linkedFigures(sums: Sum[], start: string[]): Set<string> {
  const found = new Set(start);
  for (let grown = true; grown;) {
    grown = false;
    for (const sum of sums) {
      const members = [...sum.parts, sum.total];
      if (!members.some((key) => found.has(key))) continue;
      for (const key of members) {
        if (found.has(key)) continue;
        found.add(key);
        grown = true;
      }
    }
  }
  return found;
}

describe('secondary suppression of a whole report', () => {
  it('leaves no <5 or x that the report as a whole pins down, and tells no lie (property)', () => {
    fc.assert(
      fc.property(practice, (sample) => {
        const counts = countsOf(sample);
        const model = reportModel(counts);
        const { figures, unresolved } = protectFigures(model.figures, model.sums);
        for (const figure of figures.values()) expectTruthful(figure.value, figure.mark, figure.kind);
        const possible = possibleValues(figures, model.sums);
        for (const [key, figure] of figures) expect(possible.get(key)!.has(figure.value), key).toBe(true);
        if (unresolved.length > 0) {
          // Given up only when nothing linked to the exposed figures is left to hide: no shown count, no published total.
          const start = unresolved.flatMap((exposure) =>
            'sum' in exposure ? model.sums.find((sum) => sum.name === exposure.sum)!.parts : [exposure.figure],
          );
          for (const key of linkedFigures(model.sums, start)) {
            const figure = figures.get(key)!;
            if (figure.kind === 'cell') expect(typeof figure.mark === 'number' && figure.value > 0, key).toBe(false);
            else expect(['hidden', 'unpublished'], key).toContain(figure.mark);
          }
          return;
        }
        for (const [key, figure] of figures) {
          if (figure.mark === null || figure.mark === 'hidden') expect(possible.get(key)!.size, key).toBeGreaterThan(1);
          // A total the report never prints is never worked out to a small count either.
          if (figure.mark === 'unpublished' && possible.get(key)!.size === 1) expect(figure.value === 0 || figure.value >= 5, key).toBe(true);
        }
        // Nor is the hidden part of a group whose total can be worked out.
        for (const sum of model.sums) {
          if (possible.get(sum.total)!.size !== 1) continue;
          const hiddenPart = sum.parts.reduce((rest, key) => {
            const mark = figures.get(key)!.mark;
            return typeof mark === 'number' ? rest - mark : rest;
          }, figures.get(sum.total)!.value);
          expect(hiddenPart === 0 || hiddenPart >= 5, sum.name).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('hides, for six police-referred women and two self-referred men, every 6 that gives a 2 away, and the no-show rate beside 5 done', () => {
    const counts: StatsCounts = {
      tracks: [
        { track: 'perpetrator', isNew: 1, n: 2 },
        { track: 'victim', isNew: 1, n: 6 },
      ],
      municipalities: [
        { key: '1494', n: 6 },
        { key: '1496', n: 2 },
      ],
      referrals: [
        { key: 'police', n: 6 },
        { key: 'self', n: 2 },
      ],
      routings: [
        { key: 'etapp2_social_secretary', n: 6 },
        { key: 'not_applicable', n: 2 },
      ],
      appointments: [
        { kind: 'first_visit', status: 'done', n: 5 },
        { kind: 'first_visit', status: 'no_show', n: 1 },
      ],
      firstContacts: 8,
    };
    const model = reportModel(counts);
    const { figures, unresolved } = protectFigures(model.figures, model.sums);
    const marks = Object.fromEntries([...figures].map(([key, figure]) => [key, figure.mark as StatsCount]));
    expect(unresolved).toEqual([]);
    expect(marks).toMatchObject({
      'referral:police': 'hidden',
      'referral:self': null,
      'routing:etapp2_social_secretary': 'hidden',
      'routing:not_applicable': null,
      // New clients are first contacts: victims 6 would give the perpetrators' 2 away, and so would Lidköping's 6.
      'track:victim:new': 'hidden',
      'track:perpetrator:new': null,
      'track:victim:continuing': 0,
      'municipality:1494': 'hidden',
      'municipality:1496': null,
      firstContacts: 8,
      // 16.7 % with 5 done is 1 no-show: the rate goes, the 5 done stay.
      'appointment:first_visit:done': 5,
      'appointment:first_visit:no_show': null,
      doneOrNoShow: 'hidden',
    });
  });

  it('hides a no-show rate that reads <5 when it would make four appointments of one each', () => {
    const counts: StatsCounts = {
      tracks: [],
      municipalities: [],
      referrals: [],
      routings: [],
      appointments: [
        { kind: 'first_visit', status: 'done', n: 1 },
        { kind: 'first_visit', status: 'no_show', n: 1 },
        { kind: 'individual', status: 'done', n: 1 },
        { kind: 'group', status: 'done', n: 1 },
        { kind: 'group', status: 'booked', n: 3 },
      ],
      firstContacts: 0,
    };
    const model = reportModel(counts);
    const { figures, unresolved } = protectFigures(model.figures, model.sums);
    expect(unresolved).toEqual([]);
    expect(figures.get('doneOrNoShow')!.mark).toBe('hidden');
    expect(figures.get('appointment:group:booked')!.mark).toBeNull();
  });

  it('gives up, and says so, only where every figure linked to the pinned one already reads <5 or x', () => {
    // Four first contacts from four referral sources, all one routing, all new victims from one municipality:
    // the single "<5" routing holds first contacts to at most 4, the four sources make it at least 4.
    const counts: StatsCounts = {
      tracks: [{ track: 'victim', isNew: 1, n: 4 }],
      municipalities: [{ key: '1494', n: 4 }],
      referrals: ['primary_care', 'police', 'self', 'social_services'].map((key) => ({ key, n: 1 })),
      routings: [{ key: 'etapp2_social_secretary', n: 4 }],
      appointments: [],
      firstContacts: 4,
    };
    const model = reportModel(counts);
    const { figures, unresolved } = protectFigures(model.figures, model.sums);
    expect(unresolved).toContainEqual({ figure: 'referral:police' });
    expect(figures.get('firstContacts')!.mark).toBe('hidden');
    for (const key of ['referral:police', 'routing:etapp2_social_secretary', 'track:victim:new', 'municipality:1494']) {
      expect(figures.get(key)!.mark).toBeNull();
    }
  });

  it('refuses figures that break a sum the audit relies on, rather than publish from a wrong model', () => {
    const figures = new Map<string, Figure>([
      ['a', { value: 6, mark: 6, kind: 'cell' }],
      ['b', { value: 9, mark: 9, kind: 'cell' }],
      ['total', { value: 8, mark: 8, kind: 'total' }],
    ]);
    expect(() => protectFigures(figures, [{ name: 'group', parts: ['a', 'b'], total: 'total' }])).toThrow(/contradict/);
  });
});
