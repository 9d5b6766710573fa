/**
 * Opens everything a front end needs: the store, the background analysis and model-install jobs,
 * the handler table, the dispatcher and the event stream. The Electron main process and
 * `rehearse serve` call this. The CLI opens no core: each command calls the same domain services
 * (packs/, attempts/, capture/, pipeline/analysis-jobs) over a store it opens, and builds its own
 * model manager (commands/models.ts, or createAnalysisDeps for `score`) since no core holds one.
 */
import { EventEmitter } from 'node:events';
import type { ApiEventName, ApiEvents, AppInfo, EmitEvent } from '../../shared/api/contract';
import { createDispatcher, type Dispatch } from './api/dispatcher';
import { createHandlers } from './api/handlers';
import { createModelManager, loadCatalog, type ModelManager } from './models';
import { createAnalysisDeps } from './pipeline/analysis-deps';
import type { PipelineDeps } from './pipeline/analysis-pipeline';
import { createAnalysisJobs, type AnalysisJobs } from './pipeline/analysis-jobs';
import { recoverCaptures } from './capture/capture-service';
import { createModelInstalls, type ModelInstalls } from './models/model-installs';
import { createSyncClient, type SyncClient } from './sync/sync-client';
import type { SecretSealer } from './sync/secret-sealer';
import { applyAutoDelete } from './settings/settings-service';
import { openStore, type Store } from './store';
import { appVersion, defaultDemoPackPath } from './util/app-version';
import { createLogger } from './util/logger';

const log = createLogger('core');

export type CoreEventListener = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void;

export interface Core {
  store: Store;
  dispatch: Dispatch;
  analysis: AnalysisJobs;
  models: ModelInstalls;
  sync: SyncClient;
  /** Every event the core emits; returns an unsubscribe function. */
  onEvent(listener: CoreEventListener): () => void;
  close(): Promise<void>;
}

export interface OpenCoreOptions {
  dataDir?: string;
  transport: AppInfo['transport'];
  /**
   * Builds the analysis pipeline's dependencies (default: the installed models). Tests and
   * benchmarks pass their own, e.g. a transcriber over fixture models.
   */
  createPipelineDeps?: (store: Store) => Promise<PipelineDeps & { dispose?(): Promise<void> }>;
  /** The sync client's HTTP (tests pass one that fails, to play offline); default: global fetch. */
  fetch?: typeof fetch;
  /** Where the shipped demo pack is (default: resources/packs/demo beside package.json). */
  demoPackPath?: string | null;
  /**
   * Seals secrets kept on disk (the sync device token). The desktop app passes one backed by the OS
   * keychain (Electron safeStorage in the main process); default: none, the token stays a 0600 file.
   */
  secretSealer?: SecretSealer;
}

export async function openCore(options: OpenCoreOptions): Promise<Core> {
  const store = await openStore(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  const bus = new EventEmitter();
  bus.setMaxListeners(100);
  const emit: EmitEvent = (event, payload) => bus.emit('event', event, payload);

  try {
    const recovered = await recoverCaptures(store);
    if (recovered.length > 0) log.info('recovered interrupted recordings', { attempts: recovered });
    const autoDeleted = await applyAutoDelete(store);
    if (autoDeleted > 0) log.info('auto-deleted old practice attempts', { count: autoDeleted });
  } catch (error) {
    await store.close();
    throw error;
  }

  // One model manager for the process: the installs the UI starts and the models the pipeline
  // resolves see the same catalog and the same in-flight downloads. A broken
  // REHEARSE_MODEL_CATALOG leaves it undefined; model installs then report the error on every call.
  const manager: ModelManager | undefined = await loadCatalog().then(
    (catalog) => createModelManager({ dataDir: store.dataDir, catalog }),
    () => undefined,
  );
  const analysis = createAnalysisJobs({
    store,
    emit,
    createDeps: options.createPipelineDeps ?? ((s) => createAnalysisDeps(s, {}, manager ? { manager } : {})),
  });
  const models = await createModelInstalls({ store, emit, ...(manager ? { manager } : {}) });
  const sync = createSyncClient({
    store,
    emit,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.secretSealer ? { sealer: options.secretSealer } : {}),
  });
  sync.start();
  const dispatch = createDispatcher(
    createHandlers({
      store,
      version: appVersion(),
      transport: options.transport,
      emit,
      analysis,
      models,
      sync,
      demoPackPath: options.demoPackPath === undefined ? defaultDemoPackPath() : options.demoPackPath,
    }),
  );
  return {
    store,
    dispatch,
    analysis,
    models,
    sync,
    onEvent(listener) {
      const wrapped = (event: ApiEventName, payload: unknown) =>
        (listener as (e: ApiEventName, p: unknown) => void)(event, payload);
      bus.on('event', wrapped);
      return () => bus.off('event', wrapped);
    },
    async close() {
      await sync.stop();
      models.cancelAll();
      await analysis.dispose();
      await store.close();
    },
  };
}
