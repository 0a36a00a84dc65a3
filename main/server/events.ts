import type { ServerResponse } from 'node:http';
import type pg from 'pg';
import { listenForChanges, type ChangeEvent } from '../../db/engine/postgres.js';
import type { Logger } from '../log.js';
import type { ServerSession } from './sessions.js';

const PING_EVERY_MS = 20_000;
/** Listening again after the connection is lost: from one second, doubling, to at most half a minute. */
const RELISTEN_FIRST_MS = 1000;
const RELISTEN_MAX_MS = 30_000;
/** How many event streams one session may hold open at once (see attach). */
export const MAX_STREAMS_PER_SESSION = 4;
/** How the LISTEN connection shows in pg_stat_activity. */
export const LISTEN_APPLICATION_NAME = 'utvag-server-events';
/** Tells every stream to read everything again: it names no kind, site, side or day, so it says nothing of anyone. */
const RESYNC_FRAME = `event: resync\ndata: ${JSON.stringify({ kind: 'resync' })}\n\n`;

/**
 * The journal's committed changes, pushed to the workstations: one LISTEN connection for the whole
 * server, fanned out to each signed-in session's event streams, only for a side its person may read.
 * An event names what changed (kind, site, side, day), never whose; the workstation reads again
 * through the logged channels.
 *
 * A change committed while the LISTEN connection is down (PostgreSQL restarted, the network cut)
 * is announced to nobody: once listening again, every open stream is told `resync`, and each
 * workstation reads all its open screens again.
 */
export class ChangeFeed {
  private readonly streams = new Map<ServerResponse, ServerSession>();
  private stopListening: (() => Promise<void>) | null = null;
  private ping: ReturnType<typeof setInterval> | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private backoff = RELISTEN_FIRST_MS;
  private listeningSince = 0;
  private closed = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.listen();
    this.listeningSince = Date.now();
    this.ping = setInterval(() => {
      for (const response of this.streams.keys()) response.write(': ping\n\n');
    }, PING_EVERY_MS);
    this.ping.unref();
  }

  private async listen(): Promise<void> {
    this.stopListening = await listenForChanges(
      this.config,
      (event) => this.publish(event),
      (error) => {
        // Changes from now until listening again reach nobody: the streams are told to read again then.
        this.log.error('events.listen_lost', { errorName: error?.name ?? 'unknown' });
        this.stopListening = null;
        // Back to the first delay only after a connection that held: one that drops at once every
        // time must not have every workstation read everything again each second.
        if (Date.now() - this.listeningSince >= RELISTEN_MAX_MS) this.backoff = RELISTEN_FIRST_MS;
        this.scheduleRelisten();
      },
      {
        applicationName: LISTEN_APPLICATION_NAME,
        checkEveryMs: PING_EVERY_MS,
        onDropped: () => this.log.warn('events.notification_dropped'),
      },
    );
  }

  private scheduleRelisten(): void {
    if (this.closed || this.retry) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, RELISTEN_MAX_MS);
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.relisten();
    }, delay);
    this.retry.unref();
  }

  private async relisten(): Promise<void> {
    if (this.closed || this.stopListening) return;
    try {
      await this.listen();
    } catch (error) {
      this.log.error('events.listen_failed', { errorName: (error as Error)?.name ?? 'unknown' });
      this.scheduleRelisten();
      return;
    }
    if (this.closed) {
      // Closed while connecting: close() found nothing to stop yet.
      const stop = this.stopListening as (() => Promise<void>) | null;
      this.stopListening = null;
      await stop?.().catch(() => undefined);
      return;
    }
    this.listeningSince = Date.now();
    this.log.info('events.listening_again', { count: this.streams.size });
    this.resync();
  }

  /** Every open stream reads everything again (sent only once listening, so nothing after it is missed). */
  resync(): void {
    for (const [response, session] of this.streams) {
      if (session.state === 'unlocked') response.write(RESYNC_FRAME);
    }
  }

  publish(event: ChangeEvent): void {
    // Exactly the database's payload, nothing added.
    const data = JSON.stringify({ kind: event.kind, site: event.site, side: event.side, day: event.day });
    for (const [response, session] of this.streams) {
      if (session.state !== 'unlocked' || !session.sides.has(event.side)) continue;
      response.write(`event: change\ndata: ${data}\n\n`);
    }
  }

  /** Opens a session's stream: it closes when the session locks or ends, or the workstation goes. */
  attach(session: ServerSession, response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    response.write(': connected\n\n');
    // A desk needs one stream (a window, the harness's page); a few more cover a reconnect whose old
    // socket has not closed yet. Beyond that the session's oldest goes, so that one token cannot
    // hold open connections without end.
    const own = [...this.streams].filter(([, holder]) => holder === session).map(([stream]) => stream);
    for (const stale of own.slice(0, Math.max(0, own.length - (MAX_STREAMS_PER_SESSION - 1)))) {
      this.streams.delete(stale);
      stale.end();
    }
    this.streams.set(response, session);
    const end = () => {
      this.streams.delete(response);
      session.onEnd.delete(end);
      if (!response.writableEnded) response.end();
    };
    session.onEnd.add(end);
    response.on('close', end);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.ping) clearInterval(this.ping);
    if (this.retry) clearTimeout(this.retry);
    for (const response of [...this.streams.keys()]) response.end();
    this.streams.clear();
    await this.stopListening?.().catch(() => undefined);
    this.stopListening = null;
  }
}
