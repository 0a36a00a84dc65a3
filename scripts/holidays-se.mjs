// Sweden's holiday rules, picked from the date-holidays library's data for preload/domain/holidays.ts:
// the library's own engine (date-holidays-parser) computes the centre's closed days from them, and no
// other country's rules reach the renderer, main or the preload. `node scripts/holidays-se.mjs`
// rewrites preload/domain/holidays-se.json from the installed date-holidays (a devDependency);
// tests/unit/holidays.test.ts fails while the committed file differs, so an upgrade of the library shows.
// The data is CC BY-SA 3.0 (the library's code is ISC): the file carries its attribution and licence.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { data } from 'date-holidays/data';

const COUNTRY = 'SE';
const require = createRequire(import.meta.url);
const libraryFolder = path.dirname(require.resolve('date-holidays/package.json'));

/** The `_name` references in a country's rules (its states and regions too), which point into the shared `names`. */
function namesUsed(node, found = new Set()) {
  if (Array.isArray(node)) for (const item of node) namesUsed(item, found);
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) {
      if (key === '_name' && typeof value === 'string') found.add(value);
      else namesUsed(value, found);
    }
  return found;
}

/** Sweden's rules and the names they use, unchanged, with where they come from and under which licence. */
export function swedishHolidayData(
  source = data,
  countryYaml = readFileSync(path.join(libraryFolder, 'data', 'countries', `${COUNTRY}.yaml`), 'utf8'),
) {
  const country = source.holidays[COUNTRY];
  if (!country) throw new Error(`date-holidays has no rules for ${COUNTRY}`);
  if (country._days) throw new Error(`${COUNTRY}'s rules refer to another country's (_days): pick that one too`);
  const names = {};
  for (const name of [...namesUsed(country)].sort()) {
    if (!source.names[name]) throw new Error(`${COUNTRY} refers to the name "${name}", which date-holidays does not have`);
    names[name] = source.names[name];
  }
  // The YAML's @source/@attrib comments are the data's sources; holidays.json does not keep them.
  const sources = [...countryYaml.matchAll(/#\s*@(?:source|attrib)\s+(\S+)/g)].map((match) => match[1]);
  const { version } = JSON.parse(readFileSync(path.join(libraryFolder, 'package.json'), 'utf8'));
  return {
    attribution: {
      work: `date-holidays ${version} (https://github.com/commenthol/date-holidays), data/holidays.json of ${source.version}, by commenthol and contributors`,
      license: 'CC BY-SA 3.0, https://creativecommons.org/licenses/by-sa/3.0/; this file is under the same licence',
      changes: `Only ${COUNTRY} and the names its rules refer to, picked unchanged by scripts/holidays-se.mjs`,
      sources: [...new Set(sources)],
    },
    version: source.version,
    license: source.license,
    holidays: { [COUNTRY]: country },
    names,
  };
}

export const OUTPUT = fileURLToPath(new URL('../preload/domain/holidays-se.json', import.meta.url));

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Formatted as the project's prettier wants it, so that lint passes on a freshly written file.
  const { format, resolveConfig } = await import('prettier');
  const options = { ...(await resolveConfig(OUTPUT)), filepath: OUTPUT };
  writeFileSync(OUTPUT, await format(JSON.stringify(swedishHolidayData()), options));
  process.stdout.write(`${path.relative(process.cwd(), OUTPUT)} written from date-holidays' data\n`);
}
