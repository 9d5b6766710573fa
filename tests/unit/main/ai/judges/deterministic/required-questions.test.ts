import { describe, expect, it } from 'vitest';
import { checkRequiredQuestion } from '../../../../../../src/main/ai/judges/deterministic/required-questions';
import { analyseTranscript } from '../../../../../../src/main/ai/judges/deterministic/text-analysis';
import { makeScenario } from './fixtures';
import { makeTranscript, wordStart } from './make-transcript';

const scenario = makeScenario([{ id: 'c', type: 'check', title: 'C', description: 'C' }]);
const [fleetSize, budget] = scenario.requiredQuestions as [
  (typeof scenario.requiredQuestions)[number],
  (typeof scenario.requiredQuestions)[number],
];
const ask = (sentences: string[], q = fleetSize) =>
  checkRequiredQuestion(analyseTranscript(makeTranscript(sentences)), q);

describe('required questions', () => {
  it('finds a paraphrased question ending in "?"', () => {
    const result = ask(['I hear you.', 'How many trucks are you running today?']);
    expect(result.status).toBe('pass');
    expect(result.evidence[0]?.start).toBe(wordStart(3));
  });

  it('finds a question without a question mark from its form', () => {
    expect(ask(['so what budget did you have in mind'], budget).status).toBe('pass');
    expect(ask(['Okay. How big is your fleet right now.']).status).toBe('pass');
  });

  it('finds a question that opens in the middle of an unpunctuated sentence', () => {
    expect(ask(['that makes sense and how many vehicles do you have in the fleet']).status).toBe('pass');
  });

  it('does not count a statement on the same topic', () => {
    expect(ask(['Your fleet has many vehicles.']).status).toBe('fail');
  });

  it('does not count an unrelated question', () => {
    const result = ask(['Does that address your concern?']);
    expect(result.status).toBe('fail');
    expect(result.message).toBe('you did not ask "How many vehicles are in your fleet"');
  });
});
