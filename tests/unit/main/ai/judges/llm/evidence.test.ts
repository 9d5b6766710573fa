import { describe, expect, it } from 'vitest';
import {
  buildEvidenceIndex,
  findQuote,
  matchTokens,
} from '../../../../../../src/main/ai/judges/llm/evidence';
import { transcriptSchema } from '../../../../../../src/shared/transcript/transcript';
import { pitchTranscript, transcriptFrom } from './llm-judge-fixtures';

const index = buildEvidenceIndex(pitchTranscript);

describe('evidence check', () => {
  it('finds a verbatim quote and maps it to the word timings', () => {
    const found = findQuote(index, 'you restore in minutes');
    const words = pitchTranscript.segments[1]!.words;
    expect(found).toEqual({ quote: 'you restore in minutes', start: words[3]!.start, end: words[6]!.end });
  });

  it('ignores case, punctuation, apostrophes and whitespace', () => {
    const found = findQuote(index, '  MINUTES not   days. "Its encrypted" ');
    expect(found?.quote).toBe("minutes, not days. It's encrypted");
    expect(found!.start).toBe(pitchTranscript.segments[1]!.words[6]!.start);
    expect(found!.end).toBe(pitchTranscript.segments[2]!.words[1]!.end);
  });

  it('accepts curly apostrophes and NFKC variants', () => {
    expect(findQuote(index, 'it’s simple to run')).not.toBeNull();
    expect(findQuote(index, 'ｒｅｓｔｏｒｅ in minutes')).not.toBeNull();
  });

  it('rejects paraphrase, reordering and invented words', () => {
    expect(findQuote(index, 'you can restore within minutes')).toBeNull();
    expect(findQuote(index, 'minutes in restore')).toBeNull();
    expect(findQuote(index, 'restores are guaranteed')).toBeNull();
  });

  it('lets an ellipsis skip words but keeps the order', () => {
    const found = findQuote(index, 'thanks for ... restore in minutes');
    expect(found?.start).toBe(pitchTranscript.segments[0]!.words[2]!.start);
    expect(found?.end).toBe(pitchTranscript.segments[1]!.words[6]!.end);
    expect(findQuote(index, 'restore in minutes … thanks for')).toBeNull();
  });

  it('treats a quote without words as not found', () => {
    expect(findQuote(index, '...')).toBeNull();
    expect(findQuote(index, '')).toBeNull();
  });

  it('only accepts the partner’s words in a two-speaker transcript', () => {
    const base = transcriptFrom(['Why should I switch?', 'Because restores take minutes.']);
    const twoSpeaker = transcriptSchema.parse({
      ...base,
      partnerSpeaker: 'partner',
      segments: [
        { ...base.segments[0]!, speaker: 'customer' },
        { ...base.segments[1]!, speaker: 'partner' },
      ],
    });
    const idx = buildEvidenceIndex(twoSpeaker);
    expect(findQuote(idx, 'why should I switch')).toBeNull();
    expect(findQuote(idx, 'restores take minutes')).not.toBeNull();
  });

  it('uses segment times when a segment has no word timings', () => {
    const t = transcriptSchema.parse({
      durationSeconds: 10,
      segments: [{ start: 2, end: 6, text: 'We restore in minutes.', words: [] }],
    });
    expect(findQuote(buildEvidenceIndex(t), 'restore in minutes')).toEqual({
      quote: 'restore in minutes.',
      start: 2,
      end: 6,
    });
  });

  it('splits hyphenated and punctuated words into tokens', () => {
    expect(matchTokens('Follow-up, don’t WAIT!')).toEqual(['follow', 'up', 'dont', 'wait']);
  });
});
