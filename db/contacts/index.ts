import type { ExpressionBuilder } from 'kysely';
import type { AgencyKind, Database } from '../engine/schema.js';
import type { Tx } from '../engine/store.js';

/**
 * The contact-person network: Utväg's contact persons in the collaborating agencies, the network
 * days and who attended. Professionals only; nothing here names or points at a client (an intake may
 * point at its referrer; only whether any does is read here, never which).
 */

export type { AgencyKind };

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

/** Rows at most per multi-row insert: well inside both engines' limits on bound values. */
const ROWS_PER_INSERT = 500;

/** The contact persons with their municipality's name and, per person, two counts from subqueries: one statement for any number. */
function contactRows(tx: Tx) {
  return tx
    .selectFrom('contact_persons as c')
    .leftJoin('municipalities as m', 'm.code', 'c.municipality_code')
    .select((eb) => [
      'c.id',
      'c.name',
      'c.agency_kind as agencyKind',
      'c.agency',
      'c.unit',
      'c.municipality_code as municipalityCode',
      'm.name as municipalityName',
      'c.role',
      'c.email',
      'c.phone',
      'c.assignment_start as assignmentStart',
      'c.assignment_end as assignmentEnd',
      'c.updated_at as updatedAt',
      eb
        .selectFrom('network_day_attendance as a')
        .select((sub) => sub.fn.countAll<number>().as('n'))
        .whereRef('a.contact_id', '=', 'c.id')
        .as('attendedDays'),
      // 0 or 1 on both engines (EXISTS is a boolean in PostgreSQL).
      eb
        .case()
        .when(eb.exists(eb.selectFrom('intakes as i').select('i.id').whereRef('i.referrer_contact_id', '=', 'c.id')))
        .then(1)
        .else(0)
        .end()
        .as('namedOnIntakes'),
    ]);
}

type RawContact = Awaited<ReturnType<ReturnType<typeof contactRows>['execute']>>[number];

const fromRaw = (row: RawContact): ContactPersonRow => ({
  id: row.id,
  name: row.name,
  agencyKind: row.agencyKind,
  agency: row.agency,
  unit: row.unit,
  municipalityCode: row.municipalityCode,
  municipalityName: row.municipalityName,
  role: row.role,
  email: row.email,
  phone: row.phone,
  assignmentStart: row.assignmentStart,
  assignmentEnd: row.assignmentEnd,
  attendedDays: Number(row.attendedDays ?? 0),
  namedOnIntakes: Number(row.namedOnIntakes) === 1,
  updatedAt: row.updatedAt,
});

/** Not ended by `today`: no end date, or the end date is today or later. */
const currentOn = (today: string) => (eb: ExpressionBuilder<Database & { c: Database['contact_persons'] }, 'c'>) =>
  eb.or([eb('c.assignment_end', 'is', null), eb('c.assignment_end', '>=', today)]);

/** In name, agency, id order (code units: the service sorts for the screen, in Swedish). */
export async function listContactPersons(tx: Tx, scope: ContactScope): Promise<ContactPersonRow[]> {
  let query = contactRows(tx);
  if (scope.status === 'current') query = query.where(currentOn(scope.today));
  if (scope.status === 'former') query = query.where('c.assignment_end', '<', scope.today);
  if (scope.agencyKind !== null) query = query.where('c.agency_kind', '=', scope.agencyKind);
  if (scope.municipalityCode !== null) query = query.where('c.municipality_code', '=', scope.municipalityCode);
  const rows = await query.orderBy('c.name').orderBy('c.agency').orderBy('c.id').execute();
  return rows.map(fromRaw);
}

export async function findContactPerson(tx: Tx, id: string): Promise<ContactPersonRow | null> {
  const row = await contactRows(tx).where('c.id', '=', id).executeTakeFirst();
  return row ? fromRaw(row) : null;
}

/** The contact persons among `ids` that exist (any order; unknown ids are left out): one statement. */
export async function findContactPersons(tx: Tx, ids: readonly string[]): Promise<ContactPersonRow[]> {
  if (ids.length === 0) return [];
  const rows = await contactRows(tx).where('c.id', 'in', ids).execute();
  return rows.map(fromRaw);
}

