/**
 * Splitting a token stream into sentences. A turn that carries sentence punctuation anywhere is split
 * at . ? ! only; a turn without any (unpunctuated ASR output) is split at pauses of at least
 * `pauseThreshold` seconds instead. Turn changes always end a sentence.
 */
import type { MetricToken } from './timeline';

export interface Sentence {
  tokens: MetricToken[];
  /** Whether the sentence came from punctuated text (so its final mark can be trusted). */
  punctuated: boolean;
}

export function splitSentences(tokens: MetricToken[], pauseThreshold: number): Sentence[] {
  const punctuatedTurns = new Set(tokens.filter((t) => t.terminal !== null).map((t) => t.turn));
  const out: Sentence[] = [];
  let current: MetricToken[] = [];
  tokens.forEach((t, i) => {
    current.push(t);
    const next = tokens[i + 1];
    const punctuated = punctuatedTurns.has(t.turn);
    const ends =
      !next ||
      next.turn !== t.turn ||
      (punctuated ? t.terminal !== null : t.gapAfter !== null && t.gapAfter >= pauseThreshold);
    if (ends) {
      out.push({ tokens: current, punctuated });
      current = [];
    }
  });
  return out;
}
