import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppointmentView } from '../../../preload/contract';
import { ClientName, useRevealableRow } from '../../ui/desk';
import { addLocalDays, weekdayOf } from './dates';
import { StatusBadge } from './parts';
import { shortName, useSideResources } from './resources';

/** Up and down arrows walk the appointments on screen in time order, like rows in a list. */
function walk(event: KeyboardEvent<HTMLElement>): boolean {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return false;
  if (event.target !== event.currentTarget) return false;
  event.preventDefault();
  const items = [...document.querySelectorAll<HTMLElement>('[data-appointment-item]')];
  const index = items.indexOf(event.currentTarget);
  items[event.key === 'ArrowDown' ? Math.min(index + 1, items.length - 1) : Math.max(index - 1, 0)]?.focus();
  return true;
}

function Who({ appointment, revealed }: { appointment: AppointmentView; revealed: boolean }) {
  const { t } = useTranslation();
  if (appointment.clientName) return <ClientName name={appointment.clientName} revealed={revealed} />;
  if (appointment.groupName) return <>{t('schedule.group', { name: appointment.groupName })}</>;
  return <span className="schedule-muted">{t('schedule.noClient')}</span>;
}

function DayRow({
  appointment,
  selected,
  onOpen,
}: {
  appointment: AppointmentView;
  selected: boolean;
  onOpen: (appointment: AppointmentView) => void;
}) {
  const { t } = useTranslation();
  const resources = useSideResources();
  const { revealed, rowProps } = useRevealableRow();
  const cancelled = appointment.status === 'cancelled';
  return (
    <tr
      {...rowProps}
      data-appointment-item=""
      data-testid="appointment-row"
      aria-current={selected ? 'true' : undefined}
      className={`schedule-row${cancelled ? ' schedule-row--cancelled' : ''}${selected ? ' schedule-row--selected' : ''}`}
      onKeyDown={(event) => {
        rowProps.onKeyDown(event);
        if (walk(event)) return;
        if (event.key === 'Enter' && event.target === event.currentTarget) {
          event.preventDefault();
          onOpen(appointment);
        }
      }}
    >
      <th scope="row" className="schedule-row__time">
        {appointment.localStart}–{appointment.localEnd}
      </th>
      <td>{t(`kinds.${appointment.kind}`)}</td>
      <td className="schedule-row__who">
        <Who appointment={appointment} revealed={revealed} />
      </td>
      <td>{resources.therapistName(appointment.therapistId)}</td>
      <td>{resources.roomName(appointment.roomId) ?? <span className="schedule-muted">{t('schedule.phone')}</span>}</td>
      <td>
        <StatusBadge status={appointment.status} />
      </td>
      <td>
        <button type="button" className="button button--small" onClick={() => onOpen(appointment)}>
          {t('schedule.open')}
          <span className="visually-hidden">
            {' '}
            {appointment.localStart}–{appointment.localEnd}
          </span>
        </button>
      </td>
    </tr>
  );
}

export function DayView({
  appointments,
  caption,
  selectedId,
  onOpen,
}: {
  appointments: AppointmentView[];
  caption: string;
  selectedId: string | null;
  onOpen: (appointment: AppointmentView) => void;
}) {
  const { t } = useTranslation();
  return (
    <table className="table schedule-day">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('schedule.columns.time')}</th>
          <th scope="col">{t('schedule.columns.kind')}</th>
          <th scope="col">{t('schedule.columns.client')}</th>
          <th scope="col">{t('schedule.columns.therapist')}</th>
          <th scope="col">{t('schedule.columns.room')}</th>
          <th scope="col">{t('schedule.columns.status')}</th>
          <th scope="col">
            <span className="visually-hidden">{t('schedule.columns.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {appointments.map((appointment) => (
          <DayRow key={appointment.id} appointment={appointment} selected={appointment.id === selectedId} onOpen={onOpen} />
        ))}
      </tbody>
    </table>
  );
}

function WeekCard({
  appointment,
  selected,
  onOpen,
}: {
  appointment: AppointmentView;
  selected: boolean;
  onOpen: (appointment: AppointmentView) => void;
}) {
  const { t } = useTranslation();
  const resources = useSideResources();
  const { revealed, rowProps } = useRevealableRow();
  const cancelled = appointment.status === 'cancelled';
  const room = resources.roomName(appointment.roomId) ?? t('schedule.phone');
  return (
    <li>
      <button
        type="button"
        data-appointment-item=""
        data-testid="appointment-card"
        aria-current={selected ? 'true' : undefined}
        className={`schedule-card schedule-card--${appointment.status}${cancelled ? ' schedule-card--cancelled' : ''}${selected ? ' schedule-card--selected' : ''}`}
        onClick={() => onOpen(appointment)}
        onBlur={rowProps.onBlur}
        onKeyDown={(event) => {
          rowProps.onKeyDown(event);
          walk(event);
        }}
      >
        <span className="schedule-card__time">
          {appointment.localStart}–{appointment.localEnd}
        </span>
        <span className="schedule-card__who">
          <Who appointment={appointment} revealed={revealed} />
        </span>
        <span className="schedule-card__meta">{t(`kinds.${appointment.kind}`)}</span>
        <span className="schedule-card__meta">
          {shortName(resources.therapistName(appointment.therapistId))} · {room}
        </span>
        <StatusBadge status={appointment.status} />
      </button>
    </li>
  );
}

export function WeekView({
  monday,
  today,
  appointments,
  selectedId,
  onOpen,
  onOpenDay,
}: {
  monday: string;
  today: string;
  appointments: AppointmentView[];
  selectedId: string | null;
  onOpen: (appointment: AppointmentView) => void;
  onOpenDay: (date: string) => void;
}) {
  const { t } = useTranslation();
  const days = [0, 1, 2, 3, 4, 5, 6].map((offset) => addLocalDays(monday, offset));
  return (
    <div className="schedule-week">
      {days.map((date) => {
        const ofDay = appointments.filter((appointment) => appointment.localDate === date);
        const weekday = weekdayOf(date);
        const isToday = date === today;
        return (
          <section
            key={date}
            aria-labelledby={`day-${date}`}
            className={`schedule-week__day${isToday ? ' schedule-week__day--today' : ''}${weekday >= 6 ? ' schedule-week__day--weekend' : ''}`}
            data-testid={`week-day-${date}`}
          >
            <h3 id={`day-${date}`} className="schedule-week__heading">
              <button type="button" className="schedule-week__open-day" onClick={() => onOpenDay(date)}>
                <span className="schedule-week__weekday">{t(`schedule.weekdays.${weekday}`)}</span>{' '}
                <span className="schedule-week__date">{date}</span>{' '}
                {isToday ? <span className="schedule-week__today">{t('schedule.today')}</span> : null}
              </button>
            </h3>
            {ofDay.length === 0 ? (
              <p className="schedule-muted schedule-week__empty">{t('schedule.empty.weekDay')}</p>
            ) : (
              <ol className="schedule-week__list">
                {ofDay.map((appointment) => (
                  <WeekCard key={appointment.id} appointment={appointment} selected={appointment.id === selectedId} onOpen={onOpen} />
                ))}
              </ol>
            )}
          </section>
        );
      })}
    </div>
  );
}
