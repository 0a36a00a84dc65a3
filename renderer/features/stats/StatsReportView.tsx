import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { APPOINTMENT_STATUSES, type StatsCount, type StatsReport } from '../../../preload/contract/index';
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
import styles from './stats.module.css';

/** A count in a table cell: right-aligned digits, "<5" when suppressed, "x" when hidden. */
function CountCell({ count }: { count: StatsCount }) {
  const { i18n } = useTranslation();
  const modifier = count === null ? ' stats-num--suppressed' : count === 'hidden' ? ' stats-num--hidden' : '';
  return <td className={`${styles.statsNum}${modifier}`}>{countText(count, i18n.language)}</td>;
}

interface CountRow {
  key: string;
  /** A code shown before the row's header (the municipality's). */
  code?: string;
  label: string;
  counts: StatsCount[];
}

/** The table beside a chart: a header per row, then one right-aligned count per count column. */
function CountTable({
  caption,
  heads,
  counts,
  rows,
}: {
  caption: string;
  heads: string[];
  counts: { key: string; label: string }[];
  rows: CountRow[];
}) {
  return (
    <table className={`table ${styles.statsTable}`}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {heads.map((head) => (
            <th scope="col" key={head}>
              {head}
            </th>
          ))}
          {counts.map((column) => (
            <th scope="col" className={styles.statsNum} key={column.key}>
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            {row.code !== undefined ? <td>{row.code}</td> : null}
            <th scope="row">{row.label}</th>
            {row.counts.map((count, index) => (
              <CountCell key={counts[index]?.key ?? index} count={count} />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
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
    <section className={styles.statsSection} aria-labelledby={`stats-${id}-heading`} data-testid={`stats-${id}`}>
      <h3 id={`stats-${id}-heading`}>{title}</h3>
      <p className={styles.statsSectionLead}>{lead}</p>
      {bars.length === 0 ? (
        <p className={styles.statsNone}>{t('stats.report.none')}</p>
      ) : (
        <div className={wide ? `${styles.statsSectionBody} ${styles.statsSectionBodyStacked}` : styles.statsSectionBody}>
          <StatsBarChart title={title} bars={bars} testId={`stats-${id}-chart`} />
          <div className={styles.statsTableWrap}>
            {children}
            {/* An "x" is explained where it stands: it is not "<5", and not a mistake. */}
            {anyHidden(bars.map((bar) => bar.count)) ? <p className={styles.statsHiddenNote}>{t('stats.hiddenNote')}</p> : null}
          </div>
        </div>
      )}
    </section>
  );
}

function KeyFigure({ label, value, hint, testId }: { label: string; value: string; hint: string; testId: string }) {
  return (
    <div className={styles.statsFigure}>
      <dt>{label}</dt>
      <dd className={styles.statsFigureValue} data-testid={testId}>
        {value}
      </dd>
      <dd className={styles.statsFigureHint}>{hint}</dd>
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

  return (
    <>
      <section aria-labelledby="stats-figures-heading" className={styles.statsFiguresSection}>
        <h3 id="stats-figures-heading">{t('stats.figures.title')}</h3>
        <dl className={styles.statsFigures}>
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
              typeof report.medianDaysToFirstAppointment === 'number'
                ? t('stats.figures.days', {
                    count: report.medianDaysToFirstAppointment,
                    value: decimalText(report.medianDaysToFirstAppointment, language),
                  })
                : countText(report.medianDaysToFirstAppointment, language)
            }
            hint={
              report.medianDaysToFirstAppointment === null
                ? t('stats.figures.tooFew')
                : report.medianDaysToFirstAppointment === 'hidden'
                  ? t('stats.figures.hidden')
                  : t('stats.figures.medianDaysHint')
            }
            testId="stats-median-days"
          />
        </dl>
      </section>

      <Dimension id="tracks" title={t('stats.tracks.title')} lead={t('stats.tracks.lead')} bars={tracks} wide>
        <CountTable
          caption={t('stats.tracks.caption')}
          heads={[t('stats.tracks.track')]}
          counts={[
            { key: 'new', label: t('stats.tracks.new') },
            { key: 'continuing', label: t('stats.tracks.continuing') },
          ]}
          rows={report.clientsByTrack.map((row) => ({ key: row.track, label: t(`tracks.${row.track}`), counts: [row.new, row.continuing] }))}
        />
      </Dimension>

      <Dimension
        id="municipalities"
        title={t('stats.municipalities.title')}
        lead={t('stats.municipalities.lead')}
        bars={municipalityBars(municipalities, t)}
      >
        <CountTable
          caption={t('stats.municipalities.caption')}
          heads={[t('stats.municipalities.code'), t('stats.municipalities.name')]}
          counts={[{ key: 'count', label: t('stats.municipalities.count') }]}
          rows={municipalities.map((row) => ({ key: row.code ?? 'other', code: row.code ?? '–', label: row.name, counts: [row.count] }))}
        />
      </Dimension>

      <Dimension id="referrals" title={t('stats.referrals.title')} lead={t('stats.referrals.lead')} bars={referralBars(report, t)}>
        <CountTable
          caption={t('stats.referrals.caption')}
          heads={[t('stats.referrals.source')]}
          counts={[{ key: 'count', label: t('stats.referrals.count') }]}
          rows={referralBars(report, t).map((row) => ({ key: row.key, label: row.label, counts: [row.count] }))}
        />
      </Dimension>

      <Dimension id="appointments" title={t('stats.appointments.title')} lead={t('stats.appointments.lead')} bars={appointmentBars(report, t)} wide>
        <CountTable
          caption={t('stats.appointments.caption')}
          heads={[t('stats.appointments.kind')]}
          counts={APPOINTMENT_STATUSES.map((status) => ({ key: status, label: t(`statuses.${status}`) }))}
          rows={matrix.map((row) => ({ key: row.kind, label: t(`kinds.${row.kind}`), counts: row.counts }))}
        />
      </Dimension>

      <Dimension id="routings" title={t('stats.routings.title')} lead={t('stats.routings.lead')} bars={routingBars(report, t)} wide>
        <CountTable
          caption={t('stats.routings.caption')}
          heads={[t('stats.routings.decision')]}
          counts={[{ key: 'count', label: t('stats.routings.count') }]}
          rows={routings.map((row) => ({ key: row.key, label: row.label, counts: [row.count] }))}
        />
      </Dimension>
    </>
  );
}
