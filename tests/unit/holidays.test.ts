import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { addLocalDays, CLOSED_DAYS, closedDaysOf, closedDaysOn, isClosedDay, weekdayOf } from '../../preload/domain/index.js';
import swedishData from '../../preload/domain/holidays-se.json' with { type: 'json' };
import { swedishHolidayData } from '../../scripts/holidays-se.mjs';

describe("the centre's closed days", () => {
  it('are those of Swedish law and the three eves in 2031, and no other day', () => {
    expect([...closedDaysOf(2031)].sort()).toEqual([
      ['2031-01-01', ['new_years_day']],
      ['2031-01-06', ['epiphany']],
      ['2031-04-11', ['good_friday']],
      ['2031-04-13', ['easter_sunday']],
      ['2031-04-14', ['easter_monday']],
      ['2031-05-01', ['may_day']],
      ['2031-05-22', ['ascension_day']],
      ['2031-06-01', ['whit_sunday']],
      ['2031-06-06', ['national_day']],
      ['2031-06-20', ['midsummer_eve']],
      ['2031-06-21', ['midsummer_day']],
      ['2031-11-01', ['all_saints_day']],
      ['2031-12-24', ['christmas_eve']],
      ['2031-12-25', ['christmas_day']],
      ['2031-12-26', ['boxing_day']],
      ['2031-12-31', ['new_years_eve']],
    ]);
    // Working days here: the days before Christmas Eve, påskafton, valborgsmässoafton, trettondagsafton, annandag pingst.
    for (const date of ['2031-12-23', '2031-12-27', '2031-04-12', '2031-04-30', '2031-01-05', '2031-06-02', '2032-01-02'])
      expect(isClosedDay(date), date).toBe(false);
    expect(closedDaysOn('2032-01-01')).toEqual(['new_years_day']);
  });

  it('move with Easter and with the weekday where the law says so, at the edges of their weeks', () => {
    // The earliest and latest Easter Sundays of the Gregorian calendar in reach, and some in between, with långfredagen and annandag påsk.
    for (const [friday, sunday, monday] of [
      ['2285-03-20', '2285-03-22', '2285-03-23'],
      ['2038-04-23', '2038-04-25', '2038-04-26'],
      ['2024-03-29', '2024-03-31', '2024-04-01'],
      ['2030-04-19', '2030-04-21', '2030-04-22'],
    ] as const) {
      expect([closedDaysOn(friday), closedDaysOn(sunday), closedDaysOn(monday)], sunday).toEqual([
        ['good_friday'],
        ['easter_sunday'],
        ['easter_monday'],
      ]);
      // Skärtorsdagen and påskafton are working days here.
      expect([addLocalDays(friday, -1), addLocalDays(friday, 1)].map(isClosedDay), sunday).toEqual([false, false]);
    }
    // Kristi himmelsfärdsdag and pingstdagen follow Easter: 39 and 49 days after it.
    expect(closedDaysOn('2285-04-30')).toEqual(['ascension_day']);
    expect(closedDaysOn('2038-06-13')).toEqual(['whit_sunday']);
    // Midsommardagen falls on 20 June in 2026 and on 26 June in 2027; alla helgons dag on 31 October in 2026 and on 6 November in 2027.
    expect(closedDaysOn('2026-06-19')).toEqual(['midsummer_eve']);
    expect(closedDaysOn('2026-06-20')).toEqual(['midsummer_day']);
    expect(closedDaysOn('2027-06-25')).toEqual(['midsummer_eve']);
    expect(closedDaysOn('2027-06-26')).toEqual(['midsummer_day']);
    expect(closedDaysOn('2026-10-31')).toEqual(['all_saints_day']);
    expect(isClosedDay('2026-11-07')).toBe(false);
    expect(closedDaysOn('2027-11-06')).toEqual(['all_saints_day']);
    expect(isClosedDay('2027-10-30')).toBe(false);
    for (const year of [2026, 2027, 2031, 2040]) {
      const days = [...closedDaysOf(year)].flatMap(([date, codes]) => codes.map((code) => [date, code] as const));
      expect(days.filter(([, code]) => code === 'midsummer_eve').map(([date]) => weekdayOf(date))).toEqual([5]);
      expect(days.filter(([, code]) => code === 'midsummer_day' || code === 'all_saints_day').map(([date]) => weekdayOf(date))).toEqual([6, 6]);
    }
  });

  it('fall on the dates the date-holidays library gives Sweden from 2005 to 2100', () => {
    // The library's "public" days and its "bank" days (the three eves) are the centre's closed days; their names: renderer/ui/holidays.test.ts.
    const reference = new Holidays('SE');
    for (let year = 2005; year <= 2100; year += 1) {
      const theirs = reference
        .getHolidays(year)
        .filter((holiday) => holiday.type === 'public' || holiday.type === 'bank')
        .map((holiday) => holiday.date.slice(0, 10));
      const ours = [...closedDaysOf(year)].flatMap(([date, codes]) => codes.map(() => date));
      expect(ours.sort(), String(year)).toEqual(theirs.sort());
    }
  });

  it("come from Sweden's rules as the installed date-holidays has them, with the data's attribution", () => {
    // After an upgrade of date-holidays this fails until `node scripts/holidays-se.mjs` has rewritten the subset (and the diff been read).
    expect(swedishData).toEqual(swedishHolidayData());
    expect(Object.keys(swedishData.holidays)).toEqual(['SE']);
    expect(swedishData.attribution.license).toMatch(/^CC BY-SA 3\.0, https:\/\/creativecommons\.org\/licenses\/by-sa\/3\.0\//);
    expect(swedishData.attribution.sources).toContain('https://sv.wikipedia.org/wiki/Helgdagar_i_Sverige');
  });

  it('are none for a year that is not one, rather than those of the current year', () => {
    for (const year of [Number.NaN, 0, -1, 2031.5]) expect(closedDaysOf(year).size, String(year)).toBe(0);
    // Nor for one still being typed, which the library would read as 1902 or take at its word.
    for (const year of [2, 20, 203]) expect(closedDaysOf(year).size, String(year)).toBe(0);
    expect(closedDaysOn('not a date')).toEqual([]);
    expect(isClosedDay('')).toBe(false);
  });

  it('come once a year each, sometimes two on one date', () => {
    for (let year = 2005; year <= 2100; year += 1)
      expect([...closedDaysOf(year).values()].flat().sort(), String(year)).toEqual([...CLOSED_DAYS].sort());
    // Two on one date: Kristi himmelsfärdsdag on första maj, pingstdagen on nationaldagen.
    expect(closedDaysOn('2008-05-01')).toEqual(['may_day', 'ascension_day']);
    expect(closedDaysOn('2049-06-06')).toEqual(['whit_sunday', 'national_day']);
    // A day on either side of a year's turn belongs to its own year.
    expect(closedDaysOn(addLocalDays('2032-01-01', -1))).toEqual(['new_years_eve']);
  });

  it('are none on a date half typed or not a date, without an error', () => {
    for (const text of ['', '2', '2031-1', '2031-12-2', 'NaN-12-24', 'julafton', '2031/12/24', '0002-12-24', '0203-12-24'])
      expect(closedDaysOn(text)).toEqual([]);
    expect(closedDaysOn('2031-12-24')).toEqual(['christmas_eve']);
  });
});
