import Holidays from 'date-holidays';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { addLocalDays } from '../../preload/domain/index';
import { domainEn, domainSv } from '../i18n/domain';
import { holidaysAmong, weeklySeries } from './holidays';

describe('Swedish holidays among booked dates', () => {
  beforeAll(async () => {
    await i18next.init({
      resources: { sv: { translation: domainSv }, en: { translation: domainEn } },
      lng: 'sv',
      interpolation: { escapeValue: false },
    });
  });

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

  it('names every closed day as the date-holidays library does, in both languages, 2005 to 2100', () => {
    for (const language of ['sv', 'en']) {
      const reference = new Holidays('SE', { languages: [language] });
      for (let year = 2005; year <= 2100; year += 1) {
        const days = Array.from({ length: 366 }, (_, day) => addLocalDays(`${year}-01-01`, day)).filter((date) => date.startsWith(String(year)));
        const ours = new Map(holidaysAmong(days, language).map((holiday) => [holiday.date, holiday.name]));
        const theirs = reference.getHolidays(year, language).filter((holiday) => holiday.type === 'public' || holiday.type === 'bank');
        expect([...ours.keys()], `${year} ${language}`).toEqual([...new Set(theirs.map((holiday) => holiday.date.slice(0, 10)))].sort());
        for (const holiday of theirs) expect(ours.get(holiday.date.slice(0, 10)), `${year} ${language}`).toContain(holiday.name);
      }
    }
  });

  it('names two holidays on one date together', () => {
    expect(holidaysAmong(['2008-05-01'], 'sv')).toEqual([{ date: '2008-05-01', name: 'första maj och Kristi himmelsfärdsdag' }]);
    expect(holidaysAmong(['2049-06-06'], 'en')).toEqual([{ date: '2049-06-06', name: 'Pentecost and National Day' }]);
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
