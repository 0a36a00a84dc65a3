import { useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { parseDate, Time, type CalendarDate } from '@internationalized/date';
import { useController, type Control, type FieldPath, type FieldValues } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import {
  DateField as AriaDateField,
  DateFieldStateContext,
  DateInput,
  DateSegment,
  I18nProvider,
  Label,
  Text,
  TimeField as AriaTimeField,
  TimeFieldStateContext,
} from 'react-aria-components';
import { translateMessage } from '../i18n';
import styles from './DateTimeFields.module.css';

const DATE = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/;
const TIME = /^\s*(\d{1,2})[:.](\d{2})\s*$/;

/** A whole date as the centre writes it ('2026-11-23'), from typed or pasted text; null if it is not one. */
export function dateFromText(text: string): string | null {
  const match = DATE.exec(text);
  if (!match) return null;
  return toCalendarDate(`${match[1]}-${match[2]}-${match[3]}`)?.toString() ?? null;
}

/** A time of day as the centre writes it ('09:30'), from typed or pasted text ('9:30' and '09.30' too); null if not one. */
export function timeFromText(text: string): string | null {
  const match = TIME.exec(text);
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

function toCalendarDate(value: string): CalendarDate | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  try {
    const date = parseDate(value);
    // parseDate constrains 2026-02-30 to a real day; only an exact date counts.
    return date.toString() === value ? date : null;
  } catch {
    return null;
  }
}

function toTime(value: string): Time | null {
  const text = timeFromText(value);
  if (!text) return null;
  const [hour, minute] = text.split(':').map(Number) as [number, number];
  return new Time(hour, minute);
}

function timeText(time: Time): string {
  return `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
}

/**
 * Dates in year-month-day order and times in 24 hours, in both languages, so '2026-11-23' and
 * '09:30' are typed the same way everywhere (en-CA writes dates as the centre does).
 */
function useFieldLocale(): string {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en-CA' : 'sv-SE';
}

/**
 * A whole date or time pasted (or typed in one go by an assistive tool) into any segment takes
 * whole: the segments alone only take digits one at a time. Listens before react-aria does.
 */
function useWholeValueInput(parse: (text: string) => string | null, onChange: (value: string) => void) {
  const ref = useRef<HTMLDivElement>(null);
  const latest = useRef({ parse, onChange });
  useEffect(() => {
    latest.current = { parse, onChange };
  });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const take = (event: Event, text: string | null | undefined) => {
      const value = text ? latest.current.parse(text) : null;
      if (!value) return;
      event.preventDefault();
      event.stopPropagation();
      latest.current.onChange(value);
    };
    const onPaste = (event: ClipboardEvent) => take(event, event.clipboardData?.getData('text'));
    const onBeforeInput = (event: InputEvent) => {
      if (event.data && event.data.length > 2) take(event, event.data);
    };
    element.addEventListener('paste', onPaste, true);
    element.addEventListener('beforeinput', onBeforeInput, true);
    return () => {
      element.removeEventListener('paste', onPaste, true);
      element.removeEventListener('beforeinput', onBeforeInput, true);
    };
  }, []);
  return ref;
}

export interface DateTimeFieldProps {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** '2026-11-23' / '09:30', or '' while nothing whole is typed. */
  value: string;
  onChange(value: string): void;
  onBlur?(): void;
  /** Receives something to focus the first segment with (react-hook-form's focus on an error). */
  fieldRef?(focusable: { focus(): void } | null): void;
  /** For the screen's own error focus: set on the first segment. */
  dataField?: string;
  isDisabled?: boolean;
}

function Footer({ hint, error, errorId }: { hint?: ReactNode; error?: string | undefined; errorId: string }) {
  return (
    <>
      {hint ? (
        <Text slot="description" className="field__hint">
          {hint}
        </Text>
      ) : null}
      {error ? (
        <p className="field__error" id={errorId}>
          {translateMessage(error)}
        </p>
      ) : null}
    </>
  );
}

function Segments({ dataField }: { dataField?: string | undefined }) {
  return (
    <DateInput className={styles.input}>
      {(segment) => (
        <DateSegment segment={segment} className={styles.segment} data-field={dataField && segment.type !== 'literal' ? dataField : undefined} />
      )}
    </DateInput>
  );
}

function focusFirstSegment(root: HTMLElement | null) {
  root?.querySelector<HTMLElement>('[role="spinbutton"]')?.focus();
}

type Segment = { type: string; text: string; value?: number | null; isPlaceholder: boolean; isEditable: boolean };

/**
 * What the segments show, as the form writes it: '' when nothing is filled in, the whole value when
 * everything is, and otherwise the text as shown ('2031-12-dd'), which the contract's schema refuses
 * with its own message, as it would refuse a half-typed text field.
 */
export function shownValue(kind: 'date' | 'time', segments: readonly Segment[]): string {
  const editable = segments.filter((segment) => segment.isEditable);
  if (editable.every((segment) => segment.isPlaceholder || segment.value == null)) return '';
  if (editable.some((segment) => segment.isPlaceholder || segment.value == null))
    return segments
      .map((segment) => segment.text)
      .join('')
      .replace(/[\u2066-\u2069]/g, '');
  const part = (type: string) => segments.find((segment) => segment.type === type)?.value ?? 0;
  const pad = (number: number, length = 2) => String(number).padStart(length, '0');
  if (kind === 'time') return timeFromText(`${pad(part('hour'))}:${pad(part('minute'))}`) ?? '';
  return dateFromText(`${pad(part('year'), 4)}-${pad(part('month'))}-${pad(part('day'))}`) ?? '';
}

/**
 * Tells the form what the segments show. react-aria keeps its last whole value while a segment is
 * emptied (it waits for the blur), so a half-erased date would still be submitted as the old one:
 * the form is told '' instead, and the error comes next to the field.
 */
function ReportShown({ kind, onShown }: { kind: 'date' | 'time'; onShown(value: string): void }) {
  const dateState = useContext(DateFieldStateContext);
  const timeState = useContext(TimeFieldStateContext);
  const state = kind === 'date' ? dateState : timeState;
  const shown = state ? shownValue(kind, state.segments) : '';
  useEffect(() => onShown(shown), [shown, onShown]);
  return null;
}

function SegmentedField({
  kind,
  label,
  hint,
  error,
  value,
  onChange,
  onBlur,
  fieldRef,
  dataField,
  isDisabled,
}: DateTimeFieldProps & { kind: 'date' | 'time' }) {
  const locale = useFieldLocale();
  const errorId = `${useId()}-error`;
  // react-aria's own value (the segments), apart from what the form holds: '' in the form while a
  // segment is empty must not empty the other segments.
  const [segmentsValue, setSegmentsValue] = useState(value);
  const [reported, setReported] = useState(value);
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    // Set from outside (a slot chosen, the form reset): the segments show it.
    if (value !== reported) setSegmentsValue(value);
  }
  // One object per value: react-aria takes a new object for a new value and would redraw the segments from it.
  const ariaDate = useMemo(() => (kind === 'date' ? toCalendarDate(segmentsValue) : null), [kind, segmentsValue]);
  const ariaTime = useMemo(() => (kind === 'time' ? toTime(segmentsValue) : null), [kind, segmentsValue]);
  const lastReported = useRef(value);
  const report = useCallback(
    (shown: string) => {
      if (shown === lastReported.current) return;
      lastReported.current = shown;
      setReported(shown);
      onChange(shown);
    },
    [onChange],
  );
  const whole = useWholeValueInput(kind === 'date' ? dateFromText : timeFromText, setSegmentsValue);
  useEffect(() => {
    fieldRef?.({ focus: () => focusFirstSegment(whole.current) });
  }, [fieldRef, whole]);
  const common = {
    className: styles.field,
    onBlur,
    shouldForceLeadingZeros: true,
    isInvalid: Boolean(error),
    isDisabled,
    'aria-describedby': error ? errorId : undefined,
    'data-value': value,
  };
  const inner = (
    <>
      <Label className={styles.label}>{label}</Label>
      <Segments dataField={dataField} />
      <Footer hint={hint} error={error} errorId={errorId} />
      <ReportShown kind={kind} onShown={report} />
    </>
  );
  return (
    <I18nProvider locale={locale}>
      <div ref={whole} className={error ? 'field field--invalid' : 'field'}>
        {kind === 'date' ? (
          <AriaDateField<CalendarDate>
            {...common}
            value={ariaDate}
            onChange={(date) => setSegmentsValue(date ? date.toString() : '')}
            granularity="day"
          >
            {inner}
          </AriaDateField>
        ) : (
          <AriaTimeField<Time>
            {...common}
            value={ariaTime}
            onChange={(time) => setSegmentsValue(time ? timeText(time) : '')}
            granularity="minute"
            hourCycle={24}
          >
            {inner}
          </AriaTimeField>
        )}
      </div>
    </I18nProvider>
  );
}

/** A date typed as '2026-11-23', digit by digit in its segments or pasted whole; arrows step it. */
export function DateField(props: DateTimeFieldProps) {
  return <SegmentedField kind="date" {...props} />;
}

/** A time of day typed as '09:30' (24 hours), digit by digit or pasted whole; arrows step it. */
export function TimeField(props: DateTimeFieldProps) {
  return <SegmentedField kind="time" {...props} />;
}

type Controlled<T extends FieldValues> = Omit<DateTimeFieldProps, 'value' | 'onChange' | 'onBlur' | 'fieldRef'> & {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the form's own output type does not matter here
  control: Control<T, any, any>;
  name: FieldPath<T>;
};

/** DateField bound to a react-hook-form field: the contract's LocalDate schema validates it; its error shows below. */
export function FormDateField<T extends FieldValues>({ control, name, error, ...props }: Controlled<T>) {
  const { field, fieldState } = useController({ control, name });
  return (
    <DateField
      {...props}
      value={(field.value as string | undefined) ?? ''}
      onChange={field.onChange}
      onBlur={field.onBlur}
      fieldRef={field.ref}
      error={error ?? fieldState.error?.message}
    />
  );
}

/** TimeField bound to a react-hook-form field (the contract's LocalTimeOfDay). */
export function FormTimeField<T extends FieldValues>({ control, name, error, ...props }: Controlled<T>) {
  const { field, fieldState } = useController({ control, name });
  return (
    <TimeField
      {...props}
      value={(field.value as string | undefined) ?? ''}
      onChange={field.onChange}
      onBlur={field.onBlur}
      fieldRef={field.ref}
      error={error ?? fieldState.error?.message}
    />
  );
}
