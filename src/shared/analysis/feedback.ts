/**
 * The feedback report a partner reads after an attempt, and the pure function that builds it from
 * the combined judgment and the delivery metrics. Stored with the attempt as JSON.
 */
import { formatClock } from '../text/format';
import type { Criterion, Scenario } from '../pack/schema';
import type { DeliveryMetrics } from '../metrics/delivery-metrics-types';
import type { CombinedJudgment } from './combine-judgments';
import type { CriterionVerdict, Evidence } from './judgment';
import { referenceRanges } from '../metrics/reference-ranges';

const PACE = referenceRanges.wordsPerMinute;

export interface CriterionResult {
  criterionId: string;
  title: string;
  type: Criterion['type'];
  weight: number;
  required: boolean;
  met: boolean | null;
  level: number | null;
  score: number | null;
  evidence: Evidence[];
  rationale: string;
  judge: CriterionVerdict['judge'];
}

export interface Moment {
  /** Seconds from the start of the recording; the UI seeks the video here. */
  at: number;
  end?: number;
  quote?: string;
}

export interface Improvement {
  title: string;
  detail: string;
  moment: Moment;
  criterionId?: string;
  metric?: keyof DeliveryMetrics;
}

export interface Strength {
  title: string;
  detail: string;
  moment?: Moment;
}

export interface Feedback {
  scenarioId: string;
  packVersion: string;
  /** 0-100; null when no criterion could be judged automatically. */
  score: number | null;
  passMark: number;
  passed: boolean;
  reasons: string[];
  criteria: CriterionResult[];
  improvements: Improvement[];
  strengths: Strength[];
  nextPractice: string;
  judgedBy: CombinedJudgment['judgedBy'];
  /** Criteria no judge could score: a coach reviews them. */
  unjudged: string[];
  /** Honest remarks on how this was judged (e.g. "No language model installed: …"). */
  notes: string[];
  createdAt: string;
}

