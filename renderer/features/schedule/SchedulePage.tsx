import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { APPOINTMENT_KINDS, type AppointmentKind, type AppointmentView, type BookingWarning } from '../../../preload/contract/index';
import { translateMessage } from '../../i18n';
import { useDesk } from '../../ui/desk';
import { FormError } from '../../ui/Field';
import { todayInCentre } from '../../ui/format';
import { MiniMonth } from '../../ui/MiniMonth';
import { useChannelMutation } from '../../ui/query';
import { AppointmentPanel } from './AppointmentPanel';
import { useAskFirst } from './askFirst';
import { BookingPanel, type BookingPrefill, type BookingSlot } from './BookingPanel';
import { freeGapsOfTherapist, hoursOn, nowInCentre, spanOf, subtract, toMinutes, toTime, union, visibleRange, type Interval } from './calendarModel';
import { addLocalDays, isLocalDate, isoWeekOf, minutesBetween, mondayOf, weekdayOf } from './dates';
import { SavedNotice, whenText } from './parts';
import { PrintSheet } from './PrintSheet';
import { TRACKS_OF_SIDE, shortName, useSideResources, type Therapist } from './resources';
import styles from './schedule.module.css';
import { TimeGrid, type GridColumn, type MoveRequest, type SlotChoice } from './TimeGrid';
import { useSchedule } from './useSchedule';

type View = 'day' | 'week';
type Columns = 'therapists' | 'rooms';
type Panel =
  { kind: 'book'; slot: BookingSlot | null; prefill?: BookingPrefill | null } | { kind: 'appointment'; appointment: AppointmentView } | null;

interface ScreenState {
  view: View;
  date: string;
  /** 'all', 'therapist:<id>' or 'room:<id>'. */
  filter: string;
  /** What the day's columns are when everyone is shown. */
  columns: Columns;
}

/** The screen's own state lives after '?' in the address, so it survives a lock and can be linked to. */
function readState(fallbackFilter: string): ScreenState {
  const query = new URLSearchParams(window.location.hash.split('?')[1] ?? '');
  const view = query.get('view') === 'week' ? 'week' : 'day';
  const date = query.get('date') ?? '';
  const filter = query.get('filter') ?? fallbackFilter;
  return {
    view,
    date: isLocalDate(date) ? date : todayInCentre(),
    filter: /^(all|therapist:.+|room:.+)$/.test(filter) ? filter : 'all',
    columns: query.get('columns') === 'rooms' ? 'rooms' : 'therapists',
  };
}

/** A booking asked for by another screen ("Boka" on the waiting list or a client's record): '?book=<client id>&kind=…'. */
function readBookingRequest(): BookingPrefill | null {
  const query = new URLSearchParams(window.location.hash.split('?')[1] ?? '');
  const clientId = query.get('book');
  if (!clientId) return null;
  const kind = query.get('kind');
  return { clientId, kind: (APPOINTMENT_KINDS as readonly string[]).includes(kind ?? '') ? (kind as AppointmentKind) : 'individual' };
}

function writeState(state: ScreenState): void {
  const [path] = window.location.hash.split('?');
  // Only while the schedule is the screen: never rewrite an address the person is leaving for.
  if (path !== '#/schedule') return;
  const query = new URLSearchParams({ view: state.view, date: state.date, filter: state.filter, columns: state.columns });
  const hash = `${path}?${query.toString()}`;
  if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));
}

/** The time the centre is open on a date as this side's therapists work it: the union of their hours. */
function openHours(therapists: Therapist[], date: string): Interval[] {
  return union(therapists.map((therapist) => hoursOn(therapist, date)).filter((hours): hours is Interval => hours !== null));
}

