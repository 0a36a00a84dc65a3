import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { defineBrowserCommand } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS, findChromium } from './scripts/chromium.mjs';

/**
 * The renderer's own contract call, carried from the page under test to the component tests' journal
 * (tests/component/journal.ts) in Node: the page and the harness are on different origins, and the
 * run's token stays out of the page.
 */
const utvagInvoke = defineBrowserCommand<[channel: string, input: unknown]>(async (context, channel, input) => {
  const { origin, token } = context.project.getProvidedContext().componentHarness;
  const response = await fetch(`${origin}/__harness/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-utvag-token': token },
    body: JSON.stringify({ channel, input }),
  });
  if (!response.ok) return { ok: false, error: { code: 'INTERNAL', message: 'error.connection' } };
  return (await response.json()) as unknown;
});

/**
 * Component tests: the forms and the kit rendered alone in a real Chromium (the same system one the
 * end-to-end tests drive), typed into and clicked as a person does, with the real router behind them.
 */
export default defineConfig({
  plugins: [react()],
  // Bundled before the first test: a dependency found halfway through would reload the page under test.
  optimizeDeps: {
    include: [
      'react',
      'react-dom',
      'react-dom/client',
      'react/jsx-dev-runtime',
      'react-aria-components',
      '@internationalized/date',
      'react-hook-form',
      '@hookform/resolvers/zod',
      'zod',
      'i18next',
      'react-i18next',
      '@tanstack/react-query',
      'date-holidays-parser',
      'date-fns',
      '@date-fns/tz',
      'vitest-browser-react',
    ],
  },
  test: {
    include: ['renderer/**/*.browser.test.tsx'],
    globalSetup: ['tests/component/journal.ts'],
    setupFiles: ['renderer/testing/setup.ts'],
    // One journal, one signed-in session: the files take turns (each is a few seconds).
    fileParallelism: false,
    testTimeout: 30_000,
    expect: { poll: { timeout: 5_000 } },
    hookTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
        contextOptions: { locale: 'sv-SE', timezoneId: 'Europe/Stockholm' },
      }),
      instances: [{ browser: 'chromium' }],
      viewport: { width: 1280, height: 800 },
      commands: { utvagInvoke },
    },
  },
});
