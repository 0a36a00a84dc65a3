import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUTINGS, TRACKS } from '../../preload/contract/index.js';
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

/** The values a figure can take by its mark alone: "<5" is 0–4, "x" anything. */
function domainOf(mark: Mark, _kind: Figure['kind'], cap = CAP): number[] {
  const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  if (typeof mark === 'number') return [mark];
  if (mark === null || mark === 'under5') return range(0, 4);
  if (mark === 'atLeast5') return range(5, cap);
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

/** Every mark tells the truth: a number is exact and 5 or more (or 0: no one missed behind a rate of 0 %), "<5" is 0–4. */
function expectTruthful(value: number, mark: Mark) {
  if (typeof mark === 'number') {
    expect(mark).toBe(value);
    expect(value === 0 || value >= 5).toBe(true);
  } else if (mark === null || mark === 'under5') expect(value).toBeLessThanOrEqual(4);
  else if (mark === 'atLeast5') expect(value).toBeGreaterThanOrEqual(5);
}

describe('secondary suppression of one group with a known total', () => {
  it('hides the police 6 when first contacts read 8 and self-referral reads <5 (8 − 6 = 2)', () => {
    expect(protectGroup([6, 2])).toEqual({ cells: ['hidden', null], total: 8, unresolved: false });
  });

  it('hides the smallest shown count when two <5 cells add up to 2', () => {
    expect(protectGroup([6, 1, 1])).toEqual({ cells: ['hidden', null, null], total: 8, unresolved: false });
    // The smallest shown count goes, not the largest: 7 before 9.
    expect(protectGroup([9, 7, 3]).cells).toEqual([9, 'hidden', null]);
  });

  it('hides a shown count when two <5 cells add up to 5: neither could then be 0', () => {
    // 21 − 7 − 9 = 5 = 3 + 2: each "<5" would be 1–4 for certain.
    expect(protectGroup([7, 3, 2, 9]).cells).toEqual(['hidden', null, null, 9]);
  });

  it('shows a 0 as <5, so that a <5 never says that someone is there', () => {
    expect(protectGroup([12, 0, 6]).cells).toEqual([12, null, 6]);
    expect(protectGroup([3])).toEqual({ cells: [null], total: null, unresolved: false });
    // Four "<5" under a total that reads "<5": each could be 0.
    expect(protectGroup([1, 1, 1, 1])).toEqual({ cells: [null, null, null, null], total: null, unresolved: false });
  });

  it('hides the total when the cells alone would give themselves away', () => {
    // 4 + 4 = 8: two <5 under a total of 8 are both 4.
    expect(protectGroup([4, 4])).toEqual({ cells: [null, null], total: 'hidden', unresolved: false });
    // 6 − 5 = 1: the 5 goes, and the "<5" could be anything from 0 to 4 again.
    expect(protectGroup([5, 1])).toEqual({ cells: ['hidden', null], total: 6, unresolved: false });
  });

  it('after protection, every count of 1–4 could as well be 0 or 5 or more, and every mark is true (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 15 }), { minLength: 1, maxLength: 6 }), (counts) => {
        const result = protectGroup(counts);
        const trueTotal = counts.reduce((sum, n) => sum + n, 0);
        counts.forEach((value, index) => expectTruthful(value, result.cells[index]!));
        expectTruthful(trueTotal, result.total);
        expect(result.unresolved).toBe(false);
        // Nothing is hidden where nothing was small.
        if (counts.every((n) => n >= 5)) expect(result).toEqual({ cells: counts, total: trueTotal, unresolved: false });

        // Every value each cell, and the cells not shown together, could take: trying every total the published one allows.
        const group = groupOf(result.cells.map((mark) => domainOf(mark, 'cell')));
        const possible = counts.map(() => new Set<number>());
        for (const total of domainOf(result.total, 'total', TOTAL_CAP)) if (group.reaches(total)) group.collect(total, possible);
        counts.forEach((value, index) => {
          expect(possible[index]!.has(value)).toBe(true);
          if (value >= 1 && value <= 4)
            expect(
              [...possible[index]!].some((v) => v === 0 || v >= 5),
              `cell ${index} of ${counts.join(',')}`,
            ).toBe(true);
        });
        const hidden = counts.filter((_, index) => typeof result.cells[index] !== 'number');
        const hiddenPart = hidden.reduce((sum, n) => sum + n, 0);
        if (hidden.length > 1 && hiddenPart >= 1 && hiddenPart <= 4) {
          const shown = trueTotal - hiddenPart;
          const parts = reachable(hidden.map((_, i) => domainOf(result.cells.filter((mark) => typeof mark !== 'number')[i]!, 'cell')));
          const totals = domainOf(result.total, 'total', TOTAL_CAP).filter((total) => total >= shown && parts[total - shown]);
          expect(
            totals.some((total) => total - shown === 0 || total - shown >= 5),
            `hidden part of ${counts.join(',')}`,
          ).toBe(true);
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

// ---- A whole report against an attacker with a solver -------------------------------------------------
//
// The attacker below is written apart from the service: it knows what the report's figures mean, writes
// down every linear relation that follows (the tables add up to first contacts, police referrals are the
// Etapp 2 and coordinator routings, every other referral is "no outreach", the municipalities add up to
// the clients by track, a shown median means 5 or more new clients, a shown no-show rate gives both its
// totals), and then searches every whole-number assignment of the figures that fits what is published.
// A count of 1–4 is given away when every assignment that fits puts it between 1 and 4.

const MUNICIPALITIES = ['1494', '1496', 'other'] as const;
const SOURCES = ['police', 'self', 'social_services', 'primary_care'] as const;
const KINDS = ['first_visit', 'individual', 'group'] as const;
const STATUSES = ['done', 'no_show', 'booked'] as const;

/** A fictional quarter: new clients (each with their intake), clients continuing from before (some with a new intake), appointments. */
const quarter = fc.record({
  fresh: fc.array(
    fc.record({
      track: fc.constantFrom('victim', 'perpetrator', 'child'),
      municipality: fc.constantFrom(...MUNICIPALITIES),
      referral: fc.constantFrom(...SOURCES),
      // A woman with children reported by the police in an Etapp 2 municipality (1494) is routed to its social secretary.
      womanWithChildren: fc.boolean(),
      firstVisit: fc.boolean(),
    }),
    { maxLength: 9 },
  ),
  continuing: fc.array(
    fc.record({
      track: fc.constantFrom('victim', 'perpetrator', 'child'),
      municipality: fc.constantFrom(...MUNICIPALITIES),
      newIntake: fc.option(fc.constantFrom(...SOURCES), { freq: 6 }),
    }),
    { maxLength: 4 },
  ),
  appointments: fc.array(fc.record({ kind: fc.constantFrom(...KINDS), status: fc.constantFrom(...STATUSES) }), { maxLength: 12 }),
});
type Quarter = typeof quarter extends fc.Arbitrary<infer T> ? T : never;

function routingOf(intake: { track: string; referral: string; municipality: string; womanWithChildren: boolean }): string {
  if (intake.referral !== 'police') return 'not_applicable';
  return intake.track === 'victim' && intake.womanWithChildren && intake.municipality === '1494' ? 'etapp2_social_secretary' : 'utvag_coordinator';
}

function countsOf(sample: Quarter): StatsCounts {
  const intakes = [
    ...sample.fresh,
    ...sample.continuing.flatMap((client) => (client.newIntake ? [{ ...client, referral: client.newIntake, womanWithChildren: false }] : [])),
  ];
  const count = <T>(rows: T[], match: (row: T) => boolean) => rows.filter(match).length;
  return {
    tracks: TRACKS.flatMap((track) => [
      { track, isNew: 1, n: count(sample.fresh, (client) => client.track === track) },
      { track, isNew: 0, n: count(sample.continuing, (client) => client.track === track) },
    ]),
    municipalities: MUNICIPALITIES.map((key) => ({
      key,
      n: count([...sample.fresh, ...sample.continuing], (client) => client.municipality === key),
    })),
    referrals: SOURCES.map((key) => ({ key, n: count(intakes, (intake) => intake.referral === key) })),
    routings: ROUTINGS.map((key) => ({ key, n: count(intakes, (intake) => routingOf(intake) === key) })),
    appointments: KINDS.flatMap((kind) =>
      STATUSES.map((status) => ({ kind, status, n: count(sample.appointments, (row) => row.kind === kind && row.status === status) })),
    ),
    firstContacts: intakes.length,
    withFirstVisit: count(sample.fresh, (client) => client.firstVisit),
  };
}

/** A linear relation over named whole numbers: Σ coefficient × value = rhs, or ≥ rhs. */
interface Relation {
  terms: [number, string][];
  op: '=' | '>=';
  rhs: number;
}

/**
 * Whether whole numbers within the domains satisfy every relation: depth-first over the variables,
 * smallest domain first and values nearest the truth first, after dropping every value a relation
 * rules out. Only the relations linked to the last one (the attacker's question) are searched:
 * the truth satisfies all the others, and figures linked to nothing asked can keep their true values.
 */
function solvable(domains: Map<string, number[]>, all: Relation[], truth: Map<string, number>): boolean {
  const linked = new Set(all[all.length - 1]!.terms.map(([, key]) => key));
  const relations: Relation[] = [];
  for (let grown = true; grown;) {
    grown = false;
    for (const relation of all) {
      if (relations.includes(relation) || !relation.terms.some(([, key]) => linked.has(key))) continue;
      relations.push(relation);
      for (const [, key] of relation.terms) linked.add(key);
      grown = true;
    }
  }
  /** Drops every value that some relation rules out given the others' least and greatest; null when a domain empties. */
  const narrow = (start: Map<string, number[]>): Map<string, number[]> | null => {
    const current = new Map(start);
    for (let changed = true; changed;) {
      changed = false;
      for (const relation of relations) {
        const bounds = relation.terms.map(([c, key]) => {
          const d = current.get(key)!;
          return c > 0 ? [c * d[0]!, c * d[d.length - 1]!] : [c * d[d.length - 1]!, c * d[0]!];
        });
        const lo = bounds.reduce((n, [l]) => n + l!, 0);
        const hi = bounds.reduce((n, [, h]) => n + h!, 0);
        relation.terms.forEach(([c, key], index) => {
          const [l, h] = bounds[index]!;
          // c·x must leave the rest able to meet the relation.
          const keep = (v: number) =>
            relation.op === '=' ? lo - l! + c * v <= relation.rhs && relation.rhs <= hi - h! + c * v : hi - h! + c * v >= relation.rhs;
          const d = current.get(key)!;
          const kept = d.filter(keep);
          if (kept.length !== d.length) {
            current.set(key, kept);
            changed = true;
          }
        });
        if ([...current.values()].some((d) => d.length === 0)) return null;
      }
    }
    return current;
  };
  const search = (start: Map<string, number[]>): boolean => {
    const current = narrow(start);
    if (!current) return false;
    const open = [...linked].filter((key) => current.get(key)!.length > 1).sort((a, b) => current.get(a)!.length - current.get(b)!.length);
    if (open.length === 0) return true;
    const key = open[0]!;
    const near = truth.get(key) ?? 0;
    for (const v of [...current.get(key)!].sort((x, y) => Math.abs(x - near) - Math.abs(y - near))) {
      if (search(new Map(current).set(key, [v]))) return true;
    }
    return false;
  };
  return search(new Map([...linked].map((key) => [key, domains.get(key)!])));
}

/** What the attacker writes down about one published report: a domain per figure and the relations between them. */
function attackerModel(report: Map<string, Mark>, truth: StatsCounts, cap: number) {
  const domains = new Map<string, number[]>();
  const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  const publishedAs = (key: string, mark: Mark) => {
    if (typeof mark === 'number') domains.set(key, [mark]);
    else if (mark === null || mark === 'under5') domains.set(key, range(0, 4));
    else if (mark === 'atLeast5') domains.set(key, range(5, cap));
    else domains.set(key, range(0, cap));
  };
  for (const [key, mark] of report) if (key.includes(':') || key === 'firstContacts') publishedAs(key, mark);
  const cells = (prefix: string, suffix = '') => [...domains.keys()].filter((key) => key.startsWith(prefix) && key.endsWith(suffix));
  const sum = (keys: string[], minus: string[] = [], rhs = 0): Relation => ({
    terms: [...keys.map((key): [number, string] => [1, key]), ...minus.map((key): [number, string] => [-1, key])],
    op: '=',
    rhs,
  });
  const relations: Relation[] = [
    sum(cells('referral:'), ['firstContacts']),
    sum(cells('routing:'), ['firstContacts']),
    sum(['routing:etapp2_social_secretary', 'routing:utvag_coordinator'], ['referral:police']),
    sum(
      cells('referral:').filter((key) => key !== 'referral:police'),
      ['routing:not_applicable'],
    ),
    sum(cells('municipality:'), [...cells('track:', ':new'), ...cells('track:', ':continuing')]),
  ];
  // The attacker who guesses that every first contact of the quarter was a new client's, when it is so.
  const newClients = truth.tracks.filter((row) => row.isNew === 1).reduce((n, row) => n + row.n, 0);
  if (newClients === truth.firstContacts) {
    relations.push(sum(cells('track:', ':new'), ['firstContacts']));
    relations.push({
      terms: [
        [1, 'track:victim:new'],
        [-1, 'routing:etapp2_social_secretary'],
      ],
      op: '>=',
      rhs: 0,
    });
  }
  // A median shown says 5 or more new clients are behind it.
  if (report.get('withFirstVisit') === 'atLeast5') relations.push({ terms: cells('track:', ':new').map((key) => [1, key]), op: '>=', rhs: 5 });
  // A shown rate hands over both totals; one shown as "<5" says they are at most 4 together.
  const done = cells('appointment:', ':done');
  const missed = cells('appointment:', ':no_show');
  const doneMark = report.get('done');
  if (typeof doneMark === 'number') {
    relations.push(sum(done, [], doneMark), sum(missed, [], report.get('noShows') as number));
  } else if (report.get('doneOrNoShow') === 'under5') {
    relations.push({ terms: [...done, ...missed].map((key) => [-1, key]), op: '>=', rhs: -4 });
  }
  const groups = [
    cells('referral:'),
    cells('routing:'),
    cells('track:', ':new'),
    cells('track:', ':continuing'),
    cells('municipality:'),
    done,
    missed,
    ...KINDS.map((kind) => cells(`appointment:${kind}:`)),
  ];
  return { domains, relations, groups };
}

/** Counts of 1–4 that every assignment fitting the report puts between 1 and 4: single figures, and what a group does not show. */
function givenAway(report: Map<string, Mark>, truth: Map<string, number>, counts: StatsCounts): string[] {
  // A ceiling on what the attacker tries: finding fewer fits only makes the test stricter.
  const cap = Math.max(...truth.values()) + 6;
  const { domains, relations, groups } = attackerModel(report, counts, cap);
  const outside = (terms: [number, string][]) =>
    solvable(domains, [...relations, { terms: terms.map(([c, k]) => [-c, k]), op: '>=', rhs: 0 }], truth) ||
    solvable(domains, [...relations, { terms, op: '>=', rhs: 5 }], truth);
  const found: string[] = [];
  for (const key of domains.keys()) {
    const value = truth.get(key)!;
    if (value >= 1 && value <= 4 && domains.get(key)!.length > 1 && !outside([[1, key]])) found.push(key);
  }
  for (const group of groups) {
    const hidden = group.filter((key) => domains.get(key)!.length > 1);
    const value = hidden.reduce((n, key) => n + truth.get(key)!, 0);
    if (hidden.length > 1 && value >= 1 && value <= 4 && !outside(hidden.map((key) => [1, key]))) found.push(`hidden part of ${hidden.join('+')}`);
  }
  return found;
}

describe('secondary suppression of a whole report', () => {
  it('leaves no count of 1–4 that a solver over every relation between the tables can pin to 1–4 (property)', () => {
    fc.assert(
      fc.property(quarter, (sample) => {
        const counts = countsOf(sample);
        const model = reportModel(counts);
        const { figures, unresolved } = protectFigures(model.figures, model.sums);
        expect(unresolved).toEqual([]);
        for (const figure of figures.values()) expectTruthful(figure.value, figure.mark);
        const report = new Map([...figures].map(([key, figure]) => [key, figure.mark]));
        const truth = new Map([...figures].map(([key, figure]) => [key, figure.value]));
        // The truth itself fits what the attacker writes down: the relations are real.
        const exact = attackerModel(truth, counts, 60);
        expect(exact.relations.every((relation) => solvable(exact.domains, [relation], truth))).toBe(true);
        expect(givenAway(report, truth, counts)).toEqual([]);
      }),
      { numRuns: Number(process.env.STATS_RUNS ?? 40) },
    );
  }, 240_000);

  it('without the secondary suppression the same attacker does find small counts: the test can fail', () => {
    // Six police-referred women (Etapp 2) and two self-referred men: 8 − 6 = 2 by the referral sources.
    const sample: Quarter = {
      fresh: [
        ...Array.from({ length: 6 }, () => ({
          track: 'victim' as const,
          municipality: '1494' as const,
          referral: 'police' as const,
          womanWithChildren: true,
          firstVisit: true,
        })),
        ...Array.from({ length: 2 }, () => ({
          track: 'perpetrator' as const,
          municipality: '1496' as const,
          referral: 'self' as const,
          womanWithChildren: false,
          firstVisit: false,
        })),
      ],
      continuing: [],
      appointments: [],
    };
    const counts = countsOf(sample);
    const model = reportModel(counts);
    const onlyPrimary = new Map([...model.figures].map(([key, figure]) => [key, figure.mark]));
    const truth = new Map([...model.figures].map(([key, figure]) => [key, figure.value]));
    // "No outreach" is 8 − 6 = 2, and so are the sources other than the police, together.
    expect(givenAway(onlyPrimary, truth, counts)).toEqual(
      expect.arrayContaining(['routing:not_applicable', 'hidden part of referral:self+referral:social_services+referral:primary_care']),
    );
    const { figures } = protectFigures(model.figures, model.sums);
    const marks = new Map([...figures].map(([key, figure]) => [key, figure.mark]));
    expect(givenAway(marks, truth, counts)).toEqual([]);
    // Something had to go to get there.
    expect([...marks.values()]).toContain('hidden');
  });

  it('hides the no-show rate beside 5 done and 1 missed, and a rate that reads <5 over four appointments of one kind each', () => {
    const withRate = (appointments: { kind: string; status: string; n: number }[]) => {
      const counts: StatsCounts = { ...countsOf({ fresh: [], continuing: [], appointments: [] }), appointments };
      const model = reportModel(counts);
      return protectFigures(model.figures, model.sums).figures;
    };
    // 16.7 % with 5 done is 1 no-show: the rate goes, the 5 done stay.
    const one = withRate([
      { kind: 'first_visit', status: 'done', n: 5 },
      { kind: 'first_visit', status: 'no_show', n: 1 },
    ]);
    expect(one.get('doneOrNoShow')!.mark).toBe('hidden');
    expect(one.get('appointment:first_visit:done')!.mark).toBe(5);
    const four = withRate([
      { kind: 'first_visit', status: 'done', n: 1 },
      { kind: 'first_visit', status: 'no_show', n: 1 },
      { kind: 'individual', status: 'done', n: 1 },
      { kind: 'group', status: 'done', n: 1 },
      { kind: 'group', status: 'booked', n: 3 },
    ]);
    // Fewer than 5 done or missed: the rate reads "<5", which says no more than its cells' "<5" already do.
    expect(four.get('doneOrNoShow')!.mark).toBe('under5');
    expect(four.get('appointment:group:booked')!.mark).toBeNull();
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
