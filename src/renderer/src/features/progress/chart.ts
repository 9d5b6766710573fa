/**
 * Pure data shaping for the progress chart: which attempts it plots, their key metrics, the scales,
 * ticks and SVG paths of the three stacked panels (score, words per minute, fillers per 100 words),
 * and a one-sentence summary for screen readers. Unit-tested in tests/unit/renderer/progress-chart.test.ts.
 */
import type { DeliveryMetrics } from '../../../../shared/metrics/delivery-metrics-types';
import type { AttemptSummary } from '../../../../shared/api/types';
import { referenceRanges } from '../../../../shared/metrics/reference-ranges';

/** The chart plots at most this many attempts (the latest ones). */
export const CHART_LIMIT = 20;

export interface KeyMetrics {
  wordsPerMinute: number | null;
  fillersPer100Words: number | null;
}

/** The two metrics the chart follows; null when nothing was said (a rate of 0 would mislead). */
export function keyMetrics(metrics: DeliveryMetrics | null): KeyMetrics | null {
  if (!metrics) return null;
  const spoke = metrics.wordCount > 0;
  return {
    wordsPerMinute: spoke ? metrics.wordsPerMinute : null,
    fillersPer100Words: spoke ? metrics.fillersPer100Words : null,
  };
}

/** Whether an attempt has feedback to chart or compare. */
export const isAnalysed = (a: Pick<AttemptSummary, 'status' | 'score'>): boolean =>
  a.status === 'analysed' || a.score !== null;

/** The latest `limit` analysed attempts, oldest first (the order the chart reads in). */
export function chartAttempts(attempts: readonly AttemptSummary[], limit = CHART_LIMIT): AttemptSummary[] {
  return attempts
    .filter(isAnalysed)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    .slice(-limit);
}

export interface ProgressPoint {
  attemptId: string;
  createdAt: string;
  score: number | null;
  wordsPerMinute: number | null;
  fillersPer100Words: number | null;
}

export function progressPoints(
  attempts: readonly AttemptSummary[],
  metricsById: Readonly<Record<string, KeyMetrics | null | undefined>>,
  limit = CHART_LIMIT,
): ProgressPoint[] {
  return chartAttempts(attempts, limit).map((a) => {
    const m = metricsById[a.id];
    return {
      attemptId: a.id,
      createdAt: a.createdAt,
      score: a.score,
      wordsPerMinute: m?.wordsPerMinute ?? null,
      fillersPer100Words: m?.fillersPer100Words ?? null,
    };
  });
}

/** "Nice" tick values (steps of 1, 2, 2.5 or 5 × 10^n) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max < min) [min, max] = [max, min];
  if (max === min) return [min];
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    ticks.push(Number(v.toFixed(10)));
  return ticks;
}

/** A domain widened outward to whole tick steps, so the axis starts and ends on a tick. */
export function niceDomain(min: number, max: number, count = 4): [number, number] {
  if (max === min) return [Math.max(0, min - 1), max + 1];
  const ticks = niceTicks(min, max, count);
  const step = ticks.length > 1 ? (ticks[1] ?? 0) - (ticks[0] ?? 0) : 1;
  return [Math.floor(min / step) * step, Math.ceil(max / step) * step];
}

export const linearScale =
  ([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]) =>
  (value: number): number =>
    d1 === d0 ? (r0 + r1) / 2 : r0 + ((value - d0) / (d1 - d0)) * (r1 - r0);

/** An SVG path through the points, broken where a value is missing. */
export function linePath(points: ReadonlyArray<{ x: number; y: number } | null>): string {
  let d = '';
  let drawing = false;
  for (const p of points) {
    if (!p) {
      drawing = false;
      continue;
    }
    d += `${drawing ? 'L' : 'M'}${round(p.x)} ${round(p.y)}`;
    drawing = true;
  }
  return d;
}

const round = (v: number) => Math.round(v * 10) / 10;

export type SeriesKey = 'score' | 'wordsPerMinute' | 'fillersPer100Words';

export interface ChartDot {
  x: number;
  y: number;
  value: number;
  attemptId: string;
  /** Tooltip: "12 Mar 2026, 14:05: score 72". */
  title: string;
}

export interface ChartPanel {
  key: SeriesKey;
  label: string;
  unit: string;
  top: number;
  height: number;
  yTicks: Array<{ value: number; y: number }>;
  path: string;
  dots: ChartDot[];
  /** The shaded reference range (wpm, fillers) or the pass mark line (score). */
  band: { y1: number; y2: number; label: string } | null;
}

export interface ChartModel {
  width: number;
  height: number;
  plotLeft: number;
  plotRight: number;
  xTicks: Array<{ x: number; label: string }>;
  panels: ChartPanel[];
}

export interface ChartOptions {
  width?: number;
  panelHeight?: number;
  /** Formats the x-axis dates; the default is the user's locale. */
  formatDate?: (iso: string) => string;
  /** Pass mark drawn on the score panel (one scenario chosen). */
  passMark?: number | null;
}

const defaultFormatDate = (iso: string) =>
  new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });

