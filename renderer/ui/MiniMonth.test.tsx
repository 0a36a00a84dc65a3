import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MiniMonth } from './MiniMonth';

function render(props: Partial<Parameters<typeof MiniMonth>[0]> = {}): string {
  return renderToStaticMarkup(
    <MiniMonth
      value="2031-11-18"
      onChange={() => undefined}
      today="2031-11-20"
      highlighted={['2031-11-17', '2031-11-23']}
      locale="sv-SE"
      label="Välj dag"
      previousLabel="Föregående månad"
      nextLabel="Nästa månad"
      {...props}
    />,
  );
}

describe('the mini month', () => {
  it('lays out November 2031 from Monday, with the chosen day selected', () => {
    const html = render();
    const days = [...html.matchAll(/data-date="(\d{4}-\d\d-\d\d)"/g)].map((match) => match[1]);
    // Monday 27 October starts the first week; Sunday 30 November ends the last.
    expect(days[0]).toBe('2031-10-27');
    expect(days[days.length - 1]).toBe('2031-11-30');
    expect(days).toHaveLength(35);
    expect(html).toMatch(/aria-selected="true"[^>]*>[^]*?tisdag 18 november 2031/);
    expect(html).toContain('aria-label="Nästa månad"');
  });

  it('starts the week on Monday in English too', () => {
    const html = render({ locale: 'en-GB', label: 'Choose a day', previousLabel: 'Previous month', nextLabel: 'Next month' });
    const days = [...html.matchAll(/data-date="(\d{4}-\d\d-\d\d)"/g)].map((match) => match[1]);
    expect(days[0]).toBe('2031-10-27');
  });
});
