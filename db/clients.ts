import { prepared, type Db } from './connection.js';
// The clients' repository is async, in db/clients/index.ts. What stays here, synchronous, is what the
// bench and the query-shape and encryption-at-rest tests write and read on the connection.
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
