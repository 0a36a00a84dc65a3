import type { z } from 'zod';
import { contract, type AppError, type ChannelName, type ChannelOutput, type Contract, type Result, type SessionUser } from '../preload/contract.js';
import { listUsers } from '../db/users.js';
import { DomainError } from './services/errors.js';
import { readSettings, updateSettings } from './services/settings.js';
import { readWorkstationPreferences, updateWorkstationPreferences } from './services/workstation.js';
import type { JournalApp } from './services/session.js';

export interface CallContext {
  app: JournalApp;
  /** The signed-in user; null only on public channels. */
  user: SessionUser | null;
}

type Handler<C extends ChannelName> = (input: z.output<Contract[C]['input']>, ctx: CallContext) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
export type Handlers = { [C in ChannelName]: Handler<C> };

function signedIn(ctx: CallContext): SessionUser {
  if (!ctx.user) throw new DomainError('NOT_SIGNED_IN', 'Sign in first');
  return ctx.user;
}

/** One handler per channel; TypeScript insists that every channel in the contract has one. */
export function createHandlers(): Handlers {
  return {
    'app.status': (_input, { app }) => app.status(),
    'workstation.get': (_input, { app }) => readWorkstationPreferences(app.dataDir),
    'workstation.update': (input, { app }) => updateWorkstationPreferences(app.dataDir, input),
    'auth.setup': (input, { app }) => app.setup(input),
    'auth.login': (input, { app }) => app.login(input),
    'auth.lock': (_input, { app }) => {
      app.lock('user');
      return { locked: true as const };
    },
    'auth.logout': (_input, { app }) => {
      app.lock('logout');
      return { locked: true as const };
    },
    'auth.changePassword': (input, { app }) => app.changePassword(input),
    'session.activity': (_input, { app }) => ({ idleLockMinutes: readSettings(app.db).idleLockMinutes }),
    'settings.get': (_input, { app }) => readSettings(app.db),
    'settings.update': (input, ctx) => {
      const settings = updateSettings(ctx.app.db, input, signedIn(ctx).id, ctx.app.now());
      ctx.app.idle.setTimeoutMinutes(settings.idleLockMinutes);
      return settings;
    },
    'users.list': (_input, { app }) => listUsers(app.db),
    'users.create': async (input, { app }) => app.createUser(input),
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
export function createRouter(app: JournalApp, handlers: Handlers = createHandlers()): Router {
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
        const value = await handler(parsed.data as never, { app, user });
        const output = spec.output.safeParse(value);
        if (!output.success) {
          app.log.error('router.output_invalid', { channel: name });
          return failure({ code: 'INTERNAL', message: 'error.internal' });
        }
        const ms = Math.round(performance.now() - started);
        // Sign-in channels are slow on purpose (Argon2id); everything else should answer at once.
        if (ms > 200 && !name.startsWith('auth.')) app.log.warn('router.slow_call', { channel: name, ms });
        return { ok: true, value: output.data };
      } catch (error) {
        if (error instanceof DomainError) return failure(error.toAppError());
        const code = (error as { code?: unknown }).code;
        if (
          code === 'SQLITE_FULL' ||
          code === 'SQLITE_READONLY' ||
          code === 'SQLITE_IOERR' ||
          code === 'ENOSPC' ||
          code === 'EROFS' ||
          code === 'EACCES'
        ) {
          app.log.error('router.storage_error', { channel: name, code: String(code) });
          return failure({ code: 'STORAGE', message: 'error.storage.write' });
        }
        // The error itself may quote data: only its class name reaches the log.
        app.log.error('router.unhandled', { channel: name, errorName: (error as Error)?.name ?? 'unknown' });
        return failure({ code: 'INTERNAL', message: 'error.internal' });
      }
    },
  };
}
