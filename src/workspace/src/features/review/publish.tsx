import { useRef } from 'react';
import type { Decision } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { ErrorAlert } from '../../lib/page-state';
import { isPublished, useReview } from './review-store';

const LABELS: Record<Decision, string> = { pass: 'Pass', 'needs-work': 'Needs work' };

/** The decision and Publish, behind a confirmation: publishing is final and the only thing the partner sees. */
export function PublishPanel() {
  const detail = useReview((s) => s.detail);
  const decision = useReview((s) => s.decision);
  const dirty = useReview((s) => s.dirty);
  const publishing = useReview((s) => s.publishing);
  const error = useReview((s) => s.publishError);
  const dialog = useRef<HTMLDialogElement>(null);
  if (!detail) return null;

  if (isPublished(detail) && detail.review?.decision)
    return (
      <section className="panel publish published" aria-labelledby="publish-title" role="status">
        <h3 id="publish-title">Published: {LABELS[detail.review.decision]}</h3>
        <p>
          {detail.partner.name} can see the decision, the scores, the notes and the comments
          {detail.review.publishedAt ? ` since ${formatDateTime(detail.review.publishedAt)}` : ''}. A
          published review is final.
        </p>
      </section>
    );

  const confirm = async () => {
    if (await useReview.getState().publish()) dialog.current?.close();
  };

  return (
    <section className="panel publish" aria-labelledby="publish-title">
      <h3 id="publish-title">Decision</h3>
      <fieldset>
        <legend className="visually-hidden">Decision</legend>
        {(Object.keys(LABELS) as Decision[]).map((value) => (
          <label key={value} className="radio">
            <input
              type="radio"
              name="decision"
              checked={decision === value}
              onChange={() => useReview.getState().setDecision(value)}
            />
            {LABELS[value]}
          </label>
        ))}
      </fieldset>
      <button
        type="button"
        className="primary"
        disabled={!decision || publishing}
        onClick={() => dialog.current?.showModal()}
      >
        Publish…
      </button>
      {!dialog.current?.open && <ErrorAlert what="publish" error={error} />}
      <dialog
        ref={dialog}
        className="confirm-dialog"
        aria-labelledby="confirm-title"
        aria-describedby="confirm-text"
      >
        <h3 id="confirm-title">
          Publish “{decision ? LABELS[decision] : ''}” to {detail.partner.name}?
        </h3>
        <p id="confirm-text">
          {dirty ? 'Your unsaved scores are saved first. ' : ''}
          The partner then sees the decision, your scores beside the AI’s, your notes and the comments. This
          cannot be undone.
        </p>
        <ErrorAlert what="publish" error={error} />
        <div className="row dialog-buttons">
          <button type="button" onClick={() => dialog.current?.close()} disabled={publishing}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            onClick={() => void confirm()}
            disabled={publishing}
            aria-busy={publishing}
          >
            {publishing ? 'Publishing…' : 'Publish'}
          </button>
        </div>
      </dialog>
    </section>
  );
}
