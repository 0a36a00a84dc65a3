import { sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import type { ClientContactsTable, ClientsTable, Database, Gender, Side, Track } from '../engine/schema.js';
import { reusableQuery, reusableQueryOf } from '../engine/compiled.js';
import { amongRows, plannedApart } from '../engine/amongRows.js';
import type { Tx } from '../engine/store.js';

/**
 * Clients, their safe-contact details and the links between them (#13: async over the Store's
 * transaction, the same functions for SQLite and PostgreSQL). Every function reads a bounded set:
 * one statement, whatever the journal holds.
 */

export type { Side, Track } from '../engine/schema.js';

export interface NewClient {
  id: string;
  track: Track;
  name: string;
  isAlias: boolean;
  personalNumber: string | null;
  birthYear: number | null;
  protectedIdentity: boolean;
  createdAt: string;
  createdBy: string;
  gender?: Gender;
  municipalityCode?: string | null;
  language?: string | null;
  interpreterNeeded?: boolean;
  siteId?: string | null;
  childrenUnder18?: number;
  firstContactAt?: string | null;
}

export interface ClientRow {
  id: string;
  track: Track;
  name: string;
  isAlias: boolean;
  personalNumber: string | null;
  birthYear: number | null;
  protectedIdentity: boolean;
  gender: Gender;
  municipalityCode: string | null;
  language: string | null;
  interpreterNeeded: boolean;
  siteId: string | null;
  childrenUnder18: number;
  firstContactAt: string | null;
  createdAt: string;
}

export interface ContactRow {
  phone: string | null;
  safeToCall: boolean;
  safeToText: boolean;
  safeVoicemail: boolean;
  safeTimes: string | null;
  codeWord: string | null;
  instructions: string | null;
  address: string | null;
}

/** A client with their contact details (null when none were ever saved), read in one statement. */
export interface ClientWithContact extends ClientRow {
  contact: ContactRow | null;
}

/** A client's record as the record screen needs it from this domain's tables, read in one statement. */
export interface ClientRecord extends ClientWithContact {
  /** When the open waiting-list entry was added; null when not waiting. */
  waitingSince: string | null;
  /** See perpetratorsSideReuseOf. */
  perpetratorsSideReuseAt: string | null;
}

export type LinkKind = 'partner' | 'former_partner' | 'parent_child' | 'other';

export interface LinkRow {
  id: string;
  otherClientId: string;
  kind: LinkKind;
  otherTrack: Track;
  otherName: string;
}

/** Lower-case, accents kept, spaces folded: what a name prefix search compares against. */
export function searchKey(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

const TRACKS_OF_SIDE: Record<Side, Track[]> = { victims: ['victim', 'child'], perpetrators: ['perpetrator'] };
export const tracksOfSide = (side: Side): Track[] => TRACKS_OF_SIDE[side];
const acrossTracksOf = (track: Track): Track[] => (track === 'perpetrator' ? ['victim', 'child'] : ['perpetrator']);

/** The highest code point: every key that starts with a prefix sorts below prefix + this, in SQLite's BINARY and PostgreSQL's "C". */
const AFTER_PREFIX = '\u{10FFFF}';

const flag = (value: boolean | undefined): 0 | 1 => (value ? 1 : 0);

export async function insertClient(tx: Tx, client: NewClient): Promise<void> {
  await tx
    .insertInto('clients')
    .values({
      id: client.id,
      track: client.track,
      name: client.name,
      is_alias: flag(client.isAlias),
      personal_number: client.personalNumber,
      birth_year: client.birthYear,
      protected_identity: flag(client.protectedIdentity),
      created_at: client.createdAt,
      created_by: client.createdBy,
      gender: client.gender ?? 'unknown',
      municipality_code: client.municipalityCode ?? null,
      language: client.language ?? null,
      interpreter_needed: flag(client.interpreterNeeded),
      site_id: client.siteId ?? null,
      children_under_18: client.childrenUnder18 ?? 0,
      first_contact_at: client.firstContactAt ?? client.createdAt,
      search_name: searchKey(client.name),
    })
    .execute();
}

/** A client's stored columns, of `clients as c` (the client search, a journal's opening). */
export const CLIENT_COLUMNS = [
  'c.id',
  'c.track',
  'c.name',
  'c.is_alias',
  'c.personal_number',
  'c.birth_year',
  'c.protected_identity',
  'c.gender',
  'c.municipality_code',
  'c.language',
  'c.interpreter_needed',
  'c.site_id',
  'c.children_under_18',
  'c.first_contact_at',
  'c.created_at',
] as const;

export type RawClient = Pick<
  Selectable<ClientsTable>,
  | 'id'
  | 'track'
  | 'name'
  | 'is_alias'
  | 'personal_number'
  | 'birth_year'
  | 'protected_identity'
  | 'gender'
  | 'municipality_code'
  | 'language'
  | 'interpreter_needed'
  | 'site_id'
  | 'children_under_18'
  | 'first_contact_at'
  | 'created_at'
>;

function toClient(row: RawClient): ClientRow {
  return {
    id: row.id,
    track: row.track,
    name: row.name,
    isAlias: row.is_alias === 1,
    personalNumber: row.personal_number,
    birthYear: row.birth_year,
    protectedIdentity: row.protected_identity === 1,
    gender: row.gender,
    municipalityCode: row.municipality_code,
    language: row.language,
    interpreterNeeded: row.interpreter_needed === 1,
    siteId: row.site_id,
    childrenUnder18: row.children_under_18,
    firstContactAt: row.first_contact_at,
    createdAt: row.created_at,
  };
}

type RawContact = Pick<
  Selectable<ClientContactsTable>,
  'phone' | 'safe_to_call' | 'safe_to_text' | 'safe_voicemail' | 'safe_times' | 'code_word' | 'instructions' | 'address'
>;

function toContact(row: RawContact): ContactRow {
  return {
    phone: row.phone,
    safeToCall: row.safe_to_call === 1,
    safeToText: row.safe_to_text === 1,
    safeVoicemail: row.safe_voicemail === 1,
    safeTimes: row.safe_times,
    codeWord: row.code_word,
    instructions: row.instructions,
    address: row.address,
  };
}

/** The contact columns of a LEFT JOIN, named apart from the client's; contact_client_id tells whether there was a row. */
export function contactColumns(eb: ExpressionBuilder<Database & { k: ClientContactsTable }, 'k'>) {
  return [
    eb.ref('k.client_id').as('contact_client_id'),
    eb.ref('k.phone').as('contact_phone'),
    eb.ref('k.safe_to_call').as('contact_safe_to_call'),
    eb.ref('k.safe_to_text').as('contact_safe_to_text'),
    eb.ref('k.safe_voicemail').as('contact_safe_voicemail'),
    eb.ref('k.safe_times').as('contact_safe_times'),
    eb.ref('k.code_word').as('contact_code_word'),
    eb.ref('k.instructions').as('contact_instructions'),
    eb.ref('k.address').as('contact_address'),
  ];
}

export interface RawJoinedContact {
  contact_client_id: string | null;
  contact_phone: string | null;
  contact_safe_to_call: 0 | 1 | null;
  contact_safe_to_text: 0 | 1 | null;
  contact_safe_voicemail: 0 | 1 | null;
  contact_safe_times: string | null;
  contact_code_word: string | null;
  contact_instructions: string | null;
  contact_address: string | null;
}

/** A client row with the contact columns of a LEFT JOIN (contactColumns), as a client with their contact details. */
export function toClientWithContact(row: RawClient & RawJoinedContact): ClientWithContact {
  return {
    ...toClient(row),
    contact:
      row.contact_client_id === null
        ? null
        : toContact({
            phone: row.contact_phone,
            safe_to_call: row.contact_safe_to_call ?? 0,
            safe_to_text: row.contact_safe_to_text ?? 0,
            safe_voicemail: row.contact_safe_voicemail ?? 0,
            safe_times: row.contact_safe_times,
            code_word: row.contact_code_word,
            instructions: row.contact_instructions,
            address: row.contact_address,
          }),
  };
}

const clientById = reusableQuery(1, (tx: Tx, id: string) => tx.selectFrom('clients as c').select(CLIENT_COLUMNS).where('c.id', '=', id));

export async function findClient(tx: Tx, id: string): Promise<ClientRow | null> {
  const row = await clientById.first(tx, id);
  return row ? toClient(row) : null;
}

const clientWithContactById = reusableQuery(1, (tx: Tx, id: string) =>
  tx
    .selectFrom('clients as c')
    .leftJoin('client_contacts as k', 'k.client_id', 'c.id')
    .select(CLIENT_COLUMNS)
    .select((eb) => contactColumns(eb))
    .where('c.id', '=', id),
);

/** The client and their contact details (null: no row, or none this transaction may see), in one statement. */
export async function findClientWithContact(tx: Tx, id: string): Promise<ClientWithContact | null> {
  const row = await clientWithContactById.first(tx, id);
  return row ? toClientWithContact(row) : null;
}

/** The tracks of the clients named that exist (an id that names nobody is left out). */
export async function tracksOfClients(tx: Tx, ids: readonly string[]): Promise<Map<string, Track>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .selectFrom('clients')
    .select(['id', 'track'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, row.track]));
}

