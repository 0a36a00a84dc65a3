import { beforeAll, describe, expect, it } from 'vitest';
import { holidaysAmong, loadHolidays, weeklySeries } from './holidays';

describe('Swedish holidays among booked dates', () => {
  beforeAll(loadHolidays);

  it('flags public holidays and the three de facto days off, in the interface language, and nothing else', () => {
    const dates = ['2031-06-20', '2031-06-21', '2031-12-23', '2031-12-24', '2031-12-25', '2031-12-31', '2032-01-01', '2031-04-12', '2031-04-30'];
    expect(holidaysAmong(dates, 'sv')).toEqual([
      { date: '2031-06-20', name: 'midsommarafton' },
      { date: '2031-06-21', name: 'midsommardagen' },
      { date: '2031-12-24', name: 'julafton' },
      { date: '2031-12-25', name: 'juldagen' },
      { date: '2031-12-31', name: 'nyårsafton' },
      { date: '2032-01-01', name: 'nyårsdagen' },
    ]);
    // Påskafton (a Saturday) and valborgsmässoafton are working days here; a date given twice is named once.
    expect(holidaysAmong(['2031-12-24', '2031-12-24', '2031-05-22'], 'en')).toEqual([
      { date: '2031-05-22', name: 'Ascension Day' },
      { date: '2031-12-24', name: 'Christmas Eve' },
    ]);
    expect(holidaysAmong(['2031-03-04'], 'sv')).toEqual([]);
  });

  it('moving Easter and midsummer follow the year', () => {
    expect(holidaysAmong(['2030-04-19', '2030-04-22', '2030-06-21'], 'sv').map((holiday) => holiday.date)).toEqual([
      '2030-04-19',
      '2030-04-22',
      '2030-06-21',
    ]);
  });

  it('a weekly series passes over skipped dates and keeps its length', () => {
    expect(weeklySeries('2031-12-10', 4)).toEqual(['2031-12-10', '2031-12-17', '2031-12-24', '2031-12-31']);
    expect(weeklySeries('2031-12-10', 4, new Set(['2031-12-24', '2031-12-31']))).toEqual(['2031-12-10', '2031-12-17', '2032-01-07', '2032-01-14']);
  });
});
