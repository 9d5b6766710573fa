/** Delivery metrics: pure functions over a Transcript. */
export { computeDeliveryMetrics, type DeliveryMetricsOptions } from './compute-delivery-metrics';
export { detectFillers, isFillerLike, type FillerOptions } from './fillers';
export { detectHedges, HEDGE_PHRASES } from './hedges';
export { canonicalFiller, normalizeWord } from './normalize';
export {
  DEFAULT_PAUSE_THRESHOLD,
  LONG_PAUSE_SECONDS,
  findPauses,
  longestStretch,
  summarizePauses,
} from './pauses';
export { detectQuestions } from './questions';
export {
  rateAgainstRange,
  referenceRanges,
  type RangeRating,
  type RangedMetric,
  type ReferenceRange,
  type SourceKind,
} from './reference-ranges';
export { splitSentences, type Sentence } from './sentences';
export { DEFAULT_PACE_WINDOW_SECONDS, paceOverTime, totalSpanSeconds, wordsPerMinute } from './speaking-rate';
export { talkRatio } from './talk-ratio';
export { timeUsedRatio } from './time-limit';
export {
  buildTimeline,
  selectPartner,
  tokenizeText,
  type MetricToken,
  type Span,
  type Timeline,
} from './timeline';
