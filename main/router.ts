import type { z } from 'zod';
import {
  contract,
  type AppError,
  type ChannelName,
  type Contract,
  type Result,
  type Role,
  type SessionUser,
  type Side,
} from '../preload/contract/index.js';
import { appendLogRow, appendLogRows, type AccessLogEntry } from '../db/accessLog.js';
import { appendAccessLog } from '../db/local/accessLog.js';
import { SeparationConflictError, type Actor, type Tx } from '../db/engine/store.js';
import { DomainError, storageError } from './services/errors.js';
import { unavailableError } from './services/scheduling.js';
import { adminHandlers } from './handlers/admin.js';
import { auditHandlers } from './handlers/audit.js';
import { backupHandlers } from './handlers/backup.js';
import { clientsHandlers } from './handlers/clients.js';
import { contactsHandlers } from './handlers/contacts.js';
import type { AppHost } from './handlers/context.js';
import { runsOutsideTransaction, type AuditNote, type CallContext, type Handler, type Handlers, type ShellServices } from './handlers/context.js';
import { groupsHandlers } from './handlers/groups.js';
import { etapp2Handlers } from './handlers/etapp2.js';
import { journalHandlers } from './handlers/journal.js';
import { orgHandlers } from './handlers/org.js';
import { scheduleHandlers } from './handlers/schedule.js';
import { sessionHandlers } from './handlers/session.js';
import { statsHandlers } from './handlers/stats.js';
import { workstationHandlers } from './handlers/workstation.js';

export type { AppHost, AuditNote, CallContext, Handlers, ShellServices } from './handlers/context.js';

/** One handler per channel, from main/handlers/<domain>.ts; TypeScript insists that every channel in the contract has one. */
export function createHandlers(shell: ShellServices = {}): Handlers {
  return {
    ...sessionHandlers(),
    ...adminHandlers(),
    ...orgHandlers(),
    ...contactsHandlers(),
    ...clientsHandlers(),
    ...scheduleHandlers(),
    ...groupsHandlers(),
    ...etapp2Handlers(),
    ...journalHandlers(),
    ...auditHandlers(),
    ...statsHandlers(),
    ...backupHandlers(shell),
    ...workstationHandlers(shell),
  };
}

/** Channels a user who must replace a temporary password may still use. */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set<ChannelName>(['app.status', 'auth.changePassword', 'auth.lock', 'auth.logout', 'session.activity']);

function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

/** Whom the transaction runs for: on PostgreSQL the person's role for this channel (the second line); SQLite ignores it. */
function actorFor(user: SessionUser | null, access: Contract[ChannelName]['access']): Actor | undefined {
  if (!user) return undefined;
  const allowed: readonly Role[] = Array.isArray(access) ? access : user.roles;
  const role = user.roles.find((candidate) => allowed.includes(candidate));
  return role ? { userId: user.id, role } : undefined;
}

/**
 * Runs one call. A signed-in channel runs in one transaction with its access-log rows: the read or
 * write and its trace land together or not at all, and a client-data channel that forgets to log is
 * refused. A handler marked outsideTransaction (a password check, a file, the lock) does its
 * database work in ctx.transact instead. A channel without client data may not write the log.
 */
async function runCall(
  app: AppHost,
  channel: ChannelName,
  user: SessionUser | null,
  handler: Handler<ChannelName>,
  input: unknown,
): Promise<unknown> {
  const spec = contract[channel];
  const logsClientData = spec.clientData !== 'none';
  const actor = actorFor(user, spec.access);
  let logged = 0;
  let open: Tx | null = null;
  let sqliteDepth = 0;

  const entryOf = (note: AuditNote): AccessLogEntry => ({
    at: app.now().toISOString(),
    userId: user?.id ?? null,
    clientId: note.clientId,
    record: note.record,
    action: channel,
    channel,
    emergency: note.emergency !== undefined,
    reason: note.emergency?.reason ?? null,
  });
  const mayLog = () => {
    if (!logsClientData) throw new Error(`Channel ${channel} has no client data and must not write the access log`);
  };
  const audit = async (note: AuditNote): Promise<number> => {
    mayLog();
    if (!open) throw new Error(`Channel ${channel} wrote the access log outside a transaction`);
    const seq = await appendLogRow(open, entryOf(note));
    logged += 1;
    return seq;
  };
  const auditAll = async (notes: readonly AuditNote[]): Promise<number[]> => {
    mayLog();
    if (!open) throw new Error(`Channel ${channel} wrote the access log outside a transaction`);
    const seqs = await appendLogRows(open, notes.map(entryOf));
    logged += seqs.length;
    return seqs;
  };
  const transact = <T>(work: (tx: Tx) => Promise<T>): Promise<T> =>
    app.store.transaction(
      async (tx) => {
        open = tx;
        try {
          return await work(tx);
        } finally {
          open = null;
        }
      },
      { ...(actor ? { actor } : {}), ...(spec.oneSide ? { side: (input as { side: Side }).side } : {}) },
    );
  const sqlite: CallContext['sqlite'] = {
    transact: <T>(work: () => T): T => {
      const db = app.db;
      // Joining another call's open transaction would commit or lose its work with ours.
      if (db.inTransaction) throw new Error('A transaction is already open on the journal connection');
      return db.transaction(() => {
        sqliteDepth += 1;
        try {
          return work();
        } finally {
          sqliteDepth -= 1;
        }
      })();
    },
    audit: (note) => {
      mayLog();
      if (sqliteDepth === 0) throw new Error(`Channel ${channel} wrote the access log outside a transaction`);
      const seq = appendAccessLog(app.db, entryOf(note));
      logged += 1;
      return seq;
    },
  };
  const contextOf = (tx: Tx | null): CallContext => ({
    app,
    user,
    audit,
    auditAll,
    transact,
    sqlite,
    get tx(): Tx {
      if (!tx) throw new Error(`Channel ${channel} runs outside a transaction: use ctx.transact`);
      return tx;
    },
  });

  const checkLogged = () => {
    if (logsClientData && logged === 0) throw new Error(`Client-data channel ${channel} wrote no access-log row`);
  };
  try {
    // Public channels run before any journal is open (signing in, the app's state).
    const value =
      spec.access === 'public' || runsOutsideTransaction(handler)
        ? await handler(input as never, contextOf(null))
        : await transact(async (tx) => {
            const answer = await handler(input as never, contextOf(tx));
            checkLogged();
            return answer;
          });
    checkLogged();
    return value;
  } catch (error) {
    // A refusal rolls back with its log rows; its trace (the clients whose data shaped it) is written
    // in a transaction of its own, so that probing with refused bookings leaves a mark in their extracts.
    const trace = error instanceof DomainError ? error.trace : undefined;
    if (trace && trace.length > 0) {
      try {
        await transact(async () => {
          await auditAll(trace.map((note) => ({ clientId: note.clientId, record: note.record })));
        });
      } catch (traceError) {
        app.log.error('router.trace_failed', { channel, errorName: (traceError as Error)?.name ?? 'unknown' });
      }
    }
    throw error;
  }
}

