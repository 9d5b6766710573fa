import { useEffect } from 'react';
import type { AttemptSummary, ProgramSummary, ScenarioSummary } from '../../../../../shared/api/types';
import { navigate } from '../../../lib/router';
import { CHART_LIMIT, isAnalysed, progressPoints } from '../chart';
import {
  formatDateTime,
  formatDuration,
  parseScenarioKey,
  resultLabel,
  scenarioKey,
  scenarioTitles,
  STATUS_LABEL,
} from '../format';
import '../progress.css';
import { followProgressEvents, LIST_LIMIT, useProgress } from '../store';
import { ComparisonView } from './comparison-view';
import { ProgressChart } from './progress-chart';

interface ProgressViewProps {
  programId?: string;
  scenarioId?: string;
  compare?: [string, string];
}

/** Progress over time for a scenario (or all), and the side-by-side comparison of two attempts. */
export function ProgressView({ programId, scenarioId, compare }: ProgressViewProps) {
  const load = useProgress((s) => s.load);
  useEffect(() => followProgressEvents(), []);
  useEffect(() => {
    void load(programId && scenarioId ? { programId, scenarioId } : {});
  }, [load, programId, scenarioId]);

  if (compare) return <ComparisonView ids={compare} programId={programId} scenarioId={scenarioId} />;
  return <ProgressOverview />;
}

function ProgressOverview() {
  const status = useProgress((s) => s.status);
  const error = useProgress((s) => s.error);
  const programs = useProgress((s) => s.programs);
  const scenarios = useProgress((s) => s.scenarios);
  const attempts = useProgress((s) => s.attempts);
  const filter = useProgress((s) => s.filter);
  const refresh = useProgress((s) => s.refresh);

  if (status === 'idle' || status === 'loading')
    return (
      <p aria-busy="true" className="muted">
        Loading your progress…
      </p>
    );
  if (status === 'error')
    return (
      <section className="empty-state" role="alert">
        <h2>Your progress could not be loaded</h2>
        <p>{error}</p>
        <button type="button" onClick={() => void refresh()}>
          Try again
        </button>
      </section>
    );

  const chosen =
    scenarios.find((s) => s.programId === filter.programId && s.id === filter.scenarioId) ?? null;
  return (
    <section className="progress">
      <header className="progress-header">
        <h2>Progress</h2>
        <ScenarioPicker programs={programs} scenarios={scenarios} />
      </header>
      {filter.scenarioId && !chosen && (
        <p role="status" className="muted">
          This scenario is no longer in your library; its attempts are still listed.
        </p>
      )}
      {attempts.length === 0 ? (
        <EmptyProgress programs={programs} scenario={chosen} />
      ) : (
        <>
          <ChartPanel passMark={chosen?.passMark ?? null} />
          <AttemptsPanel showScenario={!filter.scenarioId} />
        </>
      )}
    </section>
  );
}

function ScenarioPicker({
  programs,
  scenarios,
}: {
  programs: ProgramSummary[];
  scenarios: ScenarioSummary[];
}) {
  const filter = useProgress((s) => s.filter);
  const value = filter.programId && filter.scenarioId ? scenarioKey(filter.programId, filter.scenarioId) : '';
  return (
    <label className="row">
      <span>Scenario</span>
      <select
        value={value}
        onChange={(e) => navigate({ name: 'progress', ...parseScenarioKey(e.target.value) })}
      >
        <option value="">All scenarios</option>
        {programs.map((p) => (
          <optgroup key={p.id} label={p.title}>
            {scenarios
              .filter((s) => s.programId === p.id)
              .map((s) => (
                <option key={s.id} value={scenarioKey(s.programId, s.id)}>
                  {s.title}
                </option>
              ))}
          </optgroup>
        ))}
        {value && !scenarios.some((s) => scenarioKey(s.programId, s.id) === value) && (
          <option value={value}>{filter.scenarioId} (removed)</option>
        )}
      </select>
    </label>
  );
}

function EmptyProgress({
  programs,
  scenario,
}: {
  programs: ProgramSummary[];
  scenario: ScenarioSummary | null;
}) {
  const toLibrary = (
    <a
      href="#/library"
      onClick={(e) => {
        e.preventDefault();
        navigate({ name: 'library' });
      }}
    >
      Go to the library
    </a>
  );
  if (programs.length === 0)
    return (
      <div className="empty-state panel">
        <h3>Record your first attempt</h3>
        <p>
          Import a scenario pack in the library, pick a scenario and rehearse it. Your progress shows up here.
        </p>
        {toLibrary}
      </div>
    );
  return (
    <div className="empty-state panel">
      <h3>Record your first attempt</h3>
      <p>
        {scenario
          ? `You have not rehearsed "${scenario.title}" yet.`
          : 'You have not rehearsed any scenario yet.'}{' '}
        Each attempt you record and analyse adds a point to your progress.
      </p>
      <div className="row" style={{ justifyContent: 'center' }}>
        {scenario && (
          <button
            type="button"
            className="primary"
            onClick={() =>
              navigate({ name: 'rehearse', programId: scenario.programId, scenarioId: scenario.id })
            }
          >
            Rehearse this scenario
          </button>
        )}
        {toLibrary}
      </div>
    </div>
  );
}

