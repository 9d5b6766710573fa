/** Pure shaping of the readiness figures for the analytics page (no React). */
import type { ProgramReadiness } from '../../lib/api';

/** 0.3333 → "33%"; null → "—". */
export const formatRate = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);

/** A 0..1 difference with two decimals; null → "—". */
export const formatDiff = (diff: number | null) => (diff === null ? '—' : diff.toFixed(2));

/** Seconds → "45 s", "20 min", "3.5 h", "2.1 d"; null → "—". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export const binLabel = (bin: { from: number; to: number }) =>
  bin.to >= 100 ? `${bin.from}–${bin.to}` : `${bin.from}–${bin.to - 1}`;

/** The histogram of one scenario, or all scenarios' bins summed (scenarioId ''). */
export function histogramOf(readiness: ProgramReadiness, scenarioId: string) {
  const chosen = readiness.scenarios.filter((s) => !scenarioId || s.scenarioId === scenarioId);
  const bins = Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, count: 0 }));
  for (const scenario of chosen)
    scenario.scoreHistogram.forEach((bin, i) => {
      if (bins[i]) bins[i].count += bin.count;
    });
  return bins;
}

/** Every scenario's failed criteria, most failed first (ties: most scored, then title). */
export function failedCriteria(readiness: ProgramReadiness) {
  return readiness.scenarios
    .flatMap((s) => s.mostFailedCriteria.map((c) => ({ ...c, scenarioId: s.scenarioId, scenario: s.title })))
    .filter((c) => c.scored > 0)
    .sort((a, b) => b.failed - a.failed || b.scored - a.scored || a.title.localeCompare(b.title));
}

/** Every scenario's AI-vs-coach agreement with at least one pair, worst (largest difference) first. */
export function agreementRows(readiness: ProgramReadiness) {
  return readiness.scenarios
    .flatMap((s) => s.agreement.map((a) => ({ ...a, scenarioId: s.scenarioId, scenario: s.title })))
    .filter((a) => a.pairs > 0 && a.meanAbsDiff !== null)
    .sort(
      (a, b) =>
        (b.meanAbsDiff ?? 0) - (a.meanAbsDiff ?? 0) ||
        (a.withinQuarter ?? 1) - (b.withinQuarter ?? 1) ||
        b.pairs - a.pairs,
    );
}

export function totals(readiness: ProgramReadiness) {
  const sum = (key: 'submissions' | 'published' | 'passed' | 'scored') =>
    readiness.scenarios.reduce((n, s) => n + s[key], 0);
  const published = sum('published');
  const passed = sum('passed');
  return {
    submissions: sum('submissions'),
    published,
    passed,
    scored: sum('scored'),
    passRate: published ? passed / published : null,
  };
}
