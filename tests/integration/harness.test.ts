import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../main/harness/server.js';
import { silentLogger } from '../../main/log.js';
import { useTempDirs } from '../helpers/tempDir.js';

const tempDir = useTempDirs();
let running: Harness | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

async function start(): Promise<Harness> {
  const rendererDir = tempDir();
  mkdirSync(path.join(rendererDir, 'assets'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  running = await startHarness({ dataDir: tempDir(), rendererDir, log: silentLogger });
  return running;
}

const invoke = (h: Harness, body: unknown, headers: Record<string, string> = { 'x-utvag-token': h.token }) =>
  fetch(`http://127.0.0.1:${h.port}/__harness/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('the browser harness', () => {
  it('answers contract calls only with the run token', async () => {
    const h = await start();
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+$/);
    const ok = await invoke(h, { channel: 'app.status', input: {} });
    expect(await ok.json()).toMatchObject({ ok: true, value: { state: 'setup' } });
    expect((await invoke(h, { channel: 'app.status', input: {} }, {})).status).toBe(403);
    expect((await invoke(h, { channel: 'app.status', input: {} }, { 'x-utvag-token': 'guess' })).status).toBe(403);
  });

  it('listens on loopback only and refuses other host names', async () => {
    const h = await start();
    const http = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port: h.port, path: '/', headers: { host: `evil.example:${h.port}` } }, (res) => resolve(res.statusCode!)).end();
    });
    expect(status).toBe(421);
  });

  it('serves the renderer with a strict CSP and the bridge, and nothing outside the renderer folder', async () => {
    const h = await start();
    const page = await fetch(`http://127.0.0.1:${h.port}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe');
    expect(await page.text()).toContain('<script src="/__harness/bridge.js"></script>');
    expect((await fetch(`http://127.0.0.1:${h.port}/assets/app.js`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${h.port}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${h.port}/assets/..%2f..%2f..%2fpackage.json`)).status).toBe(404);
  });
});
