// `npm run build`: renderer (Vite) → dist/renderer, main (ESM) → dist/main/index.js with its
// migrations beside it, preload (CommonJS, sandboxed) → dist/preload/index.cjs; the Utväg server
// and the admin CLI (ESM) → dist/main/server.js and dist/main/cli.js, which need nothing but
// dist/, package.json and the production node_modules (`npm ci --omit=dev`).
// Options: --out DIR instead of dist (the build test), --no-renderer (a server machine needs none).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { holidaysEsbuildPlugin } from './holidays-bundle.mjs';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const from = (...parts) => path.join(root, ...parts);
const pkg = JSON.parse(readFileSync(from('package.json'), 'utf8'));
const { values: args } = parseArgs({ options: { out: { type: 'string' }, 'no-renderer': { type: 'boolean' } } });
const outDir = path.resolve(root, args.out ?? 'dist');
const out = (...parts) => path.join(outDir, ...parts);

// 1. Renderer. Vite is started with this Node (no npx, no shell), so it works the same on Windows.
const viteConfig = from('renderer', 'vite.config.ts');
if (args['no-renderer']) {
  console.log('build: renderer skipped (--no-renderer)');
} else if (existsSync(viteConfig)) {
  const require = createRequire(import.meta.url);
  const vitePkgPath = require.resolve('vite/package.json');
  const viteBin = path.join(path.dirname(vitePkgPath), JSON.parse(readFileSync(vitePkgPath, 'utf8')).bin.vite);
  const result = spawnSync(process.execPath, [viteBin, 'build', '--config', viteConfig, '--outDir', out('renderer'), '--emptyOutDir'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
} else {
  console.warn('build: renderer/vite.config.ts not found, renderer build skipped');
}

rmSync(out('main'), { recursive: true, force: true });
rmSync(out('preload'), { recursive: true, force: true });
rmSync(out('migrations'), { recursive: true, force: true });

// 2. Main process, and beside it the Utväg server and the admin CLI: one bundle each, in the same
// folder, so that what each reads from disk relative to itself (import.meta.url) is found the same
// way. Runtime packages (native modules above all) stay in node_modules, unbundled.
for (const [entry, file] of [
  [from('main', 'electron', 'index.ts'), 'index.js'],
  [from('main', 'server', 'index.ts'), 'server.js'],
  [from('main', 'cli', 'index.ts'), 'cli.js'],
]) {
  await build({
    entryPoints: [entry],
    outfile: out('main', file),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['electron', ...Object.keys(pkg.dependencies ?? {})],
    logLevel: 'warning',
  });
}

/** Copies a folder's .sql files (the migrations, read at run time) where the bundles look for them. */
function copySql(source, target) {
  mkdirSync(target, { recursive: true });
  for (const file of readdirSync(source).filter((name) => name.endsWith('.sql'))) copyFileSync(path.join(source, file), path.join(target, file));
}
// db/migrate.ts reads new URL('./migrations/', import.meta.url): the SQLite migrations go beside the bundles.
copySql(from('db', 'migrations'), out('main', 'migrations'));
// db/engine/postgresMigrate.ts reads new URL('../migrations/postgres/', import.meta.url): from
// dist/main/*.js that is dist/migrations/postgres/ (server init, server migrate, the server's schema check).
copySql(from('db', 'migrations', 'postgres'), out('migrations', 'postgres'));

// 3. Preload. A sandboxed preload can require only 'electron': zod and the contract are bundled in.
await build({
  entryPoints: [from('preload', 'index.ts')],
  outfile: out('preload', 'index.cjs'),
  bundle: true,
  platform: 'browser',
  format: 'cjs',
  target: 'chrome140',
  external: ['electron'],
  // The contract imports the domain module, and with it the holiday engine: as lean as in the renderer.
  plugins: [holidaysEsbuildPlugin()],
  logLevel: 'warning',
});

const shown = outDir.startsWith(root + path.sep) ? path.relative(root, outDir) : outDir;
console.log(
  `build: ${shown}/main/{index,server,cli}.js, ${shown}/main/migrations/, ${shown}/migrations/postgres/, ${shown}/preload/index.cjs written`,
);
