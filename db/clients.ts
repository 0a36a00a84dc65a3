import { prepared, type Db } from './connection.js';
import type { Gender, LinkKind, Side, Track } from '../preload/domain/index.js';
export type { LinkKind, Side, Track };

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

/** Lower-case, accents kept, spaces folded: what a name prefix search compares against. */
export function searchKey(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

const TRACKS_OF_SIDE: Record<Side, Track[]> = { victims: ['victim', 'child'], perpetrators: ['perpetrator'] };
export const tracksOfSide = (side: Side): Track[] => TRACKS_OF_SIDE[side];

export function insertClient(db: Db, client: NewClient): void {
  prepared(
    db,
    `INSERT INTO clients (id, track, name, is_alias, personal_number, birth_year, protected_identity, created_at, created_by,
       gender, municipality_code, language, interpreter_needed, site_id, children_under_18, first_contact_at, search_name)
     VALUES (@id, @track, @name, @isAlias, @personalNumber, @birthYear, @protectedIdentity, @createdAt, @createdBy,
       @gender, @municipalityCode, @language, @interpreterNeeded, @siteId, @childrenUnder18, @firstContactAt, @searchName)`,
  ).run({
    ...client,
    isAlias: client.isAlias ? 1 : 0,
    protectedIdentity: client.protectedIdentity ? 1 : 0,
    gender: client.gender ?? 'unknown',
    municipalityCode: client.municipalityCode ?? null,
    language: client.language ?? null,
    interpreterNeeded: client.interpreterNeeded ? 1 : 0,
    siteId: client.siteId ?? null,
    childrenUnder18: client.childrenUnder18 ?? 0,
    firstContactAt: client.firstContactAt ?? client.createdAt,
    searchName: searchKey(client.name),
  });
}

const CLIENT_COLUMNS = `c.id, c.track, c.name, c.is_alias AS isAlias, c.personal_number AS personalNumber, c.birth_year AS birthYear,
  c.protected_identity AS protectedIdentity, c.gender, c.municipality_code AS municipalityCode, c.language,
  c.interpreter_needed AS interpreterNeeded, c.site_id AS siteId, c.children_under_18 AS childrenUnder18,
  c.first_contact_at AS firstContactAt, c.created_at AS createdAt`;

type RawClient = Omit<ClientRow, 'isAlias' | 'protectedIdentity' | 'interpreterNeeded'> & {
  isAlias: number;
  protectedIdentity: number;
  interpreterNeeded: number;
};

function toClient(row: RawClient): ClientRow {
  return { ...row, isAlias: row.isAlias === 1, protectedIdentity: row.protectedIdentity === 1, interpreterNeeded: row.interpreterNeeded === 1 };
}

export function findClient(db: Db, id: string): ClientRow | null {
  const row = prepared(db, `SELECT ${CLIENT_COLUMNS} FROM clients c WHERE c.id = ?`).get(id) as RawClient | undefined;
  return row ? toClient(row) : null;
}

/**
 * Clients of one side whose name (or a word of it) starts with the query, whose identity number
 * matches the digits given, or whose phone number contains them.
 */
export function searchClients(
  db: Db,
  side: Side,
  query: { text: string; digits: string | null },
  viewer: { seesAllProtected: boolean; therapistId: string },
  limit = 50,
): ClientRow[] {
  const tracks = tracksOfSide(side);
  const placeholders = tracks.map(() => '?').join(', ');
  const key = searchKey(query.text);
  // A protected client's phone is matched only for those who may see it (admins, her own therapist):
  // otherwise a search would confirm her number digit by digit.
  const rows = prepared(
    db,
    `SELECT ${CLIENT_COLUMNS} FROM clients c LEFT JOIN client_contacts k ON k.client_id = c.id
       WHERE c.track IN (${placeholders})
         AND (c.search_name >= ? AND c.search_name < ? || char(1114111)
              OR c.search_name LIKE ? ESCAPE '\\'
              OR (? IS NOT NULL AND (replace(c.personal_number, '-', '') LIKE ?
                  OR (k.phone_digits LIKE ? AND (c.protected_identity = 0 OR ? = 1
                      OR EXISTS (SELECT 1 FROM care_relations r JOIN users u ON u.id = r.therapist_id AND u.active = 1
                                   JOIN therapist_tracks t ON t.user_id = r.therapist_id AND t.track = c.track
                                   WHERE r.client_id = c.id AND r.therapist_id = ? AND r.ended_at IS NULL))))))
       ORDER BY c.search_name LIMIT ?`,
  ).all(
    ...tracks,
    key,
    key,
    `% ${key.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`,
    query.digits,
    `%${query.digits ?? ''}`,
    `%${query.digits ?? ''}%`,
    viewer.seesAllProtected ? 1 : 0,
    viewer.therapistId,
    limit,
  ) as RawClient[];
  return rows.map(toClient);
}

/** A deliberate lookup across sides for linking: exact identity number or exact name only. */
export function findClientsExactly(db: Db, query: { name: string; personalNumber: string | null }, limit = 10): ClientRow[] {
  const rows = prepared(
    db,
    `SELECT ${CLIENT_COLUMNS} FROM clients c WHERE c.search_name = ? OR (? IS NOT NULL AND c.personal_number = ?) LIMIT ?`,
  ).all(searchKey(query.name), query.personalNumber, query.personalNumber, limit) as RawClient[];
  return rows.map(toClient);
}

export function upsertContact(db: Db, clientId: string, contact: ContactRow): void {
  prepared(
    db,
    `INSERT INTO client_contacts (client_id, phone, phone_digits, safe_to_call, safe_to_text, safe_voicemail, safe_times, code_word, instructions, address)
     VALUES (@clientId, @phone, @phoneDigits, @safeToCall, @safeToText, @safeVoicemail, @safeTimes, @codeWord, @instructions, @address)
     ON CONFLICT (client_id) DO UPDATE SET phone = excluded.phone, phone_digits = excluded.phone_digits, safe_to_call = excluded.safe_to_call,
       safe_to_text = excluded.safe_to_text, safe_voicemail = excluded.safe_voicemail, safe_times = excluded.safe_times,
       code_word = excluded.code_word, instructions = excluded.instructions, address = excluded.address`,
  ).run({
    clientId,
    ...contact,
    phoneDigits: contact.phone ? contact.phone.replace(/\D/g, '') : null,
    safeToCall: contact.safeToCall ? 1 : 0,
    safeToText: contact.safeToText ? 1 : 0,
    safeVoicemail: contact.safeVoicemail ? 1 : 0,
  });
}

export function setProtectedIdentity(db: Db, clientId: string, value: boolean): void {
  prepared(db, 'UPDATE clients SET protected_identity = ? WHERE id = ?').run(value ? 1 : 0, clientId);
}

export function findContact(db: Db, clientId: string): ContactRow | null {
  const row = prepared(
    db,
    `SELECT phone, safe_to_call AS safeToCall, safe_to_text AS safeToText, safe_voicemail AS safeVoicemail, safe_times AS safeTimes,
              code_word AS codeWord, instructions, address FROM client_contacts WHERE client_id = ?`,
  ).get(clientId) as
    (Omit<ContactRow, 'safeToCall' | 'safeToText' | 'safeVoicemail'> & { safeToCall: number; safeToText: number; safeVoicemail: number }) | undefined;
  return row ? { ...row, safeToCall: row.safeToCall === 1, safeToText: row.safeToText === 1, safeVoicemail: row.safeVoicemail === 1 } : null;
}

export function insertLink(
  db: Db,
  link: { id: string; clientA: string; clientB: string; kind: LinkKind; createdAt: string; createdBy: string },
): void {
  const [a, b] = link.clientA < link.clientB ? [link.clientA, link.clientB] : [link.clientB, link.clientA];
  prepared(
    db,
    `INSERT INTO client_links (id, client_a, client_b, kind, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (client_a, client_b) DO UPDATE SET kind = excluded.kind`,
  ).run(link.id, a, b, link.kind, link.createdAt, link.createdBy);
}

export function linksOf(db: Db, clientId: string): { id: string; otherClientId: string; kind: LinkKind; otherTrack: Track; otherName: string }[] {
  return prepared(
    db,
    `SELECT l.id, o.id AS otherClientId, l.kind, o.track AS otherTrack, o.name AS otherName
       FROM client_links l JOIN clients o ON o.id = CASE WHEN l.client_a = ? THEN l.client_b ELSE l.client_a END
       WHERE l.client_a = ? OR l.client_b = ?`,
  ).all(clientId, clientId, clientId) as { id: string; otherClientId: string; kind: LinkKind; otherTrack: Track; otherName: string }[];
}

/**
 * Clients on the other side of the house kept apart from this one by the separation rule: those
 * linked to it, and those registered with the same identity number (the same person, or someone
 * using another's number: either way they must never meet in a waiting room by chance).
 */
export function linkedAcrossSides(db: Db, clientId: string, track: Track): string[] {
  const acrossTracks = track === 'perpetrator' ? ['victim', 'child'] : ['perpetrator'];
  const placeholders = acrossTracks.map(() => '?').join(', ');
  return (
    prepared(
      db,
      `SELECT o.id FROM client_links l JOIN clients o ON o.id = CASE WHEN l.client_a = ? THEN l.client_b ELSE l.client_a END
         WHERE (l.client_a = ? OR l.client_b = ?) AND o.track IN (${placeholders})
       UNION
       SELECT o.id FROM clients c JOIN clients o ON o.personal_number = c.personal_number AND o.id <> c.id
         WHERE c.id = ? AND c.personal_number IS NOT NULL AND o.track IN (${placeholders})`,
    ).all(clientId, clientId, clientId, ...acrossTracks, clientId, ...acrossTracks) as { id: string }[]
  ).map((row) => row.id);
}

export function countClients(db: Db): number {
  return (prepared(db, 'SELECT count(*) AS n FROM clients').get() as { n: number }).n;
}

/** Every client registered with this identity number, on either side (the caller decides what its side may learn). */
export function clientsByPersonalNumber(db: Db, personalNumber: string): { id: string; track: Track; createdAt: string }[] {
  return prepared(db, 'SELECT id, track, created_at AS createdAt FROM clients WHERE personal_number = ?').all(personalNumber) as {
    id: string;
    track: Track;
    createdAt: string;
  }[];
}

/**
 * When a client of the victims' side was registered first and the perpetrators' side later gave the
 * same identity number, the victims' side is told when (never who): the earliest such first call.
 */
export function perpetratorsSideReuseOf(db: Db, clientId: string): string | null {
  return (
    prepared(
      db,
      `SELECT min(o.created_at) AS at FROM clients c JOIN clients o ON o.personal_number = c.personal_number AND o.id <> c.id
         WHERE c.id = ? AND c.personal_number IS NOT NULL AND c.track IN ('victim', 'child') AND o.track = 'perpetrator'
           AND o.created_at > c.created_at`,
    ).get(clientId) as { at: string | null }
  ).at;
}
