import { randomUUID } from 'node:crypto';
import { appointmentsOfClient, liveAppointmentsOfClients, type AppointmentRow } from '../../db/appointments.js';
import {
  findClient,
  findClientsExactly,
  findContact,
  insertLink,
  linksOf,
  perpetratorsSideReuseOf,
  searchClients,
  setProtectedIdentity,
  upsertContact,
  type ClientRow,
  type LinkKind,
} from '../../db/clients.js';
import type { Db } from '../../db/connection.js';
import { intakesOf, waitingSince } from '../../db/intakes.js';
import { referrerOfIntake } from '../../db/contacts.js';
import { activeCareRelation, careTeamOf } from '../../db/journalEntries.js';
import { parseIdentityNumber } from '../../preload/personnummer.js';
import { sideOfTrack, type ClientDetail, type ClientSummary, type SafeContact, type SessionUser, type Side } from '../../preload/contract/index.js';
import { withinSeparationBuffer } from './bookingRules.js';
import { DomainError } from './errors.js';
import { readSettings } from './settings.js';
import { toAppointmentView } from './scheduling.js';
import { utcToLocal } from './time.js';

/** Who is asking: the signed-in person's id and roles. */
export type Viewer = Pick<SessionUser, 'id' | 'roles'>;

/**
 * Protected identity (skyddade personuppgifter): phone (with its safe-contact instructions) and
 * address only for admins and the client's own therapist — never for reception, lists, exports or logs.
 */
export function maySeeProtected(db: Db, client: ClientRow, viewer: Viewer): boolean {
  if (!client.protectedIdentity || viewer.roles.includes('admin')) return true;
  return viewer.roles.includes('therapist') && activeCareRelation(db, client.id, viewer.id);
}

/** A client as a list shows it. A protected client's phone is never in a list, whoever looks; the record shows it to those who may see it. */
function summary(db: Db, client: ClientRow, viewer: Viewer, shownIn: 'list' | 'record' = 'list'): ClientSummary {
  const contact = findContact(db, client.id);
  const hidden = client.protectedIdentity && (shownIn === 'list' || !maySeeProtected(db, client, viewer));
  return {
    id: client.id,
    track: client.track,
    name: client.name,
    isAlias: client.isAlias,
    birthYear: client.birthYear,
    personalNumber: client.personalNumber,
    municipalityCode: client.municipalityCode,
    protectedIdentity: client.protectedIdentity,
    phone: hidden ? null : (contact?.phone ?? null),
    // The instructions travel with the number: where a number is shown, how to use it is shown too.
    safeContact:
      hidden || !contact
        ? null
        : {
            safeToCall: contact.safeToCall,
            safeToText: contact.safeToText,
            safeVoicemail: contact.safeVoicemail,
            safeTimes: contact.safeTimes ?? '',
            codeWord: contact.codeWord ?? '',
            instructions: contact.instructions ?? '',
          },
    firstContactAt: client.firstContactAt,
  };
}

export function clientOfSide(db: Db, side: Side, clientId: string): ClientRow {
  const client = findClient(db, clientId);
  if (!client || sideOfTrack(client.track) !== side) throw new DomainError('NOT_FOUND', 'error.client.notFound');
  return client;
}

export function searchClientsOfSide(db: Db, side: Side, query: string, viewer: Viewer, now: Date): ClientSummary[] {
  const identity = parseIdentityNumber(query, now);
  const digits = identity.valid ? identity.normalised.replace('-', '') : query.replace(/\D/g, '').length >= 4 ? query.replace(/\D/g, '') : null;
  const seesAllProtected = viewer.roles.includes('admin');
  const therapistId = viewer.roles.includes('therapist') ? viewer.id : '';
  return searchClients(db, side, { text: query, digits }, { seesAllProtected, therapistId }).map((client) => summary(db, client, viewer));
}

