import { describe, expect, it } from 'vitest';
import { computeDeliveryMetrics } from '../../../../src/shared/metrics/compute-delivery-metrics';
import { paceOverTime, totalSpanSeconds, wordsPerMinute } from '../../../../src/shared/metrics/speaking-rate';
import { segment, timedWords, transcript } from './build-transcript';

const thirty = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');

describe('wordsPerMinute', () => {
  it('counts 30 words over 12 s of speech as 150 wpm and over a 20 s recording as 90 wpm', () => {
    // 30 words of 0.4 s each, back to back: speech runs from 0 to 12 s.
    const t = transcript([segment(timedWords(thirty, 0, 0.4, 0))], { durationSeconds: 20 });
    const m = computeDeliveryMetrics(t);
    expect(m.wordCount).toBe(30);
    expect(m.speakingSeconds).toBeCloseTo(12, 6);
    expect(m.wordsPerMinute).toBe((30 / 12) * 60);
    expect(m.wordsPerMinuteOverall).toBe((30 / 20) * 60);
  });

  it('keeps pauses inside the answer in the speaking time but not leading silence', () => {
    // 10 words from 5 s: 10 × 0.3 s + 9 × 0.1 s gaps = 3.9 s, then 10 more after a 2.1 s pause.
    const first = timedWords(Array(10).fill('a').join(' '), 5);
    const second = timedWords(Array(10).fill('b').join(' '), 5 + 3.9 + 2.1);
    const m = computeDeliveryMetrics(transcript([segment([...first, ...second])]));
    const span = 5 + 3.9 + 2.1 + 3.9 - 5; // first word start to last word end
    expect(m.speakingSeconds).toBeCloseTo(span, 6);
    expect(m.wordsPerMinute).toBe(Math.round((20 / span) * 60 * 10) / 10);
  });

  it('returns 0 instead of NaN or Infinity for zero time or zero words', () => {
    expect(wordsPerMinute(10, 0)).toBe(0);
    expect(wordsPerMinute(0, 10)).toBe(0);
    expect(wordsPerMinute(10, Number.NaN)).toBe(0);
  });

  it('merges overlapping spans when summing', () => {
    expect(
      totalSpanSeconds([
        { start: 0, end: 2 },
        { start: 1, end: 3 },
        { start: 5, end: 6 },
      ]),
    ).toBe(4);
  });
});

describe('paceOverTime', () => {
  // 30 words in 0–15 s (0.5 s each), silence in 15–30 s, 15 words in 30–45 s (1 s each).
  const fast = Array.from({ length: 30 }, (_, i) => ({ start: i * 0.5, end: i * 0.5 + 0.5 }));
  const slow = Array.from({ length: 15 }, (_, i) => ({ start: 30 + i, end: 31 + i }));

  it('gives one rate per 15 s window', () => {
    expect(paceOverTime([...fast, ...slow], 45)).toEqual([
      { start: 0, end: 15, wordsPerMinute: 120 },
      { start: 15, end: 30, wordsPerMinute: 0 },
      { start: 30, end: 45, wordsPerMinute: 60 },
    ]);
  });

  it('merges a tail shorter than half a window into the window before', () => {
    const windows = paceOverTime([...fast, ...slow], 47);
    expect(windows).toHaveLength(3);
    expect(windows[2]).toEqual({ start: 30, end: 47, wordsPerMinute: Math.round((15 / 17) * 60 * 10) / 10 });
  });

  it('honours a custom window and returns nothing for zero duration', () => {
    expect(paceOverTime(fast, 15, 5).map((w) => w.wordsPerMinute)).toEqual([120, 120, 120]);
    expect(paceOverTime(fast, 0)).toEqual([]);
  });
});
