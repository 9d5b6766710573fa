/**
 * Silent pauses and the longest uninterrupted stretch of speech.
 *
 * FORMULA: a pause is a silence of at least `pauseThreshold` seconds (default 0.5 s) inside one of the
 * partner's turns (between the turn's first word start and last word end; silence while another
 * speaker talks is listening, not pausing). Silences come from the gaps between VAD speech spans when
 * the transcript has them, otherwise from the gaps between consecutive words (measured from the
 * latest word end so far, so overlapping words give no gap). pausesOver2s counts pauses longer than
 * 2 s. longestStretchSeconds is the longest piece of a turn left after cutting out every pause.
 *
 * THRESHOLDS: Campione & Véronis (2002), "A large-scale multilingual study of silent pause duration",
 * Speech Prosody 2002 (peer-reviewed conference), found silent pauses fall into brief (< 200 ms),
 * medium (200–1000 ms) and long (> 1000 ms) groups. 0.5 s sits inside the medium group, above the
 * timing jitter of ASR word stamps, so articulatory micro-pauses are not counted; 2 s marks the
 * pauses a listener notices as a hold-up. Both are Rehearse choices, not published norms.
 *
 * LIMITS: whisper stretches word end times over short silences, so word gaps under-report pauses;
 * VAD spans are more faithful when present. VAD spans are not speaker-aware: in a two-speaker
 * recording only VAD gaps inside the partner's turns are used.
 */
import type { Pause } from './delivery-metrics-types';
import type { MetricToken, Span } from './timeline';
import type { SpeechSpan } from '../transcript/transcript';

export const DEFAULT_PAUSE_THRESHOLD = 0.5;
export const LONG_PAUSE_SECONDS = 2;

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Silences between sorted, merged VAD spans. */
function vadSilences(speech: SpeechSpan[]): Span[] {
  const spans = speech
    .filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end))
    .map((s) => ({ start: s.start, end: Math.max(s.start, s.end) }))
    .sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  let maxEnd: number | null = null;
  for (const s of spans) {
    if (maxEnd !== null && s.start > maxEnd) out.push({ start: maxEnd, end: s.start });
    maxEnd = maxEnd === null ? s.end : Math.max(maxEnd, s.end);
  }
  return out;
}

/** Silences between consecutive words of the same turn. */
function wordSilences(tokens: MetricToken[]): Span[] {
  const out: Span[] = [];
  let maxEnd = 0;
  tokens.forEach((t, i) => {
    maxEnd = i === 0 || tokens[i - 1]?.turn !== t.turn ? t.end : Math.max(maxEnd, t.end);
    if (t.gapAfter !== null && t.gapAfter > 0) out.push({ start: maxEnd, end: maxEnd + t.gapAfter });
  });
  return out;
}

/** Pauses of at least `threshold` seconds inside the partner's turns, in time order. */
export function findPauses(
  tokens: MetricToken[],
  turns: Span[],
  options: { threshold?: number; speech?: SpeechSpan[] } = {},
): Pause[] {
  const threshold = options.threshold ?? DEFAULT_PAUSE_THRESHOLD;
  const silences =
    options.speech && options.speech.length > 0 ? vadSilences(options.speech) : wordSilences(tokens);
  const out: Pause[] = [];
  for (const s of silences) {
    for (const turn of turns) {
      const start = Math.max(s.start, turn.start);
      const end = Math.min(s.end, turn.end);
      // A small epsilon keeps 0.5 s gaps from floating-point subtraction (e.g. 3.7 - 3.2) counting.
      if (end - start >= threshold - 1e-9)
        out.push({ start: round(start), end: round(end), seconds: round(end - start) });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The longest piece of any turn once all pauses are cut out, in seconds. */
export function longestStretch(turns: Span[], pauses: Pause[]): number {
  let longest = 0;
  for (const turn of turns) {
    let cursor = turn.start;
    for (const p of pauses) {
      if (p.end <= turn.start || p.start >= turn.end) continue;
      longest = Math.max(longest, Math.max(0, p.start - cursor));
      cursor = Math.max(cursor, p.end);
    }
    longest = Math.max(longest, Math.max(0, turn.end - cursor));
  }
  return round(longest);
}

/** Pause figures in one object. */
export function summarizePauses(pauses: Pause[]): {
  pauseCount: number;
  longestPauseSeconds: number;
  pausesOver2s: number;
} {
  return {
    pauseCount: pauses.length,
    longestPauseSeconds: pauses.reduce((m, p) => Math.max(m, p.seconds), 0),
    pausesOver2s: pauses.filter((p) => p.seconds > LONG_PAUSE_SECONDS).length,
  };
}
