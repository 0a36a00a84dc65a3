import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { contract, type OrgView } from '../../../preload/contract/index';
import { Field, FormError, SelectField } from '../../ui/Field';
import { useContractForm } from '../../ui/useContractForm';
import { useChannelMutation } from '../../ui/query';
import { CellInput, CellSelect, RowSaveCell, PremisesTable } from './cells';
import { byName, nameTaken, showRefusal, tracksUsing, type OnOrgSaved } from './model';
import styles from './organisation.module.css';

const SaveWaitingRoom = contract['org.saveWaitingRoom'].input;
const AddWaitingRoomForm = SaveWaitingRoom.extend({ entranceId: z.string().min(1, { message: 'organisation.errors.chooseEntrance' }) });
type WaitingRoom = OrgView['waitingRooms'][number];

export function WaitingRooms({ org, site, onSaved }: { org: OrgView; site: OrgView['sites'][number]; onSaved: OnOrgSaved }) {
  const { t } = useTranslation();
  const hintId = useId();
  const rooms = org.waitingRooms.filter((room) => room.siteId === site.id).sort(byName);
  return (
    <PremisesTable
      title={t('organisation.waitingRooms.title')}
      intro={
        <p className={styles.orgIntro} id={hintId}>
          {t('organisation.waitingRooms.capacityHint')} {t('organisation.waitingRooms.entranceLocked')}
        </p>
      }
      caption={t('organisation.waitingRooms.caption', { site: site.name })}
      describedBy={hintId}
      columns={[
        t('organisation.waitingRooms.name'),
        t('organisation.waitingRooms.entrance'),
        t('organisation.waitingRooms.capacity'),
        t('organisation.waitingRooms.usedBy'),
        t('organisation.actions'),
      ]}
      onSaved={onSaved}
      rows={(callbacks) => rooms.map((room) => <WaitingRoomRow key={room.id} org={org} room={room} {...callbacks} />)}
      add={(callbacks) => <AddWaitingRoom org={org} siteId={site.id} {...callbacks} />}
    />
  );
}

function WaitingRoomRow({
  org,
  room,
  onSaving,
  onSaved,
}: {
  org: OrgView;
  room: WaitingRoom;
  onSaving: () => void;
  onSaved: (org: OrgView, message: string) => void;
}) {
  const { t } = useTranslation();
  const saveWaitingRoomCall = useChannelMutation('org.saveWaitingRoom');
  const formId = useId();
  const { form } = useContractForm(SaveWaitingRoom, { ...room });
  const { register, handleSubmit, formState, setError, reset } = form;
  const entrances = org.entrances.filter((entrance) => entrance.siteId === room.siteId).sort(byName);
  const tracks = tracksUsing(org, room.siteId, (route) => route.waitingRoomId === room.id);
  // A room a track waits in stays at its entrance: moving it would quietly change that track's way in.
  const entranceLocked = tracks.length > 0;

  const submit = handleSubmit(async (values) => {
    onSaving();
    if (nameTaken(org.waitingRooms, room.siteId, values.name, room.id)) {
      setError('name', { type: 'taken', message: 'organisation.errors.nameTaken' }, { shouldFocus: true });
      return;
    }
    const result = await saveWaitingRoomCall.run(values);
    if (!result.ok) {
      showRefusal(setError, result.error, entranceLocked ? ['name', 'capacity'] : ['name', 'entranceId', 'capacity']);
      return;
    }
    reset(values);
    onSaved(result.value, t('organisation.waitingRooms.saved', { name: values.name, capacity: values.capacity }));
  });

  return (
    <tr>
      <td>
        <CellInput
          label={t('organisation.waitingRooms.nameOf', { name: room.name })}
          form={formId}
          autoComplete="off"
          error={formState.errors.name?.message}
          {...register('name')}
        />
      </td>
      <td>
        {entranceLocked ? (
          <span className={styles.orgFixed}>{entrances.find((entrance) => entrance.id === room.entranceId)?.name}</span>
        ) : (
          <CellSelect
            label={t('organisation.waitingRooms.entranceOf', { name: room.name })}
            form={formId}
            options={entrances.map((entrance) => ({ value: entrance.id, label: entrance.name }))}
            error={formState.errors.entranceId?.message}
            {...register('entranceId')}
          />
        )}
      </td>
      <td>
        <CellInput
          label={t('organisation.waitingRooms.capacityOf', { name: room.name })}
          form={formId}
          type="number"
          inputMode="numeric"
          min={1}
          max={200}
          className={styles.orgInputNumber}
          error={formState.errors.capacity?.message}
          {...register('capacity', { valueAsNumber: true })}
        />
      </td>
      <td>{tracks.length ? tracks.map((track) => t(`tracks.${track}`)).join(', ') : t('organisation.none')}</td>
      <RowSaveCell
        formId={formId}
        onSubmit={(event) => void submit(event)}
        saveLabel={t('organisation.waitingRooms.saveFor', { name: room.name })}
        busy={formState.isSubmitting}
        dirty={formState.isDirty}
        error={formState.errors.root?.server?.message}
      />
    </tr>
  );
}

function AddWaitingRoom({
  org,
  siteId,
  onSaving,
  onSaved,
}: {
  org: OrgView;
  siteId: string;
  onSaving: () => void;
  onSaved: (org: OrgView, message: string) => void;
}) {
  const { t } = useTranslation();
  const saveWaitingRoomCall = useChannelMutation('org.saveWaitingRoom');
  const headingId = useId();
  const entrances = org.entrances.filter((entrance) => entrance.siteId === siteId).sort(byName);
  const { form } = useContractForm(AddWaitingRoomForm, { id: null, siteId, entranceId: '', name: '', capacity: 4 });
  const { register, handleSubmit, formState, setError, reset } = form;
  const submit = handleSubmit(async (values) => {
    onSaving();
    if (nameTaken(org.waitingRooms, siteId, values.name, null)) {
      setError('name', { type: 'taken', message: 'organisation.errors.nameTaken' }, { shouldFocus: true });
      return;
    }
    const result = await saveWaitingRoomCall.run(values);
    if (!result.ok) {
      showRefusal(setError, result.error, ['name', 'entranceId', 'capacity']);
      return;
    }
    reset();
    onSaved(result.value, t('organisation.waitingRooms.added', { name: values.name }));
  });
  return (
    <form className={styles.orgAdd} aria-labelledby={headingId} onSubmit={(event) => void submit(event)} noValidate>
      <h4 id={headingId}>{t('organisation.waitingRooms.addTitle')}</h4>
      <div className={styles.orgAddFields}>
        <Field label={t('organisation.waitingRooms.addName')} autoComplete="off" error={formState.errors.name?.message} {...register('name')} />
        <SelectField
          label={t('organisation.waitingRooms.addEntrance')}
          options={entrances.map((entrance) => ({ value: entrance.id, label: entrance.name }))}
          placeholder={t('organisation.routes.chooseEntrance')}
          error={formState.errors.entranceId?.message}
          {...register('entranceId')}
        />
        <Field
          label={t('organisation.waitingRooms.addCapacity')}
          type="number"
          inputMode="numeric"
          min={1}
          max={200}
          className={styles.orgInputNumber}
          error={formState.errors.capacity?.message}
          {...register('capacity', { valueAsNumber: true })}
        />
        <button type="submit" className="button" disabled={formState.isSubmitting}>
          {t('organisation.waitingRooms.add')}
        </button>
      </div>
      <FormError message={formState.errors.root?.server?.message} />
    </form>
  );
}
