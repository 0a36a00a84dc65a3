import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  Rectangle,
  XAxis,
  YAxis,
  type BarShapeProps,
  type LabelProps,
  type YAxisTickContentProps,
} from 'recharts';
import { countText, type StatsBar } from './model';
import styles from './stats.module.css';

/** A suppressed bar is drawn up to 5, the bound it lies under, striped and labelled "<5": never at its value. */
const SUPPRESSED_DRAWN = 5;
/**
 * A hidden count has no bound worth drawing (it is only known to be 5 or more), so it gets no
 * length at all: a small dashed box at the axis, the same for every hidden bar, labelled "x".
 */
const HIDDEN_BOX_WIDTH = 18;
const LABEL_OFFSET = 5;
const ROW_HEIGHT = 30;
const AXIS_HEIGHT = 34;
const TICK_FONT_SIZE = 13;
const INK = '#1b2129';
const INK_SOFT = '#4a5563';
const GRID = '#d4dae1';

interface Datum extends StatsBar {
  drawn: number;
  shown: string;
  suppressed: boolean;
  hidden: boolean;
}

/** The width the category labels need, measured in the font the chart draws them in. */
function labelWidth(labels: string[]): number {
  const context = document.createElement('canvas').getContext('2d');
  let widest = 0;
  for (const label of labels) {
    if (context) {
      context.font = `${TICK_FONT_SIZE}px ${getComputedStyle(document.documentElement).fontFamily}`;
      widest = Math.max(widest, context.measureText(label).width);
    } else widest = Math.max(widest, label.length * 7.5);
  }
  // Room for the tick mark and its margin, and a little slack, so that recharts never wraps a label.
  return Math.min(360, Math.ceil(widest) + 28);
}

/** A category label on one line, right-aligned to the axis: recharts' own tick would wrap long labels. */
function CategoryTick({ x, y, payload }: YAxisTickContentProps) {
  return (
    <text x={x} y={y} dx={-4} dy="0.355em" textAnchor="end" fill={INK} fontSize={TICK_FONT_SIZE}>
      {String(payload.value)}
    </text>
  );
}

/** A bar's count at its end; after a hidden bar's box, which has no length of its own. */
function BarLabel({ data, ...props }: LabelProps & { data: Datum[] }) {
  const box = props.viewBox as { x: number; y: number; width: number; height: number } | undefined;
  const datum = props.index === undefined ? undefined : data[props.index];
  if (!box || !datum) return null;
  return (
    <text
      x={box.x + box.width + (datum.hidden ? HIDDEN_BOX_WIDTH : 0) + LABEL_OFFSET}
      y={box.y + box.height / 2}
      dy="0.355em"
      fill={INK}
      fontSize={TICK_FONT_SIZE}
    >
      {datum.shown}
    </text>
  );
}

/**
 * A horizontal bar chart of counts by category. Each bar carries its category in words and its
 * count (or "<5", or "x") at its end, so nothing depends on colour; the table beside it is the
 * accessible truth, and screen readers get the chart as one image with every value in its label.
 */