/**
 * The client, their contact details, their open waiting-list entry and the perpetrators' side's
 * later use of their identity number, in one statement (the caller decides what its side may learn).
 */
export async function findClientRecord(tx: Tx, id: string): Promise<ClientRecord | null> {
  const row = await tx
    .selectFrom('clients as c')
    .leftJoin('client_contacts as k', 'k.client_id', 'c.id')
    .select(CLIENT_COLUMNS)
    .select((eb) => contactColumns(eb))
    .select((eb) => [
      eb
        .selectFrom('waiting_list as w')
        .select('w.added_at')
        .where('w.client_id', '=', eb.ref('c.id'))
        .where('w.removed_at', 'is', null)
        .limit(1)
        .as('waiting_since'),
      reuseOf(eb).as('reuse_at'),
    ])
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return { ...toClientWithContact(row), waitingSince: row.waiting_since, perpetratorsSideReuseAt: row.reuse_at };
}

/**
 * See perpetratorsSideReuseOf: the earliest later first call on the perpetrators' side with client c's
 * identity number. Joined from c's own row again so that SQLite reads the others through the
 * identity-number index (correlated on c alone, it walked every perpetrator through the track index).
 */
function reuseOf(eb: ExpressionBuilder<Database & { c: ClientsTable }, 'c'>) {
  return eb
    .selectFrom('clients as v')
    .innerJoin('clients as o', (join) => join.onRef('o.personal_number', '=', 'v.personal_number').onRef('o.id', '<>', 'v.id'))
    .select((inner) => inner.fn.min('o.created_at').as('at'))
    .whereRef('v.id', '=', 'c.id')
    .where('v.personal_number', 'is not', null)
    .where('v.track', 'in', ['victim', 'child'])
    .where('o.track', '=', 'perpetrator')
    .whereRef('o.created_at', '>', 'v.created_at');
}

