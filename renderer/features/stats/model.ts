import type { TFunction } from 'i18next';
import {
  APPOINTMENT_KINDS,
  APPOINTMENT_STATUSES,
  REFERRAL_SOURCES,
  ROUTINGS,
  type StatsCount,
  type StatsReport,
} from '../../../preload/contract/index';

/** How a suppressed count (0–4, sent as null) reads everywhere: on screen, in charts and in the CSV. */
export const SUPPRESSED_TEXT = '<5';
/**
 * How a count hidden by secondary suppression (sent as 'hidden') reads everywhere. It is not "<5":
 * it may be any number, withheld so that a small count elsewhere cannot be worked out.
 */
export const HIDDEN_TEXT = 'x';

/**
 * One bar of a chart: a category in words and its count, null when suppressed, 'hidden' when
 * withheld. Colours pass 3:1 against white; the label, not the colour, says what a bar is.
 */
export interface StatsBar {
  key: string;
  label: string;
  count: StatsCount;
  colour: string;
}

export const COLOURS = {
  brand: '#1d4f5c',
  violet: '#5b4a9e',
  amber: '#7a5200',
  green: '#2e7d32',
  red: '#a4161a',
  grey: '#5f6b7a',
} as const;

export const STATUS_COLOURS: Record<(typeof APPOINTMENT_STATUSES)[number], string> = {
  booked: COLOURS.brand,
  arrived: COLOURS.violet,
  in_session: COLOURS.amber,
  done: COLOURS.green,
  no_show: COLOURS.red,
  cancelled: COLOURS.grey,
};

function locale(language: string): string {
  return language.startsWith('en') ? 'en-GB' : 'sv-SE';
}

/** A count as shown: "<5" when suppressed, "x" when hidden, otherwise in the interface language's digits (Swedish: 1 234). */
export function countText(count: StatsCount, language: string): string {
  if (count === null) return SUPPRESSED_TEXT;
  if (count === 'hidden') return HIDDEN_TEXT;
  return new Intl.NumberFormat(locale(language)).format(count);
}

/** Whether any count of a dimension is hidden, so that its "x" is explained beside it. */
export function anyHidden(counts: StatsCount[]): boolean {
  return counts.includes('hidden');
}

/** A percentage held as 16.7 shown as "16,7 %" in Swedish and "16.7%" in English. */
export function percentText(value: number, language: string): string {
  return new Intl.NumberFormat(locale(language), { style: 'percent', maximumFractionDigits: 1 }).format(value / 100);
}

export function decimalText(value: number, language: string): string {
  return new Intl.NumberFormat(locale(language), { maximumFractionDigits: 1 }).format(value);
}

/** A stored key in words where the interface knows it; a key from a newer version shows as it is. */
function labelOf(t: TFunction, key: string, fallback: string): string {
  const text = t(key, { defaultValue: '' });
  return text || fallback;
}

/** Keys in the order the contract lists them, so that a chart reads the same every time; unknown keys last. */
function inOrder<T extends { key: string }>(rows: T[], order: readonly string[]): T[] {
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  return [...rows].sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

export function trackBars(report: StatsReport, t: TFunction): StatsBar[] {
  return report.clientsByTrack.flatMap((row) => {
    const track = t(`tracks.${row.track}`);
    return [
      { key: `${row.track}:new`, label: t('stats.tracks.barNew', { track }), count: row.new, colour: COLOURS.brand },
      { key: `${row.track}:continuing`, label: t('stats.tracks.barContinuing', { track }), count: row.continuing, colour: COLOURS.violet },
    ];
  });
}

export interface MunicipalityRow {
  code: string | null;
  name: string;
  count: StatsCount;
}

/** 'other' stands for every municipality outside the two areas: it has no official code. */
export function municipalityRows(report: StatsReport, t: TFunction): MunicipalityRow[] {
  return report.clientsByMunicipality.map((row) =>
    row.code === 'other'
      ? { code: null, name: t('stats.municipalities.other'), count: row.count }
      : { code: row.code, name: row.name, count: row.count },
  );
}

export function municipalityBars(rows: MunicipalityRow[], t: TFunction): StatsBar[] {
  return rows.map((row) => ({
    key: row.code ?? 'other',
    label: row.code ? `${row.name} (${row.code})` : `${row.name} (${t('stats.municipalities.noCode')})`,
    count: row.count,
    colour: COLOURS.brand,
  }));
}

export function referralBars(report: StatsReport, t: TFunction): StatsBar[] {
  return inOrder(report.referralSources, REFERRAL_SOURCES).map((row) => ({
    key: row.key,
    label: labelOf(t, `referralSources.${row.key}`, row.key),
    count: row.count,
    colour: COLOURS.brand,
  }));
}

export function routingRows(report: StatsReport, t: TFunction): { key: string; label: string; short: string; count: StatsCount }[] {
  return inOrder(report.routings, ROUTINGS).map((row) => ({
    key: row.key,
    label: t(`routing.decision.${row.key}`),
    short: t(`stats.routings.short.${row.key}`),
    count: row.count,
  }));
}

export function routingBars(report: StatsReport, t: TFunction): StatsBar[] {
  return routingRows(report, t).map((row) => ({ key: row.key, label: row.short, count: row.count, colour: COLOURS.brand }));
}

/** Every kind, each with its count per status ("<5" where the report has no row: a missing row says nothing either). */
export function appointmentMatrix(report: StatsReport): { kind: (typeof APPOINTMENT_KINDS)[number]; counts: StatsCount[] }[] {
  return APPOINTMENT_KINDS.map((kind) => ({
    kind,
    counts: APPOINTMENT_STATUSES.map((status) => {
      const row = report.appointments.find((candidate) => candidate.kind === kind && candidate.status === status);
      return row ? row.count : null;
    }),
  }));
}

export function appointmentBars(report: StatsReport, t: TFunction): StatsBar[] {
  const rank = (kind: string, status: string) =>
    APPOINTMENT_KINDS.indexOf(kind as never) * APPOINTMENT_STATUSES.length + APPOINTMENT_STATUSES.indexOf(status as never);
  return [...report.appointments]
    .sort((a, b) => rank(a.kind, a.status) - rank(b.kind, b.status))
    .map((row) => ({
      key: `${row.kind}:${row.status}`,
      label: t('stats.appointments.bar', { kind: t(`kinds.${row.kind}`), status: t(`statuses.${row.status}`) }),
      count: row.count,
      colour: STATUS_COLOURS[row.status],
    }));
}
