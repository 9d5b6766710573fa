import { useEffect } from 'react';
import { formatErrorLine } from '../../../../../shared/errors';
import { navigate } from '../../../lib/router';
import { STAGE_LABELS, useAnalysis } from '../store';

const STATUS_TEXT = {
  pending: 'waiting',
  running: 'working…',
  done: 'done',
  skipped: 'done earlier',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;

export function AnalysisView({ attemptId }: { attemptId: string }) {
  const { attempt, stages, running, finished, loadError, cancel, retry } = useAnalysis();

  useEffect(() => {
    let off: (() => void) | undefined;
    void useAnalysis
      .getState()
      .open(attemptId)
      .then((unsubscribe) => (off = unsubscribe));
    return () => off?.();
  }, [attemptId]);

  // Straight to the feedback once it is ready.
  useEffect(() => {
    if (finished?.ok) navigate({ name: 'review', attemptId }, { replace: true });
  }, [finished, attemptId]);

  if (loadError)
    return (
      <section className="panel" role="alert">
        <h2>This attempt cannot be shown</h2>
        <p>{loadError}</p>
        <button type="button" onClick={() => navigate({ name: 'library' })}>
          Back to the library
        </button>
      </section>
    );
  if (!attempt) return <p aria-busy="true">Loading…</p>;

  const notStarted = !running && !finished;
  return (
    <section className="panel" aria-label="Analysis">
      <h2>Analysing your answer</h2>
      <p className="muted">Everything runs on this computer; nothing is uploaded.</p>
      <ol className="stages">
        {stages.map((s) => (
          <li key={s.stage} data-status={s.status}>
            <div className="row">
              <strong>{STAGE_LABELS[s.stage]}</strong>
              <span className="muted">{STATUS_TEXT[s.status]}</span>
            </div>
            <progress
              aria-label={STAGE_LABELS[s.stage]}
              max={1}
              value={s.status === 'done' || s.status === 'skipped' ? 1 : s.progress}
            />
            {s.status === 'failed' && s.message ? <p className="error-text">{s.message}</p> : null}
          </li>
        ))}
      </ol>
      {running ? (
        <button type="button" onClick={() => void cancel()}>
          Cancel
        </button>
      ) : null}
      {finished && !finished.ok ? (
        <div role="alert">
          <p className="error-text">
            {finished.error?.code === 'CANCELLED'
              ? 'The analysis was cancelled. Finished stages are kept: continuing picks up where it stopped.'
              : finished.error
                ? formatErrorLine(finished.error)
                : 'The analysis failed.'}
          </p>
          <div className="row">
            <button type="button" className="primary" onClick={() => void retry()}>
              {finished.error?.code === 'CANCELLED' ? 'Continue' : 'Try again'}
            </button>
            <button type="button" onClick={() => navigate({ name: 'review', attemptId })}>
              Open the recording
            </button>
          </div>
        </div>
      ) : null}
      {notStarted ? (
        <div className="row">
          <p>This attempt has not been analysed yet.</p>
          <button type="button" className="primary" onClick={() => void retry()}>
            Analyse now
          </button>
        </div>
      ) : null}
    </section>
  );
}
