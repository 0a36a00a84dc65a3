import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppointmentView } from '../../../preload/contract/index';
import { todayInCentre } from '../../ui/format';
import { ClientName, useDesk, useRevealableRow } from '../../ui/desk';
import { FormError } from '../../ui/Field';
import { useChannelMutation, useChannelQuery } from '../../ui/query';
import { DateField } from '../../ui/DateTimeFields';
import styles from './reception.module.css';

function ArrivalRow({
  appointment,
  onStatus,
}: {
  appointment: AppointmentView;
  onStatus: (id: string, status: 'booked' | 'arrived' | 'no_show') => void;
}) {
  const { t } = useTranslation();
  const { org } = useDesk();
  const { revealed, rowProps } = useRevealableRow();
  const therapist = org?.therapists.find((candidate) => candidate.id === appointment.therapistId)?.displayName ?? '';
  return (
    <tr {...rowProps} className={styles[`arrival_${appointment.status}`]} data-testid="arrival-row">
      <td>
        {appointment.localStart}–{appointment.localEnd}
      </td>
      <th scope="row">
        {appointment.groupName ? (
          t('reception.today.group', { name: appointment.groupName })
        ) : (
          <ClientName name={appointment.clientName} revealed={revealed} />
        )}
      </th>
      <td>{t(`kinds.${appointment.kind}`)}</td>
      <td>{therapist}</td>
      <td>
        <span className={`${styles.status} ${styles[`status_${appointment.status}`] ?? ''}`}>{t(`statuses.${appointment.status}`)}</span>
      </td>
      <td className="row-actions">
        {appointment.status === 'booked' ? (
          <>
            <button type="button" className="button button--small button--primary" onClick={() => onStatus(appointment.id, 'arrived')}>
              {t('reception.today.checkIn')}
            </button>
            <button type="button" className="button button--small" onClick={() => onStatus(appointment.id, 'no_show')}>
              {t('reception.today.noShow')}
            </button>
          </>
        ) : null}
        {appointment.status === 'arrived' || appointment.status === 'no_show' ? (
          <button type="button" className="button button--small" onClick={() => onStatus(appointment.id, 'booked')}>
            {t('reception.today.undo')}
          </button>
        ) : null}
      </td>
    </tr>
  );
}

/** The reception desk's board: today's arrivals of one side, one table per waiting room, check-in from the keyboard. */
export function TodayPage() {
  const { t } = useTranslation();
  const { side, siteId } = useDesk();
  const [date, setDate] = useState(todayInCentre);
  // No timer: a read every half minute would keep the idle lock from locking an unattended desk.
  // The board asks again after each check-in, and when the window comes back into view.
  const today = useChannelQuery('schedule.today', siteId ? { side, siteId, date } : null, { keepPrevious: true });
  const board = today.data ?? null;
  const [statusError, setStatusError] = useState<string | undefined>();
  const error = statusError ?? today.error?.message;
  const statusChange = useChannelMutation('appointments.setStatus');

  const setStatus = async (appointmentId: string, status: 'booked' | 'arrived' | 'no_show') => {
    const result = await statusChange.run({ side, appointmentId, status });
    setStatusError(result.ok ? undefined : result.error.message);
    // A refused change asks again too: the board shows what the journal holds.
    if (!result.ok) void today.refetch();
  };

  return (
    <>
      <h1>{t('reception.today.title')}</h1>
      <p className="lead">{t('reception.today.lead')}</p>
      <div className="inline-search">
        {/* The board follows only a whole date: a half-typed one leaves the day on screen as it is. */}
        <DateField
          label={t('reception.today.date')}
          value={date}
          onChange={(value) => {
            if (value) setDate(value);
          }}
        />
      </div>
      <FormError message={error} />
      {(board ?? []).map((room) => {
        const waiting = room.appointments.filter((appointment) => appointment.status === 'arrived').length;
        return (
          <section key={room.waitingRoomId} className="panel panel--wide" aria-labelledby={`wr-${room.waitingRoomId}`}>
            <div className="panel__head">
              <h2 id={`wr-${room.waitingRoomId}`}>{t('reception.today.waitingRoom', { name: room.name, capacity: room.capacity })}</h2>
              <p className={waiting > room.capacity ? 'badge badge--danger' : 'badge'} data-testid="waiting-count">
                {t('reception.today.inRoom', { count: waiting })}
              </p>
            </div>
            <p className="field__hint">{room.tracks.map((track) => t(`tracks.${track}`)).join(', ')}</p>
            {waiting > room.capacity ? <p className="warning">{t('reception.today.overCapacity')}</p> : null}
            {room.appointments.length === 0 ? (
              <p>{t('reception.today.nobody')}</p>
            ) : (
              <table className="table">
                <caption className="visually-hidden">{room.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('reception.today.time')}</th>
                    <th scope="col">{t('reception.today.who')}</th>
                    <th scope="col">{t('reception.today.kind')}</th>
                    <th scope="col">{t('reception.today.therapist')}</th>
                    <th scope="col">{t('reception.today.status')}</th>
                    <th scope="col">{t('reception.today.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {room.appointments.map((appointment) => (
                    <ArrivalRow key={appointment.id} appointment={appointment} onStatus={(id, status) => void setStatus(id, status)} />
                  ))}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
    </>
  );
}
