import {
  contactList,
  deleteContact,
  mailingListCsv,
  networkDays,
  referrers,
  saveContact,
  saveNetworkDay,
  setAttendance,
} from '../services/contacts.js';
import { type DomainHandlers, signedIn } from './context.js';

/** The contact-person network: professionals only, no client data, so nothing here writes the access log. */
export function contactsHandlers(): DomainHandlers<
  | 'contacts.list'
  | 'contacts.save'
  | 'contacts.delete'
  | 'contacts.mailingListCsv'
  | 'contacts.referrers'
  | 'networkDays.list'
  | 'networkDays.save'
  | 'networkDays.setAttendance'
> {
  return {
    // The contact-person network: professionals only, no client data, so nothing here writes the access log.
    'contacts.list': (input, { app }) => contactList(app.db, input.filter, app.now()),
    'contacts.save': (input, ctx) => saveContact(ctx.app.db, input, signedIn(ctx).id, ctx.app.now()),
    'contacts.delete': (input, { app }) => {
      deleteContact(app.db, input.id);
      return { deleted: true as const };
    },
    'contacts.mailingListCsv': (input, { app }) => mailingListCsv(app.db, input.filter, input.labels, app.now()),
    'contacts.referrers': (_input, { app }) => referrers(app.db, app.now()),
    'networkDays.list': (_input, { app }) => networkDays(app.db),
    'networkDays.save': (input, ctx) => saveNetworkDay(ctx.app.db, input, signedIn(ctx).id, ctx.app.now()),
    'networkDays.setAttendance': (input, ctx) => setAttendance(ctx.app.db, input, signedIn(ctx).id, ctx.app.now()),
  };
}
