/**
 * Runs the core's utility process on behalf of the main process: relays calls through the
 * CoreChannel, forwards events, restarts the process once when it crashes, and closes it gracefully
 * at quit (a `close` message, then a kill after a time limit). Pure: the process is behind the small
 * CoreProcessHandle interface, so this is unit-tested with a fake (the Electron adapter that forks a
 * real utilityProcess is src/main/electron/core-host.ts).
 *
 * A crash is made visible: every pending call fails with INTERNAL, and each analysis or model
 * install that was running gets its `analysis.finished` / `model.finished` event with `ok: false`,
 * so the renderer shows it like any other failed job. Stages already finished are stored, so
 * starting the analysis again resumes it.
 */
import type { ApiEventName, ApiMethod, ApiResult } from '../../shared/api/contract';
import { serializeError, type SerializedError } from '../../shared/errors';
import {
  createCoreChannel,
  parseCoreMessage,
  type CoreChannel,
  type MainToCoreMessage,
  type MediaFile,
  type SecretRequest,
} from './core-channel';

export interface CoreProcessHandle {
  postMessage(message: MainToCoreMessage): void;
  /** Ends the process now; `exit` still follows. */
  kill(): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number) => void): void;
}

export interface CoreSupervisorOptions {
  /** Starts a fresh utility process. */
  spawn(): CoreProcessHandle;
  /** An event for the window (ApiEvents, including the ones made up after a crash). */
  onEvent(event: ApiEventName, payload: unknown): void;
  /** The core could not open (locked or unwritable data folder, damaged database): no restart helps. */
  onFatal(error: SerializedError): void;
  /** The process crashed again after its restart. */
  onGiveUp(error: SerializedError): void;
  /**
   * Answers the core's seal/open requests (Electron safeStorage, see ./secret-storage.ts). Without
   * it they get an error, and the core keeps the device token in its plain 0600 file.
   */
  answerSecret?(request: SecretRequest): ApiResult<string> | Promise<ApiResult<string>>;
  /** A crash that was answered with a restart (for the log). */
  onRestart?(code: number): void;
  maxRestarts?: number;
  callTimeoutMs?: number;
  mediaTimeoutMs?: number;
  /** How long `stop()` waits for a graceful exit before killing, and after killing. */
  closeTimeoutMs?: number;
}

export type CoreSupervisorState = 'idle' | 'running' | 'failed' | 'stopping' | 'stopped';

export interface CoreSupervisor {
  start(): void;
  call(method: ApiMethod, input: unknown): Promise<ApiResult<unknown>>;
  media(recordingId: string): Promise<ApiResult<MediaFile>>;
  /** Closes the core gracefully, killing the process if it does not exit in time. */
  stop(): Promise<void>;
  readonly state: CoreSupervisorState;
  readonly restarts: number;
}

const HINTS = {
  call: 'Rehearse restarted its background process: try again.',
  analysis: 'Rehearse restarted its background process. Start the analysis again: finished stages are kept.',
  model: 'Rehearse restarted its background process. Install the model again.',
  gaveUp: 'Quit and start Rehearse again.',
} as const;

/** Tracks the jobs that would be lost with the process, from calls and events. */
class RunningJobs {
  readonly analyses = new Set<string>();
  readonly models = new Set<string>();

  afterCall(method: ApiMethod, input: unknown, result: ApiResult<unknown>): void {
    if (!result.ok || typeof input !== 'object' || input === null) return;
    const started = (result.value as { started?: unknown } | null)?.started === true;
    const { attemptId, modelId } = input as { attemptId?: unknown; modelId?: unknown };
    if (method === 'analysis.start' && started && typeof attemptId === 'string') this.analyses.add(attemptId);
    if (method === 'models.install' && started && typeof modelId === 'string') this.models.add(modelId);
  }

  onEvent(event: ApiEventName, payload: unknown): void {
    if (typeof payload !== 'object' || payload === null) return;
    const { attemptId, modelId } = payload as { attemptId?: unknown; modelId?: unknown };
    if (event === 'analysis.progressed' && typeof attemptId === 'string') this.analyses.add(attemptId);
    if (event === 'analysis.finished' && typeof attemptId === 'string') this.analyses.delete(attemptId);
    if (event === 'model.progressed' && typeof modelId === 'string') this.models.add(modelId);
    if (event === 'model.finished' && typeof modelId === 'string') this.models.delete(modelId);
  }

  /** The `*.finished` events that tell the window its jobs died with the process. */
  drain(error: SerializedError, restarted: boolean): Array<[ApiEventName, unknown]> {
    const hint = (kind: 'analysis' | 'model') => (restarted ? HINTS[kind] : HINTS.gaveUp);
    const events: Array<[ApiEventName, unknown]> = [
      ...[...this.analyses].map((attemptId): [ApiEventName, unknown] => [
        'analysis.finished',
        { attemptId, ok: false, error: { ...error, hint: hint('analysis') } },
      ]),
      ...[...this.models].map((modelId): [ApiEventName, unknown] => [
        'model.finished',
        { modelId, ok: false, error: { ...error, hint: hint('model') } },
      ]),
    ];
    this.analyses.clear();
    this.models.clear();
    return events;
  }
}

