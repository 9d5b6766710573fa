/**
 * Pure helpers for the review player: the transcript as timed words, which word is being spoken,
 * the timeline marks and the keyboard shortcuts. No DOM, no React: unit-tested in
 * tests/unit/renderer/review-playback.test.ts.
 */
import type { DeliveryMetrics } from '../../../../shared/metrics/delivery-metrics-types';
import { isPartnerSegment, type Transcript } from '../../../../shared/transcript/transcript';

import { formatClock } from '../../../../shared/text/format';

export { formatClock };

/** A word of the transcript with its position among all words. */
export interface TimedWord {
  index: number;
  text: string;
  start: number;
  end: number;
}

/** One transcript segment as the screen shows it: a line with its words (or its text if untimed). */
export interface TranscriptLine {
  start: number;
  end: number;
  /** Set when the speaker differs from the previous line's (two-speaker role-plays). */
  speaker?: string;
  /** Whether this speaker is the partner being assessed. */
  isPartner: boolean;
  words: TimedWord[];
  /** The segment text, for segments without word timings. */
  text: string;
}

export interface FlatTranscript {
  words: TimedWord[];
  lines: TranscriptLine[];
}

/** Splits the transcript into lines and one ordered list of timed words (empty words dropped). */
export function flattenTranscript(transcript: Transcript | null): FlatTranscript {
  const words: TimedWord[] = [];
  const lines: TranscriptLine[] = [];
  if (!transcript) return { words, lines };
  let previousSpeaker: string | undefined;
  for (const segment of transcript.segments) {
    const lineWords: TimedWord[] = [];
    for (const w of segment.words) {
      const text = w.text.trim();
      if (!text) continue;
      const word = { index: words.length, text, start: w.start, end: Math.max(w.start, w.end) };
      words.push(word);
      lineWords.push(word);
    }
    const text = segment.text.trim();
    if (lineWords.length === 0 && !text) continue;
    const speakerChanged = segment.speaker !== undefined && segment.speaker !== previousSpeaker;
    previousSpeaker = segment.speaker;
    lines.push({
      start: segment.start,
      end: segment.end,
      ...(speakerChanged && segment.speaker !== undefined ? { speaker: segment.speaker } : {}),
      isPartner: isPartnerSegment(transcript, segment),
      words: lineWords,
      text,
    });
  }
  return { words, lines };
}

/** True when the transcript holds no recognised speech at all. */
export const isTranscriptEmpty = (flat: FlatTranscript): boolean =>
  flat.words.length === 0 && flat.lines.every((l) => !l.text);

/**
 * The index of the word being spoken at `time`, or -1. Binary search over the words' start times
 * (they are in order); a word stays current for `holdSeconds` after it ends, so the highlight does
 * not flicker in the short gaps between words, and goes out in a real pause.
 */
export function findWordIndexAt(words: readonly TimedWord[], time: number, holdSeconds = 0.5): number {
  if (!Number.isFinite(time)) return -1;
  let lo = 0;
  let hi = words.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const word = words[mid];
    if (!word) break;
    if (word.start <= time) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const word = words[found];
  if (!word) return -1;
  return time < word.end + holdSeconds ? found : -1;
}

/** Keeps a seek target inside the recording (duration unknown: only not before 0). */
export function clampTime(time: number, duration: number | null): number {
  const t = Number.isFinite(time) ? Math.max(0, time) : 0;
  return duration !== null && Number.isFinite(duration) && duration > 0 ? Math.min(t, duration) : t;
}

/** The best length to draw the timeline against: the media's, else the measured one. */
export function timelineDuration(...candidates: Array<number | null | undefined>): number | null {
  for (const c of candidates) if (c !== null && c !== undefined && Number.isFinite(c) && c > 0) return c;
  return null;
}

export interface TimelineMark {
  kind: 'filler' | 'pause';
  start: number;
  end: number;
  /** Position and width on the timeline, in percent of its length. */
  leftPct: number;
  widthPct: number;
  label: string;
}

const pct = (value: number, duration: number) => Math.min(100, Math.max(0, (value / duration) * 100));

/** Fillers and pauses placed on a timeline of `duration` seconds, in time order. */
export function timelineMarks(metrics: DeliveryMetrics | null, duration: number | null): TimelineMark[] {
  if (!metrics || duration === null || duration <= 0) return [];
  const marks: TimelineMark[] = [
    ...metrics.pauses.map((p) => ({
      kind: 'pause' as const,
      start: p.start,
      end: p.end,
      leftPct: pct(p.start, duration),
      widthPct: Math.max(0, pct(p.end, duration) - pct(p.start, duration)),
      label: `Pause of ${p.seconds.toFixed(1)} s at ${formatClock(p.start)}`,
    })),
    ...metrics.fillers.map((f) => ({
      kind: 'filler' as const,
      start: f.start,
      end: f.end,
      leftPct: pct(f.start, duration),
      widthPct: 0,
      label: `Filler "${f.text}" at ${formatClock(f.start)}`,
    })),
  ];
  return marks.sort((a, b) => a.start - b.start || (a.kind === b.kind ? 0 : a.kind === 'pause' ? -1 : 1));
}

/** Position of the current-time indicator, in percent. */
export const timelinePosition = (time: number, duration: number | null): number =>
  duration === null || duration <= 0 ? 0 : pct(time, duration);

export type PlayerAction = { type: 'toggle' } | { type: 'seekBy'; seconds: number };

/** The keyboard shortcuts, as written in `aria-keyshortcuts`. */
export const SHORTCUTS = {
  toggle: 'Space K',
  back: 'J ArrowLeft',
  forward: 'L ArrowRight',
} as const;

export const SEEK_STEP_SECONDS = 5;

export interface KeyInput {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  /** Lower-case tag name of the focused element, e.g. 'input', 'button'. */
  targetTag: string;
  targetEditable: boolean;
}

const TYPING_TAGS = new Set(['input', 'textarea', 'select']);
/** Elements where Space already means "activate this" (or play, for the native media controls). */
const SPACE_TAGS = new Set(['button', 'a', 'summary', 'video', 'audio']);

/** What a key press does on the review screen; null when it is not a player shortcut. */
export function shortcutAction(e: KeyInput): PlayerAction | null {
  if (e.altKey || e.ctrlKey || e.metaKey) return null;
  if (e.targetEditable || TYPING_TAGS.has(e.targetTag)) return null;
  switch (e.key) {
    case ' ':
    case 'Spacebar':
      return SPACE_TAGS.has(e.targetTag) ? null : { type: 'toggle' };
    case 'k':
    case 'K':
      return { type: 'toggle' };
    case 'j':
    case 'J':
    case 'ArrowLeft':
      return { type: 'seekBy', seconds: -SEEK_STEP_SECONDS };
    case 'l':
    case 'L':
    case 'ArrowRight':
      return { type: 'seekBy', seconds: SEEK_STEP_SECONDS };
    default:
      return null;
  }
}
