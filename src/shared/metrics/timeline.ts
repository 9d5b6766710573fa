/**
 * Turns a Transcript into the clean, ordered token stream that every metric reads.
 *
 * - Words with a non-finite time are dropped; a word whose end is before its start gets end = start.
 * - Words are ordered by start time (stable), so overlapping or out-of-order words are tolerated.
 * - Pure punctuation "words" (whisper sometimes emits "," or "?" alone) are folded into the word before.
 * - When a segment's words carry no punctuation but its text has exactly one whitespace token per
 *   word, the punctuation is borrowed from the text (so "?" at the end of a segment is seen).
 * - Only the partner's words are kept when speakers are labelled (see `selectPartner`).
 * - A turn is a maximal run of partner words not interrupted by another speaker's word.
 */
import type { Transcript } from '../transcript/transcript';
import { normalizeWord } from './normalize';

export interface MetricToken {
  /** The word as written, punctuation included. */
  text: string;
  /** Lower-case letters, digits and apostrophes only ("" never occurs in a token stream). */
  norm: string;
  start: number;
  end: number;
  /** Followed by a comma-like mark: , ; : – — … */
  comma: boolean;
  /** Sentence-final punctuation, if any. */
  terminal: '.' | '?' | '!' | null;
  /** Seconds of silence to the next token of the same turn; null at a turn end or without timings. */
  gapAfter: number | null;
  /** Index of the turn this token belongs to. */
  turn: number;
}

export interface Span {
  start: number;
  end: number;
}

export interface Timeline {
  /** The partner's tokens in time order. */
  tokens: MetricToken[];
  /** The partner's turns: first word start to last word end of each. */
  turns: Span[];
  /** Talk seconds (sum of turn spans) by speaker label; '' holds unlabelled words. */
  talkSecondsBySpeaker: Map<string, number>;
  /** max(transcript.durationSeconds, last word end of anyone). */
  durationSeconds: number;
}

export interface TimelineOptions {
  /** Speaker label of the partner; falls back to transcript.partnerSpeaker. */
  partnerSpeaker?: string;
}

interface RawWord {
  text: string;
  start: number;
  end: number;
  speaker: string;
}

