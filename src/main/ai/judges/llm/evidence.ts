/**
 * The evidence check: a quote the model gives must be words the partner really said. Quote and
 * transcript are compared as sequences of normalised word tokens (case, punctuation, apostrophes
 * and whitespace ignored; Unicode NFKC), so "We save, you know... money" and "we save you know
 * money" match, while a paraphrase does not. An ellipsis ("..." or "…") in the quote may skip words:
 * each part must be found, in order. The match is mapped back to the transcript's word timings.
 * Pure functions, no model needed.
 */
import type { Evidence } from '../../../../shared/analysis/judgment';
import { isPartnerSegment, type Transcript } from '../../../../shared/transcript/transcript';

interface IndexedWord {
  text: string;
  start: number;
  end: number;
}

export interface EvidenceIndex {
  /** Normalised tokens of the transcript, in order. */
  tokens: string[];
  /** For each token, the index of the word it came from. */
  tokenWord: number[];
  words: IndexedWord[];
}

const ELLIPSIS = /\.{3,}|…/u;

/** Lower-case word tokens with punctuation and apostrophes removed. */
export function matchTokens(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’‘`´]/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * Indexes the words a quote may come from. With a two-speaker transcript (partnerSpeaker set) only
 * the partner's segments count: a quote of the customer is no evidence of what the partner did.
 * Segments without word timings contribute their text with the segment's span.
 */
export function buildEvidenceIndex(transcript: Transcript): EvidenceIndex {
  const index: EvidenceIndex = { tokens: [], tokenWord: [], words: [] };
  for (const segment of transcript.segments) {
    if (!isPartnerSegment(transcript, segment)) continue;
    const words: IndexedWord[] =
      segment.words.length > 0
        ? segment.words
        : segment.text
            .split(/\s+/u)
            .filter(Boolean)
            .map((text) => ({ text, start: segment.start, end: segment.end }));
    for (const word of words) {
      const wordIndex = index.words.push({ text: word.text, start: word.start, end: word.end }) - 1;
      for (const token of matchTokens(word.text)) {
        index.tokens.push(token);
        index.tokenWord.push(wordIndex);
      }
    }
  }
  return index;
}

function indexOfSequence(haystack: string[], needle: string[], from: number): number {
  outer: for (let i = from; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** The transcript's own words for a word range, spaced as text. */
function wordsText(words: IndexedWord[], first: number, last: number): string {
  return words
    .slice(first, last + 1)
    .map((w) => w.text.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\s+([,.;:!?])/gu, '$1')
    .replace(/[,;:]$/u, '');
}

/**
 * Finds a quote in the transcript. Returns the evidence (the transcript's own wording of the
 * matched span, with its start and end times) or null when the quote is not there or has no words.
 */
export function findQuote(index: EvidenceIndex, quote: string): Evidence | null {
  const parts = quote
    .split(ELLIPSIS)
    .map(matchTokens)
    .filter((p) => p.length > 0);
  if (parts.length === 0) return null;
  let from = 0;
  let firstToken = -1;
  let lastToken = -1;
  for (const part of parts) {
    const at = indexOfSequence(index.tokens, part, from);
    if (at < 0) return null;
    if (firstToken < 0) firstToken = at;
    lastToken = at + part.length - 1;
    from = at + part.length;
  }
  const firstWord = index.tokenWord[firstToken];
  const lastWord = index.tokenWord[lastToken];
  if (firstWord === undefined || lastWord === undefined) return null;
  const start = index.words[firstWord]?.start ?? 0;
  const end = index.words[lastWord]?.end ?? start;
  return { quote: wordsText(index.words, firstWord, lastWord), start, end: Math.max(start, end) };
}
