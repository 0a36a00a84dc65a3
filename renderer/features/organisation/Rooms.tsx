import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { contract, type OrgView } from '../../../preload/contract/index';
import { Field, FormError, SelectField } from '../../ui/Field';
import { useContractForm } from '../../ui/useContractForm';
import { useChannelMutation } from '../../ui/query';
import { CellCheckbox, CellInput, CellSelect, RowSaveCell, PremisesTable } from './cells';
import { byName, nameTaken, showRefusal, type OnOrgSaved } from './model';
import styles from './organisation.module.css';

const SaveRoom = contract['org.saveRoom'].input;
type Room = OrgView['rooms'][number];

export function Rooms({ org, site, onSaved }: { org: OrgView; site: OrgView['sites'][number]; onSaved: OnOrgSaved }) {
  const { t } = useTranslation();
  const hintId = useId();
  const rooms = org.rooms.filter((room) => room.siteId === site.id).sort(byName);
  return (
    <PremisesTable
      title={t('organisation.rooms.title')}
      intro={
        <p className={styles.orgIntro} id={hintId}>
          {t('organisation.rooms.inactiveHint')} {t('organisation.rooms.purposeHint')}
        </p>
      }
      caption={t('organisation.rooms.caption', { site: site.name })}
      describedBy={hintId}
      columns={[t('organisation.rooms.name'), t('organisation.rooms.purpose'), t('organisation.rooms.active'), t('organisation.actions')]}
      onSaved={onSaved}
      rows={(callbacks) => rooms.map((room) => <RoomRow key={room.id} org={org} room={room} {...callbacks} />)}
      add={(callbacks) => <AddRoom org={org} siteId={site.id} {...callbacks} />}
    />
  );
}

function RoomRow({
  org,
  room,
  onSaving,
  onSaved,
}: {
  org: OrgView;
  room: Room;
  onSaving: () => void;
  onSaved: (org: OrgView, message: string) => void;
}) {
  const { t } = useTranslation();
  const saveRoomCall = useChannelMutation('org.saveRoom');
  const formId = useId();
  const { form } = useContractForm(SaveRoom, { ...room });
  const purposes = usePurposeOptions();
  const { register, handleSubmit, formState, setError, reset } = form;

  const submit = handleSubmit(async (values) => {
    onSaving();
    if (nameTaken(org.rooms, room.siteId, values.name, room.id)) {
      setError('name', { type: 'taken', message: 'organisation.errors.nameTaken' }, { shouldFocus: true });
      return;
    }
    const result = await saveRoomCall.run(values);
    if (!result.ok) {
      showRefusal(setError, result.error, ['name', 'purpose', 'active']);
      return;
    }
    reset(values);
    onSaved(result.value, t(values.active ? 'organisation.rooms.saved' : 'organisation.rooms.savedInactive', { name: values.name }));
  });

  return (
    <tr className={room.active ? undefined : styles.orgRowInactive}>
      <td>
        <CellInput
          label={t('organisation.rooms.nameOf', { name: room.name })}
          form={formId}
          autoComplete="off"
          error={formState.errors.name?.message}
          {...register('name')}
        />
      </td>
      <td>
        <CellSelect
          label={t('organisation.rooms.purposeOf', { name: room.name })}
          form={formId}
          options={purposes}
          error={formState.errors.purpose?.message}
          {...register('purpose')}
        />
      </td>
      <td>
        <CellCheckbox
          label={t('organisation.rooms.activeOf', { name: room.name })}
          form={formId}
          error={formState.errors.active?.message}
          {...register('active')}
        />
      </td>
      <RowSaveCell
        formId={formId}
        onSubmit={(event) => void submit(event)}
        saveLabel={t('organisation.rooms.saveFor', { name: room.name })}
        busy={formState.isSubmitting}
        dirty={formState.isDirty}
        error={formState.errors.root?.server?.message}
      />
    </tr>
  );
}

function AddRoom({
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
  const saveRoomCall = useChannelMutation('org.saveRoom');
  const headingId = useId();
  const { form } = useContractForm(SaveRoom, { id: null, siteId, name: '', active: true, purpose: 'individual' });
  const purposes = usePurposeOptions();
  const { register, handleSubmit, formState, setError, reset } = form;
  const submit = handleSubmit(async (values) => {
    onSaving();
    if (nameTaken(org.rooms, siteId, values.name, null)) {
      setError('name', { type: 'taken', message: 'organisation.errors.nameTaken' }, { shouldFocus: true });
      return;
    }
    const result = await saveRoomCall.run(values);
    if (!result.ok) {
      showRefusal(setError, result.error, ['name', 'purpose']);
      return;
    }
    reset();
    onSaved(result.value, t('organisation.rooms.added', { name: values.name }));
  });
  return (
    <form className={styles.orgAdd} aria-labelledby={headingId} onSubmit={(event) => void submit(event)} noValidate>
      <h4 id={headingId}>{t('organisation.rooms.addTitle')}</h4>
      <div className={styles.orgAddFields}>
        <Field label={t('organisation.rooms.addName')} autoComplete="off" error={formState.errors.name?.message} {...register('name')} />
        <SelectField
          label={t('organisation.rooms.addPurpose')}
          options={purposes}
          error={formState.errors.purpose?.message}
          {...register('purpose')}
        />
        <button type="submit" className="button" disabled={formState.isSubmitting}>
          {t('organisation.rooms.add')}
        </button>
      </div>
      <FormError message={formState.errors.root?.server?.message} />
    </form>
  );
}

/** Group rooms are offered for group sessions and kept free of individual bookings by the slot finder. */
function usePurposeOptions() {
  const { t } = useTranslation();
  return (['individual', 'group'] as const).map((value) => ({ value, label: t(`organisation.rooms.purposes.${value}`) }));
}
