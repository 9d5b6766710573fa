/** Everything the feedback review screen shows for one attempt, in one call. */
import type { AttemptReview } from '../../../shared/api/types';
import { AppError } from '../../../shared/errors';
import { getMetrics, getTranscript } from '../db/repositories/analysis';
import { getScenario } from '../db/repositories/programs';
import type { Store } from '../store';
import { getAttemptDetail } from './attempts-service';

export async function getAttemptReview(store: Store, attemptId: string): Promise<AttemptReview> {
  const attempt = await getAttemptDetail(store, attemptId);
  const found = await getScenario(store.db, attempt.programId, attempt.scenarioId);
  if (!found)
    throw new AppError('NOT_FOUND', `The scenario "${attempt.scenarioId}" is no longer in the library`, {
      hint: `Re-import the pack of program "${attempt.programId}" to review this attempt.`,
    });
  const [transcript, metrics] = await Promise.all([
    getTranscript(store.db, attempt.id),
    getMetrics(store.db, attempt.id),
  ]);
  return {
    attempt,
    scenario: found.scenario,
    transcript: transcript ?? null,
    metrics: metrics ?? null,
    feedback: attempt.feedback,
  };
}
