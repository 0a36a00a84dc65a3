import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/log.js';
import { createRemoteRouter, type RemoteRouter } from '../../main/remote/index.js';
import type { LiveEvent } from '../../preload/contract/index.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { Desk } from '../helpers/utvagServer.js';

/**
 * Issue #14's live screens when the network does what networks do, against the real server on a
 * throwaway PostgreSQL (tests/helpers/utvagServerChild.ts, reached through its relay): a change
 * committed while the server's LISTEN connection is cut, or while a workstation's event stream is
 * down, still reaches the open screen; after a server restart the open screen reads again and
 * learns that its session ended. The people are fictional.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const RECEPTIONIST = { username: 'rut.reception', password: 'receptionens-egna-långa-fras' };
const tempDir = useTempDirs();

let child: ChildProcess;
let url: string;
let output = '';

function waitForOutput(pattern: RegExp, what: string, ms: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const look = () => {
      const match = pattern.exec(output);
      if (!match) return false;
      output = output.slice(match.index + match[0].length);
      resolve(match);
      return true;
    };
    if (look()) return;
    const timer = setTimeout(() => {
      child.stdout!.off('data', onData);
      reject(new Error(`${what} did not come: ${output}`));
    }, ms);
    const onData = () => {
      if (look()) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
      }
    };
    child.stdout!.on('data', onData);
  });
}

/** One command to the server's child (see utvagServerChild.ts), answered once done. */
async function send(command: string): Promise<void> {
  const name = command.split(' ')[0]!;
  const answered = waitForOutput(new RegExp(`(done|failed) ${name}[^\\n]*\\n`), command, 30_000);
  child.stdin!.write(`${command}\n`);
  expect((await answered)[0]).toMatch(/^done/);
}

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/utvagServerChild.ts'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ready = await waitForOutput(/Ready: (\{.*\})\n/, 'the server', 170_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${errors}`);
  });
  url = (JSON.parse(ready[1]!) as { url: string }).url;
}, 180_000);

afterAll(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A workstation with the waiting list open, read again as the renderer does (renderer/ui/query.tsx):
 * at a change of the intakes or the waiting list, and at a resync.
 */
async function openWaitingList(): Promise<{
  router: RemoteRouter;
  events: LiveEvent[];
  shows: (name: string) => boolean;
  lastAnswer: () => unknown;
}> {
  const router = createRemoteRouter({ url, log: silentLogger, dataDir: tempDir(), backoffStartMs: 50 });
  const events: LiveEvent[] = [];
  let shown = '';
  let answer: unknown = null;
  const read = async () => {
    const result = await router.invoke('waitingList.list', { side: 'victims' });
    answer = result;
    if (result.ok) shown = JSON.stringify(result.value);
  };
  router.subscribe((event) => {
    events.push(event);
    if (event.kind === 'resync' || event.kind === 'intakes' || event.kind === 'waiting_list') void read();
  });
  expect(await router.invoke('auth.login', RECEPTIONIST)).toMatchObject({ ok: true });
  await read();
  return { router, events, shows: (name) => shown.includes(name), lastAnswer: () => answer };
}

describe("the live screens across the network's gaps", () => {
  it("a change committed while the server's LISTEN connection is cut reaches the open screen once it listens again, and the resync names nothing", async () => {
    const desk = await openWaitingList();
    const raw = new Desk(url);
    await raw.signIn(RECEPTIONIST.username, RECEPTIONIST.password);
    const stream = await raw.events();
    try {
      // The stream works: a change before the cut arrives as itself.
      await send('register Före Avbrottsdotter');
      await until(() => desk.shows('Före Avbrottsdotter'), 'the change before the cut');
      const before = desk.events.length;

      await send('cut-listen');
      await send('register Glapp Tystnadsdotter');
      await until(() => desk.shows('Glapp Tystnadsdotter'), 'the change made in the gap');
      // Announced by nobody (the database had no listener): only the resync, once, brought it.
      expect(desk.events.slice(before)).toEqual([{ kind: 'resync' }]);
      await until(() => stream.text().includes('event: resync'), 'the resync on the raw stream');
      expect(stream.text()).toContain('event: resync\ndata: {"kind":"resync"}\n\n');
      expect(stream.text()).not.toContain('Tystnadsdotter');

      // Listening again: the next change arrives as itself.
      await send('register Efter Lyssnarsdotter');
      await until(() => desk.shows('Efter Lyssnarsdotter'), 'the change after listening again');
      expect(desk.events.slice(before + 1).map((event) => event.kind)).toContain('intakes');
    } finally {
      stream.close();
      desk.router.close();
    }
  }, 60_000);

  it("a change committed while a workstation's stream is down reaches its open screen when the stream opens again", async () => {
    const desk = await openWaitingList();
    try {
      await send('register Innan Strömsdotter');
      await until(() => desk.shows('Innan Strömsdotter'), 'the change before the cut');
      const before = desk.events.length;

      // The network goes (the stream is cut, reconnects are refused), a change is committed, the network comes back.
      await send('stop');
      await send('register Borta Nätverksdotter');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(desk.shows('Borta Nätverksdotter')).toBe(false);
      await send('start');
      await until(() => desk.shows('Borta Nätverksdotter'), 'the change made while the stream was down', 20_000);
      expect(desk.events.slice(before)).toEqual([{ kind: 'resync' }]);
    } finally {
      desk.router.close();
    }
  }, 60_000);

  it('after a server restart, the open screen reads again and learns that its session ended', async () => {
    const desk = await openWaitingList();
    try {
      await send('register Strax Omstartsdotter');
      await until(() => desk.shows('Strax Omstartsdotter'), 'the change before the restart');
      const before = desk.events.length;

      await send('restart');
      await until(() => desk.events.length > before, 'the resync after the restart', 20_000);
      expect(desk.events.slice(before)).toEqual([{ kind: 'resync' }]);
      await until(
        () => JSON.stringify(desk.lastAnswer()) === JSON.stringify({ ok: false, error: { code: 'NOT_SIGNED_IN', message: 'error.sessionEnded' } }),
        'the read that says the session ended',
        20_000,
      );
      expect(desk.router.signedIn).toBe(false);
      expect(await desk.router.invoke('app.status', {})).toMatchObject({ ok: true, value: { state: 'locked', sessionEnded: true } });
    } finally {
      desk.router.close();
    }
  }, 60_000);
});
