import { describe, expect, it } from 'vitest';
import {
  buildCriterionPrompt,
  buildInstructions,
  buildSystemPrompt,
  fitTranscript,
  formatTime,
  transcriptLines,
} from '../../../../../../src/main/ai/judges/llm/prompt';
import {
  parseModelVerdict,
  verdictJsonSchema,
} from '../../../../../../src/main/ai/judges/llm/verdict-schema';
import { pitchTranscript, scenario, transcriptFrom } from './llm-judge-fixtures';

const limits = { maxQuoteChars: 120, maxRationaleChars: 200 };
const [value, compliant, clarity] = scenario.rubric as [
  (typeof scenario.rubric)[number],
  (typeof scenario.rubric)[number],
  (typeof scenario.rubric)[number],
];
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('prompt building', () => {
  it('puts the brief, the persona and the limits in the instructions', () => {
    const text = buildInstructions(scenario, pitchTranscript, limits);
    expect(text).toContain(scenario.brief);
    expect(text).toContain('Dana, IT manager at Acme. Busy.');
    expect(text).toContain('at most 120 characters');
    expect(text).toContain('at most 200 characters');
  });

  it('timestamps every transcript line', () => {
    const system = buildSystemPrompt(
      'X',
      transcriptLines(pitchTranscript)
        .map((l) => `[${formatTime(l.start)}] ${l.text}`)
        .join('\n'),
    );
    expect(system).toContain('[0:00] Hi Dana, thanks for your time.');
    expect(system).toContain('[0:03] With our backup you restore in minutes, not days.');
    expect(formatTime(3725.9)).toBe('1:02:05');
  });

  it('splits long segments into lines with their own timestamps', () => {
    const long = transcriptFrom([Array.from({ length: 90 }, (_, i) => `w${i}`).join(' ')]);
    const lines = transcriptLines(long, 40);
    expect(lines.map((l) => words(l.text))).toEqual([40, 40, 10]);
    expect(lines[1]!.start).toBe(long.segments[0]!.words[40]!.start);
  });

  it('lists only the key messages a check criterion refers to, and asks for met/not_met', () => {
    const text = buildCriterionPrompt(scenario, value);
    expect(text).toContain('Criterion: States the value');
    expect(text).toContain('Restores take minutes (e.g. "restore in minutes")');
    expect(text).not.toContain('guaranteed');
    expect(text).toContain('"met"');
  });

  it('lists forbidden phrases with reasons only when the criterion checks them', () => {
    expect(buildCriterionPrompt(scenario, compliant)).toContain('"guaranteed" (No guarantees.)');
  });

  it('spells out the five levels for a rating criterion', () => {
    const text = buildCriterionPrompt(scenario, clarity);
    for (const level of ['1: Unclear', '2: Vague', '3: Clear', '4: Crisp', '5: Excellent'])
      expect(text).toContain(level);
    expect(text).not.toContain('"met"');
  });
});

describe('transcript fitting', () => {
  const countTokens = (text: string) => words(text);
  const lines = transcriptLines(
    transcriptFrom(Array.from({ length: 30 }, (_, i) => `sentence ${i} has five words`)),
  );

  it('keeps everything when it fits', () => {
    const fitted = fitTranscript(lines, 10_000, countTokens);
    expect(fitted.omitted).toBeNull();
    expect(fitted.text.split('\n')).toHaveLength(30);
  });

  it('keeps the head and the tail within the budget and marks the gap', () => {
    const budget = 100;
    const fitted = fitTranscript(lines, budget, countTokens);
    const out = fitted.text.split('\n');
    expect(fitted.omitted).not.toBeNull();
    expect(out[0]).toContain('sentence 0 ');
    expect(out.at(-1)).toContain('sentence 29 ');
    expect(out.some((l) => l.includes('left out'))).toBe(true);
    expect(out.reduce((sum, l) => sum + countTokens(l) + 1, 0)).toBeLessThanOrEqual(budget);
    expect(fitted.omitted!.lines).toBe(30 - (out.length - 1));
  });
});

describe('verdict schema', () => {
  it('constrains levels with an enum, not min/max', () => {
    expect(JSON.stringify(verdictJsonSchema(clarity, limits))).toContain('"enum":[1,2,3,4,5]');
    expect(JSON.stringify(verdictJsonSchema(value, limits))).toContain('"enum":["met","not_met"]');
  });

  it('accepts a well-formed answer', () => {
    const parsed = parseModelVerdict(clarity, '{"evidence":" hi ","level":4,"rationale":"Clear."}', limits);
    expect(parsed).toEqual({
      ok: true,
      verdict: { kind: 'rating', evidence: 'hi', level: 4, rationale: 'Clear.' },
    });
  });

  it('rejects malformed JSON, out-of-range levels and over-long strings', () => {
    expect(parseModelVerdict(clarity, '{"evidence":"', limits)).toEqual({
      ok: false,
      reason: 'model output was not valid JSON',
    });
    const bad = { ok: false, reason: 'model output did not match the verdict schema' };
    expect(parseModelVerdict(clarity, '{"evidence":"","level":5908171717,"rationale":""}', limits)).toEqual(
      bad,
    );
    expect(
      parseModelVerdict(value, `{"evidence":"${'x'.repeat(121)}","verdict":"met","rationale":""}`, limits),
    ).toEqual(bad);
    expect(parseModelVerdict(value, '{"evidence":"","verdict":"maybe","rationale":""}', limits)).toEqual(bad);
  });
});
