import { prepared, type Db } from './connection.js';
import type { AgencyKind } from '../preload/domain/index.js';
export type { AgencyKind };

/**
 * The contact-person network: Utväg's contact persons in the collaborating agencies, the network
 * days and who attended. Professionals only; nothing here names or points at a client. The register's
 * repository is async, in db/contacts/index.ts; what stays here, synchronous, is what the demo
 * seeder (seedContactNetwork) writes on the connection outside any router call.
 */

export interface ContactPersonRecord {
  id: string;
  name: string;
  agencyKind: AgencyKind;
  agency: string;
  unit: string | null;
  municipalityCode: string | null;
  role: string | null;
  email: string | null;
  phone: string | null;
  assignmentStart: string;
  assignmentEnd: string | null;
}

export function insertContactPerson(db: Db, contact: ContactPersonRecord, at: string, by: string): void {
  prepared(
    db,
    `INSERT INTO contact_persons (id, name, agency_kind, agency, unit, municipality_code, role, email, phone, assignment_start, assignment_end,
       created_at, created_by, updated_at, updated_by)
     VALUES (@id, @name, @agencyKind, @agency, @unit, @municipalityCode, @role, @email, @phone, @assignmentStart, @assignmentEnd,
       @at, @by, @at, @by)`,
  ).run({ ...contact, at, by });
}

// ---- Network days --------------------------------------------------------------------------

export function upsertNetworkDay(db: Db, day: { id: string; date: string; title: string; siteId: string | null }, at: string, by: string): void {
  prepared(
    db,
    `INSERT INTO network_days (id, held_on, title, site_id, created_at, created_by, updated_at, updated_by)
     VALUES (@id, @date, @title, @siteId, @at, @by, @at, @by)
     ON CONFLICT (id) DO UPDATE SET held_on = excluded.held_on, title = excluded.title, site_id = excluded.site_id,
       updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).run({ ...day, at, by });
}

/** Makes the day's attendance exactly `contactIds`: those no longer ticked go, new ones are recorded now. */
export function replaceAttendance(db: Db, dayId: string, contactIds: readonly string[], at: string, by: string): void {
  const keep = new Set(contactIds);
  const existing = prepared(db, 'SELECT contact_id AS contactId FROM network_day_attendance WHERE network_day_id = ?').all(dayId) as {
    contactId: string;
  }[];
  const remove = prepared(db, 'DELETE FROM network_day_attendance WHERE network_day_id = ? AND contact_id = ?');
  for (const { contactId } of existing) if (!keep.has(contactId)) remove.run(dayId, contactId);
  const add = prepared(
    db,
    `INSERT INTO network_day_attendance (network_day_id, contact_id, recorded_at, recorded_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (network_day_id, contact_id) DO NOTHING`,
  );
  for (const contactId of keep) add.run(dayId, contactId, at, by);
}
