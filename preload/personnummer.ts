/**
 * Swedish personal identity numbers: personnummer and samordningsnummer (coordination number, day + 60).
 * No imports on purpose: the renderer, the main process and the zod schemas in preload/contract/ all use it.
 */

export type IdentityKind = 'personnummer' | 'samordningsnummer';
export type LegalSex = 'female' | 'male';
export type IdentityNumberRejection = 'format' | 'date' | 'checksum' | 'interim';

export type IdentityNumberResult =
  | {
      valid: true;
      kind: IdentityKind;
      /** Always 'YYYYMMDD-NNNC': the century is explicit, so a centenarian keeps '-' too. Samordningsnummer keep day + 60. */
      normalised: string;
      /** 'YYYY-MM-DD', the real day (a samordningsnummer's day minus 60). */
      birthDate: string;
      birthYear: number;
      legalSex: LegalSex;
    }
  | { valid: false; reason: IdentityNumberRejection };

// Optional century, YYMMDD, optional separator, birth number (its first character may be a letter), check digit.
const SHAPE = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)([0-9A-Z])(\d{2})(\d)$/;
type ShapeMatch = [
  whole: string,
  century: string | undefined,
  yy: string,
  mm: string,
  dd: string,
  separator: string,
  first: string,
  rest: string,
  check: string,
];

// The letters Skatteverket uses in interim numbers; any other letter makes the input no number at all.
const INTERIM_LETTERS = 'TRSUWXJKLMN';
const COORDINATION_OFFSET = 60;
// Skatteverket stores the centuries 18, 19 and 20 only; the prefix 16 marks organisation numbers.
const EARLIEST_BIRTH_YEAR = 1800;

/**
 * Validates and normalises a personnummer or samordningsnummer ('YYMMDD-NNNC', 'YYMMDD+NNNC', 'YYMMDDNNNC',
 * 'YYYYMMDDNNNC', 'YYYYMMDD-NNNC', 'YYYYMMDD+NNNC'; surrounding whitespace ignored). `today` is the reference date,
 * read in local time, that fixes the century of the 10-digit forms and rules out birth dates in the future.
 */
export function parseIdentityNumber(input: string, today: Date = new Date()): IdentityNumberResult {
  if (Number.isNaN(today.getTime())) throw new RangeError('parseIdentityNumber: the reference date is invalid');
  const match = SHAPE.exec(input.trim().toUpperCase());
  if (!match) return reject('format');
  // Every group but the century takes part in any match.
  const [, century, yy, mm, dd, separator, first, rest, check] = match as unknown as ShapeMatch;

  const interim = first >= 'A' && first <= 'Z';
  if (interim && !INTERIM_LETTERS.includes(first)) return reject('format');
  const birthNumber = first + rest;
  // Birth numbers run from 001 to 999; 000 is never issued, even when the check digit fits.
  if (birthNumber === '000') return reject('format');

  const refYear = today.getFullYear();
  const refOrdinal = ordinal(refYear, today.getMonth() + 1, today.getDate());
  const year = century === undefined ? resolveYear(Number(yy), separator === '+', refYear) : Number(century + yy);
  const month = Number(mm);
  const coordination = Number(dd) > COORDINATION_OFFSET;
  const day = coordination ? Number(dd) - COORDINATION_OFFSET : Number(dd);

  if (year < EARLIEST_BIRTH_YEAR || !isCalendarDate(year, month, day)) return reject('date');
  if (ordinal(year, month, day) > refOrdinal) return reject('date');
  // A '+' claims the person turns 100 this year or has done so: a 12-digit form must agree with it.
  if (separator === '+' && refYear - year < 100) return reject('date');

  // The check digit covers the 10-digit form; an interim letter counts as 1.
  if (!luhnHolds(yy + mm + dd + (interim ? '1' + rest : birthNumber) + check)) return reject('checksum');
  if (interim) return reject('interim');

  return {
    valid: true,
    kind: coordination ? 'samordningsnummer' : 'personnummer',
    normalised: `${year}${mm}${dd}-${birthNumber}${check}`,
    birthDate: `${year}-${mm}-${String(day).padStart(2, '0')}`,
    birthYear: year,
    legalSex: Number(rest.charAt(1)) % 2 === 1 ? 'male' : 'female',
  };
}

function reject(reason: IdentityNumberRejection): IdentityNumberResult {
  return { valid: false, reason };
}

/**
 * The latest year ending in `yy` that is at most the reference year ('-') or 100 years before it ('+').
 * By year, not exact age: Skatteverket changes '-' to '+' from the start of the year the person turns 100.
 */
function resolveYear(yy: number, centenarian: boolean, refYear: number): number {
  const latest = centenarian ? refYear - 100 : refYear;
  return latest - ((((latest - yy) % 100) + 100) % 100);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

// Comparable as a number, so no Date (and no time zone) is involved in the comparison.
function ordinal(year: number, month: number, day: number): number {
  return year * 10000 + month * 100 + day;
}

// Luhn with weights 2, 1, 2, … from the left; the check digit sits at weight 1.
function luhnHolds(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    const product = (digits.charCodeAt(i) - 48) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return sum % 10 === 0;
}
