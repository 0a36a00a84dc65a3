import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { z } from 'zod';
import { appendLogRows } from '../../db/accessLog.js';
import type { Store } from '../../db/engine/store.js';
import { BackupPassphrase, type AppError, type Result } from '../../preload/contract/index.js';
import type { Logger } from '../log.js';
import { refusalName } from '../services/backup.js';
import { DomainError } from '../services/errors.js';
import { exportServerJournal, restoreIntoServer } from '../services/serverBackup.js';
import type { ServerSession, ServerSessions } from './sessions.js';
import { CLI_COMMAND } from '../commands.js';

/**
 * Backups of the server journal over the wire (issue #14; protocol in db/engine/README.md, "Backups
 * through the server"). The file is made, or taken, in a private temporary folder on the server
 * and is removed there once sent or refused: the backup lives where the admin is (the workstation,
 * the CLI's computer), never on the server. The rows are read and written by the backup login's
 * store (utvag_backup / utvag_restore), never the server's login for people's calls.
 */

/** A restore's upload is a whole journal: generous, but bounded (the body is written to the server's disk). */
export const MAX_RESTORE_BYTES = 2 * 1024 ** 3;
/** The export's request is one passphrase. */
const MAX_EXPORT_REQUEST_BYTES = 8 * 1024;
/** The restore's passphrase, UTF-8 as base64url (a header carries ASCII only). */
export const PASSPHRASE_HEADER = 'utvag-backup-passphrase';
/** The checksum the admin confirmed after verify (a backup the server did not seal itself needs it). */
export const CONFIRM_HEADER = 'utvag-backup-confirm';
/** The exported file's checksum, for the workstation to compare with its own check of the bytes it received. */
export const CHECKSUM_HEADER = 'utvag-backup-checksum';

const ExportRequest = z.object({ passphrase: BackupPassphrase }).strict();

export class UnsafeBackupLoginError extends Error {
  constructor(reason: string) {
    super(`UTVAG_BACKUP_DATABASE_URL must be the backup login of its own: ${reason} (see ${CLI_COMMAND} server init --backup-login)`);
    this.name = 'UnsafeBackupLoginError';
  }
}

/**
 * Refuses a backup login that is the server's login for people's calls (then utvag_backup would be
 * one SET ROLE away from every person's transaction), a superuser, one that bypasses row-level
 * security, or the owner of the journal's tables; and one that cannot become both backup roles.
 */
export async function refuseUnsafeBackupLogin(config: pg.PoolConfig, serverLogin: pg.PoolConfig): Promise<void> {
  const client = new pg.Client(config as pg.ClientConfig);
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; rolsuper: boolean; rolbypassrls: boolean; owned: string; backup: boolean; restore: boolean }>(
      `SELECT current_user AS name, r.rolsuper, r.rolbypassrls,
              (SELECT count(*) FROM pg_tables t WHERE t.schemaname = 'public' AND t.tableowner = current_user) AS owned,
              pg_has_role(current_user, 'utvag_backup', 'MEMBER') AS backup,
              pg_has_role(current_user, 'utvag_restore', 'MEMBER') AS restore
       FROM pg_roles r WHERE r.rolname = current_user`,
    );
    const role = rows[0];
    if (!role) throw new UnsafeBackupLoginError('the login has no role');
    if (role.rolsuper) throw new UnsafeBackupLoginError('it is a superuser');
    if (role.rolbypassrls) throw new UnsafeBackupLoginError('it bypasses row-level security');
    if (Number(role.owned) > 0) throw new UnsafeBackupLoginError("it owns the journal's tables");
    const serverName = await loginName(serverLogin);
    if (serverName === role.name) throw new UnsafeBackupLoginError("it is the server's login for people's calls");
    if (!role.backup || !role.restore) throw new UnsafeBackupLoginError('it is not granted utvag_backup and utvag_restore');
  } finally {
    await client.end();
  }
}

async function loginName(config: pg.PoolConfig): Promise<string> {
  const client = new pg.Client(config as pg.ClientConfig);
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<{ name: string }>('SELECT current_user AS name')).rows[0]!.name;
  } finally {
    await client.end();
  }
}

export interface BackupRoutes {
  exportRoute(request: IncomingMessage, response: ServerResponse, token: string | null): Promise<void>;
  restoreRoute(request: IncomingMessage, response: ServerResponse, token: string | null): Promise<void>;
}

