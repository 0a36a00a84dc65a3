import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ATTENDANCE_STATUSES,
  contract,
  type AppointmentView,
  type AttendanceStatus,
  type ClientSummary,
  type GroupSession,
  type GroupView,
  type Track,
} from '../../../preload/contract/index';
import { useConfirm } from '../../ui/ConfirmDialog';
import { holidaysAmong, weeklySeries } from '../../ui/holidays';
import styles from './GroupsPage.module.css';
import { call } from '../../ui/api';
import { formatDateTime, todayInCentre } from '../../ui/format';
import { ClientName, useDesk } from '../../ui/desk';
import { initialsOf } from '../../ui/initials';
import { SearchPicker } from '../../ui/SearchPicker';
import { DateField, FormDateField, FormTimeField, TimeField } from '../../ui/DateTimeFields';
import { Field, FormError, Notice, SelectField } from '../../ui/Field';
import { channelKey, useChannelMutation, useChannelQuery } from '../../ui/query';
import { useContractForm } from '../../ui/useContractForm';

const CreateGroupInput = contract['groups.create'].input;
const CancelInput = contract['appointments.cancel'].input;
const EndGroupInput = contract['groups.end'].input;

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

/**
 * Asks before a session is put on a Swedish holiday (or a de facto day off); true when it may be
 * booked or moved. A session moved within the day it is on already is not asked about again.
 */
function useHolidayCheck(action: 'book' | 'move') {
  const { t, i18n } = useTranslation();
  const { ask, dialog } = useConfirm();
  const check = useCallback(
    async (date: string, fromDate?: string) => {
      const holidays = date === fromDate ? [] : holidaysAmong([date], i18n.language);
      if (holidays.length === 0) return true;
      return ask({
        title: t('reception.groups.holidayTitle'),
        reasons: holidays.map((holiday) => t('reception.groups.holidayReason', { date: holiday.date, name: holiday.name })),
        confirmLabel: action === 'move' ? t('reception.groups.holidayMoveConfirm') : t('reception.groups.holidayConfirm'),
        cancelLabel: t('reception.groups.holidayCancel'),
      });
    },
    [action, ask, i18n.language, t],
  );
  return { check, dialog };
}

const DEFAULT_DURATION = 90;

function minutesOf(session: AppointmentView): number {
  return Math.round((Date.parse(session.endsAt) - Date.parse(session.startsAt)) / 60_000);
}

type Editing = { sessionId: string; mode: 'move' | 'cancel' | 'attendance' } | null;

/** Moves one session: the same rules as any booking are checked again for every member at the new time. */
function MoveSession({ session, onDone }: { session: AppointmentView; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const { side } = useDesk();
  const [date, setDate] = useState(session.localDate);
  const [start, setStart] = useState(session.localStart);
  const [error, setError] = useState<string | undefined>();
  const move = useChannelMutation('appointments.move');
  const { check, dialog } = useHolidayCheck('move');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!date || !start) {
      setError('error.required');
      return;
    }
    if (!(await check(date, session.localDate))) return;
    const result = await move.run({
      side,
      appointmentId: session.id,
      date,
      start,
      durationMinutes: minutesOf(session),
      therapistId: session.therapistId,
      roomId: session.roomId,
    });
    if (!result.ok) {
      setError(result.error.fields ? Object.values(result.error.fields)[0] : result.error.message);
      return;
    }
    onDone(t('reception.groups.moved'));
  };
  return (
    <form onSubmit={(event) => void submit(event)} noValidate className={styles.editor} aria-labelledby={`move-${session.id}`}>
      <h4 id={`move-${session.id}`}>{t('reception.groups.moveTitle', { date: session.localDate, time: session.localStart })}</h4>
      <div className="grid">
        <DateField label={t('reception.groups.newDate')} value={date} onChange={setDate} />
        <TimeField label={t('reception.groups.newStart')} value={start} onChange={setStart} />
      </div>
      <FormError message={error} />
      <button type="submit" className="button button--primary" disabled={move.pending}>
        {t('reception.groups.moveSave')}
      </button>
      {dialog}
    </form>
  );
}