/** Other contact persons with the same e-mail address (compared without regard to ASCII case, as SQLite's NOCASE did). */
export async function contactPersonsWithEmail(tx: Tx, email: string, exceptId: string | null): Promise<{ id: string; name: string }[]> {
  let query = tx
    .selectFrom('contact_persons')
    .select(['id', 'name'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', eb.fn('lower', [eb.val(email)])));
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  return query.orderBy('name').orderBy('id').execute();
}

const columnsOf = (contact: ContactPersonRecord) => ({
  name: contact.name,
  agency_kind: contact.agencyKind,
  agency: contact.agency,
  unit: contact.unit,
  municipality_code: contact.municipalityCode,
  role: contact.role,
  email: contact.email,
  phone: contact.phone,
  assignment_start: contact.assignmentStart,
  assignment_end: contact.assignmentEnd,
});

export async function insertContactPerson(tx: Tx, contact: ContactPersonRecord, at: string, by: string): Promise<void> {
  await tx
    .insertInto('contact_persons')
    .values({ id: contact.id, ...columnsOf(contact), created_at: at, created_by: by, updated_at: at, updated_by: by })
    .execute();
}

/** Changes a contact person; false when there is none with that id (nothing was written). */
export async function updateContactPerson(tx: Tx, contact: ContactPersonRecord, at: string, by: string): Promise<boolean> {
  const result = await tx
    .updateTable('contact_persons')
    .set({ ...columnsOf(contact), updated_at: at, updated_by: by })
    .where('id', '=', contact.id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Removes a contact person entered by mistake, with their attendance. The schema refuses one named on an intake. */
export async function deleteContactPerson(tx: Tx, id: string): Promise<void> {
  await tx.deleteFrom('network_day_attendance').where('contact_id', '=', id).execute();
  await tx.deleteFrom('contact_persons').where('id', '=', id).execute();
}

export interface ReferrerRow {
  id: string;
  name: string;
  agencyKind: AgencyKind;
  agency: string;
  unit: string | null;
  municipalityCode: string | null;
}

/** Contact persons whose assignment has not ended by `today`: the ones a first call may name as referrer. */
export async function currentReferrers(tx: Tx, today: string): Promise<ReferrerRow[]> {
  return tx
    .selectFrom('contact_persons as c')
    .select(['c.id', 'c.name', 'c.agency_kind as agencyKind', 'c.agency', 'c.unit', 'c.municipality_code as municipalityCode'])
    .where(currentOn(today))
    .orderBy('c.name')
    .orderBy('c.agency')
    .orderBy('c.id')
    .execute();
}

/** The contact person an intake names, as the client record shows them. */
export async function referrerOfIntake(tx: Tx, intakeId: string): Promise<{ name: string; agency: string; unit: string | null } | null> {
  const row = await tx
    .selectFrom('intakes as i')
    .innerJoin('contact_persons as c', 'c.id', 'i.referrer_contact_id')
    .select(['c.name', 'c.agency', 'c.unit'])
    .where('i.id', '=', intakeId)
    .executeTakeFirst();
  return row ?? null;
}

// ---- Network days --------------------------------------------------------------------------

export interface NetworkDayRow {
  id: string;
  date: string;
  title: string;
  siteId: string | null;
  /** In code-unit order. */
  attendeeIds: string[];
}

/** Days with their attendance in one statement: a row per attendee (or one for a day without), folded here. */
function daysWithAttendance(tx: Tx) {
  return tx
    .selectFrom('network_days as d')
    .leftJoin('network_day_attendance as a', 'a.network_day_id', 'd.id')
    .select(['d.id', 'd.held_on as date', 'd.title', 'd.site_id as siteId', 'a.contact_id as contactId']);
}

type RawDay = Awaited<ReturnType<ReturnType<typeof daysWithAttendance>['execute']>>[number];

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function foldDays(rows: readonly RawDay[]): NetworkDayRow[] {
  const days = new Map<string, NetworkDayRow>();
  for (const row of rows) {
    let day = days.get(row.id);
    if (!day) {
      day = { id: row.id, date: row.date, title: row.title, siteId: row.siteId, attendeeIds: [] };
      days.set(row.id, day);
    }
    if (row.contactId !== null) day.attendeeIds.push(row.contactId);
  }
  for (const day of days.values()) day.attendeeIds.sort(byCodeUnits);
  return [...days.values()];
}

/** Newest first, then by title (code units, the same on both engines). */
export async function listNetworkDays(tx: Tx): Promise<NetworkDayRow[]> {
  return foldDays(await daysWithAttendance(tx).execute()).sort(
    (a, b) => byCodeUnits(b.date, a.date) || byCodeUnits(a.title, b.title) || byCodeUnits(a.id, b.id),
  );
}

export async function findNetworkDay(tx: Tx, id: string): Promise<NetworkDayRow | null> {
  return foldDays(await daysWithAttendance(tx).where('d.id', '=', id).execute())[0] ?? null;
}

export async function upsertNetworkDay(
  tx: Tx,
  day: { id: string; date: string; title: string; siteId: string | null },
  at: string,
  by: string,
): Promise<void> {
  await tx
    .insertInto('network_days')
    .values({ id: day.id, held_on: day.date, title: day.title, site_id: day.siteId, created_at: at, created_by: by, updated_at: at, updated_by: by })
    .onConflict((conflict) =>
      conflict.column('id').doUpdateSet((eb) => ({
        held_on: eb.ref('excluded.held_on'),
        title: eb.ref('excluded.title'),
        site_id: eb.ref('excluded.site_id'),
        updated_at: eb.ref('excluded.updated_at'),
        updated_by: eb.ref('excluded.updated_by'),
      })),
    )
    .execute();
}

/**
 * Makes the day's attendance exactly `contactIds`: those no longer ticked go, new ones are recorded
 * now, those already recorded keep their time. Two statements for up to ROWS_PER_INSERT people.
 */
export async function replaceAttendance(tx: Tx, dayId: string, contactIds: readonly string[], at: string, by: string): Promise<void> {
  const keep = [...new Set(contactIds)];
  let gone = tx.deleteFrom('network_day_attendance').where('network_day_id', '=', dayId);
  if (keep.length > 0) gone = gone.where('contact_id', 'not in', keep);
  await gone.execute();
  for (let start = 0; start < keep.length; start += ROWS_PER_INSERT) {
    await tx
      .insertInto('network_day_attendance')
      .values(
        keep
          .slice(start, start + ROWS_PER_INSERT)
          .map((contactId) => ({ network_day_id: dayId, contact_id: contactId, recorded_at: at, recorded_by: by })),
      )
      .onConflict((conflict) => conflict.columns(['network_day_id', 'contact_id']).doNothing())
      .execute();
  }
}
