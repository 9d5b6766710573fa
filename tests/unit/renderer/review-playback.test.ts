import { describe, expect, it } from 'vitest';
import type { DeliveryMetrics } from '../../../src/shared/metrics/delivery-metrics-types';
import type { Transcript } from '../../../src/shared/transcript/transcript';
import {
  clampTime,
  findWordIndexAt,
  flattenTranscript,
  formatClock,
  isTranscriptEmpty,
  shortcutAction,
  timelineDuration,
  timelineMarks,
  timelinePosition,
  type KeyInput,
  type TimedWord,
} from '../../../src/renderer/src/features/review/playback';

const transcript = (segments: Transcript['segments'], extra: Partial<Transcript> = {}): Transcript => ({
  language: 'en',
  durationSeconds: 30,
  segments,
  source: 'test',
  ...extra,
});

const words = (...spans: Array<[number, number]>): TimedWord[] =>
  spans.map(([start, end], index) => ({ index, text: `w${index}`, start, end }));

describe('formatClock', () => {
  it('formats minutes and seconds, and hours when needed', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(42.9)).toBe('0:42');
    expect(formatClock(725)).toBe('12:05');
    expect(formatClock(3723)).toBe('1:02:03');
  });
  it('reads negative and non-finite values as zero', () => {
    expect(formatClock(-3)).toBe('0:00');
    expect(formatClock(Number.NaN)).toBe('0:00');
    expect(formatClock(Number.POSITIVE_INFINITY)).toBe('0:00');
  });
});

describe('flattenTranscript', () => {
  it('numbers words across segments and trims their text', () => {
    const flat = flattenTranscript(
      transcript([
        {
          start: 0,
          end: 1,
          text: ' Hello there',
          words: [
            { text: ' Hello', start: 0, end: 0.4 },
            { text: ' there', start: 0.5, end: 0.9 },
          ],
        },
        { start: 2, end: 3, text: 'Again', words: [{ text: 'Again', start: 2, end: 2.5 }] },
      ]),
    );
    expect(flat.words.map((w) => [w.index, w.text])).toEqual([
      [0, 'Hello'],
      [1, 'there'],
      [2, 'Again'],
    ]);
    expect(flat.lines).toHaveLength(2);
    expect(flat.lines[1]?.words[0]?.index).toBe(2);
  });

  it('drops blank words and blank segments, keeps untimed text', () => {
    const flat = flattenTranscript(
      transcript([
        { start: 0, end: 1, text: '  ', words: [{ text: ' ', start: 0, end: 0.2 }] },
        { start: 1, end: 4, text: 'No word timings here', words: [] },
      ]),
    );
    expect(flat.words).toEqual([]);
    expect(flat.lines).toHaveLength(1);
    expect(flat.lines[0]?.text).toBe('No word timings here');
    expect(isTranscriptEmpty(flat)).toBe(false);
  });

  it('labels a speaker only where it changes and marks the partner', () => {
    const w = (text: string, start: number) => ({ text, start, end: start + 0.3 });
    const flat = flattenTranscript(
      transcript(
        [
          { start: 0, end: 1, text: 'Hi', speaker: 'customer', words: [w('Hi', 0)] },
          { start: 1, end: 2, text: 'Hello', speaker: 'partner', words: [w('Hello', 1)] },
          { start: 2, end: 3, text: 'So', speaker: 'partner', words: [w('So', 2)] },
        ],
        { partnerSpeaker: 'partner' },
      ),
    );
    expect(flat.lines.map((l) => l.speaker)).toEqual(['customer', 'partner', undefined]);
    expect(flat.lines.map((l) => l.isPartner)).toEqual([false, true, true]);
  });

  it('is empty for a missing or silent transcript', () => {
    expect(isTranscriptEmpty(flattenTranscript(null))).toBe(true);
    expect(isTranscriptEmpty(flattenTranscript(transcript([])))).toBe(true);
  });
});

describe('findWordIndexAt', () => {
  const list = words([0, 0.4], [0.5, 0.9], [1.0, 1.3], [5, 5.5]);

  it('finds the word whose span holds the time', () => {
    expect(findWordIndexAt(list, 0)).toBe(0);
    expect(findWordIndexAt(list, 0.6)).toBe(1);
    expect(findWordIndexAt(list, 1.0)).toBe(2);
    expect(findWordIndexAt(list, 5.2)).toBe(3);
  });

  it('holds the last word through a short gap and lets go in a real pause', () => {
    expect(findWordIndexAt(list, 0.45)).toBe(0);
    expect(findWordIndexAt(list, 1.7)).toBe(2);
    expect(findWordIndexAt(list, 3)).toBe(-1);
    expect(findWordIndexAt(list, 3, 10)).toBe(2);
  });

  it('returns -1 before the first word, after the last and for no words', () => {
    expect(findWordIndexAt(list, -1)).toBe(-1);
    expect(findWordIndexAt(list, 60)).toBe(-1);
    expect(findWordIndexAt([], 1)).toBe(-1);
    expect(findWordIndexAt(list, Number.NaN)).toBe(-1);
  });

  it('agrees with a linear scan on a long transcript', () => {
    const long = words(...Array.from({ length: 1001 }, (_, i): [number, number] => [i * 0.5, i * 0.5 + 0.3]));
    for (const t of [0, 0.31, 0.35, 100.1, 250.2, 499.9, 500.3, 500.9]) {
      let expected = -1;
      for (const w of long) if (w.start <= t) expected = w.end + 0.5 > t ? w.index : -1;
      expect(findWordIndexAt(long, t), `t=${t}`).toBe(expected);
    }
  });

  it('takes the later of two words starting together', () => {
    expect(findWordIndexAt(words([1, 2], [1, 1.5]), 1.2)).toBe(1);
  });
});

