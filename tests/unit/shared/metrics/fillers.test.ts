import { describe, expect, it } from 'vitest';
import { computeDeliveryMetrics } from '../../../../src/shared/metrics/compute-delivery-metrics';
import { detectFillers } from '../../../../src/shared/metrics/fillers';
import { canonicalFiller, normalizeWord } from '../../../../src/shared/metrics/normalize';
import { tokenizeText } from '../../../../src/shared/metrics/timeline';
import { segment, timedWords, transcript, words } from './build-transcript';

const fillersIn = (text: string): string[] => detectFillers(tokenizeText(text)).map((f) => f.text);

describe('filled pauses', () => {
  it('normalises whisper spellings to canonical fillers', () => {
    const variants = [
      'Um,',
      'uhh',
      '[um]',
      'Mmm',
      '(Uh)',
      'UMMM.',
      'uhm',
      'Erm',
      'er...',
      'Ahh',
      'hmmm',
      'Hm?',
    ];
    expect(variants.map((v) => canonicalFiller(normalizeWord(v)))).toEqual([
      'um',
      'uh',
      'um',
      'mm',
      'uh',
      'um',
      'um',
      'erm',
      'er',
      'ah',
      'hmm',
      'hmm',
    ]);
  });

  it('does not take ordinary words or back-channels for fillers', () => {
    for (const w of ['umbrella', 'her', 'am', 'mhm', 'uh-huh', 'm', 'arm', 'hum'])
      expect(canonicalFiller(normalizeWord(w))).toBeNull();
  });

  it('counts fillers per 100 words, fillers included in the word count', () => {
    // 8 words, 5 of them fillers: 5 / 8 × 100 = 62.5.
    const t = transcript([segment(timedWords('Um, so uhh we [um] think Mmm erm', 0))]);
    const m = computeDeliveryMetrics(t);
    expect(m.wordCount).toBe(8);
    expect(m.fillerCount).toBe(5);
    expect(m.fillersPer100Words).toBe(62.5);
    expect(m.fillers.map((f) => f.text)).toEqual(['um', 'uh', 'um', 'mm', 'erm']);
  });

  it('reports each filler with its time', () => {
    const t = transcript([segment(words(['So', 0, 0.3], ['um,', 0.5, 0.9], ['yes.', 1.0, 1.3]))]);
    expect(computeDeliveryMetrics(t).fillers).toEqual([{ text: 'um', start: 0.5, end: 0.9 }]);
  });
});

describe('"like"', () => {
  it.each([
    ["I'd like to go", 0],
    ['We would like a demo', 0],
    ['It looks like rain', 0],
    ['I like this product', 0],
    ['stuff like this and that', 0],
    ['people like you', 0],
    ['I was like, wow', 0],
    ['Like, we shipped it.', 1],
    ['it was, like, fast', 1],
    ['so like, um, we did', 2],
    ['we did it um like fast', 2],
  ])('%s → %i filler(s)', (text, expected) => {
    expect(fillersIn(text)).toHaveLength(expected);
  });

  it('counts "like" followed by a pause only when the word before cannot make it a verb', () => {
    const withPause = words(
      ['we', 0, 0.2],
      ['shipped', 0.3, 0.6],
      ['like', 0.7, 0.9],
      ['the', 1.7, 1.8],
      ['thing', 1.9, 2.2],
    );
    const noPause = words(
      ['we', 0, 0.2],
      ['shipped', 0.3, 0.6],
      ['like', 0.7, 0.9],
      ['the', 1.0, 1.1],
      ['thing', 1.2, 1.5],
    );
    const verb = words(
      ['we', 0, 0.2],
      ['would', 0.3, 0.6],
      ['like', 0.7, 0.9],
      ['the', 1.7, 1.8],
      ['thing', 1.9, 2.2],
    );
    expect(computeDeliveryMetrics(transcript([segment(withPause)])).fillers).toEqual([
      { text: 'like', start: 0.7, end: 0.9 },
    ]);
    expect(computeDeliveryMetrics(transcript([segment(noPause)])).fillerCount).toBe(0);
    expect(computeDeliveryMetrics(transcript([segment(verb)])).fillerCount).toBe(0);
  });
});

describe('multi-word fillers', () => {
  it.each([
    ['You know, it works.', ['you know']],
    ['it works, you know.', ['you know']],
    ['Do you know the answer?', []],
    ['you know what I mean', []],
    ['I mean, yes.', ['i mean']],
    ['that is what I mean', []],
    ['I mean it', []],
    ['it is kind of slow', ['kind of']],
    ['what kind of car', []],
    ['the sort of thing we do', []],
    ["it's kinda slow", ['kinda']],
  ])('%s → %j', (text, expected) => {
    expect(fillersIn(text)).toEqual(expected);
  });

  it('counts a phrase once and times it from its first to its last word', () => {
    const t = transcript([
      segment(words(['You', 1, 1.2], ['know,', 1.3, 1.6], ['it', 1.7, 1.8], ['works.', 1.9, 2.3])),
    ]);
    const m = computeDeliveryMetrics(t);
    expect(m.fillers).toEqual([{ text: 'you know', start: 1, end: 1.6 }]);
    expect(m.fillersPer100Words).toBe(25); // 1 filler / 4 words
  });

  it('takes a "you know" followed by a pause as a filler', () => {
    const t = transcript([
      segment(
        words(
          ['it', 0, 0.2],
          ['works', 0.3, 0.6],
          ['you', 0.7, 0.8],
          ['know', 0.9, 1.1],
          ['we', 2.0, 2.2],
          ['grew', 2.3, 2.6],
        ),
      ),
    ]);
    expect(computeDeliveryMetrics(t).fillers.map((f) => f.text)).toEqual(['you know']);
  });
});
