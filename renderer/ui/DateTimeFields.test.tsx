import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalDate } from '../../preload/contract';
import { DateField, dateFromText, shownValue, TimeField, timeFromText } from './DateTimeFields';

beforeAll(async () => {
  await i18next.use(initReactI18next).init({ resources: { sv: { translation: {} }, en: { translation: {} } }, lng: 'sv' });
});

const noop = () => undefined;

/** The segments' texts in the order a person meets them, and the whole field's markup. */
function segments(html: string): string[] {
  return [...html.matchAll(/role="spinbutton"[^>]*data-type="(\w+)"[^>]*>([^<]*)</g)].map((match) => `${match[1]}:${match[2]}`);
}

describe('a whole date or time from typed or pasted text', () => {
  it('takes a date as the centre writes it, and only a real one', () => {
    expect(dateFromText('2026-11-23')).toBe('2026-11-23');
    expect(dateFromText(' 2026-11-23\n')).toBe('2026-11-23');
    expect(dateFromText('2028-02-29')).toBe('2028-02-29');
    for (const text of ['2026-02-30', '2027-02-29', '23/11/2026', '2026-11-2', '20261123', '2026-13-01', 'i morgon', ''])
      expect(dateFromText(text), text).toBeNull();
  });

  it('takes a time of day in 24 hours', () => {
    expect(timeFromText('09:30')).toBe('09:30');
    expect(timeFromText('9:30')).toBe('09:30');
    expect(timeFromText('09.30')).toBe('09:30');
    expect(timeFromText('23:59')).toBe('23:59');
    for (const text of ['24:00', '09:60', '0930', '9', 'nio', '']) expect(timeFromText(text), text).toBeNull();
  });

  it('counts what the segments show as a value only when every segment is filled in', () => {
    const segment = (type: string, value: number | null) => ({
      type,
      value,
      text: value === null ? { year: 'åååå', month: 'mm', day: 'dd', hour: '––', minute: '––' }[type]! : String(value).padStart(2, '0'),
      isPlaceholder: value === null,
      isEditable: true,
    });
    const literal = { type: 'literal', text: '-', isPlaceholder: false, isEditable: false };
    expect(shownValue('date', [segment('year', 2031), literal, segment('month', 3), literal, segment('day', 4)])).toBe('2031-03-04');
    // The day erased: the form must not keep the last whole date; it gets what is shown, which LocalDate refuses.
    expect(shownValue('date', [segment('year', 2031), literal, segment('month', 3), literal, segment('day', null)])).toBe('2031-03-dd');
    expect(shownValue('date', [segment('year', null), literal, segment('month', null), literal, segment('day', null)])).toBe('');
    expect(LocalDate.safeParse('2031-03-dd').success).toBe(false);
    expect(shownValue('time', [segment('hour', 9), literal, segment('minute', 5)])).toBe('09:05');
    expect(shownValue('time', [segment('hour', null), literal, segment('minute', 5)])).not.toMatch(/^(\d\d:\d\d)?$/);
  });
});

describe('the date and time fields', () => {
  it('show a date year-month-day, labelled, with the error read with the field', () => {
    const html = renderToStaticMarkup(<DateField label="Datum" value="2026-11-23" onChange={noop} error="Skriv datumet som ÅÅÅÅ-MM-DD." />);
    expect(segments(html)).toEqual(['year:2026', 'month:11', 'day:23']);
    const group = /<div[^>]*role="group"[^>]*>/.exec(html)![0];
    const labelId = /<span class="[^"]*" id="([^"]+)">Datum<\/span>/.exec(html)![1];
    expect(group).toContain(`aria-labelledby="${labelId}"`);
    const errorId = /<p class="field__error" id="([^"]+)">Skriv datumet som ÅÅÅÅ-MM-DD.<\/p>/.exec(html)![1]!;
    expect(errorId).toMatch(/-error$/);
    expect(/aria-describedby="([^"]+)"/.exec(group)![1]!.split(' ')).toContain(errorId);
    expect(html).toContain('field field--invalid');
  });

  it('show empty segments to type into when there is no date yet', () => {
    const html = renderToStaticMarkup(<DateField label="Datum" value="" onChange={noop} />);
    expect(html).toMatch(/data-type="year"[^>]*>åååå</);
    expect(html).not.toContain('field__error');
  });

  it('show a time in 24 hours with a leading zero', () => {
    const html = renderToStaticMarkup(<TimeField label="Starttid" value="09:05" onChange={noop} />);
    expect(segments(html)).toEqual(['hour:09', 'minute:05']);
    expect(renderToStaticMarkup(<TimeField label="Starttid" value="17:30" onChange={noop} />)).not.toMatch(/PM|em\b/);
  });

  it('write dates year-month-day and times in 24 hours in English too', async () => {
    await i18next.changeLanguage('en');
    try {
      expect(segments(renderToStaticMarkup(<DateField label="Date" value="2026-11-03" onChange={noop} />))).toEqual([
        'year:2026',
        'month:11',
        'day:03',
      ]);
      const time = renderToStaticMarkup(<TimeField label="Start" value="17:30" onChange={noop} />);
      expect(segments(time)).toEqual(['hour:17', 'minute:30']);
      expect(time).not.toContain('dayPeriod');
    } finally {
      await i18next.changeLanguage('sv');
    }
  });
});
