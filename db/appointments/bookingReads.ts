/**
 * Everything judging a booking reads before it writes, in one statement (one round trip on the
 * server, where each statement is one): the clients it is for, the therapists with their tracks and
 * hours, the site's premises with the separation buffer, every live appointment around the times
 * with who attends it, and the people linked to the attendees. Each part is the query its own
 * repository function runs (`clientsForScheduling`, `listTherapists`, `sitePremises`, `bookedAround`,
 * `linkedAcrossSides`), read as a JSON array column of one SELECT (db/engine/jsonRows.ts), so the
 * answers are theirs, row for row, on both engines.
 */
import { reusableQuery } from '../engine/compiled.js';
import { rowsAsJson, rowsFromJson } from '../engine/jsonRows.js';
import type { Tx } from '../engine/store.js';
import type { Track } from '../engine/schema.js';
import { sitePremisesOf, sitePremisesRows, therapistRowsNamed, therapistsOf, type SitePremises, type TherapistRow } from '../org/index.js';
import { bookedAroundRows, bookedRowsOf, clientsForSchedulingRows, linkedRows, windowValues, type BookedRow, type Window } from './index.js';

export interface BookingReads {
  /** The clients looked up (`clientsForScheduling`). */
  clients: { id: string; track: Track; name: string }[];
  /** The therapists named, active and holding the role (`listTherapists({ ids })`). */
  therapists: TherapistRow[];
  /** The site's routes, rooms and stored buffer (`sitePremises`). */
  premises: SitePremises;
  /** Live appointments overlapping the windows: the site's, the therapists' and the attendees' (`bookedAround`). */
  booked: BookedRow[];
  /** Everyone linked to an attendee, with their track, unfiltered (`linkedAcrossSides` filters by track: `linkedOf`). */
  linked: { id: string; track: Track }[];
}

// Built once per number of clients, therapists, attendees and windows; every array may be empty (its part is then not read).
const bookingReadsQuery = reusableQuery(
  8,
  (
    tx: Tx,
    siteId: string,
    clientIds: string[],
    therapistIds: string[],
    attendees: string[],
    bounds: string[],
    starts: string[],
    tos: string[],
    froms: string[],
  ) =>
    tx.selectNoFrom([
      rowsAsJson(tx, clientIds.length > 0 ? clientsForSchedulingRows(tx, clientIds) : null).as('clients'),
      rowsAsJson(tx, therapistIds.length > 0 ? therapistRowsNamed(tx, therapistIds) : null).as('therapists'),
      rowsAsJson(tx, sitePremisesRows(tx, siteId)).as('premises'),
      rowsAsJson(tx, starts.length > 0 ? bookedAroundRows(tx, siteId, therapistIds, attendees, bounds[0]!, bounds[1]!, starts, tos, froms) : null).as(
        'booked',
      ),
      rowsAsJson(tx, attendees.length > 0 ? linkedRows(tx, attendees) : null).as('linked'),
    ]),
);

/**
 * What `clientsForScheduling(clientIds)`, `listTherapists({ ids: therapistIds })`, `sitePremises(siteId)`,
 * `bookedAround({ siteId, therapistIds, clientIds: attendees, windows })` and the linked people of the
 * attendees answer, in one statement.
 */
export async function bookingReads(
  tx: Tx,
  reads: { siteId: string; clientIds: string[]; therapistIds: string[]; attendees: string[]; windows: Window[] },
): Promise<BookingReads> {
  const w = reads.windows.length > 0 ? windowValues(reads.windows) : null;
  const row = await bookingReadsQuery.first(
    tx,
    reads.siteId,
    reads.clientIds,
    reads.therapistIds,
    reads.attendees,
    w ? [w.earliest, w.latest] : [],
    w?.starts ?? [],
    w?.tos ?? [],
    w?.froms ?? [],
  );
  if (!row) throw new Error('A SELECT without FROM answered no row');
  // In time order, as bookedAround reads them (an aggregate's order is not promised by SQL).
  const booked = rowsFromJson(row.booked, ['startsAt', 'endsAt']).sort((a, b) =>
    a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  return {
    clients: rowsFromJson(row.clients),
    therapists: therapistsOf(rowsFromJson(row.therapists)),
    premises: sitePremisesOf(reads.siteId, rowsFromJson(row.premises)),
    booked: bookedRowsOf(booked),
    linked: rowsFromJson(row.linked),
  };
}