const TERMINAL = /([.?!])["')\]]*$/;
const COMMA = /[,;:\u2013\u2014\u2026]["')\]]*$|\.\.\.$/;

function punctuationOf(text: string): { comma: boolean; terminal: MetricToken['terminal'] } {
  const trimmed = text.trim();
  if (/\.\.\.["')\]]*$|\u2026["')\]]*$/.test(trimmed)) return { comma: true, terminal: null };
  const t = TERMINAL.exec(trimmed);
  if (t) return { comma: false, terminal: t[1] as '.' | '?' | '!' };
  return { comma: COMMA.test(trimmed), terminal: null };
}

function hasPunctuation(text: string): boolean {
  return /[.?!,;:\u2013\u2014\u2026]/.test(text);
}

/** All words of all segments, sanitised and in time order, with punctuation borrowed where needed. */
function collectWords(transcript: Transcript): RawWord[] {
  const out: RawWord[] = [];
  for (const segment of transcript.segments) {
    const speaker = segment.speaker ?? '';
    const words = segment.words.filter((w) => Number.isFinite(w.start) && Number.isFinite(w.end));
    const textTokens = segment.text.trim().split(/\s+/).filter(Boolean);
    const borrow =
      words.length > 0 && textTokens.length === words.length && !words.some((w) => hasPunctuation(w.text));
    words.forEach((w, i) => {
      const text = borrow ? (textTokens[i] ?? w.text) : w.text;
      out.push({ text, start: w.start, end: Math.max(w.start, w.end), speaker });
    });
  }
  return out
    .map((w, i) => ({ w, i }))
    .sort((a, b) => a.w.start - b.w.start || a.i - b.i)
    .map((x) => x.w);
}

/**
 * Which speaker's words count: the given partner label when any segment carries speaker labels;
 * every word otherwise (a monologue). Returns null for "everyone".
 */
export function selectPartner(transcript: Transcript, options: TimelineOptions = {}): string | null {
  const labelled = transcript.segments.some((s) => s.speaker !== undefined);
  if (!labelled) return null;
  return options.partnerSpeaker ?? transcript.partnerSpeaker ?? null;
}

export function buildTimeline(transcript: Transcript, options: TimelineOptions = {}): Timeline {
  const all = collectWords(transcript);
  const partner = selectPartner(transcript, options);
  const isPartner = (w: RawWord): boolean => partner === null || w.speaker === partner;

  // Talk time per speaker: runs of consecutive words of one speaker.
  const talkSecondsBySpeaker = new Map<string, number>();
  let runSpeaker: string | null = null;
  let runStart = 0;
  let runEnd = 0;
  const closeRun = (): void => {
    if (runSpeaker === null) return;
    talkSecondsBySpeaker.set(runSpeaker, (talkSecondsBySpeaker.get(runSpeaker) ?? 0) + (runEnd - runStart));
  };
  for (const w of all) {
    if (w.speaker !== runSpeaker) {
      closeRun();
      runSpeaker = w.speaker;
      runStart = w.start;
      runEnd = w.end;
    } else runEnd = Math.max(runEnd, w.end);
  }
  closeRun();

  // Partner tokens and turns.
  const tokens: MetricToken[] = [];
  const turns: Span[] = [];
  let inTurn = false;
  for (const w of all) {
    if (!isPartner(w)) {
      inTurn = false;
      continue;
    }
    const norm = normalizeWord(w.text);
    const punct = punctuationOf(w.text);
    const prev = tokens[tokens.length - 1];
    if (norm === '') {
      // Punctuation alone: attach it to the word before in the same turn.
      if (prev && inTurn) {
        prev.comma ||= punct.comma;
        prev.terminal ??= punct.terminal;
        prev.text += w.text.trim();
      }
      continue;
    }
    if (!inTurn) {
      turns.push({ start: w.start, end: w.end });
      inTurn = true;
    }
    const turn = turns.length - 1;
    const span = turns[turn];
    if (span) span.end = Math.max(span.end, w.end);
    tokens.push({ text: w.text.trim(), norm, start: w.start, end: w.end, ...punct, gapAfter: null, turn });
  }

  // Gaps to the next token of the same turn, measured from the latest end so far (overlaps → 0).
  let maxEnd = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as MetricToken;
    maxEnd = i === 0 || tokens[i - 1]?.turn !== t.turn ? t.end : Math.max(maxEnd, t.end);
    const next = tokens[i + 1];
    t.gapAfter = next && next.turn === t.turn ? Math.max(0, next.start - maxEnd) : null;
  }

  const lastEnd = all.reduce((m, w) => Math.max(m, w.end), 0);
  const declared = Number.isFinite(transcript.durationSeconds) ? transcript.durationSeconds : 0;
  return { tokens, turns, talkSecondsBySpeaker, durationSeconds: Math.max(declared, lastEnd) };
}

/**
 * Tokens from plain text without timings (imported transcripts, the MIT interview bench): every
 * gap is unknown (null) and the whole text is one turn.
 */
export function tokenizeText(text: string): MetricToken[] {
  const tokens: MetricToken[] = [];
  for (const raw of text.split(/\s+/)) {
    if (!raw) continue;
    const norm = normalizeWord(raw);
    const punct = punctuationOf(raw);
    const prev = tokens[tokens.length - 1];
    if (norm === '') {
      if (prev) {
        prev.comma ||= punct.comma;
        prev.terminal ??= punct.terminal;
      }
      continue;
    }
    tokens.push({ text: raw, norm, start: 0, end: 0, ...punct, gapAfter: null, turn: 0 });
  }
  return tokens;
}
