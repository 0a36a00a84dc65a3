import { readSettings, updateSettings } from '../services/settings.js';
import { type DomainHandlers, outsideTransaction, signedIn } from './context.js';

/** Users and the centre's settings (admins). */
export function adminHandlers(): DomainHandlers<
  'users.resetPassword' | 'users.deactivate' | 'settings.get' | 'settings.update' | 'users.list' | 'users.create'
> {
  return {
    // A new temporary password is hashed with Argon2id: outside the call's transaction.
    'users.resetPassword': outsideTransaction((input, { app }) => app.resetPassword(input.userId)),
    'users.deactivate': (input, { app, tx }) => app.deactivateUser(input.userId, tx),
    'settings.get': (_input, ctx) => readSettings(ctx.tx),
    'settings.update': async (input, ctx) => {
      const settings = await updateSettings(ctx.tx, input, signedIn(ctx).id, ctx.app.now());
      ctx.app.idle.setTimeoutMinutes(settings.idleLockMinutes);
      return settings;
    },
    'users.list': (_input, { app, tx }) => app.listUsers(tx),
    'users.create': outsideTransaction(async (input, { app }) => app.createUser(input)),
  };
}
