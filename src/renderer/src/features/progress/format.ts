/** Small pure formatters for the progress screen. Unit-tested in tests/unit/renderer/progress-format.test.ts. */
import type { AttemptStatus, AttemptSummary, ScenarioSummary } from '../../../../shared/api/types';

/** "45 s", "2 min", "1 min 05 s"; "—" when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const total = Math.round(seconds);
  const m = Math.floor(total / 60);
  const s = total % 60;
  if (m === 0) return `${s} s`;
  return s === 0 ? `${m} min` : `${m} min ${String(s).padStart(2, '0')} s`;
}

export const STATUS_LABEL: Record<AttemptStatus, string> = {
  recorded: 'Not analysed',
  analysing: 'Analysing…',
  analysed: 'Analysed',
  failed: 'Analysis failed',
  submitted: 'Submitted',
};

/** "Passed", "Not passed", or "—" before feedback. */
export const resultLabel = (a: Pick<AttemptSummary, 'passed'>): string =>
  a.passed === null ? '—' : a.passed ? 'Passed' : 'Not passed';

export const scenarioKey = (programId: string, scenarioId: string): string => `${programId}/${scenarioId}`;

/** Splits a picker value back into its ids; '' (all scenarios) gives an empty filter. */
export function parseScenarioKey(value: string): { programId?: string; scenarioId?: string } {
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) return {};
  return { programId: value.slice(0, slash), scenarioId: value.slice(slash + 1) };
}

/** Scenario titles by picker key, for the "Scenario" column when all scenarios are shown. */
export function scenarioTitles(scenarios: readonly ScenarioSummary[]): Map<string, string> {
  return new Map(scenarios.map((s) => [scenarioKey(s.programId, s.id), s.title]));
}

export const formatDateTime = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
