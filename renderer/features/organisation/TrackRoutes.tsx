import { useEffect, useId, useState } from 'react';
import { useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { contract, TRACKS, type OrgView, type Track } from '../../../preload/contract/index';
import { useContractForm } from '../../ui/useContractForm';
import { useChannelMutation } from '../../ui/query';
import { Block, CellSelect, RowSaveCell, SavedNotice } from './cells';
import { byName, separationOfRoutes, showRefusal, type OnOrgSaved } from './model';
import styles from './organisation.module.css';

/** The contract's route input, with messages that fit a choice rather than a typed field. */
const RouteForm = contract['org.setTrackRoute'].input.extend({
  entranceId: z.string().min(1, { message: 'organisation.errors.chooseEntrance' }),
  waitingRoomId: z.string().min(1, { message: 'organisation.errors.chooseWaitingRoom' }),
});

/** Which entrance and waiting room each track uses at the site. The main process refuses any route that mixes the sides. */
export function TrackRoutes({ org, site, onSaved }: { org: OrgView; site: OrgView['sites'][number]; onSaved: OnOrgSaved }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [notice, setNotice] = useState<string | null>(null);
  const separation = separationOfRoutes(org, site.id);
  return (
    <Block id={headingId} title={t('organisation.routes.title')} intro={<p className={styles.orgRule}>{t('organisation.routes.rule')}</p>}>
      <table className={`table ${styles.orgTable}`}>
        <caption>{t('organisation.routes.caption', { site: site.name })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('organisation.routes.track')}</th>
            <th scope="col">{t('organisation.routes.entrance')}</th>
            <th scope="col">{t('organisation.routes.waitingRoom')}</th>
            <th scope="col">{t('organisation.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {TRACKS.map((track) => (
            <TrackRouteRow
              key={track}
              org={org}
              siteId={site.id}
              track={track}
              onSaving={() => setNotice(null)}
              onSaved={(fresh, message) => {
                setNotice(message);
                onSaved(fresh);
              }}
            />
          ))}
        </tbody>
      </table>
      {separation === 'separate' ? (
        <p className={styles.orgCheck}>{t('organisation.routes.separate', { site: site.name })}</p>
      ) : separation === 'shared' ? (
        <p className={`warning ${styles.orgWarning}`}>{t('organisation.routes.notSeparate', { site: site.name })}</p>
      ) : null}
      <SavedNotice message={notice} />
    </Block>
  );
}

function TrackRouteRow({
  org,
  siteId,
  track,
  onSaving,
  onSaved,
}: {
  org: OrgView;
  siteId: string;
  track: Track;
  onSaving: () => void;
  onSaved: (org: OrgView, message: string) => void;
}) {
  const { t } = useTranslation();
  const setTrackRouteCall = useChannelMutation('org.setTrackRoute');
  const formId = useId();
  const route = org.trackRoutes.find((candidate) => candidate.siteId === siteId && candidate.track === track);
  const { form } = useContractForm(RouteForm, {
    siteId,
    track,
    entranceId: route?.entranceId ?? '',
    waitingRoomId: route?.waitingRoomId ?? '',
  });
  const { register, handleSubmit, formState, setValue, getValues, setError, reset, control } = form;
  const entranceId = useWatch({ control, name: 'entranceId' });
  const entrances = org.entrances.filter((entrance) => entrance.siteId === siteId).sort(byName);
  const roomsAt = (id: string) => org.waitingRooms.filter((room) => room.siteId === siteId && room.entranceId === id).sort(byName);
  const trackName = t(`tracks.${track}`);
  const rooms = roomsAt(entranceId);

  // A waiting room always belongs to its entrance: offer only the rooms at the chosen one, and
  // let go of a chosen room that is not there (once the new choices are on screen).
  const roomKey = rooms.map((room) => room.id).join('\n');
  useEffect(() => {
    const ids = roomKey ? roomKey.split('\n') : [];
    if (!ids.includes(getValues('waitingRoomId'))) setValue('waitingRoomId', ids.length === 1 ? ids[0]! : '', { shouldDirty: true });
  }, [roomKey, getValues, setValue]);

  const submit = handleSubmit(async (values) => {
    onSaving();
    const result = await setTrackRouteCall.run(values);
    if (!result.ok) {
      showRefusal(setError, result.error, ['entranceId', 'waitingRoomId']);
      return;
    }
    reset(values);
    const entrance = result.value.entrances.find((candidate) => candidate.id === values.entranceId)?.name ?? '';
    const waitingRoom = result.value.waitingRooms.find((candidate) => candidate.id === values.waitingRoomId)?.name ?? '';
    onSaved(result.value, t('organisation.routes.saved', { track: trackName, entrance, waitingRoom }));
  });

  return (
    <tr className={track === 'perpetrator' ? styles.orgRowPerpetrator : undefined}>
      <th scope="row">{trackName}</th>
      <td>
        <CellSelect
          label={t('organisation.routes.entranceFor', { track: trackName })}
          form={formId}
          options={entrances.map((entrance) => ({ value: entrance.id, label: entrance.name }))}
          placeholder={t('organisation.routes.chooseEntrance')}
          error={formState.errors.entranceId?.message}
          {...register('entranceId')}
        />
      </td>
      <td>
        <CellSelect
          label={t('organisation.routes.waitingRoomFor', { track: trackName })}
          form={formId}
          options={rooms.map((room) => ({ value: room.id, label: room.name }))}
          placeholder={t('organisation.routes.chooseWaitingRoom')}
          error={formState.errors.waitingRoomId?.message}
          {...register('waitingRoomId')}
        />
      </td>
      <RowSaveCell
        formId={formId}
        onSubmit={(event) => void submit(event)}
        saveLabel={t('organisation.routes.saveFor', { track: trackName })}
        busy={formState.isSubmitting}
        dirty={formState.isDirty}
        error={formState.errors.root?.server?.message}
      />
    </tr>
  );
}
