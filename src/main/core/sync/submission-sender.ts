/**
 * One submission through the protocol: post its manifest, upload its recording with tus (resuming a
 * stored upload URL), then confirm with the server that it accepted the recording. Failures are
 * thrown for the outbox worker to record; a recording missing on disk is an outcome, not a throw.
 */
import fs from 'node:fs/promises';
import {
  SUBMISSION_UPLOAD_PATH,
  submissionManifestSchema,
  type Submission,
} from '../../../shared/sync/protocol';
import {
  noteServerContact,
  updateOutbox,
  type OutboxRecord,
  type SyncServerRecord,
} from '../db/repositories/sync';
import { createLogger } from '../util/logger';
import { toAttemptSync } from './attempt-sync';
import { isAppError } from '../../../shared/errors';
import { getSubmission, postSubmission } from './server-api';
import { notYet } from './sync-errors';
import type { SyncContext } from './sync-context';
import { finishTusUpload, startTusUpload, type RunningUpload } from './tus-upload';

const log = createLogger('sync');

export type SendOutcome =
  | { outcome: 'uploaded' }
  /** The worker stopped before the recording went; the row stays resumable. */
  | { outcome: 'stopped' }
  /** Nothing the server can do about it: the recording is gone or changed on disk. */
  | { outcome: 'unusable'; message: string };

export interface SubmissionSender {
  /** Sends one queued row; `current` is the row as stored when sending began. */
  send(current: OutboxRecord, server: SyncServerRecord, token: string): Promise<SendOutcome>;
  /** Stops the upload in flight, if any (it resumes from its stored URL later). */
  abortUpload(): Promise<void>;
  /** Waits for the progress writes started by upload callbacks. */
  settle(): Promise<void>;
}

export const MISSING_RECORDING_MESSAGE = 'The recording of this submission is missing or changed on disk';

export function createSubmissionSender(
  ctx: SyncContext,
  options: { chunkSize: number; progressThrottleMs: number },
): SubmissionSender {
  const { store } = ctx;
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

  /** The recording's file, if it is still on disk exactly as the manifest describes it. */
  async function recordingFile(
    row: OutboxRecord,
    manifestRecording: { sha256: string; bytes: number },
  ): Promise<string | null> {
    const recording = (await store.recordings.list(row.attemptId)).find(
      (r) => r.sha256 === manifestRecording.sha256,
    );
    const file = recording && store.recordings.resolvePath(recording.relativePath);
    const info = file ? await fs.stat(file).catch(() => undefined) : undefined;
    return file && info && info.size === manifestRecording.bytes ? file : null;
  }

  async function uploadRecording(
    row: OutboxRecord,
    server: SyncServerRecord,
    token: string,
    file: string,
    bytes: number,
  ): Promise<string | null> {
    let lastEmit = 0;
    let lastPersist = 0;
    currentUpload = startTusUpload({
      file,
      bytes,
      endpoint: `${server.serverUrl}${SUBMISSION_UPLOAD_PATH}`,
      uploadUrl: row.uploadUrl,
      token,
      submissionId: row.attemptId,
      chunkSize: options.chunkSize,
      onUploadUrl: (url) => track(ctx.patch(row.attemptId, { uploadUrl: url })),
      onProgress: (sent) => {
        const now = Date.now();
        if (now - lastEmit >= options.progressThrottleMs) {
          lastEmit = now;
          ctx.emit('sync.changed', toAttemptSync({ ...row, state: 'uploading', bytesSent: sent }));
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
   * transient UNAVAILABLE (retried with backoff) while it is not.
   */
  async function confirmAccepted(
    row: OutboxRecord,
    server: SyncServerRecord,
    token: string,
    uploadUrl: string | null,
    bytes: number,
  ): Promise<Submission['status']> {
    const ask = () => getSubmission(ctx.fetch, server.serverUrl, token, row.attemptId, ctx.signal());
    const first = await ask();
    if (first.status !== 'awaiting-recording') return first.status;
    if (uploadUrl === null) throw notYet('The server has not accepted the recording yet');
    log.warn('the server has every byte of the recording but has not accepted it: asking again', {
      attemptId: row.attemptId,
    });
    try {
      await finishTusUpload(ctx.fetch, { uploadUrl, token, bytes, signal: ctx.signal() });
    } catch (error) {
      if (isAppError(error) && (error.code === 'NOT_FOUND' || error.code === 'UNPROCESSABLE')) {
        // The server dropped that upload (404, 410) or its bytes were wrong (422): send it afresh.
        await ctx.patch(row.attemptId, { uploadUrl: null, bytesSent: 0 });
        throw notYet(`The server did not keep the recording: ${error.message}`, error);
      }
      throw error;
    }
    const second = await ask();
    if (second.status !== 'awaiting-recording') return second.status;
    throw notYet('The server received the recording but has not accepted it yet');
  }

  return {
    async send(current, server, token) {
      const manifestJson = current.manifestJson;
      if (manifestJson === null) return { outcome: 'uploaded' };
      const manifest = submissionManifestSchema.parse(JSON.parse(manifestJson));
      const submission = await postSubmission(ctx.fetch, server.serverUrl, token, manifestJson, ctx.signal());
      await noteServerContact(store.db, null);
      await ctx.patch(current.attemptId, { remoteId: submission.id, remoteStatus: submission.status });
      let remoteStatus = submission.status;
      if (manifest.recording && submission.status === 'awaiting-recording') {
        if (!ctx.running()) return { outcome: 'stopped' };
        const file = await recordingFile(current, manifest.recording);
        if (!file) return { outcome: 'unusable', message: MISSING_RECORDING_MESSAGE };
        const uploadUrl = await uploadRecording(current, server, token, file, manifest.recording.bytes);
        remoteStatus = await confirmAccepted(current, server, token, uploadUrl, manifest.recording.bytes);
      }
      await ctx.patch(current.attemptId, {
        state: 'uploaded',
        bytesSent: current.bytesTotal,
        tries: 0,
        nextAttemptAt: null,
        lastError: null,
        lastPolledAt: null,
        remoteStatus,
      });
      log.info('submission uploaded', { attemptId: current.attemptId });
      return { outcome: 'uploaded' };
    },

    async abortUpload() {
      await currentUpload?.abort();
    },

    async settle() {
      await Promise.all(pendingWrites);
    },
  };
}
