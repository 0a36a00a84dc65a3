/**
 * A workstation as a client of the Utväg server (server mode, docs: /work/brief PROTOCOL v1): the
 * same Router the app, the harness and the CLI call, but every contract channel is answered by the
 * server over HTTPS — except the workstation's own preferences, which stay in its data folder.
 *
 * Nothing of a client's data is written on this computer: answers pass through memory to the
 * caller, the session token lives in this object only, and a failed call is never retried (a write
 * that may have reached the server must not be sent twice) — the person sees that the server could
 * not be reached and sends again when it can.
 */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import {
  contract,
  ERROR_CODES,
  LiveChange,
  type AppError,
  type LiveEvent,
  type ChannelInput,
  type ChannelName,
  type ErrorCode,
  type Result,
} from '../../preload/contract/index.js';
import type { Logger } from '../log.js';
import type { ShellServices } from '../handlers/context.js';
import type { Router } from '../router.js';
import { DialogChoices } from '../services/backupPaths.js';
import { BackupWork, type BackupTask, type BackupWorkKind } from '../services/backupProgress.js';
import { DomainError } from '../services/errors.js';
import { readWorkstationPreferences, updateWorkstationPreferences } from '../services/workstation.js';
import { parseServerUrl } from './address.js';
import { exportFromServer, restoreOnServer, serverBackupStatus, verifyHere, type BackupWire } from './backup.js';
import { SseParser } from './sse.js';

export { isLoopbackHost, parseServerUrl, ServerAddressError } from './address.js';

/** How long one call may take, connection and answer together, before it counts as unreachable. */
export const CALL_TIMEOUT_MS = 15_000;
/** The largest answer accepted (a whole access-log export fits many times over). */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
/** Reconnecting the live stream: from half a second, doubling, to at most this. */
const MAX_BACKOFF_MS = 15_000;

export const UNREACHABLE: AppError = { code: 'UNREACHABLE', message: 'error.serverUnreachable' };
const SESSION_ENDED_MESSAGE = 'error.sessionEnded';

export interface RemoteRouterOptions {
  /** https://HOST:PORT (http:// only to this computer). */
  url: string;
  /** A private certificate authority (PEM) that signed the server's certificate, added to the system's. */
  ca?: string | Buffer | undefined;
  log: Logger;
  /** The workstation's data folder: its preferences (workstation.json) and nothing else. */
  dataDir: string;
  /** The desktop's native file dialog: with it, backup paths come only from it (as at a local journal, see DialogChoices). */
  chooseFile?: ShellServices['chooseFile'];
  /** Tests only: a shorter timeout. */
  timeoutMs?: number;
  /** Tests only: the first reconnect delay of the live stream. */
  backoffStartMs?: number;
  /** Tests only: the clock of this desk's own idle lock (ms). */
  now?: () => number;
}

export interface RemoteRouter extends Router {
  readonly serverUrl: string;
  /**
   * Another desk's committed changes, while someone is signed in here. The stream opens after a
   * sign-in succeeds, reconnects with backoff while the session lasts, and closes at a lock or
   * sign-out. Whenever changes may have gone unannounced (the stream was cut and opens again, the
   * server says it was not listening for a while, or the server answers after a restart that the
   * session ended), a `resync` comes instead: read every shown screen again. Returns an unsubscribe.
   */
  subscribe(onEvent: (event: LiveEvent) => void): () => void;
  /** Whether a signed-in (unlocked) session is held: the system lock sends auth.lock only then. */
  readonly signedIn: boolean;
  /** Ends the stream and the connections (the token with this object). */
  close(): void;
}

export interface HealthAnswer {
  service: 'utvag-server';
  api: number;
  version: string;
}

/** A message key as the contract's errors carry them ('error.booking.separation'): never free text. */
const MESSAGE_KEY = /^[A-Za-z][\w-]*(\.[\w-]+)+$/;

/**
 * The known error codes only, and only message keys: anything else from the other end (a code this
 * version does not know, a sentence that might quote a database's detail) becomes the generic
 * key, so no text the server should not have sent reaches a screen or a log.
 */
