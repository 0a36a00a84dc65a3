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
    'contacts.list': (input, ctx) => contactList(ctx.tx, input.filter, ctx.app.now()),
    'contacts.save': (input, ctx) => saveContact(ctx.tx, input, signedIn(ctx).id, ctx.app.now()),
    'contacts.delete': async (input, ctx) => {
      await deleteContact(ctx.tx, input.id);
      return { deleted: true as const };
    },
    'contacts.mailingListCsv': (input, ctx) => mailingListCsv(ctx.tx, input.filter, input.labels, ctx.app.now()),
    'contacts.referrers': (_input, ctx) => referrers(ctx.tx, ctx.app.now()),
    'networkDays.list': (_input, ctx) => networkDays(ctx.tx),
    'networkDays.save': (input, ctx) => saveNetworkDay(ctx.tx, input, signedIn(ctx).id, ctx.app.now()),
    'networkDays.setAttendance': (input, ctx) => setAttendance(ctx.tx, input, signedIn(ctx).id, ctx.app.now()),
  };
}
