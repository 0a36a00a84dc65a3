/**
 * Backups of the server journal at a workstation (issue #14): the file is written and read here,
 * where the admin is, never left on the server. An export downloads the server's SQLCipher backup
 * beside its target and checks it here as verify does before it takes its name (receiveBackup); a
 * verify needs no server; a restore uploads the file. What the server does not do (automatic
 * backups: IT backs PostgreSQL up) is answered here, so the screen can say so.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AppError, BackupStatusView, Result } from '../../preload/contract/index.js';
import type { Logger } from '../log.js';
import { exportTarget, receiveBackup, verifyBackup } from '../services/backup.js';
import type { BackupTask } from '../services/backupProgress.js';
import { DomainError } from '../services/errors.js';

/** The server's headers (main/server/backup.ts). */
const PASSPHRASE_HEADER = 'utvag-backup-passphrase';
const CONFIRM_HEADER = 'utvag-backup-confirm';
const CHECKSUM_HEADER = 'utvag-backup-checksum';
/** A backup takes as long as the journal is big: the connection may be silent this long (the server reads and checks first). */
const BACKUP_IDLE_MS = 10 * 60_000;
const MAX_ENVELOPE_BYTES = 1024 * 1024;

export interface BackupWire {
  base: URL;
  agent: http.Agent;
  token: string | null;
  log: Logger;
  dataDir: string;
  /** The envelope as the remote router reads any answer (known codes, message keys only). */
  readEnvelope(channel: 'backup.export' | 'backup.restore', body: Buffer): Result<unknown> | null;
}

const UNREACHABLE: AppError = { code: 'UNREACHABLE', message: 'error.serverUnreachable' };

class Unreachable extends Error {
  override name = 'Unreachable';
}

function open(
  wire: BackupWire,
  pathname: string,
  headers: Record<string, string>,
): { request: http.ClientRequest; response: Promise<http.IncomingMessage> } {
  const target = new URL(pathname, wire.base);
  const transport = target.protocol === 'https:' ? https : http;
  const request = transport.request(target, {
    method: 'POST',
    agent: wire.agent,
    headers: { ...headers, ...(wire.token ? { authorization: `Bearer ${wire.token}` } : {}) },
  });
  request.setTimeout(BACKUP_IDLE_MS, () => request.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })));
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.on('response', resolve);
    request.on('error', reject);
  });
  return { request, response };
}

async function envelopeOf(wire: BackupWire, channel: 'backup.export' | 'backup.restore', response: http.IncomingMessage): Promise<Result<unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > MAX_ENVELOPE_BYTES) throw new Unreachable('answer too large');
    chunks.push(chunk as Buffer);
  }
  const result = wire.readEnvelope(channel, Buffer.concat(chunks));
  if (!result) throw new Unreachable('not an envelope');
  return result;
}

const isJson = (response: http.IncomingMessage) => String(response.headers['content-type'] ?? '').startsWith('application/json');

function failed(wire: BackupWire, channel: string, error: unknown): Result<never> {
  if (error instanceof DomainError) return { ok: false, error: error.toAppError() };
  wire.log.warn('remote.backup_failed', {
    channel,
    errorName: (error as Error)?.name ?? 'unknown',
    code: String((error as { code?: unknown }).code ?? 'none'),
  });
  return { ok: false, error: UNREACHABLE };
}

