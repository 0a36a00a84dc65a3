/**
 * The figures a benchmark run reports: samples turned into percentiles, each figure with its goal,
 * the table printed for people and the JSON object printed for machines.
 */
import { performance } from 'node:perf_hooks';

/** Nearest-rank percentile of a list of samples (p in 0–100). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('No samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export async function timeIt<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

export type Unit = 'ms' | 's' | 'MB/s' | 'MB' | 'KiB' | '×' | 'rows' | 'statements' | 'round trips' | '/s';

export interface Figure {
  /** The name in the JSON output, e.g. `weekView.p95Ms`. */
  key: string;
  label: string;
  value: number;
  unit: Unit;
  /** The most the figure may be; absent for figures reported without a goal. */
  goal?: number;
  note?: string;
}

export interface Section {
  title: string;
  figures: Figure[];
  /** Set when the part could not be measured at all (e.g. the renderer did not build). */
  error?: string;
}

export const passes = (figure: Figure): boolean => figure.goal === undefined || figure.value <= figure.goal;

function show(value: number, unit: Unit): string {
  const digits = unit === '×' ? 2 : unit === 'rows' || unit === 'statements' || unit === 'round trips' ? 0 : value >= 100 ? 0 : value >= 10 ? 1 : 2;
  const number = value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit === 'rows' ? number : unit === '×' ? `${number}×` : unit === '/s' ? `${number}/s` : `${number} ${unit}`;
}

/** A plain-text table: figure, value, goal and PASS/MISS, section by section. */
export function formatTable(sections: readonly Section[]): string {
  const rows: [string, string, string, string][] = [];
  for (const section of sections) {
    rows.push([section.title, '', '', '']);
    if (section.error) rows.push([`  not measured: ${section.error}`, '', '', 'MISS']);
    for (const figure of section.figures) {
      rows.push([
        `  ${figure.label}${figure.note ? ` (${figure.note})` : ''}`,
        show(figure.value, figure.unit),
        figure.goal === undefined ? '' : `≤ ${show(figure.goal, figure.unit)}`,
        figure.goal === undefined ? '' : passes(figure) ? 'PASS' : 'MISS',
      ]);
    }
  }
  const header: [string, string, string, string] = ['Figure', 'Value', 'Goal', ''];
  // Section titles and error lines run over the columns; only the figures set their widths.
  const measured = rows.filter((row) => row[1] !== '');
  const widths = [0, 1, 2, 3].map((column) => Math.max(...[header, ...measured].map((row) => row[column]!.length)));
  const line = (row: [string, string, string, string]) =>
    [row[0].padEnd(widths[0]!), row[1].padStart(widths[1]!), row[2].padStart(widths[2]!), row[3]].join('  ').trimEnd();
  return [line(header), '-'.repeat(widths.reduce((sum, width) => sum + width + 2, 0)), ...rows.map(line)].join('\n');
}

/** Every figure by its key, every goal with its outcome, and the goals missed. */
export function toJson(sections: readonly Section[], context: Record<string, unknown>): Record<string, unknown> {
  const figures: Record<string, number> = {};
  const goals: Record<string, { value: number; goal: number; pass: boolean }> = {};
  for (const section of sections) {
    for (const figure of section.figures) {
      figures[figure.key] = Math.round(figure.value * 1000) / 1000;
      if (figure.goal !== undefined) goals[figure.key] = { value: figures[figure.key]!, goal: figure.goal, pass: passes(figure) };
    }
  }
  const errors = Object.fromEntries(sections.filter((section) => section.error).map((section) => [section.title, section.error]));
  const missed = [
    ...Object.entries(goals)
      .filter(([, goal]) => !goal.pass)
      .map(([key]) => key),
    ...Object.keys(errors),
  ];
  return { ...context, figures, goals, errors, missed, allGoalsMet: missed.length === 0 };
}
