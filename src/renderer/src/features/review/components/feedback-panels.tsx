import type { DeliveryMetrics } from '../../../../../shared/metrics/delivery-metrics-types';
import type { Feedback } from '../../../../../shared/analysis/feedback';
import type { AttemptDetail } from '../../../../../shared/api/types';
import { navigate } from '../../../lib/router';
import { formatClock } from '../playback';
import {
  formatScore,
  judgedByText,
  metricFacts,
  metricRows,
  missingFeedback,
  SOURCE_KIND_LABEL,
  unjudgedTitles,
  verdictView,
} from '../report';
import { useReview } from '../store';
import { usePlayer } from './player';

/** Overall score, pass or fail against the pass mark, and the reasons. */
export function ScoreSummary({ feedback }: { feedback: Feedback }) {
  return (
    <section className="panel review-score" aria-label="Result">
      <div className="review-score-line">
        <span className="review-score-value">
          {formatScore(feedback.score)}
          <span className="muted small"> / 100</span>
        </span>
        <span className={`badge ${feedback.passed ? 'badge-passed' : 'badge-failed'}`}>
          {feedback.passed ? 'Passed' : 'Not passed'}
        </span>
        <span className="muted">pass mark {feedback.passMark}</span>
      </div>
      {feedback.reasons.length > 0 && (
        <ul className="review-reasons">
          {feedback.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The three things to work on first, each a button that plays the moment it refers to. */
export function Improvements({ feedback }: { feedback: Feedback }) {
  const player = usePlayer();
  return (
    <section className="panel" aria-labelledby="review-improvements-title">
      <h3 id="review-improvements-title">Top improvements</h3>
      {feedback.improvements.length === 0 ? (
        <p className="muted">Nothing stands out to improve in this attempt.</p>
      ) : (
        <ol className="review-improvements" aria-label="Top improvements">
          {feedback.improvements.map((imp, i) => (
            <li key={i}>
              <button
                type="button"
                className="review-moment"
                onClick={() => player.seek(imp.moment.at, { play: true })}
              >
                {`at ${formatClock(imp.moment.at)} — ${imp.title}`}
              </button>
              <p>{imp.detail}</p>
              {imp.moment.quote && <blockquote>“{imp.moment.quote}”</blockquote>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function Strengths({ feedback }: { feedback: Feedback }) {
  const player = usePlayer();
  return (
    <section className="panel" aria-labelledby="review-strengths-title">
      <h3 id="review-strengths-title">Strengths</h3>
      {feedback.strengths.length === 0 ? (
        <p className="muted">
          No clear strengths were found yet; the improvements above are the place to start.
        </p>
      ) : (
        <ul className="review-strengths" aria-label="Strengths">
          {feedback.strengths.map((s, i) => (
            <li key={i}>
              <strong>{s.title}</strong>
              {s.moment && (
                <>
                  {' '}
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => s.moment && player.seek(s.moment.at, { play: true })}
                  >
                    at {formatClock(s.moment.at)}
                  </button>
                </>
              )}
              <p>{s.detail}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function NextPractice({ feedback, attempt }: { feedback: Feedback; attempt: AttemptDetail }) {
  return (
    <section className="panel review-next" aria-labelledby="review-next-title">
      <h3 id="review-next-title">Next practice</h3>
      <p>{feedback.nextPractice}</p>
      <button
        type="button"
        className="primary"
        onClick={() =>
          navigate({ name: 'rehearse', programId: attempt.programId, scenarioId: attempt.scenarioId })
        }
      >
        Practise again
      </button>
    </section>
  );
}

/** Each rubric criterion: verdict, rationale and the quotes it rests on (each seeks the video). */
export function Criteria({ feedback }: { feedback: Feedback }) {
  const player = usePlayer();
  return (
    <section className="panel" aria-labelledby="review-criteria-title">
      <h3 id="review-criteria-title">Criteria</h3>
      <ul className="review-criteria" aria-label="Criteria">
        {feedback.criteria.map((c) => {
          const verdict = verdictView(c);
          return (
            <li key={c.criterionId} className={`criterion criterion-${verdict.tone}`}>
              <div className="row">
                <strong>{c.title}</strong>
                {c.required && <span className="badge">Required</span>}
                <span className={`badge verdict-${verdict.tone}`}>{verdict.label}</span>
                {verdict.score !== null && <span className="muted small">score {verdict.score}</span>}
                <span className="muted small">
                  weight {c.weight} · judged by {c.judge === 'llm' ? 'language model' : 'rules'}
                </span>
              </div>
              <p>{c.rationale}</p>
              {c.evidence.some((e) => e.quote) && (
                <ul className="review-evidence" aria-label={`Evidence for ${c.title}`}>
                  {c.evidence
                    .filter((e) => e.quote)
                    .map((e, i) => (
                      <li key={i}>
                        <button type="button" className="review-moment" onClick={() => player.seek(e.start)}>
                          {formatClock(e.start)} “{e.quote}”
                        </button>
                      </li>
                    ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Delivery metrics, each against its reference range with where the range comes from. */
export function DeliveryPanel({ metrics }: { metrics: DeliveryMetrics | null }) {
  if (!metrics)
    return (
      <section className="panel" aria-labelledby="review-delivery-title">
        <h3 id="review-delivery-title">Delivery</h3>
        <p className="muted">Delivery was not measured for this attempt.</p>
      </section>
    );
  const rows = metricRows(metrics);
  return (
    <section className="panel" aria-labelledby="review-delivery-title">
      <h3 id="review-delivery-title">Delivery</h3>
      <table className="review-metrics" aria-label="Delivery metrics">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">You</th>
            <th scope="col">Reference range</th>
            <th scope="col">Rating</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.metric}>
              <th scope="row">{r.label}</th>
              <td>{r.value}</td>
              <td>
                <span title={r.source}>{r.range}</span>
                <span className="metric-source small muted" title={r.source}>
                  {SOURCE_KIND_LABEL[r.sourceKind]}: {r.source}
                </span>
              </td>
              <td>
                <span className={`badge rating-${r.rating}`}>{r.verdict}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="review-facts">
        {metricFacts(metrics).map((f) => (
          <div key={f.label}>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Who judged the attempt and the honest caveats (e.g. no language model installed). */
export function JudgedBy({ feedback }: { feedback: Feedback }) {
  const unjudged = unjudgedTitles(feedback);
  return (
    <section className="panel" aria-labelledby="review-judged-title">
      <h3 id="review-judged-title">What judged it</h3>
      <p>{judgedByText(feedback.judgedBy)}</p>
      {feedback.notes.length > 0 && (
        <ul className="muted">
          {feedback.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      {unjudged.length > 0 && <p>Left for a coach to review: {unjudged.join(', ')}.</p>}
      <p className="muted small">
        Scored against pack version {feedback.packVersion} on {new Date(feedback.createdAt).toLocaleString()}.
        Everything ran on this computer.
      </p>
    </section>
  );
}

/** Shown instead of the feedback when there is none: why, and a way forward. */
export function MissingFeedbackPanel({ attempt }: { attempt: AttemptDetail }) {
  const busy = useReview((s) => s.busy);
  const analyse = useReview((s) => s.analyse);
  const state = missingFeedback(attempt);
  return (
    <section className="panel review-missing" aria-labelledby="review-missing-title">
      <h3 id="review-missing-title">No feedback yet</h3>
      <p>
        <strong>{state.title}</strong>
      </p>
      {state.detail && <p className="review-stage-error">{state.detail}</p>}
      <div className="row">
        {state.running && (
          <button type="button" onClick={() => navigate({ name: 'analysis', attemptId: attempt.id })}>
            Show analysis progress
          </button>
        )}
        {state.canAnalyse && (
          <button
            type="button"
            className="primary"
            disabled={busy !== null}
            onClick={async () => {
              if (await analyse()) navigate({ name: 'analysis', attemptId: attempt.id });
            }}
          >
            {busy === 'analysing' ? 'Starting…' : 'Analyse this attempt'}
          </button>
        )}
      </div>
    </section>
  );
}
