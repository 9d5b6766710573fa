/**
 * The analysis pipeline: transcribe → measure → judge → feedback. Each stage's output is stored
 * before the next starts, so a crash or a cancel resumes where it stopped instead of redoing
 * finished work. Progress is reported per stage; every failure is recorded on the stage with a
 * message a person can act on.
 */
import { combineJudgments } from '../../../shared/analysis/combine-judgments';
import { buildFeedback, type Feedback } from '../../../shared/analysis/feedback';
import type { Judge, Judgment } from '../../../shared/analysis/judgment';
import { hasMeasuredTimings, type Transcript } from '../../../shared/transcript/transcript';
import { AppError, serializeError } from '../../../shared/errors';
import { computeDeliveryMetrics } from '../../../shared/metrics';
import type { Scenario } from '../../../shared/pack/schema';
import type { Transcriber } from '../../ai/transcriber/transcriber';
import {
  getFeedback,
  getJudgment,
  getMetrics,
  getStages,
  getTranscript,
  saveFeedback,
  saveJudgment,
  saveMetrics,
  saveScores,
  saveTranscript,
  setStage,
} from '../db/repositories/analysis';
import { getAttempt, updateAttemptDetails, updateAttemptStatus } from '../db/repositories/attempts';
import { getProgram, getScenario } from '../db/repositories/programs';
import type { Store } from '../store';
import { createLogger } from '../util/logger';

const log = createLogger('pipeline');

