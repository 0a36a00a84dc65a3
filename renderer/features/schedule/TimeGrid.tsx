import {
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type PointerEvent as ReactPointerEvent,
  type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { AppointmentView } from '../../../preload/contract/index';
import { ClientName, useRevealableRow } from '../../ui/desk';
import { SNAP_MINUTES, placeInLanes, slotsOf, spanOf, toTime, type Interval } from './calendarModel';
import styles from './schedule.module.css';

/** One column of the grid: a therapist or a room on one day (day view), or one day (week view). */
export interface GridColumn {
  key: string;
  date: string;
  therapistId: string | null;
  roomId: string | null;
  /** The heading: a name, or a weekday and date. */
  header: ReactNode;
  /** A short second line under the heading, such as the working hours. */
  sub?: string;
  /** What the heading says to a screen reader and in slot names. */
  label: string;
  /** Working time in this column (shaded as open); the rest is time off. */
  open: Interval[];
  /** Free gaps offered for booking: open time this side's own answer does not fill. */
  free: Interval[];
  appointments: AppointmentView[];
  isToday: boolean;
  testId: string;
}

export interface SlotChoice {
  column: GridColumn;
  date: string;
  start: string;
  /** True when the time lies outside the column's working hours (asked about before booking). */
  offHours: boolean;
}

export interface MoveRequest {
  appointment: AppointmentView;
  column: GridColumn;
  start: string;
}

interface Props {
  kind: 'day' | 'week';
  label: string;
  columns: GridColumn[];
  range: Interval;
  now: { date: string; minutes: number };
  selectedId: string | null;
  canBook: boolean;
  canMove: boolean;
  /** The second line of an appointment: the room in a therapist's column, the therapist elsewhere. */
  detailOf(appointment: AppointmentView): string;
  onPickSlot(choice: SlotChoice): void;
  onOpen(appointment: AppointmentView): void;
  onMove(request: MoveRequest): void;
}

interface Item {
  id: string;
  column: number;
  start: number;
  end: number;
}

interface Moving {
  appointment: AppointmentView;
  column: number;
  start: number;
  /** 'keys': picked up with M; 'pointer': dragged with the mouse. */
  by: 'keys' | 'pointer';
}

const DRAG_THRESHOLD_PX = 4;

function pixelsPerMinute(element: HTMLElement | null): number {
  const hour = element ? Number.parseFloat(getComputedStyle(element).getPropertyValue('--cal-hour')) : NaN;
  return (Number.isFinite(hour) && hour > 0 ? hour : 44) / 60;
}

function isOpenStatus(appointment: AppointmentView): boolean {
  return appointment.status === 'booked' || appointment.status === 'arrived' || appointment.status === 'no_show';
}

/**
 * The day or the week as a time grid. One tab stop: the arrows walk free slots and appointments
 * (up and down in time, left and right across columns), Enter books a free slot or opens an
 * appointment, M picks an appointment up to move it with the arrows, Enter puts it down and Escape
 * puts it back. The mouse does the same by clicking and dragging.
 */
export function TimeGrid({ kind, label, columns, range, now, selectedId, canBook, canMove, detailOf, onPickSlot, onOpen, onMove }: Props) {
  const { t } = useTranslation();
  const gridRef = useRef<HTMLDivElement>(null);
  const itemRefs = useRef(new Map<string, HTMLElement>());
  const [active, setActive] = useState<string | null>(null);
  const [moving, setMovingState] = useState<Moving | null>(null);
  // The pointer handlers live outside React's render: they read the move in progress from here.
  const movingRef = useRef<Moving | null>(null);
  const setMoving = (state: Moving | null) => {
    movingRef.current = state;
    setMovingState(state);
  };
  // A click that ended a drag must not also open the appointment.
  const suppressClick = useRef(false);
  const drag = useRef<{ appointment: AppointmentView; column: number; x: number; y: number; started: boolean; pointerId: number } | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const hours = useMemo(() => {
    const list: number[] = [];
    for (let minute = range.start; minute < range.end; minute += 60) list.push(minute);
    return list;
  }, [range]);

  // Everything the keyboard can reach, column by column, in time order.
  const items = useMemo(() => {
    const all: Item[] = [];
    columns.forEach((column, index) => {
      const own: Item[] = column.appointments.map((appointment) => ({ id: `a:${appointment.id}:${index}`, column: index, ...spanOf(appointment) }));
      const slots: Item[] = canBook ? slotsOf(column.free).map((slot) => ({ id: `s:${index}:${slot.start}`, column: index, ...slot })) : [];
      all.push(...[...own, ...slots].sort((a, b) => a.start - b.start || a.id.localeCompare(b.id)));
    });
    return all;
  }, [columns, canBook]);

  const activeId = active && items.some((item) => item.id === active) ? active : (pickStart(items, now, columns) ?? null);

  const focusItem = (id: string | undefined) => {
    if (!id) return;
    setActive(id);
    itemRefs.current.get(id)?.focus();
  };

  const neighbour = (from: Item, key: string): Item | undefined => {
    const inColumn = items.filter((item) => item.column === from.column);
    const index = inColumn.findIndex((item) => item.id === from.id);
    if (key === 'ArrowDown') return inColumn[index + 1];
    if (key === 'ArrowUp') return inColumn[index - 1];
    if (key === 'Home') return inColumn[0];
    if (key === 'End') return inColumn[inColumn.length - 1];
    const step = key === 'ArrowRight' ? 1 : -1;
    for (let column = from.column + step; column >= 0 && column < columns.length; column += step) {
      const candidates = items.filter((item) => item.column === column);
      if (candidates.length === 0) continue;
      return candidates.reduce((best, item) => (Math.abs(item.start - from.start) < Math.abs(best.start - from.start) ? item : best));
    }
    return undefined;
  };

  const moveText = (state: Moving) => {
    const length = spanOf(state.appointment).end - spanOf(state.appointment).start;
    return t('calendar.move.where', { column: columns[state.column]?.label ?? '', start: toTime(state.start), end: toTime(state.start + length) });
  };

  const startMoving = (appointment: AppointmentView, column: number) => {
    const state: Moving = { appointment, column, start: spanOf(appointment).start, by: 'keys' };
    setMoving(state);
    setAnnouncement(`${t('calendar.move.picked')} ${moveText(state)} ${t('calendar.move.keys')}`);
  };

  const finishMoving = (state: Moving) => {
    setMoving(null);
    const column = columns[state.column];
    if (!column) return;
    const span = spanOf(state.appointment);
    const unchanged = state.start === span.start && column.date === state.appointment.localDate && sameOwner(column, state.appointment);
    if (unchanged) {
      setAnnouncement(t('calendar.move.unchanged'));
      return;
    }
    onMove({ appointment: state.appointment, column, start: toTime(state.start) });
  };

  const onItemKey = (event: ReactKeyboardEvent<HTMLElement>, item: Item, appointment: AppointmentView | null) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (moving && moving.by === 'keys') {
      const length = spanOf(moving.appointment).end - spanOf(moving.appointment).start;
      let next: Moving | null = null;
      if (event.key === 'ArrowUp') next = { ...moving, start: Math.max(0, moving.start - SNAP_MINUTES) };
      else if (event.key === 'ArrowDown') next = { ...moving, start: Math.min(24 * 60 - length, moving.start + SNAP_MINUTES) };
      else if (event.key === 'ArrowLeft') next = { ...moving, column: Math.max(0, moving.column - 1) };
      else if (event.key === 'ArrowRight') next = { ...moving, column: Math.min(columns.length - 1, moving.column + 1) };
      if (next) {
        event.preventDefault();
        setMoving(next);
        setAnnouncement(moveText(next));
        return;
      }
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        finishMoving(moving);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        setMoving(null);
        setAnnouncement(t('calendar.move.cancelled'));
        return;
      }
      if (event.key === 'Tab') setMoving(null);
      return;
    }
    if (['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) {
      event.preventDefault();
      focusItem(neighbour(item, event.key)?.id);
      return;
    }
    if (appointment && (event.key === 'm' || event.key === 'M') && canMove && isOpenStatus(appointment)) {
      event.preventDefault();
      startMoving(appointment, item.column);
    }
  };

  const finishMovingRef = useRef(finishMoving);
  useEffect(() => {
    finishMovingRef.current = finishMoving;
  });

  // The mouse: press and drag an appointment to another time or column; a press without a drag opens it.
  const onPointerDown = (event: ReactPointerEvent<HTMLElement>, appointment: AppointmentView, column: number) => {
    if (event.button !== 0 || !canMove || !isOpenStatus(appointment)) return;
    drag.current = { appointment, column, x: event.clientX, y: event.clientY, started: false, pointerId: event.pointerId };
  };

  useEffect(() => {
    const columnAt = (x: number): number | null => {
      const bodies = [...(gridRef.current?.querySelectorAll<HTMLElement>('[data-column-body]') ?? [])];
      const index = bodies.findIndex((body) => {
        const box = body.getBoundingClientRect();
        return x >= box.left && x < box.right;
      });
      return index === -1 ? null : index;
    };
    const onMovePointer = (event: PointerEvent) => {
      const current = drag.current;
      if (!current || event.pointerId !== current.pointerId) return;
      const dx = event.clientX - current.x;
      const dy = event.clientY - current.y;
      if (!current.started && Math.hypot(dx, dy) < DRAG_THRESHOLD_PX) return;
      current.started = true;
      const span = spanOf(current.appointment);
      const length = span.end - span.start;
      const delta = Math.round(dy / pixelsPerMinute(gridRef.current) / SNAP_MINUTES) * SNAP_MINUTES;
      const start = Math.max(0, Math.min(24 * 60 - length, span.start + delta));
      const state: Moving = { appointment: current.appointment, column: columnAt(event.clientX) ?? current.column, start, by: 'pointer' };
      movingRef.current = state;
      setMovingState(state);
    };
    const onUp = (event: PointerEvent) => {
      const current = drag.current;
      if (!current || event.pointerId !== current.pointerId) return;
      drag.current = null;
      if (!current.started) return;
      suppressClick.current = true;
      setTimeout(() => (suppressClick.current = false), 0);
      const state = movingRef.current;
      if (state && state.by === 'pointer') finishMovingRef.current(state);
      else {
        movingRef.current = null;
        setMovingState(null);
      }
    };
    window.addEventListener('pointermove', onMovePointer);
    window.addEventListener('pointerup', onUp);
    return () => {
      window.removeEventListener('pointermove', onMovePointer);
      window.removeEventListener('pointerup', onUp);
    };
  }, []);

  // Today opens on the hour before now, so the next arrivals are in sight without scrolling.
  const showsToday = columns.some((column) => column.date === now.date);
  useEffect(() => {
    const grid = gridRef.current;
    if (!grid || !showsToday) return;
    const minute = Math.max(range.start, now.minutes - 60);
    grid.scrollTop = (minute - range.start) * pixelsPerMinute(grid);
    // Only when the day or the range changes, not every minute the clock moves.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [showsToday, range.start]);

  const top = (minute: number) => `calc(${(minute - range.start) / 60} * var(--cal-hour))`;
  const height = (minutes: number) => `calc(${minutes / 60} * var(--cal-hour) - 1px)`;
  const nowVisible = now.minutes >= range.start && now.minutes < range.end;

  return (
    <div
      className={`${styles.grid} ${kind === 'week' ? styles.gridWeek : styles.gridDay}`}
      ref={gridRef}
      role="group"
      aria-label={label}
      aria-describedby="calendar-keys"
      data-testid={kind === 'week' ? 'week-grid' : 'day-grid'}
      data-moving={moving ? 'true' : undefined}
    >
      <div className={styles.axis} aria-hidden="true">
        <div className={styles.columnHead} />
        <div className={styles.axisBody}>
          {hours.map((minute) => (
            <span key={minute} className={styles.hourLabel} style={{ top: top(minute) }}>
              {toTime(minute)}
            </span>
          ))}
        </div>
      </div>
      {columns.map((column, columnIndex) => {
        const placed = placeInLanes(column.appointments);
        const slots = canBook ? slotsOf(column.free) : [];
        const live = column.appointments.filter((appointment) => appointment.status !== 'cancelled').length;
        return (
          <div
            role="group"
            key={column.key}
            className={`${styles.column}${column.isToday ? ` ${styles.columnToday}` : ''}`}
            aria-label={column.label}
            data-testid={column.testId}
          >
            <div className={styles.columnHead}>
              {column.header}
              <span className={styles.columnCount}>
                {column.sub ? `${column.sub} · ` : ''}
                {live === 0 ? t('schedule.empty.weekDay') : t('schedule.count', { count: live })}
              </span>
            </div>
            <div
              className={styles.columnBody}
              data-column-body=""
              style={{ height: `calc(${(range.end - range.start) / 60} * var(--cal-hour))` }}
              onClick={(event) => {
                // Time off is not offered as a slot, but a click on it can still book, after asking.
                // A drag ends with a click on whatever holds both ends of it: that is no booking.
                if (!canBook || event.target !== event.currentTarget || suppressClick.current) return;
                const box = event.currentTarget.getBoundingClientRect();
                const minute = range.start + Math.floor((event.clientY - box.top) / pixelsPerMinute(gridRef.current) / SNAP_MINUTES) * SNAP_MINUTES;
                onPickSlot({ column, date: column.date, start: toTime(minute), offHours: true });
              }}
            >
              {column.open.map((interval) => (
                <div
                  key={`open-${interval.start}`}
                  className={styles.open}
                  style={{ top: top(interval.start), height: height(interval.end - interval.start + 1) }}
                />
              ))}
              {slots.map((slot) => {
                const id = `s:${columnIndex}:${slot.start}`;
                const past = column.date < now.date || (column.date === now.date && slot.start < now.minutes);
                const item = items.find((candidate) => candidate.id === id)!;
                return (
                  <button
                    key={id}
                    type="button"
                    ref={(element) => {
                      if (element) itemRefs.current.set(id, element);
                      else itemRefs.current.delete(id);
                    }}
                    tabIndex={activeId === id ? 0 : -1}
                    className={`${styles.slot}${past ? ` ${styles.slotPast}` : ''}`}
                    style={{ top: top(slot.start), height: height(slot.end - slot.start) }}
                    data-testid="free-slot"
                    data-start={toTime(slot.start)}
                    data-date={column.date}
                    onFocus={() => setActive(id)}
                    onKeyDown={(event) => onItemKey(event, item, null)}
                    onClick={() => {
                      if (!suppressClick.current) onPickSlot({ column, date: column.date, start: toTime(slot.start), offHours: false });
                    }}
                  >
                    <span className={styles.slotText}>
                      <span className="visually-hidden">{t('calendar.free')} </span>
                      {toTime(slot.start)}
                      <span className="visually-hidden">
                        –{toTime(slot.end)}, {column.label}
                        {past ? `, ${t('calendar.past')}` : ''}
                      </span>
                    </span>
                  </button>
                );
              })}
              {placed.map(({ appointment, lane, lanes }) => {
                const id = `a:${appointment.id}:${columnIndex}`;
                const item = items.find((candidate) => candidate.id === id)!;
                const span = spanOf(appointment);
                return (
                  <AppointmentBlock
                    key={id}
                    appointment={appointment}
                    kind={kind}
                    detail={detailOf(appointment)}
                    selected={appointment.id === selectedId}
                    lifted={moving?.appointment.id === appointment.id}
                    tabIndex={activeId === id ? 0 : -1}
                    blockRef={(element) => {
                      if (element) itemRefs.current.set(id, element);
                      else itemRefs.current.delete(id);
                    }}
                    position={{
                      top: top(span.start),
                      height: height(span.end - span.start),
                      left: `calc(${(lane / lanes) * 100}% + 2px)`,
                      width: `calc(${100 / lanes}% - 4px)`,
                    }}
                    onFocus={() => setActive(id)}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter' && !moving) {
                        event.preventDefault();
                        onOpen(appointment);
                        return;
                      }
                      onItemKey(event, item, appointment);
                    }}
                    onPointerDown={(event) => onPointerDown(event, appointment, columnIndex)}
                    onClick={() => {
                      if (suppressClick.current) {
                        suppressClick.current = false;
                        return;
                      }
                      onOpen(appointment);
                    }}
                    onBlur={() => {
                      if (moving?.by === 'keys') setMoving(null);
                    }}
                    canMove={canMove && isOpenStatus(appointment)}
                  />
                );
              })}
              {moving && moving.column === columnIndex ? (
                <div
                  className={styles.ghost}
                  aria-hidden="true"
                  data-testid="move-ghost"
                  style={{
                    top: top(moving.start),
                    height: height(spanOf(moving.appointment).end - spanOf(moving.appointment).start),
                  }}
                >
                  {toTime(moving.start)}–{toTime(moving.start + spanOf(moving.appointment).end - spanOf(moving.appointment).start)}
                </div>
              ) : null}
              {column.date === now.date && nowVisible ? <div className={styles.now} style={{ top: top(now.minutes) }} aria-hidden="true" /> : null}
            </div>
          </div>
        );
      })}
      <p className="visually-hidden" aria-live="assertive" data-testid="move-announcement">
        {announcement}
      </p>
    </div>
  );

  function sameOwner(column: GridColumn, appointment: AppointmentView): boolean {
    if (kind === 'week') return true;
    if (column.therapistId) return column.therapistId === appointment.therapistId;
    return column.roomId === appointment.roomId;
  }
}