/** What decides the client search's statement text; everything else about a search is a value. */
interface SearchShape {
  digits: boolean;
  seesAllProtected: boolean;
  therapist: boolean;
}

/** A search's values; those of a shape that does not use them (the digits' patterns, the therapist) are left out of its query. */
interface SearchValues {
  tracks: Track[];
  key: string;
  afterKey: string;
  wordPattern: string;
  limit: number;
  numberPattern: string;
  phonePattern: string;
  therapistId: string;
}

/** The values a shape's query takes, in order. */
function searchValueNames(shape: SearchShape): (keyof SearchValues)[] {
  return [
    'tracks',
    'key',
    'afterKey',
    'wordPattern',
    'limit',
    ...(shape.digits ? (['numberPattern', 'phonePattern'] as const) : []),
    ...(shape.digits && shape.therapist ? (['therapistId'] as const) : []),
  ];
}

/**
 * The client search of one shape as a reusable query (compiled.ts): built and compiled once, and on
 * PostgreSQL kept prepared on each connection, where planning it for each call was a sixth to a
 * quarter of the search's backend CPU.
 */
function searchQuery(shape: SearchShape) {
  return reusableQueryOf<SearchValues, RawClient & RawJoinedContact>(
    searchValueNames(shape),
    (tx, { tracks, key, afterKey, wordPattern, limit, numberPattern, phonePattern, therapistId }) => {
      return tx
        .selectFrom('clients as c')
        .leftJoin('client_contacts as k', 'k.client_id', 'c.id')
        .select(CLIENT_COLUMNS)
        .select((eb) => contactColumns(eb))
        .where('c.track', 'in', tracks)
        .where((eb) => {
          const matches: Expression<SqlBool>[] = [
            eb.and([eb('c.search_name', '>=', key), eb('c.search_name', '<', afterKey)]),
            eb('c.search_name', 'like', sql<string>`${wordPattern} ESCAPE '\\'`),
          ];
          if (shape.digits) {
            matches.push(eb(eb.fn('replace', ['c.personal_number', sql.lit('-'), sql.lit('')]), 'like', numberPattern));
            // A protected client's phone is matched only for those who may see it (admins, her own therapist):
            // otherwise a search would confirm her number digit by digit. The phones are read apart from the
            // joined contact (the same row, under the same row policies): on PostgreSQL read once and hashed,
            // instead of the contact of every client of the side looked up and judged one by one.
            const phone = amongRows(
              tx,
              eb.ref('c.id'),
              eb
                .selectFrom(plannedApart(tx, eb.selectFrom('client_contacts').select(['client_id', 'phone_digits'])).as('p'))
                .select('p.client_id')
                .where('p.phone_digits', 'like', phonePattern),
              sql.ref('p.client_id'),
            );
            if (shape.seesAllProtected) matches.push(phone);
            else {
              const mayMatch = [eb('c.protected_identity', '=', 0)];
              if (shape.therapist) {
                mayMatch.push(
                  eb.exists(
                    eb
                      .selectFrom('care_relations as r')
                      .innerJoin('users as u', (join) => join.onRef('u.id', '=', 'r.therapist_id').on('u.active', '=', 1))
                      .innerJoin('therapist_tracks as t', (join) => join.onRef('t.user_id', '=', 'r.therapist_id').onRef('t.track', '=', 'c.track'))
                      .select(sql.lit(1).as('one'))
                      .whereRef('r.client_id', '=', 'c.id')
                      .where('r.therapist_id', '=', therapistId)
                      .where('r.ended_at', 'is', null),
                  ),
                );
              }
              matches.push(eb.and([phone, eb.or(mayMatch)]));
            }
          }
          return eb.or(matches);
        })
        .orderBy('c.search_name')
        .limit(limit);
    },
  );
}

