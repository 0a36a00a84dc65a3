// The holiday engine (date-holidays-parser) as the renderer and the preload bundle it: without the
// calendars Sweden's rules do not use and without moment-timezone's data. Left in, they cost some
// 150 kB gzip (moment-timezone's every zone, astronomia's planet tables, the Hebrew and Islamic
// calendars). The calendars are left out the way date-holidays' own `holidays2json --min` does it, by
// the parser's `#ifndef no…` marks, for exactly the calendars no rule in holidays-se.json names, so a
// rule needing one keeps it. moment-timezone becomes a stub that refuses to run: preload/domain/holidays.ts
// sets no zone, and without one the engine never calls it. Main, on Node, loads the package unchanged.
import { readFileSync } from 'node:fs';

const SWEDEN = JSON.parse(readFileSync(new URL('../preload/domain/holidays-se.json', import.meta.url), 'utf8'));

/** The parser's marks and the rule words that need each calendar (as in date-holidays' scripts/holidays2json.cjs). */
const CALENDARS = {
  noislamic:
    /\b(Muharram|Safar|Rabi al-awwal|Rabi al-thani|Jumada al-awwal|Jumada al-thani|Rajab|Shaban|Ramadan|Shawwal|Dhu al-Qidah|Dhu al-Hijjah)\b/,
  nojulian: /\bjulian\b/,
  nochinese: /\b(chinese|vietnamese|korean)\b/,
  nobengali: /\bbengali-revised\b/,
  noequinox: /\b(equinox|solstice)\b/,
  nohebrew: /\b(Nisan|Iyyar|Sivan|Tamuz|Av|Elul|Tishrei|Cheshvan|Kislev|Tevet|Shvat|Adar)\b/,
  nojalaali: /\b(Farvardin|Ordibehesht|Khordad|Tir|Mordad|Shahrivar|Mehr|Aban|Azar|Dey|Bahman|Esfand)\b/,
};

/** Every rule (a key of a `days`) in the data, its states and regions included. */
function rulesIn(node, rules = []) {
  if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) {
      if (key === 'days' && value && typeof value === 'object') rules.push(...Object.keys(value));
      else rulesIn(value, rules);
    }
  return rules;
}

/** The marks of the calendars no rule uses. */
export function unusedCalendars(data = SWEDEN) {
  const rules = rulesIn(data.holidays);
  return Object.keys(CALENDARS).filter((mark) => !rules.some((rule) => CALENDARS[mark].test(rule)));
}

const FACTORY = /[\\/]date-holidays-parser[\\/]src[\\/]CalEventFactory\.js$/;
const ENGINE = /[\\/](date-holidays-parser|caldate)[\\/]/;
const NO_TIMEZONE = '\0holidays-no-timezone';
const NO_TIMEZONE_CODE = `const refuse = () => {
  throw new Error('moment-timezone is left out of this bundle: the closed days are computed without a zone (preload/domain/holidays.ts)');
};
export default Object.assign(refuse, { tz: refuse });
`;

/** The factory's source without the cases, and imports, of the unused calendars. */
export function withoutUnusedCalendars(source, marks = unusedCalendars()) {
  const unused = new Set(marks);
  let left = 0;
  const result = source.replace(/^[ \t]*\/\/ #ifndef (\w+)\r?\n[\s\S]*?^[ \t]*\/\/ #endif[ \t]*\r?\n/gm, (block, mark) => {
    if (!unused.has(mark)) return block;
    left += 1;
    return '';
  });
  if (left === 0 && unused.size > 0)
    throw new Error('date-holidays-parser: CalEventFactory.js has no #ifndef marks any more; see scripts/holidays-bundle.mjs');
  return result;
}

/** For Vite (the renderer). */
export function holidaysVitePlugin() {
  return {
    name: 'utvag-holidays',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === 'moment-timezone' && importer && ENGINE.test(importer) ? NO_TIMEZONE : null;
    },
    load(id) {
      return id === NO_TIMEZONE ? NO_TIMEZONE_CODE : null;
    },
    transform(code, id) {
      return FACTORY.test(id.split('?')[0]) ? { code: withoutUnusedCalendars(code), map: null } : null;
    },
  };
}

/** For esbuild (the preload bundle, whose contract imports the domain module). */
export function holidaysEsbuildPlugin() {
  return {
    name: 'utvag-holidays',
    setup(build) {
      build.onResolve({ filter: /^moment-timezone$/ }, (args) =>
        ENGINE.test(args.importer) ? { path: 'moment-timezone', namespace: 'holidays-no-timezone' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'holidays-no-timezone' }, () => ({ contents: NO_TIMEZONE_CODE, loader: 'js' }));
      build.onLoad({ filter: FACTORY }, (args) => ({ contents: withoutUnusedCalendars(readFileSync(args.path, 'utf8')), loader: 'js' }));
    },
  };
}
