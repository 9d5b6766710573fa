import type { DeliveryMetrics } from '../../../../../../src/shared/metrics/delivery-metrics-types';
import { type Scenario, scenarioSchema } from '../../../../../../src/shared/pack/schema';

type RubricInput = Array<Record<string, unknown>>;

/** A fleet-software objection scenario; pass a rubric to test particular checks. */
export function makeScenario(rubric: RubricInput, passMark = 70): Scenario {
  return scenarioSchema.parse({
    id: 'fleet-price',
    kind: 'objection',
    title: 'Price objection',
    brief: 'The fleet manager says the software is too expensive.',
    persona: { name: 'Dana', role: 'Fleet manager' },
    customerPrompt: 'This is too expensive for us.',
    timing: { prepSeconds: 30, answerSeconds: 120 },
    passMark,
    keyMessages: [
      {
        id: 'fuel-savings',
        text: 'Route optimisation reduces fuel costs',
        phrasings: ['reduce fuel costs', 'cut what you pay for gas'],
      },
      {
        id: 'one-depot',
        text: 'You can start with one depot',
        phrasings: ['start small with a single depot'],
      },
    ],
    forbiddenPhrases: [
      { phrase: 'guaranteed savings', reason: 'Savings depend on the fleet; never promise them.' },
      { phrase: 'cheapest on the market', reason: 'We do not compete on price.' },
    ],
    requiredQuestions: [
      {
        id: 'fleet-size',
        text: 'How many vehicles are in your fleet?',
        phrasings: ['how big is your fleet', 'how many trucks do you run'],
      },
      { id: 'budget', text: 'What budget did you have in mind?', phrasings: [] },
    ],
    rubric,
  });
}

export function makeMetrics(overrides: Partial<DeliveryMetrics> = {}): DeliveryMetrics {
  return {
    durationSeconds: 60,
    speakingSeconds: 50,
    wordCount: 150,
    wordsPerMinute: 150,
    paceOverTime: [],
    fillerCount: 3,
    fillersPer100Words: 2,
    fillers: [],
    pauses: [],
    pauseCount: 2,
    longestPauseSeconds: 1.5,
    pausesOver2s: 0,
    longestStretchSeconds: 20,
    questionsAsked: 2,
    questions: [],
    hedgeCount: 1,
    hedgesPer100Words: 0.7,
    hedges: [],
    timeLimitSeconds: 120,
    timeUsedRatio: 0.5,
    talkRatio: null,
    ...overrides,
  };
}
