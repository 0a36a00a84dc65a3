import { readSettings, updateSettings } from '../services/settings.js';
import { type DomainHandlers, outsideTransaction, signedIn } from './context.js';

/** Users and the centre's settings (admins). */
export function adminHandlers(): DomainHandlers<
  'users.resetPassword' | 'users.deactivate' | 'users.setRoles' | 'settings.get' | 'settings.update' | 'users.list' | 'users.create'
> {
  return {
    // A new temporary password is hashed with Argon2id: outside the call's transaction.
    'users.resetPassword': outsideTransaction((input, ctx) => ctx.app.resetPassword(input.userId, ctx.transact)),
    'users.deactivate': (input, ctx) => ctx.app.deactivateUser(ctx.tx, input.userId),
    // In a transaction of its own, so that the session takes new roles only once they are committed.
    'users.setRoles': outsideTransaction((input, ctx) => ctx.app.setUserRoles(input, ctx.transact)),
    'settings.get': (_input, ctx) => readSettings(ctx.tx),
    'settings.update': async (input, ctx) => {
      const settings = await updateSettings(ctx.tx, input, signedIn(ctx).id, ctx.app.now());
      ctx.app.idle.setTimeoutMinutes(settings.idleLockMinutes);
      return settings;
    },
    'users.list': (_input, ctx) => ctx.app.listUsers(ctx.tx),
    'users.create': outsideTransaction((input, ctx) => ctx.app.createUser(input, ctx.transact)),
  };
}
