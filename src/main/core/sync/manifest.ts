/**
 * Builds the SubmissionManifest of an analysed attempt from what the store holds: transcript,
 * delivery metrics, the AI's combined verdicts (with evidence), pack version and the recording to
 * upload (the video if there is one, else the audio).
 */
import type { Feedback } from '../../../shared/analysis/feedback';
import { AppError } from '../../../shared/errors';
import { submissionManifestSchema, type SubmissionManifest } from '../../../shared/sync/protocol';
import { getFeedback, getMetrics, getTranscript } from '../db/repositories/analysis';
import { getAttempt } from '../db/repositories/attempts';
import type { RecordingRecord } from '../db/repositories/recordings';
import type { Store } from '../store';

export interface BuiltManifest {
  manifest: SubmissionManifest;
  /** The recording the manifest names, or null for a transcript-only submission. */
  recording: RecordingRecord | null;
}

export async function buildSubmissionManifest(
  store: Store,
  attemptId: string,
  options: { includeRecording: boolean },
): Promise<BuiltManifest> {
  const attempt = await getAttempt(store.db, attemptId);
  if (!attempt) throw new AppError('NOT_FOUND', `No attempt "${attemptId}"`);
  const [transcript, metrics, feedback, recordings] = await Promise.all([
    getTranscript(store.db, attemptId),
    getMetrics(store.db, attemptId),
    getFeedback<Feedback>(store.db, attemptId),
    store.recordings.list(attemptId),
  ]);
  if (attempt.status !== 'analysed' || !transcript || !metrics || !feedback)
    throw new AppError('CONFLICT', 'Only an analysed attempt with feedback can be submitted', {
      hint: 'Finish the analysis of this attempt first.',
    });

  const recording = options.includeRecording
    ? (recordings.find((r) => r.kind === 'video') ?? recordings.find((r) => r.kind === 'audio') ?? null)
    : null;
  if (options.includeRecording && !recording)
    throw new AppError('CONFLICT', 'This attempt has no recording to include', {
      hint: 'Submit it without the recording (transcript and scores only).',
    });

  const judgedBy = [
    ...(feedback.judgedBy.deterministic ? ['deterministic'] : []),
    ...(feedback.judgedBy.llm !== null ? [feedback.judgedBy.llm] : []),
  ];
  const candidate = {
    id: attempt.id,
    programId: attempt.programId,
    scenarioId: attempt.scenarioId,
    packVersion: attempt.packVersion,
    recordedAt: attempt.createdAt,
    durationSeconds: attempt.durationSeconds ?? metrics.durationSeconds,
    recording: recording && {
      kind: recording.kind,
      mime: recording.mime,
      bytes: recording.bytes,
      sha256: recording.sha256,
    },
    transcript,
    metrics: { ...metrics } as Record<string, unknown>,
    ai: {
      score: feedback.score,
      passed: feedback.passed,
      judgedBy,
      criteria: feedback.criteria.map((c) => ({
        criterionId: c.criterionId,
        met: c.met,
        level: c.level,
        score: c.score,
        rationale: c.rationale,
        evidence: c.evidence.map((e) => ({ quote: e.quote, start: e.start, end: e.end })),
        judge: c.judge,
      })),
    },
  };
  const parsed = submissionManifestSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'CONFLICT',
      `This attempt cannot be submitted: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid manifest'}`,
      { hint: 'Analyse the attempt again, then submit it.' },
    );
  }
  return { manifest: parsed.data, recording };
}
