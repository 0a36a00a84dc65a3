import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ETAPP2_TRACKS, FOLLOW_UP_STATUSES, type Etapp2Track, type FollowUpStatus, type RoutedIntake } from '../../../preload/contract/index';
import { DateField } from '../../ui/DateTimeFields';
import { ClientName, useDesk } from '../../ui/desk';
import { FormError, Notice, SelectField } from '../../ui/Field';
import { todayInCentre } from '../../ui/format';
import { initialsOf } from '../../ui/initials';
import { useChannelMutation, useChannelQuery } from '../../ui/query';
import { Table, type TableColumn } from '../../ui/Table';
import styles from './Etapp2Page.module.css';

/** A short reference both the coordinator and the social secretaries can use instead of a name. */
function caseReference(intake: RoutedIntake): string {
  return intake.intakeId.replace(/-/g, '').slice(0, 8).toUpperCase();
}

function byMunicipality(intakes: RoutedIntake[], unknown: string): [string, RoutedIntake[]][] {
  const groups = new Map<string, RoutedIntake[]>();
  for (const intake of intakes) {
    const name = intake.municipalityName ?? unknown;
    groups.set(name, [...(groups.get(name) ?? []), intake]);
  }
  return [...groups.entries()];
}

/** The follow-up's select, saved as soon as it changes; on paper the status as text. */
function StatusCell({ intake, onSaved }: { intake: RoutedIntake; onSaved: (message: string) => void }) {
  const { t } = useTranslation();
  const { side } = useDesk();
  const [error, setError] = useState<string | undefined>();
  const save = useChannelMutation('etapp2.setFollowUp');
  const reference = caseReference(intake);
  const change = async (status: FollowUpStatus) => {
    if (save.pending) return;
    const result = await save.run({ side, intakeId: intake.intakeId, status });
    if (result.ok) {
      setError(undefined);
      onSaved(t('reception.etapp2.saved'));
    } else setError(result.error.message);
  };
  return (
    <>
      <span className={styles.screenOnly}>
        <select
          aria-label={t('reception.etapp2.statusLabel', { reference })}
          value={intake.status ?? ''}
          // Busy, not disabled, while it is saved: a disabled select drops the keyboard out of the list.
          aria-disabled={save.pending || undefined}
          onChange={(event) => void change(event.target.value as FollowUpStatus)}
          // A letter typed here picks a status, as in any select: it is not the grid's type-to-find.
          onKeyDown={(event) => {
            if (event.key.length === 1) event.stopPropagation();
          }}
        >
          {intake.status === null ? (
            <option value="" disabled>
              {t('reception.etapp2.routed')}
            </option>
          ) : null}
          {FOLLOW_UP_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`reception.etapp2.statuses.${status}`)}
            </option>
          ))}
        </select>
        <FormError message={error} />
      </span>
      <span className={styles.printOnly}>{intake.status ? t(`reception.etapp2.statuses.${intake.status}`) : t('reception.etapp2.routed')}</span>
    </>
  );
}

type FollowUpColumn = 'case' | 'person' | 'received' | 'status' | 'updated';

/**
 * One municipality's cases. Sortable by when they came, by how far the follow-up has got (in its own
 * order, the ones only sent first) and by when it changed; never by the person, whose name the list
 * may not show (on paper always initials).
 */
function useFollowUpColumns(onSaved: (message: string) => void): TableColumn<RoutedIntake, FollowUpColumn>[] {
  const { t } = useTranslation();
  return useMemo(
    () => [
      { id: 'case', label: t('reception.etapp2.caseNumber'), rowHeader: true, cell: (intake) => caseReference(intake) },
      {
        id: 'person',
        label: t('reception.etapp2.person'),
        // On paper only initials: the list leaves the building for the meeting with the municipalities.
        cell: (intake) => (
          <>
            <span className={styles.screenOnly}>
              <ClientName name={intake.name} />
            </span>
            <span className={styles.printOnly}>{initialsOf(intake.name)}</span>
          </>
        ),
      },
      { id: 'received', label: t('reception.etapp2.received'), sortBy: (intake) => intake.receivedOn, cell: (intake) => intake.receivedOn },
      {
        id: 'status',
        label: t('reception.etapp2.status'),
        sortBy: (intake) => (intake.status === null ? -1 : FOLLOW_UP_STATUSES.indexOf(intake.status)),
        cell: (intake) => <StatusCell intake={intake} onSaved={onSaved} />,
      },
      { id: 'updated', label: t('reception.etapp2.updated'), sortBy: (intake) => intake.updatedOn, cell: (intake) => intake.updatedOn ?? '–' },
    ],
    [onSaved, t],
  );
}

