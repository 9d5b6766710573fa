/** Where a partner stands on a scenario, derived from their attempts (pure; shown in the library). */
import type { AttemptSummary, ScenarioProgress } from './types';

export function scenarioProgress(attempts: readonly AttemptSummary[]): ScenarioProgress {
  if (attempts.length === 0)
    return { status: 'not-started', attempts: 0, bestScore: null, lastAttemptAt: null };
  const formal = attempts.filter((a) => a.mode === 'formal');
  const scores = attempts
    .filter((a) => a.mode === 'practice' && a.score !== null)
    .map((a) => a.score as number);
  const lastAttemptAt = attempts.map((a) => a.createdAt).reduce((a, b) => (a > b ? a : b));
  const status = formal.some((a) => a.passed === true)
    ? 'passed'
    : formal.length > 0
      ? 'submitted'
      : 'practising';
  return {
    status,
    attempts: attempts.length,
    bestScore: scores.length > 0 ? Math.max(...scores) : null,
    lastAttemptAt,
  };
}