const searchQueries = new Map<string, ReturnType<typeof searchQuery>>();

/**
 * Clients of one side whose name (or a word of it) starts with the query, whose identity number
 * ends with the digits given, or whose phone number contains the digits typed (`phoneDigits`, by
 * default the same digits) — with their contact details, in one statement of at most `limit` rows.
 */
export async function searchClients(
  tx: Tx,
  side: Side,
  query: { text: string; digits: string | null; phoneDigits?: string },
  viewer: { seesAllProtected: boolean; therapistId: string },
  limit = 50,
): Promise<ClientWithContact[]> {
  const key = searchKey(query.text);
  const escapedKey = key.replace(/[\\%_]/g, (ch) => `\\${ch}`);
  const shape: SearchShape = {
    digits: query.digits !== null,
    seesAllProtected: viewer.seesAllProtected,
    therapist: !viewer.seesAllProtected && viewer.therapistId !== '',
  };
  const name = `${shape.digits}:${shape.seesAllProtected}:${shape.therapist}`;
  let search = searchQueries.get(name);
  if (!search) {
    search = searchQuery(shape);
    searchQueries.set(name, search);
  }
  const values: SearchValues = {
    tracks: tracksOfSide(side),
    key,
    afterKey: `${key}${AFTER_PREFIX}`,
    wordPattern: `% ${escapedKey}%`,
    limit,
    numberPattern: `%${query.digits ?? ''}`,
    phonePattern: `%${query.phoneDigits ?? query.digits ?? ''}%`,
    therapistId: viewer.therapistId,
  };
  const rows = await search.all(tx, values);
  return rows.map(toClientWithContact);
}

