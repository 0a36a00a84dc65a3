/**
 * The browser harness: the real main-process router on a real encrypted journal, served over
 * loopback HTTP with the built renderer, for development and browser tests. Never packaged.
 * It binds to 127.0.0.1 only and demands a random per-run token on every call. With
 * UTVAG_SERVER_URL (or after the first-run choice) it is a workstation of the Utväg server instead:
 * the same remote router the desktop app uses, and the server's change events passed to the page.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startWorkstation } from '../remote/workstation.js';
import { DEFAULT_CHECK_EVERY_MS } from '../services/backupSchedule.js';
import type { JournalApp } from '../services/session/index.js';
import { setStorageFault } from './storageFault.js';
import { createLogger, type Logger } from '../log.js';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MAX_BODY_BYTES = 4 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** Installs window.utvag in the page the way the preload does in Electron, over fetch with the run's token. */
const BRIDGE_SCRIPT = `(() => {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem('utvag-harness-token', match[1]);
    history.replaceState(null, '', location.pathname + location.search);
  }
  const token = sessionStorage.getItem('utvag-harness-token') || '';
  const listeners = new Set();
  let source = null;
  window.utvag = Object.freeze({
    async invoke(channel, input) {
      try {
        const response = await fetch('/__harness/invoke', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-utvag-token': token },
          body: JSON.stringify({ channel, input }),
        });
        if (!response.ok) return { ok: false, error: { code: 'INTERNAL', message: 'error.connection' } };
        return await response.json();
      } catch {
        return { ok: false, error: { code: 'INTERNAL', message: 'error.connection' } };
      }
    },
    // Server mode: another desk's changes, as the preload's onChange. EventSource cannot send a
    // header, so the run's token goes in the address (loopback only, never logged).
    onChange(listener) {
      if (typeof listener !== 'function') throw new TypeError('onChange needs a function');
      listeners.add(listener);
      if (!source) {
        source = new EventSource('/__harness/events?token=' + encodeURIComponent(token));
        source.addEventListener('change', (event) => {
          let change;
          try {
            change = JSON.parse(event.data);
          } catch {
            return;
          }
          for (const each of listeners) each(change);
        });
        // EventSource opens again by itself after a cut: what came in between is lost, so the page reads again.
        let opened = false;
        source.addEventListener('open', () => {
          if (opened) for (const each of listeners) each({ kind: 'resync' });
          opened = true;
        });
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  });
})();
`;

export interface HarnessOptions {
  dataDir: string;
  rendererDir: string;
  port?: number;
  log?: Logger;
  /** An open local journal (tests); otherwise the workstation starts its own, or a server client. */
  app?: JournalApp;
  /** Where UTVAG_SERVER_URL and UTVAG_SERVER_CA are read (default: the process's environment). */
  env?: NodeJS.ProcessEnv;
  /**
   * Lets a test make the open journal full or read-only (POST /__harness/storage-fault?fault=…, with
   * the token; see storageFault.ts). Off unless asked for: serve.ts turns it on only when
   * UTVAG_HARNESS_STORAGE_FAULTS=1, which the end-to-end tests set.
   */
  storageFaults?: boolean;
}

export interface Harness {
  url: string;
  port: number;
  token: string;
  /** The local journal; null in server mode. */
  app: JournalApp | null;
  close(): Promise<void>;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const log = options.log ?? createLogger();
  const indexFile = path.join(options.rendererDir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`No built renderer at ${options.rendererDir}; run npm run build:renderer first`);
  const workstation = startWorkstation({
    dataDir: options.dataDir,
    log,
    backupCheckEveryMs: DEFAULT_CHECK_EVERY_MS,
    ...(options.env ? { env: options.env } : {}),
    ...(options.app ? { journal: options.app } : {}),
  });
  const router = workstation.router;
  // The page's open change streams; a change names only kind, site, side and day.
  const streams = new Set<http.ServerResponse>();
  workstation.onChange((change) => {
    const frame = `event: change\ndata: ${JSON.stringify(change)}\n\n`;
    for (const stream of streams) stream.write(frame);
  });
  const ping = setInterval(() => {
    for (const stream of streams) stream.write(': ping\n\n');
  }, 20_000);
  ping.unref();
  const token = randomBytes(24).toString('base64url');
  let port = 0;

  const server = http.createServer((request, response) => {
    const send = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8') => {
      response.writeHead(status, {
        'content-type': type,
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      response.end(body);
    };
    // Only this machine's loopback names: a page elsewhere cannot reach us through DNS rebinding.
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(421, 'Wrong host');
    const url = new URL(request.url ?? '/', `http://${host}`);

    if (url.pathname === '/__harness/invoke') {
      if (request.method !== 'POST') return send(405, 'POST only');
      if (!sameToken(request.headers['x-utvag-token'] as string | undefined, token)) return send(403, 'Bad token');
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          send(413, 'Too large');
          request.destroy();
        } else chunks.push(chunk);
      });
      request.on('end', () => {
        if (response.headersSent) return;
        let body: { channel?: unknown; input?: unknown };
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
        } catch {
          return send(400, 'Not JSON');
        }
        void router.invoke(String(body.channel), body.input).then((result) => send(200, JSON.stringify(result), 'application/json'));
      });
      return;
    }
    if (url.pathname === '/__harness/events') {
      if (request.method !== 'GET') return send(405, 'GET only');
      if (!sameToken(url.searchParams.get('token') ?? undefined, token)) return send(403, 'Bad token');
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-security-policy': CONTENT_SECURITY_POLICY,
      });
      response.write(': open\n\n');
      streams.add(response);
      response.on('close', () => streams.delete(response));
      return;
    }
    // The storage faults act on a local journal's connection; a server's storage is not the harness's to break.
    if (url.pathname === '/__harness/storage-fault' && options.storageFaults) {
      if (request.method !== 'POST') return send(405, 'POST only');
      if (!sameToken(request.headers['x-utvag-token'] as string | undefined, token)) return send(403, 'Bad token');
      const app = workstation.journal;
      if (!app) return send(409, 'Server mode: no local journal');
      const fault = url.searchParams.get('fault');
      if (fault !== 'full' && fault !== 'readOnly' && fault !== 'normal') return send(400, 'Unknown fault');
      if (!app.isUnlocked) return send(409, 'The journal is locked');
      setStorageFault(app.db, fault);
      log.warn('harness.storage_fault', { reason: fault });
      return send(200, 'ok');
    }
    if (url.pathname === '/__harness/bridge.js') return send(200, BRIDGE_SCRIPT, CONTENT_TYPES['.js']);
    if (request.method !== 'GET') return send(405, 'GET only');

    const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(options.rendererDir, relative);
    if (!file.startsWith(path.resolve(options.rendererDir) + path.sep) || !existsSync(file) || !statSync(file).isFile())
      return send(404, 'Not found');
    if (file === indexFile) {
      // The bridge runs before the app's module script, exactly where Electron's preload would.
      const html = readFileSync(file, 'utf8').replace('<head>', '<head>\n    <script src="/__harness/bridge.js"></script>');
      return send(200, html, CONTENT_TYPES['.html']);
    }
    return send(200, readFileSync(file), CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  log.info('harness.listening', { port });
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    get app() {
      return workstation.journal;
    },
    close: async () => {
      clearInterval(ping);
      await workstation.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
