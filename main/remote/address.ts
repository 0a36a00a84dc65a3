import { isIP } from 'node:net';

/** Why a server address is refused: said in plain English for the CLI and the log, as a message key for the screen. */
export class ServerAddressError extends Error {
  constructor(
    message: string,
    readonly key: string,
  ) {
    super(message);
    this.name = 'ServerAddressError';
  }
}

/** This computer only: 127.0.0.0/8, ::1 and localhost. Nothing leaves the machine, so TLS adds nothing there. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * The server's base address. https:// always, http:// only to this computer: over the network the
 * token and every client's data would otherwise travel readable by anyone on the way.
 */
export function parseServerUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ServerAddressError(`Not a server address: write it as https://HOST:PORT`, 'error.server.urlFormat');
  }
  if (url.username || url.password) throw new ServerAddressError('The server address may not carry a name or password', 'error.server.urlFormat');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ServerAddressError(
      `Refusing http:// to ${url.hostname}: the server must be reached over https:// (TLS) unless it runs on this computer`,
      'error.server.httpsRequired',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ServerAddressError('The server address must start with https://', 'error.server.urlFormat');
  }
  // Only the origin counts: the protocol's paths (/v1/…) are the client's to add.
  return new URL(url.origin);
}
