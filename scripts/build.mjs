// `npm run build`: renderer (Vite) → dist/renderer, main (ESM) → dist/main/index.js with its
// migrations beside it, preload (CommonJS, sandboxed) → dist/preload/index.cjs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const from = (...parts) => path.join(root, ...parts);
const pkg = JSON.parse(readFileSync(from('package.json'), 'utf8'));

// 1. Renderer. Vite is started with this Node (no npx, no shell), so it works the same on Windows.
const viteConfig = from('renderer', 'vite.config.ts');
if (existsSync(viteConfig)) {
  const require = createRequire(import.meta.url);
  const vitePkgPath = require.resolve('vite/package.json');
  const viteBin = path.join(path.dirname(vitePkgPath), JSON.parse(readFileSync(vitePkgPath, 'utf8')).bin.vite);
  const result = spawnSync(process.execPath, [viteBin, 'build', '--config', viteConfig], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
} else {
  console.warn('build: renderer/vite.config.ts not found, renderer build skipped');
}

rmSync(from('dist', 'main'), { recursive: true, force: true });
rmSync(from('dist', 'preload'), { recursive: true, force: true });

// 2. Main process. Runtime packages (native modules above all) stay in node_modules, unbundled.
await build({
  entryPoints: [from('main', 'electron', 'index.ts')],
  outfile: from('dist', 'main', 'index.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  external: ['electron', ...Object.keys(pkg.dependencies ?? {})],
  logLevel: 'warning',
});

// db/migrate.ts reads new URL('./migrations/', import.meta.url): the SQL files go beside the bundle.
const migrationsOut = from('dist', 'main', 'migrations');
mkdirSync(migrationsOut, { recursive: true });
for (const file of readdirSync(from('db', 'migrations')).filter((name) => name.endsWith('.sql'))) {
  copyFileSync(from('db', 'migrations', file), path.join(migrationsOut, file));
}

// 3. Preload. A sandboxed preload can require only 'electron': zod and the contract are bundled in.
await build({
  entryPoints: [from('preload', 'index.ts')],
  outfile: from('dist', 'preload', 'index.cjs'),
  bundle: true,
  platform: 'browser',
  format: 'cjs',
  target: 'chrome140',
  external: ['electron'],
  logLevel: 'warning',
});

console.log('build: dist/main/index.js, dist/main/migrations/, dist/preload/index.cjs written');
