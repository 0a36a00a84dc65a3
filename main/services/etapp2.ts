import { routedIntakes, routedIntake, setFollowUpStatus, type RoutedIntakeRow } from '../../db/etapp2/index.js';
import type { Tx } from '../../db/engine/store.js';
import { listMunicipalities } from '../../db/org/index.js';
import {
  sideOfTrack,
  type Etapp2Overview,
  type Etapp2Track,
  type FollowUpStatus,
  type RoutedIntake,
  type Side,
} from '../../preload/contract/index.js';
import { DomainError } from './errors.js';
import { localToUtc, utcToLocal } from './time.js';

function toRoutedIntake(row: RoutedIntakeRow): RoutedIntake {
  return {
    intakeId: row.intakeId,
    clientId: row.clientId,
    name: row.name,
    track: row.track,
    receivedOn: utcToLocal(row.receivedAt).date,
    municipalityCode: row.municipalityCode,
    municipalityName: row.municipalityName,
    status: row.status,
    updatedOn: row.updatedAt ? utcToLocal(row.updatedAt).date : null,
  };
}

/**
 * The coordinator's Etapp 2 list: which municipalities take part in each track's Etapp 2, and the
 * intakes of one track routed to their social secretaries since a date, with the follow-up of each.
 * A routed intake is about a woman subjected to violence or a child: it belongs to the victims'
 * side, and the perpetrators' side gets none.
 */
export async function etapp2Overview(tx: Tx, side: Side, track: Etapp2Track, from: string): Promise<Etapp2Overview> {
  const municipalities = await listMunicipalities(tx);
  const named = (takesPart: (one: (typeof municipalities)[number]) => boolean) =>
    municipalities.filter(takesPart).map(({ code, name }) => ({ code, name }));
  const participation = [
    { track: 'victim' as const, municipalities: named((one) => one.etapp2) },
    { track: 'child' as const, municipalities: named((one) => one.etapp2Children) },
  ];
  if (side !== 'victims') return { participation, intakes: [] };
  const rows = await routedIntakes(tx, { from: localToUtc(from, '00:00'), track });
  return { participation, intakes: rows.filter((row) => sideOfTrack(row.track) === side).map(toRoutedIntake) };
}

/** Sets the follow-up of one routed intake of this side; any other intake is not found. */
export async function setFollowUp(tx: Tx, side: Side, intakeId: string, status: FollowUpStatus, by: string, now: Date): Promise<RoutedIntake> {
  const intake = await routedIntake(tx, intakeId);
  if (!intake || sideOfTrack(intake.track) !== side || intake.routing !== 'etapp2_social_secretary')
    throw new DomainError('NOT_FOUND', 'error.etapp2.notFound');
  await setFollowUpStatus(tx, { intakeId, status, updatedAt: now.toISOString(), updatedBy: by });
  const [row] = await routedIntakes(tx, { intakeId });
  return toRoutedIntake(row!);
}
