import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contract, type ClientSummary, type GroupView, type Track } from '../../../preload/contract/index';
import { call } from '../../ui/api';
import { todayInCentre } from '../../ui/format';
import { ClientName, useDesk } from '../../ui/desk';
import { initialsOf } from '../../ui/initials';
import { SearchPicker } from '../../ui/SearchPicker';
import { FormDateField, FormTimeField } from '../../ui/DateTimeFields';
import { Field, FormError, Notice, SelectField } from '../../ui/Field';
import { channelKey, useChannelMutation, useChannelQuery } from '../../ui/query';
import { useContractForm } from '../../ui/useContractForm';

const CreateGroupInput = contract['groups.create'].input;

const SEARCH_DELAY_MS = 250;

function AddMember({ group, onChanged }: { group: GroupView; onChanged: (group: GroupView, message: string) => void }) {
  const { t } = useTranslation();
  const { side, discreet } = useDesk();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<{ query: string; clients: ClientSummary[] } | null>(null);
  const [error, setError] = useState<string | undefined>();
  const trimmed = query.trim();
  const search = useCallback(
    async (text: string) => {
      const result = await call('clients.search', { side, query: text });
      return result.ok
        ? result.value.filter((client) => client.track === group.track && !group.members.some((member) => member.clientId === client.id))
        : [];
    },
    [side, group],
  );
  // The matches follow the typing after a short pause, as in the booking's client search.
  useEffect(() => {
    if (!trimmed) return;
    let current = true;
    const timer = setTimeout(() => {
      void search(trimmed).then((clients) => {
        if (current) setFound({ query: trimmed, clients });
      });
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [trimmed, search]);
  const add = async (clientId: string) => {
    const result = await call('groups.addMember', { side, groupId: group.id, clientId });
    if (!result.ok) {
      setError(result.error.fields ? Object.values(result.error.fields)[0] : result.error.message);
      return;
    }
    setError(undefined);
    setFound(null);
    setQuery('');
    onChanged(result.value, t('reception.groups.memberAdded'));
  };
  const shown = trimmed && found?.query === trimmed ? found.clients : null;
  const nameOf = (client: ClientSummary) => (client.name ? (discreet ? initialsOf(client.name) : client.name) : '');
  return (
    <SearchPicker<ClientSummary>
      label={t('reception.groups.memberSearch')}
      error={error}
      query={query}
      onQueryChange={setQuery}
      results={shown}
      keyOf={(client) => client.id}
      textOf={(client) => `${nameOf(client)} (${client.birthYear ?? '–'}) – ${t('reception.groups.add')}`}
      renderItem={(client) => (
        <>
          <ClientName name={client.name} /> ({client.birthYear ?? '–'}) <span className="field__hint">– {t('reception.groups.add')}</span>
        </>
      )}
      onEnter={() => {
        if (trimmed) void search(trimmed).then((clients) => setFound({ query: trimmed, clients }));
      }}
      onChoose={(client) => void add(client.id)}
      listLabel={t('schedule.book.results')}
      status={!trimmed ? undefined : !shown ? t('schedule.book.searching') : shown.length === 0 ? t('reception.clients.noResults') : undefined}
    />
  );
}

function GroupCard({ group, onChanged }: { group: GroupView; onChanged: (group: GroupView, message: string) => void }) {
  const { t } = useTranslation();
  const { side, org } = useDesk();
  const therapist = org?.therapists.find((candidate) => candidate.id === group.therapistId)?.displayName ?? '';
  const room = org?.rooms.find((candidate) => candidate.id === group.roomId)?.name ?? '';
  const removeMember = useChannelMutation('groups.removeMember');
  const remove = async (clientId: string) => {
    const result = await removeMember.run({ side, groupId: group.id, clientId });
    if (result.ok) onChanged(result.value, '');
  };
  return (
    <section className="panel panel--wide" aria-labelledby={`group-${group.id}`}>
      <h2 id={`group-${group.id}`}>{group.name}</h2>
      <p className="field__hint">
        {t(`tracks.${group.track}`)} · {therapist} · {room}
      </p>
      <div className="columns">
        <div>
          <h3>{t('reception.groups.members')}</h3>
          {group.members.length === 0 ? <p>{t('reception.groups.noMembers')}</p> : null}
          <ul className="links">
            {group.members.map((member) => (
              <li key={member.clientId}>
                <ClientName name={member.name} />{' '}
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('reception.groups.remove', { name: member.name })}
                  onClick={() => void remove(member.clientId)}
                >
                  ✕
                </button>
              </li>
            ))}
          </ul>
          <h3>{t('reception.groups.addMember')}</h3>
          <AddMember group={group} onChanged={onChanged} />
        </div>
        <div>
          <h3>{t('reception.groups.sessions')}</h3>
          {group.upcomingSessions.length === 0 ? <p>{t('reception.groups.noSessions')}</p> : null}
          <ul className="links">
            {group.upcomingSessions.slice(0, 8).map((session) => (
              <li key={session.id}>
                {session.localDate} {session.localStart}–{session.localEnd}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}

function CreateGroup({ onCreated }: { onCreated: (group: GroupView) => void }) {
  const { t } = useTranslation();
  const { side, siteId, org } = useDesk();
  const tracks: Track[] = side === 'victims' ? ['victim', 'child'] : ['perpetrator'];
  const { form, showServerError } = useContractForm(CreateGroupInput, {
    side,
    siteId,
    track: tracks[0],
    name: '',
    therapistId: '',
    roomId: '',
    firstDate: todayInCentre(),
    start: '17:00',
    durationMinutes: 90,
    sessions: 10,
  });
  const { register, handleSubmit, formState, reset, control } = form;
  const errors = formState.errors;
  const therapists = (org?.therapists ?? []).filter(
    (therapist) => therapist.siteId === siteId && therapist.tracks.some((track) => tracks.includes(track)),
  );
  const rooms = (org?.rooms ?? []).filter((room) => room.siteId === siteId && room.active);
  const create = useChannelMutation('groups.create');
  const submit = handleSubmit(async (values) => {
    const result = await create.run({ ...values, side, siteId });
    if (result.ok) {
      reset();
      onCreated(result.value);
    } else showServerError(result.error);
  });
  return (
    <form onSubmit={submit} noValidate className="panel panel--wide">
      <h2>{t('reception.groups.createTitle')}</h2>
      <div className="grid">
        <Field label={t('reception.groups.name')} autoComplete="off" error={errors.name?.message} {...register('name')} />
        <SelectField
          label={t('reception.groups.track')}
          options={tracks.map((value) => ({ value, label: t(`tracks.${value}`) }))}
          error={errors.track?.message}
          {...register('track')}
        />
        <SelectField
          label={t('reception.groups.therapist')}
          placeholder={t('reception.intake.chooseTherapist')}
          options={therapists.map((therapist) => ({ value: therapist.id, label: therapist.displayName }))}
          error={errors.therapistId?.message}
          {...register('therapistId')}
        />
        <SelectField
          label={t('reception.groups.room')}
          placeholder="–"
          options={rooms.map((room) => ({ value: room.id, label: room.name }))}
          error={errors.roomId?.message}
          {...register('roomId')}
        />
        <FormDateField control={control} name="firstDate" label={t('reception.groups.firstDate')} />
        <FormTimeField control={control} name="start" label={t('reception.groups.start')} />
        <Field
          label={t('reception.groups.duration')}
          type="number"
          min={5}
          max={480}
          error={errors.durationMinutes?.message}
          {...register('durationMinutes', { valueAsNumber: true })}
        />
        <Field
          label={t('reception.groups.count')}
          type="number"
          min={1}
          max={52}
          error={errors.sessions?.message}
          {...register('sessions', { valueAsNumber: true })}
        />
      </div>
      <FormError message={errors.root?.server?.message} />
      <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
        {t('reception.groups.create')}
      </button>
    </form>
  );
}

/** Group treatment of one side: members, upcoming sessions, and new groups with weekly sessions. */
export function GroupsPage() {
  const { t } = useTranslation();
  const { side, siteId } = useDesk();
  const [message, setMessage] = useState('');
  const queryClient = useQueryClient();
  const list = useChannelQuery('groups.list', siteId ? { side, siteId } : null);
  const groups = list.data ?? null;
  // A change answers with the group as it now is: shown at once, in this side's list only.
  const setGroups = (update: (current: GroupView[] | undefined) => GroupView[]) =>
    queryClient.setQueryData<GroupView[]>(channelKey('groups.list', { side, siteId }), update);
  const changed = (group: GroupView, text: string) => {
    setGroups((current) => (current ?? []).map((candidate) => (candidate.id === group.id ? group : candidate)));
    setMessage(text);
  };
  return (
    <>
      <h1>{t('reception.groups.title')}</h1>
      <p className="lead">{t('reception.groups.lead')}</p>
      {message ? <Notice>{message}</Notice> : null}
      {groups && groups.length === 0 ? <p>{t('reception.groups.none')}</p> : null}
      {(groups ?? []).map((group) => (
        <GroupCard key={group.id} group={group} onChanged={changed} />
      ))}
      <CreateGroup
        key={`${side}-${siteId}`}
        onCreated={(group) => {
          setGroups((current) => [...(current ?? []), group]);
          setMessage(t('reception.groups.created'));
        }}
      />
    </>
  );
}