const SERIES: Array<{ key: SeriesKey; label: string; unit: string; digits: number }> = [
  { key: 'score', label: 'Score', unit: '/100', digits: 0 },
  { key: 'wordsPerMinute', label: 'Words per minute', unit: 'wpm', digits: 0 },
  { key: 'fillersPer100Words', label: 'Fillers per 100 words', unit: 'per 100 words', digits: 1 },
];

function domainFor(key: SeriesKey, values: number[]): [number, number] {
  if (key === 'score') return [0, 100];
  const range = referenceRanges[key];
  const lo = Math.min(key === 'fillersPer100Words' ? 0 : range.low, ...values);
  const hi = Math.max(range.high, ...values);
  return niceDomain(Math.max(0, lo), hi);
}

/** Geometry of the stacked chart: one panel per series, sharing the x axis (attempts in order). */
export function buildChart(points: readonly ProgressPoint[], options: ChartOptions = {}): ChartModel {
  const width = options.width ?? 720;
  const panelHeight = options.panelHeight ?? 110;
  const formatDate = options.formatDate ?? defaultFormatDate;
  const plotLeft = 56;
  const plotRight = width - 16;
  const gap = 34;
  const top = 24;
  const n = points.length;
  const xAt = (i: number) =>
    n <= 1 ? (plotLeft + plotRight) / 2 : plotLeft + (i * (plotRight - plotLeft)) / (n - 1);

  const panels = SERIES.map((series, p): ChartPanel => {
    const panelTop = top + p * (panelHeight + gap);
    const bottom = panelTop + panelHeight;
    const values = points
      .map((pt) => pt[series.key])
      .filter((v): v is number => v !== null && Number.isFinite(v));
    const domain = domainFor(series.key, values);
    const y = linearScale(domain, [bottom, panelTop]);
    const coords = points.map((pt, i) => {
      const v = pt[series.key];
      return v === null || !Number.isFinite(v) ? null : { x: xAt(i), y: y(v), value: v, pt };
    });
    let band: ChartPanel['band'] = null;
    if (series.key === 'score') {
      if (options.passMark !== undefined && options.passMark !== null)
        band = { y1: y(options.passMark), y2: y(options.passMark), label: `pass mark ${options.passMark}` };
    } else {
      const r = referenceRanges[series.key];
      band = {
        y1: y(Math.min(r.high, domain[1])),
        y2: y(Math.max(r.low, domain[0])),
        label: `reference ${r.low}–${r.high}`,
      };
    }
    return {
      key: series.key,
      label: series.label,
      unit: series.unit,
      top: panelTop,
      height: panelHeight,
      yTicks: niceTicks(domain[0], domain[1], 3).map((value) => ({ value, y: y(value) })),
      path: linePath(coords),
      dots: coords.flatMap((c) =>
        c
          ? [
              {
                x: c.x,
                y: c.y,
                value: c.value,
                attemptId: c.pt.attemptId,
                title: `${formatDate(c.pt.createdAt)}: ${series.label.toLowerCase()} ${c.value.toFixed(series.digits)}`,
              },
            ]
          : [],
      ),
      band,
    };
  });

  const xTicks = tickIndices(n, 8).map((i) => ({ x: xAt(i), label: formatDate(points[i]?.createdAt ?? '') }));

  return {
    width,
    height: top + SERIES.length * panelHeight + (SERIES.length - 1) * gap + 28,
    plotLeft,
    plotRight,
    xTicks,
    panels,
  };
}

/** At most `max` indices spread evenly over 0..n-1, always the first and the last. */
export function tickIndices(n: number, max: number): number[] {
  if (n <= 0) return [];
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const picked = new Set<number>();
  for (let k = 0; k < max; k++) picked.add(Math.round((k * (n - 1)) / (max - 1)));
  return [...picked].sort((a, b) => a - b);
}

function trend(values: number[], digits: number): string | null {
  const first = values[0];
  const last = values[values.length - 1];
  if (first === undefined || last === undefined) return null;
  return values.length === 1
    ? first.toFixed(digits)
    : `from ${first.toFixed(digits)} to ${last.toFixed(digits)}`;
}

/** One or two sentences for the chart's aria-label. */
export function chartSummary(
  points: readonly ProgressPoint[],
  formatDate: (iso: string) => string = defaultFormatDate,
): string {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return 'Progress chart: no analysed attempts yet.';
  const span =
    points.length === 1
      ? `1 analysed attempt on ${formatDate(first.createdAt)}`
      : `${points.length} analysed attempts from ${formatDate(first.createdAt)} to ${formatDate(last.createdAt)}`;
  const parts: string[] = [];
  for (const s of SERIES) {
    const values = points.map((p) => p[s.key]).filter((v): v is number => v !== null);
    const t = trend(values, s.digits);
    if (t === null) continue;
    const best = s.key === 'score' && values.length > 1 ? `, best ${Math.max(...values).toFixed(0)}` : '';
    parts.push(`${s.label.toLowerCase()} ${t}${best}`);
  }
  return `Progress over ${span}: ${parts.length ? parts.join('; ') : 'no scores or metrics'}.`;
}