function asAppError(raw: unknown): AppError {
  if (!raw || typeof raw !== 'object') return { code: 'INTERNAL', message: 'error.internal' };
  const error = raw as Record<string, unknown>;
  const code = typeof error.code === 'string' && (ERROR_CODES as readonly string[]).includes(error.code) ? (error.code as ErrorCode) : null;
  if (!code) return { code: 'INTERNAL', message: 'error.internal' };
  const message = typeof error.message === 'string' && MESSAGE_KEY.test(error.message) ? error.message : 'error.internal';
  const fields =
    error.fields && typeof error.fields === 'object'
      ? Object.fromEntries(
          Object.entries(error.fields as Record<string, unknown>).filter(
            (entry): entry is [string, string] => /^[\w.]{1,100}$/.test(entry[0]) && typeof entry[1] === 'string' && MESSAGE_KEY.test(entry[1]),
          ),
        )
      : undefined;
  // Whole numbers under short names only: nothing but a count reaches the message's words.
  const counts =
    error.counts && typeof error.counts === 'object'
      ? Object.fromEntries(
          Object.entries(error.counts as Record<string, unknown>).filter(
            (entry): entry is [string, number] => /^[A-Za-z]{1,40}$/.test(entry[0]) && Number.isSafeInteger(entry[1]),
          ),
        )
      : undefined;
  return {
    code,
    message,
    ...(fields && Object.keys(fields).length > 0 ? { fields } : {}),
    ...(typeof error.retryAfterSeconds === 'number' && Number.isFinite(error.retryAfterSeconds)
      ? { retryAfterSeconds: error.retryAfterSeconds }
      : {}),
    ...(counts && Object.keys(counts).length > 0 ? { counts } : {}),
  };
}

/** The agent that carries every request: kept-alive connections, and the private CA beside the system's. */
function makeAgent(base: URL, ca: string | Buffer | undefined): http.Agent {
  if (base.protocol === 'http:') return new http.Agent({ keepAlive: true, maxSockets: 8 });
  return new https.Agent({
    keepAlive: true,
    maxSockets: 8,
    // One secure context made once: given as `ca`, the system's ~150 certificates went into the
    // agent's connection key (a string built and hashed on every request) and were parsed again
    // for every new connection. The same certificates are trusted, checked the same way.
    ...(ca ? { secureContext: tls.createSecureContext({ ca: [...tls.rootCertificates, typeof ca === 'string' ? ca : ca.toString('utf8')] }) } : {}),
  });
}

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request with the whole-call timeout; rejects on any transport problem. */
function send(
  base: URL,
  agent: http.Agent,
  method: 'GET' | 'POST',
  pathname: string,
  headers: Record<string, string>,
  body: string | null,
  timeoutMs: number,
): Promise<RawAnswer> {
  const target = new URL(pathname, base);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise<RawAnswer>((resolve, reject) => {
    const request = transport.request(target, {
      method,
      agent,
      headers: { ...headers, ...(body !== null ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
    });
    const timer = setTimeout(() => request.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })), timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) request.destroy(Object.assign(new Error('answer too large'), { name: 'RangeError' }));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
      });
      response.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    if (body !== null) request.end(body);
    else request.end();
  });
}

/**
 * Asks GET /v1/health at the address: the check an admin's typed address gets at first run. Throws
 * when it is not an Utväg server of this protocol version or cannot be reached.
 */
export async function checkServerHealth(url: string, ca?: string | Buffer, timeoutMs = CALL_TIMEOUT_MS): Promise<HealthAnswer> {
  const base = parseServerUrl(url);
  const agent = makeAgent(base, ca);
  try {
    const answer = await send(base, agent, 'GET', '/v1/health', { accept: 'application/json' }, null, timeoutMs);
    if (answer.status !== 200) throw new Error(`status ${answer.status}`);
    const health = JSON.parse(answer.body.toString('utf8')) as Partial<HealthAnswer>;
    if (health.service !== 'utvag-server' || health.api !== 1 || typeof health.version !== 'string') throw new Error('not an Utväg server (api 1)');
    return { service: 'utvag-server', api: 1, version: health.version.slice(0, 40) };
  } finally {
    agent.destroy();
  }
}

