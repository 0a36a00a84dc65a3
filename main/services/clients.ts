import { randomUUID } from 'node:crypto';
import { appointmentsOfClient, liveAppointmentsOfClients, type AppointmentRow } from '../../db/appointments/index.js';
import {
  findClient,
  findClientRecord,
  findClientsExactly,
  insertLink,
  linksOf,
  searchClients,
  setProtectedIdentity,
  tracksOfClients,
  updateClientRecord,
  upsertContact,
  clientsByPersonalNumber,
  type ClientRow,
  type ClientWithContact,
  type LinkKind,
  type LinkRow,
} from '../../db/clients/index.js';
import type { Tx } from '../../db/engine/store.js';
import { intakesOf } from '../../db/intakes/index.js';
import { activeCareRelation, careTeamOf } from '../../db/journalEntries/index.js';
import { findMunicipality } from '../../db/org/index.js';
import { parseIdentityNumber } from '../../preload/personnummer.js';
import {
  sideOfTrack,
  type ClientDetail,
  type ClientRecordInput,
  type ClientSummary,
  type SafeContact,
  type SessionUser,
  type Side,
} from '../../preload/contract/index.js';
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
export async function maySeeProtected(tx: Tx, client: Pick<ClientRow, 'id' | 'protectedIdentity'>, viewer: Viewer): Promise<boolean> {
  if (!client.protectedIdentity || viewer.roles.includes('admin')) return true;
  return viewer.roles.includes('therapist') && (await activeCareRelation(tx, client.id, viewer.id));
}

/**
 * A client as a list shows it, or (hidden: false) as the record shows it to someone who may see
 * protected details. A protected client's phone is never in a list, whoever looks.
 */
