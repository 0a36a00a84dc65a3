import { prepared, type Db } from './connection.js';
import type { AgencyKind } from '../preload/domain/index.js';
export type { AgencyKind };

/**
 * The contact-person network: Utväg's contact persons in the collaborating agencies, the network
 * days and who attended. Professionals only; nothing here names or points at a client.
 */

export interface ContactPersonRow {
  id: string;
  name: string;
  agencyKind: AgencyKind;
  agency: string;
  unit: string | null;
  municipalityCode: string | null;
  municipalityName: string | null;
  role: string | null;
  email: string | null;
  phone: string | null;
  assignmentStart: string;
  assignmentEnd: string | null;
  attendedDays: number;
  namedOnIntakes: boolean;
  updatedAt: string;
}

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

/** Which assignments: 'current' have not ended by `today` (the end date is the last day), 'former' have. */
export interface ContactScope {
  status: 'current' | 'former' | 'all';
  today: string;
  agencyKind: AgencyKind | null;
  municipalityCode: string | null;
}

const CONTACT_COLUMNS = `c.id, c.name, c.agency_kind AS agencyKind, c.agency, c.unit, c.municipality_code AS municipalityCode,
  m.name AS municipalityName, c.role, c.email, c.phone, c.assignment_start AS assignmentStart, c.assignment_end AS assignmentEnd,
  (SELECT count(*) FROM network_day_attendance a WHERE a.contact_id = c.id) AS attendedDays,
  EXISTS (SELECT 1 FROM intakes i WHERE i.referrer_contact_id = c.id) AS namedOnIntakes,
  c.updated_at AS updatedAt`;

type RawContact = Omit<ContactPersonRow, 'namedOnIntakes'> & { namedOnIntakes: number };
const fromRaw = (row: RawContact): ContactPersonRow => ({ ...row, namedOnIntakes: row.namedOnIntakes === 1 });

export function listContactPersons(db: Db, scope: ContactScope): ContactPersonRow[] {
  return (
    prepared(
      db,
      `SELECT ${CONTACT_COLUMNS}
         FROM contact_persons c LEFT JOIN municipalities m ON m.code = c.municipality_code
        WHERE (@status = 'all'
               OR (@status = 'current' AND (c.assignment_end IS NULL OR c.assignment_end >= @today))
               OR (@status = 'former' AND c.assignment_end < @today))
          AND (@agencyKind IS NULL OR c.agency_kind = @agencyKind)
          AND (@municipalityCode IS NULL OR c.municipality_code = @municipalityCode)
        ORDER BY c.name COLLATE NOCASE, c.agency COLLATE NOCASE, c.id`,
    ).all(scope) as RawContact[]
  ).map(fromRaw);
}

export function findContactPerson(db: Db, id: string): ContactPersonRow | null {
  const row = prepared(
    db,
    `SELECT ${CONTACT_COLUMNS} FROM contact_persons c LEFT JOIN municipalities m ON m.code = c.municipality_code WHERE c.id = ?`,
  ).get(id) as RawContact | undefined;
  return row ? fromRaw(row) : null;
}

/** Other contact persons with the same e-mail address (compared without regard to case). */
export function contactPersonsWithEmail(db: Db, email: string, exceptId: string | null): { id: string; name: string }[] {
  return prepared(
    db,
    `SELECT id, name FROM contact_persons WHERE email = @email COLLATE NOCASE AND (@exceptId IS NULL OR id <> @exceptId) ORDER BY name COLLATE NOCASE`,
  ).all({ email, exceptId }) as { id: string; name: string }[];
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

export function updateContactPerson(db: Db, contact: ContactPersonRecord, at: string, by: string): void {
  prepared(
    db,
    `UPDATE contact_persons SET name = @name, agency_kind = @agencyKind, agency = @agency, unit = @unit, municipality_code = @municipalityCode,
       role = @role, email = @email, phone = @phone, assignment_start = @assignmentStart, assignment_end = @assignmentEnd,
       updated_at = @at, updated_by = @by
     WHERE id = @id`,
  ).run({ ...contact, at, by });
}

/** Removes a contact person entered by mistake, with their attendance. The schema refuses one named on an intake. */
export function deleteContactPerson(db: Db, id: string): void {
  prepared(db, 'DELETE FROM network_day_attendance WHERE contact_id = ?').run(id);
  prepared(db, 'DELETE FROM contact_persons WHERE id = ?').run(id);
}

/** Contact persons whose assignment has not ended by `today`: the ones a first call may name as referrer. */
export function currentReferrers(
  db: Db,
  today: string,
): { id: string; name: string; agencyKind: AgencyKind; agency: string; unit: string | null; municipalityCode: string | null }[] {
  return prepared(
    db,
    `SELECT id, name, agency_kind AS agencyKind, agency, unit, municipality_code AS municipalityCode
       FROM contact_persons WHERE assignment_end IS NULL OR assignment_end >= ?
      ORDER BY name COLLATE NOCASE, agency COLLATE NOCASE, id`,
  ).all(today) as { id: string; name: string; agencyKind: AgencyKind; agency: string; unit: string | null; municipalityCode: string | null }[];
}

/** The contact person an intake names, as the client record shows them. */
export function referrerOfIntake(db: Db, intakeId: string): { name: string; agency: string; unit: string | null } | null {
  const row = prepared(
    db,
    `SELECT c.name, c.agency, c.unit FROM intakes i JOIN contact_persons c ON c.id = i.referrer_contact_id WHERE i.id = ?`,
  ).get(intakeId) as { name: string; agency: string; unit: string | null } | undefined;
  return row ?? null;
}

// ---- Network days --------------------------------------------------------------------------

export interface NetworkDayRow {
  id: string;
  date: string;
  title: string;
  siteId: string | null;
  attendeeIds: string[];
}

export function listNetworkDays(db: Db): NetworkDayRow[] {
  const days = prepared(db, 'SELECT id, held_on AS date, title, site_id AS siteId FROM network_days ORDER BY held_on DESC, title').all() as Omit<
    NetworkDayRow,
    'attendeeIds'
  >[];
  const attendance = prepared(db, 'SELECT network_day_id AS dayId, contact_id AS contactId FROM network_day_attendance').all() as {
    dayId: string;
    contactId: string;
  }[];
  const byDay = new Map<string, string[]>();
  for (const row of attendance) byDay.set(row.dayId, [...(byDay.get(row.dayId) ?? []), row.contactId]);
  return days.map((day) => ({ ...day, attendeeIds: (byDay.get(day.id) ?? []).sort() }));
}

export function findNetworkDay(db: Db, id: string): NetworkDayRow | null {
  const day = prepared(db, 'SELECT id, held_on AS date, title, site_id AS siteId FROM network_days WHERE id = ?').get(id) as
    Omit<NetworkDayRow, 'attendeeIds'> | undefined;
  if (!day) return null;
  const attendees = prepared(db, 'SELECT contact_id AS contactId FROM network_day_attendance WHERE network_day_id = ? ORDER BY contact_id').all(
    id,
  ) as { contactId: string }[];
  return { ...day, attendeeIds: attendees.map((row) => row.contactId) };
}

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