export function createRemoteRouter(options: RemoteRouterOptions): RemoteRouter {
  const base = parseServerUrl(options.url);
  const { log, dataDir } = options;
  const timeoutMs = options.timeoutMs ?? CALL_TIMEOUT_MS;
  const backoffStartMs = options.backoffStartMs ?? 500;
  const agent = makeAgent(base, options.ca);
  // The session: in this variable only, never on disk, never in a log line.
  let token: string | null = null;
  // Signed in and not locked: the live stream is wanted only then.
  let active = false;
  let closed = false;
  // The server dropped the session without this desk asking (a restart): told on app.status until the next sign-in.
  let endedByServer = false;
  // A lock or sign-out the server did not hear (unreachable): its session is still open there. The token
  // is held here for that call alone, sent before any other, so the network's return cannot unlock this desk.
  let owedCall: { channel: 'auth.lock' | 'auth.logout'; token: string } | null = null;
  // This desk's own idle clock, beside the server's: a lock the server makes cannot reach a desk cut off
  // from it, whose screens would otherwise stay open. Touched as the router touches it; the centre's minutes from app.status.
  const now = options.now ?? (() => performance.now());
  let lastActivity = now();
  let idleLockMinutes = 15;

  // ---- The live stream --------------------------------------------------------------------------
  const listeners = new Set<(event: LiveEvent) => void>();
  let stream: http.ClientRequest | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let backoff = backoffStartMs;
  // A stream of this session was open before: another opening (or a refusal) means a gap in which events were lost.
  let hadStream = false;

  const stopStream = () => {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    const open = stream;
    stream = null;
    open?.destroy();
    backoff = backoffStartMs;
  };

  const scheduleReconnect = () => {
    if (closed || !active || !token || listeners.size === 0 || retryTimer) return;
    const delay = backoff;
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      openStream();
    }, delay);
    retryTimer.unref?.();
  };

  const tell = (event: LiveEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        log.error('remote.event_listener_failed', { errorName: (error as Error)?.name ?? 'unknown' });
      }
    }
  };
  const resync = () => tell({ kind: 'resync' });

  const deliver = (data: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      log.warn('remote.event_invalid');
      return;
    }
    // Only the named fields pass (kind, site, side, day): anything else the server sent is dropped.
    const event = LiveChange.safeParse(parsed);
    if (!event.success) {
      log.warn('remote.event_invalid');
      return;
    }
    tell(event.data);
  };

  function openStream(): void {
    if (closed || !active || !token || listeners.size === 0 || stream || retryTimer) return;
    const target = new URL('/v1/events', base);
    const transport = target.protocol === 'https:' ? https : http;
    const request = transport.request(target, {
      method: 'GET',
      agent,
      headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
    });
    stream = request;
    // No answer at all within the call timeout: try again later. Once open, the server's pings keep it alive.
    request.setTimeout(timeoutMs * 3, () => request.destroy(Object.assign(new Error('stream silent'), { name: 'TimeoutError' })));
    let openedAt: number | null = null;
    const ended = (reconnect: boolean) => {
      if (stream !== request) return;
      stream = null;
      // Back to the first delay only after a stream that held: one the server ends at once every time
      // must not have the screens read everything again every half second.
      if (openedAt !== null && performance.now() - openedAt >= MAX_BACKOFF_MS) backoff = backoffStartMs;
      if (reconnect) scheduleReconnect();
    };
    request.on('error', (error) => {
      if (stream === request) log.warn('remote.events_lost', { errorName: error.name });
      ended(true);
    });
    request.on('response', (response) => {
      if (response.statusCode === 401) {
        // The session is gone or locked: no stream until the next sign-in. After a gap (a server
        // restart), the screens read again, and their reads are what tell the person the session ended.
        response.resume();
        active = false;
        ended(false);
        if (hadStream) resync();
        return;
      }
      if (response.statusCode !== 200 || !String(response.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        response.resume();
        log.warn('remote.events_refused', { code: response.statusCode ?? 0 });
        ended(true);
        return;
      }
      openedAt = performance.now();
      log.info('remote.events_open', hadStream ? { reason: 'reopened' } : {});
      const parser = new SseParser((message) => {
        if (message.event === 'change') deliver(message.data);
        // The server was not listening for a while: its data is not read, it names nothing.
        else if (message.event === 'resync') resync();
      });
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => parser.push(chunk));
      // Open again after a cut: what was sent in between is lost, so everything shown is read again,
      // once, now that this stream will carry every change after it.
      if (hadStream) resync();
      hadStream = true;
      response.on('end', () => ended(true));
      response.on('error', () => ended(true));
    });
    request.end();
  }

  const becameActive = () => {
    active = true;
    lastActivity = now();
    // A new session's screens read fresh at their unlock: its first stream is no gap.
    hadStream = false;
    stopStream();
    openStream();
  };
  const becameInactive = (dropToken: boolean) => {
    active = false;
    if (dropToken) token = null;
    stopStream();
  };

  // ---- Calls -------------------------------------------------------------------------------------
  /** The server's answer, and the session header a successful sign-in carries. */
  const forward = async (channel: ChannelName, input: unknown, bearer = token): Promise<{ result: Result<unknown>; session: string | null }> => {
    const unreachable = { result: { ok: false as const, error: UNREACHABLE }, session: null };
    const started = performance.now();
    let answer: RawAnswer;
    try {
      answer = await send(
        base,
        agent,
        'POST',
        '/v1/call',
        {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        JSON.stringify({ channel, input }),
        timeoutMs,
      );
    } catch (error) {
      log.warn('remote.unreachable', {
        channel,
        errorName: (error as Error)?.name ?? 'unknown',
        code: String((error as { code?: unknown }).code ?? 'none'),
      });
      return unreachable;
    }
    if (answer.status !== 200) {
      log.warn('remote.unreachable', { channel, code: answer.status });
      return unreachable;
    }
    const parsed = envelopeOf(channel, answer.body);
    if (!parsed) return unreachable;
    const ms = Math.round(performance.now() - started);
    if (ms > 1000 && !channel.startsWith('auth.')) log.warn('remote.slow_call', { channel, ms });
    const header = answer.headers['utvag-session'];
    const session = typeof header === 'string' && /^[A-Za-z0-9_-]{16,256}$/.test(header) ? header : null;
    return { result: parsed, session: parsed.ok ? session : null };
  };

  /** An answer's envelope as the screens may see it (null: not an envelope, i.e. unreachable). */
  function envelopeOf(channel: ChannelName, body: Buffer): Result<unknown> | null {
    let envelope: { ok?: unknown; value?: unknown; error?: unknown };
    try {
      envelope = JSON.parse(body.toString('utf8')) as typeof envelope;
    } catch {
      log.warn('remote.unreachable', { channel, reason: 'not_json' });
      return null;
    }
    if (!envelope || typeof envelope !== 'object') {
      log.warn('remote.unreachable', { channel, reason: 'not_an_envelope' });
      return null;
    }
    if (envelope.ok === true) {
      // The contract's output again, as the local router checks it: the screens get only its shape, whatever was sent.
      const output = contract[channel].output.safeParse(envelope.value);
      if (!output.success) {
        log.error('remote.output_invalid', { channel });
        return { ok: false, error: { code: 'INTERNAL', message: 'error.internal' } };
      }
      return { ok: true, value: output.data };
    }
    if (envelope.ok === false) return { ok: false, error: asAppError(envelope.error) };
    log.warn('remote.unreachable', { channel, reason: 'not_an_envelope' });
    return null;
  }

  // With a file dialog (the desktop app), backup paths come only from it: a script in the window cannot name a file of its own choosing.
  const dialogChoices = options.chooseFile ? new DialogChoices() : null;
  const backupPath = (value: string, kind: 'file' | 'folder') => (dialogChoices ? dialogChoices.resolve(value, kind, 'path') : value);
  const chooseFile = async (purpose: ChannelInput<'backup.chooseFile'>['purpose']): Promise<Result<unknown>> => {
    if (!options.chooseFile || !dialogChoices) return { ok: true, value: { available: false, path: null, label: null } };
    if (purpose === 'probe') return { ok: true, value: { available: true, path: null, label: null } };
    const chosen = await options.chooseFile(purpose);
    if (chosen === null) return { ok: true, value: { available: true, path: null, label: null } };
    return { ok: true, value: { available: true, path: dialogChoices.issue(chosen, purpose === 'backupFolder' ? 'folder' : 'file'), label: chosen } };
  };

  const backupWire = (): BackupWire => ({ base, agent, token, log, dataDir, readEnvelope: envelopeOf });
  // One backup operation at a time at this workstation, its phase polled by the screen (backup.progress), as at a single desk.
  const backupWork = new BackupWork();
  // A second start's busy refusal (a DomainError) is answered by invoke's catch around backupCall, as every refusal here.
  const oneAtATime = (kind: BackupWorkKind, work: (task: BackupTask) => Promise<Result<unknown>>): Promise<Result<unknown>> =>
    backupWork.run(kind, new Date(), work);

  /**
   * What is answered here without the server (a file dialog, a verify of a file on this computer, the
   * progress of this desk's backup work) is still admin work, as the router holds it: the server says
   * who is signed in at this moment (an admin whose password is not temporary), never a role kept here.
   */
  const signedInAdmin = async (): Promise<Result<unknown> | null> => {
    const { result } = await forward('app.status', {});
    if (!result.ok) return result;
    const status = result.value as { state?: unknown; user?: { roles?: unknown; mustChangePassword?: unknown } | null };
    const roles = Array.isArray(status.user?.roles) ? status.user.roles : [];
    if (status.state !== 'unlocked') return { ok: false, error: { code: 'NOT_SIGNED_IN', message: 'error.notSignedIn' } };
    if (!roles.includes('admin') || status.user?.mustChangePassword !== false)
      return { ok: false, error: { code: 'FORBIDDEN', message: 'error.forbidden' } };
    return null;
  };

  /** Backups at a workstation (./backup.ts): files here, the journal's rows through the server's backup routes. */
  const backupCall = async (channel: ChannelName, input: unknown): Promise<Result<unknown> | null> => {
    if (channel === 'backup.chooseFile' || channel === 'backup.verify' || channel === 'backup.progress') {
      const refused = await signedInAdmin();
      if (refused) return refused;
    }
    switch (channel) {
      case 'backup.chooseFile':
        return chooseFile((input as ChannelInput<'backup.chooseFile'>).purpose);
      case 'backup.export': {
        const given = input as { path: string; passphrase: string };
        return oneAtATime('export', (task) => exportFromServer(backupWire(), { ...given, path: backupPath(given.path, 'file') }, task));
      }
      case 'backup.verify': {
        const given = input as { path: string; passphrase: string };
        return oneAtATime('verify', (task) => verifyHere({ ...given, path: backupPath(given.path, 'file') }, task));
      }
      case 'backup.restore': {
        const given = input as { path: string; passphrase: string; confirmedChecksum?: string };
        return oneAtATime('restore', (task) => restoreOnServer(backupWire(), { ...given, path: backupPath(given.path, 'file') }, task));
      }
      case 'backup.status':
        return { ok: true, value: serverBackupStatus(new Date()) };
      case 'backup.progress':
        return { ok: true, value: backupWork.view() };
      case 'backup.leftovers.list':
        return { ok: true, value: { items: [] } };
      case 'backup.schedule.update':
      case 'backup.runNow':
      case 'backup.leftovers.remove':
        return { ok: false, error: { code: 'FORBIDDEN', message: 'error.backup.serverManagedByIt' } };
      default:
        return null;
    }
  };

  return {
    serverUrl: base.origin,
    get signedIn() {
      return active;
    },
    async invoke(channelName, rawInput) {
      if (typeof channelName !== 'string' || !Object.hasOwn(contract, channelName)) {
        return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'No such channel' } };
      }
      const channel = channelName as ChannelName;
      const spec = contract[channel];
      // The same check the server makes, here first: a form's field errors come back without a round trip.
      const parsed = spec.input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        const fields: Record<string, string> = {};
        for (const issue of parsed.error.issues) fields[issue.path.map(String).join('.') || '_'] ??= issue.message;
        return { ok: false, error: { code: 'INVALID_INPUT', message: 'error.invalidInput', fields } };
      }
      // This computer's own preferences (the language on the login screen): never the server's business.
      if (channel === 'workstation.get') return { ok: true, value: readWorkstationPreferences(dataDir) };
      if (channel === 'workstation.update') {
        try {
          return { ok: true, value: updateWorkstationPreferences(dataDir, parsed.data as Parameters<typeof updateWorkstationPreferences>[1]) };
        } catch (error) {
          log.error('remote.preferences_failed', { errorName: (error as Error)?.name ?? 'unknown' });
          return { ok: false, error: { code: 'STORAGE', message: 'error.storage.unwritable' } };
        }
      }
      // The first-run choice is made once; a connected workstation stays one.
      if (channel === 'workstation.connectServer') return { ok: false, error: { code: 'ALREADY_SET_UP', message: 'error.server.alreadyConnected' } };
      if (closed) return { ok: false, error: UNREACHABLE };
      if (token && active && now() - lastActivity >= idleLockMinutes * 60_000) {
        // Left alone as long as the centre allows: locked here, and the lock is owed to the server.
        owedCall = { channel: 'auth.lock', token };
        token = null;
        becameInactive(false);
      }
      if (spec.access !== 'public' && !spec.passive) lastActivity = now();
      if (owedCall) {
        const owed = owedCall;
        const { result } = await forward(owed.channel, {}, owed.token);
        if (!result.ok && result.error.code === 'UNREACHABLE') {
          if (owedCall !== owed) return { ok: false, error: UNREACHABLE };
          // Still not heard: this desk is locked, and nothing goes to the server in that session's name.
          if (channel === 'app.status') return { ok: true, value: { state: 'locked', user: null, lockedBy: null, idleLockMinutes: null } };
          return { ok: false, error: UNREACHABLE };
        }
        if (owedCall === owed) {
          owedCall = null;
          // A lock: locked there now (its unlock replaces it), unless it had ended meanwhile (a restart).
          const ended = !result.ok && result.error.code === 'NOT_SIGNED_IN';
          if (owed.channel === 'auth.lock' && !token) token = ended ? null : owed.token;
          if (owed.channel === 'auth.lock' && ended) endedByServer = true;
        }
      }

      // Backups (the file dialog aside) are answered here, and only while someone is signed in; export and
      // restore then ask the server's backup routes, which check that it is an admin and log, as /v1/call does.
      // A verify reads a file on this computer with the local checks: it needs no server.
      if (channel.startsWith('backup.')) {
        if (!active || !token) return { ok: false, error: { code: 'NOT_SIGNED_IN', message: 'error.notSignedIn' } };
        try {
          const answered = await backupCall(channel, parsed.data);
          if (answered) return answered;
        } catch (error) {
          if (error instanceof DomainError) return { ok: false, error: error.toAppError() };
          log.error('remote.backup_failed', { channel, errorName: (error as Error)?.name ?? 'unknown' });
          return { ok: false, error: { code: 'INTERNAL', message: 'error.internal' } };
        }
      }

      const sentWith = token;
      const { result, session } = await forward(channel, rawInput ?? {});
      if (channel === 'auth.login' && result.ok) {
        if (session) {
          token = session;
          endedByServer = false;
          becameActive();
        } else {
          // A sign-in without a session is no sign-in: refuse it rather than act signed in.
          log.error('remote.login_without_session');
          return { ok: false, error: UNREACHABLE };
        }
      } else if (channel === 'auth.logout') {
        // Whatever the server answered, this desk keeps no session after a sign-out.
        becameInactive(true);
        endedByServer = false;
        if (!result.ok && result.error.code === 'UNREACHABLE' && sentWith) owedCall = { channel: 'auth.logout', token: sentWith };
      } else if (channel === 'auth.lock') {
        // The locked session's token stays: the lock screen's unlock replaces it on the server.
        becameInactive(false);
        if (!result.ok && result.error.code === 'UNREACHABLE' && sentWith && token === sentWith) {
          owedCall = { channel: 'auth.lock', token: sentWith };
          token = null;
        }
      } else if (!result.ok && result.error.code === 'NOT_SIGNED_IN' && result.error.message === SESSION_ENDED_MESSAGE) {
        if (sentWith && token === sentWith) {
          becameInactive(true);
          endedByServer = true;
        }
      } else if (!result.ok && result.error.code === 'LOCKED') {
        becameInactive(false);
      } else if (channel === 'app.status' && result.ok) {
        const status = result.value as { state?: unknown; user?: unknown; lockedBy?: unknown; idleLockMinutes?: unknown };
        if (typeof status.idleLockMinutes === 'number' && status.idleLockMinutes > 0) idleLockMinutes = status.idleLockMinutes;
        if (status.state === 'unlocked' && token && !active) becameActive();
        if (status.state !== 'unlocked' && active) becameInactive(false);
        // A token the server answers as nobody's (neither signed in nor locked by someone) has ended there.
        if (sentWith && token === sentWith && status.state === 'locked' && status.user === null && status.lockedBy === null) {
          becameInactive(true);
          endedByServer = true;
        }
        if (endedByServer) return { ok: true, value: { ...(result.value as object), sessionEnded: true } };
      }
      return result;
    },
    subscribe(onEvent) {
      listeners.add(onEvent);
      openStream();
      return () => {
        listeners.delete(onEvent);
        if (listeners.size === 0) stopStream();
      };
    },
    close() {
      closed = true;
      becameInactive(true);
      listeners.clear();
      agent.destroy();
    },
  };
}
