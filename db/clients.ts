import type { Db } from './connection.js';

export type Track = 'victim' | 'perpetrator' | 'child';

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
}

export function insertClient(db: Db, client: NewClient): void {
  db.prepare(
    `INSERT INTO clients (id, track, name, is_alias, personal_number, birth_year, protected_identity, created_at, created_by)
     VALUES (@id, @track, @name, @isAlias, @personalNumber, @birthYear, @protectedIdentity, @createdAt, @createdBy)`,
  ).run({ ...client, isAlias: client.isAlias ? 1 : 0, protectedIdentity: client.protectedIdentity ? 1 : 0 });
}

export function countClients(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n;
}