export function SchedulePage() {
  const { t, i18n } = useTranslation();
  const { user, org, side, setSide, siteId } = useDesk();
  const resources = useSideResources();
  const isReceptionist = user.roles.includes('receptionist');
  // A therapist who is not at the desk opens the schedule on their own appointments.
  const ownFilter = !isReceptionist && user.roles.includes('therapist') ? `therapist:${user.id}` : 'all';
  const [state, setState] = useState<ScreenState>(() => readState(ownFilter));
  const [panel, setPanel] = useState<Panel>(null);
  // Read before the screen writes its own state into the address (which leaves the request out).
  const [bookingRequest, setBookingRequest] = useState<BookingPrefill | null>(readBookingRequest);
  const [printTarget, setPrintTarget] = useState<string | null>(null);
  const [printChoice, setPrintChoice] = useState('');
  const [goTo, setGoTo] = useState('');
  const [goToError, setGoToError] = useState<string | undefined>(undefined);
  const [moveOutcome, setMoveOutcome] = useState<{ ok: true; message: string; warnings: BookingWarning[] } | { ok: false; message: string } | null>(
    null,
  );
  const newBookingButton = useRef<HTMLButtonElement>(null);
  const boardHeading = useRef<HTMLHeadingElement>(null);
  const sideChecked = useRef(false);
  const today = todayInCentre();
  const [now, setNow] = useState(() => nowInCentre());
  const askFirst = useAskFirst(resources.therapists);

  const { view, date, filter, columns: columnMode } = state;
  const update = useCallback((change: Partial<ScreenState>) => setState((current) => ({ ...current, ...change })), []);

  useEffect(() => writeState(state), [state]);
  useEffect(() => {
    const onHash = () => {
      setState((current) => ({ ...readState(current.filter) }));
      const request = readBookingRequest();
      if (request) setBookingRequest(request);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  // The red line for now, and what counts as past, follow the clock.
  useEffect(() => {
    const timer = setInterval(() => setNow(nowInCentre()), 60_000);
    return () => clearInterval(timer);
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
    setPrintTarget(null);
    setMoveOutcome(null);
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
  const moveCall = useChannelMutation('appointments.move');
  const appointments = useMemo(() => schedule.appointments ?? [], [schedule.appointments]);
  const live = appointments.filter((appointment) => appointment.status !== 'cancelled').length;

  const selectedId = panel?.kind === 'appointment' ? panel.appointment.id : null;
  const step = view === 'day' ? 1 : 7;
  const move = useCallback(
    (direction: -1 | 1) => setState((current) => ({ ...current, date: addLocalDays(current.date, direction * step) })),
    [step],
  );
  const canBook = isReceptionist && resources.therapists.length > 0;
  const openBooking = useCallback((slot: BookingSlot | null = null) => {
    setPrintTarget(null);
    // A slot chosen while a booking for a client is open moves that booking's time; the client stays.
    setPanel((current) => ({ kind: 'book', slot, prefill: current?.kind === 'book' ? (current.prefill ?? null) : null }));
  }, []);

  // Keys for a busy desk, only when no field has the keyboard: N books, T goes to today, Page Up/Down turn the page.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target) || event.defaultPrevented) return;
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

  // "Boka" on another screen: the booking opens for that client once the premises are known (reception only).
  useEffect(() => {
    if (!bookingRequest || !org) return;
    if (canBook) {
      setPrintTarget(null);
      setPanel({ kind: 'book', slot: null, prefill: bookingRequest });
    }
    setBookingRequest(null);
  }, [bookingRequest, org, canBook]);

  const closePanel = () => {
    setPanel(null);
    setTimeout(() => (newBookingButton.current ?? boardHeading.current)?.focus(), 0);
  };

  const afterChange = (appointment: AppointmentView) => {
    if (appointment.localDate !== date && (view === 'day' || mondayOf(appointment.localDate) !== mondayOf(date)))
      update({ date: appointment.localDate });
    void schedule.reload();
  };

  // ---- The grid's columns: only this side's answer and the therapists' hours decide what is free.
  const columnTherapists = useMemo(() => {
    const list = [...resources.therapists];
    // Someone with appointments here who no longer serves this side or site still gets a column.
    for (const appointment of appointments) {
      if (!list.some((therapist) => therapist.id === appointment.therapistId)) {
        const known = org?.therapists.find((therapist) => therapist.id === appointment.therapistId);
        list.push(
          known ?? { id: appointment.therapistId, displayName: resources.therapistName(appointment.therapistId), siteId, tracks: [], hours: [] },
        );
      }
    }
    return list;
  }, [resources, appointments, org, siteId]);

  const roomColumnFor = useCallback(
    (roomId: string | null, day: string, dayAppointments: AppointmentView[]): GridColumn => {
      const open = openHours(resources.therapists, day);
      const own = dayAppointments.filter((appointment) => appointment.roomId === roomId);
      const name = roomId ? (resources.roomName(roomId) ?? '—') : t('calendar.noRoom');
      return {
        key: `room-${roomId ?? 'none'}-${day}`,
        date: day,
        therapistId: null,
        roomId,
        header: <span className={styles.columnName}>{name}</span>,
        label: name,
        open,
        // A room is free as far as this side's own bookings go; main judges the rest when booking.
        free: subtract(open, own.filter((appointment) => appointment.status !== 'cancelled').map(spanOf)),
        appointments: own,
        isToday: day === today,
        testId: `room-column-${roomId ?? 'none'}`,
      };
    },
    [resources, t, today],
  );

  const gridColumns: GridColumn[] = useMemo(() => {
    if (view === 'day') {
      if (filterKind === 'room' || (filterKind === 'all' && columnMode === 'rooms')) {
        const ids: (string | null)[] = filterKind === 'room' ? [filterId] : resources.rooms.map((room) => room.id);
        if (filterKind === 'all' && appointments.some((appointment) => appointment.roomId === null)) ids.push(null);
        for (const appointment of appointments) if (appointment.roomId && !ids.includes(appointment.roomId)) ids.push(appointment.roomId);
        return ids.map((roomId) => roomColumnFor(roomId, date, appointments));
      }
      const shown = filterKind === 'therapist' ? columnTherapists.filter((therapist) => therapist.id === filterId) : columnTherapists;
      const therapists =
        filterKind === 'therapist' && shown.length === 0
          ? [{ id: filterId!, displayName: resources.therapistName(filterId!), siteId, tracks: [], hours: [] } as Therapist]
          : shown;
      return therapists.map((therapist) => {
        const hours = hoursOn(therapist, date);
        return {
          key: `therapist-${therapist.id}`,
          date,
          therapistId: therapist.id,
          roomId: null,
          header: <span className={styles.columnName}>{therapist.displayName}</span>,
          sub: hours ? `${toTime(hours.start)}–${toTime(hours.end)}` : t('calendar.dayOff'),
          label: therapist.displayName,
          open: hours ? [hours] : [],
          free: freeGapsOfTherapist(therapist, date, appointments),
          appointments: appointments.filter((appointment) => appointment.therapistId === therapist.id),
          isToday: date === today,
          testId: `therapist-column-${therapist.id}`,
        };
      });
    }
    return [0, 1, 2, 3, 4, 5, 6].map((offset) => {
      const day = addLocalDays(from, offset);
      const ofDay = appointments.filter((appointment) => appointment.localDate === day);
      const weekday = weekdayOf(day);
      const header = (
        <h3 className={styles.dayHeading}>
          <button type="button" className={styles.dayButton} onClick={() => update({ view: 'day', date: day })}>
            <span className={styles.columnName}>
              <span className={styles.weekdayShort}>{t(`schedule.weekdaysShort.${weekday}`)}</span>{' '}
              {/* The year is in the week's heading already; narrow columns show month and day. */}
              {day.slice(5)}
            </span>
          </button>
          {day === today ? <span className={styles.todayTag}>{t('schedule.today')}</span> : null}
        </h3>
      );
      const base = {
        key: `day-${day}`,
        date: day,
        header,
        label: `${t(`schedule.weekdays.${weekday}`)} ${day}`,
        isToday: day === today,
        testId: `week-day-${day}`,
      };
      if (filterKind === 'room') return { ...roomColumnFor(filterId, day, ofDay), ...base };
      const therapists = filterKind === 'therapist' ? columnTherapists.filter((therapist) => therapist.id === filterId) : resources.therapists;
      return {
        ...base,
        therapistId: filterKind === 'therapist' ? filterId : null,
        roomId: null,
        open: openHours(therapists, day),
        // Free when at least one of the therapists shown is working and has nothing booked on this side.
        free: union(therapists.flatMap((therapist) => freeGapsOfTherapist(therapist, day, ofDay))),
        appointments: ofDay,
      };
    });
  }, [view, filterKind, filterId, columnMode, resources, appointments, date, from, columnTherapists, roomColumnFor, siteId, t, today, update]);

  const range = useMemo(
    () =>
      visibleRange(
        gridColumns.flatMap((column) => column.open),
        appointments,
      ),
    [gridColumns, appointments],
  );

  /** A free slot (or time off) chosen in the grid opens the booking with what the grid knows. */
  const pickSlot = (choice: SlotChoice) => {
    const minute = toMinutes(choice.start);
    let therapistId = choice.column.therapistId;
    if (!therapistId) {
      // A day of the week or a room: the first therapist who is free then on this side.
      const candidates = filterKind === 'therapist' ? resources.therapists.filter((therapist) => therapist.id === filterId) : resources.therapists;
      const dayAppointments = appointments.filter((appointment) => appointment.localDate === choice.date);
      therapistId =
        candidates.find((therapist) =>
          freeGapsOfTherapist(therapist, choice.date, dayAppointments).some((gap) => gap.start <= minute && gap.end > minute),
        )?.id ?? null;
    }
    openBooking({ date: choice.date, start: choice.start, therapistId, roomId: choice.column.roomId });
  };

  /** A drag or a keyboard move puts an appointment down: ask first when unusual, then let main judge. */
  const moveAppointment = async ({ appointment, column, start }: MoveRequest) => {
    const durationMinutes = minutesBetween(appointment.startsAt, appointment.endsAt);
    const therapistId = view === 'day' && column.therapistId ? column.therapistId : appointment.therapistId;
    const roomId = view === 'day' && !column.therapistId ? column.roomId : appointment.roomId;
    const planned = { date: column.date, start, durationMinutes, therapistId, fromDate: appointment.localDate };
    if (!(await askFirst.confirm(planned, 'move'))) {
      setMoveOutcome(null);
      return;
    }
    const result = await moveCall.run({
      side,
      appointmentId: appointment.id,
      date: column.date,
      start,
      durationMinutes,
      therapistId,
      roomId,
    });
    if (!result.ok) {
      setMoveOutcome({ ok: false, message: result.error.message });
      return;
    }
    const moved = result.value.appointment;
    setMoveOutcome({
      ok: true,
      message: t('schedule.appointment.moved', { when: whenText(t, { date: moved.localDate, start: moved.localStart, end: moved.localEnd }) }),
      warnings: result.value.warnings,
    });
    if (panel?.kind === 'appointment' && panel.appointment.id === moved.id) setPanel({ kind: 'appointment', appointment: moved });
    afterChange(moved);
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
  const waitingRooms = useMemo(() => {
    const tracks = TRACKS_OF_SIDE[side];
    const ids = new Set(
      (org?.trackRoutes ?? []).filter((route) => route.siteId === siteId && tracks.includes(route.track)).map((route) => route.waitingRoomId),
    );
    return (org?.waitingRooms ?? []).filter((room) => ids.has(room.id));
  }, [org, side, siteId]);
  const printOptions = [
    ...(filterKind === 'therapist' && !isReceptionist ? therapistOptions.filter((option) => option.value === filter) : therapistOptions),
    ...(isReceptionist ? waitingRooms.map((room) => ({ value: `waiting:${room.id}`, label: room.name })) : []),
  ];
  const printValue = printOptions.some((option) => option.value === printChoice) ? printChoice : (printOptions[0]?.value ?? '');
  const weekDays = view === 'week' ? [0, 1, 2, 3, 4, 5, 6].map((offset) => addLocalDays(from, offset)) : [];
  const locale = i18n.language === 'en' ? 'en-GB' : 'sv-SE';

  return (
    <div className={`schedule ${styles.page}`}>
      <div className={styles.pageHead}>
        <h1>{t('schedule.title')}</h1>
        <p className={styles.lead}>{t('schedule.lead', { side: t(`sides.${side}`).toLowerCase(), site: siteName })}</p>
      </div>

      <div className={styles.layout}>
        <aside className={styles.aside} aria-label={t('calendar.aside')}>
          <MiniMonth
            value={date}
            onChange={(chosen) => update({ date: chosen })}
            today={today}
            highlighted={weekDays}
            locale={locale}
            label={t('calendar.miniMonth')}
            previousLabel={t('calendar.previousMonth')}
            nextLabel={t('calendar.nextMonth')}
          />
          <form
            className={styles.asideField}
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
            <div className={styles.inline}>
              <input
                id="schedule-goto"
                value={goTo}
                onChange={(event) => setGoTo(event.target.value)}
                placeholder={t('schedule.book.dateHint')}
                inputMode="numeric"
                autoComplete="off"
                aria-invalid={goToError ? true : undefined}
                aria-describedby={goToError ? 'schedule-goto-error' : undefined}
              />
              <button type="submit" className="button button--small">
                {t('schedule.nav.go')}
              </button>
            </div>
            {goToError ? (
              <p className="field__error" id="schedule-goto-error">
                {t(goToError)}
              </p>
            ) : null}
          </form>
          <div className={styles.asideField}>
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
          {view === 'day' && filterKind === 'all' ? (
            <div className={styles.asideField} role="group" aria-labelledby="columns-label">
              <span id="columns-label" className={styles.asideLabel}>
                {t('calendar.columns.label')}
              </span>
              <div className={styles.segmented}>
                {(['therapists', 'rooms'] as const).map((candidate) => (
                  <button
                    key={candidate}
                    type="button"
                    className={columnMode === candidate ? `${styles.segment} ${styles.segmentOn}` : styles.segment}
                    aria-pressed={columnMode === candidate}
                    onClick={() => update({ columns: candidate })}
                  >
                    {t(`calendar.columns.${candidate}`)}
                  </button>
                ))}
              </div>
            </div>
          ) : null}
          {printOptions.length > 0 ? (
            <div className={styles.asideField}>
              <label htmlFor="schedule-print">{t('calendar.print.choose')}</label>
              <select id="schedule-print" value={printValue} onChange={(event) => setPrintChoice(event.target.value)}>
                {printOptions.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="button button--small"
                onClick={() => {
                  setPanel(null);
                  setPrintTarget(printValue);
                }}
              >
                {t('calendar.print.open', { date })}
              </button>
            </div>
          ) : null}
          <ul className={styles.legend} aria-label={t('calendar.legend.label')}>
            <li>
              <span className={`${styles.swatch} ${styles.swatchFree}`} aria-hidden="true" />
              {t('calendar.legend.free')}
            </li>
            <li>
              <span className={`${styles.swatch} ${styles.swatchBooked}`} aria-hidden="true" />
              {t('calendar.legend.booked')}
            </li>
            <li>
              <span className={`${styles.swatch} ${styles.swatchOff}`} aria-hidden="true" />
              {t('calendar.legend.off')}
            </li>
          </ul>
          <p className={styles.keys} id="calendar-keys">
            {canBook ? t('calendar.keys') : t('calendar.keysNoBooking')}
          </p>
        </aside>

        <div className={styles.main}>
          <div className={styles.toolbar} role="group" aria-label={t('schedule.toolbar')}>
            <div className={styles.segmented} role="group" aria-label={t('schedule.views.label')}>
              {(['day', 'week'] as const).map((candidate) => (
                <button
                  key={candidate}
                  type="button"
                  className={view === candidate ? `${styles.segment} ${styles.segmentOn}` : styles.segment}
                  aria-pressed={view === candidate}
                  onClick={() => update({ view: candidate })}
                >
                  {t(`schedule.views.${candidate}`)}
                </button>
              ))}
            </div>
            <div className={styles.nav}>
              <button
                type="button"
                className="button button--small"
                onClick={() => move(-1)}
                aria-keyshortcuts="PageUp"
                aria-label={view === 'day' ? t('schedule.nav.previousDay') : t('schedule.nav.previousWeek')}
              >
                ‹
              </button>
              <button type="button" className="button button--small" onClick={() => update({ date: todayInCentre() })} aria-keyshortcuts="T">
                {t('schedule.nav.today')}
              </button>
              <button
                type="button"
                className="button button--small"
                onClick={() => move(1)}
                aria-keyshortcuts="PageDown"
                aria-label={view === 'day' ? t('schedule.nav.nextDay') : t('schedule.nav.nextWeek')}
              >
                ›
              </button>
            </div>
            <h2 id="schedule-heading" ref={boardHeading} tabIndex={-1} className={styles.heading}>
              {heading}
              {view === 'day' ? <span className={styles.headingWeek}> · {t('schedule.heading.weekNumber', { week: isoWeekOf(date) })}</span> : null}
              {view === 'day' && date === today ? <span className={styles.todayTag}>{t('schedule.today')}</span> : null}
            </h2>
            <p className={styles.summary}>
              {filterLabel}
              {schedule.appointments ? ` · ${t('schedule.count', { count: live })}` : null}
            </p>
            {canBook ? (
              <button
                type="button"
                ref={newBookingButton}
                className={`button button--primary ${styles.bookButton}`}
                onClick={() => openBooking()}
                aria-keyshortcuts="N"
                aria-expanded={panel?.kind === 'book'}
              >
                {t('schedule.newBooking')}
              </button>
            ) : null}
          </div>

          {org && resources.therapists.length === 0 ? (
            <div className={`warning ${styles.scheduleEmptySide}`} role="status">
              <p>
                <strong>{t('schedule.noTherapists.title')}</strong>
              </p>
              <p>{t('schedule.noTherapists.body', { site: siteName, side: t(`sides.${side}`).toLowerCase() })}</p>
            </div>
          ) : null}

          <div aria-live="polite" data-testid="move-outcome">
            {moveOutcome?.ok ? (
              <SavedNotice message={moveOutcome.message} warningsTitle={t('schedule.appointment.movedWarnings')} warnings={moveOutcome.warnings} />
            ) : null}
          </div>
          {moveOutcome && !moveOutcome.ok ? (
            <div className={styles.refusal} role="alert" data-testid="move-refused">
              <strong>{t('calendar.move.refused')}</strong> {translateMessage(moveOutcome.message)}
            </div>
          ) : null}

          <div className={panel ? `${styles.workspace} ${styles.withPanel}` : styles.workspace}>
            {printTarget ? (
              <PrintSheet
                key={`${side}-${siteId}-${printTarget}-${date}`}
                target={printTarget}
                date={date}
                onClose={() => {
                  setPrintTarget(null);
                  setTimeout(() => boardHeading.current?.focus(), 0);
                }}
              />
            ) : (
              <section className={styles.board} aria-labelledby="schedule-heading" aria-busy={schedule.loading}>
                {schedule.error ? (
                  <div>
                    <FormError message={schedule.error} />
                    <button type="button" className="button" onClick={() => void schedule.reload()}>
                      {t('schedule.retry')}
                    </button>
                  </div>
                ) : schedule.appointments === null ? (
                  <p role="status" className={styles.muted}>
                    {t('schedule.loading')}
                  </p>
                ) : (
                  <>
                    {view === 'day' && appointments.length === 0 ? (
                      <p className={styles.empty} role="status">
                        {t('schedule.empty.day')}
                        {filter !== 'all' ? ` ${t('schedule.empty.filtered')}` : ''}
                      </p>
                    ) : null}
                    {gridColumns.length > 0 ? (
                      <TimeGrid
                        kind={view}
                        label={t(view === 'day' ? 'calendar.dayGrid' : 'calendar.weekGrid', { heading })}
                        columns={gridColumns}
                        range={range}
                        now={now}
                        selectedId={selectedId}
                        canBook={canBook}
                        canMove={isReceptionist}
                        detailOf={(appointment) =>
                          view === 'day' && (filterKind === 'therapist' || (filterKind === 'all' && columnMode === 'therapists'))
                            ? (resources.roomName(appointment.roomId) ?? t('schedule.phone'))
                            : `${shortName(resources.therapistName(appointment.therapistId))}${view === 'week' && filterKind !== 'room' ? ` · ${resources.roomName(appointment.roomId) ?? t('schedule.phone')}` : ''}`
                        }
                        onPickSlot={pickSlot}
                        onOpen={(appointment) => {
                          setPrintTarget(null);
                          setPanel({ kind: 'appointment', appointment });
                        }}
                        onMove={(request) => void moveAppointment(request)}
                      />
                    ) : null}
                  </>
                )}
              </section>
            )}
            {panel ? (
              <div className={styles.drawer}>
                {panel?.kind === 'book' && canBook ? (
                  <BookingPanel
                    key={`${side}-${siteId}-${panel.prefill?.clientId ?? ''}`}
                    date={panel.slot?.date ?? (date < today ? today : date)}
                    slot={panel.slot}
                    prefill={panel.prefill ?? null}
                    onBooked={afterChange}
                    onClose={closePanel}
                  />
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
              </div>
            ) : null}
          </div>
        </div>
      </div>
      {askFirst.dialog}
    </div>
  );
}
