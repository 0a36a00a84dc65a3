import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StatsInput, type ChannelInput, type OrgView, type StatsReport } from '../../../preload/contract';
import { call } from '../../ui/api';
import { downloadText } from '../../ui/download';
import { Field, FormError, Notice, SelectField } from '../../ui/Field';
import { useContractForm } from '../../ui/useContractForm';
import { QUICK_PERIODS, quickPeriod, type QuickPeriod } from './periods';
import { StatsReportView } from './StatsReportView';

type Shown = { input: ChannelInput<'stats.report'>; report: StatsReport };

/** The admin's statistics: a period and a site, then key figures, a chart and a table per dimension, and the CSV. */
export function StatsPage() {
  const { t } = useTranslation();
  const [sites, setSites] = useState<OrgView['sites']>([]);
  const [shown, setShown] = useState<Shown | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | undefined>();
  const { form, showServerError } = useContractForm(StatsInput, { ...quickPeriod('thisYear'), siteId: null });
  const { register, handleSubmit, formState, setValue } = form;

  useEffect(() => {
    void call('org.get', {}).then((result) => {
      if (result.ok) setSites(result.value.sites);
    });
  }, []);

  const unitName = (siteId: string | null) => (siteId ? (sites.find((site) => site.id === siteId)?.name ?? siteId) : t('stats.period.bothUnits'));

  const show = handleSubmit(async (input) => {
    const result = await call('stats.report', input);
    if (!result.ok) {
      // Figures of another period must not stand under a message about this one.
      setShown(null);
      showServerError(result.error);
      return;
    }
    setExported(null);
    setExportError(undefined);
    setShown({ input, report: result.value });
  });

  const choose = (choice: QuickPeriod) => {
    const period = quickPeriod(choice);
    setValue('from', period.from, { shouldValidate: formState.isSubmitted });
    setValue('to', period.to, { shouldValidate: formState.isSubmitted });
    void show();
  };

  const exportCsv = async () => {
    if (!shown) return;
    // The CSV is made by the main process from the same period and site as the figures on screen.
    const result = await call('stats.exportCsv', shown.input);
    if (!result.ok) {
      setExportError(result.error.message);
      return;
    }
    const file = t('stats.report.fileName', {
      from: shown.input.from,
      to: shown.input.to,
      unit: shown.input.siteId ?? t('stats.report.fileBothUnits'),
    });
    downloadText(result.value.csv, file, 'text/csv;charset=utf-8');
    setExportError(undefined);
    setExported(file);
  };

  const period = shown ? { from: shown.input.from, to: shown.input.to, unit: unitName(shown.input.siteId) } : null;

  return (
    <div className="stats-page">
      <h1>{t('stats.title')}</h1>
      <p className="lead">{t('stats.lead')}</p>

      <form className="panel panel--wide stats-period" aria-labelledby="stats-period-heading" noValidate onSubmit={show}>
        <h2 id="stats-period-heading">{t('stats.period.title')}</h2>
        <div className="stats-quick" role="group" aria-labelledby="stats-quick-label">
          <span id="stats-quick-label" className="stats-quick__label">
            {t('stats.period.quick')}
          </span>
          {QUICK_PERIODS.map((choice) => (
            <button key={choice} type="button" className="button button--small" onClick={() => choose(choice)} disabled={formState.isSubmitting}>
              {t(`stats.period.${choice}`)}
            </button>
          ))}
        </div>
        <div className="stats-period__fields">
          <Field
            id="stats-from"
            label={t('stats.period.from')}
            inputMode="numeric"
            placeholder={t('format.date')}
            autoComplete="off"
            error={formState.errors.from?.message}
            {...register('from')}
          />
          <Field
            id="stats-to"
            label={t('stats.period.to')}
            inputMode="numeric"
            placeholder={t('format.date')}
            autoComplete="off"
            error={formState.errors.to?.message}
            {...register('to')}
          />
          <SelectField
            id="stats-siteId"
            label={t('stats.period.unit')}
            options={[{ value: '', label: t('stats.period.bothUnits') }, ...sites.map((site) => ({ value: site.id, label: site.name }))]}
            error={formState.errors.siteId?.message}
            {...register('siteId', { setValueAs: (value: string | null) => (value ? value : null) })}
          />
        </div>
        <FormError message={formState.errors.root?.server?.message} />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
            {formState.isSubmitting ? t('stats.period.counting') : t('stats.period.show')}
          </button>
        </div>
      </form>

      <div aria-live="polite" className="stats-live">
        {period ? <p className="visually-hidden">{t('stats.report.shown', period)}</p> : null}
      </div>

      {shown && period ? (
        <section className="stats-report" aria-labelledby="stats-report-heading" data-testid="stats-report">
          <div className="stats-report__head">
            <h2 id="stats-report-heading">{t('stats.report.heading', period)}</h2>
            <div className="actions stats-report__actions">
              <button type="button" className="button" onClick={() => void exportCsv()} aria-describedby="stats-export-hint">
                {t('stats.report.export')}
              </button>
              <button type="button" className="button" onClick={() => window.print()}>
                {t('stats.report.print')}
              </button>
            </div>
          </div>
          <p className="field__hint stats-report__hint" id="stats-export-hint">
            {t('stats.report.exportHint')}
          </p>
          {exported ? <Notice>{t('stats.report.exported', { file: exported })}</Notice> : null}
          <FormError message={exportError} />
          <p className="stats-suppression">{t('stats.report.suppression')}</p>
          <StatsReportView report={shown.report} />
        </section>
      ) : null}
    </div>
  );
}
