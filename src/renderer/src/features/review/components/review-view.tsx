import { useEffect } from 'react';
import { navigate } from '../../../lib/router';
import { shortcutAction } from '../playback';
import { followReviewEvents, useReview } from '../store';
import '../review.css';
import {
  Criteria,
  DeliveryPanel,
  Improvements,
  JudgedBy,
  MissingFeedbackPanel,
  NextPractice,
  ScoreSummary,
  Strengths,
} from './feedback-panels';
import { MediaPlayer } from './media-player';
import { PlayerContext, usePlayerController, type PlayerController } from './player';
import { TranscriptPanel } from './transcript-panel';
import { SubmissionPanel } from './submission-panel';

/** The feedback review of one attempt: the recording with its transcript and timeline, and the report. */
export function ReviewView({ attemptId }: { attemptId: string }) {
  const loadedId = useReview((s) => s.attemptId);
  const status = useReview((s) => s.status);
  const review = useReview((s) => s.review);
  const error = useReview((s) => s.error);
  const busy = useReview((s) => s.busy);
  const open = useReview((s) => s.open);
  const reload = useReview((s) => s.reload);
  const remove = useReview((s) => s.remove);
  const { videoRef, controller } = usePlayerController();

  useEffect(() => {
    void open(attemptId);
  }, [attemptId, open]);
  useEffect(() => followReviewEvents(), []);
  usePlayerShortcuts(controller, status === 'ready');

  if (status === 'idle' || status === 'loading' || loadedId !== attemptId)
    return (
      <p aria-busy="true" className="muted">
        Loading the review…
      </p>
    );
  if (status === 'deleted')
    return (
      <section className="empty-state">
        <h2>This attempt was deleted</h2>
        <p>Its recording, transcript and feedback are gone from this computer.</p>
        <button type="button" onClick={() => navigate({ name: 'progress' })}>
          Go to Progress
        </button>
      </section>
    );
  if (status === 'error' || !review)
    return (
      <section className="empty-state" role="alert">
        <h2>The review could not be loaded</h2>
        <p>{error ?? 'Unknown error.'}</p>
        <div className="row" style={{ justifyContent: 'center' }}>
          <button type="button" onClick={() => void reload()}>
            Try again
          </button>
          <button type="button" onClick={() => navigate({ name: 'library' })}>
            Back to the library
          </button>
        </div>
      </section>
    );

  const { attempt, scenario, feedback, metrics } = review;
  const onDelete = async () => {
    if (!window.confirm('Delete this attempt, its recording and its feedback? This cannot be undone.'))
      return;
    if (await remove())
      navigate(
        { name: 'progress', programId: attempt.programId, scenarioId: attempt.scenarioId },
        { replace: true },
      );
  };

  return (
    <PlayerContext.Provider value={controller}>
      <article className="review">
        <header className="review-header">
          <div>
            <h2>{scenario.title}</h2>
            <p className="muted">
              {attempt.mode === 'formal' ? 'Formal submission' : 'Practice attempt'} ·{' '}
              {new Date(attempt.createdAt).toLocaleString()}
              {attempt.interrupted && ' · recovered after the app stopped mid-recording'}
            </p>
          </div>
          <div className="row">
            <button
              type="button"
              onClick={() =>
                navigate({ name: 'progress', programId: attempt.programId, scenarioId: attempt.scenarioId })
              }
            >
              Progress on this scenario
            </button>
            <button type="button" className="danger" disabled={busy !== null} onClick={() => void onDelete()}>
              {busy === 'deleting' ? 'Deleting…' : 'Delete attempt'}
            </button>
          </div>
        </header>

        <div className="review-grid">
          <div className="review-main">
            <MediaPlayer videoRef={videoRef} />
            <TranscriptPanel />
          </div>
          <div className="review-side">
            {feedback ? (
              <>
                <ScoreSummary feedback={feedback} />
                <Improvements feedback={feedback} />
                <Strengths feedback={feedback} />
                <NextPractice feedback={feedback} attempt={attempt} />
              </>
            ) : (
              <MissingFeedbackPanel attempt={attempt} />
            )}
          </div>
        </div>

        <SubmissionPanel attempt={attempt} />
        {feedback && <Criteria feedback={feedback} />}
        <DeliveryPanel metrics={metrics} />
        {feedback && <JudgedBy feedback={feedback} />}
      </article>
    </PlayerContext.Provider>
  );
}

/** Space/K, J/L and the arrow keys drive the player while focus is not in a text field. */
function usePlayerShortcuts(controller: PlayerController, enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      const action = shortcutAction({
        key: e.key,
        altKey: e.altKey,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        targetTag: target?.tagName.toLowerCase() ?? '',
        targetEditable: target?.isContentEditable ?? false,
      });
      if (!action) return;
      e.preventDefault();
      if (action.type === 'toggle') controller.toggle();
      else controller.seekBy(action.seconds);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller, enabled]);
}
