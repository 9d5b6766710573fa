import { describe, expect, it } from 'vitest';
import { computeDeliveryMetrics } from '../../../../src/shared/metrics/compute-delivery-metrics';
import { segment, transcript, words } from './build-transcript';

// one 0–0.5 | two 0.6–1.0 | (0.5 s) | three 1.5–2.0 | (2.5 s) | four 4.5–5.0 | five 5.1–5.6
const fiveWords = words(
  ['one', 0, 0.5],
  ['two', 0.6, 1.0],
  ['three', 1.5, 2.0],
  ['four', 4.5, 5.0],
  ['five', 5.1, 5.6],
);

describe('pauses from word gaps', () => {
  it('finds gaps of at least 0.5 s and counts those over 2 s separately', () => {
    const m = computeDeliveryMetrics(transcript([segment(fiveWords)]));
    expect(m.pauses).toEqual([
      { start: 1.0, end: 1.5, seconds: 0.5 },
      { start: 2.0, end: 4.5, seconds: 2.5 },
    ]);
    expect(m.pauseCount).toBe(2);
    expect(m.longestPauseSeconds).toBe(2.5);
    expect(m.pausesOver2s).toBe(1);
    expect(m.pauseThresholdSeconds).toBe(0.5);
  });

  it('takes the longest stretch between pauses', () => {
    // Pieces: 0–1.0 (1.0 s), 1.5–2.0 (0.5 s), 4.5–5.6 (1.1 s).
    expect(computeDeliveryMetrics(transcript([segment(fiveWords)])).longestStretchSeconds).toBe(1.1);
  });

  it('honours a custom threshold', () => {
    const m = computeDeliveryMetrics(transcript([segment(fiveWords)]), { pauseThreshold: 1 });
    expect(m.pauses.map((p) => p.seconds)).toEqual([2.5]);
    expect(m.longestStretchSeconds).toBe(2); // 0–2.0 is now unbroken
  });

  it('measures gaps from the latest word end when words overlap', () => {
    // "b" lies inside "a"; the silence runs from a's end (1.0) to c's start (1.6).
    const t = transcript([segment(words(['a', 0, 1.0], ['b', 0.5, 0.8], ['c', 1.6, 2.0]))]);
    expect(computeDeliveryMetrics(t).pauses).toEqual([{ start: 1.0, end: 1.6, seconds: 0.6 }]);
  });

  it('does not count listening time in a two-speaker call as a pause', () => {
    const t = transcript(
      [
        segment(words(['Hello', 0, 0.5], ['there.', 0.6, 1.0]), 'partner'),
        segment(words(['Hi,', 1.2, 1.5], ['go', 1.6, 2.0], ['ahead.', 2.1, 6.0]), 'customer'),
        segment(words(['Thanks.', 9.0, 9.5]), 'partner'),
      ],
      { partnerSpeaker: 'partner' },
    );
    const m = computeDeliveryMetrics(t);
    expect(m.pauseCount).toBe(0);
    expect(m.longestStretchSeconds).toBe(1);
  });
});

describe('pauses from VAD spans', () => {
  it('uses the gaps between speech spans instead of word gaps', () => {
    const t = transcript([segment(fiveWords)], {
      speech: [
        { start: 0, end: 1.2 },
        { start: 1.3, end: 2.0 },
        { start: 3.0, end: 5.6 },
      ],
    });
    const m = computeDeliveryMetrics(t);
    expect(m.pauses).toEqual([{ start: 2.0, end: 3.0, seconds: 1.0 }]);
    expect(m.pausesOver2s).toBe(0);
    expect(m.longestStretchSeconds).toBe(2.6); // 3.0–5.6
  });

  it('ignores silence outside the answer (before the first and after the last word)', () => {
    const t = transcript([segment(words(['hi', 2, 2.5], ['all', 2.6, 3.0]))], {
      durationSeconds: 10,
      speech: [{ start: 2, end: 3 }],
    });
    expect(computeDeliveryMetrics(t).pauseCount).toBe(0);
  });
});
