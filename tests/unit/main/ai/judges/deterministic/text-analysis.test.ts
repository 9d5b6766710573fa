import { describe, expect, it } from 'vitest';
import {
  analyseTranscript,
  evidenceFor,
} from '../../../../../../src/main/ai/judges/deterministic/text-analysis';
import { nlpResources } from '../../../../../../src/main/ai/judges/deterministic/nlp-resources';
import { makeTranscript, wordStart } from './make-transcript';

describe('text analysis', () => {
  it('maps every token back to the transcript word it came from', () => {
    const text = analyseTranscript(makeTranscript(['Hello there.', "We can't start today, sorry."]));
    const tokenTexts = text.tokens.map((t) => `${t.text}@${t.word}`);
    // "can't" is two tokens, both from word 3; punctuation belongs to the word it is glued to
    expect(tokenTexts).toEqual([
      'Hello@0',
      'there@1',
      '.@1',
      'We@2',
      'ca@3',
      "n't@3",
      'start@4',
      'today@5',
      ',@5',
      'sorry@6',
      '.@6',
    ]);
    expect(text.sentences).toHaveLength(2);
    const ev = evidenceFor(text, 4, 6);
    expect(ev).toEqual({
      quote: "can't start",
      start: wordStart(3),
      end: expect.closeTo(wordStart(4) + 0.36, 5),
    });
  });

  it('flags negated words and questions with or without a question mark', () => {
    const text = analyseTranscript(
      makeTranscript([
        'I cannot guarantee savings.',
        'So what budget did you have in mind.',
        'Does that work for you?',
      ]),
    );
    const negated = text.tokens.filter((t) => t.negated).map((t) => t.normal);
    expect(negated).toEqual(['guarantee', 'savings']);
    expect(text.sentences.map((s) => s.question)).toEqual([false, true, true]);
  });

  it('uses the shared question rule: free relatives are statements, tags and indirect questions are not', () => {
    const text = analyseTranscript(
      makeTranscript([
        'What we do is routing software.',
        'How we help is routing.',
        'I wonder if you could tell me about your depots.',
        'You run twelve vans, right.',
      ]),
    );
    expect(text.sentences.map((s) => s.question)).toEqual([false, false, true, true]);
  });

  it('judges only the partner in a two-speaker transcript', () => {
    const t = makeTranscript(['This is too expensive.', 'I hear you.']);
    t.segments[0]!.speaker = 'customer';
    t.segments[1]!.speaker = 'partner';
    t.partnerSpeaker = 'partner';
    const text = analyseTranscript(t);
    expect(text.words.map((w) => w.text)).toEqual(['I', 'hear', 'you.']);
  });

  it('loads the language resources once per process', () => {
    expect(nlpResources()).toBe(nlpResources());
    expect(nlpResources().loadMs).toBeGreaterThan(0);
  });
});
