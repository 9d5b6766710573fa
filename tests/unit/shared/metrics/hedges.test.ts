import { describe, expect, it } from 'vitest';
import { computeDeliveryMetrics } from '../../../../src/shared/metrics/compute-delivery-metrics';
import { detectHedges } from '../../../../src/shared/metrics/hedges';
import { tokenizeText } from '../../../../src/shared/metrics/timeline';
import { segment, timedWords, transcript } from './build-transcript';

describe('hedges', () => {
  it('finds hedging phrases, longest first, and skips "the kind of"', () => {
    const text = "I think maybe we could probably do it, to be honest. I'm not sure the kind of plan fits.";
    const m = computeDeliveryMetrics(transcript([segment(timedWords(text, 0))]));
    // 19 words, 5 hedges.
    expect(m.wordCount).toBe(19);
    expect(m.hedges.map((h) => h.text)).toEqual([
      'i think',
      'maybe',
      'probably',
      'to be honest',
      "i'm not sure",
    ]);
    expect(m.hedgeCount).toBe(5);
    expect(m.hedgesPer100Words).toBe(Math.round((5 / 19) * 100 * 100) / 100);
  });

  it('times a phrase from its first to its last word', () => {
    const m = computeDeliveryMetrics(transcript([segment(timedWords('Well I guess so', 0))]));
    // "I" starts at 0.4, "guess" ends at 0.8 + 0.3.
    expect(m.hedges).toEqual([{ text: 'i guess', start: 0.4, end: 1.1 }]);
  });

  it('does not join a phrase across a sentence end', () => {
    expect(detectHedges(tokenizeText('That is what I. Think about it.'))).toEqual([]);
    expect(detectHedges(tokenizeText('Hopefully it might work, possibly.')).map((h) => h.text)).toEqual([
      'hopefully',
      'might',
      'possibly',
    ]);
  });
});
