import { randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import {
  contactPersonsWithEmail,
  currentReferrers,
  deleteContactPerson,
  findContactPerson,
  findContactPersons,
  findNetworkDay,
  insertContactPerson,
  listContactPersons,
  listNetworkDays,
  replaceAttendance,
  updateContactPerson,
  upsertNetworkDay,
  type AgencyKind,
  type ContactPersonRecord,
  type ContactPersonRow,
  type NetworkDayRow,
} from '../../db/contacts/index.js';
import type { Tx } from '../../db/engine/store.js';
import { findMunicipality, listSites } from '../../db/org/index.js';
import {
  MAILING_LIST_COLUMNS,
  type ContactFilter,
  type ContactInput,
  type ContactView,
  type ContactWarning,
  type MailingListLabels,
  type NetworkDayInput,
  type ReferrerView,
} from '../../preload/contract/index.js';
import { DomainError } from './errors.js';
import { todayLocal } from './time.js';

/**
 * The contact-person network (the register admins keep of Utväg's contact persons in the
 * collaborating agencies), its network days and the newsletter's mailing list. It holds no client
 * data: an intake may point at the contact person who referred, nothing here points back.
 *
 * Every function runs in the caller's transaction (the router's): none opens one. The premises
 * (municipalities, sites) are the org domain's, read through its repository in the same transaction.
 */

/** Still in the network on `today`: the end date is the assignment's last day. */
const isCurrent = (contact: { assignmentEnd: string | null }, today: string) => contact.assignmentEnd === null || contact.assignmentEnd >= today;

function toView(row: ContactPersonRow, today: string): ContactView {
  const { namedOnIntakes, ...rest } = row;
  return { ...rest, current: isCurrent(row, today), deletable: !namedOnIntakes };
}

/** Case and accents as people type them: "skovde" does not find "Skövde", but "SKÖVDE" does. */
const fold = (text: string) => text.normalize('NFC').toLocaleLowerCase('sv').replace(/\s+/g, ' ').trim();

function matchesText(row: ContactPersonRow, text: string): boolean {
  const wanted = fold(text);
  if (!wanted) return true;
  const haystack = fold([row.name, row.agency, row.unit, row.role, row.email, row.municipalityName].filter(Boolean).join(' \u0000 '));
  return wanted.split(' ').every((word) => haystack.includes(word));
}

/** Swedish alphabetical order: Å, Ä and Ö after Z. */
const swedish = new Intl.Collator('sv', { sensitivity: 'base' });
const byName = <T extends { id: string; name: string; agency: string }>(a: T, b: T) =>
  swedish.compare(a.name, b.name) || swedish.compare(a.agency, b.agency) || (a.id < b.id ? -1 : 1);

async function listFiltered(tx: Tx, filter: ContactFilter, now: Date): Promise<{ rows: ContactPersonRow[]; today: string }> {
  const today = todayLocal(now);
  const rows = (
    await listContactPersons(tx, {
      status: filter.status,
      today,
      agencyKind: filter.agencyKind,
      municipalityCode: filter.municipalityCode,
    })
  )
    .filter((row) => matchesText(row, filter.text))
    .sort(byName);
  return { rows, today };
}

export async function contactList(tx: Tx, filter: ContactFilter, now: Date): Promise<ContactView[]> {
  const { rows, today } = await listFiltered(tx, filter, now);
  return rows.map((row) => toView(row, today));
}

/**
 * Adds or changes a contact person. The schema has already checked the e-mail, phone and dates;
 * here the municipality must exist, and another contact person with the same e-mail address is
 * reported back as a warning (two people may share a unit's mailbox, so it is not refused).
 */
export async function saveContact(tx: Tx, input: ContactInput, by: string, now: Date): Promise<{ contact: ContactView; warnings: ContactWarning[] }> {
  if (input.municipalityCode !== null && !(await findMunicipality(tx, input.municipalityCode))) {
    throw new DomainError('INVALID_INPUT', 'contacts.error.municipality', { municipalityCode: 'contacts.error.municipality' });
  }
  if (input.assignmentEnd !== null && input.assignmentEnd < input.assignmentStart) {
    throw new DomainError('INVALID_INPUT', 'contacts.error.endBeforeStart', { assignmentEnd: 'contacts.error.endBeforeStart' });
  }
  if (!input.email && !input.phone) throw new DomainError('INVALID_INPUT', 'contacts.error.reachable', { email: 'contacts.error.reachable' });
  const record: ContactPersonRecord = {
    id: input.id ?? randomUUID(),
    name: input.name,
    agencyKind: input.agencyKind,
    agency: input.agency,
    unit: input.unit || null,
    municipalityCode: input.municipalityCode,
    role: input.role || null,
    email: input.email || null,
    phone: input.phone || null,
    assignmentStart: input.assignmentStart,
    assignmentEnd: input.assignmentEnd,
  };
  const at = now.toISOString();
  if (input.id) {
    // Nothing was written when there is no such contact person.
    if (!(await updateContactPerson(tx, record, at, by))) throw new DomainError('NOT_FOUND', 'contacts.error.notFound');
  } else {
    await insertContactPerson(tx, record, at, by);
  }
  const warnings: ContactWarning[] = record.email
    ? (await contactPersonsWithEmail(tx, record.email, record.id)).map((other) => ({
        code: 'duplicate_email',
        otherId: other.id,
        otherName: other.name,
      }))
    : [];
  return { contact: toView((await findContactPerson(tx, record.id))!, todayLocal(now)), warnings };
}

/**
 * Removes a contact person entered by mistake. One named on an intake stays (the intake must keep
 * saying who referred): their assignment is ended instead.
 */
export async function deleteContact(tx: Tx, id: string): Promise<void> {
  const contact = await findContactPerson(tx, id);
  if (!contact) throw new DomainError('NOT_FOUND', 'contacts.error.notFound');
  if (contact.namedOnIntakes) throw new DomainError('CONFLICT', 'contacts.error.namedOnIntake');
  await deleteContactPerson(tx, id);
}

/** For the reception's "referring contact person": current contact persons, name and agency only. */
export async function referrers(tx: Tx, now: Date): Promise<ReferrerView[]> {
  return (await currentReferrers(tx, todayLocal(now))).sort(byName);
}

function checkReferrer(contact: { assignmentEnd: string | null } | null, now: Date): void {
  if (!contact) throw new DomainError('INVALID_INPUT', 'contacts.error.referrerUnknown', { referrerContactId: 'contacts.error.referrerUnknown' });
  if (!isCurrent(contact, todayLocal(now))) {
    throw new DomainError('INVALID_INPUT', 'contacts.error.referrerFormer', { referrerContactId: 'contacts.error.referrerFormer' });
  }
}

/**
 * The intake's referrer must be a contact person whose assignment has not ended; refused next to the picker otherwise.
 */
export async function requireCurrentReferrer(tx: Tx, contactId: string, now: Date): Promise<void> {
  checkReferrer(await findContactPerson(tx, contactId), now);
}

// ---- Network days --------------------------------------------------------------------------

export async function networkDays(tx: Tx): Promise<NetworkDayRow[]> {
  return listNetworkDays(tx);
}

export async function saveNetworkDay(tx: Tx, input: NetworkDayInput, by: string, now: Date): Promise<NetworkDayRow> {
  if (input.siteId !== null && !(await listSites(tx)).some((site) => site.id === input.siteId)) {
    throw new DomainError('INVALID_INPUT', 'error.site.unknown', { siteId: 'error.site.unknown' });
  }
  const id = input.id ?? randomUUID();
  if (input.id && !(await findNetworkDay(tx, input.id))) throw new DomainError('NOT_FOUND', 'contacts.error.dayNotFound');
  await upsertNetworkDay(tx, { id, date: input.date, title: input.title, siteId: input.siteId }, now.toISOString(), by);
  return (await findNetworkDay(tx, id))!;
}

/**
 * Records who attended a network day: the list replaces the day's attendance, all at once or not
 * at all (the caller's transaction). Someone newly ticked must have been a contact person on that
 * day; those already recorded stay valid even if their assignment dates were corrected later.
 */
export async function setAttendance(tx: Tx, input: { networkDayId: string; contactIds: string[] }, by: string, now: Date): Promise<NetworkDayRow> {
  const day = await findNetworkDay(tx, input.networkDayId);
  if (!day) throw new DomainError('NOT_FOUND', 'contacts.error.dayNotFound');
  const already = new Set(day.attendeeIds);
  const wanted = [...new Set(input.contactIds)];
  const added = wanted.filter((contactId) => !already.has(contactId));
  const found = new Map((await findContactPersons(tx, added)).map((contact) => [contact.id, contact]));
  // In the order given, as before: the first refused person decides the message.
  for (const contactId of added) {
    const contact = found.get(contactId);
    if (!contact) throw new DomainError('NOT_FOUND', 'contacts.error.notFound', { contactIds: 'contacts.error.notFound' });
    if (contact.assignmentStart > day.date || (contact.assignmentEnd !== null && contact.assignmentEnd < day.date)) {
      throw new DomainError('INVALID_INPUT', 'contacts.error.notInNetworkThatDay', { contactIds: 'contacts.error.notInNetworkThatDay' });
    }
  }
  await replaceAttendance(tx, day.id, wanted, now.toISOString(), by);
  return (await findNetworkDay(tx, day.id))!;
}

// ---- The newsletter's mailing list -----------------------------------------------------------

/**
 * The mailing list for the newsletter: current contact persons with an e-mail address, optionally
 * filtered, one row per address (a shared mailbox gets the newsletter once). The header and the kind
 * of agency are in the words the screen sent (its language). UTF-8 with a BOM and a header row; a cell
 * that a spreadsheet would run as a formula (=, +, -, @, tab, return) is prefixed with ' so that
 * opening the file never runs anything — the screen's words included.
 */
export async function mailingListCsv(
  tx: Tx,
  filter: { agencyKind: AgencyKind | null; municipalityCode: string | null; text: string },
  labels: MailingListLabels,
  now: Date,
): Promise<{ rows: number; csv: string }> {
  const { rows } = await listFiltered(tx, { ...filter, status: 'current' }, now);
  const seen = new Set<string>();
  const records: string[][] = [];
  for (const row of rows) {
    if (!row.email) continue;
    const key = row.email.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    records.push([row.name, row.email, labels.kinds[row.agencyKind], row.agency, row.unit ?? '', row.municipalityName ?? '', row.role ?? '']);
  }
  const csv = stringify(records, {
    header: true,
    columns: MAILING_LIST_COLUMNS.map((column) => labels.columns[column]),
    bom: true,
    escape_formulas: true,
  });
  return { rows: records.length, csv };
}

// ---- Demo data -------------------------------------------------------------------------------

const DEMO_FIRST_NAMES = ['Kim', 'Alex', 'Robin', 'Sam', 'Charlie', 'Noa', 'Eli', 'Love', 'Vide', 'Ture', 'Iris', 'Tove', 'Maj', 'Bo', 'Siv'];
const DEMO_SURNAMES = ['Kontaktsson', 'Nätverksdotter', 'Samverkansson', 'Påhittsberg', 'Låtsasson', 'Diktarsdotter', 'Fabelström', 'Skisslund'];
const DEMO_AGENCIES: { kind: AgencyKind; agency: string; units: string[]; roles: string[]; municipal: boolean }[] = [
  {
    kind: 'social_services',
    agency: 'Socialtjänsten',
    units: ['IFO Vuxenenheten', 'IFO Barn och familj', 'Mottagningsenheten'],
    roles: ['Socialsekreterare', 'Enhetschef'],
    municipal: true,
  },
  { kind: 'primary_care', agency: 'Vårdcentralen Exempelby', units: ['Kuratorsmottagningen'], roles: ['Kurator'], municipal: true },
  {
    kind: 'hospital',
    agency: 'Länssjukhuset Exempelstad',
    units: ['Kvinnokliniken', 'Akutmottagningen', 'Psykiatrin'],
    roles: ['Kurator', 'Sjuksköterska'],
    municipal: false,
  },
  {
    kind: 'police',
    agency: 'Polisen, lokalpolisområde Exempel',
    units: ['Brottsofferenheten', 'Utredningsenheten'],
    roles: ['Brottsoffersamordnare', 'Utredare'],
    municipal: true,
  },
  { kind: 'prosecution', agency: 'Åklagarkammaren Exempelstad', units: [''], roles: ['Åklagare'], municipal: false },
  { kind: 'probation', agency: 'Frivården Exempelstad', units: [''], roles: ['Frivårdsinspektör'], municipal: false },
  { kind: 'voluntary', agency: 'Föreningen Påhittat Stöd', units: ['Jouren'], roles: ['Samordnare', 'Volontär'], municipal: false },
];
/** PTS's numbers for fiction (never given to a subscriber). */
const DEMO_PHONE_SERIES: readonly (readonly [string, number, number])[] = [
  ['070-17 40 ', 605, 699],
  ['031-390 0', 600, 699],
  ['08-465 00', 400, 499],
];

const asciiSlug = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');

/**
 * Fills the register with `count` obviously fictional contact persons and two network days a year
 * with attendance, for demos and benchmarks. `random` returns numbers in [0, 1) (pass a seeded one
 * for the same network every time). E-mail addresses use the reserved .example domain; phone numbers
 * come from the series PTS keeps for fiction. Nothing here is a real person, agency or number.
 * In the caller's transaction, all or nothing: the demo seeder and the tests run it in a
 * store.transaction of their own, outside any router call (so it writes no access-log row).
 */
export async function seedContactNetwork(
  tx: Tx,
  options: { count: number; random: () => number; by: string; now: Date; years?: number },
): Promise<{ contacts: number; networkDays: number }> {
  const { random, by, now } = options;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const today = todayLocal(now);
  const year = Number(today.slice(0, 4));
  const years = Math.max(1, options.years ?? 3);
  const municipalities = ['1445', '1499', '1444', '1447', '1471', '1497', '1446', '1494', '1493', '1495', '1496', '1472', '1498', '1473', '1470'];
  const at = now.toISOString();
  const ids: { id: string; start: string; end: string | null }[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const agency = pick(DEMO_AGENCIES);
    const name = `${pick(DEMO_FIRST_NAMES)} ${pick(DEMO_SURNAMES)}`;
    const municipalityCode = agency.municipal ? pick(municipalities) : null;
    const start = `${year - int(0, years + 2)}-${String(int(1, 12)).padStart(2, '0')}-01`;
    // About one in six has left the network: the register shows them as former.
    const ended = random() < 0.16;
    const end = ended ? `${year - int(0, 1)}-${String(int(1, 12)).padStart(2, '0')}-28` : null;
    const [prefix, first, last] = pick(DEMO_PHONE_SERIES);
    const record: ContactPersonRecord = {
      id: randomUUID(),
      name,
      agencyKind: agency.kind,
      agency: agency.agency,
      unit: pick(agency.units) || null,
      municipalityCode,
      role: pick(agency.roles),
      email: random() < 0.92 ? `${asciiSlug(name)}.${i + 1}@${asciiSlug(agency.kind)}.example` : null,
      phone: `${prefix}${int(first, last)}`,
      assignmentStart: start,
      assignmentEnd: end !== null && end < start ? start : end,
    };
    await insertContactPerson(tx, record, at, by);
    ids.push({ id: record.id, start: record.assignmentStart, end: record.assignmentEnd });
  }
  let days = 0;
  for (let y = year - years + 1; y <= year; y += 1) {
    for (const [month, theme] of [
      ['03', 'Våld i nära relationer och barnen'],
      ['10', 'Samverkan kring hedersrelaterat våld'],
    ] as const) {
      const date = `${y}-${month}-${String(int(10, 20)).padStart(2, '0')}`;
      if (date > today) continue;
      const id = randomUUID();
      await upsertNetworkDay(tx, { id, date, title: `Nätverksdag: ${theme}`, siteId: pick(['skaraborg', 'sodra-alvsborg']) }, at, by);
      const present = ids.filter((contact) => contact.start <= date && (contact.end === null || contact.end >= date) && random() < 0.6);
      await replaceAttendance(
        tx,
        id,
        present.map((contact) => contact.id),
        at,
        by,
      );
      days += 1;
    }
  }
  return { contacts: ids.length, networkDays: days };
}
