import { describe, expect, it } from 'vitest';
import { isQuestion, opensQuestionAt } from '../../../../src/shared/text/questions';

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

describe('the question rule', () => {
  it.each([
    'so how many vans do you run',
    'what does your timeline look like',
    'I wonder if you could tell me how you plan routes today',
    'I was wondering whether the team has a budget',
    'can you walk me through it',
    'could you share the numbers',
    'would you be open to a pilot',
    'is there a budget',
    'does the team use Salesforce',
    'so what budget did you have in mind',
    'what kind of routing do you use',
    "what's your budget",
    'okay any questions so far',
    'why not',
    'what about the drivers',
    'you run twelve vans right',
    'that works for you isn’t it',
  ])('"%s" is a question without punctuation', (sentence) => {
    expect(isQuestion(words(sentence))).toBe(true);
  });

  it.each([
    'what we do is route your vans',
    'how we help is by cutting empty miles',
    'what I did was build it',
    'what we do is we route the vans',
    'we can help',
    "that's right",
    'all right',
    'we start with one depot',
    '',
  ])('"%s" is a statement', (sentence) => {
    expect(isQuestion(words(sentence))).toBe(false);
  });

  it('takes a final "?" and ignores punctuation glued to words', () => {
    expect(isQuestion(words('You are on Salesforce'), '?')).toBe(true);
    expect(isQuestion(words('Can you, um, share the numbers.'), '.')).toBe(true);
    expect(isQuestion(words('What we do is simple.'), '.')).toBe(false);
  });

  it('finds a question opening mid-sentence', () => {
    const ws = words('we route vans so how many do you run');
    expect(opensQuestionAt(ws, 3)).toBe(false);
    expect(opensQuestionAt(ws, 4)).toBe(true);
  });
});
