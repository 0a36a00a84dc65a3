import { readSettings } from '../services/settings.js';
import { readWorkstationPreferences, updateWorkstationPreferences } from '../services/workstation.js';
import { type DomainHandlers, outsideTransaction } from './context.js';

/**
 * Signing in, locking and the workstation's own preferences. Sign-in channels are public (no
 * journal is open yet); locking closes the journal, and password work waits on Argon2id: none of
 * them may hold a call's transaction, so they run outside one and the session opens its own.
 */
export function sessionHandlers(): DomainHandlers<
  | 'app.status'
  | 'workstation.get'
  | 'workstation.update'
  | 'auth.setup'
  | 'auth.login'
  | 'auth.recover'
  | 'auth.lock'
  | 'auth.logout'
  | 'auth.changePassword'
  | 'session.activity'
  | 'auth.rekey'
> {
  return {
    'app.status': (_input, { app }) => app.status(),
    'workstation.get': (_input, { app }) => readWorkstationPreferences(app.dataDir),
    'workstation.update': (input, { app }) => updateWorkstationPreferences(app.dataDir, input),
    'auth.setup': (input, { app }) => app.setup(input),
    'auth.login': (input, { app }) => app.login(input),
    'auth.recover': (input, { app }) => app.recover(input),
    'auth.lock': outsideTransaction((_input, { app }) => {
      app.lock('user');
      return { locked: true as const };
    }),
    'auth.logout': outsideTransaction((_input, { app }) => {
      app.lock('logout');
      return { locked: true as const };
    }),
    'auth.changePassword': outsideTransaction((input, { app }) => app.changePassword(input)),
    'session.activity': async (_input, ctx) => ({ idleLockMinutes: (await readSettings(ctx.tx)).idleLockMinutes }),
    'auth.rekey': outsideTransaction(async (input, { app }) => app.rekey(input)),
  };
}
