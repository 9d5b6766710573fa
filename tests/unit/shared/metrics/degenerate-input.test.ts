import { describe, expect, it } from 'vitest';
import type { DeliveryMetrics } from '../../../../src/shared/metrics/delivery-metrics-types';
import { computeDeliveryMetrics } from '../../../../src/shared/metrics/compute-delivery-metrics';
import { segment, transcript, words } from './build-transcript';

/** Every number anywhere in the metrics object. */
function numbers(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbers);
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbers);
  return [];
}

function expectFinite(m: DeliveryMetrics): void {
  for (const n of numbers(m)) expect(Number.isFinite(n)).toBe(true);
}

describe('degenerate transcripts', () => {
  it('gives zeros and nulls for an empty transcript', () => {
    const m = computeDeliveryMetrics(transcript([], { durationSeconds: 0 }), { answerSeconds: 60 });
    expectFinite(m);
    expect(m).toMatchObject({
      durationSeconds: 0,
      speakingSeconds: 0,
      wordCount: 0,
      wordsPerMinute: 0,
      paceOverTime: [],
      fillerCount: 0,
      fillersPer100Words: 0,
      pauseCount: 0,
      longestPauseSeconds: 0,
      longestStretchSeconds: 0,
      questionsAsked: 0,
      hedgesPer100Words: 0,
      timeUsedRatio: 0,
      talkRatio: null,
    });
  });

  it('handles segments without words and silence-only recordings', () => {
    const t = transcript([{ start: 0, end: 5, text: '', words: [] }], { durationSeconds: 30 });
    const m = computeDeliveryMetrics(t);
    expectFinite(m);
    expect(m.wordCount).toBe(0);
    expect(m.paceOverTime.map((w) => w.wordsPerMinute)).toEqual([0, 0]);
  });

  it('treats a word ending before it starts as zero-length', () => {
    const m = computeDeliveryMetrics(transcript([segment(words(['hi', 2, 1], ['there', 2.2, 2.6]))]));
    expectFinite(m);
    expect(m.wordCount).toBe(2);
    expect(m.speakingSeconds).toBeCloseTo(0.6, 6); // 2.0 to 2.6
    expect(m.pauseCount).toBe(0);
  });

  it('gives zero rates when every word has zero duration at time 0', () => {
    const m = computeDeliveryMetrics(
      transcript([segment(words(['a', 0, 0], ['b', 0, 0]))], { durationSeconds: 0 }),
    );
    expectFinite(m);
    expect(m.wordCount).toBe(2);
    expect(m.wordsPerMinute).toBe(0);
    expect(m.paceOverTime).toEqual([]);
  });

  it('sorts words given out of order and folds punctuation-only words into the word before', () => {
    const t = transcript([
      segment(
        words(['you', 1.0, 1.2], ['So', 0, 0.3], ['know', 1.3, 1.5], [',', 1.5, 1.5], ['fine', 1.6, 2]),
      ),
    ]);
    const m = computeDeliveryMetrics(t);
    expect(m.wordCount).toBe(4);
    expect(m.fillers.map((f) => f.text)).toEqual(['you know']);
    expect(m.pauses).toEqual([{ start: 0.3, end: 1.0, seconds: 0.7 }]);
  });

  it('uses the last word end when the declared duration is too short', () => {
    const m = computeDeliveryMetrics(
      transcript([segment(words(['a', 0, 1], ['b', 1, 30]))], { durationSeconds: 0 }),
    );
    expect(m.durationSeconds).toBe(30);
    expect(m.paceOverTime).toHaveLength(2);
  });
});