describe('clampTime and timelineDuration', () => {
  it('keeps seeks inside the recording', () => {
    expect(clampTime(-2, 30)).toBe(0);
    expect(clampTime(42, 30)).toBe(30);
    expect(clampTime(42, null)).toBe(42);
    expect(clampTime(42, Number.POSITIVE_INFINITY)).toBe(42);
    expect(clampTime(Number.NaN, 30)).toBe(0);
  });

  it('picks the first usable duration (MediaRecorder WebM reports Infinity)', () => {
    expect(timelineDuration(Number.POSITIVE_INFINITY, 0, 42, 50)).toBe(42);
    expect(timelineDuration(null, undefined)).toBeNull();
    expect(timelineDuration(12.5, 40)).toBe(12.5);
  });
});

const metrics = (overrides: Partial<DeliveryMetrics> = {}): DeliveryMetrics => ({
  durationSeconds: 100,
  speakingSeconds: 90,
  wordCount: 200,
  wordsPerMinute: 150,
  paceOverTime: [],
  fillerCount: 2,
  fillersPer100Words: 1,
  fillers: [
    { text: 'um', start: 40, end: 40.4 },
    { text: 'uh', start: 10, end: 10.3 },
  ],
  pauses: [{ start: 20, end: 25, seconds: 5 }],
  pauseCount: 1,
  longestPauseSeconds: 5,
  pausesOver2s: 1,
  longestStretchSeconds: 30,
  questionsAsked: 0,
  questions: [],
  hedgeCount: 0,
  hedgesPer100Words: 0,
  hedges: [],
  timeLimitSeconds: 120,
  timeUsedRatio: 0.83,
  talkRatio: null,
  ...overrides,
});

describe('timelineMarks', () => {
  it('places fillers and pauses in time order, in percent of the duration', () => {
    const marks = timelineMarks(metrics(), 100);
    expect(marks.map((m) => [m.kind, m.start, m.leftPct, m.widthPct])).toEqual([
      ['filler', 10, 10, 0],
      ['pause', 20, 20, 5],
      ['filler', 40, 40, 0],
    ]);
    expect(marks[0]?.label).toBe('Filler "uh" at 0:10');
    expect(marks[1]?.label).toBe('Pause of 5.0 s at 0:20');
  });

  it('clips marks past the end and gives nothing without metrics or duration', () => {
    const marks = timelineMarks(
      metrics({ fillers: [{ text: 'um', start: 150, end: 151 }], pauses: [] }),
      100,
    );
    expect(marks[0]?.leftPct).toBe(100);
    expect(timelineMarks(null, 100)).toEqual([]);
    expect(timelineMarks(metrics(), null)).toEqual([]);
    expect(timelineMarks(metrics(), 0)).toEqual([]);
  });

  it('positions the current-time indicator', () => {
    expect(timelinePosition(25, 100)).toBe(25);
    expect(timelinePosition(250, 100)).toBe(100);
    expect(timelinePosition(5, null)).toBe(0);
  });
});

describe('shortcutAction', () => {
  const key = (k: string, over: Partial<KeyInput> = {}): KeyInput => ({
    key: k,
    altKey: false,
    ctrlKey: false,
    metaKey: false,
    targetTag: 'body',
    targetEditable: false,
    ...over,
  });

  it('maps Space/K to play-pause and J/L/arrows to ±5 s', () => {
    expect(shortcutAction(key(' '))).toEqual({ type: 'toggle' });
    expect(shortcutAction(key('k'))).toEqual({ type: 'toggle' });
    expect(shortcutAction(key('K'))).toEqual({ type: 'toggle' });
    expect(shortcutAction(key('j'))).toEqual({ type: 'seekBy', seconds: -5 });
    expect(shortcutAction(key('ArrowLeft'))).toEqual({ type: 'seekBy', seconds: -5 });
    expect(shortcutAction(key('l'))).toEqual({ type: 'seekBy', seconds: 5 });
    expect(shortcutAction(key('ArrowRight'))).toEqual({ type: 'seekBy', seconds: 5 });
    expect(shortcutAction(key('x'))).toBeNull();
  });

  it('leaves typing and modified keys alone', () => {
    expect(shortcutAction(key('k', { targetTag: 'input' }))).toBeNull();
    expect(shortcutAction(key('ArrowLeft', { targetTag: 'textarea' }))).toBeNull();
    expect(shortcutAction(key('j', { targetTag: 'select' }))).toBeNull();
    expect(shortcutAction(key('l', { targetTag: 'div', targetEditable: true }))).toBeNull();
    expect(shortcutAction(key('k', { ctrlKey: true }))).toBeNull();
    expect(shortcutAction(key('ArrowLeft', { altKey: true }))).toBeNull();
    expect(shortcutAction(key('l', { metaKey: true }))).toBeNull();
  });

  it('lets Space press a focused button or the native player, but K still toggles there', () => {
    expect(shortcutAction(key(' ', { targetTag: 'button' }))).toBeNull();
    expect(shortcutAction(key(' ', { targetTag: 'video' }))).toBeNull();
    expect(shortcutAction(key('k', { targetTag: 'button' }))).toEqual({ type: 'toggle' });
  });
});
