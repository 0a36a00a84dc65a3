import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIdentityNumber, type IdentityKind, type IdentityNumberRejection } from '../../preload/personnummer.js';

// The public vectors of personnummer/meta, read in place (see its README.md): they are not copied into this repository.
const VECTORS = new URL('../../../shared/testdata/personnummer/', import.meta.url);

interface Vector {
  integer: number;
  long_format?: string;
  short_format?: string;
  separated_format?: string;
  separated_long?: string;
  valid: boolean;
  type: 'ssn' | 'con' | 'interim' | 'org';
  isMale?: boolean;
  isFemale?: boolean;
}

const FORMATS = ['long_format', 'short_format', 'separated_format', 'separated_long', 'integer'] as const;
type Format = (typeof FORMATS)[number];
const KIND: Record<string, IdentityKind> = { ssn: 'personnummer', con: 'samordningsnummer' };

/**
 * The vectors carry no reference date, but their short forms need one: the youngest, 210791-9967, is born
 * 2021-07-31, and from 2046 '460823-9986' would read as a birth date in the future. Any day from 2021-07-31
 * to the end of 2045 gives these answers; pinned so the tests do not change as the years pass.
 */
const REFERENCE = new Date(2025, 0, 1);

function load(file: string): Vector[] {
  return JSON.parse(readFileSync(new URL(file, VECTORS), 'utf8')) as Vector[];
}

/** One case per vector and format it has; `integer` 0 is the vectors' placeholder for "no integer form". */
function cases(vectors: Vector[]) {
  return vectors.flatMap((vector) =>
    FORMATS.flatMap((format) => {
      const input = format === 'integer' ? (vector.integer === 0 ? undefined : String(vector.integer)) : vector[format];
      return input === undefined ? [] : [{ label: `${format} ${JSON.stringify(input)}`, input, format, vector }];
    }),
  );
}

// Why each invalid vector of list.json is invalid, keyed by long_format: a new one fails until it is looked at.
const INVALID_BECAUSE: Record<string, IdentityNumberRejection> = {
  '201509160006': 'format', // birth number 000 is never issued, although the check digit fits
  '197004289895': 'checksum',
  '194205669899': 'checksum',
  '196004309886': 'checksum',
  '197210869924': 'checksum',
  '19090527 1474': 'format', // a space is no separator
};

/**
 * The 12-digit form with '-'. short_format drops the '+' of a centenarian, so it reads as someone born a
 * century later (090527+1474 is born 1909, 0905271474 in 2009): still a valid number, of somebody else.
 */
function expectedNormalised(vector: Vector, format: Format): string {
  const long = vector.long_format ?? '';
  const year = Number(long.slice(0, 4)) + (format === 'short_format' && vector.separated_format?.includes('+') ? 100 : 0);
  return `${year}${long.slice(4, 8)}-${long.slice(8)}`;
}

describe('parseIdentityNumber on the public vectors', () => {
  describe('list.json', () => {
    it.each(cases(load('list.json')))('$label', ({ input, format, vector }) => {
      const result = parseIdentityNumber(input, REFERENCE);
      expect(result.valid).toBe(vector.valid);
      expect(vector.isMale).toBe(!vector.isFemale);
      if (result.valid) {
        expect(result).toMatchObject({
          kind: KIND[vector.type],
          legalSex: vector.isMale ? 'male' : 'female',
          normalised: expectedNormalised(vector, format),
        });
      } else {
        expect(result.reason).toBe(INVALID_BECAUSE[vector.long_format ?? '']);
      }
    });
  });

  describe('interim.json: never accepted', () => {
    it.each(cases(load('interim.json')))('$label', ({ input, vector }) => {
      const result = parseIdentityNumber(input, REFERENCE);
      expect(result.valid).toBe(false);
      // 'valid' there means a well-formed interim number; the invalid one (letter E) is not an interim number at all.
      if (!result.valid && vector.valid) expect(result.reason).toBe('interim');
      if (!result.valid && !vector.valid) expect(result.reason).not.toBe('interim');
    });
  });

  describe('orgnumber.json: never accepted', () => {
    it.each(cases(load('orgnumber.json')))('$label', ({ input }) => {
      // Organisation numbers have a "month" of 20 or more.
      expect(parseIdentityNumber(input, REFERENCE)).toEqual({ valid: false, reason: 'date' });
    });
  });
});

