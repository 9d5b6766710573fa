/**
 * Speaking rate.
 *
 * FORMULA:
 * - wordsPerMinute = wordCount / speakingSeconds × 60, where speakingSeconds is the sum of the
 *   partner's turn spans (first word start to last word end of each turn). Pauses inside a turn are
 *   included, listening time and leading/trailing silence are not — the same convention as the
 *   published speech-rate studies, which time whole stretches of talk.
 * - wordsPerMinuteOverall = wordCount / durationSeconds × 60 (the whole recording).
 * - paceOverTime: consecutive windows of `windowSeconds` (default 15 s) from 0 to the duration; each
 *   word falls in the window holding its midpoint; a window's rate is its words / its length × 60.
 *   A last window shorter than half a window is merged into the one before (a 2-second tail would
 *   give a meaningless rate).
 *
 * REFERENCE RANGE: 140–170 wpm. SOURCES: Tauroza & Allison (1990), "Speech rates in British English",
 * Applied Linguistics 11(1) (peer-reviewed): radio monologue ≈ 160 wpm, lectures ≈ 140 wpm,
 * conversation faster; the National Center for Voice and Speech (NCVS, educational web material, not
 * peer-reviewed) gives ≈ 150 wpm as the average conversational rate of US English. The band suits
 * presentation-like answers; conversation runs faster.
 *
 * LIMITS: counts recogniser words (contractions count once, numbers as written); zero speaking time
 * gives 0, never NaN.
 */
import type { Span } from './timeline';

export const DEFAULT_PACE_WINDOW_SECONDS = 15;

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

export function wordsPerMinute(wordCount: number, seconds: number): number {
  if (!(seconds > 0) || wordCount <= 0) return 0;
  return round1((wordCount / seconds) * 60);
}

/** Sum of span lengths after merging overlaps. */
export function totalSpanSeconds(spans: Span[]): number {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let total = 0;
  let cur: Span | null = null;
  for (const s of sorted) {
    if (cur && s.start <= cur.end) cur.end = Math.max(cur.end, s.end);
    else {
      if (cur) total += cur.end - cur.start;
      cur = { start: s.start, end: Math.max(s.start, s.end) };
    }
  }
  if (cur) total += cur.end - cur.start;
  return Math.round(total * 1000) / 1000;
}

export function paceOverTime(
  words: ReadonlyArray<{ start: number; end: number }>,
  durationSeconds: number,
  windowSeconds = DEFAULT_PACE_WINDOW_SECONDS,
): Array<{ start: number; end: number; wordsPerMinute: number }> {
  if (!(durationSeconds > 0) || !(windowSeconds > 0)) return [];
  const bounds: Span[] = [];
  for (let start = 0; start < durationSeconds; start += windowSeconds)
    bounds.push({ start, end: Math.min(durationSeconds, start + windowSeconds) });
  const last = bounds[bounds.length - 1];
  const beforeLast = bounds[bounds.length - 2];
  if (last && beforeLast && last.end - last.start < windowSeconds / 2) {
    beforeLast.end = last.end;
    bounds.pop();
  }
  const counts = bounds.map(() => 0);
  for (const w of words) {
    const mid = (w.start + Math.max(w.start, w.end)) / 2;
    const index = Math.min(bounds.length - 1, Math.max(0, Math.floor(mid / windowSeconds)));
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return bounds.map((b, i) => ({
    start: b.start,
    end: b.end,
    wordsPerMinute: wordsPerMinute(counts[i] ?? 0, b.end - b.start),
  }));
}