function ChartPanel({ passMark }: { passMark: number | null }) {
  const attempts = useProgress((s) => s.attempts);
  const metrics = useProgress((s) => s.metrics);
  const metricsLoading = useProgress((s) => s.metricsLoading);
  const points = progressPoints(attempts, metrics);
  return (
    <section className="panel" aria-labelledby="progress-chart-title">
      <div className="row progress-panel-title">
        <h3 id="progress-chart-title">Over time</h3>
        <span className="muted small">
          {points.length > 0 &&
            `The latest ${points.length === 1 ? 'analysed attempt' : `${points.length} analysed attempts`}${points.length === CHART_LIMIT ? ` (at most ${CHART_LIMIT})` : ''}. Shaded: reference range. Click a dot to open its review.`}
        </span>
        {metricsLoading && (
          <span className="muted small" aria-live="polite">
            Loading delivery metrics…
          </span>
        )}
      </div>
      {points.length === 0 ? (
        <p className="muted">
          No analysed attempts yet: the chart appears once an attempt has feedback. Open an attempt below to
          analyse it.
        </p>
      ) : (
        <ProgressChart points={points} passMark={passMark} />
      )}
    </section>
  );
}

function AttemptsPanel({ showScenario }: { showScenario: boolean }) {
  const attempts = useProgress((s) => s.attempts);
  const scenarios = useProgress((s) => s.scenarios);
  const selected = useProgress((s) => s.selected);
  const filter = useProgress((s) => s.filter);
  const toggleSelected = useProgress((s) => s.toggleSelected);
  const clearSelection = useProgress((s) => s.clearSelection);
  const titles = scenarioTitles(scenarios);
  const pair = selected.length === 2 ? ([selected[0], selected[1]] as [string, string]) : null;

  return (
    <section className="panel" aria-labelledby="progress-attempts-title">
      <div className="row progress-panel-title">
        <h3 id="progress-attempts-title">Attempts</h3>
        <span className="muted small" aria-live="polite">
          {selected.length === 2
            ? 'Two attempts selected.'
            : `Select two analysed attempts to compare (${selected.length} selected).`}
        </span>
        <button
          type="button"
          className="primary"
          disabled={!pair}
          onClick={() => pair && navigate({ name: 'progress', ...filter, compare: pair })}
        >
          Compare
        </button>
        {selected.length > 0 && (
          <button type="button" onClick={clearSelection}>
            Clear selection
          </button>
        )}
      </div>
      <table className="progress-table" aria-label="Attempts">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Compare</span>
            </th>
            <th scope="col">Date</th>
            {showScenario && <th scope="col">Scenario</th>}
            <th scope="col">Score</th>
            <th scope="col">Result</th>
            <th scope="col">Duration</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((a) => (
            <AttemptRow
              key={a.id}
              attempt={a}
              scenarioTitle={
                showScenario ? (titles.get(scenarioKey(a.programId, a.scenarioId)) ?? a.scenarioId) : null
              }
              checked={selected.includes(a.id)}
              onToggle={() => toggleSelected(a.id)}
            />
          ))}
        </tbody>
      </table>
      {attempts.length >= LIST_LIMIT && (
        <p className="muted small">Showing the latest {LIST_LIMIT} attempts.</p>
      )}
    </section>
  );
}

function AttemptRow({
  attempt: a,
  scenarioTitle,
  checked,
  onToggle,
}: {
  attempt: AttemptSummary;
  scenarioTitle: string | null;
  checked: boolean;
  onToggle(): void;
}) {
  const deleting = useProgress((s) => s.deleting);
  const remove = useProgress((s) => s.remove);
  const when = formatDateTime(a.createdAt);
  const comparable = isAnalysed(a);
  return (
    <tr className={checked ? 'selected' : undefined}>
      <td>
        <input
          type="checkbox"
          checked={checked}
          disabled={!comparable}
          onChange={onToggle}
          aria-label={`Select the attempt of ${when} for comparison`}
          title={comparable ? undefined : 'Only analysed attempts can be compared'}
        />
      </td>
      <td>
        <a
          href={`#/review/${encodeURIComponent(a.id)}`}
          onClick={(e) => {
            e.preventDefault();
            navigate({ name: 'review', attemptId: a.id });
          }}
        >
          {when}
        </a>
        {a.mode === 'formal' && <span className="badge">Formal</span>}
      </td>
      {scenarioTitle !== null && <td>{scenarioTitle}</td>}
      <td className="num">{a.score === null ? '—' : Math.round(a.score)}</td>
      <td>
        {a.passed === null ? (
          <span className="muted">—</span>
        ) : (
          <span className={`badge ${a.passed ? 'badge-passed' : 'badge-failed'}`}>{resultLabel(a)}</span>
        )}
      </td>
      <td className="num">{formatDuration(a.durationSeconds)}</td>
      <td>{STATUS_LABEL[a.status]}</td>
      <td>
        <button
          type="button"
          className="danger small-button"
          disabled={deleting !== null}
          aria-label={`Delete the attempt of ${when}`}
          onClick={() => {
            if (
              window.confirm(
                `Delete the attempt of ${when}, its recording and its feedback? This cannot be undone.`,
              )
            )
              void remove(a.id);
          }}
        >
          {deleting === a.id ? 'Deleting…' : 'Delete'}
        </button>
      </td>
    </tr>
  );
}
