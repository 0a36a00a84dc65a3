import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contract, type AppointmentStatus, type AppointmentView, type BookingWarning } from '../../../preload/contract/index';
import { ClientName, useDesk } from '../../ui/desk';
import { FormError, SelectField, TextAreaField } from '../../ui/Field';
import { useChannelMutation } from '../../ui/query';
import { useContractForm } from '../../ui/useContractForm';
import { minutesBetween } from './dates';
import { useAskFirst } from './askFirst';
import { SavedNotice, StatusBadge, WhenFields, whenText } from './parts';
import { ROOM_OPTIONAL_KINDS, useSideResources } from './resources';
import styles from './schedule.module.css';

const MoveInput = contract['appointments.move'].input;
const CancelInput = contract['appointments.cancel'].input;
type SettableStatus = 'booked' | 'arrived' | 'in_session' | 'done' | 'no_show';

/** The steps offered from each status; the main process holds the same flow and refuses any other. */
const NEXT_STATUSES: Record<AppointmentStatus, SettableStatus[]> = {
  booked: ['arrived', 'no_show'],
  arrived: ['in_session', 'no_show', 'booked'],
  in_session: ['done', 'arrived'],
  done: ['in_session'],
  no_show: ['booked'],
  cancelled: [],
};

function isOpen(appointment: AppointmentView): boolean {
  return appointment.status !== 'cancelled' && appointment.status !== 'done';
}

function MoveForm({
  appointment,
  onMoved,
}: {
  appointment: AppointmentView;
  onMoved: (appointment: AppointmentView, warnings: BookingWarning[]) => void;
}) {
  const { t } = useTranslation();
  const { side } = useDesk();
  const resources = useSideResources();
  const askFirst = useAskFirst(resources.therapists);
  const { form, showServerError } = useContractForm(MoveInput, {
    side,
    appointmentId: appointment.id,
    date: appointment.localDate,
    start: appointment.localStart,
    durationMinutes: minutesBetween(appointment.startsAt, appointment.endsAt),
    therapistId: appointment.therapistId,
    roomId: appointment.roomId,
  });
  const { register, handleSubmit, formState, control } = form;
  const errors = formState.errors;
  const moveCall = useChannelMutation('appointments.move');
  const therapists = resources.therapistsFor(appointment.clientTrack);
  const therapistOptions = therapists.map((therapist) => ({ value: therapist.id, label: therapist.displayName }));
  if (!therapistOptions.some((option) => option.value === appointment.therapistId)) {
    therapistOptions.unshift({ value: appointment.therapistId, label: resources.therapistName(appointment.therapistId) });
  }
  const roomOptional = ROOM_OPTIONAL_KINDS.includes(appointment.kind) || appointment.roomId === null;

  const submit = handleSubmit(async (values) => {
    // Ask before, not after: a past time, one outside the therapist's hours or another day that is a holiday waits for a yes.
    if (!(await askFirst.confirm({ ...values, fromDate: appointment.localDate }, 'move'))) return;
    const result = await moveCall.run(values);
    if (!result.ok) {
      showServerError(result.error);
      return;
    }
    onMoved(result.value.appointment, result.value.warnings);
  });

  return (
    <form onSubmit={submit} noValidate aria-labelledby="move-heading" className={styles.scheduleSubform}>
      <h3 id="move-heading">{t('schedule.appointment.moveTitle')}</h3>
      <WhenFields
        control={control}
        duration={register('durationMinutes', { valueAsNumber: true })}
        errors={{ date: errors.date?.message, start: errors.start?.message, duration: errors.durationMinutes?.message }}
      />
      <SelectField label={t('schedule.book.therapist')} options={therapistOptions} error={errors.therapistId?.message} {...register('therapistId')} />
      <SelectField
        label={t('schedule.book.room')}
        placeholder={roomOptional ? t('schedule.book.noRoom') : undefined}
        options={resources.rooms.map((room) => ({ value: room.id, label: room.name }))}
        error={errors.roomId?.message}
        {...register('roomId', { setValueAs: (value: string | null) => (value ? value : null) })}
      />
      <FormError message={errors.root?.server?.message} />
      <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
        {formState.isSubmitting ? t('schedule.appointment.moving') : t('schedule.appointment.moveSave')}
      </button>
      {askFirst.dialog}
    </form>
  );
}

