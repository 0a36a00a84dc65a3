import { describe, expect, it } from 'vitest';
import { LocalDate } from '../../preload/contract/index.js';

const messages = (value: string) => (LocalDate.safeParse(value).error?.issues ?? []).map((issue) => issue.message);

describe('LocalDate: a date people type, checked against the calendar', () => {
  it('accepts real days, leap days included', () => {
    for (const value of ['2026-11-23', '2028-02-29', '2000-02-29', '2026-12-31']) expect(messages(value)).toEqual([]);
  });

  it('refuses days the calendar does not have, with their own message', () => {
    for (const value of ['2026-02-31', '2027-02-29', '1900-02-29', '2026-04-31']) expect(messages(value)).toEqual(['error.date.nonexistent']);
  });

  it('refuses other shapes with the format message only', () => {
    for (const value of ['15/1 2024', '2026-13-01', '2026-1-5', '']) expect(messages(value)).toEqual(['error.date.format']);
  });
});
