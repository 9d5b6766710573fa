import { describe, expect, it } from 'vitest';
import type { DeliveryMetrics } from '../../../src/shared/metrics/delivery-metrics-types';
import type { CriterionResult, Feedback } from '../../../src/shared/analysis/feedback';
import type { AttemptReview } from '../../../src/shared/api/types';
import type { Scenario } from '../../../src/shared/pack/schema';
import {
  compareAttempts,
  distanceFromRange,
  formatDelta,
  judgeChange,
  orderPair,
} from '../../../src/renderer/src/features/progress/comparison';

const criterion = (id: string, over: Partial<CriterionResult> = {}): CriterionResult => ({
  criterionId: id,
  title: `Criterion ${id}`,
  type: 'check',
  weight: 1,
  required: false,
  met: true,
  level: null,
  score: 1,
  evidence: [],
  rationale: '',
  judge: 'deterministic',
  ...over,
});

const metrics = (over: Partial<DeliveryMetrics> = {}): DeliveryMetrics => ({
  durationSeconds: 100,
  speakingSeconds: 90,
  wordCount: 250,
  wordsPerMinute: 150,
  paceOverTime: [],
  fillerCount: 5,
  fillersPer100Words: 2,
  fillers: [],
  pauses: [],
  pauseCount: 2,
  longestPauseSeconds: 2,
  pausesOver2s: 1,
  longestStretchSeconds: 30,
  questionsAsked: 1,
  questions: [],
  hedgeCount: 0,
  hedgesPer100Words: 0,
  hedges: [],
  timeLimitSeconds: 120,
  timeUsedRatio: 0.8,
  talkRatio: null,
  ...over,
});

function review(
  id: string,
  createdAt: string,
  feedback: Partial<Feedback> | null,
  m: DeliveryMetrics | null = metrics(),
  scenarioId = 's',
): AttemptReview {
  return {
    attempt: {
      id,
      programId: 'p',
      scenarioId,
      packVersion: '1.0.0',
      mode: 'practice',
      status: feedback ? 'analysed' : 'recorded',
      createdAt,
      durationSeconds: 100,
      score: feedback?.score ?? null,
      passed: feedback?.passed ?? null,
      recordings: [],
      stages: [],
      hasTranscript: true,
      feedback: null,
      interrupted: false,
      sync: null,
      result: null,
    },
    scenario: { id: scenarioId, title: `Scenario ${scenarioId}`, passMark: 70 } as Scenario,
    transcript: null,
    metrics: m,
    feedback: feedback
      ? ({ score: 60, passed: false, passMark: 70, criteria: [], ...feedback } as Feedback)
      : null,
  };
}

describe('judgeChange', () => {
  it('judges higher-is-better and lower-is-better numbers', () => {
    expect(judgeChange(60, 72, 'higher')).toBe('better');
    expect(judgeChange(72, 60, 'higher')).toBe('worse');
    expect(judgeChange(3, 1, 'lower')).toBe('better');
    expect(judgeChange(1, 3, 'lower')).toBe('worse');
    expect(judgeChange(5, 5, 'lower')).toBe('same');
  });

  it('ignores differences too small to show', () => {
    expect(judgeChange(2.04, 2.01, 'lower', 1)).toBe('same');
    expect(judgeChange(72.2, 71.9, 'higher')).toBe('same');
  });

  it('prefers values closer to a reference range, and calls two in-range values the same', () => {
    expect(distanceFromRange('wordsPerMinute', 190)).toBe(20);
    expect(distanceFromRange('wordsPerMinute', 150)).toBe(0);
    expect(judgeChange(190, 175, { range: 'wordsPerMinute' })).toBe('better');
    expect(judgeChange(120, 100, { range: 'wordsPerMinute' })).toBe('worse');
    expect(judgeChange(145, 165, { range: 'wordsPerMinute' })).toBe('same');
    // Overshooting the other way can still be better.
    expect(judgeChange(200, 135, { range: 'wordsPerMinute' })).toBe('better');
  });

  it('says nothing for missing values or neutral measures', () => {
    expect(judgeChange(null, 3, 'higher')).toBe('none');
    expect(judgeChange(1, 3, 'neutral')).toBe('none');
  });
});

describe('formatDelta', () => {
  it('signs the difference at the shown precision', () => {
    expect(formatDelta(60, 72)).toBe('+12');
    expect(formatDelta(2.5, 1.3, 1)).toBe('−1.2');
    expect(formatDelta(80, 80.2, 0, ' pts')).toBe('0 pts');
    expect(formatDelta(null, 1)).toBeNull();
  });
});