describe('parseIdentityNumber on edge cases', () => {
  const at = (year: number, month: number, day: number) => new Date(year, month - 1, day);

  it('accepts the leap day 2000-02-29 and rejects 1900-02-29', () => {
    expect(parseIdentityNumber('000229-2399', REFERENCE)).toEqual({
      valid: true,
      kind: 'personnummer',
      normalised: '20000229-2399',
      birthDate: '2000-02-29',
      birthYear: 2000,
      legalSex: 'male',
    });
    expect(parseIdentityNumber('19000229-2399', REFERENCE)).toEqual({ valid: false, reason: 'date' });
    // '+' puts the same digits in 1900, which had no 29 February.
    expect(parseIdentityNumber('000229+2399', REFERENCE)).toEqual({ valid: false, reason: 'date' });
  });

  it('reads a samordningsnummer on day 60 + 29, keeps day + 60 in the normalised form', () => {
    // Born 1828: nobody alive when samordningsnummer began (2000), so this cannot be a real person's number.
    expect(parseIdentityNumber('18280289-9985', REFERENCE)).toEqual({
      valid: true,
      kind: 'samordningsnummer',
      normalised: '18280289-9985',
      birthDate: '1828-02-29',
      birthYear: 1828,
      legalSex: 'female',
    });
    expect(parseIdentityNumber('280289+9985', REFERENCE)).toMatchObject({ valid: true, normalised: '18280289-9985' });
    expect(parseIdentityNumber('19000289-9985', REFERENCE)).toEqual({ valid: false, reason: 'date' });
    expect(parseIdentityNumber('730288-9931', REFERENCE)).toMatchObject({ birthDate: '1973-02-28', normalised: '19730288-9931' });
  });

  it.each([
    ['day 60', '730260-9931'],
    ['day 92', '730292-9931'],
    ['day 00', '730200-9931'],
    ['month 13', '731328-9931'],
    ['century 16', '16090527-1474'],
  ])('rejects %s as a date: %s', (_name, input) => {
    expect(parseIdentityNumber(input, REFERENCE)).toEqual({ valid: false, reason: 'date' });
  });

  it('tolerates whitespace around the number, not inside it', () => {
    expect(parseIdentityNumber('  19090527-1474\n', REFERENCE)).toMatchObject({ valid: true, normalised: '19090527-1474' });
    expect(parseIdentityNumber('\t090527+1474 ', REFERENCE)).toMatchObject({ valid: true, normalised: '19090527-1474' });
    expect(parseIdentityNumber('090527 +1474', REFERENCE)).toEqual({ valid: false, reason: 'format' });
  });

  it.each(['', '   ', 'abc', '0905271474x', '090527--1474', '090527-147', '9090527-1474', '19090527-14745', '090527/1474', '0905271474 0'])(
    'rejects garbage %j as format',
    (input) => {
      expect(parseIdentityNumber(input, REFERENCE)).toEqual({ valid: false, reason: 'format' });
    },
  );

  it('resolves a 10-digit "+" by the year the person turns 100, into the 20th or 19th century', () => {
    expect(parseIdentityNumber('090527+1474', REFERENCE)).toMatchObject({ birthDate: '1909-05-27' });
    expect(parseIdentityNumber('090527+1474', at(2005, 6, 1))).toMatchObject({ birthDate: '1809-05-27' });
    // Skatteverket switches to '+' on 1 January of the year of the 100th birthday, not on the birthday.
    expect(parseIdentityNumber('090527+1474', at(2009, 1, 1))).toMatchObject({ birthDate: '1909-05-27' });
    expect(parseIdentityNumber('090527+1474', at(2008, 12, 31))).toMatchObject({ birthDate: '1809-05-27' });
  });

  it('accepts a 12-digit "+" only when the person turns 100 that year or earlier', () => {
    expect(parseIdentityNumber('19090527+1474', at(2009, 1, 1))).toMatchObject({ valid: true, normalised: '19090527-1474' });
    expect(parseIdentityNumber('19090527+1474', at(2008, 12, 31))).toEqual({ valid: false, reason: 'date' });
    expect(parseIdentityNumber('20000229+2399', REFERENCE)).toEqual({ valid: false, reason: 'date' });
    // The century is explicit, so '-' is fine for a centenarian.
    expect(parseIdentityNumber('19090527-1474', REFERENCE)).toMatchObject({ valid: true });
  });

  it('rejects birth dates after the reference date', () => {
    expect(parseIdentityNumber('210791-9967', at(2021, 7, 31))).toMatchObject({ valid: true, birthDate: '2021-07-31' });
    // The previous century would need '+', so '-' has no reading on the day before.
    expect(parseIdentityNumber('210791-9967', at(2021, 7, 30))).toEqual({ valid: false, reason: 'date' });
    expect(parseIdentityNumber('20210791-9967', at(2021, 7, 30))).toEqual({ valid: false, reason: 'date' });
  });

  it('reports a wrong check digit, and an interim number even in lower case', () => {
    expect(parseIdentityNumber('19090527-1475', REFERENCE)).toEqual({ valid: false, reason: 'checksum' });
    expect(parseIdentityNumber('000101-t220', REFERENCE)).toEqual({ valid: false, reason: 'interim' });
    expect(parseIdentityNumber('000101-T221', REFERENCE)).toEqual({ valid: false, reason: 'checksum' });
  });

  it('defaults the reference date to today', () => {
    expect(parseIdentityNumber('19570428-9999')).toMatchObject({ valid: true, birthYear: 1957 });
  });

  it('refuses an invalid reference date rather than guessing a century', () => {
    expect(() => parseIdentityNumber('570428-9999', new Date(Number.NaN))).toThrow(RangeError);
  });
});
