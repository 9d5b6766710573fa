import { memo, useMemo } from 'react';
import type { SubmissionManifest } from '../../lib/api';
import { formatClock } from '../../lib/format';
import { useReview } from './review-store';

interface Line {
  start: number;
  speaker: string | undefined;
  text: string;
  words: { index: number; text: string; start: number }[];
}

function linesOf(transcript: SubmissionManifest['transcript']): { lines: Line[]; starts: number[] } {
  const starts: number[] = [];
  const lines = transcript.segments.map((segment) => ({
    start: segment.start,
    speaker: segment.speaker,
    text: segment.text,
    words: segment.words.map((w) => {
      starts.push(w.start);
      return { index: starts.length - 1, text: w.text, start: w.start };
    }),
  }));
  return { lines, starts };
}

/** Index of the last word that started at or before `t`, or -1. */
export function wordIndexAt(starts: readonly number[], t: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((starts[mid] ?? Infinity) <= t + 0.01) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The transcript from the manifest, word by word: the word being spoken is highlighted and clicking
 * a word seeks there. Each line starts with a time button, so keyboard users seek line by line
 * without tabbing through every word.
 */
export function TranscriptPanel({ transcript }: { transcript: SubmissionManifest['transcript'] }) {
  const { lines, starts } = useMemo(() => linesOf(transcript), [transcript]);
  const current = useReview((s) => wordIndexAt(starts, s.currentTime));
  const onSeek = (start: number) => useReview.getState().seek(start);
  return (
    <section className="panel transcript" aria-labelledby="transcript-title">
      <h3 id="transcript-title">Transcript</h3>
      {lines.length === 0 ? (
        <p className="muted">The transcript is empty.</p>
      ) : (
        <div className="transcript-lines">
          {lines.map((line, i) => (
            <TranscriptLine key={i} line={line} current={current} onSeek={onSeek} />
          ))}
        </div>
      )}
      <p className="muted small">Click a word, or a line’s time, to play from there.</p>
    </section>
  );
}

const TranscriptLine = memo(
  function TranscriptLine({
    line,
    current,
    onSeek,
  }: {
    line: Line;
    current: number;
    onSeek: (t: number) => void;
  }) {
    return (
      <p className="transcript-line">
        <button
          type="button"
          className="link-button time"
          onClick={() => onSeek(line.start)}
          aria-label={`Play from ${formatClock(line.start)}`}
        >
          {formatClock(line.start)}
        </button>{' '}
        {line.speaker && <strong>{line.speaker}: </strong>}
        {line.words.length === 0
          ? line.text
          : line.words.map((w) => (
              <span key={w.index}>
                <span
                  className={w.index === current ? 'word current' : 'word'}
                  data-word={w.index}
                  data-start={w.start}
                  aria-current={w.index === current ? 'true' : undefined}
                  onClick={() => onSeek(w.start)}
                >
                  {w.text.trim()}
                </span>{' '}
              </span>
            ))}
      </p>
    );
  },
  (a, b) =>
    a.line === b.line &&
    a.onSeek === b.onSeek &&
    inLine(a.line, a.current) === inLine(b.line, b.current) &&
    (!inLine(a.line, a.current) || a.current === b.current),
);

const inLine = (line: Line, index: number) =>
  line.words.length > 0 && index >= (line.words[0]?.index ?? 0) && index <= (line.words.at(-1)?.index ?? -1);
