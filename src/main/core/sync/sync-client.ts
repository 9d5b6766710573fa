/**
 * The desktop side of formal submissions, as the handlers see it: pairing with a coach-review
 * server, the outbox of submitted attempts, and a background worker that posts each manifest,
 * uploads its recording with tus (resumable across restarts), and later pulls the coach's
 * published result. Practice attempts never enter the outbox. The states and retry rules are
 * described in docs/sync.md. The parts: outbox-worker.ts (the loop, backoff, leasing),
 * submission-sender.ts (manifest, upload, acceptance), results-poller.ts (published results),
 * pairing.ts (pair, unpair, status).
 */
import type { AttemptSync, SyncStatus } from '../../../shared/api/types';
import type { EmitEvent } from '../../../shared/api/contract';
import { getOutboxEntry, listOutbox, queueSubmission, rescheduleFailed } from '../db/repositories/sync';
import type { Store } from '../store';
import { toAttemptSync } from './attempt-sync';
import { createDeviceTokenStore } from './device-token';
import { buildSubmissionManifest } from './manifest';
import { createOutboxWorker, createWorkerState } from './outbox-worker';
import { pairWithServer, syncStatus, unpairFromServer } from './pairing';
import { createResultsPoller } from './results-poller';
import type { SecretSealer } from './secret-sealer';
import type { FetchLike } from './server-api';
import { createSubmissionSender } from './submission-sender';
import { outboxWriter, type SyncContext } from './sync-context';

export interface SyncClient {
  /** Starts the background outbox worker (idempotent). */
  start(): void;
  /** Stops the worker, stopping an upload in flight (it resumes at the next start). */
  stop(): Promise<void>;
  status(): Promise<SyncStatus>;
  pair(input: { serverUrl: string; code: string; deviceName: string }): Promise<SyncStatus>;
  unpair(): Promise<SyncStatus>;
  /** Makes failed submissions due now, polls for results, and wakes the worker. */
  retry(): Promise<SyncStatus>;
  submit(attemptId: string, options: { includeRecording: boolean }): Promise<AttemptSync>;
}

export interface SyncClientOptions {
  store: Store;
  emit: EmitEvent;
  fetch?: FetchLike;
  /** Seals the device token on disk (desktop: the OS keychain); default: the plain 0600 file. */
  sealer?: SecretSealer;
  /** How often uploaded submissions are asked for their published result (default 3 minutes). */
  pollIntervalMs?: number;
  /** Backoff after a transient failure: base doubles per try up to max (default 2 s → 5 min). */
  backoff?: { baseMs: number; maxMs: number };
  /** tus PATCH size (default 8 MiB). */
  uploadChunkSize?: number;
  /** Least time between two progress events of one upload (default 250 ms). */
  progressThrottleMs?: number;
}

export function createSyncClient(options: SyncClientOptions): SyncClient {
  const { store, emit } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 3 * 60_000;
  const state = createWorkerState();
  const ctx: SyncContext = {
    store,
    emit,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    tokens: createDeviceTokenStore(store.dataDir, options.sealer),
    running: state.running,
    signal: state.signal,
    ...outboxWriter(store, emit),
  };
  const sender = createSubmissionSender(ctx, {
    chunkSize: options.uploadChunkSize ?? 8 * 1024 * 1024,
    progressThrottleMs: options.progressThrottleMs ?? 250,
  });
  const poller = createResultsPoller(ctx, { pollIntervalMs });
  const worker = createOutboxWorker(
    ctx,
    state,
    { sender, poller },
    { pollIntervalMs, backoff: options.backoff ?? { baseMs: 2_000, maxMs: 5 * 60_000 } },
  );

  return {
    start: () => worker.start(),
    stop: () => worker.stop(),
    status: () => syncStatus(ctx),

    async pair(input) {
      const status = await pairWithServer(ctx, input);
      worker.wake({ poll: true });
      return status;
    },

    async unpair() {
      await sender.abortUpload();
      return unpairFromServer(ctx);
    },

    async retry() {
      await rescheduleFailed(store.db);
      for (const row of await listOutbox(store.db, ['queued'])) await ctx.emitRow(row.attemptId);
      worker.wake({ poll: true });
      return syncStatus(ctx);
    },

    async submit(attemptId, submitOptions) {
      const existing = await getOutboxEntry(store.db, attemptId);
      if (existing?.manifestJson) {
        // Already submitted: the manifest is fixed (the server keys it by id); a failed one is retried.
        if (existing.state === 'failed')
          await ctx.patch(attemptId, { state: 'queued', tries: 0, nextAttemptAt: null });
        worker.wake();
        const row = (await getOutboxEntry(store.db, attemptId)) ?? existing;
        return toAttemptSync(row);
      }
      const built = await buildSubmissionManifest(store, attemptId, submitOptions);
      const row = await queueSubmission(store.db, {
        attemptId,
        includeRecording: built.manifest.recording !== null,
        manifestJson: JSON.stringify(built.manifest),
        bytesTotal: built.manifest.recording?.bytes ?? 0,
      });
      const sync = toAttemptSync(row);
      emit('sync.changed', sync);
      worker.wake();
      return sync;
    },
  };
}
