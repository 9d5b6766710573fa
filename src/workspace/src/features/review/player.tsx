import { useEffect, useRef, useState } from 'react';
import { api, type ReviewDetail } from '../../lib/api';
import { useReview } from './review-store';

/**
 * The recording (GET …/recording; the browser asks with Range, so seeking works) with native
 * controls. It publishes its time to the store for the transcript and the pinned comments, and
 * registers `seek` so words, evidence and comments can move it.
 */
export function Player({ detail }: { detail: ReviewDetail }) {
  const ref = useRef<HTMLVideoElement>(null);
  const [mediaError, setMediaError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const recording = detail.recording;
  const playable = recording?.available === true;

  useEffect(() => {
    const video = ref.current;
    const { setTime } = useReview.getState();
    useReview.setState({
      seek: (seconds) => {
        setTime(seconds);
        if (!video || !playable) return;
        if (video.readyState >= HTMLMediaElement.HAVE_METADATA) video.currentTime = seconds;
        else video.addEventListener('loadedmetadata', () => (video.currentTime = seconds), { once: true });
      },
    });
    if (!video) return () => useReview.setState({ seek: setTime });
    // Smooth highlighting while playing; timeupdate alone fires only every ~250 ms.
    let frame = 0;
    const tick = () => {
      setTime(video.currentTime);
      frame = video.paused ? 0 : requestAnimationFrame(tick);
    };
    const onPlay = () => {
      if (!frame) frame = requestAnimationFrame(tick);
    };
    video.addEventListener('play', onPlay);
    return () => {
      cancelAnimationFrame(frame);
      video.removeEventListener('play', onPlay);
      useReview.setState({ seek: setTime });
    };
  }, [playable]);

  if (!recording)
    return (
      <div className="player panel">
        <p className="muted">
          The partner sent this submission without a recording: review the transcript and the AI’s draft.
        </p>
      </div>
    );
  if (!playable)
    return (
      <div className="player panel">
        <p className="muted">The recording has not arrived yet.</p>
      </div>
    );
  return (
    <div className="player panel">
      <video
        ref={ref}
        className={recording.kind === 'audio' ? 'review-video audio-only' : 'review-video'}
        src={api.recordingUrl(detail.submission.id)}
        controls
        preload="metadata"
        aria-label={`Recording of ${detail.partner.name}`}
        onLoadedMetadata={() => setReady(true)}
        onTimeUpdate={(e) => useReview.getState().setTime(e.currentTarget.currentTime)}
        onSeeked={(e) => useReview.getState().setTime(e.currentTarget.currentTime)}
        onError={(e) => {
          const code = e.currentTarget.error?.code;
          setMediaError(
            code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED
              ? `This browser cannot play the recording (${recording.mime}).`
              : 'The recording could not be loaded. Reload the page to try again.',
          );
        }}
      />
      {!ready && !mediaError && (
        <p className="muted small" aria-live="polite">
          Loading the recording…
        </p>
      )}
      {mediaError && (
        <p className="error-text" role="alert">
          {mediaError}
        </p>
      )}
    </div>
  );
}
