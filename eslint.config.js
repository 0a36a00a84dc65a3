import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The "may import" column of DESIGN.md, enforced: each folder lists what it must not reach.
 * Patterns match the import path, so relative imports into a forbidden folder are caught.
 */
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const NODE_ONLY = [
  {
    group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'electron'],
    message: 'The renderer has no Node and no Electron: use the contract.',
  },
];
const features = readdirSync(new URL('./renderer/features/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tools/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['db/**/*.ts'],
    rules: restrict([
      { group: ['**/main/**', '**/renderer/**', 'electron'], message: 'db/ stands alone: nothing from main or renderer.' },
      { group: ['**/preload/**', '!**/preload/domain', '!**/preload/domain/**'], message: 'From preload/ db/ may use the pure domain module only.' },
    ]),
  },
  {
    files: ['preload/contract/**/*.ts'],
    rules: restrict([
      {
        group: ['**/main/**', '**/db/**', '**/renderer/**', 'node:*', 'electron'],
        message: 'The contract may import zod and the domain module only.',
      },
    ]),
  },
  {
    files: ['preload/domain/**/*.ts'],
    rules: restrict([
      {
        group: ['**/main/**', '**/db/**', '**/renderer/**', '**/contract/**', 'node:*', 'electron', 'zod'],
        message: 'The domain module is pure: no zod, no Node, nothing of the app.',
      },
    ]),
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: restrict([
      { group: ['electron'], message: 'Only main/electron/ may import electron; everything else runs under plain Node.' },
      { group: ['**/renderer/**'], message: 'The main process never imports the renderer.' },
    ]),
  },
  {
    files: ['main/services/**/*.ts'],
    rules: restrict([
      { group: ['electron'], message: 'Services run under plain Node.' },
      { group: ['better-sqlite3-multiple-ciphers'], message: 'SQL lives in db/: call its named functions.' },
      { group: ['**/renderer/**', '**/harness/**', '**/electron/**'], message: 'Services know nothing of their callers.' },
    ]),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Screens load from the journal in effects and set state after the answer arrives (asynchronously),
      // which this rule cannot tell apart from a synchronous cascade.
      'react-hooks/set-state-in-effect': 'off',
      ...restrict([
        ...NODE_ONLY,
        { group: ['**/main/**', '**/db/**'], message: 'The renderer reaches the journal only through the contract.' },
        {
          group: ['**/preload/**', '!**/preload/contract', '!**/preload/contract/index', '!**/preload/domain', '!**/preload/domain/index'],
          message: 'From preload/ the renderer may use the contract and the domain module only.',
        },
      ]),
    },
  },
  ...features.map((feature) => ({
    files: [`renderer/features/${feature}/**/*.{ts,tsx}`],
    rules: restrict([
      ...NODE_ONLY,
      { group: ['**/main/**', '**/db/**'], message: 'The renderer reaches the journal only through the contract.' },
      { group: ['**/app/**'], message: 'Features do not import the app shell.' },
      {
        group: features
          .filter((other) => other !== feature)
          .flatMap((other) => [`../${other}/*`, `../../features/${other}/*`, `**/features/${other}/**`]),
        message: 'Features do not import each other: share through ui/ and the contract.',
      },
    ]),
  })),
  {
    files: ['tests/**/*.ts', 'scripts/**/*.{js,mjs,ts}', 'main/cli/**/*.ts', 'main/harness/**/*.ts'],
    // Playwright fixtures declare "no dependencies" with an empty pattern.
    rules: { 'no-console': 'off', 'no-empty-pattern': 'off' },
  },
);