export interface BackupRoutesOptions {
  sessions: ServerSessions;
  /** The backup login's store; null when IT has not configured one (every backup answers error.backup.notConfigured). */
  backupStore: Store | null;
  /** Where the server makes its temporary folders (default: the system's). */
  tempDir: string;
  log: Logger;
  send: (response: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => void;
}

const failure = (error: AppError): Result<never> => ({ ok: false, error });

/** The router's checks for an admin channel, on the bearer's session. */
function admitted(sessions: ServerSessions, token: string | null): { session: ServerSession } | { refused: Result<never> } {
  const session = sessions.find(token);
  if (!session) return { refused: failure({ code: 'NOT_SIGNED_IN', message: 'error.sessionEnded' }) };
  if (session.state !== 'unlocked') return { refused: failure({ code: 'LOCKED', message: 'error.locked' }) };
  if (session.user.mustChangePassword) return { refused: failure({ code: 'PASSWORD_CHANGE_REQUIRED', message: 'error.passwordChangeRequired' }) };
  if (!session.user.roles.includes('admin')) return { refused: failure({ code: 'FORBIDDEN', message: 'error.forbidden' }) };
  session.idle.touch();
  return { session };
}

function appError(error: unknown): AppError {
  return error instanceof DomainError ? error.toAppError() : { code: 'INTERNAL', message: 'error.internal' };
}

export function backupRoutes(options: BackupRoutesOptions): BackupRoutes {
  const { sessions, backupStore, log, send } = options;
  const notConfigured = failure({ code: 'FORBIDDEN', message: 'error.backup.notConfigured' });

  /** An access-log row in the admin's name, as the local backup handlers write theirs. */
  const logRow = (session: ServerSession, channel: 'backup.export' | 'backup.restore', record: string) =>
    sessions.store.transaction(
      (tx) =>
        appendLogRows(tx, [
          {
            at: sessions.now().toISOString(),
            userId: session.user.id,
            clientId: null,
            record,
            action: channel,
            channel,
            emergency: false,
            reason: null,
          },
        ]),
      { actor: { userId: session.user.id, role: 'admin' } },
    );

  const refuse = (response: ServerResponse, result: Result<never>, drain: IncomingMessage | null) => {
    // An upload not taken is not read either: the connection closes after the answer.
    if (drain) response.setHeader('connection', 'close');
    send(response, 200, result);
    drain?.resume();
  };

  const privateFolder = (kind: 'export' | 'restore') => mkdtempSync(path.join(options.tempDir, `utvag-${kind}-`));

  return {
    async exportRoute(request, response, token) {
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > MAX_EXPORT_REQUEST_BYTES) return refuse(response, failure({ code: 'INVALID_INPUT', message: 'error.invalidInput' }), request);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of request) {
        size += (chunk as Buffer).length;
        if (size > MAX_EXPORT_REQUEST_BYTES) return refuse(response, failure({ code: 'INVALID_INPUT', message: 'error.invalidInput' }), request);
        chunks.push(chunk as Buffer);
      }
      const who = admitted(sessions, token);
      if ('refused' in who) return refuse(response, who.refused, null);
      const { session } = who;
      if (!backupStore) return refuse(response, notConfigured, null);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = null;
      }
      const parsed = ExportRequest.safeParse(body);
      if (!parsed.success) {
        const fields: Record<string, string> = {};
        for (const issue of parsed.error.issues) fields[issue.path.map(String).join('.') || '_'] ??= issue.message;
        return refuse(response, failure({ code: 'INVALID_INPUT', message: 'error.invalidInput', fields }), null);
      }
      const folder = privateFolder('export');
      let copied = false;
      try {
        const exported = await exportServerJournal(
          backupStore,
          // No folder of the server's is a journal's own: a name beside the temporary folder that does not exist.
          {
            file: path.join(folder, 'backup.db'),
            passphrase: parsed.data.passphrase,
            dataDir: `${folder}-no-journal-here`,
            now: sessions.now(),
            sealKey: null,
          },
          { onCopied: () => (copied = true) },
        );
        const rows = Object.values(exported.counts).reduce((sum, count) => sum + count, 0);
        // Logged before a byte leaves: an export the log cannot record is not sent.
        await logRow(session, 'backup.export', `backup:export:rows=${rows}`);
        const bytes = statSync(exported.path).size;
        response.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': String(bytes),
          [CHECKSUM_HEADER]: exported.checksum,
        });
        await pipeline(createReadStream(exported.path), response);
        log.info('backup.exported');
      } catch (error) {
        if (response.headersSent) {
          // The transfer broke off: the workstation's check of the partial file refuses it.
          log.warn('backup.export_interrupted', { errorName: (error as Error)?.name ?? 'unknown' });
          response.destroy();
          return;
        }
        if (!(error instanceof DomainError)) log.error('backup.export_failed', { errorName: (error as Error)?.name ?? 'unknown' });
        try {
          await logRow(session, 'backup.export', `backup:export:${copied ? 'failed' : 'refused'}:${refusalName(error)}`);
        } catch {
          // The log row of a refusal cannot be written (the database is gone): the answer still says why.
        }
        send(response, 200, failure(appError(error)));
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },

    async restoreRoute(request, response, token) {
      const who = admitted(sessions, token);
      if ('refused' in who) return refuse(response, who.refused, request);
      const { session } = who;
      if (!backupStore) return refuse(response, notConfigured, request);
      const type = String(request.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      if (type !== 'application/octet-stream') {
        response.setHeader('connection', 'close');
        request.resume();
        return send(response, 415, { error: 'content-type must be application/octet-stream' });
      }
      const declared = Number(request.headers['content-length'] ?? 0);
      if (!(declared <= MAX_RESTORE_BYTES)) {
        response.setHeader('connection', 'close');
        request.resume();
        return send(response, 413, { error: 'request too large' });
      }
      const header = request.headers[PASSPHRASE_HEADER];
      const passphrase =
        typeof header === 'string' && /^[A-Za-z0-9_-]{1,2000}$/.test(header) ? Buffer.from(header, 'base64url').toString('utf8') : '';
      const confirm = request.headers[CONFIRM_HEADER];
      if (
        !passphrase ||
        passphrase.includes('\0') ||
        passphrase.length > 1024 ||
        (confirm !== undefined && !/^[A-Za-z0-9:_-]{1,100}$/.test(String(confirm)))
      ) {
        return refuse(
          response,
          failure({ code: 'INVALID_INPUT', message: 'error.invalidInput', fields: { passphrase: 'error.backup.wrongPassphrase' } }),
          request,
        );
      }
      const folder = privateFolder('restore');
      const file = path.join(folder, 'backup.db');
      try {
        let size = 0;
        const limit = async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            if (size > MAX_RESTORE_BYTES) throw new RangeError('upload too large');
            yield chunk;
          }
        };
        try {
          await pipeline(request, limit, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
        } catch (error) {
          if (error instanceof RangeError) {
            response.setHeader('connection', 'close');
            return send(response, 413, { error: 'request too large' });
          }
          throw error;
        }
        try {
          const restored = await restoreIntoServer(backupStore, {
            file,
            passphrase,
            restoredBy: session.user.id,
            now: sessions.now(),
            sealKey: null,
            ...(confirm !== undefined ? { confirmedChecksum: String(confirm) } : {}),
          });
          log.info('backup.restored');
          const renamed = restored.renamedUsers[0];
          send(response, 200, {
            ok: true,
            value: {
              createdAt: restored.createdAt,
              schemaVersion: restored.schemaVersion,
              migratedTo: restored.migratedTo,
              counts: restored.counts,
              // Nothing is kept aside on the server: a restore goes only into a journal that holds nothing yet.
              keptAs: '',
              signedOut: false,
              addedRestoringAdmin: false,
              renamedUser: renamed ? { displayName: renamed.displayName, from: renamed.from, to: renamed.to } : null,
              usersWithoutPassword: restored.usersWithoutPassword.length,
              keySlotsRemoved: 0,
              removedPeople: [],
            },
          });
        } catch (error) {
          if (!(error instanceof DomainError)) log.error('backup.restore_failed', { errorName: (error as Error)?.name ?? 'unknown' });
          try {
            // The restore rolled back whole: the refusal is logged in the journal that stays.
            await logRow(session, 'backup.restore', `backup:restore:refused:${refusalName(error)}`);
          } catch {
            // As for the export.
          }
          send(response, 200, failure(appError(error)));
        }
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
