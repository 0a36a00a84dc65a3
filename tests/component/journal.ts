/**
 * Global setup of the component tests (vitest browser mode): one real encrypted journal in a
 * temporary folder, set up as tests/helpers/reception.ts does (an admin who is also a receptionist,
 * one therapist per side at Skaraborg), behind the browser harness's token-guarded invoke route.
 * The forms under test reach it through the `utvagInvoke` command (vitest.browser.config.ts), so
 * every save they make is validated, refused or written by the real router and services.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startHarness } from '../../main/harness/server.js';
import { silentLogger } from '../../main/log.js';
import { setUpReception } from '../helpers/reception.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the component tests' journal answers (loopback) and the run's token; read by the command in Node only. */
    componentHarness: { origin: string; token: string };
    /** The ids of the journal's two therapists. */
    componentTherapists: { victims: string; perpetrators: string };
  }
}

export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'utvag-ct-'));
  // The harness insists on a renderer to serve; the tests bring their own page, so an empty one does.
  const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'utvag-ct-page-'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>component tests</title>');
  const reception = await setUpReception(dataDir);
  const harness = await startHarness({ dataDir, rendererDir, app: reception.app, log: silentLogger });
  project.provide('componentHarness', { origin: new URL(harness.url).origin, token: harness.token });
  project.provide('componentTherapists', reception.therapists);
  return async () => {
    try {
      await harness.close();
    } finally {
      // The journal's folder goes even if closing failed: fictional data, but nothing is left behind.
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(rendererDir, { recursive: true, force: true });
    }
  };
}