export function StatsBarChart({ title, bars, testId }: { title: string; bars: StatsBar[]; testId: string }) {
  const { t, i18n } = useTranslation();
  const patternBase = `stats-hatch-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const data: Datum[] = useMemo(
    () =>
      bars.map((bar) => ({
        ...bar,
        drawn: bar.count === null ? SUPPRESSED_DRAWN : bar.count === 'hidden' ? 0 : bar.count,
        shown: countText(bar.count, i18n.language),
        suppressed: bar.count === null,
        hidden: bar.count === 'hidden',
      })),
    [bars, i18n.language],
  );
  const colours = [...new Set(data.filter((datum) => datum.suppressed).map((datum) => datum.colour))];
  const anyHidden = data.some((datum) => datum.hidden);
  const patternOf = (colour: string) => `${patternBase}-${colours.indexOf(colour)}`;
  const yAxisWidth = useMemo(() => labelWidth(data.map((datum) => datum.label)), [data]);
  const summary = t('stats.chart.summary', {
    title,
    values: data
      .map((datum) =>
        t('stats.chart.value', {
          label: datum.label,
          value: datum.suppressed ? t('stats.chart.fewerThanFive') : datum.hidden ? t('stats.chart.hiddenValue') : datum.shown,
        }),
      )
      .join(', '),
  });
  const height = data.length * ROW_HEIGHT + AXIS_HEIGHT;

  const shape = (props: BarShapeProps) => {
    const datum = props.payload as Datum;
    if (datum.hidden) {
      // No length, no fill: an outline that says "a count is here" and nothing about its size.
      return (
        <Rectangle
          x={props.x}
          y={props.y}
          width={HIDDEN_BOX_WIDTH}
          height={props.height}
          className={`chart-bar ${styles.statsBar} stats-bar--hidden`}
          fill="#ffffff"
          stroke={INK_SOFT}
          strokeWidth={1.5}
          strokeDasharray="3 2"
        />
      );
    }
    return (
      <Rectangle
        x={props.x}
        y={props.y}
        width={props.width}
        height={props.height}
        // chart-bar: the printout's test counts the drawn bars by it (recharts passes no data- attributes to its path).
        className={datum.suppressed ? `chart-bar ${styles.statsBar} stats-bar--suppressed` : `chart-bar ${styles.statsBar}`}
        fill={datum.suppressed ? `url(#${patternOf(datum.colour)})` : datum.colour}
        stroke={datum.colour}
        strokeWidth={datum.suppressed ? 1.5 : 0}
      />
    );
  };

  return (
    <figure className={styles.statsChart} data-testid={testId}>
      <div className={styles.statsChartCanvas} role="img" aria-label={summary}>
        <BarChart
          layout="vertical"
          data={data}
          responsive
          style={{ width: '100%', height }}
          margin={{ top: 4, right: 48, bottom: 4, left: 4 }}
          accessibilityLayer={false}
          barCategoryGap={6}
        >
          <defs>
            {colours.map((colour) => (
              <pattern key={colour} id={patternOf(colour)} patternUnits="userSpaceOnUse" width={6} height={6} patternTransform="rotate(45)">
                <rect width={6} height={6} fill="#ffffff" />
                <rect width={3} height={6} fill={colour} />
              </pattern>
            ))}
          </defs>
          <CartesianGrid horizontal={false} stroke={GRID} />
          <XAxis
            type="number"
            dataKey="drawn"
            // Round ticks from zero; a suppressed bar's 5 is part of the data, so the axis always reaches it. Hidden boxes
            // have no length: with nothing else drawn, the axis still runs to 5 rather than collapse.
            domain={data.some((datum) => datum.drawn > 0) ? [0, 'auto'] : [0, SUPPRESSED_DRAWN]}
            allowDecimals={false}
            tick={{ fill: INK_SOFT, fontSize: 12 }}
            stroke={INK_SOFT}
            tickFormatter={(value: number) => countText(value, i18n.language)}
          />
          <YAxis type="category" dataKey="label" width={yAxisWidth} interval={0} tick={CategoryTick} stroke={INK_SOFT} />
          <Bar dataKey="drawn" isAnimationActive={false} shape={shape} maxBarSize={20}>
            <LabelList dataKey="shown" content={(props: LabelProps) => <BarLabel {...props} data={data} />} />
          </Bar>
        </BarChart>
      </div>
      {colours.length > 0 || anyHidden ? (
        <figcaption className={styles.statsChartNote}>
          {colours.length > 0 ? (
            <span className={styles.statsChartKey}>
              <span className={styles.statsSwatch} aria-hidden="true" /> {t('stats.chart.suppressedLegend')}
            </span>
          ) : null}
          {anyHidden ? (
            <span className={styles.statsChartKey}>
              <span className={`${styles.statsSwatch} ${styles.statsSwatchHidden}`} aria-hidden="true" /> {t('stats.chart.hiddenLegend')}
            </span>
          ) : null}
        </figcaption>
      ) : null}
    </figure>
  );
}