export function createCoreSupervisor(options: CoreSupervisorOptions): CoreSupervisor {
  const maxRestarts = options.maxRestarts ?? 1;
  const closeTimeoutMs = options.closeTimeoutMs ?? 5_000;
  const jobs = new RunningJobs();
  let state: CoreSupervisorState = 'idle';
  let restarts = 0;
  let current: { handle: CoreProcessHandle; channel: CoreChannel; exited: Promise<number> } | undefined;
  let failure: SerializedError | undefined;
  let stopping: Promise<void> | undefined;

  function launch(): void {
    const handle = options.spawn();
    const channel = createCoreChannel({
      post: (message) => handle.postMessage(message),
      ...(options.callTimeoutMs === undefined ? {} : { callTimeoutMs: options.callTimeoutMs }),
      ...(options.mediaTimeoutMs === undefined ? {} : { mediaTimeoutMs: options.mediaTimeoutMs }),
    });
    let onExited: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (onExited = resolve));
    const self = { handle, channel, exited };
    current = self;

    handle.onMessage((raw) => {
      if (current !== self) return;
      const message = parseCoreMessage(raw);
      if (!message) return;
      switch (message.type) {
        case 'result':
          channel.settle(message.id, message.result);
          return;
        case 'event':
          jobs.onEvent(message.event, message.payload);
          options.onEvent(message.event, message.payload);
          return;
        case 'fatal':
          if (state !== 'running') return;
          state = 'failed';
          failure = message.error;
          channel.failAll(message.error);
          options.onFatal(message.error);
          return;
        case 'ready':
          return;
        case 'seal':
        case 'open':
          void answerSecret(message).then((result) => {
            if (current !== self) return;
            try {
              handle.postMessage({ type: 'secret', id: message.id, result });
            } catch {
              // The process is gone: its request died with it.
            }
          });
          return;
      }
    });

    handle.onExit((code) => {
      onExited(code);
      if (current !== self) return;
      if (state === 'stopping' || state === 'stopped') {
        channel.failAll({ code: 'CANCELLED', message: 'Rehearse is closing' });
        return;
      }
      if (state === 'failed') {
        channel.failAll(failure ?? crashError(code, false));
        return;
      }
      const restart = restarts < maxRestarts;
      const error = crashError(code, restart);
      channel.failAll(error);
      for (const [event, payload] of jobs.drain(error, restart)) options.onEvent(event, payload);
      if (restart) {
        restarts += 1;
        options.onRestart?.(code);
        launch();
      } else {
        state = 'failed';
        failure = error;
        options.onGiveUp(error);
      }
    });
  }

  async function answerSecret(request: SecretRequest): Promise<ApiResult<string>> {
    if (!options.answerSecret)
      return { ok: false, error: { code: 'INTERNAL', message: 'This Rehearse cannot seal secrets' } };
    try {
      return await options.answerSecret(request);
    } catch (error) {
      return { ok: false, error: serializeError(error) };
    }
  }

  function unavailable(): ApiResult<never> {
    if (state === 'idle')
      return { ok: false, error: { code: 'INTERNAL', message: 'The Rehearse core has not started yet' } };
    if (state === 'stopping' || state === 'stopped')
      return { ok: false, error: { code: 'CANCELLED', message: 'Rehearse is closing' } };
    return {
      ok: false,
      error: failure ?? { code: 'INTERNAL', message: 'The Rehearse core is not running' },
    };
  }

  return {
    start() {
      if (state !== 'idle') return;
      state = 'running';
      launch();
    },
    async call(method, input) {
      if (state !== 'running' || !current) return unavailable();
      const result = await current.channel.call(method, input);
      jobs.afterCall(method, input, result);
      return result;
    },
    async media(recordingId) {
      if (state !== 'running' || !current) return unavailable();
      return current.channel.media(recordingId);
    },
    stop() {
      if (stopping) return stopping;
      const target = current;
      const wasAlive = state === 'running' || state === 'failed';
      state = 'stopping';
      stopping = (async () => {
        if (target && wasAlive) {
          try {
            target.handle.postMessage({ type: 'close' });
          } catch {
            // the process is gone already; the kill below is a no-op then
          }
          if ((await within(target.exited, closeTimeoutMs)) === undefined) {
            target.handle.kill();
            await within(target.exited, closeTimeoutMs);
          }
          target.channel.failAll({ code: 'CANCELLED', message: 'Rehearse is closing' });
        }
        state = 'stopped';
      })();
      return stopping;
    },
    get state() {
      return state;
    },
    get restarts() {
      return restarts;
    },
  };
}

function crashError(code: number, restarted: boolean): SerializedError {
  return {
    code: 'INTERNAL',
    message: `Rehearse's background process stopped unexpectedly (exit code ${code})`,
    hint: restarted ? HINTS.call : HINTS.gaveUp,
  };
}

/** The promise's value, or undefined when it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
