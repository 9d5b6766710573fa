import { useId } from 'react';
import type { AiCriterionScore } from '../../lib/api';
import { asPercent, formatClock } from '../../lib/format';
import { ErrorAlert } from '../../lib/page-state';
import { isPublished, overallOf, useReview } from './review-store';

/** A check criterion (the AI says met / not met without a level) is scored met / not met; the rest 0–100. */
export const isCheck = (ai: AiCriterionScore) => ai.level === null && ai.met !== null;

function aiValue(ai: AiCriterionScore): string {
  if (isCheck(ai)) return ai.met ? 'met' : 'not met';
  if (ai.score === null) return 'not scored';
  return `${asPercent(ai.score)} / 100${ai.level !== null ? ` (level ${ai.level} of 5)` : ''}`;
}

/** Each criterion: the AI's draft with its evidence (clicking seeks) beside the coach's own score and note. */
export function CriteriaPanel() {
  const detail = useReview((s) => s.detail);
  const dirty = useReview((s) => s.dirty);
  const saving = useReview((s) => s.saving);
  const saveError = useReview((s) => s.saveError);
  const savedAt = useReview((s) => s.savedAt);
  const overall = useReview((s) => s.overall);
  const overallId = useId();
  if (!detail) return null;
  const locked = isPublished(detail);
  const ai = detail.manifest.ai;
  const overallInvalid = overallOf(overall) === 'invalid';
  return (
    <section className="panel criteria" aria-labelledby="criteria-title">
      <div className="page-header">
        <h3 id="criteria-title">Scores</h3>
        <span className="muted small">
          AI overall: {ai.score === null ? '—' : Math.round(ai.score)} / 100 (
          {ai.passed ? 'passed' : 'not passed'}; judged by {ai.judgedBy.join(', ') || 'unknown'})
        </span>
      </div>
      {ai.criteria.length === 0 && <p className="muted">The AI scored no criteria for this submission.</p>}
      {ai.criteria.map((criterion) => (
        <CriterionRow key={criterion.criterionId} ai={criterion} locked={locked} />
      ))}
      <div className="row overall">
        <label htmlFor={overallId}>Your overall score (0–100, optional)</label>
        <input
          id={overallId}
          type="number"
          min={0}
          max={100}
          step={1}
          value={overall}
          disabled={locked}
          aria-invalid={overallInvalid}
          onChange={(e) => useReview.getState().setOverall(e.target.value)}
        />
        {overallInvalid && <span className="error-text">0 to 100, or empty</span>}
      </div>
      {!locked && (
        <div className="row save-row">
          <button
            type="button"
            className="primary"
            disabled={saving || !dirty}
            onClick={() => void useReview.getState().save()}
          >
            {saving ? 'Saving…' : 'Save scores'}
          </button>
          <span className="muted small" aria-live="polite">
            {saving
              ? ''
              : dirty
                ? 'Unsaved changes'
                : savedAt
                  ? 'Saved. Not sent to the partner.'
                  : detail.review
                    ? 'Saved earlier.'
                    : 'Not scored yet.'}
          </span>
        </div>
      )}
      <ErrorAlert what="save the scores" error={saveError} />
    </section>
  );
}

function CriterionRow({ ai, locked }: { ai: AiCriterionScore; locked: boolean }) {
  const draft = useReview((s) => s.draft[ai.criterionId]);
  const titleId = useId();
  const noteId = useId();
  const scoreId = useId();
  const score = draft?.coachScore ?? null;
  const { setScore, setNote } = useReview.getState();
  return (
    <article className="criterion" aria-labelledby={titleId} data-criterion={ai.criterionId}>
      <h4 id={titleId}>{ai.criterionId}</h4>
      <div className="criterion-grid">
        <div className="ai-draft">
          <p>
            <strong>AI’s draft:</strong> <span className="ai-value">{aiValue(ai)}</span>{' '}
            <span className="badge">{ai.judge === 'llm' ? 'language model' : 'rule-based'}</span>
          </p>
          {ai.rationale && <p className="small">{ai.rationale}</p>}
          {ai.evidence.length > 0 && (
            <ul className="evidence" aria-label="Evidence">
              {ai.evidence.map((e, i) => (
                <li key={i}>
                  <button
                    type="button"
                    className="evidence-button"
                    onClick={() => useReview.getState().seek(e.start)}
                    aria-label={`Play evidence at ${formatClock(e.start)}: ${e.quote}`}
                  >
                    <span className="time">{formatClock(e.start)}</span> “{e.quote}”
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="coach-score">
          {isCheck(ai) ? (
            <fieldset disabled={locked}>
              <legend>Your score</legend>
              {(
                [
                  ['met', 1],
                  ['not met', 0],
                  ['not scored', null],
                ] as const
              ).map(([label, value]) => (
                <label key={label} className="radio">
                  <input
                    type="radio"
                    name={`score-${ai.criterionId}`}
                    checked={score === value}
                    onChange={() => setScore(ai.criterionId, value)}
                  />
                  {label}
                </label>
              ))}
            </fieldset>
          ) : (
            <div className="row">
              <label htmlFor={scoreId}>Your score (0–100)</label>
              <input
                id={scoreId}
                type="number"
                min={0}
                max={100}
                step={1}
                disabled={locked}
                value={score === null ? '' : Math.round(score * 100)}
                onChange={(e) => {
                  const text = e.target.value;
                  const n = Number(text);
                  setScore(
                    ai.criterionId,
                    text === '' || !Number.isFinite(n) ? null : Math.min(100, Math.max(0, n)) / 100,
                  );
                }}
              />
              {ai.score !== null && !locked && (
                <button type="button" onClick={() => setScore(ai.criterionId, ai.score)}>
                  Use the AI’s {asPercent(ai.score)}
                </button>
              )}
            </div>
          )}
          <label htmlFor={noteId} className="note-label">
            Note for the partner (optional)
          </label>
          <textarea
            id={noteId}
            rows={2}
            maxLength={4000}
            disabled={locked}
            value={draft?.note ?? ''}
            onChange={(e) => setNote(ai.criterionId, e.target.value)}
          />
        </div>
      </div>
    </article>
  );
}
