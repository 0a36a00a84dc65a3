import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// A feature's rules live in its CSS module, so its class names are hashed: a component that still
// writes the old global name (className="client-detail") gets no style at all, silently. This test
// finds such names: a plain class written in a component whose camelCase form is a class of a CSS
// module in the same folder or in ui/, or one that no sheet defines while a module once did.

const RENDERER = path.resolve(__dirname, '../../renderer');

function filesUnder(dir: string, ending: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(ending) && !file.endsWith(`.test${ending}`))
    .map((file) => path.join(dir, file));
}

const camel = (name: string) => name.replace(/[-_]+([a-zA-Z0-9])/g, (_, letter: string) => letter.toUpperCase());

function classesOf(css: string): Set<string> {
  const withoutGlobals = css.replace(/:global\([^)]*\)/g, '');
  return new Set([...withoutGlobals.matchAll(/\.([a-zA-Z_][\w-]*)/g)].map((match) => match[1]!));
}

/**
 * The plain class names a component writes: className="a b", string literals inside className={…}
 * (and rowClassName={…}), and a column's className: 'a' as the kit's Table takes it.
 */
function plainClassNames(source: string): string[] {
  const names: string[] = [];
  for (const match of source.matchAll(/className="([^"]*)"/g)) names.push(...match[1]!.split(/\s+/));
  for (const match of source.matchAll(/className:\s*(?:'([^']*)'|"([^"]*)")/g)) names.push(...(match[1] ?? match[2] ?? '').split(/\s+/));
  for (const match of source.matchAll(/className=\{([^}]*)\}/g)) {
    for (const literal of match[1]!.matchAll(/'([^']*)'|"([^"]*)"|`([^`$]*)/g)) {
      names.push(...(literal[1] ?? literal[2] ?? literal[3] ?? '').split(/\s+/));
    }
  }
  return names.filter((name) => /^[a-z][\w-]*$/.test(name));
}

describe('CSS modules', () => {
  const globalSheets = filesUnder(RENDERER, '.css').filter((file) => !file.endsWith('.module.css'));
  const globalClasses = new Set(globalSheets.flatMap((file) => [...classesOf(readFileSync(file, 'utf8'))]));
  const modules = filesUnder(RENDERER, '.module.css');

  it('no component writes the global name of a class that lives in a CSS module', () => {
    const stale: string[] = [];
    for (const component of filesUnder(RENDERER, '.tsx')) {
      const folder = path.dirname(component);
      const nearby = modules.filter((file) => path.dirname(file) === folder || path.dirname(file) === path.join(RENDERER, 'ui'));
      const moduleClasses = new Set(nearby.flatMap((file) => [...classesOf(readFileSync(file, 'utf8'))]));
      for (const name of plainClassNames(readFileSync(component, 'utf8'))) {
        if (!globalClasses.has(name) && name.includes('-') && moduleClasses.has(camel(name))) {
          stale.push(`${path.relative(RENDERER, component)}: "${name}" is ${camel(name)} in a CSS module`);
        }
      }
    }
    expect(stale).toEqual([]);
  });

  it('no sheet holds a colour that is not a token', () => {
    const literal = /#[0-9a-fA-F]{3,8}\b|rgba?\(/;
    const offenders = [...globalSheets, ...modules]
      .filter((file) => !file.endsWith('tokens.css'))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => literal.test(line) && !/^\s*--/.test(line))
          .map((line) => `${path.relative(RENDERER, file)}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
