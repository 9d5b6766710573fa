import { Fragment, useEffect } from 'react';
import { navigate } from '../../../lib/router';
import { compareAttempts, type ComparisonRow } from '../comparison';
import { formatDateTime } from '../format';
import { useProgress } from '../store';

const GROUPS: Array<{ group: ComparisonRow['group']; title: string }> = [
  { group: 'overall', title: 'Overall' },
  { group: 'criteria', title: 'Criteria' },
  { group: 'delivery', title: 'Delivery' },
];

const CHANGE_TEXT: Record<ComparisonRow['change'], string> = {
  better: 'better',
  worse: 'worse',
  same: 'same',
  none: '',
};

/** Two attempts side by side: result, each criterion and the key delivery metrics, with the change. */
export function ComparisonView({
  ids,
  programId,
  scenarioId,
}: {
  ids: [string, string];
  programId?: string | undefined;
  scenarioId?: string | undefined;
}) {
  const comparison = useProgress((s) => s.comparison);
  const loadComparison = useProgress((s) => s.loadComparison);
  const [a, b] = ids;
  useEffect(() => {
    void loadComparison([a, b]);
  }, [loadComparison, a, b]);

  const back = () =>
    navigate({ name: 'progress', ...(programId && scenarioId ? { programId, scenarioId } : {}) });
  const backButton = (
    <button type="button" onClick={back}>
      ← Back to progress
    </button>
  );

  const current = comparison && comparison.ids[0] === a && comparison.ids[1] === b ? comparison : null;
  if (!current || current.status === 'loading' || current.status === 'idle')
    return (
      <p aria-busy="true" className="muted">
        Loading the two attempts…
      </p>
    );
  if (current.status === 'error' || !current.reviews)
    return (
      <section className="empty-state" role="alert">
        <h2>The comparison could not be shown</h2>
        <p>{current.error ?? 'Unknown error.'}</p>
        <div className="row" style={{ justifyContent: 'center' }}>
          <button type="button" onClick={() => void loadComparison([a, b], { force: true })}>
            Try again
          </button>
          {backButton}
        </div>
      </section>
    );

  const result = compareAttempts(current.reviews[0], current.reviews[1]);
  const column = (label: string, review: typeof result.earlier) => (
    <th scope="col">
      {label}
      <br />
      <a
        href={`#/review/${encodeURIComponent(review.attempt.id)}`}
        onClick={(e) => {
          e.preventDefault();
          navigate({ name: 'review', attemptId: review.attempt.id });
        }}
      >
        {formatDateTime(review.attempt.createdAt)}
      </a>
      {!result.sameScenario && <span className="muted small"> {review.scenario.title}</span>}
    </th>
  );

  return (
    <section className="progress-compare">
      <header className="progress-header">
        <h2>Comparing two attempts</h2>
        {backButton}
      </header>
      {result.sameScenario ? (
        <p className="muted">{result.later.scenario.title}</p>
      ) : (
        <p role="note" className="progress-warning">
          These attempts are of different scenarios, so their criteria do not line up; compare the delivery
          metrics.
        </p>
      )}
      <div className="panel">
        <table className="progress-compare-table" aria-label="Comparison">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Measure</span>
              </th>
              {column('Earlier', result.earlier)}
              {column('Later', result.later)}
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {GROUPS.map(({ group, title }) => {
              const rows = result.rows.filter((r) => r.group === group);
              if (rows.length === 0) return null;
              return (
                <Fragment key={group}>
                  <tr className="group-row">
                    <th scope="colgroup" colSpan={4}>
                      {title}
                    </th>
                  </tr>
                  {rows.map((r) => (
                    <tr key={r.key} className={`change-${r.change}`}>
                      <th scope="row">{r.label}</th>
                      <td>{r.earlier}</td>
                      <td>{r.later}</td>
                      <td className="change-cell">
                        {r.delta !== null && <span className="num">{r.delta}</span>}
                        {r.change !== 'none' && <span className="change-word"> {CHANGE_TEXT[r.change]}</span>}
                      </td>
                    </tr>
                  ))}
                </Fragment>
              );
            })}
          </tbody>
        </table>
        <p className="muted small">
          Change is from the earlier attempt to the later one. For the speaking rate, time used and share of
          talk time, closer to the reference range is better; for fillers, hedges and pauses, fewer is better.
        </p>
      </div>
    </section>
  );
}
