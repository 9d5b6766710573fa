/**
 * Delivery checks: a metric from the DeliveryMetrics (computed elsewhere) against the criterion's
 * min and/or max (both inclusive). A metric that has no value for this answer (talkRatio of a
 * monologue, timeUsedRatio without a time limit) makes the check "unknown", not failed.
 */
import type { DeliveryMetrics } from '../../../../shared/metrics/delivery-metrics-types';
import type { Evidence } from '../../../../shared/analysis/judgment';
import type { CriterionChecks, DeliveryMetricName } from '../../../../shared/pack/schema';
import type { CheckResult } from './check-result';

type DeliveryCheck = NonNullable<CriterionChecks['delivery']>[number];

const METRIC_LABEL: Record<DeliveryMetricName, { name: string; unit: string; digits: number }> = {
  wordsPerMinute: { name: 'pace', unit: ' words per minute', digits: 0 },
  fillersPer100Words: { name: 'fillers', unit: ' per 100 words', digits: 1 },
  longestPauseSeconds: { name: 'longest pause', unit: ' s', digits: 1 },
  questionsAsked: { name: 'questions asked', unit: '', digits: 0 },
  hedgesPer100Words: { name: 'hedges', unit: ' per 100 words', digits: 1 },
  timeUsedRatio: { name: 'share of the time limit used', unit: '', digits: 2 },
  talkRatio: { name: 'your share of the talk time', unit: '', digits: 2 },
};

export function checkDelivery(check: DeliveryCheck, metrics: DeliveryMetrics, answer: Evidence): CheckResult {
  const value = metrics[check.metric];
  const l = METRIC_LABEL[check.metric];
  const fmt = (x: number) => `${x.toFixed(l.digits)}${l.unit}`;
  const range =
    check.min !== undefined && check.max !== undefined
      ? `${fmt(check.min)} to ${fmt(check.max)}`
      : check.min !== undefined
        ? `at least ${fmt(check.min)}`
        : `at most ${fmt(check.max ?? 0)}`;
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return {
      kind: 'delivery',
      id: check.metric,
      status: 'unknown',
      evidence: [],
      confidence: 0,
      message: `your ${l.name} could not be measured for this answer (target ${range})`,
    };
  }
  const low = check.min !== undefined && value < check.min;
  const high = check.max !== undefined && value > check.max;
  const pass = !low && !high;
  return {
    kind: 'delivery',
    id: check.metric,
    status: pass ? 'pass' : 'fail',
    evidence: [{ quote: '', start: answer.start, end: answer.end }],
    confidence: 1,
    message: `your ${l.name} was ${fmt(value)}${pass ? ', within' : low ? ', below' : ', above'} the target of ${range}`,
  };
}
