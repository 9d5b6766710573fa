import { describe, expect, it } from 'vitest';
import { computeDeliveryMetrics } from '../../../../src/shared/metrics/compute-delivery-metrics';
import { isQuestion } from '../../../../src/shared/text/questions';
import { segment, timedWords, transcript, words } from './build-transcript';

describe('questions', () => {
  it('takes punctuated sentences ending in "?" with their times', () => {
    const ws = timedWords("What's your budget? We can help. Do you use Salesforce?", 0);
    // 9 words of 0.3 s + 0.1 s gaps: word i starts at 0.4 i.
    const m = computeDeliveryMetrics(transcript([segment(ws)]));
    expect(m.questionsAsked).toBe(2);
    expect(m.questions).toEqual([
      { text: "What's your budget?", start: 0, end: 1.1 },
      { text: 'Do you use Salesforce?', start: 2.4, end: 3.9 },
    ]);
  });

  it('trusts punctuation: a declarative "What I did…" is not a question', () => {
    const m = computeDeliveryMetrics(
      transcript([segment(timedWords('What I did was build it. How many seats?', 0))]),
    );
    expect(m.questions.map((q) => q.text)).toEqual(['How many seats?']);
  });

  it('borrows the "?" from the segment text when the words carry no punctuation', () => {
    const ws = timedWords('can you share the numbers', 0);
    const m = computeDeliveryMetrics(transcript([segment(ws, undefined, 'Can you share the numbers?')]));
    expect(m.questionsAsked).toBe(1);
  });

  it('uses interrogative openers when the transcript has no punctuation, splitting sentences at pauses', () => {
    const ws = [
      ...timedWords('so what is your budget', 0), // ends at 1.9
      ...timedWords('we can help', 3), // ends at 4.1
      ...timedWords('what I did was build it', 5), // ends at 7.3
      ...timedWords('can you share the numbers', 8.5),
    ];
    const m = computeDeliveryMetrics(transcript([segment(ws)]));
    expect(m.questions.map((q) => q.text)).toEqual(['so what is your budget', 'can you share the numbers']);
    expect(m.questions[0]).toMatchObject({ start: 0, end: 1.9 });
  });

  it.each([
    [['what', 'is', 'your', 'timeline'], true],
    [['how', 'many', 'users'], true],
    [['why', 'not'], true],
    [['is', 'there', 'a', 'budget'], true],
    [['could', 'you', 'walk', 'me', 'through'], true],
    [['and', 'who', 'signs', 'off'], false],
    [['what', 'we', 'built', 'is', 'fast'], false],
    [['how', 'we', 'did', 'it'], false],
    [['we', 'can', 'help'], false],
    [[], false],
  ])('%j opens a question: %s', (ws, expected) => {
    expect(isQuestion(ws)).toBe(expected);
  });

  it('asks the shared question rule: indirect and tag questions count, free relatives do not', () => {
    const ws = [
      ...timedWords('I wonder if you could tell me about your depots', 0), // ends at 3.9
      ...timedWords('what we do is route vans', 5),
      ...timedWords('you run twelve vans right', 8),
      ...timedWords('what budget did you have in mind', 11),
    ];
    const m = computeDeliveryMetrics(transcript([segment(ws)]));
    expect(m.questions.map((q) => q.text)).toEqual([
      'I wonder if you could tell me about your depots',
      'you run twelve vans right',
      'what budget did you have in mind',
    ]);
  });

  it('counts a question-shaped sentence whisper closed with a period', () => {
    const m = computeDeliveryMetrics(
      transcript([segment(timedWords('Could you share the numbers. We can help.', 0))]),
    );
    expect(m.questions.map((q) => q.text)).toEqual(['Could you share the numbers.']);
  });

  it("counts only the partner's questions", () => {
    const t = transcript(
      [
        segment(words(['Any', 0, 0.3], ['budget?', 0.4, 0.8]), 'customer'),
        segment(words(['Who', 1, 1.2], ['decides?', 1.3, 1.8]), 'partner'),
      ],
      { partnerSpeaker: 'partner' },
    );
    expect(computeDeliveryMetrics(t).questions).toEqual([{ text: 'Who decides?', start: 1, end: 1.8 }]);
  });
});
