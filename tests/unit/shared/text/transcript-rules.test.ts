import { describe, expect, it } from 'vitest';
import {
  ESTIMATED_TIMINGS_SOURCE,
  hasMeasuredTimings,
  isPartnerSegment,
} from '../../../../src/shared/transcript/transcript';

describe("the partner's words", () => {
  it('are every segment of a monologue, and the partner’s (or unlabelled) ones in a role-play', () => {
    expect(isPartnerSegment({}, { speaker: 'customer' })).toBe(true);
    expect(isPartnerSegment({ partnerSpeaker: 'partner' }, { speaker: 'partner' })).toBe(true);
    expect(isPartnerSegment({ partnerSpeaker: 'partner' }, {})).toBe(true);
    expect(isPartnerSegment({ partnerSpeaker: 'partner' }, { speaker: 'customer' })).toBe(false);
  });
});

describe('measured timings', () => {
  it('are missing exactly for the plain-text source', () => {
    expect(hasMeasuredTimings({ source: ESTIMATED_TIMINGS_SOURCE })).toBe(false);
    expect(hasMeasuredTimings({ source: 'whisper.cpp ggml-base.en-q5_1' })).toBe(true);
    expect(hasMeasuredTimings({ source: 'import' })).toBe(true);
  });
});
