import { useEffect } from 'react';
import { SUBMISSION_STATUS_LABELS } from '../../../../shared/sync/protocol';
import { AppLink } from '../../lib/app-link';
import { formatDateTime } from '../../lib/format';
import { Loading } from '../../lib/page-state';
import { BASE } from '../../lib/session';
import { CommentsPanel } from './comments';
import { CriteriaPanel } from './criteria';
import { Player } from './player';
import { PublishPanel } from './publish';
import { isPublished, useReview } from './review-store';
import { TranscriptPanel } from './transcript';

/** One submission: recording and transcript on the left, the AI's draft and the coach's review on the right. */
export function ReviewPage({ submissionId }: { submissionId: string }) {
  const detail = useReview((s) => s.detail);
  const loading = useReview((s) => s.loading);
  const loadError = useReview((s) => s.loadError);

  useEffect(() => {
    void useReview.getState().load(submissionId);
  }, [submissionId]);

  // Leaving with unsaved scores asks first.
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (useReview.getState().dirty) e.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);

  if (loading || (!detail && !loadError)) return <Loading>Loading the submission…</Loading>;
  if (loadError || !detail)
    return (
      <section className="panel">
        <h2>Could not open this submission</h2>
        <p className="error-text" role="alert">
          {loadError}
        </p>
        <div className="row">
          <button type="button" onClick={() => void useReview.getState().load(submissionId)}>
            Try again
          </button>
          <AppLink href={BASE}>Back to the queue</AppLink>
        </div>
      </section>
    );

  const { manifest, partner, submission } = detail;
  return (
    <article className="review" aria-labelledby="review-title">
      <p className="muted small">
        <AppLink href={BASE}>← Review queue</AppLink>
      </p>
      <header className="page-header review-header">
        <div>
          <h2 id="review-title">
            {partner.name} · {manifest.scenarioId}
          </h2>
          <p className="muted small">
            {partner.email} · program {manifest.programId}, pack {manifest.packVersion} · recorded{' '}
            {formatDateTime(manifest.recordedAt)} · submitted {formatDateTime(submission.createdAt)}
          </p>
        </div>
        <span className={`badge badge-${submission.status}`}>
          {SUBMISSION_STATUS_LABELS[submission.status]}
        </span>
      </header>
      {!isPublished(detail) && (
        <p className="privacy-note" role="note">
          Nothing is sent to the partner until you publish. Saved scores and comments stay in this workspace
          until then.
        </p>
      )}
      <div className="review-grid">
        <div>
          <Player detail={detail} />
          <TranscriptPanel transcript={manifest.transcript} />
          <CommentsPanel />
        </div>
        <div>
          <CriteriaPanel />
          <PublishPanel />
        </div>
      </div>
    </article>
  );
}
