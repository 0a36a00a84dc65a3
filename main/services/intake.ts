import { randomUUID } from 'node:crypto';
import { clientsByPersonalNumber, insertClient, insertContact, insertLinks, tracksOfSide } from '../../db/clients/index.js';
import type { Tx } from '../../db/engine/store.js';
import { addToWaitingList, insertIntake, openWaitingList } from '../../db/intakes/index.js';
import { findMunicipality, listSites } from '../../db/org/index.js';
import { parseIdentityNumber } from '../../preload/personnummer.js';
import { sideOfTrack, type AppointmentView, type BookingWarning, type IntakeInput, type Routing, type Side } from '../../preload/contract/index.js';
import { DomainError, retold } from './errors.js';
import { bookAppointment, refusalError } from './scheduling.js';
import { conflictsOfLinks, resolveLinkTargets } from './clients.js';
import { requireCurrentReferrer } from './contacts.js';

/**
 * Etapp 2: a police report about a woman subjected to violence who has children under 18, in a
 * municipality taking part in the women's Etapp 2, goes to that municipality's social secretary for
 * outreach; so does a police report about a child, in a municipality taking part in the children's
 * Etapp 2 (participation is a setting per track). Any other police report is followed up by Utväg's
 * own coordinator. The reason is kept with the intake.
 */
export function routeIntake(intake: {
  referralSource: string;
  track: string;
  gender: string;
  childrenUnder18: number;
  municipality: { name: string; etapp2: boolean; etapp2Children: boolean } | null;
}): Routing {
  if (intake.referralSource !== 'police') return { decision: 'not_applicable', reason: 'routing.reason.notPolice' };
  if (intake.track === 'child') {
    if (!intake.municipality?.etapp2Children) return { decision: 'utvag_coordinator', reason: 'routing.reason.notEtapp2ChildrenMunicipality' };
    return { decision: 'etapp2_social_secretary', reason: 'routing.reason.etapp2Children' };
  }
  if (intake.track !== 'victim' || intake.gender !== 'female') return { decision: 'utvag_coordinator', reason: 'routing.reason.notWomanVictim' };
  if (intake.childrenUnder18 < 1) return { decision: 'utvag_coordinator', reason: 'routing.reason.noChildren' };
  if (!intake.municipality?.etapp2) return { decision: 'utvag_coordinator', reason: 'routing.reason.notEtapp2Municipality' };
  return { decision: 'etapp2_social_secretary', reason: 'routing.reason.etapp2' };
}

/**
 * Registers a first call: the client, their safe-contact instructions, known links, the intake
 * with its routing, and — when the outcome is a booked appointment — the booking. Called inside
 * one transaction: a refused booking leaves nothing behind. The links are resolved and written in
 * one statement each, however many the caller names.
 */
