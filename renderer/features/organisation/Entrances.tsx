import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { contract, type OrgView } from '../../../preload/contract/index';
import { Field, FormError } from '../../ui/Field';
import { useContractForm } from '../../ui/useContractForm';
import { useChannelMutation } from '../../ui/query';
import { CellInput, RowSaveCell, PremisesTable } from './cells';
import { byName, nameTaken, showRefusal, tracksUsing, type OnOrgSaved } from './model';
import styles from './organisation.module.css';

const SaveEntrance = contract['org.saveEntrance'].input;
type Entrance = OrgView['entrances'][number];

export function Entrances({ org, site, onSaved }: { org: OrgView; site: OrgView['sites'][number]; onSaved: OnOrgSaved }) {
  const { t } = useTranslation();
  const entrances = org.entrances.filter((entrance) => entrance.siteId === site.id).sort(byName);
  return (
    <PremisesTable
      title={t('organisation.entrances.title')}
      caption={t('organisation.entrances.caption', { site: site.name })}
      columns={[
        t('organisation.entrances.name'),
        t('organisation.entrances.waitingRooms'),
        t('organisation.entrances.usedBy'),
        t('organisation.actions'),
      ]}
      onSaved={onSaved}
      rows={(callbacks) => entrances.map((entrance) => <EntranceRow key={entrance.id} org={org} entrance={entrance} {...callbacks} />)}
      add={(callbacks) => <AddEntrance org={org} siteId={site.id} {...callbacks} />}
    />
  );
}

function EntranceRow({
  org,
  entrance,
  onSaving,
  onSaved,
}: {
  org: OrgView;
  entrance: Entrance;
  onSaving: () => void;
  onSaved: (org: OrgView, message: string) => void;
}) {
  const { t } = useTranslation();
  const saveEntranceCall = useChannelMutation('org.saveEntrance');
  const formId = useId();
  const { form } = useContractForm(SaveEntrance, { id: entrance.id, siteId: entrance.siteId, name: entrance.name });
  const { register, handleSubmit, formState, setError, reset } = form;
  const rooms = org.waitingRooms.filter((room) => room.entranceId === entrance.id).sort(byName);
  const tracks = tracksUsing(org, entrance.siteId, (route) => route.entranceId === entrance.id);

  const submit = handleSubmit(async (values) => {
    onSaving();
    if (nameTaken(org.entrances, entrance.siteId, values.name, entrance.id)) {
      setError('name', { type: 'taken', message: 'organisation.errors.nameTaken' }, { shouldFocus: true });
      return;
    }
    const result = await saveEntranceCall.run(values);
    if (!result.ok) {
      showRefusal(setError, result.error, ['name']);
      return;
    }
    reset(values);
    onSaved(result.value, t('organisation.entrances.saved', { name: values.name }));
  });

  return (
    <tr>
      <td>
        <CellInput
          label={t('organisation.entrances.nameOf', { name: entrance.name })}
          form={formId}
          autoComplete="off"
          error={formState.errors.name?.message}
          {...register('name')}
        />
      </td>
      <td>{rooms.length ? rooms.map((room) => room.name).join(', ') : t('organisation.none')}</td>
      <td>{tracks.length ? tracks.map((track) => t(`tracks.${track}`)).join(', ') : t('organisation.none')}</td>
      <RowSaveCell
        formId={formId}
        onSubmit={(event) => void submit(event)}
        saveLabel={t('organisation.entrances.saveFor', { name: entrance.name })}
        busy={formState.isSubmitting}
        dirty={formState.isDirty}
        error={formState.errors.root?.server?.message}
      />
    </tr>
  );
}

function AddEntrance({
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
  const saveEntranceCall = useChannelMutation('org.saveEntrance');
  const headingId = useId();
  const { form } = useContractForm(SaveEntrance, { id: null, siteId, name: '' });
  const { register, handleSubmit, formState, setError, reset } = form;
  const submit = handleSubmit(async (values) => {
    onSaving();
    if (nameTaken(org.entrances, siteId, values.name, null)) {
      setError('name', { type: 'taken', message: 'organisation.errors.nameTaken' }, { shouldFocus: true });
      return;
    }
    const result = await saveEntranceCall.run(values);
    if (!result.ok) {
      showRefusal(setError, result.error, ['name']);
      return;
    }
    reset();
    onSaved(result.value, t('organisation.entrances.added', { name: values.name }));
  });
  return (
    <form className={styles.orgAdd} aria-labelledby={headingId} onSubmit={(event) => void submit(event)} noValidate>
      <h4 id={headingId}>{t('organisation.entrances.addTitle')}</h4>
      <div className={styles.orgAddFields}>
        <Field label={t('organisation.entrances.addName')} autoComplete="off" error={formState.errors.name?.message} {...register('name')} />
        <button type="submit" className="button" disabled={formState.isSubmitting}>
          {t('organisation.entrances.add')}
        </button>
      </div>
      <FormError message={formState.errors.root?.server?.message} />
    </form>
  );
}
