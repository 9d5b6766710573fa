import { describe, expect, it } from 'vitest';
import { computeDeliveryMetrics } from '../../../../src/shared/metrics/compute-delivery-metrics';
import { timeUsedRatio } from '../../../../src/shared/metrics/time-limit';
import { segment, timedWords, transcript, words } from './build-transcript';

// customer 0–10, partner 10–14, customer 14–20.
const call = transcript([
  segment(words(['So', 0, 5], ['tell', 5, 10]), 'customer'),
  segment(words(['We', 10, 12], ['help.', 12, 14]), 'partner'),
  segment(words(['Okay.', 14, 20]), 'customer'),
]);

describe('talk ratio', () => {
  it('is the partner talk time over all talk time', () => {
    const m = computeDeliveryMetrics(call, { partnerSpeaker: 'partner' });
    expect(m.talkRatio).toBe(4 / (10 + 4 + 6));
    expect(m.wordCount).toBe(2); // only the partner's words
    expect(m.speakingSeconds).toBe(4);
    expect(m.wordsPerMinute).toBe(30);
  });

  it('reads the partner from the transcript when the option is absent', () => {
    expect(computeDeliveryMetrics({ ...call, partnerSpeaker: 'customer' }).talkRatio).toBe(16 / 20);
  });

  it('is null for a monologue, a single labelled speaker, or no partner label', () => {
    expect(
      computeDeliveryMetrics(transcript([segment(timedWords('just me talking', 0))])).talkRatio,
    ).toBeNull();
    expect(
      computeDeliveryMetrics(transcript([segment(timedWords('just me', 0), 'partner')]), {
        partnerSpeaker: 'partner',
      }).talkRatio,
    ).toBeNull();
    expect(computeDeliveryMetrics(call).talkRatio).toBeNull();
  });

  it('gives zero partner words when the label matches nobody', () => {
    const m = computeDeliveryMetrics(call, { partnerSpeaker: 'nobody' });
    expect(m.wordCount).toBe(0);
    expect(m.talkRatio).toBe(0);
  });
});

describe('time used', () => {
  it('is the recording length over the answer limit', () => {
    const m = computeDeliveryMetrics(transcript([segment(timedWords('a b', 0))], { durationSeconds: 90 }), {
      answerSeconds: 120,
    });
    expect(m.timeLimitSeconds).toBe(120);
    expect(m.timeUsedRatio).toBe(0.75);
  });

  it('is null without a usable limit', () => {
    expect(timeUsedRatio(90, undefined)).toBeNull();
    expect(timeUsedRatio(90, null)).toBeNull();
    expect(timeUsedRatio(90, 0)).toBeNull();
    expect(timeUsedRatio(90, -5)).toBeNull();
  });
});
