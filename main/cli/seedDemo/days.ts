import { addLocalDays, timeOfMinutes, weekdayOf } from '../../services/time.js';
import { DAY, instant, isWorkingDay, localOf } from './calendar.js';
import type { Sim } from './intake.js';
import { GROUP_PLAN, NEW_CLIENTS_PER_YEAR } from './plan.js';

/** Day by day: first calls, therapists' days, groups starting, and every event on the agenda in time order. */
export async function playDays(sim: Sim) {
  // ---- Day by day -------------------------------------------------------------------------------

  // New clients arrive at about the same rate all year except in summer and at Christmas.
  const seasonal = (date: string) => {
    const month = Number(date.slice(5, 7));
    return month === 7 ? 0.35 : month === 12 || month === 8 ? 0.8 : month === 1 || month === 9 ? 1.15 : 1;
  };
  let weights = 0;
  for (let date = sim.fromDate; date <= sim.untilDate; date = addLocalDays(date, 1)) if (isWorkingDay(date)) weights += seasonal(date);
  const days = Math.round((Date.parse(sim.untilDate) - Date.parse(sim.fromDate)) / DAY) + 1;
  const perWeight = (NEW_CLIENTS_PER_YEAR * (days / 365.25)) / weights;

  const terms = (year: number) => {
    // Groups start in the second week of February and of September.
    const mondayOfWeek = (date: string) => {
      let day = date;
      while (weekdayOf(day) !== 1) day = addLocalDays(day, 1);
      return addLocalDays(day, 7);
    };
    return [mondayOfWeek(`${year}-02-01`), mondayOfWeek(`${year}-09-01`)];
  };

  let adminReviewedMonth = '';
  let daysDone = 0;
  let daysInAll = 0;
  const day = async (date: string) => {
    if (date.slice(5) === '01-02') sim.progress(`  ${date.slice(0, 4)}…`);
    daysDone += 1;
    sim.options.onDay?.(daysDone, daysInAll);
    if (isWorkingDay(date)) {
      // Morning at the desk: today's board and the week for each side at each unit, and on Mondays the waiting lists.
      let monday = date;
      while (weekdayOf(monday) !== 1) monday = addLocalDays(monday, -1);
      for (const siteId of sim.sites) {
        for (const side of ['victims', 'perpetrators'] as const) {
          await sim.ok('schedule.today', { side, siteId, date });
          await sim.ok('schedule.range', { side, siteId, from: monday, days: 7, therapistId: null, roomId: null });
        }
      }
      for (const therapist of sim.therapists) sim.therapistDay(therapist, date);
      if (adminReviewedMonth !== date.slice(0, 7)) {
        adminReviewedMonth = date.slice(0, 7);
        sim.at(instant(date, timeOfMinutes(9 * 60 + sim.rng.int(0, 120))), () => sim.adminMonth(date));
      }
      if (sim.rng.chance(0.06)) sim.at(instant(date, timeOfMinutes(9 * 60 + sim.rng.int(0, 360))), sim.emergencyAccess);
      if (weekdayOf(date) === 1) {
        for (const side of ['victims', 'perpetrators'] as const) await sim.ok('waitingList.list', { side });
        for (const siteId of sim.sites) sim.at(instant(date, timeOfMinutes(8 * 60 + sim.rng.int(30, 420))), () => sim.consultation(siteId));
      }
      const arrivals = sim.rng.poisson(perWeight * seasonal(date));
      for (let i = 0; i < arrivals; i += 1) sim.at(instant(date, timeOfMinutes(8 * 60 + sim.rng.int(0, 8 * 60))), sim.firstCall);
    }
    // Groups are put together four weeks before they start.
    const year = Number(date.slice(0, 4));
    for (const [index, termStart] of terms(year).entries()) {
      if (addLocalDays(termStart, -28) !== date) continue;
      for (const siteId of sim.sites) {
        for (const track of ['victim', 'perpetrator', 'child'] as const) {
          // One children's group a year at each unit, in alternate terms.
          if (track === 'child' && index !== (siteId === 'skaraborg' ? 1 : 0)) continue;
          const weekday = GROUP_PLAN[track].weekday;
          let firstDate = termStart;
          while (weekdayOf(firstDate) !== weekday) firstDate = addLocalDays(firstDate, 1);
          sim.at(instant(date, '10:00'), () => sim.startGroup(siteId, track, firstDate));
        }
      }
    }
  };

  sim.progress(`Seeding ${sim.options.years} year(s) of fictional practice, ${sim.fromDate} to ${sim.untilDate}, seed ${sim.seed}`);
  for (let date = sim.fromDate; date <= sim.untilDate; date = addLocalDays(date, 1)) {
    const dayStart = instant(date, '07:45');
    const when = date;
    sim.agenda.push(dayStart, () => day(when));
    daysInAll += 1;
  }
  // One simulated day is one commit: each router call still runs in its own transaction, which
  // the store nests as a savepoint inside the day's (a refused call is rolled back alone, its
  // access-log rows with it); only the disk write waits for the end of the day. Committing 80,000
  // calls one by one with synchronous = FULL would spend most of the seed waiting for the disk.
  const db = sim.app.db;
  sim.app.store.nestInOuterTransactions();
  let dayEnds = -Infinity;
  try {
    while (sim.agenda.size > 0 && sim.agenda.peek()!.at <= sim.until) {
      const event = sim.agenda.pop()!;
      if (event.at >= dayEnds) {
        if (db.inTransaction) db.exec('COMMIT');
        db.exec('BEGIN IMMEDIATE');
        dayEnds = instant(addLocalDays(localOf(event.at).date, 1), '00:00');
      }
      sim.clock = Math.max(sim.clock, event.at);
      await event.run();
    }
    if (db.inTransaction) db.exec('COMMIT');
  } finally {
    // A failure mid-day loses that day only; every earlier day is committed.
    if (db.open && db.inTransaction) db.exec('ROLLBACK');
  }
  sim.clock = Math.max(sim.clock, sim.until);
}
