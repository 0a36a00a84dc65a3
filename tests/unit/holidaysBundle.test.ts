import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import type * as HolidaysModule from '../../preload/domain/holidays.js';
import { closedDaysOf } from '../../preload/domain/index.js';
import { holidaysEsbuildPlugin, unusedCalendars, withoutUnusedCalendars } from '../../scripts/holidays-bundle.mjs';

const require = createRequire(import.meta.url);
const factory = readFileSync(path.join(path.dirname(require.resolve('date-holidays-parser')), '..', 'src', 'CalEventFactory.js'), 'utf8');
const folder = mkdtempSync(path.join(tmpdir(), 'utvag-holidays-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the holiday engine as the renderer and the preload bundle it', () => {
  it("leaves out every calendar Sweden's rules do not use, and keeps one a rule needs", () => {
    expect(unusedCalendars().sort()).toEqual(['nobengali', 'nochinese', 'noequinox', 'nohebrew', 'noislamic', 'nojalaali', 'nojulian']);
    const lean = withoutUnusedCalendars(factory);
    expect(lean).toContain("import Easter from './Easter.js'");
    for (const calendar of ['Julian', 'Hebrew', 'Hijri', 'Jalaali', 'Equinox', 'Chinese', 'BengaliRevised'])
      expect(lean).not.toContain(`./${calendar}.js`);
    // A rule on the solstice (as Finland's midsummer could be written) keeps the equinox calendar in.
    const withSolstice = { holidays: { SE: { days: { 'june solstice': { name: 'x' } } } } };
    expect(unusedCalendars(withSolstice)).not.toContain('noequinox');
    expect(withoutUnusedCalendars(factory, unusedCalendars(withSolstice))).toContain("import Equinox from './Equinox.js'");
    // A parser without the marks is an error, not a silently fat (or wrong) bundle.
    expect(() => withoutUnusedCalendars('export default class CalEventFactory {}')).toThrow(/#ifndef/);
  });

  it('computes the same closed days, 2005 to 2100, without moment-timezone', async () => {
    const result = await build({
      entryPoints: [path.resolve('preload/domain/holidays.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      outfile: path.join(folder, 'holidays.mjs'),
      plugins: [holidaysEsbuildPlugin()],
    });
    const packages = Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules/'));
    expect(packages.filter((input) => /moment|astronomia|hebrew|hijri|date-chinese|jalaali|bengali/i.test(input))).toEqual([]);
    expect(packages.some((input) => input.includes('date-holidays-parser/'))).toBe(true);
    const [output] = result.outputFiles;
    writeFileSync(output!.path, output!.text);
    // The bundle's stub throws if the engine ever asks for a zone: any such call fails here.
    const bundled = (await import(pathToFileURL(output!.path).href)) as typeof HolidaysModule;
    for (let year = 2005; year <= 2100; year += 1) expect([...bundled.closedDaysOf(year)], String(year)).toEqual([...closedDaysOf(year)]);
  });
});
