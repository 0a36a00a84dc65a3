import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppointmentView } from '../../../preload/contract';
import { useDesk } from '../../ui/desk';
import { FormError } from '../../ui/Field';
import { AppointmentPanel } from './AppointmentPanel';
import { BookingPanel } from './BookingPanel';
import { addLocalDays, isLocalDate, isoWeekOf, mondayOf, weekdayOf } from './dates';
import { todayInCentre } from '../../ui/format';
import { TRACKS_OF_SIDE, useSideResources } from './resources';
import { DayView, WeekView } from './ScheduleViews';
import { useSchedule } from './useSchedule';

type View = 'day' | 'week';
type Panel = { kind: 'book' } | { kind: 'appointment'; appointment: AppointmentView } | null;

interface ScreenState {
  view: View;
  date: string;
  /** 'all', 'therapist:<id>' or 'room:<id>'. */
  filter: string;
}

/** The screen's own state lives after '?' in the address, so it survives a lock and can be linked to. */
function readState(fallbackFilter: string): ScreenState {
  const query = new URLSearchParams(window.location.hash.split('?')[1] ?? '');
  const view = query.get('view') === 'week' ? 'week' : 'day';
  const date = query.get('date') ?? '';
  const filter = query.get('filter') ?? fallbackFilter;
  return { view, date: isLocalDate(date) ? date : todayInCentre(), filter: /^(all|therapist:.+|room:.+)$/.test(filter) ? filter : 'all' };
}

function writeState(state: ScreenState): void {
  const [path] = window.location.hash.split('?');
  // Only while the schedule is the screen: never rewrite an address the person is leaving for.
  if (path !== '#/schedule') return;
  const query = new URLSearchParams({ view: state.view, date: state.date, filter: state.filter });
  const hash = `${path}?${query.toString()}`;
  if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));
}

