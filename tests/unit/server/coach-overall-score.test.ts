import { describe, expect, it } from 'vitest';
import { combineJudgments } from '../../../src/shared/analysis/combine-judgments';
import type { Judgment } from '../../../src/shared/analysis/judgment';
import { coachOverallScore } from '../../../src/server/submissions/coach-review';
import { makeScenario } from '../main/ai/judges/deterministic/fixtures';

const levels = { 1: 'a', 2: 'b', 3: 'c', 4: 'd', 5: 'e' };
const scenario = makeScenario(
  [
    { id: 'messages', type: 'check', title: 'Key messages', description: 'D', weight: 3 },
    { id: 'structure', type: 'rating', title: 'Structure', description: 'D', weight: 1, levels },
    { id: 'rapport', type: 'rating', title: 'Rapport', description: 'D', weight: 2, levels },
  ],
  60,
);

describe("the coach review's overall score", () => {
  const scores: [string, number | null][] = [
    ['messages', 1],
    ['structure', 0],
    ['rapport', null],
  ];

  it('without a coach overall, is the weighted overall score the AI uses (not the plain mean)', () => {
    const judgment: Judgment = {
      judge: 'deterministic',
      verdicts: scores.map(([criterionId, score]) => ({
        criterionId,
        met: null,
        level: null,
        score,
        evidence: [],
        rationale: 'r',
        judge: 'deterministic',
      })),
      notes: [],
    };
    const ai = combineJudgments(scenario, [judgment]).score;
    const coach = coachOverallScore(
      scenario.rubric,
      scores.map(([criterionId, coachScore]) => ({ criterionId, coachScore, note: null })),
      undefined,
    );
    expect(ai).toBe(75); // (3·1 + 1·0) / (3 + 1)
    expect(coach).toBe(ai);
  });

  it("keeps the coach's own overall score, and is null when nothing is scored", () => {
    const criteria = scores.map(([criterionId, coachScore]) => ({ criterionId, coachScore, note: null }));
    expect(coachOverallScore(scenario.rubric, criteria, 40)).toBe(40);
    expect(coachOverallScore(scenario.rubric, [], null)).toBeNull();
  });
});
