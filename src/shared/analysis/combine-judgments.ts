/**
 * Combines the judgments of an attempt (deterministic, LLM) into one verdict per criterion, a
 * score and a pass/fail decision. The rule, per criterion (also in docs/judging.md):
 *   1. the LLM verdict, when there is one, it is not voided and it judged (score not null);
 *   2. else the deterministic verdict, when there is one;
 *   3. else an unjudged verdict (met/level/score null).
 * score  = 100 × Σ weight·score / Σ weight over the criteria that have a score (null when none):
 *          overallScore, the one definition shared with the coach's review.
 * passed = score ≥ passMark and every required criterion met (check: met; rating: level ≥
 *          passLevel). A required criterion nobody could judge means not passed.
 */
import type { CriterionVerdict, Judgment } from './judgment';
import type { Criterion, Scenario } from '../pack/schema';
import { overallScore } from './overall-score';

export interface CombinedJudgment {
  /** One per rubric criterion, in rubric order. */
  verdicts: CriterionVerdict[];
  /** 0-100 over the judged criteria (weights renormalised over them); null when none was judged. */
  score: number | null;
  passed: boolean;
  /** Why the attempt did not pass (empty when it passed). */
  reasons: string[];
  /** Ids of criteria no judge could score. */
  unjudged: string[];
  /** Which judgments were given: deterministic yes/no; the LLM's model (or "llm") or null. */
  judgedBy: { deterministic: boolean; llm: string | null };
}

const UNJUDGED_RATIONALE = 'Not judged automatically: a coach will review this criterion.';

export function combineJudgments(scenario: Scenario, judgments: readonly Judgment[]): CombinedJudgment {
  const llm = judgments.find((j) => j.judge === 'llm');
  const deterministic = judgments.find((j) => j.judge === 'deterministic');
  const find = (j: Judgment | undefined, id: string) => j?.verdicts.find((v) => v.criterionId === id);

  const verdicts = scenario.rubric.map((criterion): CriterionVerdict => {
    const fromLlm = find(llm, criterion.id);
    if (fromLlm && !fromLlm.voided && fromLlm.score !== null) return fromLlm;
    const fromDeterministic = find(deterministic, criterion.id);
    if (fromDeterministic) return fromDeterministic;
    return {
      criterionId: criterion.id,
      met: null,
      level: null,
      score: null,
      evidence: [],
      rationale: UNJUDGED_RATIONALE,
      judge: 'deterministic',
    };
  });

  const unjudged = scenario.rubric.filter((_, i) => (verdicts[i]?.score ?? null) === null).map((c) => c.id);
  const scoreById = new Map(verdicts.map((v) => [v.criterionId, v.score]));
  const score = overallScore(scenario.rubric, (id) => scoreById.get(id));

  const reasons: string[] = [];
  if (score === null) reasons.push('No criterion could be judged automatically.');
  else if (score < scenario.passMark)
    reasons.push(`The score ${score} is below the pass mark ${scenario.passMark}.`);
  scenario.rubric.forEach((criterion, i) => {
    if (!criterion.required) return;
    const state = requiredState(criterion, verdicts[i] as CriterionVerdict);
    if (state === 'unjudged') reasons.push(`Required criterion "${criterion.title}" could not be judged.`);
    else if (state === 'unmet') reasons.push(`Required criterion "${criterion.title}" is not met.`);
  });

  return {
    verdicts,
    score,
    passed: reasons.length === 0,
    reasons,
    unjudged,
    judgedBy: { deterministic: deterministic !== undefined, llm: llm ? (llm.model ?? 'llm') : null },
  };
}

function requiredState(criterion: Criterion, verdict: CriterionVerdict): 'met' | 'unmet' | 'unjudged' {
  if (criterion.type === 'check') return verdict.met === null ? 'unjudged' : verdict.met ? 'met' : 'unmet';
  return verdict.level === null ? 'unjudged' : verdict.level >= criterion.passLevel ? 'met' : 'unmet';
}
