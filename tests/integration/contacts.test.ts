/**
 * The contact-person network (issue 6): the register of Utväg's contact persons in the collaborating
 * agencies, network days with attendance, the newsletter's mailing list, and the referrer a first
 * call may name. Everything runs through the real router on a real encrypted journal.
 */
import { describe, expect, it } from 'vitest';
import { seedContactNetwork } from '../../main/services/contacts.js';
import type { ContactView, NetworkDayView, ReferrerView } from '../../preload/contract/index.js';
import { intakeInput, setUpReception, type ReceptionApp } from '../helpers/reception.js';
import { FICTIONAL_ADMIN } from '../fixtures/people.js';
import { useTempDirs } from '../helpers/tempDir.js';
import { SV_MAILING_LABELS } from '../fixtures/mailingLabels.js';

const tempDir = useTempDirs();

const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
const ALL = { status: 'all', agencyKind: null, municipalityCode: null, text: '' } as const;

/** A contact person as the editor sends one; obviously fictional, with a phone number from PTS's series for fiction. */
function contactInput(extra: Record<string, unknown> = {}) {
  return {
    id: null,
    name: 'Kim Kontaktsson',
    agencyKind: 'police',
    agency: 'Polisen, lokalpolisområde Exempel',
    unit: 'Brottsofferenheten',
    municipalityCode: '1496',
    role: 'Brottsoffersamordnare',
    email: 'kim.kontaktsson@polis.example',
    phone: '08-465 004 10',
    assignmentStart: '2024-01-15',
    assignmentEnd: null,
    ...extra,
  };
}

async function save(t: ReceptionApp, extra: Record<string, unknown> = {}) {
  return t.ok<{ contact: ContactView; warnings: { code: string; otherId: string; otherName: string }[] }>('contacts.save', contactInput(extra));
}