const quoted = (title: string) => (/^["“]/.test(title) ? title : `"${title}"`);

/** Where in the recording a criterion's shortfall is best shown. */
function criterionMoment(verdict: CriterionVerdict, metrics: DeliveryMetrics): Moment {
  const first = verdict.evidence.find((e) => e.quote);
  if (first) return { at: first.start, end: first.end, quote: first.quote };
  // Nothing said that addresses it: point at the end of the answer, where it could have been added.
  return { at: Math.max(0, metrics.durationSeconds - 10), end: metrics.durationSeconds };
}

function deliveryImprovements(metrics: DeliveryMetrics): Array<Improvement & { priority: number }> {
  const out: Array<Improvement & { priority: number }> = [];
  if (metrics.wordCount >= 20 && metrics.fillersPer100Words > 5) {
    const first = metrics.fillers[0];
    out.push({
      title: 'Cut the filler words',
      detail: `You used ${metrics.fillerCount} fillers (${metrics.fillersPer100Words.toFixed(1)} per 100 words). Pause silently instead of saying "${first?.text ?? 'um'}".`,
      moment: { at: first?.start ?? 0, end: first?.end, quote: first?.text },
      metric: 'fillersPer100Words',
      priority: Math.min(1, metrics.fillersPer100Words / 15) * 0.6,
    });
  }
  if (metrics.wordCount >= 20 && (metrics.wordsPerMinute > 185 || metrics.wordsPerMinute < 110)) {
    const fast = metrics.wordsPerMinute > 185;
    const window = [...metrics.paceOverTime].sort((a, b) =>
      fast ? b.wordsPerMinute - a.wordsPerMinute : a.wordsPerMinute - b.wordsPerMinute,
    )[0];
    out.push({
      title: fast ? 'Slow down' : 'Pick up the pace',
      detail: `You spoke at ${Math.round(metrics.wordsPerMinute)} words per minute; aim for ${PACE.low}-${PACE.high}${window ? `, especially around ${formatClock(window.start)}` : ''}.`,
      moment: { at: window?.start ?? 0, end: window?.end },
      metric: 'wordsPerMinute',
      priority: 0.45,
    });
  }
  const longest = [...metrics.pauses].sort((a, b) => b.seconds - a.seconds)[0];
  if (longest && longest.seconds > 3) {
    out.push({
      title: 'Avoid long silences',
      detail: `You paused for ${longest.seconds.toFixed(1)} s at ${formatClock(longest.start)}. A short bridge ("Let me put that in numbers…") keeps the customer with you.`,
      moment: { at: longest.start, end: longest.end },
      metric: 'longestPauseSeconds',
      priority: 0.35,
    });
  }
  if (metrics.timeUsedRatio !== null && metrics.timeUsedRatio > 1.05) {
    out.push({
      title: 'Finish within the time limit',
      detail: `You used ${Math.round(metrics.timeUsedRatio * 100)}% of the allowed time. Lead with the key message so the close is not cut off.`,
      moment: { at: metrics.timeLimitSeconds ?? metrics.durationSeconds },
      metric: 'timeUsedRatio',
      priority: 0.5,
    });
  }
  return out;
}

/** Builds the report. Pure: the same inputs give the same report (apart from `createdAt`). */
export function buildFeedback(input: {
  scenario: Scenario;
  packVersion: string;
  combined: CombinedJudgment;
  metrics: DeliveryMetrics;
  /** How it was judged, for the partner (e.g. that no language model is installed). */
  notes?: string[];
  /** False when word timings were estimated (plain-text transcript): no pace or pause advice then. */
  timingsMeasured?: boolean;
  now?: Date;
}): Feedback {
  const { scenario, combined, metrics } = input;
  const byId = new Map(combined.verdicts.map((v) => [v.criterionId, v]));
  const totalWeight = scenario.rubric.reduce((sum, c) => sum + c.weight, 0) || 1;

  const criteria: CriterionResult[] = scenario.rubric.map((c) => {
    const v = byId.get(c.id);
    return {
      criterionId: c.id,
      title: c.title,
      type: c.type,
      weight: c.weight,
      required: c.required,
      met: v?.met ?? null,
      level: v?.level ?? null,
      score: v?.score ?? null,
      evidence: v?.evidence ?? [],
      rationale: v?.rationale ?? 'Not judged.',
      judge: v?.judge ?? 'deterministic',
    };
  });

  const criterionImprovements = scenario.rubric.flatMap((c) => {
    const v = byId.get(c.id);
    if (!v || v.score === null || v.score >= 0.75) return [];
    const shortfall = (c.weight / totalWeight) * (1 - v.score);
    return [
      {
        title: c.title,
        detail: v.rationale,
        moment: criterionMoment(v, metrics),
        criterionId: c.id,
        priority: shortfall + (c.required ? 1 : 0),
      },
    ];
  });

  const timed = input.timingsMeasured !== false;
  const improvements = [...criterionImprovements, ...(timed ? deliveryImprovements(metrics) : [])]
    .sort((a, b) => b.priority - a.priority)
    .slice(0, 3)
    .map(({ priority: _priority, ...rest }) => rest);

  const strengths: Strength[] = scenario.rubric.flatMap((c) => {
    const v = byId.get(c.id);
    if (!v || v.score === null || v.score < 0.75) return [];
    const e = v.evidence.find((x) => x.quote);
    return [
      {
        title: c.title,
        detail: v.rationale,
        ...(e ? { moment: { at: e.start, end: e.end, quote: e.quote } } : {}),
      },
    ];
  });
  if (metrics.wordCount >= 20 && metrics.fillersPer100Words <= 2)
    strengths.push({ title: 'Clean delivery', detail: `Only ${metrics.fillerCount} filler words.` });
  if (
    timed &&
    metrics.wordCount >= 20 &&
    metrics.wordsPerMinute >= PACE.low &&
    metrics.wordsPerMinute <= PACE.high
  )
    strengths.push({
      title: 'Good pace',
      detail: `${Math.round(metrics.wordsPerMinute)} words per minute is easy to follow.`,
    });

  const top = improvements[0];
  const nextPractice = combined.passed
    ? `You passed this practice run. Record it once more to make it consistent, then submit a formal attempt when you are ready.`
    : top
      ? `Practise ${quoted(scenario.title)} again and focus on one thing: ${top.title.toLowerCase()}. Watch the moment at ${formatClock(top.moment.at)} first.`
      : `Practise ${quoted(scenario.title)} again and cover each criterion in the rubric.`;

  return {
    scenarioId: scenario.id,
    packVersion: input.packVersion,
    score: combined.score === null ? null : Math.round(combined.score * 10) / 10,
    passMark: scenario.passMark,
    passed: combined.passed,
    reasons: combined.reasons,
    criteria,
    improvements,
    strengths,
    nextPractice,
    judgedBy: combined.judgedBy,
    unjudged: combined.unjudged,
    notes: input.notes ?? [],
    createdAt: (input.now ?? new Date()).toISOString(),
  };
}
