import { describe, expect, it } from 'vitest';
import { checkKeyMessage } from '../../../../../../src/main/ai/judges/deterministic/key-messages';
import { analyseTranscript } from '../../../../../../src/main/ai/judges/deterministic/text-analysis';
import { makeScenario } from './fixtures';
import { makeTranscript, wordStart } from './make-transcript';

const scenario = makeScenario([{ id: 'c', type: 'check', title: 'C', description: 'C' }]);
const fuel = scenario.keyMessages[0]!;
const depot = scenario.keyMessages[1]!;
const judge = (sentences: string[], message = fuel) =>
  checkKeyMessage(analyseTranscript(makeTranscript(sentences)), message);

describe('key-message coverage', () => {
  it.each([
    'It lowers what you spend on fuel.',
    'Our routing cuts your fuel costs.',
    'You will reduce the cost of fuel across the fleet.',
  ])('matches the paraphrase "%s"', (sentence) => {
    const result = judge(['Thanks for the question.', sentence]);
    expect(result.status).toBe('pass');
    expect(result.evidence[0]?.quote).toBe(sentence.replace(/\.$/, '.'));
    expect(result.confidence).toBeGreaterThanOrEqual(0.7);
  });

  it.each([
    'Fuel prices went up last year.',
    'Our trucks are blue and the drivers are happy.',
    'We have a great team.',
  ])('does not match the unrelated sentence "%s"', (sentence) => {
    expect(judge([sentence]).status).toBe('fail');
  });

  it('cites the sentence with the times of its first and last word', () => {
    // words 0-3: "Thanks for the question." ; words 4-10: the message
    const result = judge(['Thanks for the question.', 'It lowers what you spend on fuel.']);
    expect(result.evidence[0]?.start).toBe(wordStart(4));
    expect(result.evidence[0]?.end).toBeCloseTo(wordStart(10) + 0.36, 5);
    expect(result.message).toContain('0:01');
  });

  it('matches a paraphrase with a synonym of the depot message', () => {
    expect(judge(['You could begin with just one depot.'], depot).status).toBe('pass');
  });

  it('does not count the negated message, and says so', () => {
    const result = judge(["Honestly, we can't start with one depot."], depot);
    expect(result.status).toBe('fail');
    expect(result.message).toContain('opposite');
    expect(result.evidence[0]?.quote).toBe("Honestly, we can't start with one depot.");
  });

  it('counts the message when a negation elsewhere is closed by "but"', () => {
    expect(judge(["It isn't free, but you can start with one depot."], depot).status).toBe('pass');
  });

  it('fails on an empty answer', () => {
    expect(judge([]).status).toBe('fail');
  });
});
