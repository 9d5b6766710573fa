import { describe, expect, it } from 'vitest';
import { findForbiddenPhrases } from '../../../../../../src/main/ai/judges/deterministic/forbidden-phrases';
import { analyseTranscript } from '../../../../../../src/main/ai/judges/deterministic/text-analysis';
import { makeScenario } from './fixtures';
import { makeTranscript, wordStart } from './make-transcript';

const scenario = makeScenario([{ id: 'c', type: 'check', title: 'C', description: 'C' }]);
const hits = (sentences: string[]) =>
  findForbiddenPhrases(analyseTranscript(makeTranscript(sentences)), scenario.forbiddenPhrases);

describe('forbidden phrases', () => {
  it.each([
    "I guarantee you'll save 20% on fuel.",
    'These are guaranteed savings.',
    'We guarantee saving money from month one.',
    'We are the cheapest option on the market.',
  ])('finds "%s"', (sentence) => {
    expect(hits([sentence])).toHaveLength(1);
  });

  it.each([
    "I can't guarantee savings, it depends on your routes.",
    'Nobody can guarantee savings.',
    'Savings depend on how you drive.',
    'We guarantee delivery of the hardware within a week, and the support team helps you set it up so you save time later.',
  ])('does not flag "%s"', (sentence) => {
    expect(hits([sentence])).toHaveLength(0);
  });

  it('cites just the words of the hit with their times', () => {
    const found = hits(['Look.', "I guarantee you'll save 20% on fuel."]);
    expect(found[0]?.phrase).toBe('guaranteed savings');
    // "guarantee" is word 2, "save" word 4
    expect(found[0]?.evidence.quote).toBe("guarantee you'll save");
    expect(found[0]?.evidence.start).toBe(wordStart(2));
    expect(found[0]?.evidence.end).toBeCloseTo(wordStart(4) + 0.36, 5);
  });

  it('reports every sentence that says it', () => {
    expect(hits(['These are guaranteed savings.', 'Yes, I guarantee the savings.'])).toHaveLength(2);
  });
});
