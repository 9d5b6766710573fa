/**
 * The analysis progress screen's state, mirrored from the core: the stored stages of the attempt,
 * the running job (if any) and live `analysis.progressed` events. Because the job lives in the core,
 * reloading the window simply reads it back.
 */
import { create } from 'zustand';
import {
  ANALYSIS_STAGES,
  type AnalysisProgress,
  type AnalysisStage,
  type AttemptDetail,
} from '../../../../shared/api/types';
import type { SerializedError } from '../../../../shared/errors';
import { call, on } from '../../lib/api';
import { errorText, notifyError } from '../../lib/notifications';

export const STAGE_LABELS: Record<AnalysisStage, string> = {
  transcribe: 'Transcribing your answer',
  measure: 'Measuring delivery',
  judge: 'Judging content against the rubric',
  feedback: 'Writing your feedback',
};
export const STAGE_ORDER: readonly AnalysisStage[] = ANALYSIS_STAGES;

export interface StageView {
  stage: AnalysisStage;
  status: 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled';
  progress: number;
  message: string | null;
}

interface AnalysisState {
  attemptId: string | null;
  attempt: AttemptDetail | null;
  stages: StageView[];
  running: boolean;
  finished: { ok: boolean; error?: SerializedError } | null;
  loadError: string | null;
  open(attemptId: string): Promise<() => void>;
  cancel(): Promise<void>;
  retry(): Promise<void>;
}

function stagesFrom(attempt: AttemptDetail): StageView[] {
  return STAGE_ORDER.map((stage) => {
    const stored = attempt.stages.find((s) => s.stage === stage);
    const status = (stored?.status ?? 'pending') as StageView['status'];
    return { stage, status, progress: status === 'done' ? 1 : 0, message: stored?.error ?? null };
  });
}

function applyEvent(stages: StageView[], event: AnalysisProgress): StageView[] {
  return stages.map((s) =>
    s.stage === event.stage
      ? { ...s, status: event.status, progress: event.progress, message: event.message ?? null }
      : s,
  );
}

export const useAnalysis = create<AnalysisState>((set, get) => ({
  attemptId: null,
  attempt: null,
  stages: [],
  running: false,
  finished: null,
  loadError: null,

  async open(attemptId) {
    set({ attemptId, attempt: null, stages: [], running: false, finished: null, loadError: null });
    const offProgress = on('analysis.progressed', (event) => {
      if (event.attemptId === get().attemptId)
        set({ stages: applyEvent(get().stages, event), running: true });
    });
    const offFinished = on('analysis.finished', (event) => {
      if (event.attemptId !== get().attemptId) return;
      set({
        running: false,
        finished: event.error ? { ok: event.ok, error: event.error } : { ok: event.ok },
      });
      void call('attempt.get', { attemptId }).then((attempt) => set({ attempt }), notifyError);
    });
    try {
      const [attempt, active] = await Promise.all([
        call('attempt.get', { attemptId }),
        call('analysis.active', {}),
      ]);
      const job = active.find((a) => a.attemptId === attemptId);
      let stages = stagesFrom(attempt);
      if (job?.last) stages = applyEvent(stages, job.last);
      set({
        attempt,
        stages,
        running: Boolean(job),
        finished: job
          ? null
          : attempt.status === 'analysed'
            ? { ok: true }
            : attempt.status === 'failed'
              ? {
                  ok: false,
                  error: {
                    code: 'INTERNAL',
                    message: attempt.stages.find((s) => s.error)?.error ?? 'The analysis failed',
                  },
                }
              : null,
      });
    } catch (error) {
      set({ loadError: errorText(error) });
    }
    return () => {
      offProgress();
      offFinished();
    };
  },

  async cancel() {
    const { attemptId } = get();
    if (attemptId) await call('analysis.cancel', { attemptId }).catch(notifyError);
  },

  async retry() {
    const { attemptId } = get();
    if (!attemptId) return;
    set({ finished: null, running: true });
    try {
      await call('analysis.start', { attemptId });
    } catch (error) {
      set({ running: false });
      notifyError(error);
    }
  },
}));
