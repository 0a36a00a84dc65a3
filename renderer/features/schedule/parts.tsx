import type { Control, FieldPath, UseFormRegisterReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { AppointmentStatus, BookingWarning } from '../../../preload/contract/index';
import { FormDateField, FormTimeField } from '../../ui/DateTimeFields';
import { Field } from '../../ui/Field';
import { warningKey } from '../../ui/format';
import { weekdayOf } from './dates';
import styles from './schedule.module.css';

export type Translate = ReturnType<typeof useTranslation>['t'];

/** "Tisdag 2031-11-18 09:00–10:00": the one way this screen names a time. */
export function whenText(t: Translate, at: { date: string; start: string; end: string }): string {
  return t('schedule.when', { weekday: t(`schedule.weekdays.${weekdayOf(at.date)}`), date: at.date, start: at.start, end: at.end });
}

export function endOf(start: string, durationMinutes: number): string {
  const [hh, mm] = start.split(':').map(Number) as [number, number];
  const total = (hh * 60 + mm + durationMinutes) % (24 * 60);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** A saved booking with warnings is still saved: say both, clearly, where the eye already is. */
export function SavedNotice({ message, warningsTitle, warnings }: { message: string; warningsTitle: string; warnings: BookingWarning[] }) {
  const { t } = useTranslation();
  return (
    <div role="status" className={styles.scheduleSaved}>
      <p className="notice schedule-saved__done">{message}</p>
      {warnings.length > 0 ? (
        <div className={`warning ${styles.scheduleSavedWarnings}`} data-testid="booking-warnings">
          <p>
            <strong>{warningsTitle}</strong>
          </p>
          <ul>
            {warnings.map((warning) => (
              <li key={warning.code}>{t(warningKey(warning), { minutes: warning.minutes ?? 0 })}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

export function StatusBadge({ status }: { status: AppointmentStatus }) {
  const { t } = useTranslation();
  return <span className={`${styles.scheduleStatus} ${styles[`scheduleStatus_${status}`] ?? ''}`}>{t(`statuses.${status}`)}</span>;
}

/** Date, start and length of an appointment: the same three fields when booking and when moving. */
export function WhenFields<T extends { date: string; start: string }>({
  control,
  duration,
  errors,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- only the date and start fields are read
  control: Control<T, any, any>;
  duration: UseFormRegisterReturn;
  errors: { date?: string; start?: string; duration?: string };
}) {
  const { t } = useTranslation();
  return (
    <div className={styles.scheduleBookWhen}>
      <FormDateField
        control={control}
        name={'date' as FieldPath<T>}
        label={t('schedule.book.date')}
        hint={t('schedule.book.dateHint')}
        error={errors.date}
      />
      <FormTimeField
        control={control}
        name={'start' as FieldPath<T>}
        label={t('schedule.book.start')}
        hint={t('schedule.book.startHint')}
        error={errors.start}
      />
      <Field label={t('schedule.book.duration')} type="number" min={5} max={480} step={5} error={errors.duration} {...duration} />
    </div>
  );
}