export const STAGES = ['transcribe', 'measure', 'judge', 'feedback'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageEvent {
  attemptId: string;
  stage: Stage;
  status: 'running' | 'done' | 'skipped' | 'failed' | 'cancelled';
  /** 0..1 within the stage. */
  progress: number;
  message?: string;
}

export interface PipelineDeps {
  store: Store;
  /** Created on first need (only when no transcript is stored yet). */
  transcriber: () => Promise<Transcriber>;
  deterministicJudge: Judge;
  /** null when no language model is installed: the deterministic judge then scores alone. */
  llmJudge: Judge | null;
  /** Why there is no LLM judge, shown to the partner (e.g. "no language model is installed"). */
  llmUnavailableReason?: string;
}

export interface AnalyzeOptions {
  signal?: AbortSignal;
  onEvent?: (event: StageEvent) => void;
  /** Bound on transcription (default: the transcriber's own). */
  transcribeTimeoutMs?: number;
}

const cancelledError = () =>
  new AppError('CANCELLED', 'Analysis was cancelled', { hint: 'Run it again to resume.' });

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

function wordCount(t: Transcript): number {
  return t.segments.reduce((n, s) => n + s.words.length, 0);
}

/** Runs (or resumes) the analysis of one attempt and returns its feedback. */
export async function analyzeAttempt(
  deps: PipelineDeps,
  attemptId: string,
  options: AnalyzeOptions = {},
): Promise<Feedback> {
  const { store } = deps;
  const { signal } = options;
  const attempt = await getAttempt(store.db, attemptId);
  if (!attempt) throw new AppError('NOT_FOUND', `No attempt ${attemptId}`);
  const found = await getScenario(store.db, attempt.programId, attempt.scenarioId);
  if (!found)
    throw new AppError(
      'NOT_FOUND',
      `The scenario "${attempt.scenarioId}" of this attempt is no longer in the library`,
      {
        hint: `Re-import the pack of program "${attempt.programId}".`,
      },
    );
  const scenario: Scenario = found.scenario;
  const done = new Set(
    (await getStages(store.db, attemptId)).filter((s) => s.status === 'done').map((s) => s.stage),
  );

  const emit = (stage: Stage, status: StageEvent['status'], progress: number, message?: string) =>
    options.onEvent?.({ attemptId, stage, status, progress, ...(message === undefined ? {} : { message }) });

  let current: Stage = 'transcribe';
  const run = async <T>(
    stage: Stage,
    stored: () => Promise<T | undefined>,
    work: () => Promise<T>,
  ): Promise<T> => {
    current = stage;
    throwIfAborted(signal);
    const existing = done.has(stage) ? await stored() : undefined;
    if (existing !== undefined) {
      emit(stage, 'skipped', 1, 'already done');
      return existing;
    }
    await setStage(store.db, attemptId, stage, 'running');
    emit(stage, 'running', 0);
    const result = await work();
    await setStage(store.db, attemptId, stage, 'done');
    emit(stage, 'done', 1);
    return result;
  };

  await updateAttemptStatus(store.db, attemptId, 'analysing');
  try {
    const transcript = await run(
      'transcribe',
      () => getTranscript(store.db, attemptId),
      async () => {
        // The recorder's 16 kHz WAV; failing that (an interrupted recording), the video's own sound track,
        // which the transcriber converts when ffmpeg is installed.
        const recordings = await store.recordings.list(attemptId);
        const audio =
          recordings.find((r) => r.kind === 'audio') ?? recordings.find((r) => r.kind === 'video');
        if (!audio)
          throw new AppError(
            'MEDIA_INVALID',
            'This attempt has no audio recording or transcript to analyse',
            {
              hint: 'Record the attempt again.',
            },
          );
        const transcriber = await deps.transcriber();
        const result = await transcriber.transcribe(
          { wavPath: store.recordings.resolvePath(audio.relativePath) },
          {
            ...(signal ? { signal } : {}),
            ...(options.transcribeTimeoutMs === undefined ? {} : { timeoutMs: options.transcribeTimeoutMs }),
            onProgress: (f) => emit('transcribe', 'running', f),
          },
        );
        await saveTranscript(store.db, attemptId, result);
        return result;
      },
    );
    if (wordCount(transcript) === 0)
      throw new AppError('MEDIA_INVALID', 'No speech was found in the recording', {
        hint: 'Check that the right microphone is selected and not muted, then record again.',
      });

    const metrics = await run(
      'measure',
      () => getMetrics(store.db, attemptId),
      async () => {
        const m = computeDeliveryMetrics(transcript, {
          answerSeconds: scenario.timing.answerSeconds,
          ...(transcript.partnerSpeaker ? { partnerSpeaker: transcript.partnerSpeaker } : {}),
        });
        await saveMetrics(store.db, attemptId, m);
        await updateAttemptDetails(store.db, attemptId, { durationSeconds: m.durationSeconds });
        return m;
      },
    );

    const notes: string[] = [];
    const judgments = await run(
      'judge',
      async () => {
        const list = [
          await getJudgment(store.db, attemptId, 'deterministic'),
          await getJudgment(store.db, attemptId, 'llm'),
        ];
        return list[0] ? list.filter((j): j is Judgment => j !== undefined) : undefined;
      },
      async () => {
        const judges = [deps.deterministicJudge, ...(deps.llmJudge ? [deps.llmJudge] : [])];
        const results: Judgment[] = [];
        for (const [i, judge] of judges.entries()) {
          const stored = await getJudgment(store.db, attemptId, judge.name);
          if (stored) {
            results.push(stored);
            continue;
          }
          const onProgress = (f: number) => emit('judge', 'running', (i + f) / judges.length);
          try {
            const judgment = await judge.judge(
              { scenario, transcript, metrics },
              { ...(signal ? { signal } : {}), onProgress },
            );
            await saveJudgment(store.db, attemptId, judgment);
            results.push(judgment);
          } catch (error) {
            // The deterministic judge must work; the LLM judge is a bonus whose failure is reported, not fatal.
            const e = serializeError(error);
            if (judge.name === 'deterministic' || e.code === 'CANCELLED') throw error;
            log.warn('LLM judge failed; scoring with the deterministic judge alone', {
              attemptId,
              error: e.message,
            });
            notes.push(
              `The language-model judge failed (${e.message}), so only the rule-based judge scored this attempt.`,
            );
          }
        }
        return results;
      },
    );

    const feedback = await run(
      'feedback',
      () => getFeedback<Feedback>(store.db, attemptId),
      async () => {
        const llm = judgments.find((j) => j.judge === 'llm');
        if (!llm && deps.llmJudge === null)
          notes.push(
            `Scored by the rule-based judge only: ${deps.llmUnavailableReason ?? 'no language model is installed'}. Criteria it cannot check are left for a coach.`,
          );
        const timingsMeasured = hasMeasuredTimings(transcript);
        if (!timingsMeasured)
          notes.push(
            'The transcript was plain text, so timings were estimated: pace and pause figures are not measured.',
          );
        const program = await getProgram(store.db, attempt.programId);
        if (program && program.packVersion !== attempt.packVersion)
          notes.push(
            `Recorded against pack version ${attempt.packVersion}; judged against version ${program.packVersion}, the one now in your library.`,
          );
        for (const j of judgments) notes.push(...j.notes);
        const combined = combineJudgments(scenario, judgments);
        const report = buildFeedback({
          scenario,
          packVersion: attempt.packVersion,
          combined,
          metrics,
          notes,
          timingsMeasured,
        });
        await saveScores(
          store.db,
          attemptId,
          'ai',
          combined.verdicts.map((v) => ({
            criterionId: v.criterionId,
            score: v.score,
            level: v.level,
            met: v.met,
          })),
        );
        await saveFeedback(store.db, attemptId, report);
        return report;
      },
    );

    await updateAttemptStatus(store.db, attemptId, 'analysed');
    return feedback;
  } catch (thrown) {
    // Whatever a stage threw when the run was aborted (an AbortError from a library, say) is a cancel.
    const error = signal?.aborted && serializeError(thrown).code !== 'CANCELLED' ? cancelledError() : thrown;
    const e = serializeError(error);
    const cancelled = e.code === 'CANCELLED';
    await setStage(
      store.db,
      attemptId,
      current,
      cancelled ? 'cancelled' : 'failed',
      cancelled ? null : e.message,
    ).catch(() => undefined);
    // A cancelled attempt can simply be analysed again; a failed one keeps its error for the UI.
    await updateAttemptStatus(store.db, attemptId, cancelled ? 'recorded' : 'failed').catch(() => undefined);
    emit(current, cancelled ? 'cancelled' : 'failed', 0, e.message);
    throw error;
  }
}
