/** `npm run dev:browser`: the harness on the data folder from UTVAG_DATA_DIR (or the per-user default). */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../paths.js';
import { startHarness } from './server.js';

const dataDir = defaultDataDir();
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
const rendererDir = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));
const harness = await startHarness({
  dataDir,
  rendererDir: path.resolve(rendererDir),
  port: Number(process.env.UTVAG_PORT ?? 0),
  // Only the end-to-end tests ask for the storage-fault switch (a full or read-only journal).
  storageFaults: process.env.UTVAG_HARNESS_STORAGE_FAULTS === '1',
}).catch((error: unknown) => {
  // A server address that may not be used (http:// to another computer, an unreadable CA file): said plainly.
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});

process.stdout.write(`Utväg Reception (browser harness, for development and tests only)\n`);
process.stdout.write(`Data folder: ${dataDir}\n`);
if (!harness.app) process.stdout.write(`Server mode: the journal is on the Utväg server, nothing of it in the data folder\n`);
process.stdout.write(`Open: ${harness.url}\n`);

const stop = () => {
  void harness.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
