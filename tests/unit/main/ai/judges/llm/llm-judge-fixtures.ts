/** A compact 3-criterion scenario and transcript builders shared by the LLM judge tests. */
import type { DeliveryMetrics } from '../../../../../../src/shared/metrics/delivery-metrics-types';
import { transcriptSchema, type Transcript } from '../../../../../../src/shared/transcript/transcript';
import { scenarioSchema, type Scenario } from '../../../../../../src/shared/pack/schema';

export const scenario: Scenario = scenarioSchema.parse({
  id: 'cloud-pitch',
  kind: 'pitch',
  title: 'Cloud backup pitch',
  brief: 'Pitch cloud backup to an IT manager in one minute.',
  persona: { name: 'Dana', role: 'IT manager', company: 'Acme', disposition: 'Busy.' },
  timing: { prepSeconds: 30, answerSeconds: 60 },
  passMark: 60,
  keyMessages: [{ id: 'restore', text: 'Restores take minutes', phrasings: ['restore in minutes'] }],
  forbiddenPhrases: [{ phrase: 'guaranteed', reason: 'No guarantees.' }],
  rubric: [
    {
      id: 'value',
      type: 'check',
      title: 'States the value',
      description: 'Says restores take minutes.',
      checks: { keyMessages: ['restore'] },
    },
    {
      id: 'compliant',
      type: 'check',
      title: 'Stays compliant',
      description: 'No forbidden phrases.',
      checks: { avoidForbiddenPhrases: true },
    },
    {
      id: 'clarity',
      type: 'rating',
      title: 'Clarity',
      description: 'Clear and concise.',
      levels: { 1: 'Unclear', 2: 'Vague', 3: 'Clear', 4: 'Crisp', 5: 'Excellent' },
    },
  ],
});

/** A transcript whose words are 0.5 s apart, one segment per sentence. */
export function transcriptFrom(sentences: string[], extra: Partial<Transcript> = {}): Transcript {
  let t = 0;
  const segments = sentences.map((sentence) => {
    const words = sentence
      .split(/\s+/)
      .filter(Boolean)
      .map((text) => {
        const word = { text, start: t, end: t + 0.4 };
        t += 0.5;
        return word;
      });
    return { start: words[0]?.start ?? t, end: words.at(-1)?.end ?? t, text: sentence, words };
  });
  return transcriptSchema.parse({ durationSeconds: t, segments, source: 'test', ...extra });
}

export const pitchTranscript = transcriptFrom([
  'Hi Dana, thanks for your time.',
  'With our backup you restore in minutes, not days.',
  "It's encrypted, and it's simple to run.",
]);

export const noMetrics = {} as DeliveryMetrics;
