/**
 * Maps whisper-cli's full JSON output (`-ojf`) to our Transcript. Pure.
 *
 * Words come from the token list: a token whose text starts with a space begins a new word, other
 * tokens (word pieces, punctuation) extend the current one. A word spans from its first token's
 * start to its last token's end; its confidence is the mean token probability. Special tokens
 * (`[_BEG_]`, `[_TT_150]`, `<|endoftext|>`) and non-speech annotations (`[BLANK_AUDIO]`, `(music)`)
 * are dropped, so silence yields no segments.
 */
import { z } from 'zod';
import type { Segment, Word } from '../../../shared/transcript/transcript';

const offsetsSchema = z.object({ from: z.number(), to: z.number() });

const tokenSchema = z.object({
  text: z.string(),
  offsets: offsetsSchema.optional(),
  id: z.number().optional(),
  p: z.number().optional(),
});

const segmentSchema = z.object({
  offsets: offsetsSchema,
  text: z.string(),
  tokens: z.array(tokenSchema).optional(),
});

export const whisperJsonSchema = z.object({
  result: z.object({ language: z.string() }).optional(),
  transcription: z.array(segmentSchema),
});
export type WhisperJson = z.infer<typeof whisperJsonSchema>;
type WhisperToken = z.infer<typeof tokenSchema>;

const SPECIAL_TOKEN = /^(\[_[A-Z]+_?\d*\]|<\|[^|]*\|>)$/;
/** Whole-text annotations whisper emits for non-speech, e.g. "[BLANK_AUDIO]", "(silence)", "[ Music ]". */
const ANNOTATION = /^\s*(\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|♪+)\s*$/;

const round = (ms: number) => Math.round(Math.max(0, ms)) / 1000;

function isSpecial(token: WhisperToken): boolean {
  return SPECIAL_TOKEN.test(token.text);
}

/** Groups a segment's tokens into words with timings (seconds). */
export function tokensToWords(
  tokens: readonly WhisperToken[],
  segmentStartMs: number,
  segmentEndMs: number,
): Word[] {
  const words: Word[] = [];
  let text = '';
  let startMs: number | undefined;
  let endMs: number | undefined;
  let probs: number[] = [];

  const flush = () => {
    const trimmed = text.trim();
    if (trimmed && !ANNOTATION.test(trimmed)) {
      const start = Math.min(Math.max(startMs ?? segmentStartMs, segmentStartMs), segmentEndMs);
      const end = Math.max(Math.min(endMs ?? segmentEndMs, segmentEndMs), start);
      const word: Word = { text: trimmed, start: round(start), end: round(end) };
      if (probs.length > 0) {
        const mean = probs.reduce((a, b) => a + b, 0) / probs.length;
        word.confidence = Math.round(Math.min(1, Math.max(0, mean)) * 1000) / 1000;
      }
      words.push(word);
    }
    text = '';
    startMs = undefined;
    endMs = undefined;
    probs = [];
  };

  for (const token of tokens) {
    if (isSpecial(token)) continue;
    const startsWord = token.text.startsWith(' ') && text.trim() !== '';
    if (startsWord) flush();
    text += token.text;
    if (token.offsets) {
      startMs ??= token.offsets.from;
      endMs = token.offsets.to;
    }
    if (token.p !== undefined) probs.push(token.p);
  }
  flush();
  return words;
}

/** Converts parsed whisper-cli JSON to transcript segments. */
export function whisperJsonToSegments(json: WhisperJson): Segment[] {
  const segments: Segment[] = [];
  for (const s of json.transcription) {
    const text = s.text.trim();
    if (!text || ANNOTATION.test(text)) continue;
    const startMs = s.offsets.from;
    const endMs = Math.max(s.offsets.to, startMs);
    const words = s.tokens ? tokensToWords(s.tokens, startMs, endMs) : [];
    if (s.tokens && words.length === 0) continue;
    segments.push({
      start: round(startMs),
      end: round(endMs),
      text: words.length ? words.map((w) => w.text).join(' ') : text,
      words,
    });
  }
  return segments;
}

/** Parses whisper-cli's JSON file text; throws a plain Error on malformed output. */
export function parseWhisperJson(text: string): WhisperJson {
  return whisperJsonSchema.parse(JSON.parse(text));
}
