/**
 * The background worker of the outbox: one pass at a time over the due rows (oldest first, one at
 * a time, each leased by marking it `uploading`), then the result poll; a failure is recorded with
 * exponential backoff (transient) or left for retry() (a refusal); between passes it sleeps until
 * the next backoff is due or the next poll, unless woken. The rules: docs/sync.md.
 */
import { AppError } from '../../../shared/errors';
import {
  getOutboxEntry,
  getSyncServer,
  listOutbox,
  noteServerContact,
  type OutboxRecord,
  type SyncServerRecord,
} from '../db/repositories/sync';
import { createLogger } from '../util/logger';
import type { ResultsPoller } from './results-poller';
import type { SubmissionSender } from './submission-sender';
import { UNPAIRED_MESSAGE, type SyncContext } from './sync-context';
import { isRefusal, isTransient, MAX_RETRY_AFTER_SECONDS } from './sync-errors';
import { AbortedUpload } from './tus-upload';

const log = createLogger('sync');

export interface OutboxWorker {
  /** Starts the loop (idempotent). */
  start(): void;
  /** Stops the loop and the upload in flight (it resumes at the next start). */
  stop(): Promise<void>;
  /** Runs a pass now; with `poll`, that pass asks for results regardless of the poll interval. */
  wake(options?: { poll?: boolean }): void;
  running(): boolean;
  signal(): AbortSignal;
}

export interface OutboxWorkerOptions {
  pollIntervalMs: number;
  /** Backoff after a transient failure: base doubles per try up to max. */
  backoff: { baseMs: number; maxMs: number };
}

/** The worker's state, made before the parts that read it (the context asks it whether it runs). */
export function createWorkerState(): Pick<OutboxWorker, 'running' | 'signal'> & {
  setRunning(value: boolean): void;
  controller: AbortController;
} {
  const state = {
    isRunning: false,
    controller: new AbortController(),
    running: () => state.isRunning,
    signal: () => state.controller.signal,
    setRunning(value: boolean) {
      state.isRunning = value;
    },
  };
  return state;
}

