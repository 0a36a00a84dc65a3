import { describe, expect, it } from 'vitest';
import { initialsOf } from './initials';

describe('initials in discreet mode', () => {
  it('reads a name as initials, double names included', () => {
    expect(initialsOf('Testa Fiktivsson')).toBe('T. F.');
    expect(initialsOf('anna-karin  berg')).toBe('A.-K. B.');
    expect(initialsOf('Örjan Åkesson')).toBe('Ö. Å.');
  });

  it('keeps an alias’s number a number, without a full stop', () => {
    expect(initialsOf('Kvinna F H 3')).toBe('K. F. H. 3');
    expect(initialsOf('Klient 12')).toBe('K. 12');
  });

  it('never shows punctuation as an initial', () => {
    expect(initialsOf('(Okänd) -')).toBe('O.');
  });
});
