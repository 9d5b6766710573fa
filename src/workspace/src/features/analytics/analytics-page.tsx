/**
 * Readiness analytics of one program (GET /api/analytics/programs/:id): pass rate per scenario,
 * the score distribution, the criteria most often failed, partners not yet ready, time to first
 * pass and AI-vs-coach agreement, each with a link to the matching CSV table. The chosen program
 * is kept in `?program=` so a reload keeps it.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  api,
  errorMessage,
  type Program,
  type ProgramReadiness,
  type ReadinessCsvTable,
} from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { ANALYTICS_PATH } from '../../lib/session';
import { PassRateChart, ScoreHistogram } from './charts';
import {
  agreementRows,
  failedCriteria,
  formatDiff,
  formatDuration,
  formatRate,
  histogramOf,
  totals,
} from './readiness-view';

const programInUrl = () => new URLSearchParams(window.location.search).get('program') ?? '';

function Section({
  id,
  title,
  programId,
  table,
  children,
}: {
  id: string;
  title: string;
  programId: string;
  table: ReadinessCsvTable;
  children: ReactNode;
}) {
  return (
    <section className="panel analytics-section" aria-labelledby={`${id}-title`} data-section={id}>
      <div className="page-header">
        <h3 id={`${id}-title`}>{title}</h3>
        <a className="csv-link" href={api.readinessCsvUrl(programId, table)} download>
          Download CSV<span className="visually-hidden"> ({title})</span>
        </a>
      </div>
      {children}
    </section>
  );
}

const Empty = ({ children }: { children: ReactNode }) => (
  <p className="empty-state muted" role="status">
    {children}
  </p>
);

export function AnalyticsPage() {
  const [programs, setPrograms] = useState<Program[] | null>(null);
  const [programsError, setProgramsError] = useState<string | null>(null);
  const [programId, setProgramId] = useState(programInUrl);
  const [readiness, setReadiness] = useState<ProgramReadiness | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [histogramScenario, setHistogramScenario] = useState('');

  useEffect(() => {
    let live = true;
    api
      .programs()
      .then(({ programs: list }) => {
        if (!live) return;
        setPrograms(list);
        setProgramId((current) =>
          current && list.some((p) => p.id === current) ? current : (list[0]?.id ?? ''),
        );
      })
      .catch((err: unknown) => {
        if (live) setProgramsError(errorMessage(err));
      });
    return () => {
      live = false;
    };
  }, []);

  const load = useCallback(async (id: string, signal?: AbortSignal) => {
    setLoading(true);
    setError(null);
    try {
      setReadiness(await api.readiness(id, signal));
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      setReadiness(null);
      setError(errorMessage(err));
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (!programId || !programs) return;
    const path = `${ANALYTICS_PATH}?program=${encodeURIComponent(programId)}`;
    if (window.location.pathname + window.location.search !== path)
      window.history.replaceState(null, '', path);
    setHistogramScenario('');
    const controller = new AbortController();
    void load(programId, controller.signal);
    return () => controller.abort();
  }, [programId, programs, load]);

  const view = useMemo(() => {
    if (!readiness) return null;
    const titles = new Map(readiness.scenarios.map((s) => [s.scenarioId, s.title]));
    return {
      totals: totals(readiness),
      failed: failedCriteria(readiness),
      agreement: agreementRows(readiness),
      scenarioTitle: (id: string) => titles.get(id) ?? id,
    };
  }, [readiness]);

  const current = readiness && readiness.program.id === programId ? readiness : null;

  return (
    <section aria-labelledby="analytics-title" className="analytics">
      <div className="page-header">
        <h2 id="analytics-title">Analytics</h2>
        {programs && programs.length > 0 && (
          <button type="button" onClick={() => void load(programId)} disabled={loading || !programId}>
            {loading ? 'Loading…' : 'Refresh'}
          </button>
        )}
      </div>
      {programsError && (
        <p className="error-text" role="alert">
          Could not load the programs: {programsError}
        </p>
      )}
      {!programs && !programsError && (
        <p className="muted" aria-busy="true">
          Loading the programs…
        </p>
      )}
      {programs && programs.length === 0 && (
        <div className="panel empty-state" role="status">
          <p>You coach no program yet, so there is nothing to measure.</p>
        </div>
      )}
      {programs && programs.length > 0 && (
        <form className="panel filters" aria-label="Choose a program" onSubmit={(e) => e.preventDefault()}>
          <label>
            Program
            <select value={programId} onChange={(e) => setProgramId(e.target.value)}>
              {programs.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                </option>
              ))}
            </select>
          </label>
          {current && (
            <span className="muted small">Figures as of {formatDateTime(current.generatedAt)}</span>
          )}
        </form>
      )}
      {error && (
        <p className="error-text" role="alert">
          Could not load the analytics: {error}
        </p>
      )}
      {loading && !current && (
        <p className="muted" aria-busy="true">
          Loading the analytics…
        </p>
      )}
      {current && view && (
        <>
          <p className="muted analytics-summary" data-testid="analytics-summary">
            {view.totals.submissions} submissions, {view.totals.published} published, {view.totals.passed}{' '}
            passed ({formatRate(view.totals.passRate)}) · {current.partnersNotReady.length} of{' '}
            {current.partnerCount} partners not yet ready
          </p>

          <Section id="pass-rate" title="Pass rate per scenario" programId={programId} table="scenarios">
            {current.scenarios.length === 0 ? (
              <Empty>This program has no scenarios yet: upload a pack first.</Empty>
            ) : (
              <>
                <PassRateChart scenarios={current.scenarios} />
                <table className="data-table" aria-label="Pass rate per scenario">
                  <thead>
                    <tr>
                      <th scope="col">Scenario</th>
                      <th scope="col">Submissions</th>
                      <th scope="col">Published</th>
                      <th scope="col">Passed</th>
                      <th scope="col">Pass rate</th>
                    </tr>
                  </thead>
                  <tbody>
                    {current.scenarios.map((s) => (
                      <tr key={s.scenarioId} data-scenario={s.scenarioId}>
                        <th scope="row">{s.title}</th>
                        <td data-field="submissions">{s.submissions}</td>
                        <td data-field="published">{s.published}</td>
                        <td data-field="passed">{s.passed}</td>
                        <td data-field="passRate">{formatRate(s.passRate)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </Section>

          <Section id="scores" title="Score distribution" programId={programId} table="scenarios">
            {view.totals.scored === 0 ? (
              <Empty>No published submission has a coach score yet.</Empty>
            ) : (
              <>
                <label className="inline-field">
                  Scenario
                  <select value={histogramScenario} onChange={(e) => setHistogramScenario(e.target.value)}>
                    <option value="">All scenarios</option>
                    {current.scenarios.map((s) => (
                      <option key={s.scenarioId} value={s.scenarioId}>
                        {s.title}
                      </option>
                    ))}
                  </select>
                </label>
                <ScoreHistogram
                  bins={histogramOf(current, histogramScenario)}
                  of={histogramScenario ? view.scenarioTitle(histogramScenario) : 'all scenarios'}
                />
                <p className="muted small">
                  Overall coach score (0–100) of published submissions, in 10-point bins.
                </p>
              </>
            )}
          </Section>

          <Section id="criteria" title="Criteria most often failed" programId={programId} table="criteria">
            {view.failed.length === 0 ? (
              <Empty>No criterion has a coach score yet.</Empty>
            ) : (
              <table className="data-table">
                <caption className="visually-hidden">
                  Criteria the coach scored below 0.5, most failed first
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Criterion</th>
                    <th scope="col">Scenario</th>
                    <th scope="col">Failed</th>
                    <th scope="col">Scored</th>
                    <th scope="col">Failure rate</th>
                  </tr>
                </thead>
                <tbody>
                  {view.failed.map((c) => (
                    <tr
                      key={`${c.scenarioId}/${c.criterionId}`}
                      data-criterion={`${c.scenarioId}/${c.criterionId}`}
                    >
                      <th scope="row">{c.title}</th>
                      <td>{c.scenario}</td>
                      <td data-field="failed">{c.failed}</td>
                      <td data-field="scored">{c.scored}</td>
                      <td>{formatRate(c.failed / c.scored)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Section>

          <Section id="not-ready" title="Partners not yet ready" programId={programId} table="partners">
            {current.partnerCount === 0 ? (
              <Empty>No partner takes this program yet.</Empty>
            ) : current.partnersNotReady.length === 0 ? (
              <Empty>Every partner has passed every scenario.</Empty>
            ) : (
              <table className="data-table">
                <caption className="visually-hidden">
                  Partners without a pass in at least one scenario
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Partner</th>
                    <th scope="col">Company</th>
                    <th scope="col">Scenarios not yet passed</th>
                  </tr>
                </thead>
                <tbody>
                  {current.partnersNotReady.map((p) => (
                    <tr key={p.id} data-partner={p.id}>
                      <th scope="row">
                        {p.name}
                        <div className="muted small">{p.email}</div>
                      </th>
                      <td>{p.orgName}</td>
                      <td data-field="missing">{p.missingScenarios.map(view.scenarioTitle).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Section>

          <Section id="first-pass" title="Median time to first pass" programId={programId} table="scenarios">
            {current.scenarios.every((s) => s.medianSecondsToFirstPass === null) ? (
              <Empty>No partner has passed a scenario yet.</Empty>
            ) : (
              <table className="data-table">
                <caption className="visually-hidden">
                  From a partner’s first submission to their first pass, median over partners who passed
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Scenario</th>
                    <th scope="col">Median time to first pass</th>
                    <th scope="col">Partners passed</th>
                    <th scope="col">Partners not ready</th>
                  </tr>
                </thead>
                <tbody>
                  {current.scenarios.map((s) => (
                    <tr key={s.scenarioId} data-scenario={s.scenarioId}>
                      <th scope="row">{s.title}</th>
                      <td data-field="median" data-seconds={s.medianSecondsToFirstPass ?? ''}>
                        {formatDuration(s.medianSecondsToFirstPass)}
                      </td>
                      <td data-field="partnersPassed">{s.partnersPassed}</td>
                      <td data-field="partnersNotReady">{s.partnersNotReady}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p className="muted small">
              From a partner’s first submission to the publication of their first pass.
            </p>
          </Section>

          <Section id="agreement" title="AI-vs-coach agreement" programId={programId} table="agreement">
            {view.agreement.length === 0 ? (
              <Empty>No published review has both an AI and a coach score for a criterion yet.</Empty>
            ) : (
              <table className="data-table">
                <caption className="visually-hidden">
                  Per criterion, where both the AI and the coach scored it; largest difference first
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Criterion</th>
                    <th scope="col">Scenario</th>
                    <th scope="col">Pairs</th>
                    <th scope="col">Mean |AI − coach|</th>
                    <th scope="col">Within 0.25</th>
                  </tr>
                </thead>
                <tbody>
                  {view.agreement.map((a) => (
                    <tr
                      key={`${a.scenarioId}/${a.criterionId}`}
                      data-criterion={`${a.scenarioId}/${a.criterionId}`}
                    >
                      <th scope="row">{a.title}</th>
                      <td>{a.scenario}</td>
                      <td data-field="pairs">{a.pairs}</td>
                      <td data-field="meanAbsDiff">{formatDiff(a.meanAbsDiff)}</td>
                      <td data-field="withinQuarter">{formatRate(a.withinQuarter)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p className="muted small">Scores on a 0–1 scale; worst agreement first.</p>
          </Section>
        </>
      )}
    </section>
  );
}
