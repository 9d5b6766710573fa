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
import { DataTable, type Column } from '../../lib/data-table';
import { formatDateTime } from '../../lib/format';
import { EmptyPanel, ErrorAlert, Loading } from '../../lib/page-state';
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

type ScenarioRow = ProgramReadiness['scenarios'][number];
type FailedRow = ReturnType<typeof failedCriteria>[number];
type AgreementRow = ReturnType<typeof agreementRows>[number];

const PASS_RATE_COLUMNS: Column<ScenarioRow>[] = [
  { header: 'Scenario', cell: (s) => s.title },
  { header: 'Submissions', field: 'submissions', cell: (s) => s.submissions },
  { header: 'Published', field: 'published', cell: (s) => s.published },
  { header: 'Passed', field: 'passed', cell: (s) => s.passed },
  { header: 'Pass rate', field: 'passRate', cell: (s) => formatRate(s.passRate) },
];

const FAILED_COLUMNS: Column<FailedRow>[] = [
  { header: 'Criterion', cell: (c) => c.title },
  { header: 'Scenario', cell: (c) => c.scenario },
  { header: 'Failed', field: 'failed', cell: (c) => c.failed },
  { header: 'Scored', field: 'scored', cell: (c) => c.scored },
  { header: 'Failure rate', cell: (c) => formatRate(c.failed / c.scored) },
];

const FIRST_PASS_COLUMNS: Column<ScenarioRow>[] = [
  { header: 'Scenario', cell: (s) => s.title },
  {
    header: 'Median time to first pass',
    field: 'median',
    cell: (s) => formatDuration(s.medianSecondsToFirstPass),
    attrs: (s) => ({ 'data-seconds': String(s.medianSecondsToFirstPass ?? '') }),
  },
  { header: 'Partners passed', field: 'partnersPassed', cell: (s) => s.partnersPassed },
  { header: 'Partners not ready', field: 'partnersNotReady', cell: (s) => s.partnersNotReady },
];

const AGREEMENT_COLUMNS: Column<AgreementRow>[] = [
  { header: 'Criterion', cell: (a) => a.title },
  { header: 'Scenario', cell: (a) => a.scenario },
  { header: 'Pairs', field: 'pairs', cell: (a) => a.pairs },
  { header: 'Mean |AI − coach|', field: 'meanAbsDiff', cell: (a) => formatDiff(a.meanAbsDiff) },
  { header: 'Within 0.25', field: 'withinQuarter', cell: (a) => formatRate(a.withinQuarter) },
];

const scenarioKey = (s: ScenarioRow) => s.scenarioId;
const scenarioAttrs = (s: ScenarioRow) => ({ 'data-scenario': s.scenarioId });
const criterionKey = (c: { scenarioId: string; criterionId: string }) => `${c.scenarioId}/${c.criterionId}`;
const criterionAttrs = (c: { scenarioId: string; criterionId: string }) => ({
  'data-criterion': criterionKey(c),
});

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
    const scenarioTitle = (id: string) => titles.get(id) ?? id;
    const notReadyColumns: Column<ProgramReadiness['partnersNotReady'][number]>[] = [
      {
        header: 'Partner',
        cell: (p) => (
          <>
            {p.name}
            <div className="muted small">{p.email}</div>
          </>
        ),
      },
      { header: 'Company', cell: (p) => p.orgName },
      {
        header: 'Scenarios not yet passed',
        field: 'missing',
        cell: (p) => p.missingScenarios.map(scenarioTitle).join(', '),
      },
    ];
    return {
      totals: totals(readiness),
      failed: failedCriteria(readiness),
      agreement: agreementRows(readiness),
      scenarioTitle,
      notReadyColumns,
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
      <ErrorAlert what="load the programs" error={programsError} />
      {!programs && !programsError && <Loading>Loading the programs…</Loading>}
      {programs && programs.length === 0 && (
        <EmptyPanel>
          <p>You coach no program yet, so there is nothing to measure.</p>
        </EmptyPanel>
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
      <ErrorAlert what="load the analytics" error={error} />
      {loading && !current && <Loading>Loading the analytics…</Loading>}
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
                <DataTable
                  caption="Pass rate per scenario"
                  columns={PASS_RATE_COLUMNS}
                  rows={current.scenarios}
                  rowKey={scenarioKey}
                  rowAttrs={scenarioAttrs}
                />
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
              <DataTable
                caption="Criteria the coach scored below 0.5, most failed first"
                columns={FAILED_COLUMNS}
                rows={view.failed}
                rowKey={criterionKey}
                rowAttrs={criterionAttrs}
              />
            )}
          </Section>

          <Section id="not-ready" title="Partners not yet ready" programId={programId} table="partners">
            {current.partnerCount === 0 ? (
              <Empty>No partner takes this program yet.</Empty>
            ) : current.partnersNotReady.length === 0 ? (
              <Empty>Every partner has passed every scenario.</Empty>
            ) : (
              <DataTable
                caption="Partners without a pass in at least one scenario"
                columns={view.notReadyColumns}
                rows={current.partnersNotReady}
                rowKey={(p) => p.id}
                rowAttrs={(p) => ({ 'data-partner': p.id })}
              />
            )}
          </Section>

          <Section id="first-pass" title="Median time to first pass" programId={programId} table="scenarios">
            {current.scenarios.every((s) => s.medianSecondsToFirstPass === null) ? (
              <Empty>No partner has passed a scenario yet.</Empty>
            ) : (
              <DataTable
                caption="From a partner’s first submission to their first pass, median over partners who passed"
                columns={FIRST_PASS_COLUMNS}
                rows={current.scenarios}
                rowKey={scenarioKey}
                rowAttrs={scenarioAttrs}
              />
            )}
            <p className="muted small">
              From a partner’s first submission to the publication of their first pass.
            </p>
          </Section>

          <Section id="agreement" title="AI-vs-coach agreement" programId={programId} table="agreement">
            {view.agreement.length === 0 ? (
              <Empty>No published review has both an AI and a coach score for a criterion yet.</Empty>
            ) : (
              <DataTable
                caption="Per criterion, where both the AI and the coach scored it; largest difference first"
                columns={AGREEMENT_COLUMNS}
                rows={view.agreement}
                rowKey={criterionKey}
                rowAttrs={criterionAttrs}
              />
            )}
            <p className="muted small">Scores on a 0–1 scale; worst agreement first.</p>
          </Section>
        </>
      )}
    </section>
  );
}
