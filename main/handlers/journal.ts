import {
  amendEntry,
  findForJournal,
  grantEmergencyAccess,
  journalAccess,
  journalOpening,
  journalExport,
  journalView,
  myClients,
  myDrafts,
  removeDraft,
  saveDraft,
  signDraft,
} from '../services/journal.js';
import { DomainError } from '../services/errors.js';
import type { Tx } from '../../db/engine/store.js';
import { findEntry } from '../../db/journalEntries/index.js';
import { type DomainHandlers, auditShown, outsideTransaction, signedIn } from './context.js';

async function entryClient(tx: Tx, entryId: string): Promise<string> {
  return (await findEntry(tx, entryId))!.clientId;
}

/** The journal: drafts, signing, amendments, emergency access and export. */
export function journalHandlers(): DomainHandlers<
  | 'journal.myClients'
  | 'journal.myDrafts'
  | 'journal.open'
  | 'journal.emergencyOpen'
  | 'journal.findClient'
  | 'journal.saveDraft'
  | 'journal.deleteDraft'
  | 'journal.sign'
  | 'journal.amend'
  | 'journal.export'
> {
  return {
    'journal.myClients': async (_input, ctx) => {
      const clients = await myClients(ctx.tx, signedIn(ctx));
      await auditShown(
        ctx,
        clients.map((client) => client.clientId),
        'my-clients',
      );
      return clients;
    },
    'journal.myDrafts': async (input, ctx) => {
      const drafts = await myDrafts(ctx.tx, input.side, signedIn(ctx), ctx.app.now());
      // A list of names: one row per client shown, in each client's own extract; an empty list is logged once.
      if (drafts.length > 0)
        await ctx.auditAll([...new Set(drafts.map((draft) => draft.clientId))].map((clientId) => ({ clientId, record: 'my-drafts' })));
      else await ctx.audit({ clientId: null, record: `my-drafts:${input.side}:results=0` });
      return drafts;
    },
    'journal.open': async (input, ctx) => {
      const user = signedIn(ctx);
      // The access and the client's row in one statement; the log row before the rest is read.
      const { access, client } = await journalOpening(ctx.tx, input.clientId, user, ctx.app.now());
      await ctx.audit({ clientId: input.clientId, record: `journal:${access}` });
      return journalView(ctx.tx, input.clientId, access, user, client);
    },
    'journal.emergencyOpen': async (input, ctx) => {
      const user = signedIn(ctx);
      // The reason goes to the access log, where admins review every emergency access.
      const seq = await ctx.audit({ clientId: input.clientId, record: 'journal:emergency', emergency: { reason: input.reason } });
      await grantEmergencyAccess(ctx.tx, input.clientId, user, input.reason, seq, ctx.app.now());
      return journalView(ctx.tx, input.clientId, 'emergency', user);
    },
    'journal.findClient': async (input, ctx) => {
      const user = signedIn(ctx);
      const found = await findForJournal(ctx.tx, input.query, user, ctx.app.now());
      // Each client shown leaves a trace in their own extract; an empty lookup is logged once.
      if (found.length > 0) await ctx.auditAll(found.map((client) => ({ clientId: client.id, record: 'journal-lookup' })));
      else await ctx.audit({ clientId: null, record: 'journal-lookup:results=0' });
      return found;
    },
    'journal.saveDraft': async (input, ctx) => {
      const entry = await saveDraft(ctx.tx, input, signedIn(ctx), ctx.app.now());
      await ctx.audit({ clientId: input.clientId, record: `entry:${entry.id}` });
      return entry;
    },
    'journal.deleteDraft': async (input, ctx) => {
      const { clientId } = await removeDraft(ctx.tx, input.entryId, signedIn(ctx), ctx.app.now());
      await ctx.audit({ clientId, record: `entry:${input.entryId}` });
      return { deleted: true as const };
    },
    'journal.sign': outsideTransaction(async (input, ctx) => {
      // Signing asks for the password again: the signature is the person, not whoever stands at the screen.
      if (!(await ctx.app.verifyPassword(input.password)))
        throw new DomainError('WRONG_CREDENTIALS', 'error.password.currentWrong', { password: 'error.password.currentWrong' });
      return ctx.transact(async (tx) => {
        const entry = await signDraft(tx, input.entryId, signedIn(ctx), ctx.app.now());
        await ctx.audit({ clientId: await entryClient(tx, entry.id), record: `entry:${entry.id}` });
        return entry;
      });
    }),
    'journal.amend': outsideTransaction(async (input, ctx) => {
      if (!(await ctx.app.verifyPassword(input.password)))
        throw new DomainError('WRONG_CREDENTIALS', 'error.password.currentWrong', { password: 'error.password.currentWrong' });
      return ctx.transact(async (tx) => {
        const entry = await amendEntry(tx, input, signedIn(ctx), ctx.app.now());
        await ctx.audit({ clientId: await entryClient(tx, entry.id), record: `entry:${entry.id}` });
        return entry;
      });
    }),
    'journal.export': async (input, ctx) => {
      const user = signedIn(ctx);
      await journalAccess(ctx.tx, input.clientId, user, ctx.app.now());
      await ctx.audit({ clientId: input.clientId, record: 'journal:export' });
      return journalExport(ctx.tx, input.clientId, user, ctx.app.now());
    },
  };
}
