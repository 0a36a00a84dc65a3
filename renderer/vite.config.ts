import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { holidaysVitePlugin } from '../scripts/holidays-bundle.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset paths: the same build is served by the app:// scheme in Electron and by the harness.
  base: './',
  // The holiday engine without the calendars and time zones Sweden's closed days do not need.
  plugins: [react(), holidaysVitePlugin()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // No inline scripts or styles: the Content-Security-Policy allows only files from the app itself.
    assetsInlineLimit: 0,
  },
});
