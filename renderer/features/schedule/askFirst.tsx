import { useCallback, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { holidaysAmong } from '../../ui/holidays';
import { isPast, nowInCentre, outsideWorkingHours, type CentreNow } from './calendarModel';
import type { Therapist } from './resources';

export interface PlannedTime {
  date: string;
  start: string;
  durationMinutes: number;
  therapistId: string;
  /** For a move, the day the appointment is on now: a move within that day asks nothing about its holiday again. */
  fromDate?: string;
}

export type Concern = { code: 'past' } | { code: 'offHours'; therapist: string };

/** What is unusual about a time before it is booked or moved to: in the past, or outside the therapist's hours. */
export function concernsAbout(planned: PlannedTime, therapists: readonly Therapist[], now: CentreNow = nowInCentre()): Concern[] {
  const concerns: Concern[] = [];
  if (isPast(planned.date, planned.start, now)) concerns.push({ code: 'past' });
  const therapist = therapists.find((candidate) => candidate.id === planned.therapistId);
  if (therapist && outsideWorkingHours(therapist, planned.date, planned.start, planned.durationMinutes))
    concerns.push({ code: 'offHours', therapist: therapist.displayName });
  return concerns;
}

/**
 * Ask before, not after: a booking or a move to a past time, outside working hours or onto a Swedish
 * public holiday (or midsommarafton, julafton, nyårsafton: preload/domain/holidays) waits for a yes in a dialog.
 * Render `dialog` somewhere in the screen; `confirm` resolves true when it may go on.
 */
export function useAskFirst(therapists: readonly Therapist[]): {
  confirm(planned: PlannedTime, action: 'book' | 'move'): Promise<boolean>;
  dialog: ReactNode;
} {
  const { t, i18n } = useTranslation();
  const [question, setQuestion] = useState<{ reasons: string[]; action: 'book' | 'move' } | null>(null);
  const answer = useRef<((yes: boolean) => void) | null>(null);

  const confirm = useCallback(
    async (planned: PlannedTime, action: 'book' | 'move') => {
      const holidays = planned.date === planned.fromDate ? [] : holidaysAmong([planned.date], i18n.language);
      const concerns = concernsAbout(planned, therapists);
      if (concerns.length === 0 && holidays.length === 0) return true;
      const reasons = [
        ...holidays.map((holiday) => t('calendar.ask.holiday', { date: holiday.date, name: holiday.name })),
        ...concerns.map((concern) =>
          concern.code === 'past'
            ? t('calendar.ask.past', { date: planned.date, start: planned.start })
            : t('calendar.ask.offHours', { therapist: concern.therapist }),
        ),
      ];
      return new Promise<boolean>((resolve) => {
        answer.current = resolve;
        setQuestion({ reasons, action });
      });
    },
    [therapists, t, i18n.language],
  );

  const close = (yes: boolean) => {
    answer.current?.(yes);
    answer.current = null;
    setQuestion(null);
  };

  const dialog = question ? (
    <ConfirmDialog
      title={question.action === 'book' ? t('calendar.ask.bookTitle') : t('calendar.ask.moveTitle')}
      reasons={question.reasons}
      confirmLabel={question.action === 'book' ? t('calendar.ask.bookAnyway') : t('calendar.ask.moveAnyway')}
      cancelLabel={t('calendar.ask.cancel')}
      onConfirm={() => close(true)}
      onCancel={() => close(false)}
    />
  ) : null;
  return { confirm, dialog };
}
