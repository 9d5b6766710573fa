import { describe, expect, it } from 'vitest';
import { normalizeForWer, wordErrorRate } from '../../../../../src/main/ai/transcriber/wer';

describe('wordErrorRate', () => {
  it('is 0 for the same words in different case and punctuation', () => {
    const r = wordErrorRate('And so, my fellow Americans!', 'AND SO MY FELLOW AMERICANS');
    expect(r).toEqual({ wer: 0, substitutions: 0, deletions: 0, insertions: 0, referenceWords: 5 });
  });

  it('counts substitutions, deletions and insertions', () => {
    // ref: a b c d ; hyp: a x c d e → 1 substitution, 1 insertion.
    expect(wordErrorRate('a b c d', 'a x c d e')).toMatchObject({
      substitutions: 1,
      insertions: 1,
      deletions: 0,
      wer: 0.5,
    });
    expect(wordErrorRate('a b c d', 'a d')).toMatchObject({ deletions: 2, wer: 0.5 });
  });

  it('handles empty sides', () => {
    expect(wordErrorRate('', '').wer).toBe(0);
    expect(wordErrorRate('', 'hello').wer).toBe(1);
    expect(wordErrorRate('hello world', '').wer).toBe(1);
  });

  it('keeps apostrophes inside words and splits hyphens', () => {
    expect(normalizeForWer("I'M fifteen-minute 'demo' — ok")).toEqual([
      "i'm",
      'fifteen',
      'minute',
      'demo',
      'ok',
    ]);
    expect(normalizeForWer('I’m')).toEqual(["i'm"]);
  });
});