const count = (t: ReceptionApp, table: string) => (t.app.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** RFC 4180, as a spreadsheet reads it: quoted cells may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

/** Adds a user (as the admin) and signs in as them with a password of their own; the admin signs in again afterwards. */
async function signInAsNew(t: ReceptionApp, username: string, roles: string[]): Promise<void> {
  await t.ok('auth.login', { username: FICTIONAL_ADMIN.username, password: FICTIONAL_ADMIN.password });
  const created = await t.ok<{ temporaryPassword: string }>('users.create', { displayName: `Testa ${username}`, username, roles });
  await t.ok('auth.login', { username, password: created.temporaryPassword });
  const chosen = `${username}-egen-lång-fras`;
  await t.ok('auth.changePassword', { currentPassword: created.temporaryPassword, newPassword: chosen, newPasswordRepeat: chosen });
}

describe('the contact-person register', () => {
  it('saves and validates contact persons, next to the field and without writing anything refused', async () => {
    const t = await setUpReception(tempDir());
    const { contact, warnings } = await save(t);
    expect(warnings).toEqual([]);
    expect(contact).toMatchObject({
      name: 'Kim Kontaktsson',
      agencyKind: 'police',
      municipalityCode: '1496',
      municipalityName: 'Skövde',
      email: 'kim.kontaktsson@polis.example',
      current: true,
      attendedDays: 0,
      deletable: true,
    });

    const refusals: [Record<string, unknown>, string, string][] = [
      [{ email: 'kim.kontaktsson@polis' }, 'email', 'contacts.error.email'],
      [{ email: 'kim kontaktsson@polis.example' }, 'email', 'contacts.error.email'],
      [{ phone: 'ring växeln' }, 'phone', 'error.phone.invalid'],
      [{ email: '', phone: '' }, 'email', 'contacts.error.reachable'],
      [{ assignmentEnd: '2024-01-14' }, 'assignmentEnd', 'contacts.error.endBeforeStart'],
      [{ assignmentStart: '2024-02-30' }, 'assignmentStart', 'error.date.nonexistent'],
      [{ assignmentStart: '15/1 2024' }, 'assignmentStart', 'error.date.format'],
      [{ municipalityCode: '9999' }, 'municipalityCode', 'contacts.error.municipality'],
      [{ agencyKind: 'army' }, 'agencyKind', ''],
      [{ name: ' ' }, 'name', ''],
    ];
    for (const [extra, field, message] of refusals) {
      const result = await t.call('contacts.save', contactInput({ ...extra, email: extra.email ?? 'ny.person@ifo.example' }));
      const context = JSON.stringify(extra);
      expect(result.ok, context).toBe(false);
      if (!result.ok) {
        expect(result.error.code, context).toBe('INVALID_INPUT');
        expect(Object.keys(result.error.fields ?? {}), context).toContain(field);
        if (message) expect(result.error.fields?.[field], context).toBe(message);
      }
    }
    expect(count(t, 'contact_persons')).toBe(1);

    // A change keeps the id and moves the time of the last change; an unknown id is not created.
    const changed = await save(t, { id: contact.id, role: 'Utredare', unit: '' });
    expect(changed.contact).toMatchObject({ id: contact.id, role: 'Utredare', unit: null });
    expect(await t.call('contacts.save', contactInput({ id: 'finns-inte' }))).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(count(t, 'contact_persons')).toBe(1);
    const row = t.app.db.prepare('SELECT created_by AS createdBy, updated_by AS updatedBy FROM contact_persons').get() as Record<string, string>;
    expect(row).toEqual({ createdBy: t.app.user!.id, updatedBy: t.app.user!.id });
  });

  it('warns, without refusing, when another contact person has the same e-mail address', async () => {
    const t = await setUpReception(tempDir());
    const first = await save(t);
    // A unit's shared mailbox: the second person is saved, and the admin is told who else has it.
    const second = await save(t, { name: 'Robin Samverkansson', email: 'KIM.Kontaktsson@polis.example' });
    expect(second.warnings).toEqual([{ code: 'duplicate_email', otherId: first.contact.id, otherName: 'Kim Kontaktsson' }]);
    expect(count(t, 'contact_persons')).toBe(2);
    // Saving the first again warns about the second, never about itself.
    const again = await save(t, { id: first.contact.id });
    expect(again.warnings.map((warning) => warning.otherId)).toEqual([second.contact.id]);
  });

  it('lists current and former contact persons, filtered by agency, municipality and text', async () => {
    const t = await setUpReception(tempDir());
    const kim = (await save(t)).contact;
    const former = (
      await save(t, {
        name: 'Alex Nätverksdotter',
        agencyKind: 'hospital',
        agency: 'Länssjukhuset Exempelstad',
        unit: 'Kvinnokliniken',
        municipalityCode: null,
        role: 'Kurator',
        email: 'alex.natverksdotter@sjukhus.example',
        assignmentStart: '2015-03-01',
        assignmentEnd: '2020-06-30',
      })
    ).contact;
    // The end date is the assignment's last day: ending today still counts as current.
    const lastDay = (
      await save(t, {
        name: 'Åsa Överlämnarsson',
        agencyKind: 'social_services',
        agency: 'Socialtjänsten Exempelby',
        unit: 'IFO Vuxenenheten',
        municipalityCode: '1494',
        role: 'Socialsekreterare',
        email: 'asa.overlamnarsson@ifo.example',
        assignmentStart: '2020-01-01',
        assignmentEnd: today(),
      })
    ).contact;
    expect(former.current).toBe(false);
    expect(lastDay.current).toBe(true);

    const names = async (filter: Record<string, unknown>) =>
      (await t.ok<ContactView[]>('contacts.list', { filter: { ...ALL, ...filter } })).map((contact) => contact.name);
    // In Swedish order: Å after Z.
    expect(await names({})).toEqual(['Alex Nätverksdotter', 'Kim Kontaktsson', 'Åsa Överlämnarsson']);
    expect((await names({ status: 'current' })).sort()).toEqual([kim.name, lastDay.name].sort());
    expect(await names({ status: 'former' })).toEqual([former.name]);
    expect(await names({ agencyKind: 'hospital' })).toEqual([former.name]);
    expect(await names({ municipalityCode: '1494' })).toEqual([lastDay.name]);
    // Text matches name, agency, unit, role, e-mail and municipality, whatever the case, å ä ö included.
    expect(await names({ text: 'ÖVERLÄMNAR' })).toEqual([lastDay.name]);
    expect(await names({ text: 'skövde' })).toEqual([kim.name]);
    expect(await names({ text: 'kurator kvinnokliniken' })).toEqual([former.name]);
    expect(await names({ text: 'ingen sådan' })).toEqual([]);
    expect(await names({ status: 'current', agencyKind: 'hospital' })).toEqual([]);
  });

  it('records network days and who attended, and counts the days per person', async () => {
    const t = await setUpReception(tempDir());
    const kim = (await save(t)).contact;
    const robin = (await save(t, { name: 'Robin Samverkansson', email: 'robin.samverkansson@ifo.example', agencyKind: 'social_services' })).contact;
    const gone = (await save(t, { name: 'Sam Låtsasson', email: 'sam@frivard.example', assignmentStart: '2015-01-01', assignmentEnd: '2019-12-31' }))
      .contact;

    const spring = await t.ok<NetworkDayView>('networkDays.save', {
      id: null,
      date: '2025-03-12',
      title: 'Barnen i våldets närhet',
      siteId: 'skaraborg',
    });
    const autumn = await t.ok<NetworkDayView>('networkDays.save', { id: null, date: '2025-10-15', title: 'Hedersrelaterat våld', siteId: null });
    expect(spring).toMatchObject({ date: '2025-03-12', siteId: 'skaraborg', attendeeIds: [] });

    expect(await t.ok('networkDays.setAttendance', { networkDayId: spring.id, contactIds: [kim.id, robin.id, kim.id] })).toMatchObject({
      attendeeIds: [kim.id, robin.id].sort(),
    });
    await t.ok('networkDays.setAttendance', { networkDayId: autumn.id, contactIds: [kim.id] });
    const attended = async () =>
      Object.fromEntries(
        (await t.ok<ContactView[]>('contacts.list', { filter: ALL })).map((contact) => [contact.name, contact.attendedDays] as const),
      );
    expect(await attended()).toEqual({ [kim.name]: 2, [robin.name]: 1, [gone.name]: 0 });

    // Unticking removes only that person.
    await t.ok('networkDays.setAttendance', { networkDayId: spring.id, contactIds: [robin.id] });
    expect(await attended()).toEqual({ [kim.name]: 1, [robin.name]: 1, [gone.name]: 0 });

    // Someone who had left the network before the day, or no one at all: refused, and nothing of the list is kept.
    const before = await t.ok<NetworkDayView[]>('networkDays.list');
    expect(await t.call('networkDays.setAttendance', { networkDayId: spring.id, contactIds: [kim.id, gone.id] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { contactIds: 'contacts.error.notInNetworkThatDay' } },
    });
    expect(await t.call('networkDays.setAttendance', { networkDayId: spring.id, contactIds: [kim.id, 'finns-inte'] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await t.call('networkDays.setAttendance', { networkDayId: 'finns-inte', contactIds: [] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await t.ok<NetworkDayView[]>('networkDays.list')).toEqual(before);

    // A recorded attendance stays valid when the person's dates are corrected later.
    await save(t, { id: robin.id, name: robin.name, email: robin.email, agencyKind: 'social_services', assignmentStart: '2025-06-01' });
    await t.ok('networkDays.setAttendance', { networkDayId: spring.id, contactIds: [robin.id, kim.id] });

    // The day itself can be corrected; an unknown site is refused next to the field.
    expect(
      await t.ok('networkDays.save', { id: autumn.id, date: '2025-10-16', title: 'Hedersrelaterat våld och förtryck', siteId: 'sodra-alvsborg' }),
    ).toMatchObject({ id: autumn.id, date: '2025-10-16', siteId: 'sodra-alvsborg', attendeeIds: [kim.id] });
    expect(await t.call('networkDays.save', { id: null, date: '2025-11-01', title: 'Okänd plats', siteId: 'atlantis' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { siteId: 'error.site.unknown' } },
    });
    expect((await t.ok<NetworkDayView[]>('networkDays.list')).map((day) => day.date)).toEqual(['2025-10-16', '2025-03-12']);
  });

  it('exports the mailing list: current contact persons with an e-mail, once per address, a header row, formulas defused', async () => {
    const t = await setUpReception(tempDir());
    await save(t, { name: '=HYPERLINK("http://angripare.example","klicka")', email: 'formel@ifo.example', agencyKind: 'social_services' });
    await save(t, { name: 'Robin Samverkansson', role: '@SUM(1+1)', agency: '+46 Exempelbyrån', unit: '-2+3', email: 'robin@ifo.example' });
    await save(t, { name: 'Vide Brevlådesson', email: 'ROBIN@ifo.example' });
    await save(t, { name: 'Utan Epostsson', email: '', phone: '08-465 004 11' });
    await save(t, { name: 'Slutad Kontaktsson', email: 'slutad@polis.example', assignmentStart: '2015-01-01', assignmentEnd: '2020-12-31' });
    await save(t, { name: 'Tove Sjukhusdotter', email: 'tove@sjukhus.example', agencyKind: 'hospital', municipalityCode: null });

    const exported = await t.ok<{ rows: number; csv: string }>('contacts.mailingListCsv', {
      labels: SV_MAILING_LABELS,
      filter: { agencyKind: null, municipalityCode: null, text: '' },
    });
    expect(exported.csv.startsWith('\ufeff')).toBe(true);
    const [header, ...rows] = parseCsv(exported.csv.slice(1));
    expect(header).toEqual(['Namn', 'E-post', 'Verksamhet', 'Myndighet eller organisation', 'Enhet', 'Kommun', 'Roll']);
    expect(exported.rows).toBe(rows.length);
    const byEmail = Object.fromEntries(rows.map((row) => [row[1]!.toLowerCase(), row]));
    expect(Object.keys(byEmail).sort()).toEqual(['formel@ifo.example', 'robin@ifo.example', 'tove@sjukhus.example']);
    // A cell a spreadsheet would run as a formula starts with ' instead.
    expect(byEmail['formel@ifo.example']![0]).toBe(`'=HYPERLINK("http://angripare.example","klicka")`);
    expect(byEmail['robin@ifo.example']).toEqual([
      'Robin Samverkansson',
      'robin@ifo.example',
      'Polisen',
      "'+46 Exempelbyrån",
      "'-2+3",
      'Skövde',
      "'@SUM(1+1)",
    ]);
    expect(byEmail['tove@sjukhus.example']!.slice(0, 3)).toEqual(['Tove Sjukhusdotter', 'tove@sjukhus.example', 'Sjukhuset']);
    for (const row of rows) for (const cell of row) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);

    // Filtered like the register.
    const hospital = await t.ok<{ rows: number; csv: string }>('contacts.mailingListCsv', {
      labels: SV_MAILING_LABELS,
      filter: { agencyKind: 'hospital', municipalityCode: null, text: '' },
    });
    expect(hospital.rows).toBe(1);
    expect(parseCsv(hospital.csv.slice(1))[1]![1]).toBe('tove@sjukhus.example');
    const none = await t.ok<{ rows: number; csv: string }>('contacts.mailingListCsv', {
      labels: SV_MAILING_LABELS,
      filter: { agencyKind: null, municipalityCode: '1494', text: '' },
    });
    expect(none.rows).toBe(0);
    expect(parseCsv(none.csv.slice(1))).toEqual([header]);

    // In the words of the screen's language; words that a spreadsheet would run are disarmed too.
    const english = await t.ok<{ rows: number; csv: string }>('contacts.mailingListCsv', {
      labels: {
        columns: { ...SV_MAILING_LABELS.columns, name: 'Name', agencyKind: '=Kind' },
        kinds: { ...SV_MAILING_LABELS.kinds, hospital: 'Hospital' },
      },
      filter: { agencyKind: 'hospital', municipalityCode: null, text: '' },
    });
    const [englishHeader, tove] = parseCsv(english.csv.slice(1));
    expect(englishHeader!.slice(0, 3)).toEqual(['Name', 'E-post', "'=Kind"]);
    expect(tove!.slice(0, 3)).toEqual(['Tove Sjukhusdotter', 'tove@sjukhus.example', 'Hospital']);
  });
});

describe('the referrer on a first call', () => {
  it('names a current contact person; an unknown or former one is refused next to the picker and nothing is written', async () => {
    const t = await setUpReception(tempDir());
    const kim = (await save(t)).contact;
    const former = (
      await save(t, { name: 'Sam Låtsasson', email: 'sam@frivard.example', assignmentStart: '2015-01-01', assignmentEnd: '2019-12-31' })
    ).contact;

    // Reception sees current contact persons only, and only name, agency, unit and municipality.
    const offered = await t.ok<ReferrerView[]>('contacts.referrers');
    expect(offered).toEqual([
      {
        id: kim.id,
        name: 'Kim Kontaktsson',
        agencyKind: 'police',
        agency: 'Polisen, lokalpolisområde Exempel',
        unit: 'Brottsofferenheten',
        municipalityCode: '1496',
      },
    ]);

    const clientId = await t.newClient('victim', 'Remissa Fiktivsdotter', {
      contactBy: 'agency',
      referralSource: 'police',
      referrerContactId: kim.id,
    });
    const detail = await t.ok<{ intakes: { referrer: unknown }[] }>('clients.get', { side: 'victims', clientId });
    expect(detail.intakes[0]!.referrer).toEqual({ name: 'Kim Kontaktsson', agency: 'Polisen, lokalpolisområde Exempel', unit: 'Brottsofferenheten' });
    const withoutReferrer = await t.newClient('victim', 'Egen Fiktivsdotter');
    expect(
      (await t.ok<{ intakes: { referrer: unknown }[] }>('clients.get', { side: 'victims', clientId: withoutReferrer })).intakes[0]!.referrer,
    ).toBeNull();

    const clientsBefore = count(t, 'clients');
    const logBefore = count(t, 'access_log');
    for (const [referrerContactId, message] of [
      ['finns-inte', 'contacts.error.referrerUnknown'],
      [former.id, 'contacts.error.referrerFormer'],
    ] as const) {
      const result = await t.call('intake.register', {
        ...intakeInput('victim', 'Avvisad Fiktivsdotter'),
        referrerContactId,
      });
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { referrerContactId: message } } });
    }
    expect(count(t, 'clients')).toBe(clientsBefore);
    expect(count(t, 'access_log')).toBe(logBefore);

    // Named on an intake, Kim cannot be deleted; ending the assignment takes her off the picker and keeps the intake's referrer.
    expect(await t.call('contacts.delete', { id: kim.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'contacts.error.namedOnIntake' },
    });
    expect((await t.ok<ContactView[]>('contacts.list', { filter: ALL })).find((contact) => contact.id === kim.id)?.deletable).toBe(false);
    await save(t, { id: kim.id, assignmentEnd: '2024-12-31' });
    expect(await t.ok<ReferrerView[]>('contacts.referrers')).toEqual([]);
    expect(
      (await t.ok<{ intakes: { referrer: { name: string } | null }[] }>('clients.get', { side: 'victims', clientId })).intakes[0]!.referrer?.name,
    ).toBe('Kim Kontaktsson');

    // One never named goes, with their attendance.
    const day = await t.ok<NetworkDayView>('networkDays.save', { id: null, date: '2018-03-14', title: 'Nätverksdag', siteId: null });
    await t.ok('networkDays.setAttendance', { networkDayId: day.id, contactIds: [former.id] });
    expect(await t.ok('contacts.delete', { id: former.id })).toEqual({ deleted: true });
    expect(await t.call('contacts.delete', { id: former.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await t.ok<NetworkDayView[]>('networkDays.list'))[0]!.attendeeIds).toEqual([]);
  });
});

describe('who may use the register', () => {
  it('a receptionist may only list the current referrers; a therapist nothing', async () => {
    const t = await setUpReception(tempDir());
    const kim = (await save(t)).contact;
    const day = await t.ok<NetworkDayView>('networkDays.save', { id: null, date: '2025-03-12', title: 'Nätverksdag', siteId: null });
    const adminChannels: [string, unknown][] = [
      ['contacts.list', { filter: ALL }],
      ['contacts.save', contactInput()],
      ['contacts.delete', { id: kim.id }],
      ['contacts.mailingListCsv', { filter: { agencyKind: null, municipalityCode: null, text: '' }, labels: SV_MAILING_LABELS }],
      ['networkDays.list', {}],
      ['networkDays.save', { id: null, date: '2025-10-01', title: 'Obehörig dag', siteId: null }],
      ['networkDays.setAttendance', { networkDayId: day.id, contactIds: [kim.id] }],
    ];
    await signInAsNew(t, 'rut.receptionist', ['receptionist']);
    for (const [channel, input] of adminChannels) {
      expect(await t.call(channel, input), channel).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'error.forbidden' } });
    }
    expect((await t.ok<ReferrerView[]>('contacts.referrers')).map((referrer) => referrer.id)).toEqual([kim.id]);
    await signInAsNew(t, 'tage.terapeut', ['therapist']);
    expect(await t.call('contacts.referrers')).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'error.forbidden' } });
    // Nothing the refused calls asked for happened.
    expect(count(t, 'contact_persons')).toBe(1);
    expect(count(t, 'network_days')).toBe(1);
    expect(count(t, 'network_day_attendance')).toBe(0);
  });
});

