import { useState, type RefObject } from 'react';
import { mediaUrl } from '../../../lib/api';
import {
  formatClock,
  SEEK_STEP_SECONDS,
  SHORTCUTS,
  timelineDuration,
  timelineMarks,
  timelinePosition,
} from '../playback';
import { playableRecording } from '../report';
import { useReview } from '../store';
import { usePlayer } from './player';

/** The recording, its player buttons and the fillers-and-pauses timeline under it. */
export function MediaPlayer({ videoRef }: { videoRef: RefObject<HTMLVideoElement | null> }) {
  const review = useReview((s) => s.review);
  const setCurrentTime = useReview((s) => s.setCurrentTime);
  const setMediaDuration = useReview((s) => s.setMediaDuration);
  const player = usePlayer();
  const [playing, setPlaying] = useState(false);
  const [mediaError, setMediaError] = useState<string | null>(null);
  if (!review) return null;
  const recording = playableRecording(review.attempt);

  return (
    <section className="review-player" aria-label="Player">
      {recording ? (
        <>
          <video
            key={recording.id}
            ref={videoRef}
            className={recording.kind === 'audio' ? 'review-video audio-only' : 'review-video'}
            src={mediaUrl(recording.id)}
            controls
            preload="metadata"
            aria-label="Recording"
            aria-keyshortcuts={`${SHORTCUTS.toggle} ${SHORTCUTS.back} ${SHORTCUTS.forward}`}
            onTimeUpdate={(e) => setCurrentTime(e.currentTarget.currentTime)}
            onSeeked={(e) => setCurrentTime(e.currentTarget.currentTime)}
            onLoadedMetadata={(e) => setMediaDuration(e.currentTarget.duration)}
            onDurationChange={(e) => setMediaDuration(e.currentTarget.duration)}
            onPlay={() => setPlaying(true)}
            onPause={() => setPlaying(false)}
            onEnded={() => setPlaying(false)}
            onError={(e) =>
              setMediaError(
                e.currentTarget.error?.message ||
                  'The recording could not be played. The file may be missing or in a format this app cannot play.',
              )
            }
          />
          {recording.kind === 'audio' && (
            <p className="muted small">Audio only: this attempt was recorded without video.</p>
          )}
          {mediaError && (
            <p role="alert" className="review-media-error">
              {mediaError}
            </p>
          )}
          <div className="row review-player-buttons">
            <button
              type="button"
              onClick={() => player.seekBy(-SEEK_STEP_SECONDS)}
              aria-keyshortcuts={SHORTCUTS.back}
              title="Back 5 seconds (J or ←)"
            >
              −{SEEK_STEP_SECONDS} s
            </button>
            <button
              type="button"
              onClick={() => player.toggle()}
              aria-keyshortcuts={SHORTCUTS.toggle}
              title="Play or pause (Space or K)"
            >
              {playing ? 'Pause' : 'Play'}
            </button>
            <button
              type="button"
              onClick={() => player.seekBy(SEEK_STEP_SECONDS)}
              aria-keyshortcuts={SHORTCUTS.forward}
              title="Forward 5 seconds (L or →)"
            >
              +{SEEK_STEP_SECONDS} s
            </button>
            <span className="muted small">Keys: Space/K play-pause · J/← back 5 s · L/→ forward 5 s</span>
          </div>
        </>
      ) : (
        <p className="empty-state">No recording is stored for this attempt, so there is nothing to play.</p>
      )}
      <Timeline />
    </section>
  );
}

function Timeline() {
  const metrics = useReview((s) => s.review?.metrics ?? null);
  const fallbackDuration = useReview(
    (s) => s.review?.transcript?.durationSeconds ?? s.review?.attempt.durationSeconds ?? null,
  );
  const mediaDuration = useReview((s) => s.mediaDuration);
  const currentTime = useReview((s) => s.currentTime);
  const player = usePlayer();
  const duration = timelineDuration(mediaDuration, metrics?.durationSeconds, fallbackDuration);
  if (!metrics)
    return <p className="muted small">No delivery timeline: the attempt has not been measured.</p>;
  if (duration === null) return null;
  const marks = timelineMarks(metrics, duration);

  return (
    <div className="review-timeline-wrap">
      <div
        className="review-timeline"
        role="group"
        aria-label="Timeline of fillers and pauses"
        onClick={(e) => {
          // Clicking the bar itself (not a mark) seeks proportionally.
          if (e.target !== e.currentTarget) return;
          const box = e.currentTarget.getBoundingClientRect();
          if (box.width > 0) player.seek(((e.clientX - box.left) / box.width) * duration);
        }}
      >
        {marks.map((m, i) => (
          <button
            key={`${m.kind}-${i}`}
            type="button"
            className={`timeline-mark timeline-${m.kind}`}
            style={{ left: `${m.leftPct}%`, ...(m.kind === 'pause' ? { width: `${m.widthPct}%` } : {}) }}
            aria-label={m.label}
            title={m.label}
            onClick={() => player.seek(m.start)}
          />
        ))}
        <div
          className="timeline-now"
          style={{ left: `${timelinePosition(currentTime, duration)}%` }}
          aria-hidden="true"
        />
      </div>
      <div className="row small muted review-timeline-legend">
        <span>
          {formatClock(currentTime)} / {formatClock(duration)}
        </span>
        <span>
          <span className="legend-swatch timeline-filler" aria-hidden="true" /> {metrics.fillers.length}{' '}
          filler
          {metrics.fillers.length === 1 ? '' : 's'}
        </span>
        <span>
          <span className="legend-swatch timeline-pause" aria-hidden="true" /> {metrics.pauses.length} pause
          {metrics.pauses.length === 1 ? '' : 's'}
        </span>
      </div>
    </div>
  );
}
