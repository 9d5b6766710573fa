/**
 * Pure shaping of an attempt review for the screen: verdict labels, who judged it, delivery
 * metrics against their reference ranges, why there is no feedback. Unit-tested in
 * tests/unit/renderer/review-report.test.ts.
 */
import type { DeliveryMetrics } from '../../../../shared/metrics/delivery-metrics-types';
import type { CriterionResult, Feedback } from '../../../../shared/analysis/feedback';
import type { AttemptDetail, RecordingInfo } from '../../../../shared/api/types';
import {
  rateAgainstRange,
  referenceRanges,
  type RangeRating,
  type RangedMetric,
  type SourceKind,
} from '../../../../shared/metrics/reference-ranges';

/** The recording to play: the video, else the audio. */
export function playableRecording(attempt: Pick<AttemptDetail, 'recordings'>): RecordingInfo | null {
  return (
    attempt.recordings.find((r) => r.kind === 'video') ??
    attempt.recordings.find((r) => r.kind === 'audio') ??
    null
  );
}

export type VerdictTone = 'met' | 'unmet' | 'partial' | 'unjudged';

export interface VerdictView {
  label: string;
  tone: VerdictTone;
  /** "75%", or null when not scored. */
  score: string | null;
}

/** How a criterion came out, in words: "Met", "Not met", "Level 3 of 5", "Not judged". */
export function verdictView(c: Pick<CriterionResult, 'type' | 'met' | 'level' | 'score'>): VerdictView {
  const score = c.score === null ? null : `${Math.round(c.score * 100)}%`;
  if (c.type === 'rating') {
    if (c.level === null) return { label: 'Not judged', tone: 'unjudged', score };
    const tone: VerdictTone = c.level >= 4 ? 'met' : c.level <= 2 ? 'unmet' : 'partial';
    return { label: `Level ${c.level} of 5`, tone, score };
  }
  if (c.met === null) return { label: 'Not judged', tone: 'unjudged', score };
  return c.met ? { label: 'Met', tone: 'met', score } : { label: 'Not met', tone: 'unmet', score };
}

/** Who judged the content, in one sentence. */
export function judgedByText(judgedBy: Feedback['judgedBy']): string {
  if (judgedBy.deterministic && judgedBy.llm)
    return `Rule-based checks and the on-device language model ${judgedBy.llm}.`;
  if (judgedBy.llm) return `The on-device language model ${judgedBy.llm}.`;
  if (judgedBy.deterministic) return 'Rule-based checks only (no language model was used).';
  return 'No automatic judge could score this attempt.';
}

/** Titles of the criteria left for a coach, in rubric order. */
export function unjudgedTitles(feedback: Pick<Feedback, 'unjudged' | 'criteria'>): string[] {
  const titles = new Map(feedback.criteria.map((c) => [c.criterionId, c.title]));
  return feedback.unjudged.map((id) => titles.get(id) ?? id);
}

/** The overall score rounded as the partner sees it; "—" when nothing could be scored. */
export const formatScore = (score: number | null): string =>
  score === null ? '—' : String(Math.round(score));

export interface MetricRow {
  metric: RangedMetric;
  label: string;
  value: string;
  range: string;
  rating: RangeRating;
  /** Words for the rating, e.g. "Too fast", "In range". */
  verdict: string;
  source: string;
  sourceKind: SourceKind;
}

interface MetricSpec {
  label: string;
  format: (value: number) => string;
  low: string;
  high: string;
}

const percent = (v: number) => `${Math.round(v * 100)}%`;
const oneDecimal = (v: number) => v.toFixed(1);

const METRIC_SPECS: Record<RangedMetric, MetricSpec> = {
  wordsPerMinute: { label: 'Speaking rate', format: (v) => String(Math.round(v)), low: 'Slow', high: 'Fast' },
  fillersPer100Words: { label: 'Filler words', format: oneDecimal, low: 'Few', high: 'Too many' },
  hedgesPer100Words: { label: 'Hedging words', format: oneDecimal, low: 'Few', high: 'Too many' },
  longestPauseSeconds: { label: 'Longest pause', format: oneDecimal, low: 'Short', high: 'Too long' },
  pausesOver2s: {
    label: 'Pauses over 2 s',
    format: (v) => String(Math.round(v)),
    low: 'Few',
    high: 'Too many',
  },
  talkRatio: { label: 'Your share of talk time', format: percent, low: 'Too little', high: 'Too much' },
  timeUsedRatio: { label: 'Time used', format: percent, low: 'Short', high: 'Over the limit' },
};

