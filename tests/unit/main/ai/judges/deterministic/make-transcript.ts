import type { Transcript } from '../../../../../../src/shared/transcript/transcript';

export const SECONDS_PER_WORD = 0.4;

/**
 * A transcript whose words are said one after another, SECONDS_PER_WORD each, starting at
 * `startAt`; one segment per sentence string. Word i (counting all sentences) starts at
 * startAt + i * SECONDS_PER_WORD.
 */
export function makeTranscript(sentences: string[], startAt = 0): Transcript {
  let t = startAt;
  const segments = sentences.map((sentence) => {
    const words = sentence
      .split(/\s+/)
      .filter(Boolean)
      .map((text) => {
        const w = { text, start: round(t), end: round(t + SECONDS_PER_WORD * 0.9) };
        t += SECONDS_PER_WORD;
        return w;
      });
    return { start: words[0]?.start ?? t, end: words[words.length - 1]?.end ?? t, text: sentence, words };
  });
  return { language: 'en', durationSeconds: round(t), segments, source: 'test' };
}

/** Start time of the word with this 0-based index in the whole transcript. */
export function wordStart(index: number, startAt = 0): number {
  return round(startAt + index * SECONDS_PER_WORD);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
