import { parseDate, type CalendarDate } from '@internationalized/date';
import {
  Button,
  Calendar,
  CalendarCell,
  CalendarGrid,
  CalendarGridBody,
  CalendarGridHeader,
  CalendarHeaderCell,
  Heading,
  I18nProvider,
} from 'react-aria-components';
import styles from './MiniMonth.module.css';

export interface MiniMonthProps {
  /** The chosen day, as the screens write dates: '2026-11-23'. */
  value: string;
  onChange(date: string): void;
  /** Today in the centre's time zone: marked, whatever the workstation's clock zone. */
  today: string;
  /** Days shown beside the chosen one (the week on screen), marked lightly. */
  highlighted?: readonly string[];
  /** 'sv-SE' or 'en-GB': both write weeks from Monday. */
  locale: string;
  label: string;
  previousLabel: string;
  nextLabel: string;
}

/**
 * A month to jump with: arrows walk the days, Page Up/Down the months, Enter chooses. Weeks start
 * on Monday whatever the language, as everywhere at the centre.
 */
export function MiniMonth({ value, onChange, today, highlighted = [], locale, label, previousLabel, nextLabel }: MiniMonthProps) {
  const marked = new Set(highlighted);
  return (
    <I18nProvider locale={locale}>
      <Calendar<CalendarDate>
        aria-label={label}
        className={styles.month}
        value={parseDate(value)}
        onChange={(date) => onChange(date.toString())}
        firstDayOfWeek="mon"
        data-testid="mini-month"
      >
        <header className={styles.head}>
          <Button slot="previous" className={styles.nav} aria-label={previousLabel}>
            ‹
          </Button>
          <Heading className={styles.heading} />
          <Button slot="next" className={styles.nav} aria-label={nextLabel}>
            ›
          </Button>
        </header>
        <CalendarGrid className={styles.grid} weekdayStyle="narrow">
          <CalendarGridHeader>{(day) => <CalendarHeaderCell className={styles.weekday}>{day}</CalendarHeaderCell>}</CalendarGridHeader>
          <CalendarGridBody>
            {(date) => {
              const iso = date.toString();
              return (
                <CalendarCell
                  date={date}
                  className={({ isSelected, isOutsideMonth, isFocusVisible }) =>
                    [
                      styles.day,
                      isSelected ? styles.selected : '',
                      isOutsideMonth ? styles.outside : '',
                      isFocusVisible ? styles.focused : '',
                      iso === today ? styles.today : '',
                      marked.has(iso) ? styles.marked : '',
                    ]
                      .filter(Boolean)
                      .join(' ')
                  }
                  data-date={iso}
                />
              );
            }}
          </CalendarGridBody>
        </CalendarGrid>
      </Calendar>
    </I18nProvider>
  );
}