function CancelForm({ appointment, onCancelled }: { appointment: AppointmentView; onCancelled: (appointment: AppointmentView) => void }) {
  const { t } = useTranslation();
  const { side } = useDesk();
  const { form, showServerError } = useContractForm(CancelInput, { side, appointmentId: appointment.id, reason: '' });
  const { register, handleSubmit, formState } = form;
  const cancelCall = useChannelMutation('appointments.cancel');
  const submit = handleSubmit(async (values) => {
    const result = await cancelCall.run(values);
    if (!result.ok) {
      showServerError(result.error);
      return;
    }
    onCancelled(result.value);
  });
  return (
    <form onSubmit={submit} noValidate aria-labelledby="cancel-heading" className={styles.scheduleSubform}>
      <h3 id="cancel-heading">{t('schedule.appointment.cancelTitle')}</h3>
      <TextAreaField
        label={t('schedule.appointment.reason')}
        hint={t('schedule.appointment.reasonHint')}
        rows={2}
        error={formState.errors.reason?.message}
        {...register('reason')}
      />
      <FormError message={formState.errors.root?.server?.message} />
      <button type="submit" className="button button--danger" disabled={formState.isSubmitting}>
        {formState.isSubmitting ? t('schedule.appointment.cancelling') : t('schedule.appointment.cancelSave')}
      </button>
    </form>
  );
}

