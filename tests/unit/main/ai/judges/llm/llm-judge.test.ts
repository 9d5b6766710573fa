import { describe, expect, it } from 'vitest';
import type {
  JsonCompletion,
  JsonCompletionRequest,
  JsonLlm,
} from '../../../../../../src/main/ai/llm/llm-runtime';
import { createLlmJudge, VOID_REASONS } from '../../../../../../src/main/ai/judges/llm/llm-judge';
import { isAppError } from '../../../../../../src/shared/errors';
import { noMetrics, pitchTranscript, scenario, transcriptFrom } from './llm-judge-fixtures';

type Answer = string | { cutOff: true } | { hang: true };

/** A stand-in model: answers by criterion title, waits for the abort signal when told to hang. */
function fakeLlm(
  answers: Record<string, Answer>,
  contextSize = 8192,
): JsonLlm & { requests: JsonCompletionRequest[] } {
  const requests: JsonCompletionRequest[] = [];
  return {
    modelName: 'fake-model',
    contextSize,
    requests,
    countTokens: (text) => Math.ceil(text.length / 4),
    completeJson: async (request): Promise<JsonCompletion> => {
      requests.push(request);
      const title = /^Criterion: (.*)$/m.exec(request.user)?.[1] ?? '';
      const answer = answers[title];
      if (answer === undefined) throw new Error(`no answer for ${title}`);
      if (typeof answer === 'object' && 'hang' in answer) {
        await new Promise((_, reject) =>
          request.signal?.addEventListener('abort', () => reject(request.signal?.reason)),
        );
      }
      const cut = typeof answer === 'object';
      const text = cut ? '{"evidence":"abc' : answer;
      return {
        text,
        complete: !cut,
        stopReason: cut ? 'maxTokens' : 'jsonEnd',
        promptTokens: 1,
        generatedTokens: 1,
      };
    },
  };
}

const input = { scenario, transcript: pitchTranscript, metrics: noMetrics };
const good = {
  'States the value':
    '{"evidence":"you restore in minutes","verdict":"met","rationale":"You named the value."}',
  'Stays compliant': '{"evidence":"","verdict":"met","rationale":"You made no promises."}',
  Clarity: '{"evidence":"simple to run","level":4,"rationale":"Crisp."}',
};

describe('LLM judge (fake model)', () => {
  it('turns grounded answers into verdicts with timed evidence', async () => {
    const judge = createLlmJudge({ runtime: fakeLlm(good) });
    const judgment = await judge.judge(input);
    expect(judgment.judge).toBe('llm');
    expect(judgment.model).toBe('fake-model');
    const [value, compliant, clarity] = judgment.verdicts;
    const words = pitchTranscript.segments[1]!.words;
    expect(value).toMatchObject({ criterionId: 'value', met: true, level: null, score: 1, judge: 'llm' });
    expect(value!.evidence).toEqual([
      { quote: 'you restore in minutes', start: words[3]!.start, end: words[6]!.end },
    ]);
    expect(compliant).toMatchObject({ met: true, score: 1, evidence: [] });
    expect(clarity).toMatchObject({ met: null, level: 4, score: 0.75, rationale: 'Crisp.' });
    expect(judgment.verdicts.every((v) => v.voided === undefined)).toBe(true);
  });

  it('sends the same system prompt for every criterion so the model can reuse it', async () => {
    const llm = fakeLlm(good);
    await createLlmJudge({ runtime: llm }).judge(input);
    expect(llm.requests).toHaveLength(3);
    expect(new Set(llm.requests.map((r) => r.system)).size).toBe(1);
    expect(llm.requests[0]!.system).toContain('[0:03] With our backup');
  });

  it('voids a verdict whose quote is not in the transcript, or that is cut off, or unsupported', async () => {
    const judge = createLlmJudge({
      runtime: fakeLlm({
        'States the value': '{"evidence":"we guarantee zero data loss","verdict":"met","rationale":"x"}',
        'Stays compliant': { cutOff: true },
        Clarity: '{"evidence":"","level":5,"rationale":"Great."}',
      }),
    });
    const judgment = await judge.judge(input);
    expect(judgment.verdicts.map((v) => v.voided)).toEqual([
      VOID_REASONS.quoteNotFound,
      VOID_REASONS.cutOff,
      VOID_REASONS.noQuote,
    ]);
    for (const v of judgment.verdicts)
      expect(v).toMatchObject({ met: null, level: null, score: null, evidence: [] });
    expect(judgment.notes.join(' ')).toContain('3 of 3 AI verdicts were discarded');
  });

  it('accepts a negative verdict without a quote but not a forbidden phrase claim without one', async () => {
    const judgment = await createLlmJudge({
      runtime: fakeLlm({
        'States the value': '{"evidence":"","verdict":"not_met","rationale":"x"}',
        'Stays compliant': '{"evidence":"","verdict":"not_met","rationale":"x"}',
        Clarity: '{"evidence":"","level":1,"rationale":"x"}',
      }),
    }).judge(input);
    expect(judgment.verdicts.map((v) => v.score)).toEqual([0, null, 0]);
    expect(judgment.verdicts[1]!.voided).toBe(VOID_REASONS.noQuote);
  });

  it('reports progress once per criterion, increasing to 1', async () => {
    const fractions: number[] = [];
    await createLlmJudge({ runtime: fakeLlm(good) }).judge(input, { onProgress: (f) => fractions.push(f) });
    expect(fractions).toEqual([1 / 3, 2 / 3, 1]);
  });

  it('rejects with CANCELLED when aborted mid-generation', async () => {
    const controller = new AbortController();
    const judge = createLlmJudge({ runtime: fakeLlm({ ...good, 'Stays compliant': { hang: true } }) });
    const run = judge.judge(input, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toSatisfy((e) => isAppError(e) && e.code === 'CANCELLED');
  });

  it('rejects with TIMEOUT when the judgment takes too long', async () => {
    const judge = createLlmJudge({
      runtime: fakeLlm({ ...good, 'States the value': { hang: true } }),
      timeoutMs: 20,
    });
    await expect(judge.judge(input)).rejects.toSatisfy((e) => isAppError(e) && e.code === 'TIMEOUT');
  });

  it('truncates a transcript that does not fit the context and says so in the notes', async () => {
    const long = transcriptFrom(
      Array.from({ length: 200 }, (_, i) => `In minute ${i} we talked about backups and restores.`),
    );
    const llm = fakeLlm(good, 2048);
    const judgment = await createLlmJudge({ runtime: llm, maxTokensPerCriterion: 128 }).judge({
      ...input,
      transcript: long,
    });
    expect(judgment.notes.join(' ')).toMatch(
      /too long for the AI judge's context: it did not see \d+:\d\d–\d+:\d\d/,
    );
    const system = llm.requests[0]!.system;
    expect(system).toContain('In minute 0 ');
    expect(system).toContain('In minute 199 ');
    expect(system).toContain('left out');
  });

  it('refuses a context too small for the rubric', async () => {
    await expect(createLlmJudge({ runtime: fakeLlm(good, 300) }).judge(input)).rejects.toSatisfy(
      (e) => isAppError(e) && e.code === 'MODEL_INVALID',
    );
  });

  it('does not call the model for an empty transcript', async () => {
    const llm = fakeLlm(good);
    const judgment = await createLlmJudge({ runtime: llm }).judge({
      ...input,
      transcript: transcriptFrom([]),
    });
    expect(llm.requests).toHaveLength(0);
    expect(judgment.verdicts.every((v) => v.voided === VOID_REASONS.emptyTranscript)).toBe(true);
  });
});
