import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}'],
    // Component tests run in a real browser: vitest.browser.config.ts (npm run test:browser).
    exclude: [...configDefaults.exclude, 'renderer/**/*.browser.test.tsx'],
    environment: 'node',
    // Argon2id at 64 MiB per unlock: give the integration tests room, and keep them from starving each other.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
