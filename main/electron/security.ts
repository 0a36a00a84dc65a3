/**
 * The security policy of the shell: the privileged app:// scheme that serves the renderer, the
 * session rules (permissions, downloads, network) and the hardening of every web contents.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { protocol, type Session, type WebContents } from 'electron';
import type { Logger } from '../log.js';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY, contentTypeFor, isAppUrl, resolveAppFile, responseHeaders } from './appScheme.js';

/**
 * Must run before the app is ready. 'standard' gives app:// real origins and relative URLs;
 * 'secure' makes it a secure context; fetch/CORS let Vite's module scripts (crossorigin) load.
 * Never bypassCSP.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}

function textResponse(status: number, body: string): Response {
  return new Response(body, { status, headers: responseHeaders('text/plain; charset=utf-8') });
}

/** Serves dist/renderer over app:// on the given session: GET only, never outside rendererDir. */
export function serveRenderer(ses: Session, rendererDir: string): void {
  ses.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET') return textResponse(405, 'Method not allowed');
    const file = resolveAppFile(rendererDir, request.url);
    if (!file) return textResponse(404, 'Not found');
    // Paths without an extension are the renderer's own routes: answer with the app shell.
    const candidates = path.extname(file) === '' ? [file, path.join(rendererDir, 'index.html')] : [file];
    for (const candidate of candidates) {
      try {
        const body = await readFile(candidate);
        return new Response(new Uint8Array(body), { status: 200, headers: responseHeaders(contentTypeFor(candidate)) });
      } catch {
        // Missing file or a folder: try the next candidate, then 404.
      }
    }
    return textResponse(404, 'Not found');
  });
}

/**
 * Session-wide rules; applied to the app's session and to the default one, which nothing should
 * use. The CSP header rewrite is applied to the app's session only (devtools in development).
 */
export function hardenSession(ses: Session, log: Logger, options: { enforceCsp: boolean }): void {
  // The renderer never needs the camera, notifications, clipboard reads, devices or anything else.
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn('session.permission_denied', { code: permission });
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // Spell checking would download dictionaries from the network and send typed words to a service.
  ses.setSpellCheckerEnabled(false);
  // Downloads are refused, except a file the app's own page made on an admin's deliberate export
  // (the access log as CSV): Electron then asks where to save it, so the person chooses the place.
  ses.on('will-download', (event, item) => {
    if (item.getURL().startsWith(`blob:${APP_SCHEME}://${APP_HOST}/`)) {
      log.info('session.export_download');
      return;
    }
    log.warn('session.download_blocked');
    event.preventDefault();
  });
  // Nothing is loaded from the network, whatever the page tries (defence behind the CSP).
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*', 'file:///*'] }, (_details, callback) => {
    log.warn('session.request_blocked');
    callback({ cancel: true });
  });
  if (!options.enforceCsp) return;
  // Every response carries the strict CSP, even one that did not come from our protocol handler.
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    // The scanner cannot read a named constant; `npm run lint:electron` evaluates CONTENT_SECURITY_POLICY itself.
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY]; /* eng-disable CSP_GLOBAL_CHECK */
    callback({ responseHeaders: headers });
  });
}

/** Applied to every web contents the app creates (app 'web-contents-created'). */
export function hardenWebContents(contents: WebContents, log: Logger): void {
  // No <webview>: it would be a second, unhardened renderer.
  contents.on('will-attach-webview', (event) => {
    log.warn('contents.webview_blocked');
    event.preventDefault();
  });
  // One window only; links never open new windows or the system browser (no shell.openExternal).
  contents.setWindowOpenHandler(() => {
    log.warn('contents.window_open_blocked');
    return { action: 'deny' };
  });
  // The page may move within app:// (its own routes) but never to another origin.
  const denyOffOrigin = (event: { url: string; preventDefault(): void }) => {
    if (isAppUrl(event.url)) return;
    log.warn('contents.navigation_blocked');
    event.preventDefault();
  };
  contents.on('will-navigate', denyOffOrigin);
  contents.on('will-frame-navigate', denyOffOrigin);
  contents.on('will-redirect', denyOffOrigin);
}
