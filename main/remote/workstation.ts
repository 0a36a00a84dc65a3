/**
 * What a workstation runs: the local encrypted journal (the default, one desk), or a client of the
 * centre's Utväg server — chosen by UTVAG_SERVER_URL, or by an admin at first run and then kept in
 * the data folder's server.json. The Electron main process and the browser harness both start one
 * and call its router; they never decide the mode themselves.
 *
 * In server mode none of the local journal machinery starts: no JournalApp, so no journal.db, no
 * keyring, no automatic backups, no throttle file. The data folder keeps workstation.json (the
 * language), server.json (the address) and, if one was chosen, the server's CA certificate.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../../db/atomicFile.js';
import type { ChannelInput, ChannelOutput, LiveEvent } from '../../preload/contract/index.js';
import { createHandlers, createRouter, type Router, type ShellServices } from '../router.js';
import type { Logger } from '../log.js';
import { DomainError } from '../services/errors.js';
import { JournalApp, type LockReason } from '../services/session/index.js';
import { checkServerHealth, createRemoteRouter, parseServerUrl, ServerAddressError, type RemoteRouter } from './index.js';

const SERVER_FILE = 'server.json';
const CA_FILE = 'server-ca.pem';

const ServerSettings = z.object({ url: z.string().max(300), ca: z.literal(CA_FILE).optional() }).strict();
export type ServerSettings = z.infer<typeof ServerSettings>;

/** The address an admin chose at first run, or null (a local journal). A damaged file is refused loudly, never read as "local". */
export function readServerSettings(dataDir: string): ServerSettings | null {
  const file = path.join(dataDir, SERVER_FILE);
  if (!existsSync(file)) return null;
  const parsed = ServerSettings.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a server setting this app wrote; fix or remove it`);
  return parsed.data;
}

/** Where this workstation's journal is: the server's address and CA (PEM), or null for the local journal. */
export interface ServerChoice {
  url: string;
  ca?: string | undefined;
}

/**
 * UTVAG_SERVER_URL (with UTVAG_SERVER_CA, a PEM file) wins; else the first-run choice in the data
 * folder; else null. An address that is not allowed (http:// to another computer) stops the start.
 */
export function serverChoice(env: NodeJS.ProcessEnv, dataDir: string): ServerChoice | null {
  if (env.UTVAG_SERVER_URL) {
    parseServerUrl(env.UTVAG_SERVER_URL);
    const caFile = env.UTVAG_SERVER_CA;
    let ca: string | undefined;
    if (caFile) {
      try {
        ca = readFileSync(caFile, 'utf8');
      } catch {
        throw new Error(`UTVAG_SERVER_CA names a file that cannot be read: ${caFile}`);
      }
    }
    return { url: env.UTVAG_SERVER_URL, ca };
  }
  const saved = readServerSettings(dataDir);
  if (!saved) return null;
  parseServerUrl(saved.url);
  return {
    url: saved.url,
    ca: saved.ca ? readFileSync(path.join(dataDir, saved.ca), 'utf8') : env.UTVAG_SERVER_CA ? readFileSync(env.UTVAG_SERVER_CA, 'utf8') : undefined,
  };
}

export interface WorkstationOptions {
  dataDir: string;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** The local journal's automatic-backup check interval (the app and harness use the default one). */
  backupCheckEveryMs?: number;
  /** What the desktop shell offers: the backup dialogs, and the CA file dialog for first run. */
  shell?: ShellServices & { chooseCaFile?: () => Promise<string | null> };
  /** Tests: an existing local journal instead of a new one (local mode only). */
  journal?: JournalApp;
}

export interface Workstation {
  /** Stable for the life of the workstation; after a first-run switch it answers from the server. */
  readonly router: Router;
  readonly mode: 'local' | 'server';
  /** The local journal, or null in server mode. */
  readonly journal: JournalApp | null;
  /** Another desk's changes (server mode); a local journal has none. Survives a first-run switch. */
  onChange(listener: (change: LiveEvent) => void): () => void;
  /** The computer locked or sleeps: close the local journal, or lock the session on the server. */
  systemLock(reason: LockReason): void;
  /** Closes the local journal, or ends the session on the server (best effort) and the connections. */
  close(): Promise<void>;
}

export function startWorkstation(options: WorkstationOptions): Workstation {
  const { dataDir, log } = options;
  const env = options.env ?? process.env;
  const listeners = new Set<(change: LiveEvent) => void>();
  const fanOut = (change: LiveEvent) => {
    for (const listener of listeners) listener(change);
  };

  let journal: JournalApp | null = null;
  let remote: RemoteRouter | null = null;
  let current: Router;
  let unsubscribe: () => void = () => undefined;

  const becomeClient = (choice: ServerChoice) => {
    remote = createRemoteRouter({ url: choice.url, ca: choice.ca, log, dataDir, chooseFile: options.shell?.chooseFile });
    unsubscribe = remote.subscribe(fanOut);
    current = remote;
    log.info('workstation.server_mode');
  };

  const connectServer = async (input: ChannelInput<'workstation.connectServer'>): Promise<ChannelOutput<'workstation.connectServer'>> => {
    try {
      parseServerUrl(input.url);
    } catch (error) {
      const key = error instanceof ServerAddressError ? error.key : 'error.server.urlFormat';
      throw new DomainError('INVALID_INPUT', key, { url: key });
    }
    let ca: string | undefined;
    if (input.chooseCa) {
      if (!options.shell?.chooseCaFile) throw new DomainError('INVALID_INPUT', 'error.server.caOnlyDesktop', { url: 'error.server.caOnlyDesktop' });
      const chosen = await options.shell.chooseCaFile();
      if (!chosen) throw new DomainError('INVALID_INPUT', 'error.server.caNotChosen', { url: 'error.server.caNotChosen' });
      try {
        ca = readFileSync(chosen, 'utf8');
      } catch {
        throw new DomainError('INVALID_INPUT', 'error.server.caUnreadable', { url: 'error.server.caUnreadable' });
      }
      if (!ca.includes('-----BEGIN CERTIFICATE-----'))
        throw new DomainError('INVALID_INPUT', 'error.server.caUnreadable', { url: 'error.server.caUnreadable' });
    } else if (env.UTVAG_SERVER_CA) {
      try {
        ca = readFileSync(env.UTVAG_SERVER_CA, 'utf8');
      } catch {
        throw new DomainError('INVALID_INPUT', 'error.server.caUnreadable', { url: 'error.server.caUnreadable' });
      }
    }
    let version: string;
    try {
      version = (await checkServerHealth(input.url, ca)).version;
    } catch (error) {
      log.warn('workstation.server_check_failed', {
        errorName: (error as Error)?.name ?? 'unknown',
        code: String((error as { code?: unknown }).code ?? 'none'),
      });
      throw new DomainError('UNREACHABLE', 'error.server.notReached', { url: 'error.server.notReached' });
    }
    // The address (and the CA's certificate, public by nature) only: no credentials are kept here.
    if (input.chooseCa && ca) writeFileAtomically(path.join(dataDir, CA_FILE), ca);
    const settings: ServerSettings = { url: parseServerUrl(input.url).origin, ...(input.chooseCa && ca ? { ca: CA_FILE } : {}) };
    writeFileAtomically(path.join(dataDir, SERVER_FILE), JSON.stringify(settings));
    // The unused local machinery stops (its timers, the backup check): the server answers from now on.
    journal?.lock('shutdown');
    journal = null;
    becomeClient({ url: settings.url, ca });
    return { connected: true, version };
  };

  const choice = serverChoice(env, dataDir);
  if (choice) becomeClient(choice);
  else {
    journal =
      options.journal ?? new JournalApp({ dataDir, log, ...(options.backupCheckEveryMs ? { backupCheckEveryMs: options.backupCheckEveryMs } : {}) });
    current = createRouter(journal, createHandlers({ ...options.shell, connectServer }));
  }

  return {
    router: { invoke: (channel, input) => current.invoke(channel, input) },
    get mode() {
      return remote ? ('server' as const) : ('local' as const);
    },
    get journal() {
      return journal;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    systemLock(reason) {
      if (journal) journal.lock(reason);
      else if (remote?.signedIn && reason !== 'shutdown') void remote.invoke('auth.lock', {});
      else if (remote?.signedIn) void remote.invoke('auth.logout', {});
    },
    async close() {
      unsubscribe();
      listeners.clear();
      journal?.lock('shutdown');
      if (remote?.signedIn) await remote.invoke('auth.logout', {});
      remote?.close();
    },
  };
}
