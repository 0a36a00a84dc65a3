import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SearchPicker, type SearchPickerProps } from './SearchPicker';

interface Person {
  id: string;
  initials: string;
}

function render(props: Partial<SearchPickerProps<Person>> = {}): string {
  return renderToStaticMarkup(
    <SearchPicker<Person>
      label="Sök klient"
      hint="Namn, alias eller personnummer."
      query="fil"
      onQueryChange={() => undefined}
      results={[
        { id: 'c1', initials: 'F. F.' },
        { id: 'c2', initials: 'F. G.' },
      ]}
      keyOf={(person) => person.id}
      textOf={(person) => person.initials}
      renderItem={(person) => <strong>{person.initials}</strong>}
      onChoose={() => undefined}
      listLabel="Sökträffar"
      {...props}
    />,
  );
}

describe('the search picker', () => {
  it('is a labelled combo box whose matches are options of a listbox it controls', () => {
    const html = render();
    const input = /<input[^>]*>/.exec(html)![0];
    expect(input).toContain('role="combobox"');
    expect(input).toContain('aria-expanded="true"');
    expect(input).toContain('aria-autocomplete="list"');
    expect(input).toContain('value="fil"');
    const inputId = /id="([^"]+)"/.exec(input)![1];
    expect(html).toMatch(new RegExp(`<label[^>]*for="${inputId}"[^>]*>Sök klient</label>`));
    // aria-controls joins them once mounted (react-aria learns the list's id then): the e2e checks it.
    expect(/<div[^>]*role="listbox"[^>]*>/.exec(html)![0]).toContain('aria-label="Sökträffar"');
    expect([...html.matchAll(/role="option"/g)]).toHaveLength(2);
    // No <li> outside a list (axe's listitem rule): the options are the listbox's own.
    expect(html).not.toContain('<li');
  });

  it('has no listbox and says so while nothing matches or the answer is not in', () => {
    for (const results of [null, []]) {
      const html = render({ results, status: results ? 'Ingen klient matchar.' : 'Söker…' });
      expect(html).not.toContain('role="listbox"');
      expect(/<input[^>]*>/.exec(html)![0]).toContain('aria-expanded="false"');
      expect(html).toMatch(/<p role="status"[^>]*>(Ingen klient matchar\.|Söker…)<\/p>/);
    }
  });

  it('puts the error next to the field and has the field read it', () => {
    const html = render({ error: 'Välj en klient.', inputProps: { 'data-field': 'clientId' } });
    const input = /<input[^>]*>/.exec(html)![0];
    const errorId = /<p class="field__error" id="([^"]+)">Välj en klient.<\/p>/.exec(html)![1]!;
    expect(/aria-describedby="([^"]+)"/.exec(input)![1]!.split(' ')).toContain(errorId);
    expect(input).toContain('aria-invalid="true"');
    expect(input).toContain('data-field="clientId"');
  });
});
