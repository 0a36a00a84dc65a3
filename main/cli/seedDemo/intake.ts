import { type AppointmentView, type Side, type Track, sideOfTrack } from '../../../preload/contract/index.js';
import { addLocalDays, minutesOfDay, timeOfMinutes } from '../../services/time.js';
import * as words from '../demoNames.js';
import { DAY, HOUR, instant, isWorkingDay, localOf } from './calendar.js';
import type { SeedBase } from './context.js';
import type { GroupWork } from './groups.js';
import type { JournalWork } from './journal.js';
import type { SimAppointment, SimClient, SlotTry, Therapist } from './model.js';
import { SeedDemoError } from './options.js';
import { CHILD_STARTS, DAY_STARTS, DURATIONS, SITE_SHARE } from './plan.js';
import type { ScheduleWork } from './schedule.js';

/** First calls, the waiting list, links found late and consultations. */
export function intakeWork(sim: SeedBase & JournalWork & ScheduleWork & GroupWork) {
  // ---- First calls ---------------------------------------------------------------------------

  const REFERRALS: Record<Track, readonly (readonly [string, number])[]> = {
    victim: [
      ['self', 35],
      ['social_services', 18],
      ['police', 20],
      ['primary_care', 7],
      ['hospital', 5],
      ['womens_shelter', 6],
      ['victim_support', 3],
      ['rfsl', 1],
      ['other', 5],
    ],
    perpetrator: [
      ['self', 38],
      ['probation', 20],
      ['social_services', 22],
      ['police', 5],
      ['prosecution', 3],
      ['primary_care', 5],
      ['other', 7],
    ],
    child: [
      ['social_services', 45],
      ['self', 22],
      ['school', 20],
      ['primary_care', 4],
      ['hospital', 3],
      ['police', 6],
    ],
  };
  const OUTCOMES: Record<Track, readonly (readonly [string, number])[]> = {
    victim: [
      ['booked', 55],
      ['waiting_list', 25],
      ['referred', 12],
      ['no_further_contact', 8],
    ],
    perpetrator: [
      ['booked', 50],
      ['waiting_list', 30],
      ['referred', 10],
      ['no_further_contact', 10],
    ],
    child: [
      ['booked', 45],
      ['waiting_list', 40],
      ['referred', 10],
      ['no_further_contact', 5],
    ],
  };

  const luhnCheckDigit = (digits: string) => {
    let sum = 0;
    for (let i = 0; i < digits.length; i += 1) {
      const product = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
      sum += product > 9 ? product - 9 : product;
    }
    return (10 - (sum % 10)) % 10;
  };
  /**
   * A valid personnummer for an invented person. Birth numbers are taken from 980–999 only, the
   * range used for test identities, to stay clear of the numbers people carry.
   */
  const fictionalPersonalNumber = (birthYear: number, female: boolean): string => {
    for (;;) {
      const month = sim.rng.int(1, 12);
      const day = sim.rng.int(1, 28);
      const sexDigit = female ? sim.rng.pick([0, 2, 4, 6, 8]) : sim.rng.pick([1, 3, 5, 7, 9]);
      const birthNumber = `9${sim.rng.int(8, 9)}${sexDigit}`;
      const datePart = `${String(birthYear % 100).padStart(2, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
      const number = `${birthYear}${datePart.slice(2)}-${birthNumber}${luhnCheckDigit(datePart + birthNumber)}`;
      if (!sim.usedPersonalNumbers.has(number)) {
        sim.usedPersonalNumbers.add(number);
        return number;
      }
    }
  };
  const fictionalPhone = () => {
    const [prefix, first, last] = sim.rng.pick(words.FICTION_PHONE_SERIES);
    return `${prefix}${sim.rng.int(first, last)}`;
  };

  const findForLink = async (other: SimClient, side: Side) => {
    // The receptionist looks the named person up: exact name; this side's people come back by initials, the other side's as a handle.
    const found = await sim.ok<{ id: string; otherSide: boolean }[]>('clients.findForLink', { side, query: other.name });
    const across = sideOfTrack(other.track) !== side;
    return found.some((candidate) => (across ? candidate.otherSide : candidate.id === other.id));
  };

  const recentUnlinked = (siteId: string, track: Track, within: number, wantsPerpetratorLink: boolean) =>
    sim.clients.filter(
      (candidate) =>
        candidate.siteId === siteId &&
        candidate.track === track &&
        !candidate.anonymous &&
        sim.clock - candidate.registeredAt < within &&
        (wantsPerpetratorLink ? !candidate.hasPerpetratorLink : candidate.linkedAcross.size === 0),
    );

  const firstCall = async () => {
    const track: Track = sim.rng.weighted([
      ['victim', 67],
      ['perpetrator', 18],
      ['child', 15],
    ]);
    const side = sideOfTrack(track);
    const siteId = sim.rng.weighted(SITE_SHARE);
    const female = track === 'victim' ? sim.rng.chance(0.88) : track === 'perpetrator' ? sim.rng.chance(0.1) : sim.rng.chance(0.5);
    const gender = track !== 'child' && sim.rng.chance(0.02) ? 'other' : female ? 'female' : 'male';
    const year = Number(localOf(sim.clock).date.slice(0, 4));
    // Adults from 18 to about 60, most around 40; children from 4 to 17.
    const birthYear =
      track === 'child' ? year - sim.rng.int(4, 17) : year - (18 + Math.round((sim.rng.next() + sim.rng.next() + sim.rng.next()) * 14));

    // Who the caller is related to among the clients already known.
    const links: { client: SimClient; kind: 'partner' | 'former_partner' | 'parent_child' }[] = [];
    let parent: SimClient | null = null;
    if (track === 'perpetrator' && sim.rng.chance(0.4)) {
      const partner = sim.rng.pick([null, ...recentUnlinked(siteId, 'victim', 540 * DAY, true)]);
      if (partner) links.push({ client: partner, kind: sim.rng.chance(0.5) ? 'partner' : 'former_partner' });
    } else if (track === 'victim' && sim.rng.chance(0.1)) {
      const partner = sim.rng.pick([null, ...recentUnlinked(siteId, 'perpetrator', 365 * DAY, false)]);
      if (partner) links.push({ client: partner, kind: sim.rng.chance(0.4) ? 'partner' : 'former_partner' });
    } else if (track === 'child' && sim.rng.chance(0.7)) {
      const parents = sim.clients.filter(
        (candidate) =>
          candidate.siteId === siteId &&
          candidate.track === 'victim' &&
          candidate.childrenUnder18 > 0 &&
          !candidate.anonymous &&
          sim.clock - candidate.registeredAt < 400 * DAY,
      );
      parent = parents.length > 0 ? sim.rng.pick(parents) : null;
      if (parent) {
        links.push({ client: parent, kind: 'parent_child' });
        // The other parent, on the perpetrators' side, when known: the separation rule then covers the child too.
        for (const otherId of parent.linkedAcross) {
          const other = sim.clients.find((candidate) => candidate.id === otherId);
          if (other && sim.rng.chance(0.6)) links.push({ client: other, kind: 'parent_child' });
        }
      }
    }
    for (const link of links) {
      if (!(await findForLink(link.client, side))) throw new SeedDemoError('clients.findForLink did not find a client by its exact name');
    }

    const anonymous = track !== 'child' && links.length === 0 && sim.rng.chance(track === 'victim' ? 0.1 : 0.08);
    const first =
      track === 'child'
        ? sim.rng.pick(female ? words.GIRLS_FIRST_NAMES : words.BOYS_FIRST_NAMES)
        : sim.rng.pick(female ? words.WOMEN_FIRST_NAMES : words.MEN_FIRST_NAMES);
    const surname = parent ? parent.surname : sim.rng.pick(words.SURNAMES);
    const name = anonymous ? `Anonym ${first}` : `${first} ${surname}`;
    if (!anonymous && sim.rng.chance(0.6)) {
      // Is the caller known already? A search by name before registering.
      await sim.ok('clients.search', { side, query: `${first} ${surname}`.slice(0, sim.rng.int(4, 8)) });
    }

    const referralSource = sim.rng.weighted(REFERRALS[track]);
    const contactBy = referralSource === 'self' ? 'self' : referralSource === 'police' && sim.rng.chance(0.7) ? 'outreach' : 'agency';
    const municipalityCode = sim.rng.chance(0.03) ? 'other' : sim.rng.weighted(sim.municipalities.get(siteId) ?? [['other', 1]]);
    const childrenUnder18 = track === 'child' ? 0 : sim.rng.chance(track === 'victim' ? 0.55 : 0.5) ? sim.rng.int(1, 4) : 0;
    const swedish = sim.rng.chance(0.82);
    const language = swedish ? 'svenska' : sim.rng.weighted(words.LANGUAGES_OTHER_THAN_SWEDISH);
    const hasPhone = sim.rng.chance(0.85);
    // As the routing at intake decides (main/services/intake.ts): the women's Etapp 2, or the children's.
    const routedToEtapp2 =
      referralSource === 'police' &&
      (track === 'child'
        ? sim.etapp2Children.has(municipalityCode)
        : track === 'victim' && gender === 'female' && childrenUnder18 > 0 && sim.etapp2.has(municipalityCode));
    let outcome = sim.rng.weighted(OUTCOMES[track]);
    // Etapp 2: the municipality's social secretary does the outreach; Utväg often sees her later.
    if (routedToEtapp2 && sim.rng.chance(0.5)) outcome = 'referred';
    const referredTo = outcome === 'referred' ? (routedToEtapp2 ? 'Etapp 2-socialsekreterare i kommunen' : sim.rng.pick(words.REFERRED_TO)) : '';
    const notes = words.REFERRAL_NOTES[referralSource];
    const input = {
      side,
      track,
      siteId,
      contactBy,
      referralSource,
      referralNote: notes && sim.rng.chance(0.7) ? sim.rng.pick(notes) : '',
      anonymous,
      name,
      personalNumber: !anonymous && sim.rng.chance(track === 'child' ? 0.5 : 0.45) ? fictionalPersonalNumber(birthYear, female) : '',
      birthYear: anonymous && sim.rng.chance(0.5) ? null : birthYear,
      gender,
      municipalityCode,
      language,
      interpreterNeeded: !swedish && language !== 'engelska' && sim.rng.chance(0.6),
      safeContact: {
        phone: hasPhone ? fictionalPhone() : '',
        safeToCall: hasPhone && sim.rng.chance(0.7),
        safeToText: hasPhone && sim.rng.chance(0.5),
        safeVoicemail: hasPhone && sim.rng.chance(0.2),
        safeTimes: track !== 'perpetrator' && sim.rng.chance(0.4) ? sim.rng.pick(words.SAFE_TIMES) : '',
        codeWord: track === 'victim' && sim.rng.chance(0.2) ? sim.rng.pick(words.CODE_WORDS) : '',
        instructions: track === 'victim' && sim.rng.chance(0.3) ? sim.rng.pick(words.CONTACT_INSTRUCTIONS) : '',
      },
      address: !anonymous && sim.rng.chance(0.5) ? `${sim.rng.pick(words.STREETS)} ${sim.rng.int(1, 60)}` : '',
      protectedIdentity: track !== 'perpetrator' && sim.rng.chance(0.04),
      childrenUnder18,
      links: links.map((link) => ({ clientId: link.client.id, kind: link.kind })),
      urgency: sim.rng.weighted([
        ['acute', 8],
        ['high', 25],
        ['normal', 67],
      ]),
      reason: sim.rng.pick(words.INTAKE_REASONS[track]),
      outcome,
      referredTo,
      booking: null as null | ReturnType<typeof bookingRequest>,
    };

    const client: SimClient = {
      id: '',
      track,
      side,
      siteId,
      name,
      surname,
      female,
      childrenUnder18,
      anonymous,
      registeredAt: sim.clock,
      therapist: null,
      linkedAcross: new Set(links.filter((link) => sideOfTrack(link.client.track) !== side).map((link) => link.client.id)),
      hasPerpetratorLink: links.some((link) => link.client.track === 'perpetrator'),
      sessionsLeft: 0,
      intervalDays: 7,
      preferredStart: null,
      missedInARow: 0,
      inGroup: false,
      everInGroup: false,
      finished: false,
      appointments: [],
      careWith: new Set(),
      visits: 0,
    };

    // Filled in by whichever registration the router accepts.
    const registered: { value: { clientId: string; appointment: AppointmentView | null } | null } = { value: null };
    if (outcome === 'booked') {
      // A first call back by phone within days, or a first visit within a week or two.
      const kind = anonymous || contactBy === 'outreach' || sim.rng.chance(0.4) ? 'first_call' : 'first_visit';
      const therapist = sim.assignTherapist(client);
      const minutes = kind === 'first_call' ? DURATIONS.first_call : DURATIONS.first_visit[track];
      const soon = input.urgency === 'acute' ? 1 : kind === 'first_call' ? sim.rng.int(1, 5) : sim.rng.int(4, 14);
      const starts = [...(track === 'child' ? CHILD_STARTS : DAY_STARTS)];
      starts.push(...starts.splice(0, sim.rng.int(0, starts.length - 1)));
      const view = await sim.tryTimes(
        therapist,
        localOf(sim.clock).date,
        sim.dayOffsetsAround(soon, 4),
        starts,
        minutes,
        kind !== 'first_call',
        async (slot) => {
          input.booking = bookingRequest(kind, therapist, slot, minutes);
          const result = await sim.call<{ clientId: string; appointment: AppointmentView }>('intake.register', input);
          if (result.ok) registered.value = result.value;
          return result;
        },
      );
      if (!view) {
        // No time fits now: the caller goes on the waiting list instead.
        input.outcome = 'waiting_list';
        input.booking = null;
      }
    }
    const saved = registered.value ?? (await sim.ok<{ clientId: string; appointment: AppointmentView | null }>('intake.register', input));
    client.id = saved.clientId;
    sim.clients.push(client);
    for (const link of links) {
      if (sideOfTrack(link.client.track) !== side) link.client.linkedAcross.add(client.id);
      if (track === 'perpetrator') link.client.hasPerpetratorLink = true;
    }
    if (saved.appointment) {
      await sim.ensureCare(client, client.therapist!);
      sim.lifecycle(sim.remember(saved.appointment, client, null));
    } else if (input.outcome === 'waiting_list') {
      const wait = input.urgency === 'acute' ? sim.rng.int(1, 4) : input.urgency === 'high' ? sim.rng.int(7, 28) : sim.rng.int(21, 112);
      sim.at(sim.clock + wait * DAY + sim.rng.int(1, 6) * HOUR, () => fromWaitingList(client));
    } else sim.finish(client);
    if (track === 'perpetrator' && links.length === 0 && !anonymous && sim.rng.chance(0.12)) {
      sim.at(sim.clock + sim.rng.int(14, 56) * DAY, () => lateLink(client));
    }
  };

  const bookingRequest = (kind: 'first_call' | 'first_visit', therapist: Therapist, slot: SlotTry, minutes: number) => ({
    kind,
    siteId: therapist.siteId,
    therapistId: therapist.id,
    roomId: slot.roomId,
    date: slot.date,
    start: slot.start,
    durationMinutes: minutes,
  });

  const fromWaitingList = async (client: SimClient) => {
    if (client.finished) return;
    // During office hours only: the receptionist calls the next person on the list.
    const local = localOf(sim.clock);
    if (!isWorkingDay(local.date) || minutesOfDay(local.time) < 8 * 60 || minutesOfDay(local.time) > 16 * 60) {
      sim.at(nextOfficeHour(sim.clock), () => fromWaitingList(client));
      return;
    }
    await sim.ok('clients.get', { side: client.side, clientId: client.id });
    const booked = await sim.bookClient(client, sim.rng.chance(0.3) ? 'first_call' : 'first_visit', sim.rng.int(2, 10));
    if (!booked) sim.at(sim.clock + 7 * DAY, () => fromWaitingList(client));
  };

  const nextOfficeHour = (from: number) => {
    let date = localOf(from).date;
    if (localOf(from).time >= '08:00') date = addLocalDays(date, 1);
    while (!isWorkingDay(date)) date = addLocalDays(date, 1);
    return instant(date, timeOfMinutes(8 * 60 + sim.rng.int(0, 420)));
  };

  /** Appointments of two clients at the same site within the buffer of each other, from `from` on. */
  const clashes = (a: SimClient, b: SimClient, from: number) => {
    const live = (client: SimClient) => client.appointments.filter((x) => x.status !== 'cancelled' && x.end > from);
    const found: [SimAppointment, SimAppointment][] = [];
    for (const x of live(a))
      for (const y of live(b)) if (x.siteId === y.siteId && x.start < y.end + sim.buffer && y.start < x.end + sim.buffer) found.push([x, y]);
    return found;
  };

  /**
   * A link learnt later (a probation officer names the partner): recorded with clients.link; any
   * clash it reveals with booked times is reported, and the receptionist moves the man's appointment.
   */
  const lateLink = async (perpetrator: SimClient) => {
    if (perpetrator.everInGroup || perpetrator.linkedAcross.size > 0) return;
    const candidates = recentUnlinked(perpetrator.siteId, 'victim', 365 * DAY, true).filter((victim) => !victim.everInGroup);
    if (candidates.length === 0) return;
    const victim = sim.rng.pick(candidates);
    // The past cannot be rebooked: only a pair without earlier clashes is linked in the demo.
    if (clashes(perpetrator, victim, 0).some(([x, y]) => Math.max(x.start, y.start) < sim.clock)) return;
    if (!(await findForLink(victim, 'perpetrators'))) throw new SeedDemoError('clients.findForLink did not find a client by its exact name');
    const linked = await sim.ok<{ conflicts: unknown[] }>('clients.link', {
      side: 'perpetrators',
      clientId: perpetrator.id,
      otherClientId: victim.id,
      kind: 'former_partner',
    });
    perpetrator.linkedAcross.add(victim.id);
    victim.linkedAcross.add(perpetrator.id);
    victim.hasPerpetratorLink = true;
    const found = clashes(perpetrator, victim, sim.clock);
    // The desk is told only the man's appointments that must move, each once.
    if (new Set(found.map(([his]) => his)).size !== linked.conflicts.length) sim.linkConflictMismatches += 1;
    for (const [x, y] of found) {
      const his = x.client === perpetrator ? x : y;
      if (his.status !== 'cancelled') await sim.cancelAndRebook(his, 'Krock med annan tid');
    }
  };

  /** A professional from a collaborating agency books a consultation about a case (no client). */
  const consultation = async (siteId: string) => {
    const therapist = sim.rng.pick(sim.therapists.filter((t) => t.siteId === siteId));
    const side = therapist.tracks.includes('perpetrator') ? 'perpetrators' : 'victims';
    const starts = [...DAY_STARTS];
    starts.push(...starts.splice(0, sim.rng.int(0, starts.length - 1)));
    const view = await sim.tryTimes(
      therapist,
      localOf(sim.clock).date,
      sim.dayOffsetsAround(sim.rng.int(2, 8), 3),
      starts,
      DURATIONS.consultation,
      true,
      (slot) => sim.call('appointments.book', sim.bookingInput(null, side, 'consultation', therapist, DURATIONS.consultation, slot, 'Konsultation')),
    );
    if (view) sim.lifecycle(sim.remember(view, null, null));
  };

  return {
    REFERRALS,
    OUTCOMES,
    luhnCheckDigit,
    fictionalPersonalNumber,
    fictionalPhone,
    findForLink,
    recentUnlinked,
    firstCall,
    bookingRequest,
    fromWaitingList,
    nextOfficeHour,
    clashes,
    lateLink,
    consultation,
  };
}

/** Everything the simulation has: its state and the work of each part. */
export type Sim = SeedBase & JournalWork & ScheduleWork & GroupWork & ReturnType<typeof intakeWork>;