export function clientDetail(db: Db, side: Side, clientId: string, viewer: Viewer, now: Date = new Date()): ClientDetail {
  const client = clientOfSide(db, side, clientId);
  const contact = findContact(db, clientId);
  const hidden = !maySeeProtected(db, client, viewer);
  return {
    ...summary(db, client, viewer, 'record'),
    gender: client.gender,
    language: client.language,
    interpreterNeeded: client.interpreterNeeded,
    childrenUnder18: client.childrenUnder18,
    siteId: client.siteId,
    address: hidden ? null : (contact?.address ?? null),
    links: linksOf(db, clientId).map((link) => {
      const otherSide = sideOfTrack(link.otherTrack) !== side;
      // A view of one side never shows a name from the other: only that a link exists, and its kind.
      return {
        id: link.id,
        kind: link.kind,
        otherSide,
        otherClientId: otherSide ? null : link.otherClientId,
        otherName: otherSide ? null : link.otherName,
      };
    }),
    intakes: intakesOf(db, clientId).map((intake) => ({
      id: intake.id,
      receivedAt: intake.receivedAt,
      contactBy: intake.contactBy,
      referralSource: intake.referralSource as ClientDetail['intakes'][number]['referralSource'],
      urgency: intake.urgency,
      outcome: intake.outcome,
      referredTo: intake.referredTo,
      referrer: intake.referrerContactId ? referrerOfIntake(db, intake.id) : null,
      routing: { decision: intake.routing, reason: intake.routingReason },
    })),
    appointments: appointmentsOfClient(db, clientId)
      .filter((appointment) => appointment.side === side)
      .map(toAppointmentView),
    onWaitingListSince: waitingSince(db, clientId),
    careTeam: careTeamOf(db, clientId),
    // Only ever on the victims' side, and only about a later first call there: the victims' side cannot probe numbers with it.
    identityNumberReusedAt: side === 'victims' ? perpetratorsSideReuseOf(db, clientId) : null,
    separationClashes: side === 'victims' ? ownClashes(db, clientId, 'victims', now) : [],
  };
}

/**
 * The client's own coming appointments that break the safety buffer with a linked person's (a link
 * made after both were booked). Told only on the victims' side, which may know why; the perpetrators'
 * side is never told which of its times lie near hers.
 */
function ownClashes(db: Db, clientId: string, side: Side, now: Date): { appointmentId: string; date: string; start: string }[] {
  const own = new Map<string, AppointmentRow>();
  for (const link of linksOf(db, clientId)) {
    for (const pair of conflictsOfLink(db, clientId, link.otherClientId, now)) own.set(pair[side].id, pair[side]);
  }
  return [...own.values()]
    .sort((x, y) => x.startsAt.localeCompare(y.startsAt))
    .map((appointment) => ({
      appointmentId: appointment.id,
      date: utcToLocal(appointment.startsAt).date,
      start: utcToLocal(appointment.startsAt).time,
    }));
}

export function updateClientContact(
  db: Db,
  side: Side,
  clientId: string,
  change: { safeContact: SafeContact; address: string; protectedIdentity: boolean },
  viewer: Viewer,
): ClientDetail {
  const client = clientOfSide(db, side, clientId);
  // Someone who cannot see a protected client's contact details cannot change them either: the phone,
  // its instructions and the address stay exactly as they were, whatever the save carries.
  if (maySeeProtected(db, client, viewer)) {
    upsertContact(db, clientId, {
      phone: change.safeContact.phone || null,
      address: change.address || null,
      safeToCall: change.safeContact.safeToCall,
      safeToText: change.safeContact.safeToText,
      safeVoicemail: change.safeContact.safeVoicemail,
      safeTimes: change.safeContact.safeTimes || null,
      codeWord: change.safeContact.codeWord || null,
      instructions: change.safeContact.instructions || null,
    });
  }
  // Protection can be switched on by anyone who learns of it; only an admin may lift it.
  if (change.protectedIdentity !== client.protectedIdentity) {
    if (!change.protectedIdentity && !viewer.roles.includes('admin'))
      throw new DomainError('FORBIDDEN', 'error.protected.lift', { protectedIdentity: 'error.protected.lift' });
    setProtectedIdentity(db, clientId, change.protectedIdentity);
  }
  return clientDetail(db, side, clientId, viewer);
}

export function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 3)
    .map((part) => `${part[0]!.toUpperCase()}.`)
    .join(' ');
}

/**
 * Stand-ins for clients of the other side found for linking: the lookup answers with a handle, never
 * the client's id, and a link or a first call names them by it. Kept per open journal, so locking drops them.
 */
const linkHandles = new WeakMap<Db, Map<string, string>>();
const HANDLE_PREFIX = 'link-';
const MAX_HANDLES = 500;

function handleFor(db: Db, clientId: string): string {
  let handles = linkHandles.get(db);
  if (!handles) linkHandles.set(db, (handles = new Map()));
  if (handles.size >= MAX_HANDLES) handles.delete(handles.keys().next().value!);
  const handle = `${HANDLE_PREFIX}${randomUUID()}`;
  handles.set(handle, clientId);
  return handle;
}

/** The client a link names: a handle from the lookup, or a client's own id; null when it names nobody. */
export function resolveLinkTarget(db: Db, ref: string): string | null {
  const id = ref.startsWith(HANDLE_PREFIX) ? linkHandles.get(db)?.get(ref) : ref;
  return id && findClient(db, id) ? id : null;
}