describe('compareAttempts', () => {
  const early = review(
    'early',
    '2026-03-01T10:00:00Z',
    {
      score: 55,
      passed: false,
      criteria: [criterion('a', { met: false, score: 0 }), criterion('b'), criterion('gone')],
    },
    metrics({ wordsPerMinute: 195, fillersPer100Words: 6.2, timeUsedRatio: 1.2 }),
  );
  const late = review(
    'late',
    '2026-03-05T10:00:00Z',
    {
      score: 78.4,
      passed: true,
      criteria: [
        criterion('a'),
        criterion('b', { met: false, score: 0 }),
        criterion('new', { type: 'rating', met: null, level: 4, score: 0.75 }),
      ],
    },
    metrics({ wordsPerMinute: 160, fillersPer100Words: 2.1, timeUsedRatio: 0.9 }),
  );

  it('puts the earlier attempt first whatever the order picked', () => {
    expect(orderPair(late, early).map((r) => r.attempt.id)).toEqual(['early', 'late']);
    const c = compareAttempts(late, early);
    expect(c.earlier.attempt.id).toBe('early');
    expect(c.later.attempt.id).toBe('late');
    expect(c.sameScenario).toBe(true);
  });

  it('compares score and result', () => {
    const rows = compareAttempts(early, late).rows;
    expect(rows.find((r) => r.key === 'score')).toMatchObject({
      earlier: '55',
      later: '78',
      delta: '+23',
      change: 'better',
    });
    expect(rows.find((r) => r.key === 'result')).toMatchObject({
      earlier: 'Not passed',
      later: 'Passed',
      change: 'better',
    });
    expect(rows.some((r) => r.key === 'passMark')).toBe(false);
  });

  it('lines criteria up by id, including ones only one attempt has', () => {
    const rows = compareAttempts(early, late).rows.filter((r) => r.group === 'criteria');
    expect(rows.map((r) => [r.key, r.earlier, r.later, r.change])).toEqual([
      ['criterion:a', 'Not met', 'Met', 'better'],
      ['criterion:b', 'Met', 'Not met', 'worse'],
      ['criterion:gone', 'Met', '—', 'none'],
      ['criterion:new', '—', 'Level 4 of 5', 'none'],
    ]);
    expect(rows[0]?.delta).toBe('+100 pts');
  });

  it('compares delivery metrics with their direction', () => {
    const rows = new Map(
      compareAttempts(early, late)
        .rows.filter((r) => r.group === 'delivery')
        .map((r) => [r.key, r]),
    );
    expect(rows.get('metric:wordsPerMinute')).toMatchObject({
      earlier: '195',
      later: '160',
      delta: '−35',
      change: 'better',
    });
    expect(rows.get('metric:fillersPer100Words')).toMatchObject({
      earlier: '6.2',
      later: '2.1',
      change: 'better',
    });
    expect(rows.get('metric:timeUsedRatio')).toMatchObject({
      earlier: '120%',
      later: '90%',
      delta: '−30 pts',
      change: 'better',
    });
    expect(rows.get('metric:questionsAsked')).toMatchObject({ change: 'none', delta: '0' });
    expect(rows.get('metric:longestPauseSeconds')).toMatchObject({ earlier: '2.0 s', change: 'same' });
    // A monologue has no talk ratio: no row.
    expect(rows.has('metric:talkRatio')).toBe(false);
  });

  it('copes with an attempt that has no feedback or metrics', () => {
    const bare = review('bare', '2026-03-09T10:00:00Z', null, null);
    const c = compareAttempts(early, bare);
    expect(c.rows.find((r) => r.key === 'score')).toMatchObject({ later: '—', change: 'none', delta: null });
    expect(c.rows.find((r) => r.key === 'result')).toMatchObject({ later: 'Not analysed', change: 'none' });
    expect(c.rows.find((r) => r.key === 'metric:wordsPerMinute')).toMatchObject({
      later: '—',
      change: 'none',
    });
  });

  it('flags different scenarios and different pass marks', () => {
    const other = review(
      'other',
      '2026-03-09T10:00:00Z',
      { score: 80, passed: true, passMark: 80 },
      metrics(),
      't',
    );
    const c = compareAttempts(early, other);
    expect(c.sameScenario).toBe(false);
    expect(c.rows.find((r) => r.key === 'passMark')).toMatchObject({ earlier: '70', later: '80' });
  });

  it('leaves out per-word rates of a silent attempt', () => {
    const silent = review(
      'silent',
      '2026-03-09T10:00:00Z',
      { score: 0 },
      metrics({ wordCount: 0, wordsPerMinute: 0 }),
    );
    const row = compareAttempts(early, silent).rows.find((r) => r.key === 'metric:wordsPerMinute');
    expect(row).toMatchObject({ earlier: '195', later: '—', change: 'none' });
  });
});
