import { describe, expect, it } from 'vitest';
import {
  createDeterministicJudge,
  NO_CHECKS_RATIONALE,
  ratingLevel,
} from '../../../../../../src/main/ai/judges/deterministic';
import { AppError } from '../../../../../../src/shared/errors';
import { makeMetrics, makeScenario } from './fixtures';
import { makeTranscript, wordStart } from './make-transcript';

const answer = makeTranscript([
  "That's a fair point.",
  'How many trucks do you run?',
  'It lowers what you spend on fuel.',
  'Does that address your concern?',
]);

const base = { type: 'check', title: 'T', description: 'D' };

describe('deterministic judge', () => {
  it('meets a check criterion when every listed check passes, with evidence and times', async () => {
    const scenario = makeScenario([
      { ...base, id: 'messages', checks: { keyMessages: ['fuel-savings'], questions: ['fleet-size'] } },
      { ...base, id: 'both-messages', checks: { keyMessages: ['fuel-savings', 'one-depot'] } },
    ]);
    const judgment = await createDeterministicJudge().judge({
      scenario,
      transcript: answer,
      metrics: makeMetrics(),
    });
    expect(judgment.judge).toBe('deterministic');
    const [messages, both] = judgment.verdicts;
    expect(messages).toMatchObject({
      criterionId: 'messages',
      met: true,
      level: null,
      score: 1,
      judge: 'deterministic',
    });
    // "How many trucks do you run?" starts at word 4; the fuel sentence at word 10
    expect(messages?.evidence.map((e) => e.start)).toEqual([wordStart(10), wordStart(4)]);
    expect(messages?.rationale).toMatch(/^You covered "Route optimisation reduces fuel costs" at 0:04/);
    expect(both).toMatchObject({ met: false, score: 0 });
    expect(both?.rationale).toContain('You did not get across "You can start with one depot"');
  });

  it('fails avoidForbiddenPhrases when one is said, citing it', async () => {
    const scenario = makeScenario([{ ...base, id: 'compliance', checks: { avoidForbiddenPhrases: true } }]);
    const transcript = makeTranscript(['I hear you.', "I guarantee you'll save money."]);
    const { verdicts } = await createDeterministicJudge().judge({
      scenario,
      transcript,
      metrics: makeMetrics(),
    });
    expect(verdicts[0]).toMatchObject({ met: false, score: 0 });
    expect(verdicts[0]?.evidence[0]).toMatchObject({ quote: "guarantee you'll save", start: wordStart(4) });
  });

  it('checks delivery metrics against min and max, quoting the numbers', async () => {
    const scenario = makeScenario([
      { ...base, id: 'pace', checks: { delivery: [{ metric: 'wordsPerMinute', min: 120, max: 170 }] } },
      { ...base, id: 'fillers', checks: { delivery: [{ metric: 'fillersPer100Words', max: 1 }] } },
      { ...base, id: 'talk', checks: { delivery: [{ metric: 'talkRatio', max: 0.6 }] } },
    ]);
    const metrics = makeMetrics({ wordsPerMinute: 150, fillersPer100Words: 2.5, talkRatio: null });
    const { verdicts } = await createDeterministicJudge().judge({ scenario, transcript: answer, metrics });
    expect(verdicts[0]).toMatchObject({ met: true, score: 1 });
    expect(verdicts[0]?.rationale).toContain(
      '150 words per minute, within the target of 120 words per minute to 170',
    );
    expect(verdicts[0]?.evidence[0]).toMatchObject({ quote: '', start: 0 });
    expect(verdicts[1]).toMatchObject({ met: false, score: 0 });
    expect(verdicts[1]?.rationale).toContain(
      '2.5 per 100 words, above the target of at most 1.0 per 100 words',
    );
    // a metric with no value for a monologue cannot be judged
    expect(verdicts[2]).toMatchObject({ met: null, score: null });
  });

  it('rates a rating criterion by the share of checks passed', async () => {
    const scenario = makeScenario([
      {
        id: 'handling',
        type: 'rating',
        title: 'Objection handling',
        description: 'D',
        levels: { 1: 'a', 2: 'b', 3: 'c', 4: 'd', 5: 'e' },
        checks: {
          objectionSteps: ['acknowledge', 'clarify', 'respond', 'confirm'],
          keyMessages: ['one-depot'],
        },
      },
    ]);
    const { verdicts } = await createDeterministicJudge().judge({
      scenario,
      transcript: answer,
      metrics: makeMetrics(),
    });
    // 4 of 5 checks pass (the depot message is missing) → 1 + round(4 × 0.8) = 4
    expect(verdicts[0]).toMatchObject({ met: null, level: 4, score: 0.75 });
    expect(verdicts[0]?.evidence).toHaveLength(4);
  });

  it('leaves criteria without checks to the LLM judge or a coach', async () => {
    const scenario = makeScenario([{ ...base, id: 'rapport' }]);
    const judgment = await createDeterministicJudge().judge({
      scenario,
      transcript: answer,
      metrics: makeMetrics(),
    });
    expect(judgment.verdicts[0]).toMatchObject({
      met: null,
      level: null,
      score: null,
      rationale: NO_CHECKS_RATIONALE,
    });
    expect(judgment.notes.join(' ')).toContain('1 of 1 criteria need the LLM judge');
  });

  it('reports progress and stops with CANCELLED when aborted', async () => {
    const scenario = makeScenario([
      { ...base, id: 'a', checks: { keyMessages: ['fuel-savings'] } },
      { ...base, id: 'b', checks: { keyMessages: ['one-depot'] } },
    ]);
    const progress: number[] = [];
    await createDeterministicJudge().judge(
      { scenario, transcript: answer, metrics: makeMetrics() },
      { onProgress: (f) => progress.push(f) },
    );
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    expect([...progress].sort((x, y) => x - y)).toEqual(progress);

    const controller = new AbortController();
    const run = createDeterministicJudge().judge(
      { scenario, transcript: answer, metrics: makeMetrics() },
      { signal: controller.signal, onProgress: (f) => f > 0.5 && controller.abort() },
    );
    await expect(run).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'CANCELLED');
  });

  it('maps the share of checks passed to levels 1-5', () => {
    expect([0, 1, 2, 3, 4].map((p) => ratingLevel(p, 4))).toEqual([1, 2, 3, 4, 5]);
    expect(ratingLevel(1, 3)).toBe(2);
    expect(ratingLevel(2, 3)).toBe(4);
  });
});