export interface LinkCandidate {
  id: string;
  track: ClientRow['track'] | null;
  initials: string | null;
  birthYear: number | null;
  otherSide: boolean;
  /** The client's real id, for the access log only (never sent to the screen: the contract strips it). */
  clientId: string;
}

/**
 * The deliberate lookup to record a known relation: exact name or identity number. Clients of the
 * caller's side come back as initials and birth year; a client of the other side only as "someone on
 * the other side" behind a handle, so this side learns nothing of them but that the person it named is known.
 */
export function findForLink(db: Db, side: Side, query: string, now: Date): LinkCandidate[] {
  const identity = parseIdentityNumber(query, now);
  return findClientsExactly(db, { name: query, personalNumber: identity.valid ? identity.normalised : null }).map((client) =>
    sideOfTrack(client.track) === side
      ? { id: client.id, track: client.track, initials: initialsOf(client.name), birthYear: client.birthYear, otherSide: false, clientId: client.id }
      : { id: handleFor(db, client.id), track: null, initials: null, birthYear: null, otherSide: true, clientId: client.id },
  );
}

/** Pairs of future appointments of two linked clients across sides that break the separation rule. */
export function conflictsOfLink(
  db: Db,
  clientId: string,
  otherClientId: string,
  now: Date,
): { victims: AppointmentRow; perpetrators: AppointmentRow }[] {
  const a = findClient(db, clientId);
  const b = findClient(db, otherClientId);
  if (!a || !b || sideOfTrack(a.track) === sideOfTrack(b.track)) return [];
  const buffer = readSettings(db).separationBufferMinutes;
  const from = now.toISOString();
  const far = '9999-12-31T00:00:00.000Z';
  const conflicts: { victims: AppointmentRow; perpetrators: AppointmentRow }[] = [];
  const mine = liveAppointmentsOfClients(db, [a.id], null, from, far);
  const theirs = liveAppointmentsOfClients(db, [b.id], null, from, far);
  for (const x of mine) {
    for (const y of theirs) {
      if (x.siteId !== y.siteId) continue;
      if (
        !withinSeparationBuffer(
          { start: Date.parse(x.startsAt), end: Date.parse(x.endsAt) },
          { start: Date.parse(y.startsAt), end: Date.parse(y.endsAt) },
          buffer,
        )
      )
        continue;
      const [victims, perpetrators] = x.side === 'victims' ? [x, y] : [y, x];
      conflicts.push({ victims, perpetrators });
    }
  }
  return conflicts;
}

/**
 * Links two clients. The client linked from must be of the caller's side; the other may be of either
 * (named by the lookup's handle when across). The link is recorded even when appointments already
 * clash: it is a safety fact. The caller is told only its own side's appointments that must now be
 * moved (ids, dates, its own times) — never when the other side's are — and which linked clients'
 * appointments shaped that answer, for the access log.
 */
export function linkClients(
  db: Db,
  input: { side: Side; clientId: string; otherClientId: string; kind: LinkKind },
  by: string,
  now: Date,
): { linkId: string; otherClientId: string; conflicts: { appointmentId: string; date: string; start: string }[]; clashes: number } {
  const client = findClient(db, input.clientId);
  if (!client || sideOfTrack(client.track) !== input.side) {
    const error = new DomainError('NOT_FOUND', 'error.client.notFound', { clientId: 'error.client.notFound' });
    // Not found from this side, yet the attempt stays in that client's own extract.
    if (client) error.trace = [{ clientId: client.id, record: 'refusal:other-side' }];
    throw error;
  }
  const otherClientId = resolveLinkTarget(db, input.otherClientId);
  if (!otherClientId) throw new DomainError('NOT_FOUND', 'error.client.notFound', { otherClientId: 'error.client.notFound' });
  if (client.id === otherClientId) throw new DomainError('INVALID_INPUT', 'error.link.self', { otherClientId: 'error.link.self' });
  const linkId = randomUUID();
  insertLink(db, { id: linkId, clientA: client.id, clientB: otherClientId, kind: input.kind, createdAt: now.toISOString(), createdBy: by });
  // The victims' side is told which of its own times now break the buffer (and sees them on her record
  // until they are moved). The perpetrators' side is told nothing: which of his times clash would say
  // when she comes. A link made there is resolved by moving her times, on her side.
  const conflicts = input.side === 'victims' ? ownClashes(db, client.id, 'victims', now) : [];
  // For the access log only (never in the answer): how many appointment pairs of the two clash.
  const clashes = conflictsOfLink(db, client.id, otherClientId, now).length;
  return { linkId, otherClientId, conflicts, clashes };
}
