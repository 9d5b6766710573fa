/** An analysed attempt in a fresh store, built with the real metrics, combining and feedback code. */
import { randomBytes } from 'node:crypto';
import { buildFeedback } from '../../../../../src/shared/analysis/feedback';
import { combineJudgments } from '../../../../../src/shared/analysis/combine-judgments';
import type { Judgment } from '../../../../../src/shared/analysis/judgment';
import type { Transcript } from '../../../../../src/shared/transcript/transcript';
import { computeDeliveryMetrics } from '../../../../../src/shared/metrics/compute-delivery-metrics';
import {
  saveFeedback,
  saveMetrics,
  saveTranscript,
} from '../../../../../src/main/core/db/repositories/analysis';
import { createAttempt, updateAttemptStatus } from '../../../../../src/main/core/db/repositories/attempts';
import { upsertProgramWithScenarios } from '../../../../../src/main/core/db/repositories/programs';
import type { Store } from '../../../../../src/main/core/store';
import { samplePack } from '../store/fixtures/sample-pack';

export const transcript: Transcript = {
  language: 'en',
  durationSeconds: 12,
  source: 'import',
  segments: [
    {
      start: 0.5,
      end: 4,
      text: 'This saves you hours every week.',
      words: [
        { text: 'This', start: 0.5, end: 0.8 },
        { text: 'saves', start: 0.8, end: 1.2 },
        { text: 'you', start: 1.2, end: 1.4 },
        { text: 'hours', start: 1.4, end: 1.9 },
        { text: 'every', start: 1.9, end: 2.3 },
        { text: 'week.', start: 2.3, end: 2.8 },
      ],
    },
  ],
};

export async function importSamplePack(store: Store): Promise<void> {
  await upsertProgramWithScenarios(store.db, { pack: samplePack(), packSha256: 'a'.repeat(64) });
}

/** An analysed practice attempt; `recordingBytes` > 0 gives it a video recording of random bytes. */
export async function analysedAttempt(
  store: Store,
  recordingBytes: number,
): Promise<{ id: string; data: Buffer }> {
  const pack = samplePack();
  const scenario = pack.scenarios[0];
  if (!scenario) throw new Error('sample pack has no scenario');
  const attempt = await createAttempt(store.db, {
    programId: pack.program.id,
    scenarioId: scenario.id,
    mode: 'practice',
    durationSeconds: 12,
  });
  const data = randomBytes(recordingBytes);
  if (recordingBytes > 0)
    await store.recordings.save({ attemptId: attempt.id, kind: 'video', mime: 'video/webm', data });
  const metrics = computeDeliveryMetrics(transcript);
  const judgment: Judgment = {
    judge: 'deterministic',
    notes: [],
    verdicts: [
      {
        criterionId: 'value',
        met: true,
        level: null,
        score: 1,
        evidence: [{ quote: 'saves you hours', start: 0.8, end: 1.9 }],
        rationale: 'You named the time saved.',
        judge: 'deterministic',
      },
    ],
  };
  const feedback = buildFeedback({
    scenario,
    packVersion: pack.version,
    combined: combineJudgments(scenario, [judgment]),
    metrics,
  });
  await saveTranscript(store.db, attempt.id, transcript);
  await saveMetrics(store.db, attempt.id, metrics);
  await saveFeedback(store.db, attempt.id, feedback);
  await updateAttemptStatus(store.db, attempt.id, 'analysed');
  return { id: attempt.id, data };
}