/** Where the keyboard enters the grid: the first slot or appointment from now on, else the first of all. */
function pickStart(items: Item[], now: { date: string; minutes: number }, columns: GridColumn[]): string | undefined {
  const upcoming = items.find((item) => {
    const date = columns[item.column]?.date ?? '';
    return date > now.date || (date === now.date && item.end > now.minutes);
  });
  return (upcoming ?? items[0])?.id;
}

function AppointmentBlock({
  appointment,
  kind,
  detail,
  selected,
  lifted,
  tabIndex,
  blockRef,
  position,
  canMove,
  onFocus,
  onKeyDown,
  onPointerDown,
  onClick,
  onBlur,
}: {
  appointment: AppointmentView;
  kind: 'day' | 'week';
  detail: string;
  selected: boolean;
  lifted: boolean;
  tabIndex: number;
  blockRef: (element: HTMLButtonElement | null) => void;
  position: { top: string; height: string; left: string; width: string };
  canMove: boolean;
  onFocus: () => void;
  onKeyDown: (event: ReactKeyboardEvent<HTMLButtonElement>) => void;
  onPointerDown: (event: ReactPointerEvent<HTMLButtonElement>) => void;
  onClick: () => void;
  onBlur: () => void;
}) {
  const { t } = useTranslation();
  const { revealed, rowProps } = useRevealableRow();
  const who = appointment.clientName ? (
    <ClientName name={appointment.clientName} revealed={revealed} />
  ) : appointment.groupName ? (
    t('schedule.group', { name: appointment.groupName })
  ) : (
    t('schedule.noClient')
  );
  return (
    <button
      type="button"
      ref={blockRef}
      tabIndex={tabIndex}
      className={[styles.event, styles[`event_${appointment.status}`], selected ? styles.eventSelected : '', lifted ? styles.eventLifted : '']
        .filter(Boolean)
        .join(' ')}
      style={position}
      data-appointment-item=""
      data-testid={kind === 'week' ? 'appointment-card' : 'appointment-row'}
      data-status={appointment.status}
      data-start={appointment.localStart}
      aria-current={selected ? 'true' : undefined}
      aria-keyshortcuts={canMove ? 'M V' : 'V'}
      onFocus={onFocus}
      onBlur={(event) => {
        rowProps.onBlur(event);
        onBlur();
      }}
      onKeyDown={(event) => {
        rowProps.onKeyDown(event);
        onKeyDown(event);
      }}
      onPointerDown={onPointerDown}
      onClick={onClick}
    >
      <span className={styles.eventFirst}>
        <span className={styles.eventTime}>
          <span className="visually-hidden">{t('schedule.open')} </span>
          {appointment.localStart}–{appointment.localEnd}
        </span>{' '}
        <span className={styles.eventWho}>{who}</span>
        {appointment.status !== 'booked' ? (
          <>
            <span className="visually-hidden">, </span>
            <span className={styles.eventStatus}>{t(`statuses.${appointment.status}`)}</span>
          </>
        ) : null}
      </span>
      <span className="visually-hidden">, </span>
      <span className={styles.eventMeta}>
        {t(`kinds.${appointment.kind}`)} · {detail}
      </span>
      <span className="visually-hidden">, </span>
    </button>
  );
}