export function createOutboxWorker(
  ctx: SyncContext,
  state: ReturnType<typeof createWorkerState>,
  parts: { sender: SubmissionSender; poller: ResultsPoller },
  options: OutboxWorkerOptions,
): OutboxWorker {
  const { store } = ctx;
  const { sender, poller } = parts;
  const { pollIntervalMs, backoff } = options;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let wakeRequested = false;
  let forcePoll = false;

  function backoffMs(tries: number): number {
    return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, tries - 1));
  }

  async function failWithoutRetry(row: OutboxRecord, message: string): Promise<void> {
    log.error('submission failed unexpectedly', { attemptId: row.attemptId, error: message });
    await ctx.patch(row.attemptId, { state: 'failed', lastError: message, nextAttemptAt: null });
  }

  /** The wait before the next try: the backoff, or longer when the server said so (Retry-After). */
  function retryDelayMs(tries: number, retryAfterSeconds: number | undefined): number {
    const asked = Math.min(retryAfterSeconds ?? 0, MAX_RETRY_AFTER_SECONDS) * 1000;
    return Math.max(backoffMs(tries), asked);
  }

  /** Records a failure of one submission: retried later with backoff, or left for retry(). */
  async function recordFailure(row: OutboxRecord, error: unknown): Promise<void> {
    if (error instanceof AbortedUpload) return; // stopping: the row stays resumable as it is
    if (isTransient(error)) {
      const tries = row.tries + 1;
      const next = new Date(Date.now() + retryDelayMs(tries, error.retryAfterSeconds)).toISOString();
      await noteServerContact(store.db, error.message);
      await ctx.patch(row.attemptId, {
        state: 'failed',
        lastError: error.message,
        tries,
        nextAttemptAt: next,
      });
      log.info('submission will be retried', { attemptId: row.attemptId, code: error.code, tries, next });
      return;
    }
    if (!isRefusal(error)) {
      await failWithoutRetry(row, error instanceof Error ? error.message : String(error));
      return;
    }
    const unpaired = error.code === 'UNAUTHORIZED';
    const message = unpaired
      ? `${UNPAIRED_MESSAGE}. Pair it again in Settings, then retry.`
      : error.code === 'CONFLICT'
        ? `The server already holds a different submission under this attempt's id: ${error.message}`
        : `The server refused the submission: ${error.message}`;
    await noteServerContact(store.db, unpaired ? UNPAIRED_MESSAGE : null);
    await ctx.patch(row.attemptId, { state: 'failed', lastError: message, nextAttemptAt: null });
  }

  /**
   * Leases one row (`uploading`) and sends it. False when the server could not be reached (or the
   * worker stops), so the pass stops instead of failing every row the same way.
   */
  async function processRow(row: OutboxRecord, server: SyncServerRecord, token: string): Promise<boolean> {
    if (row.manifestJson === null) return true;
    await ctx.patch(row.attemptId, { state: 'uploading', lastError: null });
    const current = (await getOutboxEntry(store.db, row.attemptId)) ?? row;
    try {
      const sent = await sender.send(current, server, token);
      if (sent.outcome === 'stopped') return false;
      if (sent.outcome === 'unusable') await failWithoutRetry(current, sent.message);
      return true;
    } catch (error) {
      if (!state.running() && !isRefusal(error)) return false;
      await recordFailure(current, error);
      return !isTransient(error);
    }
  }

  /** One pass: every due outbox row (oldest first, one at a time), then the result poll. */
  async function runOnce(): Promise<void> {
    const server = await getSyncServer(store.db);
    if (!server) return;
    let token: string | null;
    try {
      token = await ctx.tokens.read();
    } catch (error) {
      // A token sealed by a keychain this process cannot use: say so in the status, once per change.
      if (!(error instanceof AppError)) throw error;
      const message = error.hint ? `${error.message}. ${error.hint}` : error.message;
      if (server.lastError !== message) {
        log.warn('cannot read the device token', { error: error.message });
        await noteServerContact(store.db, message);
      }
      return;
    }
    if (!token) return;
    const rows = await listOutbox(store.db, ['queued', 'uploading', 'failed']);
    for (const row of rows) {
      if (!state.running()) return;
      const due =
        row.state !== 'failed' || (row.nextAttemptAt !== null && Date.parse(row.nextAttemptAt) <= Date.now());
      if (due && !(await processRow(row, server, token))) return;
    }
    const force = forcePoll;
    forcePoll = false;
    if (state.running()) await poller.poll(server, token, force);
  }

  /** How long to sleep: until the next backoff is due, or the next poll. */
  async function nextDelay(): Promise<number> {
    let delay = pollIntervalMs;
    for (const row of await listOutbox(store.db, ['failed']))
      if (row.nextAttemptAt !== null) delay = Math.min(delay, Date.parse(row.nextAttemptAt) - Date.now());
    return Math.max(20, delay);
  }

  async function work(): Promise<void> {
    while (state.running()) {
      wakeRequested = false;
      try {
        await runOnce();
      } catch (error) {
        log.error('sync pass failed', { error: String(error) });
      }
      if (!state.running()) break;
      if (wakeRequested) continue;
      const delay = await nextDelay().catch(() => pollIntervalMs);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = null;
    }
  }

  return {
    running: state.running,
    signal: state.signal,

    start() {
      if (state.running()) return;
      state.setRunning(true);
      state.controller = new AbortController();
      loop = work();
    },

    async stop() {
      if (!state.running()) return;
      state.setRunning(false);
      state.controller.abort();
      wakeUp?.();
      await sender.abortUpload();
      await loop;
      await sender.settle();
      loop = null;
    },

    wake(wakeOptions) {
      if (wakeOptions?.poll) forcePoll = true;
      wakeRequested = true;
      wakeUp?.();
    },
  };
}
