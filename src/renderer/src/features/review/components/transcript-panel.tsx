import { memo, useEffect, useRef, type MouseEvent } from 'react';
import { findWordIndexAt, formatClock, isTranscriptEmpty, type TranscriptLine } from '../playback';
import { useReview } from '../store';
import { usePlayer } from './player';

/**
 * The transcript, word by word, synchronised with the player: the word being spoken is highlighted
 * (aria-current) and clicking a word seeks there. Each line starts with a time button for keyboard
 * users, so the word spans do not flood the tab order.
 */
export function TranscriptPanel() {
  const transcript = useReview((s) => s.transcript);
  const hasTranscript = useReview((s) => s.review?.transcript != null);
  const source = useReview((s) => s.review?.transcript?.source ?? null);
  const current = useReview((s) => findWordIndexAt(s.transcript.words, s.currentTime));
  const player = usePlayer();
  const containerRef = useRef<HTMLDivElement>(null);

  // Keep the current word in view inside the transcript box (without scrolling the page).
  useEffect(() => {
    const box = containerRef.current;
    if (!box || current < 0) return;
    const word = box.querySelector<HTMLElement>(`[data-word="${current}"]`);
    if (!word) return;
    const top = word.offsetTop - box.offsetTop;
    if (top < box.scrollTop || top + word.offsetHeight > box.scrollTop + box.clientHeight)
      box.scrollTop = Math.max(0, top - box.clientHeight / 3);
  }, [current]);

  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const target = (e.target as HTMLElement).closest<HTMLElement>('[data-start]');
    const start = Number(target?.dataset.start);
    if (target && Number.isFinite(start)) player.seek(start);
  };

  return (
    <section className="panel review-transcript" aria-label="Transcript">
      <h3>Transcript</h3>
      {!hasTranscript ? (
        <p className="muted">There is no transcript yet: the recording has not been transcribed.</p>
      ) : isTranscriptEmpty(transcript) ? (
        <p className="muted">
          The transcript is empty: no speech was recognised in the recording. Check that the right microphone
          was selected and that it was not muted, then record again.
        </p>
      ) : (
        <>
          <div ref={containerRef} className="transcript-lines" onClick={onClick}>
            {transcript.lines.map((line, i) => (
              <Line key={i} line={line} current={current} />
            ))}
          </div>
          {source && <p className="muted small">Transcribed by {source}. Click a word to play from there.</p>}
        </>
      )}
    </section>
  );
}

/** Re-renders only when the current word enters or leaves this line. */
const Line = memo(
  function Line({ line, current }: { line: TranscriptLine; current: number }) {
    return (
      <p className={line.isPartner ? 'transcript-line' : 'transcript-line other-speaker'}>
        <button
          type="button"
          className="transcript-time"
          data-start={line.start}
          aria-label={`Play from ${formatClock(line.start)}`}
        >
          {formatClock(line.start)}
        </button>
        {line.speaker && <strong className="transcript-speaker">{line.speaker}: </strong>}
        {line.words.length === 0 ? (
          <span className="word" data-start={line.start}>
            {line.text}
          </span>
        ) : (
          line.words.map((w) => (
            <span key={w.index}>
              <span
                className="word"
                data-word={w.index}
                data-start={w.start}
                aria-current={w.index === current ? 'true' : undefined}
              >
                {w.text}
              </span>{' '}
            </span>
          ))
        )}
      </p>
    );
  },
  (prev, next) => {
    if (prev.line !== next.line) return false;
    const first = prev.line.words[0]?.index ?? -1;
    const last = prev.line.words[prev.line.words.length - 1]?.index ?? -2;
    const had = prev.current >= first && prev.current <= last;
    const has = next.current >= first && next.current <= last;
    return !had && !has;
  },
);
