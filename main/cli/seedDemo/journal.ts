import type { Side } from '../../../preload/contract/index.js';
import type { EntryKind } from '../../../preload/domain/index.js';
import { addLocalDays, timeOfMinutes, weekdayOf } from '../../services/time.js';
import * as words from '../demoNames.js';
import { DAY, MINUTE, instant, localOf } from './calendar.js';
import type { SeedBase } from './context.js';
import type { Path, SimAppointment, SimClient, Therapist } from './model.js';

/** Care relations and the journal: what the therapists write, their days at the screen, the admin's monthly round. */
export function journalWork(sim: SeedBase) {
  // ---- Care relations and the journal -----------------------------------------------------------

  const therapistById = new Map(sim.therapists.map((t) => [t.id, t]));
  const sideOfTherapist = (t: Therapist): Side => (t.tracks.includes('perpetrator') ? 'perpetrators' : 'victims');
  /** Time passes while someone works (never beyond the end of the simulated period). */
  const later = (minutes: number) => {
    sim.clock = Math.min(sim.until, sim.clock + minutes * MINUTE);
  };
  /** A few different sentences from a list, in random order. */
  const some = (list: readonly string[], count: number): string[] => {
    const pool = [...list];
    const chosen: string[] = [];
    while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(sim.rng.int(0, pool.length - 1), 1)[0]!);
    return chosen;
  };

  /** The receptionist records who is in the client's care: from then on that therapist may open the journal. */
  const ensureCare = async (client: SimClient, therapist: Therapist) => {
    if (client.careWith.has(therapist.id)) return;
    await sim.ok('care.assign', { side: client.side, clientId: client.id, therapistId: therapist.id });
    client.careWith.add(therapist.id);
  };
  const endCare = async (client: SimClient, therapist: Therapist) => {
    if (!client.careWith.has(therapist.id)) return;
    await sim.ok('care.end', { side: client.side, clientId: client.id, therapistId: therapist.id });
    client.careWith.delete(therapist.id);
  };

  /**
   * A therapist writes in a journal the way the screen does: opens it, saves a draft (a third of
   * the time in two sittings), and signs it with the password. Notes of the last fortnight are
   * partly still unsigned, older ones very rarely; a few signed entries are amended days later.
   * Under emergency access the journal is already open and no care relation is needed.
   */
  const writeEntry = async (client: SimClient, therapist: Therapist, kind: EntryKind, parts: string[], access: 'care' | 'emergency' = 'care') => {
    if (access === 'care') {
      // Care ended meanwhile (the client finished): the note is not written.
      if (!client.careWith.has(therapist.id)) return;
      await sim.ok('journal.open', { clientId: client.id }, therapist.desk);
    }
    const body = parts.join(' ');
    const twoSittings = parts.length > 2 && sim.rng.chance(0.35);
    const firstDraft = twoSittings ? parts.slice(0, Math.ceil(parts.length / 2)).join(' ') : body;
    let entry = await sim.ok<{ id: string }>('journal.saveDraft', { clientId: client.id, entryId: null, kind, body: firstDraft }, therapist.desk);
    if (twoSittings) {
      later(sim.rng.int(5, 45));
      entry = await sim.ok<{ id: string }>('journal.saveDraft', { clientId: client.id, entryId: entry.id, kind, body }, therapist.desk);
    }
    // A closing summary is signed before the care ends; other notes may wait.
    if (kind !== 'closing_summary' && sim.rng.chance(sim.until - sim.clock < 14 * DAY ? 0.4 : 0.003)) return;
    later(sim.rng.int(1, 10));
    await sim.ok('journal.sign', { entryId: entry.id, password: therapist.temporaryPassword }, therapist.desk);
    if (access === 'care' && sim.rng.chance(0.02)) {
      const signedId = entry.id;
      sim.at(sim.clock + sim.rng.int(1, 14) * DAY, async () => {
        if (!client.careWith.has(therapist.id)) return;
        const [reason, correction] = sim.rng.pick(words.AMENDMENTS);
        await sim.ok('journal.open', { clientId: client.id }, therapist.desk);
        await sim.ok(
          'journal.amend',
          { entryId: signedId, reason, body: `${body}\n\n${correction}`, password: therapist.temporaryPassword },
          therapist.desk,
        );
      });
    }
  };

  const visitNote = (client: SimClient, kind: SimAppointment['kind']): [EntryKind, string[]] => {
    const track = client.track;
    if (kind === 'first_call') {
      const [opening, ...rest] = words.FIRST_CALL_NOTES[track];
      return ['note', [opening!, ...some(rest, sim.rng.int(2, 3))]];
    }
    if (kind === 'first_visit') {
      return [
        'assessment',
        [
          ...words.ASSESSMENT_OPENINGS[track],
          ...some(words.ASSESSMENT_NOTES[track], sim.rng.int(2, 3)),
          words.riskSentence(track, sim.rng.pick(words.RISK_LEVELS)),
          ...words.ASSESSMENT_CONCLUSIONS[track],
        ],
      ];
    }
    return [
      'note',
      [sim.rng.pick(words.NOTE_OPENINGS[track]), ...some(words.NOTE_CONTENT[track], sim.rng.int(2, 3)), sim.rng.pick(words.NOTE_CLOSINGS)],
    ];
  };

  /** After a visit (or a missed one) the therapist documents it, within a few hours. */
  const documentVisit = (appointment: SimAppointment, attended: boolean) => {
    const client = appointment.client;
    const therapist = therapistById.get(appointment.therapistId);
    if (!client || !therapist || appointment.kind === 'group' || appointment.kind === 'consultation') return;
    if (attended) client.visits += 1;
    else if (sim.rng.chance(0.5)) return;
    sim.at(appointment.end + sim.rng.int(10, 150) * MINUTE, async () => {
      if (attended) {
        const [kind, parts] = visitNote(client, appointment.kind);
        await writeEntry(client, therapist, kind, parts);
      } else {
        await writeEntry(client, therapist, 'note', [words.NO_SHOW_NOTES[0], sim.rng.pick(words.NO_SHOW_NOTES.slice(1, 3)), words.NO_SHOW_NOTES[3]]);
      }
    });
  };

  const planTreatment = (client: SimClient, path: Path) => {
    const therapist = client.therapist;
    if (!therapist) return;
    sim.at(sim.clock + sim.rng.int(1, 5) * DAY, () =>
      writeEntry(client, therapist, 'treatment_plan', [
        ...words.PLAN_OPENINGS[client.track],
        sim.rng.pick(words.TREATMENT_GOALS[client.track]),
        path === 'group' ? words.PLAN_EFFORTS.group : client.intervalDays === 14 ? words.PLAN_EFFORTS.fortnightly : words.PLAN_EFFORTS.weekly,
        words.PLAN_FOLLOW_UP,
      ]),
    );
  };

  /** The group's leader writes a short note in most members' journals after a session. */
  const documentGroupSession = (session: SimAppointment) => {
    const group = session.group;
    const leader = group && therapistById.get(group.therapistId);
    if (!group || !leader) return;
    const members = [...group.members];
    sim.at(session.end + sim.rng.int(15, 120) * MINUTE, async () => {
      const theme = sim.rng.pick(words.GROUP_THEMES[group.track]);
      for (const member of members) {
        if (sim.rng.chance(0.7))
          await writeEntry(member, leader, 'note', [words.groupSessionSentence(group.name, theme), sim.rng.pick(words.GROUP_PARTICIPATION)]);
      }
    });
  };

  const closeCare = async (client: SimClient) => {
    const own = client.therapist;
    if (own && client.visits > 0) {
      const reason = client.missedInARow >= 2 ? words.CLOSING_REASONS[2] : sim.rng.chance(0.15) ? words.CLOSING_REASONS[1] : words.CLOSING_REASONS[0];
      await writeEntry(client, own, 'closing_summary', [words.CLOSING_OPENING, reason, ...some(words.CLOSING_SUMMARIES[client.track], 2)]);
    }
    later(sim.rng.int(5, 60));
    for (const therapistId of [...client.careWith]) await endCare(client, therapistById.get(therapistId)!);
  };

  /**
   * Now and then a colleague opens a journal through emergency access (the client's own therapist is
   * away), writes a short note under it, and the access is flagged for the admin's monthly review.
   */
  const emergencyAccess = async () => {
    const weekday = weekdayOf(localOf(sim.clock).date);
    const inCare = sim.clients.filter((client) => !client.finished && client.careWith.size > 0);
    if (inCare.length === 0) return;
    const client = sim.rng.pick(inCare);
    const colleagues = sim.therapistsFor(client.siteId, client.track).filter((t) => !client.careWith.has(t.id) && t.hours.has(weekday));
    if (colleagues.length === 0) return;
    const colleague = sim.rng.pick(colleagues);
    await sim.ok('journal.emergencyOpen', { clientId: client.id, reason: sim.rng.pick(words.EMERGENCY_REASONS) }, colleague.desk);
    later(sim.rng.int(10, 40));
    await writeEntry(client, colleague, 'note', [...words.EMERGENCY_NOTES], 'emergency');
  };

  /** A therapist's day at the screen: the week in the morning, today after lunch, tomorrow before leaving. */
  const therapistDay = (therapist: Therapist, date: string) => {
    const hours = therapist.hours.get(weekdayOf(date));
    if (!hours) return;
    const side = sideOfTherapist(therapist);
    let monday = date;
    while (weekdayOf(monday) !== 1) monday = addLocalDays(monday, -1);
    const look = async (from: string, days: number) => {
      await sim.ok('schedule.range', { side, siteId: therapist.siteId, from, days, therapistId: therapist.id, roomId: null }, therapist.desk);
    };
    sim.at(instant(date, timeOfMinutes(hours.start + sim.rng.int(0, 30))), async () => {
      await look(monday, 7);
      await sim.ok('journal.myClients', {}, therapist.desk);
    });
    sim.at(instant(date, timeOfMinutes(Math.max(hours.start + 60, 12 * 60 + sim.rng.int(15, 75)))), () => look(date, 1));
    sim.at(instant(date, timeOfMinutes(hours.end - sim.rng.int(5, 40))), () => look(addLocalDays(date, 1), 1));
  };

  /** The admin's monthly round: review the emergency accesses; each quarter the statistics, each year the retention list. */
  const adminMonth = async (date: string) => {
    const page = await sim.ok<{ rows: { seq: number }[] }>(
      'audit.search',
      {
        filter: { userId: null, clientId: null, from: null, to: null, action: null, emergencyOnly: true, unreviewedOnly: true },
        page: 0,
      },
      sim.adminDesk,
    );
    for (const row of page.rows) {
      later(sim.rng.int(1, 5));
      await sim.ok('audit.markReviewed', { seq: row.seq, note: sim.rng.pick(words.REVIEW_NOTES) }, sim.adminDesk);
    }
    const month = Number(date.slice(5, 7));
    if (month % 3 === 1) {
      // The quarter that has just ended: statistics are published for whole, ended quarters only.
      const lastDay = addLocalDays(`${date.slice(0, 8)}01`, -1);
      await sim.ok('stats.report', { year: Number(lastDay.slice(0, 4)), quarter: Math.ceil(Number(lastDay.slice(5, 7)) / 3) }, sim.adminDesk);
    }
    if (month === 1) await sim.ok('retention.report', { years: 10 }, sim.adminDesk);
  };

  const finish = (client: SimClient) => {
    if (client.finished) return;
    client.finished = true;
    if (client.therapist) client.therapist.load -= 1;
    // The therapist writes the closing summary within a fortnight; then the care relations end.
    if (client.careWith.size > 0) sim.at(sim.clock + sim.rng.int(2, 12) * DAY, () => closeCare(client));
  };

  return {
    therapistById,
    sideOfTherapist,
    later,
    some,
    ensureCare,
    endCare,
    writeEntry,
    visitNote,
    documentVisit,
    planTreatment,
    documentGroupSession,
    closeCare,
    emergencyAccess,
    therapistDay,
    adminMonth,
    finish,
  };
}

export type JournalWork = ReturnType<typeof journalWork>;