/** A deliberate lookup across sides for linking: exact identity number or exact name only. */
export async function findClientsExactly(tx: Tx, query: { name: string; personalNumber: string | null }, limit = 10): Promise<ClientRow[]> {
  const rows = await tx
    .selectFrom('clients as c')
    .select(CLIENT_COLUMNS)
    .where((eb) => {
      const name = eb('c.search_name', '=', searchKey(query.name));
      return query.personalNumber === null ? name : eb.or([name, eb('c.personal_number', '=', query.personalNumber)]);
    })
    .limit(limit)
    .execute();
  return rows.map(toClient);
}

function contactValues(contact: ContactRow) {
  return {
    phone: contact.phone,
    phone_digits: contact.phone ? contact.phone.replace(/\D/g, '') : null,
    safe_to_call: flag(contact.safeToCall),
    safe_to_text: flag(contact.safeToText),
    safe_voicemail: flag(contact.safeVoicemail),
    safe_times: contact.safeTimes,
    code_word: contact.codeWord,
    instructions: contact.instructions,
    address: contact.address,
  };
}

export async function upsertContact(tx: Tx, clientId: string, contact: ContactRow): Promise<void> {
  const values = contactValues(contact);
  await tx
    .insertInto('client_contacts')
    .values({ client_id: clientId, ...values })
    .onConflict((conflict) => conflict.column('client_id').doUpdateSet(values))
    .execute();
}

/**
 * A new client's contact details, in a plain insert (a second one for the client is refused). The
 * intake's write: on PostgreSQL reception records a protected client's details but may not read
 * them back, which an upsert (ON CONFLICT DO UPDATE) must be able to do, so there it would be refused.
 */
export async function insertContact(tx: Tx, clientId: string, contact: ContactRow): Promise<void> {
  await tx
    .insertInto('client_contacts')
    .values({ client_id: clientId, ...contactValues(contact) })
    .execute();
}

/** The fields of a client's record that reception edits (never their contact details or protection: those have their own save). */
export interface ClientRecordChange {
  name: string;
  isAlias: boolean;
  personalNumber: string | null;
  birthYear: number | null;
  municipalityCode: string;
  childrenUnder18: number;
  language: string | null;
  interpreterNeeded: boolean;
}

export async function updateClientRecord(tx: Tx, clientId: string, change: ClientRecordChange): Promise<void> {
  await tx
    .updateTable('clients')
    .set({
      name: change.name,
      // The prefix search reads this key: it follows the name.
      search_name: searchKey(change.name),
      is_alias: flag(change.isAlias),
      personal_number: change.personalNumber,
      birth_year: change.birthYear,
      municipality_code: change.municipalityCode,
      children_under_18: change.childrenUnder18,
      language: change.language,
      interpreter_needed: flag(change.interpreterNeeded),
    })
    .where('id', '=', clientId)
    .execute();
}

export async function setProtectedIdentity(tx: Tx, clientId: string, value: boolean): Promise<void> {
  await tx
    .updateTable('clients')
    .set({ protected_identity: flag(value) })
    .where('id', '=', clientId)
    .execute();
}

const contactOfClient = reusableQuery(1, (tx: Tx, clientId: string) =>
  tx
    .selectFrom('client_contacts')
    .select(['phone', 'safe_to_call', 'safe_to_text', 'safe_voicemail', 'safe_times', 'code_word', 'instructions', 'address'])
    .where('client_id', '=', clientId),
);

export async function findContact(tx: Tx, clientId: string): Promise<ContactRow | null> {
  const row = await contactOfClient.first(tx, clientId);
  return row ? toContact(row) : null;
}

export interface NewLink {
  id: string;
  clientA: string;
  clientB: string;
  kind: LinkKind;
  createdAt: string;
  createdBy: string;
}

