import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { APPOINTMENT_STATUSES, type StatsCount, type StatsReport } from '../../../preload/contract';
import {
  anyHidden,
  appointmentBars,
  appointmentMatrix,
  countText,
  decimalText,
  municipalityBars,
  municipalityRows,
  percentText,
  referralBars,
  routingBars,
  routingRows,
  trackBars,
  type StatsBar,
} from './model';
import { StatsBarChart } from './StatsBarChart';

/** A count in a table cell: right-aligned digits, "<5" when suppressed, "x" when hidden. */
function CountCell({ count }: { count: StatsCount }) {
  const { i18n } = useTranslation();
  const modifier = count === null ? ' stats-num--suppressed' : count === 'hidden' ? ' stats-num--hidden' : '';
  return <td className={`stats-num${modifier}`}>{countText(count, i18n.language)}</td>;
}

/** One dimension of the report: its heading and lead, the chart, and the table that holds the same figures. */
function Dimension({
  id,
  title,
  lead,
  bars,
  wide,
  children,
}: {
  id: string;
  title: string;
  lead: string;
  bars: StatsBar[];
  wide?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <section className="stats-section" aria-labelledby={`stats-${id}-heading`} data-testid={`stats-${id}`}>
      <h3 id={`stats-${id}-heading`}>{title}</h3>
      <p className="stats-section__lead">{lead}</p>
      {bars.length === 0 ? (
        <p className="stats-none">{t('stats.report.none')}</p>
      ) : (
        <div className={wide ? 'stats-section__body stats-section__body--stacked' : 'stats-section__body'}>
          <StatsBarChart title={title} bars={bars} testId={`stats-${id}-chart`} />
          <div className="stats-table-wrap">
            {children}
            {/* An "x" is explained where it stands: it is not "<5", and not a mistake. */}
            {anyHidden(bars.map((bar) => bar.count)) ? <p className="stats-hidden-note">{t('stats.hiddenNote')}</p> : null}
          </div>
        </div>
      )}
    </section>
  );
}

function KeyFigure({ label, value, hint, testId }: { label: string; value: string; hint: string; testId: string }) {
  return (
    <div className="stats-figure">
      <dt>{label}</dt>
      <dd className="stats-figure__value" data-testid={testId}>
        {value}
      </dd>
      <dd className="stats-figure__hint">{hint}</dd>
    </div>
  );
}

/** The report as figures, charts and tables. It holds counts only: no name, number or free text ever reaches it. */
export function StatsReportView({ report }: { report: StatsReport }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const municipalities = municipalityRows(report, t);
  const routings = routingRows(report, t);
  const matrix = appointmentMatrix(report);
  const tracks = trackBars(report, t);
  const trackHasAny = report.clientsByTrack.some((row) => row.new !== 0 || row.continuing !== 0);

  return (
    <>
      <section aria-labelledby="stats-figures-heading" className="stats-figures-section">
        <h3 id="stats-figures-heading">{t('stats.figures.title')}</h3>
        <dl className="stats-figures">
          <KeyFigure
            label={t('stats.figures.firstContacts')}
            value={countText(report.firstContacts, language)}
            hint={report.firstContacts === 'hidden' ? t('stats.figures.hidden') : t('stats.figures.firstContactsHint')}
            testId="stats-first-contacts"
          />
          <KeyFigure
            label={t('stats.figures.noShowRate')}
            value={typeof report.noShowRate === 'number' ? percentText(report.noShowRate, language) : countText(report.noShowRate, language)}
            hint={
              report.noShowRate === null
                ? t('stats.figures.tooFew')
                : report.noShowRate === 'hidden'
                  ? t('stats.figures.hidden')
                  : t('stats.figures.noShowRateHint')
            }
            testId="stats-no-show-rate"
          />
          <KeyFigure
            label={t('stats.figures.medianDays')}
            value={
              report.medianDaysToFirstAppointment === null
                ? '<5'
                : t('stats.figures.days', {
                    count: report.medianDaysToFirstAppointment,
                    value: decimalText(report.medianDaysToFirstAppointment, language),
                  })
            }
            hint={report.medianDaysToFirstAppointment === null ? t('stats.figures.tooFew') : t('stats.figures.medianDaysHint')}
            testId="stats-median-days"
          />
        </dl>
      </section>

      <Dimension id="tracks" title={t('stats.tracks.title')} lead={t('stats.tracks.lead')} bars={trackHasAny ? tracks : []} wide>
        <table className="table stats-table">
          <caption>{t('stats.tracks.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('stats.tracks.track')}</th>
              <th scope="col" className="stats-num">
                {t('stats.tracks.new')}
              </th>
              <th scope="col" className="stats-num">
                {t('stats.tracks.continuing')}
              </th>
            </tr>
          </thead>
          <tbody>
            {report.clientsByTrack.map((row) => (
              <tr key={row.track}>
                <th scope="row">{t(`tracks.${row.track}`)}</th>
                <CountCell count={row.new} />
                <CountCell count={row.continuing} />
              </tr>
            ))}
          </tbody>
        </table>
      </Dimension>

      <Dimension
        id="municipalities"
        title={t('stats.municipalities.title')}
        lead={t('stats.municipalities.lead')}
        bars={municipalityBars(municipalities, t)}
      >
        <table className="table stats-table">
          <caption>{t('stats.municipalities.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('stats.municipalities.code')}</th>
              <th scope="col">{t('stats.municipalities.name')}</th>
              <th scope="col" className="stats-num">
                {t('stats.municipalities.count')}
              </th>
            </tr>
          </thead>
          <tbody>
            {municipalities.map((row) => (
              <tr key={row.code ?? 'other'}>
                <td>{row.code ?? '–'}</td>
                <th scope="row">{row.name}</th>
                <CountCell count={row.count} />
              </tr>
            ))}
          </tbody>
        </table>
      </Dimension>

      <Dimension id="referrals" title={t('stats.referrals.title')} lead={t('stats.referrals.lead')} bars={referralBars(report, t)}>
        <table className="table stats-table">
          <caption>{t('stats.referrals.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('stats.referrals.source')}</th>
              <th scope="col" className="stats-num">
                {t('stats.referrals.count')}
              </th>
            </tr>
          </thead>
          <tbody>
            {referralBars(report, t).map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                <CountCell count={row.count} />
              </tr>
            ))}
          </tbody>
        </table>
      </Dimension>

      <Dimension id="appointments" title={t('stats.appointments.title')} lead={t('stats.appointments.lead')} bars={appointmentBars(report, t)} wide>
        <table className="table stats-table">
          <caption>{t('stats.appointments.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('stats.appointments.kind')}</th>
              {APPOINTMENT_STATUSES.map((status) => (
                <th scope="col" className="stats-num" key={status}>
                  {t(`statuses.${status}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.map((row) => (
              <tr key={row.kind}>
                <th scope="row">{t(`kinds.${row.kind}`)}</th>
                {row.counts.map((count, index) => (
                  <CountCell key={APPOINTMENT_STATUSES[index]} count={count} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </Dimension>

      <Dimension id="routings" title={t('stats.routings.title')} lead={t('stats.routings.lead')} bars={routingBars(report, t)} wide>
        <table className="table stats-table">
          <caption>{t('stats.routings.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('stats.routings.decision')}</th>
              <th scope="col" className="stats-num">
                {t('stats.routings.count')}
              </th>
            </tr>
          </thead>
          <tbody>
            {routings.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                <CountCell count={row.count} />
              </tr>
            ))}
          </tbody>
        </table>
      </Dimension>
    </>
  );
}
