import { describe, expect, it } from 'vitest';
import { combineJudgments } from '../../../../src/shared/analysis/combine-judgments';
import { buildFeedback } from '../../../../src/shared/analysis/feedback';
import type { CriterionVerdict, Judgment } from '../../../../src/shared/analysis/judgment';
import { makeMetrics, makeScenario } from '../../main/ai/judges/deterministic/fixtures';

const scenario = makeScenario(
  [
    {
      id: 'fuel',
      type: 'check',
      title: 'Fuel savings',
      description: 'Mentions fuel savings',
      weight: 3,
      required: true,
      checks: { keyMessages: ['fuel-savings'] },
    },
    {
      id: 'depot',
      type: 'check',
      title: 'Start small',
      description: 'Offers a one-depot start',
      weight: 1,
      checks: { keyMessages: ['one-depot'] },
    },
    {
      id: 'tone',
      type: 'rating',
      title: 'Tone',
      description: 'Calm and confident',
      weight: 1,
      levels: { 1: 'a', 2: 'b', 3: 'c', 4: 'd', 5: 'e' },
    },
  ],
  70,
);

const verdict = (
  criterionId: string,
  met: boolean | null,
  level: number | null,
  score: number | null,
  at?: number,
): CriterionVerdict => ({
  criterionId,
  met,
  level,
  score,
  evidence: at === undefined ? [] : [{ quote: `quote for ${criterionId}`, start: at, end: at + 2 }],
  rationale: `rationale for ${criterionId}`,
  judge: 'deterministic',
});

const judgment = (verdicts: CriterionVerdict[]): Judgment => ({
  judge: 'deterministic',
  verdicts,
  notes: [],
});

describe('buildFeedback', () => {
  it('scores by weight, fails on a missed required criterion and ties the top improvement to its moment', () => {
    const combined = combineJudgments(scenario, [
      judgment([
        verdict('fuel', false, null, 0),
        verdict('depot', true, null, 1, 30),
        verdict('tone', null, 5, 1, 12),
      ]),
    ]);
    const feedback = buildFeedback({
      scenario,
      packVersion: '1.0.0',
      combined,
      metrics: makeMetrics({ durationSeconds: 60 }),
      notes: ['No language model installed'],
      now: new Date('2026-01-01T00:00:00Z'),
    });
    // (3·0 + 1·1 + 1·1) / 5 = 40
    expect(feedback.score).toBe(40);
    expect(feedback.passed).toBe(false);
    expect(feedback.improvements[0]?.criterionId).toBe('fuel');
    // Nothing was said about fuel: the moment is the last 10 s of the answer.
    expect(feedback.improvements[0]?.moment.at).toBe(50);
    expect(feedback.strengths.map((s) => s.title)).toEqual(expect.arrayContaining(['Start small', 'Tone']));
    expect(feedback.strengths.find((s) => s.title === 'Start small')?.moment?.at).toBe(30);
    expect(feedback.nextPractice).toMatch(/fuel savings/i);
    expect(feedback.notes).toEqual(['No language model installed']);
    expect(feedback.criteria.map((c) => c.criterionId)).toEqual(['fuel', 'depot', 'tone']);
  });

  it('adds delivery improvements at the moment they happen, at most three in all', () => {
    const combined = combineJudgments(scenario, [
      judgment([
        verdict('fuel', true, null, 1, 5),
        verdict('depot', false, null, 0),
        verdict('tone', null, 2, 0.25, 20),
      ]),
    ]);
    const metrics = makeMetrics({
      wordCount: 200,
      fillerCount: 20,
      fillersPer100Words: 10,
      fillers: [{ text: 'um', start: 7.5, end: 7.8 }],
      pauses: [{ start: 40, end: 45.5, seconds: 5.5 }],
      longestPauseSeconds: 5.5,
    });
    const feedback = buildFeedback({ scenario, packVersion: '1.0.0', combined, metrics });
    expect(feedback.improvements).toHaveLength(3);
    const fillers = feedback.improvements.find((i) => i.metric === 'fillersPer100Words');
    expect(fillers?.moment.at).toBe(7.5);
    expect(feedback.passed).toBe(false);
  });

  it('reports a score of null when nothing could be judged, and says a coach will review', () => {
    const combined = combineJudgments(scenario, [judgment([])]);
    const feedback = buildFeedback({ scenario, packVersion: '1.0.0', combined, metrics: makeMetrics() });
    expect(feedback.score).toBeNull();
    expect(feedback.passed).toBe(false);
    expect(feedback.unjudged).toEqual(['fuel', 'depot', 'tone']);
  });
});
