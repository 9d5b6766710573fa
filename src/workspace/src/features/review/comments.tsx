import { useId, useState, type FormEvent } from 'react';
import { formatClock, formatDateTime } from '../../lib/format';
import { ErrorAlert } from '../../lib/page-state';
import { isPublished, useReview } from './review-store';

/** Comments, pinned to the player's current time (or general); clicking a comment's time seeks there. */
export function CommentsPanel() {
  const detail = useReview((s) => s.detail);
  const currentTime = useReview((s) => s.currentTime);
  const busy = useReview((s) => s.commentBusy);
  const error = useReview((s) => s.commentError);
  const [text, setText] = useState('');
  const [pinned, setPinned] = useState(true);
  const textId = useId();
  if (!detail) return null;
  const locked = isPublished(detail);
  const comments = [...detail.comments].sort(
    (a, b) => (a.at ?? Infinity) - (b.at ?? Infinity) || a.createdAt.localeCompare(b.createdAt),
  );
  const at = Math.round(currentTime * 10) / 10;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    if (await useReview.getState().addComment(pinned ? at : null, text.trim())) setText('');
  };

  return (
    <section className="panel comments" aria-labelledby="comments-title">
      <h3 id="comments-title">Comments</h3>
      {comments.length === 0 ? (
        <p className="muted">No comments yet.</p>
      ) : (
        <ol className="comment-list">
          {comments.map((c) => (
            <li key={c.id} className="comment">
              {c.at === null ? (
                <span className="badge">general</span>
              ) : (
                <button
                  type="button"
                  className="link-button time"
                  onClick={() => useReview.getState().seek(c.at ?? 0)}
                  aria-label={`Play from ${formatClock(c.at)}`}
                >
                  {formatClock(c.at)}
                </button>
              )}{' '}
              <span className="comment-text">{c.text}</span>
              <div className="muted small">
                {c.author} · {formatDateTime(c.createdAt)}
              </div>
            </li>
          ))}
        </ol>
      )}
      {!locked && (
        <form onSubmit={onSubmit} className="comment-form">
          <label htmlFor={textId}>New comment</label>
          <textarea
            id={textId}
            rows={3}
            maxLength={4000}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <div className="row">
            <label className="radio">
              <input type="checkbox" checked={pinned} onChange={(e) => setPinned(e.target.checked)} />
              Pin to {formatClock(at)} (the player’s current time)
            </label>
            <button type="submit" disabled={busy || !text.trim()}>
              {busy ? 'Adding…' : 'Add comment'}
            </button>
          </div>
          <ErrorAlert what="add the comment" error={error} />
        </form>
      )}
    </section>
  );
}