function CancelSession({ session, onDone }: { session: AppointmentView; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const { side } = useDesk();
  const { form, showServerError } = useContractForm(CancelInput, { side, appointmentId: session.id, reason: '' });
  const cancel = useChannelMutation('appointments.cancel');
  const submit = form.handleSubmit(async (values) => {
    const result = await cancel.run({ ...values, side, appointmentId: session.id });
    if (result.ok) onDone(t('reception.groups.cancelled'));
    else showServerError(result.error);
  });
  return (
    <form onSubmit={submit} noValidate className={styles.editor} aria-labelledby={`cancel-${session.id}`}>
      <h4 id={`cancel-${session.id}`}>{t('reception.groups.cancelTitle', { date: session.localDate, time: session.localStart })}</h4>
      <Field
        label={t('reception.groups.reason')}
        hint={t('reception.groups.reasonHint')}
        autoComplete="off"
        error={form.formState.errors.reason?.message}
        {...form.register('reason')}
      />
      <FormError message={form.formState.errors.root?.server?.message} />
      <button type="submit" className="button button--primary" disabled={cancel.pending}>
        {t('reception.groups.cancelSave')}
      </button>
    </form>
  );
}

const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = {
  present: 'reception.groups.present',
  absent: 'reception.groups.absent',
  cancelled: 'reception.groups.calledOff',
};

/** Attendance per member at one session: a choice of three per member, saved together. */
function RecordAttendance({ entry, onDone }: { entry: GroupSession; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const { side } = useDesk();
  const [chosen, setChosen] = useState<Record<string, AttendanceStatus | null>>(() =>
    Object.fromEntries(entry.attendance.map((member) => [member.clientId, member.status])),
  );
  const [error, setError] = useState<string | undefined>();
  const record = useChannelMutation('groups.setAttendance');
  const session = entry.session;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const attendance = Object.entries(chosen).flatMap(([clientId, status]) => (status ? [{ clientId, status }] : []));
    if (attendance.length === 0) {
      setError('error.required');
      return;
    }
    const result = await record.run({ side, appointmentId: session.id, attendance });
    if (!result.ok) {
      setError(result.error.fields ? Object.values(result.error.fields)[0] : result.error.message);
      return;
    }
    onDone(t('reception.groups.attendanceSaved'));
  };
  return (
    <form onSubmit={(event) => void submit(event)} noValidate className={styles.editor} aria-labelledby={`attendance-${session.id}`}>
      <h4 id={`attendance-${session.id}`}>{t('reception.groups.attendanceTitle', { date: session.localDate, time: session.localStart })}</h4>
      {entry.attendance.length === 0 ? <p>{t('reception.groups.noAttendees')}</p> : null}
      {entry.attendance.map((member) => (
        <fieldset key={member.clientId} className={styles.attendee}>
          <legend>
            <ClientName name={member.name} />
          </legend>
          {ATTENDANCE_STATUSES.map((status) => (
            <label key={status} className={styles.choice}>
              <input
                type="radio"
                name={`attendance-${session.id}-${member.clientId}`}
                value={status}
                checked={chosen[member.clientId] === status}
                onChange={() => setChosen((current) => ({ ...current, [member.clientId]: status }))}
              />{' '}
              {t(ATTENDANCE_LABELS[status])}
            </label>
          ))}
        </fieldset>
      ))}
      <FormError message={error} />
      {entry.attendance.length > 0 ? (
        <button type="submit" className="button button--primary" disabled={record.pending}>
          {t('reception.groups.attendanceSave')}
        </button>
      ) : null}
    </form>
  );
}

/** Every session of the group with its status and attendance; each one moved, cancelled or its attendance recorded in place. */
function GroupSessions({ group, onMessage }: { group: GroupView; onMessage: (message: string) => void }) {
  const { t } = useTranslation();
  const { side } = useDesk();
  const sessions = useChannelQuery('groups.sessions', { side, groupId: group.id });
  const [editing, setEditing] = useState<Editing>(null);
  const done = (message: string) => {
    setEditing(null);
    onMessage(message);
  };
  const entries = sessions.data ?? [];
  const open = entries.find((entry) => entry.session.id === editing?.sessionId);
  const live = (entry: GroupSession) => entry.session.status !== 'cancelled' && entry.session.status !== 'done' && group.endedAt === null;
  const action = (entry: GroupSession, mode: NonNullable<Editing>['mode'], text: string, label: string) => (
    <button
      type="button"
      className="button button--small"
      aria-label={t(label, { date: entry.session.localDate, time: entry.session.localStart })}
      aria-expanded={editing?.sessionId === entry.session.id && editing.mode === mode}
      onClick={() => setEditing(editing?.sessionId === entry.session.id && editing.mode === mode ? null : { sessionId: entry.session.id, mode })}
    >
      {t(text)}
    </button>
  );
  return (
    <>
      <h3>{t('reception.groups.allSessions')}</h3>
      {sessions.data && entries.length === 0 ? <p>{t('reception.groups.noSessions')}</p> : null}
      {entries.length > 0 ? (
        // A long series scrolls within the card: a stop of its own, so the keyboard can scroll it too.
        <div className={styles.scroll} tabIndex={0} role="region" aria-label={t('reception.groups.allSessions')}>
          <table className="table">
            <caption className="visually-hidden">{t('reception.groups.allSessions')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reception.groups.date')}</th>
                <th scope="col">{t('reception.groups.time')}</th>
                <th scope="col">{t('reception.groups.status')}</th>
                <th scope="col">{t('reception.groups.attendance')}</th>
                <th scope="col">{t('reception.groups.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => {
                const recorded = entry.attendance.filter((member) => member.status !== null);
                return (
                  <tr key={entry.session.id} data-testid="group-session">
                    <th scope="row">{entry.session.localDate}</th>
                    <td>
                      {entry.session.localStart}–{entry.session.localEnd}
                    </td>
                    <td>
                      {t(`statuses.${entry.session.status}`)}
                      {entry.session.cancelReason ? <span className="field__hint"> ({entry.session.cancelReason})</span> : null}
                    </td>
                    <td>
                      {entry.session.status === 'cancelled'
                        ? '–'
                        : recorded.length === 0
                          ? t('reception.groups.notRecorded')
                          : t('reception.groups.attendanceSummary', {
                              present: entry.attendance.filter((member) => member.status === 'present').length,
                              count: entry.attendance.length,
                            })}
                    </td>
                    <td>
                      <div className={styles.actions}>
                        {live(entry) ? action(entry, 'move', 'reception.groups.move', 'reception.groups.moveLabel') : null}
                        {live(entry) ? action(entry, 'cancel', 'reception.groups.cancel', 'reception.groups.cancelLabel') : null}
                        {entry.session.status !== 'cancelled'
                          ? action(entry, 'attendance', 'reception.groups.recordAttendance', 'reception.groups.attendanceLabel')
                          : null}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {open && editing?.mode === 'move' ? <MoveSession key={open.session.id} session={open.session} onDone={done} /> : null}
      {open && editing?.mode === 'cancel' ? <CancelSession key={open.session.id} session={open.session} onDone={done} /> : null}
      {open && editing?.mode === 'attendance' ? <RecordAttendance key={open.session.id} entry={open} onDone={done} /> : null}
    </>
  );
}

/** One more session for the group, at its room and with its leader, under the same rules as any booking. */
function AddSession({ group, onMessage }: { group: GroupView; onMessage: (message: string) => void }) {
  const { t } = useTranslation();
  const { side } = useDesk();
  const usual = group.upcomingSessions[group.upcomingSessions.length - 1];
  const [date, setDate] = useState('');
  const [start, setStart] = useState(usual?.localStart ?? '17:00');
  const [error, setError] = useState<string | undefined>();
  const book = useChannelMutation('appointments.book');
  const { check, dialog } = useHolidayCheck('book');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!date || !start) {
      setError('error.required');
      return;
    }
    if (!(await check(date))) return;
    const result = await book.run({
      side,
      kind: 'group',
      siteId: group.siteId,
      clientId: null,
      groupId: group.id,
      therapistId: group.therapistId,
      roomId: group.roomId,
      date,
      start,
      durationMinutes: usual ? minutesOf(usual) : DEFAULT_DURATION,
      note: '',
    });
    if (!result.ok) {
      setError(result.error.fields ? Object.values(result.error.fields)[0] : result.error.message);
      return;
    }
    setError(undefined);
    setDate('');
    onMessage(t('reception.groups.sessionAdded'));
  };
  return (
    <form onSubmit={(event) => void submit(event)} noValidate className={styles.editor} aria-labelledby={`add-session-${group.id}`}>
      <h3 id={`add-session-${group.id}`}>{t('reception.groups.addSessionTitle')}</h3>
      <div className="grid">
        <DateField label={t('reception.groups.date')} value={date} onChange={setDate} />
        <TimeField label={t('reception.groups.start')} value={start} onChange={setStart} />
      </div>
      <FormError message={error} />
      <button type="submit" className="button" disabled={book.pending}>
        {t('reception.groups.addSession')}
      </button>
      {dialog}
    </form>
  );
}

/** Ends the group after saying which coming sessions this cancels. */
function EndGroup({ group, onEnded }: { group: GroupView; onEnded: (group: GroupView) => void }) {
  const { t } = useTranslation();
  const { side } = useDesk();
  const { form, showServerError } = useContractForm(EndGroupInput, { side, groupId: group.id, reason: '' });
  const end = useChannelMutation('groups.end');
  const { ask, dialog } = useConfirm();
  const submit = form.handleSubmit(async (values) => {
    const coming = group.upcomingSessions.map((session) => `${session.localDate} ${session.localStart}`);
    const yes = await ask({
      title: t('reception.groups.endConfirmTitle', { name: group.name }),
      reasons: [
        coming.length > 0
          ? t('reception.groups.endConfirmSessions', { count: coming.length, dates: coming.join(', ') })
          : t('reception.groups.endConfirmNone'),
        t('reception.groups.endConfirmFinal'),
      ],
      confirmLabel: t('reception.groups.endConfirm'),
      cancelLabel: t('reception.groups.keep'),
    });
    if (!yes) return;
    const result = await end.run({ ...values, side, groupId: group.id });
    if (result.ok) onEnded(result.value);
    else showServerError(result.error);
  });
  return (
    <form onSubmit={submit} noValidate className={styles.editor} aria-labelledby={`end-${group.id}`}>
      <h3 id={`end-${group.id}`}>{t('reception.groups.endTitle')}</h3>
      <Field
        label={t('reception.groups.reason')}
        hint={t('reception.groups.endHint')}
        autoComplete="off"
        error={form.formState.errors.reason?.message}
        {...form.register('reason')}
      />
      <FormError message={form.formState.errors.root?.server?.message} />
      <button type="submit" className={`button ${styles.danger}`} disabled={end.pending}>
        {t('reception.groups.endButton')}
      </button>
      {dialog}
    </form>
  );
}

function GroupCard({ group, onChanged }: { group: GroupView; onChanged: (group: GroupView | null, message: string) => void }) {
  const { t } = useTranslation();
  const { side, org, user } = useDesk();
  const therapist = org?.therapists.find((candidate) => candidate.id === group.therapistId)?.displayName ?? '';
  const room = org?.rooms.find((candidate) => candidate.id === group.roomId)?.name ?? '';
  const removeMember = useChannelMutation('groups.removeMember');
  const remove = async (clientId: string) => {
    const result = await removeMember.run({ side, groupId: group.id, clientId });
    if (result.ok) onChanged(result.value, '');
  };
  const ended = group.endedAt !== null;
  // Reception manages the group; its leader records attendance.
  const reception = user.roles.includes('receptionist');
  return (
    <section className="panel panel--wide" aria-labelledby={`group-${group.id}`}>
      <div className={styles.heading}>
        <h2 id={`group-${group.id}`}>{group.name}</h2>
        {ended ? <p className="badge">{t('reception.groups.ended', { date: formatDateTime(group.endedAt!).slice(0, 10) })}</p> : null}
      </div>
      <p className="field__hint">
        {t(`tracks.${group.track}`)} · {therapist} · {room}
      </p>
      {ended ? <p>{t('reception.groups.endedNote')}</p> : null}
      <div className={styles.members}>
        <div>
          <h3>{t('reception.groups.members')}</h3>
          {group.members.length === 0 ? <p>{t('reception.groups.noMembers')}</p> : null}
          <ul className="links">
            {group.members.map((member) => (
              <li key={member.clientId}>
                <ClientName name={member.name} />{' '}
                {reception && !ended ? (
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={t('reception.groups.remove', { name: member.name })}
                    onClick={() => void remove(member.clientId)}
                  >
                    ✕
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
        {reception && !ended ? (
          <div>
            <h3>{t('reception.groups.addMember')}</h3>
            <AddMember group={group} onChanged={onChanged} />
          </div>
        ) : null}
      </div>
      {/* A session's change is in the lists fetched again before it answers: only its message is left to show (this render's group would be stale). */}
      <GroupSessions group={group} onMessage={(message) => onChanged(null, message)} />
      {reception && !ended ? (
        <div className={styles.forms}>
          <AddSession group={group} onMessage={(message) => onChanged(null, message)} />
          <EndGroup group={group} onEnded={(next) => onChanged(next, t('reception.groups.endedMessage'))} />
        </div>
      ) : null}
    </section>
  );
}

/**
 * The dates of a weekly series that fall on a holiday, and the dates to skip so that the series keeps
 * its length without landing on another holiday (a skipped Christmas may push it onto New Year's Eve).
 */
function holidaysOfSeries(firstDate: string, sessions: number, language: string) {
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(firstDate) && Number.isInteger(sessions) && sessions >= 1 && sessions <= 52;
  if (!valid) return { holidays: [], skip: [] as string[], last: '' };
  const holidays = holidaysAmong(weeklySeries(firstDate, sessions), language);
  const skip = new Set<string>();
  for (let round = 0; round < 52; round += 1) {
    const found = holidaysAmong(weeklySeries(firstDate, sessions, skip), language).filter((holiday) => !skip.has(holiday.date));
    if (found.length === 0) break;
    for (const holiday of found) skip.add(holiday.date);
  }
  const planned = weeklySeries(firstDate, sessions, skip);
  return { holidays, skip: [...skip].sort(), last: planned[planned.length - 1] ?? '' };
}

function CreateGroup({ onCreated }: { onCreated: (group: GroupView) => void }) {
  const { t, i18n } = useTranslation();
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
    skipDates: [],
  });
  const { register, handleSubmit, formState, reset, control, watch } = form;
  const errors = formState.errors;
  const series = holidaysOfSeries(watch('firstDate') ?? '', Number(watch('sessions')), i18n.language);
  const seriesKey = series.holidays.map((holiday) => holiday.date).join(' ');
  // Asked again whenever the holidays in the series change: an answer for other dates is no answer.
  const [holidayAnswer, setHolidayAnswer] = useState<{ key: string; skip: boolean } | null>(null);
  const skipHolidays = holidayAnswer?.key === seriesKey ? holidayAnswer.skip : null;
  const [holidayError, setHolidayError] = useState<string | undefined>();
  const therapists = (org?.therapists ?? []).filter(
    (therapist) => therapist.siteId === siteId && therapist.tracks.some((track) => tracks.includes(track)),
  );
  const rooms = (org?.rooms ?? []).filter((room) => room.siteId === siteId && room.active);
  const create = useChannelMutation('groups.create');
  const submit = handleSubmit(async (values) => {
    if (series.holidays.length > 0 && skipHolidays === null) {
      setHolidayError('reception.groups.holidayChoice');
      return;
    }
    const skipDates = series.holidays.length > 0 && skipHolidays ? series.skip : [];
    const result = await create.run({ ...values, side, siteId, skipDates });
    if (result.ok) {
      reset();
      setHolidayAnswer(null);
      onCreated(result.value);
    } else showServerError(result.error);
  });
  const answer = (skip: boolean) => {
    setHolidayAnswer({ key: seriesKey, skip });
    setHolidayError(undefined);
  };
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
      {series.holidays.length > 0 ? (
        <fieldset
          className={holidayError ? `${styles.holidays} field--invalid` : styles.holidays}
          aria-describedby={holidayError ? 'series-holidays-error' : undefined}
        >
          <legend>{t('reception.groups.holidaysInSeries')}</legend>
          <p>{t('reception.groups.holidaysLead')}</p>
          <ul data-testid="series-holidays">
            {series.holidays.map((holiday) => (
              <li key={holiday.date}>
                {holiday.date} {holiday.name}
              </li>
            ))}
          </ul>
          <label className={styles.choice}>
            <input type="radio" name="skip-holidays" checked={skipHolidays === true} onChange={() => answer(true)} />{' '}
            {t('reception.groups.skipHolidays', { last: series.last })}
          </label>
          <label className={styles.choice}>
            <input type="radio" name="skip-holidays" checked={skipHolidays === false} onChange={() => answer(false)} />{' '}
            {t('reception.groups.keepHolidays')}
          </label>
          {holidayError ? (
            <p className="field__error" id="series-holidays-error">
              {t(holidayError)}
            </p>
          ) : null}
        </fieldset>
      ) : null}
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
  const changed = (group: GroupView | null, text: string) => {
    if (group) setGroups((current) => (current ?? []).map((candidate) => (candidate.id === group.id ? group : candidate)));
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
          // The list is fetched again before a write answers, so it may hold the new group already: once only.
          setGroups((current) => [...(current ?? []).filter((candidate) => candidate.id !== group.id), group]);
          setMessage(t('reception.groups.created'));
        }}
      />
    </>
  );
}