function failure(error: AppError): Result<never> {
  return { ok: false, error };
}

export interface Router {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
}

/**
 * Binds each contract channel to its handler: validates the input, checks the session and role,
 * runs the handler, validates (and so strips) the output, and turns every error into a typed value.
 * The Electron IPC wiring and the browser harness both call this and nothing else.
 */
export function createRouter(app: AppHost, handlers: Handlers = createHandlers()): Router {
  return {
    async invoke(channelName, rawInput) {
      if (typeof channelName !== 'string' || !Object.hasOwn(contract, channelName)) {
        return failure({ code: 'UNKNOWN_CHANNEL', message: 'No such channel' });
      }
      const name = channelName as ChannelName;
      const spec = contract[name];
      const started = performance.now();

      const parsed = spec.input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        return failure({ code: 'INVALID_INPUT', message: 'error.invalidInput', fields: fieldErrors(parsed.error) });
      }

      const user = app.user;
      if (spec.access !== 'public') {
        if (!user) {
          return failure(
            app.status().state === 'locked' ? { code: 'LOCKED', message: 'error.locked' } : { code: 'NOT_SIGNED_IN', message: 'error.notSignedIn' },
          );
        }
        if (user.mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(name)) {
          return failure({ code: 'PASSWORD_CHANGE_REQUIRED', message: 'error.passwordChangeRequired' });
        }
        if (Array.isArray(spec.access) && !spec.access.some((role) => user.roles.includes(role))) {
          return failure({ code: 'FORBIDDEN', message: 'error.forbidden' });
        }
        if (!spec.passive) app.idle.touch();
      }

      try {
        const handler = handlers[name] as Handler<ChannelName>;
        const value = await runCall(app, name, user, handler, parsed.data);
        const output = spec.output.safeParse(value);
        if (!output.success) {
          app.log.error('router.output_invalid', { channel: name });
          return failure({ code: 'INTERNAL', message: 'error.internal' });
        }
        // The newest log row is anchored outside the journal once committed (see JournalApp.anchorLog).
        if (app.isUnlocked) app.anchorLog();
        const ms = Math.round(performance.now() - started);
        // Sign-in channels are slow on purpose (Argon2id); everything else should answer at once.
        if (ms > 200 && !name.startsWith('auth.')) app.log.warn('router.slow_call', { channel: name, ms });
        return { ok: true, value: output.data };
      } catch (error) {
        if (error instanceof DomainError) return failure(error.toAppError());
        // The database's separation rule (PostgreSQL) caught what the app's check could not see yet (a
        // concurrent booking): the same neutral refusal as the app's own, nothing of the other appointment.
        if (error instanceof SeparationConflictError) return failure(unavailableError().toAppError());
        // A full disk or a read-only folder is told as such (the write was rolled back with its transaction), never as INTERNAL.
        const storage = storageError(error, app.dataDir);
        if (storage) {
          app.log.error('router.storage_error', { channel: name, code: String((error as { code?: unknown }).code), reason: storage.message });
          return failure(storage.toAppError());
        }
        // The error itself may quote data: only its class name reaches the log.
        app.log.error('router.unhandled', { channel: name, errorName: (error as Error)?.name ?? 'unknown' });
        return failure({ code: 'INTERNAL', message: 'error.internal' });
      }
    },
  };
}
