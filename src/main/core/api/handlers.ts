/** The core's implementation of the API contract: one line per method, the work is in the services. */
import type { AppInfo, EmitEvent, Handlers } from '../../../shared/api/contract';
import type { AnalysisJobs } from '../pipeline/analysis-jobs';
import { deleteAttempt, getAttemptDetail, listAttemptSummaries } from '../attempts/attempts-service';
import {
  appendCapture,
  createPracticeAttempt,
  discardCapture,
  finishCapture,
} from '../capture/capture-service';
import type { ModelInstalls } from '../models/model-installs';
import {
  findScenario,
  importPack,
  listProgramSummaries,
  listScenarioSummaries,
} from '../packs/packs-service';
import { getAttemptReview } from '../attempts/review-service';
import { deleteAllPractice, getSettings, storageUsage, updateSettings } from '../settings/settings-service';
import type { SyncClient } from '../sync/sync-client';
import type { Store } from '../store';

export interface HandlerContext {
  store: Store;
  version: string;
  transport: AppInfo['transport'];
  emit: EmitEvent;
  analysis: AnalysisJobs;
  models: ModelInstalls;
  sync: SyncClient;
  demoPackPath: string | null;
}

export function createHandlers(ctx: HandlerContext): Handlers {
  const { store, emit, analysis, models, sync } = ctx;
  return {
    'app.info': async () => ({
      version: ctx.version,
      dataDir: store.dataDir,
      transport: ctx.transport,
      demoPackPath: ctx.demoPackPath,
    }),
    'programs.list': () => listProgramSummaries(store),
    'scenarios.list': (i) => listScenarioSummaries(store, i.programId),
    'scenario.get': (i) => findScenario(store, i),
    'packs.import': async (i) => {
      const result = await importPack(store, i.path);
      emit('pack.imported', { programId: result.programId, version: result.version });
      return result;
    },
    'attempts.list': (i) => listAttemptSummaries(store, i),
    'attempt.get': (i) => getAttemptDetail(store, i.attemptId),
    'attempt.review': (i) => getAttemptReview(store, i.attemptId),
    'attempt.delete': async (i) => {
      analysis.cancel(i.attemptId);
      const result = await deleteAttempt(store, i.attemptId);
      if (result.deleted) emit('attempt.deleted', { attemptId: i.attemptId });
      return result;
    },
    'attempt.create': (i) => createPracticeAttempt(store, i),
    'capture.append': (i) => appendCapture(store, i),
    'capture.finish': async (i) => {
      const detail = await finishCapture(store, i.attemptId, i.durationSeconds);
      emit('attempt.changed', { attemptId: i.attemptId });
      return detail;
    },
    'capture.discard': (i) => discardCapture(store, i.attemptId),
    'analysis.start': async (i) => ({ started: await analysis.start(i.attemptId) }),
    'analysis.cancel': async (i) => ({ cancelled: analysis.cancel(i.attemptId) }),
    'analysis.active': async () => analysis.active(),
    'models.list': () => models.list(),
    'models.install': async (i) => ({ started: await models.install(i.modelId) }),
    'models.cancelInstall': async (i) => ({ cancelled: models.cancel(i.modelId) }),
    'models.remove': (i) => models.remove(i.modelId),
    'settings.get': () => getSettings(store),
    'settings.update': (i) => updateSettings(store, i),
    'storage.usage': () => storageUsage(store, models.modelsDir),
    'practice.deleteAll': async () => {
      analysis.cancelAll();
      const result = await deleteAllPractice(store);
      emit('attempts.cleared', result);
      return result;
    },
    'sync.status': () => sync.status(),
    'sync.pair': (i) => sync.pair(i),
    'sync.unpair': () => sync.unpair(),
    'sync.retry': () => sync.retry(),
    'attempt.submit': (i) => sync.submit(i.attemptId, { includeRecording: i.includeRecording }),
  } satisfies Handlers;
}
