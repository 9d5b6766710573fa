/** Hand-built transcripts for the metric tests. */
import type { Segment, Transcript, Word } from '../../../../src/shared/transcript/transcript';

/**
 * Words of `text` (split on spaces, punctuation kept on the word) laid out from `start`: each word
 * lasts `wordSeconds` and is followed by `gapSeconds` of silence.
 */
export function timedWords(text: string, start: number, wordSeconds = 0.3, gapSeconds = 0.1): Word[] {
  return text
    .split(' ')
    .filter(Boolean)
    .map((w, i) => {
      const s = start + i * (wordSeconds + gapSeconds);
      return { text: w, start: round(s), end: round(s + wordSeconds) };
    });
}

/** Explicit words: [text, start, end]. */
export function words(...items: Array<[string, number, number]>): Word[] {
  return items.map(([text, start, end]) => ({ text, start, end }));
}

export function segment(ws: Word[], speaker?: string, text?: string): Segment {
  const first = ws[0];
  const last = ws[ws.length - 1];
  return {
    start: first?.start ?? 0,
    end: last?.end ?? 0,
    text: text ?? ws.map((w) => w.text).join(' '),
    words: ws,
    ...(speaker === undefined ? {} : { speaker }),
  };
}

export function transcript(segments: Segment[], extra: Partial<Transcript> = {}): Transcript {
  const end = segments.reduce((m, s) => Math.max(m, s.end), 0);
  return { language: 'en', durationSeconds: end, segments, source: 'test', ...extra };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
