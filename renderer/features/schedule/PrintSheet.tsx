import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppointmentView } from '../../../preload/contract/index';
import { useDesk } from '../../ui/desk';
import { FormError } from '../../ui/Field';
import { initialsOf } from '../../ui/initials';
import { useChannelQuery } from '../../ui/query';
import { weekdayOf } from './dates';
import { useSideResources } from './resources';
import styles from './schedule.module.css';

/** 'therapist:<id>' or 'waiting:<id>'. */
export type PrintTarget = string;

/**
 * A day list on paper, for a therapist or for a waiting room. Paper leaves the desk and lies on
 * tables: it shows initials unless someone ticks the box for full names, whatever the screen shows.
 */
export function PrintSheet({ target, date, onClose }: { target: PrintTarget; date: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { side, siteId, org } = useDesk();
  const resources = useSideResources();
  const [names, setNames] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const [kind, id] = [target.slice(0, target.indexOf(':')), target.slice(target.indexOf(':') + 1)];
  // A waiting room's list is the desk's arrivals board for that day; a therapist's is their schedule.
  const board = useChannelQuery('schedule.today', kind === 'waiting' ? { side, siteId, date } : null);
  const day = useChannelQuery('schedule.range', kind === 'waiting' ? null : { side, siteId, from: date, days: 1, therapistId: id, roomId: null });
  const read = kind === 'waiting' ? board : day;
  const shown =
    read.status === 'pending'
      ? null
      : {
          appointments:
            kind === 'waiting'
              ? (board.data?.find((room) => room.waitingRoomId === id)?.appointments ?? (board.data ? [] : null))
              : (day.data?.filter((a) => a.status !== 'cancelled') ?? null),
          error: read.error?.message ?? null,
        };

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const title =
    kind === 'waiting'
      ? t('calendar.print.waitingTitle', { name: org?.waitingRooms.find((room) => room.id === id)?.name ?? '' })
      : t('calendar.print.therapistTitle', { name: resources.therapistName(id) });
  const site = org?.sites.find((candidate) => candidate.id === siteId)?.name ?? '';
  const who = (appointment: AppointmentView) =>
    appointment.clientName
      ? names
        ? appointment.clientName
        : initialsOf(appointment.clientName)
      : appointment.groupName
        ? t('schedule.group', { name: appointment.groupName })
        : t('schedule.noClient');

  return (
    <section className={styles.printable} aria-labelledby="print-heading" data-testid="print-sheet">
      <div className={styles.printTools}>
        <label className={styles.check}>
          <input type="checkbox" checked={names} onChange={(event) => setNames(event.target.checked)} />
          {t('calendar.print.showNames')}
        </label>
        <button type="button" className="button button--primary" onClick={() => window.print()} disabled={!shown?.appointments}>
          {t('calendar.print.print')}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('calendar.print.back')}
        </button>
      </div>
      <h2 id="print-heading" ref={heading} tabIndex={-1} className={styles.printHeading}>
        {title}
      </h2>
      <p className={styles.printMeta}>
        {t('schedule.heading.day', { weekday: t(`schedule.weekdays.${weekdayOf(date)}`), date })} · {site} · {t(`sides.${side}`)}
        {names ? '' : ` · ${t('calendar.print.discreet')}`}
      </p>
      {shown?.error ? <FormError message={shown.error} /> : null}
      {!shown ? <p role="status">{t('schedule.loading')}</p> : null}
      {shown?.appointments && shown.appointments.length === 0 ? <p>{t('schedule.empty.day')}</p> : null}
      {shown?.appointments && shown.appointments.length > 0 ? (
        <table className={styles.printTable}>
          <thead>
            <tr>
              <th scope="col">{t('schedule.columns.time')}</th>
              <th scope="col">{t('schedule.columns.client')}</th>
              <th scope="col">{t('schedule.columns.kind')}</th>
              <th scope="col">{kind === 'waiting' ? t('schedule.columns.therapist') : t('schedule.columns.room')}</th>
              {kind === 'waiting' ? <th scope="col">{t('schedule.columns.room')}</th> : null}
              <th scope="col">{t('schedule.columns.status')}</th>
              {names ? <th scope="col">{t('schedule.appointment.note')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {shown.appointments.map((appointment) => (
              <tr key={appointment.id} data-testid="print-row">
                <td className={styles.printTime}>
                  {appointment.localStart}–{appointment.localEnd}
                </td>
                <td>{who(appointment)}</td>
                <td>{t(`kinds.${appointment.kind}`)}</td>
                {kind === 'waiting' ? <td>{resources.therapistName(appointment.therapistId)}</td> : null}
                <td>{resources.roomName(appointment.roomId) ?? t('schedule.phone')}</td>
                <td>{t(`statuses.${appointment.status}`)}</td>
                {names ? <td>{appointment.note ?? ''}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
