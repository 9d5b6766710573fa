/**
 * Model downloads started from the UI: one background install per model at a time, on top of the
 * model manager (which resumes `.part` files and checks sizes and SHA-256). Progress goes out as
 * `model.progressed` at most four times a second, and every install ends with one `model.finished`.
 * Nothing a download wrote is thrown away on cancel or failure: the `.part` stays for a resume.
 */
import type { EmitEvent } from '../../../shared/api/contract';
import type { ModelProgress, ModelSummary } from '../../../shared/api/types';
import { AppError, serializeError } from '../../../shared/errors';
import { createModelManager, defaultModelsDir, loadCatalog, type ModelManager } from './index';
import type { DownloadProgress } from './download';
import type { Store } from '../store';
import { createLogger } from '../util/logger';

const log = createLogger('models');

/** 250 ms: no more than four progress events a second per model. */
export const PROGRESS_INTERVAL_MS = 250;

export interface ModelInstalls {
  readonly modelsDir: string;
  list(): Promise<ModelSummary[]>;
  /**
   * Starts a background download; false if one for this model is already running. Fails at once
   * (NOT_FOUND, INVALID_INPUT) for a model it could never install.
   */
  install(modelId: string): Promise<boolean>;
  /** Stops a running install (its `.part` stays for a resume); false when none was running. */
  cancel(modelId: string): boolean;
  cancelAll(): void;
  /** Deletes the model's file and any partial download; CONFLICT while it is being installed. */
  remove(modelId: string): Promise<{ removed: boolean }>;
}

export interface ModelInstallsOptions {
  store: Pick<Store, 'dataDir'>;
  emit: EmitEvent;
  /** Defaults to a manager over the data folder and `loadCatalog()`; tests pass their own. */
  manager?: ModelManager;
  /** Minimum time between two `model.progressed` events of one model (default 250 ms). */
  progressIntervalMs?: number;
}

interface Job {
  controller: AbortController;
}

