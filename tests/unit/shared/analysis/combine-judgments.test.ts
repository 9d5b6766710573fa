import { describe, expect, it } from 'vitest';
import { combineJudgments } from '../../../../src/shared/analysis/combine-judgments';
import type { CriterionVerdict, Judgment } from '../../../../src/shared/analysis/judgment';
import { makeScenario } from '../../main/ai/judges/deterministic/fixtures';

const levels = { 1: 'a', 2: 'b', 3: 'c', 4: 'd', 5: 'e' };
const scenario = makeScenario(
  [
    { id: 'messages', type: 'check', title: 'Key messages', description: 'D', weight: 3, required: true },
    {
      id: 'structure',
      type: 'rating',
      title: 'Structure',
      description: 'D',
      weight: 1,
      levels,
      passLevel: 3,
    },
    { id: 'rapport', type: 'rating', title: 'Rapport', description: 'D', weight: 2, levels },
  ],
  60,
);

const v = (
  criterionId: string,
  judge: 'deterministic' | 'llm',
  fields: Partial<CriterionVerdict>,
): CriterionVerdict => ({
  criterionId,
  met: null,
  level: null,
  score: null,
  evidence: [],
  rationale: `${judge} on ${criterionId}`,
  judge,
  ...fields,
});

const deterministic: Judgment = {
  judge: 'deterministic',
  notes: [],
  verdicts: [
    v('messages', 'deterministic', { met: true, score: 1 }),
    v('structure', 'deterministic', { level: 2, score: 0.25 }),
    v('rapport', 'deterministic', {}),
  ],
};

describe('combineJudgments', () => {
  it('uses deterministic verdicts alone, weighting over the judged criteria and reporting the unjudged', () => {
    const result = combineJudgments(scenario, [deterministic]);
    // (3 × 1 + 1 × 0.25) / 4 = 81.25 → 81.3
    expect(result.score).toBe(81.3);
    expect(result.unjudged).toEqual(['rapport']);
    expect(result.passed).toBe(true);
    expect(result.judgedBy).toEqual({ deterministic: true, llm: null });
  });

  it('prefers an LLM verdict unless it is voided or did not judge', () => {
    const llm: Judgment = {
      judge: 'llm',
      model: 'qwen2.5-1.5b-instruct-q4_k_m',
      notes: [],
      verdicts: [
        v('messages', 'llm', { met: false, score: 0, voided: 'quote not found in the transcript' }),
        v('structure', 'llm', { level: 5, score: 1 }),
        v('rapport', 'llm', { level: 3, score: 0.5 }),
      ],
    };
    const result = combineJudgments(scenario, [deterministic, llm]);
    expect(result.verdicts.map((x) => x.judge)).toEqual(['deterministic', 'llm', 'llm']);
    // (3 × 1 + 1 × 1 + 2 × 0.5) / 6 = 83.3
    expect(result.score).toBe(83.3);
    expect(result.unjudged).toEqual([]);
    expect(result.judgedBy.llm).toBe('qwen2.5-1.5b-instruct-q4_k_m');
  });

  it('does not pass when a required criterion is not met, whatever the score', () => {
    const failing: Judgment = {
      ...deterministic,
      verdicts: [
        v('messages', 'deterministic', { met: false, score: 0 }),
        v('structure', 'deterministic', { level: 5, score: 1 }),
      ],
    };
    const result = combineJudgments(makeScenario(scenario.rubric, 20), [failing]);
    expect(result.score).toBe(25);
    expect(result.passed).toBe(false);
    expect(result.reasons).toEqual(['Required criterion "Key messages" is not met.']);
  });

  it('does not pass when a required criterion could not be judged, and says so', () => {
    const result = combineJudgments(scenario, [
      { ...deterministic, verdicts: [v('structure', 'deterministic', { level: 5, score: 1 })] },
    ]);
    expect(result.score).toBe(100);
    expect(result.passed).toBe(false);
    expect(result.reasons).toEqual(['Required criterion "Key messages" could not be judged.']);
    expect(result.verdicts[0]).toMatchObject({ criterionId: 'messages', score: null });
  });

  it('fails below the pass mark and when nothing was judged', () => {
    const low: Judgment = {
      ...deterministic,
      verdicts: [
        v('messages', 'deterministic', { met: true, score: 1 }),
        v('structure', 'deterministic', { level: 1, score: 0 }),
      ],
    };
    expect(combineJudgments(makeScenario(scenario.rubric, 90), [low])).toMatchObject({
      score: 75,
      passed: false,
    });
    const none = combineJudgments(scenario, []);
    expect(none).toMatchObject({ score: null, passed: false, judgedBy: { deterministic: false, llm: null } });
    expect(none.unjudged).toEqual(['messages', 'structure', 'rapport']);
  });
});
