import { describe, expect, it } from 'vitest';
import {
  rateAgainstRange,
  referenceRanges,
  type RangedMetric,
} from '../../../../src/shared/metrics/reference-ranges';

describe('reference ranges', () => {
  it('has a sane range, a unit and a source for every metric', () => {
    for (const [name, range] of Object.entries(referenceRanges)) {
      expect(range.low, name).toBeLessThanOrEqual(range.high);
      expect(range.unit.length, name).toBeGreaterThan(0);
      expect(range.source.length, name).toBeGreaterThan(10);
      expect(['peer-reviewed', 'industry', 'default']).toContain(range.kind);
    }
  });

  it('rates values against the range, bounds inclusive', () => {
    const { low, high } = referenceRanges.wordsPerMinute;
    expect(rateAgainstRange('wordsPerMinute', low - 1)).toBe('low');
    expect(rateAgainstRange('wordsPerMinute', low)).toBe('ok');
    expect(rateAgainstRange('wordsPerMinute', high)).toBe('ok');
    expect(rateAgainstRange('wordsPerMinute', high + 1)).toBe('high');
  });

  it('never calls a zero filler rate low', () => {
    const metric: RangedMetric = 'fillersPer100Words';
    expect(rateAgainstRange(metric, 0)).toBe('ok');
  });
});