export function SchedulePage() {
  const { t } = useTranslation();
  const { user, org, side, setSide, siteId } = useDesk();
  const resources = useSideResources();
  const isReceptionist = user.roles.includes('receptionist');
  // A therapist who is not at the desk opens the schedule on their own appointments.
  const ownFilter = !isReceptionist && user.roles.includes('therapist') ? `therapist:${user.id}` : 'all';
  const [state, setState] = useState<ScreenState>(() => readState(ownFilter));
  const [panel, setPanel] = useState<Panel>(null);
  const [goTo, setGoTo] = useState('');
  const [goToError, setGoToError] = useState<string | undefined>(undefined);
  const newBookingButton = useRef<HTMLButtonElement>(null);
  const boardHeading = useRef<HTMLHeadingElement>(null);
  const sideChecked = useRef(false);
  const today = todayInCentre();

  const { view, date, filter } = state;
  const update = useCallback((change: Partial<ScreenState>) => setState((current) => ({ ...current, ...change })), []);

  useEffect(() => writeState(state), [state]);
  useEffect(() => {
    const onHash = () => setState((current) => ({ ...readState(current.filter) }));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // A therapist who serves one side only starts on that side (a receptionist always switches deliberately).
  useEffect(() => {
    if (sideChecked.current || !org || isReceptionist) return;
    sideChecked.current = true;
    const mine = org.therapists.find((therapist) => therapist.id === user.id);
    if (!mine) return;
    const sides = new Set(mine.tracks.map((track) => (TRACKS_OF_SIDE.victims.includes(track) ? 'victims' : 'perpetrators')));
    if (sides.size === 1 && !sides.has(side)) setSide([...sides][0] as typeof side);
  }, [org, isReceptionist, user.id, side, setSide]);

  // Whatever was open belonged to the side on screen: a switch of side or site closes it.
  useEffect(() => {
    setPanel(null);
  }, [side, siteId]);

  const [filterKind, filterId] = filter === 'all' ? ['all', null] : [filter.slice(0, filter.indexOf(':')), filter.slice(filter.indexOf(':') + 1)];
  const from = view === 'day' ? date : mondayOf(date);
  const query = siteId
    ? {
        side,
        siteId,
        from,
        days: view === 'day' ? 1 : 7,
        therapistId: filterKind === 'therapist' ? filterId : null,
        roomId: filterKind === 'room' ? filterId : null,
      }
    : null;
  const schedule = useSchedule(query);
  const appointments = useMemo(() => schedule.appointments ?? [], [schedule.appointments]);
  const live = appointments.filter((appointment) => appointment.status !== 'cancelled').length;

  const selectedId = panel?.kind === 'appointment' ? panel.appointment.id : null;
  const step = view === 'day' ? 1 : 7;
  const move = useCallback(
    (direction: -1 | 1) => setState((current) => ({ ...current, date: addLocalDays(current.date, direction * step) })),
    [step],
  );
  const canBook = isReceptionist && resources.therapists.length > 0;
  const openBooking = useCallback(() => setPanel({ kind: 'book' }), []);

  // Keys for a busy desk, only when no field has the keyboard: N books, T goes to today, Page Up/Down turn the page.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      if (event.key === 'PageUp' || event.key === 'PageDown') {
        event.preventDefault();
        move(event.key === 'PageUp' ? -1 : 1);
      } else if ((event.key === 'n' || event.key === 'N') && canBook) {
        event.preventDefault();
        openBooking();
      } else if (event.key === 't' || event.key === 'T') {
        event.preventDefault();
        update({ date: todayInCentre() });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [move, canBook, openBooking, update]);

  const closePanel = () => {
    setPanel(null);
    setTimeout(() => (newBookingButton.current ?? boardHeading.current)?.focus(), 0);
  };

  const afterChange = (appointment: AppointmentView) => {
    if (appointment.localDate !== date && (view === 'day' || mondayOf(appointment.localDate) !== mondayOf(date)))
      update({ date: appointment.localDate });
    void schedule.reload();
  };

  const siteName = org?.sites.find((site) => site.id === siteId)?.name ?? '';
  const filterLabel =
    filterKind === 'therapist'
      ? resources.therapistName(filterId!)
      : filterKind === 'room'
        ? (resources.roomName(filterId) ?? '')
        : t('schedule.filter.all');
  const heading =
    view === 'day'
      ? t('schedule.heading.day', { weekday: t(`schedule.weekdays.${weekdayOf(date)}`), date })
      : t('schedule.heading.week', { week: isoWeekOf(date), from, to: addLocalDays(from, 6) });

  // The filter may name someone who is not (or no longer) in the lists, such as a therapist looking at their own day.
  const therapistOptions = resources.therapists.map((therapist) => ({ value: `therapist:${therapist.id}`, label: therapist.displayName }));
  if (filterKind === 'therapist' && !therapistOptions.some((option) => option.value === filter)) {
    therapistOptions.push({ value: filter, label: resources.therapistName(filterId!) });
  }

  return (
    <div className="schedule">
      <h1>{t('schedule.title')}</h1>
      <p className="lead">{t('schedule.lead', { side: t(`sides.${side}`).toLowerCase(), site: siteName })}</p>

      <div className="schedule-toolbar" role="group" aria-label={t('schedule.toolbar')}>
        <div className="schedule-toolbar__views" role="group" aria-label={t('schedule.views.label')}>
          {(['day', 'week'] as const).map((candidate) => (
            <button
              key={candidate}
              type="button"
              className={view === candidate ? 'schedule-toggle schedule-toggle--on' : 'schedule-toggle'}
              aria-pressed={view === candidate}
              onClick={() => update({ view: candidate })}
            >
              {t(`schedule.views.${candidate}`)}
            </button>
          ))}
        </div>
        <div className="schedule-toolbar__nav">
          <button type="button" className="button button--small" onClick={() => move(-1)} aria-keyshortcuts="PageUp">
            <span aria-hidden="true">‹ </span>
            {view === 'day' ? t('schedule.nav.previousDay') : t('schedule.nav.previousWeek')}
          </button>
          <button type="button" className="button button--small" onClick={() => update({ date: todayInCentre() })} aria-keyshortcuts="T">
            {t('schedule.nav.today')}
          </button>
          <button type="button" className="button button--small" onClick={() => move(1)} aria-keyshortcuts="PageDown">
            {view === 'day' ? t('schedule.nav.nextDay') : t('schedule.nav.nextWeek')}
            <span aria-hidden="true"> ›</span>
          </button>
        </div>
        <form
          className="schedule-toolbar__goto"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const wanted = goTo.trim();
            if (!isLocalDate(wanted)) {
              setGoToError('error.date.format');
              return;
            }
            setGoToError(undefined);
            setGoTo('');
            update({ date: wanted });
          }}
        >
          <label htmlFor="schedule-goto">{t('schedule.nav.goTo')}</label>
          <input
            id="schedule-goto"
            value={goTo}
            onChange={(event) => setGoTo(event.target.value)}
            placeholder={t('schedule.book.dateHint')}
            size={11}
            inputMode="numeric"
            autoComplete="off"
            aria-invalid={goToError ? true : undefined}
            aria-describedby={goToError ? 'schedule-goto-error' : undefined}
          />
          <button type="submit" className="button button--small">
            {t('schedule.nav.go')}
          </button>
          {goToError ? (
            <p className="field__error schedule-toolbar__error" id="schedule-goto-error">
              {t(goToError)}
            </p>
          ) : null}
        </form>
        <div className="schedule-toolbar__filter">
          <label htmlFor="schedule-filter">{t('schedule.filter.label')}</label>
          <select id="schedule-filter" value={filter} onChange={(event) => update({ filter: event.target.value })}>
            <option value="all">{t('schedule.filter.all')}</option>
            {therapistOptions.length > 0 ? (
              <optgroup label={t('schedule.filter.therapists')}>
                {therapistOptions.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {resources.rooms.length > 0 ? (
              <optgroup label={t('schedule.filter.rooms')}>
                {resources.rooms.map((room) => (
                  <option key={room.id} value={`room:${room.id}`}>
                    {room.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </div>
        {canBook ? (
          <button
            type="button"
            ref={newBookingButton}
            className="button button--primary schedule-toolbar__book"
            onClick={openBooking}
            aria-keyshortcuts="N"
            aria-expanded={panel?.kind === 'book'}
          >
            {t('schedule.newBooking')}
          </button>
        ) : null}
      </div>
      <p className="schedule-shortcuts">{canBook ? t('schedule.shortcuts') : t('schedule.shortcutsNoBooking')}</p>

      {org && resources.therapists.length === 0 ? (
        <div className="warning schedule-empty-side" role="status">
          <p>
            <strong>{t('schedule.noTherapists.title')}</strong>
          </p>
          <p>{t('schedule.noTherapists.body', { site: siteName, side: t(`sides.${side}`).toLowerCase() })}</p>
        </div>
      ) : null}

      {panel?.kind === 'book' && canBook ? (
        <BookingPanel key={`${side}-${siteId}`} date={date < today ? today : date} onBooked={afterChange} onClose={closePanel} />
      ) : null}
      {panel?.kind === 'appointment' ? (
        <AppointmentPanel
          key={`${side}-${panel.appointment.id}`}
          appointment={panel.appointment}
          canManage={isReceptionist}
          onChanged={(appointment) => {
            setPanel({ kind: 'appointment', appointment });
            afterChange(appointment);
          }}
          onClose={closePanel}
        />
      ) : null}

      <section className="schedule-board" aria-labelledby="schedule-heading" aria-busy={schedule.loading}>
        <div className="schedule-board__head">
          <h2 id="schedule-heading" ref={boardHeading} tabIndex={-1}>
            {heading}
            {view === 'day' ? <span className="schedule-board__week"> · {t('schedule.heading.weekNumber', { week: isoWeekOf(date) })}</span> : null}
            {view === 'day' && date === today ? <span className="schedule-board__today">{t('schedule.today')}</span> : null}
          </h2>
          <p className="schedule-board__summary">
            {filterLabel}
            {schedule.appointments ? ` · ${t('schedule.count', { count: live })}` : null}
          </p>
        </div>
        {schedule.error ? (
          <div>
            <FormError message={schedule.error} />
            <button type="button" className="button" onClick={() => void schedule.reload()}>
              {t('schedule.retry')}
            </button>
          </div>
        ) : schedule.appointments === null ? (
          <p role="status" className="schedule-muted schedule-loading">
            {t('schedule.loading')}
          </p>
        ) : view === 'week' ? (
          <WeekView
            monday={from}
            today={today}
            appointments={appointments}
            selectedId={selectedId}
            onOpen={(appointment) => setPanel({ kind: 'appointment', appointment })}
            onOpenDay={(day) => update({ view: 'day', date: day })}
          />
        ) : appointments.length === 0 ? (
          <div className="schedule-empty" role="status">
            <p>{t('schedule.empty.day')}</p>
            {filter !== 'all' ? <p className="schedule-muted">{t('schedule.empty.filtered')}</p> : null}
          </div>
        ) : (
          <DayView
            appointments={appointments}
            caption={t('schedule.dayCaption', { date, filter: filterLabel })}
            selectedId={selectedId}
            onOpen={(appointment) => setPanel({ kind: 'appointment', appointment })}
          />
        )}
      </section>
    </div>
  );
}