const PERCENT_METRICS: ReadonlySet<RangedMetric> = new Set(['talkRatio', 'timeUsedRatio']);

function formatRange(metric: RangedMetric): string {
  const r = referenceRanges[metric];
  if (PERCENT_METRICS.has(metric)) return `${percent(r.low)}–${percent(r.high)}`;
  return r.low === 0 ? `≤ ${r.high} ${r.unit}` : `${r.low}–${r.high} ${r.unit}`;
}

function unitSuffix(metric: RangedMetric): string {
  if (PERCENT_METRICS.has(metric)) return '';
  const unit = referenceRanges[metric].unit;
  return unit === 'count' ? '' : ` ${unit}`;
}

/** The delivery metrics that have a reference range, each rated against it. Null metrics are left out. */
export function metricRows(metrics: DeliveryMetrics): MetricRow[] {
  const values: Record<RangedMetric, number | null> = {
    wordsPerMinute: metrics.wordCount > 0 ? metrics.wordsPerMinute : null,
    fillersPer100Words: metrics.wordCount > 0 ? metrics.fillersPer100Words : null,
    hedgesPer100Words: metrics.wordCount > 0 ? metrics.hedgesPer100Words : null,
    longestPauseSeconds: metrics.longestPauseSeconds,
    pausesOver2s: metrics.pausesOver2s,
    talkRatio: metrics.talkRatio,
    timeUsedRatio: metrics.timeUsedRatio,
  };
  const rows: MetricRow[] = [];
  for (const metric of Object.keys(METRIC_SPECS) as RangedMetric[]) {
    const value = values[metric];
    if (value === null || !Number.isFinite(value)) continue;
    const spec = METRIC_SPECS[metric];
    const rating = rateAgainstRange(metric, value);
    const range = referenceRanges[metric];
    rows.push({
      metric,
      label: spec.label,
      value: `${spec.format(value)}${unitSuffix(metric)}`,
      range: formatRange(metric),
      rating,
      verdict: rating === 'ok' ? 'In range' : rating === 'low' ? spec.low : spec.high,
      source: range.source,
      sourceKind: range.kind,
    });
  }
  return rows;
}

export const SOURCE_KIND_LABEL: Record<SourceKind, string> = {
  'peer-reviewed': 'Published research',
  industry: 'Industry analysis',
  default: 'Rehearse default',
};

/** Plain facts with no range: length, talk time, words, questions. */
export function metricFacts(metrics: DeliveryMetrics): Array<{ label: string; value: string }> {
  const seconds = (v: number) => `${Math.round(v)} s`;
  return [
    { label: 'Recording length', value: seconds(metrics.durationSeconds) },
    { label: 'Speaking time', value: seconds(metrics.speakingSeconds) },
    { label: 'Words', value: String(metrics.wordCount) },
    { label: 'Questions asked', value: String(metrics.questionsAsked) },
  ];
}

export interface MissingFeedback {
  title: string;
  detail: string | null;
  /** Whether "Analyse" makes sense now (not while it runs, not for a recording-less attempt). */
  canAnalyse: boolean;
  /** Whether an analysis is under way (link to its progress instead). */
  running: boolean;
}

/** Why an attempt has no feedback, and what the partner can do about it. */
export function missingFeedback(
  attempt: Pick<AttemptDetail, 'status' | 'stages' | 'recordings'>,
): MissingFeedback {
  const hasRecording = attempt.recordings.length > 0;
  const failed = attempt.stages.find((s) => s.status === 'failed');
  if (attempt.status === 'analysing')
    return { title: 'This attempt is being analysed.', detail: null, canAnalyse: false, running: true };
  if (!hasRecording)
    return {
      title: 'This attempt has no recording to analyse.',
      detail: 'Record the scenario again to get feedback.',
      canAnalyse: false,
      running: false,
    };
  if (failed)
    return {
      title: `Analysis failed at the ${failed.stage} stage.`,
      detail: failed.error ?? 'No error message was recorded.',
      canAnalyse: true,
      running: false,
    };
  const cancelled = attempt.stages.find((s) => s.status === 'cancelled');
  if (cancelled)
    return {
      title: `Analysis was cancelled at the ${cancelled.stage} stage.`,
      detail: 'Analysing again resumes where it stopped.',
      canAnalyse: true,
      running: false,
    };
  return {
    title: 'This attempt has not been analysed yet.',
    detail: 'Analysis runs on this computer; nothing is uploaded.',
    canAnalyse: true,
    running: false,
  };
}