/**
 * Records links in one statement, each pair once (the smaller id first); a pair already linked keeps
 * its id and takes the new kind. A pair named twice counts once, with the kind named last.
 */
export async function insertLinks(tx: Tx, links: readonly NewLink[]): Promise<void> {
  const byPair = new Map<string, NewLink & { a: string; b: string }>();
  for (const link of links) {
    const [a, b] = link.clientA < link.clientB ? [link.clientA, link.clientB] : [link.clientB, link.clientA];
    const pair = `${a}\u0000${b}`;
    // PostgreSQL refuses one statement that updates the same row twice: the last kind named wins, as it would one by one.
    byPair.delete(pair);
    byPair.set(pair, { ...link, a, b });
  }
  if (byPair.size === 0) return;
  await tx
    .insertInto('client_links')
    .values(
      [...byPair.values()].map((link) => ({
        id: link.id,
        client_a: link.a,
        client_b: link.b,
        kind: link.kind,
        created_at: link.createdAt,
        created_by: link.createdBy,
      })),
    )
    .onConflict((conflict) => conflict.columns(['client_a', 'client_b']).doUpdateSet((eb) => ({ kind: eb.ref('excluded.kind') })))
    .execute();
}

export async function insertLink(tx: Tx, link: NewLink): Promise<void> {
  await insertLinks(tx, [link]);
}

/** The client at the other end of a link of clientId. */
const otherEnd = (clientId: string) => sql<string>`CASE WHEN l.client_a = ${clientId} THEN l.client_b ELSE l.client_a END`;

export async function linksOf(tx: Tx, clientId: string): Promise<LinkRow[]> {
  return tx
    .selectFrom('client_links as l')
    .innerJoin('clients as o', (join) => join.on((eb) => eb('o.id', '=', otherEnd(clientId))))
    .select(['l.id', 'o.id as otherClientId', 'l.kind', 'o.track as otherTrack', 'o.name as otherName'])
    .where((eb) => eb.or([eb('l.client_a', '=', clientId), eb('l.client_b', '=', clientId)]))
    .execute();
}

/**
 * Clients on the other side of the house kept apart from this one by the separation rule: those
 * linked to it, and those registered with the same identity number (the same person, or someone
 * using another's number: either way they must never meet in a waiting room by chance).
 */
export async function linkedAcrossSides(tx: Tx, clientId: string, track: Track): Promise<string[]> {
  const across = acrossTracksOf(track);
  const rows = await tx
    .selectFrom('client_links as l')
    .innerJoin('clients as o', (join) => join.on((eb) => eb('o.id', '=', otherEnd(clientId))))
    .select('o.id')
    .where((eb) => eb.or([eb('l.client_a', '=', clientId), eb('l.client_b', '=', clientId)]))
    .where('o.track', 'in', across)
    .union((eb) =>
      eb
        .selectFrom('clients as c')
        .innerJoin('clients as o', (join) => join.onRef('o.personal_number', '=', 'c.personal_number').onRef('o.id', '<>', 'c.id'))
        .select('o.id')
        .where('c.id', '=', clientId)
        .where('c.personal_number', 'is not', null)
        .where('o.track', 'in', across),
    )
    .execute();
  return rows.map((row) => row.id);
}

export async function countClients(tx: Tx): Promise<number> {
  const row = await tx
    .selectFrom('clients')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every client registered with this identity number, on either side (the caller decides what its side may learn). */
export async function clientsByPersonalNumber(tx: Tx, personalNumber: string): Promise<{ id: string; track: Track; createdAt: string }[]> {
  return tx.selectFrom('clients').select(['id', 'track', 'created_at as createdAt']).where('personal_number', '=', personalNumber).execute();
}

/**
 * When a client of the victims' side was registered first and the perpetrators' side later gave the
 * same identity number, the victims' side is told when (never who): the earliest such first call.
 */
export async function perpetratorsSideReuseOf(tx: Tx, clientId: string): Promise<string | null> {
  const row = await tx
    .selectFrom('clients as c')
    .select((eb) => reuseOf(eb).as('at'))
    .where('c.id', '=', clientId)
    .executeTakeFirst();
  return row?.at ?? null;
}