/** One appointment: what it is, its status at the desk, and moving, extending or cancelling it. */
export function AppointmentPanel({
  appointment,
  canManage,
  onChanged,
  onClose,
}: {
  appointment: AppointmentView;
  canManage: boolean;
  onChanged: (appointment: AppointmentView) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { side, discreet } = useDesk();
  const resources = useSideResources();
  const [revealed, setRevealed] = useState(false);
  const [outcome, setOutcome] = useState<{ message: string; warningsTitle: string; warnings: BookingWarning[] } | null>(null);
  const [statusProblem, setStatusProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const statusActions = useRef<HTMLDivElement>(null);

  const focusNextStep = useRef(false);
  const statusCall = useChannelMutation('appointments.setStatus');

  useEffect(() => {
    heading.current?.focus();
  }, [appointment.id]);

  // The buttons change with the status: keep the keyboard on the next step.
  useEffect(() => {
    if (!focusNextStep.current) return;
    focusNextStep.current = false;
    (statusActions.current?.querySelector('button') ?? heading.current)?.focus();
  }, [appointment.status]);

  const setStatus = async (status: SettableStatus) => {
    setBusy(true);
    setStatusProblem(null);
    const result = await statusCall.run({ side, appointmentId: appointment.id, status });
    setBusy(false);
    if (!result.ok) {
      setStatusProblem(result.error.message);
      return;
    }
    setOutcome({ message: t('schedule.appointment.statusChanged', { status: t(`statuses.${status}`) }), warningsTitle: '', warnings: [] });
    focusNextStep.current = true;
    onChanged(result.value);
  };

  const when = { date: appointment.localDate, start: appointment.localStart, end: appointment.localEnd };
  const who = appointment.clientName ? (
    <ClientName name={appointment.clientName} revealed={revealed} />
  ) : appointment.groupName ? (
    t('schedule.group', { name: appointment.groupName })
  ) : (
    t('schedule.noClient')
  );

  return (
    <section className={`panel ${styles.schedulePanel}`} aria-labelledby="appointment-heading" data-testid="appointment-panel">
      <div className={styles.schedulePanelHead}>
        <h2 id="appointment-heading" ref={heading} tabIndex={-1}>
          {t('schedule.appointment.title', { when: whenText(t, when) })}
        </h2>
        <StatusBadge status={appointment.status} />
        <button type="button" className="button button--small schedule-panel__close" onClick={onClose}>
          {t('schedule.appointment.close')}
        </button>
      </div>
      {outcome ? <SavedNotice {...outcome} /> : null}
      <div className={styles.scheduleAppointment}>
        <div>
          <h3>{t('schedule.appointment.details')}</h3>
          <dl className={`facts ${styles.scheduleFacts}`}>
            <dt>{t('schedule.columns.client')}</dt>
            <dd>
              {who}
              {discreet && appointment.clientName ? (
                <>
                  {' '}
                  <button type="button" className="button button--small" aria-pressed={revealed} onClick={() => setRevealed((value) => !value)}>
                    {revealed ? t('schedule.appointment.hideName') : t('schedule.appointment.showName')}
                  </button>
                </>
              ) : null}
            </dd>
            <dt>{t('schedule.columns.kind')}</dt>
            <dd>{t(`kinds.${appointment.kind}`)}</dd>
            <dt>{t('schedule.columns.therapist')}</dt>
            <dd>{resources.therapistName(appointment.therapistId)}</dd>
            <dt>{t('schedule.columns.room')}</dt>
            <dd>{resources.roomName(appointment.roomId) ?? t('schedule.phone')}</dd>
            {appointment.note ? (
              <>
                <dt>{t('schedule.appointment.note')}</dt>
                <dd>{appointment.note}</dd>
              </>
            ) : null}
            {appointment.cancelReason ? (
              <>
                <dt>{t('schedule.appointment.cancelReason')}</dt>
                <dd>{appointment.cancelReason}</dd>
              </>
            ) : null}
          </dl>
          {NEXT_STATUSES[appointment.status].length > 0 ? (
            <div role="group" aria-labelledby="status-heading" className={styles.scheduleStatusActions}>
              <h3 id="status-heading">{t('schedule.appointment.statusTitle')}</h3>
              <div className={styles.scheduleActions} ref={statusActions}>
                {NEXT_STATUSES[appointment.status].map((status) => (
                  <button key={status} type="button" className="button" disabled={busy} onClick={() => void setStatus(status)}>
                    {t(`schedule.appointment.statusActions.${status}`)}
                  </button>
                ))}
              </div>
              <FormError message={statusProblem ?? undefined} />
            </div>
          ) : null}
        </div>
        {canManage && isOpen(appointment) ? (
          <>
            <MoveForm
              // Moved meanwhile (dragged in the grid, moved from the keyboard): the form starts again from where it is now,
              // so that saving it never puts the appointment back where it was.
              key={`move-${appointment.id}-${appointment.startsAt}-${appointment.endsAt}-${appointment.therapistId}-${appointment.roomId ?? ''}`}
              appointment={appointment}
              onMoved={(moved, warnings) => {
                setOutcome({
                  message: t('schedule.appointment.moved', {
                    when: whenText(t, { date: moved.localDate, start: moved.localStart, end: moved.localEnd }),
                  }),
                  warningsTitle: t('schedule.appointment.movedWarnings'),
                  warnings,
                });
                onChanged(moved);
              }}
            />
            <CancelForm
              key={`cancel-${appointment.id}`}
              appointment={appointment}
              onCancelled={(cancelled) => {
                setOutcome({ message: t('schedule.appointment.cancelled'), warningsTitle: '', warnings: [] });
                onChanged(cancelled);
                // The forms go away with the cancellation: keep the keyboard in the panel.
                setTimeout(() => heading.current?.focus(), 0);
              }}
            />
          </>
        ) : (
          <p className={`${styles.scheduleMuted} ${styles.scheduleAppointmentAside}`}>
            {canManage ? t('schedule.appointment.closed') : t('schedule.appointment.receptionOnly')}
          </p>
        )}
      </div>
    </section>
  );
}
