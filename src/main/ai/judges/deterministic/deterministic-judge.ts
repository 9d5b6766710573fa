/**
 * The deterministic content judge: runs each criterion's `checks` against the transcript and the
 * delivery metrics, with no model. See docs/judging.md for the rules and their limits.
 *
 *  - check criterion: met when every check that could be run passed.
 *  - rating criterion: level = 1 + round(4 × passed / run), so 0% → 1, 25% → 2, 50% → 3, 75% → 4,
 *    100% → 5.
 *  - checks that cannot be run (a metric with no value) are left out of both rules; a criterion
 *    with no checks, or none that could run, gets met/level null ("needs the LLM judge or a coach").
 */
import type { DeliveryMetrics } from '../../../../shared/metrics/delivery-metrics-types';
import {
  type CriterionVerdict,
  type Evidence,
  type Judge,
  type JudgeInput,
  type JudgeOptions,
  type Judgment,
  verdictScore,
} from '../../../../shared/analysis/judgment';
import { AppError } from '../../../../shared/errors';
import type { Criterion, Scenario } from '../../../../shared/pack/schema';
import type { CheckResult } from './check-result';
import { checkDelivery } from './delivery-checks';
import { checkForbiddenPhrases } from './forbidden-phrases';
import { checkKeyMessage } from './key-messages';
import { nlpResources } from './nlp-resources';
import { checkObjectionSteps } from './objection-steps';
import { checkRequiredQuestion } from './required-questions';
import { type AnalysedText, analyseTranscript } from './text-analysis';

export const NO_CHECKS_RATIONALE =
  'This criterion has no automatic checks: it needs the LLM judge or a coach.';

/** Rating level 1-5 from the share of checks passed. */
export function ratingLevel(passed: number, run: number): number {
  return 1 + Math.round((4 * passed) / run);
}

/** Runs every check a criterion lists, in the order: key messages, questions, forbidden, steps, delivery. */
export function runCriterionChecks(
  text: AnalysedText,
  scenario: Scenario,
  metrics: DeliveryMetrics,
  criterion: Criterion,
): CheckResult[] {
  const checks = criterion.checks;
  if (!checks) return [];
  const results: CheckResult[] = [];
  for (const id of checks.keyMessages ?? []) {
    const message = scenario.keyMessages.find((k) => k.id === id);
    if (message) results.push(checkKeyMessage(text, message));
  }
  for (const id of checks.questions ?? []) {
    const question = scenario.requiredQuestions.find((q) => q.id === id);
    if (question) results.push(checkRequiredQuestion(text, question));
  }
  if (checks.avoidForbiddenPhrases && scenario.forbiddenPhrases.length > 0) {
    results.push(checkForbiddenPhrases(text, scenario.forbiddenPhrases));
  }
  if (checks.objectionSteps?.length)
    results.push(...checkObjectionSteps(text, scenario, checks.objectionSteps));
  if (checks.delivery?.length) {
    const answer = answerSpan(text, metrics);
    for (const d of checks.delivery) results.push(checkDelivery(d, metrics, answer));
  }
  return results;
}

function answerSpan(text: AnalysedText, metrics: DeliveryMetrics): Evidence {
  const first = text.words[0];
  const last = text.words[text.words.length - 1];
  return first && last
    ? { quote: '', start: first.start, end: last.end }
    : { quote: '', start: 0, end: metrics.durationSeconds };
}

/** Turns check results into the criterion's verdict (rules in the file comment). */
export function verdictFromChecks(criterion: Criterion, results: CheckResult[]): CriterionVerdict {
  const run = results.filter((r) => r.status !== 'unknown');
  const evidence = results.flatMap((r) => r.evidence);
  if (run.length === 0) {
    const why = results.length > 0 ? `${sentence(results.map((r) => r.message))} ` : '';
    return {
      criterionId: criterion.id,
      met: null,
      level: null,
      score: null,
      evidence,
      rationale: `${why}${NO_CHECKS_RATIONALE}`,
      judge: 'deterministic',
    };
  }
  const passed = run.filter((r) => r.status === 'pass').length;
  const met = criterion.type === 'check' ? passed === run.length : null;
  const level = criterion.type === 'rating' ? ratingLevel(passed, run.length) : null;
  const fails = results.filter((r) => r.status === 'fail').map((r) => r.message);
  const passes = results.filter((r) => r.status === 'pass').map((r) => r.message);
  const unknown = results.filter((r) => r.status === 'unknown').map((r) => r.message);
  const rationale = [sentence(passes), sentence(fails), sentence(unknown)].filter(Boolean).join(' ');
  return {
    criterionId: criterion.id,
    met,
    level,
    score: verdictScore(criterion, met, level),
    evidence,
    rationale,
    judge: 'deterministic',
  };
}

/** "You covered A at 0:42, B at 1:05 and 2 more." */
function sentence(parts: string[]): string {
  if (parts.length === 0) return '';
  const shown = parts.slice(0, 3);
  const rest = parts.length - shown.length;
  const list =
    rest > 0
      ? `${shown.join('; ')}; and ${rest} more`
      : shown.length > 1
        ? `${shown.slice(0, -1).join('; ')}; and ${shown[shown.length - 1]}`
        : (shown[0] as string);
  return `${list.charAt(0).toUpperCase()}${list.slice(1)}.`;
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new AppError('CANCELLED', 'Content judging was cancelled', {
      hint: 'Start the analysis again to judge this attempt.',
    });
  }
}

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createDeterministicJudge(): Judge {
  return {
    name: 'deterministic',
    async judge(input: JudgeInput, options: JudgeOptions = {}): Promise<Judgment> {
      const { signal, onProgress } = options;
      throwIfCancelled(signal);
      onProgress?.(0, 'Loading language resources');
      nlpResources();
      await yieldToEvents();
      throwIfCancelled(signal);
      onProgress?.(0.1, 'Analysing the transcript');
      const text = analyseTranscript(input.transcript);
      const rubric = input.scenario.rubric;
      const verdicts: CriterionVerdict[] = [];
      for (const [i, criterion] of rubric.entries()) {
        await yieldToEvents();
        throwIfCancelled(signal);
        verdicts.push(
          criterion.checks
            ? verdictFromChecks(criterion, runCriterionChecks(text, input.scenario, input.metrics, criterion))
            : verdictFromChecks(criterion, []),
        );
        onProgress?.(0.2 + (0.8 * (i + 1)) / rubric.length, `Checked "${criterion.title}"`);
      }
      const unjudged = verdicts.filter((v) => v.score === null).length;
      const notes = [
        'Checked by matching your words, their stems and WordNet synonyms against the scenario; paraphrases far from the example phrasings can be missed.',
      ];
      if (text.words.length === 0)
        notes.push('The transcript has no words from you, so nothing could be found.');
      if (unjudged > 0) notes.push(`${unjudged} of ${rubric.length} criteria need the LLM judge or a coach.`);
      return { judge: 'deterministic', verdicts, notes };
    },
  };
}