export async function createModelInstalls(options: ModelInstallsOptions): Promise<ModelInstalls> {
  const { emit } = options;
  const interval = options.progressIntervalMs ?? PROGRESS_INTERVAL_MS;
  let manager: ModelManager | undefined = options.manager;
  let catalogError: unknown;
  if (!manager) {
    try {
      manager = createModelManager({ dataDir: options.store.dataDir, catalog: await loadCatalog() });
    } catch (error) {
      // A broken REHEARSE_MODEL_CATALOG must not keep the app from starting: the models section
      // reports it on every call instead, and everything else works.
      log.error('cannot load the model catalog', { error: String(error) });
      catalogError = error;
    }
  }
  const modelsDir = manager?.modelsDir ?? defaultModelsDir(options.store.dataDir);
  const jobs = new Map<string, Job>();

  function requireManager(): ModelManager {
    if (manager) return manager;
    throw catalogError instanceof AppError
      ? catalogError
      : new AppError('INTERNAL', `Cannot load the model catalog: ${String(catalogError)}`);
  }

  function entryOf(models: ModelManager, modelId: string) {
    const entry = models.catalog.find((candidate) => candidate.id === modelId);
    if (!entry) {
      throw new AppError('NOT_FOUND', `No model "${modelId}" in the catalog`, {
        hint: 'Reload the Settings screen to see the models this version knows.',
      });
    }
    return entry;
  }

  async function list(): Promise<ModelSummary[]> {
    const listing = await requireManager().list();
    return listing.models.map((state) => ({
      id: state.entry.id,
      name: state.entry.name,
      stage: state.entry.stage,
      bytes: state.entry.bytes ?? state.bytesOnDisk,
      licence: state.entry.licence,
      status: state.status,
      path: state.status === 'installed' ? state.path : null,
      installing: jobs.has(state.entry.id),
    }));
  }

  async function install(modelId: string): Promise<boolean> {
    const models = requireManager();
    const entry = entryOf(models, modelId);
    if (jobs.has(modelId)) return false;
    if (entry.sha256 === null) {
      throw new AppError(
        'INVALID_INPUT',
        `${entry.name} has no pinned SHA-256, so its download cannot be checked`,
        {
          hint: `Install it from the command line with \`rehearse models install ${entry.id} --allow-unpinned\`, or place ${entry.fileName} in ${models.modelsDir} yourself.`,
        },
      );
    }

    const controller = new AbortController();
    const progress = throttled(interval, (value: ModelProgress) => emit('model.progressed', value));
    const onProgress = (p: DownloadProgress) => {
      const total = p.totalBytes ?? entry.bytes ?? 0;
      // The digest is computed while the bytes arrive; once they are all in, what is left is the
      // check against the pin and the move into place.
      const phase = total > 0 && p.receivedBytes >= total ? 'verify' : 'download';
      progress.push({ modelId, bytesDone: p.receivedBytes, bytesTotal: total, phase });
    };

    const run = async (): Promise<void> => {
      let outcome: { ok: true } | { ok: false; error: unknown };
      try {
        const result = await models.install(modelId, { signal: controller.signal, onProgress });
        log.info('model installed', {
          model: modelId,
          bytes: result.bytes,
          resumedFrom: result.resumedFrom,
          alreadyInstalled: result.alreadyInstalled,
        });
        outcome = { ok: true };
      } catch (error) {
        const cancelled = controller.signal.aborted;
        if (cancelled) log.info('model install cancelled', { model: modelId });
        else log.warn('model install failed', { model: modelId, error: String(error) });
        outcome = {
          ok: false,
          error:
            cancelled && !(error instanceof AppError && error.code === 'CANCELLED')
              ? new AppError('CANCELLED', `Downloading ${entry.name} was cancelled`)
              : error,
        };
      }
      // No progress after the end; the job is gone before listeners hear of it, so a listener that
      // reloads the list or starts again sees the install over.
      progress.stop();
      jobs.delete(modelId);
      emit(
        'model.finished',
        outcome.ok ? { modelId, ok: true } : { modelId, ok: false, error: serializeError(outcome.error) },
      );
    };

    jobs.set(modelId, { controller });
    run().catch((error: unknown) => {
      // Only a throwing event listener gets here; the install itself has already ended.
      log.error('model install bookkeeping failed', { model: modelId, error: String(error) });
      progress.stop();
      jobs.delete(modelId);
    });
    return true;
  }

  function cancel(modelId: string): boolean {
    const job = jobs.get(modelId);
    if (!job || job.controller.signal.aborted) return false;
    job.controller.abort(new AppError('CANCELLED', 'Cancelled by the user'));
    return true;
  }

  function cancelAll(): void {
    for (const modelId of jobs.keys()) cancel(modelId);
  }

  async function remove(modelId: string): Promise<{ removed: boolean }> {
    const models = requireManager();
    const entry = entryOf(models, modelId);
    if (jobs.has(modelId)) {
      throw new AppError('CONFLICT', `${entry.name} is being installed`, {
        hint: 'Cancel the install first, then remove it.',
      });
    }
    const { removedBytes } = await models.remove(modelId);
    log.info('model removed', { model: modelId, removedBytes });
    return { removed: removedBytes > 0 };
  }

  return { modelsDir, list, install, cancel, cancelAll, remove };
}

/**
 * Passes values to `send` at most once per `intervalMs`: the first at once, later ones collapsed
 * into the latest and sent when the interval is over, so the newest figure is never lost.
 */
function throttled<T>(intervalMs: number, send: (value: T) => void) {
  let last = -Infinity;
  let pending: { value: T } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const flush = () => {
    timer = undefined;
    if (stopped || !pending) return;
    const { value } = pending;
    pending = undefined;
    last = Date.now();
    send(value);
  };
  return {
    push(value: T) {
      if (stopped) return;
      pending = { value };
      const wait = last + intervalMs - Date.now();
      if (wait <= 0 && timer === undefined) flush();
      else timer ??= setTimeout(flush, Math.max(0, wait));
    },
    stop() {
      stopped = true;
      pending = undefined;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
