/**
 * The desktop side of formal submissions: pairing with a coach-review server, the outbox of
 * submitted attempts, and a background worker that posts each manifest, uploads its recording with
 * tus (resumable across restarts), and later pulls the coach's published result. Practice attempts
 * never enter the outbox. The states and retry rules are described in docs/sync.md.
 */
import fs from 'node:fs/promises';
import type { AttemptSync, SyncStatus } from '../../../shared/api/types';
import type { EmitEvent } from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import {
  publishedResultSchema,
  SUBMISSION_UPLOAD_PATH,
  submissionManifestSchema,
  type PublishedResult,
  type Submission,
} from '../../../shared/sync/protocol';
import {
  clearSyncServer,
  countOutbox,
  getOutboxEntry,
  getSyncServer,
  listOutbox,
  noteServerContact,
  queueSubmission,
  rescheduleFailed,
  saveSyncServer,
  updateOutbox,
  type OutboxPatch,
  type OutboxRecord,
  type SyncServerRecord,
} from '../db/repositories/sync';
import type { Store } from '../store';
import { createDeviceTokenStore } from './device-token';
import { buildSubmissionManifest } from './manifest';
import type { SecretSealer } from './secret-sealer';
import {
  getSubmission,
  normaliseServerUrl,
  pairDevice,
  postSubmission,
  SyncHttpError,
  type FetchLike,
} from './server-api';
import { AbortedUpload, finishTusUpload, startTusUpload, type RunningUpload } from './tus-upload';
import { createLogger } from '../util/logger';

const log = createLogger('sync');

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

export function toAttemptSync(row: OutboxRecord): AttemptSync {
  const hasRecording = row.includeRecording && row.bytesTotal > 0;
  return {
    attemptId: row.attemptId,
    state: row.state,
    includeRecording: row.includeRecording,
    progress: !hasRecording
      ? 1
      : row.state === 'uploaded'
        ? 1
        : Math.min(1, Math.max(0, row.bytesSent / row.bytesTotal)),
    lastError: row.lastError,
    remoteStatus: row.remoteStatus,
    updatedAt: row.updatedAt,
  };
}