describe('the register holds no client data', () => {
  it('no answer of the network channels, nor its tables, names or points at a client', async () => {
    const t = await setUpReception(tempDir());
    const kim = (await save(t)).contact;
    const day = await t.ok<NetworkDayView>('networkDays.save', { id: null, date: '2025-03-12', title: 'Nätverksdag', siteId: null });
    await t.ok('networkDays.setAttendance', { networkDayId: day.id, contactIds: [kim.id] });
    const clients = [
      { name: 'Hemliga Klientsdotter', personalNumber: '19900101-0017', phone: '070-17 40 650' },
      { name: 'Dolda Fiktivsdotter', personalNumber: '', phone: '031-390 06 50' },
    ];
    const clientIds: string[] = [];
    for (const client of clients) {
      clientIds.push(
        await t.newClient('victim', client.name, {
          personalNumber: client.personalNumber,
          referralSource: 'police',
          referrerContactId: kim.id,
          reason: 'Fritext som aldrig får synas i registret',
          safeContact: {
            phone: client.phone,
            safeToCall: true,
            safeToText: false,
            safeVoicemail: false,
            safeTimes: '',
            codeWord: 'Kodordet',
            instructions: '',
          },
        }),
      );
    }
    const logBefore = count(t, 'access_log');
    const answers = JSON.stringify([
      await t.ok('contacts.list', { filter: ALL }),
      await t.ok('contacts.referrers'),
      await t.ok('networkDays.list'),
      await t.ok('contacts.mailingListCsv', { filter: { agencyKind: null, municipalityCode: null, text: '' }, labels: SV_MAILING_LABELS }),
      await t.ok('contacts.save', contactInput({ id: kim.id })),
    ]);
    for (const secret of [
      ...clients.flatMap((client) => [client.name, client.phone]),
      '19900101-0017',
      '199001010017',
      'Fritext',
      'Kodordet',
      ...clientIds,
    ]) {
      expect(answers).not.toContain(secret);
    }
    // The register's channels touch no client data, so they leave no access-log row either.
    expect(count(t, 'access_log')).toBe(logBefore);
    // No column of the register refers to a client or an intake: the only link runs from the intake to its referrer.
    for (const table of ['contact_persons', 'network_days', 'network_day_attendance']) {
      const targets = (t.app.db.prepare(`SELECT "table" AS target FROM pragma_foreign_key_list(?)`).all(table) as { target: string }[]).map(
        (row) => row.target,
      );
      expect(targets, table).not.toContain('clients');
      expect(targets, table).not.toContain('intakes');
      const columns = (t.app.db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((row) => row.name);
      expect(
        columns.filter((column) => /client|intake|personal|journal/.test(column)),
        table,
      ).toEqual([]);
    }
  });
});

describe('demo data for the network', () => {
  it('seeds obviously fictional contact persons and network days, the same ones for the same random numbers', async () => {
    const t = await setUpReception(tempDir());
    const lcg = (seed: number) => () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 4294967296;
    };
    const now = new Date('2026-11-23T10:00:00Z');
    const seeded = await t.app.store.transaction((tx) => seedContactNetwork(tx, { count: 55, random: lcg(7), by: t.app.user!.id, now, years: 3 }));
    expect(seeded.contacts).toBe(55);
    expect(seeded.networkDays).toBe(6);
    const contacts = await t.ok<ContactView[]>('contacts.list', { filter: ALL });
    expect(contacts).toHaveLength(55);
    for (const contact of contacts) {
      if (contact.email) expect(contact.email).toMatch(/@[a-z_.]+\.example$/);
      // Only PTS's series for fiction.
      expect(contact.phone).toMatch(/^(070-17 40 6\d\d|031-390 06\d\d|08-465 004\d\d)$/);
      if (contact.assignmentEnd) expect(contact.assignmentEnd >= contact.assignmentStart).toBe(true);
    }
    const byId = new Map(contacts.map((contact) => [contact.id, contact]));
    for (const day of await t.ok<NetworkDayView[]>('networkDays.list')) {
      expect(day.date <= '2026-11-23').toBe(true);
      for (const id of day.attendeeIds) {
        const contact = byId.get(id)!;
        expect(contact.assignmentStart <= day.date && (contact.assignmentEnd === null || contact.assignmentEnd >= day.date)).toBe(true);
      }
    }
    // The same numbers give the same network in another journal.
    const other = await setUpReception(tempDir());
    await other.app.store.transaction((tx) => seedContactNetwork(tx, { count: 55, random: lcg(7), by: other.app.user!.id, now, years: 3 }));
    const shape = (list: ContactView[]) =>
      list
        .map(({ name, agencyKind, email, phone, assignmentStart, assignmentEnd }) =>
          JSON.stringify([name, agencyKind, email, phone, assignmentStart, assignmentEnd]),
        )
        .sort();
    expect(shape(await other.ok<ContactView[]>('contacts.list', { filter: ALL }))).toEqual(shape(contacts));
  });
});