function summary(client: ClientWithContact, hidden: boolean): ClientSummary {
  const contact = client.contact;
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

const notFound = () => new DomainError('NOT_FOUND', 'error.client.notFound');

export async function clientOfSide(tx: Tx, side: Side, clientId: string): Promise<ClientRow> {
  const client = await findClient(tx, clientId);
  if (!client || sideOfTrack(client.track) !== side) throw notFound();
  return client;
}

/** One statement, at most its LIMIT of rows, whatever the journal holds: search as you type stays cheap. */
export async function searchClientsOfSide(tx: Tx, side: Side, query: string, viewer: Viewer, now: Date): Promise<ClientSummary[]> {
  const identity = parseIdentityNumber(query, now);
  const typed = query.replace(/\D/g, '');
  const digits = identity.valid ? identity.normalised.replace('-', '') : typed.length >= 4 ? typed : null;
  const seesAllProtected = viewer.roles.includes('admin');
  const therapistId = viewer.roles.includes('therapist') ? viewer.id : '';
  // A phone number is matched by the digits as typed: a mobile number typed without spaces can read
  // as a valid personnummer (0701125502 as 20070112-5502), whose twelve digits no phone contains.
  const found = await searchClients(tx, side, { text: query, digits, phoneDigits: typed }, { seesAllProtected, therapistId });
  return found.map((client) => summary(client, client.protectedIdentity));
}

export async function clientDetail(tx: Tx, side: Side, clientId: string, viewer: Viewer, now: Date = new Date()): Promise<ClientDetail> {
  const client = await findClientRecord(tx, clientId);
  if (!client || sideOfTrack(client.track) !== side) throw notFound();
  // The care team read once: it also says whether this therapist may see protected details (as maySeeProtected would).
  const careTeam = await careTeamOf(tx, clientId);
  const hidden = !(
    !client.protectedIdentity ||
    viewer.roles.includes('admin') ||
    (viewer.roles.includes('therapist') && careTeam.some((relation) => relation.therapistId === viewer.id))
  );
  const links = await linksOf(tx, clientId);
  const intakes = await intakesOf(tx, clientId);
  return {
    ...summary(client, hidden),
    gender: client.gender,
    language: client.language,
    interpreterNeeded: client.interpreterNeeded,
    childrenUnder18: client.childrenUnder18,
    siteId: client.siteId,
    address: hidden ? null : (client.contact?.address ?? null),
    links: links.map((link) => {
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
    intakes: intakes.map((intake) => ({
      id: intake.id,
      receivedAt: intake.receivedAt,
      contactBy: intake.contactBy,
      referralSource: intake.referralSource as ClientDetail['intakes'][number]['referralSource'],
      urgency: intake.urgency,
      reason: intake.reason,
      outcome: intake.outcome,
      referredTo: intake.referredTo,
      referrer: intake.referrerContactId ? intake.referrer : null,
      routing: { decision: intake.routing, reason: intake.routingReason },
    })),
    appointments: (await appointmentsOfClient(tx, clientId)).filter((appointment) => appointment.side === side).map(toAppointmentView),
    onWaitingListSince: client.waitingSince,
    careTeam,
    // Only ever on the victims' side, and only about a later first call there: the victims' side cannot probe numbers with it.
    identityNumberReusedAt: side === 'victims' ? client.perpetratorsSideReuseAt : null,
    separationClashes: side === 'victims' ? await ownClashes(tx, client, comingTimes(tx, client.id, now), links, 'victims', now) : [],
  };
}

type Clash = { victims: AppointmentRow; perpetrators: AppointmentRow };

/** Pairs of a client's and other people's appointments that break the separation rule (same site, within the buffer). */
function clashesBetween(mine: AppointmentRow[], theirs: AppointmentRow[], buffer: number): Clash[] {
  const clashes: Clash[] = [];
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
      clashes.push({ victims, perpetrators });
    }
  }
  return clashes;
}

const FAR = '9999-12-31T00:00:00.000Z';
const liveFrom = (tx: Tx, clientIds: string[], now: Date) => liveAppointmentsOfClients(tx, clientIds, null, now.toISOString(), FAR);

/** A client's own coming appointments and the buffer they are kept apart by, read once per call and only when needed. */
type ComingTimes = () => Promise<{ mine: AppointmentRow[]; buffer: number }>;

function comingTimes(tx: Tx, clientId: string, now: Date): ComingTimes {
  let read: Promise<{ mine: AppointmentRow[]; buffer: number }> | null = null;
  return () =>
    (read ??= (async () => {
      const mine = await liveFrom(tx, [clientId], now);
      return { mine, buffer: mine.length > 0 ? (await readSettings(tx)).separationBufferMinutes : 0 };
    })());
}

/**
 * Pairs of a client's coming appointments and those of the people given on the other side that break
 * the separation rule: two statements for the appointments (and the buffer), however many people.
 */
async function clashesWith(
  tx: Tx,
  client: Pick<ClientRow, 'track'>,
  coming: ComingTimes,
  others: { id: string; track: ClientRow['track'] }[],
  now: Date,
): Promise<Clash[]> {
  const across = others.filter((other) => sideOfTrack(other.track) !== sideOfTrack(client.track)).map((other) => other.id);
  if (across.length === 0) return [];
  const { mine, buffer } = await coming();
  if (mine.length === 0) return [];
  return clashesBetween(mine, await liveFrom(tx, across, now), buffer);
}

/**
 * The client's own coming appointments that break the safety buffer with a linked person's (a link
 * made after both were booked). Told only on the victims' side, which may know why; the perpetrators'
 * side is never told which of its times lie near hers.
 */
async function ownClashes(
  tx: Tx,
  client: Pick<ClientRow, 'track'>,
  coming: ComingTimes,
  links: LinkRow[],
  side: Side,
  now: Date,
): Promise<{ appointmentId: string; date: string; start: string }[]> {
  const own = new Map<string, AppointmentRow>();
  const others = links.map((link) => ({ id: link.otherClientId, track: link.otherTrack }));
  for (const pair of await clashesWith(tx, client, coming, others, now)) own.set(pair[side].id, pair[side]);
  return [...own.values()]
    .sort((x, y) => x.startsAt.localeCompare(y.startsAt))
    .map((appointment) => ({
      appointmentId: appointment.id,
      date: utcToLocal(appointment.startsAt).date,
      start: utcToLocal(appointment.startsAt).time,
    }));
}

export async function updateClientContact(
  tx: Tx,
  side: Side,
  clientId: string,
  change: { safeContact: SafeContact; address: string; protectedIdentity: boolean },
  viewer: Viewer,
  now: Date = new Date(),
): Promise<ClientDetail> {
  const client = await clientOfSide(tx, side, clientId);
  // Someone who cannot see a protected client's contact details cannot change them either: the phone,
  // its instructions and the address stay exactly as they were, whatever the save carries.
  if (await maySeeProtected(tx, client, viewer)) {
    await upsertContact(tx, clientId, {
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
    await setProtectedIdentity(tx, clientId, change.protectedIdentity);
  }
  return clientDetail(tx, side, clientId, viewer, now);
}

/**
 * Corrects a record's facts (name, identity number, municipality, children, language, interpreter) by
 * the rules of the first call: an identity number held by another client of this side is refused, as
 * this side could find that client by searching; one held on the other side is never told — the save
 * goes through as for any new number, and the other side's record is only named in the access log
 * (and a victim's record shows that the perpetrators' side later gave her number, as after an intake).
 */
export async function updateClientRecordOfSide(
  tx: Tx,
  input: ClientRecordInput,
  viewer: Viewer,
  now: Date,
): Promise<{ detail: ClientDetail; sameNumberClientIds: string[] }> {
  const client = await clientOfSide(tx, input.side, input.clientId);
  const municipality = await findMunicipality(tx, input.municipalityCode);
  if (!municipality) throw new DomainError('INVALID_INPUT', 'error.municipality.required', { municipalityCode: 'error.municipality.required' });
  const identity = input.personalNumber ? parseIdentityNumber(input.personalNumber, now) : null;
  const personalNumber = identity?.valid ? identity.normalised : null;
  let sameNumberClientIds: string[] = [];
  if (personalNumber && personalNumber !== client.personalNumber) {
    const others = (await clientsByPersonalNumber(tx, personalNumber)).filter((other) => other.id !== client.id);
    if (others.some((other) => sideOfTrack(other.track) === input.side))
      throw new DomainError('CONFLICT', 'error.personalNumber.exists', { personalNumber: 'error.personalNumber.exists' });
    sameNumberClientIds = others.map((other) => other.id);
  }
  await updateClientRecord(tx, client.id, {
    name: input.name,
    isAlias: input.anonymous,
    personalNumber,
    // A valid number says the year of birth; without one, the year given at the first call stays.
    birthYear: identity?.valid ? identity.birthYear : client.birthYear,
    municipalityCode: municipality.code,
    childrenUnder18: input.childrenUnder18,
    language: input.language || null,
    interpreterNeeded: input.interpreterNeeded,
  });
  return { detail: await clientDetail(tx, input.side, client.id, viewer, now), sameNumberClientIds };
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
 * the client's id, and a link or a first call names them by it. Kept per session (the app host's
 * scope: the open journal's connection locally, the session on the server), so locking drops them.
 */
const linkHandles = new WeakMap<object, Map<string, string>>();
const HANDLE_PREFIX = 'link-';
const MAX_HANDLES = 500;

function handleFor(scope: object, clientId: string): string {
  let handles = linkHandles.get(scope);
  if (!handles) linkHandles.set(scope, (handles = new Map()));
  if (handles.size >= MAX_HANDLES) handles.delete(handles.keys().next().value!);
  const handle = `${HANDLE_PREFIX}${randomUUID()}`;
  handles.set(handle, clientId);
  return handle;
}

/** The client id a reference stands for: a handle's client, or the reference itself (not yet checked to exist). */
function referenced(scope: object, ref: string): string | null {
  return (ref.startsWith(HANDLE_PREFIX) ? linkHandles.get(scope)?.get(ref) : ref) ?? null;
}

/** The clients several link references name, in order: null for one that names nobody. One statement however many. */
export async function resolveLinkTargets(
  tx: Tx,
  scope: object,
  refs: readonly string[],
): Promise<({ id: string; track: ClientRow['track'] } | null)[]> {
  const ids = refs.map((ref) => referenced(scope, ref));
  const tracks = await tracksOfClients(
    tx,
    ids.filter((id): id is string => id !== null),
  );
  return ids.map((id) => {
    const track = id === null ? undefined : tracks.get(id);
    return id !== null && track ? { id, track } : null;
  });
}

/** The client a link names: a handle from the lookup, or a client's own id; null when it names nobody. */
export async function resolveLinkTarget(tx: Tx, scope: object, ref: string): Promise<string | null> {
  const id = referenced(scope, ref);
  return id && (await findClient(tx, id)) ? id : null;
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
export async function findForLink(tx: Tx, scope: object, side: Side, query: string, now: Date): Promise<LinkCandidate[]> {
  const identity = parseIdentityNumber(query, now);
  const found = await findClientsExactly(tx, { name: query, personalNumber: identity.valid ? identity.normalised : null });
  return found.map((client) =>
    sideOfTrack(client.track) === side
      ? { id: client.id, track: client.track, initials: initialsOf(client.name), birthYear: client.birthYear, otherSide: false, clientId: client.id }
      : { id: handleFor(scope, client.id), track: null, initials: null, birthYear: null, otherSide: true, clientId: client.id },
  );
}

/** Pairs of future appointments of a client and people linked to them across sides that break the separation rule. */
export async function conflictsOfLinks(
  tx: Tx,
  client: Pick<ClientRow, 'id' | 'track'>,
  others: { id: string; track: ClientRow['track'] }[],
  now: Date,
): Promise<Clash[]> {
  return clashesWith(tx, client, comingTimes(tx, client.id, now), others, now);
}

/**
 * Links two clients. The client linked from must be of the caller's side; the other may be of either
 * (named by the lookup's handle when across). The link is recorded even when appointments already
 * clash: it is a safety fact. The caller is told only its own side's appointments that must now be
 * moved (ids, dates, its own times) — never when the other side's are — and which linked clients'
 * appointments shaped that answer, for the access log.
 */
export async function linkClients(
  tx: Tx,
  scope: object,
  input: { side: Side; clientId: string; otherClientId: string; kind: LinkKind },
  by: string,
  now: Date,
): Promise<{ linkId: string; otherClientId: string; conflicts: { appointmentId: string; date: string; start: string }[]; clashes: number }> {
  const client = await findClient(tx, input.clientId);
  if (!client || sideOfTrack(client.track) !== input.side) {
    const error = new DomainError('NOT_FOUND', 'error.client.notFound', { clientId: 'error.client.notFound' });
    // Not found from this side, yet the attempt stays in that client's own extract.
    if (client) error.trace = [{ clientId: client.id, record: 'refusal:other-side' }];
    throw error;
  }
  const otherId = referenced(scope, input.otherClientId);
  const other = otherId ? await findClient(tx, otherId) : null;
  if (!other) throw new DomainError('NOT_FOUND', 'error.client.notFound', { otherClientId: 'error.client.notFound' });
  if (client.id === other.id) throw new DomainError('INVALID_INPUT', 'error.link.self', { otherClientId: 'error.link.self' });
  const linkId = randomUUID();
  await insertLink(tx, { id: linkId, clientA: client.id, clientB: other.id, kind: input.kind, createdAt: now.toISOString(), createdBy: by });
  // The victims' side is told which of its own times now break the buffer (and sees them on her record
  // until they are moved). The perpetrators' side is told nothing: which of his times clash would say
  // when she comes. A link made there is resolved by moving her times, on her side.
  const coming = comingTimes(tx, client.id, now);
  const conflicts = input.side === 'victims' ? await ownClashes(tx, client, coming, await linksOf(tx, client.id), 'victims', now) : [];
  // For the access log only (never in the answer): how many appointment pairs of the two clash.
  const clashes = (await clashesWith(tx, client, coming, [other], now)).length;
  return { linkId, otherClientId: other.id, conflicts, clashes };
}
