import { describe, expect, it } from 'vitest';
import {
  findObjectionSteps,
  checkObjectionSteps,
} from '../../../../../../src/main/ai/judges/deterministic/objection-steps';
import { analyseTranscript } from '../../../../../../src/main/ai/judges/deterministic/text-analysis';
import { makeScenario } from './fixtures';
import { makeTranscript, wordStart } from './make-transcript';

const scenario = makeScenario([{ id: 'c', type: 'check', title: 'C', description: 'C' }]);
const steps = (sentences: string[]) =>
  findObjectionSteps(analyseTranscript(makeTranscript(sentences)), scenario);

describe('objection-handling steps', () => {
  it('finds all four steps in order', () => {
    const found = steps([
      "That's a fair point, and I hear you.",
      'Can I ask what you are comparing it to?',
      'Most fleets your size lower what they spend on fuel within three months.',
      'Does that address your concern?',
    ]);
    expect(found.acknowledge.sentence).toBe(0);
    expect(found.clarify.sentence).toBe(1);
    expect(found.respond.sentence).toBe(2);
    expect(found.confirm.sentence).toBe(3);
  });

  it('recognises a clarifying question without a question mark and a key message as the response', () => {
    const found = steps([
      'I understand.',
      'So what budget did you have in mind.',
      'You can start with one depot.',
      'How does that sound?',
    ]);
    expect([
      found.acknowledge.sentence,
      found.clarify.sentence,
      found.respond.sentence,
      found.confirm.sentence,
    ]).toEqual([0, 1, 2, 3]);
  });

  it('reports missing steps', () => {
    const found = steps(['Our product is the best one.', 'It has many features and a nice dashboard.']);
    expect(found.acknowledge.sentence).toBeNull();
    expect(found.clarify.sentence).toBeNull();
    expect(found.confirm.sentence).toBeNull();
  });

  it('does not take "I don\'t understand" as an acknowledgement', () => {
    expect(
      steps(["I don't understand why you say that.", 'It saves you 10% on fuel.']).acknowledge.sentence,
    ).toBeNull();
  });

  it('refuses an acknowledgement that comes only at the end, and says why', () => {
    const text = analyseTranscript(
      makeTranscript([
        'Our routing saves you 10% on fuel.',
        'It also helps with maintenance.',
        'Drivers like the app.',
        'Reports come every week.',
        'I understand your concern.',
      ]),
    );
    const [ack] = checkObjectionSteps(text, scenario, ['acknowledge']);
    expect(ack?.status).toBe('fail');
    expect(ack?.message).toContain('came late');
  });

  it('does not count a check-back question asked before any response', () => {
    const found = steps(['I hear you.', 'Does that make sense?', 'We have offices in Paris.']);
    expect(found.confirm.sentence).toBeNull();
    expect(found.confirm.outOfOrder).not.toBeNull();
  });

  it('gives evidence with times for each step found', () => {
    const text = analyseTranscript(
      makeTranscript(['I hear you.', 'It saves you 10% on fuel.', 'Would that work for you?']),
    );
    const results = checkObjectionSteps(text, scenario, ['acknowledge', 'respond', 'confirm']);
    expect(results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
    expect(results[2]?.evidence[0]).toMatchObject({ quote: 'Would that work for you?', start: wordStart(9) });
  });
});