/**
 * The coordinator's Etapp 2 follow-up: which municipalities take part in each track's Etapp 2, and
 * every intake of the chosen track routed to a municipality's social secretary with its follow-up,
 * per municipality, printable for that track's monthly meeting (the women's and the children's are
 * separate meetings: neither list goes to the other). Discreet by default on screen; on paper always
 * initials and a case reference, never a name.
 */
export function Etapp2Page() {
  const { t } = useTranslation();
  const { side } = useDesk();
  const startOfYear = `${todayInCentre().slice(0, 4)}-01-01`;
  const [from, setFrom] = useState(startOfYear);
  const [shownFrom, setShownFrom] = useState(startOfYear);
  const [track, setTrack] = useState<Etapp2Track>('victim');
  const [message, setMessage] = useState('');
  const overview = useChannelQuery('etapp2.followUps', { side, track, from: shownFrom });
  const trackName = t(`reception.etapp2.track_${track}`);
  const show = (event: FormEvent) => {
    event.preventDefault();
    if (from) setShownFrom(from);
  };
  const data = overview.data;
  const columns = useFollowUpColumns(setMessage);
  return (
    <div className={styles.page}>
      <h1 className={styles.screenOnly}>{t('reception.etapp2.title')}</h1>
      <p className={`lead ${styles.screenOnly}`}>{t('reception.etapp2.lead')}</p>
      {message ? (
        <div className={styles.screenOnly}>
          <Notice>{message}</Notice>
        </div>
      ) : null}
      <section className={`panel panel--wide ${styles.screenOnly}`} aria-labelledby="etapp2-participation">
        <h2 id="etapp2-participation">{t('reception.etapp2.participation')}</h2>
        {(data?.participation ?? []).map((track) => (
          <p key={track.track}>
            <strong>{t(`reception.etapp2.track_${track.track}`)}:</strong>{' '}
            {track.municipalities.length > 0 ? track.municipalities.map((one) => one.name).join(', ') : t('reception.etapp2.none')}
          </p>
        ))}
      </section>
      {side !== 'victims' ? (
        <p className={styles.screenOnly}>{t('reception.etapp2.perpetrators')}</p>
      ) : (
        <>
          <form className={`${styles.filter} ${styles.screenOnly}`} onSubmit={show} noValidate>
            <SelectField
              label={t('reception.etapp2.track')}
              value={track}
              onChange={(event) => {
                setTrack(event.target.value as Etapp2Track);
                setMessage('');
              }}
              options={ETAPP2_TRACKS.map((one) => ({ value: one, label: t(`reception.etapp2.track_${one}`) }))}
            />
            <DateField label={t('reception.etapp2.from')} value={from} onChange={setFrom} />
            <button type="submit" className="button">
              {t('reception.etapp2.show')}
            </button>
            <button type="button" className="button" onClick={() => window.print()}>
              {t('reception.etapp2.print')}
            </button>
          </form>
          <section aria-labelledby="etapp2-list">
            <h2 id="etapp2-list">
              <span className={styles.screenOnly}>{t('reception.etapp2.listTitle', { track: trackName })}</span>
              <span className={styles.printOnly}>{t('reception.etapp2.printTitle', { track: trackName, from: shownFrom })}</span>
            </h2>
            <p className={styles.printOnly}>{t('reception.etapp2.printNote')}</p>
            {data && data.intakes.length === 0 ? <p>{t('reception.etapp2.empty', { track: trackName, from: shownFrom })}</p> : null}
            {byMunicipality(data?.intakes ?? [], t('reception.etapp2.unknownMunicipality')).map(([municipality, intakes]) => (
              <section key={municipality} className={styles.municipality} aria-labelledby={`etapp2-${municipality}`}>
                <h3 id={`etapp2-${municipality}`}>
                  {municipality} ({intakes.length})
                </h3>
                <Table
                  caption={t('reception.etapp2.caption', { municipality })}
                  hideCaption
                  className={styles.list}
                  rows={intakes}
                  columns={columns}
                  rowKey={(intake) => intake.intakeId}
                  rowText={caseReference}
                  rowTestId="etapp2-row"
                />
              </section>
            ))}
          </section>
        </>
      )}
    </div>
  );
}
