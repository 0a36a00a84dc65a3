import { assignCare, endCare } from '../services/journal.js';
import {
  clientDetail,
  clientOfSide,
  findForLink,
  linkClients,
  searchClientsOfSide,
  updateClientContact,
  updateClientRecordOfSide,
} from '../services/clients.js';
import { registerIntake } from '../services/intake.js';
import { type DomainHandlers, signedIn, auditShown, auditLinksShown } from './context.js';

/** Intake, client records, links between clients and care relations. */
export function clientsHandlers(): DomainHandlers<
  | 'intake.register'
  | 'clients.search'
  | 'clients.get'
  | 'clients.updateContact'
  | 'clients.update'
  | 'clients.findForLink'
  | 'clients.link'
  | 'care.assign'
  | 'care.end'
> {
  return {
    'intake.register': async (input, ctx) => {
      const result = await registerIntake(ctx.tx, ctx.app.scope, input, signedIn(ctx).id, ctx.app.now());
      // One append for all of them: the intake, each linked person it names, each same number on the other side.
      await ctx.auditAll([
        { clientId: result.clientId, record: `intake:${result.intakeId}` },
        ...result.linkedClientIds.map((linked) => ({ clientId: linked, record: `link:${result.clientId}` })),
        // The other side's record with the same identity number gets its trace; the answer says nothing of it.
        ...result.sameNumberClientIds.map((same) => ({ clientId: same, record: `same-identity-number:${result.clientId}` })),
      ]);
      const { linkedClientIds: _linked, sameNumberClientIds: _same, ...answer } = result;
      return answer;
    },
    'clients.search': async (input, ctx) => {
      const found = await searchClientsOfSide(ctx.tx, input.side, input.query, signedIn(ctx), ctx.app.now());
      // The query itself may be a name or a number: never logged, only who was shown.
      await auditShown(
        ctx,
        found.map((client) => client.id),
        `search:${input.side}`,
      );
      return found;
    },
    'clients.get': async (input, ctx) => {
      const detail = await clientDetail(ctx.tx, input.side, input.clientId, signedIn(ctx), ctx.app.now());
      await ctx.audit({ clientId: detail.id, record: 'client' });
      await auditLinksShown(ctx, detail.id);
      return detail;
    },
    'clients.updateContact': async (input, ctx) => {
      const detail = await updateClientContact(ctx.tx, input.side, input.clientId, input, signedIn(ctx), ctx.app.now());
      await ctx.audit({ clientId: detail.id, record: 'client:contact' });
      await auditLinksShown(ctx, detail.id);
      return detail;
    },
    'clients.update': async (input, ctx) => {
      const { detail, sameNumberClientIds } = await updateClientRecordOfSide(ctx.tx, input, signedIn(ctx), ctx.app.now());
      await ctx.auditAll([
        { clientId: detail.id, record: 'client:record' },
        // As at intake: the other side's record with the same identity number gets its trace; the answer says nothing of it.
        ...sameNumberClientIds.map((same) => ({ clientId: same, record: `same-identity-number:${detail.id}` })),
      ]);
      await auditLinksShown(ctx, detail.id);
      return detail;
    },
    'clients.findForLink': async (input, ctx) => {
      const found = await findForLink(ctx.tx, ctx.app.scope, input.side, input.query, ctx.app.now());
      // Every person found is named in the log, those of the other side too (they are shown only as a handle).
      await auditShown(
        ctx,
        found.map((candidate) => candidate.clientId),
        `link-lookup:${input.side}`,
      );
      return found.map(({ clientId: _clientId, ...candidate }) => candidate);
    },
    'clients.link': async (input, ctx) => {
      const { otherClientId, clashes, ...result } = await linkClients(ctx.tx, ctx.app.scope, input, signedIn(ctx).id, ctx.app.now());
      // Both people's appointments shaped the answer: the row (for admins) says how many appointment pairs clash.
      const record = `link:${result.linkId}:${input.side}:clashes=${clashes}`;
      await ctx.auditAll([
        { clientId: input.clientId, record },
        { clientId: otherClientId, record },
      ]);
      return result;
    },
    'care.assign': async (input, ctx) => {
      await clientOfSide(ctx.tx, input.side, input.clientId);
      const team = await assignCare(ctx.tx, input.clientId, input.therapistId, signedIn(ctx).id, ctx.app.now());
      await ctx.audit({ clientId: input.clientId, record: `care:${input.therapistId}` });
      return team;
    },
    'care.end': async (input, ctx) => {
      await clientOfSide(ctx.tx, input.side, input.clientId);
      const team = await endCare(ctx.tx, input.clientId, input.therapistId, ctx.app.now());
      await ctx.audit({ clientId: input.clientId, record: `care:${input.therapistId}` });
      return team;
    },
  };
}
