/**
 * Pure shaping of the side-by-side comparison of two attempts: rows for the overall result, each
 * criterion and the key delivery metrics, with the change from the earlier attempt to the later one
 * judged better or worse. Unit-tested in tests/unit/renderer/progress-comparison.test.ts.
 */
import type { DeliveryMetrics } from '../../../../shared/metrics/delivery-metrics-types';
import type { AttemptReview } from '../../../../shared/api/types';
import { referenceRanges, type RangedMetric } from '../../../../shared/metrics/reference-ranges';
import { verdictView } from '../review/report';

export type Change = 'better' | 'worse' | 'same' | 'none';

export interface ComparisonRow {
  key: string;
  label: string;
  group: 'overall' | 'criteria' | 'delivery';
  earlier: string;
  later: string;
  /** Signed difference, e.g. "+6", "−1.2", "+5 pts"; null when it does not apply. */
  delta: string | null;
  change: Change;
}

export interface Comparison {
  earlier: AttemptReview;
  later: AttemptReview;
  sameScenario: boolean;
  rows: ComparisonRow[];
}

/** Which way is better for a number: higher, lower, inside a reference range, or neither. */
type Preference = 'higher' | 'lower' | { range: RangedMetric } | 'neutral';

const EPSILON = 1e-9;

/** The distance of a value outside a range (0 inside). */
export function distanceFromRange(metric: RangedMetric, value: number): number {
  const r = referenceRanges[metric];
  return value < r.low ? r.low - value : value > r.high ? value - r.high : 0;
}

/**
 * Whether going from `a` to `b` is an improvement. Values are compared as shown (rounded to
 * `digits`), so a change too small to see is never called better or worse.
 */
export function judgeChange(a: number | null, b: number | null, preference: Preference, digits = 0): Change {
  if (a === null || b === null || preference === 'neutral') return 'none';
  const factor = 10 ** digits;
  const ra = Math.round(a * factor) / factor;
  const rb = Math.round(b * factor) / factor;
  let diff: number;
  if (preference === 'higher') diff = rb - ra;
  else if (preference === 'lower') diff = ra - rb;
  else diff = distanceFromRange(preference.range, ra) - distanceFromRange(preference.range, rb);
  if (Math.abs(diff) < EPSILON) return 'same';
  return diff > 0 ? 'better' : 'worse';
}

/** "+6", "−1.2", "0"; with a unit suffix such as " pts". */
export function formatDelta(a: number | null, b: number | null, digits = 0, suffix = ''): string | null {
  if (a === null || b === null) return null;
  const factor = 10 ** digits;
  const d = Math.round((b - a) * factor) / factor;
  if (Math.abs(d) < EPSILON) return `0${suffix}`;
  return `${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(digits)}${suffix}`;
}

/** Orders two reviews by when they were recorded (earlier first). */
export function orderPair(a: AttemptReview, b: AttemptReview): [AttemptReview, AttemptReview] {
  return a.attempt.createdAt.localeCompare(b.attempt.createdAt) <= 0 ? [a, b] : [b, a];
}

interface MetricSpec {
  key: keyof DeliveryMetrics;
  label: string;
  digits: number;
  preference: Preference;
  /** Shown as a percentage (value × 100), the delta in percentage points. */
  percent?: boolean;
  unit?: string;
  /** Rates per word are meaningless without words. */
  needsWords?: boolean;
}

const METRICS: MetricSpec[] = [
  {
    key: 'wordsPerMinute',
    label: 'Words per minute',
    digits: 0,
    preference: { range: 'wordsPerMinute' },
    needsWords: true,
  },
  {
    key: 'fillersPer100Words',
    label: 'Fillers per 100 words',
    digits: 1,
    preference: 'lower',
    needsWords: true,
  },
  {
    key: 'hedgesPer100Words',
    label: 'Hedges per 100 words',
    digits: 1,
    preference: 'lower',
    needsWords: true,
  },
  { key: 'longestPauseSeconds', label: 'Longest pause', digits: 1, preference: 'lower', unit: ' s' },
  { key: 'pausesOver2s', label: 'Pauses over 2 s', digits: 0, preference: 'lower' },
  { key: 'questionsAsked', label: 'Questions asked', digits: 0, preference: 'neutral' },
  {
    key: 'timeUsedRatio',
    label: 'Time used',
    digits: 0,
    preference: { range: 'timeUsedRatio' },
    percent: true,
  },
  {
    key: 'talkRatio',
    label: 'Share of talk time',
    digits: 0,
    preference: { range: 'talkRatio' },
    percent: true,
  },
  { key: 'durationSeconds', label: 'Recording length', digits: 0, preference: 'neutral', unit: ' s' },
];

