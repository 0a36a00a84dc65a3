import { randomUUID } from 'node:crypto';
import { clientsByPersonalNumber, insertClient, insertLink, tracksOfSide, upsertContact, type Track } from '../../db/clients.js';
import type { Db } from '../../db/connection.js';
import { addToWaitingList, insertIntake, openWaitingList } from '../../db/intakes.js';
import { findMunicipality, listSites } from '../../db/org.js';
import { parseIdentityNumber } from '../../preload/personnummer.js';
import { sideOfTrack, type AppointmentView, type BookingWarning, type IntakeInput, type Routing, type Side } from '../../preload/contract.js';
import { DomainError, retold } from './errors.js';
import { refusalError } from './scheduling.js';
import { bookAppointmentSync as bookAppointment } from './schedulingSync.js';
import { conflictsOfLink, resolveLinkTarget } from './clients.js';
import { requireCurrentReferrer } from './contacts.js';

/**
 * Etapp 2: a police report about a woman subjected to violence who has children under 18, in a
 * municipality taking part in Etapp 2, goes to that municipality's social secretary for outreach.
 * Any other police report is followed up by Utväg's own coordinator. The reason is kept with the intake.
 */
export function routeIntake(intake: {
  referralSource: string;
  track: string;
  gender: string;
  childrenUnder18: number;
  municipality: { name: string; etapp2: boolean } | null;
}): Routing {
  if (intake.referralSource !== 'police') return { decision: 'not_applicable', reason: 'routing.reason.notPolice' };
  if (intake.track !== 'victim' || intake.gender !== 'female') return { decision: 'utvag_coordinator', reason: 'routing.reason.notWomanVictim' };
  if (intake.childrenUnder18 < 1) return { decision: 'utvag_coordinator', reason: 'routing.reason.noChildren' };
  if (!intake.municipality?.etapp2) return { decision: 'utvag_coordinator', reason: 'routing.reason.notEtapp2Municipality' };
  return { decision: 'etapp2_social_secretary', reason: 'routing.reason.etapp2' };
}

/**
 * Registers a first call: the client, their safe-contact instructions, known links, the intake
 * with its routing, and — when the outcome is a booked appointment — the booking. Called inside
 * one transaction: a refused booking leaves nothing behind.
 */
export function registerIntake(
  db: Db,
  input: IntakeInput,
  by: string,
  now: Date,
): {
  clientId: string;
  intakeId: string;
  routing: Routing;
  appointment: AppointmentView | null;
  warnings: BookingWarning[];
  linkedClientIds: string[];
  /** Clients on the other side with the same identity number: for the access log only, never the answer. */
  sameNumberClientIds: string[];
} {
  if (!listSites(db).some((site) => site.id === input.siteId))
    throw new DomainError('INVALID_INPUT', 'error.site.unknown', { siteId: 'error.site.unknown' });
  const municipality = findMunicipality(db, input.municipalityCode);
  if (!municipality) throw new DomainError('INVALID_INPUT', 'error.municipality.required', { municipalityCode: 'error.municipality.required' });
  // A named referrer must be someone in the network now: a former contact person is refused next to the picker.
  if (input.referrerContactId) requireCurrentReferrer(db, input.referrerContactId, now);
  const identity = input.personalNumber ? parseIdentityNumber(input.personalNumber, now) : null;
  const personalNumber = identity?.valid ? identity.normalised : null;
  // A duplicate is refused only against this side's own clients, which this side can find anyway. A
  // number already registered on the other side is never revealed: the intake goes ahead exactly as
  // for a new number, the two records are kept apart by the separation rule (linkedAcrossSides), and a
  // victims'-side client whose number the perpetrators' side gives later is flagged on her record.
  const sameNumber = personalNumber ? clientsByPersonalNumber(db, personalNumber) : [];
  if (sameNumber.some((other) => sideOfTrack(other.track) === sideOfTrack(input.track)))
    throw new DomainError('CONFLICT', 'error.personalNumber.exists', { personalNumber: 'error.personalNumber.exists' });
  const at = now.toISOString();
  const clientId = randomUUID();
  insertClient(db, {
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
  upsertContact(db, clientId, {
    phone: input.safeContact.phone || null,
    safeToCall: input.safeContact.safeToCall,
    safeToText: input.safeContact.safeToText,
    safeVoicemail: input.safeContact.safeVoicemail,
    safeTimes: input.safeContact.safeTimes || null,
    codeWord: input.safeContact.codeWord || null,
    instructions: input.safeContact.instructions || null,
    address: input.address || null,
  });
  const linkedClientIds: string[] = [];
  for (const link of input.links) {
    // A person of the other side is named by the lookup's handle: this side never holds their id.
    const other = resolveLinkTarget(db, link.clientId);
    if (!other) throw new DomainError('NOT_FOUND', 'error.client.notFound', { links: 'error.client.notFound' });
    insertLink(db, { id: randomUUID(), clientA: clientId, clientB: other, kind: link.kind, createdAt: at, createdBy: by });
    linkedClientIds.push(other);
  }
  const routing = routeIntake({ ...input, municipality });
  const intakeId = randomUUID();
  insertIntake(db, {
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
  if (input.outcome === 'waiting_list') addToWaitingList(db, { id: randomUUID(), clientId, intakeId, addedAt: at });
  let booked: { appointment: AppointmentView; warnings: BookingWarning[] } | null = null;
  if (input.booking) {
    try {
      booked = bookAppointment(db, { ...input.booking, side: input.side, clientId, groupId: null, note: null }, by, now);
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
  // A new client has no other appointments, so links cannot conflict yet; checked anyway for safety.
  for (const other of linkedClientIds) {
    if (conflictsOfLink(db, clientId, other, now).length > 0) {
      const refused = refusalError('separation', input.side);
      const error = new DomainError(refused.code, refused.message, { 'booking.start': refused.message });
      error.trace = [{ clientId: other, record: 'refusal:linked' }];
      throw error;
    }
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

export function waitingList(db: Db, side: Side, now: Date) {
  return openWaitingList(db, tracksOfSide(side)).map((entry) => ({
    ...entry,
    track: entry.track as Track,
    urgency: entry.urgency as 'acute' | 'high' | 'normal',
    daysSinceFirstContact: Math.max(0, Math.floor((now.getTime() - Date.parse(entry.firstContactAt)) / 86_400_000)),
  }));
}