/** The stored published result, re-validated on the way out (null if absent or unreadable). */
export function storedResult(row: OutboxRecord | undefined): PublishedResult | null {
  if (!row?.resultJson) return null;
  try {
    const parsed = publishedResultSchema.safeParse(JSON.parse(row.resultJson));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const UNPAIRED_MESSAGE = 'This device is no longer paired with the server (it refused the device token)';

export function createSyncClient(options: SyncClientOptions): SyncClient {
  const { store, emit } = options;
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const pollIntervalMs = options.pollIntervalMs ?? 3 * 60_000;
  const backoff = options.backoff ?? { baseMs: 2_000, maxMs: 5 * 60_000 };
  const chunkSize = options.uploadChunkSize ?? 8 * 1024 * 1024;
  const progressThrottleMs = options.progressThrottleMs ?? 250;
  const tokens = createDeviceTokenStore(store.dataDir, options.sealer);

  let running = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let wakeRequested = false;
  let forcePoll = false;
  let currentUpload: RunningUpload | null = null;
  /** Writes started from upload callbacks; stop() waits for them before the store closes. */
  const pendingWrites = new Set<Promise<unknown>>();
  function track(write: Promise<unknown>): void {
    const settled = write.catch((error: unknown) =>
      log.warn('could not record upload progress', { error: String(error) }),
    );
    pendingWrites.add(settled);
    void settled.finally(() => pendingWrites.delete(settled));
  }
  const controller = { abort: new AbortController() };

  function wake(): void {
    wakeRequested = true;
    wakeUp?.();
  }

  async function emitRow(attemptId: string): Promise<AttemptSync | null> {
    const row = await getOutboxEntry(store.db, attemptId);
    if (!row) return null;
    const sync = toAttemptSync(row);
    emit('sync.changed', sync);
    return sync;
  }

  async function patch(attemptId: string, values: OutboxPatch): Promise<void> {
    const row = await updateOutbox(store.db, attemptId, values);
    if (row) emit('sync.changed', toAttemptSync(row));
  }

  function backoffMs(tries: number): number {
    return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, tries - 1));
  }

  async function status(): Promise<SyncStatus> {
    const [server, counts] = await Promise.all([getSyncServer(store.db), countOutbox(store.db)]);
    return {
      serverUrl: server?.serverUrl ?? null,
      deviceName: server?.deviceName ?? null,
      pairedAt: server?.pairedAt ?? null,
      outbox: {
        queued: counts.queued,
        uploading: counts.uploading,
        failed: counts.failed,
        uploaded: counts.uploaded,
      },
      lastContactAt: server?.lastContactAt ?? null,
      lastError: server?.lastError ?? null,
    };
  }

  /** Records a failure of one submission: retried later with backoff, or left for retry(). */
  async function recordFailure(row: OutboxRecord, error: unknown): Promise<void> {
    if (error instanceof AbortedUpload) return; // stopping: the row stays resumable as it is
    if (!(error instanceof SyncHttpError)) {
      log.error('submission failed unexpectedly', { attemptId: row.attemptId, error: String(error) });
      await patch(row.attemptId, {
        state: 'failed',
        lastError: error instanceof Error ? error.message : String(error),
        nextAttemptAt: null,
      });
      return;
    }
    if (error.transient) {
      const tries = row.tries + 1;
      const next = new Date(Date.now() + backoffMs(tries)).toISOString();
      await noteServerContact(store.db, error.message);
      await patch(row.attemptId, { state: 'failed', lastError: error.message, tries, nextAttemptAt: next });
      log.info('submission will be retried', { attemptId: row.attemptId, tries, next });
      return;
    }
    const message =
      error.status === 401
        ? `${UNPAIRED_MESSAGE}. Pair it again in Settings, then retry.`
        : error.status === 409
          ? `The server already holds a different submission under this attempt's id: ${error.message}`
          : `The server refused the submission: ${error.message}`;
    await noteServerContact(store.db, error.status === 401 ? UNPAIRED_MESSAGE : null);
    await patch(row.attemptId, { state: 'failed', lastError: message, nextAttemptAt: null });
  }

  async function uploadRecording(
    row: OutboxRecord,
    server: SyncServerRecord,
    token: string,
    manifestRecording: { sha256: string; bytes: number },
  ): Promise<string | null> {
    const recording = (await store.recordings.list(row.attemptId)).find(
      (r) => r.sha256 === manifestRecording.sha256,
    );
    const file = recording && store.recordings.resolvePath(recording.relativePath);
    const info = file ? await fs.stat(file).catch(() => undefined) : undefined;
    if (!file || !info || info.size !== manifestRecording.bytes)
      throw new AppError('NOT_FOUND', 'The recording of this submission is missing or changed on disk', {
        hint: 'Submit the attempt again without the recording.',
      });

    let lastEmit = 0;
    let lastPersist = 0;
    currentUpload = startTusUpload({
      file,
      bytes: manifestRecording.bytes,
      endpoint: `${server.serverUrl}${SUBMISSION_UPLOAD_PATH}`,
      uploadUrl: row.uploadUrl,
      token,
      submissionId: row.attemptId,
      chunkSize,
      onUploadUrl: (url) => track(patch(row.attemptId, { uploadUrl: url })),
      onProgress: (sent) => {
        const now = Date.now();
        if (now - lastEmit >= progressThrottleMs) {
          lastEmit = now;
          emit('sync.changed', toAttemptSync({ ...row, state: 'uploading', bytesSent: sent }));
        }
        if (now - lastPersist >= 1_000) {
          lastPersist = now;
          track(updateOutbox(store.db, row.attemptId, { bytesSent: sent }));
        }
      },
    });
    const upload = currentUpload;
    try {
      await upload.done;
      return upload.url();
    } finally {
      currentUpload = null;
      await Promise.all(pendingWrites);
    }
  }

  /**
   * tus finishing is not the server accepting the recording: storing it can fail after the last
   * byte (a full disk), and a resumed upload then finishes at once because every byte is there.
   * So the server is asked; while it still awaits the recording, an empty PATCH at the final offset
   * makes it try acceptance again. Returns the submission's status once accepted; throws a
   * transient SyncHttpError (retried with backoff) while it is not.
   */
  async function confirmAccepted(
    row: OutboxRecord,
    server: SyncServerRecord,
    token: string,
    uploadUrl: string | null,
    bytes: number,
  ): Promise<Submission['status']> {
    const ask = () =>
      getSubmission(fetchImpl, server.serverUrl, token, row.attemptId, controller.abort.signal);
    const first = await ask();
    if (first.status !== 'awaiting-recording') return first.status;
    if (uploadUrl === null)
      throw new SyncHttpError('The server has not accepted the recording yet', null, { transient: true });
    log.warn('the server has every byte of the recording but has not accepted it: asking again', {
      attemptId: row.attemptId,
    });
    try {
      await finishTusUpload(fetchImpl, { uploadUrl, token, bytes, signal: controller.abort.signal });
    } catch (error) {
      if (error instanceof SyncHttpError && error.status !== null && [404, 410, 422].includes(error.status)) {
        // The server dropped that upload (or its bytes were wrong): send the recording afresh.
        await patch(row.attemptId, { uploadUrl: null, bytesSent: 0 });
        throw new SyncHttpError(`The server did not keep the recording: ${error.message}`, error.status, {
          cause: error,
          transient: true,
        });
      }
      throw error;
    }
    const second = await ask();
    if (second.status !== 'awaiting-recording') return second.status;
    throw new SyncHttpError('The server received the recording but has not accepted it yet', null, {
      transient: true,
    });
  }

  /**
   * One submission through the protocol: manifest, then (if any) the recording. False when the
   * server could not be reached, so the pass stops instead of failing every row the same way.
   */
  async function processRow(row: OutboxRecord, server: SyncServerRecord, token: string): Promise<boolean> {
    const manifestJson = row.manifestJson;
    if (manifestJson === null) return true;
    await patch(row.attemptId, { state: 'uploading', lastError: null });
    const current = (await getOutboxEntry(store.db, row.attemptId)) ?? row;
    try {
      const manifest = submissionManifestSchema.parse(JSON.parse(manifestJson));
      const submission = await postSubmission(
        fetchImpl,
        server.serverUrl,
        token,
        manifestJson,
        controller.abort.signal,
      );
      await noteServerContact(store.db, null);
      await patch(row.attemptId, { remoteId: submission.id, remoteStatus: submission.status });
      let remoteStatus = submission.status;
      if (manifest.recording && submission.status === 'awaiting-recording') {
        if (!running) return false;
        const uploadUrl = await uploadRecording(current, server, token, manifest.recording);
        remoteStatus = await confirmAccepted(current, server, token, uploadUrl, manifest.recording.bytes);
      }
      await patch(row.attemptId, {
        state: 'uploaded',
        bytesSent: current.bytesTotal,
        tries: 0,
        nextAttemptAt: null,
        lastError: null,
        lastPolledAt: null,
        remoteStatus,
      });
      log.info('submission uploaded', { attemptId: row.attemptId });
      return true;
    } catch (error) {
      if (!running && !(error instanceof SyncHttpError && !error.transient)) return false;
      await recordFailure(current, error);
      return !(error instanceof SyncHttpError && error.transient);
    }
  }

  async function applySubmission(row: OutboxRecord, submission: Submission): Promise<void> {
    const result = submission.result ? publishedResultSchema.parse(submission.result) : null;
    await patch(row.attemptId, {
      remoteStatus: submission.status,
      lastPolledAt: new Date().toISOString(),
      ...(result && { resultJson: JSON.stringify(result) }),
    });
  }

  /** Asks the server about uploaded submissions that have no published result yet. */
  async function pollResults(server: SyncServerRecord, token: string, force: boolean): Promise<void> {
    const rows = await listOutbox(store.db, ['uploaded']);
    const now = Date.now();
    for (const row of rows) {
      if (!running) return;
      if (row.resultJson !== null) continue;
      if (!force && row.lastPolledAt !== null && now - Date.parse(row.lastPolledAt) < pollIntervalMs)
        continue;
      try {
        const submission = await getSubmission(
          fetchImpl,
          server.serverUrl,
          token,
          row.attemptId,
          controller.abort.signal,
        );
        await noteServerContact(store.db, null);
        await applySubmission(row, submission);
      } catch (error) {
        if (!running) return;
        const message = error instanceof Error ? error.message : String(error);
        await noteServerContact(
          store.db,
          error instanceof SyncHttpError && error.status === 401 ? UNPAIRED_MESSAGE : message,
        );
        await updateOutbox(store.db, row.attemptId, { lastPolledAt: new Date().toISOString() });
        log.info('could not poll a submission', { attemptId: row.attemptId, error: message });
        if (error instanceof SyncHttpError && (error.transient || error.status === 401)) return;
      }
    }
  }

  /** One pass: every due outbox row (oldest first, one at a time), then the result poll. */
  async function runOnce(): Promise<void> {
    const server = await getSyncServer(store.db);
    if (!server) return;
    let token: string | null;
    try {
      token = await tokens.read();
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
      if (!running) return;
      const due =
        row.state !== 'failed' || (row.nextAttemptAt !== null && Date.parse(row.nextAttemptAt) <= Date.now());
      if (due && !(await processRow(row, server, token))) return;
    }
    const force = forcePoll;
    forcePoll = false;
    if (running) await pollResults(server, token, force);
  }

  /** How long to sleep: until the next backoff is due, or the next poll. */
  async function nextDelay(): Promise<number> {
    let delay = pollIntervalMs;
    for (const row of await listOutbox(store.db, ['failed']))
      if (row.nextAttemptAt !== null) delay = Math.min(delay, Date.parse(row.nextAttemptAt) - Date.now());
    return Math.max(20, delay);
  }

  async function work(): Promise<void> {
    while (running) {
      wakeRequested = false;
      try {
        await runOnce();
      } catch (error) {
        log.error('sync pass failed', { error: String(error) });
      }
      if (!running) break;
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
    start() {
      if (running) return;
      running = true;
      controller.abort = new AbortController();
      loop = work();
    },

    async stop() {
      if (!running) return;
      running = false;
      controller.abort.abort();
      wakeUp?.();
      await currentUpload?.abort();
      await loop;
      await Promise.all(pendingWrites);
      loop = null;
    },

    status,

    async pair(input) {
      const serverUrl = normaliseServerUrl(input.serverUrl);
      const deviceName = input.deviceName.trim();
      let token: string;
      try {
        token = await pairDevice(fetchImpl, serverUrl, { code: input.code.trim(), deviceName });
      } catch (error) {
        if (!(error instanceof SyncHttpError)) throw error;
        if (error.status === 401)
          throw new AppError('UNAUTHORIZED', 'The pairing code was not accepted', {
            hint: 'Codes expire after 10 minutes and work once: make a new one in the web workspace.',
          });
        if (error.status === 429)
          throw new AppError('FORBIDDEN', `Too many pairing attempts: ${error.message}`, {
            hint: 'Wait a few minutes, then try again.',
          });
        if (error.status === null)
          throw new AppError('INVALID_INPUT', `Could not reach ${serverUrl}: ${error.message}`, {
            hint: 'Check the server address and your connection.',
          });
        if (error.status === 404 || error.status === 405 || error.status === 502)
          throw new AppError('INVALID_INPUT', `${serverUrl} does not look like a Rehearse server`, {
            hint: 'Check the address your coach gave you (for example https://coach.example.com).',
          });
        throw new AppError('INVALID_INPUT', `The server refused pairing: ${error.message}`);
      }
      await tokens.write(token);
      await saveSyncServer(store.db, { serverUrl, deviceName });
      await rescheduleFailed(store.db);
      forcePoll = true;
      wake();
      log.info('paired with a sync server', { serverUrl, deviceName });
      return status();
    },

    async unpair() {
      await currentUpload?.abort();
      await tokens.delete();
      await clearSyncServer(store.db);
      // An upload URL belongs to the old server: a later pairing starts those uploads afresh.
      for (const row of await listOutbox(store.db, ['queued', 'uploading', 'failed']))
        await patch(row.attemptId, { uploadUrl: null, bytesSent: 0, state: 'queued', nextAttemptAt: null });
      log.info('unpaired from the sync server');
      return status();
    },

    async retry() {
      await rescheduleFailed(store.db);
      for (const row of await listOutbox(store.db, ['queued'])) await emitRow(row.attemptId);
      forcePoll = true;
      wake();
      return status();
    },

    async submit(attemptId, submitOptions) {
      const existing = await getOutboxEntry(store.db, attemptId);
      if (existing?.manifestJson) {
        // Already submitted: the manifest is fixed (the server keys it by id); a failed one is retried.
        if (existing.state === 'failed')
          await patch(attemptId, { state: 'queued', tries: 0, nextAttemptAt: null });
        wake();
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
      wake();
      return sync;
    },
  };
}
