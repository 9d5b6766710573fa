/**
 * Analyses running in the background, one per attempt, at most one at a time (the models are large
 * and the machine may have two cores): later requests wait in a queue. Progress and the outcome go
 * out as events; the jobs live in the core, so a reloaded window asks `active()` and carries on.
 * The pipeline's dependencies (loaded models) are created once and reused across attempts.
 */
import type { EmitEvent } from '../../../shared/api/contract';
import type { ActiveAnalysis, AnalysisProgress } from '../../../shared/api/types';
import { AppError, serializeError } from '../../../shared/errors';
import { getAttempt } from '../db/repositories/attempts';
import { analyzeAttempt, type PipelineDeps } from './analysis-pipeline';
import type { Store } from '../store';
import { createLogger } from '../util/logger';

const log = createLogger('analysis-jobs');

export interface AnalysisJobs {
  /** Queues the attempt's analysis; false when it is already queued or running. */
  start(attemptId: string): Promise<boolean>;
  /** Cancels a queued or running analysis; false when there was none. */
  cancel(attemptId: string): boolean;
  cancelAll(): void;
  active(): ActiveAnalysis[];
  /** Resolves when the attempt's job (if any) has ended. */
  settled(attemptId: string): Promise<void>;
  /** Cancels everything, waits for the jobs to stop and releases the models. */
  dispose(): Promise<void>;
}

type Deps = PipelineDeps & { dispose?(): Promise<void> };

interface Job {
  attemptId: string;
  startedAt: string;
  controller: AbortController;
  last: AnalysisProgress | null;
  done: Promise<void>;
}

export function createAnalysisJobs(options: {
  store: Store;
  emit: EmitEvent;
  createDeps: (store: Store) => Promise<Deps>;
}): AnalysisJobs {
  const { store, emit } = options;
  const jobs = new Map<string, Job>();
  let deps: Promise<Deps> | undefined;
  let queue: Promise<void> = Promise.resolve();

  const getDeps = () =>
    (deps ??= options.createDeps(store).catch((error: unknown) => {
      deps = undefined; // a later attempt may succeed (e.g. after installing a model)
      throw error;
    }));

  async function run(job: Job): Promise<void> {
    const { attemptId, controller } = job;
    try {
      if (controller.signal.aborted) throw new AppError('CANCELLED', 'Analysis was cancelled');
      await analyzeAttempt(await getDeps(), attemptId, {
        signal: controller.signal,
        onEvent: (event) => {
          job.last = event;
          emit('analysis.progressed', event);
        },
      });
      emit('analysis.finished', { attemptId, ok: true });
    } catch (error) {
      const e = serializeError(error);
      if (e.code !== 'CANCELLED') log.warn('analysis failed', { attemptId, error: e.message });
      emit('analysis.finished', { attemptId, ok: false, error: e });
    } finally {
      jobs.delete(attemptId);
      emit('attempt.changed', { attemptId });
    }
  }

  return {
    async start(attemptId) {
      if (jobs.has(attemptId)) return false;
      const attempt = await getAttempt(store.db, attemptId);
      if (!attempt) throw new AppError('NOT_FOUND', `No attempt ${attemptId}`);
      if (attempt.status === 'analysed') return false;
      const job: Job = {
        attemptId,
        startedAt: new Date().toISOString(),
        controller: new AbortController(),
        last: null,
        done: Promise.resolve(),
      };
      job.done = queue = queue.then(() => run(job));
      jobs.set(attemptId, job);
      return true;
    },
    cancel(attemptId) {
      const job = jobs.get(attemptId);
      if (!job) return false;
      job.controller.abort();
      return true;
    },
    cancelAll() {
      for (const job of jobs.values()) job.controller.abort();
    },
    active: () =>
      [...jobs.values()].map((j) => ({ attemptId: j.attemptId, startedAt: j.startedAt, last: j.last })),
    async settled(attemptId) {
      await jobs.get(attemptId)?.done;
    },
    async dispose() {
      for (const job of jobs.values()) job.controller.abort();
      await queue.catch(() => undefined);
      const loaded = await deps?.catch(() => undefined);
      await loaded?.dispose?.();
    },
  };
}