function metricValue(m: DeliveryMetrics | null, spec: MetricSpec): number | null {
  if (!m) return null;
  if (spec.needsWords && m.wordCount === 0) return null;
  const v = m[spec.key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function metricRow(
  spec: MetricSpec,
  a: DeliveryMetrics | null,
  b: DeliveryMetrics | null,
): ComparisonRow | null {
  const va = metricValue(a, spec);
  const vb = metricValue(b, spec);
  if (va === null && vb === null) return null;
  const scale = spec.percent ? 100 : 1;
  const show = (v: number | null) =>
    v === null ? '—' : `${(v * scale).toFixed(spec.digits)}${spec.percent ? '%' : (spec.unit ?? '')}`;
  const sa = va === null ? null : va * scale;
  const sb = vb === null ? null : vb * scale;
  // Range preferences compare raw values; round them at the displayed precision first.
  const digits = spec.percent ? spec.digits + 2 : spec.digits;
  return {
    key: `metric:${spec.key}`,
    label: spec.label,
    group: 'delivery',
    earlier: show(va),
    later: show(vb),
    delta: formatDelta(sa, sb, spec.digits, spec.percent ? ' pts' : (spec.unit ?? '')),
    change: judgeChange(va, vb, spec.preference, digits),
  };
}

function criterionRows(earlier: AttemptReview, later: AttemptReview): ComparisonRow[] {
  const a = earlier.feedback?.criteria ?? [];
  const b = later.feedback?.criteria ?? [];
  const byIdB = new Map(b.map((c) => [c.criterionId, c]));
  const ids = [
    ...a.map((c) => c.criterionId),
    ...b.map((c) => c.criterionId).filter((id) => !a.some((c) => c.criterionId === id)),
  ];
  const byIdA = new Map(a.map((c) => [c.criterionId, c]));
  return ids.map((id) => {
    const ca = byIdA.get(id);
    const cb = byIdB.get(id);
    const sa = ca?.score ?? null;
    const sb = cb?.score ?? null;
    return {
      key: `criterion:${id}`,
      label: cb?.title ?? ca?.title ?? id,
      group: 'criteria' as const,
      earlier: ca ? verdictView(ca).label : '—',
      later: cb ? verdictView(cb).label : '—',
      delta: formatDelta(sa === null ? null : sa * 100, sb === null ? null : sb * 100, 0, ' pts'),
      change: judgeChange(sa, sb, 'higher', 2),
    };
  });
}

const resultText = (r: AttemptReview) =>
  r.feedback ? (r.feedback.passed ? 'Passed' : 'Not passed') : 'Not analysed';

/** The comparison of two attempts, the earlier on the left whatever order they were picked in. */
export function compareAttempts(first: AttemptReview, second: AttemptReview): Comparison {
  const [earlier, later] = orderPair(first, second);
  const scoreA = earlier.feedback?.score ?? null;
  const scoreB = later.feedback?.score ?? null;
  const rows: ComparisonRow[] = [
    {
      key: 'score',
      label: 'Score',
      group: 'overall',
      earlier: scoreA === null ? '—' : String(Math.round(scoreA)),
      later: scoreB === null ? '—' : String(Math.round(scoreB)),
      delta: formatDelta(scoreA, scoreB),
      change: judgeChange(scoreA, scoreB, 'higher'),
    },
    {
      key: 'result',
      label: 'Result',
      group: 'overall',
      earlier: resultText(earlier),
      later: resultText(later),
      delta: null,
      change:
        earlier.feedback && later.feedback
          ? judgeChange(Number(earlier.feedback.passed), Number(later.feedback.passed), 'higher')
          : 'none',
    },
  ];
  const passA = earlier.feedback?.passMark ?? earlier.scenario.passMark;
  const passB = later.feedback?.passMark ?? later.scenario.passMark;
  if (passA !== passB)
    rows.push({
      key: 'passMark',
      label: 'Pass mark',
      group: 'overall',
      earlier: String(passA),
      later: String(passB),
      delta: null,
      change: 'none',
    });
  rows.push(...criterionRows(earlier, later));
  for (const spec of METRICS) {
    const row = metricRow(spec, earlier.metrics, later.metrics);
    if (row) rows.push(row);
  }
  return {
    earlier,
    later,
    sameScenario:
      earlier.attempt.programId === later.attempt.programId &&
      earlier.attempt.scenarioId === later.attempt.scenarioId,
    rows,
  };
}
