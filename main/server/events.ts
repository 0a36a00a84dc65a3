import type { ServerResponse } from 'node:http';
import type pg from 'pg';
import { listenForChanges, type ChangeEvent } from '../../db/engine/postgres.js';
import type { Logger } from '../log.js';
import type { ServerSession } from './sessions.js';

const PING_EVERY_MS = 20_000;
const RELISTEN_AFTER_MS = 1000;

/**
 * The journal's committed changes, pushed to the workstations: one LISTEN connection for the whole
 * server, fanned out to each signed-in session's event streams, only for a side its person may read.
 * An event names what changed (kind, site, side, day), never whose; the workstation reads again
 * through the logged channels.
 */
export class ChangeFeed {
  private readonly streams = new Map<ServerResponse, ServerSession>();
  private stopListening: (() => Promise<void>) | null = null;
  private ping: ReturnType<typeof setInterval> | null = null;
  private closed = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.listen();
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
        // Changes in between are not announced; the connection is made again.
        this.log.error('events.listen_failed', { errorName: error?.name ?? 'unknown' });
        this.stopListening = null;
        setTimeout(() => void this.relisten(), RELISTEN_AFTER_MS).unref();
      },
    );
  }

  private async relisten(): Promise<void> {
    if (this.closed || this.stopListening) return;
    try {
      await this.listen();
      this.log.info('events.listening');
    } catch (error) {
      this.log.error('events.listen_failed', { errorName: (error as Error)?.name ?? 'unknown' });
      setTimeout(() => void this.relisten(), RELISTEN_AFTER_MS * 5).unref();
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
    for (const response of [...this.streams.keys()]) response.end();
    this.streams.clear();
    await this.stopListening?.().catch(() => undefined);
    this.stopListening = null;
  }
}