export async function registerIntake(
  tx: Tx,
  /** The session's scope, which keeps the link lookup's handles (see clients.ts). */
  scope: object,
  input: IntakeInput,
  by: string,
  now: Date,
): Promise<{
  clientId: string;
  intakeId: string;
  routing: Routing;
  appointment: AppointmentView | null;
  warnings: BookingWarning[];
  linkedClientIds: string[];
  /** Clients on the other side with the same identity number: for the access log only, never the answer. */
  sameNumberClientIds: string[];
}> {
  if (!(await listSites(tx)).some((site) => site.id === input.siteId))
    throw new DomainError('INVALID_INPUT', 'error.site.unknown', { siteId: 'error.site.unknown' });
  const municipality = await findMunicipality(tx, input.municipalityCode);
  if (!municipality) throw new DomainError('INVALID_INPUT', 'error.municipality.required', { municipalityCode: 'error.municipality.required' });
  // A named referrer must be someone in the network now: a former contact person is refused next to the picker.
  if (input.referrerContactId) await requireCurrentReferrer(tx, input.referrerContactId, now);
  const identity = input.personalNumber ? parseIdentityNumber(input.personalNumber, now) : null;
  const personalNumber = identity?.valid ? identity.normalised : null;
  // A duplicate is refused only against this side's own clients, which this side can find anyway. A
  // number already registered on the other side is never revealed: the intake goes ahead exactly as
  // for a new number, the two records are kept apart by the separation rule (linkedAcrossSides), and a
  // victims'-side client whose number the perpetrators' side gives later is flagged on her record.
  const sameNumber = personalNumber ? await clientsByPersonalNumber(tx, personalNumber) : [];
  if (sameNumber.some((other) => sideOfTrack(other.track) === sideOfTrack(input.track)))
    throw new DomainError('CONFLICT', 'error.personalNumber.exists', { personalNumber: 'error.personalNumber.exists' });
  const at = now.toISOString();
  const clientId = randomUUID();
  await insertClient(tx, {
    id: clientId,
    track: input.track,
    name: input.name,
    isAlias: input.anonymous,
    personalNumber,
    birthYear: identity?.valid ? identity.birthYear : input.birthYear,
    protectedIdentity: input.protectedIdentity,
    gender: input.gender,
    municipalityCode: municipality.code,
    language: input.language || null,
    interpreterNeeded: input.interpreterNeeded,
    siteId: input.siteId,
    childrenUnder18: input.childrenUnder18,
    firstContactAt: at,
    createdAt: at,
    createdBy: by,
  });
  // A plain insert: the client is new, and reception may not read a protected client's details back (PostgreSQL).
  await insertContact(tx, clientId, {
    phone: input.safeContact.phone || null,
    safeToCall: input.safeContact.safeToCall,
    safeToText: input.safeContact.safeToText,
    safeVoicemail: input.safeContact.safeVoicemail,
    safeTimes: input.safeContact.safeTimes || null,
    codeWord: input.safeContact.codeWord || null,
    instructions: input.safeContact.instructions || null,
    address: input.address || null,
  });
  // A person of the other side is named by the lookup's handle: this side never holds their id.
  const linked = await resolveLinkTargets(
    tx,
    scope,
    input.links.map((link) => link.clientId),
  );
  const linkedClients = linked.map((other) => {
    if (!other) throw new DomainError('NOT_FOUND', 'error.client.notFound', { links: 'error.client.notFound' });
    return other;
  });
  await insertLinks(
    tx,
    input.links.map((link, i) => ({
      id: randomUUID(),
      clientA: clientId,
      clientB: linkedClients[i]!.id,
      kind: link.kind,
      createdAt: at,
      createdBy: by,
    })),
  );
  const linkedClientIds = linkedClients.map((other) => other.id);
  const routing = routeIntake({ ...input, municipality });
  const intakeId = randomUUID();
  await insertIntake(tx, {
    id: intakeId,
    clientId,
    receivedAt: at,
    receivedBy: by,
    contactBy: input.contactBy,
    referralSource: input.referralSource,
    referralNote: input.referralNote || null,
    referrerContactId: input.referrerContactId ?? null,
    urgency: input.urgency,
    reason: input.reason || null,
    outcome: input.outcome,
    referredTo: input.referredTo || null,
    routing: routing.decision,
    routingReason: routing.reason,
  });
  if (input.outcome === 'waiting_list') await addToWaitingList(tx, { id: randomUUID(), clientId, intakeId, addedAt: at });
  let booked: { appointment: AppointmentView; warnings: BookingWarning[] } | null = null;
  if (input.booking) {
    try {
      booked = await bookAppointment(tx, { ...input.booking, side: input.side, clientId, groupId: null, note: null }, by, now);
    } catch (error) {
      // The booking's field errors belong to the booking part of the form.
      if (error instanceof DomainError && error.fields) {
        const told = retold(
          error,
          error.code,
          error.message,
          Object.fromEntries(Object.entries(error.fields).map(([field, message]) => [`booking.${field}`, message])),
        );
        // The new client is rolled back with the refusal: only the linked people it names remain to be traced.
        told.trace = error.trace?.filter((note) => note.clientId !== clientId);
        throw told;
      }
      throw error;
    }
  }
  // A new client has no other appointments, so links cannot conflict yet; checked anyway for safety
  // (all linked people at once; one by one only to name the first in the refusal's trace).
  const self = { id: clientId, track: input.track };
  if ((await conflictsOfLinks(tx, self, linkedClients, now)).length > 0) {
    let other: (typeof linkedClients)[number] | undefined;
    for (const candidate of linkedClients) {
      if ((await conflictsOfLinks(tx, self, [candidate], now)).length > 0) {
        other = candidate;
        break;
      }
    }
    const refused = refusalError('separation', input.side);
    const error = new DomainError(refused.code, refused.message, { 'booking.start': refused.message });
    if (other) error.trace = [{ clientId: other.id, record: 'refusal:linked' }];
    throw error;
  }
  return {
    clientId,
    intakeId,
    routing,
    appointment: booked?.appointment ?? null,
    warnings: booked?.warnings ?? [],
    linkedClientIds,
    sameNumberClientIds: sameNumber.map((other) => other.id),
  };
}

/**
 * The open waiting list of one side, most urgent first: one statement however long it is. Each entry
 * has the first call's short reason and the client's safe times and instructions, so that whoever
 * calls back knows when and how; a protected client's instructions are never in a list, whoever asks.
 */
export async function waitingList(tx: Tx, side: Side, now: Date) {
  return (await openWaitingList(tx, tracksOfSide(side))).map(({ intakeId: _intake, ...entry }) => ({
    ...entry,
    safeTimes: entry.protectedIdentity ? null : entry.safeTimes,
    instructions: entry.protectedIdentity ? null : entry.instructions,
    daysSinceFirstContact: Math.max(0, Math.floor((now.getTime() - Date.parse(entry.firstContactAt)) / 86_400_000)),
  }));
}
