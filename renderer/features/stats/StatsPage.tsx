import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatsReport } from '../../../preload/contract/index';
import { downloadText } from '../../ui/download';
import { formatDateTime } from '../../ui/format';
import { FormError, Notice, SelectField } from '../../ui/Field';
import { useChannelMutation, useChannelRead } from '../../ui/query';
import { endedQuarters, parseQuarterValue, quarterValue, type Quarter } from './periods';
import { StatsReportView } from './StatsReportView';
import styles from './stats.module.css';

type Shown = { input: Quarter; report: StatsReport };

/** The admin's statistics: an ended quarter, then key figures, a chart and a table per dimension, the CSV, and how small counts are kept hidden. */
export function StatsPage() {
  const { t } = useTranslation();
  const [quarters] = useState(() => endedQuarters());
  const [chosen, setChosen] = useState(() => quarterValue(quarters[0]!));
  const [shown, setShown] = useState<Shown | null>(null);
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | undefined>();
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | undefined>();
  // Figures are made on request (each report reads client data and is logged); the CSV is an action, never cached.
  const report = useChannelRead('stats.report');
  const exportCall = useChannelMutation('stats.exportCsv');

  const quarterName = (quarter: Quarter) =>
    t('stats.period.quarterName', { year: quarter.year, quarter: quarter.quarter, months: t(`stats.period.months${quarter.quarter}`) });

  const show = async (event: FormEvent) => {
    event.preventDefault();
    const input = parseQuarterValue(chosen);
    setBusy(true);
    const result = await report(input);
    setBusy(false);
    if (!result.ok) {
      // Figures of another quarter must not stand under a message about this one.
      setShown(null);
      setFieldError(result.error.fields?.quarter ?? result.error.fields?.year);
      setFormError(result.error.fields?.quarter || result.error.fields?.year ? undefined : result.error.message);
      return;
    }
    setFieldError(undefined);
    setFormError(undefined);
    setExported(null);
    setExportError(undefined);
    setShown({ input, report: result.value });
  };

  const exportCsv = async () => {
    if (!shown) return;
    // The CSV is made by the main process from the same quarter as the figures on screen.
    const result = await exportCall.run(shown.input);
    if (!result.ok) {
      setExportError(result.error.message);
      return;
    }
    const file = t('stats.report.fileName', { year: shown.input.year, quarter: shown.input.quarter });
    downloadText(result.value.csv, file, 'text/csv;charset=utf-8');
    setExportError(undefined);
    setExported(file);
  };

  const period = shown ? { quarter: quarterName(shown.input), from: shown.report.period.from, to: shown.report.period.to } : null;

  return (
    <div className="stats-page">
      <h1>{t('stats.title')}</h1>
      <p className="lead">{t('stats.lead')}</p>

      <section className="panel panel--wide stats-method" aria-labelledby="stats-method-heading" data-testid="stats-method">
        <h2 id="stats-method-heading">{t('stats.method.title')}</h2>
        <ul>
          <li>{t('stats.method.periods')}</li>
          <li>{t('stats.method.under5')}</li>
          <li>{t('stats.method.hidden')}</li>
          <li>{t('stats.method.fixed')}</li>
          <li>{t('stats.method.why')}</li>
        </ul>
      </section>

      <form
        className={`panel panel--wide ${styles.statsPeriod}`}
        data-testid="stats-period"
        aria-labelledby="stats-period-heading"
        noValidate
        onSubmit={(event) => void show(event)}
      >
        <h2 id="stats-period-heading">{t('stats.period.title')}</h2>
        <div className={styles.statsPeriodFields}>
          <SelectField
            id="stats-quarter"
            label={t('stats.period.quarter')}
            hint={t('stats.period.quarterHint')}
            options={quarters.map((quarter) => ({ value: quarterValue(quarter), label: quarterName(quarter) }))}
            error={fieldError}
            value={chosen}
            onChange={(event) => setChosen(event.target.value)}
          />
        </div>
        <FormError message={formError} />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('stats.period.counting') : t('stats.period.show')}
          </button>
        </div>
      </form>

      <div aria-live="polite" className="stats-live">
        {period ? <p className="visually-hidden">{t('stats.report.shown', period)}</p> : null}
      </div>

      {shown && period ? (
        <section className={styles.statsReport} aria-labelledby="stats-report-heading" data-testid="stats-report">
          <div className={styles.statsReportHead}>
            <h2 id="stats-report-heading">{t('stats.report.heading', period)}</h2>
            <div className={`actions ${styles.statsReportActions}`}>
              <button type="button" className="button" onClick={() => void exportCsv()} aria-describedby="stats-export-hint">
                {t('stats.report.export')}
              </button>
              <button type="button" className="button" onClick={() => window.print()}>
                {t('stats.report.print')}
              </button>
            </div>
          </div>
          <p className={`field__hint ${styles.statsReportHint}`} id="stats-export-hint">
            {t('stats.report.exportHint')}
          </p>
          {exported ? <Notice>{t('stats.report.exported', { file: exported })}</Notice> : null}
          <FormError message={exportError} />
          <p className={styles.statsSuppression}>{t('stats.report.suppression')}</p>
          <p className={styles.statsSuppression} data-testid="stats-fixed">
            {t('stats.report.fixed', { at: formatDateTime(shown.report.fixedAt) })}
          </p>
          <StatsReportView report={shown.report} />
        </section>
      ) : null}
    </div>
  );
}