/** backup.export: the server's backup, downloaded beside `path`, checked here, then named. */
export async function exportFromServer(wire: BackupWire, input: { path: string; passphrase: string }, task?: BackupTask): Promise<Result<unknown>> {
  try {
    // The target's checks first (an existing folder, not the data folder): a refused path costs the server no export.
    exportTarget(input.path, wire.dataDir);
    const body = JSON.stringify({ passphrase: input.passphrase });
    const { request, response } = open(wire, '/v1/backup/export', {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    });
    request.end(body);
    const answer = await response;
    if (answer.statusCode !== 200) {
      answer.resume();
      throw new Unreachable(`status ${answer.statusCode}`);
    }
    if (isJson(answer)) return await envelopeOf(wire, 'backup.export', answer);
    const checksum = answer.headers[CHECKSUM_HEADER];
    if (typeof checksum !== 'string' || String(answer.headers['content-type']) !== 'application/octet-stream') {
      answer.resume();
      throw new Unreachable('not a backup');
    }
    try {
      const done = await receiveBackup(
        { file: input.path, passphrase: input.passphrase, dataDir: wire.dataDir, expectedChecksum: checksum },
        (partial) =>
          pipeline(answer, createWriteStream(partial, { flags: 'r+' })).catch((error: unknown) => {
            throw new Unreachable((error as Error)?.name ?? 'transfer');
          }),
        task,
      );
      return { ok: true, value: done };
    } finally {
      answer.destroy();
    }
  } catch (error) {
    return failed(wire, 'backup.export', error);
  }
}

/** backup.verify: the file here, with the local checks; nothing of it goes to the server. */
export async function verifyHere(input: { path: string; passphrase: string }, task?: BackupTask): Promise<Result<unknown>> {
  try {
    const verified = await verifyBackup(path.resolve(input.path), input.passphrase, { sealKey: null, current: null, task });
    if (!verified.ok) return { ok: false, error: verified.error.toAppError() };
    return { ok: true, value: verified };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error: error.toAppError() };
    return { ok: false, error: { code: 'INTERNAL', message: 'error.internal' } };
  }
}

/** backup.restore: the file uploaded; the server checks it as a local restore does and answers the restore's envelope. */
export async function restoreOnServer(
  wire: BackupWire,
  input: { path: string; passphrase: string; confirmedChecksum?: string | undefined },
  task?: BackupTask,
): Promise<Result<unknown>> {
  const file = path.resolve(input.path);
  let bytes: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile())
      return { ok: false, error: { code: 'INVALID_INPUT', message: 'error.backup.notAFile', fields: { path: 'error.backup.notAFile' } } };
    bytes = stat.size;
  } catch {
    return { ok: false, error: { code: 'INVALID_INPUT', message: 'error.backup.fileMissing', fields: { path: 'error.backup.fileMissing' } } };
  }
  try {
    const { request, response } = open(wire, '/v1/backup/restore', {
      'content-type': 'application/octet-stream',
      'content-length': String(bytes),
      [PASSPHRASE_HEADER]: Buffer.from(input.passphrase.normalize('NFC'), 'utf8').toString('base64url'),
      ...(input.confirmedChecksum ? { [CONFIRM_HEADER]: input.confirmedChecksum } : {}),
    });
    // The upload, then the server's own checks and import: one phase as seen from here.
    task?.enter('restoring');
    // A refusal may come before the upload ends (the server closes then): the answer counts, not the broken upload.
    const sent = pipeline(createReadStream(file), request).catch(() => undefined);
    const answer = await response;
    if (answer.statusCode !== 200) {
      answer.resume();
      throw new Unreachable(`status ${answer.statusCode}`);
    }
    if (!isJson(answer)) {
      answer.resume();
      throw new Unreachable('not an envelope');
    }
    const result = await envelopeOf(wire, 'backup.restore', answer);
    await sent;
    return result;
  } catch (error) {
    return failed(wire, 'backup.restore', error);
  }
}

/**
 * backup.status on a workstation of the server: the server makes no automatic backups (IT backs its
 * PostgreSQL up, with point-in-time recovery); the screen says so instead of a schedule.
 */
export function serverBackupStatus(now: Date): BackupStatusView {
  return {
    schedule: { enabled: false, folder: '', intervalHours: 24, keep: 1, passphraseStored: false },
    running: false,
    lastAttempt: null,
    lastAutomatic: null,
    lastManualExportAt: null,
    lastGoodAt: null,
    nextRunAt: null,
    checkedAt: now.toISOString(),
    warning: null,
    staleAfterHours: 0,
    managedByServer: true,
  };
}
